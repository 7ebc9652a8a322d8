"""The plan's SQL backend: the CSV's cells built by PostgreSQL and sent with COPY.

`CopyTable` compiles a serializer's plan (partnerships/api/plan.py) into one SQL expression
per cell, giving the cells partnerships/api/exports.py gives from the representation: a
related record by its name, title or code (a region by its path), a list as its items
joined by "; " in the plan's order, a nested record's non-empty parts joined by a space, a
choice by its label in the request's language, a datetime in ISO 8601 in the current time
zone, and every cell neutralised as `renderers.neutralise` does. The rows are then one
`COPY (query) TO STDOUT (FORMAT csv)` per part of the list (a long list is split among
connections, `CopyTable.chunks`), read in chunks as PostgreSQL writes them: no Python per
row at all.

A plan node it cannot express raises PlanUnsupported and the export takes the Python
backend instead. tests/api/test_exports.py requires the same cells as the serializer's.
"""

import tempfile
import threading
from typing import Any, cast

import psycopg
from django.conf import settings
from django.contrib.postgres.aggregates import StringAgg
from django.db import connections
from django.db.models import Case, CharField, F, Func, OuterRef, Subquery, Value, When
from django.db.models.functions import Cast, Coalesce, NullIf
from django.utils import timezone
from rest_framework import serializers

from partnerships.api.exports import NAME_KEYS
from partnerships.api.plan import (
    Brief,
    Choice,
    Key,
    Many,
    Node,
    Path,
    PlanUnsupported,
    Scalar,
    Shape,
    model_field_of,
    shape_of,
)

TEXT = CharField()
# PostgreSQL's working memory for one export's query (its server's memory, not this process's).
EXPORT_WORK_MEM = "64MB"
# The length from which a list is split among settings.EXPORT_JOBS connections.
EXPORT_SPLIT_ROWS = 50_000
# The start of a text that renderers.neutralise quotes: a formula's first character
# (renderers.FORMULA_STARTS), unless the whole text is a plain number (renderers.PLAIN_NUMBER;
# ASCII digits here, where Python's \d also takes other scripts' digits).
NEUTRALISE = "^(?=[=+@\t\r-])(?![+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)$)"
# Those first characters, as an SQL list.
FORMULA_FIRST = "('=', '+', '-', '@', E'\\t', E'\\r')"


def text(expression) -> Func:
    """Return an expression as text."""
    return Cast(expression, TEXT)


def joined(separator: str, parts: list) -> Func:
    """Return the non-empty parts joined (concat_ws skips NULLs; empty parts are made NULL)."""
    return Coalesce(
        Func(Value(separator), *(NullIf(part, Value("")) for part in parts), function="concat_ws", output_field=TEXT),
        Value(""),
    )


class ISODateTime(Func):
    """datetime.isoformat() in the session's time zone: microseconds only when there are some, "Z" for UTC."""

    output_field = TEXT

    def as_sql(self, compiler, connection, function=None, template=None, arg_joiner=None, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return (
            f"(to_char({sql}, 'YYYY-MM-DD\"T\"HH24:MI:SS')"
            f" || CASE WHEN mod(date_part('microseconds', {sql})::bigint, 1000000) <> 0 THEN to_char({sql}, '.US') ELSE '' END"
            f" || replace(to_char({sql}, 'TZH:TZM'), '+00:00', 'Z'))",
            tuple(params) * 4,
        )


class CopyTable:
    """The cells of a serializer's plan as SQL expressions, built once per export (in its language)."""

    def __init__(self, shape: Shape):
        self.model = shape.model
        # Per column: ("row", expression on the record, None) or ("list", grouped items, first value or None).
        self.cells: list[tuple[str, Any, Any]] = []
        for node in shape.nodes:
            if isinstance(node, Many):
                # The first value as it is (not a choice's label), before the items even when it is empty.
                first = None if node.first is None else Coalesce(text(F(node.first.source)), Value(""))
                self.cells.append(("list", self._items(node), first))
            else:
                self.cells.append(("row", self._single(node, ""), None))

    def sql(self, queryset) -> str:
        """Return the export's query, its parameters inlined.

        The rows come first, in the queryset's order (numbered as they come); each list is
        then aggregated once for all the rows and joined to them by hash, not looked up
        row by row.
        """
        connection = connections[queryset.db]

        def literal(query) -> str:
            sql, params = query.query.sql_with_params()
            # PostgreSQL's operations alone can inline parameters (COPY takes none).
            return cast(Any, connection.ops).compose_sql(sql, params)

        rows = {f"cell_{index}": cell for index, (kind, cell, _) in enumerate(self.cells) if kind == "row"}
        rows.update({f"first_{index}": first for index, (_, _, first) in enumerate(self.cells) if first is not None})
        main = literal(queryset.prefetch_related(None).annotate(row_id=F("pk"), **rows).values_list("row_id", *rows))
        joins, selected = [], []
        for index, (kind, cell, first) in enumerate(self.cells):
            if kind == "row":
                selected.append(f"r.cell_{index}")
                continue
            items = cell.filter(parent__in=queryset.order_by().values("pk")).values_list("parent", "cell")
            joins.append(f"LEFT JOIN ({literal(items)}) AS l{index} (parent, cell) ON l{index}.parent = r.row_id")
            if first is None:
                selected.append(f"coalesce(l{index}.cell, '')")
            else:
                selected.append(f"concat(r.first_{index}, CASE WHEN l{index}.cell IS NOT NULL THEN '; ' || l{index}.cell END)")
        pattern = NEUTRALISE.replace("'", "''")
        # An empty cell is NULL, which COPY writes unquoted as Python's csv writer does (it quotes "").
        # The regular expression runs only on a cell whose first character could start a
        # formula: run on every cell, it took a third of the export's time.
        cells = ", ".join(
            f"nullif(CASE WHEN left({cell}, 1) IN {FORMULA_FIRST} "
            f"THEN regexp_replace({cell}, '{pattern}', '''') ELSE {cell} END, '')"
            for cell in selected
        )
        return (
            f"SELECT {cells} FROM (SELECT row_number() OVER () AS row_number, m.* FROM ({main}) AS m) AS r "
            f"{' '.join(joins)} ORDER BY r.row_number"
        )

    def chunks(self, queryset):
        """Yield the CSV of every row of the queryset, in its order, as PostgreSQL writes it.

        A long list is cut into settings.EXPORT_JOBS consecutive parts of its order, each written by
        its own connection at the same time (one CPU each) from one snapshot, as pg_dump
        --jobs does: the first part is streamed as it comes, the others wait in temporary
        files (on disk, so memory stays flat) and follow in order.
        """
        connection = connections[queryset.db]
        session = [timezone.get_current_timezone_name(), EXPORT_WORK_MEM]
        if connection.in_atomic_block:
            # Only this connection sees its transaction's writes: the export is one part, here.
            yield from self._chunks_here(queryset, connection, session)
            return
        leader = _Session(connection, session)
        helpers = []
        try:
            snapshot = leader.begin()
            # Counted only to cut the list into parts, when there are parts to cut.
            parts = self._parts(queryset, leader.count(queryset) if settings.EXPORT_JOBS > 1 else 0)
            helpers = [_Helper(connection, session, snapshot, self.sql(part)) for part in parts[1:]]
            yield from leader.copy(self.sql(parts[0]))
            for helper in helpers:
                yield from helper.result()
        finally:
            for helper in helpers:
                helper.close()
            leader.close()

    def _chunks_here(self, queryset, connection, session: list):
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('work_mem')")
            work_mem = one(cursor)
            cursor.execute(configure_session(local=False), session)
            try:
                yield from copy_csv(cursor.cursor, self.sql(queryset))
            finally:
                cursor.execute(configure_session(local=False), [connection.timezone_name, work_mem])

    @staticmethod
    def _parts(queryset, count: int) -> list:
        """Return the queryset cut into consecutive slices of its order, one per job."""
        jobs = max(1, settings.EXPORT_JOBS) if count >= EXPORT_SPLIT_ROWS else 1
        if jobs == 1:
            return [queryset]
        size = -(-count // jobs)
        # Each part's ids are chosen by the order alone (an index scan), then its rows read.
        return [
            queryset.filter(pk__in=queryset.values("pk")[start : start + size]) for start in range(0, count, size)
        ]

    # Single values

    def _single(self, node: Node, prefix: str):
        if isinstance(node, Brief):
            return self._object(node.shape, prefix + node.source + "__")
        if isinstance(node, Path):
            # A region's own path, as a list of regions: their names joined by "; " (exports.flatten).
            return joined("; ", self._path_names(node, prefix))
        if isinstance(node, Key):
            return Coalesce(text(F(prefix + node.attname)), Value(""))
        if isinstance(node, Scalar):
            return Coalesce(self._plain(node, prefix), Value(""), output_field=TEXT)
        raise PlanUnsupported(node.name)

    @staticmethod
    def _plain(node: Scalar, prefix: str):
        """Return the text of a stored value as exports.value_cell gives it from the representation."""
        lookup = prefix + node.source
        column = F(lookup)
        if isinstance(node, Choice):
            choices = cast(serializers.ChoiceField, node.field).choices
            labels = [When(**{lookup: value}, then=Value(str(label))) for value, label in choices.items()]
            return Case(*labels, default=text(column), output_field=TEXT)
        if node.kind == "text":
            return column
        if node.kind in ("integer", "decimal"):
            return text(column)
        if node.kind == "boolean":
            return Case(When(**{lookup: True}, then=Value("true")), When(**{lookup: False}, then=Value("false")), output_field=TEXT)
        if node.kind == "date":
            return Func(column, Value("YYYY-MM-DD"), function="to_char", output_field=TEXT)
        if node.kind == "datetime":
            return ISODateTime(column)
        raise PlanUnsupported(node.name)

    @staticmethod
    def _path_names(node: Path, prefix: str) -> list:
        return [F(prefix + f"{node.upward}__" * level + "name") for level in reversed(range(node.depth))]

    def _object(self, shape: Shape, prefix: str):
        """Return a related record as text: its region path, name, title or code, else its parts joined."""
        nodes = {node.name: node for node in shape.nodes}
        if "path" in nodes:
            path = nodes["path"]
            if not isinstance(path, Path):
                raise PlanUnsupported("path")
            return joined(" / ", self._path_names(path, prefix))
        for key in NAME_KEYS:
            if key in nodes:
                return self._single(nodes[key], prefix)
        return joined(" ", [self._part(node, prefix) for node in shape.nodes])

    def _part(self, node: Node, prefix: str):
        if not isinstance(node, Many):
            return self._single(node, prefix)
        if prefix or node.first is not None:
            raise PlanUnsupported(node.name)
        # A list within a list's item (a party's citations): a subquery on the item.
        items = self._items(node).filter(parent=OuterRef("pk")).values("cell")
        return Coalesce(Subquery(items, output_field=TEXT), Value(""))

    # Lists

    def _items(self, node: Many):
        """Return a list's items joined by "; " in the plan's order, grouped by `parent`."""
        if node.shape is None:
            assert node.value is not None
            item = Coalesce(text(F(node.value)), Value(""))
        else:
            item = self._object(node.shape, "")
        ordering = [expression for key in node.ordering for expression in order_by(node.model, key)]
        return (
            node.model._default_manager.annotate(parent=F(node.back))
            .order_by()
            .values("parent")
            .annotate(cell=StringAgg(item, delimiter="; ", order_by=ordering))
        )


def order_by(model, key, prefix: str = "", descending: bool = False) -> list:
    """Return the expressions a model's ordering key sorts by (a relation by its model's ordering, one level)."""
    if not isinstance(key, str):
        if prefix:
            raise PlanUnsupported(str(key))
        return [key]
    descending = key.startswith("-") != descending
    name = key.lstrip("-")
    model_field = model._meta.pk if name == "pk" else model_field_of(model, name)
    if model_field.is_relation:
        if prefix:
            raise PlanUnsupported(name)
        related = model_field.related_model
        keys = [inner for related_key in related._meta.ordering for inner in order_by(related, related_key, name + "__", descending)]
        name = model_field.attname if not keys else name
        if keys:
            return keys
    column = F(prefix + name)
    return [column.desc() if descending else column.asc()]


def copy_chunks(queryset, serializer):
    """Return the CSV rows as PostgreSQL's COPY gives them, or None where COPY cannot give them."""
    if connections[queryset.db].vendor != "postgresql":
        return None
    try:
        table = CopyTable(shape_of(type(serializer), queryset.model))
    except PlanUnsupported:
        return None
    return table.chunks(queryset)


def configure_session(*, local: bool) -> str:
    """Return the statement that sets the time zone and work_mem (the session's parameters), for the transaction only if local."""
    flag = "true" if local else "false"
    return f"SELECT set_config('TimeZone', %s, {flag}), set_config('work_mem', %s, {flag})"


def copy_csv(cursor, sql: str):
    """Yield the CSV of a query as PostgreSQL writes it, chunk by chunk (a psycopg cursor)."""
    with cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv)") as copy:
        for chunk in copy:
            yield bytes(chunk)


def one(cursor):
    """Return the one value of a query's one row."""
    row = cursor.fetchone()
    assert row is not None
    return row[0]


class _Session:
    """A connection of its own for one export, in a read-only transaction on one snapshot."""

    def __init__(self, connection, config: list):
        params = connection.get_connection_params()
        params.pop("cursor_factory", None)
        params.pop("context", None)
        self.conn = psycopg.connect(**params, autocommit=False)
        self.config = config

    def begin(self, snapshot: str | None = None) -> str:
        """Start the transaction (on another's snapshot if given); return its snapshot's name."""
        self.conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        if snapshot is not None:
            self.conn.execute(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
        # Datetimes as DRF writes them: in the current time zone, with its offset; and memory
        # enough for the lists' hash joins and the final sort.
        self.conn.execute(configure_session(local=True), self.config)
        return one(self.conn.execute("SELECT pg_export_snapshot()"))

    def count(self, queryset) -> int:
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
        return one(self.conn.execute(f"SELECT count(*) FROM ({sql}) AS counted", params))

    def copy(self, sql: str):
        return copy_csv(self.conn.cursor(), sql)

    def close(self) -> None:
        self.conn.close()


class _Helper:
    """One later part of an export, written by its own session into a temporary file meanwhile."""

    def __init__(self, connection, config: list, snapshot: str, sql: str):
        self.session = _Session(connection, config)
        self.session.begin(snapshot)
        self.file = tempfile.TemporaryFile()
        self.error: Exception | None = None
        self.thread = threading.Thread(target=self._write, args=(sql,), daemon=True)
        self.thread.start()

    def _write(self, sql: str) -> None:
        try:
            for chunk in self.session.copy(sql):
                self.file.write(chunk)
        except Exception as error:  # raised again in the request's thread, by result()
            self.error = error

    def result(self):
        """Yield the part's CSV once it is written."""
        self.thread.join()
        if self.error is not None:
            raise self.error
        self.file.seek(0)
        while chunk := self.file.read(1 << 20):
            yield chunk

    def close(self) -> None:
        if self.thread.is_alive():
            # The client went away: stop the query rather than write a part nobody reads.
            self.session.conn.cancel_safe()
            self.thread.join()
        self.file.close()
        self.session.close()

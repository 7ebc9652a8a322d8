"""CSV at disk speed on PostgreSQL: the flat export's cells built by PostgreSQL and sent with COPY.

`CopyTable` compiles a serializer's columns (partnerships/api/exports.py `columns`) into one
SQL expression per cell, following the same rules as `FlatTable`: a related record by its
name, title or code (a region by its path), a list as its items joined by "; ", a nested
record's non-empty parts joined by a space, a choice by its label in the request's
language, a datetime in ISO 8601 in the current time zone, and every cell neutralised as
`renderers.neutralise` does. The rows are then one `COPY (query) TO STDOUT (FORMAT csv)`
per part of the list (a long list is split among connections, `CopyTable.chunks`), read in
chunks as PostgreSQL writes them: no Python per row at all.

A field it cannot express raises exports.ExportUnsupported and the export reads flat in
Python instead. tests/api/test_exports.py requires the same cells as the serializer's.
"""

import tempfile
import threading

import psycopg
from django.conf import settings
from django.contrib.postgres.aggregates import StringAgg
from django.db import connections, models
from django.db.models import Case, CharField, F, Func, OuterRef, Subquery, Value, When
from django.db.models.fields.reverse_related import ForeignObjectRel
from django.db.models.functions import Cast, Coalesce, NullIf
from django.utils import timezone
from rest_framework import ISO_8601, serializers
from rest_framework.settings import api_settings

from partnerships.api.exports import (
    LIST_FIELDS,
    NAME_KEYS,
    ExportUnsupported,
    brief_of,
    columns,
    model_field_of,
    single_relation,
)
from partnerships.api.serializers import RelatedRecordField
from partnerships.models import Region

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

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return (
            f"(to_char({sql}, 'YYYY-MM-DD\"T\"HH24:MI:SS')"
            f" || CASE WHEN mod(date_part('microseconds', {sql})::bigint, 1000000) <> 0 THEN to_char({sql}, '.US') ELSE '' END"
            f" || replace(to_char({sql}, 'TZH:TZM'), '+00:00', 'Z'))",
            params * 4,
        )


class CopyTable:
    """The cells of a serializer's columns as SQL expressions, compiled once per export."""

    def __init__(self, serializer: serializers.Serializer, model: type[models.Model]):
        self.model = model
        # Per column: ("row", expression on the record, None) or ("list", grouped items, first value or None).
        self.cells = []
        for _name, field, _ in columns(serializer):
            if isinstance(field, serializers.ListField) and hasattr(field, "further"):
                # As FlatTable: the items as they are (not a choice's label), after the first even when it is empty.
                first = Coalesce(text(F(field.first)), Value(""))
                self.cells.append(("list", self._items(field, model, source=field.further), first))
            elif isinstance(field, LIST_FIELDS):
                self.cells.append(("list", self._items(field, model), None))
            else:
                self.cells.append(("row", self._single(field, model, ""), None))

    def sql(self, queryset) -> str:
        """Return the export's query, its parameters inlined.

        The rows come first, in the queryset's order (numbered as they come); each list is
        then aggregated once for all the rows and joined to them by hash, not looked up
        row by row.
        """
        connection = connections[queryset.db]

        def literal(query) -> str:
            sql, params = query.query.sql_with_params()
            return connection.ops.compose_sql(sql, params)

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
            work_mem = cursor.fetchone()[0]
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

    def _single(self, field, model, prefix: str):
        if isinstance(field, LIST_FIELDS):
            raise ExportUnsupported(field.field_name)
        model_field = self._model_field(model, field.source)
        lookup = prefix + field.source
        if isinstance(field, (RelatedRecordField, serializers.Serializer)):
            if not single_relation(model_field):
                raise ExportUnsupported(field.field_name)
            return self._object(brief_of(field), model_field.related_model, lookup + "__")
        if isinstance(field, serializers.PrimaryKeyRelatedField):
            return Coalesce(text(F(prefix + model_field.attname)), Value(""))
        if model_field.is_relation or isinstance(field, (serializers.RelatedField, serializers.HiddenField)):
            raise ExportUnsupported(field.field_name)
        return self._plain(field, model, field.source, prefix)

    def _plain(self, field, model, source: str, prefix: str = ""):
        """Return the cell of a stored value as FlatTable's plain_cell gives it."""
        model_field = self._model_field(model, source)
        column = F(prefix + source)
        if isinstance(field, serializers.ChoiceField):
            labels = [When(**{prefix + source: value}, then=Value(str(label))) for value, label in field.choices.items()]
            value = Case(*labels, default=text(column), output_field=TEXT)
        elif type(field) in (serializers.CharField, serializers.URLField, serializers.EmailField, serializers.SlugField):
            value = column
        elif type(field) in (serializers.IntegerField, serializers.BigIntegerField):
            value = text(column)
        elif type(field) is serializers.BooleanField:
            value = Case(
                When(**{prefix + source: True}, then=Value("true")),
                When(**{prefix + source: False}, then=Value("false")),
                output_field=TEXT,
            )
        elif type(field) is serializers.DateField and getattr(field, "format", api_settings.DATE_FORMAT) == ISO_8601:
            value = Func(column, Value("YYYY-MM-DD"), function="to_char", output_field=TEXT)
        elif type(field) is serializers.DateTimeField and getattr(field, "format", api_settings.DATETIME_FORMAT) == ISO_8601:
            value = ISODateTime(column)
        elif type(field) is serializers.DecimalField and isinstance(model_field, models.DecimalField):
            as_text = getattr(field, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING)
            exact = field.decimal_places == model_field.decimal_places and not getattr(field, "normalize_output", False)
            if not (as_text and exact) or field.localize:
                raise ExportUnsupported(field.field_name)
            value = text(column)
        else:
            raise ExportUnsupported(field.field_name)
        return Coalesce(value, Value(""), output_field=TEXT)

    def _object(self, brief, model, prefix: str):
        """Return a related record as text: its region path, name, title or code, else its parts joined."""
        fields = brief.fields
        if "path" in fields:
            if model is not Region:
                raise ExportUnsupported("path")
            depth = fields["path"].depth
            upward = fields["path"].upward
            names = [F(prefix + f"{upward}__" * level + "name") for level in reversed(range(depth))]
            return joined(" / ", names)
        for key in NAME_KEYS:
            if key in fields:
                return self._single(fields[key], model, prefix)
        parts = [self._part(field, model, prefix) for field in fields.values() if not field.write_only]
        return joined(" ", parts)

    def _part(self, field, model, prefix: str):
        if not isinstance(field, LIST_FIELDS):
            return self._single(field, model, prefix)
        if prefix:
            raise ExportUnsupported(field.field_name)
        return self._many(field, model)

    # Lists

    def _items(self, field, model, source: str | None = None):
        """Return a list's items joined by "; " in the related model's order, grouped by `parent`."""
        child = field.child_relation if isinstance(field, serializers.ManyRelatedField) else field.child
        model_field = self._model_field(model, source or field.source)
        if not (model_field.one_to_many or model_field.many_to_many):
            raise ExportUnsupported(field.field_name)
        related_model = model_field.related_model
        back = model_field.field.name if isinstance(model_field, ForeignObjectRel) else model_field.related_query_name()
        if isinstance(field, serializers.ListField):
            item_field = getattr(field, "item_field", None)
            if item_field is None:
                raise ExportUnsupported(field.field_name)
            item = Coalesce(text(F(item_field)), Value(""))
        elif isinstance(child, (RelatedRecordField, serializers.Serializer)):
            item = self._object(brief_of(child), related_model, "")
        else:
            raise ExportUnsupported(field.field_name)
        ordering = [self._order(related_model, key) for key in related_model._meta.ordering if key not in (back, f"{back}_id")]
        return (
            related_model._default_manager.annotate(parent=F(back))
            .order_by()
            .values("parent")
            .annotate(cell=StringAgg(item, delimiter="; ", order_by=[key for keys in ordering for key in keys]))
        )

    def _many(self, field, model, source: str | None = None):
        """Return a list within a list's item (a party's citations) as a subquery on the item."""
        items = self._items(field, model, source).filter(parent=OuterRef("pk")).values("cell")
        return Coalesce(Subquery(items, output_field=TEXT), Value(""))

    @classmethod
    def _order(cls, model, key) -> list:
        """Return the expressions a model's ordering key sorts by (a relation by its model's ordering)."""
        if not isinstance(key, str):
            return [key]
        descending = key.startswith("-")
        name = key.lstrip("-")
        model_field = cls._model_field(model, name)
        if model_field.is_relation:
            keys = [
                inner for related_key in model_field.related_model._meta.ordering
                for inner in cls._order_prefixed(model_field.related_model, related_key, name + "__", descending)
            ]
            return keys or [F(model_field.attname).desc() if descending else F(model_field.attname).asc()]
        return [F(name).desc() if descending else F(name).asc()]

    @classmethod
    def _order_prefixed(cls, model, key, prefix: str, descending: bool) -> list:
        if not isinstance(key, str):
            raise ExportUnsupported(str(key))
        inner_descending = key.startswith("-") != descending
        name = key.lstrip("-")
        model_field = cls._model_field(model, name)
        if model_field.is_relation:
            raise ExportUnsupported(name)
        return [F(prefix + name).desc() if inner_descending else F(prefix + name).asc()]

    @staticmethod
    def _model_field(model, source: str):
        return model_field_of(model, source)


def copy_chunks(queryset, serializer):
    """Return the CSV rows as PostgreSQL's COPY gives them, or None where COPY cannot give them."""
    if connections[queryset.db].vendor != "postgresql":
        return None
    try:
        table = CopyTable(serializer, queryset.model)
    except ExportUnsupported:
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
        return self.conn.execute("SELECT pg_export_snapshot()").fetchone()[0]

    def count(self, queryset) -> int:
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
        return self.conn.execute(f"SELECT count(*) FROM ({sql}) AS counted", params).fetchone()[0]

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
        self.error = None
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

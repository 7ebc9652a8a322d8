"""The plan's Python backend: a list's representation read with values(), as its serializer gives it.

A list page through its serializer builds a model instance for every row and every
prefetched related row and runs each through nested serializers: most of a page's time.
`ShapeRows` reads the same representation as plain dicts, following the serializer's plan
(partnerships/api/plan.py): the page's rows and their single-valued relations (a region
with its path, a brief related record) in one values() query with joins, and each list
(parties, citations, project types, aliases, a party's citations) in one values() query
per page, keyed back to its rows; on PostgreSQL these queries, which need only the page's
ids, go to the server in one round trip (read_by_ids). Each value comes out as its
serializer field's own `to_representation` gives it (called, or for the plan's plain kinds
of value, matched without the call). The same dicts give the CSV on SQLite and the xlsx,
cell by cell (partnerships/api/exports.py).

tests/api/test_lean.py renders every record of every resource both ways and requires
identical output, lists in order.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterator
from itertools import islice
from typing import Any, cast

from django.db import connections, router
from django.db.models import F, Lookup
from django.db.models.query import QuerySet
from rest_framework import serializers

from partnerships.api.plan import Brief, Choice, Key, Many, Node, Path, PlanUnsupported, Scalar, Shape

# Parents read per query for a list's items (bounds the size of `= ANY(array)` or IN (...)).
CHUNK_SIZE = 2000

Row = dict[str, Any]
Related = dict[str, dict]
Reader = Callable[[Row, Related], Any]


class InArray(Lookup):
    """`column = ANY(%s)` with one array parameter on PostgreSQL, where IN needs one per value."""

    lookup_name = "in_array"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} IN ({', '.join(['%s'] * len(self.rhs))})", [*params, *self.rhs]

    def as_postgresql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*params, list(self.rhs)]


def plain(node: Scalar, lookup: str) -> Reader:
    """Return the reader of a stored value: None stays None, anything else goes through the field."""
    represent = node.field.to_representation
    # The plain kinds give back what the database gives; skip the call for them.
    if node.kind == "text":
        return lambda row, related: value if type(value := row[lookup]) is str or value is None else represent(value)
    if node.kind in ("integer", "boolean"):
        return lambda row, related: value if (value := row[lookup]) is None or type(value) in (int, bool) else represent(value)
    if isinstance(node, Choice):
        # What ChoiceField.to_representation does for a string, without converting it to one.
        known = cast(serializers.ChoiceField, node.field).choice_strings_to_values
        return lambda row, related: (
            (known.get(value, value) if value else value) if type(value := row[lookup]) is str or value is None
            else represent(value)
        )
    if node.kind == "date":
        return lambda row, related: None if (value := row[lookup]) is None else (
            value.isoformat() if type(value) is datetime.date else represent(value)
        )
    return lambda row, related: None if (value := row[lookup]) is None else represent(value)


class ShapeRows:
    """How a plan's representation is read from values() rows of its model.

    `prefix` leads from the rows read to the model (a related record read by joins); only
    rows without one read lists, which need the rows' ids.
    """

    def __init__(self, shape: Shape, prefix: str = ""):
        self.shape, self.model, self.prefix = shape, shape.model, prefix
        self.lookups: list[str] = [prefix + "pk"]
        self.lists: dict[str, ListRows] = {}
        self.readers = [(node.name, self._reader(node)) for node in shape.nodes]
        # The rows of a page, by id (read_page); a related record's rows read no page.
        self.by_ids = None if prefix else ByIds(self.model, self._rows_queryset)

    def _lookup(self, lookup: str) -> str:
        if lookup not in self.lookups:
            self.lookups.append(lookup)
        return lookup

    def _reader(self, node: Node) -> Reader:
        if isinstance(node, Path):
            return self._path(node)
        if isinstance(node, Many):
            return self._many(node)
        if isinstance(node, Brief):
            inner = ShapeRows(node.shape, prefix=self.prefix + node.source + "__")
            for lookup in inner.lookups:
                self._lookup(lookup)
            # The column, not the relation's name: ordering by a relation's name sorts by the
            # related model's ordering, unless a selected value of that name stands in for it.
            present = self._lookup(self.prefix + node.attname)
            return lambda row, related: None if row[present] is None else inner.build(row, related)
        if isinstance(node, Key):
            column = self._lookup(self.prefix + node.attname)
            return lambda row, related: row[column]
        assert isinstance(node, Scalar)
        return plain(node, self._lookup(self.prefix + node.source))

    def _path(self, node: Path) -> Reader:
        """Read a region's path by joining its parents, the province first."""
        levels: list[tuple[str, ShapeRows]] = []
        for depth in range(node.depth):
            chain = self.prefix + f"{node.upward}__" * depth
            brief = ShapeRows(node.shape, prefix=chain)
            for lookup in brief.lookups:
                self._lookup(lookup)
            levels.insert(0, (chain + "pk", brief))
        return lambda row, related: [brief.build(row, related) for present, brief in levels if row[present] is not None]

    def _many(self, node: Many) -> Reader:
        if self.prefix:
            raise PlanUnsupported(node.name)
        self.lists[node.name] = ListRows(node)
        name = node.name
        if node.first is None:
            return lambda row, related: related[name].get(row["pk"], [])
        # An event's kind followed by its further kinds.
        first = plain(node.first, self._lookup(node.first.source))
        return lambda row, related: [first(row, related), *related[name].get(row["pk"], ())]

    def build(self, row: Row, related: Related) -> dict:
        return {name: read(row, related) for name, read in self.readers}

    def represent(self, rows: list[Row]) -> list[dict]:
        """Return the representations of values() rows read with self.lookups."""
        _, related = self._read_lists([row["pk"] for row in rows])
        return [self.build(row, related) for row in rows]

    def _read_lists(self, ids: list, *first: tuple["ByIds", list]) -> tuple[list[list[Row]], Related]:
        """Read every list's items for these records, together with the reads given first.

        Return the rows of those first reads, and each list's items by record id.
        """
        named = [(name, read) for name, many in self.lists.items() for read in many.reads(ids)]
        fetched = read_by_ids([*first, *(read for _, read in named)])
        chunks = defaultdict(list)
        for (name, _), rows in zip(named, fetched[len(first) :], strict=True):
            chunks[name].append(rows)
        return fetched[: len(first)], {name: many.items(chunks[name]) for name, many in self.lists.items()}

    def read(self, queryset: QuerySet) -> list[dict]:
        """Return the representation of every row of the queryset, in its order."""
        return self.represent(list(queryset.prefetch_related(None).values(*self.lookups)))

    def read_chunks(self, queryset: QuerySet, size: int) -> Iterator[list[dict]]:
        """Yield the representations of the queryset's rows, `size` rows at a time, streamed."""
        rows = queryset.prefetch_related(None).values(*self.lookups).iterator(chunk_size=size)
        while chunk := list(islice(rows, size)):
            yield self.represent(chunk)

    def read_page(self, queryset: QuerySet, offset: int, limit: int) -> list[dict]:
        """Return the representations of a slice of the queryset, its ids chosen first.

        The ids come from the filters and the order alone, then the rows with their joins
        are read by id: that second query is the same text for every page and filter, so
        PostgreSQL plans it once per connection (a prepared statement) where planning the
        page with its joins and filters in one statement cost more than running it.
        """
        ids = list(queryset.prefetch_related(None).values_list("pk", flat=True)[offset : offset + limit])
        if not ids:
            return []
        # The rows and their lists need only the ids: they are read together (read_by_ids).
        assert self.by_ids is not None
        (page,), related = self._read_lists(ids, (self.by_ids, ids))
        rows = {row["pk"]: row for row in page}
        # A record deleted between the two reads is left out.
        return [self.build(rows[pk], related) for pk in ids if pk in rows]

    def _rows_queryset(self, ids: list) -> QuerySet:
        return self.model._base_manager.filter(InArray(F("pk"), ids)).values(*self.lookups)


class ListRows:
    """A list on a record (reverse foreign key or many-to-many), read for many records at once, in its order."""

    def __init__(self, node: Many):
        self.node, self.back = node, node.back
        self.rows: ShapeRows | None = None
        self.value, self.represent = "", lambda value: value
        if node.shape is None:
            assert node.value is not None and node.item_field is not None
            self.lookups = [node.value]
            self.value, self.represent = node.value, node.item_field.to_representation
        else:
            self.rows = ShapeRows(node.shape)
            self.lookups = self.rows.lookups
        self.by_ids = ByIds(node.model, self._queryset)

    def reads(self, ids: list) -> list[tuple["ByIds", list]]:
        """Return the reads of the items of these records, CHUNK_SIZE records each."""
        return [(self.by_ids, ids[start : start + CHUNK_SIZE]) for start in range(0, len(ids), CHUNK_SIZE)]

    def items(self, chunks: list[list[Row]]) -> dict:
        """Return each record's items by its id, from the rows its reads fetched."""
        items = defaultdict(list)
        back = self.back
        for rows in chunks:
            if self.rows is None:
                value, represent = self.value, self.represent
                for row in rows:
                    items[row[back]].append(None if row[value] is None else represent(row[value]))
            else:
                for row, represented in zip(rows, self.rows.represent(rows), strict=True):
                    items[row[back]].append(represented)
        return items

    def _queryset(self, ids: list) -> QuerySet:
        model = self.node.model
        return (
            model._default_manager.filter(InArray(F(self.back), ids))
            .order_by(*self.node.ordering)
            .values(*self.lookups, self.back)
        )


class ByIds:
    """The rows of a values() query for a list of ids, read without building the query each time.

    On PostgreSQL the query is compiled once per database (CompiledValues); elsewhere, where
    each id is a parameter of its own, it is built for each list of ids.
    """

    def __init__(self, model, make_queryset):
        self.model, self.make_queryset = model, make_queryset
        self._compiled: dict[str, CompiledValues | None] = {}

    def compiled_for(self, database: str) -> "CompiledValues | None":
        if database not in self._compiled:
            compiled = None
            if connections[database].vendor == "postgresql":
                try:
                    compiled = CompiledValues(self.make_queryset, database)
                except PlanUnsupported:
                    pass  # the ids are not one parameter: the query is built for each list of ids
            self._compiled[database] = compiled
        return self._compiled[database]


class CompiledValues:
    """A values() query for a list of ids, compiled to SQL once and run again with other ids.

    A list page reads each of its lists with the same query but for the page's ids; on
    PostgreSQL the ids are one array parameter, so the SQL is the same text every time and
    building and compiling the query again (a millisecond each) can be skipped. The rows
    go through the compiler's own converters, as values() gives them.
    """

    # An id no record has, to find the ids' place among the compiled query's parameters.
    PROBE = [-7_777_777_777]

    def __init__(self, make_queryset, database: str):
        queryset = make_queryset(self.PROBE).using(database)
        self.compiler = queryset.query.get_compiler(using=database)
        self.sql, params = self.compiler.as_sql()
        self.params = list(params)
        places = [index for index, param in enumerate(self.params) if param == self.PROBE]
        if len(places) != 1:
            raise PlanUnsupported(f"{queryset.model.__name__}: the ids are not one parameter")
        self.place = places[0]
        query = queryset.query
        self.names = list(query.selected) if query.selected else [
            *query.extra_select, *query.values_select, *query.annotation_select
        ]

    def statement(self, ids: list) -> tuple[str, list]:
        params = list(self.params)
        params[self.place] = list(ids)
        return self.sql, params

    def convert(self, fetched: list[tuple]) -> list[dict]:
        """Return fetched rows as values() gives them: by name, through the compiler's converters."""
        names = self.names
        return [dict(zip(names, row, strict=True)) for row in self.compiler.results_iter(results=[fetched])]


def read_by_ids(reads: list[tuple[ByIds, list]]) -> list[list[dict]]:
    """Return the rows of each (ByIds, ids) read, in order.

    The reads compiled for PostgreSQL go to the server together (run_together): one round
    trip for a page's rows and every list on it instead of one each.
    """
    results: list = [None] * len(reads)
    together = defaultdict(list)
    for index, (by_ids, ids) in enumerate(reads):
        database = router.db_for_read(by_ids.model)
        compiled = by_ids.compiled_for(database)
        if compiled is None:
            results[index] = list(by_ids.make_queryset(ids).using(database))
        else:
            together[database].append((index, compiled, ids))
    for database, batch in together.items():
        fetched = run_together(connections[database], [compiled.statement(ids) for _, compiled, ids in batch])
        for (index, compiled, _), rows in zip(batch, fetched, strict=True):
            results[index] = compiled.convert(rows)
    return results


def run_together(connection, statements: list[tuple[str, list]]) -> list[list[tuple]]:
    """Run statements in one round trip (psycopg's pipeline mode) and return each one's rows.

    They are the by-id reads, whose best plan is the same for any ids: with prepared
    statements they run with PostgreSQL's generic plan. Left to choose, PostgreSQL keeps
    planning them for each call (0.5 ms a page's rows, more than running them), since a
    plan for the actual ids always looks cheaper than one for ids it does not know.
    plan_cache_mode is set for these statements only, in the same implicit transaction:
    a failure rolls the setting back with it, and the filters' own queries keep plans for
    their values. Each statement still goes through Django's cursor, so it is logged and
    counted as any other query.
    """
    connection.ensure_connection()
    raw = connection.connection
    generic = raw.prepare_threshold is not None
    cursors = []
    try:
        with connection.wrap_database_errors, raw.pipeline():
            if generic:
                raw.execute("SET plan_cache_mode = force_generic_plan")
            for sql, params in statements:
                cursor = connection.cursor()
                cursors.append(cursor)
                cursor.execute(sql, params)
            if generic:
                raw.execute("RESET plan_cache_mode")
        return [cursor.fetchall() for cursor in cursors]
    finally:
        for cursor in cursors:
            cursor.close()

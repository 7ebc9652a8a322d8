"""The lean read path: a list page's representation read with values(), compiled from its serializer.

A list page through its serializer builds a model instance for every row and every
prefetched related row and runs each through nested serializers: most of a page's time.
`Shape` reads the same representation as plain dicts: the page's rows and their
single-valued relations (a region with its path, a brief related record) in one values()
query with joins, and each list (parties, citations, project types, aliases, a party's
citations) in one values() query per page, keyed back to its rows; on PostgreSQL these
queries, which need only the page's ids, go to the server in one round trip
(read_by_ids). Each value comes out as its serializer field's own `to_representation`
gives it (called, or for plain strings, numbers, choices and ISO dates, matched without
the call).

The serializer stays the one definition: a Shape is compiled from its fields (their
sources and their brief serializers), and refuses (LeanUnsupported) a field it cannot
read this way; the view then uses the serializer. tests/api/test_lean.py renders every
record of every resource both ways and requires identical output.
"""

import datetime
from collections import defaultdict

from django.db import connections, router
from django.db.models import F
from django.db.models.fields.reverse_related import ForeignObjectRel
from rest_framework import ISO_8601, serializers
from rest_framework.settings import api_settings

from partnerships.api.exports import InArray, model_field_of, single_relation
from partnerships.api.serializers import RegionPathField, RelatedRecordField

# Parents read per query for a list's items (bounds the size of `= ANY(array)` or IN (...)).
CHUNK_SIZE = 2000


class LeanUnsupported(Exception):
    """A serializer field that a Shape cannot read without the serializer."""


def _model_field(model, source: str):
    return model_field_of(model, source, LeanUnsupported)


def _plain(field, lookup: str):
    """Return the reader of a plain value: None stays None, anything else goes through the field."""
    represent = field.to_representation
    # The common types give back what the database gives; skip the call for them.
    if type(field) in (serializers.CharField, serializers.SlugField, serializers.URLField, serializers.EmailField):
        return lambda row, related: value if type(value := row[lookup]) is str or value is None else represent(value)
    if type(field) in (serializers.IntegerField, serializers.BooleanField) or (
        # An id: a big integer, given as a number unless the settings coerce it to a string.
        type(field) is serializers.BigIntegerField
        and not getattr(field, "coerce_to_string", api_settings.COERCE_BIGINT_TO_STRING)
    ):
        return lambda row, related: value if (value := row[lookup]) is None or type(value) in (int, bool) else represent(value)
    if type(field) is serializers.ChoiceField:
        # What ChoiceField.to_representation does for a string, without converting it to one.
        known = field.choice_strings_to_values
        return lambda row, related: (
            (known.get(value, value) if value else value) if type(value := row[lookup]) is str or value is None
            else represent(value)
        )
    if type(field) is serializers.DateField and str(getattr(field, "format", api_settings.DATE_FORMAT)).lower() == ISO_8601:
        return lambda row, related: value.isoformat() if type(value := row[lookup]) is datetime.date else (
            None if value is None else represent(value)
        )
    return lambda row, related: None if (value := row[lookup]) is None else represent(value)


class Shape:
    """How a serializer's representation is read from values() rows of its model.

    `prefix` leads from the rows read to the model (a related record read by joins); only
    a Shape without one reads lists, which need the rows' ids.
    """

    def __init__(self, serializer: serializers.Serializer, model, prefix: str = ""):
        self.model, self.prefix = model, prefix
        self.lookups: list[str] = [prefix + "pk"]
        self.many: dict[str, Many] = {}
        self.readers = []
        for name, field in serializer.fields.items():
            if not field.write_only:
                self.readers.append((name, self._field(name, field)))
        # The rows of a page, by id (read_page); a related record's shape reads no page.
        self.by_ids = None if prefix else ByIds(model, self._rows_queryset)

    def _lookup(self, lookup: str) -> str:
        if lookup not in self.lookups:
            self.lookups.append(lookup)
        return lookup

    def _field(self, name: str, field):
        model = self.model
        if isinstance(field, RegionPathField):
            return self._path(field)
        if isinstance(field, serializers.ListField) and hasattr(field, "further"):
            # An event's kind followed by its further kinds.
            first = self._plain_lookup(field.first, field.child)
            further = self._many(name, field, field.further, values_of=field.item_field)
            represent = field.child.to_representation
            return lambda row, related: [
                first(row, related), *(None if value is None else represent(value) for value in further(row, related))
            ]
        if isinstance(field, serializers.ListField) and hasattr(field, "item_field"):
            return self._many(name, field, field.source, values_of=field.item_field)
        if isinstance(field, serializers.ManyRelatedField):
            return self._many(name, field, field.source, item=field.child_relation)
        if isinstance(field, serializers.ListSerializer):
            return self._many(name, field, field.source, item=field.child)
        if isinstance(field, (serializers.ListField, serializers.SerializerMethodField, serializers.HiddenField)):
            raise LeanUnsupported(name)
        model_field = _model_field(model, field.source)
        lookup = self.prefix + field.source
        if isinstance(field, (RelatedRecordField, serializers.Serializer)):
            if not single_relation(model_field):
                raise LeanUnsupported(name)
            brief = field.brief_serializer if isinstance(field, RelatedRecordField) else field
            inner = Shape(brief, model_field.related_model, prefix=lookup + "__")
            for inner_lookup in inner.lookups:
                self._lookup(inner_lookup)
            # The column, not the relation's name: ordering by a relation's name sorts by the
            # related model's ordering, unless a selected value of that name stands in for it.
            present = self._lookup(self.prefix + model_field.attname)
            return lambda row, related: None if row[present] is None else inner.build(row, related)
        if isinstance(field, serializers.PrimaryKeyRelatedField):
            column = self._lookup(self.prefix + model_field.attname)
            return lambda row, related: row[column]
        if model_field.is_relation or isinstance(field, serializers.RelatedField):
            raise LeanUnsupported(name)
        return self._plain_lookup(field.source, field)

    def _plain_lookup(self, source: str, field):
        _model_field(self.model, source)
        return _plain(field, self._lookup(self.prefix + source))

    def _path(self, field: RegionPathField):
        """Read a region's path by joining its parents, the province first."""
        levels = []
        for depth in range(field.depth):
            chain = self.prefix + f"{field.upward}__" * depth
            brief = Shape(field.brief(), self.model, prefix=chain)
            for lookup in brief.lookups:
                self._lookup(lookup)
            levels.insert(0, (chain + "pk", brief))
        return lambda row, related: [brief.build(row, related) for present, brief in levels if row[present] is not None]

    def _many(self, name: str, field, source: str, *, item=None, values_of: str | None = None):
        if self.prefix:
            raise LeanUnsupported(name)
        self.many[name] = Many(self.model, source, item=item, values_of=values_of)
        return lambda row, related: related[name].get(row["pk"], [])

    def build(self, row: dict, related: dict) -> dict:
        return {name: read(row, related) for name, read in self.readers}

    def represent(self, rows: list[dict]) -> list[dict]:
        """Return the representations of values() rows read with self.lookups."""
        _, related = self._read_lists([row["pk"] for row in rows])
        return [self.build(row, related) for row in rows]

    def _read_lists(self, ids: list, *first: tuple["ByIds", list]) -> tuple[list[list[dict]], dict]:
        """Read every list's items for these records, together with the reads given first.

        Return the rows of those first reads, and each list's items by record id.
        """
        named = [(name, read) for name, many in self.many.items() for read in many.reads(ids)]
        fetched = read_by_ids([*first, *(read for _, read in named)])
        chunks = defaultdict(list)
        for (name, _), rows in zip(named, fetched[len(first) :], strict=True):
            chunks[name].append(rows)
        return fetched[: len(first)], {name: many.items(chunks[name]) for name, many in self.many.items()}

    def read(self, queryset) -> list[dict]:
        """Return the representation of every row of the queryset, in its order."""
        return self.represent(list(queryset.prefetch_related(None).values(*self.lookups)))

    def read_page(self, queryset, offset: int, limit: int) -> list[dict]:
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
        (page,), related = self._read_lists(ids, (self.by_ids, ids))
        rows = {row["pk"]: row for row in page}
        # A record deleted between the two reads is left out.
        return [self.build(rows[pk], related) for pk in ids if pk in rows]

    def _rows_queryset(self, ids: list):
        return self.model._base_manager.filter(InArray(F("pk"), ids)).values(*self.lookups)


class Many:
    """A list on a record (reverse foreign key or many-to-many), read for many records at once."""

    def __init__(self, model, source: str, *, item=None, values_of: str | None = None):
        model_field = _model_field(model, source)
        if not (model_field.one_to_many or model_field.many_to_many):
            raise LeanUnsupported(source)
        self.model = model_field.related_model
        self.back = model_field.field.name if isinstance(model_field, ForeignObjectRel) else model_field.related_query_name()
        # The related model's own order within each record's items, as a prefetch gives them.
        self.ordering = [key for key in self.model._meta.ordering if key not in (self.back, f"{self.back}_id")]
        if values_of is not None:
            _model_field(self.model, values_of)
            self.shape = None
            self.lookups = [values_of]
            self.value = values_of
        else:
            brief = item.brief_serializer if isinstance(item, RelatedRecordField) else item
            if not isinstance(brief, serializers.Serializer):
                raise LeanUnsupported(source)
            self.shape = Shape(brief, self.model)
            self.lookups = self.shape.lookups
        if self.back in self.lookups:
            raise LeanUnsupported(source)
        self.by_ids = ByIds(self.model, self._queryset)

    def reads(self, ids: list) -> list[tuple["ByIds", list]]:
        """Return the reads of the items of these records, CHUNK_SIZE records each."""
        return [(self.by_ids, ids[start : start + CHUNK_SIZE]) for start in range(0, len(ids), CHUNK_SIZE)]

    def items(self, chunks: list[list[dict]]) -> dict:
        """Return each record's items by its id, from the rows its reads fetched."""
        items = defaultdict(list)
        back = self.back
        for rows in chunks:
            if self.shape is None:
                for row in rows:
                    items[row[back]].append(row[self.value])
            else:
                for row, represented in zip(rows, self.shape.represent(rows), strict=True):
                    items[row[back]].append(represented)
        return items

    def _queryset(self, ids: list):
        return (
            self.model._default_manager.filter(InArray(F(self.back), ids))
            .order_by(*self.ordering)
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
                except LeanUnsupported:
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
            raise LeanUnsupported(f"{queryset.model.__name__}: the ids are not one parameter")
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

"""A list as a table for CSV and spreadsheets: one column per readable field of its serializer.

The serializer is the one definition of the columns and of each cell, and there are two
ways to fill them. `serialized_rows` runs every record through the serializer: any field
works, at about a millisecond per agreement. `FlatTable` reads the same cells with values()
queries (one for the rows, streamed, and one per chunk of rows for each many-valued field,
including a list within a list's items, such as a party's citations)
without building a model instance or running a serializer per row; it is compiled from the
serializer's fields and refuses (ExportUnsupported) a field it cannot read flat, and the
export then takes the first way. tests/api/test_exports.py renders every resource both
ways and requires identical cells.

A cell shows a related record by its name, title or code (a region by its path), a list
as its items joined by "; ", a choice by its label in the user's language, a number as a
number; the writers neutralise text that a spreadsheet would run as a formula.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterator
from decimal import Decimal
from itertools import islice

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import F, Lookup
from django.db.models.fields.reverse_related import ForeignObjectRel
from django.utils.text import capfirst
from rest_framework import ISO_8601, serializers
from rest_framework.settings import api_settings

from partnerships.api.serializers import RelatedRecordField
from partnerships.models import Region

# Rows read per database round trip; related rows are read once per chunk.
EXPORT_CHUNK_SIZE = 2000
# Keys that name a nested record in a cell, in order of preference.
NAME_KEYS = ("name", "title", "code")

Cell = int | float | Decimal | str


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


class ExportUnsupported(Exception):
    """A serializer field that FlatTable cannot read without the serializer."""


def model_field_of(model, source: str, unsupported: type[Exception] = ExportUnsupported):
    """Return the model field a serializer field's source names; raise `unsupported` for anything else."""
    if "." in source or source == "*":
        raise unsupported(source)
    try:
        return model._meta.get_field(source)
    except FieldDoesNotExist as error:
        raise unsupported(source) from error


def single_relation(model_field) -> bool:
    """Whether a field leads to one related record that a row can join (a forward foreign key or one-to-one)."""
    return (model_field.many_to_one or model_field.one_to_one) and not model_field.auto_created


def columns(serializer: serializers.Serializer) -> list[tuple[str, serializers.Field, str]]:
    """Return (name, field, header) for each readable field, the header in the active language."""
    return [
        (name, field, capfirst(str(field.label or name)))
        for name, field in serializer.fields.items()
        if not field.write_only
    ]


def brief_of(field) -> serializers.Serializer:
    """Return the serializer that represents a related record's field."""
    return field.brief_serializer if isinstance(field, RelatedRecordField) else field


def flatten(value) -> str:
    """Return a represented value as one cell's text when its field is not known."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(flatten(item) for item in value)
    if isinstance(value, dict):
        return object_text(None, value)
    return str(value)


def object_text(brief: serializers.Serializer | None, value: dict) -> str:
    """Return a nested record as text: its region path, name, title or code, else its fields joined."""
    if "path" in value:
        return " / ".join(flatten(part) for part in value["path"])
    for key in NAME_KEYS:
        if key in value:
            return str(value[key])
    fields = brief.fields if brief is not None else {}
    texts = (str(value_cell(fields[key], item)) if key in fields else flatten(item) for key, item in value.items())
    return " ".join(text for text in texts if text)


def value_cell(field, value) -> Cell:
    """Return the cell of a value as the field represented it."""
    if value is None:
        return ""
    if isinstance(field, serializers.ManyRelatedField):
        return "; ".join(str(value_cell(field.child_relation, item)) for item in value)
    if isinstance(field, serializers.ListSerializer):
        return "; ".join(str(value_cell(field.child, item)) for item in value)
    if isinstance(value, dict):
        return object_text(brief_of(field) if isinstance(field, (RelatedRecordField, serializers.Serializer)) else None, value)
    if isinstance(field, serializers.ChoiceField):
        return str(field.choices.get(value, value))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, Decimal)):
        return value
    return flatten(value)


def plain_cell(field) -> Callable[[object], Cell]:
    """Return what gives a stored value's cell as value_cell(field, field.to_representation(value)) would.

    Built once per export, in the request's language: the common field types skip the
    generic path (a choice's label is looked up, not translated again for every row).
    """
    represent = field.to_representation
    if isinstance(field, serializers.ChoiceField):
        labels = {value: str(label) for value, label in field.choices.items()}
        return lambda value: labels[value] if value in labels else value_cell(field, represent(value))
    if type(field) in (serializers.CharField, serializers.URLField, serializers.EmailField, serializers.SlugField):
        return lambda value: value if type(value) is str else value_cell(field, represent(value))
    if type(field) is serializers.IntegerField:
        return lambda value: value if type(value) is int else value_cell(field, represent(value))
    if type(field) is serializers.DateField and getattr(field, "format", api_settings.DATE_FORMAT) == ISO_8601:
        return lambda value: value.isoformat() if type(value) is datetime.date else value_cell(field, represent(value))
    if type(field) is serializers.DateTimeField and getattr(field, "format", api_settings.DATETIME_FORMAT) == ISO_8601:
        # DRF's own steps for an aware datetime (DateTimeField.enforce_timezone, then ISO 8601 with
        # "Z" for UTC), with the time zone looked up once per export instead of once per cell.
        zone = field.timezone if hasattr(field, "timezone") else field.default_timezone()

        def datetime_cell(value):
            if type(value) is not datetime.datetime or value.tzinfo is None or zone is None:
                return value_cell(field, represent(value))
            text = value.astimezone(zone).isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text

        return datetime_cell
    return lambda value: value_cell(field, represent(value))


def serialized_rows(queryset, serializer) -> Iterator[list[Cell]]:
    """Yield each record's cells through the serializer, reading the queryset chunk by chunk."""
    cols = columns(serializer)
    for record in queryset.iterator(chunk_size=EXPORT_CHUNK_SIZE):
        representation = serializer.to_representation(record)
        yield [value_cell(field, representation.get(name)) for name, field, _ in cols]


Reader = Callable[[dict], Cell]
LIST_FIELDS = (serializers.ManyRelatedField, serializers.ListSerializer, serializers.ListField)


class FlatTable:
    """The cells of a serializer's columns read with values(), compiled once per export."""

    def __init__(self, serializer: serializers.Serializer, model: type[models.Model]):
        self.model = model
        self.lookups: list[str] = ["pk"]
        # name -> (related model, lookup back to the row, lookups of an item, reader of an item)
        self.many: dict[str, tuple] = {}
        self.readers: list[Callable[[dict, dict], Cell]] = []
        self._region_paths: dict | None = None
        # Lists within a list's items (a party's citations): read per chunk of items, keyed by the item.
        self._nested: dict[int, dict] = {}
        self._collecting: list | None = None
        for name, field, _ in columns(serializer):
            if isinstance(field, serializers.ListField) and hasattr(field, "further"):
                self.many[name] = self._many(field, model, source=field.further)
                lookup, first = field.first, field.child.to_representation
                self.lookups += [lookup] if lookup not in self.lookups else []
                self.readers.append(
                    lambda row, related, name=name, lookup=lookup, first=first: "; ".join(
                        [flatten(None if row[lookup] is None else first(row[lookup])), *map(str, related[name].get(row["pk"], ()))]
                    )
                )
            elif isinstance(field, LIST_FIELDS):
                self.many[name] = self._many(field, model)
                self.readers.append(lambda row, related, name=name: "; ".join(map(str, related[name].get(row["pk"], ()))))
            else:
                lookups, read = self._single(field, model, "")
                self.lookups += [lookup for lookup in lookups if lookup not in self.lookups]
                self.readers.append(lambda row, related, read=read: read(row))

    def rows(self, queryset) -> Iterator[list[Cell]]:
        """Yield the cells of every row of the queryset, in its order."""
        rows = queryset.prefetch_related(None).values(*self.lookups).iterator(chunk_size=EXPORT_CHUNK_SIZE)
        while chunk := list(islice(rows, EXPORT_CHUNK_SIZE)):
            ids = [row["pk"] for row in chunk]
            related = {name: self._read_many(spec, ids) for name, spec in self.many.items()}
            for row in chunk:
                yield [read(row, related) for read in self.readers]

    def _read_many(self, spec, ids) -> dict:
        related_model, back, lookups, read, nested = spec
        items = defaultdict(list)
        # The related model's own order within each row's items, as a prefetch gives them; the
        # rows themselves are grouped here, so ordering by them first would only cost a join.
        ordering = [key for key in related_model._meta.ordering if key not in (back, f"{back}_id")]
        related = related_model._default_manager.filter(InArray(F(back), ids)).order_by(*ordering)
        rows = list(related.values(back, *lookups))
        for key, nested_spec in nested:
            # A chunk's rows may have many items each; their ids go in chunks too, to bound a query's size.
            self._nested[key] = {}
            for start in range(0, len(rows), EXPORT_CHUNK_SIZE):
                item_ids = [row["pk"] for row in rows[start : start + EXPORT_CHUNK_SIZE]]
                self._nested[key].update(self._read_many(nested_spec, item_ids))
        for row in rows:
            items[row[back]].append(read(row))
        return items

    def _many(self, field, model, source: str | None = None) -> tuple:
        child = field.child_relation if isinstance(field, serializers.ManyRelatedField) else field.child
        model_field = self._model_field(model, source or field.source)
        if not (model_field.one_to_many or model_field.many_to_many):
            raise ExportUnsupported(field.field_name)
        related_model = model_field.related_model
        back = model_field.field.name if isinstance(model_field, ForeignObjectRel) else model_field.related_query_name()
        outer, self._collecting = self._collecting, []
        try:
            lookups, read = self._item(field, child, related_model)
            nested = self._collecting
        finally:
            self._collecting = outer
        if back in lookups:
            raise ExportUnsupported(field.field_name)
        return related_model, back, lookups, read, nested

    def _item(self, field, child, related_model) -> tuple[list[str], Reader]:
        if isinstance(field, serializers.ListField):
            # A list of plain values read off related records (NamesField: the aliases' names).
            item = getattr(field, "item_field", None)
            if item is None:
                raise ExportUnsupported(field.field_name)
            # A ListField's cell is its represented items as they are (flatten), not a choice's label.
            represent = child.to_representation
            return ["pk", item], lambda row: flatten(None if row[item] is None else represent(row[item]))
        if isinstance(child, serializers.SlugRelatedField):
            slug = child.slug_field
            lookups, read = [slug], lambda row: "" if row[slug] is None else str(row[slug])
        elif isinstance(child, (RelatedRecordField, serializers.Serializer)):
            lookups, read = self._object(brief_of(child), related_model, "", "pk")
        elif isinstance(child, serializers.PrimaryKeyRelatedField):
            lookups, read = ["pk"], lambda row: row["pk"]
        else:
            raise ExportUnsupported(field.field_name)
        return lookups, read

    def _single(self, field, model, prefix: str) -> tuple[list[str], Reader]:
        """Return the lookups a single-valued field needs and the reader of its cell."""
        if isinstance(field, LIST_FIELDS):
            raise ExportUnsupported(field.field_name)
        model_field = self._model_field(model, field.source)
        lookup = prefix + field.source
        if isinstance(field, (RelatedRecordField, serializers.Serializer)):
            if not single_relation(model_field):
                raise ExportUnsupported(field.field_name)
            # The column, not the relation's name: a selected value named like a relation would
            # stand in for it in the ordering of the related rows (by id instead of by name).
            return self._object(brief_of(field), model_field.related_model, lookup + "__", prefix + model_field.attname)
        if isinstance(field, serializers.PrimaryKeyRelatedField):
            return [lookup], lambda row: "" if row[lookup] is None else row[lookup]
        if model_field.is_relation or isinstance(field, (serializers.RelatedField, serializers.HiddenField)):
            raise ExportUnsupported(field.field_name)
        cell_of = plain_cell(field)
        return [lookup], lambda row: "" if row[lookup] is None else cell_of(row[lookup])

    def _object(self, brief, model, prefix: str, id_lookup: str) -> tuple[list[str], Reader]:
        """Return the lookups and reader of a related record shown as text (see object_text)."""
        fields = brief.fields
        if "path" in fields:
            if model is not Region:
                raise ExportUnsupported("path")
            return [id_lookup], lambda row: "" if row[id_lookup] is None else self.region_paths()[row[id_lookup]]
        for key in NAME_KEYS:
            if key in fields:
                lookups, read = self._single(fields[key], model, prefix)
                return [id_lookup, *lookups], lambda row, read=read: "" if row[id_lookup] is None else str(read(row))
        parts = [self._part(field, model, prefix, id_lookup) for field in fields.values() if not field.write_only]
        lookups = [id_lookup, *(lookup for part_lookups, _ in parts for lookup in part_lookups)]
        readers = [read for _, read in parts]

        def read(row):
            if row[id_lookup] is None:
                return ""
            return " ".join(text for text in (str(read_part(row)) for read_part in readers) if text)

        return lookups, read

    def _part(self, field, model, prefix: str, id_lookup: str) -> tuple[list[str], Reader]:
        """Return a nested record's field; a list there only within a list's item, whose ids are known per chunk."""
        if not isinstance(field, LIST_FIELDS):
            return self._single(field, model, prefix)
        if self._collecting is None or prefix or id_lookup != "pk":
            raise ExportUnsupported(field.field_name)
        key = len(self._nested)
        self._nested[key] = {}
        self._collecting.append((key, self._many(field, model)))
        return ["pk"], lambda row: "; ".join(map(str, self._nested[key].get(row["pk"], ())))

    def region_paths(self) -> dict[int, str]:
        """Return every region's path from the province down, read once per export."""
        if self._region_paths is None:
            self._region_paths = {
                region.pk: " / ".join(part.name for part in [*region.ancestors(), region])
                for region in Region.objects.select_related("parent__parent")
            }
        return self._region_paths

    @staticmethod
    def _model_field(model, source: str):
        return model_field_of(model, source)


def table_rows(queryset, serializer) -> Iterator[list[Cell]]:
    """Yield the cells of every record: read flat when the serializer allows, through it otherwise."""
    try:
        table = FlatTable(serializer, queryset.model)
    except ExportUnsupported:
        return serialized_rows(queryset, serializer)
    return table.rows(queryset)

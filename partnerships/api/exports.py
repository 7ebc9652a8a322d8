"""A list as a table for CSV and spreadsheets: one column per readable field of its serializer.

The serializer is the one definition of the columns and of each cell. The cells come from
its representation: read with values() by the plan's Python backend (partnerships/api/plan.py,
partnerships/api/lean.py `ShapeRows`: one streamed query for the rows and one per chunk of
rows for each list, no model instance and no serializer per row) wherever the plan reads
every field, else by running each record through the serializer (`serialized_rows`).
tests/api/test_exports.py renders every resource both ways and requires identical cells.

A cell shows a related record by its name, title or code (a region by its path), a list
as its items joined by "; ", a choice by its label in the user's language, a number as a
number; the writers neutralise text that a spreadsheet would run as a formula.
"""

from collections.abc import Iterator
from decimal import Decimal

from django.utils.text import capfirst
from rest_framework import serializers

from partnerships.api.lean import ShapeRows
from partnerships.api.plan import PlanUnsupported, brief_of, shape_of
from partnerships.api.serializers import RelatedRecordField

# Rows read per database round trip; related rows are read once per chunk.
EXPORT_CHUNK_SIZE = 2000
# Keys that name a nested record in a cell, in order of preference.
NAME_KEYS = ("name", "title", "code")

Cell = int | float | Decimal | str


def columns(serializer: serializers.Serializer) -> list[tuple[str, serializers.Field, str]]:
    """Return (name, field, header) for each readable field, the header in the active language."""
    return [
        (name, field, capfirst(str(field.label or name)))
        for name, field in serializer.fields.items()
        if not field.write_only
    ]


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


def serialized_rows(queryset, serializer) -> Iterator[list[Cell]]:
    """Yield each record's cells through the serializer, reading the queryset chunk by chunk."""
    cols = columns(serializer)
    for record in queryset.iterator(chunk_size=EXPORT_CHUNK_SIZE):
        representation = serializer.to_representation(record)
        yield [value_cell(field, representation.get(name)) for name, field, _ in cols]


def table_rows(queryset, serializer) -> Iterator[list[Cell]]:
    """Yield the cells of every record: read by the plan when it reads every field, through the serializer otherwise."""
    try:
        rows = ShapeRows(shape_of(type(serializer), queryset.model))
    except PlanUnsupported:
        return serialized_rows(queryset, serializer)
    return plan_rows(queryset, serializer, rows)


def plan_rows(queryset, serializer, rows: ShapeRows) -> Iterator[list[Cell]]:
    """Yield the cells of each record from the plan's dicts, as serialized_rows gives them."""
    cols = columns(serializer)
    for chunk in rows.read_chunks(queryset, EXPORT_CHUNK_SIZE):
        for representation in chunk:
            yield [value_cell(field, representation[name]) for name, field, _ in cols]

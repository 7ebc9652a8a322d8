"""One read plan per serializer: what each field of a record's output reads, compiled once.

A serializer says what a record looks like; `Shape` is that, compiled from its fields into a
few kinds of node the readers understand: a stored value (`Scalar`, with its kind: text,
integer, date...), a choice (`Choice`), a related record's id (`Key`), a related record's
brief object (`Brief`, read by joins), a region's path (`Path`, its parents joined), and a
list (`Many`: its model, the relation back to the record and the items' order). A field no
node can read (a `SerializerMethodField`, a dotted source) makes the compile fail
(PlanUnsupported), and the list falls back to the serializer.

Every reader of a list follows the same plan:
- the viewsets' querysets (select_related and prefetches, `Shape.queryset`), for the
  serializer itself (detail pages, writes);
- the Python backend (`partnerships/api/lean.py`, `ShapeRows`): values() rows to the
  serializer's own dicts, for list pages and, cell by cell, the CSV on SQLite and the xlsx;
- the SQL backend (`partnerships/api/copy_export.py`, `CopyTable`): each cell an SQL
  expression, for the CSV that PostgreSQL writes with COPY.

A list's items come in its model's ordering on every path, followed by id where the fields it
sorts by are not declared unique together: no two readers can order tied items differently.
"""

from dataclasses import dataclass
from dataclasses import field as dataclass_field

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Prefetch, QuerySet
from django.db.models.fields.reverse_related import ForeignObjectRel
from rest_framework import ISO_8601, serializers
from rest_framework.settings import api_settings

from partnerships.api.serializers import RegionPathField, RelatedRecordField

__all__ = ["Brief", "Choice", "Key", "Many", "Path", "PlanUnsupported", "Scalar", "Shape", "shape_of"]

TEXT_FIELDS = (serializers.CharField, serializers.SlugField, serializers.URLField, serializers.EmailField)


class PlanUnsupported(Exception):
    """A serializer field that a plan cannot read without the serializer."""


@dataclass(eq=False)
class Node:
    """One readable field of a serializer: its name in the output and the field that represents it."""

    name: str
    field: serializers.Field


@dataclass(eq=False)
class Scalar(Node):
    """A stored value, represented by its field.

    kind: "text", "integer", "boolean", "date" or "datetime" (ISO 8601), "decimal" (as
    stored, as text) for what the readers can give without the field, else "other".
    """

    source: str
    kind: str


@dataclass(eq=False)
class Choice(Scalar):
    """A stored choice: its value in JSON, its label in a cell."""


@dataclass(eq=False)
class Key(Node):
    """A related record's id (a PrimaryKeyRelatedField), read from the record's own column."""

    attname: str


@dataclass(eq=False)
class Brief(Node):
    """A related record as its brief serializer gives it, read by joins; null when there is none."""

    source: str
    attname: str
    shape: "Shape"


@dataclass(eq=False)
class Path(Node):
    """A region's path from the province down: `upward` followed up to `depth` regions."""

    upward: str
    depth: int
    shape: "Shape"


@dataclass(eq=False)
class Many(Node):
    """A list on a record (reverse foreign key or many-to-many), in its model's order (then by id, if it can tie).

    Its items are brief objects (`shape`) or one value each (`value`, represented by `item_field`);
    `first`, when given, is a value of the record itself that comes before them (an event's kinds).
    """

    source: str
    model: type[models.Model]
    back: str
    ordering: list
    shape: "Shape | None" = None
    value: str | None = None
    item_field: serializers.Field | None = None
    first: Scalar | None = None

    def items(self) -> QuerySet:
        """Return the list's items in its order, with what its shape reads joined and prefetched."""
        items = self.model._default_manager.order_by(*self.ordering)
        return items if self.shape is None else self.shape.queryset(items)


@dataclass(eq=False)
class Shape:
    """The compiled plan of a serializer on a model: its readable fields, in order."""

    model: type[models.Model]
    nodes: list[Node] = dataclass_field(default_factory=list)

    def select_related(self, prefix: str = "") -> list[str]:
        """Return the single relations a serializer reading this shape follows (for select_related)."""
        related = []
        for node in self.nodes:
            if isinstance(node, Brief):
                inner = node.shape.select_related(prefix + node.source + "__")
                related += inner or [prefix + node.source]
            elif isinstance(node, Path) and node.depth > 1:
                related.append(prefix + "__".join([node.upward] * (node.depth - 1)))
        return related

    def unread(self, prefix: str = "") -> list[str]:
        """Return the related records' stored values no brief shows (deferred: a source's full text)."""
        unread = []
        for node in self.nodes:
            if isinstance(node, Brief):
                shown = {inner.source for inner in node.shape.nodes if isinstance(inner, Scalar)}
                model = node.shape.model
                unread += [
                    f"{prefix}{node.source}__{column.name}" for column in model._meta.concrete_fields
                    if not column.is_relation and not column.primary_key and column.name not in shown
                ]
                unread += node.shape.unread(prefix + node.source + "__")
        return unread

    def prefetches(self) -> list[Prefetch]:
        """Return a Prefetch per list, its items read as the list's shape needs them, in its order."""
        return [Prefetch(node.source, queryset=node.items()) for node in self.nodes if isinstance(node, Many)]

    def queryset(self, queryset: QuerySet) -> QuerySet:
        """Return the queryset with what a serializer reading this shape needs joined and prefetched."""
        related = self.select_related()
        if related:
            queryset = queryset.select_related(*related)
        unread = self.unread()
        if unread:
            queryset = queryset.defer(*unread)
        prefetches = self.prefetches()
        return queryset.prefetch_related(*prefetches) if prefetches else queryset


def model_field_of(model, source: str):
    """Return the model field a serializer field's source names; refuse anything else."""
    if "." in source or source == "*":
        raise PlanUnsupported(source)
    try:
        return model._meta.get_field(source)
    except FieldDoesNotExist as error:
        raise PlanUnsupported(source) from error


def single_relation(model_field) -> bool:
    """Whether a field leads to one related record that a row can join (a forward foreign key or one-to-one)."""
    return (model_field.many_to_one or model_field.one_to_one) and not model_field.auto_created


def brief_of(field) -> serializers.Serializer:
    """Return the serializer that represents a related record's field."""
    return field.brief_serializer if isinstance(field, RelatedRecordField) else field


def scalar_kind(field) -> str:
    """Return what a readers may give for a stored value without calling the field (see Scalar)."""
    kind = type(field)
    if kind in TEXT_FIELDS:
        return "text"
    if kind is serializers.IntegerField or (
        kind is serializers.BigIntegerField and not getattr(field, "coerce_to_string", api_settings.COERCE_BIGINT_TO_STRING)
    ):
        return "integer"
    if kind is serializers.BooleanField:
        return "boolean"
    if kind is serializers.DateField and str(getattr(field, "format", api_settings.DATE_FORMAT)).lower() == ISO_8601:
        return "date"
    if kind is serializers.DateTimeField and str(getattr(field, "format", api_settings.DATETIME_FORMAT)).lower() == ISO_8601:
        return "datetime"
    return "other"


def decimal_kind(field, model_field) -> str:
    """Return "decimal" when the stored decimal's text is what the field gives, else "other"."""
    exact = (
        type(field) is serializers.DecimalField
        and isinstance(model_field, models.DecimalField)
        and getattr(field, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING)
        and field.decimal_places == model_field.decimal_places
        and not getattr(field, "normalize_output", False)
        and not field.localize
    )
    return "decimal" if exact else "other"


def scalar(name: str, field, model, source: str) -> Scalar:
    model_field = model_field_of(model, source)
    if type(field) is serializers.ChoiceField:
        return Choice(name, field, source, "choice")
    kind = decimal_kind(field, model_field) if type(field) is serializers.DecimalField else scalar_kind(field)
    return Scalar(name, field, source, kind)


def compile_shape(serializer: serializers.Serializer, model) -> Shape:
    """Return the plan of a serializer's readable fields on a model; refuse a field it cannot read."""
    shape = Shape(model)
    for name, field in serializer.fields.items():
        if not field.write_only:
            shape.nodes.append(compile_field(name, field, model))
    return shape


def source_of(field) -> str:
    """Return the attribute a bound serializer field reads."""
    assert field.source is not None, "a bound field has its source"
    return field.source


def compile_field(name: str, field, model) -> Node:
    if isinstance(field, RegionPathField):
        return Path(name, field, field.upward, field.depth, compile_shape(field.brief(), model))
    if isinstance(field, serializers.ListField):
        return compile_values(name, field, model)
    if isinstance(field, serializers.ManyRelatedField):
        return compile_many(name, field, model, source_of(field), item=field.child_relation)
    if isinstance(field, serializers.ListSerializer):
        return compile_many(name, field, model, source_of(field), item=field.child)
    if isinstance(field, (serializers.SerializerMethodField, serializers.HiddenField)):
        raise PlanUnsupported(name)
    source = source_of(field)
    model_field = model_field_of(model, source)
    if isinstance(field, (RelatedRecordField, serializers.Serializer)):
        if not single_relation(model_field):
            raise PlanUnsupported(name)
        inner = compile_shape(brief_of(field), model_field.related_model)
        return Brief(name, field, source, model_field.attname, inner)
    if isinstance(field, serializers.PrimaryKeyRelatedField):
        return Key(name, field, model_field.attname)
    if model_field.is_relation or isinstance(field, serializers.RelatedField):
        raise PlanUnsupported(name)
    return scalar(name, field, model, source)


def compile_values(name: str, field, model) -> Many:
    """Return a list of values read off related records (NamesField), after a first one (FirstAndFurtherField)."""
    item_field = getattr(field, "item_field", None)
    if item_field is None:
        raise PlanUnsupported(name)
    if hasattr(field, "further"):
        first = scalar(name, field.child, model, field.first)
        return compile_many(name, field, model, field.further, value=item_field, item_field=field.child, first=first)
    return compile_many(name, field, model, source_of(field), value=item_field, item_field=field.child)


def compile_many(name: str, field, model, source: str, *, item=None, value=None, item_field=None, first=None) -> Many:
    model_field = model_field_of(model, source)
    if not (model_field.one_to_many or model_field.many_to_many):
        raise PlanUnsupported(source)
    related_model = model_field.related_model
    back = model_field.field.name if isinstance(model_field, ForeignObjectRel) else model_field.related_query_name()
    many = Many(name, field, source, related_model, back, list_ordering(related_model, back), first=first)
    if value is not None:
        model_field_of(related_model, value)
        many.value, many.item_field = value, item_field
    else:
        brief = brief_of(item)
        if not isinstance(brief, serializers.Serializer):
            raise PlanUnsupported(source)
        many.shape = compile_shape(brief, related_model)
        if any(getattr(node, "source", None) == back for node in many.shape.nodes):
            raise PlanUnsupported(source)
    return many


def list_ordering(model, back: str) -> list:
    """Return the order of a record's items: their model's ordering (less the record itself), then id where it can tie."""
    ordering = [key for key in model._meta.ordering if key not in (back, f"{back}_id")]
    if not total_order(model, ordering, {back}):
        ordering.append(model._meta.pk.name)
    return ordering


def total_order(model, ordering: list, given: set[str]) -> bool:
    """Whether no two of the model's rows that share `given` fields can tie on the ordering (a unique set is sorted by)."""
    sorted_by = set(given)
    for key in ordering:
        name = key.lstrip("-") if isinstance(key, str) else None
        if name in ("pk", model._meta.pk.name):
            return True
        if name is None:
            continue
        model_field = model_field_of(model, name)
        # A relation sorts by its model's ordering: it tells rows apart only if that ordering does.
        if not model_field.is_relation or total_order(model_field.related_model, model_field.related_model._meta.ordering, set()):
            sorted_by.add(name)
    return any(set(fields) <= sorted_by for fields in unique_sets(model))


def unique_sets(model) -> list[tuple[str, ...]]:
    """Return the sets of fields the model declares unique together (a unique field alone included)."""
    sets: list[tuple[str, ...]] = [(field.name,) for field in model._meta.concrete_fields if field.unique]
    sets += [tuple(fields) for fields in model._meta.unique_together]
    sets += [
        tuple(constraint.fields) for constraint in model._meta.constraints
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields and constraint.condition is None
    ]
    return sets


# Each serializer class's plan on its model, compiled once per process.
SHAPES: dict[tuple[type, type], Shape] = {}


def shape_of(serializer_class: type[serializers.BaseSerializer], model: type[models.Model]) -> Shape:
    """Return a serializer class's plan on a model, compiled once (PlanUnsupported if it has none)."""
    key = (serializer_class, model)
    if key not in SHAPES:
        serializer = serializer_class(context={})
        assert isinstance(serializer, serializers.Serializer), "a record's serializer has fields"
        SHAPES[key] = compile_shape(serializer, model)
    return SHAPES[key]

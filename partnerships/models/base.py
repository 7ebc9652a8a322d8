"""What every partnership model shares: timestamps, notes, natural keys, citations."""

import operator
from dataclasses import dataclass
from typing import Any

from concurrency.fields import AutoIncVersionField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import OrderBy, Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partnerships.choices import DateBasisChoices, DatePrecisionChoices
from partnerships.dates import date_bounds_errors
from partnerships.text import to_simplified


class NaturalKeyQuerySet(models.QuerySet):
    """Look rows up by the fields their model names in NATURAL_KEY."""

    def get_by_natural_key(self, *key):
        return self.get(**dict(zip(self.model.NATURAL_KEY, key, strict=True)))


class NaturalKeyMixin:
    """Give fixtures a stable key instead of a primary key.

    NATURAL_KEY lists lookup paths ("name", "institution__name"); natural_key()
    follows the same paths, so the two never disagree.
    """

    NATURAL_KEY: tuple[str, ...] = ()

    def natural_key(self):
        return tuple(_follow(self, path) for path in self.NATURAL_KEY)


def _follow(obj, path: str):
    for attribute in path.split("__"):
        if obj is None:
            return None
        obj = operator.attrgetter(attribute)(obj)
    return obj


class NullsOrderedIndex(models.Index):
    """An index in an order that places NULLs (NULLS LAST), the order the lists use on PostgreSQL.

    SQLite cannot place NULLs in an index: there it gets the same columns in the plain order.
    """

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor != "sqlite":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        plain = self.clone()
        plain.expressions = tuple(
            OrderBy(expression.expression, descending=expression.descending) if isinstance(expression, OrderBy) else expression
            for expression in self.expressions
        )
        return super(NullsOrderedIndex, plain).create_sql(model, schema_editor, using=using, **kwargs)


class TrackedModel(models.Model):
    """Timestamps, free-text notes and an edit version carried by every tracked record.

    `version` goes up by one on every save, and a save of a stale copy fails instead of
    overwriting a newer one (django-concurrency's conditional UPDATE … WHERE version = n,
    raising RecordModifiedError). A loaded record writes back only the fields that changed
    since it was read, so two editors changing different fields both keep their change.
    """

    notes = models.TextField(_("notes"), blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    last_updated = models.DateTimeField(_("last updated"), auto_now=True)
    version = AutoIncVersionField(verbose_name=_("version"), help_text=_("Goes up by one with every change."))

    # Written on every save, whatever else changed.
    ALWAYS_SAVED = ("last_updated", "version")

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        record = super().from_db(db, field_names, values)
        # field_names are the attnames of the columns read (deferred ones are left out).
        record._loaded_values = dict(zip(field_names, values, strict=True))
        return record

    def changed_fields(self) -> list[str]:
        """Return the names of the fields whose value differs from the one read from the database."""
        loaded = getattr(self, "_loaded_values", None)
        if loaded is None:
            return [field.name for field in self._meta.concrete_fields if not field.primary_key]
        return [
            field.name
            for field in self._meta.concrete_fields
            if field.attname in loaded and getattr(self, field.attname) != loaded[field.attname]
        ]

    def save(self, *args, **kwargs):
        if kwargs.get("update_fields") is None and not self._state.adding and hasattr(self, "_loaded_values"):
            kwargs["update_fields"] = {*self.changed_fields(), *self.ALWAYS_SAVED}
        elif kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], *self.ALWAYS_SAVED}
        version = self.version
        try:
            super().save(*args, **kwargs)
        except Exception:
            # django-concurrency bumps the version before writing; a failed write must not keep it.
            self.version = version
            raise
        self._loaded_values = {field.attname: getattr(self, field.attname) for field in self._meta.concrete_fields}


class DateSpanModel(models.Model):
    """A start and an end date, the end never before the start."""

    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date"))
                | Q(end_date__isnull=True)
                | Q(start_date__isnull=True),
                name="%(app_label)s_%(class)s_ends_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]


@dataclass(frozen=True)
class DateAsWritten:
    """One date of a record as a source writes it: the text, its bounds, their precision and basis.

    Every dated record declares one per date, names its five fields, takes the fields from
    fields() (or keeps its own older ones) and the rules from constraints() and clean(), so
    the same date rules hold everywhere.
    """

    rule: str
    earliest: str
    latest: str
    precision: str
    text: str
    basis: str

    def fields(self, label) -> tuple[models.Field, ...]:
        """Return the earliest, latest, precision, text and basis fields, in that order."""
        return (
            models.DateField(format_lazy(_("{date}: on or after"), date=label), null=True, blank=True),
            models.DateField(
                format_lazy(_("{date}: on or before"), date=label),
                null=True,
                blank=True,
                help_text=_("The same day as the earliest bound when exact."),
            ),
            self.precision_field(label),
            *self.written_fields(label),
        )

    def precision_field(self, label, default=DatePrecisionChoices.UNKNOWN) -> models.CharField:
        return models.CharField(
            format_lazy(_("{date}: precision"), date=label), max_length=16, choices=DatePrecisionChoices, default=default
        )

    def written_fields(self, label) -> tuple[models.Field, models.Field]:
        """Return the text and basis fields: what the source writes, and what the bounds follow from."""
        return (
            models.CharField(
                format_lazy(_("{date} as written"), date=label),
                max_length=200,
                blank=True,
                help_text=_("Copied from the source, e.g. 9月3日, 2022年-2024年, 近日."),
            ),
            models.CharField(
                format_lazy(_("{date}: bounds follow from"), date=label),
                max_length=16,
                choices=DateBasisChoices,
                blank=True,
                help_text=_("The text, the URL, the publication date or an editor."),
            ),
        )

    def constraints(self, *, ordered: bool = True) -> list[models.CheckConstraint]:
        """Return the rules the database can hold: ordered bounds, none when unknown, one day when exact.

        ordered=False leaves out the ordering rule for a model whose base class holds it already.
        """
        earliest, latest, precision = self.earliest, self.latest, self.precision
        P = DatePrecisionChoices
        return [
            *[models.CheckConstraint(
                condition=Q(**{f"{latest}__gte": models.F(earliest)})
                | Q(**{f"{latest}__isnull": True})
                | Q(**{f"{earliest}__isnull": True}),
                name=f"%(app_label)s_%(class)s_{self.rule}_bounds_ordered",
                violation_error_message=_("The latest bound cannot be before the earliest."),
            )][:1 if ordered else 0],
            models.CheckConstraint(
                condition=Q(**{precision: P.UNKNOWN, f"{earliest}__isnull": True, f"{latest}__isnull": True})
                | (~Q(**{precision: P.UNKNOWN}) & Q(**{f"{earliest}__isnull": False, f"{latest}__isnull": False})),
                name=f"%(app_label)s_%(class)s_{self.rule}_bounds_match_precision",
                violation_error_message=_("Give both bounds when the precision is known, and neither when it is unknown."),
            ),
            models.CheckConstraint(
                condition=~Q(**{precision: P.DAY}) | Q(**{earliest: models.F(latest)}),
                name=f"%(app_label)s_%(class)s_{self.rule}_exact_day_single_date",
                violation_error_message=_("A date exact to the day has equal earliest and latest bounds."),
            ),
        ]

    def clean(self, record) -> None:
        """Refuse bounds that do not match their precision, naming the field to correct."""
        errors = date_bounds_errors(
            getattr(record, self.earliest), getattr(record, self.latest), getattr(record, self.precision)
        )
        if errors:
            raise ValidationError({getattr(self, bound): message for bound, message in errors.items()})


class DatedModel(models.Model):
    """A record with dates as written: DATES lists them, clean() holds each to its rules."""

    DATES: tuple[DateAsWritten, ...] = ()

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        errors = {}
        for date in self.DATES:
            try:
                date.clean(self)
            except ValidationError as error:
                errors.update(error.error_dict)
        if errors:
            raise ValidationError(errors)


class DerivedFieldsMixin:
    """Report a derived column's errors on the field it is derived from, which is the one staff type.

    DERIVED_FROM maps derived field to source field; derive() fills them, on clean and on save.
    """

    DERIVED_FROM: dict[str, str] = {}

    def derive(self) -> None:
        raise NotImplementedError

    def clean(self):
        self.derive()
        super().clean()

    def save(self, *args, **kwargs):
        self.derive()
        super().save(*args, **kwargs)

    def validate_constraints(self, exclude=None):
        exclude = set(exclude or ())
        exclude |= {derived for derived, source in self.DERIVED_FROM.items() if source in exclude}
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            raise ValidationError(
                {self.DERIVED_FROM.get(name, name): errors for name, errors in error.error_dict.items()}
            ) from error


class FoldedNameMixin(DerivedFieldsMixin):
    """Keep `name_folded`, the name in simplified script, so names compare across scripts."""

    DERIVED_FROM = {"name_folded": "name"}

    def derive(self) -> None:
        self.name_folded = to_simplified(self.name)


class Citation(NaturalKeyMixin, models.Model):
    """A verbatim quote from a source document that a record rests on."""

    source = models.ForeignKey(
        "partnerships.SourceDocument",
        on_delete=models.PROTECT,
        related_name="%(class)ss",
        verbose_name=_("source document"),
    )
    quote = models.TextField(_("quote"), help_text=_("Copied verbatim from the source text."))
    position = models.PositiveIntegerField(
        _("position"),
        blank=True,
        help_text=_("Character offset of the quote in the source text; found automatically when left empty."),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    # The cited record: a foreign key that citation_model() adds for each kind of record.
    record: Any
    record_id: int | None

    objects = NaturalKeyQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["source", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["record", "source", "position"],
                name="%(app_label)s_%(class)s_unique_quote",
                violation_error_message=_("This record already cites this passage."),
            ),
            models.CheckConstraint(
                condition=~Q(quote=""),
                name="%(app_label)s_%(class)s_quote_not_empty",
                violation_error_message=_("A citation needs a quote."),
            ),
        ]

    def __str__(self):
        quote = self.quote if len(self.quote) <= 40 else f"{self.quote[:40]}…"
        return f"{self.source}: “{quote}”"

    def clean(self):
        super().clean()
        if not self.source_id or not self.quote:
            return
        text = self.source.text
        if self.position is None:
            found = text.find(self.quote)
            if found < 0:
                raise ValidationError({"quote": _("The quote does not occur verbatim in the source text.")})
            self.position = found
        elif text[self.position : self.position + len(self.quote)] != self.quote:
            raise ValidationError(
                {"quote": _("The quote does not occur verbatim at position %(position)s of the source text.")
                 % {"position": self.position}}
            )


def citation_model(record_model: type[models.Model], verbose_name, verbose_name_plural):
    """Return the concrete citation model for one kind of record.

    One table per record kind keeps every link a real foreign key, so fixtures
    name the record by its natural key and "cited by source X" is a plain join.
    """
    name = f"{record_model.__name__}Citation"
    # The record's own key, then which passage: what the unique constraint says a citation is.
    natural_key = (*(f"record__{path}" for path in record_model.NATURAL_KEY), "source__key", "position")
    meta = type("Meta", (Citation.Meta,), {"verbose_name": verbose_name, "verbose_name_plural": verbose_name_plural})
    return type(
        name,
        (Citation,),
        {
            "__module__": record_model.__module__,
            "__qualname__": name,
            "record": models.ForeignKey(
                record_model,
                on_delete=models.CASCADE,
                related_name="citations",
                verbose_name=record_model._meta.verbose_name,
            ),
            "history": HistoricalRecords(),
            "NATURAL_KEY": natural_key,
            "Meta": meta,
        },
    )


def citation_table(model: type[models.Model]) -> Any:
    """Return the citation table that citation_model() made for a kind of record.

    Typed Any: the table is made at run time, with a `record` foreign key no type checker sees.
    """
    table = model._meta.get_field("citations").related_model
    assert isinstance(table, type) and issubclass(table, Citation), f"{model.__name__} carries no citations"
    return table


def citations_of(record: models.Model) -> models.QuerySet[Citation]:
    """Return a record's citations."""
    return citation_table(type(record)).objects.filter(record=record)


def change_reason_set(record: models.Model, reason: str) -> None:
    """Give the history row that the record's next save writes a reason (django-simple-history reads it)."""
    record._change_reason = reason  # type: ignore[attr-defined]

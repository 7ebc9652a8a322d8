"""What every partnership model shares: timestamps, notes, natural keys, citations."""

import operator

from concurrency.fields import AutoIncVersionField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


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

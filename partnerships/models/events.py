from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partnerships.choices import DatePrecisionChoices, EventKindChoices, EventParticipantRoleChoices

from .agreements import new_reference
from .base import (
    DateAsWritten,
    DatedModel,
    DateSpanModel,
    NaturalKeyMixin,
    NaturalKeyQuerySet,
    TrackedModel,
    citation_model,
)

# The start and end dates bound when an event took place (DateSpanModel keeps them ordered).
EVENT_DATE = DateAsWritten("date", "start_date", "end_date", "date_precision", "date_text", "date_basis")


class Event(NaturalKeyMixin, DatedModel, DateSpanModel, TrackedModel):
    """A visit, meeting, signing ceremony, conference, founding or policy document."""

    reference = models.CharField(
        _("reference"), max_length=64, unique=True, default=new_reference, help_text=_("Stable identifier used by fixtures and reports.")
    )
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(
        _("kind"), max_length=32, choices=EventKindChoices, help_text=_("The first of its kinds; further kinds are listed with it.")
    )
    date_precision = models.CharField(
        _("date precision"),
        max_length=16,
        choices=DatePrecisionChoices,
        default=DatePrecisionChoices.UNKNOWN,
        help_text=_("How exactly the sources date the event; the start and end dates bound it."),
    )
    date_text, date_basis = EVENT_DATE.written_fields(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    region = models.ForeignKey(
        "partnerships.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="events", verbose_name=_("region")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="parts",
        verbose_name=_("part of"),
        help_text=_("The larger event this one belongs to, e.g. the visit a meeting was part of."),
    )

    history = HistoricalRecords()
    objects = NaturalKeyQuerySet.as_manager()

    NATURAL_KEY = ("reference",)
    DATES = (EVENT_DATE,)

    class Meta(DateSpanModel.Meta):
        ordering = ["-start_date", "title", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            *DateSpanModel.Meta.constraints,
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")),
                name="%(app_label)s_%(class)s_not_own_part",
                violation_error_message=_("An event cannot be part of itself."),
            ),
            *EVENT_DATE.constraints(ordered=False),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        from .agreements import rollups_touch

        moved = not self._state.adding and "region" in self.changed_fields()
        super().save(*args, **kwargs)
        if moved:  # agreements signed at it without a region of their own are filed under its region
            rollups_touch(self.agreements.values_list("pk", flat=True))

    @property
    def kinds(self) -> list[str]:
        """Return every kind of the event, its first kind first."""
        return [self.kind, *(further.kind for further in self.further_kinds.all())]


class EventKind(NaturalKeyMixin, models.Model):
    """A further kind of an event that is two things at once (成立暨签约, 签约授牌)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="further_kinds", verbose_name=_("event"))
    kind = models.CharField(_("kind"), max_length=32, choices=EventKindChoices)

    history = HistoricalRecords()
    objects = NaturalKeyQuerySet.as_manager()

    NATURAL_KEY = ("event__reference", "kind")

    class Meta:
        ordering = ["event", "id"]
        verbose_name = _("further event kind")
        verbose_name_plural = _("further event kinds")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "kind"],
                name="%(app_label)s_%(class)s_unique_kind",
                violation_error_message=_("The event already has this kind."),
            ),
        ]

    def __str__(self):
        return self.get_kind_display()

    def clean(self):
        super().clean()
        if self.event_id is not None and self.kind == self.event.kind:
            raise ValidationError({"kind": _("This is the event's first kind already.")})


class EventParticipant(NaturalKeyMixin, TrackedModel):
    """An institution or a person (or a person for an institution) taking part in an event."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participants", verbose_name=_("event"))
    institution = models.ForeignKey(
        "partnerships.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="event_participations",
        verbose_name=_("institution"),
    )
    person = models.ForeignKey(
        "partnerships.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="event_participations",
        verbose_name=_("person"),
    )
    role = models.CharField(
        _("role"), max_length=16, choices=EventParticipantRoleChoices, default=EventParticipantRoleChoices.ATTENDEE
    )
    on_behalf_of = models.ForeignKey(
        "partnerships.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="represented_at",
        verbose_name=_("on behalf of"),
        help_text=_("The absent person this participant stands in for (受…委托)."),
    )

    history = HistoricalRecords()
    objects = NaturalKeyQuerySet.as_manager()

    NATURAL_KEY = ("event__reference", "institution__name", "person__name", "person__disambiguation")

    class Meta:
        ordering = ["event", "role", "id"]  # id: participants in one role come in the order recorded, on every path
        verbose_name = _("event participant")
        verbose_name_plural = _("event participants")
        constraints = [
            models.CheckConstraint(
                condition=Q(institution__isnull=False) | Q(person__isnull=False),
                name="%(app_label)s_%(class)s_names_someone",
                violation_error_message=_("A participant is an institution, a person, or both."),
            ),
            models.CheckConstraint(
                condition=Q(on_behalf_of__isnull=True) | ~Q(on_behalf_of=models.F("person")),
                name="%(app_label)s_%(class)s_not_on_own_behalf",
                violation_error_message=_("A person cannot stand in for themselves."),
            ),
            # One row per role: the same person often chairs and speaks (主持 and 讲话) at one ceremony.
            models.UniqueConstraint(
                fields=["event", "person", "role"],
                condition=Q(person__isnull=False),
                name="%(app_label)s_%(class)s_unique_person_role",
                violation_error_message=_("This person already takes part in this event in this role."),
            ),
            models.UniqueConstraint(
                fields=["event", "institution", "role"],
                condition=Q(person__isnull=True),
                name="%(app_label)s_%(class)s_unique_institution_role",
                violation_error_message=_("This institution already takes part in this event in this role."),
            ),
        ]

    def __str__(self):
        return " · ".join(str(part) for part in (self.person, self.institution) if part is not None)


EventCitation = citation_model(Event, _("event citation"), _("event citations"))
EventParticipantCitation = citation_model(EventParticipant, _("event participant citation"), _("event participant citations"))

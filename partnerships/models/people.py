from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partnerships.choices import PersonAliasKindChoices

from .base import DateSpanModel, FoldedNameMixin, NaturalKeyMixin, NaturalKeyQuerySet, TrackedModel, citation_model


class Person(NaturalKeyMixin, TrackedModel):
    """An official or other named person."""

    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name in Latin letters"), max_length=200, blank=True)
    disambiguation = models.CharField(
        _("disambiguation"),
        max_length=200,
        blank=True,
        help_text=_("Tells apart people with the same name, e.g. their best-known post."),
    )

    history = HistoricalRecords()
    objects = NaturalKeyQuerySet.as_manager()

    NATURAL_KEY = ("name", "disambiguation")

    class Meta:
        ordering = ["name", "disambiguation"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(
                fields=["name", "disambiguation"],
                name="%(app_label)s_%(class)s_unique_name",
                violation_error_message=_("A person with this name and disambiguation already exists."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.disambiguation})" if self.disambiguation else self.name


class PersonAlias(FoldedNameMixin, NaturalKeyMixin, models.Model):
    """Another way a person's name is written: a variant spelling, the traditional script."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("person"))
    name = models.CharField(_("name"), max_length=100)
    name_folded = models.CharField(_("name in simplified script"), max_length=100, default="", editable=False)
    kind = models.CharField(
        _("kind"), max_length=16, choices=PersonAliasKindChoices, default=PersonAliasKindChoices.VARIANT
    )

    history = HistoricalRecords()
    objects = NaturalKeyQuerySet.as_manager()

    NATURAL_KEY = ("person__name", "person__disambiguation", "name")

    class Meta:
        ordering = ["person", "name"]
        verbose_name = _("person alias")
        verbose_name_plural = _("person aliases")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "name"],
                name="%(app_label)s_%(class)s_unique_name",
                violation_error_message=_("This person already has this alias."),
            ),
        ]

    def __str__(self):
        return self.name


class PostQuerySet(NaturalKeyQuerySet):
    def current(self, on=None):
        """Return the posts held on a date (today by default), as far as their dates say."""
        on = on or timezone.localdate()
        return self.filter(Q(start_date__isnull=True) | Q(start_date__lte=on)).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=on)
        )


class Post(NaturalKeyMixin, DateSpanModel, TrackedModel):
    """A title a person holds at an institution, from and to a date where known."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="posts", verbose_name=_("person"))
    institution = models.ForeignKey(
        "partnerships.Institution", on_delete=models.PROTECT, related_name="posts", verbose_name=_("institution")
    )
    title = models.CharField(_("title"), max_length=200, help_text=_("As the source gives it, e.g. 党委书记."))
    title_en = models.CharField(_("English title"), max_length=300, blank=True)
    attested_on = models.DateField(
        _("attested on"), null=True, blank=True, help_text=_("A date on which a source shows the person holding the post.")
    )

    history = HistoricalRecords()
    objects = PostQuerySet.as_manager()

    NATURAL_KEY = ("person__name", "person__disambiguation", "institution__name", "title")

    class Meta(DateSpanModel.Meta):
        ordering = ["person", "institution", "title"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        constraints = [
            *DateSpanModel.Meta.constraints,
            models.UniqueConstraint(
                fields=["person", "institution", "title"],
                name="%(app_label)s_%(class)s_unique_title",
                violation_error_message=_("This person already holds this title at this institution."),
            ),
            models.CheckConstraint(
                condition=(Q(attested_on__isnull=True) | Q(start_date__isnull=True) | Q(attested_on__gte=models.F("start_date")))
                & (Q(attested_on__isnull=True) | Q(end_date__isnull=True) | Q(attested_on__lte=models.F("end_date"))),
                name="%(app_label)s_%(class)s_attested_within_dates",
                violation_error_message=_("The attested date must fall between the start and end dates."),
            ),
        ]

    def __str__(self):
        return f"{self.person.name} · {self.institution} {self.title}"


PersonCitation = citation_model(Person, _("person citation"), _("person citations"))
PostCitation = citation_model(Post, _("post citation"), _("post citations"))
PersonAliasCitation = citation_model(PersonAlias, _("person alias citation"), _("person alias citations"))

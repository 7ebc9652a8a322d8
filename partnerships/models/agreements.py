import datetime
import uuid
from collections.abc import Iterable

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partnerships.choices import (
    AgreementKindChoices,
    AgreementPartyRoleChoices,
    AgreementStatusChoices,
    DatePrecisionChoices,
)
from partnerships.text import to_simplified

from .base import (
    DateAsWritten,
    DatedModel,
    DerivedFieldsMixin,
    NaturalKeyMixin,
    NaturalKeyQuerySet,
    NullsOrderedIndex,
    TrackedModel,
    citation_model,
)
from .institutions import Institution
from .rollups import NAMES_SEPARATOR, ROLLUP_FIELDS, kind_pattern, month_rollup

SIGNED = DateAsWritten("signing", "signed_earliest", "signed_latest", "signed_precision", "signed_text", "signed_basis")
# The term runs from valid_from to valid_until; its precision says how exactly the source dates them.
TERM = DateAsWritten("term", "valid_from", "valid_until", "term_precision", "term_text", "term_basis")


def new_reference() -> str:
    """Return a fresh reference for a record that staff did not name."""
    return uuid.uuid4().hex[:12].upper()


class TaxonomyTerm(NaturalKeyMixin, TrackedModel):
    """A term of a small, stable vocabulary with a code and names in both languages."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)

    objects = NaturalKeyQuerySet.as_manager()

    NATURAL_KEY = ("code",)

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self):
        return self.name


class ProjectType(TaxonomyTerm):
    """A kind of cooperation project: industry college, internship base, …"""

    history = HistoricalRecords()

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("project type")
        verbose_name_plural = _("project types")


class Industry(TaxonomyTerm):
    """An industry that cooperation serves: intelligent manufacturing, integrated circuits, …"""

    history = HistoricalRecords()

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("industry")
        verbose_name_plural = _("industries")


class AgreementTermLink(models.Model):
    """A link from an agreement to a vocabulary term; a term in use cannot be deleted (PROTECT), like a foreign key.

    The tables are the ones Django created for the plain many-to-many fields; the links'
    history is kept by the agreement's history (HistoricalRecords m2m_fields).
    """

    agreement = models.ForeignKey("partnerships.Agreement", on_delete=models.CASCADE, verbose_name=_("agreement"))

    class Meta:
        abstract = True

    def __str__(self):
        return str(self.agreement)


class AgreementProjectType(AgreementTermLink):
    projecttype = models.ForeignKey(ProjectType, on_delete=models.PROTECT, verbose_name=_("project type"))

    class Meta:
        db_table = "partnerships_agreement_project_types"
        unique_together = [("agreement", "projecttype")]
        # The project_type filter is a semi-join from the type to its agreements.
        indexes = [models.Index(fields=["projecttype", "agreement"], name="agreement_type_links")]
        verbose_name = _("agreement with this project type")
        verbose_name_plural = _("agreements with this project type")


class ProjectTypeAgreements(models.Model):
    """A rollup: how many agreements plan a project type, over every agreement.

    Derived, never edited: partnerships/models/rollups.py keeps it after every write of a link.
    A row only for a type with at least one agreement; stats?group_by=project_type over every
    agreement reads these rows instead of counting every link.
    """

    project_type = models.OneToOneField(
        ProjectType, on_delete=models.CASCADE, primary_key=True, related_name="+", verbose_name=_("project type")
    )
    agreements = models.PositiveIntegerField(_("agreements"))

    class Meta:
        verbose_name = _("agreement count of a project type")
        verbose_name_plural = _("agreement counts of the project types")

    def __str__(self):
        return f"{self.project_type}: {self.agreements}"


class AgreementIndustry(AgreementTermLink):
    industry = models.ForeignKey(Industry, on_delete=models.PROTECT, verbose_name=_("industry"))

    class Meta:
        db_table = "partnerships_agreement_industries"
        unique_together = [("agreement", "industry")]
        indexes = [models.Index(fields=["industry", "agreement"], name="agreement_industry_links")]
        verbose_name = _("agreement in this industry")
        verbose_name_plural = _("agreements in this industry")


LINK_HISTORY_NAMES = {
    "AgreementProjectType": "HistoricalAgreement_project_types",
    "AgreementIndustry": "HistoricalAgreement_industries",
}


class AgreementQuerySet(NaturalKeyQuerySet):
    def matching_text(self, text: str):
        """Return the agreements whose title, or a party's name, English name or alias, contains the text.

        One condition on the agreement row (its title and the names rollups), with OR: PostgreSQL
        can then read the list in its order (agreement_signed_desc) and stop when the page is
        full, which a common term needs, or combine the columns' bigram indexes (a BitmapOr)
        for a rare one; a union of ids, as before, had to read and hash every match first.
        """
        if len(text) == 2 and NAMES_SEPARATOR not in text:
            # Any column's bigrams (the indexes) and any column's LIKE: the same for two characters,
            # and the rows the indexes find are then tested by the LIKEs alone (search.BigramsHeld).
            searched = {"title": text, "party_names": text}
            if (folded := to_simplified(text)) != text:
                searched["party_names_folded"] = folded
            held, like = Q(), Q()
            for field, value in searched.items():
                held |= Q(**{f"{field}__bigrams_held": value})
                like |= Q(**{f"{field}__like_unindexed": value})
            return self.filter(held & like)
        return self.filter(Q(title__substring=text) | self._party_name_condition(text))

    def matching_party_name(self, text: str):
        """Return the agreements with a party whose name, English name or alias contains the text."""
        return self.filter(self._party_name_condition(text))

    @staticmethod
    def _party_name_condition(text: str) -> Q:
        """Return the condition that a party's name contains the text, read from the rollups.

        The same rows as Institution.objects.matching_name() through the parties: a
        traditional-script text also finds the names in simplified script. Each column has
        its own bigram index on PostgreSQL (see partnerships/search.py).
        """
        if NAMES_SEPARATOR in text:  # it could span two names of the rollup: ask the parties themselves
            matching = Institution.objects.matching_name(text).values("pk")
            return Q(pk__in=AgreementParty.objects.filter(institution__in=matching).order_by().values("agreement_id"))
        condition = Q(party_names__substring=text)
        folded = to_simplified(text)
        if folded != text:
            condition |= Q(party_names_folded__substring=folded)
        return condition

    def active_on(self, day: datetime.date):
        """Return the agreements whose term has begun by the day and not ended (an open end counts as running)."""
        return self.filter(valid_from__lte=day).filter(Q(valid_until__gte=day) | Q(valid_until__isnull=True))

    def with_party_kind(self, kinds: Iterable[str]):
        """Return the agreements with a party of any of these institution kinds."""
        condition = Q()
        for kind in kinds:
            condition |= Q(party_kinds__contains=kind_pattern(kind))
        return self.filter(condition)


class Agreement(DerivedFieldsMixin, NaturalKeyMixin, DatedModel, TrackedModel):
    """A cooperation agreement, intent or framework agreement between institutions."""

    reference = models.CharField(
        _("reference"), max_length=64, unique=True, default=new_reference, help_text=_("Stable identifier used by fixtures and reports.")
    )
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(
        _("kind"), max_length=32, choices=AgreementKindChoices, default=AgreementKindChoices.COOPERATION_AGREEMENT
    )
    status = models.CharField(_("status"), max_length=16, choices=AgreementStatusChoices, default=AgreementStatusChoices.SIGNED)
    signed_earliest = models.DateField(
        _("signed on or after"), null=True, blank=True, help_text=_("Earliest possible signing date.")
    )
    signed_latest = models.DateField(
        _("signed on or before"), null=True, blank=True, help_text=_("Latest possible signing date; the same day when exact.")
    )
    signed_precision = models.CharField(
        _("signing date precision"), max_length=16, choices=DatePrecisionChoices, default=DatePrecisionChoices.UNKNOWN
    )
    signed_text, signed_basis = SIGNED.written_fields(_("signing date"))
    valid_from = models.DateField(_("valid from"), null=True, blank=True, help_text=_("First day of the term."))
    valid_until = models.DateField(_("valid until"), null=True, blank=True, help_text=_("Last day of the term."))
    term_precision = TERM.precision_field(_("term"))
    term_text, term_basis = TERM.written_fields(_("term"))
    amends = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amendments",
        verbose_name=_("amends"),
        help_text=_("The earlier agreement a supplementary agreement amends."),
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    region = models.ForeignKey(
        "partnerships.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("region"),
        help_text=_("Where the cooperation takes place."),
    )
    event = models.ForeignKey(
        "partnerships.Event",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("signed at event"),
    )
    project_types = models.ManyToManyField(
        ProjectType,
        blank=True,
        related_name="agreements",
        verbose_name=_("planned project types"),
        through=AgreementProjectType,
    )
    industries = models.ManyToManyField(
        Industry, blank=True, related_name="agreements", verbose_name=_("industries"), through=AgreementIndustry
    )
    # Rollups (ROLLUP_FIELDS), derived, never edited: partnerships/models/rollups.py keeps them.
    party_kinds = models.TextField(
        _("kinds of the parties"), blank=True, default="", editable=False,
        help_text=_("Derived from the parties: their institutions' kinds, for filters and counts."),
    )
    party_names = models.TextField(
        _("names of the parties"), blank=True, default="", editable=False,
        help_text=_("Derived from the parties: their institutions' names, English names and aliases, for search."),
    )
    party_names_folded = models.TextField(
        _("names of the parties in simplified script"), blank=True, default="", editable=False,
        help_text=_("Derived from the parties: their names and aliases in simplified script, for search."),
    )
    signed_month = models.DateField(
        _("signing month"), null=True, blank=True, editable=False,
        help_text=_("Derived from the signing bounds: the month they both lie in, if they do."),
    )
    effective_region = models.ForeignKey(
        "partnerships.Region", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+",
        verbose_name=_("region filed under"),
        help_text=_("Derived: the region given, else the lowest region all parties with a region share, else the event's region."),
    )
    has_project_type = models.BooleanField(
        _("plans a project type"), default=False, editable=False,
        help_text=_("Derived from the planned project types: whether there is any, for counts."),
    )

    # The links' history keeps the model names (and tables) it had before the links had a model.
    history = HistoricalRecords(
        m2m_fields=[project_types, industries],
        custom_model_name=lambda name: LINK_HISTORY_NAMES.get(name, f"Historical{name}"),
        # Derived from other records: their own history keeps the changes.
        excluded_fields=list(ROLLUP_FIELDS),
    )
    objects = AgreementQuerySet.as_manager()

    NATURAL_KEY = ("reference",)
    DATES = (SIGNED, TERM)
    DERIVED_FROM = {"signed_month": "signed_earliest"}

    class Meta:
        # Newest first with undated agreements last, ties by id: the order the API lists them in,
        # and the one the index agreement_signed_desc serves.
        ordering = [F("signed_earliest").desc(nulls_last=True), "-id"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        indexes = [
            # The list's default order (-signed: newest first, unknown dates last, ties by id) and its reverse.
            NullsOrderedIndex(F("signed_earliest").desc(nulls_last=True), F("id").desc(), name="agreement_signed_desc"),
            NullsOrderedIndex(F("signed_earliest").asc(nulls_last=True), F("id").asc(), name="agreement_signed_asc"),
            # signed_after compares the latest bound; signed_before uses the earliest (the indexes above).
            models.Index(fields=["signed_latest"], name="agreement_signed_latest"),
            # A status filter in the default order: the first page without a sort.
            NullsOrderedIndex(
                "status", F("signed_earliest").desc(nulls_last=True), F("id").desc(), name="agreement_status_signed"
            ),
            models.Index(fields=["title", "id"], name="agreement_title_order"),
            # ordering=-created (the newest records first) and created; a B-tree reads both ways.
            models.Index(fields=["created", "id"], name="agreement_created_order"),
            # stats by month groups on it (an index-only scan).
            models.Index(fields=["signed_month"], name="agreement_signed_month"),
            # stats by party kind groups on the kinds rollup (a few hundred values): an index-only scan.
            models.Index(fields=["party_kinds"], name="agreement_party_kinds"),
            # stats by month for one kind (the overview asks it per kind): an index-only scan of that kind.
            models.Index(fields=["kind", "signed_month"], name="agreement_kind_month"),
            # The overview filtered by kind, its own dimension: stats by region and by party kind read
            # only these indexes, and the summary, project types and partners take that kind's ids from
            # the first instead of scanning every agreement row.
            models.Index(fields=["kind", "effective_region"], include=["id"], name="agreement_kind_region"),
            models.Index(fields=["kind", "party_kinds"], name="agreement_kind_party_kinds"),
            # Those in force on a day (active_on; the overview's summary): only the agreements with a
            # term, most have none; an index-only count instead of a scan of every agreement.
            models.Index(fields=["valid_from", "valid_until"], name="agreement_term", condition=Q(valid_from__isnull=False)),
            # An institution's agreements read by id for their dates alone, from this index: the
            # profile's timeline sorts them (then reads only the newest rows whole) and the
            # cooperation report sorts them into years, a few thousand probes for a busy school.
            models.Index(
                fields=["id"], include=["signed_earliest", "signed_latest", "signed_month", "valid_from", "valid_until"],
                name="agreement_id_dates",
            ),
            # stats by project type counts those planning none (few) from this index alone.
            models.Index(fields=["id"], name="agreement_without_type", condition=Q(has_project_type=False)),
        ]
        constraints = [
            *SIGNED.constraints(),
            *TERM.constraints(),
            models.CheckConstraint(
                condition=~Q(amends=F("pk")),
                name="%(app_label)s_%(class)s_not_own_amendment",
                violation_error_message=_("An agreement cannot amend itself."),
            ),
        ]

    def __str__(self):
        return self.title

    def derive(self) -> None:
        self.signed_month = month_rollup(self.signed_earliest, self.signed_latest)


class AgreementParty(NaturalKeyMixin, TrackedModel):
    """An institution that is party to an agreement, with its role and signatory."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties", verbose_name=_("agreement"))
    institution = models.ForeignKey(
        "partnerships.Institution",
        on_delete=models.PROTECT,
        related_name="agreement_parties",
        verbose_name=_("institution"),
    )
    role = models.CharField(
        _("role"), max_length=16, choices=AgreementPartyRoleChoices, default=AgreementPartyRoleChoices.PARTNER
    )
    signatory = models.ForeignKey(
        "partnerships.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signed_parties",
        verbose_name=_("signatory"),
        help_text=_("Leave empty unless a source names who signed for this party."),
    )
    signatory_title = models.CharField(_("signatory's title"), max_length=200, blank=True)

    history = HistoricalRecords()
    objects = NaturalKeyQuerySet.as_manager()

    NATURAL_KEY = ("agreement__reference", "institution__name")

    class Meta:
        ordering = ["agreement", "role", "institution"]
        # The party filter is a semi-join from the institution to its agreements.
        indexes = [models.Index(fields=["institution", "agreement"], name="party_institution_agreement")]
        verbose_name = _("agreement party")
        verbose_name_plural = _("agreement parties")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "institution"],
                name="%(app_label)s_%(class)s_unique_institution",
                violation_error_message=_("This institution is already a party to this agreement."),
            ),
        ]

    def __str__(self):
        return f"{self.institution} ({self.get_role_display()})"


ProjectTypeCitation = citation_model(ProjectType, _("project type citation"), _("project type citations"))
IndustryCitation = citation_model(Industry, _("industry citation"), _("industry citations"))
AgreementCitation = citation_model(Agreement, _("agreement citation"), _("agreement citations"))
AgreementPartyCitation = citation_model(AgreementParty, _("agreement party citation"), _("agreement party citations"))


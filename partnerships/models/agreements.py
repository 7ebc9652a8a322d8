import uuid

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

from .base import DateAsWritten, DatedModel, NaturalKeyMixin, NaturalKeyQuerySet, TrackedModel, citation_model

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
        verbose_name = _("agreement with this project type")
        verbose_name_plural = _("agreements with this project type")


class AgreementIndustry(AgreementTermLink):
    industry = models.ForeignKey(Industry, on_delete=models.PROTECT, verbose_name=_("industry"))

    class Meta:
        db_table = "partnerships_agreement_industries"
        unique_together = [("agreement", "industry")]
        verbose_name = _("agreement in this industry")
        verbose_name_plural = _("agreements in this industry")


LINK_HISTORY_NAMES = {
    "AgreementProjectType": "HistoricalAgreement_project_types",
    "AgreementIndustry": "HistoricalAgreement_industries",
}


class AgreementQuerySet(NaturalKeyQuerySet):
    def matching_text(self, text: str):
        """Return the agreements whose title, or a party's name, English name or alias, contains the text."""
        from .institutions import Institution

        # A union of index-served parts (see partnerships/search.py): OR with EXISTS would read every agreement.
        titles = Agreement.objects.filter(title__substring=text).order_by().values("pk")
        parties = (
            AgreementParty.objects.filter(institution__in=Institution.objects.matching_name(text).values("pk"))
            .order_by()
            .values("agreement_id")
        )
        return self.filter(pk__in=titles.union(parties))


class Agreement(NaturalKeyMixin, DatedModel, TrackedModel):
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

    # The links' history keeps the model names (and tables) it had before the links had a model.
    history = HistoricalRecords(m2m_fields=[project_types, industries], custom_model_name=lambda name: LINK_HISTORY_NAMES.get(name, f"Historical{name}"))
    objects = AgreementQuerySet.as_manager()

    NATURAL_KEY = ("reference",)
    DATES = (SIGNED, TERM)

    class Meta:
        # Newest first with undated agreements last, ties by id: the order the API lists them in,
        # and the one PostgreSQL's index partnerships_agreement_signed_desc serves.
        ordering = [F("signed_earliest").desc(nulls_last=True), "-id"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
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


import contextlib
import contextvars
import datetime
import uuid
from collections import defaultdict
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


# Rollups: what broad filters and the stats need from an agreement's parties, kept on its row
# (see "Rollups" in the README). Names are joined by a newline, so a search text without one
# matches the rollup exactly where it matches one of the names.
NAMES_SEPARATOR = "\n"
ROLLUP_FIELDS = ("party_kinds", "party_names", "party_names_folded", "signed_month", "effective_region")


def kinds_rollup(kinds: Iterable[str]) -> str:
    """Return the parties' institution kinds as one text, ",enterprise,government_body,", sorted."""
    kinds = sorted(set(kinds))
    return f",{','.join(kinds)}," if kinds else ""


def kinds_of(rollup: str) -> list[str]:
    """Return the kinds a kinds rollup holds."""
    return [kind for kind in rollup.split(",") if kind]


def kind_pattern(kind: str) -> str:
    """Return the text that a kinds rollup contains when a party has this kind."""
    return f",{kind},"


def names_rollup(names: Iterable[str]) -> str:
    """Return names as one text, sorted, the empty ones left out."""
    return NAMES_SEPARATOR.join(sorted({name for name in names if name}))


def month_rollup(earliest: datetime.date | None, latest: datetime.date | None) -> datetime.date | None:
    """Return the signing month (its first day) when both bounds lie within it, else None."""
    if earliest is None or latest is None or (earliest.year, earliest.month) != (latest.year, latest.month):
        return None
    return earliest.replace(day=1)


def lowest_common_region(chains: Iterable[tuple[int, ...]]) -> int | None:
    """Return the deepest region every chain holds (a chain: a region and its ancestors, itself first), or None."""
    chains = [chain for chain in chains if chain]
    if not chains:
        return None
    common = set(chains[0]).intersection(*chains[1:])
    return next((region for region in chains[0] if region in common), None)


def region_rollup(given: int | None, party_chains: Iterable[tuple[int, ...]], event_region: int | None) -> int | None:
    """Return the region an agreement is filed under: the one given, else its parties' lowest common one, else its event's."""
    if given is not None:
        return given
    found = lowest_common_region(party_chains)
    return found if found is not None else event_region


def rollups_compute(agreement_model, party_model, alias_model, ids: Iterable[int]) -> int:
    """Recompute the rollups of these agreements from their parties; return how many rows changed.

    Takes the models, so the data migration that fills the rollups runs the same code.
    """
    changed = 0
    ids = sorted(set(ids))
    # A migration before 0017 runs this on a model without the region rollup: it fills the others.
    fields = [name for name in ROLLUP_FIELDS if any(field.name == name for field in agreement_model._meta.fields)]
    for start in range(0, len(ids), 2000):
        chunk = ids[start : start + 2000]
        rows = agreement_model.objects.filter(pk__in=chunk).only(
            "pk", *fields, "signed_earliest", "signed_latest", "region", "event"
        )
        agreements = {agreement.pk: agreement for agreement in rows}
        parties = party_model.objects.filter(agreement__in=chunk).values_list(
            "agreement_id", "institution_id", "institution__kind", "institution__name", "institution__name_en",
            "institution__name_folded", "institution__region_id",
        )
        by_agreement = defaultdict(list)
        party_regions = defaultdict(list)
        for agreement_id, *party, region in parties:
            by_agreement[agreement_id].append(party)
            party_regions[agreement_id].append(region)
        chains = region_chains(agreement_model, {region for regions in party_regions.values() for region in regions})
        event_model = agreement_model._meta.get_field("event").related_model
        events = [agreement.event_id for agreement in agreements.values() if agreement.event_id is not None]
        event_regions = dict(event_model.objects.filter(pk__in=events).values_list("pk", "region_id")) if events else {}
        institutions = {party[0] for rows in by_agreement.values() for party in rows}
        aliases = defaultdict(list)
        for institution_id, name, folded in alias_model.objects.filter(institution__in=institutions).values_list(
            "institution_id", "name", "name_folded"
        ):
            aliases[institution_id].append((name, folded))
        stale = []
        for pk, agreement in agreements.items():
            rows = by_agreement.get(pk, [])
            values = {
                "party_kinds": kinds_rollup(kind for _, kind, *_ in rows),
                "party_names": names_rollup(
                    name
                    for institution, _, name, name_en, _ in rows
                    for name in (name, name_en, *(alias for alias, _ in aliases[institution]))
                ),
                "party_names_folded": names_rollup(
                    name
                    for institution, _, _, _, folded in rows
                    for name in (folded, *(alias for _, alias in aliases[institution]))
                ),
                "signed_month": month_rollup(agreement.signed_earliest, agreement.signed_latest),
            }
            if "effective_region" in fields:
                values["effective_region_id"] = region_rollup(
                    agreement.region_id,
                    (chains[region] for region in party_regions.get(pk, ()) if region is not None),
                    event_regions.get(agreement.event_id),
                )
            if any(getattr(agreement, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(agreement, name, value)
                stale.append(agreement)
        # bulk_update: a plain UPDATE, so derived values neither make history nor change the version.
        agreement_model.objects.bulk_update(stale, fields, batch_size=500)
        changed += len(stale)
    return changed


def region_chains(agreement_model, regions: set[int]) -> dict[int, tuple[int, ...]]:
    """Return each region with its ancestors, itself first (three levels at most: county, prefecture, province)."""
    region_model = agreement_model._meta.get_field("region").related_model
    rows = region_model.objects.filter(pk__in=regions).values_list("pk", "parent_id", "parent__parent_id") if regions else ()
    return {pk: tuple(region for region in (pk, parent, grandparent) if region is not None) for pk, parent, grandparent in rows}


_pending: contextvars.ContextVar[set[int] | None] = contextvars.ContextVar("agreement_rollups_pending", default=None)


def rollups_refresh(ids: Iterable[int]) -> int:
    """Recompute the rollups of these agreements now; return how many rows changed."""
    from .institutions import InstitutionAlias

    return rollups_compute(Agreement, AgreementParty, InstitutionAlias, ids)


def rollups_touch(ids: Iterable[int]) -> None:
    """Mark agreements whose parties changed: refreshed now, or at the end of rollups_deferred()."""
    pending = _pending.get()
    if pending is None:
        rollups_refresh(ids)
    else:
        pending.update(ids)


def rollups_touch_institution(institution_id: int) -> None:
    """Mark the agreements an institution is party to: its names or kind changed."""
    rollups_touch(AgreementParty.objects.filter(institution=institution_id).values_list("agreement_id", flat=True))


def party_deleted(sender, instance, **kwargs) -> None:
    """Refresh an agreement's rollups when a party goes, also by a queryset delete, which calls no delete()."""
    rollups_touch([instance.agreement_id])


def alias_deleted(sender, instance, **kwargs) -> None:
    """Refresh the rollups of an institution's agreements when one of its aliases goes."""
    rollups_touch_institution(instance.institution_id)


@contextlib.contextmanager
def rollups_deferred():
    """Refresh the rollups of every agreement touched inside once, when the block ends without error."""
    if _pending.get() is not None:  # an outer block refreshes them
        yield
        return
    token = _pending.set(set())
    try:
        yield
        pending = _pending.get()
    finally:
        _pending.reset(token)
    rollups_refresh(pending)


class AgreementQuerySet(NaturalKeyQuerySet):
    def matching_text(self, text: str):
        """Return the agreements whose title, or a party's name, English name or alias, contains the text."""
        titles = Agreement.objects.filter(title__substring=text).order_by().values("pk")
        return self.filter(pk__in=titles.union(*self._party_name_parts(text)))

    def matching_party_name(self, text: str):
        """Return the agreements with a party whose name, English name or alias contains the text."""
        first, *others = self._party_name_parts(text)
        return self.filter(pk__in=first.union(*others) if others else first)

    @staticmethod
    def _party_name_parts(text: str) -> list:
        """Return the ids of the agreements with a party name containing the text, read from the rollups, in parts.

        The same rows as Institution.objects.matching_name() through the parties: a
        traditional-script text also finds the names in simplified script. The parts are
        for a union rather than OR: each part is then answered by its own bigram index on
        PostgreSQL and checks only its own column (see partnerships/search.py).
        """
        from .institutions import Institution

        if NAMES_SEPARATOR in text:  # it could span two names of the rollup: ask the parties themselves
            matching = Institution.objects.matching_name(text).values("pk")
            return [AgreementParty.objects.filter(institution__in=matching).order_by().values("agreement_id")]
        parts = [Agreement.objects.filter(party_names__substring=text).order_by().values("pk")]
        folded = to_simplified(text)
        if folded != text:
            parts.append(Agreement.objects.filter(party_names_folded__substring=folded).order_by().values("pk"))
        return parts

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
    # Rollups (ROLLUP_FIELDS), derived, never edited: rollups_compute() keeps them.
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

    def save(self, *args, **kwargs):
        placed = self._state.adding or {"region", "event"} & set(self.changed_fields())
        super().save(*args, **kwargs)
        if placed:  # the region it is filed under follows its own region, else its parties' or its event's
            rollups_touch([self.pk])

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

    def save(self, *args, **kwargs):
        before = getattr(self, "_loaded_values", {}).get("agreement_id")
        super().save(*args, **kwargs)
        rollups_touch({self.agreement_id, before} - {None})


ProjectTypeCitation = citation_model(ProjectType, _("project type citation"), _("project type citations"))
IndustryCitation = citation_model(Industry, _("industry citation"), _("industry citations"))
AgreementCitation = citation_model(Agreement, _("agreement citation"), _("agreement citations"))
AgreementPartyCitation = citation_model(AgreementParty, _("agreement party citation"), _("agreement party citations"))


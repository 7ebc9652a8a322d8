from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partnerships.choices import (
    InstitutionAliasKindChoices,
    InstitutionKindChoices,
    InstitutionRelationKindChoices,
    MemberCountCategoryChoices,
    MembershipRoleChoices,
)
from partnerships.search import AnyNameHolds
from partnerships.text import to_simplified

from .base import (
    DateAsWritten,
    DatedModel,
    FoldedNameMixin,
    NaturalKeyMixin,
    NaturalKeyQuerySet,
    TrackedModel,
    citation_model,
)

# The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters from these 31,
# the last a check character of the first 17 weighted by powers of 3 modulo 31.
CREDIT_CODE_CHARACTERS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = [pow(3, position, 31) for position in range(17)]


def validate_credit_code(value: str) -> None:
    """Refuse a text that is not a unified social credit code: 18 characters with a matching check character."""
    if len(value) != 18 or any(character not in CREDIT_CODE_CHARACTERS for character in value):
        raise ValidationError(
            _("A unified social credit code has 18 characters: digits and capital letters other than I, O, S, V and Z."),
            code="invalid",
        )
    total = sum(CREDIT_CODE_CHARACTERS.index(character) * weight for character, weight in zip(value[:17], CREDIT_CODE_WEIGHTS, strict=True))
    if CREDIT_CODE_CHARACTERS[(31 - total % 31) % 31] != value[17]:
        raise ValidationError(_("The last character of this unified social credit code does not match the others."), code="checksum")


FOUNDED = DateAsWritten("founded", "founded_earliest", "founded_latest", "founded_precision", "founded_text", "founded_basis")
SINCE = DateAsWritten("since", "since_earliest", "since_latest", "since_precision", "since_text", "since_basis")


class InstitutionQuerySet(NaturalKeyQuerySet):
    def matching_name(self, text: str):
        """Return the institutions whose name, English name or an alias contains the text."""
        # A union rather than OR with EXISTS: each part is then answered by its own bigram
        # index on PostgreSQL (see partnerships/search.py) instead of a scan of every institution.
        names, aliases = (("name", text), ("name_en", text)), (("name", text),)
        folded = to_simplified(text)
        if folded != text:  # traditional script finds the simplified names too
            names, aliases = (*names, ("name_folded", folded)), (*aliases, ("name_folded", folded))
        return self.filter(AnyNameHolds(((Institution, "id", names), (InstitutionAlias, "institution", aliases))))


def generic_name(name: str) -> bool:
    """Say whether a name is a generic body's with no place or owner in it (区政府, 市教育局, 县委, 学院, 我校)."""
    # Imported when first asked: the ingest package loads jieba, which a process that never names
    # an institution (a migration, the API's reads) should not pay for at start-up. The words are
    # the engine's own (partnerships/ingest/vocabulary.py), so that what ingest reads as generic
    # and what the records refuse as generic cannot drift apart.
    from partnerships.ingest import vocabulary

    return vocabulary.generic_name(name)


class Institution(FoldedNameMixin, NaturalKeyMixin, DatedModel, TrackedModel):
    """A school, college, group, enterprise, government body, zone or alliance."""

    name = models.CharField(_("name"), max_length=200, unique=True, help_text=_("Full official name in Chinese."))
    name_folded = models.CharField(
        _("name in simplified script"), max_length=200, default="", editable=False, help_text=_("Derived from the name; unique.")
    )
    name_en = models.CharField(_("English name"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=InstitutionKindChoices)
    region = models.ForeignKey(
        "partnerships.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="institutions",
        verbose_name=_("region"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent institution"),
        help_text=_("The body this institution belongs to, e.g. a department's government."),
    )
    predecessor = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="successors",
        verbose_name=_("predecessor"),
        help_text=_("The institution this one was built on or renamed from."),
    )
    founded_earliest, founded_latest, founded_precision, founded_text, founded_basis = FOUNDED.fields(_("founded"))
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        blank=True,
        default="",
        validators=[validate_credit_code],
        help_text=_("统一社会信用代码 of an enterprise or organisation, 18 characters, where known."),
    )
    founding_event = models.ForeignKey(
        "partnerships.Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="founded_institutions",
        verbose_name=_("founding event"),
    )

    history = HistoricalRecords()
    objects = InstitutionQuerySet.as_manager()

    NATURAL_KEY = ("name",)
    DATES = (FOUNDED,)

    class Meta:
        ordering = ["name"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        indexes = [models.Index(fields=["kind"], name="institution_kind")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")),
                name="%(app_label)s_%(class)s_not_own_parent",
                violation_error_message=_("An institution cannot be its own parent."),
            ),
            models.CheckConstraint(
                condition=~Q(predecessor=models.F("pk")),
                name="%(app_label)s_%(class)s_not_own_predecessor",
                violation_error_message=_("An institution cannot be its own predecessor."),
            ),
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~Q(credit_code=""),
                name="%(app_label)s_%(class)s_unique_credit_code",
                violation_error_message=_("Another institution has this unified social credit code."),
            ),
            models.UniqueConstraint(
                fields=["name_folded"],
                name="%(app_label)s_%(class)s_unique_name_across_scripts",
                violation_error_message=_("An institution of this name exists already, in one script or the other."),
                violation_error_code="unique",
            ),
            *FOUNDED.constraints(),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if generic_name(self.name):
            # The next article's 区政府 is another district's: a bare name would join them into one record.
            raise ValidationError(
                {"name": _("“%(name)s” names no particular body; give its full name, e.g. 茌平区人民政府.") % {"name": self.name}}
            )
        for field in ("parent", "predecessor"):
            if self._chain_returns_to_self(field):
                raise ValidationError({field: _("This would make a cycle: the institution would be its own ancestor.")})

    def _chain_returns_to_self(self, field: str) -> bool:
        seen = set()
        node = getattr(self, field)
        while node is not None and node.pk not in seen:
            if self.pk is not None and node.pk == self.pk:
                return True
            seen.add(node.pk)
            node = getattr(node, field)
        return False


class InstitutionAlias(FoldedNameMixin, NaturalKeyMixin, models.Model):
    """Another name an institution goes by: a short name, a former name."""

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("institution")
    )
    name = models.CharField(_("name"), max_length=200)
    name_folded = models.CharField(_("name in simplified script"), max_length=200, default="", editable=False)
    kind = models.CharField(
        _("kind"), max_length=16, choices=InstitutionAliasKindChoices, default=InstitutionAliasKindChoices.SHORT_NAME
    )

    history = HistoricalRecords()
    objects = NaturalKeyQuerySet.as_manager()

    NATURAL_KEY = ("institution__name", "name")

    class Meta:
        ordering = ["institution", "name"]
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "name"],
                name="%(app_label)s_%(class)s_unique_name",
                violation_error_message=_("This institution already has this alias."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        other = Institution.objects.filter(name_folded=self.name_folded).exclude(pk=self.institution_id).first()
        if other is not None:
            raise ValidationError(
                {"name": _("“%(name)s” is the name of another institution.") % {"name": other.name}}
            )


class InstitutionPartners(models.Model):
    """A rollup: how many other institutions an institution is party to an agreement with, over every agreement.

    Derived, never edited: partnerships/models/rollups.py keeps it after every write of a party.
    A row only for an institution with at least one partner; stats?group_by=partners over every
    agreement reads its top rows from the index instead of a self-join of every party.
    """

    institution = models.OneToOneField(
        Institution, on_delete=models.CASCADE, primary_key=True, related_name="+", verbose_name=_("institution")
    )
    partners = models.PositiveIntegerField(_("partners"))

    class Meta:
        verbose_name = _("partner count")
        verbose_name_plural = _("partner counts")
        # The stats' order: the most partners first, ties by id.
        indexes = [models.Index(fields=["-partners", "institution"], name="institution_partners_top")]

    def __str__(self):
        return f"{self.institution_id}: {self.partners}"


class Membership(NaturalKeyMixin, TrackedModel):
    """An institution's place in an alliance: lead school, lead enterprise, host, member."""

    alliance = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("alliance")
    )
    member = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="alliance_memberships", verbose_name=_("member")
    )
    role = models.CharField(_("role"), max_length=32, choices=MembershipRoleChoices, default=MembershipRoleChoices.MEMBER)

    history = HistoricalRecords()
    objects = NaturalKeyQuerySet.as_manager()

    NATURAL_KEY = ("alliance__name", "member__name")

    class Meta:
        ordering = ["alliance", "role", "member"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["alliance", "member"],
                name="%(app_label)s_%(class)s_unique_member",
                violation_error_message=_("This institution is already a member of this alliance."),
            ),
            models.CheckConstraint(
                condition=~Q(alliance=models.F("member")),
                name="%(app_label)s_%(class)s_not_own_member",
                violation_error_message=_("An alliance cannot be its own member."),
            ),
        ]

    def __str__(self):
        return f"{self.alliance} · {self.member} ({self.get_role_display()})"


class MemberCount(NaturalKeyMixin, TrackedModel):
    """How many members of one category an alliance reports, named or not."""

    alliance = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="member_counts", verbose_name=_("alliance")
    )
    category = models.CharField(_("category"), max_length=32, choices=MemberCountCategoryChoices)
    count = models.PositiveIntegerField(_("count"))

    history = HistoricalRecords()
    objects = NaturalKeyQuerySet.as_manager()

    NATURAL_KEY = ("alliance__name", "category")

    class Meta:
        ordering = ["alliance", "category"]
        verbose_name = _("member count")
        verbose_name_plural = _("member counts")
        constraints = [
            models.UniqueConstraint(
                fields=["alliance", "category"],
                name="%(app_label)s_%(class)s_unique_category",
                violation_error_message=_("This alliance already has a count for this category."),
            ),
        ]

    def __str__(self):
        return f"{self.alliance}: {self.get_category_display()} {self.count}"


class InstitutionRelation(NaturalKeyMixin, DatedModel, TrackedModel):
    """A typed relation between two institutions: affiliated with, subsidiary of, co-founded by, chair of."""

    subject = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="relations", verbose_name=_("subject")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=InstitutionRelationKindChoices)
    object = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="inverse_relations", verbose_name=_("object")
    )
    share = models.DecimalField(
        _("share (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("The share held, where the source states one, e.g. 100 for a wholly-owned subsidiary."),
    )
    since_earliest, since_latest, since_precision, since_text, since_basis = SINCE.fields(_("since"))

    history = HistoricalRecords()
    objects = NaturalKeyQuerySet.as_manager()

    NATURAL_KEY = ("subject__name", "kind", "object__name")
    DATES = (SINCE,)

    class Meta:
        ordering = ["subject", "kind", "object"]
        verbose_name = _("institution relation")
        verbose_name_plural = _("institution relations")
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "kind", "object"],
                name="%(app_label)s_%(class)s_unique_relation",
                violation_error_message=_("These institutions already have this relation."),
            ),
            models.CheckConstraint(
                condition=~Q(subject=models.F("object")),
                name="%(app_label)s_%(class)s_not_to_itself",
                violation_error_message=_("An institution cannot be related to itself."),
            ),
            models.CheckConstraint(
                condition=Q(share__isnull=True) | Q(share__gte=0, share__lte=100),
                name="%(app_label)s_%(class)s_share_is_a_percentage",
                violation_error_message=_("A share lies between 0 and 100 per cent."),
            ),
            *SINCE.constraints(),
        ]

    def __str__(self):
        return f"{self.subject} · {self.get_kind_display()} · {self.object}"


InstitutionCitation = citation_model(Institution, _("institution citation"), _("institution citations"))
InstitutionAliasCitation = citation_model(InstitutionAlias, _("alias citation"), _("alias citations"))
MembershipCitation = citation_model(Membership, _("membership citation"), _("membership citations"))
MemberCountCitation = citation_model(MemberCount, _("member count citation"), _("member count citations"))
InstitutionRelationCitation = citation_model(
    InstitutionRelation, _("institution relation citation"), _("institution relation citations")
)

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partnerships.choices import (
    InstitutionAliasKindChoices,
    InstitutionKindChoices,
    MemberCountCategoryChoices,
    MembershipRoleChoices,
)

from .base import NaturalKeyMixin, NaturalKeyQuerySet, TrackedModel, citation_model


class InstitutionQuerySet(NaturalKeyQuerySet):
    def matching_name(self, text: str):
        """Return the institutions whose name, English name or an alias contains the text."""
        # A union rather than OR with EXISTS: each part is then answered by its own bigram
        # index on PostgreSQL (see partnerships/search.py) instead of a scan of every institution.
        names = Institution.objects.filter(Q(name__substring=text) | Q(name_en__substring=text)).order_by().values("pk")
        aliases = InstitutionAlias.objects.filter(name__substring=text).order_by().values("institution_id")
        return self.filter(pk__in=names.union(aliases))


class Institution(NaturalKeyMixin, TrackedModel):
    """A school, college, group, enterprise, government body, zone or alliance."""

    name = models.CharField(_("name"), max_length=200, unique=True, help_text=_("Full official name in Chinese."))
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

    history = HistoricalRecords()
    objects = InstitutionQuerySet.as_manager()

    NATURAL_KEY = ("name",)

    class Meta:
        ordering = ["name"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
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
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
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


class InstitutionAlias(NaturalKeyMixin, models.Model):
    """Another name an institution goes by: a short name, a former name."""

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("institution")
    )
    name = models.CharField(_("name"), max_length=200)
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


InstitutionCitation = citation_model(Institution, _("institution citation"), _("institution citations"))
InstitutionAliasCitation = citation_model(InstitutionAlias, _("alias citation"), _("alias citations"))
MembershipCitation = citation_model(Membership, _("membership citation"), _("membership citations"))
MemberCountCitation = citation_model(MemberCount, _("member count citation"), _("member count citations"))

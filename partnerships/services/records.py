"""Writing records and agreements with their parties: validated, atomic."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from partnerships.choices import AgreementPartyRoleChoices
from partnerships.models import (
    Agreement,
    AgreementParty,
    Institution,
    Person,
)


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

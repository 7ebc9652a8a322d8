"""Writing records with their citations and the rows edited with them (parties, participants, …): validated, atomic."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from partnerships.models import Agreement, Citation, Event, SourceDocument, citation_table, citations_of
from partnerships.models.rollups import rollups_deferred


@dataclass(frozen=True)
class CitationSpec:
    """One citation as an editor gives it: the position is found when left out."""

    source: SourceDocument
    quote: str
    position: int | None = None


def _messages(error: ValidationError) -> str:
    if not hasattr(error, "error_dict"):
        return " ".join(error.messages)
    return " ".join(
        " ".join(messages) if field == NON_FIELD_ERRORS else f"{field}: {' '.join(messages)}"
        for field, messages in error.message_dict.items()
    )


@transaction.atomic
def citations_set(*, record: models.Model, citations: Sequence[CitationSpec], field: str = "citations") -> None:
    """Make the record's citations exactly these, each checked as the admin checks it; kept ones keep their history."""
    citation_model = citation_table(type(record))
    wanted: dict[tuple, Citation] = {}
    for number, spec in enumerate(citations, start=1):
        citation = citation_model(record=record, source=spec.source, quote=spec.quote, position=spec.position)
        try:
            citation.full_clean(exclude=["record"], validate_constraints=False)
        except ValidationError as error:
            raise ValidationError(
                {field: _("Citation %(number)d: %(errors)s") % {"number": number, "errors": _messages(error)}}
            ) from error
        wanted.setdefault((citation.source_id, citation.position, citation.quote), citation)
    kept = set()
    for citation in citations_of(record):
        key = (citation.source_id, citation.position, citation.quote)
        if key in wanted:
            kept.add(key)
        else:
            citation.delete()
    for key, citation in wanted.items():
        if key not in kept:
            citation.save()


@transaction.atomic
def citation_add(*, record: models.Model, source: SourceDocument, quote: str, position: int | None = None) -> models.Model:
    """Cite a passage for a record, the position found in the text when not given; validated."""
    citation = citation_table(type(record))(record=record, source=source, quote=quote, position=position)
    citation.full_clean()
    citation.save()
    return citation


@transaction.atomic
def record_save(
    *,
    record: models.Model,
    fields: dict[str, Any],
    many: dict[str, Iterable] | None = None,
    citations: Sequence[CitationSpec] | None = None,
) -> models.Model:
    """Set a record's fields, validate it fully, save it, then set its many-to-many links and citations."""
    for name, value in fields.items():
        setattr(record, name, value)
    record.full_clean()
    record.save()
    for name, values in (many or {}).items():
        getattr(record, name).set(values)
    if citations is not None:
        citations_set(record=record, citations=citations)
    return record


def _key_value(value):
    return value.pk if isinstance(value, models.Model) else value


@transaction.atomic
def children_set(*, parent: models.Model, relation: str, rows: Sequence[Mapping[str, Any]], key: Sequence[str]) -> None:
    """Make a record's child rows (its parties, participants, builders, …) exactly these.

    A row is matched to a stored one by its key fields, so a kept row keeps its citations
    and history; a row's "citations", when given, replace that row's citations.
    """
    manager = getattr(parent, relation)
    model, parent_field = manager.model, manager.field.name
    wanted: dict[tuple, Mapping[str, Any]] = {}
    for number, row in enumerate(rows, start=1):
        row_key = tuple(_key_value(row.get(name)) for name in key)
        if row_key in wanted:
            raise ValidationError({relation: _("Row %(number)d repeats an earlier row.") % {"number": number}})
        wanted[row_key] = row
    existing = {}
    for child in manager.all():
        child_key = tuple(_key_value(getattr(child, name)) for name in key)
        if child_key in wanted:
            existing[child_key] = child
        else:
            child.delete()
    for number, (row_key, row) in enumerate(wanted.items(), start=1):
        values = dict(row)
        citations = values.pop("citations", None)
        child = existing.get(row_key) or model(**{parent_field: parent})
        if hasattr(parent, "_change_reason"):
            # Rows written with their parent share its history reason ("ingest", "seed"), set before the
            # save: a history row saved again afterwards (update_change_reason) would bump its version.
            child._change_reason = parent._change_reason
        for name, value in values.items():
            setattr(child, name, value)
        try:
            child.full_clean()
            child.save()
            if citations is not None:
                citations_set(record=child, citations=citations)
        except ValidationError as error:
            raise ValidationError(
                {relation: _("Row %(number)d: %(errors)s") % {"number": number, "errors": _messages(error)}}
            ) from error


def citation_specs(rows: Iterable[Mapping[str, Any]] | None) -> list[CitationSpec] | None:
    """Return citation specs from validated API data; None (not given) stays None."""
    return None if rows is None else [CitationSpec(**row) for row in rows]


@transaction.atomic
def agreement_save(
    *,
    agreement: Agreement,
    parties: Sequence[Mapping[str, Any]] | None = None,
    citations: Sequence[CitationSpec] | None = None,
    project_types: Iterable | None = None,
    industries: Iterable | None = None,
    **fields: Any,
) -> Agreement:
    """Create or change an agreement; parties, links and citations are replaced only when given."""
    many = {name: values for name, values in (("project_types", project_types), ("industries", industries)) if values is not None}
    # The parties' saves mark the agreement's rollups; they are computed once, after the last.
    with rollups_deferred():
        record_save(record=agreement, fields=fields, many=many, citations=citations)
        if parties is not None:
            children_set(parent=agreement, relation="parties", rows=parties, key=("institution",))
    return agreement


@transaction.atomic
def event_save(
    *,
    event: Event,
    kinds: Sequence[str] | None = None,
    participants: Sequence[Mapping[str, Any]] | None = None,
    citations: Sequence[CitationSpec] | None = None,
    **fields: Any,
) -> Event:
    """Create or change an event; its kinds (the first is `kind`), participants and citations only when given."""
    if kinds is not None:
        if not kinds:
            raise ValidationError({"kinds": _("An event has at least one kind.")})
        if len(set(kinds)) < len(kinds):
            raise ValidationError({"kinds": _("A kind is listed more than once.")})
        fields["kind"] = kinds[0]
    record_save(record=event, fields=fields, citations=citations)
    if kinds is not None:
        children_set(parent=event, relation="further_kinds", rows=[{"kind": kind} for kind in kinds[1:]], key=("kind",))
    if participants is not None:
        children_set(parent=event, relation="participants", rows=participants, key=("institution", "person", "role"))
    return event


@transaction.atomic
def project_save(
    *,
    project,
    builders: Sequence[Mapping[str, Any]] | None = None,
    quantities: Sequence[Mapping[str, Any]] | None = None,
    agreements: Iterable | None = None,
    citations: Sequence[CitationSpec] | None = None,
    **fields: Any,
):
    """Create or change a project with the institutions that build it and its quantities."""
    many = {"agreements": agreements} if agreements is not None else {}
    record_save(record=project, fields=fields, many=many, citations=citations)
    if builders is not None:
        children_set(parent=project, relation="builders", rows=builders, key=("institution",))
    if quantities is not None:
        children_set(parent=project, relation="quantities", rows=quantities, key=("measure",))
    return project


@transaction.atomic
def aliases_set(*, record: models.Model, names: Sequence[str]) -> None:
    """Make an institution's or a person's aliases exactly these names; kept ones keep their kind and citations."""
    with rollups_deferred():  # an institution's aliases are in its agreements' rollups
        children_set(parent=record, relation="aliases", rows=[{"name": name} for name in names], key=("name",))


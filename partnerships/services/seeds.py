"""The seed documents (seeds/) and the fixtures built from them (fixtures/), loaded and checked."""

import datetime
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.serializers.base import DeserializationError, DeserializedObject
from django.db import models, transaction
from django.utils.translation import gettext

from partnerships.models import (
    CITED_MODELS,
    Citation,
    Region,
    SourceDocument,
    change_reason_set,
    citation_table,
    citations_of,
    text_checksum,
)

# The seed documents (seeds/, listed in seeds/manifest.json) and the fixtures built from them (fixtures/).
SEED_MANIFEST = "manifest.json"
# Stored as the change reason of every history row a seed load writes, so the admin shows where a change came from.
SEED_CHANGE_REASON = "load_seeds"
_SEED_MODELS = frozenset(CITED_MODELS) | {citation_table(model) for model in CITED_MODELS}


class SeedError(Exception):
    """A seed document or fixture that cannot be trusted; the load it stopped changed nothing."""


@dataclass(frozen=True)
class SeedLoadResult:
    documents: int
    created: int
    updated: int
    unchanged: int
    citations_checked: int


@transaction.atomic
def seeds_load(*, seeds_dir: Path | None = None, fixtures_dir: Path | None = None) -> SeedLoadResult:
    """Load the seed documents and their fixtures, checking every checksum and quote; idempotent.

    Runs in one transaction: a SeedError naming the bad document or record leaves the database as it was.
    """
    seeds_dir = seeds_dir or settings.BASE_DIR / "seeds"
    fixtures_dir = fixtures_dir or settings.BASE_DIR / "fixtures"
    if not Region.objects.exists():
        raise SeedError(
            gettext("No regions are loaded, and the fixtures refer to regions by code: run load_regions first.")
        )
    outcomes = {"created": 0, "updated": 0, "unchanged": 0}
    documents = []
    for entry in seed_manifest_read(seeds_dir=seeds_dir):
        document, outcome = _seed_document_save(entry=entry, seeds_dir=seeds_dir)
        documents.append(document)
        outcomes[outcome] += 1
    records = []
    for path in sorted(fixtures_dir.glob("*.json")):
        for where, stated, deserialized in _seed_fixture_rows(path):
            record, outcome = _seed_record_save(deserialized=deserialized, stated=stated, where=where)
            outcomes[outcome] += 1
            if not isinstance(record, Citation):
                records.append((where, record))
    for where, record in records:
        if not citations_of(record).exists():
            raise SeedError(
                gettext("%(where)s: %(record)s has no citation; every seed record rests on a quote.")
                % {"where": where, "record": _seed_label(record)}
            )
    return SeedLoadResult(documents=len(documents), citations_checked=_seed_citations_check(documents), **outcomes)


def seed_manifest_read(*, seeds_dir: Path) -> list[dict]:
    """Return the manifest's document entries, after checking that every text in seeds_dir is listed."""
    path = seeds_dir / SEED_MANIFEST
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))["documents"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise SeedError(gettext("%(path)s is not a readable seed manifest: %(error)s") % {"path": path, "error": error}) from error
    required = {"key", "file", "title", "publisher", "language", "published_on", "sha256"}
    for entry in entries:
        missing = required - entry.keys()
        if missing:
            raise SeedError(
                gettext("Seed manifest entry %(entry)s lacks %(fields)s.")
                % {"entry": entry.get("key") or entry.get("file"), "fields": ", ".join(sorted(missing))}
            )
    listed = {entry["file"] for entry in entries}
    for text_path in sorted(seeds_dir.glob("*.txt")):
        if text_path.name not in listed:
            raise SeedError(
                gettext("Seed document %(file)s is not listed in %(manifest)s.")
                % {"file": text_path.name, "manifest": path}
            )
    return entries


def _seed_document_save(*, entry: dict, seeds_dir: Path) -> tuple[SourceDocument, str]:
    path = seeds_dir / entry["file"]
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SeedError(gettext("Seed document %(key)s: %(error)s") % {"key": entry["key"], "error": error}) from error
    checksum = text_checksum(text)
    if checksum != entry["sha256"]:
        raise SeedError(
            gettext(
                "Seed document %(key)s (%(file)s): the text's SHA-256 is %(actual)s but the manifest says %(expected)s; "
                "the text was changed, or the manifest was not updated."
            )
            % {"key": entry["key"], "file": path, "actual": checksum, "expected": entry["sha256"]}
        )
    try:
        published_on = datetime.date.fromisoformat(entry["published_on"]) if entry["published_on"] else None
    except (TypeError, ValueError):
        raise SeedError(
            gettext("Seed document %(key)s: published_on must be an ISO date (YYYY-MM-DD) or null, not %(value)r.")
            % {"key": entry["key"], "value": entry["published_on"]}
        ) from None
    values = {
        "title": entry["title"],
        "publisher_name": entry["publisher"],
        "url": entry.get("url", ""),
        "language": entry["language"],
        "published_on": published_on,
        "text": text,
        "checksum": checksum,
    }
    document = SourceDocument.objects.filter(key=entry["key"]).first()
    if document is None:
        document, outcome = SourceDocument(key=entry["key"], **values), "created"
    elif any(getattr(document, field) != value for field, value in values.items()):
        for field, value in values.items():
            setattr(document, field, value)
        outcome = "updated"
    else:
        return document, "unchanged"
    _seed_validated_save(document, where=gettext("Seed document %(key)s") % {"key": entry["key"]})
    return document, outcome


def _seed_fixture_rows(path: Path) -> Iterator[tuple[str, list[str], DeserializedObject]]:
    """Yield each fixture row with where it stands and which fields it states, resolving natural keys as it goes."""
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise SeedError(gettext("%(path)s is not a readable fixture: %(error)s") % {"path": path, "error": error}) from error
    for number, row in enumerate(rows, start=1):
        where = gettext("%(file)s, row %(number)d") % {"file": path.name, "number": number}
        if "pk" in row:
            raise SeedError(
                gettext("%(where)s: seed fixtures name records by natural key, not by pk.") % {"where": where}
            )
        try:
            # One row at a time, so natural keys resolve against the rows saved before it.
            (deserialized,) = serializers.deserialize("python", [row])
        except DeserializationError as error:
            raise SeedError(f"{where}: {error}") from error
        if type(deserialized.object) not in _SEED_MODELS:
            raise SeedError(
                gettext("%(where)s: %(model)s records do not belong in seed fixtures.")
                % {"where": where, "model": deserialized.object._meta.verbose_name}
            )
        yield where, list(row.get("fields", {})), deserialized


def _seed_record_save(
    *, deserialized: DeserializedObject, stated: Iterable[str], where: str
) -> tuple[models.Model, str]:
    """Create the row, or update the fields the fixture states where they differ; save nothing that is unchanged."""
    record = deserialized.object
    fields = [_stated_field(type(record), name) for name in stated]
    m2m_data = deserialized.m2m_data or {}
    m2m = {field.name: set(m2m_data.get(field.name, ())) for field in fields if field.many_to_many}
    if record.pk is None:
        target, outcome = record, "created"
    else:
        target, outcome = type(record)._default_manager.get(pk=record.pk), "updated"
        changed = [
            field
            for field in fields
            if not field.many_to_many and getattr(target, field.attname) != getattr(record, field.attname)
        ]
        for field in changed:
            setattr(target, field.attname, getattr(record, field.attname))
        m2m = {name: pks for name, pks in m2m.items() if set(getattr(target, name).values_list("pk", flat=True)) != pks}
        if not changed and not m2m:
            return target, "unchanged"
    _seed_validated_save(target, where=where)
    for name, pks in m2m.items():
        getattr(target, name).set(pks)
    return target, outcome


def _stated_field(model: type[models.Model], name: str) -> models.Field:
    """Return the field a fixture row states: a field of the model, never a relation pointing at it."""
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field), f"{model.__name__}.{name} is not a field"
    return field


def _seed_validated_save(record: models.Model, *, where: str) -> None:
    try:
        record.full_clean()
    except ValidationError as error:
        problems = "; ".join(
            " ".join(messages) if field == NON_FIELD_ERRORS else f"{field}: {' '.join(messages)}"
            for field, messages in error.message_dict.items()
        )
        hint = _seed_quote_hint(record) if isinstance(record, Citation) else ""
        raise SeedError(f"{where}: {_seed_label(record)}: {problems}{hint}") from error
    change_reason_set(record, SEED_CHANGE_REASON)
    record.save()


def _seed_citations_check(documents: list[SourceDocument]) -> int:
    """Check that every citation of the seed documents quotes its text verbatim at its position; return how many."""
    checked = 0
    for model in CITED_MODELS:
        citations = citation_table(model).objects.filter(source__in=documents).select_related("source")
        for citation in citations:
            text = citation.source.text
            if text[citation.position : citation.position + len(citation.quote)] != citation.quote:
                raise SeedError(
                    gettext("%(record)s: the quote does not occur verbatim at position %(position)d of “%(source)s”.")
                    % {"record": _seed_label(citation), "position": citation.position, "source": citation.source}
                    + _seed_quote_hint(citation)
                )
            checked += 1
    return checked


def _seed_label(record: models.Model) -> str:
    """Name a record for an error message: its kind and its human name, a citation by the record it supports."""
    if isinstance(record, Citation) and record.record_id is not None:
        return gettext("%(citation)s of %(model)s “%(record)s”") % {
            "citation": record._meta.verbose_name,
            "model": record.record._meta.verbose_name,
            "record": record.record,
        }
    if isinstance(record, SourceDocument):
        return f"{record._meta.verbose_name} {record.key}"
    return f"{record._meta.verbose_name} “{record}”"


def _seed_quote_hint(citation: Citation) -> str:
    """Say where a misplaced quote does occur, or that it occurs nowhere."""
    if citation.source_id is None or not citation.quote:
        return ""
    found = citation.source.text.find(citation.quote)
    if found < 0:
        return gettext(" (the quote occurs nowhere in the text)")
    return gettext(" (the quote occurs at position %(position)d)") % {"position": found}

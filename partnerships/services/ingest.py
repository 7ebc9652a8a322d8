"""Ingest an article: propose its records (partnerships.ingest) and save the accepted ones with citations.

The mapping from proposals to records lives here and only here: the proposal kinds the engine
uses (event kinds such as unveiling, roles such as chair, institution kinds such as
technician_college, projects, person aliases) are mapped onto what the models hold today;
what they cannot hold yet is kept in the record's notes or left unsaved and counted.
"""

import datetime
import logging
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import update_change_reason

from partnerships.choices import (
    AgreementKindChoices,
    DatePrecisionChoices,
    EventKindChoices,
    EventParticipantRoleChoices,
    InstitutionKindChoices,
)
from partnerships.ingest import KnownInstitution, KnownPerson, KnownRegion, Snapshot, analyse
from partnerships.models import (
    Agreement,
    Event,
    EventParticipant,
    Institution,
    InstitutionAlias,
    Person,
    Post,
    ProjectType,
    Region,
    SourceDocument,
    text_checksum,
)
from partnerships.text import to_simplified

from .records import PartySpec, agreement_create, record_save

logger = logging.getLogger(__name__)

# Stored as the change reason of every history row an ingest writes.
INGEST_CHANGE_REASON = "ingest"

# Proposal kinds the models do not hold yet, mapped to the nearest they do (the proposal's own word goes into notes).
INSTITUTION_KINDS = {
    "technician_college": InstitutionKindChoices.SECONDARY_VOCATIONAL_SCHOOL,
    "secondary_college": InstitutionKindChoices.OTHER,
    "department": InstitutionKindChoices.OTHER,
    "party_organ": InstitutionKindChoices.GOVERNMENT_BODY,
    "foundation": InstitutionKindChoices.OTHER,
}
AGREEMENT_KINDS = {
    "strategic_cooperation": AgreementKindChoices.COOPERATION_AGREEMENT,
    "joint_school_running": AgreementKindChoices.COOPERATION_AGREEMENT,
    "donation": AgreementKindChoices.OTHER,
    "supplementary": AgreementKindChoices.OTHER,
}
EVENT_KINDS = {"unveiling": EventKindChoices.OTHER, "plaque_award": EventKindChoices.OTHER}
PARTICIPANT_ROLES = {
    "chair": EventParticipantRoleChoices.ATTENDEE,
    "speaker": EventParticipantRoleChoices.ATTENDEE,
    "unveiler": EventParticipantRoleChoices.ATTENDEE,
    "signatory": EventParticipantRoleChoices.ATTENDEE,
}


def _choice(value: str, choices, mapping: dict, default: str) -> str:
    if value in choices.values:
        return value
    return mapping.get(value, default)


class IngestError(Exception):
    """An article that cannot be ingested; the message names the problem and nothing was stored."""


@dataclass
class IngestResult:
    source: dict
    proposals: list[dict]
    saved: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        result = {"source": self.source, "proposals": self.proposals}
        if self.saved:
            result["saved"] = self.saved
        return result


def ingest_snapshot() -> Snapshot:
    """Return what the tracker knows, for the engine to match names against (a handful of queries)."""
    return Snapshot.build(
        regions=[
            KnownRegion(code, name, level)
            for code, name, level in Region.objects.values_list("code", "name", "level").iterator()
        ],
        institutions=[
            KnownInstitution(pk, name, kind) for pk, name, kind in Institution.objects.values_list("pk", "name", "kind").iterator()
        ],
        aliases=[
            (alias, KnownInstitution(pk, name, kind))
            for alias, pk, name, kind in InstitutionAlias.objects.values_list(
                "name", "institution_id", "institution__name", "institution__kind"
            ).iterator()
        ],
        people=[KnownPerson(pk, name) for pk, name in Person.objects.values_list("pk", "name").iterator()],
        project_types=ProjectType.objects.values_list("code", "name"),
    )


def ingest_analyse(
    *,
    text: str,
    url: str = "",
    published: datetime.date | None = None,
    publisher: str | None = None,
    snapshot: Snapshot | None = None,
) -> IngestResult:
    """Propose the records an article states; change nothing."""
    if not text.strip():
        raise IngestError(_("The article has no text."))
    snapshot = snapshot if snapshot is not None else ingest_snapshot()
    try:
        proposals = analyse(text, snapshot=snapshot, published=published, publisher=publisher)
    except Exception as error:  # noqa: BLE001 - an article the rules trip over is reported, never a traceback
        logger.warning("ingest: analysing an article failed: %r", error)
        raise IngestError(
            _("The article could not be analysed (%(error)s); nothing was stored.") % {"error": error}
        ) from error
    checksum = text_checksum(text)
    duplicate = SourceDocument.objects.filter(checksum=checksum).values_list("pk", flat=True).first()
    source = {
        "title": _source_title(text),
        "url": url,
        "publisher": publisher or "",
        "published_on": published.isoformat() if published else None,
        "language": "zh-hant" if to_simplified(text) != text else "zh-hans",
        "checksum": checksum,
        "length": len(text),
        "duplicate_of": duplicate,
    }
    return IngestResult(source=source, proposals=proposals)


def _source_title(text: str) -> str:
    first_line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return first_line if len(first_line) <= 80 else f"{first_line[:79]}…"


@transaction.atomic
def ingest_save(*, text: str, result: IngestResult) -> dict:
    """Store the source and every proposal as records with citations, in one transaction; return counts.

    A text already stored is refused (IngestError naming the stored source). Records that exist
    (by id, or by name for institutions and people) are reused, so nothing is added twice.
    """
    existing = SourceDocument.objects.filter(checksum=result.source["checksum"]).first()
    if existing is not None:
        raise IngestError(
            _("This text is already stored as source document “%(title)s” (id %(id)s, key %(key)s); nothing was stored.")
            % {"title": existing.title, "id": existing.pk, "key": existing.key}
        )
    saver = _Saver(text=text, result=result)
    try:
        saver.run()
    except ValidationError as error:
        raise IngestError(
            _("The proposals could not be saved, and nothing was stored: %(error)s") % {"error": " ".join(error.messages)}
        ) from error
    return saver.counts


class _Saver:
    """Write one article's proposals; every history row it writes carries the reason "ingest"."""

    def __init__(self, *, text: str, result: IngestResult):
        self.text = text
        self.result = result
        self.counts: Counter = Counter()
        self.institutions: dict[str, Institution] = {}
        self.people: dict[str, Person] = {}
        self.source: SourceDocument | None = None

    def run(self) -> None:
        by_kind: dict[str, list[dict]] = {}
        for proposal in self.result.proposals:
            by_kind.setdefault(proposal["kind"], []).append(proposal)
        self._source()
        for proposal in by_kind.get("institution", ()):
            self._institution(proposal)
        for proposal in by_kind.get("person", ()):
            self._person(proposal)
        for proposal in by_kind.get("post", ()):
            self._post(proposal)
        event = None
        for proposal in by_kind.get("event", ()):
            event = self._event(proposal)
        for proposal in by_kind.get("agreement", ()):
            self._agreement(proposal, event)
        # Projects need the Project model (issue 8); until it is merged they are proposed, not saved.
        self.counts["projects not saved"] += len(by_kind.get("project", ()))
        self.counts = Counter({key: value for key, value in self.counts.items() if value})

    # ----- writing -------------------------------------------------------------------------------
    def _save(self, record, fields: dict | None = None):
        record._change_reason = INGEST_CHANGE_REASON
        record_save(record=record, fields=fields or {})
        return record

    def _cite(self, record, proposal: dict) -> None:
        citation_model = type(record).citations.rel.related_model
        position = proposal["start"]
        if citation_model.objects.filter(record=record, source=self.source, position=position).exists():
            return
        citation = citation_model(record=record, source=self.source, quote=proposal["quote"], position=position)
        self._save(citation)
        self.counts["citations"] += 1

    def _source(self) -> None:
        source = self.result.source
        self.source = self._save(
            SourceDocument(
                key=f"ingest-{source['checksum'][:16]}",
                title=source["title"] or source["checksum"][:16],
                publisher=source["publisher"],
                url=source["url"],
                language=source["language"],
                published_on=datetime.date.fromisoformat(source["published_on"]) if source["published_on"] else None,
                text=self.text,
                checksum=source["checksum"],
            )
        )
        self.counts["sources"] += 1

    def _institution(self, proposal: dict) -> None:
        institution = None
        if proposal["match"]:
            institution = Institution.objects.filter(pk=proposal["match"]).first()
        if institution is None:
            institution = Institution.objects.filter(name=proposal["name"]).first()
        if institution is None:
            kind = proposal.get("institution_kind", "other")
            region = Region.objects.filter(code=proposal["region"]).first() if proposal.get("region") else None
            institution = self._save(
                Institution(
                    name=proposal["name"],
                    kind=_choice(kind, InstitutionKindChoices, INSTITUTION_KINDS, InstitutionKindChoices.OTHER),
                    region=region,
                    notes=_("Proposed kind: %(kind)s.") % {"kind": kind} if kind not in InstitutionKindChoices.values else "",
                )
            )
            self.counts["institutions created"] += 1
        else:
            self.counts["institutions matched"] += 1
        self.institutions[proposal["name"]] = institution
        self._cite(institution, proposal)

    def _person(self, proposal: dict) -> None:
        person = Person.objects.filter(pk=proposal["match"]).first() if proposal["match"] else None
        if person is None:
            person = Person.objects.filter(name=proposal["name"], disambiguation="").first()
        if person is None:
            aliases = "、".join(proposal.get("aliases", ()))
            person = self._save(
                Person(name=proposal["name"], notes=_("Also written: %(names)s.") % {"names": aliases} if aliases else "")
            )
            self.counts["people created"] += 1
        else:
            self.counts["people matched"] += 1
        self.people[proposal["name"]] = person
        self._cite(person, proposal)

    def _post(self, proposal: dict) -> None:
        person, institution = self.people.get(proposal["person"]), self.institutions.get(proposal["institution"])
        if person is None or institution is None:
            self.counts["posts not saved"] += 1
            return
        title = proposal["name"][:200]
        post = Post.objects.filter(person=person, institution=institution, title=title).first()
        if post is None:
            attested = self.result.source["published_on"]
            post = self._save(
                Post(
                    person=person,
                    institution=institution,
                    title=title,
                    attested_on=datetime.date.fromisoformat(attested) if attested else None,
                )
            )
            self.counts["posts created"] += 1
        self._cite(post, proposal)

    def _event(self, proposal: dict) -> Event:
        kinds = proposal.get("kinds") or ["other"]
        start, end, precision = _date_bounds(proposal.get("start_date"), proposal.get("end_date"))
        notes = _("Kinds: %(kinds)s.") % {"kinds": ", ".join(kinds)}
        if proposal.get("date_text"):
            notes += " " + _("Date as written: %(date)s.") % {"date": proposal["date_text"]}
        event = self._save(
            Event(
                title=(proposal["name"] or _("Ceremony"))[:300],
                kind=_choice(kinds[0], EventKindChoices, EVENT_KINDS, EventKindChoices.OTHER),
                start_date=start,
                end_date=end,
                date_precision=precision,
                place=proposal.get("place", "")[:200],
                notes=notes,
            )
        )
        self.counts["events created"] += 1
        self._cite(event, proposal)
        for participant in proposal.get("participants", ()):
            person = self.people.get(participant.get("person"))
            institution = self.institutions.get(participant.get("institution"))
            if person is None and institution is None:
                continue
            role = participant["role"]
            record = self._save(
                EventParticipant(
                    event=event,
                    person=person,
                    institution=institution,
                    role=_choice(role, EventParticipantRoleChoices, PARTICIPANT_ROLES, EventParticipantRoleChoices.ATTENDEE),
                    notes=_("Role: %(role)s.") % {"role": role},
                )
            )
            self.counts["participants"] += 1
            self._cite(record, _quote_of(self, person=person, institution=institution, fallback=proposal))
        return event

    def _agreement(self, proposal: dict, event: Event | None) -> None:
        parties = [self.institutions.get(party["name"]) for party in proposal["parties"]]
        if any(party is None for party in parties) or len({party.pk for party in parties}) < 2:
            self.counts["agreements not saved"] += 1
            return
        earliest, latest, precision = _date_bounds(proposal.get("signed_earliest"), proposal.get("signed_latest"))
        kind = proposal.get("agreement_kind", "cooperation_agreement")
        agreement = agreement_create(
            title=proposal["name"][:300],
            kind=_choice(kind, AgreementKindChoices, AGREEMENT_KINDS, AgreementKindChoices.OTHER),
            signed_earliest=earliest,
            signed_latest=latest,
            signed_precision=precision,
            event=event,
            notes=_("Proposed kind: %(kind)s.") % {"kind": kind} if kind not in AgreementKindChoices.values else "",
            parties=[
                PartySpec(institution=institution, signatory=self.people.get(party.get("signatory") or ""))
                for institution, party in zip(parties, proposal["parties"], strict=True)
            ],
        )
        update_change_reason(agreement, INGEST_CHANGE_REASON)
        self.counts["agreements created"] += 1
        self._cite(agreement, proposal)
        for record in agreement.parties.select_related("institution"):
            update_change_reason(record, INGEST_CHANGE_REASON)
            party = next(party for party in proposal["parties"] if self.institutions[party["name"]] == record.institution)
            self._cite(record, party)


def _date_bounds(earliest: str | None, latest: str | None) -> tuple[datetime.date | None, datetime.date | None, str]:
    """Return a proposal's ISO date bounds as dates with their precision: both or neither."""
    if not earliest or not latest:
        return None, None, DatePrecisionChoices.UNKNOWN
    earliest, latest = datetime.date.fromisoformat(earliest), datetime.date.fromisoformat(latest)
    return earliest, latest, DatePrecisionChoices.DAY if earliest == latest else DatePrecisionChoices.RANGE


def _quote_of(saver: _Saver, *, person: Person | None, institution: Institution | None, fallback: dict) -> dict:
    """Return the quote and position a participant rests on: the person's (or institution's) first mention."""
    name = person.name if person is not None else institution.name
    for proposal in saver.result.proposals:
        if proposal["kind"] in ("person", "institution") and proposal["name"] == name:
            return {"quote": proposal["quote"], "start": proposal["start"]}
    return {"quote": fallback["quote"], "start": fallback["start"]}

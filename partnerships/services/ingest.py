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

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from partnerships.choices import (
    AgreementKindChoices,
    AgreementPartyRoleChoices,
    DatePrecisionChoices,
    EventKindChoices,
    EventParticipantRoleChoices,
    InstitutionKindChoices,
    PendingArticleStatusChoices,
    ProjectStatusChoices,
)
from partnerships.ingest import AnalysisTimeout, KnownInstitution, KnownPerson, KnownRegion, Snapshot, analyse
from partnerships.models import (
    Agreement,
    AgreementParty,
    Event,
    EventParticipant,
    Institution,
    InstitutionAlias,
    PendingArticle,
    Person,
    PersonAlias,
    Post,
    Project,
    ProjectType,
    Region,
    SourceDocument,
    change_reason_set,
    citation_table,
    text_checksum,
    text_fingerprints,
)
from partnerships.models.institutions import generic_name
from partnerships.models.rollups import partners_touch, rollups_deferred, rollups_touch
from partnerships.text import in_traditional_script, to_simplified

from .records import aliases_set, event_save, project_save, record_save

logger = logging.getLogger(__name__)

# Stored as the change reason of every history row an ingest writes.
INGEST_CHANGE_REASON = "ingest"

def _choice(value: str, choices, default: str) -> str:
    """Return the proposal's word where the model has it as a choice, else the default (the word goes into notes)."""
    return value if value in choices.values else default


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
        person_aliases=[
            (alias, KnownPerson(pk, name))
            for alias, pk, name in PersonAlias.objects.values_list("name", "person_id", "person__name").iterator()
        ],
        project_types=ProjectType.objects.values_list("code", "name"),
    )


def ingest_analyse(
    *,
    text: str,
    url: str = "",
    published: datetime.date | None = None,
    publisher: str | None = None,
    snapshot: Snapshot | None = None,
    interactive: bool = True,
) -> IngestResult:
    """Propose the records an article states; change nothing.

    An interactive analysis (the admin page, the API) refuses an article longer than
    INGEST_MAX_CHARS and stops after INGEST_TIME_BUDGET seconds; the command has neither bound.
    """
    if not text.strip():
        raise IngestError(_("The article has no text."))
    try:
        # The stored source's own rules, so a URL the command or a sidecar states is checked as the admin's and the API's are.
        SourceDocument._meta.get_field("url").clean(url, None)
    except ValidationError as error:
        raise IngestError(_("The URL %(url)s: %(error)s") % {"url": url, "error": " ".join(error.messages)}) from error
    if interactive and len(text) > settings.INGEST_MAX_CHARS:
        raise IngestError(
            _("The article has %(length)d characters; at most %(limit)d are analysed here. Split it into parts, or use manage.py ingest.")
            % {"length": len(text), "limit": settings.INGEST_MAX_CHARS}
        )
    snapshot = snapshot if snapshot is not None else ingest_snapshot()
    checksum = text_checksum(text)
    normalized = to_simplified(text)
    fingerprint, other_script = text_fingerprints(text)
    original = SourceDocument.objects.filter(fingerprint=other_script).select_related("publisher").first()
    # A repost speaks with its original's voice: 我校 is the original publisher, and 9月3日 is read
    # against the original's publication date, whatever site reposted it and when.
    context_publisher = publisher or (original and (original.publisher.name if original.publisher else original.publisher_name)) or None
    context_published = published or (original.published_on if original else None)
    try:
        proposals = analyse(
            text,
            snapshot=snapshot,
            published=context_published,
            publisher=context_publisher,
            url=url or None,
            time_budget=settings.INGEST_TIME_BUDGET if interactive else None,
        )
    except AnalysisTimeout as error:
        raise IngestError(
            _("The article took more than %(seconds)s seconds to analyse; nothing was stored. Split it into parts, or use manage.py ingest.")
            % {"seconds": settings.INGEST_TIME_BUDGET}
        ) from error
    except Exception as error:  # noqa: BLE001 - an article the rules trip over is reported, never a traceback
        logger.warning("ingest: analysing an article failed: %r", error)
        raise IngestError(
            _("The article could not be analysed (%(error)s); nothing was stored.") % {"error": error}
        ) from error
    # The same text, or a copy of it differing only in spacing or punctuation width.
    for proposal in proposals:
        if proposal["kind"] == "institution" and not proposal["match"] and generic_name(proposal["name"]):
            proposal["needs_choice"] = True  # a bare 区政府: never saved under that name
    duplicate = SourceDocument.objects.filter(fingerprint=fingerprint).values_list("pk", flat=True).first()
    source = {
        "title": _source_title(text),
        "url": url,
        "publisher": publisher or "",
        "published_on": published.isoformat() if published else None,
        "language": "zh-hant" if in_traditional_script(text, normalized) else "zh-hans",
        "checksum": checksum,
        "fingerprint": fingerprint,
        "length": len(text),
        "duplicate_of": duplicate,
        "repost_of": original.pk if original else None,
    }
    return IngestResult(source=source, proposals=proposals)


def ingest_queue(
    *,
    text: str,
    result: IngestResult,
    file_name: str = "",
    created_by=None,
) -> PendingArticle:
    """Keep an analysed article as a pending review instead of saving its records; refuse one stored or queued already."""
    duplicate = result.source.get("duplicate_of")
    if duplicate is not None:
        existing = SourceDocument.objects.defer("text", "text_normalized").get(pk=duplicate)
        raise IngestError(
            _("This text is already stored as source document “%(title)s” (id %(id)s, key %(key)s); nothing was stored.")
            % {"title": existing.title, "id": existing.pk, "key": existing.key}
        )
    fingerprint = result.source.get("fingerprint") or text_fingerprints(text)[0]
    queued = PendingArticle.objects.filter(fingerprint=fingerprint, status=PendingArticleStatusChoices.PENDING).first()
    if queued is not None:
        raise IngestError(
            _("This text is already waiting for review as pending article “%(title)s” (id %(id)s); nothing was stored.")
            % {"title": queued.title, "id": queued.pk}
        )
    return PendingArticle.objects.create(
        title=result.source["title"][:300] or fingerprint[:16],
        text=text,
        file_name=file_name[:300],
        result=result.as_json(),
        proposal_count=len(result.proposals),
        fingerprint=fingerprint,
        created_by=created_by,
    )


def ingest_queued_saved(*, pending_id: int, fingerprint: str) -> None:
    """Mark a pending article saved, linked to the source its review stored."""
    source = SourceDocument.objects.filter(fingerprint=fingerprint).only("pk").first()
    PendingArticle.objects.filter(pk=pending_id).update(status=PendingArticleStatusChoices.SAVED, source=source)


def _source_title(text: str) -> str:
    first_line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return first_line if len(first_line) <= 80 else f"{first_line[:79]}…"


def ingest_save(*, text: str, result: IngestResult) -> dict:
    """Store the source and every proposal as records with citations, in one transaction; return counts.

    A text already stored (or a copy differing only in spacing or punctuation width) is refused
    (IngestError naming the stored source), also when another request stores it at the same moment
    (a double submit). Records that exist (by id, or by name for institutions and people) are
    reused, so nothing is added twice.
    """
    fingerprint = result.source.get("fingerprint") or text_fingerprints(text)[0]
    try:
        return _store(text=text, result=result, fingerprint=fingerprint)
    except IntegrityError:
        # Both requests passed the check before either stored: the later one's insert broke the source's key.
        _refuse_stored(fingerprint)
        raise


def _refuse_stored(fingerprint: str) -> None:
    """Raise IngestError naming the stored source of this text (or of a re-spaced copy), if there is one."""
    existing = SourceDocument.objects.filter(fingerprint=fingerprint).defer("text", "text_normalized").first()
    if existing is not None:
        raise IngestError(
            _("This text is already stored as source document “%(title)s” (id %(id)s, key %(key)s); nothing was stored.")
            % {"title": existing.title, "id": existing.pk, "key": existing.key}
        )


@transaction.atomic
def _store(*, text: str, result: IngestResult, fingerprint: str) -> dict:
    _refuse_stored(fingerprint)
    saver = _Saver(text=text, result=result)
    try:
        saver.run()
    except ValidationError as error:
        raise IngestError(
            _("The proposals could not be saved, and nothing was stored: %(error)s") % {"error": " ".join(error.messages)}
        ) from error
    return saver.counts


class _Saver:
    """Write one article's proposals; every history row it writes carries the reason "ingest".

    What an article adds is mostly rows of a few kinds (institutions, people, posts, participants,
    parties, citations): each kind is validated row by row in memory and inserted with its history
    in one statement, and the names are looked up once for the whole article, so an article costs
    a few dozen queries rather than several per record.
    """

    def __init__(self, *, text: str, result: IngestResult):
        self.text = text
        self.result = result
        self.counts: Counter = Counter()
        self.institutions: dict[str, Institution] = {}
        self.people: dict[str, Person] = {}
        self.agreements: list[Agreement] = []
        self.created: list = []
        # Citations wait for their records' ids: (citation model, record, quote, position), one per record and position.
        self.citations: dict[tuple, tuple] = {}
        self.parties: list[AgreementParty] = []
        # Existing institutions a reviewer chose for a party or a post, by id.
        self.chosen: dict[int, Institution] = {}

    # The stored source: the first thing run() saves, so every later step has it.
    source: SourceDocument

    def run(self) -> None:
        by_kind: dict[str, list[dict]] = {}
        for proposal in self.result.proposals:
            if not proposal.get("unconfirmed"):  # only the model found it: saved once a reviewer accepts it
                by_kind.setdefault(proposal["kind"], []).append(proposal)
        with rollups_deferred():
            # The institutions first: the source then names its publisher (我校 and 学院 resolve to it) as it is stored.
            self._institutions(by_kind.get("institution", ()))
            self._chosen_records(by_kind)
            self._source()
            self._people(by_kind.get("person", ()))
            self._posts(by_kind.get("post", ()))
            event = None
            for proposal in by_kind.get("event", ()):
                event = self._event(proposal)
            for proposal in by_kind.get("agreement", ()):
                self._agreement(proposal, event)
            self._flush_parties()
            for proposal in by_kind.get("project", ()):
                self._project(proposal)
            self._flush_citations()
        self.counts = Counter({key: value for key, value in self.counts.items() if value})

    def _chosen_records(self, by_kind: dict[str, list[dict]]) -> None:
        """Fetch the existing institutions a reviewer chose for a party or a post (one query, none if none)."""
        chosen = {party.get("record") for proposal in by_kind.get("agreement", ()) for party in proposal["parties"]}
        chosen |= {proposal.get("institution_record") for proposal in by_kind.get("post", ())}
        chosen.discard(None)
        self.chosen = Institution.objects.in_bulk(chosen) if chosen else {}

    def _institution(self, name: str, record: int | None) -> Institution | None:
        """Return the institution a post or a party names: a record the reviewer chose, else the proposal of that name."""
        if record is not None:
            return self.chosen.get(record)
        return self.institutions.get(name)

    # ----- matching what another article recorded ------------------------------------------------
    def _already_recorded(self, model, *, parties=None, dated=None, title_folded=None, event=None, **fields):
        """Return the record another article already holds for this proposal, or None to create one.

        A repost states what its original stated, so a record the original cites is the same
        record when it agrees on the given fields (for an agreement: the same set of parties).
        An independent article is trusted less: besides agreeing, the record's known dates must
        overlap the proposal's (a signing of the same parties on the same days is one signing).
        An undated agreement is the one of the same parties and kind signed at the same event.
        """
        reasons = Q()
        if self.source.repost_of is not None:
            reasons |= Q(citations__source=self.source.repost_of)
        if dated is not None and None not in dated[:2]:
            earliest, latest, earliest_field, latest_field = dated
            reasons |= Q(**{f"{earliest_field}__lte": latest, f"{latest_field}__gte": earliest})
        elif event is not None:
            reasons |= Q(event=event)
        if not reasons:
            return None
        # What this article created is not "another article's": two agreements signed at one ceremony stay two.
        created = [record.pk for record in self.created if isinstance(record, model)]
        for record in model.objects.filter(reasons, **fields).exclude(pk__in=created).distinct().order_by("pk"):
            if title_folded is not None and to_simplified(record.title) != title_folded:
                continue
            if parties is not None and set(record.parties.values_list("institution_id", flat=True)) != parties:
                continue
            return record
        return None

    # ----- writing -------------------------------------------------------------------------------
    def _save(self, record, fields: dict | None = None):
        created = record.pk is None
        change_reason_set(record, INGEST_CHANGE_REASON)
        record_save(record=record, fields=fields or {})
        if created:
            self.created.append(record)
        return record

    def _insert(self, model, records: list) -> None:
        """Validate new rows of one model and insert them with their history, in two statements."""
        for record in records:
            _validate(record)
            if hasattr(record, "version"):
                record.version = 1  # what a first save() gives
        bulk_create_with_history(records, model, default_change_reason=INGEST_CHANGE_REASON)
        self.created.extend(records)

    def _cite(self, record, proposal: dict) -> None:
        key = (type(record), id(record), proposal["start"])
        if key not in self.citations:
            self.citations[key] = (citation_table(type(record)), record, proposal["quote"], proposal["start"])

    def _flush_citations(self) -> None:
        by_model: dict[type, list] = {}
        for citation_model, record, quote, position in self.citations.values():
            citation = citation_model(record=record, source=self.source, quote=quote, position=position)
            _validate(citation)
            by_model.setdefault(citation_model, []).append(citation)
        for citation_model, citations in by_model.items():
            bulk_create_with_history(citations, citation_model, default_change_reason=INGEST_CHANGE_REASON)
            self.counts["citations"] += len(citations)

    def _source(self) -> None:
        source = self.result.source
        original = source.get("repost_of")
        self.source = self._save(
            SourceDocument(
                key=f"ingest-{source['checksum'][:16]}",
                title=source["title"] or source["checksum"][:16],
                publisher_name=source["publisher"],
                # A repost differs only in script (or not at all, which the checksum refuses above).
                repost_of=SourceDocument.objects.filter(pk=original).first() if original else None,
                url=source["url"],
                language=source["language"],
                published_on=datetime.date.fromisoformat(source["published_on"]) if source["published_on"] else None,
                publisher=self._publisher(),
                text=self.text,
            )
        )
        self.counts["sources"] += 1

    def _publisher(self) -> Institution | None:
        """Return the institution that published the article, among its institutions or those stored."""
        name = self.result.source["publisher"]
        publisher = self.institutions.get(name) if name else None
        if publisher is None and name:
            publisher = Institution.objects.filter(name_folded=to_simplified(name)).first()
        return publisher

    def _institutions(self, proposals) -> None:
        matches = Institution.objects.in_bulk([p["match"] for p in proposals if p["match"]])
        named = {
            institution.name_folded: institution
            for institution in Institution.objects.filter(name_folded__in={to_simplified(p["name"]) for p in proposals})
        }
        regions = {region.code: region for region in Region.objects.filter(code__in={p.get("region") for p in proposals} - {None})}
        new = []
        for proposal in proposals:
            folded = to_simplified(proposal["name"])
            institution = matches.get(proposal["match"]) or named.get(folded)
            if institution is None and generic_name(proposal["name"]):
                # 区政府 with no district in reach: the reviewer names it or links a record; until then it and what needs it wait.
                self.counts["institutions not saved"] += 1
                continue
            if institution is None:
                kind = proposal.get("institution_kind", "other")
                institution = named[folded] = Institution(
                    name=proposal["name"],
                    kind=_choice(kind, InstitutionKindChoices, InstitutionKindChoices.OTHER),
                    region=regions.get(proposal.get("region")),
                    notes=_("Proposed kind: %(kind)s.") % {"kind": kind} if kind not in InstitutionKindChoices.values else "",
                )
                new.append(institution)
                self.counts["institutions created"] += 1
            else:
                self.counts["institutions matched"] += 1
            self.institutions[proposal["name"]] = institution
            self._cite(institution, proposal)
        self._insert(Institution, new)

    def _people(self, proposals) -> None:
        matches = Person.objects.in_bulk([p["match"] for p in proposals if p["match"]])
        named = {person.name: person for person in Person.objects.filter(name__in={p["name"] for p in proposals}, disambiguation="")}
        new, found = [], []
        for proposal in proposals:
            person = matches.get(proposal["match"]) or named.get(proposal["name"])
            if person is None:
                person = named[proposal["name"]] = Person(name=proposal["name"])
                new.append(person)
                self.counts["people created"] += 1
            else:
                found.append(person)
                self.counts["people matched"] += 1
            self.people[proposal["name"]] = person
            self._cite(person, proposal)
        self._insert(Person, new)
        recorded: dict[int, list[str]] = {}
        for person_id, name in PersonAlias.objects.filter(person__in=found).values_list("person_id", "name") if found else ():
            recorded.setdefault(person_id, []).append(name)
        # Spellings the article adds (a variant, the traditional script) join the ones recorded.
        for proposal in proposals:
            person = self.people[proposal["name"]]
            known = recorded.setdefault(person.pk, [])
            added = [alias for alias in dict.fromkeys(proposal.get("aliases", ())) if alias != person.name and alias not in known]
            if added:
                aliases_set(record=person, names=known + added)
                known.extend(added)
                self.counts["person aliases"] += len(added)

    def _posts(self, proposals) -> None:
        people = [person for person in self.people.values() if person not in self.created]
        institutions = [institution for institution in self.institutions.values() if institution not in self.created]
        institutions += self.chosen.values()
        stored = {
            (post.person_id, post.institution_id, post.title): post
            for post in Post.objects.filter(person__in=people, institution__in=institutions)
        } if people and institutions else {}
        attested = self.result.source["published_on"]
        new = []
        for proposal in proposals:
            person = self.people.get(proposal["person"])
            institution = self._institution(proposal["institution"], proposal.get("institution_record"))
            if person is None or institution is None:
                self.counts["posts not saved"] += 1
                continue
            title = proposal["name"][:200]
            post = stored.get((person.pk, institution.pk, title))
            if post is None:
                post = stored[person.pk, institution.pk, title] = Post(
                    person=person,
                    institution=institution,
                    title=title,
                    attested_on=datetime.date.fromisoformat(attested) if attested else None,
                )
                new.append(post)
                self.counts["posts created"] += 1
            self._cite(post, proposal)
        self._insert(Post, new)

    def _event(self, proposal: dict) -> Event:
        kinds = list(dict.fromkeys(_choice(kind, EventKindChoices, EventKindChoices.OTHER) for kind in proposal.get("kinds") or ["other"]))
        start, end, precision = _date_bounds(proposal.get("start_date"), proposal.get("end_date"))
        title = (proposal["name"] or _("Ceremony"))[:300]
        event = self._already_recorded(Event, title_folded=to_simplified(title), dated=(start, end, "start_date", "end_date"))
        if event is None:
            event = Event(
                title=title,
                start_date=start,
                end_date=end,
                date_precision=precision,
                date_text=(proposal.get("date_text") or "")[:100],
                place=proposal.get("place", "")[:200],
            )
            change_reason_set(event, INGEST_CHANGE_REASON)
            event_save(event=event, kinds=kinds)
            self.created.append(event)
            self.counts["events created"] += 1
            seen = set()
        else:
            self.counts["events matched"] += 1
            seen = set(event.participants.values_list("person_id", "institution_id", "role"))
        self._cite(event, proposal)
        new = []
        for participant in proposal.get("participants", ()):
            person = self.people.get(participant.get("person"))
            institution = self.institutions.get(participant.get("institution"))
            role = participant["role"]
            # One row per person (or institution) and role: 金同元 chairs and speaks, two rows.
            key = (person and person.pk, institution and institution.pk, _choice(role, EventParticipantRoleChoices, EventParticipantRoleChoices.ATTENDEE))
            if (person is None and institution is None) or key in seen:
                continue
            seen.add(key)
            record = EventParticipant(
                event=event,
                person=person,
                institution=institution,
                role=_choice(role, EventParticipantRoleChoices, EventParticipantRoleChoices.ATTENDEE),
                notes="" if role in EventParticipantRoleChoices.values else _("Role: %(role)s.") % {"role": role},
            )
            new.append(record)
            self.counts["participants"] += 1
            self._cite(record, _quote_of(self, person=person, institution=institution, fallback=proposal))
        self._insert(EventParticipant, new)
        return event

    def _agreement(self, proposal: dict, event: Event | None) -> None:
        named = [self._institution(party["name"], party.get("record")) for party in proposal["parties"]]
        parties = [party for party in named if party is not None]
        if len(parties) < len(named) or len({party.pk for party in parties}) < 2:
            self.counts["agreements not saved"] += 1
            return
        earliest, latest, precision = _date_bounds(proposal.get("signed_earliest"), proposal.get("signed_latest"))
        kind = proposal.get("agreement_kind", "cooperation_agreement")
        agreement = self._already_recorded(
            Agreement,
            parties={party.pk for party in parties},
            dated=(earliest, latest, "signed_earliest", "signed_latest"),
            event=event if event is not None and event not in self.created else None,
            kind=_choice(kind, AgreementKindChoices, AgreementKindChoices.OTHER),
        )
        if agreement is not None:
            self.agreements.append(agreement)
            self.counts["agreements matched"] += 1
            self._cite(agreement, proposal)
            return
        agreement = Agreement(
            title=proposal["name"][:300],
            kind=_choice(kind, AgreementKindChoices, AgreementKindChoices.OTHER),
            signed_earliest=earliest,
            signed_latest=latest,
            signed_precision=precision,
            event=event,
            notes=_("Proposed kind: %(kind)s.") % {"kind": kind} if kind not in AgreementKindChoices.values else "",
        )
        self._save(agreement)
        self.agreements.append(agreement)
        self.counts["agreements created"] += 1
        self._cite(agreement, proposal)
        for institution, party in zip(parties, proposal["parties"], strict=True):
            record = AgreementParty(
                agreement=agreement,
                institution=institution,
                role=_choice(party.get("role") or "", AgreementPartyRoleChoices, AgreementPartyRoleChoices.PARTNER),
                signatory=self.people.get(party.get("signatory") or ""),
            )
            self.parties.append(record)
            self._cite(record, party)

    def _flush_parties(self) -> None:
        self._insert(AgreementParty, self.parties)
        # Inserted without save(): their agreements' rollups are marked here, refreshed once at the end.
        rollups_touch({party.agreement_id for party in self.parties})
        partners_touch({party.agreement_id for party in self.parties})

    def _project(self, proposal: dict) -> None:
        project_type = ProjectType.objects.filter(code=proposal.get("project_type")).first()
        builders = [self.institutions[name] for name in proposal.get("institutions", ()) if name in self.institutions]
        if project_type is None:
            self.counts["projects not saved"] += 1
            return
        existing = self._already_recorded(Project, name=proposal["name"][:300], project_type=project_type)
        if existing is not None:
            self.counts["projects matched"] += 1
            self._cite(existing, proposal)
            return
        project = Project(
            name=proposal["name"][:300],
            project_type=project_type,
            status=_choice(proposal.get("status", ""), ProjectStatusChoices, ProjectStatusChoices.PLANNED),
        )
        change_reason_set(project, INGEST_CHANGE_REASON)
        project_save(
            project=project,
            builders=[{"institution": institution} for institution in dict.fromkeys(builders)],
            agreements=self.agreements,
        )
        self.created.append(project)
        self.counts["projects created"] += 1
        self._cite(project, proposal)


def _validate(record) -> None:
    """Validate a new row in memory: its related records are in hand and its names were looked up.

    The database still holds the foreign keys and the unique constraints; what is left out is
    only their query per row.
    """
    related = [field.name for field in record._meta.fields if field.many_to_one]
    record.full_clean(exclude=related, validate_unique=False, validate_constraints=False)


def _date_bounds(earliest: str | None, latest: str | None) -> tuple[datetime.date | None, datetime.date | None, str]:
    """Return a proposal's ISO date bounds as dates with their precision: both or neither."""
    if not earliest or not latest:
        return None, None, DatePrecisionChoices.UNKNOWN
    first, last = datetime.date.fromisoformat(earliest), datetime.date.fromisoformat(latest)
    return first, last, DatePrecisionChoices.DAY if first == last else DatePrecisionChoices.RANGE


def _quote_of(saver: _Saver, *, person: Person | None, institution: Institution | None, fallback: dict) -> dict:
    """Return the quote and position a participant rests on: the person's (or institution's) first mention."""
    named = person if person is not None else institution
    assert named is not None, "a participant is a person, an institution or both"
    name = named.name
    for proposal in saver.result.proposals:
        if proposal["kind"] in ("person", "institution") and proposal["name"] == name:
            return {"quote": proposal["quote"], "start": proposal["start"]}
    return {"quote": fallback["quote"], "start": fallback["start"]}

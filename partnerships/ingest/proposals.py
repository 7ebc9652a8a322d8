"""Proposals as typed objects, and the words of the ingest contract they are serialised to.

Every proposal has `kind`, `name`, `quote`, `start`, `end` and `match`; each kind adds its own
keys. as_dict() gives exactly the JSON the ingest command, the API and the review page read.
"""

from dataclasses import asdict, dataclass, field

from partnerships.text import to_simplified

from . import vocabulary as vocab
from .analysis import CLAUSE_END, Analysis, PersonFound
from .dates import DateMention


@dataclass
class Proposal:
    kind: str = field(init=False)
    name: str
    quote: str
    start: int
    end: int
    match: int | None
    # A name only the statistical model found and the rules could not confirm (stages/model.py):
    # written as "unconfirmed": true, and only then; the reviewer decides, saving alone leaves it out.
    unconfirmed: bool = field(default=False, kw_only=True)

    def as_dict(self) -> dict:
        """Return the proposal as the ingest contract words it."""
        found = asdict(self)
        if not found.pop("unconfirmed"):
            return found
        return {**found, "unconfirmed": True}


@dataclass
class InstitutionProposal(Proposal):
    institution_kind: str
    region: str | None
    mentions: list[list[int]]
    kind: str = field(default="institution", init=False)


@dataclass
class PersonProposal(Proposal):
    aliases: list[str]
    mentions: list[list[int]]
    kind: str = field(default="person", init=False)


@dataclass
class PostProposal(Proposal):
    person: str
    institution: str
    kind: str = field(default="post", init=False)


@dataclass
class EventProposal(Proposal):
    kinds: list[str]
    date_text: str
    start_date: str | None
    end_date: str | None
    place: str
    participants: list[dict]
    kind: str = field(default="event", init=False)


@dataclass
class Party:
    name: str
    quote: str
    start: int
    end: int
    match: int | None
    signatory: str | None


@dataclass
class AgreementProposal(Proposal):
    agreement_kind: str
    parties: list[Party]
    signatories: list[str]
    date_text: str
    signed_earliest: str | None
    signed_latest: str | None
    # What the signing date rests on: text, header, relative, publication, url (dates.py), or None.
    signed_basis: str | None
    kind: str = field(default="agreement", init=False)


@dataclass
class ProjectProposal(Proposal):
    project_type: str | None
    institutions: list[str]
    status: str = "established"
    kind: str = field(default="project", init=False)


# The kinds of name a reviewer may add where the engine missed one.
MISSED_KINDS = ("institution", "person")


def missed_name(*, text: str, kind: str, name: str, start: int, end: int) -> Proposal:
    """Return the proposal of a name the engine missed, citing text[start:end]; ValueError for offsets outside the text.

    An institution's kind follows from its suffix (…职业学院 is a higher vocational college), as
    the engine's own do; its region is left for the record's page.
    """
    if kind not in MISSED_KINDS:
        raise ValueError(f"a missed name is an institution or a person, not {kind!r}")
    if not 0 <= start < end <= len(text):
        raise ValueError(f"offsets {start}-{end} are outside the text of {len(text)} characters")
    quote, mentions = text[start:end], [[start, end]]
    if kind == "person":
        return PersonProposal(name=name, quote=quote, start=start, end=end, match=None, aliases=[], mentions=mentions)
    suffix = vocab.organisation_suffix(to_simplified(name))
    return InstitutionProposal(
        name=name,
        quote=quote,
        start=start,
        end=end,
        match=None,
        institution_kind=vocab.ORGANISATION_SUFFIXES.get(suffix or "", "other"),
        region=None,
        mentions=mentions,
    )


def _quote(analysis: Analysis, start: int, end: int) -> dict:
    return analysis.quote(start, end)


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def as_written(analysis: Analysis, person: PersonFound) -> str:
    """Return the person's name as the article first writes it where the script is simplified."""
    start, end = person.mentions[0]
    if analysis.simplified_script and analysis.folded[start:end] == person.name:
        return analysis.text[start:end]
    return person.name


class _Writer:
    """Words an analysis's findings as proposals, each person named as the person proposal names them."""

    def __init__(self, analysis: Analysis):
        self.analysis = analysis
        self.written = {found.name: as_written(analysis, found) for found in analysis.people.values()}

    def shown(self, name: str) -> str:
        """Return a person's name as the article writes it."""
        return self.written.get(name, name)

    def shown_if_any(self, name: str | None) -> str | None:
        """Return a person's name as written, or None where there is none."""
        return self.shown(name) if name else name

    def institutions(self) -> list[Proposal]:
        analysis = self.analysis
        found_in_order = sorted(analysis.institutions.values(), key=lambda f: f.first.start if f.mentions else 1 << 30)
        return [
            InstitutionProposal(
                name=found.name,
                **_quote(analysis, found.first.start, found.first.end),
                match=found.match,
                institution_kind=found.kind,
                region=found.region,
                mentions=[[mention.start, mention.end] for mention in found.mentions],
            )
            for found in found_in_order
            if found.mentions
        ]

    def people(self) -> list[Proposal]:
        analysis, out = self.analysis, []  # type: Analysis, list[Proposal]
        for person in sorted(analysis.people.values(), key=lambda p: p.mentions[0]):
            start, end = person.mentions[0]
            name = as_written(analysis, person)
            written = sorted({analysis.text[a:b] for a, b in person.mentions} - {name})
            out.append(
                PersonProposal(
                    name=name,
                    **_quote(analysis, start, end),
                    match=person.match,
                    aliases=written,
                    mentions=[list(mention) for mention in person.mentions],
                )
            )
        return out

    def posts(self) -> list[Proposal]:
        return [
            PostProposal(
                name=post["title"],
                **_quote(self.analysis, post["start"], post["end"]),
                match=None,
                person=self.shown(post["person"]),
                institution=post["institution"],
            )
            for post in self.analysis.posts
        ]

    def event(self) -> list[Proposal]:
        analysis, event = self.analysis, self.analysis.event
        if not event:
            return []
        date: DateMention | None = event["date"]
        participants = [
            {"person": self.shown(name), "role": role} for name, role in _participant_roles(analysis)
        ]
        start, end = event["sentence"]
        participants += [
            {"institution": found.name, "role": "attendee"} for _, found in analysis.institutions_in(start, end)
        ]
        return [
            EventProposal(
                name=event["name"],
                **_quote(analysis, event["start"], event["end"]),
                match=None,
                kinds=event["kinds"],
                date_text=analysis.text[date.start : date.end] if date else "",
                start_date=_iso(date.earliest) if date else None,
                end_date=_iso(date.latest) if date else None,
                place=event["place"],
                participants=participants,
            )
        ]

    def agreement(self, agreement: dict) -> Proposal:
        analysis = self.analysis
        date: DateMention | None = agreement["date"]
        parties = []
        for name in agreement["parties"]:
            mention = agreement["party_mentions"][name]
            parties.append(
                Party(
                    name=name,
                    **_quote(analysis, mention.start, mention.end),
                    match=analysis.institutions[name].match,
                    signatory=self.shown_if_any(agreement["signatories"].get(name)),
                )
            )
        return AgreementProposal(
            name=agreement["title"],
            **_quote(analysis, agreement["start"], agreement["end"]),
            match=None,
            agreement_kind=agreement["kind"],
            parties=parties,
            signatories=[self.shown(name) for name in dict.fromkeys(agreement["signatories"].values())],
            date_text=analysis.text[date.start : date.end] if date else "",
            signed_earliest=_iso(date.earliest) if date else None,
            signed_latest=_iso(date.latest) if date else None,
            signed_basis=date.basis if date and date.earliest else None,
        )

    def project(self, project: dict) -> Proposal:
        return ProjectProposal(
            name=project["name"],
            **_quote(self.analysis, project["start"], project["end"]),
            match=None,
            project_type=project["project_type"],
            institutions=project["institutions"],
        )


def _participant_roles(analysis: Analysis) -> list[tuple[str, str]]:
    """Return (person, role) for everyone the article names: signatories, the roles a clause's cue gives, else attendee."""
    roles: dict[str, list[str]] = {}

    def take(name: str, role: str) -> None:
        if role not in roles.setdefault(name, []):
            roles[name].append(role)

    for agreement in analysis.agreements:
        for person in agreement["signatories"].values():
            take(person, "signatory")
    for start, end in analysis.spans(CLAUSE_END):
        clause = analysis.folded[start:end]
        for words, role in vocab.PARTICIPANT_ROLES:
            cue = next((clause.find(word) for word in words if word in clause), -1)
            if cue < 0:
                continue
            inside = [person for position, person in analysis.people_in(start, end)]
            before = [person for position, person in analysis.people_in(start, start + cue)]
            chosen = before if role in ("unveiler", "witness") else before[-1:] or inside[:1]
            if clause.startswith("由") or "由" in clause[:cue]:
                chosen = inside[:1]
            for person in chosen:
                take(person.name, role)
    for person in analysis.people.values():
        if not roles.get(person.name):
            take(person.name, "attendee")
    return [(name, role) for name, taken in roles.items() for role in taken]


def proposals(analysis: Analysis) -> list[Proposal]:
    """Return the analysis's proposals: institutions, people, posts, the event, agreements, projects."""
    writer = _Writer(analysis)
    return [
        *writer.institutions(),
        *writer.people(),
        *writer.posts(),
        *writer.event(),
        *(writer.agreement(agreement) for agreement in analysis.agreements),
        *(writer.project(project) for project in analysis.projects),
    ]

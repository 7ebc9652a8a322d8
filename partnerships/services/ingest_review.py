"""Apply a reviewer's decisions (accept or reject, rename, re-kind, re-match) to an article's proposals.

The saver (services.ingest) links proposals to each other by name: a post names its person
and institution, an agreement its parties and signatories, the event its participants. A
rename therefore carries over to every proposal that refers to the renamed one, and a
rejected institution or person leaves the proposals that need it unsaved (and counted).

Repairs go further than a rename: an agreement's parties (each with its role and signatory)
and signing day, a post's institution, and names the engine missed (added as proposals of
their own, quoted from the text). A party or post may name an existing record by id
("record"), which the saver takes as it is.
"""

import copy
from dataclasses import dataclass, replace

from .ingest import IngestResult

# The proposal field that a review's "kind" edits, per proposal kind.
KIND_FIELDS = {"institution": "institution_kind", "agreement": "agreement_kind", "project": "project_type"}
# Proposal kinds whose "match" (an existing record's id, or None for new) the saver reads.
MATCHED_KINDS = ("institution", "person")


@dataclass(frozen=True)
class ProposalEdit:
    """What a reviewer decided about one proposal; None keeps the proposal's own value."""

    accepted: bool = True
    name: str | None = None
    kind: str | None = None
    # The id of the existing record to link, 0 for a new record, None to keep the engine's match.
    match: int | None = None
    # An agreement's parties as repaired (None keeps the engine's), and its signing day:
    # an ISO date, "" for unknown, None to keep the engine's reading.
    parties: tuple["PartyEdit", ...] | None = None
    signed: str | None = None
    # A post's institution: the name of an institution proposal, or an existing record's id.
    institution: str | None = None
    institution_record: int | None = None


@dataclass(frozen=True)
class PartyEdit:
    """One party of an agreement as the reviewer left it, with the quote its citation rests on."""

    name: str
    quote: str
    start: int
    end: int
    role: str = "partner"
    signatory: str | None = None
    # An existing institution's id, chosen by the reviewer; None: the institution proposal of that name.
    record: int | None = None

    def as_dict(self) -> dict:
        """Return the party as the saver reads it."""
        return {
            "name": self.name,
            "quote": self.quote,
            "start": self.start,
            "end": self.end,
            "role": self.role,
            "signatory": self.signatory,
            "record": self.record,
        }


def ingest_review_apply(
    *, result: IngestResult, edits: dict[int, ProposalEdit], added: list[dict] | tuple = ()
) -> IngestResult:
    """Return a copy of the result with the edits applied by proposal index, and the added proposals after them.

    Rejected proposals are dropped. `added` holds proposals the reviewer made (names the
    engine missed), already worded as the engine words its own.
    """
    proposals = copy.deepcopy(result.proposals)
    renamed: dict[str, dict[str, str]] = {"institution": {}, "person": {}}
    kept = []
    for index, proposal in enumerate(proposals):
        edit = edits.get(index, ProposalEdit())
        if not edit.accepted:
            continue
        if edit.name and edit.name != proposal["name"]:
            if proposal["kind"] in renamed:
                renamed[proposal["kind"]][proposal["name"]] = edit.name
            proposal["name"] = edit.name
        if edit.kind and proposal["kind"] in KIND_FIELDS:
            proposal[KIND_FIELDS[proposal["kind"]]] = edit.kind
        if edit.match is not None and proposal["kind"] in MATCHED_KINDS:
            proposal["match"] = edit.match or None
        proposal.pop("unconfirmed", None)  # a reviewer accepted it: saved like any other
        _repair(proposal, edit)
        kept.append(proposal)
    kept.extend(copy.deepcopy(list(added)))
    for proposal in kept:
        _follow_renames(proposal, institutions=renamed["institution"], people=renamed["person"])
    return replace(result, proposals=kept)


def _repair(proposal: dict, edit: ProposalEdit) -> None:
    """Apply an agreement's or a post's repairs to its proposal."""
    if proposal["kind"] == "agreement":
        if edit.parties is not None:
            proposal["parties"] = [party.as_dict() for party in edit.parties]
            proposal["signatories"] = list(dict.fromkeys(party.signatory for party in edit.parties if party.signatory))
        if edit.signed is not None:
            proposal["signed_earliest"] = proposal["signed_latest"] = edit.signed or None
            proposal["signed_basis"] = "review" if edit.signed else None
    elif proposal["kind"] == "post":
        if edit.institution_record:
            proposal["institution_record"] = edit.institution_record
        elif edit.institution:
            proposal["institution"] = edit.institution
            proposal.pop("institution_record", None)


def _follow_renames(proposal: dict, *, institutions: dict[str, str], people: dict[str, str]) -> None:
    """Point a proposal's references to institutions and people at their new names."""
    kind = proposal["kind"]
    if kind == "post":
        proposal["institution"] = institutions.get(proposal["institution"], proposal["institution"])
        proposal["person"] = people.get(proposal["person"], proposal["person"])
    elif kind == "agreement":
        for party in proposal["parties"]:
            party["name"] = institutions.get(party["name"], party["name"])
            if party.get("signatory"):
                party["signatory"] = people.get(party["signatory"], party["signatory"])
        proposal["signatories"] = [people.get(name, name) for name in proposal.get("signatories", ())]
    elif kind == "event":
        for participant in proposal.get("participants", ()):
            if participant.get("institution"):
                participant["institution"] = institutions.get(participant["institution"], participant["institution"])
            if participant.get("person"):
                participant["person"] = people.get(participant["person"], participant["person"])
    elif kind == "project":
        proposal["institutions"] = [institutions.get(name, name) for name in proposal.get("institutions", ())]

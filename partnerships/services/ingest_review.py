"""Apply a reviewer's decisions (accept or reject, rename, re-kind, re-match) to an article's proposals.

The saver (services.ingest) links proposals to each other by name: a post names its person
and institution, an agreement its parties and signatories, the event its participants. A
rename therefore carries over to every proposal that refers to the renamed one, and a
rejected institution or person leaves the proposals that need it unsaved (and counted).
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


def ingest_review_apply(*, result: IngestResult, edits: dict[int, ProposalEdit]) -> IngestResult:
    """Return a copy of the result with the edits applied by proposal index; rejected proposals are dropped."""
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
        kept.append(proposal)
    for proposal in kept:
        _follow_renames(proposal, institutions=renamed["institution"], people=renamed["person"])
    return replace(result, proposals=kept)


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

"""Model: the organisations and people the statistical model (ner.py) finds where the rules found none.

The model proposes; the rules confirm. Three steps, each a stage (stages/__init__.py):

- `organisations`, after the rule mentions: an ORG span no rule mention overlaps becomes an
  institution when it passes the test a rule name passes (an organisation suffix the vocabulary
  knows, more than the suffix before it, a place before a body every place has, no generic bare
  body such as 区委), so the stages after it (resolution, posts, agreements) read it as any name;
- `people`, after the posts: a PER span no rule mention overlaps becomes a person when a title is
  in its clause (院长王小生, 王小生院长); the posts stage has already decided titles and posts;
- `proposals`, last: with INGEST_MODEL=unconfirmed, the spans that failed only the confirmation are added as
  proposals marked unconfirmed, which the review page offers unticked and saving leaves out unless
  a reviewer accepts them. No rule stage sees them. Measured in docs/ner-evaluation.md.

The model reads only the sentences that hold a candidate marker (an organisation suffix or a title):
a span from any other sentence could not be confirmed.
"""

import re
from functools import lru_cache

from .. import ner
from .. import vocabulary as vocab
from ..analysis import CLAUSE_END, HAN_NAME, LONGEST_NAME, SENTENCE_END, Analysis
from ..proposals import EventProposal, Proposal

_HAN_OR_BRACKETS = re.compile(r"^[\u4e00-\u9fff()]+$")
# Characters that never stand inside a name the model should have ended before (信发集团与学院).
_INSIDE_BREAKS = frozenset("与和及、,;:的在为是由对将")


def _any_word(words) -> re.Pattern:
    """Match any of the words, the longest first where one begins another."""
    return re.compile("|".join(re.escape(word) for word in sorted(words, key=len, reverse=True)))


@lru_cache(maxsize=1)
def _run_on() -> re.Pattern:
    """Words a body's name never holds: the rules' name breaks of two characters or more, and titles (金德水理事长代表…)."""
    return _any_word({word for word in vocab.NAME_BREAKS if len(word) > 1} | set(vocab.TITLE_WORDS))


@lru_cache(maxsize=1)
def _markers() -> re.Pattern:
    return _any_word({*vocab.ORGANISATION_SUFFIXES, *vocab.TITLE_WORDS, *vocab.TITLE_ENDINGS, *vocab.NATIONAL_BODIES})


def _pieces(analysis: Analysis) -> list[tuple[int, str]]:
    """Return the runs of clauses worth reading (offset, text): those holding a marker, cut to the longest piece."""
    markers, pieces = _markers(), []
    run: tuple[int, int] | None = None
    for start, end in [*analysis.spans(CLAUSE_END), (len(analysis.folded) + 1, len(analysis.folded) + 1)]:
        marked = bool(markers.search(analysis.folded, start, end))
        if run is not None and (not marked or SENTENCE_END.search(analysis.folded, run[1], start)):
            for offset in range(run[0], run[1], ner.LONGEST_PIECE):
                pieces.append((offset, analysis.folded[offset : min(run[1], offset + ner.LONGEST_PIECE)]))
            run = None
        if marked:
            run = (run[0] if run else start, end)
    return pieces


def _entities(analysis: Analysis) -> list[ner.Entity]:
    """Return the model's spans for the article, read once and kept on the analysis."""
    if analysis.model_entities is None:
        tagger = ner.tagger()
        analysis.model_entities = [] if tagger is None else tagger.entities(_pieces(analysis), check=analysis.check_time)
    return analysis.model_entities


def _covered(analysis: Analysis, start: int, end: int) -> bool:
    """Say whether a rule already named something overlapping the span (an institution or a person)."""
    institutions = analysis.institution_mentions(max(0, start - LONGEST_NAME), end)
    if any(mention.start < end and start < mention.end for mention, _ in institutions):
        return True
    return any(a < end and start < b for a, b, _ in analysis.person_mentions(max(0, start - 16), end))


def _plausible_organisation(name: str) -> bool:
    """Say whether a span could name a body at all: Chinese, 3 to 40 characters, not run into the next words."""
    return (
        3 <= len(name) <= LONGEST_NAME
        and bool(_HAN_OR_BRACKETS.match(name))
        and not _INSIDE_BREAKS.intersection(name)
        and not vocab.is_title(name)
        and not _run_on().search(name)
    )


def _confirmed_organisation(analysis: Analysis, name: str) -> bool:
    """Say whether the rules would take the span as a body's name (docs/ner-evaluation.md, "Recommendation")."""
    if name in analysis.snapshot.institutions:
        return True
    suffix = vocab.organisation_suffix(name)
    if not suffix or name in vocab.NOT_ORGANISATIONS or len(name) - len(suffix) < 2:
        return False
    place = analysis.region_names_prefixing(name)
    if place and name[len(place[0]) :] in vocab.NOT_ORGANISATIONS:
        return False
    if suffix in vocab.PLACE_BOUND_SUFFIXES and not place:
        return False
    return not _generic(name)


def _plausible_person(name: str) -> bool:
    return bool(HAN_NAME.match(name)) and not vocab.not_a_name(name) and not vocab.organisation_suffix(name)


def _titled(analysis: Analysis, start: int, end: int) -> bool:
    """Say whether a title is written in the clause of a name (院长王小生, 王小生院长, 王小生，院长)."""
    clause_start = max((m.end() for m in CLAUSE_END.finditer(analysis.folded, max(0, start - 30), start)), default=max(0, start - 30))
    following = CLAUSE_END.search(analysis.folded, end, end + 30)
    clause_end = following.start() if following else min(len(analysis.folded), end + 30)
    for position in range(clause_start, clause_end):
        token = analysis.token_starting_at.get(position)
        if token is not None and not start <= position < end and token.flag != "x" and vocab.is_title(token.word):
            return True
    return False


def organisations(analysis: Analysis) -> None:
    """Add the model's organisations that no rule named and that pass the rules' test of a name."""
    for entity in _entities(analysis):
        if entity.label != "ORG" or _covered(analysis, entity.start, entity.end):
            continue
        name = analysis.folded[entity.start : entity.end]
        if _plausible_organisation(name) and _confirmed_organisation(analysis, name):
            analysis.add_institution(analysis.expand(name), entity.start, entity.end)


def people(analysis: Analysis) -> None:
    """Add the model's people that no rule named and that have a title in their clause."""
    for entity in _entities(analysis):
        if entity.label != "PER" or _covered(analysis, entity.start, entity.end):
            continue
        name = analysis.folded[entity.start : entity.end]
        if _plausible_person(name) and name[0] in vocab.SURNAMES and _titled(analysis, entity.start, entity.end):
            analysis.add_person(name, entity.start, entity.end)


def proposals(analysis: Analysis) -> None:
    """With INGEST_MODEL=unconfirmed, propose what the model found and nothing confirmed, marked unconfirmed."""
    if not ner.unconfirmed():
        return
    for entity in _entities(analysis):
        if _covered(analysis, entity.start, entity.end):
            continue
        name = analysis.folded[entity.start : entity.end]
        if entity.label == "ORG" and _plausible_organisation(name) and not _generic(name):
            if name not in analysis.institutions and analysis.add_institution(name, entity.start, entity.end).name == name:
                analysis.unconfirmed.add(("institution", name))
        elif entity.label == "PER" and _plausible_person(name):
            if name not in analysis.people and analysis.add_person(name, entity.start, entity.end).name == name:
                analysis.unconfirmed.add(("person", name))


def _generic(name: str) -> bool:
    # The reviewer's test of a bare body (区政府, 县委), imported when first asked as the models module does.
    from partnerships.models.institutions import generic_name

    return generic_name(name)


def mark_unconfirmed(found: list[Proposal], unconfirmed: set[tuple[str, str]]) -> list[Proposal]:
    """Mark the proposals of names only the model found; an event lists none of them among its participants."""
    for proposal in found:
        if (proposal.kind, proposal.name) in unconfirmed:
            proposal.unconfirmed = True
        elif isinstance(proposal, EventProposal):
            proposal.participants = [
                participant
                for participant in proposal.participants
                if ("person", participant.get("person")) not in unconfirmed
                and ("institution", participant.get("institution")) not in unconfirmed
            ]
    return found

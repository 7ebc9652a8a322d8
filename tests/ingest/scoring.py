"""Score an article's proposals against its hand-made answer key."""

from dataclasses import dataclass

from partnerships.text import to_simplified


@dataclass(frozen=True)
class Score:
    article: str
    institutions: tuple[int, int]
    people: tuple[int, int]
    agreements: tuple[int, int]
    proposals: tuple[int, int]
    # Defaults keep a Score built from the four older figures valid.
    dates: tuple[int, int] = (0, 0)
    offsets: tuple[int, int] = (0, 0)

    @staticmethod
    def ratio(pair: tuple[int, int]) -> float:
        found, total = pair
        return found / total if total else 1.0


def _names(items) -> set[str]:
    return {to_simplified(item) for item in items}


def _post_correct(post: dict, key_people: dict[str, list[dict]]) -> bool:
    """A post is right when its holder's key lists the title at that institution (or one of its departments)."""
    name, person, at = (to_simplified(post[field]) for field in ("name", "person", "institution"))
    for expected in key_people.get(person, ()):
        title, institution = to_simplified(expected["title"]), to_simplified(expected["institution"])
        if (name == title or title.endswith(name) or name.endswith(title)) and (at == institution or at.startswith(institution)):
            return True
    return False


def _parties(proposal: dict) -> frozenset[str]:
    return frozenset(_names(party["name"] for party in proposal["parties"]))


def _date_found(expected: tuple[frozenset, tuple], proposed: tuple[frozenset, tuple]) -> bool:
    """Say whether an agreement proposed with the key's parties carries the key's date.

    A bound the key leaves open (近日 in an article published on a day: only the latest) is not
    scored, whatever bound the engine reads there (it counts 近日 back 31 days); a key with no
    bound at all (`"signed": null`) expects a proposal with none.
    """
    (parties, (earliest, latest)), (found_parties, (found_earliest, found_latest)) = expected, proposed
    if parties != found_parties:
        return False
    if earliest is None and latest is None:
        return found_earliest is None and found_latest is None
    return earliest in (None, found_earliest) and latest in (None, found_latest)


def expected_date(agreement: dict) -> tuple[str | None, str | None] | None:
    """Return the (earliest, latest) signing date a key agreement expects, or None when the key leaves it unscored."""
    if "signed" in agreement:
        return agreement["signed"], agreement["signed"]
    if "signed_earliest" in agreement or "signed_latest" in agreement:
        return agreement.get("signed_earliest"), agreement.get("signed_latest")
    return None


def quoted(text: str, proposals: list[dict]) -> list[dict]:
    """Return every proposal and every quoted part inside one (an agreement's parties, an event's participants)."""
    found = []
    for proposal in proposals:
        found.append(proposal)
        for field in ("parties", "participants"):
            found += [part for part in proposal.get(field) or () if isinstance(part, dict) and "quote" in part]
    return found


def offsets_exact(text: str, proposals: list[dict]) -> tuple[int, int]:
    """Return how many quotes equal text[start:end], of all the quotes."""
    parts = quoted(text, proposals)
    return sum(text[part["start"] : part["end"]] == part["quote"] for part in parts), len(parts)


def score(article: str, proposals: list[dict], key: dict, text: str | None = None) -> Score:
    """Return recall of institutions, people, agreements (all parties) and signing dates, precision, exact offsets."""
    also = key.get("also_correct", {})
    institutions = _names(key["institutions"])
    institutions_ok = institutions | _names(also.get("institutions", ()))
    people = _names(person["name"] for person in key["people"])
    people_ok = people | _names(also.get("people", ()))
    posts = {to_simplified(person["name"]): person["posts"] for person in key["people"]}
    agreements = [frozenset(_names(agreement["parties"])) for agreement in key["agreements"]]
    projects = _names(key.get("projects", ()))

    by_kind: dict[str, list[dict]] = {}
    for proposal in proposals:
        by_kind.setdefault(proposal["kind"], []).append(proposal)
    # Both sides folded to simplified script, as LEDGER.md says: a mirror's 學院 is the key's 学院.
    proposed_institutions = _names(proposal["name"] for proposal in by_kind.get("institution", ()))
    proposed_people = _names(proposal["name"] for proposal in by_kind.get("person", ()))
    proposed_agreements = [_parties(proposal) for proposal in by_kind.get("agreement", ())]

    correct = 0
    for proposal in proposals:
        kind, name = proposal["kind"], to_simplified(proposal["name"])
        if kind == "institution":
            correct += name in institutions_ok or name in projects
        elif kind == "person":
            correct += name in people_ok
        elif kind == "post":
            correct += _post_correct(proposal, posts)
        elif kind == "agreement":
            correct += _parties(proposal) in agreements
        elif kind == "project":
            correct += name in projects
        elif kind == "event":
            correct += bool(key.get("events"))
    dated = [
        (frozenset(_names(agreement["parties"])), expected)
        for agreement in key["agreements"]
        if (expected := expected_date(agreement)) is not None
    ]
    proposed_dates = [
        (_parties(proposal), (proposal.get("signed_earliest"), proposal.get("signed_latest")))
        for proposal in by_kind.get("agreement", ())
    ]
    return Score(
        article=article,
        institutions=(len(institutions & proposed_institutions), len(institutions)),
        people=(len(people & proposed_people), len(people)),
        agreements=(sum(agreement in proposed_agreements for agreement in agreements), len(agreements)),
        proposals=(correct, len(proposals)),
        dates=(sum(any(_date_found(pair, found) for found in proposed_dates) for pair in dated), len(dated)),
        offsets=offsets_exact(text, proposals) if text is not None else (0, 0),
    )


# The user property under which the evaluation test hands its per-article table to tests/ingest/conftest.py.
REPORT_PROPERTY = "ingest_report"


FIELDS = ("institutions", "people", "agreements", "dates", "proposals", "offsets")
HEADINGS = ("institutions", "people", "agreements", "dates", "proposals ok", "offsets exact")


def _cell(pair: tuple[int, int]) -> str:
    return f"{pair[0]:>3}/{pair[1]:<3} {Score.ratio(pair):>5.0%}"


def total(scores: list[Score], article: str = "total") -> Score:
    """Return the sums of every figure over the scores."""
    return Score(
        article,
        **{field: (sum(getattr(s, field)[0] for s in scores), sum(getattr(s, field)[1] for s in scores)) for field in FIELDS},
    )


def _row(s: Score, width: int) -> str:
    return f"{s.article:{width}} " + " ".join(f"{_cell(getattr(s, field)):>14}" for field in FIELDS)


def report_lines(scores: list[Score], width: int = 34) -> list[str]:
    """Return the table of per-article figures and their totals."""
    header = f"{'article':{width}} " + " ".join(f"{heading:>14}" for heading in HEADINGS)
    rule = "-" * len(header)
    return [header, rule, *(_row(s, width) for s in scores), rule, _row(total(scores), width)]

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

    @staticmethod
    def ratio(pair: tuple[int, int]) -> float:
        found, total = pair
        return found / total if total else 1.0


def _names(items) -> set[str]:
    return {to_simplified(item) for item in items}


def _post_correct(post: dict, key_people: dict[str, list[dict]]) -> bool:
    """A post is right when its holder's key lists the title at that institution (or one of its departments)."""
    for expected in key_people.get(post["person"], ()):
        title, institution = to_simplified(expected["title"]), to_simplified(expected["institution"])
        if (post["name"] == title or title.endswith(post["name"]) or post["name"].endswith(title)) and (
            post["institution"] == institution or post["institution"].startswith(institution)
        ):
            return True
    return False


def score(article: str, proposals: list[dict], key: dict) -> Score:
    """Return recall of named institutions, people and agreements (all parties), and precision of all proposals."""
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
    proposed_institutions = {proposal["name"] for proposal in by_kind.get("institution", ())}
    proposed_people = {proposal["name"] for proposal in by_kind.get("person", ())}
    proposed_agreements = [
        frozenset(party["name"] for party in proposal["parties"]) for proposal in by_kind.get("agreement", ())
    ]

    correct = 0
    for proposal in proposals:
        kind, name = proposal["kind"], proposal["name"]
        if kind == "institution":
            correct += name in institutions_ok or name in projects
        elif kind == "person":
            correct += name in people_ok
        elif kind == "post":
            correct += _post_correct(proposal, posts)
        elif kind == "agreement":
            correct += frozenset(party["name"] for party in proposal["parties"]) in agreements
        elif kind == "project":
            correct += name in projects
        elif kind == "event":
            correct += bool(key.get("events"))
    return Score(
        article=article,
        institutions=(len(institutions & proposed_institutions), len(institutions)),
        people=(len(people & proposed_people), len(people)),
        agreements=(sum(agreement in proposed_agreements for agreement in agreements), len(agreements)),
        proposals=(correct, len(proposals)),
    )


# The user property under which the evaluation test hands its per-article table to tests/ingest/conftest.py.
REPORT_PROPERTY = "ingest_report"


def _cell(pair: tuple[int, int]) -> str:
    return f"{pair[0]:>3}/{pair[1]:<3} {Score.ratio(pair):>5.0%}"


def report_lines(scores: list[Score]) -> list[str]:
    """Return the table of per-article figures and their totals."""
    header = f"{'article':34} {'institutions':>14} {'people':>14} {'agreements':>14} {'proposals ok':>14}"
    lines = [header, "-" * len(header)]
    for s in scores:
        lines.append(
            f"{s.article:34} {_cell(s.institutions):>14} {_cell(s.people):>14} {_cell(s.agreements):>14} {_cell(s.proposals):>14}"
        )
    total = Score(
        "total",
        *(
            (sum(getattr(s, field)[0] for s in scores), sum(getattr(s, field)[1] for s in scores))
            for field in ("institutions", "people", "agreements", "proposals")
        ),
    )
    lines += ["-" * len(header), f"{'total':34} {_cell(total.institutions):>14} {_cell(total.people):>14} {_cell(total.agreements):>14} {_cell(total.proposals):>14}"]
    return lines

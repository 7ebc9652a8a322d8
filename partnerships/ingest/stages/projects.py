"""Projects: what cooperation creates (an industry college, a base, an order class) and who builds it."""

import re

from .. import vocabulary as vocab
from ..analysis import Analysis

# The name a mention heads when a unit named after it follows (成立A附属技工学校, 共建A产业学院): the unit.
# It never crosses a conjunction: 开办A附属实验中学和A附属实验小学 names two.
_HEADED = re.compile(r"(?:(?![和与及同])[\u4e00-\u9fff]){0,10}?(?:%s)" % "|".join(vocab.PROJECT_ENDINGS))


def _projects(analysis: Analysis) -> None:
    found: dict[str, dict] = {}
    for match in vocab.QUOTED.finditer(analysis.folded):
        name = match.group(1)
        around = analysis.folded[match.end() : match.end() + 4]
        before = analysis.folded[max(0, match.start() - 2) : match.start()]
        if not (around.startswith(("揭牌", "授牌", "落户")) or "为" in before) or not name.endswith(vocab.PROJECT_ENDINGS):
            continue
        found.setdefault(name, {"name": name, "start": match.start(1), "end": match.end(1)})
    verbs = "|".join(sorted(vocab.PROJECT_VERBS, key=len, reverse=True))
    for institution in analysis.institutions.values():
        for mention in institution.mentions:
            if mention.generic or mention.nested:
                continue
            before = analysis.folded[max(0, mention.start - 6) : mention.start]
            after = analysis.folded[mention.end : mention.end + 2]
            listed = re.search(rf"({verbs})[“\"]?((?:[\u4e00-\u9fff()]+(?:和|、))*)$", before)
            if (listed or after == "落户") and institution.name.endswith(vocab.PROJECT_ENDINGS):
                headed = _HEADED.match(analysis.folded, mention.end) if listed else None
                if headed is not None and headed.end() > mention.end:
                    # 成立曲阜远东职业技术学院附属技工学校: the school founds its unit, and stays a party.
                    name = analysis.folded[mention.start : headed.end()]
                    found.setdefault(name, {"name": name, "start": mention.start, "end": headed.end()})
                    continue
                institution.creates_project = True
                found.setdefault(
                    institution.name, {"name": institution.name, "start": mention.start, "end": mention.end}
                )
    # 开办A和B: the second of a pair follows the first.
    project_ends = {m.end for other in analysis.institutions.values() if other.creates_project for m in other.mentions}
    for institution in analysis.institutions.values():
        for mention in institution.mentions:
            previous = analysis.folded[max(0, mention.start - 1) : mention.start]
            if previous in ("和", "、") and mention.start - 1 in project_ends:
                institution.creates_project = True
                project_ends.update(m.end for m in institution.mentions)
                found.setdefault(institution.name, {"name": institution.name, "start": mention.start, "end": mention.end})
    for project in found.values():
        project["project_type"] = next((code for word, code in vocab.PROJECT_TYPES if word in project["name"]), None)
        start, end = analysis.sentence_of(project["start"])
        project["institutions"] = [
            found.name for _, found in analysis.institutions_in(start, end) if found.name != project["name"]
        ]
    analysis.projects = list(found.values())


def run(analysis: Analysis) -> None:
    """Find the projects cooperation creates."""
    _projects(analysis)

"""Resolution: bare words (学院, 我校, 公司) resolved to the institution they stand for."""


import re

from .. import vocabulary as vocab
from ..analysis import LONGEST_NAME, Analysis, InstitutionFound, Mention


def _generic_references(analysis: Analysis, generic: list) -> None:
    """Resolve 学院 / 我校 to the publisher, 基金会 / 公司 to the one named before."""
    publisher = analysis.publisher_name()
    named = sorted(
        ((mention.start, found) for found in analysis.institutions.values() for mention in found.mentions),
        key=lambda pair: pair[0],
    )
    words = {word for _, _, word in generic}
    # One sweep: the last institution named so far whose name ends with each generic word.
    last_named: dict[str, InstitutionFound] = {}
    passed = 0
    for start, end, word in sorted(generic, key=lambda reference: reference[0]):
        while passed < len(named) and named[passed][0] < start:
            found = named[passed][1]
            last_named.update((suffix, found) for suffix in words if found.name.endswith(suffix))
            passed += 1
        target = None
        if analysis.folded[end : end + 1] in ("”", '"') and analysis.folded[start - 1 : start] not in ("“", '"'):
            continue  # 共建“乡村振兴学院”: the end of a name in quotes, no self-reference
        if word == "我院":
            # 我院 speaks for a 学院: the article's most named college, not a 学校 it names more often.
            target = analysis.publisher_name(ending="院")
        elif word in ("学院", "学校", "大学") and publisher and (
            publisher.endswith(vocab.SCHOOL_SUFFIXES) or publisher in analysis.institutions or analysis.publisher
        ):
            target = publisher
        elif word not in ("学院", "学校", "大学", "中心", "政府", "局", "办公室"):
            target = last_named[word].name if word in last_named else None
        if target:
            analysis.add_institution(target, start, end, generic=True)


_SHORT_NAME = re.compile(r"\((?:以下简称|以下称|下称|简称)\s*[“\"]?([^”\"()]{2,12})[”\"]?\)")


def _short_names(analysis: Analysis) -> None:
    """Read a short name the article gives itself, A(以下简称“B”): every mention written B is A's."""
    matches = list(_SHORT_NAME.finditer(analysis.folded))
    if not matches:
        return
    written: dict[str, list[tuple[Mention, InstitutionFound]]] = {}
    for found in analysis.institutions.values():
        for mention in found.mentions:
            written.setdefault(analysis.folded[mention.start : mention.end], []).append((mention, found))
    moved: set[tuple[int, int]] = set()  # (institution, mention) pairs whose mention now is the full name's
    for match in matches:
        named = [found for mention, found in analysis.institution_mentions(match.start() - LONGEST_NAME, match.start())
                 if mention.end == match.start()]
        if not named:
            continue
        full = named[-1]
        for mention, found in written.pop(match.group(1), []):
            if found is not full:
                moved.add((id(found), id(mention)))
                full.mentions.append(mention)
    for name, found in list(analysis.institutions.items()):
        found.mentions = [mention for mention in found.mentions if (id(found), id(mention)) not in moved]
        if not found.mentions:
            del analysis.institutions[name]
    analysis.forget_institution_index()


def _written_short(analysis: Analysis, name: str) -> str:
    """Return a name as its shortest writing would have it: abbreviated (职教), its place without 市 / 省 (北京现代…)."""
    for full, short in vocab.NAME_ABBREVIATIONS:
        name = name.replace(full, short)
    place = analysis.region_names_prefixing(name)
    if place and place[0].endswith(("市", "省")) and len(place[0]) > 2:
        name = place[0][:-1] + name[len(place[0]) :]
    return name


def _variants(analysis: Analysis) -> None:
    """Make one institution of the names an article writes one body with: 北京现代服务业职教集团 and 北京市现代服务业职业教育集团.

    The name kept is a recorded one's, else the longest (the fullest writing).
    """
    groups: dict[str, list[InstitutionFound]] = {}
    for found in analysis.institutions.values():
        groups.setdefault(_written_short(analysis, found.name), []).append(found)
    for group in groups.values():
        if len(group) < 2:
            continue
        kept = max(group, key=lambda found: (found.match is not None, len(found.name)))
        for found in group:
            if found is not kept:
                kept.mentions.extend(found.mentions)
                kept.creates_project = kept.creates_project or found.creates_project
                del analysis.institutions[found.name]
        kept.mentions.sort(key=lambda mention: mention.start)
    analysis.forget_institution_index()


def _is_contraction(short: str, full: str, suffix: str) -> bool:
    """Whether short keeps full's first two characters and suffix and drops only characters between: 宁东管委会, 宁东能源化工基地管委会."""
    if len(short) >= len(full) or short[:2] != full[:2] or not full.endswith(suffix) or full.startswith(short):
        return False
    rest = iter(full[2 : len(full) - len(suffix)])
    return all(char in rest for char in short[2 : len(short) - len(suffix)])


def _common_prefix(one: str, other: str) -> str:
    length = next((index for index, (a, b) in enumerate(zip(one, other, strict=False)) if a != b), min(len(one), len(other)))
    return one[:length]


def _contractions(analysis: Analysis) -> None:
    """Make one institution of a name and its contraction the article also writes (宁东基地管委会 for 宁东能源化工基地管委会).

    The contraction keeps the head, drops words between and keeps the organisation suffix; its head
    must be more than a place (北京大学 is no contraction of 北京理工大学), and it must fit one full name only.
    """
    # Longest first: 宁东基地管委会 joins its full name before 宁东管委会 is read, which then fits one name.
    for short in sorted(analysis.institutions, key=len, reverse=True):
        found = analysis.institutions.get(short)
        suffix = vocab.organisation_suffix(short)
        if found is None or found.match is not None or not suffix:
            continue
        head = short[: len(short) - len(suffix)]
        if len(head) - analysis.place_length(head) < 2:
            continue
        fulls = [
            full for full in analysis.institutions
            if full != short and _is_contraction(short, full, suffix)
            # 陕西工业职业技术学院 is no contraction of 陕西国防工业职业技术学院: the part kept before the gap is more than a place
            and len(_common_prefix(short, full)) - analysis.place_length(short) >= 2
        ]
        if len(fulls) != 1:
            continue
        kept = analysis.institutions[fulls[0]]
        ends = {mention.end for mention in kept.mentions}
        if any(mention.start - gap in ends for mention in found.mentions for gap in (1, 2)):
            continue  # A暨B, A与B: named side by side, two bodies (or two names the article keeps)
        kept.mentions.extend(found.mentions)
        kept.mentions.sort(key=lambda mention: mention.start)
        kept.creates_project = kept.creates_project or found.creates_project
        del analysis.institutions[short]
    analysis.forget_institution_index()


def run(analysis: Analysis) -> None:
    """Resolve the bare words the mentions stage left to the institutions they stand for."""
    _short_names(analysis)
    _variants(analysis)
    _contractions(analysis)
    _generic_references(analysis, analysis.generic)

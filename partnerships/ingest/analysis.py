"""One article read against a snapshot: the text, its tokens and sentences, and what the stages have found.

Matching runs on the text folded to simplified script (one character for one, so offsets
carry over); every quote is copied from the text as written. The stages (stages/) read and
add to an Analysis in order; proposals.py words the result as the ingest contract does.
"""

import bisect
import datetime
import re
import time
from collections import Counter
from dataclasses import dataclass, field

from partnerships.text import in_traditional_script, to_simplified, variant_spelling

from . import vocabulary as vocab
from .dates import DateMention, date_mentions
from .segment import Token, base_segmenter, tokens_for
from .snapshot import Snapshot

_PUNCTUATION_FOLD = str.maketrans({"（": "(", "）": ")", "，": ",", "；": ";", "：": ":", "！": "!", "？": "?", "　": " "})
SENTENCE_END = re.compile(r"[。!?;\n]")
CLAUSE_END = re.compile(r"[。!?;\n,、]")
HAN_NAME = re.compile(r"^[\u4e00-\u9fff]{2,3}$")
HAN_WORD = re.compile(r"^[\u4e00-\u9fff]{1,4}$")
HAN_WORD_RUN = re.compile(r"^[\u4e00-\u9fff]+$")
# A mirror's reading aid after a character, 學(xué)院: a pinyin syllable with its tone mark, in brackets.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
# A space may close it: 社會(huì )保障局.
PINYIN_ANNOTATION = re.compile(rf"(?<=[\u4e00-\u9fff])\((?=[a-zü]{{0,6}}[{_TONED}])[a-zü{_TONED}]{{1,7}} ?\)")
# No organisation name the engine proposes is longer (the longest real ones run to about 30).
LONGEST_NAME = 40
# Longer than any person's name the engine takes (2-3 characters, or a recorded name as written).
LONGEST_PERSON_NAME = 16


def fold(text: str) -> str:
    """Return the text in simplified script with ASCII punctuation, one character for each character of the text."""
    folded = to_simplified(text)
    if len(folded) != len(text):
        # Phrase conversion changed the length: fold character by character so offsets still carry over.
        folded = "".join(
            converted if len(converted := to_simplified(char)) == 1 else char for char in text
        )
    return folded.translate(_PUNCTUATION_FOLD)


def without_annotations(text: str) -> tuple[str, list[int]]:
    """Return the text without a mirror's pinyin annotations (學(xué)院 → 學院) and, for each of its positions, the text's.

    The list has one more entry than the text returned (its end), so a span maps back whole.
    """
    if "(" not in text:
        return text, list(range(len(text) + 1))
    parts: list[str] = []
    origin: list[int] = []
    position = 0
    for match in PINYIN_ANNOTATION.finditer(text):
        parts.append(text[position : match.start()])
        origin.extend(range(position, match.start()))
        position = match.end()
    parts.append(text[position:])
    origin.extend(range(position, len(text) + 1))
    return "".join(parts), origin


@dataclass
class Mention:
    start: int
    end: int
    name: str
    generic: bool = False
    nested: bool = False  # the parent named inside a longer name: 黎明职业大学 in 黎明职业大学轻工学院


@dataclass
class InstitutionFound:
    name: str
    kind: str
    mentions: list[Mention] = field(default_factory=list)
    match: int | None = None
    region: str | None = None
    creates_project: bool = False

    @property
    def first(self) -> Mention:
        named = [mention for mention in self.mentions if not mention.generic]
        return (named or self.mentions)[0]


@dataclass
class PersonFound:
    name: str
    mentions: list[tuple[int, int]] = field(default_factory=list)
    posts: list[dict] = field(default_factory=list)
    match: int | None = None


class AnalysisTimeout(Exception):
    """The analysis ran past its time budget."""


class Analysis:
    """One article read against a snapshot; build with analyse().

    Every step is linear in the text, or close to it: the lookups by position (the sentence of a
    position, the mentions in a span, the token ending at an offset) go through sorted indexes,
    never a scan of everything found so far, so that no text, however repetitive, costs more
    than its length times a constant (tests/ingest/test_adversarial.py holds it).
    """

    def __init__(
        self,
        text: str,
        *,
        snapshot: Snapshot,
        published: datetime.date | None,
        publisher: str | None,
        time_budget: float | None = None,
        url: str | None = None,
    ):
        # The stages read the text without a mirror's annotations; quotes and offsets are the text's as given.
        self.source = text
        self.text, self._origin = without_annotations(text)
        self.deadline: float | None = None
        self.folded = fold(self.text)
        # An article in simplified script keeps its names as written (OpenCC would fold 谢乾程 to
        # 谢干程); a traditional repost's are folded (鄭信軍 is proposed as 郑信军).
        self.simplified_script = not in_traditional_script(self.text, self.folded)
        self.snapshot = snapshot
        self.published = published
        self.publisher = to_simplified(publisher).strip() if publisher else None
        # The budget is the article's: loading jieba's dictionary (once a process) is not counted.
        base_segmenter()
        self.deadline = time.monotonic() + time_budget if time_budget is not None else None
        self.tokens: list[Token] = tokens_for(snapshot, self.folded, check=self.check_time)
        self.token_ending_at = {token.end: token for token in self.tokens}
        self.token_starting_at = {token.start: token for token in self.tokens}
        self.token_ends = [token.end for token in self.tokens]
        self.sentences = self.spans(SENTENCE_END)
        self._sentence_starts = [start for start, _ in self.sentences]
        self._institution_index: tuple[list[int], list[tuple]] | None = None
        self._person_index: tuple[list[int], list[tuple]] | None = None
        self.dates: list[DateMention] = date_mentions(self.folded, published=published, url=url)
        self.institutions: dict[str, InstitutionFound] = {}
        self.people: dict[str, PersonFound] = {}
        self.posts: list[dict] = []
        self.agreements: list[dict] = []
        self.region_counts: Counter = Counter()
        self._regions_by_code: dict[str, str] | None = None
        self._written_words: dict[str, bool] = {}
        # (start, end, word) of the bare words (学院, 我校, 公司) the mentions stage leaves to resolution.
        self.generic: list[tuple[int, int, str]] = []
        self.projects: list[dict] = []
        self.event: dict | None = None
        # The statistical model's spans (stages/model.py), read once; the names it alone proposes, unconfirmed.
        self.model_entities: list | None = None
        self.unconfirmed: set[tuple[str, str]] = set()

    def spans(self, pattern: re.Pattern) -> list[tuple[int, int]]:
        spans, start = [], 0
        for match in pattern.finditer(self.folded):
            if match.start() > start:
                spans.append((start, match.start()))
            start = match.end()
        if start < len(self.folded):
            spans.append((start, len(self.folded)))
        return spans

    def check_time(self) -> None:
        """Raise AnalysisTimeout once the deadline has passed."""
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise AnalysisTimeout

    def sentence_of(self, position: int) -> tuple[int, int]:
        index = bisect.bisect_right(self._sentence_starts, position) - 1
        if index >= 0:
            start, end = self.sentences[index]
            if position < end:
                return start, end
        return position, position

    def institution_mentions(self, start: int, end: int) -> list[tuple[Mention, InstitutionFound]]:
        """Return the institution mentions starting in [start, end), by start, then in the order they were found."""
        if self._institution_index is None:
            entries = sorted(
                (mention.start, order, mention_order, mention, found)
                for order, found in enumerate(self.institutions.values())
                for mention_order, mention in enumerate(found.mentions)
            )
            self._institution_index = ([entry[0] for entry in entries], entries)
        starts, entries = self._institution_index
        return [(entry[3], entry[4]) for entry in entries[bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)]]

    def person_mentions(self, start: int, end: int) -> list[tuple[int, int, PersonFound]]:
        """Return the people's mentions starting in [start, end), by start, then in the order they were found."""
        if self._person_index is None:
            entries = sorted(
                (a, order, b, person)
                for order, person in enumerate(self.people.values())
                for a, b in person.mentions
            )
            self._person_index = ([entry[0] for entry in entries], entries)
        starts, entries = self._person_index
        return [(entry[0], entry[2], entry[3]) for entry in entries[bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)]]

    def writes(self, word: str) -> bool:
        """Say whether the article writes a word anywhere (each word looked for once an article)."""
        found = self._written_words.get(word)
        if found is None:
            found = self._written_words[word] = word in self.folded
        return found

    def quote(self, start: int, end: int) -> dict:
        """Return the quote of a span of the text read, with its offsets in the text as given."""
        first = self._origin[start]
        last = self._origin[end - 1] + 1 if end > start else first
        return {"quote": self.source[first:last], "start": first, "end": last}

    def main_region(self, level_char: str) -> str | None:
        """Return the region the article is about for a short form starting with 区, 县, 市 or 省."""
        ranked = [region for region, _ in self.region_counts.most_common()]
        if level_char == "省":
            # 陕西省重点产业链…,省教育厅: the province the article names most.
            return next((region.name for region in ranked if region.level == "province" and region.name.endswith("省")), None)
        if level_char == "市":
            for level in ("prefecture", "county"):
                for region in ranked:
                    if region.level == level and region.name.endswith("市"):
                        return region.name
            # 长寿区 … 市供销合作总社: the city a district named in the article belongs to (重庆市).
            return next((city for region in ranked if region.level == "county" and (city := self.city_of(region))), None)
        for region in ranked:
            if region.level == "county" and region.name.endswith(level_char):
                return region.name
        return None

    def city_of(self, region) -> str | None:
        """Return the city (a prefecture, or a municipality such as 重庆市) a county-level region belongs to."""
        if region.parent_name.endswith("市"):
            return region.parent_name
        if self._regions_by_code is None:
            self._regions_by_code = {
                known.code: known.name for regions in self.snapshot.regions.values() for known in regions
            }
        for code in (region.code[:4] + "00", region.code[:2] + "0000"):
            name = self._regions_by_code.get(code, "")
            if name.endswith("市"):
                return name
        return None

    def region_prefix(self, name: str) -> str | None:
        for length in range(min(len(name) - 1, 10), 1, -1):
            regions = self.snapshot.regions.get(name[:length])
            if regions:
                return regions[0].code
        return None

    def expand(self, name: str) -> str:
        """Return the full name of a short form: 区教育局 → 茌平区教育局, 市政府 → 石嘴山市人民政府."""
        for short in ("区政府", "市政府", "县政府"):
            if name.startswith(short):
                region = self.main_region(short[0])
                return f"{region}人民政府{name[3:]}" if region else name
        if name.startswith(vocab.BARE_ZONES) and (city := self.main_region("市")) and len(city) > 2:
            return city.removesuffix("市") + name  # 高新区管委会 → 铜川高新区管委会
        if name[0] in "区市县省" and len(name) > 2 and not self.region_names_prefixing(name):
            region = self.main_region(name[0])
            name = f"{region}{name[1:]}" if region else name
        for region_name in self.region_names_prefixing(name):
            rest = name[len(region_name):]
            if rest.startswith("政府"):
                return f"{region_name}人民{rest}"
        return name

    def place_length(self, name: str) -> int:
        """Return how many of a name's first characters name a place, written in full (铜川市) or short (铜川, 商洛), else 0."""
        written = self.region_names_prefixing(name)
        if written:
            return len(written[0])
        return next(
            (length for length in (3, 2) for level in "省市县区" if name[:length] + level in self.snapshot.regions), 0
        )

    def region_names_prefixing(self, name: str) -> list[str]:
        return [name[:length] for length in range(min(len(name), 10), 1, -1) if name[:length] in self.snapshot.regions][:1]

    def add_institution(
        self, name: str, start: int, end: int, *, generic: bool = False, nested: bool = False
    ) -> InstitutionFound:
        known = self.snapshot.institutions.get(name)
        if known is not None:
            name = to_simplified(known.name)
        elif name not in self.institutions and len(name) >= 4 and not self.region_names_prefixing(name):
            # 轻工学院 after 黎明职业大学轻工学院: the short form of a name the article gave in full.
            name = next((full for full in self.institutions if full.endswith(name) and full != name), name)
        found = self.institutions.get(name)
        if found is None:
            suffix = vocab.organisation_suffix(name)
            kind = known.kind if known is not None and known.kind else vocab.ORGANISATION_SUFFIXES.get(
                suffix or "", "department" if name.endswith(vocab.DEPARTMENT_ENDINGS) else "other"
            )
            found = self.institutions[name] = InstitutionFound(
                name=name, kind=kind, match=known.id if known else None, region=self.region_prefix(name)
            )
        found.mentions.append(Mention(start, end, name, generic, nested))
        self._institution_index = None
        return found

    def _only_quoted(self, found: InstitutionFound) -> bool:
        """Whether a body is named only in quotes (共建“乡村振兴学院”): what is built, not the school that speaks."""
        named = [mention for mention in found.mentions if not mention.generic]
        return bool(named) and all(
            self.folded[mention.start - 1 : mention.start] in ("“", '"') and self.folded[mention.end : mention.end + 1] in ("”", '"')
            for mention in named
        )

    def publisher_name(self, ending: str = "") -> str | None:
        """Return the school the article speaks for (我校, 学院): its publisher, unless that is a news site (新华网, 中国教育在线).

        With an ending (我院: 院), a school whose name ends otherwise is not the one.
        """
        if self.publisher:
            known = self.snapshot.institutions.get(self.publisher)
            if known is not None:
                return to_simplified(known.name)
            if vocab.organisation_suffix(self.publisher):
                return self.publisher
        # The school named most often (a headline's short form, 青海高职技术学院, gives way to the body's full
        # name named again), the first named among equals.
        # Among equals a name with its place (商洛学院) before one without (电信学院, a secondary college's short name).
        schools = [
            (-sum(not mention.generic for mention in found.mentions), not self.place_length(name), found.first.start, name)
            for name, found in self.institutions.items()
            if name.endswith(vocab.SCHOOL_SUFFIXES) and name.endswith(ending) and not self._only_quoted(found)
        ]
        return min(schools)[3] if schools else None

    def add_person(self, name: str, start: int, end: int) -> PersonFound:
        found = self.people.get(name) or self._variant_of(name)
        if found is None:
            known = self.snapshot.people.get(name)
            found = self.people[name] = PersonFound(name=name, match=known.id if known else None)
        if (start, end) not in found.mentions:
            found.mentions.append((start, end))
            self._person_index = None
        return found

    def _variant_of(self, name: str) -> PersonFound | None:
        """Return the person already found under a variant spelling of the name (吴政义 for 吴正义), if any.

        The spelling that names a recorded person wins; otherwise the first one written, and the
        others become its aliases (the proposal lists every spelling the text uses).
        """
        known = self.snapshot.people.get(name)
        for found in self.people.values():
            if not variant_spelling(found.name, name):
                continue
            if known is not None and found.match is not None and found.match != known.id:
                return None  # two recorded people whose names sound alike: keep them apart
            if known is not None and found.match is None:
                del self.people[found.name]
                found.name, found.match = name, known.id
                self.people[name] = found
                for post in found.posts:
                    post["person"] = name
            return found
        return None

    def institution_before(self, position: int, sentence_start: int) -> InstitutionFound | None:
        best = None
        for mention, found in self.institution_mentions(sentence_start, position):
            if mention.end <= position and (best is None or mention.end > best[0]):
                best = (mention.end, found)
        return best[1] if best else None

    def add_derived_institution(self, name: str, start: int, end: int) -> None:
        """Record an institution a title implies (区长 → the district's government), quoting the title."""
        suffix = vocab.organisation_suffix(name) or ""
        kind = "party_organ" if name.endswith("委") else vocab.ORGANISATION_SUFFIXES.get(suffix, "other")
        known = self.snapshot.institutions.get(name)
        found = self.institutions[name] = InstitutionFound(
            name=name, kind=kind, region=self.region_prefix(name), match=known.id if known else None
        )
        found.mentions.append(Mention(start, end, name, generic=True))
        self._institution_index = None

    def institutions_in(self, start: int, end: int, *, exclude=()) -> list[tuple[int, InstitutionFound]]:
        found = [
            (mention.start, institution)
            for mention, institution in self.institution_mentions(start, end)
            if mention.end <= end and not institution.creates_project and not mention.nested
            and not any(a <= mention.start < b for a, b in exclude)
        ]
        unique, seen = [], set()
        for position, institution in found:
            if institution.name not in seen:
                seen.add(institution.name)
                unique.append((position, institution))
        return unique

    def people_in(self, start: int, end: int) -> list[tuple[int, PersonFound]]:
        return [(a, person) for a, b, person in self.person_mentions(start, end) if b <= end]

    def institution_of(self, person: PersonFound) -> str | None:
        for post in person.posts:
            if post["institution"] in self.institutions and not post["institution"].endswith("委"):
                return post["institution"]
        return None

    def event_name_start(self, position: int) -> int:
        breaks = {"举行", "举办", "召开", "在", "的", "了", "与", "同", "和", "进行", "为", "于", "出席", "参加", "本次", "此次", "成功", "隆重"}
        start = position
        for index in range(bisect.bisect_right(self.token_ends, position) - 1, -1, -1):
            token = self.tokens[index]
            if token.flag == "x" or token.word in breaks or token.flag in ("m", "t") or any(
                mention.end == token.end for mention, _ in self.institution_mentions(token.end - LONGEST_NAME, token.end)
            ):
                break
            start = token.start
        return start

    def run(self) -> "Analysis":
        """Run every stage in order, checking the time budget between them."""
        from .stages import STAGES

        for stage in STAGES:
            self.check_time()
            stage(self)
        return self

    def forget_institution_index(self) -> None:
        """Drop the by-position index of institutions' mentions after a stage has changed them."""
        self._institution_index = None

    def forget_person_index(self) -> None:
        """Drop the by-position index of people's mentions after a stage has changed them."""
        self._person_index = None

"""From an article's text to proposals: institutions, people, posts, the event, agreements, projects.

Matching runs on the text folded to simplified script (one character for one, so offsets
carry over); every quote is copied from the text as written.
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
from .segment import TAG_INSTITUTION, TAG_NATIONAL, TAG_PERSON, TAG_REGION, TAG_TITLE, Token, segmenter
from .snapshot import Snapshot

_PUNCTUATION_FOLD = str.maketrans({"（": "(", "）": ")", "，": ",", "；": ";", "：": ":", "！": "!", "？": "?", "　": " "})
_SENTENCE_END = re.compile(r"[。!?;\n]")
_CLAUSE_END = re.compile(r"[。!?;\n,、]")
_HAN = re.compile(r"^[\u4e00-\u9fff]{2,3}$")
_HAN_WORD = re.compile(r"^[\u4e00-\u9fff]{1,4}$")
_NOT_NAMES = frozenset({"同志", "一行", "等人", "领导", "代表", "负责", "相关", "双方", "老师", "同学", "校友", "记者"})
_PERSON_CUES = ("分别代表", "代表", "在仪式上", "在讲话", "主持", "致辞", "讲话", "表示", "说", "介绍", "指出")
_PLACE = re.compile(r"在([^,。;、]{2,40}?)(?:隆重|成功|正式|顺利)?(?:举行|举办|召开)")
_QUOTED = re.compile(r"[“\"「『]([^”\"」』]{2,60})[”\"」』]")
_TITLED = re.compile(r"《([^》]{2,80})》")
_AGREEMENT_WORD = re.compile(r"(协议书|协议|意向书|合同|备忘录|框架协议)")
_PARENT_SUFFIXES = ("人民政府", "大学", "学院", "集团", "有限公司", "开发区", "经开区", "高新区", "园区", "基金会")
_PREPOSITIONS = frozenset("对与向在为同和据让把将被由从")
_COUNTED = re.compile(r"^[一二三四五六七八九十两几多数\d]+[所家个名]")
_SCHOOL_HEADS = frozenset({"院长", "校长"})
_COMPANY_SUFFIXES = frozenset({"有限公司", "有限责任公司", "股份有限公司", "公司", "集团"})
# Words by which a school's own news names the school.
_SELF_REFERENCES = frozenset({"学院", "学校", "大学", "我院", "我校", "本院", "本校"})
# No organisation name the engine proposes is longer (the longest real ones run to about 30).
_LONGEST_NAME = 40
# Longer than any person's name the engine takes (2-3 characters, or a recorded name as written).
_LONGEST_PERSON_NAME = 16
_LEADING_NOISE = ("原", "现", "各", "全", "当地", "本", "该", "新成立的", "部分", "有关", "相关", "多所")


def fold(text: str) -> str:
    """Return the text in simplified script with ASCII punctuation, one character for each character of the text."""
    folded = to_simplified(text)
    if len(folded) != len(text):
        # Phrase conversion changed the length: fold character by character so offsets still carry over.
        folded = "".join(
            converted if len(converted := to_simplified(char)) == 1 else char for char in text
        )
    return folded.translate(_PUNCTUATION_FOLD)


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
    ):
        self.text = text
        self.deadline: float | None = None
        self.folded = fold(text)
        # An article in simplified script keeps its names as written (OpenCC would fold 谢乾程 to
        # 谢干程); a traditional repost's are folded (鄭信軍 is proposed as 郑信军).
        self.simplified_script = not in_traditional_script(text, self.folded)
        self.snapshot = snapshot
        self.published = published
        self.publisher = to_simplified(publisher).strip() if publisher else None
        words = segmenter()
        words.add_words(snapshot.regions, TAG_REGION)
        words.add_words(snapshot.institutions, TAG_INSTITUTION)
        words.add_words(snapshot.people, TAG_PERSON)
        # The budget is the article's: loading jieba's dictionary (once a process) is not counted.
        self.deadline = time.monotonic() + time_budget if time_budget is not None else None
        self.tokens: list[Token] = words.tokens(self.folded, check=self.check_time)
        self._token_ending_at = {token.end: token for token in self.tokens}
        self._token_starting_at = {token.start: token for token in self.tokens}
        self._token_ends = [token.end for token in self.tokens]
        self.sentences = self._spans(_SENTENCE_END)
        self._sentence_starts = [start for start, _ in self.sentences]
        self._institution_index: tuple[list[int], list[tuple]] | None = None
        self._person_index: tuple[list[int], list[tuple]] | None = None
        self.dates: list[DateMention] = date_mentions(self.folded, published=published)
        self.institutions: dict[str, InstitutionFound] = {}
        self.people: dict[str, PersonFound] = {}
        self.posts: list[dict] = []
        self.agreements: list[dict] = []
        self.projects: list[dict] = []
        self.event: dict | None = None

    # ----- helpers -------------------------------------------------------------------------------
    def _spans(self, pattern: re.Pattern) -> list[tuple[int, int]]:
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

    def _sentence_of(self, position: int) -> tuple[int, int]:
        index = bisect.bisect_right(self._sentence_starts, position) - 1
        if index >= 0:
            start, end = self.sentences[index]
            if position < end:
                return start, end
        return position, position

    def _institution_mentions(self, start: int, end: int) -> list[tuple[Mention, InstitutionFound]]:
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

    def _person_mentions(self, start: int, end: int) -> list[tuple[int, int, PersonFound]]:
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

    def quote(self, start: int, end: int) -> dict:
        return {"quote": self.text[start:end], "start": start, "end": end}

    # ----- regions -------------------------------------------------------------------------------
    def _regions(self) -> None:
        counts: Counter = Counter()
        for token in self.tokens:
            for region in self.snapshot.regions.get(token.word, ())[:1]:
                counts[region] += 1
        self.region_counts = counts

    def _main_region(self, level_char: str) -> str | None:
        """Return the region the article is about for a short form starting with 区, 县 or 市."""
        ranked = [region for region, _ in self.region_counts.most_common()]
        if level_char == "市":
            for level in ("prefecture", "county"):
                for region in ranked:
                    if region.level == level and region.name.endswith("市"):
                        return region.name
            return None
        for region in ranked:
            if region.level == "county" and region.name.endswith(level_char):
                return region.name
        return None

    def _region_prefix(self, name: str) -> str | None:
        for length in range(min(len(name) - 1, 10), 1, -1):
            regions = self.snapshot.regions.get(name[:length])
            if regions:
                return regions[0].code
        return None

    # ----- institutions --------------------------------------------------------------------------
    def _breaks(self, index: int) -> bool:
        token = self.tokens[index]
        word, flag = token.word, token.flag
        if flag in (TAG_INSTITUTION, TAG_NATIONAL):
            return False
        if flag == TAG_TITLE or (vocab.is_title(word) and not vocab.organisation_suffix(word)):
            return True
        if flag == "x" or not word.strip():
            return word not in "()"
        if flag.startswith("v") and index + 1 < len(self.tokens) and self.tokens[index + 1].word == "局":
            return False  # 发改局, 控股有限公司: a verb right before the suffix belongs to the name
        if word in ("和", "与", "及"):
            # Inside a name only between plain nouns: 工业和信息化局, 质量管理与绩效考核办公室, 万和通物流集团.
            previous = self.tokens[index - 1] if index else None
            return (
                previous is None
                or previous.flag not in ("n", "vn", "nz", "j", "ng", "m")
                or bool(vocab.organisation_suffix(previous.word))
                or any(char.isdigit() for char in previous.word)
                or previous.word in vocab.PUBLISHER_WORDS
            )
        if word in vocab.NAME_BREAKS or word in vocab.PUBLISHER_WORDS[:4]:
            return True
        if (flag.startswith("v") or flag == "d") and self._in_company_name(index):
            return False  # 浙江立新检测技术有限公司, 德国魏德米勒电联结(上海)有限公司: a brand the tagger misread
        if flag.startswith("v") and flag != "vn" and word not in vocab.NAME_VERBS:
            return True
        if flag in ("d", "r", "c", "y", "e", "o", "t", "f", "l", "q") or flag.startswith("u"):
            return True
        if flag == "m" and any(char.isdigit() for char in word):
            return True
        if flag in ("nr", TAG_PERSON) and index + 1 < len(self.tokens):
            following = self.tokens[index + 1].word
            return vocab.is_title(following) or following in vocab.NAME_BREAKS or following in "、,"
        return False

    def _in_company_name(self, index: int) -> bool:
        """Whether a token stands between a place and a company suffix with only name-like words around it.

        Brand names are words the tagger reads as verbs or adverbs (立新, 联结); between a place
        (浙江, 德国) and 有限公司 with nothing but nouns and a bracketed place, they are the name.
        """
        def name_like(token: Token) -> bool:
            return bool(_HAN_WORD.match(token.word)) and token.word not in vocab.NAME_BREAKS and not vocab.is_title(token.word)

        back = index - 1
        while back >= 0 and index - back <= 4 and self.tokens[back].flag not in ("ns", TAG_REGION):
            if not name_like(self.tokens[back]):
                return False
            back -= 1
        if back < 0 or index - back > 4 or self.tokens[back].flag not in ("ns", TAG_REGION):
            return False
        for ahead in range(index + 1, min(index + 7, len(self.tokens))):
            token = self.tokens[ahead]
            if token.word in _COMPANY_SUFFIXES:
                return True
            if token.word not in "()" and not name_like(token):
                return False
        return False

    def _organisation_end(self, token: Token) -> bool:
        if token.flag in (TAG_INSTITUTION, TAG_NATIONAL):
            return True
        return bool(vocab.organisation_suffix(token.word)) and token.word not in vocab.NOT_ORGANISATIONS

    def _expand(self, name: str) -> str:
        """Return the full name of a short form: 区教育局 → 茌平区教育局, 市政府 → 石嘴山市人民政府."""
        for short in ("区政府", "市政府", "县政府"):
            if name.startswith(short):
                region = self._main_region(short[0])
                return f"{region}人民政府{name[3:]}" if region else name
        if name[0] in "区市县" and len(name) > 2 and not self._region_names_prefixing(name):
            region = self._main_region(name[0])
            name = f"{region}{name[1:]}" if region else name
        for region_name in self._region_names_prefixing(name):
            rest = name[len(region_name):]
            if rest.startswith("政府"):
                return f"{region_name}人民{rest}"
        return name

    def _region_names_prefixing(self, name: str) -> list[str]:
        return [name[:length] for length in range(min(len(name), 10), 1, -1) if name[:length] in self.snapshot.regions][:1]

    def _add_institution(
        self, name: str, start: int, end: int, *, generic: bool = False, nested: bool = False
    ) -> InstitutionFound:
        known = self.snapshot.institutions.get(name)
        if known is not None:
            name = to_simplified(known.name)
        elif name not in self.institutions and len(name) >= 4 and not self._region_names_prefixing(name):
            # 轻工学院 after 黎明职业大学轻工学院: the short form of a name the article gave in full.
            name = next((full for full in self.institutions if full.endswith(name) and full != name), name)
        found = self.institutions.get(name)
        if found is None:
            suffix = vocab.organisation_suffix(name)
            kind = known.kind if known is not None and known.kind else vocab.ORGANISATION_SUFFIXES.get(suffix or "", "other")
            found = self.institutions[name] = InstitutionFound(
                name=name, kind=kind, match=known.id if known else None, region=self._region_prefix(name)
            )
        found.mentions.append(Mention(start, end, name, generic, nested))
        self._institution_index = None
        return found

    def _institutions(self) -> None:
        tokens, generic = self.tokens, []
        index = 0
        while index < len(tokens):
            if self._breaks(index):
                if tokens[index].word in vocab.PUBLISHER_WORDS[:4]:
                    generic.append((tokens[index].start, tokens[index].end, "学院"))
                index += 1
                continue
            run_start = index
            while index < len(tokens) and not self._breaks(index):
                index += 1
            self._run_institutions(run_start, index, generic)
        self._generic_references(generic)

    def _run_institutions(self, start: int, stop: int, generic: list) -> None:
        """Name the institutions in a run of tokens with no break: the whole run's name and the bodies named inside it.

        Linear in the run: each parent named inside (龙南经开区党工委's 龙南经开区) is tried once, and
        none whose name would exceed the longest name kept, so a run of repeated suffixes
        (有限公司有限公司…) costs no more than its length.
        """
        national = [position for position in range(start, stop) if self.tokens[position].flag == TAG_NATIONAL]
        for position in national:
            token = self.tokens[position]
            self._add_institution(token.word, token.start, token.end)
        if national:
            # 教育部第一批国家级市域产教联合体: the national body is a name of its own; what follows starts afresh.
            start = national[-1] + 1
        ends = [position for position in range(start, stop) if self._organisation_end(self.tokens[position])]
        if not ends:
            return
        last = ends[-1]
        first = self._name_start(start, last)
        for inner in ends[:-1]:
            # 龙南经开区党工委, 通力电梯有限公司合肥分公司: the body a unit belongs to is named first.
            if inner <= start or not self.tokens[inner].word.endswith(_PARENT_SUFFIXES):
                continue
            # A shorter name's leading noise ends where the whole run's does, or at its own last token.
            inner_first = min(first, inner)
            if self.tokens[inner].end - self.tokens[inner_first].start > _LONGEST_NAME + 1:
                break  # every later parent is longer still
            self._name_institution(start, inner_first, inner, [], nested=True)
        self._name_institution(start, first, last, generic)

    def _name_start(self, start: int, last: int) -> int:
        """Return the first token of a name ending at last, past leading noise (原, 各, 与, a verb)."""
        first = start
        while first < last and (
            self.tokens[first].word in _LEADING_NOISE
            or self.tokens[first].word in ("与", "和", "及", "同")
            or self.tokens[first].flag in ("v", "vn", "a", "b", "ng", "q")
        ):
            first += 1
        return first

    def _name_institution(self, start: int, first: int, last: int, generic: list, *, nested: bool = False) -> None:
        """Add the institution named by tokens first..last, unless it is a generic word, a count or too long."""
        begin, end = self.tokens[first].start, self.tokens[last].end
        if self.folded[begin] in _PREPOSITIONS and len(self.tokens[first].word) > 1 and self.tokens[first].flag not in (
            "ns", "nt", TAG_INSTITUTION, TAG_NATIONAL
        ):
            begin += 1  # 对学/大/教育集团: jieba joined the preposition to the name's first character
        name = self.folded[begin:end]
        place = self._region_names_prefixing(name)
        if name in vocab.NOT_ORGANISATIONS or (place and name[len(place[0]) :] in vocab.NOT_ORGANISATIONS):
            return  # 新格局, 中小学, 赣州中职学校: words for kinds of body, not the name of one
        if _COUNTED.match(self.folded[self.tokens[start].start : end]):
            return  # 两所学校, 三所新工业学院: a count of schools, not a name
        bare = name[1:] if name[:1] in "校该本我贵" else name
        if self.tokens[last].flag != TAG_INSTITUTION and bare in vocab.ORGANISATION_SUFFIXES:
            generic.append((begin, end, bare))
            return
        if len(name) > _LONGEST_NAME:
            return
        for part_start, part_end in self._parenthesised_parts(begin, end):
            part = self.folded[part_start:part_end]
            if part in vocab.ORGANISATION_SUFFIXES or not vocab.organisation_suffix(part) and part not in self.snapshot.institutions:
                continue
            self._add_institution(self._expand(part), part_start, part_end, nested=nested)

    def _parenthesised_parts(self, begin: int, end: int) -> list[tuple[int, int]]:
        """Split 新区财政局(区财政局) into two names; keep 百胜餐饮(福州)有限公司 whole."""
        name = self.folded[begin:end]
        opening = name.find("(")
        if opening < 0:
            return [(begin, end)]
        closing = name.find(")", opening)
        inner = name[opening + 1 : closing if closing > 0 else len(name)]
        if closing < 0 or vocab.organisation_suffix(inner):
            parts = [(begin, begin + opening), (begin + opening + 1, begin + opening + 1 + len(inner))]
            return [(a, b) for a, b in parts if b - a >= 2]
        return [(begin, end)]

    def _publisher_name(self) -> str | None:
        if self.publisher:
            known = self.snapshot.institutions.get(self.publisher)
            return to_simplified(known.name) if known else self.publisher
        schools = [
            (found.first.start, name)
            for name, found in self.institutions.items()
            if name.endswith(vocab.SCHOOL_SUFFIXES)
        ]
        return min(schools)[1] if schools else None

    def _generic_references(self, generic: list) -> None:
        """Resolve 学院 / 我校 to the publisher, 基金会 / 公司 to the one named before."""
        publisher = self._publisher_name()
        named = sorted(
            ((mention.start, found) for found in self.institutions.values() for mention in found.mentions),
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
            if word in ("学院", "学校", "大学") and publisher and (
                publisher.endswith(vocab.SCHOOL_SUFFIXES) or publisher in self.institutions or self.publisher
            ):
                target = publisher
            elif word not in ("学院", "学校", "大学", "中心", "政府", "局", "办公室"):
                target = last_named[word].name if word in last_named else None
            if target:
                self._add_institution(target, start, end, generic=True)

    # ----- people --------------------------------------------------------------------------------
    def _title_phrase(self, index: int) -> int:
        """Return the index of the first token of the title that ends at token index."""
        first = index
        while first > 0:
            previous = self.tokens[first - 1]
            if previous.word in vocab.TITLE_MODIFIERS or (
                vocab.is_title(previous.word) and previous.flag != "x"
            ):
                first -= 1
                continue
            if (
                previous.flag in ("n", "vn", "j", "v", "b", "nz", "ng")
                and not vocab.organisation_suffix(previous.word)
                and previous.word not in vocab.NAME_BREAKS
                and previous.word not in self.snapshot.regions
                and self.tokens[index].end - previous.start <= 12
                and first == index
            ):
                first -= 1
                continue
            break
        return first

    def _name_after(self, index: int) -> tuple[str, int, int] | None:
        """Return the 2-3 character name that starts at token index, with its offsets."""
        tokens = self.tokens
        if index >= len(tokens):
            return None
        token = tokens[index]
        if token.flag in ("nr", TAG_PERSON) and 2 <= len(token.word) <= 3:
            name, end = token.word, token.end
            following = tokens[index + 1] if index + 1 < len(tokens) else None
            after = tokens[index + 2] if index + 2 < len(tokens) else None
            if (
                token.flag == "nr" and len(name) == 2 and following is not None and len(following.word) == 1
                and following.flag != "x" and following.word not in vocab.NAME_BREAKS
                and (after is None or after.flag == "x" or after.word in vocab.NAME_BREAKS or vocab.is_title(after.word))
            ):
                name, end = name + following.word, following.end  # 隋文/发 代表 → 隋文发
            elif (
                token.flag == "nr" and len(name) == 2 and following is not None and len(following.word) == 2
                and following.word[1] in "和与及"
            ):
                name, end = name + following.word[0], following.end - 1  # 于世/祥和 双流区 → 于世祥
        else:
            name, end, position = "", token.start, index
            while position < len(tokens) and len(name) < 3:
                word = tokens[position].word
                stops = tokens[position].flag == "x" or word in vocab.NAME_BREAKS or vocab.is_title(word)
                if stops and not (position == index and len(word) == 1 and tokens[position].flag != "x"):
                    break
                if len(name) + len(word) > 3:
                    break
                name, end = name + word, tokens[position].end
                position += 1
            if len(name) == 2 and position < len(tokens) and len(tokens[position].word) == 2 and tokens[position].word[1] in "和与及":
                name, end = name + tokens[position].word[0], end + 1  # 于/世/祥和 双流区 → 于世祥
        if not _HAN.match(name) or name in _NOT_NAMES or vocab.organisation_suffix(name):
            return None
        if token.flag not in ("nr", TAG_PERSON) and name[0] not in vocab.SURNAMES:
            return None
        return name, end - len(name), end

    def _add_person(self, name: str, start: int, end: int) -> PersonFound:
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

    def _institution_before(self, position: int, sentence_start: int) -> InstitutionFound | None:
        best = None
        for mention, found in self._institution_mentions(sentence_start, position):
            if mention.end <= position and (best is None or mention.end > best[0]):
                best = (mention.end, found)
        return best[1] if best else None

    def _post_institution(self, title: str, title_start: int, carried: str | None) -> str | None:
        if title.startswith(("区委", "市委", "县委")):
            region = self._main_region(title[0])
            return f"{region}委" if region else None
        previous = [token] if (token := self._token_ending_at.get(title_start)) else []
        if title.startswith("党委") and previous and previous[0].word in self.snapshot.regions:
            return f"{previous[0].word}党委"  # 双流区党委书记
        if title.lstrip("副") in ("区长", "市长", "县长"):
            if previous and previous[0].word in self.snapshot.regions:
                return f"{previous[0].word}人民政府"
            region = self._main_region(title.lstrip("副")[0])
            return f"{region}人民政府" if region else None
        sentence_start, _ = self._sentence_of(title_start)
        found = self._institution_before(title_start, sentence_start)
        named = found.name if found is not None else carried
        if title.lstrip("副") in _SCHOOL_HEADS and not (named or "").endswith(vocab.SCHOOL_SUFFIXES):
            # 副院长李炯 after a company's people: a school's head is the school's, here the publisher.
            return self._publisher_name() or named
        if found is not None and found.kind == "department":
            # 质量管理与绩效考核办公室主任: a department's head, at the institution the department belongs to.
            return carried or found.name
        if found is not None:
            return found.name
        return carried

    def _people(self) -> None:
        tokens = self.tokens
        carried: str | None = None
        last_sentence = None
        for index, token in enumerate(tokens):
            if not (token.flag == TAG_TITLE or vocab.is_title(token.word)) or token.flag == "x":
                continue
            following = tokens[index + 1] if index + 1 < len(tokens) else None
            if following is not None and (following.flag == TAG_TITLE or vocab.is_title(following.word)):
                continue
            named = self._name_after(index + 1)
            if named is None:
                continue
            name, start, end = named
            titles, first = [], self._title_phrase(index)
            title_start = tokens[first].start
            phrase = self.folded[title_start : token.end]
            split = next(
                (cut for cut in range(len(phrase) - 2, 1, -1)
                 if vocab.organisation_suffix(phrase[:cut]) and vocab.is_title(phrase[cut:])),
                None,
            )
            if split:
                # 轨道交通学院院长, 成都信息工程大学校长: the phrase took in the institution's own name.
                named_start, title_start = title_start, title_start + split
                named = self.folded[named_start:title_start]
                if named in _SELF_REFERENCES:
                    # 学院院长侯大寅: the bare word is the publisher, as 学院 and 我院 are elsewhere.
                    publisher = self._publisher_name()
                    if publisher:
                        self._add_institution(publisher, named_start, title_start, generic=True)
                else:
                    self._add_institution(self._expand(named), named_start, title_start)
            titles.append((self.folded[title_start : token.end], title_start))
            while first >= 2 and tokens[first - 1].word == "、" and vocab.is_title(tokens[first - 2].word):
                previous = self._title_phrase(first - 2)
                titles.insert(0, (self.folded[tokens[previous].start : tokens[first - 2].end], tokens[previous].start))
                first = previous
            sentence = self._sentence_of(start)
            if sentence != last_sentence and last_sentence is not None and self.folded[last_sentence[1] : sentence[0]].count("\n") > 1:
                carried = None
            last_sentence = sentence
            person = self._add_person(name, start, end)
            quote_start = tokens[first].start
            for title, title_start in titles:
                institution = self._post_institution(title, title_start, carried)
                if institution is None:
                    continue
                if institution not in self.institutions:
                    self._add_derived_institution(institution, title_start, title_start + len(title))
                if not title.startswith(("区委", "市委", "县委")) and self.institutions[institution].kind != "department":
                    carried = institution
                post = {"title": title, "person": person.name, "institution": institution, "start": quote_start, "end": end}
                if not any(p["title"] == title and p["institution"] == institution for p in person.posts):
                    person.posts.append(post)
                    self.posts.append(post)
            self._listed_after(end, titles, carried)
        self._people_by_cue()
        self._all_mentions()

    def _add_derived_institution(self, name: str, start: int, end: int) -> None:
        """Record an institution a title implies (区长 → the district's government), quoting the title."""
        suffix = vocab.organisation_suffix(name) or ""
        kind = "party_organ" if name.endswith("委") else vocab.ORGANISATION_SUFFIXES.get(suffix, "other")
        known = self.snapshot.institutions.get(name)
        found = self.institutions[name] = InstitutionFound(
            name=name, kind=kind, region=self._region_prefix(name), match=known.id if known else None
        )
        found.mentions.append(Mention(start, end, name, generic=True))
        self._institution_index = None

    def _listed_after(self, end: int, titles, carried) -> None:
        """Take 夏蓓蕾 in 副处长李炎炎、夏蓓蕾; as holding the same title."""
        while end < len(self.folded) and self.folded[end] == "、":
            match = re.match(r"[\u4e00-\u9fff]{2,3}(?=[,;。、\n])", self.folded[end + 1 :])
            if not match:
                return
            name = match.group()
            tokens = [token] if (token := self._token_starting_at.get(end + 1)) else []
            if not tokens or tokens[0].flag not in ("nr", TAG_PERSON) or name in _NOT_NAMES:
                return
            start = end + 1
            end = start + len(name)
            person = self._add_person(name, start, end)
            for title, title_start in titles:
                institution = self._post_institution(title, title_start, carried)
                if institution:
                    post = {"title": title, "person": person.name, "institution": institution, "start": start, "end": end}
                    person.posts.append(post)
                    self.posts.append(post)

    def _people_by_cue(self) -> None:
        """Take names the jieba tagger marks as people when a cue follows: 刘希忠、王观英分别代表, 喻祖洪董事长."""
        tokens = self.tokens
        for index, token in enumerate(tokens):
            if token.flag not in ("nr", TAG_PERSON) or not _HAN.match(token.word) or token.word in self.people:
                continue
            if index and tokens[index - 1].flag in ("ns", TAG_REGION):
                continue  # 赣州/师专: a place then a short name is an institution, not a person
            if token.word in _NOT_NAMES or any(
                token.start < b for _, b, _ in self._person_mentions(token.start - _LONGEST_PERSON_NAME, token.end)
            ):
                continue
            rest = self.folded[token.end : token.end + 8]
            listed = re.match(r"((、|和|与)[\u4e00-\u9fff]{2,3})*", rest).group() if rest[:1] in "、和与" else ""
            after = rest[len(listed) :] if listed else rest
            following = tokens[index + 1] if index + 1 < len(tokens) else None
            if after.startswith(_PERSON_CUES) or (following is not None and vocab.is_title(following.word)):
                self._add_person(token.word, token.start, token.end)

    def _all_mentions(self) -> None:
        for name, person in self.people.items():
            position = self.folded.find(name)
            while position >= 0:
                if (position, position + len(name)) not in person.mentions:
                    person.mentions.append((position, position + len(name)))
                position = self.folded.find(name, position + 1)
            person.mentions.sort()
        self._person_index = None

    # ----- mentions in a span --------------------------------------------------------------------
    def _institutions_in(self, start: int, end: int, *, exclude=()) -> list[tuple[int, InstitutionFound]]:
        found = [
            (mention.start, institution)
            for mention, institution in self._institution_mentions(start, end)
            if mention.end <= end and not institution.creates_project and not mention.nested
            and not any(a <= mention.start < b for a, b in exclude)
        ]
        unique, seen = [], set()
        for position, institution in found:
            if institution.name not in seen:
                seen.add(institution.name)
                unique.append((position, institution))
        return unique

    def _people_in(self, start: int, end: int) -> list[tuple[int, PersonFound]]:
        return [(a, person) for a, b, person in self._person_mentions(start, end) if b <= end]

    def _institution_of(self, person: PersonFound) -> str | None:
        for post in person.posts:
            if post["institution"] in self.institutions and not post["institution"].endswith("委"):
                return post["institution"]
        return None

    # ----- the event -----------------------------------------------------------------------------
    def _event(self) -> None:
        candidates = [
            (start, end) for start, end in self.sentences
            if re.search(r"仪式|成立大会|座谈会|签约活动", self.folded[start:end])
        ]
        signing = [span for span in candidates if re.search(r"签约|签署|签订|揭牌|授牌", self.folded[span[0] : span[1]])]
        chosen = (signing or candidates or [None])[0]
        if chosen is None:
            return
        start, end = chosen
        sentence = self.folded[start:end]
        position = start + re.search(r"仪式|成立大会|座谈会|签约活动", sentence).end()
        name_start = self._event_name_start(position)
        name = self.folded[name_start:position]
        kinds = []
        for word, kind in vocab.EVENT_KINDS:
            if word in name and kind not in kinds:
                kinds.append(kind)
        kinds = kinds or ["signing_ceremony" if "签" in sentence else "meeting"]
        # "仪式上…揭牌": an unveiling told in a later sentence is part of the same ceremony.
        for word, kind in (("揭牌", "unveiling"), ("授牌", "plaque_award")):
            if word in self.folded and kind not in kinds:
                kinds.append(kind)
        date = next((mention for mention in self.dates if start <= mention.start < end), None)
        if date is None:
            date = next((mention for mention in self.dates if mention.start < start), None)
        place = _PLACE.search(sentence)
        self.event = {
            "name": name,
            "kinds": kinds,
            "date": date,
            "place": place.group(1) if place else "",
            "start": name_start,
            "end": position,
            "sentence": (start, end),
        }

    def _event_name_start(self, position: int) -> int:
        breaks = {"举行", "举办", "召开", "在", "的", "了", "与", "同", "和", "进行", "为", "于", "出席", "参加", "本次", "此次", "成功", "隆重"}
        start = position
        for index in range(bisect.bisect_right(self._token_ends, position) - 1, -1, -1):
            token = self.tokens[index]
            if token.flag == "x" or token.word in breaks or token.flag in ("m", "t") or any(
                mention.end == token.end for mention, _ in self._institution_mentions(token.end - _LONGEST_NAME, token.end)
            ):
                break
            start = token.start
        return start

    def _event_parties(self) -> list[InstitutionFound]:
        if not self.event:
            return []
        start, end = self.event["sentence"]
        return [found for _, found in self._institutions_in(start, end)]

    # ----- agreements ----------------------------------------------------------------------------
    def _agreements(self) -> None:
        event_parties = self._event_parties()
        merged: dict[frozenset, dict] = {}
        for start, end in self.sentences:
            sentence = self.folded[start:end]
            verbs = [
                verb for verb in re.finditer("|".join(vocab.SIGNING_VERBS), sentence)
                if sentence[max(0, verb.start() - 1) : verb.start()] != "的"
            ]
            told = [verb for verb in verbs if not sentence.startswith(("仪式", "暨"), verb.end())]
            verb = (told or verbs or [None])[0]
            if verb is None:
                continue
            if not told:
                # A ceremony named, not a signing told: only "A与B举行…签约仪式" says who signed.
                named = self._institutions_in(start, start + verb.start())
                joined = bool(named) and re.search(r"与|同|和", self.folded[named[0][0] : start + verb.start()])
                if not joined or re.search(r"参加|出席|见证", sentence[max(0, verb.start() - 6) : verb.start()]):
                    continue
            for agreement in self._sentence_agreements(start, end, start + verb.start(), event_parties):
                key = frozenset(agreement["parties"])
                if key in merged:
                    existing = merged[key]
                    for name, signatory in agreement["signatories"].items():
                        existing["signatories"].setdefault(name, signatory)
                    if agreement["title_rank"] > existing["title_rank"]:
                        existing.update(
                            {key: agreement[key] for key in ("title", "title_rank", "kind", "start", "end", "party_mentions")}
                        )
                else:
                    merged[key] = agreement
        self.agreements = list(merged.values())

    def _sentence_agreements(self, start: int, end: int, verb: int, event_parties) -> list[dict]:
        folded = self.folded
        witness = []
        seen = folded.find("见证下", start, end)
        if seen >= 0:
            opening = folded.rfind("在", start, seen)
            witness.append((opening if opening >= 0 else start, seen + 3))
        title, title_rank = self._agreement_title(verb, end)
        institutions = self._institutions_in(start, verb, exclude=witness)
        people = [(position, person) for position, person in self._people_in(start, end) if not any(a <= position < b for a, b in witness)]
        parties: list[list[InstitutionFound]] = []
        signatories: list[dict[str, str]] = []
        each_with = re.compile(r"分别(同|与|和)").search(folded, start, verb)
        represents = folded.find("代表", start, verb)
        # 代表 counts only right after the people who represent (徐公义、高红平分别代表), not in 多方代表的见证.
        representatives = []
        if represents >= 0 and any(
            folded[position + len(person.name) : represents].strip("、和与分别 ") == ""
            for position, person in people
            if position < represents
        ):
            representatives = [person for position, person in people if position < represents]
        if each_with is not None:
            subject = [found for position, found in institutions if position < each_with.start()]
            subject_people = [person for position, person in people if position < each_with.start()]
            if not subject and subject_people:
                own = self._institution_of(subject_people[-1])
                subject = [self.institutions[own]] if own else []
            for position, found in institutions:
                if position > each_with.start() and subject and found is not subject[-1]:
                    parties.append([subject[-1], found])
                    signatories.append({subject[-1].name: subject_people[-1].name} if subject_people else {})
        elif representatives:
            listed = [found for position, found in institutions if position > represents]
            counter = re.compile(r",\s*(与|同|和)").search(folded, represents, verb)
            if folded.startswith("分别代表", represents - 2) and counter is not None:
                own = [found for position, found in institutions if position < counter.start() and position > represents]
                other = [found for position, found in institutions if position > counter.start()]
                for number, found in enumerate(own):
                    if other:
                        parties.append([found, other[0]])
                        signer = representatives[number].name if number < len(representatives) else None
                        signatories.append({found.name: signer} if signer else {})
            else:
                group = list(listed)
                for person in [person for _, person in people]:
                    own = self._institution_of(person)
                    if own and len(group) < 2 and self.institutions[own] not in group:
                        group.append(self.institutions[own])
                signed = {}
                if len(representatives) == len(listed) and folded.startswith("分别代表", represents - 2):
                    signed = {found.name: person.name for found, person in zip(listed, representatives, strict=True)}
                for _, person in people:
                    own = self._institution_of(person)
                    if own and own in {found.name for found in group}:
                        signed.setdefault(own, person.name)
                if len(representatives) == 1 and listed:
                    signed.setdefault(listed[0].name, representatives[0].name)
                parties.append(group)
                signatories.append(signed)
        else:
            group = [found for _, found in institutions]
            signed = {}
            for _, person in people:
                own = self._institution_of(person)
                if own:
                    if len(group) < 2 and self.institutions[own] not in group:
                        group.append(self.institutions[own])
                    if own in {found.name for found in group}:
                        signed.setdefault(own, person.name)
            if len(group) < 2:
                group += [found for found in event_parties if found not in group]
            parties.append(group)
            signatories.append(signed)
        date = next((mention for mention in self.dates if start <= mention.start < end), None)
        if date is None and self.event:
            date = self.event["date"]
        result = []
        for group, signed in zip(parties, signatories, strict=False):
            names = []
            for found in group:
                if found.name not in names:
                    names.append(found.name)
            if len(names) < 2:
                continue
            result.append(
                {
                    "title": title,
                    "title_rank": title_rank,
                    "kind": self._agreement_kind(title),
                    "parties": names,
                    "party_mentions": {found.name: self._mention_near(found, start, end) for found in group},
                    "signatories": {name: person for name, person in signed.items() if name in names},
                    "date": date,
                    "start": start,
                    "end": end,
                }
            )
        return result

    def _mention_near(self, found: InstitutionFound, start: int, end: int) -> Mention:
        inside = [mention for mention in found.mentions if start <= mention.start < end]
        return (inside or [found.first])[0]

    def _agreement_title(self, verb: int, end: int) -> tuple[str, int]:
        """Return the agreement's title and how well the text names it: 2 as written, 1 from the ceremony, 0 not at all."""
        after = self.folded[verb + 2 : end]
        titled = _TITLED.search(after)
        if titled:
            return titled.group(1), 2
        after = after.lstrip("了")
        clause = re.split(r"[,。;、(]", after, maxsplit=1)[0]
        word = _AGREEMENT_WORD.search(clause)
        if word and clause[: word.end()] not in ("协议", "协议书"):
            return clause[: word.end()], 2
        if after.startswith("仪式") or after.startswith("暨"):
            before = self.folded[self._event_name_start(verb) : verb]
            if before:
                return f"{before}协议", 1
        return "合作协议", 0

    @staticmethod
    def _agreement_kind(title: str) -> str:
        for word, kind in vocab.AGREEMENT_KINDS:
            if word in title:
                return kind
        return "cooperation_agreement"

    # ----- projects ------------------------------------------------------------------------------
    def _projects(self) -> None:
        found: dict[str, dict] = {}
        for match in _QUOTED.finditer(self.folded):
            name = match.group(1)
            around = self.folded[match.end() : match.end() + 4]
            before = self.folded[max(0, match.start() - 2) : match.start()]
            if not (around.startswith(("揭牌", "授牌", "落户")) or "为" in before) or not name.endswith(vocab.PROJECT_ENDINGS):
                continue
            found.setdefault(name, {"name": name, "start": match.start(1), "end": match.end(1)})
        verbs = "|".join(sorted(vocab.PROJECT_VERBS, key=len, reverse=True))
        for institution in self.institutions.values():
            for mention in institution.mentions:
                if mention.generic or mention.nested:
                    continue
                before = self.folded[max(0, mention.start - 6) : mention.start]
                after = self.folded[mention.end : mention.end + 2]
                listed = re.search(rf"({verbs})((?:[\u4e00-\u9fff()]+(?:和|、))*)$", before)
                if (listed or after == "落户") and institution.name.endswith(vocab.PROJECT_ENDINGS):
                    institution.creates_project = True
                    found.setdefault(
                        institution.name, {"name": institution.name, "start": mention.start, "end": mention.end}
                    )
        # 开办A和B: the second of a pair follows the first.
        project_ends = {m.end for other in self.institutions.values() if other.creates_project for m in other.mentions}
        for institution in self.institutions.values():
            for mention in institution.mentions:
                previous = self.folded[max(0, mention.start - 1) : mention.start]
                if previous in ("和", "、") and mention.start - 1 in project_ends:
                    institution.creates_project = True
                    project_ends.update(m.end for m in institution.mentions)
                    found.setdefault(institution.name, {"name": institution.name, "start": mention.start, "end": mention.end})
        for project in found.values():
            project["project_type"] = next((code for word, code in vocab.PROJECT_TYPES if word in project["name"]), None)
            start, end = self._sentence_of(project["start"])
            project["institutions"] = [
                found.name for _, found in self._institutions_in(start, end) if found.name != project["name"]
            ]
        self.projects = list(found.values())

    # ----- run -----------------------------------------------------------------------------------
    def run(self) -> "Analysis":
        for stage in (self._regions, self._institutions, self._people, self._projects, self._event, self._agreements):
            self.check_time()
            stage()
        return self

    def proposals(self) -> list[dict]:
        """Return the proposals as the ingest contract words them."""
        out = []
        for found in sorted(self.institutions.values(), key=lambda f: f.first.start if f.mentions else 1 << 30):
            if not found.mentions:
                continue
            out.append(
                {
                    "kind": "institution",
                    "name": found.name,
                    **self.quote(found.first.start, found.first.end),
                    "match": found.match,
                    "institution_kind": found.kind,
                    "region": found.region,
                    "mentions": [[mention.start, mention.end] for mention in found.mentions],
                }
            )
        for person in sorted(self.people.values(), key=lambda p: p.mentions[0]):
            start, end = person.mentions[0]
            name = self._as_written(person)
            written = sorted({self.text[a:b] for a, b in person.mentions} - {name})
            out.append(
                {
                    "kind": "person",
                    "name": name,
                    **self.quote(start, end),
                    "match": person.match,
                    "aliases": written,
                    "mentions": [list(mention) for mention in person.mentions],
                }
            )
        for post in self.posts:
            out.append(
                {
                    "kind": "post",
                    "name": post["title"],
                    **self.quote(post["start"], post["end"]),
                    "match": None,
                    "person": post["person"],
                    "institution": post["institution"],
                }
            )
        if self.event:
            out.append(self._event_proposal())
        for agreement in self.agreements:
            out.append(self._agreement_proposal(agreement))
        for project in self.projects:
            out.append(
                {
                    "kind": "project",
                    "name": project["name"],
                    **self.quote(project["start"], project["end"]),
                    "match": None,
                    "project_type": project["project_type"],
                    "institutions": project["institutions"],
                    "status": "established",
                }
            )
        return self._people_as_written(out)

    def _as_written(self, person: PersonFound) -> str:
        """Return the person's name as the article first writes it where the script is simplified."""
        start, end = person.mentions[0]
        if self.simplified_script and self.folded[start:end] == person.name:
            return self.text[start:end]
        return person.name

    def _people_as_written(self, proposals: list[dict]) -> list[dict]:
        """Name every person as the person proposal does, wherever a proposal refers to them."""
        written = {found.name: self._as_written(found) for found in self.people.values()}
        if all(folded == shown for folded, shown in written.items()):
            return proposals

        def shown(name: str) -> str:
            return written.get(name, name)

        for proposal in proposals:
            if proposal["kind"] == "post":
                proposal["person"] = shown(proposal["person"])
            elif proposal["kind"] == "event":
                for participant in proposal.get("participants", ()):
                    if participant.get("person"):
                        participant["person"] = shown(participant["person"])
            elif proposal["kind"] == "agreement":
                proposal["signatories"] = [shown(name) for name in proposal.get("signatories", ())]
                for party in proposal.get("parties", ()):
                    if party.get("signatory"):
                        party["signatory"] = shown(party["signatory"])
        return proposals

    def _event_proposal(self) -> dict:
        event = self.event
        date: DateMention | None = event["date"]
        roles: dict[str, list[str]] = {}

        def take(name: str, role: str) -> None:
            if role not in roles.setdefault(name, []):
                roles[name].append(role)

        for agreement in self.agreements:
            for person in agreement["signatories"].values():
                take(person, "signatory")
        for start, end in self._spans(_CLAUSE_END):
            clause = self.folded[start:end]
            for words, role in vocab.PARTICIPANT_ROLES:
                cue = next((clause.find(word) for word in words if word in clause), -1)
                if cue < 0:
                    continue
                inside = [person for position, person in self._people_in(start, end)]
                before = [person for position, person in self._people_in(start, start + cue)]
                chosen = before if role in ("unveiler", "witness") else before[-1:] or inside[:1]
                if clause.startswith("由") or "由" in clause[:cue]:
                    chosen = inside[:1]
                for person in chosen:
                    take(person.name, role)
        for person in self.people.values():
            if not roles.get(person.name):
                take(person.name, "attendee")
        participants = [{"person": name, "role": role} for name, taken in roles.items() for role in taken]
        start, end = event["sentence"]
        participants += [
            {"institution": found.name, "role": "attendee"} for _, found in self._institutions_in(start, end)
        ]
        return {
            "kind": "event",
            "name": event["name"],
            **self.quote(event["start"], event["end"]),
            "match": None,
            "kinds": event["kinds"],
            "date_text": self.text[date.start : date.end] if date else "",
            "start_date": date.earliest.isoformat() if date and date.earliest else None,
            "end_date": date.latest.isoformat() if date and date.latest else None,
            "place": event["place"],
            "participants": participants,
        }

    def _agreement_proposal(self, agreement: dict) -> dict:
        date: DateMention | None = agreement["date"]
        parties = []
        for name in agreement["parties"]:
            mention = agreement["party_mentions"][name]
            found = self.institutions[name]
            parties.append(
                {
                    "name": name,
                    **self.quote(mention.start, mention.end),
                    "match": found.match,
                    "signatory": agreement["signatories"].get(name),
                }
            )
        start, end = agreement["start"], agreement["end"]
        return {
            "kind": "agreement",
            "name": agreement["title"],
            **self.quote(start, end),
            "match": None,
            "agreement_kind": agreement["kind"],
            "parties": parties,
            "signatories": list(dict.fromkeys(agreement["signatories"].values())),
            "date_text": self.text[date.start : date.end] if date else "",
            "signed_earliest": date.earliest.isoformat() if date and date.earliest else None,
            "signed_latest": date.latest.isoformat() if date and date.latest else None,
        }


def analyse(
    text: str,
    *,
    snapshot: Snapshot,
    published: datetime.date | None = None,
    publisher: str | None = None,
    time_budget: float | None = None,
) -> list[dict]:
    """Return the proposals an article's text supports, each with its quote and offsets into the text.

    With a time budget (seconds), raise AnalysisTimeout once it is spent rather than go on.
    """
    analysis = Analysis(text, snapshot=snapshot, published=published, publisher=publisher, time_budget=time_budget)
    return analysis.run().proposals()

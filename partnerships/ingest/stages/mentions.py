"""Mentions: the regions the article names and every institution name read from runs of tokens."""


from collections import Counter

from .. import vocabulary as vocab
from ..analysis import HAN_WORD, LONGEST_NAME, Analysis
from ..segment import TAG_INSTITUTION, TAG_NATIONAL, TAG_PERSON, TAG_REGION, TAG_TITLE, Token


def _regions(analysis: Analysis) -> None:
    counts: Counter = Counter()
    for token in analysis.tokens:
        for region in analysis.snapshot.regions.get(token.word, ())[:1]:
            counts[region] += 1
    analysis.region_counts = counts


def _breaks(analysis: Analysis, index: int) -> bool:
    token = analysis.tokens[index]
    word, flag = token.word, token.flag
    if flag in (TAG_INSTITUTION, TAG_NATIONAL):
        return False
    if flag == TAG_TITLE or (vocab.is_title(word) and not vocab.organisation_suffix(word)):
        return True
    if flag == "x" or not word.strip():
        return word not in "()"
    if flag.startswith("v") and index + 1 < len(analysis.tokens) and analysis.tokens[index + 1].word == "局":
        return False  # 发改局, 控股有限公司: a verb right before the suffix belongs to the name
    if word in ("和", "与", "及"):
        return _conjunction_breaks(analysis, index)
    if word in vocab.NAME_VERBS and index + 1 < len(analysis.tokens) and _organisation_end(analysis, analysis.tokens[index + 1]):
        return False  # 金泉建设集团, 联投科技发展有限公司: a verb right before the suffix is the name's
    if word in vocab.NAME_BREAKS or word in vocab.PUBLISHER_WORDS[:4]:
        return True
    if _misread_inside_name(analysis, index) or _spelled_brand(analysis, index) or _listed_brand(analysis, index):
        return False
    if _tag_breaks(word, flag):
        return True
    if flag in ("nr", TAG_PERSON) and index + 1 < len(analysis.tokens):
        following = analysis.tokens[index + 1].word
        return vocab.is_title(following) or following in vocab.NAME_BREAKS or following in "、,"
    return False


def _joins_next(tokens: list[Token], index: int) -> bool:
    """Whether 与 / 同 / 和 follows a token, right after it or after one adverb (该院还与, 我们也同)."""
    following = index + 1
    if following < len(tokens) and tokens[following].flag == "d":
        following += 1
    return following < len(tokens) and tokens[following].word in ("与", "同", "和")


def _tag_breaks(word: str, flag: str) -> bool:
    """Whether a word's tag ends a name: a verb (not one names use), an adverb, a particle, a number with digits."""
    if flag.startswith("v") and flag != "vn" and word not in vocab.NAME_VERBS:
        return True
    if flag in ("d", "r", "c", "y", "e", "o", "t", "f", "l", "i", "q") or flag.startswith("u"):
        return True
    # a number, or the unit of a date after one (2009/年/公司还被授予: no 年公司)
    return flag == "m" and (any(char.isdigit() for char in word) or word in ("年", "月", "日", "号"))


def _misread_inside_name(analysis: Analysis, index: int) -> bool:
    """Whether a verb, adverb, time or adjective the tagger gave is a word of a name.

    兰州/现代/职业学院, 大连/冶金/轴承, 江西/工业贸易/职业技术学院: right after a place and before the suffix; 浙江立新检测技术有限公司, 湖北中德致信汽车有限公司,
    德国魏德米勒电联结(上海)有限公司: a brand between a place and a company suffix; 南方测绘集团: a direction
    that opens a company's brand.
    """
    flag = analysis.tokens[index].flag
    if flag in vocab.MISREAD_IN_NAMES and _between_place_and_suffix(analysis, index):
        return True
    if analysis.tokens[index].word in vocab.DIRECTION_BRANDS and _company_ahead(analysis, index):
        return True
    # 怀仁市/尊/屹/陶瓷/有限公司: a brand's characters read as a measure word and a verb.
    return (flag.startswith("v") or flag in vocab.MISREAD_IN_NAMES or flag == "q") and _in_company_name(analysis, index)


def _listed_brand(analysis: Analysis, index: int) -> bool:
    """Whether a verb or adjective right after a list's 、 opens a company's name: 、前进/社/汽车/服务/有限公司."""
    tokens = analysis.tokens
    if not index or tokens[index - 1].word != "、" or not (tokens[index].flag.startswith("v") or tokens[index].flag == "a"):
        return False
    for token in tokens[index + 1 : index + 6]:
        if token.word in vocab.COMPANY_SUFFIXES:
            return True
        if (
            not HAN_WORD.match(token.word)
            or token.word in vocab.NAME_BREAKS
            or (token.flag.startswith(("v", "u", "p", "c", "d")) and token.flag != "vn")
        ):
            return False
    return False


def _single(token: Token) -> bool:
    word = token.word
    return len(word) == 1 and "\u4e00" <= word <= "\u9fff" and word not in vocab.NAME_BREAKS and word not in vocab.PREPOSITIONS


def _spelled_brand(analysis: Analysis, index: int) -> bool:
    """Whether a token is one of two or three single characters the tagger split a brand into, right before a suffix.

    学/大/教育集团: jieba does not know 学大 and tags its characters as a verb and an adjective.
    """
    tokens = analysis.tokens
    if not _single(tokens[index]):
        return False
    first = index
    while first > 0 and index - first < 3 and _single(tokens[first - 1]):
        first -= 1
    last = index
    while last + 1 < len(tokens) and last - first < 2 and _single(tokens[last + 1]):
        last += 1
    if last == first or last + 1 >= len(tokens) or not _organisation_end(analysis, tokens[last + 1]):
        return False
    return first == 0 or tokens[first - 1].flag == "x"


def _after_title(analysis: Analysis, index: int) -> bool:
    """Whether the words before token index are a person's name right after a title: 院长/徐/公义 与."""
    length, back = 0, index - 1
    while back >= 0 and length < 3 and HAN_WORD.match(analysis.tokens[back].word):
        length += len(analysis.tokens[back].word)
        back -= 1
        if back >= 0 and 2 <= length <= 3 and (analysis.tokens[back].flag == TAG_TITLE or vocab.is_title(analysis.tokens[back].word)):
            return True
    return False


def _company_ahead(analysis: Analysis, index: int) -> bool:
    """Whether a company's suffix follows within three name-like words: 南方/测绘/集团."""
    for token in analysis.tokens[index + 1 : index + 4]:
        if token.word in vocab.COMPANY_SUFFIXES:
            return True
        if not HAN_WORD.match(token.word) or token.word in vocab.NAME_BREAKS or token.word in vocab.AREA_WORDS:
            return False
        if token.flag.startswith(("v", "u", "p", "c")) and token.flag != "vn":
            return False
    return False


def _conjunction_breaks(analysis: Analysis, index: int) -> bool:
    """Whether 和 / 与 / 及 ends a name: inside one only between plain nouns (工业和信息化局, 质量管理与绩效考核办公室).

    Before a place it always ends one: 王小生与上海众彧集团 names a person, then a company; so it
    does after a name right after a title (院长徐公义与信发集团), and before a bare 学校 / 学院 (企业与学校).
    """
    tokens = analysis.tokens
    previous = tokens[index - 1] if index else None
    following = tokens[index + 1] if index + 1 < len(tokens) else None
    return (
        previous is None
        or previous.flag not in ("n", "vn", "nz", "j", "ng", "m")
        or _after_title(analysis, index)
        or bool(vocab.organisation_suffix(previous.word))
        or any(char.isdigit() for char in previous.word)
        or previous.word in vocab.PUBLISHER_WORDS
        or previous.word.endswith(vocab.VENUE_ENDINGS)
        or (following is not None and (following.flag in ("ns", TAG_REGION) or following.word in analysis.snapshot.regions))
        or _place_ahead(analysis, index)
        or (following is not None and (following.word in vocab.ORGANISATION_SUFFIXES or following.word in vocab.PUBLISHER_WORDS))
        # 区慈善总会和区职教中心: a name opening with a bare level is a body of its own
        or (following is not None and following.word in ("区", "市", "县", "省"))
    )


def _place_ahead(analysis: Analysis, index: int) -> bool:
    """Whether a place stands among the next words before a suffix: 会议室与一汽/吉林/汽车有限公司."""
    for token in analysis.tokens[index + 1 : index + 4]:
        if token.flag in ("ns", TAG_REGION):
            return True
        if token.flag == "x" or _organisation_end(analysis, token):
            return False
    return False


def _between_place_and_suffix(analysis: Analysis, index: int) -> bool:
    """Whether a token comes right after a place and right before an organisation's suffix, or nouns then one.

    河北省/现代/服务业/职业/教育集团: up to two nouns between the misread word and the suffix.
    """
    tokens = analysis.tokens
    if not index or tokens[index - 1].flag not in ("ns", TAG_REGION) or not HAN_WORD.match(tokens[index].word):
        return False
    for ahead in tokens[index + 1 : index + 4]:
        if _organisation_end(analysis, ahead):
            return True
        if ahead.flag not in ("n", "nz", "vn"):
            return False
    return False


def _in_company_name(analysis: Analysis, index: int) -> bool:
    """Whether a token stands between a place and a company suffix with only name-like words around it.

    Brand names are words the tagger reads as verbs or adverbs (立新, 联结); between a place
    (浙江, 德国) and 有限公司 with nothing but nouns and a bracketed place, they are the name.
    """
    def name_like(token: Token) -> bool:
        return bool(HAN_WORD.match(token.word)) and token.word not in vocab.NAME_BREAKS and not vocab.is_title(token.word)

    back = index - 1
    while back >= 0 and index - back <= 4 and analysis.tokens[back].flag not in ("ns", TAG_REGION):
        if not name_like(analysis.tokens[back]):
            return False
        back -= 1
    if back < 0 or index - back > 4 or analysis.tokens[back].flag not in ("ns", TAG_REGION):
        return False
    for ahead in range(index + 1, min(index + 7, len(analysis.tokens))):
        token = analysis.tokens[ahead]
        if token.word in vocab.COMPANY_SUFFIXES:
            return True
        if token.word not in "()" and not name_like(token):
            return False
    return False


def _organisation_end(analysis: Analysis, token: Token) -> bool:
    if token.flag in (TAG_INSTITUTION, TAG_NATIONAL):
        return True
    if bool(vocab.organisation_suffix(token.word)) and token.word not in vocab.NOT_ORGANISATIONS:
        return True
    return _school_department(analysis, token)


def _school_department(analysis: Analysis, token: Token) -> bool:
    """Whether a token is a department named right after its school: 福建林业职业技术学院/交通工程系."""
    if len(token.word) < 3 or not token.word.endswith(vocab.DEPARTMENT_ENDINGS):
        return False
    # The school's name ends at most two words before: 职业技术学院/交通/工程系.
    position = token.start
    for _ in range(3):
        previous = analysis.token_ending_at.get(position)
        if previous is None:
            return False
        if vocab.names_a_school(previous.word):
            return True
        if previous.flag not in ("n", "nz", "vn"):
            return False
        position = previous.start
    return False


def _institutions(analysis: Analysis) -> None:
    tokens, generic = analysis.tokens, []
    index = 0
    while index < len(tokens):
        if _breaks(analysis, index):
            if tokens[index].word in vocab.PUBLISHER_WORDS[:4] or (
                tokens[index].word in vocab.WE_WORDS and _joins_next(tokens, index)
            ):
                word = "我院" if tokens[index].word in ("我院", "本院") else "学院"
                generic.append((tokens[index].start, tokens[index].end, word))
            index += 1
            continue
        run_start = index
        while index < len(tokens) and not _breaks(analysis, index):
            index += 1
        _run_institutions(analysis, run_start, index, generic)
    analysis.generic = generic


def _run_institutions(analysis: Analysis, start: int, stop: int, generic: list) -> None:
    """Name the institutions in a run of tokens with no break: the whole run's name and the bodies named inside it.

    Linear in the run: each parent named inside (龙南经开区党工委's 龙南经开区) is tried once, and
    none whose name would exceed the longest name kept, so a run of repeated suffixes
    (有限公司有限公司…) costs no more than its length.
    """
    national = [position for position in range(start, stop) if analysis.tokens[position].flag == TAG_NATIONAL]
    for position in national:
        token = analysis.tokens[position]
        analysis.add_institution(token.word, token.start, token.end)
    if national:
        # 教育部第一批国家级市域产教联合体: the national body is a name of its own; what follows starts afresh.
        start = national[-1] + 1
    ends = [position for position in range(start, stop) if _organisation_end(analysis, analysis.tokens[position])]
    if not ends:
        return
    last = ends[-1]
    first = _name_start(analysis, start, last)
    for inner in ends[:-1]:
        # 龙南经开区党工委, 通力电梯有限公司合肥分公司: the body a unit belongs to is named first.
        if inner <= start or not analysis.tokens[inner].word.endswith(vocab.PARENT_SUFFIXES):
            continue
        if analysis.tokens[inner].word in vocab.GROUP_MARKERS and analysis.tokens[inner + 1].word in vocab.COMPANY_SUFFIXES:
            continue  # 金泉建设集团有限公司: one company, the group's name is not a parent's
        # A shorter name's leading noise ends where the whole run's does, or at its own last token.
        inner_first = min(first, inner)
        if analysis.tokens[inner].end - analysis.tokens[inner_first].start > LONGEST_NAME + 1:
            break  # every later parent is longer still
        _name_institution(analysis, start, inner_first, inner, [], nested=True)
    _name_institution(analysis, start, first, last, generic)


def _name_start(analysis: Analysis, start: int, last: int) -> int:
    """Return the first token of a name ending at last, past leading noise (原, 各, 与, a verb).

    A word right before a bracketed place is a brand, not noise: 中淼(黑龙江)科技有限公司; so are
    characters the tagger split a brand into: 学/大/教育集团, and a company's first word right after
    the 、 of a list (、前进/社/汽车服务有限公司): a list's items are names, not verbs.
    """
    first = start
    listed = start > 0 and analysis.tokens[start - 1].word == "、" and analysis.tokens[last].word in vocab.COMPANY_SUFFIXES
    while first < last and analysis.tokens[first + 1].word != "(" and not _spelled_brand(analysis, first) and (
        analysis.tokens[first].word in vocab.LEADING_NOISE
        or analysis.tokens[first].word in ("与", "和", "及", "同")
        or (
            analysis.tokens[first].flag in ("v", "vn", "a", "b", "ng", "q")
            and not (listed and first == start and analysis.tokens[first].word not in vocab.RETAGGED)
        )
    ):
        first += 1
    # 农业产业化国家重点龙头企业/双汇集团, 企业/锦州/天晟重工有限公司: what kind of body it is, then its name.
    described = [
        index for index in range(first, last)
        if analysis.tokens[index].word.endswith(vocab.CATEGORY_WORDS)
        # 上汽…股份有限公司/重庆/分公司: a name's own suffix, then its branch
        and not (index > first and vocab.organisation_suffix(analysis.tokens[index].word))
        and analysis.tokens[index + 1].flag in ("ns", "nt", TAG_REGION, TAG_INSTITUTION)
    ]
    return described[-1] + 1 if described else first


def _name_institution(analysis: Analysis, start: int, first: int, last: int, generic: list, *, nested: bool = False) -> None:
    """Add the institution named by tokens first..last, unless it is a generic word, a count or too long."""
    begin, end = analysis.tokens[first].start, analysis.tokens[last].end
    if (analysis.folded[begin] in vocab.PREPOSITIONS or analysis.folded[begin] in vocab.LEADING_PARTICLES) and len(
        analysis.tokens[first].word
    ) > 1 and analysis.tokens[first].flag not in ("ns", "nt", TAG_INSTITUTION, TAG_NATIONAL):
        begin += 1  # 对学/大/教育集团, 介绍了尊屹/陶瓷有限公司: jieba joined the preposition or particle to the name's first character
    elif analysis.folded.startswith(vocab.BEFORE_LEVEL, begin) and analysis.folded[begin + 1 : begin + 2] in ("市", "区", "县", "省"):
        begin += 1  # 经市/教育局批准
    name = analysis.folded[begin:end]
    place = analysis.region_names_prefixing(name)
    if name in vocab.NOT_ORGANISATIONS or (place and name[len(place[0]) :] in vocab.NOT_ORGANISATIONS) or vocab.names_a_kind_of_school(name):
        return  # 新格局, 中小学, 赣州中职学校: words for kinds of body, not the name of one
    if vocab.COUNTED.match(analysis.folded[analysis.tokens[start].start : end]):
        return  # 两所学校, 三所新工业学院: a count of schools, not a name
    bare = name[1:] if name[:1] in "校该本我贵" else name
    if analysis.tokens[last].flag != TAG_INSTITUTION and bare in vocab.ORGANISATION_SUFFIXES:
        generic.append((begin, end, bare))
        return
    if len(name) > LONGEST_NAME:
        return
    for part_start, part_end in _parenthesised_parts(analysis, begin, end):
        part = analysis.folded[part_start:part_end]
        if not _names_a_body(analysis, part):
            continue
        placed = (token := analysis.token_starting_at.get(part_start)) is not None and token.flag in ("ns", TAG_REGION)
        name = analysis.expand(part) if placed else _with_school(analysis, analysis.expand(part))
        analysis.add_institution(name, part_start, part_end, nested=nested)
        if name.endswith(vocab.DEPARTMENT_ENDINGS) and not name[:3].endswith(vocab.SCHOOL_SUFFIXES) and vocab.names_a_school(name[:3]):
            analysis.add_institution(name[:3], part_start, part_start + 3, nested=True)  # 徐生院 of 徐生院机电工程系


def _with_school(analysis: Analysis, name: str) -> str:
    """Return a secondary college's name with its school's in the school's own article: 经管学院 → 赣州职业技术学院经管学院.

    Only a short name with no place in it, ending with 学院 or 教学部 alone (not 职业学院, 产业学院),
    that no record knows, in an article whose school has colleges (a university, a college).
    """
    if (
        vocab.organisation_suffix(name) not in vocab.SECONDARY_COLLEGE_SUFFIXES
        or len(name) > 8
        or "大学" in name
        or name in analysis.snapshot.institutions
        or analysis.region_names_prefixing(name)
    ):
        return name
    school = analysis.publisher_name()
    if not school or not school.endswith(vocab.SCHOOL_WITH_COLLEGES) or school.endswith(name):
        return name
    return school + name


def _names_a_body(analysis: Analysis, part: str) -> bool:
    """Whether a part of a run names a body: a known name, or one ending with a suffix and more than the suffix.

    A body every place has (领导小组, 总工会, 组织部) is named only with its place: 英德市人才工作领导小组,
    not 共同成立校地融合发展领导小组.
    """
    if part in vocab.ORGANISATION_SUFFIXES:
        return False
    if part in analysis.snapshot.institutions:
        return True
    suffix = vocab.organisation_suffix(part)
    if not suffix:
        # 福建林业职业技术学院交通工程系: a department named with its school.
        return part.endswith(vocab.DEPARTMENT_ENDINGS) and (
            any(school in part[:-3] for school in vocab.SCHOOL_SUFFIXES) or vocab.names_a_school(part[:3])
        )
    # 市品质生活指挥部, 市政协: a bare level the article's place resolves (expand) is a place.
    return (
        suffix not in vocab.PLACE_BOUND_SUFFIXES
        or bool(analysis.region_names_prefixing(part))
        or (part[0] in "市区县" and len(part) > len(suffix) + 1 and analysis.main_region(part[0]) is not None)
    )


def _parenthesised_parts(analysis: Analysis, begin: int, end: int) -> list[tuple[int, int]]:
    """Split 新区财政局(区财政局) into two names; keep 百胜餐饮(福州)有限公司, XX实业(集团)有限公司 and XX城(开发区)管委会 whole."""
    name = analysis.folded[begin:end]
    opening = name.find("(")
    if opening < 0:
        return [(begin, end)]
    closing = name.find(")", opening)
    inner = name[opening + 1 : closing if closing > 0 else len(name)]
    if closing >= 0 and name[closing + 1 :] in vocab.ORGANISATION_SUFFIXES:
        return [(begin, end)]  # 阿克苏纺织工业城(开发区)管委会: the bracket names the body the suffix ends
    if closing < 0 or (vocab.organisation_suffix(inner) and inner not in vocab.GROUP_MARKERS):
        parts = [(begin, begin + opening), (begin + opening + 1, begin + opening + 1 + len(inner))]
        return [(a, b) for a, b in parts if b - a >= 2]
    return [(begin, end)]


def run(analysis: Analysis) -> None:
    """Find the regions and the institutions the article names."""
    _regions(analysis)
    _institutions(analysis)

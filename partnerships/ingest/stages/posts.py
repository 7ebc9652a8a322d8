"""People and posts: names after titles, listed names, names the tagger marks with a cue, every mention."""

import re

from .. import vocabulary as vocab
from ..analysis import HAN_NAME, HAN_WORD_RUN, LONGEST_PERSON_NAME, Analysis, PersonFound
from ..segment import TAG_PERSON, TAG_REGION, TAG_TITLE, Token


def _title_phrase(analysis: Analysis, index: int) -> int:
    """Return the index of the first token of the title that ends at token index."""
    first = index
    while first > 0:
        previous = analysis.tokens[first - 1]
        if previous.word in vocab.TITLE_MODIFIERS or (
            vocab.is_title(previous.word) and previous.flag != "x"
        ) or (previous.word in vocab.PARTY_DEPARTMENTS and first == index):
            first -= 1
            continue
        if (
            previous.flag in ("n", "vn", "j", "v", "b", "nz", "ng")
            and not vocab.organisation_suffix(previous.word)
            and previous.word not in vocab.NAME_BREAKS
            and previous.word not in analysis.snapshot.regions
            and analysis.tokens[index].end - previous.start <= 12
            and first == index
        ):
            first -= 1
            continue
        break
    return first


def _name_after(analysis: Analysis, index: int) -> tuple[str, int, int] | None:
    """Return the 2-3 character name that starts at token index, with its offsets."""
    tokens = analysis.tokens
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
        elif (
            token.flag == "nr" and len(name) == 2 and following is not None and len(following.word) == 2
            and after is not None and (following.word[1] + after.word) in vocab.SPLIT_CUES
        ):
            name, end = name + following.word[0], following.end - 1  # 崔向/民主/持 → 崔向民 主持
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
    if not HAN_NAME.match(name) or vocab.not_a_name(name) or vocab.organisation_suffix(name):
        return None
    if token.flag not in ("nr", TAG_PERSON) and name[0] not in vocab.SURNAMES:
        return None
    return name, end - len(name), end


def _place_committee(analysis: Analysis, title: str, previous: list[Token]) -> tuple[bool, str | None]:
    """Return whether a title is at a place's committee or 政协, and which: 区委书记, 合肥/市委常委, 长宁区/委/常委, 区政协主席."""
    if previous and previous[0].word == "委":
        place = analysis.token_ending_at.get(previous[0].start)
        if place is not None and place.flag in ("ns", TAG_REGION) and place.word.endswith(("区", "市", "县")):
            return True, f"{place.word}委"  # 中共长宁区/委/常委: the district's committee
    if title.startswith(("区委", "市委", "县委")):
        if previous and previous[0].flag in ("ns", TAG_REGION) and not previous[0].word.endswith(title[0]):
            return True, f"{previous[0].word}{title[:2]}"  # 合肥/市委常委: 合肥's 市委, not the article's city's
        region = analysis.main_region(title[0])
        return True, f"{region}委" if region else None
    if title.startswith(("区政协", "市政协", "县政协")):
        region = analysis.main_region(title[0])  # 区政协主席何以龙: the district's 政协
        return True, f"{region}政协" if region else None
    return False, None


def _post_institution(analysis: Analysis, title: str, title_start: int, carried: str | None) -> str | None:
    previous = [token] if (token := analysis.token_ending_at.get(title_start)) else []
    committee, named = _place_committee(analysis, title, previous)
    if committee:
        return named
    if title.startswith("党委") and previous and previous[0].word in analysis.snapshot.regions:
        return f"{previous[0].word}党委"  # 双流区党委书记
    head = vocab.GOVERNMENT_HEAD.sub("", title)  # 常务副县长刘志伟: the county government's, as 县长 is
    if head in ("区长", "市长", "县长"):
        if previous and previous[0].word in analysis.snapshot.regions:
            return f"{previous[0].word}人民政府"
        region = analysis.main_region(head[0])
        return f"{region}人民政府" if region else None
    # 我院副院长, 院长: a 学院's title, at the article's college rather than a 学校 it names more often.
    ending = "院" if title.lstrip("我本副").startswith("院") else ""
    if _self_titled(title) and (school := analysis.publisher_name(ending)):
        return school  # 校党委书记朱东风 after the county's people: the school's own
    if _after_self_reference(analysis, title_start) and (school := analysis.publisher_name(ending)):
        return school  # 。学院副院长阙勇平 after a county school's people: the publisher's, as 学院 is
    sentence_start, _ = analysis.sentence_of(title_start)
    found = analysis.institution_before(title_start, sentence_start)
    named = found.name if found is not None else carried
    if (title.lstrip("副") in vocab.SCHOOL_HEADS or title.startswith(vocab.SCHOOL_OFFICES)) and not (
        named or ""
    ).endswith(vocab.SCHOOL_SUFFIXES):
        # 副院长李炯 after a company's people, 学生处处长杨存典 after a city's: a school's title, the publisher's.
        return analysis.publisher_name(ending) or named
    if title.startswith(vocab.DEPARTMENT_ENDINGS) and (faculty := _only_faculty(analysis)):
        return faculty  # 系党总支书记陈莉: the school's one 系 the article names
    if found is not None and found.kind == "department":
        # 质量管理与绩效考核办公室主任: a department's head, at the institution the department belongs to.
        return carried or found.name
    if found is not None:
        return found.name
    return carried


def _only_faculty(analysis: Analysis) -> str | None:
    """Return the one 系 (a school's teaching department) the article names, if it names exactly one."""
    faculties = [
        name for name, found in analysis.institutions.items()
        if found.kind == "department" and name.endswith(vocab.DEPARTMENT_ENDINGS)
    ]
    return faculties[0] if len(faculties) == 1 else None


def _after_self_reference(analysis: Analysis, title_start: int) -> bool:
    """Whether a bare self-reference (学院, 我院), opening its clause, stands right before a title."""
    folded = analysis.folded
    return any(
        folded.endswith(word, 0, title_start)
        and (title_start == len(word) or folded[title_start - len(word) - 1] in vocab.CLAUSE_OPENERS)
        for word in vocab.SELF_REFERENCES
    )


def _self_titled(title: str) -> bool:
    """Whether a title opens with the school's own voice: 校党委书记, 我院常务副院长 (not 校长)."""
    prefix = next((prefix for prefix in vocab.SELF_TITLE_PREFIXES if title.startswith(prefix)), None)
    return prefix is not None and vocab.is_title(title[len(prefix) :])


def _ends_a_title(tokens, index: int) -> bool:
    """Whether token index is a title and the last word of one (副院长 in 副院长李炯, not 党委 in 党委书记)."""
    token = tokens[index]
    if not (token.flag == TAG_TITLE or vocab.is_title(token.word)) or token.flag == "x":
        return False
    following = tokens[index + 1] if index + 1 < len(tokens) else None
    return following is None or not (following.flag == TAG_TITLE or vocab.is_title(following.word))


def _own_name_in_title(analysis: Analysis, title_start: int, end: int) -> int:
    """Return where the title proper starts when the phrase took in an institution's name, recording that institution."""
    phrase = analysis.folded[title_start:end]
    split = next(
        (cut for cut in range(len(phrase) - 2, 1, -1)
         if vocab.organisation_suffix(phrase[:cut]) and vocab.is_title(phrase[cut:])),
        None,
    )
    if not split or (phrase[:split] not in vocab.SELF_REFERENCES and vocab.generic_name(phrase[:split])):
        return title_start  # 工会主席, 党委书记: a body every institution has is part of the title
    # 轨道交通学院院长, 成都信息工程大学校长: the phrase took in the institution's own name.
    named_start, title_start = title_start, title_start + split
    named = analysis.folded[named_start:title_start]
    if named in vocab.SELF_REFERENCES:
        # 学院院长侯大寅: the bare word is the publisher, as 学院 and 我院 are elsewhere.
        publisher = analysis.publisher_name()
        if publisher:
            analysis.add_institution(publisher, named_start, title_start, generic=True)
    else:
        analysis.add_institution(analysis.expand(named), named_start, title_start)
    return title_start


def _titles_ending_at(analysis: Analysis, index: int) -> tuple[list[tuple[str, int]], int]:
    """Return the titles (text, start) that end at token index, 党委书记、校长 giving two, and the first token of them."""
    tokens = analysis.tokens
    first = _title_phrase(analysis, index)
    title_start = _own_name_in_title(analysis, tokens[first].start, tokens[index].end)
    titles = [(analysis.folded[title_start : tokens[index].end], title_start)]
    if (
        first >= 3 and tokens[first - 1].flag in ("ns", TAG_REGION) and tokens[first - 2].word == "、"
        and tokens[first].word.startswith(("市委", "区委", "县委")) and vocab.is_title(tokens[first - 3].word)
    ):
        first -= 1  # 合肥市委常委、巢湖/市委书记胡启生: a place opens the last title; the chain goes on before it
    while first >= 2 and tokens[first - 1].word == "、" and vocab.is_title(tokens[first - 2].word):
        previous = _title_phrase(analysis, first - 2)
        titles.insert(0, (analysis.folded[tokens[previous].start : tokens[first - 2].end], tokens[previous].start))
        first = previous
    return titles, first


def _record_posts(analysis: Analysis, person: PersonFound, titles, span: tuple[int, int], carried: str | None) -> str | None:
    """Give the person a post for each title; return the institution later titles without one carry over."""
    quote_start, end = span
    committee: str | None = None  # 县委常委、组织部部长谢文婕: the committee a chain names holds its departments' heads
    for title, title_start in titles:
        institution = _post_institution(analysis, title, title_start, carried)
        if committee and title.startswith(vocab.PARTY_DEPARTMENTS):
            institution = committee
        if institution is None:
            continue
        if title.startswith(("区委", "市委", "县委")):
            committee = institution
        if institution not in analysis.institutions:
            analysis.add_derived_institution(institution, title_start, title_start + len(title))
        if not title.startswith(("区委", "市委", "县委")) and analysis.institutions[institution].kind != "department":
            carried = institution
        post = {"title": title, "person": person.name, "institution": institution, "start": quote_start, "end": end}
        if not any(p["title"] == title and p["institution"] == institution for p in person.posts):
            person.posts.append(post)
            analysis.posts.append(post)
    return carried


def _people(analysis: Analysis) -> None:
    tokens = analysis.tokens
    carried: str | None = None
    last_sentence = None
    for index in range(len(tokens)):
        if not _ends_a_title(tokens, index):
            continue
        named = _dotted_name(analysis, _past_aside(tokens, index + 1)) or _name_after(analysis, _past_aside(tokens, index + 1))
        if named is None:
            continue
        name, start, end = named
        titles, first = _titles_ending_at(analysis, index)
        sentence = analysis.sentence_of(start)
        if sentence != last_sentence and last_sentence is not None and analysis.folded[last_sentence[1] : sentence[0]].count("\n") > 1:
            carried = None
        last_sentence = sentence
        person = analysis.add_person(name, start, end)
        carried = _record_posts(analysis, person, titles, (tokens[first].start, end), carried)
        _listed_after(analysis, end, titles, carried)
    _leaders_listed(analysis)
    _people_by_cue(analysis)
    _all_mentions(analysis)


def _leaders_listed(analysis: Analysis) -> None:
    """Take the people listed after 校领导 / 市领导 (校领导张主社、潘晋孝、李锦元、石瑛), each with no post of their own."""
    folded = analysis.folded
    for word in vocab.LEADERS_WORDS:
        position = folded.find(word)
        while position >= 0:
            end = position + len(word)
            separator = ""
            while separator in ("", "、"):
                name = _listed_name(analysis, end + len(separator))
                if name is None:
                    break
                start = end + len(separator)
                end = start + len(name)
                analysis.add_person(name, start, end)
                separator = folded[end : end + 1]
            position = folded.find(word, position + len(word))


# A name written with a dot between its parts (Uyghur, Tibetan, foreign names): 艾孜买提•沙吾尔, 扎西·多吉.
_DOTTED = re.compile(r"[\u4e00-\u9fff]{1,6}[•·・]")


def _dotted_name(analysis: Analysis, index: int) -> tuple[str, int, int] | None:
    """Return the dotted name that starts at token index (艾孜买提•沙吾尔), with its offsets, if any.

    The part after the dot runs to the next break (等, a title, punctuation), eight characters at most.
    """
    if index >= len(analysis.tokens):
        return None
    match = _DOTTED.match(analysis.folded, analysis.tokens[index].start)
    if match is None:
        return None
    end = match.end()
    while (token := analysis.token_starting_at.get(end)) is not None and end - match.end() + len(token.word) <= 8:
        if not HAN_WORD_RUN.match(token.word) or token.word in vocab.NAME_BREAKS or vocab.is_title(token.word):
            break
        end = token.end
    return (analysis.folded[match.start() : end], match.start(), end) if end > match.end() else None


def _past_aside(tokens, index: int) -> int:
    """Return the index after a short aside in brackets at index (副院长(主持工作)黄颖), else index."""
    if index >= len(tokens) or tokens[index].word != "(":
        return index
    for ahead in range(index + 1, min(index + 6, len(tokens))):
        if tokens[ahead].word == ")":
            return ahead + 1
    return index


def _listed_name(analysis: Analysis, start: int) -> str | None:
    """Return the 2-3 character name a list gives at start (a person tagged so), ending where the list goes on or ends."""
    token = analysis.token_starting_at.get(start)
    if token is None or not token.flag.startswith("nr") or len(token.word) > 3:
        return None
    rest = analysis.folded[start : start + 4]
    for length in (3, 2):
        name = rest[:length]
        if len(name) < length or name[-1] in "等和及与" or not HAN_NAME.match(name) or vocab.not_a_name(name):
            continue
        following = analysis.folded[start + length : start + length + 2]
        if not following or following[0] in ",;。、\n" or following.startswith(vocab.LIST_END_WORDS):
            return name
    return None


def _listed_after(analysis: Analysis, end: int, titles, carried) -> None:
    """Take 夏蓓蕾 in 副处长李炎炎、夏蓓蕾; or 副处长李炎炎、夏蓓蕾出席 as holding the same title."""
    while end < len(analysis.folded) and analysis.folded[end] == "、":
        name = _listed_name(analysis, end + 1)
        if name is None:
            return
        start = end + 1
        end = start + len(name)
        person = analysis.add_person(name, start, end)
        for title, title_start in titles:
            institution = _post_institution(analysis, title, title_start, carried)
            if institution:
                post = {"title": title, "person": person.name, "institution": institution, "start": start, "end": end}
                person.posts.append(post)
                analysis.posts.append(post)


def _people_by_cue(analysis: Analysis) -> None:
    """Take names the jieba tagger marks as people when a cue follows: 刘希忠、王观英分别代表, 喻祖洪董事长."""
    tokens = analysis.tokens
    for index, token in enumerate(tokens):
        if token.flag not in ("nr", TAG_PERSON) or not HAN_NAME.match(token.word) or token.word in analysis.people:
            continue
        if index and tokens[index - 1].flag in ("ns", TAG_REGION):
            continue  # 赣州/师专: a place then a short name is an institution, not a person
        if vocab.not_a_name(token.word) or any(
            token.start < b for _, b, _ in analysis.person_mentions(token.start - LONGEST_PERSON_NAME, token.end)
        ):
            continue
        if _cued(analysis, index):
            analysis.add_person(token.word, token.start, token.end)


def _listed(rest: str) -> str:
    """Return the names listed at the start of rest: 、王观英和李明 (the pattern matches the empty text too)."""
    match = re.match(r"((、|和|与)[\u4e00-\u9fff]{2,3})*", rest)
    return match.group() if match else ""


def _cued(analysis: Analysis, index: int) -> bool:
    """Whether a cue says the name at token index is a person's: 分别代表 or a title after it, a byline's 记者 before it."""
    token, tokens = analysis.tokens[index], analysis.tokens
    rest = analysis.folded[token.end : token.end + 8]
    listed = _listed(rest) if rest[:1] in "、和与" else ""
    after = rest[len(listed) :] if listed else rest
    following = tokens[index + 1] if index + 1 < len(tokens) else None
    if after.startswith(vocab.PERSON_CUES) or (following is not None and vocab.is_title(following.word)):
        return True
    # (记者 王敏), (通讯员 陈毅): a byline names the people who wrote the article.
    return analysis.folded[max(0, token.start - 5) : token.start].rstrip().endswith(vocab.BYLINE_WORDS)


def _all_mentions(analysis: Analysis) -> None:
    for name, person in analysis.people.items():
        position = analysis.folded.find(name)
        while position >= 0:
            if (position, position + len(name)) not in person.mentions:
                person.mentions.append((position, position + len(name)))
            position = analysis.folded.find(name, position + 1)
        person.mentions.sort()
    analysis.forget_person_index()


def run(analysis: Analysis) -> None:
    """Find the people, their posts and every mention of each."""
    _people(analysis)

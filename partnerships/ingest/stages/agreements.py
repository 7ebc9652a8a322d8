"""Agreements: each sentence that tells a signing, its parties, signatories, title, kind and date."""

import re

from .. import vocabulary as vocab
from ..analysis import Analysis, InstitutionFound, Mention, PersonFound
from ..dates import DateMention, event_year
from . import events

_SIGNING = re.compile("|".join((*vocab.SIGNING_VERBS, vocab.AGREED)))


def _agreements(analysis: Analysis) -> None:
    event_parties = events._event_parties(analysis)
    merged: dict[frozenset, dict] = {}
    ceremonies: list[int] = []  # the sentences (by index) naming a signing ceremony but not who signed
    for index, (start, end) in enumerate(analysis.sentences):
        sentence = analysis.folded[start:end]
        if vocab.RETELLING.match(sentence):
            continue  # 根据协议内容,…达成广泛合作协议: what the agreement holds, not a signing
        verbs = [
            verb for verb in _SIGNING.finditer(sentence)
            if sentence[max(0, verb.start() - 1) : verb.start()] != "的"
            and (verb.group() != "达成" or len(analysis.institutions_in(start, start + verb.start())) >= 2)
        ]
        told = [
            verb for verb in verbs
            if not sentence.startswith(("仪式", "暨"), verb.end()) and not vocab.ATTENDED.search(sentence, 0, verb.start())
        ]
        if not (told or verbs):
            continue
        if told:
            signings = _clauses(analysis, start, end, [start + verb.start() for verb in told])
        else:
            # A ceremony named, not a signing told: only "A与B举行…签约仪式" says who signed.
            verb = verbs[0]
            named = analysis.institutions_in(start, start + verb.start())
            joined = bool(named) and _JOINED.search(analysis.folded, named[0][0], start + verb.start())
            attended = vocab.ATTENDED.search(sentence, 0, verb.start())
            if not joined or attended or vocab.ATTENDING.search(sentence, max(0, verb.start() - 6), verb.start()):
                ceremonies.append(index)
                continue
            signings = [(start, end, start + verb.start())]
        for clause_start, clause_end, verb_at in signings:
            for agreement in _sentence_agreements(analysis, clause_start, clause_end, verb_at, event_parties):
                _merge(merged, agreement)
    if not merged:
        for agreement in _ceremony_pair(analysis, ceremonies):
            _merge(merged, agreement)
    read = [agreement for agreement in merged.values() if not agreement.get("guessed")]
    analysis.agreements = read or list(merged.values())


def _ceremony_pair(analysis: Analysis, ceremonies: list[int]) -> list[dict]:
    """Return the agreement of a signing ceremony whose sentence names no signing party, from the pair it or the next sentence joins.

    日前,…签约仪式在宁波城市职业技术学院奉化校区举行。宁波城市职业技术学院携手宁波农商发展集团,…: read only when
    no sentence of the article tells a signing with its parties; dated as the ceremony is.
    """
    for index in ceremonies:
        start, end = analysis.sentences[index]
        for pair_start, pair_end in analysis.sentences[index : index + 2]:
            named = [
                (mention, found) for mention, found in analysis.institution_mentions(pair_start, pair_end)
                if not mention.nested and not found.creates_project
            ]
            for (one, first), (other, second) in zip(named, named[1:], strict=False):
                if first is second or not _JOINED.fullmatch(analysis.folded[one.end : other.start].strip()):
                    continue
                return [{
                    "title": "合作协议",
                    "title_rank": 0,
                    "kind": "cooperation_agreement",
                    "parties": [first.name, second.name],
                    "party_mentions": {first.name: one, second.name: other},
                    "signatories": {},
                    "date": _signing_day(analysis, start, end),
                    "start": pair_start,
                    "end": pair_end,
                }]
    return []


def _clauses(analysis: Analysis, start: int, end: int, verbs: list[int]) -> list[tuple[int, int, int]]:
    """Return (start, end, verb) of each signing a sentence tells: A与B签订…,C与D签署… tells two.

    A later verb is a signing of its own only when its clause names new parties joined (C与D, or
    two of them); otherwise it retells the first (签订了协议,并签署了备忘录; 对A…,依托本次签约).
    """
    signings: list[tuple[int, int, int]] = []
    clause_start = start
    for verb in verbs:
        if signings:
            named = analysis.institutions_in(clause_start, verb)
            if not named or (len(named) < 2 and not _JOINED.search(analysis.folded, named[0][0], verb)):
                continue
            first, _, previous = signings[-1]
            signings[-1] = (first, clause_start, previous)
        signings.append((clause_start, end, verb))
        comma = analysis.folded.find(",", verb, end)
        clause_start = comma + 1 if comma >= 0 else end
    return signings


def _merge(merged: dict[frozenset, dict], agreement: dict) -> None:
    """Add an agreement, or complete the one with the same parties: its signatories, a better title."""
    key = frozenset(agreement["parties"])
    if key not in merged:
        merged[key] = agreement
        return
    existing = merged[key]
    existing["guessed"] = existing.get("guessed") and agreement.get("guessed")
    if existing["date"] is None:
        # a headline tells the signing undated; the body's sentence of the same signing gives its day
        existing["date"] = agreement["date"]
    for name, signatory in agreement["signatories"].items():
        existing["signatories"].setdefault(name, signatory)
    if agreement["title_rank"] > existing["title_rank"]:
        existing.update({field: agreement[field] for field in ("title", "title_rank", "kind", "start", "end", "party_mentions")})


_EACH_WITH = re.compile(r"分别(同|与|和)")
_JOINED = re.compile(r"与|同|和|携手")
_COUNTERPART = re.compile(r",\s*(与|同|和)")
# A short remark bracketed after a name in a list, 信阳科技职业学院(筹)、: no more than a separator.
_REMARK = re.compile(r"^\([^()]{1,4}\)")
Groups = list[tuple[list[InstitutionFound], dict[str, str]]]


# 与两家企业签署: the counterparts are counted, not named; the article named them before.
_COUNTED = re.compile(r"(?:与|同|和)(两|二|三|四|五)(?:家|所|个)(企业|公司|集团|学校|院校|高校|单位)")
_NUMBERS = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5}
_SCHOOL_KINDS = ("院校", "学校", "高校")


# 作为联合体牵头单位进行签约: the body the signers act for (an alliance founded, a council) is their role, no party.
_ACTING_AS = re.compile(r"作为[^,。;、]{0,16}?(?:牵头|成员|理事|发起|会员|共建)单位")


def _venues(analysis: Analysis, start: int, verb: int) -> list[tuple[int, int]]:
    """Return the spans of institutions named as the place of the signing (在中船九江公司总部举行, 在A举行): no party."""
    folded = analysis.folded
    return [
        (mention.start, mention.end)
        for mention, _ in analysis.institution_mentions(start, verb)
        if mention.start > 0 and folded[mention.start - 1] == "在"
        and folded.startswith((*vocab.VENUE_WORDS, "举行", "举办", "召开"), mention.end)
    ]


class _Signing:
    """One sentence that tells a signing: who signed with whom, read by the first rule that fits.

    Rules, in order: each_with (A分别与B、C签订: one agreement per counterpart), represented
    (甲、乙分别代表A、B…签署: the parties the signatories represent), plain (everyone named
    before the verb, with the institutions of the people named in the sentence).
    """

    def __init__(self, analysis: Analysis, start: int, end: int, verb: int, event_parties):
        self.analysis, self.start, self.end, self.verb = analysis, start, end, verb
        self.event_parties = event_parties
        folded = analysis.folded
        witness = []
        seen = folded.find("见证下", start, end)
        if seen >= 0:
            opening = folded.rfind("在", start, seen)
            witness.append((opening if opening >= 0 else start, seen + 3))
        acting = [match.span() for match in _ACTING_AS.finditer(folded, start, verb)]
        self.institutions = analysis.institutions_in(start, verb, exclude=witness + acting + _venues(analysis, start, verb))
        self.list_end = verb  # where the parties' list ends: the verb, or the agreement's name after it
        if not self.institutions:
            self._parties_after_verb()
        self.people = [
            (position, person) for position, person in analysis.people_in(start, end)
            if not any(a <= position < b for a, b in witness)
        ]
        self.represents = folded.find("代表", start, verb)
        self.representatives = self._representatives()

    def _parties_after_verb(self) -> None:
        """Read the parties from the agreement's name when none stands before the verb: 大会签署了A与B、C战略合作协议."""
        analysis = self.analysis
        word = vocab.AGREEMENT_WORD.search(analysis.folded, self.verb, self.end)
        if word is None or re.search(r"[。;]", analysis.folded[self.verb : word.start()]):
            return
        named = analysis.institutions_in(self.verb, word.start())
        if len(named) >= 2 and _JOINED.search(analysis.folded, named[0][0], named[1][0]):
            self.institutions, self.list_end = named, word.start()

    def _representatives(self) -> list[PersonFound]:
        """Return the people right before 代表 (徐公义、高红平分别代表), not those in 多方代表的见证."""
        represents, folded = self.represents, self.analysis.folded
        if represents >= 0 and any(
            folded[position + len(person.name) : represents].strip("、和与分别 ") == ""
            for position, person in self.people
            if position < represents
        ):
            return [person for position, person in self.people if position < represents]
        return []

    def groups(self) -> Groups:
        """Return each agreement's parties with the signatory of each party the sentence names."""
        each_with = _EACH_WITH.search(self.analysis.folded, self.start, self.verb)
        if each_with is not None:
            return self.each_with(each_with.start())
        listed = self._listed_each()
        if listed is not None:
            return self.each_with(listed)
        counted = _COUNTED.search(self.analysis.folded, self.start, self.verb)
        if counted is not None:
            return self.counted(counted)
        if self.representatives:
            return self.represented()
        return [self.plain()]

    def each_with(self, cut: int) -> Groups:
        analysis = self.analysis
        subject = [found for position, found in self.institutions if position < cut]
        subject_people = [person for position, person in self.people if position < cut]
        if not subject and subject_people:
            own = analysis.institution_of(subject_people[-1])
            subject = [analysis.institutions[own]] if own else []
        if not subject:
            return []
        counterparts = [found for position, found in self.institutions if position > cut and found is not subject[-1]]
        listed = self._listed_after(cut)
        if len(subject) >= 2 and len(listed) == len(subject):
            # A、B分别与C、D签约: respectively, A with C and B with D.
            return [([own, other], {}) for own, other in zip(subject, listed, strict=True)]
        signed = {subject[-1].name: subject_people[-1].name} if subject_people else {}
        return [([subject[-1], found], dict(signed)) for found in counterparts]

    def _listed_after(self, cut: int) -> list[InstitutionFound]:
        """Return the institutions listed right after cut (与C、D), up to the first word that is no separator."""
        folded, listed, end = self.analysis.folded, [], None
        for mention, found in self.analysis.institution_mentions(cut, self.verb):
            if mention.nested or found.creates_project:
                continue
            gap = folded[end : mention.start].strip() if end is not None else ""
            if end is not None and gap not in vocab.LIST_SEPARATORS:
                break
            listed.append(found)
            end = mention.end
        return listed

    def counted(self, counted: re.Match) -> Groups:
        """代表学校与两家企业签署: one agreement with each of the last two enterprises the article named before."""
        analysis = self.analysis
        subject = [found for position, found in self.institutions if position < counted.start()]
        people = [person for position, person in self.people if position < counted.start()]
        if not subject and people and (own := analysis.institution_of(people[-1])):
            subject = [analysis.institutions[own]]
        if not subject:
            return []
        wanted, kind = _NUMBERS[counted.group(1)], counted.group(2)
        chosen: list[InstitutionFound] = []
        for mention, found in reversed(analysis.institution_mentions(0, self.start)):
            if mention.nested or mention.generic or found.creates_project or found in chosen or found is subject[-1]:
                continue
            school = found.name.endswith(vocab.SCHOOL_SUFFIXES)
            company = found.kind in ("enterprise", "education_group") or found.name.endswith(tuple(vocab.COMPANY_SUFFIXES))
            if kind == "单位" or (school if kind in _SCHOOL_KINDS else company):
                chosen.append(found)
            if len(chosen) == wanted:
                break
        if len(chosen) < wanted:
            return []
        signed = {subject[-1].name: people[-1].name} if people else {}
        return [([subject[-1], found], dict(signed)) for found in reversed(chosen)]

    def _listed_each(self) -> int | None:
        """Return where the counterparts start in A与B、C、D(分别)签订 (one agreement with each), else None.

        Without 分别 the list reads so only when nothing but separators stands between the
        counterparts and nothing makes it one agreement of all (三方, 共同签署, 代表三方签约).
        """
        institutions, folded = self.institutions, self.analysis.folded
        if len(institutions) < 3:
            return None
        joined = _JOINED.search(folded, institutions[0][0], institutions[1][0])
        if joined is None:
            return None
        if folded[max(self.start, self.verb - 4) : self.verb].rstrip("了").endswith("分别"):
            return joined.start()
        if self._together(len(institutions)) or not self._only_listed(joined.end(), self.list_end):
            return None
        return joined.start()

    def _together(self, count: int) -> bool:
        """Whether the sentence or the article makes the parties one agreement: 三方签署, 共同签订, one 《title》, 代表三方签约."""
        analysis = self.analysis
        if any(word in analysis.folded[self.start : self.end] for word in vocab.TOGETHER_WORDS):
            return True
        if vocab.TITLED.search(analysis.folded, self.verb, self.end):
            return True  # 签署《英德茶产业学院框架协议》: one titled agreement of all
        return analysis.writes(vocab.PARTY_COUNTS.get(count, "多方"))

    def _only_listed(self, first: int, end: int) -> bool:
        """Whether the institutions from first to the list's end follow one another with only separators between."""
        mentions = sorted(
            (mention.start, mention.end)
            for mention, found in self.analysis.institution_mentions(first, end)
            if not mention.nested and not found.creates_project
        )
        if not mentions or self.analysis.folded[first : mentions[0][0]].strip():
            return False
        return all(
            _REMARK.sub("", self.analysis.folded[end : following].strip()) in vocab.LIST_SEPARATORS
            for (_, end), (following, _) in zip(mentions, mentions[1:], strict=False)
        )

    def represented(self) -> Groups:
        folded, represents = self.analysis.folded, self.represents
        counter = _COUNTERPART.search(folded, represents, self.verb)
        if folded.startswith("分别代表", represents - 2) and counter is not None:
            return self._each_represented(counter.start())
        return [self._represented_together()]

    def _each_represented(self, cut: int) -> Groups:
        """甲、乙分别代表A、B,与C签署: A with C, B with C, each signed by its representative."""
        own = [found for position, found in self.institutions if self.represents < position < cut]
        other = [found for position, found in self.institutions if position > cut]
        if not other:
            return []
        groups = []
        for number, found in enumerate(own):
            signer = self.representatives[number].name if number < len(self.representatives) else None
            groups.append(([found, other[0]], {found.name: signer} if signer else {}))
        return groups

    def _represented_together(self) -> tuple[list[InstitutionFound], dict[str, str]]:
        analysis, representatives = self.analysis, self.representatives
        listed = [found for position, found in self.institutions if position > self.represents]
        group = list(listed)
        if not listed and len(representatives) > 2:
            # A副主任X、B校长Y、C总经理Z代表牵头单位共同签署: each representative's institution is a party.
            group = [found for position, found in self.institutions if position < self.represents]
        self._add_people_institutions(group)
        signed = {}
        if len(representatives) == len(listed) and analysis.folded.startswith("分别代表", self.represents - 2):
            signed = {found.name: person.name for found, person in zip(listed, representatives, strict=True)}
        self._sign_for_own(group, signed)
        if len(representatives) == 1 and listed:
            signed.setdefault(listed[0].name, representatives[0].name)
        return group, signed

    def _party_count(self) -> int:
        """Return how many parties the sentence says signed (三方 three, 四方 four), else two."""
        sentence = self.analysis.folded[self.start : self.end]
        return next((count for count, word in vocab.PARTY_COUNTS.items() if word in sentence), 2)

    def plain(self) -> tuple[list[InstitutionFound], dict[str, str]]:
        group = [found for _, found in self.institutions]
        signed: dict[str, str] = {}
        count = self._party_count()  # 甲、乙、丙分别代表校企政三方签署: the institutions of three people
        for _, person in self.people:
            own = self.analysis.institution_of(person)
            if own:
                if len(group) < count and self.analysis.institutions[own] not in group:
                    group.append(self.analysis.institutions[own])
                if own in {found.name for found in group}:
                    signed.setdefault(own, person.name)
        if len(group) < 2:
            group += [found for found in self.event_parties if found not in group]
        return group, signed

    def _add_people_institutions(self, group: list[InstitutionFound]) -> None:
        """Complete a group of fewer than two with the institutions of the people the sentence names."""
        for _, person in self.people:
            own = self.analysis.institution_of(person)
            if own and len(group) < 2 and self.analysis.institutions[own] not in group:
                group.append(self.analysis.institutions[own])

    def _sign_for_own(self, group: list[InstitutionFound], signed: dict[str, str]) -> None:
        for _, person in self.people:
            own = self.analysis.institution_of(person)
            if own and own in {found.name for found in group}:
                signed.setdefault(own, person.name)


def _sentence_agreements(analysis: Analysis, start: int, end: int, verb: int, event_parties) -> list[dict]:
    signing = _Signing(analysis, start, end, verb, event_parties)
    title, title_rank = _agreement_title(analysis, verb, end)
    date = _signing_day(analysis, start, end)
    # No party named in the clause nor represented by a signatory (签约后,双方…; 本次签约共建的…): the parties are
    # guessed from the people and the event, and give way to any agreement whose parties the text names.
    guessed = not signing.institutions and not signing.representatives
    result = []
    for group, signed in signing.groups():
        names = list(dict.fromkeys(found.name for found in group))
        if len(names) < 2:
            continue
        result.append(
            {
                "title": title,
                "title_rank": title_rank,
                "kind": _agreement_kind(title),
                "parties": names,
                "party_mentions": {found.name: _mention_near(analysis, found, start, end) for found in group},
                "signatories": {name: person for name, person in signed.items() if name in names},
                "date": date,
                "start": start,
                "end": end,
                "guessed": guessed,
            }
        )
    return result


def _signing_day(analysis: Analysis, start: int, end: int) -> DateMention | None:
    """Return the date a signing sentence rests on: its own, else the paragraph's last before it (5月8日,…赴…签订), else the event's, else the article's first."""
    told = [mention for mention in analysis.dates if not mention.dateline]
    date = next((mention for mention in told if start <= mention.start < end), None)
    if date is None:
        paragraph = analysis.folded.rfind("\n", 0, start) + 1
        earlier = [mention for mention in told if paragraph <= mention.start < start]
        date = earlier[-1] if earlier else None
    if date is None and analysis.event:
        date = analysis.event["date"]
    if date is None:
        # 会上,A与B签订… after a first paragraph that dates the meeting: the article's first day before it.
        date = next((mention for mention in told if mention.start < start), None)
    if date is None or date.earliest is None:
        # 近日,…参加"2025 职业教育海上对话创享会",并与B签署…, with nothing to read 近日 against: the event's year.
        date = event_year(analysis.folded, start, end) or date
    return date


def _mention_near(analysis: Analysis, found: InstitutionFound, start: int, end: int) -> Mention:
    inside = [mention for mention in found.mentions if start <= mention.start < end]
    return (inside or [found.first])[0]


def _agreement_title(analysis: Analysis, verb: int, end: int) -> tuple[str, int]:
    """Return the agreement's title and how well the text names it: 2 as written, 1 from the ceremony, 0 not at all."""
    after = analysis.folded[verb + 2 : end]
    titled = vocab.TITLED.search(after)
    if titled:
        return titled.group(1), 2
    after = after.lstrip("了")
    clause = re.split(r"[,。;、(]", after, maxsplit=1)[0]
    word = vocab.AGREEMENT_WORD.search(clause)
    if word and clause[: word.end()] not in ("协议", "协议书"):
        return clause[: word.end()], 2
    if after.startswith("仪式") or after.startswith("暨"):
        before = analysis.folded[analysis.event_name_start(verb) : verb]
        if before:
            return f"{before}协议", 1
    return "合作协议", 0


def _agreement_kind(title: str) -> str:
    for word, kind in vocab.AGREEMENT_KINDS:
        if word in title:
            return kind
    return "cooperation_agreement"


def run(analysis: Analysis) -> None:
    """Find the agreements the article tells of."""
    _agreements(analysis)

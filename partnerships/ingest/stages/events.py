"""The event: the ceremony or meeting the article reports, its kinds, date and place."""

import re

from .. import vocabulary as vocab
from ..analysis import Analysis, InstitutionFound


def _event(analysis: Analysis) -> None:
    candidates = [
        (start, end) for start, end in analysis.sentences
        if re.search(r"仪式|成立大会|座谈会|签约活动", analysis.folded[start:end])
    ]
    signing = [span for span in candidates if re.search(r"签约|签署|签订|揭牌|授牌", analysis.folded[span[0] : span[1]])]
    chosen = (signing or candidates)[:1]
    if not chosen:
        return
    ((start, end),) = chosen
    sentence = analysis.folded[start:end]
    named = re.search(r"仪式|成立大会|座谈会|签约活动", sentence)
    if named is None:  # every candidate names one; kept for the type checker's sake
        return
    position = start + named.end()
    name_start = analysis.event_name_start(position)
    name = analysis.folded[name_start:position]
    kinds = []
    for word, kind in vocab.EVENT_KINDS:
        if word in name and kind not in kinds:
            kinds.append(kind)
    kinds = kinds or ["signing_ceremony" if "签" in sentence else "meeting"]
    # "仪式上…揭牌": an unveiling told in a later sentence is part of the same ceremony.
    for word, kind in (("揭牌", "unveiling"), ("授牌", "plaque_award")):
        if word in analysis.folded and kind not in kinds:
            kinds.append(kind)
    told = [mention for mention in analysis.dates if not mention.dateline]
    date = next((mention for mention in told if start <= mention.start < end), None)
    if date is None:
        date = next((mention for mention in told if mention.start < start), None)
    place = vocab.PLACE.search(sentence)
    analysis.event = {
        "name": name,
        "kinds": kinds,
        "date": date,
        "place": place.group(1) if place else "",
        "start": name_start,
        "end": position,
        "sentence": (start, end),
    }


def _event_parties(analysis: Analysis) -> list[InstitutionFound]:
    if not analysis.event:
        return []
    start, end = analysis.event["sentence"]
    return [found for _, found in analysis.institutions_in(start, end)]


def run(analysis: Analysis) -> None:
    """Find the event the article reports."""
    _event(analysis)

"""Dates as articles write them, resolved against the publication date where that is known.

A day written without a year takes its year from what the article offers, in this order: the
publication date given with the article, a date header in the text (时间: 2023-06-12,
发布时间, 信息时间), the date or year in the URL's path (/2024/0925/, /20191024/, /202012/27/).
Each resolved date says what it rests on (its basis): `text` (the text writes the year),
`publication`, `header` or `url` (the year came from there), `relative` (昨天, 日前, 近日 counted
back from the publication date).
"""

import datetime
import re
from dataclasses import dataclass

_DATE = re.compile(
    r"(?:(?P<year>(?:19|20)\d{2})\s*年\s*)?(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日"
    r"(?:\s*[-－—~～至到]\s*(?:(?P<month2>\d{1,2})\s*月\s*)?(?P<day2>\d{1,2})\s*日)?"
)
# A garbled mirror drops 年 and 月: 524日下午 for 5月24日, 20131127日 for 2013年11月27日 (the empty
# groups keep the shape of _DATE's match).
_RUN_TOGETHER = re.compile(r"(?<![\d.\-/年月])(?P<year>(?:19|20)\d{2})?(?P<month>1[0-2]|[1-9])(?P<day>[0-2]\d|3[01])(?P<month2>)(?P<day2>)日")
_RECENTLY = re.compile(r"近日|日前|近期")
# Relative days counted back from the publication date.
_RELATIVE_DAYS = {"昨天": 1, "昨日": 1, "前天": 2, "今天": 0, "今日": 0}
_RELATIVE = re.compile("|".join(_RELATIVE_DAYS))
# A header line's date: 时间:2023-07-04 09:00, 发布时间: 2023年6月12日, 【信息时间:2019-10-24 08:46.
_HEADER = re.compile(
    r"(?:发布时间|发布日期|信息时间|时间|日期)\s*[:：]\s*(?P<year>(?:19|20)\d{2})\s*[-/.年]\s*(?P<month>\d{1,2})\s*[-/.月]\s*(?P<day>\d{1,2})"
)
# The URL's path: /2024/0925/, /20191024/, /2020/04/10/, /202012/27/, /2025-07/12/, /t20240925_.
_URL_DAY = re.compile(
    r"[/_t](?P<year>20\d{2})[-/]?(?P<month>[01]\d)[-/]?(?P<day>[0-3]\d)(?=[/_.])"
)
_URL_YEAR = re.compile(r"/(?P<year>20\d{2})(?:[-/]?[01]\d)?/")
# A year that names the event a signing is told at: "2025 职业教育海上对话创享会", 2024年产教融合论坛.
_EVENT_YEAR = re.compile(r"(?<![\d.\-/])(?P<year>(?:19|20)\d{2})\s*年?(?!\s*[-－—~～至到\d])[^,。;!?\n\d]{0,20}?(?:会|论坛|峰会|节)")
# 早报7月11日讯, 4月10日讯: a dateline gives the day of the report, not of what it reports.
_DATELINE = "讯"
# "Shortly before publication": a month is as far back as news of an event usually lags.
RECENTLY_DAYS = 31


@dataclass(frozen=True)
class DateMention:
    text: str
    start: int
    end: int
    earliest: datetime.date | None
    latest: datetime.date | None
    basis: str | None = None
    dateline: bool = False

    @property
    def exact(self) -> bool:
        return self.earliest is not None and self.earliest == self.latest


@dataclass(frozen=True)
class Reference:
    """What a day written without its year is read against: a date (or only a year) and where it comes from."""

    date: datetime.date | None = None
    year: int | None = None
    basis: str | None = None


def _safe_date(year, month, day) -> datetime.date | None:
    try:
        return datetime.date(int(year), int(month), int(day))
    except (TypeError, ValueError):
        return None


def header_date(text: str) -> datetime.date | None:
    """Return the date of the text's first date header (时间: 2023-06-12), if any."""
    for match in _HEADER.finditer(text):
        found = _safe_date(match["year"], match["month"], match["day"])
        if found is not None:
            return found
    return None


def url_reference(url: str | None) -> Reference:
    """Return the date, or else the year, an article's URL path gives."""
    if not url:
        return Reference()
    path = url.split("?", 1)[0]
    for match in _URL_DAY.finditer(path):
        found = _safe_date(match["year"], match["month"], match["day"])
        if found is not None:
            return Reference(found, found.year, "url")
    year = _URL_YEAR.search(path)
    return Reference(None, int(year["year"]), "url") if year else Reference()


def reference(text: str, *, published: datetime.date | None, url: str | None = None) -> Reference:
    """Return what the article's undated days are read against: the publication date, a header, the URL."""
    if published is not None:
        return Reference(published, published.year, "publication")
    header = header_date(text)
    if header is not None:
        return Reference(header, header.year, "header")
    return url_reference(url)


def _year_for(month: int, day: int, published: datetime.date) -> int:
    """Return the year of a month and day written without one: the latest not after publication."""
    candidate = _safe_date(published.year, month, day)
    return published.year - 1 if candidate is not None and candidate > published else published.year


def _written(match: re.Match, context: Reference) -> DateMention:
    month, day = int(match["month"]), int(match["day"])
    month2 = int(match["month2"]) if match["month2"] else month
    day2 = int(match["day2"]) if match["day2"] else day
    year: int | None
    basis: str | None
    if match["year"]:
        year, basis = int(match["year"]), "text"
    elif context.date is not None:
        year, basis = _year_for(month, day, context.date), context.basis
    else:
        year, basis = context.year, context.basis
    earliest = _safe_date(year, month, day) if year else None
    latest = _safe_date(year, month2, day2) if year else None
    if earliest is None or latest is None or latest < earliest:
        earliest = latest = None
        basis = None
    return DateMention(match.group(), match.start(), match.end(), earliest, latest, basis, match.string.startswith(_DATELINE, match.end()))


def date_mentions(text: str, *, published: datetime.date | None, url: str | None = None) -> list[DateMention]:
    """Return the dates the text writes, with the bounds they resolve to (None where nothing resolves them)."""
    context = reference(text, published=published, url=url)
    mentions = [_written(match, context) for match in _DATE.finditer(text)]
    mentions += [_written(match, context) for match in _RUN_TOGETHER.finditer(text)]
    anchor = context.date
    for match in _RECENTLY.finditer(text):
        earliest = anchor - datetime.timedelta(days=RECENTLY_DAYS) if anchor else None
        mentions.append(DateMention(match.group(), match.start(), match.end(), earliest, anchor, "relative" if anchor else None))
    for match in _RELATIVE.finditer(text):
        day = anchor - datetime.timedelta(days=_RELATIVE_DAYS[match.group()]) if anchor else None
        mentions.append(DateMention(match.group(), match.start(), match.end(), day, day, "relative" if anchor else None))
    return sorted(mentions, key=lambda mention: mention.start)


def event_year(text: str, start: int, end: int) -> DateMention | None:
    """Return the year an event's name gives within a span (the year's first and last day), or None."""
    match = _EVENT_YEAR.search(text, start, end)
    if match is None:
        return None
    year = int(match["year"])
    return DateMention(match["year"], match.start("year"), match.end("year"), datetime.date(year, 1, 1), datetime.date(year, 12, 31), "text")

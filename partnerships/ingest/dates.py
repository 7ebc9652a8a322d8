"""Dates as articles write them, resolved against the publication date where that is known."""

import datetime
import re
from dataclasses import dataclass

_DATE = re.compile(
    r"(?:(?P<year>(?:19|20)\d{2})\s*年\s*)?(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日"
    r"(?:\s*[-－—~～至到]\s*(?:(?P<month2>\d{1,2})\s*月\s*)?(?P<day2>\d{1,2})\s*日)?"
)
_RECENTLY = re.compile(r"近日|日前|近期")
# "Shortly before publication": a month is as far back as news of an event usually lags.
RECENTLY_DAYS = 31


@dataclass(frozen=True)
class DateMention:
    text: str
    start: int
    end: int
    earliest: datetime.date | None
    latest: datetime.date | None

    @property
    def exact(self) -> bool:
        return self.earliest is not None and self.earliest == self.latest


def _safe_date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _year_for(month: int, day: int, published: datetime.date) -> int:
    """Return the year of a month and day written without one: the latest not after publication."""
    candidate = _safe_date(published.year, month, day)
    return published.year - 1 if candidate is not None and candidate > published else published.year


def date_mentions(text: str, *, published: datetime.date | None) -> list[DateMention]:
    """Return the dates the text writes, with the bounds they resolve to (None where nothing resolves them)."""
    mentions = []
    for match in _DATE.finditer(text):
        month, day = int(match["month"]), int(match["day"])
        month2 = int(match["month2"]) if match["month2"] else month
        day2 = int(match["day2"]) if match["day2"] else day
        if match["year"]:
            year = int(match["year"])
        elif published is not None:
            year = _year_for(month, day, published)
        else:
            year = None
        earliest = _safe_date(year, month, day) if year else None
        latest = _safe_date(year, month2, day2) if year else None
        if earliest is None or latest is None or latest < earliest:
            earliest = latest = None
        mentions.append(DateMention(match.group(), match.start(), match.end(), earliest, latest))
    for match in _RECENTLY.finditer(text):
        earliest = published - datetime.timedelta(days=RECENTLY_DAYS) if published else None
        mentions.append(DateMention(match.group(), match.start(), match.end(), earliest, published))
    return sorted(mentions, key=lambda mention: mention.start)

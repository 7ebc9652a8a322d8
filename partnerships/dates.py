"""Reading and showing dates known only within bounds."""

import datetime

from django.utils.translation import gettext as _

from partnerships.choices import DatePrecisionChoices


def iso_month(day: datetime.date) -> str:
    """Return a date's month as YYYY-MM, the year zero-padded (strftime writes year 1 as "1")."""
    return f"{day.year:04d}-{day.month:02d}"


def format_date_bounds(earliest: datetime.date | None, latest: datetime.date | None, precision: str) -> str:
    """Return a date known within bounds as a person would write it."""
    if earliest is None or latest is None or precision == DatePrecisionChoices.UNKNOWN:
        return _("unknown")
    if precision == DatePrecisionChoices.DAY or earliest == latest:
        return earliest.isoformat()
    if precision == DatePrecisionChoices.MONTH:
        return iso_month(earliest)
    if precision == DatePrecisionChoices.YEAR:
        return str(earliest.year)
    return f"{earliest.isoformat()} – {latest.isoformat()}"


def date_bounds_errors(
    earliest: datetime.date | None, latest: datetime.date | None, precision: str
) -> dict[str, str]:
    """Return what is wrong with bounds for a precision, keyed "earliest" or "latest"; empty when they agree."""
    P = DatePrecisionChoices
    if precision == P.UNKNOWN:
        if earliest is not None or latest is not None:
            return {"earliest": _("A date of unknown precision has no bounds; keep what is written in the text field.")}
        return {}
    if earliest is None or latest is None:
        return {"earliest" if earliest is None else "latest": _("Give both bounds when the precision is known.")}
    if latest < earliest:
        return {"latest": _("The latest bound cannot be before the earliest.")}
    if precision == P.DAY and earliest != latest:
        return {"latest": _("A date exact to the day has equal earliest and latest bounds.")}
    if precision == P.MONTH and (earliest.year, earliest.month) != (latest.year, latest.month):
        return {"latest": _("A date within the month has both bounds in one calendar month.")}
    if precision == P.YEAR and earliest.year != latest.year:
        return {"latest": _("A date within the year has both bounds in one year.")}
    return {}

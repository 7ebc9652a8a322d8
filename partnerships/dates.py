"""Reading and showing dates known only within bounds."""

import datetime

from django.utils.translation import gettext as _

from partnerships.choices import DatePrecisionChoices


def format_date_bounds(earliest: datetime.date | None, latest: datetime.date | None, precision: str) -> str:
    """Return a date known within bounds as a person would write it."""
    if earliest is None or latest is None or precision == DatePrecisionChoices.UNKNOWN:
        return _("unknown")
    if precision == DatePrecisionChoices.DAY or earliest == latest:
        return earliest.isoformat()
    if precision == DatePrecisionChoices.MONTH:
        return earliest.strftime("%Y-%m")
    if precision == DatePrecisionChoices.YEAR:
        return str(earliest.year)
    return f"{earliest.isoformat()} – {latest.isoformat()}"

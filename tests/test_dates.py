"""Dates known within bounds, as people write them."""

import datetime

from partnerships.dates import format_date_bounds, iso_month


def test_a_month_is_written_yyyy_mm_with_the_year_zero_padded():
    assert iso_month(datetime.date(1, 1, 15)) == "0001-01"
    assert iso_month(datetime.date(9999, 12, 31)) == "9999-12"
    assert format_date_bounds(datetime.date(1, 3, 1), datetime.date(1, 3, 31), "month") == "0001-03"

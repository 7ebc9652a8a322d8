"""Parsing ids and codes from request text: ASCII digits only.

str.isdigit() and int() accept other scripts' digits ("²", "١٢"), and int("²") even
raises; every id or code read from a request goes through these instead.
"""

import re

# The largest value a BigAutoField holds; larger ids are a 400, not a database error.
MAX_ID = 2**63 - 1
ASCII_DIGITS = re.compile(r"[0-9]+")
REGION_CODE = re.compile(r"^[0-9]{6}$")


def is_ascii_number(value: str) -> bool:
    """Return whether the text is one or more ASCII digits and nothing else."""
    return ASCII_DIGITS.fullmatch(value) is not None


def parse_id(value: str) -> int | None:
    """Return the record id the text spells in ASCII digits (1 to MAX_ID), or None."""
    if not is_ascii_number(value):
        return None
    number = int(value)
    return number if 1 <= number <= MAX_ID else None

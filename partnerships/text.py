"""Script-folded forms of Chinese text, for matching names and finding reposts.

Matching runs on the simplified form, so 溫州職業技術學院 and 温州职业技术学院 are one
name; quotes are always copied from the text as written. OpenCC's t2s conversion maps
character for character for the names and articles we hold, but callers that need
offsets into the original must not assume it for arbitrary text.
"""

from functools import lru_cache

import opencc


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Return the text in simplified script (traditional characters converted by OpenCC)."""
    return _t2s().convert(text) if text else text

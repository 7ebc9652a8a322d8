"""Script-folded forms of Chinese text, for matching names and finding reposts.

Matching runs on the simplified form, so 溫州職業技術學院 and 温州职业技术学院 are one
name; quotes are always copied from the text as written. OpenCC's t2s conversion maps
character for character for the names and articles we hold, but callers that need
offsets into the original must not assume it for arbitrary text.
"""

import re
import unicodedata
from functools import lru_cache

import opencc
import pypinyin


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


# Variant forms OpenCC's t2s leaves as they are, which mirrors of traditional pages print (陜西 for 陕西):
# each folded to its simplified character, one for one, so offsets hold.
_VARIANTS = str.maketrans("陜衞緖吿淸靑粧", "陕卫绪告清青妆")


def to_simplified(text: str) -> str:
    """Return the text in simplified script (traditional characters converted by OpenCC, variant forms folded)."""
    return _t2s().convert(text).translate(_VARIANTS) if text else text


def in_traditional_script(text: str, simplified: str | None = None) -> bool:
    """Whether a text is written in traditional script, not merely holding a few characters OpenCC folds.

    OpenCC's t2s also folds characters that simplified text uses (谢乾程 becomes 谢干程), so a
    handful of changed characters does not make a repost: more than one in two hundred does.
    Pass the text's simplified form where the caller has it, to convert only once.
    """
    simplified = to_simplified(text) if simplified is None else simplified
    changed = sum(a != b for a, b in zip(text, simplified, strict=False) if "\u4e00" <= a <= "\u9fff")
    return changed > max(2, len(text) // 200)


@lru_cache(maxsize=4096)
def _readings(char: str) -> frozenset[str]:
    # Toneless readings, heteronyms included: 政 and 正 are both zheng; 长 is chang and zhang.
    return frozenset(pypinyin.pinyin(char, heteronym=True, style=pypinyin.Style.NORMAL, errors="ignore")[0] or ())


def variant_spelling(a: str, b: str) -> bool:
    """Whether two personal names are one name written with a homophone (吴政义 / 吴正义).

    Articles mistype a given name's character for another of the same sound; the surname
    (the first character) must agree, and exactly one other character may differ.
    """
    a, b = to_simplified(a), to_simplified(b)
    if len(a) != len(b) or len(a) < 2 or a == b or a[0] != b[0]:
        return False
    differing = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    return len(differing) == 1 and bool(_readings(differing[0][0]) & _readings(differing[0][1]))


# Punctuation NFKC leaves in its full-width form, mapped to the half-width mark a re-typed copy uses.
_PUNCTUATION = str.maketrans({"。": ".", "、": ",", "“": '"', "”": '"', "‘": "'", "’": "'", "【": "[", "】": "]", "—": "-"})
_SPACE = re.compile(r"\s+")


def matching_form(text: str) -> str:
    """Return the text as copies of it compare: simplified script, half-width punctuation, no whitespace."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", to_simplified(text)).translate(_PUNCTUATION))

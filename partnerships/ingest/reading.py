"""Turn an uploaded or named file into article text, refusing what is not an article.

An article is plain text unless its reader says HTML (an .html or .htm file, or the
format chosen on the page or in the API): markup in a plain text is text, kept whole.
"""

import unicodedata
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import PurePath

from django.utils.translation import gettext as _

from partnerships.choices import ArticleFormatChoices

# A long article is some 20,000 characters; a megabyte is far beyond any real one.
MAX_BYTES = 1_000_000
HTML_SUFFIXES = (".html", ".htm")
_BLOCK_TAGS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "title"}
_SKIPPED_TAGS = {"script", "style", "noscript", "template", "iframe", "object", "svg"}
# Legacy Chinese encodings, in the order a tie goes: GB18030 (mainland), then Big5 as Windows writes it (cp950).
_LEGACY_ENCODINGS = ("gb18030", "cp950")
# Below this share of common characters a decoding is mojibake, not Chinese: real articles score above 0.99,
# Big5 read as GB18030 or GB18030 read as Big5 about 0.6.
_MIN_COMMON_SHARE = 0.8


class ArticleError(ValueError):
    """A file that cannot be read as an article; the message names the problem."""


class _TextOnly(HTMLParser):
    """Keep an HTML page's text, dropping the content of closed scripts and styles; nothing is rendered or fetched."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.open_skipped = 0
        self.skipped_from = 0

    def handle_starttag(self, tag, attrs):
        if tag in _SKIPPED_TAGS:
            if not self.open_skipped:
                self.skipped_from = len(self.parts)
            self.open_skipped += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _SKIPPED_TAGS and self.open_skipped:
            self.open_skipped -= 1
            if not self.open_skipped:
                # Dropped only once the element closes: an element never closed keeps everything after it.
                del self.parts[self.skipped_from :]
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(data)

    def close(self):
        super().close()
        # The parser holds back the text after an unclosed <script> or <style> (waiting for its end tag).
        if self.rawdata:
            self.parts.append(self.rawdata)
            self.rawdata = ""


@lru_cache(maxsize=1)
def _common_characters() -> frozenset[str]:
    """Return the everyday Han characters: GB2312's 6,763 (simplified) and Big5's 5,401 of frequent use (traditional)."""
    pairs = [("gb2312", range(0xB0, 0xF8), range(0xA1, 0xFF)), ("big5", range(0xA4, 0xC7), [*range(0x40, 0x7F), *range(0xA1, 0xFF)])]
    characters = set()
    for encoding, leads, trails in pairs:
        for lead in leads:
            for trail in trails:
                try:
                    characters.add(bytes((lead, trail)).decode(encoding))
                except UnicodeDecodeError:
                    continue
    return frozenset(characters)


def _common_share(text: str) -> float:
    """Return the share of a text's non-ASCII characters that everyday Chinese uses (0 for any private-use character)."""
    common, count = _common_characters(), 0
    hits = 0
    for char in text:
        if char.isascii() or char.isspace():
            continue
        category = unicodedata.category(char)
        if category in ("Co", "Cn") or char == "\ufffd":
            return 0.0
        count += 1
        hits += char in common or category.startswith("P")
    return hits / count if count else 1.0


def _decode(data: bytes, name: str) -> str:
    if b"\x00" in data:
        raise ArticleError(_("%(name)s is a binary file, not a text article.") % {"name": name})
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    # GB18030 and Big5 bytes often decode as each other without error, as garbled characters:
    # the reading that reads as Chinese wins, and none is guessed when neither does.
    readings = []
    for encoding in _LEGACY_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        readings.append((_common_share(text), text))
    if readings:
        share, text = max(readings, key=lambda reading: reading[0])
        if share >= _MIN_COMMON_SHARE:
            return text
    raise ArticleError(
        _("%(name)s is not Chinese text in UTF-8, GB18030 or Big5; save it as UTF-8 and try again.") % {"name": name}
    )


def html_text(markup: str) -> str:
    """Return the visible text of an HTML page: closed scripts and styles dropped, blank lines collapsed."""
    parser = _TextOnly()
    parser.feed(markup)
    parser.close()
    # convert_charrefs has already turned entities into characters.
    lines = [line.strip() for line in "".join(parser.parts).replace("\r\n", "\n").split("\n")]
    return "\n".join(line for line in lines if line)


def file_format(name: str, chosen: str = ArticleFormatChoices.TEXT) -> str:
    """Return how to read a file: an .html or .htm file is HTML, any other as chosen."""
    return ArticleFormatChoices.HTML if PurePath(name).suffix.lower() in HTML_SUFFIXES else chosen


def check_size(size: int, *, name: str) -> None:
    """Raise ArticleError when a file of this many bytes is too large to be an article (checked before reading it)."""
    if size > MAX_BYTES:
        raise ArticleError(
            _("%(name)s is %(size)d bytes; an article is at most %(limit)d bytes.")
            % {"name": name, "size": size, "limit": MAX_BYTES}
        )


def article_text(data: bytes, *, name: str, format: str = ArticleFormatChoices.TEXT) -> str:
    """Return the article text of a file's bytes (reduced to its text when format is HTML); raise ArticleError naming the problem."""
    check_size(len(data), name=name)
    text = _decode(data, name)
    if format == ArticleFormatChoices.HTML:
        text = html_text(text)
    if any(ord(char) < 32 and char not in "\n\r\t" for char in text):
        raise ArticleError(_("%(name)s contains control characters; it is not a text article.") % {"name": name})
    if not text.strip():
        raise ArticleError(_("%(name)s has no text.") % {"name": name})
    return text

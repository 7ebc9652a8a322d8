"""Turn an uploaded or named file into article text, refusing what is not an article."""

import re
from html.parser import HTMLParser

from django.utils.translation import gettext as _

# A long article is some 20,000 characters; a megabyte is far beyond any real one.
MAX_BYTES = 1_000_000
_HTML_HINT = re.compile(rb"<\s*(html|body|p|div|br|span|script|style|head|meta|!doctype)\b", re.IGNORECASE)
_BLOCK_TAGS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "title"}
_SKIPPED_TAGS = {"script", "style", "noscript", "template", "iframe", "object", "svg"}


class ArticleError(ValueError):
    """A file that cannot be read as an article; the message names the problem."""


class _TextOnly(HTMLParser):
    """Keep an HTML page's text, dropping scripts and styles; nothing is rendered or fetched."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in _SKIPPED_TAGS:
            self.skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _SKIPPED_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def _decode(data: bytes, name: str) -> str:
    if b"\x00" in data:
        raise ArticleError(_("%(name)s is a binary file, not a text article.") % {"name": name})
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ArticleError(_("%(name)s is neither UTF-8 nor GB18030 text.") % {"name": name})


def html_text(markup: str) -> str:
    """Return the visible text of an HTML page: scripts and styles dropped, blank lines collapsed."""
    parser = _TextOnly()
    parser.feed(markup)
    parser.close()
    # convert_charrefs has already turned entities into characters.
    lines = [line.strip() for line in "".join(parser.parts).replace("\r\n", "\n").split("\n")]
    return "\n".join(line for line in lines if line)


def check_size(size: int, *, name: str) -> None:
    """Raise ArticleError when a file of this many bytes is too large to be an article (checked before reading it)."""
    if size > MAX_BYTES:
        raise ArticleError(
            _("%(name)s is %(size)d bytes; an article is at most %(limit)d bytes.")
            % {"name": name, "size": size, "limit": MAX_BYTES}
        )


def article_text(data: bytes, *, name: str) -> str:
    """Return the article text of a file's bytes (HTML reduced to its text); raise ArticleError naming the problem."""
    check_size(len(data), name=name)
    text = _decode(data, name)
    if _HTML_HINT.search(data[:4096]):
        text = html_text(text)
    if any(ord(char) < 32 and char not in "\n\r\t" for char in text):
        raise ArticleError(_("%(name)s contains control characters; it is not a text article.") % {"name": name})
    if not text.strip():
        raise ArticleError(_("%(name)s has no text.") % {"name": name})
    return text

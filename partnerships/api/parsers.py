"""A JSON parser that answers absurdly nested bodies with a 400 instead of exhausting the stack."""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# No request body of this API nests deeper than a few levels (citations inside parties).
MAX_DEPTH = 32


def depth(data) -> int:
    """Return how deeply lists and objects nest in parsed JSON, without recursion."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, level = stack.pop()
        if isinstance(value, dict):
            value = value.values()
        elif not isinstance(value, list):
            continue
        deepest = max(deepest, level)
        if level > MAX_DEPTH:
            break
        stack.extend((item, level + 1) for item in value)
    return deepest


class BoundedJSONParser(JSONParser):
    """Parse JSON, refusing documents nested deeper than MAX_DEPTH."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise ParseError(_("JSON parse error - nested too deeply.")) from error
        if depth(data) > MAX_DEPTH:
            raise ParseError(_("JSON parse error - nested more than %(depth)d levels.") % {"depth": MAX_DEPTH})
        return data

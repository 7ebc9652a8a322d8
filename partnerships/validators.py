"""Validators the models share, so the admin, the API and ingest refuse the same values."""

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# RFC 3986: unreserved and reserved characters, and %XX escapes; nothing else (no quotes, spaces, <, >, non-ASCII).
_URI_CHARACTERS = re.compile(r"(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*")


@deconstructible
class URIValidator:
    """Refuse a URL holding characters RFC 3986 does not allow unescaped, which `format: uri` promises readers."""

    message = _(
        "Enter a URL with only the characters a URI allows: percent-encode spaces, quotes, < > and non-ASCII characters (%%22 for \")."
    )
    # Not "invalid": form fields would replace the message with their own "Enter a valid URL."
    code = "uri_characters"

    def __call__(self, value: str) -> None:
        if value and not _URI_CHARACTERS.fullmatch(value):
            raise ValidationError(self.message, code=self.code, params={"value": value})

    def __eq__(self, other):
        return isinstance(other, URIValidator)


validate_uri = URIValidator()

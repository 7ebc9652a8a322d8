"""Checks the server entry points run before they accept a request."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def require_secret_key() -> None:
    """Refuse to serve with production settings and no SECRET_KEY."""
    try:
        key = settings.SECRET_KEY
    except ImproperlyConfigured:  # Django's own, vaguer complaint about the empty key
        key = ""
    if not settings.DEBUG and not key:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable "
            "(or DEBUG=1 for local development)."
        )

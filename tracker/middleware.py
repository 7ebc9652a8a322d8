"""Guards that hold for every URL: malformed requests are a 400, a database outage a 503, a content security policy."""

import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.db import InterfaceError, OperationalError
from django.utils.translation import gettext as _

from tracker.views import error_response, wants_json

logger = logging.getLogger(__name__)

# Seconds a client should wait before retrying while the database is unreachable.
RETRY_AFTER = 30
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# Longer query strings are refused under /api/ with a JSON 400; gunicorn's request line (make serve) holds 8190 bytes.
MAX_QUERY_STRING_BYTES = 4096


def body_too_big_message() -> str:
    """Return the message for a request body over DATA_UPLOAD_MAX_MEMORY_SIZE, naming the limit."""
    return _("The request body is too large: at most %(limit)s bytes are accepted (uploaded files aside).") % {
        "limit": f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,}"
    }


def has_nul(values) -> bool:
    return any("\x00" in value for value in values)


class RejectMalformedRequestMiddleware:
    """Answer 400 to a NUL byte in the path, a query parameter, a header or a form field, or too many fields.

    PostgreSQL cannot store NUL in text, so such a value would otherwise reach the
    database as an error deep in a filter, a token lookup or an admin search.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            problem = self.problem(request)
        except TooManyFieldsSent as error:
            problem = (None, str(error))
        except RequestDataTooBig:
            problem = (None, body_too_big_message())
            if not wants_json(request):
                # A page's own form says so (the article page does); anywhere else the fields read as none,
                # so the CSRF check refuses the request before any view acts on it.
                request.body_too_big = problem[1]
                request._mark_post_parse_error()
                problem = None
        if problem:
            field, message = problem
            return error_response(request, 400, message, field=field)
        return self.get_response(request)

    @classmethod
    def problem(cls, request) -> tuple[str | None, str] | None:
        """Return (the field to name or None, the message) for a malformed request, None for a sound one."""
        return cls.oversized(request) or cls.null_characters(request)

    @staticmethod
    def oversized(request) -> tuple[str | None, str] | None:
        """Name an API request's query string over its limit; raise RequestDataTooBig for a body over its own."""
        if not wants_json(request):
            return None
        query_string = request.META.get("QUERY_STRING", "")
        if len(query_string) > MAX_QUERY_STRING_BYTES:
            return None, _("The query string is %(length)s bytes; at most %(limit)s are accepted.") % {
                "length": f"{len(query_string):,}",
                "limit": f"{MAX_QUERY_STRING_BYTES:,}",
            }
        if request.content_type != "multipart/form-data":
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if settings.DATA_UPLOAD_MAX_MEMORY_SIZE is not None and length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
                raise RequestDataTooBig
        return None

    @staticmethod
    def null_characters(request) -> tuple[str | None, str] | None:
        """Name the parameter, header or form field holding a NUL character."""
        message = _("Null characters are not allowed.")
        if "\x00" in request.path:
            return None, message
        for name, values in request.GET.lists():
            if "\x00" in name or has_nul(values):
                return name.replace("\x00", ""), message
        for name, value in request.headers.items():
            if "\x00" in value:
                return None, _("The header “%(name)s” contains a NUL byte.") % {"name": name}
        if request.method in ("POST", "PUT", "PATCH") and request.content_type in FORM_CONTENT_TYPES:
            for name, values in request.POST.lists():
                if "\x00" in name or has_nul(values):
                    return name.replace("\x00", ""), message
        return None


class DatabaseUnavailableMiddleware:
    """Answer 503 with Retry-After when the database cannot be reached, instead of a traceback."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        logger.error("Database unavailable: %s", exception)
        response = error_response(request, 503, _("The database is unavailable; try again shortly."))
        response["Retry-After"] = str(RETRY_AFTER)
        return response


class ContentSecurityPolicyMiddleware:
    """Send the CONTENT_SECURITY_POLICY header with every response that does not set its own."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.CONTENT_SECURITY_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy:
            response.headers.setdefault("Content-Security-Policy", self.policy)
        return response

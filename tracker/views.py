"""Project-wide views: health checks, and errors answered in JSON under /api/."""

from django.db import DatabaseError, connections
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults


def wants_json(request) -> bool:
    return request.path.startswith("/api/")


def error_response(request, status: int, detail: str, *, field: str | None = None) -> HttpResponse:
    """Return an error as {"detail": …} (or {field: […]} like DRF's) under /api/, as plain text elsewhere."""
    if wants_json(request):
        return JsonResponse({field: [str(detail)]} if field else {"detail": str(detail)}, status=status)
    return HttpResponse(str(detail), status=status, content_type="text/plain; charset=utf-8")


def healthz(request):
    """Answer 200 while the process serves requests (liveness)."""
    return JsonResponse({"status": "ok"})


def readyz(request):
    """Answer 200 when every configured database answers a query, 503 otherwise (readiness)."""
    failed = []
    for alias in connections:
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT 1")
        except DatabaseError:
            failed.append(alias)
    if failed:
        response = JsonResponse({"status": "unavailable", "databases": failed}, status=503)
        response["Retry-After"] = "30"
        return response
    return JsonResponse({"status": "ok"})


def page_not_found(request, exception=None):
    if wants_json(request):
        return error_response(request, 404, _("Not found."))
    return defaults.page_not_found(request, exception)


def server_error(request):
    if wants_json(request):
        return error_response(request, 500, _("A server error occurred."))
    return defaults.server_error(request)


def bad_request(request, exception=None):
    if wants_json(request):
        return error_response(request, 400, _("Bad request."))
    return defaults.bad_request(request, exception)


def permission_denied(request, exception=None):
    if wants_json(request):
        return error_response(request, 403, _("You do not have permission to perform this action."))
    return defaults.permission_denied(request, exception)


def csrf_failure(request, reason=""):
    if wants_json(request):
        return error_response(request, 403, _("CSRF check failed: %(reason)s") % {"reason": reason})
    from django.views.csrf import csrf_failure as default_csrf_failure

    return default_csrf_failure(request, reason)


def locked_out(request, original_response=None, credentials=None):
    """Answer a login refused by django-axes: 429, JSON under /api/."""
    response = error_response(
        request, 429, _("Too many failed logins for this account from this address; try again later.")
    )
    response["Retry-After"] = "900"
    return response

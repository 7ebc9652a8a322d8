"""One exception handler: model validation is a 400, a delete that other records block is a 409."""

import logging
from collections import Counter

from concurrency.exceptions import RecordModifiedError
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from partnerships.api.conditional import PreconditionFailed, if_match_tags

logger = logging.getLogger(__name__)


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The request conflicts with stored records.")
    default_code = "conflict"


def dependents_summary(records) -> list[dict]:
    """Count blocking records per kind, e.g. [{"model": "agreement party", "count": 2, "examples": [...]}]."""
    records = list(records)
    counts = Counter(record._meta.verbose_name for record in records)
    return [
        {
            "model": str(name),
            "count": count,
            "examples": [str(record) for record in records if record._meta.verbose_name == name][:5],
        }
        for name, count in counts.items()
    ]


def conflict_response(message, context, **data) -> Response:
    """Return a 409 with the message and what else the client needs to resolve the conflict."""
    response = drf_exception_handler(Conflict(message), context)
    assert response is not None  # DRF answers every APIException
    response.data.update(data)
    return response


def exception_handler(exc, context):
    """Map Django's validation and deletion errors to DRF responses, then let DRF answer."""
    if isinstance(exc, DjangoValidationError):
        detail = as_serializer_error(exc)
        if NON_FIELD_ERRORS in detail:
            detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop(NON_FIELD_ERRORS)
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, (ProtectedError, RestrictedError)):
        blocking = exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
        dependents = dependents_summary(blocking)
        message = _("This record cannot be deleted while other records depend on it: %(dependents)s.") % {
            "dependents": ", ".join(f"{item['count']} × {item['model']}" for item in dependents)
        }
        return conflict_response(message, context, dependents=dependents)
    elif isinstance(exc, RecordModifiedError):
        # Another writer saved the record after this request read it.
        request = context.get("request")
        exc = PreconditionFailed() if request is not None and if_match_tags(request) is not None else Conflict(
            _("The record was changed by someone else meanwhile; read it again and reapply your change.")
        )
    elif isinstance(exc, IntegrityError):
        constraint = user_constraint(exc)
        if constraint is None:
            # Validation runs before every write, so any other violation is a bug, not a conflict.
            logger.error("Integrity error that validation did not catch", exc_info=exc)
            return None
        # A unique or check rule that validation checked, broken by a concurrent writer.
        return conflict_response(
            _("The change conflicts with records stored meanwhile; reload and try again."), context, constraint=constraint
        )
    response = drf_exception_handler(exc, context)
    if response is not None and getattr(exc, "etag", None):
        response["ETag"] = exc.etag
    return response


# SQLSTATE classes of the rules users can break (unique values, named checks); foreign-key
# and not-null violations are never the user's doing, since validation precedes every write.
USER_SQLSTATES = {"23505": "unique", "23514": "check"}
SQLITE_PREFIXES = ("UNIQUE constraint failed: ", "CHECK constraint failed: ")


def user_constraint(error: IntegrityError) -> str | None:
    """Return the name of the unique or check constraint the error broke, or None for any other violation."""
    cause = error.__cause__
    diag = getattr(cause, "diag", None)
    if diag is not None:
        sqlstate = getattr(cause, "sqlstate", None)
        if sqlstate in USER_SQLSTATES:
            return diag.constraint_name or USER_SQLSTATES[sqlstate]
        return None
    message = str(error)
    for prefix in SQLITE_PREFIXES:
        if message.startswith(prefix):
            return message.removeprefix(prefix)
    return None

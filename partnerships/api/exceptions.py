"""One exception handler: model validation is a 400, a delete that other records block is a 409."""

from collections import Counter

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler


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
        response = drf_exception_handler(
            Conflict(
                _("This record cannot be deleted while other records depend on it: %(dependents)s.")
                % {"dependents": ", ".join(f"{item['count']} × {item['model']}" for item in dependents)}
            ),
            context,
        )
        response.data["dependents"] = dependents
        return response
    elif isinstance(exc, IntegrityError):
        # Validation runs before every write, so this is a race with another writer.
        exc = Conflict(_("The change conflicts with records stored meanwhile; reload and try again."))
    return drf_exception_handler(exc, context)

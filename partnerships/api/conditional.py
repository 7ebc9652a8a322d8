"""Conditional requests: an ETag on every detail response, If-Match honoured on PUT, PATCH and DELETE.

The ETag is the record's `version` (TrackedModel). A write first locks the record's row
(SELECT … FOR UPDATE on PostgreSQL; SQLite's immediate transactions hold the write lock),
reads it fresh, and only then compares If-Match, so two writers can never both pass the
check against the same version.
"""

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status

if TYPE_CHECKING:
    from rest_framework import generics, mixins

    class _Viewset(mixins.RetrieveModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin, generics.GenericAPIView):
        """What the mixin is mixed into, for the type checker."""

else:
    _Viewset = object


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _("The record has changed since you read it; read it again and reapply your change.")
    default_code = "precondition_failed"
    # The record's current ETag, sent with the 412 (partnerships/api/exceptions.py).
    etag: str | None = None


def etag(record) -> str | None:
    version = getattr(record, "version", None)
    return None if version is None else f'"{version}"'


def if_match_tags(request) -> list[str] | None:
    """Return the entity tags of the If-Match header, or None without one."""
    header = request.headers.get("If-Match")
    if header is None:
        return None
    # Weak tags are kept as sent: If-Match compares strongly (RFC 9110 13.1.1), so W/"n" never matches.
    return [tag.strip() for tag in header.split(",") if tag.strip()]


def check_if_match(request, record) -> None:
    """Raise PreconditionFailed when If-Match names neither the record's current version nor *."""
    tags = if_match_tags(request)
    current = etag(record)
    if tags is None or current is None or "*" in tags or current in tags:
        return
    error = PreconditionFailed()
    error.etag = current
    raise error


class ConditionalWriteMixin(_Viewset):
    """Add ETag to detail responses and check If-Match on writes, under a row lock."""

    _object: Any

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        return self._with_etag(response, self._object)

    def get_object(self):
        self._object = super().get_object()
        if self.request.method in ("PUT", "PATCH", "DELETE") and etag(self._object) is not None:
            model = type(self._object)
            # Lock the row, then read it again if someone changed it while we waited.
            version = model._base_manager.select_for_update().filter(pk=self._object.pk).values_list("version", flat=True).first()
            if version != self._object.version:
                self._object = super().get_object()
            check_if_match(self.request, self._object)
        return self._object

    def update(self, request, *args, **kwargs):
        with transaction.atomic():
            response = super().update(request, *args, **kwargs)
        return self._with_etag(response, self._object)

    def destroy(self, request, *args, **kwargs):
        with transaction.atomic():
            return super().destroy(request, *args, **kwargs)

    @staticmethod
    def _with_etag(response, record):
        tag = etag(record)
        if tag is not None and response.status_code < 300:
            response["ETag"] = tag
        return response

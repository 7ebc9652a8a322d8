from django import forms
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination


class StrictLimitOffsetPagination(LimitOffsetPagination):
    """Limit/offset paging that answers a malformed limit or offset with a 400 instead of ignoring it."""

    max_limit = 1000

    def get_limit(self, request):
        limit = self._read(request, self.limit_query_param, minimum=1)
        return self.default_limit if limit is None else min(limit, self.max_limit)

    def get_offset(self, request):
        return self._read(request, self.offset_query_param, minimum=0) or 0

    def _read(self, request, name: str, *, minimum: int) -> int | None:
        raw = request.query_params.get(name)
        if raw in (None, ""):
            return None
        field = forms.IntegerField(min_value=minimum, max_value=2**31 - 1)
        try:
            return field.clean(raw)
        except forms.ValidationError as error:
            raise ValidationError({name: error.messages}) from error


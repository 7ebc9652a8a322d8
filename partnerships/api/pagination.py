from django import forms
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination

from partnerships import paging
from partnerships.paging import count_bounded, page_rows
from partnerships.parsing import is_ascii_number


class AsciiIntegerField(forms.IntegerField):
    """A whole number in ASCII digits, refusing the other scripts' digits int() would read ("１", "٣")."""

    def to_python(self, value):
        if value not in self.empty_values and not is_ascii_number(str(value).strip().removeprefix("-")):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class StrictLimitOffsetPagination(LimitOffsetPagination):
    """Limit/offset paging that answers a malformed limit or offset with a 400 instead of ignoring it.

    At national scale (see partnerships/paging.py) the count is exact up to a bound and
    PostgreSQL's estimate beyond it, unless `?count=exact` asks for an exact count (the
    choice PostgREST offers); each page says which it gives in `count_is_estimate`. A
    page's rows are found by their ids first, and read before the count, which a page
    that reaches the end of the list does without.
    """

    max_limit = 1000
    count_query_param = "count"
    EXACT, ESTIMATED = "exact", "estimated"

    def get_count(self, queryset):
        if self.get_count_mode(self.request) == self.EXACT:
            return queryset.count()
        return count_bounded(queryset, limit=paging.EXACT_COUNT_LIMIT)

    def get_count_mode(self, request) -> str:
        raw = request.query_params.get(self.count_query_param)
        if raw in (None, ""):
            return self.ESTIMATED
        field = forms.ChoiceField(choices=[(self.EXACT, self.EXACT), (self.ESTIMATED, self.ESTIMATED)])
        try:
            return field.clean(raw)
        except forms.ValidationError as error:
            raise ValidationError({self.count_query_param: error.messages}) from error

    def paginate_queryset(self, queryset, request, view=None, read=None):
        """Return the page's records; `read(queryset, offset, limit)` reads them (the lean path's dicts)."""
        self.request = request
        self.limit = self.get_limit(request)
        if self.limit is None:
            return None
        self.offset = self.get_offset(request)
        count_mode = self.get_count_mode(request)
        # One row more than the page says whether another page follows, whatever a count says.
        if read is None:
            rows = list(page_rows(queryset, offset=self.offset, limit=self.limit + 1))
        else:
            rows = read(queryset, self.offset, self.limit + 1)
        page, more = rows[: self.limit], len(rows) > self.limit
        if not more and (page or self.offset == 0):
            # The rows read reach the end of the list, so they are the count, exactly: a
            # selective filter's single page costs no count query.
            self.count, self.count_is_estimate = self.offset + len(page), False
        else:
            self.count = self.get_count(queryset)
            self.count_is_estimate = count_mode == self.ESTIMATED and paging.count_is_estimated(
                self.count, limit=paging.EXACT_COUNT_LIMIT
            )
            if self.count_is_estimate:
                # An estimate can be off either way; where the rows read reach, they are the
                # truth, so `next` leads exactly to the last page.
                self.count = max(self.count, self.offset + self.limit + 1) if more else min(self.count, self.offset)
        if self.count > self.limit and self.template is not None:
            self.display_page_controls = True
        return page

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data = {
            "count": response.data["count"],
            "count_is_estimate": self.count_is_estimate,
            **{key: value for key, value in response.data.items() if key != "count"},
        }
        return response

    def get_paginated_response_schema(self, schema):
        response_schema = super().get_paginated_response_schema(schema)
        response_schema["required"].append("count_is_estimate")
        response_schema["properties"] = {
            "count": response_schema["properties"]["count"],
            "count_is_estimate": {
                "type": "boolean",
                "description": str(
                    _("Whether count is PostgreSQL's estimate (lists longer than %(limit)s) rather than an exact count.")
                    % {"limit": paging.EXACT_COUNT_LIMIT}
                ),
            },
            **{key: value for key, value in response_schema["properties"].items() if key != "count"},
        }
        return response_schema

    def get_schema_operation_parameters(self, view):
        return [
            *super().get_schema_operation_parameters(view),
            {
                "name": self.count_query_param,
                "required": False,
                "in": "query",
                "description": str(
                    _("“exact” counts every matching record; “estimated” (the default) counts exactly up to "
                      "%(limit)s and estimates beyond.") % {"limit": paging.EXACT_COUNT_LIMIT}
                ),
                "schema": {"type": "string", "enum": [self.EXACT, self.ESTIMATED]},
            },
        ]

    def get_limit(self, request):
        limit = self._read(request, self.limit_query_param, minimum=1)
        return self.default_limit if limit is None else min(limit, self.max_limit)

    def get_offset(self, request):
        return self._read(request, self.offset_query_param, minimum=0) or 0

    def _read(self, request, name: str, *, minimum: int) -> int | None:
        raw = request.query_params.get(name)
        if raw in (None, ""):
            return None
        field = AsciiIntegerField(min_value=minimum, max_value=2**31 - 1)
        try:
            return field.clean(raw)
        except forms.ValidationError as error:
            raise ValidationError({name: error.messages}) from error


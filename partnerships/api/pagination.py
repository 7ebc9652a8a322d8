from django import forms
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination

from partnerships import paging
from partnerships.paging import count_bounded, page_rows


class StrictLimitOffsetPagination(LimitOffsetPagination):
    """Limit/offset paging that answers a malformed limit or offset with a 400 instead of ignoring it.

    At national scale (see partnerships/paging.py) the count is exact up to a bound and
    PostgreSQL's estimate beyond it, and a page's rows are found by their ids first.
    """

    max_limit = 1000

    def get_count(self, queryset):
        return count_bounded(queryset, limit=paging.EXACT_COUNT_LIMIT)

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.limit = self.get_limit(request)
        if self.limit is None:
            return None
        self.count = self.get_count(queryset)
        self.offset = self.get_offset(request)
        estimated = paging.count_is_estimated(self.count, limit=paging.EXACT_COUNT_LIMIT)
        if self.count > self.limit and self.template is not None:
            self.display_page_controls = True
        if not estimated and (self.count == 0 or self.offset > self.count):
            return []
        # One row more than the page says whether another page follows, whatever the count says.
        rows = list(page_rows(queryset, offset=self.offset, limit=self.limit + 1))
        page, more = rows[: self.limit], len(rows) > self.limit
        if estimated:
            # An estimate can be off either way; where the rows read reach, they are the truth,
            # so `next` leads exactly to the last page.
            if more:
                self.count = max(self.count, self.offset + self.limit + 1)
            elif page:
                self.count = self.offset + len(page)
            else:
                self.count = min(self.count, self.offset)
        return page

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


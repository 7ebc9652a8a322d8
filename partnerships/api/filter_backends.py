from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError

from partnerships.filtersets import RecordFilterSet

# Parameters that are not filters but are read elsewhere (format negotiation, paging).
GENERAL_PARAMETERS = frozenset({"format", "limit", "offset", "count"})


def needs_value(filter_) -> bool:
    """Whether an empty value of this filter is malformed: any but free text (a date, a number, an id, a choice)."""
    field_class = getattr(filter_, "field_class", forms.CharField)
    return not issubclass(field_class, forms.CharField)


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter whose bad values are a 400 naming each parameter; unknown parameters are refused too."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None:
            return queryset
        kwargs = self.get_filterset_kwargs(request, queryset, view)
        if issubclass(filterset_class, RecordFilterSet):
            # Only the filters the request names are built (RecordFilterSet).
            kwargs["given"] = frozenset(request.query_params)
        filterset = filterset_class(**kwargs)
        known = set(filterset_class.base_filters) | GENERAL_PARAMETERS | set(getattr(view, "extra_query_params", ()))
        errors = {name: [_("Unknown parameter.")] for name in sorted(set(request.query_params) - known)}
        errors.update(
            (name, [_("Give a value, or leave the parameter out.")])
            for name in sorted(set(request.query_params) & set(filterset.filters))
            if needs_value(filterset.filters[name]) and not any(request.query_params.getlist(name))
        )
        if not filterset.is_valid():
            errors.update((name, list(messages)) for name, messages in filterset.errors.items())
        if errors:
            raise ValidationError(errors)
        return filterset.qs

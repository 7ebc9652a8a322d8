"""The filter bar: the agreement filters of the URL, passed on unchanged to the API the charts read."""

from urllib.parse import urlencode

from django.utils.translation import gettext_lazy as _

from partnerships.choices import AgreementKindChoices, AgreementStatusChoices, InstitutionKindChoices
from partnerships.filtersets import AgreementFilterSet
from partnerships.models import Industry, ProjectType, Region
from partnerships.parsing import REGION_CODE, is_ascii_number

# The filters the bar shows; any other agreement filter in the URL (party, source, ...) is kept too.
BAR = ("q", "region", "kind", "status", "party_kind", "project_type", "industry", "signed_after", "signed_before")


def api_query(params) -> list[tuple[str, str]]:
    """Return the non-empty agreement filters among the parameters, in their order."""
    known = AgreementFilterSet.base_filters
    return [(name, value) for name, values in params.lists() if name in known for value in values if value != ""]


def region_from(value: str) -> Region | None:
    """Return the region named by a code or id, or None."""
    if REGION_CODE.fullmatch(value or ""):
        return Region.objects.filter(code=value).first()
    if is_ascii_number(value or ""):
        return Region.objects.filter(pk=int(value)).first()
    return None


def context(request) -> dict:
    """Return what the filter bar and the pages built on it show: the filters, their choices and the region's tree."""
    query = api_query(request.GET)
    region = region_from(request.GET.get("region", ""))
    children = Region.objects.filter(parent=region) if region else Region.objects.filter(parent__isnull=True)
    return {
        "query": urlencode(query),
        "selected": {name: request.GET.getlist(name) for name in BAR},
        "hidden": [(name, value) for name, value in query if name not in BAR],
        "region": region,
        "region_path": [*region.ancestors(), region] if region else [],
        "region_children": [{"code": r.code, "name": r.name, "level": r.level} for r in children.order_by("code")],
        "query_without_region": urlencode([(name, value) for name, value in query if name != "region"]),
        "selects": [
            {
                "name": name,
                "label": label,
                "options": [(value, text, value in request.GET.getlist(name)) for value, text in choices],
            }
            for name, label, choices in (
                ("kind", _("Agreement kind"), AgreementKindChoices.choices),
                ("status", _("Status"), AgreementStatusChoices.choices),
                ("party_kind", _("Party kind"), InstitutionKindChoices.choices),
                ("project_type", _("Project type"), ProjectType.objects.order_by("code").values_list("code", "name")),
                ("industry", _("Industry"), Industry.objects.order_by("code").values_list("code", "name")),
            )
        ],
    }

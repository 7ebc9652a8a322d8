"""The analyst workspace: server-rendered pages whose charts and tables read the API (static/dashboard/*.js)."""

import datetime
from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from dashboard import filters
from partnerships.choices import AgreementKindChoices, AgreementStatusChoices, InstitutionKindChoices
from partnerships.models import (
    Agreement,
    AgreementParty,
    EventParticipant,
    Institution,
    InstitutionRelation,
    Membership,
    Post,
    Project,
)

# Reading the workspace takes what reading agreements through the API takes (analysts, editors, staff).
READ_PERMISSION = "partnerships.view_agreement"


# The API the pages' scripts read; the network, report and saved-view endpoints by path, as their contract names them.
API = "/api/v1/"
NETWORK_API = API + "institutions/0/network/"
REGION_NETWORK_API = API + "regions/{code}/network/"
REPORT_API = API + "reports/cooperation/"
SAVED_VIEWS_API = API + "saved-views/"

# The words the pages' scripts write, translated here (static files are not).
JS_STRINGS = {
    "error": _("The API refused the request:"),
    "itself": _("(itself)"),
    "no_region": _("no region"),
    "undated": _("no single month"),
    "group": _("group"),
    "month": _("month"),
    "agreements": _("agreements"),
    "count": _("%(count)s agreements"),
    "agreements_count": _("%(count)s agreements"),
    "own_agreements": _("%(count)s agreements recorded at this region itself"),
    "saved": _("Saved."),
    "saved_views": _("Saved views"),
    "profile": _("profile"),
    "citations": _("Citations"),
    "no_citations": _("No cell is filled: no record states these figures."),
    "report_empty": _("No partner enterprise in this year."),
    "no_saved_views": _("No saved views yet."),
    "name": _("name"),
    "shared": _("shared"),
    "owner": _("owner"),
    "filters": _("filters"),
    "yes": _("yes"),
    "no": _("no"),
}


def page(request, template: str, context: dict):
    """Render a workspace page with the strings its scripts write."""
    return render(request, template, {**context, "strings": {key: str(text) for key, text in JS_STRINGS.items()}})


def workspace_view(view):
    """Send anonymous users to the admin's login page and refuse users who may not read agreements."""

    @login_required(login_url="admin:login")
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.has_perm(READ_PERMISSION):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@workspace_view
def overview(request):
    kinds = [(value, str(label)) for value, label in AgreementKindChoices.choices]
    return page(request, "dashboard/overview.html", {**filters.context(request), "kinds": kinds, "saved_views_api": SAVED_VIEWS_API})


@workspace_view
def agreement_list(request):
    statuses = {value: str(label) for value, label in AgreementStatusChoices.choices}
    return page(request, "dashboard/agreements.html", {**filters.context(request), "statuses": statuses})


@workspace_view
def province_map(request):
    return page(request, "dashboard/map.html", filters.context(request))


@workspace_view
def institution_profile(request, pk):
    institution = get_object_or_404(
        Institution.objects.select_related("region__parent__parent", "parent", "predecessor"), pk=pk
    )
    parties = AgreementParty.objects.filter(agreement__parties__institution=institution).exclude(institution=institution)
    partners = [
        {**row, "kind_label": InstitutionKindChoices(row["institution__kind"]).label}
        for row in parties.values("institution_id", "institution__name", "institution__kind")
        .annotate(agreements=Count("agreement", distinct=True))
        .order_by("-agreements", "institution__name")
    ]
    agreements = Agreement.objects.filter(parties__institution=institution).distinct().order_by("signed_earliest", "pk")
    participations = (
        EventParticipant.objects.filter(institution=institution)
        .select_related("event")
        .order_by("event__start_date", "event_id")
    )
    timeline = sorted(
        [(agreement.signed_earliest, "agreement", agreement) for agreement in agreements]
        + [(p.event.start_date, "event", p.event) for p in {p.event_id: p for p in participations}.values()],
        key=lambda item: (item[0] is None, item[0] or datetime.date.min),
    )
    projects = (
        Project.objects.filter(Q(institution=institution) | Q(builders__institution=institution))
        .select_related("project_type")
        .distinct()
        .order_by("name")
    )
    posts = Post.objects.filter(institution=institution).select_related("person").order_by("person__name", "title")
    citations = institution.citations.select_related("source").order_by("source__title", "position")
    relations = [
        *InstitutionRelation.objects.filter(subject=institution).select_related("object"),
        *InstitutionRelation.objects.filter(object=institution).select_related("subject"),
    ]
    memberships = Membership.objects.filter(Q(alliance=institution) | Q(member=institution)).select_related(
        "alliance", "member"
    )
    return page(
        request,
        "dashboard/institution.html",
        {
            "institution": institution,
            "partners": partners,
            "timeline": timeline,
            "projects": projects,
            "posts": posts,
            "citations": citations,
            "aliases": institution.aliases.all(),
            "relations": relations,
            "memberships": memberships,
            "children": institution.children.order_by("name"),
            "successors": institution.successors.order_by("name"),
            "agreement_list_query": urlencode({"party": institution.pk}),
            "report_year": _report_year(agreements),
        },
    )


@workspace_view
def institution_network(request, pk):
    institution = get_object_or_404(Institution, pk=pk)
    return page(request, "dashboard/network.html", {"institution": institution, **_network_context()})


@workspace_view
def region_network(request, code):
    region = filters.region_from(code)
    if region is None:
        raise Http404
    return page(
        request,
        "dashboard/network.html",
        {"region": region, "region_api": REGION_NETWORK_API.format(code=region.code), **_network_context()},
    )


def _network_context() -> dict:
    kinds = [{"value": value, "label": str(label)} for value, label in InstitutionKindChoices.choices]
    return {"kinds": kinds, "network_api": NETWORK_API}


@workspace_view
def cooperation_report(request):
    institution = None
    if (given := request.GET.get("institution", "")).isascii() and given.isdigit():
        institution = Institution.objects.filter(pk=int(given)).first()
    region = filters.region_from(request.GET.get("region", ""))
    year = request.GET.get("year", "")
    year = year if year.isascii() and year.isdigit() and len(year) == 4 else ""
    subject = {"institution": institution.pk} if institution else {"region": region.code} if region else {}
    return page(
        request,
        "dashboard/report.html",
        {
            "institution": institution,
            "region": region,
            "year": year or str(datetime.date.today().year - 1),
            "report_query": urlencode({**subject, "year": year}) if subject and year else "",
            "report_api": REPORT_API,
            "reporting_kinds": REPORTING_KINDS,
            # The schools to choose from, by name; a very large list is cut (the profile links here too).
            "schools": Institution.objects.filter(kind__in=REPORTING_KINDS).order_by("name").values("pk", "name")[:1000],
        },
    )


@workspace_view
def saved_views(request):
    return page(request, "dashboard/saved_views.html", {"saved_views_api": SAVED_VIEWS_API})


# The kinds of institution that file the annual cooperation report.
REPORTING_KINDS = (
    InstitutionKindChoices.SECONDARY_VOCATIONAL_SCHOOL,
    InstitutionKindChoices.HIGHER_VOCATIONAL_COLLEGE,
    InstitutionKindChoices.TECHNICIAN_COLLEGE,
    InstitutionKindChoices.UNIVERSITY,
)


def _report_year(agreements) -> int:
    """Return the year of the institution's latest dated agreement, or last year when none is dated."""
    latest = max((a.signed_earliest for a in agreements if a.signed_earliest), default=None)
    return latest.year if latest else datetime.date.today().year - 1


"""The analyst workspace: server-rendered pages whose charts and tables read the API (static/dashboard/*.js)."""

import datetime
from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q, Value, Window
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from dashboard import filters
from partnerships.choices import AgreementKindChoices, AgreementStatusChoices, InstitutionKindChoices
from partnerships.models import (
    Agreement,
    AgreementParty,
    Event,
    EventParticipant,
    Institution,
    InstitutionRelation,
    Membership,
    Post,
    Project,
    ProjectBuilder,
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


# The profile's caps: the busiest partners, the most recent agreements and events, and the
# first projects, posts and quotes; each list links to, or counts, the rest.
PARTNERS_SHOWN = 20
TIMELINE_SHOWN = 50
LIST_SHOWN = 50


def capped(queryset, cap: int, counted=None) -> tuple[list, int]:
    """Return the first `cap` rows and how many there are in all (counted only when the cap is reached).

    `counted` is a cheaper queryset with as many rows, when there is one.
    """
    rows = list(queryset[:cap])
    return rows, len(rows) if len(rows) < cap else (queryset if counted is None else counted).count()


@workspace_view
def institution_profile(request, pk):
    institution = get_object_or_404(
        Institution.objects.select_related("region__parent__parent", "parent", "predecessor"), pk=pk
    )
    partners, partner_count = _partners(institution)
    timeline, agreement_count, event_count = _timeline(institution)
    projects, project_count = capped(
        Project.objects.filter(
            # Its own projects and those it builds, each from its index (an OR would read every project).
            pk__in=Project.objects.filter(institution=institution)
            .order_by()
            .values("pk")
            .union(ProjectBuilder.objects.filter(institution=institution).order_by().values("project_id"))
        )
        .select_related("project_type")
        .order_by("name", "pk"),
        LIST_SHOWN,
    )
    posts, post_count = capped(
        Post.objects.filter(institution=institution).select_related("person").order_by("person__name", "title", "pk"),
        LIST_SHOWN,
    )
    citations, citation_count = capped(
        institution.citations.select_related("source").order_by("source__title", "position", "pk"), LIST_SHOWN
    )
    relations = [
        *InstitutionRelation.objects.filter(subject=institution).select_related("object"),
        *InstitutionRelation.objects.filter(object=institution).select_related("subject"),
    ]
    memberships = Membership.objects.filter(Q(alliance=institution) | Q(member=institution)).select_related(
        "alliance", "member"
    )
    latest = next((date for date, kind, _record in timeline if kind == "agreement" and date), None)
    return page(
        request,
        "dashboard/institution.html",
        {
            "institution": institution,
            "partners": partners,
            "partner_count": partner_count,
            "timeline": timeline,
            "agreement_count": agreement_count,
            "event_count": event_count,
            "timeline_total": agreement_count + event_count,
            "projects": projects,
            "project_count": project_count,
            "posts": posts,
            "post_count": post_count,
            "citations": citations,
            "citation_count": citation_count,
            "aliases": institution.aliases.all(),
            "relations": relations,
            "memberships": memberships,
            "children": institution.children.order_by("name"),
            "successors": institution.successors.order_by("name"),
            "agreement_list_query": urlencode({"party": institution.pk}),
            # The year of its latest dated agreement (the first of the timeline's), or last year.
            "report_year": latest.year if latest else datetime.date.today().year - 1,
        },
    )


def _partners(institution) -> tuple[list[dict], int]:
    """Return the institutions sharing the most agreements with this one, and how many partners it has in all.

    One grouped read of the parties of its agreements, from the indexes alone (an institution is
    party to an agreement once, so a count of rows is a count of agreements); the number of
    groups comes with it (a window over the groups), and the names only for the ones shown.
    """
    rows = list(
        AgreementParty.objects.filter(
            agreement__in=AgreementParty.objects.filter(institution=institution).values("agreement_id")
        )
        .exclude(institution=institution)
        .values("institution_id")
        .annotate(agreements=Count("*"), partners=Window(Count("*")))
        .order_by("-agreements", "institution_id")[:PARTNERS_SHOWN]
    )
    names = Institution.objects.in_bulk([row["institution_id"] for row in rows])
    partners = [
        {
            "institution_id": row["institution_id"],
            "institution__name": names[row["institution_id"]].name,
            "kind_label": names[row["institution_id"]].get_kind_display(),
            "agreements": row["agreements"],
        }
        for row in rows
    ]
    partners.sort(key=lambda partner: (-partner["agreements"], partner["institution__name"]))
    return partners, rows[0]["partners"] if rows else 0


def _timeline(institution) -> tuple[list[tuple], int, int]:
    """Return the most recent agreements and events together, newest first, and how many of each there are."""
    parties = AgreementParty.objects.filter(institution=institution)
    # Sorted by an expression no index holds, so that PostgreSQL reads this institution's
    # agreements and sorts them (a few thousand at most) instead of walking every agreement in
    # signing order until 50 are its own (its guess for a busy one; 17,000 rows at a million).
    newest_first = (Coalesce("signed_earliest", Value(datetime.date.min)).desc(), "-pk")
    # The newest ids first, their dates read from an index alone (agreement_id_dates by id, or the
    # signing order's, as PostgreSQL estimates); then only those rows read whole (reading every
    # one of its agreements' rows to sort them took most of the page).
    newest = Agreement.objects.filter(pk__in=parties.values("agreement_id")).order_by(*newest_first).values("pk")
    agreements, agreement_count = capped(
        Agreement.objects.filter(pk__in=newest[:TIMELINE_SHOWN])
        .only("pk", "title", "status", "signed_earliest")
        .order_by(*newest_first),
        TIMELINE_SHOWN,
        # One party row per agreement: counted from the index on (institution, agreement).
        counted=parties,
    )
    events, event_count = capped(
        Event.objects.filter(
            pk__in=EventParticipant.objects.filter(institution=institution).values("event_id")
        ).order_by(F("start_date").desc(nulls_last=True), "-pk"),
        TIMELINE_SHOWN,
    )
    timeline = sorted(
        [(agreement.signed_earliest, "agreement", agreement) for agreement in agreements]
        + [(event.start_date, "event", event) for event in events],
        key=lambda item: (item[0] is not None, item[0] or datetime.date.min),
        reverse=True,
    )
    return timeline[:TIMELINE_SHOWN], agreement_count, event_count


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


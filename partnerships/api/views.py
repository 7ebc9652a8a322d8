"""API viewsets: each names its queryset (with what its serializer reads), serializer and filter set."""

from typing import Any, ClassVar

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers as drf_serializers
from rest_framework import viewsets
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle

from partnerships import filtersets, selectors
from partnerships.api import (
    schema,  # noqa: F401  (registers the schema extensions)
    serializers,
)
from partnerships.api.authentication import token_expired
from partnerships.api.conditional import ConditionalWriteMixin
from partnerships.api.lean import ShapeRows
from partnerships.api.pagination import StrictLimitOffsetPagination
from partnerships.api.permissions import SavedViewPermission
from partnerships.api.plan import PlanUnsupported, shape_of
from partnerships.api.renderers import CSVRenderer, FastJSONRenderer, TableRenderer, XLSXRenderer
from partnerships.models import (
    Agreement,
    Event,
    Funding,
    Industry,
    Institution,
    InstitutionRelation,
    Person,
    Post,
    Project,
    ProjectType,
    Region,
    SavedView,
    SourceDocument,
)
from partnerships.models.regions import subtree_ids
from partnerships.parsing import REGION_CODE, parse_id


def validated_query(serializer_class, request) -> dict:
    """Return the query parameters as the serializer cleans them; an unknown one is a 400 naming it."""
    known = set(serializer_class().fields) | {"format"}
    unknown = sorted(set(request.query_params) - known)
    if unknown:
        raise ValidationError({name: [_("Unknown parameter.")] for name in unknown})
    query = serializer_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data


def network_response(seeds: list[int], query: dict) -> Response:
    """Answer a network request around the seed institutions."""
    return Response(selectors.institution_network(seeds=seeds, **query))


# What a network action declares: JSON only, its own parameters rather than the list's filters.
NETWORK_ACTION: dict[str, Any] = {
    "detail": True,
    "methods": ["get"],
    "filter_backends": [],
    "pagination_class": None,
    "renderer_classes": [FastJSONRenderer, BrowsableAPIRenderer],
}


def planned(serializer_class, queryset):
    """Return the queryset with what the serializer's plan reads joined and prefetched (partnerships/api/plan.py)."""
    return shape_of(serializer_class, queryset.model).queryset(queryset)


class JSONErrorsMixin:
    """Answer errors in JSON even when a file (CSV, xlsx) was asked for."""

    def finalize_response(self, request, response, *args, **kwargs):
        if getattr(response, "exception", False) and isinstance(getattr(request, "accepted_renderer", None), TableRenderer):
            request.accepted_renderer, request.accepted_media_type = JSONRenderer(), JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]  # a mixin of views


class RecordViewSet(JSONErrorsMixin, ConditionalWriteMixin, viewsets.ModelViewSet):
    """List, read, create, change and delete one kind of record; `?format=csv` or `xlsx` exports a list.

    Detail responses carry an ETag; PUT, PATCH and DELETE honour If-Match (412 when stale).
    """

    renderer_classes = [FastJSONRenderer, BrowsableAPIRenderer, CSVRenderer, XLSXRenderer]
    # Query parameters an action reads besides the filters (see StrictFilterBackend).
    extra_query_params: tuple[str, ...] = ()
    # The pagination class the settings name: it can read a page through the plan's rows.
    pagination_class = StrictLimitOffsetPagination
    _lean_rows: ClassVar[ShapeRows | None]

    def list(self, request, *args, **kwargs):
        if isinstance(request.accepted_renderer, TableRenderer):
            queryset = self.filter_queryset(self.get_queryset())
            # Named after the endpoint: /api/v1/agreements/ gives agreements.csv.
            filename = request.path.rstrip("/").rsplit("/", 1)[-1]
            return request.accepted_renderer.export(queryset, self.get_serializer(), filename=filename)
        rows = self.lean_rows()
        if rows is None or not isinstance(request.accepted_renderer, JSONRenderer):
            return super().list(request, *args, **kwargs)
        # The page as plain dicts read with values() (partnerships/api/lean.py), no model instances.
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset, read=rows.read_page)
        if page is None:
            return Response(rows.read(queryset))
        return self.get_paginated_response(page)

    def paginate_queryset(self, queryset, read=None):
        paginator = self.paginator
        if not isinstance(paginator, StrictLimitOffsetPagination):
            return None
        return paginator.paginate_queryset(queryset, self.request, view=self, read=read)

    @classmethod
    def lean_rows(cls) -> ShapeRows | None:
        """Return the list's Python reader of its serializer's plan, built once per viewset; None if it has none."""
        if "_lean_rows" not in cls.__dict__:
            serializer_class, queryset = cls.serializer_class, cls.queryset
            assert serializer_class is not None and queryset is not None, "a record viewset names both"
            try:
                cls._lean_rows = ShapeRows(shape_of(serializer_class, queryset.model))
            except PlanUnsupported:
                cls._lean_rows = None
        return cls._lean_rows


class RegionViewSet(RecordViewSet):
    """Regions are the official divisions, loaded by `manage.py load_regions`: read-only here."""

    http_method_names = ["get", "head", "options"]
    queryset = planned(serializers.RegionSerializer, Region.objects.all())
    serializer_class = serializers.RegionSerializer
    filterset_class = filtersets.RegionFilterSet

    @extend_schema(
        summary=_("The network of a region's institutions"),
        description=_(
            "The region is given by id or six-digit code. Nodes: the institutions of the region and of every "
            "region below it that are party to agreements, the busiest first, then their partners (depth 1) "
            "and the partners' partners (depth 2), up to `limit` nodes; edges: the agreements two nodes are "
            "party to, weighted by their number."
        ),
        parameters=[
            serializers.NetworkQuerySerializer,
            OpenApiParameter(
                "id", str, OpenApiParameter.PATH, description=_("Region id or six-digit GB/T 2260 code (360700 for 赣州市).")
            ),
        ],
        responses=serializers.NetworkSerializer,
    )
    @action(**NETWORK_ACTION)
    def network(self, request, pk=None):
        query = validated_query(serializers.NetworkQuerySerializer, request)
        if REGION_CODE.match(pk):
            region = Region.objects.filter(code=pk).first()
        else:
            number = parse_id(pk)
            region = Region.objects.filter(pk=number).first() if number else None
        if region is None:
            raise NotFound()
        seeds = selectors.region_institutions(
            region_ids=subtree_ids(region),
            signed_after=query.get("signed_after"),
            signed_before=query.get("signed_before"),
            limit=query["limit"] + 1,
        )
        return network_response(seeds, query)


class ProjectTypeViewSet(RecordViewSet):
    queryset = planned(serializers.ProjectTypeSerializer, ProjectType.objects.all())
    serializer_class = serializers.ProjectTypeSerializer
    filterset_class = filtersets.ProjectTypeFilterSet


class IndustryViewSet(RecordViewSet):
    queryset = planned(serializers.IndustrySerializer, Industry.objects.all())
    serializer_class = serializers.IndustrySerializer
    filterset_class = filtersets.IndustryFilterSet


class InstitutionViewSet(RecordViewSet):
    queryset = planned(serializers.InstitutionSerializer, Institution.objects.all())
    serializer_class = serializers.InstitutionSerializer
    filterset_class = filtersets.InstitutionFilterSet

    @extend_schema(
        summary=_("The network around an institution"),
        description=_(
            "Nodes: the institution, its partners (depth 1) and their partners (depth 2), up to `limit` nodes, "
            "the partners sharing the most agreements kept first; edges: the agreements two nodes are party to, "
            "weighted by their number. `truncated` is true when nodes were left out."
        ),
        parameters=[serializers.NetworkQuerySerializer],
        responses=serializers.NetworkSerializer,
    )
    @action(**NETWORK_ACTION)
    def network(self, request, pk=None):
        query = validated_query(serializers.NetworkQuerySerializer, request)
        number = parse_id(pk)
        if number is None or not Institution.objects.filter(pk=number).exists():
            raise NotFound()
        return network_response([number], query)


class PersonViewSet(RecordViewSet):
    queryset = planned(serializers.PersonSerializer, Person.objects.all())
    serializer_class = serializers.PersonSerializer
    filterset_class = filtersets.PersonFilterSet


class PostViewSet(RecordViewSet):
    queryset = planned(serializers.PostSerializer, Post.objects.all())
    serializer_class = serializers.PostSerializer
    filterset_class = filtersets.PostFilterSet


class SourceDocumentViewSet(RecordViewSet):
    queryset = planned(serializers.SourceDocumentSerializer, SourceDocument.objects.defer("text_normalized"))
    serializer_class = serializers.SourceDocumentSerializer
    filterset_class = filtersets.SourceDocumentFilterSet


class EventViewSet(RecordViewSet):
    queryset = planned(serializers.EventSerializer, Event.objects.all())
    serializer_class = serializers.EventSerializer
    filterset_class = filtersets.EventFilterSet


class ProjectViewSet(RecordViewSet):
    queryset = planned(serializers.ProjectSerializer, Project.objects.all())
    serializer_class = serializers.ProjectSerializer
    filterset_class = filtersets.ProjectFilterSet


class FundingViewSet(RecordViewSet):
    queryset = planned(serializers.FundingSerializer, Funding.objects.all())
    serializer_class = serializers.FundingSerializer
    filterset_class = filtersets.FundingFilterSet


class InstitutionRelationViewSet(RecordViewSet):
    queryset = planned(serializers.InstitutionRelationSerializer, InstitutionRelation.objects.all())
    serializer_class = serializers.InstitutionRelationSerializer
    filterset_class = filtersets.InstitutionRelationFilterSet


class StatsQuerySerializer(drf_serializers.Serializer):
    group_by = drf_serializers.ChoiceField(
        choices=selectors.STATS_GROUPS, help_text=_("How to group the agreements that match the filters.")
    )


@extend_schema_view(
    stats=extend_schema(
        summary=_("Count agreements per group"),
        description=_(
            "Takes every agreement filter. region: the region the agreement is filed under (its own, else its parties' "
            "lowest common region, else its event's); project_type and party_kind: "
            "an agreement counts once under each of its project types or party kinds; month: the signing month, "
            "for agreements whose signing bounds lie within one month (others count under null); partners: the "
            "institutions with the most distinct partners among the matching agreements (key: institution id; "
            "count: partners; the 20 largest)."
        ),
        parameters=[StatsQuerySerializer],
        responses=serializers.AgreementStatsSerializer,
        filters=True,
    ),
    summary=extend_schema(
        summary=_("Count agreements, their institutions and enterprises, and those in force"),
        description=_("Takes every agreement filter; the figures of the workspace's overview."),
        responses=serializers.AgreementSummarySerializer,
        filters=True,
    ),
)
class AgreementViewSet(RecordViewSet):
    queryset = planned(serializers.AgreementSerializer, Agreement.objects.all())
    serializer_class = serializers.AgreementSerializer
    filterset_class = filtersets.AgreementFilterSet

    @action(detail=False, methods=["get"], extra_query_params=("group_by",))
    def stats(self, request):
        query = StatsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        agreements = self.filter_queryset(self.get_queryset())
        return Response(selectors.agreement_stats(agreements=agreements, group_by=query.validated_data["group_by"]))

    @action(detail=False, methods=["get"])
    def summary(self, request):
        agreements = self.filter_queryset(self.get_queryset())
        return Response(selectors.agreement_summary(agreements=agreements, today=timezone.localdate()))


class SavedViewViewSet(JSONErrorsMixin, viewsets.ModelViewSet):
    """Saved views: your own and those shared; only the owner changes or deletes one."""

    renderer_classes = [FastJSONRenderer, BrowsableAPIRenderer]
    permission_classes = [SavedViewPermission]
    queryset = SavedView.objects.select_related("owner")
    serializer_class = serializers.SavedViewSerializer
    filterset_class = filtersets.SavedViewFilterSet

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reads the model, with no user
            return super().get_queryset().none()
        return super().get_queryset().filter(Q(owner=self.request.user) | Q(shared=True))

    def perform_create(self, serializer):
        serializer.save(owner=self.request.user)


class TokenResponseSerializer(drf_serializers.Serializer):
    token = drf_serializers.CharField(help_text=_("Send it as the header “Authorization: Token <token>”."))


class TokenObtainView(ObtainAuthToken):
    """Return the API token of a user given by username and password; DELETE revokes the token used."""

    renderer_classes = [JSONRenderer]
    # DRF's view names its own parsers; the project's bound the nesting of JSON bodies.
    parser_classes = api_settings.DEFAULT_PARSER_CLASSES  # type: ignore[assignment]  # classes, once DRF imports them
    # Logins are throttled per client address on top of django-axes' lockout per user and address.
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    def get_authenticators(self):
        # Only DELETE needs to know who asks; a login never fails on a stale header.
        return super().get_authenticators() if self._revoking() else []

    def get_permissions(self):
        return [IsAuthenticated()] if self._revoking() else []

    def get_serializer_context(self):
        # django-axes counts failures on Django's own request, where its middleware looks for a lockout.
        return {**super().get_serializer_context(), "request": self.request._request}

    def _revoking(self) -> bool:
        return getattr(self.request, "method", None) == "DELETE"

    @extend_schema(request=AuthTokenSerializer, responses=TokenResponseSerializer, summary=_("Obtain an API token"))
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        token, created = Token.objects.get_or_create(user=user)
        if not created and token_expired(token):
            token.delete()
            token = Token.objects.create(user=user)
        return Response({"token": token.key})

    @extend_schema(request=None, responses={204: None}, summary=_("Revoke the API token used"))
    def delete(self, request, *args, **kwargs):
        Token.objects.filter(user=request.user).delete()
        return Response(status=204)

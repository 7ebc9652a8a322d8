"""API viewsets: each names its queryset (with what its serializer reads), serializer and filter set."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers as drf_serializers
from rest_framework import viewsets
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle

from partnerships import filtersets, selectors
from partnerships.api import (
    lean,
    schema,  # noqa: F401  (registers the schema extensions)
    serializers,
)
from partnerships.api.authentication import token_expired
from partnerships.api.conditional import ConditionalWriteMixin
from partnerships.api.renderers import CSVRenderer, FastJSONRenderer, TableRenderer, XLSXRenderer
from partnerships.models import (
    Agreement,
    AgreementParty,
    Event,
    EventParticipant,
    Funding,
    Industry,
    Institution,
    InstitutionRelation,
    Person,
    Post,
    Project,
    ProjectBuilder,
    ProjectQuantity,
    ProjectType,
    Region,
    SourceDocument,
)

REGION_PATH = "region__parent__parent"


def citations(model) -> Prefetch:
    """Prefetch a record's citations with their sources, leaving the sources' full text unread."""
    citation_model = model.citations.rel.related_model
    return Prefetch("citations", queryset=citation_model.objects.select_related("source").defer("source__text"))


class RecordViewSet(ConditionalWriteMixin, viewsets.ModelViewSet):
    """List, read, create, change and delete one kind of record; `?format=csv` or `xlsx` exports a list.

    Detail responses carry an ETag; PUT, PATCH and DELETE honour If-Match (412 when stale).
    """

    renderer_classes = [FastJSONRenderer, BrowsableAPIRenderer, CSVRenderer, XLSXRenderer]
    # Query parameters an action reads besides the filters (see StrictFilterBackend).
    extra_query_params: tuple[str, ...] = ()

    def list(self, request, *args, **kwargs):
        if isinstance(request.accepted_renderer, TableRenderer):
            queryset = self.filter_queryset(self.get_queryset())
            # Named after the endpoint: /api/v1/agreements/ gives agreements.csv.
            filename = request.path.rstrip("/").rsplit("/", 1)[-1]
            return request.accepted_renderer.export(queryset, self.get_serializer(), filename=filename)
        shape = self.lean_shape()
        if shape is None or not isinstance(request.accepted_renderer, JSONRenderer):
            return super().list(request, *args, **kwargs)
        # The page as plain dicts read with values() (partnerships/api/lean.py), no model instances.
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset, read=shape.read_page)
        if page is None:
            return Response(shape.read(queryset))
        return self.get_paginated_response(page)

    def paginate_queryset(self, queryset, read=None):
        if self.paginator is None:
            return None
        return self.paginator.paginate_queryset(queryset, self.request, view=self, read=read)

    @classmethod
    def lean_shape(cls) -> lean.Shape | None:
        """Return the list's lean shape, compiled once per viewset from its serializer; None if it has none."""
        if "_lean_shape" not in cls.__dict__:
            try:
                cls._lean_shape = lean.Shape(cls.serializer_class(context={}), cls.queryset.model)
            except lean.LeanUnsupported:
                cls._lean_shape = None
        return cls._lean_shape

    def finalize_response(self, request, response, *args, **kwargs):
        # Errors are answered in JSON even when a file was asked for.
        if getattr(response, "exception", False) and isinstance(getattr(request, "accepted_renderer", None), TableRenderer):
            request.accepted_renderer, request.accepted_media_type = JSONRenderer(), JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


class RegionViewSet(RecordViewSet):
    """Regions are the official divisions, loaded by `manage.py load_regions`: read-only here."""

    http_method_names = ["get", "head", "options"]
    queryset = Region.objects.select_related("parent__parent")
    serializer_class = serializers.RegionSerializer
    filterset_class = filtersets.RegionFilterSet


class ProjectTypeViewSet(RecordViewSet):
    queryset = ProjectType.objects.prefetch_related(citations(ProjectType))
    serializer_class = serializers.ProjectTypeSerializer
    filterset_class = filtersets.ProjectTypeFilterSet


class IndustryViewSet(RecordViewSet):
    queryset = Industry.objects.prefetch_related(citations(Industry))
    serializer_class = serializers.IndustrySerializer
    filterset_class = filtersets.IndustryFilterSet


class InstitutionViewSet(RecordViewSet):
    queryset = Institution.objects.select_related(REGION_PATH, "parent", "predecessor", "founding_event").prefetch_related(
        "aliases", citations(Institution)
    )
    serializer_class = serializers.InstitutionSerializer
    filterset_class = filtersets.InstitutionFilterSet


class PersonViewSet(RecordViewSet):
    queryset = Person.objects.prefetch_related(
        Prefetch("posts", queryset=Post.objects.select_related("institution")), "aliases", citations(Person)
    )
    serializer_class = serializers.PersonSerializer
    filterset_class = filtersets.PersonFilterSet


class PostViewSet(RecordViewSet):
    queryset = Post.objects.select_related("person", "institution").prefetch_related(citations(Post))
    serializer_class = serializers.PostSerializer
    filterset_class = filtersets.PostFilterSet


class SourceDocumentViewSet(RecordViewSet):
    queryset = SourceDocument.objects.select_related("publisher", "repost_of").defer("text_normalized")
    serializer_class = serializers.SourceDocumentSerializer
    filterset_class = filtersets.SourceDocumentFilterSet


class EventViewSet(RecordViewSet):
    queryset = Event.objects.select_related(REGION_PATH, "parent").prefetch_related(
        Prefetch(
            "participants",
            queryset=EventParticipant.objects.select_related("institution", "person", "on_behalf_of").prefetch_related(
                citations(EventParticipant)
            ),
        ),
        "further_kinds",
        citations(Event),
    )
    serializer_class = serializers.EventSerializer
    filterset_class = filtersets.EventFilterSet


class ProjectViewSet(RecordViewSet):
    queryset = Project.objects.select_related(REGION_PATH, "project_type", "institution").prefetch_related(
        "agreements",
        Prefetch(
            "builders",
            queryset=ProjectBuilder.objects.select_related("institution").prefetch_related(citations(ProjectBuilder)),
        ),
        Prefetch("quantities", queryset=ProjectQuantity.objects.prefetch_related(citations(ProjectQuantity))),
        citations(Project),
    )
    serializer_class = serializers.ProjectSerializer
    filterset_class = filtersets.ProjectFilterSet


class FundingViewSet(RecordViewSet):
    queryset = Funding.objects.select_related("contributor", "project", "agreement").prefetch_related(citations(Funding))
    serializer_class = serializers.FundingSerializer
    filterset_class = filtersets.FundingFilterSet


class InstitutionRelationViewSet(RecordViewSet):
    queryset = InstitutionRelation.objects.select_related("subject", "object").prefetch_related(
        citations(InstitutionRelation)
    )
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
            "for agreements whose signing bounds lie within one month (others count under null)."
        ),
        parameters=[StatsQuerySerializer],
        responses=serializers.AgreementStatsSerializer,
        filters=True,
    )
)
class AgreementViewSet(RecordViewSet):
    queryset = Agreement.objects.select_related(REGION_PATH, "event", "amends").prefetch_related(
        Prefetch(
            "parties",
            queryset=AgreementParty.objects.select_related("institution", "signatory").prefetch_related(
                citations(AgreementParty)
            ),
        ),
        "project_types",
        "industries",
        citations(Agreement),
    )
    serializer_class = serializers.AgreementSerializer
    filterset_class = filtersets.AgreementFilterSet

    @action(detail=False, methods=["get"], extra_query_params=("group_by",))
    def stats(self, request):
        query = StatsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        agreements = self.filter_queryset(self.get_queryset())
        return Response(selectors.agreement_stats(agreements=agreements, group_by=query.validated_data["group_by"]))


class TokenResponseSerializer(drf_serializers.Serializer):
    token = drf_serializers.CharField(help_text=_("Send it as the header “Authorization: Token <token>”."))


class TokenObtainView(ObtainAuthToken):
    """Return the API token of a user given by username and password; DELETE revokes the token used."""

    renderer_classes = [JSONRenderer]
    # DRF's view names its own parsers; the project's bound the nesting of JSON bodies.
    parser_classes = api_settings.DEFAULT_PARSER_CLASSES
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

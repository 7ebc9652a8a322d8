"""Serializers: related records are written as ids and read back as brief nested objects."""

import copy
from typing import cast

from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from partnerships import selectors, services
from partnerships.choices import EventKindChoices, InstitutionKindChoices
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
    SavedView,
    SourceDocument,
)
from partnerships.parsing import REGION_CODE


class RelatedRecordField(serializers.PrimaryKeyRelatedField):
    """Take a related record's id on write; give back its brief serializer's object on read."""

    def __init__(self, *, brief, **kwargs):
        self.brief = brief
        super().__init__(**kwargs)

    def use_pk_only_optimization(self):
        return False

    def get_queryset(self) -> QuerySet:
        queryset = super().get_queryset()
        # Every RelatedRecordField is writable, so DRF has made sure it was given a queryset.
        assert queryset is not None
        return queryset

    @property
    def brief_serializer(self) -> serializers.Serializer:
        # One brief serializer per field, built on first use: building a serializer's fields
        # costs far more than using them, and a list page would otherwise build hundreds.
        if not hasattr(self, "_brief_serializer"):
            self._brief_serializer = self.brief(context=self.context)
        return self._brief_serializer

    def to_representation(self, value):
        return self.brief_serializer.to_representation(value)

    def get_choices(self, cutoff=None):
        # The browsable API's forms key their options by id, not by the nested object.
        queryset = self.get_queryset()
        if cutoff is not None:
            queryset = queryset[:cutoff]
        return {record.pk: self.display_value(record) for record in queryset}


class RegionRelatedField(RelatedRecordField):
    """Take a region's id or six-digit code on write."""

    def to_internal_value(self, data):
        if isinstance(data, str) and REGION_CODE.match(data):
            try:
                return self.get_queryset().get(code=data)
            except Region.DoesNotExist:
                self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


class CodeRelatedField(RelatedRecordField):
    """Take a vocabulary term's id or its code on write."""

    def to_internal_value(self, data):
        if isinstance(data, str) and not data.isdigit():
            try:
                return self.get_queryset().get(code=data)
            except (TypeError, ValueError, self.get_queryset().model.DoesNotExist):
                self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


class RegionBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "code", "name", "level"]


@extend_schema_field(RegionBriefSerializer(many=True))
class RegionPathField(serializers.Field):
    """A region's path from the province down to itself, each region as its brief object."""

    brief = RegionBriefSerializer
    # The relation one level up and the most regions a path holds (province, prefecture, county):
    # the read plan (partnerships/api/plan.py) reads a path by joins, not region by region.
    upward = "parent"
    depth = 3

    def __init__(self, **kwargs):
        kwargs = {"label": _("path"), "help_text": _("From the province down to this region."), **kwargs}
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, region):
        if not hasattr(self, "_brief_serializer"):
            self._brief_serializer = self.brief(context=self.context)
        return [self._brief_serializer.to_representation(part) for part in [*region.ancestors(), region]]


class RegionPathSerializer(RegionBriefSerializer):
    """A region with its path from the province down to itself."""

    path = RegionPathField()

    class Meta(RegionBriefSerializer.Meta):
        fields = [*RegionBriefSerializer.Meta.fields, "path"]


class InstitutionBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Institution
        fields = ["id", "name", "kind"]


class PersonBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = ["id", "name"]


class TermBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    code = serializers.CharField(read_only=True, label=_("code"))
    name = serializers.CharField(read_only=True, label=_("name"))


class SourceBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = SourceDocument
        fields = ["id", "key", "title"]


class EventBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Event
        fields = ["id", "title", "kind", "start_date", "end_date"]


class AgreementBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Agreement
        fields = ["id", "reference", "title"]


class ProjectBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Project
        fields = ["id", "reference", "name"]


class CitationSerializer(serializers.Serializer):
    """A citation: the source's id on write, its brief object on read; the position is found when left out."""

    # DRF's metaclass takes declared fields off the class, so a field named like a Field attribute
    # (source, parent, label) overrides nothing; the stubs cannot know that.
    source = RelatedRecordField(  # type: ignore[assignment]
        queryset=SourceDocument.objects.all(), brief=SourceBriefSerializer, label=_("source document")
    )
    quote = serializers.CharField(label=_("quote"), trim_whitespace=False)
    position = serializers.IntegerField(required=False, allow_null=True, min_value=0, label=_("position"))


def citations_field() -> CitationSerializer:
    return CitationSerializer(
        many=True,
        required=False,
        label=_("citations"),
        help_text=_("[{source, quote, position?}]; on write they replace the record's citations, each checked against its source."),
    )


def rows_with_citations(rows):
    """Return nested rows from validated data with their citations as service specs."""
    if rows is None:
        return None
    return [
        {**row, "citations": services.citation_specs(row["citations"])} if "citations" in row else dict(row)
        for row in rows
    ]


class RecordSerializer(serializers.ModelSerializer):
    """Validate a record fully (model clean and constraints) in a service before saving it."""

    @property
    def model(self) -> type[models.Model]:
        """Return the model this serializer writes."""
        return cast(type[models.Model], self.Meta.model)

    def create(self, validated_data):
        return self.save_record(self.model(), validated_data)

    def update(self, instance, validated_data):
        return self.save_record(instance, validated_data)

    def save_record(self, record, data: dict):
        citations = services.citation_specs(data.pop("citations", None))
        fields, many = self._split(data)
        return services.record_save(record=record, fields=fields, many=many, citations=citations)

    def _split(self, validated_data: dict) -> tuple[dict, dict]:
        many_names = {field.name for field in self.model._meta.many_to_many}
        fields = {name: value for name, value in validated_data.items() if name not in many_names}
        many = {name: value for name, value in validated_data.items() if name in many_names}
        return fields, many


def related(model: type[models.Model], brief, **kwargs) -> RelatedRecordField:
    field = RegionRelatedField if model is Region else CodeRelatedField if model is ProjectType else RelatedRecordField
    return field(queryset=model._default_manager.all(), brief=brief, **kwargs)


class CitedSerializer(RecordSerializer):
    citations = citations_field()


class RegionSerializer(RecordSerializer):
    parent = related(Region, RegionBriefSerializer, required=False, allow_null=True, label=_("parent region"))  # type: ignore[assignment]  # see CitationSerializer.source
    path = RegionPathField()

    class Meta:
        model = Region
        fields = ["id", "code", "name", "level", "division_type", "parent", "path"]


class ProjectTypeSerializer(CitedSerializer):
    class Meta:
        model = ProjectType
        fields = ["id", "code", "name", "name_en", "description", "notes", "citations", "created", "last_updated"]


class IndustrySerializer(CitedSerializer):
    class Meta:
        model = Industry
        fields = ProjectTypeSerializer.Meta.fields


class NamesField(serializers.ListField):
    """A list of names on write; a related manager's names on read."""

    child = serializers.CharField(max_length=200)
    # The related records' field that to_representation reads, so the flat export can read it too.
    item_field = "name"

    def to_representation(self, data):
        return [getattr(alias, self.item_field) for alias in data.all()]


class FirstAndFurtherField(serializers.ListField):
    """A record's field followed by a field of its related records (an event's kind, then its further kinds).

    The three names are declared here so that the flat export reads the same values.
    """

    def __init__(self, *, first: str, further: str, item_field: str, **kwargs):
        self.first, self.further, self.item_field = first, further, item_field
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return [getattr(instance, self.first), *(getattr(item, self.item_field) for item in getattr(instance, self.further).all())]


class AliasedSerializerMixin(RecordSerializer):
    """Write a record's aliases, given as a list of names, after the record."""

    def save_record(self, record, data: dict):
        aliases = data.pop("aliases", None)
        record = super().save_record(record, data)
        if aliases is not None:
            services.aliases_set(record=record, names=aliases)
        return record


class InstitutionSerializer(AliasedSerializerMixin, CitedSerializer):
    region = related(Region, RegionPathSerializer, required=False, allow_null=True, label=_("region"))
    parent = related(Institution, InstitutionBriefSerializer, required=False, allow_null=True, label=_("parent institution"))  # type: ignore[assignment]  # see CitationSerializer.source
    predecessor = related(Institution, InstitutionBriefSerializer, required=False, allow_null=True, label=_("predecessor"))
    aliases = NamesField(
        required=False, label=_("aliases"), help_text=_("Short and former names; on write they replace the aliases.")
    )
    founding_event = related(Event, EventBriefSerializer, required=False, allow_null=True, label=_("founding event"))

    class Meta:
        model = Institution
        fields = [
            "id", "name", "name_en", "aliases", "kind", "credit_code", "region", "parent", "predecessor",
            "founded_earliest", "founded_latest", "founded_precision", "founded_text", "founded_basis", "founding_event",
            "notes", "citations", "created", "last_updated",
        ]


class PostBriefSerializer(serializers.ModelSerializer):
    institution = InstitutionBriefSerializer(read_only=True, label=_("institution"))

    class Meta:
        model = Post
        fields = ["id", "institution", "title", "start_date", "end_date"]


class PersonSerializer(AliasedSerializerMixin, CitedSerializer):
    posts = PostBriefSerializer(many=True, read_only=True, label=_("posts"))
    aliases = NamesField(
        required=False, label=_("aliases"), help_text=_("Other ways the name is written; on write they replace the aliases.")
    )

    class Meta:
        model = Person
        fields = [
            "id", "name", "name_en", "disambiguation", "aliases", "posts", "notes", "citations", "created", "last_updated",
        ]


class PostSerializer(CitedSerializer):
    person = related(Person, PersonBriefSerializer, label=_("person"))
    institution = related(Institution, InstitutionBriefSerializer, label=_("institution"))

    class Meta:
        model = Post
        fields = [
            "id", "person", "institution", "title", "title_en", "start_date", "end_date", "attested_on",
            "notes", "citations", "created", "last_updated",
        ]


class SourceDocumentSerializer(RecordSerializer):
    publisher = related(Institution, InstitutionBriefSerializer, required=False, allow_null=True, label=_("publisher"))
    repost_of = related(SourceDocument, SourceBriefSerializer, required=False, allow_null=True, label=_("repost of"))

    class Meta:
        model = SourceDocument
        fields = [
            "id", "key", "title", "author", "publisher", "publisher_name", "url", "language", "published_on",
            "repost_of", "checksum", "text", "notes", "created", "last_updated",
        ]
        read_only_fields = ["checksum"]


class EventParticipantSerializer(serializers.ModelSerializer):
    """A participant as an editor writes it (ids) and as an analyst reads it (names)."""

    institution = related(Institution, InstitutionBriefSerializer, required=False, allow_null=True, label=_("institution"))
    person = related(Person, PersonBriefSerializer, required=False, allow_null=True, label=_("person"))
    on_behalf_of = related(Person, PersonBriefSerializer, required=False, allow_null=True, label=_("on behalf of"))
    citations = citations_field()

    class Meta:
        model = EventParticipant
        fields = ["institution", "person", "role", "on_behalf_of", "citations"]
        # Uniqueness within the event is checked by the service, which sees all participants at once.
        validators: list = []


class EventSerializer(CitedSerializer):
    region = related(Region, RegionPathSerializer, required=False, allow_null=True, label=_("region"))
    parent = related(Event, EventBriefSerializer, required=False, allow_null=True, label=_("part of"))  # type: ignore[assignment]  # see CitationSerializer.source
    kind = serializers.ChoiceField(
        choices=EventKindChoices.choices, required=False, label=_("kind"), help_text=_("The first of the event's kinds.")
    )
    kinds = FirstAndFurtherField(
        first="kind",
        further="further_kinds",
        item_field="kind",
        child=serializers.ChoiceField(choices=EventKindChoices.choices),
        required=False,
        label=_("kinds"),
        help_text=_("Every kind of the event, the first being `kind`; on write they replace the kinds."),
    )
    participants = EventParticipantSerializer(
        many=True, required=False, label=_("participants"), help_text=_("On write they replace the participants.")
    )

    class Meta:
        model = Event
        fields = [
            "id", "reference", "title", "kind", "kinds", "start_date", "end_date", "date_precision", "date_text",
            "date_basis", "place", "region", "parent", "participants", "notes", "citations", "created", "last_updated",
        ]
        extra_kwargs = {"reference": {"required": False}}
        # A new event needs its kind, given as `kind` or as the first of `kinds` (stated so in the schema).
        required_one_of = [("kind", "kinds")]

    def save_record(self, record, data: dict):
        citations = services.citation_specs(data.pop("citations", None))
        participants = rows_with_citations(data.pop("participants", None))
        return services.event_save(event=record, participants=participants, citations=citations, **data)


class AgreementPartySerializer(serializers.ModelSerializer):
    """A party as an editor writes it (ids) and as an analyst reads it (names and kinds)."""

    institution = related(Institution, InstitutionBriefSerializer, label=_("institution"))
    signatory = related(Person, PersonBriefSerializer, required=False, allow_null=True, label=_("signatory"))
    citations = citations_field()

    class Meta:
        model = AgreementParty
        fields = ["institution", "role", "signatory", "signatory_title", "citations"]
        # Uniqueness within the agreement is checked by the service, which sees all parties at once.
        validators: list = []


class AgreementSerializer(CitedSerializer):
    """An agreement with everything an analyst needs in one object; parties are written with it."""

    parties = AgreementPartySerializer(many=True, required=False, label=_("parties"))
    region = related(Region, RegionPathSerializer, required=False, allow_null=True, label=_("region"))
    event = related(Event, EventBriefSerializer, required=False, allow_null=True, label=_("signed at event"))
    project_types = related(ProjectType, TermBriefSerializer, many=True, required=False, label=_("planned project types"))
    industries = related(Industry, TermBriefSerializer, many=True, required=False, label=_("industries"))
    amends = related(Agreement, AgreementBriefSerializer, required=False, allow_null=True, label=_("amends"))

    class Meta:
        model = Agreement
        fields = [
            "id", "reference", "title", "kind", "status", "signed_earliest", "signed_latest", "signed_precision",
            "signed_text", "signed_basis", "valid_from", "valid_until", "term_precision", "term_text", "term_basis",
            "amends", "place", "region", "event", "parties", "project_types", "industries", "notes", "citations",
            "created", "last_updated",
        ]
        extra_kwargs = {"reference": {"required": False}}

    def save_record(self, record, data: dict):
        citations = services.citation_specs(data.pop("citations", None))
        parties = rows_with_citations(data.pop("parties", None))
        if record.pk is None and parties is None:
            parties = []
        return services.agreement_save(agreement=record, parties=parties, citations=citations, **data)


class ProjectBuilderSerializer(serializers.ModelSerializer):
    institution = related(Institution, InstitutionBriefSerializer, label=_("institution"))
    citations = citations_field()

    class Meta:
        model = ProjectBuilder
        fields = ["institution", "role", "citations"]
        validators: list = []


class ProjectQuantitySerializer(serializers.ModelSerializer):
    citations = citations_field()

    class Meta:
        model = ProjectQuantity
        fields = ["measure", "value", "unit", "approximate", "year", "citations"]
        validators: list = []


class ProjectSerializer(CitedSerializer):
    """A project with the institutions that build it and its quantities, written with it."""

    project_type = related(ProjectType, TermBriefSerializer, label=_("project type"), help_text=_("Id or code."))
    region = related(Region, RegionPathSerializer, required=False, allow_null=True, label=_("region"))
    agreements = related(Agreement, AgreementBriefSerializer, many=True, required=False, label=_("agreements"))
    institution = related(
        Institution, InstitutionBriefSerializer, required=False, allow_null=True, label=_("institution created")
    )
    builders = ProjectBuilderSerializer(many=True, required=False, label=_("builders"))
    quantities = ProjectQuantitySerializer(many=True, required=False, label=_("quantities"))

    class Meta:
        model = Project
        fields = [
            "id", "reference", "name", "project_type", "status", "established_earliest", "established_latest",
            "established_precision", "established_text", "established_basis", "region", "place", "agreements",
            "institution", "builders", "quantities", "notes", "citations", "created", "last_updated",
        ]
        extra_kwargs = {"reference": {"required": False}}

    def save_record(self, record, data: dict):
        citations = services.citation_specs(data.pop("citations", None))
        builders = rows_with_citations(data.pop("builders", None))
        quantities = rows_with_citations(data.pop("quantities", None))
        return services.project_save(project=record, builders=builders, quantities=quantities, citations=citations, **data)


class FundingSerializer(CitedSerializer):
    contributor = related(Institution, InstitutionBriefSerializer, required=False, allow_null=True, label=_("contributor"))
    project = related(Project, ProjectBriefSerializer, required=False, allow_null=True, label=_("project"))
    agreement = related(Agreement, AgreementBriefSerializer, required=False, allow_null=True, label=_("agreement"))

    class Meta:
        model = Funding
        fields = [
            "id", "reference", "amount", "currency", "approximate", "kind", "year", "contributor", "project", "agreement",
            "notes", "citations", "created", "last_updated",
        ]
        extra_kwargs = {"reference": {"required": False}}


class InstitutionRelationSerializer(CitedSerializer):
    subject = related(Institution, InstitutionBriefSerializer, label=_("subject"))
    object = related(Institution, InstitutionBriefSerializer, label=_("object"))

    class Meta:
        model = InstitutionRelation
        fields = [
            "id", "subject", "kind", "object", "share", "since_earliest", "since_latest", "since_precision",
            "since_text", "since_basis", "notes", "citations", "created", "last_updated",
        ]


class StatsGroupSerializer(serializers.Serializer):
    key = serializers.CharField(allow_null=True, help_text=_("Code or value of the group; null for records without one."))
    label = serializers.CharField(  # type: ignore[assignment]  # see CitationSerializer.source
        help_text=_("Readable name of the group.")
    )
    count = serializers.IntegerField(help_text=_("Number of agreements in the group."))


class AgreementSummarySerializer(serializers.Serializer):
    agreements = serializers.IntegerField(help_text=_("Number of agreements that match the filters."))
    institutions = serializers.IntegerField(help_text=_("Distinct institutions party to them."))
    enterprises = serializers.IntegerField(help_text=_("Distinct enterprises (enterprises, holding and education groups) party to them."))
    in_force = serializers.IntegerField(help_text=_("Those whose term has begun and not ended on in_force_on."))
    in_force_on = serializers.DateField(help_text=_("Today's date, in the server's time zone."))


class AgreementStatsSerializer(serializers.Serializer):
    group_by = serializers.CharField(help_text=_("The grouping asked for."))
    total = serializers.IntegerField(help_text=_("Number of agreements that match the filters."))
    results = StatsGroupSerializer(many=True)


class NetworkQuerySerializer(serializers.Serializer):
    depth = serializers.IntegerField(
        min_value=1, max_value=2, default=1, help_text=_("1: the partners; 2: also the partners' partners.")
    )
    signed_after = serializers.DateField(
        required=False, help_text=_("ISO date: only agreements that may have been signed on or after it.")
    )
    signed_before = serializers.DateField(
        required=False, help_text=_("ISO date: only agreements that may have been signed on or before it.")
    )
    limit = serializers.IntegerField(
        min_value=1,
        max_value=selectors.NETWORK_MAX_LIMIT,
        default=selectors.NETWORK_DEFAULT_LIMIT,
        help_text=_("The most nodes to return (at most 1000); the partners sharing the most agreements are kept."),
    )


class NetworkNodeSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("Institution id."))
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=InstitutionKindChoices.choices)
    region = serializers.CharField(allow_null=True, help_text=_("The region's six-digit code, or null."))
    agreements = serializers.IntegerField(help_text=_("Number of agreements the institution is party to (in the date range)."))


class NetworkEdgeSerializer(serializers.Serializer):
    source = serializers.IntegerField(help_text=_("Institution id (the smaller of the two)."))  # type: ignore[assignment]  # see CitationSerializer.source
    target = serializers.IntegerField(help_text=_("Institution id."))
    agreements = serializers.IntegerField(help_text=_("Number of agreements both are party to (in the date range)."))
    ids = serializers.ListField(
        child=serializers.IntegerField(), help_text=_("Ids of the newest of these agreements (at most five).")
    )


class NetworkSerializer(serializers.Serializer):
    nodes = NetworkNodeSerializer(many=True)
    edges = NetworkEdgeSerializer(many=True)
    truncated = serializers.BooleanField(help_text=_("Whether nodes were left out to stay within the limit."))


class OwnerSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)


class SavedViewSerializer(serializers.ModelSerializer):
    owner = OwnerSerializer(read_only=True, label=_("owner"))

    class Meta:
        model = SavedView
        fields = ["id", "name", "owner", "shared", "resource", "query", "created", "updated"]
        # The unique name per owner is checked with the owner, which the request does not send (validate()).
        validators: list = []

    def validate(self, data):
        # The model's own rules (its query against the resource's filters, one name per owner), on a copy.
        record = copy.copy(self.instance) if self.instance is not None else SavedView(owner=self.context["request"].user)
        for name, value in data.items():
            setattr(record, name, value)
        record.full_clean()
        return data

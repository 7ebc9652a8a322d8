"""Serializers: related records are written as ids and read back as brief nested objects."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from partnerships import services
from partnerships.models import (
    Agreement,
    AgreementParty,
    Event,
    Industry,
    Institution,
    Person,
    Post,
    ProjectType,
    Region,
    SourceDocument,
)


class RelatedRecordField(serializers.PrimaryKeyRelatedField):
    """Take a related record's id on write; give back its brief serializer's object on read."""

    def __init__(self, *, brief, **kwargs):
        self.brief = brief
        super().__init__(**kwargs)

    def use_pk_only_optimization(self):
        return False

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
        if isinstance(data, str) and len(data) == 6 and data.isdigit():
            try:
                return self.get_queryset().get(code=data)
            except Region.DoesNotExist:
                self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


class RegionBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "code", "name", "level"]


class RegionPathSerializer(RegionBriefSerializer):
    """A region with its path from the province down to itself."""

    path = serializers.SerializerMethodField(label=_("path"), help_text=_("From the province down to this region."))

    class Meta(RegionBriefSerializer.Meta):
        fields = [*RegionBriefSerializer.Meta.fields, "path"]

    @extend_schema_field(RegionBriefSerializer(many=True))
    def get_path(self, region):
        if not hasattr(self, "_path_serializer"):
            self._path_serializer = RegionBriefSerializer(context=self.context)
        return [self._path_serializer.to_representation(part) for part in [*region.ancestors(), region]]


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


class CitationSerializer(serializers.Serializer):
    source = SourceBriefSerializer(read_only=True, label=_("source document"))
    quote = serializers.CharField(read_only=True, label=_("quote"))
    position = serializers.IntegerField(read_only=True, label=_("position"))


class RecordSerializer(serializers.ModelSerializer):
    """Validate a record fully (model clean and constraints) before saving it."""

    def create(self, validated_data):
        fields, many = self._split(validated_data)
        return services.record_save(record=self.Meta.model(), fields=fields, many=many)

    def update(self, instance, validated_data):
        fields, many = self._split(validated_data)
        return services.record_save(record=instance, fields=fields, many=many)

    def _split(self, validated_data: dict) -> tuple[dict, dict]:
        many_names = {field.name for field in self.Meta.model._meta.many_to_many}
        fields = {name: value for name, value in validated_data.items() if name not in many_names}
        many = {name: value for name, value in validated_data.items() if name in many_names}
        return fields, many


def related(model: type[models.Model], brief, **kwargs) -> RelatedRecordField:
    field = RegionRelatedField if model is Region else RelatedRecordField
    return field(queryset=model.objects.all(), brief=brief, **kwargs)


class CitedSerializer(RecordSerializer):
    citations = CitationSerializer(many=True, read_only=True, label=_("citations"))


class RegionSerializer(RecordSerializer):
    parent = related(Region, RegionBriefSerializer, required=False, allow_null=True, label=_("parent region"))
    path = serializers.SerializerMethodField(label=_("path"), help_text=_("From the province down to this region."))

    class Meta:
        model = Region
        fields = ["id", "code", "name", "level", "division_type", "parent", "path"]

    get_path = RegionPathSerializer.get_path


class ProjectTypeSerializer(CitedSerializer):
    class Meta:
        model = ProjectType
        fields = ["id", "code", "name", "name_en", "description", "notes", "citations", "created", "last_updated"]


class IndustrySerializer(CitedSerializer):
    class Meta:
        model = Industry
        fields = ProjectTypeSerializer.Meta.fields


class InstitutionSerializer(CitedSerializer):
    region = related(Region, RegionPathSerializer, required=False, allow_null=True, label=_("region"))
    parent = related(Institution, InstitutionBriefSerializer, required=False, allow_null=True, label=_("parent institution"))
    predecessor = related(Institution, InstitutionBriefSerializer, required=False, allow_null=True, label=_("predecessor"))
    aliases = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True, label=_("aliases"))

    class Meta:
        model = Institution
        fields = [
            "id", "name", "name_en", "aliases", "kind", "region", "parent", "predecessor",
            "notes", "citations", "created", "last_updated",
        ]


class PostBriefSerializer(serializers.ModelSerializer):
    institution = InstitutionBriefSerializer(read_only=True, label=_("institution"))

    class Meta:
        model = Post
        fields = ["id", "institution", "title", "start_date", "end_date"]


class PersonSerializer(CitedSerializer):
    posts = PostBriefSerializer(many=True, read_only=True, label=_("posts"))

    class Meta:
        model = Person
        fields = ["id", "name", "name_en", "disambiguation", "posts", "notes", "citations", "created", "last_updated"]


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
    class Meta:
        model = SourceDocument
        fields = [
            "id", "key", "title", "publisher", "url", "language", "published_on", "checksum", "text",
            "notes", "created", "last_updated",
        ]
        extra_kwargs = {"checksum": {"read_only": True}}

    def update(self, instance, validated_data):
        # The checksum is derived here, not given: a new text gets a new checksum.
        if "text" in validated_data:
            validated_data["checksum"] = ""
        return super().update(instance, validated_data)


class EventParticipantSerializer(serializers.ModelSerializer):
    institution = InstitutionBriefSerializer(read_only=True, label=_("institution"))
    person = PersonBriefSerializer(read_only=True, label=_("person"))

    class Meta:
        model = Event.participants.rel.related_model
        fields = ["institution", "person", "role"]


class EventSerializer(CitedSerializer):
    region = related(Region, RegionPathSerializer, required=False, allow_null=True, label=_("region"))
    parent = related(Event, EventBriefSerializer, required=False, allow_null=True, label=_("part of"))
    participants = EventParticipantSerializer(many=True, read_only=True, label=_("participants"))

    class Meta:
        model = Event
        fields = [
            "id", "reference", "title", "kind", "start_date", "end_date", "date_precision", "place", "region",
            "parent", "participants", "notes", "citations", "created", "last_updated",
        ]


class AgreementPartySerializer(serializers.ModelSerializer):
    """A party as an editor writes it (ids) and as an analyst reads it (names and kinds)."""

    institution = related(Institution, InstitutionBriefSerializer, label=_("institution"))
    signatory = related(Person, PersonBriefSerializer, required=False, allow_null=True, label=_("signatory"))

    class Meta:
        model = AgreementParty
        fields = ["institution", "role", "signatory", "signatory_title"]
        # Uniqueness within the agreement is checked by the service, which sees all parties at once.
        validators = []


class AgreementSerializer(CitedSerializer):
    """An agreement with everything an analyst needs in one object; parties are written with it."""

    parties = AgreementPartySerializer(many=True, required=False, label=_("parties"))
    region = related(Region, RegionPathSerializer, required=False, allow_null=True, label=_("region"))
    event = related(Event, EventBriefSerializer, required=False, allow_null=True, label=_("signed at event"))
    project_types = related(ProjectType, TermBriefSerializer, many=True, required=False, label=_("planned project types"))
    industries = related(Industry, TermBriefSerializer, many=True, required=False, label=_("industries"))

    class Meta:
        model = Agreement
        fields = [
            "id", "reference", "title", "kind", "status", "signed_earliest", "signed_latest", "signed_precision",
            "place", "region", "event", "parties", "project_types", "industries", "notes", "citations",
            "created", "last_updated",
        ]
        extra_kwargs = {"reference": {"required": False}}

    def create(self, validated_data):
        parties = [services.PartySpec(**party) for party in validated_data.pop("parties", [])]
        return services.agreement_create(parties=parties, **validated_data)

    def update(self, instance, validated_data):
        parties = validated_data.pop("parties", None)
        if parties is not None:
            parties = [services.PartySpec(**party) for party in parties]
        return services.agreement_update(agreement=instance, parties=parties, **validated_data)


class StatsGroupSerializer(serializers.Serializer):
    key = serializers.CharField(allow_null=True, help_text=_("Code or value of the group; null for records without one."))
    label = serializers.CharField(help_text=_("Readable name of the group."))
    count = serializers.IntegerField(help_text=_("Number of agreements in the group."))


class AgreementStatsSerializer(serializers.Serializer):
    group_by = serializers.CharField(help_text=_("The grouping asked for."))
    total = serializers.IntegerField(help_text=_("Number of agreements that match the filters."))
    results = StatsGroupSerializer(many=True)

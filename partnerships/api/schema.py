"""drf-spectacular extensions: related records are ids in requests and nested objects in responses."""

from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.types import OpenApiTypes


class RelatedRecordFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "partnerships.api.serializers.RelatedRecordField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            schema = build_basic_type(OpenApiTypes.INT)
            if self.target.__class__.__name__ == "RegionRelatedField":
                schema = {"oneOf": [schema, {"type": "string", "pattern": "^[0-9]{6}$"}]}
            return schema
        return auto_schema.resolve_serializer(self.target.brief, direction).ref


class FilterDescriptionsExtension(DjangoFilterExtension):
    """Describe every filter parameter by its help text (or label), overridden schemas included."""

    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(auto_schema, model, filterset_class, field_name, filter_field)
        description = filter_field.extra.get("help_text") or filter_field.label
        for parameter in parameters:
            if description and not parameter.get("description"):
                parameter["description"] = str(description)
        return parameters

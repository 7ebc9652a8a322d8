"""drf-spectacular extensions: related records as ids in requests and objects in responses, every error answer documented."""

import re

from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_basic_type, is_patched_serializer
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


# The answers every operation may give besides its own, by status: which operations give them, and why.
_WRITES = ("post", "put", "patch", "delete")
ERROR_STATUSES = {
    "400": (lambda method, path, secured, parameters: True, _("A malformed or unknown parameter or field; the body names it.")),
    "401": (lambda method, path, secured, parameters: secured, _("No credentials, or a token that has expired or was revoked.")),
    "403": (lambda method, path, secured, parameters: secured, _("The user's role does not allow this.")),
    # DRF answers an unknown ?format= with a 404 too.
    "404": (lambda method, path, secured, parameters: "{" in path or "format" in parameters, _("No record with this id, or no such format.")),
    "409": (
        lambda method, path, secured, parameters: secured and method in _WRITES,
        _("The change conflicts with stored records (a delete other records block, a rule a concurrent writer broke)."),
    ),
    "412": (
        lambda method, path, secured, parameters: secured and "{" in path and method in ("put", "patch", "delete"),
        _("If-Match names a version other than the stored one."),
    ),
    "429": (lambda method, path, secured, parameters: True, _("Too many requests (or logins); Retry-After says when to try again.")),
}
ERROR_DESCRIPTION = _('{"detail": "…"} or, for invalid input, the fields with their messages: {"field": ["…"]}.')
_ID_PARAMETER = re.compile(r"^(id|.+_id)$")


def document_errors(result, generator, request, public):
    """Document the error answers of every operation and give id parameters their minimum of 1 (a postprocessing hook)."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = {
        "type": "object",
        "description": str(ERROR_DESCRIPTION),
        "additionalProperties": {},
    }
    reference = {"$ref": "#/components/schemas/Error"}
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            # An operation anyone may call has no security requirement (or an empty one among them).
            secured = bool(operation.get("security")) and {} not in operation["security"]
            responses = operation.setdefault("responses", {})
            parameters = {parameter["name"] for parameter in operation.get("parameters", ())}
            for status, (applies, description) in ERROR_STATUSES.items():
                if status not in responses and applies(method, path, secured, parameters):
                    responses[status] = {"content": {"application/json": {"schema": reference}}, "description": str(description)}
            for parameter in operation.get("parameters", ()):
                schema = parameter.get("schema", {})
                schema = schema.get("items", schema) if schema.get("type") == "array" else schema
                if schema.get("type") == "integer" and _ID_PARAMETER.match(parameter["name"]):
                    schema["minimum"] = 1
    return result


class AutoSchema(openapi.AutoSchema):
    """The project's schema: a serializer's Meta.required_one_of (sets of fields of which one is needed) is stated as anyOf."""

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        groups = getattr(getattr(serializer, "Meta", None), "required_one_of", ())
        if direction == "request" and groups and not is_patched_serializer(serializer, direction):
            schema["allOf"] = [{"anyOf": [{"required": [name]} for name in group]} for group in groups]
        return schema

"""POST /api/v1/ingest/: the ingest engine behind the API, answering as `manage.py ingest --format json` does."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from partnerships.choices import ArticleFormatChoices
from partnerships.ingest import ArticleError, article_text
from partnerships.models import SourceDocument
from partnerships.services import IngestError, ingest_analyse, ingest_save
from partnerships.validators import validate_uri


class IngestRequestSerializer(serializers.Serializer):
    text = serializers.CharField(
        trim_whitespace=False,
        help_text=_("The article's text, kept as sent unless format is html; at most 1,000,000 bytes as UTF-8."),
    )
    format = serializers.ChoiceField(
        choices=ArticleFormatChoices.choices,
        default=ArticleFormatChoices.TEXT,
        help_text=_("text: every character kept as sent, markup included; html: an HTML page, reduced to its text."),
    )
    url = serializers.URLField(
        required=False,
        allow_blank=True,
        max_length=500,
        default="",
        validators=[validate_uri],
        help_text=_("Where the article was published."),
    )
    published = serializers.DateField(
        required=False, allow_null=True, default=None, help_text=_("Publication date; dates without a year resolve against it.")
    )
    publisher = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        default="",
        help_text=_("Who published it; 学院, 我校 and 我院 in the text resolve to it."),
    )
    dry_run = serializers.BooleanField(
        required=False, default=False, help_text=_("Propose only and change nothing; otherwise save as `manage.py ingest` does.")
    )

    def validate(self, attrs: dict) -> dict:
        try:
            data = attrs["text"].encode("utf-8")
        except UnicodeEncodeError as error:
            raise serializers.ValidationError({"text": [gettext("The text is not valid Unicode.")]}) from error
        try:
            attrs["text"] = article_text(data, name=gettext("The text"), format=attrs["format"])
        except ArticleError as error:
            raise serializers.ValidationError({"text": [str(error)]}) from error
        return attrs


class IngestPartySerializer(serializers.Serializer):
    name = serializers.CharField()
    quote = serializers.CharField()
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    match = serializers.IntegerField(allow_null=True)
    signatory = serializers.CharField(allow_null=True, required=False)


class IngestProposalSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text=_("institution, person, post, event, agreement, project, …"))
    name = serializers.CharField(help_text=_("As it would be recorded: the full name where the text gives a short form."))
    quote = serializers.CharField(help_text=_("Copied from the text as written: text[start:end] == quote."))
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    match = serializers.IntegerField(allow_null=True, help_text=_("The id of the existing record it matches, or null."))
    parties = IngestPartySerializer(many=True, required=False, help_text=_("Agreements only."))
    signatories = serializers.ListField(child=serializers.CharField(), required=False, help_text=_("Agreements only."))
    signed_earliest = serializers.DateField(allow_null=True, required=False)
    signed_latest = serializers.DateField(allow_null=True, required=False)
    signed_basis = serializers.CharField(
        allow_null=True,
        required=False,
        help_text=_("What the signing date rests on: text, header, relative, publication, url, or null."),
    )


class IngestSourceSerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.CharField(allow_blank=True)
    publisher = serializers.CharField(allow_blank=True)
    published_on = serializers.DateField(allow_null=True)
    language = serializers.CharField()
    checksum = serializers.CharField()
    length = serializers.IntegerField()
    duplicate_of = serializers.IntegerField(allow_null=True, help_text=_("The stored source document with this very text, if any."))


class IngestResponseSerializer(serializers.Serializer):
    # DRF's metaclass takes declared fields off the class: this `source` overrides no Field attribute.
    source = IngestSourceSerializer()  # type: ignore[assignment]
    proposals = IngestProposalSerializer(many=True)
    saved = serializers.DictField(
        child=serializers.IntegerField(), required=False, help_text=_("What was stored, by kind (absent in a dry run).")
    )


class IngestView(APIView):
    """Propose the records an article states, each with its quote and offsets; save them unless dry_run."""

    # RolePermission reads the model from the queryset: posting needs the add permission on sources (editors).
    queryset = SourceDocument.objects.none()

    @extend_schema(
        request=IngestRequestSerializer,
        responses={
            200: OpenApiResponse(IngestResponseSerializer, description=_("A dry run: the proposals; nothing was stored.")),
            201: OpenApiResponse(IngestResponseSerializer, description=_("Saved: the proposals and what was stored.")),
        },
        summary=_("Ingest an article"),
        description=_(
            "The engine of `manage.py ingest`: the same JSON as `--dry-run --format json`. Without dry_run the source "
            "and every proposal are stored with citations in one transaction (history reason “ingest”); a text already "
            "stored is a 400 naming the stored source."
        ),
    )
    def post(self, request):
        query = IngestRequestSerializer(data=request.data)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        try:
            result = ingest_analyse(
                text=data["text"], url=data["url"], published=data["published"], publisher=data["publisher"].strip() or None
            )
            if data["dry_run"]:
                return Response(result.as_json())
            result.saved = ingest_save(text=data["text"], result=result)
        except IngestError as error:
            raise serializers.ValidationError({"text": [str(error)]}) from error
        return Response(result.as_json(), status=status.HTTP_201_CREATED)

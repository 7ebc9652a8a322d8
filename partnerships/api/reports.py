"""The annual cooperation report over the API: JSON with each cell's citations, CSV, or a workbook with its sources."""

from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from partnerships import reports
from partnerships.api.renderers import CSVRenderer, FastJSONRenderer, TableRenderer, XLSXRenderer, csv_text, xlsx_file
from partnerships.api.views import JSONErrorsMixin, validated_query
from partnerships.models import Agreement, Institution, Region
from partnerships.models.regions import subtree_ids
from partnerships.parsing import REGION_CODE, parse_id


class ReportQuerySerializer(serializers.Serializer):
    institution = serializers.CharField(required=False, help_text=_("Institution id: the school."))
    region = serializers.CharField(
        required=False, help_text=_("Region id or six-digit code: the schools of the region and of every region below it.")
    )
    year = serializers.IntegerField(min_value=1900, max_value=2100, help_text=_("The year reported on."))

    def validate_institution(self, value):
        number = parse_id(value)
        institution = Institution.objects.filter(pk=number).only("pk", "name").first() if number else None
        if institution is None:
            raise serializers.ValidationError(_("No institution has this id."))
        return institution

    def validate_region(self, value):
        if REGION_CODE.match(value):
            region = Region.objects.filter(code=value).first()
        else:
            number = parse_id(value)
            region = Region.objects.filter(pk=number).first() if number else None
        if region is None:
            raise serializers.ValidationError(_("No region has this id or code."))
        return region

    def validate(self, data):
        if ("institution" in data) == ("region" in data):
            message = _("Give either an institution or a region.")
            raise serializers.ValidationError({"institution": [message], "region": [message]})
        return data


class CitationOutSerializer(serializers.Serializer):
    source = serializers.IntegerField(help_text=_("Source document id."))  # type: ignore[assignment]  # see CitationSerializer.source
    title = serializers.CharField()
    quote = serializers.CharField()


class ReportCellSerializer(serializers.Serializer):
    value = serializers.JSONField(help_text=_("A number, or a text for the name, code and month (YYYY-MM)."))
    approximate = serializers.BooleanField(help_text=_("A source says 约, 余 or 多 of a figure summed here."))
    citations = CitationOutSerializer(many=True)


class ReportColumnSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField(help_text=_("In the language of the request."))  # type: ignore[assignment]  # a field named label, as the report's JSON has it
    label_zh = serializers.CharField(help_text=_("In Chinese, as the reporting platform names it."))


class ReportRowSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField(help_text=_("Institution id of the enterprise."))
    cells = serializers.DictField(
        child=ReportCellSerializer(allow_null=True), help_text=_("Keyed by column; null where no record states the figure.")
    )


class CooperationReportSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    institution = serializers.DictField(allow_null=True)
    region = serializers.DictField(allow_null=True)
    columns = ReportColumnSerializer(many=True)
    rows = ReportRowSerializer(many=True)


class CooperationReportView(JSONErrorsMixin, APIView):
    """The annual cooperation report of a school, or of a region's schools, for one year."""

    # Who may read agreements may read the report built from them.
    queryset = Agreement.objects.none()
    renderer_classes = [FastJSONRenderer, CSVRenderer, XLSXRenderer]

    @extend_schema(
        summary=_("Annual cooperation report (校企合作)"),
        description=_(
            "One row per partner enterprise with an agreement signed in the year or in force in it. A cell is "
            "filled only from records that state the figure, with their citations; otherwise it is null. "
            "`format=csv` gives the table; `format=xlsx` a workbook whose second sheet lists the source and "
            "quote behind every cell."
        ),
        parameters=[
            ReportQuerySerializer,
            OpenApiParameter("format", str, enum=["json", "csv", "xlsx"], description=_("Output format.")),
        ],
        responses=CooperationReportSerializer,
    )
    def get(self, request):
        query = validated_query(ReportQuerySerializer, request)
        if "institution" in query:
            institution = query["institution"]
            schools: list[int] | QuerySet = [institution.pk]
            about = {"institution": {"id": institution.pk, "name": institution.name}, "region": None}
            filename = f"cooperation-{institution.pk}-{query['year']}"
        else:
            region = query["region"]
            schools = reports.region_schools(subtree_ids(region))
            about = {"institution": None, "region": {"id": region.pk, "code": region.code, "name": region.name}}
            filename = f"cooperation-{region.code}-{query['year']}"
        report = {**about, **reports.cooperation_report(schools=schools, year=query["year"])}
        renderer = request.accepted_renderer
        if isinstance(renderer, CSVRenderer):
            response = HttpResponse("".join(csv_text(*reports.table(report))), content_type="text/csv; charset=utf-8")
            return renderer.attach(response, filename)
        if isinstance(renderer, XLSXRenderer):
            file = xlsx_file(
                *reports.table(report), sheets=[(str(_("Sources")), *reports.sources_table(report))], title=str(_("Report"))
            )
            return renderer.attach(FileResponse(file, content_type=renderer.media_type), filename)
        assert not isinstance(renderer, TableRenderer)
        return Response(report)

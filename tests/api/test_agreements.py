import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnerships.api import copy_export, exports
from partnerships.models import Agreement, AgreementParty, Region
from tests import factories
from tests.api.base import APITestCase, client_for, detail_url, list_url
from tests.factories import agreement_with_everything


class TestAgreementAPI(APITestCase):
    basename = "agreement"
    model = Agreement
    factory = factories.AgreementFactory
    list_queries = 8

    def make(self):
        return agreement_with_everything()

    def create_data(self):
        return {
            "title": "学大教育集团与赣州师范高等专科学校合作协议",
            "status": "signed",
            "signed_earliest": "2023-11-28",
            "signed_latest": "2023-11-29",
            "signed_precision": "range",
            "region": "360700",
            "project_types": [factories.ProjectTypeFactory().pk],
            "parties": [
                {"institution": factories.InstitutionFactory().pk, "role": "lead", "signatory": factories.PersonFactory().pk},
                {"institution": factories.InstitutionFactory().pk},
            ],
        }

    def update_data(self):
        return {"title": "战略合作框架协议", "status": "in_progress"}


class TestAgreementItems:
    def test_an_item_carries_parties_region_path_project_types_and_citations(self, db):
        agreement = agreement_with_everything()
        item = client_for(factories.analyst()).get(list_url("agreement")).data["results"][0]
        assert [level["code"] for level in item["region"]["path"]] == ["360000", "360700", "360783"]
        assert [level["name"] for level in item["region"]["path"]] == ["江西省", "赣州市", "龙南市"]
        lead = next(party for party in item["parties"] if party["role"] == "lead")
        party = agreement.parties.get(role="lead")
        assert lead["institution"] == {"id": party.institution.pk, "name": party.institution.name, "kind": party.institution.kind}
        assert lead["signatory"] == {"id": party.signatory.pk, "name": party.signatory.name}
        assert {term["code"] for term in item["project_types"]} == set(agreement.project_types.values_list("code", flat=True))
        citation = agreement.citations.get()
        assert item["citations"] == [
            {
                "source": {"id": citation.source.pk, "key": citation.source.key, "title": citation.source.title},
                "quote": citation.quote,
                "position": citation.position,
            }
        ]
        assert (item["signed_earliest"], item["signed_latest"], item["signed_precision"]) == ("2023-11-28", "2023-11-29", "range")

    def test_an_editor_creates_an_agreement_with_its_parties_in_one_request(self, db):
        data = TestAgreementAPI().create_data()
        response = client_for(factories.editor()).post(list_url("agreement"), data, format="json")
        assert response.status_code == 201, response.data
        agreement = Agreement.objects.get(pk=response.data["id"])
        assert agreement.region.code == "360700"
        assert sorted(agreement.parties.values_list("institution", flat=True)) == sorted(p["institution"] for p in data["parties"])
        assert agreement.history.first().history_user.groups.filter(name="editor").exists()

    def test_replacing_parties_keeps_the_parties_still_listed(self, db):
        agreement = agreement_with_everything()
        kept = agreement.parties.get(role="lead")
        new = factories.InstitutionFactory()
        response = client_for(factories.editor()).patch(
            detail_url("agreement", agreement.pk),
            {"parties": [{"institution": kept.institution_id, "role": "lead"}, {"institution": new.pk, "role": "broker"}]},
            format="json",
        )
        assert response.status_code == 200, response.data
        assert set(agreement.parties.values_list("institution", flat=True)) == {kept.institution_id, new.pk}
        assert AgreementParty.objects.filter(pk=kept.pk).exists()

    def test_a_party_listed_twice_is_a_400(self, db):
        institution = factories.InstitutionFactory()
        data = {**TestAgreementAPI().create_data(), "parties": [{"institution": institution.pk}, {"institution": institution.pk}]}
        response = client_for(factories.editor()).post(list_url("agreement"), data, format="json")
        assert response.status_code == 400
        assert "parties" in response.data
        assert not Agreement.objects.exists()

    def test_signing_bounds_in_the_wrong_order_are_a_400_and_nothing_is_saved(self, db):
        data = {**TestAgreementAPI().create_data(), "signed_earliest": "2023-12-01", "signed_latest": "2023-11-01"}
        response = client_for(factories.editor()).post(list_url("agreement"), data, format="json")
        assert response.status_code == 400
        assert "signed_latest" in response.data
        assert not Agreement.objects.exists()

    def test_an_unknown_party_institution_is_a_400_naming_the_field(self, db):
        data = {**TestAgreementAPI().create_data(), "parties": [{"institution": 10**9}]}
        response = client_for(factories.editor()).post(list_url("agreement"), data, format="json")
        assert response.status_code == 400
        assert "institution" in response.data["parties"][0]

    def test_an_unknown_region_code_in_a_body_is_a_400(self, db):
        data = {**TestAgreementAPI().create_data(), "region": "999999"}
        response = client_for(factories.editor()).post(list_url("agreement"), data, format="json")
        assert response.status_code == 400
        assert "region" in response.data


class TestAgreementStats:
    def test_counts_per_status_with_the_list_filters(self, db):
        factories.AgreementFactory.create_batch(2, status="signed", region=Region.objects.get(code="360783"))
        factories.AgreementFactory(status="intent", region=Region.objects.get(code="360783"))
        factories.AgreementFactory(status="intent", region=Region.objects.get(code="110101"))
        response = client_for(factories.analyst()).get(list_url("agreement") + "stats/", {"group_by": "status", "region": "360700"})
        assert response.status_code == 200
        assert response.data["total"] == 3
        assert [(row["key"], row["count"]) for row in response.data["results"]] == [("signed", 2), ("intent", 1)]

    def test_counts_per_region_name_each_region_and_count_those_without_one(self, db, django_assert_num_queries):
        factories.AgreementFactory.create_batch(2, region=Region.objects.get(code="360783"))
        factories.AgreementFactory(region=Region.objects.get(code="110101"))
        factories.AgreementFactory(region=None)
        client = client_for(factories.analyst())
        client.get(list_url("agreement"))  # the analyst's token and permissions, cached before counting
        # Counted per region id, then the regions named: no count of the total, which the groups add up to.
        with django_assert_num_queries(2):
            response = client.get(list_url("agreement") + "stats/", {"group_by": "region"})
        assert response.status_code == 200
        assert response.data["total"] == 4
        assert [(row["key"], row["label"], row["count"]) for row in response.data["results"]] == [
            ("360783", "龙南市", 2), ("110101", "东城区", 1), (None, "none", 1),
        ]

    def test_counts_per_project_type_count_those_without_one_filtered_or_not(self, db, django_assert_num_queries):
        college, base = factories.ProjectTypeFactory(code="industry-college"), factories.ProjectTypeFactory(code="training-base")
        longnan, dongcheng = Region.objects.get(code="360783"), Region.objects.get(code="110101")
        factories.AgreementFactory(region=longnan, project_types=[college, base])
        factories.AgreementFactory(region=longnan, project_types=[college])
        factories.AgreementFactory(region=longnan)
        factories.AgreementFactory(region=dongcheng, project_types=[base])
        factories.AgreementFactory(region=dongcheng)
        client = client_for(factories.analyst())

        def counts(**filters):
            data = client.get(list_url("agreement") + "stats/", {"group_by": "project_type", **filters}).data
            return data["total"], [(row["key"], row["count"]) for row in data["results"]]

        assert counts() == (5, [("industry-college", 2), ("training-base", 2), (None, 2)])
        assert counts(region="360700") == (3, [("industry-college", 2), ("training-base", 1), (None, 1)])
        # Whatever the number of agreements: the counts per type (the rollup's rows over every
        # agreement), the types named, the total and those without a type; and the region named by its code.
        for filters, queries in (({}, 4), ({"region": "360700"}, 5)):
            with django_assert_num_queries(queries):
                counts(**filters)

    def test_counts_per_region_project_type_party_kind_and_month(self, db):
        agreement_with_everything()
        agreement_with_everything(signed_earliest=datetime.date(2023, 1, 1), signed_latest=datetime.date(2023, 12, 31), signed_precision="year")
        client = client_for(factories.analyst())
        stats = {group: client.get(list_url("agreement") + "stats/", {"group_by": group}).data for group in
                 ("region", "project_type", "party_kind", "month")}
        assert [(row["key"], row["count"]) for row in stats["region"]["results"]] == [("360783", 2)]
        assert len(stats["project_type"]["results"]) == 4
        assert [(row["key"], row["count"]) for row in stats["party_kind"]["results"]] == [("higher_vocational_college", 2)]
        assert [(row["key"], row["count"]) for row in stats["month"]["results"]] == [("2023-11", 1), (None, 1)]

    def test_months_are_labelled_yyyy_mm_with_the_year_zero_padded(self, db):
        for year, month in ((1, 1), (9999, 12)):
            factories.AgreementFactory(
                signed_earliest=datetime.date(year, month, 1), signed_latest=datetime.date(year, month, 28), signed_precision="month"
            )
        stats = client_for(factories.analyst()).get(list_url("agreement") + "stats/", {"group_by": "month"}).json()
        assert sorted(row["key"] for row in stats["results"]) == ["0001-01", "9999-12"]

    def test_stats_render_in_the_browsable_api(self, db):
        response = client_for(factories.analyst()).get(list_url("agreement") + "stats/", {"group_by": "month", "format": "api"})
        assert response.status_code == 200

    def test_an_unknown_grouping_is_a_400(self, db):
        response = client_for(factories.analyst()).get(list_url("agreement") + "stats/", {"group_by": "colour"})
        assert response.status_code == 400
        assert "group_by" in response.data

    def test_stats_can_be_exported_as_csv(self, db):
        factories.AgreementFactory()
        response = client_for(factories.analyst()).get(list_url("agreement") + "stats/", {"group_by": "status", "format": "csv"})
        assert response.status_code == 200
        assert response.content.decode("utf-8-sig").splitlines() == ["Key,Label,Count", "signed,signed,1"]


class TestAgreementCSV:
    def test_the_export_reads_rows_chunk_by_chunk(self, db, monkeypatch):
        monkeypatch.setattr(exports, "EXPORT_CHUNK_SIZE", 2)
        # The export read in Python, as on SQLite (PostgreSQL's COPY writes the whole CSV in one statement).
        monkeypatch.setattr(copy_export, "copy_chunks", lambda queryset, serializer: None)
        for _ in range(5):
            agreement_with_everything()
        client = client_for(factories.analyst())
        with CaptureQueriesContext(connection) as queries:
            response = client.get(list_url("agreement"), {"format": "csv"})
            lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
        assert len(lines) == 1 + 5
        # Related rows are fetched once per chunk of 2, never for all rows at once.
        assert sum("agreementcitation" in query["sql"] for query in queries.captured_queries) == 3

    def test_the_export_takes_the_list_filters_and_names_parties_and_region_path(self, db):
        agreement_with_everything(title="赣州合作协议")
        factories.AgreementFactory(title="北京合作协议")
        response = client_for(factories.analyst()).get(list_url("agreement"), {"format": "csv", "region": "360700"})
        lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
        assert len(lines) == 2
        assert "赣州合作协议" in lines[1]
        assert "江西省 / 赣州市 / 龙南市" in lines[1]
        assert response["Content-Disposition"] == 'attachment; filename="agreements.csv"'

"""The network around an institution or a region: nodes, weighted edges, depth, date range, cap."""

import datetime

import pytest
from django.urls import reverse

from tests import factories
from tests.api.base import client_for


def network_url(institution) -> str:
    return reverse("api:institution-network", kwargs={"pk": institution.pk})


def agreement_between(*institutions, signed: datetime.date = datetime.date(2023, 11, 28)):
    agreement = factories.AgreementFactory(signed_earliest=signed, signed_latest=signed, signed_precision="day")
    for institution in institutions:
        factories.AgreementPartyFactory(agreement=agreement, institution=institution)
    return agreement


@pytest.mark.django_db
class TestInstitutionNetwork:
    @pytest.fixture
    def graph(self):
        """A group with two agreements with a school, one with a company (the school a third party), a 2023 one apart."""
        group = factories.InstitutionFactory(name="学大教育集团", kind="education_group")
        school = factories.InstitutionFactory(name="赣州师范高等专科学校", region=factories.RegionFactory(code="360702"))
        company = factories.InstitutionFactory(name="赣州某科技有限公司", kind="enterprise")
        far = factories.InstitutionFactory(name="远方职业学院")
        first = agreement_between(group, school, signed=datetime.date(2021, 5, 1))
        second = agreement_between(group, school, company, signed=datetime.date(2023, 11, 28))
        third = agreement_between(school, far, signed=datetime.date(2022, 3, 1))
        return {"group": group, "school": school, "company": company, "far": far, "agreements": (first, second, third)}

    def test_depth_one_holds_the_partners_and_the_agreements_between_them(self, graph):
        response = client_for(factories.analyst()).get(network_url(graph["group"]))
        assert response.status_code == 200
        group, school, company = graph["group"], graph["school"], graph["company"]
        first, second, _ = graph["agreements"]
        nodes = {node["id"]: node for node in response.json()["nodes"]}
        assert list(nodes) == [group.pk, school.pk, company.pk]
        assert nodes[school.pk] == {
            "id": school.pk, "name": "赣州师范高等专科学校", "kind": "higher_vocational_college", "region": "360702",
            "agreements": 3,
        }
        assert nodes[group.pk]["region"] is None
        edges = {(edge["source"], edge["target"]): edge for edge in response.json()["edges"]}
        pair = tuple(sorted((group.pk, school.pk)))
        assert edges[pair]["agreements"] == 2
        assert edges[pair]["ids"] == sorted([first.pk, second.pk], reverse=True)
        assert edges[tuple(sorted((school.pk, company.pk)))]["agreements"] == 1
        assert len(edges) == 3
        assert response.json()["truncated"] is False

    def test_depth_two_adds_the_partners_partners(self, graph):
        response = client_for(factories.analyst()).get(network_url(graph["group"]), {"depth": 2})
        ids = [node["id"] for node in response.json()["nodes"]]
        assert ids[-1] == graph["far"].pk
        assert len(ids) == 4

    def test_a_signing_range_keeps_only_the_agreements_in_it(self, graph):
        response = client_for(factories.analyst()).get(
            network_url(graph["group"]), {"signed_after": "2023-01-01", "signed_before": "2023-12-31", "depth": 2}
        )
        nodes = {node["id"]: node["agreements"] for node in response.json()["nodes"]}
        assert nodes == {graph["group"].pk: 1, graph["school"].pk: 1, graph["company"].pk: 1}
        assert {edge["agreements"] for edge in response.json()["edges"]} == {1}

    def test_the_limit_keeps_the_closest_partners_and_says_it_cut(self, graph):
        response = client_for(factories.analyst()).get(network_url(graph["group"]), {"limit": 2})
        body = response.json()
        assert [node["id"] for node in body["nodes"]] == [graph["group"].pk, graph["school"].pk]
        assert body["truncated"] is True
        assert len(body["edges"]) == 1

    @pytest.mark.parametrize(
        "params, field",
        [
            ({"depth": 3}, "depth"),
            ({"depth": "x"}, "depth"),
            ({"limit": 1001}, "limit"),
            ({"limit": 0}, "limit"),
            ({"signed_after": "2023-13-01"}, "signed_after"),
            ({"signed_before": "soon"}, "signed_before"),
            ({"colour": "red"}, "colour"),
        ],
    )
    def test_a_bad_parameter_is_a_400_naming_it(self, graph, params, field):
        response = client_for(factories.analyst()).get(network_url(graph["group"]), params)
        assert response.status_code == 400
        assert field in response.json()

    def test_an_unknown_institution_is_a_404(self):
        client = client_for(factories.analyst())
        assert client.get(reverse("api:institution-network", kwargs={"pk": 999999})).status_code == 404
        assert client.get(reverse("api:institution-network", kwargs={"pk": "abc"})).status_code == 404

    def test_reading_it_takes_the_read_role(self, graph):
        assert client_for(None).get(network_url(graph["group"])).status_code == 401
        assert client_for(factories.UserFactory()).get(network_url(graph["group"])).status_code == 403

    def test_its_query_count_does_not_grow_with_the_network(self, graph, django_assert_num_queries):
        client = client_for(factories.analyst())
        client.get(network_url(graph["group"]))  # warms the token and permission caches
        for _ in range(20):
            agreement_between(graph["group"], factories.InstitutionFactory(), factories.InstitutionFactory())
        # existence, one ring of partners per depth, nodes' counts, nodes, edges (the token is cached)
        with django_assert_num_queries(6):
            assert client.get(network_url(graph["group"]), {"depth": 2}).status_code == 200
        with django_assert_num_queries(5):
            assert client.get(network_url(graph["group"])).status_code == 200


@pytest.mark.django_db
class TestRegionNetwork:
    def test_a_region_by_code_holds_its_institutions_and_their_partners(self):
        from partnerships.models import Region

        ganzhou, county = Region.objects.get(code="360700"), Region.objects.get(code="360783")
        school = factories.InstitutionFactory(region=county)
        group = factories.InstitutionFactory(kind="education_group")
        agreement_between(school, group)
        factories.InstitutionFactory(region=ganzhou)  # no agreements: no node
        client = client_for(factories.analyst())
        for key in ("360700", ganzhou.pk):
            response = client.get(reverse("api:region-network", kwargs={"pk": key}))
            assert response.status_code == 200
            assert [node["id"] for node in response.json()["nodes"]] == [school.pk, group.pk]
            assert response.json()["edges"][0]["agreements"] == 1

    def test_an_unknown_region_is_a_404(self):
        assert client_for(factories.analyst()).get(reverse("api:region-network", kwargs={"pk": "999999"})).status_code == 404

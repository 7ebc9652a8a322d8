"""Bad input of any kind gets a 400 naming what was wrong (or a 409), changes nothing, and never a 500."""

import pytest
from django.urls import reverse

from partnerships import filtersets
from partnerships.api.urls import router
from tests import factories
from tests.api.base import client_for, detail_url, list_url

BAD_AGREEMENT_FILTERS = [
    ("party", "abc"),
    ("party", "-1"),
    ("party", "9" * 30),
    ("party_kind", "school"),
    ("region", "999999"),
    ("region", "赣州"),
    ("region", "123456789"),
    ("project_type", "no-such-type"),
    ("industry", "no-such-industry"),
    ("status", "done"),
    ("kind", "contract"),
    ("signed_precision", "week"),
    ("signed_after", "2023-13-01"),
    ("signed_before", "yesterday"),
    ("signatory", "someone"),
    ("source", "1.5"),
    ("event_id", "x"),
    ("id", "x"),
    ("created_after", "not-a-date"),
    ("ordering", "colour"),
    ("ordering", "signed,-nothing"),
    ("q", "赣州\x00"),
    ("limit", "ten"),
    ("limit", "0"),
    ("offset", "-1"),
    ("limit", "１"),
    ("limit", "1.0"),
    ("offset", "٣"),
    ("count", "roughly"),
    ("cited", "perhaps"),
    ("active_on", "2024-02-30"),
    ("stauts", "signed"),
    ("updated_before", ""),
    ("created_after", ""),
    ("region", ""),
    ("id", ""),
    ("cited", ""),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "value"), BAD_AGREEMENT_FILTERS)
def test_a_malformed_agreement_filter_is_a_400_naming_it(name, value):
    response = client_for(factories.analyst()).get(list_url("agreement"), {name: value})
    assert response.status_code == 400
    assert name in response.json()


@pytest.mark.django_db
def test_every_bad_parameter_is_named_at_once():
    response = client_for(factories.analyst()).get(list_url("agreement"), {"status": "done", "region": "999999", "x": "1"})
    assert response.status_code == 400
    assert set(response.data) == {"status", "region", "x"}


@pytest.mark.django_db
def test_a_bad_filter_with_csv_asked_for_is_answered_in_json():
    response = client_for(factories.analyst()).get(list_url("agreement"), {"format": "csv", "status": "done"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert "status" in response.json()


MALFORMED_VALUES = ["abc", "-1", "9" * 30, "2023-02-30", "x\x00", "１２３"]
FILTER_PARAMETERS = [
    (prefix, name)
    for prefix, viewset, _ in router.registry
    for name in viewset.filterset_class.base_filters
]


@pytest.mark.django_db
@pytest.mark.parametrize(("prefix", "name"), FILTER_PARAMETERS)
def test_no_filter_value_makes_a_server_error(prefix, name):
    client = client_for(factories.analyst())
    basename = router.get_default_basename(dict((p, v) for p, v, _ in router.registry)[prefix])
    for value in MALFORMED_VALUES:
        response = client.get(list_url(basename), {name: value})
        assert response.status_code in (200, 400), (name, value, response.status_code)
        if response.status_code == 400:
            assert name in response.json()


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", [prefix for prefix, _, _ in router.registry])
@pytest.mark.parametrize(("name", "value"), [("limit", "１"), ("offset", "٣")])
def test_every_list_reads_paging_numbers_in_ascii_digits_only(prefix, name, value):
    basename = router.get_default_basename(dict((p, v) for p, v, _ in router.registry)[prefix])
    response = client_for(factories.analyst()).get(list_url(basename), {name: value})
    assert response.status_code == 400
    assert name in response.json()


@pytest.mark.django_db
class TestMalformedBodies:
    def test_a_body_that_is_not_json_is_a_400(self):
        response = client_for(factories.editor()).post(list_url("agreement"), "{title:", content_type="application/json")
        assert response.status_code == 400

    def test_wrong_types_are_a_400_naming_each_field(self):
        body = {"title": ["not", "text"], "signed_earliest": "soon", "status": "done", "region": "abc", "project_types": "x"}
        response = client_for(factories.editor()).post(list_url("agreement"), body, format="json")
        assert response.status_code == 400
        assert set(body) <= set(response.data)

    def test_a_party_without_an_institution_is_a_400(self):
        body = {"title": "协议", "parties": [{"role": "lead"}]}
        response = client_for(factories.editor()).post(list_url("agreement"), body, format="json")
        assert response.status_code == 400
        assert "institution" in response.data["parties"][0]

    def test_a_duplicate_unique_value_is_a_400(self):
        institution = factories.InstitutionFactory()
        body = {"name": institution.name, "kind": "enterprise"}
        response = client_for(factories.editor()).post(list_url("institution"), body, format="json")
        assert response.status_code == 400
        assert "name" in response.data

    def test_an_institution_cannot_be_its_own_predecessor(self):
        institution = factories.InstitutionFactory()
        response = client_for(factories.editor()).patch(
            detail_url("institution", institution.pk), {"predecessor": institution.pk}, format="json"
        )
        assert response.status_code == 400

    def test_an_unknown_detail_id_is_a_404(self):
        client = client_for(factories.analyst())
        assert client.get(detail_url("agreement", 10**12)).status_code == 404
        assert client.get(reverse("api:agreement-list") + "abc/").status_code == 404


@pytest.mark.django_db
def test_deleting_an_institution_that_is_a_party_is_a_409_naming_the_dependents():
    party = factories.AgreementPartyFactory()
    response = client_for(factories.editor()).delete(detail_url("institution", party.institution.pk))
    assert response.status_code == 409
    assert response.data["dependents"] == [{"model": "agreement party", "count": 1, "examples": [str(party)]}]
    assert "agreement party" in response.data["detail"]


def test_every_agreement_filter_of_the_contract_exists():
    contract = {"party", "party_name", "party_kind", "region", "project_type", "industry", "status", "signed_after",
                "signed_before", "signatory", "source", "q", "ordering"}
    assert contract <= set(filtersets.AgreementFilterSet.base_filters)


def test_a_query_string_too_long_is_a_json_400_naming_it(db):
    response = client_for(factories.analyst()).get(list_url("agreement"), {"q": "赣" * 2000})
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    assert "query string is 18,002 bytes; at most 4,096" in response.json()["detail"]


def test_a_json_body_over_the_upload_limit_is_a_json_400_naming_the_limit(db, settings):
    body = '{"text": "' + "校" * (2 * 1024 * 1024) + '"}'
    response = client_for(factories.editor()).post(reverse("api:ingest"), body, content_type="application/json")
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    assert f"at most {settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,} bytes" in response.json()["detail"]

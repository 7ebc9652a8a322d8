import pytest
import yaml
from openapi_spec_validator import validate

from partnerships.filtersets import AgreementFilterSet
from tests import factories
from tests.api.base import client_for, list_url


@pytest.fixture
def schema(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


@pytest.mark.django_db
def test_the_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate(schema)


@pytest.mark.django_db
def test_the_schema_lists_every_agreement_filter_with_a_description(schema):
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/agreements/"]["get"]["parameters"]}
    for name in AgreementFilterSet.base_filters:
        assert name in parameters
        assert parameters[name].get("description"), name
    stats = {p["name"] for p in schema["paths"]["/api/v1/agreements/stats/"]["get"]["parameters"]}
    assert {"group_by", "region", "status", "signed_after"} <= stats


@pytest.mark.django_db
def test_the_schema_documents_parties_as_ids_in_and_objects_out(schema):
    components = schema["components"]["schemas"]
    assert components["AgreementPartyRequest"]["properties"]["institution"]["type"] == "integer"
    assert components["AgreementParty"]["properties"]["institution"]["$ref"].endswith("/InstitutionBrief")
    assert set(components["AgreementStats"]["properties"]) == {"group_by", "total", "results"}


@pytest.mark.django_db
def test_the_docs_page_loads_its_scripts_from_the_project(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "cdn" not in html.lower()
    assert "https://" not in html and "http://" not in html


OPERATIONS = ("get", "post", "put", "patch", "delete")


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in OPERATIONS:
                yield method, path, operation


@pytest.mark.django_db
def test_every_operation_documents_the_errors_it_can_answer(schema):
    for method, path, operation in operations(schema):
        expected = {"400", "429"}
        if operation.get("security") and {} not in operation["security"]:
            expected |= {"401", "403"}
            if method != "get":
                expected.add("409")
            if "{" in path and method in ("put", "patch", "delete"):
                expected.add("412")
        if "{" in path:
            expected.add("404")
        assert expected <= set(operation["responses"]), (method, path, sorted(operation["responses"]))
    assert schema["components"]["schemas"]["Error"]["type"] == "object"
    event = schema["paths"]["/api/v1/events/{id}/"]["patch"]["responses"]
    assert set(event) >= {"200", "400", "401", "403", "404", "409", "412", "429"}


@pytest.mark.django_db
def test_id_parameters_are_at_least_1(schema):
    seen = 0
    for _method, _path, operation in operations(schema):
        for parameter in operation.get("parameters", ()):
            if parameter["name"] == "id" or parameter["name"].endswith("_id"):
                value = parameter["schema"].get("items", parameter["schema"])
                if value.get("type") == "string":
                    continue  # a region's path names it by id or by its GB/T 2260 code
                assert value.get("minimum") == 1, parameter
                seen += 1
    assert seen > 50


@pytest.mark.django_db
def test_a_new_event_s_kind_is_required_in_the_schema_as_in_the_api(schema):
    request = schema["components"]["schemas"]["EventRequest"]
    assert {"anyOf": [{"required": ["kind"]}, {"required": ["kinds"]}]} in request["allOf"]
    assert "allOf" not in schema["components"]["schemas"]["PatchedEventRequest"]
    editor = client_for(factories.editor())
    url = list_url("event")
    assert "kind" in editor.post(url, {"title": "签约仪式"}, format="json").json()
    assert editor.post(url, {"title": "签约仪式", "kinds": ["signing_ceremony"]}, format="json").status_code == 201

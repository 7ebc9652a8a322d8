import pytest
import yaml
from openapi_spec_validator import validate

from partnerships.filtersets import AgreementFilterSet


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

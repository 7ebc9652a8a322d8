"""Each input that once made a 500 now gets the right 4xx; errors under /api/ are JSON; outages are 503."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from partnerships.api.urls import router
from tests import factories
from tests.api.base import client_for, list_url

ID_AND_CODE_FILTERS = [
    (prefix, name)
    for prefix, viewset, _ in router.registry
    for name, filter_ in viewset.filterset_class.base_filters.items()
    if name in ("id", "region", "parent", "within", "project_type", "industry", "party", "signatory", "source")
    or name.endswith("_id")
]


def basename(prefix: str) -> str:
    return router.get_default_basename(dict((p, v) for p, v, _ in router.registry)[prefix])


@pytest.mark.django_db
@pytest.mark.parametrize("value", [",", "signed,", ",title", "signed,,title"])
def test_an_ordering_with_an_empty_item_is_a_400(value):
    response = client_for(factories.analyst()).get(list_url("agreement"), {"ordering": value})
    assert response.status_code == 400
    assert "ordering" in response.json()


@pytest.mark.django_db
@pytest.mark.parametrize(("prefix", "name"), ID_AND_CODE_FILTERS)
@pytest.mark.parametrize("value", ["²", "¹²³", "١٢", "３６０７００"])
def test_an_id_or_code_in_non_ascii_digits_is_a_400(prefix, name, value):
    response = client_for(factories.analyst()).get(list_url(basename(prefix)), {name: value})
    assert response.status_code == 400, (name, value)
    assert name in response.json()


@pytest.mark.django_db
@pytest.mark.parametrize("url", [reverse("api:agreement-list"), reverse("api:token-obtain")])
def test_a_deeply_nested_json_body_is_a_400(url):
    body = "[" * 1000 + "]" * 1000
    response = client_for(factories.editor()).post(url, body, content_type="application/json")
    assert response.status_code == 400
    assert "nested" in response.json()["detail"]
    anonymous = APIClient().post(url, "[" * 100_000, content_type="application/json")
    assert anonymous.status_code in (400, 401)


@pytest.mark.django_db
def test_a_nul_byte_in_the_authorization_header_is_refused():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token \x00")
    response = client.get(list_url("agreement"))
    assert response.status_code in (400, 401)
    assert response["Content-Type"] == "application/json"


@pytest.mark.django_db
def test_a_token_in_another_alphabet_is_a_401():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token ²²²")
    assert client.get(list_url("agreement")).status_code == 401


@pytest.mark.django_db
class TestAdminNulBytes:
    def test_a_nul_byte_in_an_admin_list_filter_is_a_400(self):
        client = Client()
        client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
        response = client.get(reverse("admin:partnerships_agreement_changelist"), {"status__exact": "\x00"})
        assert response.status_code == 400

    def test_a_nul_byte_in_the_admin_autocomplete_term_is_a_400(self):
        client = Client()
        client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
        response = client.get(
            reverse("admin:autocomplete"),
            {"term": "赣\x00", "app_label": "partnerships", "model_name": "agreement", "field_name": "region"},
        )
        assert response.status_code == 400

    def test_a_nul_byte_in_a_form_field_is_a_400(self):
        client = Client()
        client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
        response = client.post(reverse("admin:partnerships_projecttype_add"), {"code": "x\x00", "name": "名"})
        assert response.status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [True, False])
def test_more_than_a_thousand_query_parameters_is_a_400(settings, debug):
    settings.DEBUG = debug
    query = "&".join(f"p{number}=1" for number in range(1500))
    response = client_for(factories.analyst()).get(f"{list_url('agreement')}?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"


@pytest.mark.django_db
class TestJSONEverywhereUnderAPI:
    def test_an_unknown_api_url_is_a_json_404(self):
        response = client_for(factories.analyst()).get("/api/v1/no-such-thing/")
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}

    def test_a_method_not_allowed_is_a_json_405(self):
        response = client_for(factories.editor()).put(list_url("agreement"), {}, format="json")
        assert response.status_code == 405
        assert "detail" in response.json()

    def test_an_unexpected_error_is_a_json_500(self):
        client = client_for(factories.analyst())
        client.raise_request_exception = False
        with mock.patch("partnerships.api.views.AgreementViewSet.list", side_effect=RuntimeError("bug")):
            response = client.get(list_url("agreement"))
        assert response.status_code == 500
        assert response.json() == {"detail": "A server error occurred."}

    def test_a_database_outage_is_a_503_with_retry_after(self):
        client = client_for(factories.analyst())
        with mock.patch.object(BaseDatabaseWrapper, "cursor", side_effect=OperationalError("connection refused")):
            response = client.get(list_url("agreement"))
        assert response.status_code == 503
        assert int(response["Retry-After"]) > 0
        assert "detail" in response.json()


@pytest.mark.django_db
def test_health_endpoints():
    client = Client()
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json() == {"status": "ok"}
    with mock.patch.object(BaseDatabaseWrapper, "cursor", side_effect=OperationalError("connection refused")):
        assert client.get("/healthz").status_code == 200
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"

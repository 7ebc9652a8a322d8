import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests import factories
from tests.api.base import list_url


@pytest.mark.django_db
class TestTokenObtain:
    def test_username_and_password_give_a_token_that_authenticates(self):
        factories.analyst(username="ana", password="s3cret-pass")
        response = APIClient().post(reverse("api:token-obtain"), {"username": "ana", "password": "s3cret-pass"}, format="json")
        assert response.status_code == 200
        assert set(response.data) == {"token"}
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {response.data['token']}")
        assert client.get(list_url("agreement")).status_code == 200

    def test_a_wrong_password_is_a_400(self):
        factories.analyst(username="ana", password="s3cret-pass")
        response = APIClient().post(reverse("api:token-obtain"), {"username": "ana", "password": "wrong"}, format="json")
        assert response.status_code == 400

    def test_a_bad_token_is_a_401(self):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION="Token nonsense")
        assert client.get(list_url("agreement")).status_code == 401

    def test_session_authentication_works_too(self):
        factories.analyst(username="ana", password="s3cret-pass")
        client = APIClient()
        assert client.login(username="ana", password="s3cret-pass")
        assert client.get(list_url("agreement")).status_code == 200

"""One base for every resource's API tests: concrete tests declare only their model and data."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests import factories


def client_for(user: User | None) -> APIClient:
    """Return a client that authenticates as the user with a token, or anonymously for None."""
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def list_url(basename: str) -> str:
    return reverse(f"api:{basename}-list")


def detail_url(basename: str, pk: int) -> str:
    return reverse(f"api:{basename}-detail", kwargs={"pk": pk})


@pytest.mark.django_db
class APITestCase:
    """Get, list, create, update and delete a resource; each also without permission (403) and anonymously (401)."""

    basename: str
    model: type
    factory: type
    # SQL queries one list page costs on a warm request, whatever its length (token, count, page,
    # prefetches; the user's permissions come from the cache).
    list_queries: int

    def create_data(self) -> dict:
        raise NotImplementedError

    def update_data(self) -> dict:
        raise NotImplementedError

    def make(self):
        """Return a record with the related records its list item shows."""
        return self.factory()

    # Reading

    def test_get_object(self):
        record = self.make()
        response = client_for(factories.analyst()).get(detail_url(self.basename, record.pk))
        assert response.status_code == 200
        assert response.data["id"] == record.pk

    def test_get_object_anonymously_is_unauthorized(self):
        record = self.make()
        assert client_for(None).get(detail_url(self.basename, record.pk)).status_code == 401

    def test_get_object_without_role_is_forbidden(self):
        record = self.make()
        assert client_for(factories.UserFactory()).get(detail_url(self.basename, record.pk)).status_code == 403

    def test_list_objects(self):
        self.make()
        self.make()
        response = client_for(factories.analyst()).get(list_url(self.basename))
        assert response.status_code == 200
        assert list(response.data) == ["count", "count_is_estimate", "next", "previous", "results"]
        assert response.data["count"] == self.model.objects.count()
        assert response.data["count_is_estimate"] is False

    def test_list_objects_anonymously_is_unauthorized(self):
        assert client_for(None).get(list_url(self.basename)).status_code == 401

    def test_list_objects_as_csv_streams_readable_columns(self):
        self.make()
        response = client_for(factories.analyst()).get(list_url(self.basename), {"format": "csv"})
        assert response.status_code == 200
        assert response.streaming
        lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
        assert lines[0].startswith("ID,")
        assert len(lines) == 1 + self.model.objects.count()

    def test_the_browsable_api_renders_the_list_with_its_forms(self):
        self.make()
        response = client_for(factories.editor()).get(list_url(self.basename), {"format": "api"})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")

    def test_list_page_costs_a_fixed_number_of_queries(self, django_assert_num_queries):
        client = client_for(factories.analyst())
        for _ in range(3):
            self.make()
        client.get(list_url(self.basename), {"limit": 1})  # warms the cache of the user's permissions
        with django_assert_num_queries(self.list_queries):
            response = client.get(list_url(self.basename), {"limit": 2})
        assert response.data["next"] is not None
        for _ in range(18):
            self.make()
        with django_assert_num_queries(self.list_queries):
            response = client.get(list_url(self.basename), {"limit": 20})
        assert len(response.data["results"]) == 20
        assert response.data["next"] is not None

    def test_a_page_that_reaches_the_end_of_the_list_needs_no_count_query(self, django_assert_num_queries):
        client = client_for(factories.analyst())
        for _ in range(3):
            self.make()
        total = self.model.objects.count()
        client.get(list_url(self.basename), {"limit": 1})  # warms the cache of the user's permissions
        # The last page's rows tell the count exactly, one query fewer than a page with more after it.
        with django_assert_num_queries(self.list_queries - 1):
            response = client.get(list_url(self.basename), {"limit": 3, "offset": total - 2})
        assert (response.data["count"], response.data["count_is_estimate"]) == (total, False)
        assert len(response.data["results"]) == 2
        assert response.data["next"] is None
        # Past the end there is no row to count from: the count query answers.
        response = client.get(list_url(self.basename), {"limit": 3, "offset": total + 5})
        assert (response.data["count"], response.data["results"]) == (total, [])

    # Writing

    def test_create_object(self):
        count = self.model.objects.count()
        response = client_for(factories.editor()).post(list_url(self.basename), self.create_data(), format="json")
        assert response.status_code == 201, response.data
        assert self.model.objects.count() == count + 1
        assert self.model.objects.filter(pk=response.data["id"]).exists()

    def test_create_object_without_permission_is_forbidden(self):
        count = self.model.objects.count()
        response = client_for(factories.analyst()).post(list_url(self.basename), self.create_data(), format="json")
        assert response.status_code == 403
        assert self.model.objects.count() == count

    def test_create_object_anonymously_is_unauthorized(self):
        response = client_for(None).post(list_url(self.basename), self.create_data(), format="json")
        assert response.status_code == 401

    def test_create_object_with_an_empty_body_names_the_missing_fields(self):
        response = client_for(factories.editor()).post(list_url(self.basename), {}, format="json")
        assert response.status_code == 400
        assert set(response.data) <= {field.name for field in self.model._meta.get_fields()} | {"non_field_errors"}

    def test_update_object(self):
        record = self.make()
        data = self.update_data()
        response = client_for(factories.editor()).patch(detail_url(self.basename, record.pk), data, format="json")
        assert response.status_code == 200, response.data
        record.refresh_from_db()
        for name, value in data.items():
            if not isinstance(value, (list, dict)):
                assert str(getattr(record, name)) == str(value)

    def test_update_object_without_permission_is_forbidden(self):
        record = self.make()
        response = client_for(factories.analyst()).patch(detail_url(self.basename, record.pk), self.update_data(), format="json")
        assert response.status_code == 403

    def test_delete_object(self):
        record = self.factory()
        response = client_for(factories.editor()).delete(detail_url(self.basename, record.pk))
        assert response.status_code == 204
        assert not self.model.objects.filter(pk=record.pk).exists()

    def test_delete_object_without_permission_is_forbidden(self):
        record = self.factory()
        assert client_for(factories.analyst()).delete(detail_url(self.basename, record.pk)).status_code == 403
        assert self.model.objects.filter(pk=record.pk).exists()

    def test_delete_object_anonymously_is_unauthorized(self):
        record = self.factory()
        assert client_for(None).delete(detail_url(self.basename, record.pk)).status_code == 401

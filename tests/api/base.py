"""API tests as building blocks: a mixin per capability, each with the permission cases it implies.

A concrete test declares its resource (basename, model, factory, data) and takes the mixins of
what the resource offers, as NetBox's APIViewTestCases do: APITestCase for a resource that does
everything, GetObjectTests + ListObjectsTests + ReadOnlyTests for one that can only be read.
"""

import csv
import io

import pytest
from django.contrib.auth.models import User
from django.db import models
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


def csv_rows(response) -> list[list[str]]:
    """Return the rows of a streamed CSV response."""
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def list_url(basename: str) -> str:
    return reverse(f"api:{basename}-list")


def detail_url(basename: str, pk: int) -> str:
    return reverse(f"api:{basename}-detail", kwargs={"pk": pk})


def stored_value_shown(field: models.Field, shown):
    """Return what the API shows for a field as the value the database stores (a related record by its id)."""
    if field.is_relation:
        return shown["id"] if isinstance(shown, dict) else shown
    if shown is None:
        return None
    return field.to_python(shown)


def assert_shows_what_is_stored(data: dict, record: models.Model) -> None:
    """Assert that every stored field the response shows holds the stored value."""
    record.refresh_from_db()
    shown = [field for field in record._meta.concrete_fields if field.name in data]
    assert len(shown) > 1, f"the response shows no field of {record._meta.model_name} but its id"
    for field in shown:
        assert stored_value_shown(field, data[field.name]) == getattr(record, field.attname), field.name


def assert_stores_what_was_sent(data: dict, record: models.Model) -> None:
    """Assert that every field sent as a plain value or an id is stored as sent (codes and nested rows aside)."""
    record.refresh_from_db()
    fields = {field.name: field for field in record._meta.concrete_fields}
    for name, sent in data.items():
        field = fields.get(name)
        if field is None or isinstance(sent, (list, dict)) or (field.is_relation and not isinstance(sent, int)):
            continue
        assert stored_value_shown(field, sent) == getattr(record, field.attname), name


@pytest.mark.django_db
class ResourceTests:
    """What a concrete test declares about its resource; the capability mixins below read it."""

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


class GetObjectTests(ResourceTests):
    """Read one record: every role that reads sees every stored value; no role, no record."""

    def test_get_object(self):
        record = self.make()
        response = client_for(factories.analyst()).get(detail_url(self.basename, record.pk))
        assert response.status_code == 200
        assert response.data["id"] == record.pk
        assert_shows_what_is_stored(response.data, record)

    def test_get_object_anonymously_is_unauthorized(self):
        record = self.make()
        assert client_for(None).get(detail_url(self.basename, record.pk)).status_code == 401

    def test_get_object_without_role_is_forbidden(self):
        record = self.make()
        assert client_for(factories.UserFactory()).get(detail_url(self.basename, record.pk)).status_code == 403


class ListObjectsTests(ResourceTests):
    """List records: pages with counts, CSV, the browsable API, a fixed number of queries."""

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

    def test_list_objects_without_role_is_forbidden(self):
        assert client_for(factories.UserFactory()).get(list_url(self.basename)).status_code == 403

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


class CreateObjectTests(ResourceTests):
    """Create a record as an editor, storing what was sent; an analyst is refused, an anonymous client asked who it is."""

    def test_create_object(self):
        count = self.model.objects.count()
        data = self.create_data()
        response = client_for(factories.editor()).post(list_url(self.basename), data, format="json")
        assert response.status_code == 201, response.data
        assert self.model.objects.count() == count + 1
        record = self.model.objects.get(pk=response.data["id"])
        assert_stores_what_was_sent(data, record)
        assert_shows_what_is_stored(response.data, record)

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


class UpdateObjectTests(ResourceTests):
    """Change a record as an editor; an analyst or an anonymous client changes nothing."""

    def test_update_object(self):
        record = self.make()
        data = self.update_data()
        response = client_for(factories.editor()).patch(detail_url(self.basename, record.pk), data, format="json")
        assert response.status_code == 200, response.data
        assert_stores_what_was_sent(data, record)
        assert_shows_what_is_stored(response.data, record)

    def test_update_object_without_permission_is_forbidden(self):
        record = self.make()
        response = client_for(factories.analyst()).patch(detail_url(self.basename, record.pk), self.update_data(), format="json")
        assert response.status_code == 403
        assert record.version == self.model.objects.get(pk=record.pk).version

    def test_update_object_anonymously_is_unauthorized(self):
        record = self.make()
        response = client_for(None).patch(detail_url(self.basename, record.pk), self.update_data(), format="json")
        assert response.status_code == 401
        assert record.version == self.model.objects.get(pk=record.pk).version


class DeleteObjectTests(ResourceTests):
    """Delete a record as an editor; an analyst or an anonymous client deletes nothing."""

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


class ReadOnlyTests(ResourceTests):
    """A resource that can only be read: every write is a 405, for an editor too, and changes nothing."""

    def test_creating_one_is_not_allowed_even_for_an_editor(self):
        count = self.model.objects.count()
        response = client_for(factories.editor()).post(list_url(self.basename), self.create_data(), format="json")
        assert response.status_code == 405
        assert self.model.objects.count() == count

    def test_changing_one_is_not_allowed_even_for_an_editor(self):
        record = self.make()
        client = client_for(factories.editor())
        for method in (client.put, client.patch):
            response = method(detail_url(self.basename, record.pk), self.update_data(), format="json")
            assert response.status_code == 405
        assert_shows_what_is_stored(client.get(detail_url(self.basename, record.pk)).data, record)

    def test_deleting_one_is_not_allowed_even_for_an_editor(self):
        record = self.make()
        assert client_for(factories.editor()).delete(detail_url(self.basename, record.pk)).status_code == 405
        assert self.model.objects.filter(pk=record.pk).exists()

    def test_writing_anonymously_is_unauthorized_before_anything_else(self):
        record = self.make()
        client = client_for(None)
        assert client.post(list_url(self.basename), self.create_data(), format="json").status_code == 401
        assert client.delete(detail_url(self.basename, record.pk)).status_code == 401


class APITestCase(GetObjectTests, ListObjectsTests, CreateObjectTests, UpdateObjectTests, DeleteObjectTests):
    """Every capability: get, list, create, update and delete, each with its permission cases."""

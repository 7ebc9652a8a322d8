"""Saved views: an analyst keeps filters under a name, private or shared; only the owner changes them."""

import pytest
from django.urls import reverse

from partnerships.models import SavedView
from tests import factories
from tests.api.base import client_for

LIST = reverse("api:savedview-list")


def detail(view) -> str:
    return reverse("api:savedview-detail", kwargs={"pk": view.pk})


@pytest.mark.django_db
class TestSavedViews:
    def test_an_analyst_saves_a_view_of_their_own(self):
        analyst = factories.analyst()
        response = client_for(analyst).post(
            LIST, {"name": "赣州的产业学院", "query": {"region": "360700", "project_type": ["industry-college"]}}, format="json"
        )
        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["owner"] == {"id": analyst.pk, "username": analyst.username}
        assert body["resource"] == "agreements"
        assert body["shared"] is False
        assert SavedView.objects.get(pk=body["id"]).query == {"region": "360700", "project_type": ["industry-college"]}

    def test_a_user_sees_their_own_and_the_shared_ones(self):
        me, other = factories.analyst(), factories.analyst()
        mine = SavedView.objects.create(name="我的", owner=me)
        shared = SavedView.objects.create(name="共享的", owner=other, shared=True)
        SavedView.objects.create(name="别人的", owner=other)
        client = client_for(me)
        response = client.get(LIST)
        assert response.status_code == 200
        assert sorted(row["id"] for row in response.json()["results"]) == sorted([mine.pk, shared.pk])
        assert [row["id"] for row in client.get(LIST, {"mine": "true"}).json()["results"]] == [mine.pk]
        assert [row["id"] for row in client.get(LIST, {"mine": "false"}).json()["results"]] == [shared.pk]
        assert client.get(detail(shared)).status_code == 200

    def test_only_the_owner_changes_or_deletes_a_view(self):
        owner, other = factories.analyst(), factories.editor()
        view = SavedView.objects.create(name="共享的", owner=owner, shared=True)
        assert client_for(other).patch(detail(view), {"name": "改名"}, format="json").status_code == 403
        assert client_for(other).delete(detail(view)).status_code == 403
        response = client_for(owner).patch(detail(view), {"shared": False}, format="json")
        assert response.status_code == 200, response.json()
        assert response.json()["name"] == "共享的"
        # Private now: the other user no longer finds it.
        assert client_for(other).get(detail(view)).status_code == 404
        assert client_for(owner).delete(detail(view)).status_code == 204
        assert not SavedView.objects.exists()

    @pytest.mark.parametrize(
        "body",
        [
            {"name": "x", "query": {"colour": "red"}},
            {"name": "x", "query": {"region": 360700}},
            {"name": "x", "query": ["region"]},
            {"name": "x", "query": {"q": "职业\x00学院"}},
            {"name": "x", "resource": "institutions", "query": {"party": "1"}},
        ],
    )
    def test_a_query_the_list_would_refuse_is_a_400(self, body):
        response = client_for(factories.analyst()).post(LIST, body, format="json")
        assert response.status_code == 400
        assert "query" in response.json()

    def test_a_name_is_unique_per_owner(self):
        analyst = factories.analyst()
        SavedView.objects.create(name="同名", owner=analyst)
        response = client_for(analyst).post(LIST, {"name": "同名"}, format="json")
        assert response.status_code == 400
        assert client_for(factories.analyst()).post(LIST, {"name": "同名"}, format="json").status_code == 201

    def test_it_takes_a_reading_role(self):
        assert client_for(None).get(LIST).status_code == 401
        assert client_for(factories.UserFactory()).get(LIST).status_code == 403
        assert client_for(factories.UserFactory()).post(LIST, {"name": "x"}, format="json").status_code == 403

    def test_the_admin_lists_them(self):
        from django.test import Client

        client = Client()
        client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
        SavedView.objects.create(name="管理后台可见", owner=factories.analyst())
        response = client.get(reverse("admin:partnerships_savedview_changelist"))
        assert response.status_code == 200
        assert "管理后台可见" in response.content.decode()

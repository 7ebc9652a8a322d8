"""The permission matrix: each role × each endpoint × each method gets the expected status."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnerships.models import Region
from partnerships.services import ANALYST_GROUP, EDITOR_GROUP
from tests import factories
from tests.api import (
    test_agreements,
    test_events,
    test_institutions,
    test_people,
    test_posts,
    test_project_types,
    test_regions,
    test_sources,
)
from tests.api.base import client_for, detail_url, list_url

RESOURCES = [
    test_agreements.TestAgreementAPI,
    test_institutions.TestInstitutionAPI,
    test_people.TestPersonAPI,
    test_posts.TestPostAPI,
    test_project_types.TestProjectTypeAPI,
    test_project_types.TestIndustryAPI,
    test_regions.TestRegionAPI,
    test_events.TestEventAPI,
    test_sources.TestSourceDocumentAPI,
]

ROLES = {
    "anonymous": lambda: None,
    "no role": factories.UserFactory,
    "analyst": factories.analyst,
    "editor": factories.editor,
    "superuser": lambda: factories.UserFactory(is_superuser=True),
}
READ = {"list": 200, "csv": 200, "retrieve": 200}
WRITE = {"create": 201, "update": 200, "partial_update": 200, "destroy": 204}
EXPECTED = {
    "anonymous": dict.fromkeys([*READ, *WRITE], 401),
    "no role": dict.fromkeys([*READ, *WRITE], 403),
    "analyst": {**READ, **dict.fromkeys(WRITE, 403)},
    "editor": {**READ, **WRITE},
    "superuser": {**READ, **WRITE},
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("resource", RESOURCES, ids=lambda resource: resource.basename)
def test_permission_matrix(role, resource):
    case = resource()
    client = client_for(ROLES[role]())
    record = case.factory()
    requests = {
        "list": lambda: client.get(list_url(case.basename)),
        "csv": lambda: client.get(list_url(case.basename), {"format": "csv"}),
        "retrieve": lambda: client.get(detail_url(case.basename, record.pk)),
        "create": lambda: client.post(list_url(case.basename), case.create_data(), format="json"),
        "update": lambda: client.put(detail_url(case.basename, record.pk), case.create_data(), format="json"),
        "partial_update": lambda: client.patch(detail_url(case.basename, record.pk), case.update_data(), format="json"),
        "destroy": lambda: client.delete(detail_url(case.basename, record.pk)),
    }
    statuses = {}
    for action, send in requests.items():
        response = send()
        statuses[action] = response.status_code
        if action == "create" and response.status_code == 201:
            # The update sends the same data, unique values included: free them.
            case.model.objects.get(pk=response.data["id"]).delete()
    expected = EXPECTED[role]
    if case.model is Region and role in ("editor", "superuser"):
        # Regions are read-only for everyone (load_regions keeps them).
        expected = {**expected, **dict.fromkeys(WRITE, 405)}
    assert statuses == expected


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "expected"), [("anonymous", 401), ("no role", 403), ("analyst", 200), ("editor", 200)])
def test_stats_permission(role, expected):
    response = client_for(ROLES[role]()).get(reverse("api:agreement-stats"), {"group_by": "status"})
    assert response.status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_schema_docs_and_token_endpoints_are_open_to_everyone(role):
    client = client_for(ROLES[role]())
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200
    assert client.post(reverse("api:token-obtain"), {"username": "nobody", "password": "x"}, format="json").status_code == 400


@pytest.mark.django_db
def test_a_warm_request_checks_the_role_without_a_query():
    client = client_for(factories.analyst())
    client.get(list_url("region"), {"limit": 1})
    with CaptureQueriesContext(connection) as queries:
        assert client.get(list_url("region"), {"limit": 1}).status_code == 200
    assert not [query for query in queries.captured_queries if "auth_permission" in query["sql"]]


@pytest.mark.django_db
def test_a_role_given_or_taken_away_counts_on_the_next_request():
    user = factories.analyst()
    client = client_for(user)
    # Regions are read-only for everyone, so the write goes to a vocabulary editors keep.
    data = test_project_types.TestProjectTypeAPI().create_data()
    assert client.post(list_url("projecttype"), data, format="json").status_code == 403
    user.groups.add(Group.objects.get(name=EDITOR_GROUP))
    assert client.post(list_url("projecttype"), data, format="json").status_code == 201
    user.groups.clear()
    assert client.get(list_url("projecttype")).status_code == 403


@pytest.mark.django_db
def test_a_permission_taken_from_a_group_counts_on_the_next_request():
    client = client_for(factories.analyst())
    assert client.get(list_url("region")).status_code == 200
    Group.objects.get(name=ANALYST_GROUP).permissions.remove(Permission.objects.get(codename="view_region"))
    assert client.get(list_url("region")).status_code == 403

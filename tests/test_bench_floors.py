"""The benchmark's floors (bench/floors.py) give the API's pages, whole, on a generated dataset.

A floor that left out a field, or ordered a list otherwise, would be a cheaper page than
the API's, and every ratio `make bench` prints would flatter the API.
"""

import dataclasses
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Q

from bench.__main__ import check_same, floor_session
from bench.cases import cases
from partnerships.models import AgreementParty, Institution, Region
from tests import factories
from tests.api.base import client_for
from tests.api.conftest import thin_lists


@pytest.fixture
def generated(db):
    """Return an analyst's client and psycopg's own connection (in the test's transaction) on a generated dataset."""
    call_command("generate_dataset", agreements=300, seed=5, verbosity=0)
    connection.ensure_connection()
    return client_for(factories.analyst()), connection.connection


@pytest.mark.postgresql
def test_every_list_floor_gives_the_apis_page_whole(generated):
    client, db = generated
    compared = 0
    for case in [case for case in cases(db) if case.kind == "list"]:
        response = client.get(case.path, case.query)
        assert response.status_code == 200, case.name
        api = json.loads(response.content)
        floor = floor_page(db, case)
        assert api["results"] == floor["results"], (case.name, differences(api["results"], floor["results"]))
        assert api["count"] == floor["count"], case.name
        compared += len(api["results"])
        # The pages carry lists of several items (parties, project types), so their order is held too.
        if case.name == "agreements, unfiltered":
            assert not {"parties", "project_types"} & thin_lists(api["results"])
    assert compared >= 100


@pytest.mark.postgresql
def test_every_count_floor_gives_the_apis_answer_filtered_or_not(generated):
    """The stats, summary and network floors: the same groups, totals and figures as the API, as `make bench` checks."""
    client, db = generated
    compared = [case for case in cases(db) if case.kind != "list"]
    # The region network's floor also around the region of the busiest institution (赣州市 may hold none here).
    busiest = AgreementParty.objects.values("institution").annotate(n=Count("*")).order_by("-n").first()["institution"]
    region = Institution.objects.get(pk=busiest).region
    subtree = list(Region.objects.filter(Q(pk=region.pk) | Q(parent=region) | Q(parent__parent=region)).values_list("pk", flat=True))
    around = next(case for case in compared if case.name == "network, region 360700")
    compared.append(
        dataclasses.replace(around, path=f"/api/v1/regions/{region.code}/network/", params={**around.params, "regions": subtree})
    )
    for case in compared:
        response = client.get(case.path, case.query)
        assert response.status_code == 200, case.name
        assert check_same(case, json.loads(response.content), floor_page(db, case)) == [], case.name
    assert len(client.get(compared[-1].path).json()["nodes"]) > 1  # the region's network has something to compare
    assert {
        "summary, one kind (broad)", "stats by partners, one kind", "network, depth 2 (about 50 partners)", "network, region 360700"
    } <= {case.name for case in compared}


def floor_page(db, case) -> dict:
    """Return a floor's answer, its session in TIME_ZONE as the benchmark's is, then back in Django's (UTC)."""
    zone = db.execute("SELECT current_setting('TimeZone')").fetchone()[0]
    floor_session(db)
    try:
        return db.execute(case.sql, case.params).fetchone()[0]
    finally:
        # Django reads timestamps as in the connection's time zone, which it set.
        db.execute("SELECT set_config('TimeZone', %s, false)", [zone])


def differences(api: list[dict], floor: list[dict]) -> list:
    """Return the first items' fields that differ, as (id, field, API's value, floor's value)."""
    if [item["id"] for item in api] != [item["id"] for item in floor]:
        return ["the pages' ids differ"]
    return [
        (mine["id"], key, mine.get(key), theirs.get(key))
        for mine, theirs in zip(api, floor, strict=True)
        for key in mine.keys() | theirs.keys()
        if mine.get(key) != theirs.get(key)
    ][:5]

import datetime

import pytest
from django.db import connection
from django.db.models import F

from partnerships.models import Agreement
from partnerships.paging import count_bounded, page_rows
from tests.factories import AgreementFactory, AgreementPartyFactory


@pytest.fixture
def agreements(db):
    rows = [
        AgreementFactory(signed_earliest=datetime.date(2020, 1, day), signed_latest=datetime.date(2020, 1, day))
        for day in range(1, 13)
    ]
    for agreement in rows:
        AgreementPartyFactory(agreement=agreement)
    return rows


def test_a_count_under_the_bound_is_exact(agreements):
    assert count_bounded(Agreement.objects.all(), limit=100) == 12
    assert count_bounded(Agreement.objects.filter(signed_earliest__day__lte=3), limit=100) == 3


def test_a_count_over_the_bound_is_at_least_one_more_than_the_bound(agreements):
    count = count_bounded(Agreement.objects.all(), limit=5)
    if connection.vendor == "postgresql":
        assert count >= 6  # PostgreSQL's estimate, never less than what was counted
    else:
        assert count == 12


@pytest.mark.postgresql
def test_the_estimate_past_the_bound_comes_from_the_planner(agreements):
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE partnerships_agreement")
    assert count_bounded(Agreement.objects.all(), limit=5) == 12


def test_a_page_holds_the_rows_of_that_slice_in_order_with_their_prefetches(agreements, django_assert_num_queries):
    ordered = Agreement.objects.order_by(F("signed_earliest").desc(nulls_last=True), "-pk").prefetch_related("parties")
    expected = [agreement.pk for agreement in ordered][4:9]
    with django_assert_num_queries(2):  # the page (ids chosen in a subquery), then the parties
        page = list(page_rows(ordered, offset=4, limit=5))
        assert all(len(agreement.parties.all()) == 1 for agreement in page)
    assert [agreement.pk for agreement in page] == expected


def test_a_page_past_the_end_is_empty(agreements):
    assert list(page_rows(Agreement.objects.order_by("pk"), offset=50, limit=5)) == []


def test_next_leads_to_the_last_page_when_the_count_is_an_estimate(agreements, monkeypatch):
    from rest_framework.test import APIClient

    from tests.factories import analyst

    # A bound below the dataset's size: counts past it are estimates (on PostgreSQL).
    monkeypatch.setattr("partnerships.paging.EXACT_COUNT_LIMIT", 3)
    client = APIClient()
    client.force_authenticate(analyst())
    seen, url = [], "/api/v1/agreements/?limit=5"
    while url:
        body = client.get(url).json()
        seen += [item["id"] for item in body["results"]]
        assert body["count"] >= len(seen)
        url = body["next"]
    assert sorted(seen) == sorted(agreement.pk for agreement in agreements)
    assert body["count"] == 12


@pytest.mark.parametrize("mode", ["exact", "estimated", None])
def test_a_list_says_whether_its_count_is_an_estimate(agreements, monkeypatch, mode):
    from rest_framework.test import APIClient

    from tests.factories import analyst

    monkeypatch.setattr("partnerships.paging.EXACT_COUNT_LIMIT", 3)
    client = APIClient()
    client.force_authenticate(analyst())
    body = client.get("/api/v1/agreements/", {"limit": 5, **({"count": mode} if mode else {})}).json()
    estimated = mode != "exact" and connection.vendor == "postgresql"
    assert body["count_is_estimate"] is estimated
    if not estimated:
        assert body["count"] == 12
    # The last page has read every remaining row, so its count is exact whatever was asked.
    last = client.get("/api/v1/agreements/", {"limit": 5, "offset": 10, **({"count": mode} if mode else {})}).json()
    assert (last["count"], last["count_is_estimate"]) == (12, False)

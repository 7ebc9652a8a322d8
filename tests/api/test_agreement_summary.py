"""The overview's reads: the summary's figures and the institutions with the most partners."""

import datetime

import pytest
from django.utils import timezone

from partnerships.models import Region
from tests import factories
from tests.api.base import client_for, list_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed():
    """Three agreements: a school with two enterprises in 龙南市, the same school with a government body in 东城区."""
    school = factories.InstitutionFactory(kind="secondary_vocational_school")
    firm, group = factories.InstitutionFactory(kind="enterprise"), factories.InstitutionFactory(kind="education_group")
    bureau = factories.InstitutionFactory(kind="government_body")
    today = timezone.localdate()
    longnan, dongcheng = Region.objects.get(code="360783"), Region.objects.get(code="110101")
    running = factories.AgreementFactory(
        region=longnan, valid_from=today - datetime.timedelta(days=30), valid_until=today + datetime.timedelta(days=365),
        term_precision="range",
    )
    ended = factories.AgreementFactory(
        region=longnan, valid_from=datetime.date(2020, 1, 1), valid_until=datetime.date(2021, 1, 1), term_precision="range"
    )
    other = factories.AgreementFactory(region=dongcheng)
    for agreement, parties in ((running, [school, firm]), (ended, [school, group, firm]), (other, [school, bureau])):
        for party in parties:
            factories.AgreementPartyFactory(agreement=agreement, institution=party)
    return {"school": school, "firm": firm, "group": group, "bureau": bureau}


def get(path, **params):
    response = client_for(factories.analyst()).get(list_url("agreement") + path, params)
    assert response.status_code == 200, response.data
    return response.data


def test_the_summary_counts_agreements_institutions_enterprises_and_those_in_force_with_the_filters(signed):
    assert get("summary/") == {
        "agreements": 3, "institutions": 4, "enterprises": 2, "in_force": 1, "in_force_on": timezone.localdate(),
    }
    assert get("summary/", region="360700") == {
        "agreements": 2, "institutions": 3, "enterprises": 2, "in_force": 1, "in_force_on": timezone.localdate(),
    }


def test_the_summary_refuses_an_unknown_filter_naming_it():
    response = client_for(factories.analyst()).get(list_url("agreement") + "summary/", {"colour": "red"})
    assert response.status_code == 400
    assert "colour" in response.data


def test_partners_ranks_institutions_by_distinct_partners_over_the_matching_agreements(signed):
    data = get("stats/", group_by="partners")
    rows = [(row["label"], row["count"]) for row in data["results"]]
    school, firm, group, bureau = (signed[name].name for name in ("school", "firm", "group", "bureau"))
    assert rows[0] == (school, 3)
    assert sorted(rows[1:]) == sorted([(firm, 2), (group, 2), (bureau, 1)])
    assert data["results"][0]["key"] == str(signed["school"].pk)
    assert data["total"] == 3
    in_longnan = get("stats/", group_by="partners", region="360700")
    assert sorted((row["label"], row["count"]) for row in in_longnan["results"]) == sorted([(school, 2), (firm, 2), (group, 2)])

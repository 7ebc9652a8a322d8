"""The analyst's questions about the seed article, answered from the API alone."""

import pytest

from partnerships.models import Institution
from tests import factories
from tests.api.base import client_for, list_url

GROUP = "学大教育集团"
PARTNERS = {"赣州师范高等专科学校", "成林教育控股集团", "赣州理工职业技术学校", "赣州市科汇职业技术学校", "赣州现代科技职业学校"}
PLANNED = {
    "职普融通综合高中", "产业学院", "实习实训基地", "拔尖创新人才培养计划", "中职学校文化课教学联合共建", "教育信息化服务", "人才师资团队建设",
}


@pytest.fixture
def api():
    return client_for(factories.analyst())


def agreements(api, **params) -> list[dict]:
    response = api.get(list_url("agreement"), params)
    assert response.status_code == 200, response.json()
    return response.json()["results"]


@pytest.mark.django_db
@pytest.mark.usefixtures("seeded")
class TestSeedQueries:
    def test_agreements_a_school_signed_are_found_by_its_id_and_by_its_short_name(self, api):
        college = Institution.objects.get(name="赣州师范高等专科学校")
        by_id = agreements(api, party=college.pk)
        by_alias = agreements(api, party_name="赣州师专")
        assert [a["id"] for a in by_id] == [a["id"] for a in by_alias]
        (agreement,) = by_id
        parties = {(p["institution"]["name"], p["role"]) for p in agreement["parties"]}
        assert parties == {(GROUP, "lead"), ("赣州师范高等专科学校", "partner")}

    def test_agreements_in_ganzhou_signed_in_november_2023_are_the_five_the_article_reports(self, api):
        found = agreements(api, region="360700", signed_after="2023-11-01", signed_before="2023-11-30")
        assert len(found) == 5
        partners = set()
        for agreement in found:
            # The article gives the days of the visit, not of the signing: bounds, not a day.
            assert (agreement["signed_earliest"], agreement["signed_latest"]) == ("2023-11-28", "2023-11-29")
            assert agreement["signed_precision"] == "range"
            assert [r["code"] for r in agreement["region"]["path"]] == ["360000", "360700"]
            lead = [p for p in agreement["parties"] if p["role"] == "lead"]
            assert [(p["institution"]["name"], p["signatory"]["name"]) for p in lead] == [(GROUP, "金鑫")]
            # The article names no signatory for the partners.
            partners |= {p["institution"]["name"] for p in agreement["parties"] if p["role"] == "partner" and not p["signatory"]}
            assert {t["name"] for t in agreement["project_types"]} == PLANNED
            assert any(GROUP in c["quote"] and "签署合作协议" in c["quote"] for c in agreement["citations"])
        assert partners == PARTNERS

    def test_the_province_includes_them_and_a_county_or_another_month_does_not(self, api):
        assert len(agreements(api, region="360000")) == 5
        assert agreements(api, region="360783") == []
        assert agreements(api, region="360700", signed_after="2023-12-01") == []

    def test_stats_count_them_by_status_and_party_kind(self, api):
        response = api.get(list_url("agreement") + "stats/", {"group_by": "status", "region": "360700"})
        assert [(g["key"], g["count"]) for g in response.json()["results"]] == [("signed", 5)]
        response = api.get(list_url("agreement") + "stats/", {"group_by": "party_kind"})
        counts = {g["key"]: g["count"] for g in response.json()["results"]}
        assert counts == {"education_group": 5, "higher_vocational_college": 1, "holding_group": 1, "secondary_vocational_school": 3}

"""A real article recorded completely through the API, then found again with the filters an analyst uses.

聊城市技师学院 (2024): a signing ceremony with 茌平区人民政府 that is also the unveiling of the
信发产业学院, a framework agreement with the district and three school-enterprise agreements.
The page writes "9月3日" without a year; 2024 follows from its URL (…/2024/0925/…).
"""

import json
from pathlib import Path

import pytest

from partnerships.models import Agreement, Event, Institution, Person, Post, Project, SourceDocument
from tests import factories
from tests.api.base import client_for, detail_url, list_url

ARTICLE = Path(__file__).resolve().parent.parent / "articles" / "liaocheng-jishi-chiping"
TEXT = ARTICLE.with_suffix(".txt").read_text(encoding="utf-8")
META = json.loads(ARTICLE.with_suffix(".json").read_text(encoding="utf-8"))
DAY = "2024-09-03"


class Recorder:
    """Post records as an editor would, each with the quote it rests on."""

    def __init__(self):
        self.client = client_for(factories.editor())
        self.source = None

    def cite(self, *quotes: str) -> list[dict]:
        return [{"source": self.source, "quote": quote} for quote in quotes]

    def post(self, basename: str, data: dict, *quotes: str) -> dict:
        if quotes:
            data = {**data, "citations": self.cite(*quotes)}
        response = self.client.post(list_url(basename), data, format="json")
        assert response.status_code == 201, response.data
        return response.data

    def patch(self, basename: str, pk: int, data: dict) -> dict:
        response = self.client.patch(detail_url(basename, pk), data, format="json")
        assert response.status_code == 200, response.data
        return response.data


@pytest.fixture(scope="class")
def recorded(django_db_setup, django_db_blocker):
    """Record the whole article once for the class; roll it back after."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        yield record_article()
        transaction.set_rollback(True)


def record_article() -> dict:
    r = Recorder()
    ids = {}
    # The publisher first, so the source can name it; its citation follows once the source exists.
    college = r.post("institution", {"name": "聊城市技师学院", "kind": "technician_college", "region": "371500"})
    source = r.post(
        "sourcedocument",
        {
            "key": "lcsjsxy-2024-0925-chiping",
            "title": "学院与茌平区人民政府举行校地融合发展签约仪式",
            "text": TEXT,
            "url": META["url"],
            "published_on": META["published_on"],
            "publisher": college["id"],
            "publisher_name": META["publisher"],
        },
    )
    r.source = ids["source"] = source["id"]
    ids["college"] = r.patch("institution", college["id"], {"citations": r.cite("聊城市技师学院")})["id"]
    for key, name, kind, region, quote in (
        ("district", "茌平区人民政府", "government_body", "371503", "学院与茌平区人民政府举行校地融合发展签约仪式"),
        ("xinfa", "信发集团", "enterprise", None, "信发集团副总经理张怀涛"),
        ("zhengtai", "聊城正泰房地产集团", "enterprise", "371500", "聊城正泰房地产集团"),
        ("wanhetong", "万和通物流集团", "enterprise", None, "万和通物流集团"),
    ):
        ids[key] = r.post("institution", {"name": name, "kind": kind, "region": region}, quote)["id"]
    # The industry college the ceremony unveiled is a secondary college of the school.
    ids["xinfa_college"] = r.post(
        "institution",
        {
            "name": "信发产业学院",
            "kind": "secondary_college",
            "parent": ids["college"],
            "founded_earliest": DAY,
            "founded_latest": DAY,
            "founded_precision": "day",
            "founded_text": "9月3日",
            "founded_basis": "url",
        },
        "聊城市技师学院“信发产业学院”揭牌",
    )["id"]

    posts = (
        ("jin", "金同元", "college", "党委书记", "学院党委书记金同元"),
        ("xu", "徐公义", "college", "院长", "党委副书记、院长徐公义"),
        ("zhang", "张怀涛", "xinfa", "副总经理", "信发集团副总经理张怀涛"),
        ("sun", "孙荣军", "district", "区委书记", "茌平区人民政府区委书记孙荣军"),
        ("ji", "汲广树", "district", "区长", "区委副书记、区长汲广树"),
        ("gao", "高红平", "district", "副区长", "区政府副区长高红平"),
    )
    for key, name, institution, title, quote in posts:
        ids[key] = r.post("person", {"name": name}, quote)["id"]
        r.post("post", {"person": ids[key], "institution": ids[institution], "title": title}, quote)
    r.post("post", {"person": ids["xu"], "institution": ids["college"], "title": "党委副书记"}, "党委副书记、院长徐公义")
    # Two people sign for their companies with no title given: they represent the institution at the event.
    for key, name in (("liu", "刘希忠"), ("wang", "王观英")):
        ids[key] = r.post("person", {"name": name}, f"{name}")["id"]

    ids["event"] = r.post(
        "event",
        {
            "title": "聊城市技师学院与茌平区人民政府校地融合发展签约仪式",
            "kinds": ["signing_ceremony", "unveiling"],
            "start_date": DAY,
            "end_date": DAY,
            "date_precision": "day",
            "date_text": "9月3日",
            "date_basis": "url",
            "region": "371503",
            "participants": [
                {"person": ids["jin"], "institution": ids["college"], "role": "speaker",
                 "citations": r.cite("学院党委书记金同元出席会议并讲话")},
                {"person": ids["sun"], "institution": ids["district"], "role": "speaker",
                 "citations": r.cite("区委书记孙荣军致辞")},
                {"person": ids["ji"], "institution": ids["district"], "role": "chair",
                 "citations": r.cite("区长汲广树主持会议")},
                # One person, two roles: 金同元 spoke and unveiled.
                {"person": ids["jin"], "institution": ids["college"], "role": "unveiler",
                 "citations": r.cite("金同元与信发集团副总经理张怀涛共同为聊城市技师学院“信发产业学院”揭牌")},
                {"person": ids["zhang"], "institution": ids["xinfa"], "role": "unveiler",
                 "citations": r.cite("金同元与信发集团副总经理张怀涛共同为聊城市技师学院“信发产业学院”揭牌")},
                {"person": ids["xu"], "institution": ids["college"], "role": "signatory",
                 "citations": r.cite("徐公义、高红平分别代表聊城市技师学院和茌平区人民政府签署政校合作框架协议")},
                {"person": ids["gao"], "institution": ids["district"], "role": "signatory",
                 "citations": r.cite("徐公义、高红平分别代表聊城市技师学院和茌平区人民政府签署政校合作框架协议")},
                {"person": ids["liu"], "institution": ids["zhengtai"], "role": "signatory",
                 "citations": r.cite("刘希忠、王观英分别代表聊城正泰房地产集团、万和通物流集团")},
                {"person": ids["wang"], "institution": ids["wanhetong"], "role": "signatory",
                 "citations": r.cite("刘希忠、王观英分别代表聊城正泰房地产集团、万和通物流集团")},
            ],
        },
        "9月3日,学院与茌平区人民政府举行校地融合发展签约仪式",
        "仪式上,金同元与信发集团副总经理张怀涛共同为聊城市技师学院“信发产业学院”揭牌",
    )["id"]
    r.patch(
        "institution", ids["xinfa_college"], {"founding_event": ids["event"]}
    )

    signed = {"signed_earliest": DAY, "signed_latest": DAY, "signed_precision": "day", "signed_text": "9月3日",
              "signed_basis": "url", "event": ids["event"], "region": "371503"}
    ids["framework"] = r.post(
        "agreement",
        {
            **signed,
            "title": "聊城市技师学院与茌平区人民政府政校合作框架协议",
            "kind": "framework_agreement",
            "parties": [
                {"institution": ids["college"], "role": "lead", "signatory": ids["xu"],
                 "citations": r.cite("徐公义、高红平分别代表聊城市技师学院和茌平区人民政府签署政校合作框架协议")},
                {"institution": ids["district"], "role": "partner", "signatory": ids["gao"],
                 "citations": r.cite("徐公义、高红平分别代表聊城市技师学院和茌平区人民政府签署政校合作框架协议")},
            ],
        },
        "徐公义、高红平分别代表聊城市技师学院和茌平区人民政府签署政校合作框架协议",
    )["id"]
    for key, company, person, quote in (
        ("with_xinfa", "xinfa", "zhang", "张怀涛与徐公义分别代表信发集团与学院签订校企合作协议"),
        ("with_zhengtai", "zhengtai", "liu", "刘希忠、王观英分别代表聊城正泰房地产集团、万和通物流集团,与学院签订校企合作协议"),
        ("with_wanhetong", "wanhetong", "wang", "刘希忠、王观英分别代表聊城正泰房地产集团、万和通物流集团,与学院签订校企合作协议"),
    ):
        college_party = {"institution": ids["college"], "role": "lead", "citations": r.cite(quote)}
        if key == "with_xinfa":
            college_party["signatory"] = ids["xu"]
        ids[key] = r.post(
            "agreement",
            {
                **signed,
                "title": f"{Institution.objects.get(pk=ids[company]).name}与聊城市技师学院校企合作协议",
                "kind": "cooperation_agreement",
                "parties": [
                    college_party,
                    {"institution": ids[company], "role": "partner", "signatory": ids[person], "citations": r.cite(quote)},
                ],
            },
            quote,
        )["id"]

    project_type = factories.ProjectTypeFactory(code="industry-college", name="产业学院")
    ids["project"] = r.post(
        "project",
        {
            "name": "信发产业学院",
            "project_type": "industry-college",
            "status": "established",
            "established_earliest": DAY,
            "established_latest": DAY,
            "established_precision": "day",
            "established_text": "9月3日",
            "established_basis": "url",
            "region": "371500",
            "agreements": [ids["with_xinfa"]],
            "institution": ids["xinfa_college"],
            "builders": [
                {"institution": ids["college"], "role": "lead", "citations": r.cite("聊城市技师学院“信发产业学院”")},
                {"institution": ids["xinfa"], "role": "co_builder",
                 "citations": r.cite("金同元与信发集团副总经理张怀涛共同为聊城市技师学院“信发产业学院”揭牌")},
            ],
        },
        "共同为聊城市技师学院“信发产业学院”揭牌",
    )["id"]
    ids["project_type"] = project_type.pk
    ids["relation"] = r.post(
        "institutionrelation",
        {"subject": ids["xinfa_college"], "kind": "co_founded_by", "object": ids["xinfa"]},
        "金同元与信发集团副总经理张怀涛共同为聊城市技师学院“信发产业学院”揭牌",
    )["id"]
    return ids


@pytest.mark.django_db
@pytest.mark.usefixtures("recorded")
class TestTheArticleRecordedThroughTheAPI:
    def get(self, basename: str, **params) -> list[dict]:
        response = client_for(factories.analyst()).get(list_url(basename), params)
        assert response.status_code == 200, response.data
        return response.data["results"]

    def test_every_record_rests_on_a_quote_of_the_article(self, recorded):
        for basename in ("institution", "person", "post", "event", "agreement", "project", "institutionrelation"):
            assert self.get(basename, cited="false") == [], basename
        for agreement in self.get("agreement"):
            assert all(party["citations"] for party in agreement["parties"])
        (event,) = self.get("event")
        assert all(participant["citations"] for participant in event["participants"])
        for citation in event["citations"]:
            assert TEXT[citation["position"] : citation["position"] + len(citation["quote"])] == citation["quote"]

    def test_the_source_is_stored_once_with_its_publisher_url_and_date(self, recorded):
        (source,) = self.get("sourcedocument", publisher=recorded["college"])
        assert (source["url"], source["published_on"], source["publisher"]["name"]) == (META["url"], "2024-09-25", "聊城市技师学院")
        response = client_for(factories.editor()).post(
            list_url("sourcedocument"), {"key": "again", "title": "转载", "text": TEXT}, format="json"
        )
        assert response.status_code == 400
        assert "lcsjsxy-2024-0925-chiping" in str(response.data["text"])
        assert SourceDocument.objects.count() == 1

    def test_the_ceremony_is_a_signing_and_an_unveiling_dated_from_the_url(self, recorded):
        (event,) = self.get("event", kind="unveiling")
        assert event["kinds"] == ["signing_ceremony", "unveiling"]
        assert (event["start_date"], event["date_precision"], event["date_text"], event["date_basis"]) == (
            DAY, "day", "9月3日", "url",
        )
        assert [p["person"]["name"] for p in event["participants"] if p["role"] == "chair"] == ["汲广树"]
        assert self.get("event", role="unveiler", participant_person=recorded["zhang"])[0]["id"] == recorded["event"]
        assert sorted(p["role"] for p in event["participants"] if p["person"]["name"] == "金同元") == ["speaker", "unveiler"]

    def test_the_schools_agreements_that_day_are_the_four_the_article_reports(self, recorded):
        found = self.get("agreement", party=recorded["college"], signed_after="2024-09-01", signed_before="2024-09-30")
        assert {a["id"] for a in found} == {
            recorded["framework"], recorded["with_xinfa"], recorded["with_zhengtai"], recorded["with_wanhetong"]
        }
        assert len(self.get("agreement", party_kind="technician_college")) == 4
        assert {a["id"] for a in self.get("agreement", signatory=recorded["xu"])} == {recorded["framework"], recorded["with_xinfa"]}
        assert [a["id"] for a in self.get("agreement", kind="framework_agreement", region="371500")] == [recorded["framework"]]
        assert len(self.get("agreement", source=recorded["source"], event_id=recorded["event"])) == 4

    def test_the_industry_college_is_a_project_of_the_xinfa_agreement_and_an_institution_of_the_school(self, recorded):
        (project,) = self.get("project", agreement=recorded["with_xinfa"], project_type="industry-college", status="established")
        assert project["institution"]["name"] == "信发产业学院"
        assert {(b["institution"]["name"], b["role"]) for b in project["builders"]} == {
            ("聊城市技师学院", "lead"), ("信发集团", "co_builder"),
        }
        assert self.get("project", institution=recorded["xinfa_college"])[0]["id"] == project["id"]
        assert self.get("project", builder=recorded["xinfa"], region="371500")[0]["id"] == project["id"]
        (college,) = self.get("institution", kind="secondary_college", founded_after=DAY, founded_before=DAY)
        assert college["founding_event"]["id"] == recorded["event"]
        (relation,) = self.get("institutionrelation", institution=recorded["xinfa"], kind="co_founded_by")
        assert relation["subject"]["name"] == "信发产业学院"

    def test_traditional_script_finds_what_was_recorded_in_simplified(self, recorded):
        assert [i["name"] for i in self.get("institution", q="信發集團")] == ["信发集团"]
        assert len(self.get("sourcedocument", text="信發產業學院")) == 1

    def test_the_people_hold_the_posts_the_article_gives(self, recorded):
        assert Post.objects.filter(person__name="徐公义").count() == 2
        assert [p["name"] for p in self.get("person", institution_id=recorded["district"], post_title="副区长")] == ["高红平"]
        assert Person.objects.count() == 8 and Event.objects.count() == 1 and Agreement.objects.count() == 4
        assert Project.objects.get().agreements.get().pk == recorded["with_xinfa"]

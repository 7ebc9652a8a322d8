"""Saving an article: what it costs, what it refuses, what an analyst then finds."""

import datetime
import json
from pathlib import Path

import pytest
from django.urls import reverse

from partnerships.models import Agreement
from partnerships.services import ingest_analyse, ingest_save

pytestmark = pytest.mark.django_db

ARTICLES = Path(__file__).resolve().parent.parent / "articles"
CHIPING = ARTICLES / "liaocheng-jishi-chiping.txt"


def analysed(path: Path):
    """Return an article's text and its analysis, with the publisher and date its sidecar states."""
    stated = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    text = path.read_text(encoding="utf-8")
    published = datetime.date.fromisoformat(stated["published_on"]) if stated.get("published_on") else None
    return text, ingest_analyse(text=text, url=stated.get("url", ""), published=published, publisher=stated.get("publisher"))


def test_saving_the_liaocheng_article_costs_at_most_300_queries(django_assert_max_num_queries):
    text, result = analysed(CHIPING)
    with django_assert_max_num_queries(300):
        counts = ingest_save(text=text, result=result)
    assert counts["agreements created"] >= 4


def test_an_ingested_agreement_is_found_by_the_region_its_parties_share(client, region):
    from tests import factories
    from tests.api.base import client_for, list_url

    text, result = analysed(CHIPING)
    ingest_save(text=text, result=result)
    agreement = Agreement.objects.get(title="政校合作框架协议")
    assert agreement.region is None  # the article names none: it is filed under its parties' region
    analyst = client_for(factories.analyst())

    response = analyst.get(list_url("agreement"), {"region": "370000"})  # 山东省

    assert response.status_code == 200
    assert agreement.pk in [item["id"] for item in response.data["results"]]
    stats = analyst.get(reverse("api:agreement-stats"), {"group_by": "region", "region": "370000"}).data
    # Every agreement of the article is between bodies of 聊城 (茌平区 is one of its districts).
    assert stats["total"] == Agreement.objects.count()
    assert {row["key"] for row in stats["results"]} <= {"371500", "371503"}


@pytest.mark.parametrize(
    ("parties", "event", "expected"),
    [
        (["371503", "371500"], None, "371500"),  # 茌平区 and 聊城市: 聊城市
        (["371503", "371502"], None, "371500"),  # two districts of 聊城: 聊城市
        (["371503", "370100"], None, "370000"),  # 聊城 and 济南: 山东省
        (["371503", None], None, "371503"),  # a party without a region leaves the others' region
        (["371503", "110101"], "330300", "330300"),  # no region in common: the event's
        ([None, None], None, None),
    ],
)
def test_an_agreement_without_a_region_is_filed_under_its_parties_lowest_common_region(region, parties, event, expected):
    from partnerships.services import agreement_save
    from tests import factories

    institutions = [factories.InstitutionFactory(region=region(code) if code else None) for code in parties]
    agreement = Agreement(title="合作协议", event=factories.EventFactory(region=region(event)) if event else None)
    agreement_save(agreement=agreement, parties=[{"institution": institution} for institution in institutions])

    filed = Agreement.objects.select_related("effective_region").get(pk=agreement.pk).effective_region
    assert (filed.code if filed else None) == expected


def test_a_region_given_wins_and_a_party_moving_moves_the_agreement(region):
    from partnerships.services import agreement_save, record_save
    from tests import factories

    college = factories.InstitutionFactory(region=region("371503"))
    company = factories.InstitutionFactory(region=region("371502"))
    agreement = agreement_save(agreement=Agreement(title="合作协议"), parties=[{"institution": college}, {"institution": company}])
    assert Agreement.objects.get(pk=agreement.pk).effective_region.code == "371500"

    record_save(record=company, fields={"region": region("370100")})
    assert Agreement.objects.get(pk=agreement.pk).effective_region.code == "370000"

    agreement = Agreement.objects.get(pk=agreement.pk)
    agreement_save(agreement=agreement, region=region("110101"))
    assert Agreement.objects.get(pk=agreement.pk).effective_region.code == "110101"
    assert agreement.history.count() == 2  # the region it is filed under makes no history of its own


def test_an_event_moving_moves_the_agreements_filed_under_its_region(region):
    from partnerships.models import Event
    from partnerships.services import agreement_save, record_save
    from tests import factories

    event = factories.EventFactory(region=region("330300"))
    placeless = agreement_save(agreement=Agreement(title="合作协议", event=event), parties=[])
    placed = agreement_save(agreement=Agreement(title="另一份协议", event=event, region=region("110101")), parties=[])
    assert Agreement.objects.get(pk=placeless.pk).effective_region.code == "330300"

    record_save(record=Event.objects.get(pk=event.pk), fields={"region": region("371500")})

    assert Agreement.objects.get(pk=placeless.pk).effective_region.code == "371500"
    assert Agreement.objects.get(pk=placed.pk).effective_region.code == "110101"  # its own region wins


def test_a_respaced_copy_with_half_width_punctuation_is_refused_naming_the_stored_source():
    from partnerships.models import Event, SourceDocument
    from partnerships.services import IngestError

    text, result = analysed(CHIPING)
    ingest_save(text=text, result=result)
    stored = SourceDocument.objects.get()
    counts = (Agreement.objects.count(), Event.objects.count())
    copy = text.replace("\n", "\n\n  ").replace("，", ",").replace("：", ":").replace("。", "。 ")

    again = ingest_analyse(text=copy, publisher="聊城市技师学院")

    assert again.source["duplicate_of"] == stored.pk
    with pytest.raises(IngestError, match=f"id {stored.pk}"):
        ingest_save(text=copy, result=again)
    assert (Agreement.objects.count(), Event.objects.count()) == counts


def test_an_undated_agreement_of_the_same_parties_and_kind_at_the_same_event_is_one_record():
    from partnerships.models import Event

    text, result = analysed(CHIPING)
    for proposal in result.proposals:
        if proposal["kind"] == "agreement":
            proposal["signed_earliest"] = proposal["signed_latest"] = None
    ingest_save(text=text, result=result)
    agreements, event = Agreement.objects.count(), Event.objects.get()
    # Another article about the same ceremony: its event is the stored one, its agreements carry no date.
    other = f"{text}\n(记者 王明)"
    again = ingest_analyse(text=other, publisher="聊城市技师学院", published=datetime.date(2024, 9, 25))
    for proposal in again.proposals:
        if proposal["kind"] == "agreement":
            proposal["signed_earliest"] = proposal["signed_latest"] = None

    counts = ingest_save(text=other, result=again)

    assert Agreement.objects.count() == agreements and Event.objects.get() == event
    assert counts["agreements matched"] >= 4


@pytest.mark.parametrize("name", ["区政府", "市教育局", "县委", "学院", "我校", "區政府"])
def test_no_institution_is_ever_saved_under_a_bare_generic_name(name):
    from django.core.exceptions import ValidationError

    from partnerships.models import Institution
    from partnerships.services import record_save

    with pytest.raises(ValidationError, match="names no particular body"):
        record_save(record=Institution(kind="government_body"), fields={"name": name})
    assert not Institution.objects.exists()


@pytest.mark.parametrize("name", ["茌平区人民政府", "聊城市技师学院", "信发集团", "全国总工会", "茌平区教育体育局"])
def test_a_body_named_with_its_place_or_owner_is_not_generic(name):
    from partnerships.models.institutions import generic_name

    assert not generic_name(name)


def test_an_ingested_bare_generic_body_is_flagged_and_not_saved_nor_what_needs_it():
    from partnerships.models import Institution

    text = "近日，区政府与聊城市技师学院签署合作协议。"
    result = ingest_analyse(text=text, published=datetime.date(2024, 9, 25))
    (generic,) = [p for p in result.proposals if p["kind"] == "institution" and p["name"] == "区政府"]
    assert generic["needs_choice"]

    counts = ingest_save(text=text, result=result)

    assert counts["institutions not saved"] == 1
    assert not Institution.objects.filter(name="区政府").exists()
    assert not Agreement.objects.exists()

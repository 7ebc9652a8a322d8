"""What real articles showed the model let through: each is now a 400 naming the field, and changes nothing."""

import pytest

from partnerships.models import Agreement, Event, Institution, InstitutionAlias, SourceDocument
from tests import factories
from tests.api.base import client_for, detail_url, list_url

pytestmark = pytest.mark.django_db

EVENT = {"title": "签约仪式", "kind": "signing_ceremony"}
BAD_EVENT_DATES = {
    "day with no date": ({"date_precision": "day"}, "start_date"),
    "day spanning three days": (
        {"date_precision": "day", "start_date": "2024-09-03", "end_date": "2024-09-05"}, "end_date",
    ),
    "unknown with a date": ({"date_precision": "unknown", "start_date": "2024-09-03", "end_date": "2024-09-03"}, "start_date"),
    "month across two months": (
        {"date_precision": "month", "start_date": "2024-09-01", "end_date": "2024-10-31"}, "end_date",
    ),
    "year across two years": ({"date_precision": "year", "start_date": "2023-01-01", "end_date": "2024-12-31"}, "end_date"),
}


def post(basename: str, data: dict):
    return client_for(factories.editor()).post(list_url(basename), data, format="json")


@pytest.mark.parametrize("dates, field", BAD_EVENT_DATES.values(), ids=BAD_EVENT_DATES.keys())
def test_event_dates_that_do_not_match_their_precision_are_a_400_naming_the_field(dates, field):
    response = post("event", {**EVENT, **dates})
    assert response.status_code == 400
    assert field in response.data
    assert not Event.objects.exists()


def test_an_event_changed_to_dates_its_precision_does_not_allow_is_a_400_and_stays_as_it_was():
    event = factories.EventFactory()
    response = client_for(factories.editor()).patch(
        detail_url("event", event.pk), {"date_precision": "day"}, format="json"
    )
    assert response.status_code == 400
    assert "end_date" in response.data
    event.refresh_from_db()
    assert event.date_precision == "range"


def test_an_agreement_of_month_precision_whose_bounds_lie_three_months_apart_is_a_400_naming_the_latest_bound():
    data = {
        "title": "合作协议",
        "signed_precision": "month",
        "signed_earliest": "2024-06-01",
        "signed_latest": "2024-09-30",
    }
    response = post("agreement", data)
    assert response.status_code == 400
    assert "signed_latest" in response.data
    assert not Agreement.objects.exists()


def test_an_agreement_term_of_year_precision_across_years_is_a_400_naming_valid_until():
    data = {"title": "捐赠协议", "kind": "donation", "term_precision": "year", "valid_from": "2022-01-01", "valid_until": "2024-12-31"}
    response = post("agreement", data)
    assert response.status_code == 400
    assert "valid_until" in response.data
    assert not Agreement.objects.exists()


def test_a_day_and_month_without_a_year_is_held_as_written_without_bounds():
    response = post("event", {**EVENT, "date_text": "3月26日", "date_precision": "unknown"})
    assert response.status_code == 201, response.data
    assert (response.data["date_text"], response.data["start_date"], response.data["end_date"]) == ("3月26日", None, None)


def test_an_institution_named_in_traditional_script_beside_its_simplified_name_is_a_400_naming_name():
    factories.InstitutionFactory(name="温州职业技术学院")
    response = post("institution", {"name": "溫州職業技術學院", "kind": "higher_vocational_college"})
    assert response.status_code == 400
    assert list(response.data) == ["name"]
    assert Institution.objects.count() == 1


def test_an_alias_equal_to_another_institutions_name_is_a_400_naming_the_aliases():
    factories.InstitutionFactory(name="温州职业技术学院")
    other = factories.InstitutionFactory(name="温州科技职业学院")
    response = client_for(factories.editor()).patch(
        detail_url("institution", other.pk), {"aliases": ["溫州職業技術學院"]}, format="json"
    )
    assert response.status_code == 400
    assert "another institution" in str(response.data["aliases"])
    assert not InstitutionAlias.objects.exists()


def test_records_without_a_citation_are_listed_by_the_cited_filter():
    cited, uncited = factories.InstitutionFactory(), factories.InstitutionFactory()
    factories.cite(cited)
    client = client_for(factories.analyst())
    assert [row["id"] for row in client.get(list_url("institution"), {"cited": "false"}).data["results"]] == [uncited.pk]
    assert [row["id"] for row in client.get(list_url("institution"), {"cited": "true"}).data["results"]] == [cited.pk]


def test_a_citation_that_is_not_in_the_source_is_a_400_naming_citations_and_saves_nothing():
    source = factories.SourceDocumentFactory()
    response = post("institution", {
        "name": "聊城市技师学院", "kind": "technician_college", "citations": [{"source": source.pk, "quote": "并不存在的句子"}],
    })
    assert response.status_code == 400
    assert "citations" in response.data
    assert not Institution.objects.exists()


def test_the_same_text_again_is_a_400_naming_the_stored_source():
    stored = factories.SourceDocumentFactory()
    response = post("sourcedocument", {"key": "repost", "title": "转载", "text": stored.text})
    assert response.status_code == 400
    assert stored.key in str(response.data["text"])
    assert SourceDocument.objects.count() == 1


def test_funding_for_both_a_project_and_an_agreement_is_a_400_and_saves_nothing():
    project, agreement = factories.ProjectFactory(), factories.AgreementFactory()
    response = post("funding", {"amount": "1000000000", "project": project.pk, "agreement": agreement.pk})
    assert response.status_code == 400
    assert "non_field_errors" in response.data

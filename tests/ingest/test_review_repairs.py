"""Repairs on the review page: an agreement's parties and signing day, a post's institution, a name the engine missed.

Each repair is saved with the review's one POST and keeps its citation; bad input is a form
error on the field at fault, and nothing is stored.
"""

import datetime
import re

import pytest
from django.urls import reverse

from partnerships.ingest.proposals import missed_name
from partnerships.models import (
    Agreement,
    AgreementPartyCitation,
    Institution,
    InstitutionCitation,
    Person,
    PersonCitation,
    Post,
    PostCitation,
    SourceDocument,
)
from tests import factories
from tests.ingest.test_admin_page import CHIPING, INGEST_URL, article, proposal_index, propose, review_data

pytestmark = pytest.mark.django_db

FRAMEWORK = "政校合作框架协议"
# The sentence the engine splits into two agreements, one per company, each with the school.
TWO_COMPANIES = "刘希忠、王观英分别代表聊城正泰房地产集团、万和通物流集团,与学院签订校企合作协议"
MISSED = "校地融合发展领导小组"


@pytest.fixture
def review(client):
    """Return the review page of the Chiping article, shown to an editor, and its initial data."""
    factories.ProjectTypeFactory(code="industry-college", name="产业学院")
    client.force_login(factories.editor())
    page = propose(client, article(CHIPING))
    return client, page, review_data(page)


def index_of(page, kind: str, name: str = "", quote: str = "") -> int:
    """Return a proposal's index by its kind and name, or by its quote."""
    if name:
        return proposal_index(page, kind, name)
    return next(i for i, p in enumerate(page.context["form"].proposals) if p["kind"] == kind and p["quote"] == quote)


def save(client, data: dict):
    return client.post(INGEST_URL, data)


def refused(response, field: str, message: str) -> None:
    """Assert a review was answered again with a form error on the field, and nothing was stored."""
    assert response.status_code == 400, response.status_code
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message in " ".join(errors[field]), errors[field]
    assert not SourceDocument.objects.exists() and not Institution.objects.exists() and not Agreement.objects.exists()


def test_an_agreement_gains_a_party_with_its_signatory_role_and_signing_day(review):
    client, page, data = review
    # The engine gives one agreement per company of the sentence: join them into one of three parties.
    first, second = (i for i, p in enumerate(page.context["form"].proposals) if p["kind"] == "agreement" and p["quote"] == TWO_COMPANIES)
    data.pop(f"p{second}_accept")
    data[f"p{first}_party2_found"] = str(index_of(page, "institution", "万和通物流集团"))
    data[f"p{first}_party2_signatory"] = str(index_of(page, "person", "王观英"))
    data[f"p{first}_party1_role"] = "lead"
    data[f"p{first}_signed"] = "2024-09-04"
    data[f"p{first}_name"] = "校企合作协议(三方)"
    assert save(client, data).status_code == 302

    agreement = Agreement.objects.get(title="校企合作协议(三方)")
    assert (agreement.signed_earliest, agreement.signed_latest) == (datetime.date(2024, 9, 4),) * 2
    parties = {party.institution.name: party for party in agreement.parties.select_related("institution", "signatory")}
    assert set(parties) == {"聊城正泰房地产集团", "万和通物流集团", "聊城市技师学院"}
    assert parties["万和通物流集团"].signatory.name == "王观英" and parties["聊城正泰房地产集团"].signatory.name == "刘希忠"
    assert parties["聊城市技师学院"].role == "lead" and parties["万和通物流集团"].role == "partner"
    # The added party cites its name inside the agreement's sentence.
    source = SourceDocument.objects.get()
    citation = AgreementPartyCitation.objects.get(record=parties["万和通物流集团"])
    assert citation.quote == "万和通物流集团" and source.text[citation.position : citation.position + 7] == "万和通物流集团"
    assert Agreement.objects.count() == 3


def test_an_agreement_party_replaced_by_an_existing_institution_files_it_under_their_region(review, region):
    client, page, data = review
    known = factories.InstitutionFactory(name="聊城市茌平区人民政府", kind="government_body", region=region("371503"))
    framework = index_of(page, "agreement", FRAMEWORK)
    data[f"p{framework}_party1_record"] = str(known.pk)  # wins over the institution found in the text
    data[f"p{framework}_party1_role"] = "partner"
    data[f"p{framework}_party0_remove"] = "on"
    data[f"p{framework}_party2_found"] = str(index_of(page, "institution", "聊城市技师学院"))
    data[f"p{framework}_party2_signatory"] = str(index_of(page, "person", "徐公义"))
    assert save(client, data).status_code == 302

    agreement = Agreement.objects.get(title=FRAMEWORK)
    parties = {party.institution.name: party for party in agreement.parties.select_related("institution", "signatory")}
    assert set(parties) == {"聊城市茌平区人民政府", "聊城市技师学院"}
    assert parties["聊城市茌平区人民政府"].institution == known and parties["聊城市技师学院"].signatory.name == "徐公义"
    # The region rule still holds: the lowest region both parties share (茌平区 lies in 聊城市).
    assert agreement.effective_region.code == "371500"
    # A party chosen from the records cites the agreement's sentence.
    citation = AgreementPartyCitation.objects.get(record=parties["聊城市茌平区人民政府"])
    assert citation.quote == "徐公义、高红平分别代表聊城市技师学院和茌平区人民政府签署政校合作框架协议"
    assert not Institution.objects.filter(name="茌平区人民政府").exclude(pk=known.pk).filter(agreement_parties__agreement=agreement)


def test_a_cleared_signing_date_saves_the_agreement_undated(review):
    client, page, data = review
    framework = index_of(page, "agreement", FRAMEWORK)
    assert data[f"p{framework}_signed"] == datetime.date(2024, 9, 3)
    data[f"p{framework}_signed"] = ""
    assert save(client, data).status_code == 302
    agreement = Agreement.objects.get(title=FRAMEWORK)
    assert (agreement.signed_earliest, agreement.signed_latest, agreement.signed_precision) == (None, None, "unknown")
    assert Agreement.objects.exclude(pk=agreement.pk).filter(signed_earliest=datetime.date(2024, 9, 3)).count() == 3


def test_an_agreement_left_with_one_party_is_a_form_error_on_its_parties(review):
    client, page, data = review
    framework = index_of(page, "agreement", FRAMEWORK)
    data[f"p{framework}_party0_remove"] = "on"
    refused(save(client, data), f"p{framework}_party2_found", "needs two parties")


def test_the_same_party_twice_is_a_form_error(review):
    client, page, data = review
    framework = index_of(page, "agreement", FRAMEWORK)
    data[f"p{framework}_party2_found"] = data[f"p{framework}_party0_found"]
    refused(save(client, data), f"p{framework}_party2_found", "is a party already")


def test_a_rejected_institution_chosen_as_a_party_is_a_form_error(review):
    client, page, data = review
    framework, company = index_of(page, "agreement", FRAMEWORK), index_of(page, "institution", "信发集团")
    data.pop(f"p{company}_accept")
    data[f"p{framework}_party2_found"] = str(company)
    refused(save(client, data), f"p{framework}_party2_found", "is not accepted")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("party2_found", "9999", "Select a valid choice"),
        ("party2_record", "0", "Select a valid choice"),
        ("party0_role", "emperor", "Select a valid choice"),
        ("signed", "2024-02-30", "Enter a valid date"),
        ("party2_signatory", lambda page: str(index_of(page, "person", "徐公义")), "Choose the institution this signatory signed for"),
    ],
    ids=["unknown-institution", "unknown-record", "unknown-role", "impossible-date", "signatory-without-party"],
)
def test_bad_agreement_repairs_are_form_errors_naming_the_field(review, field, value, message):
    client, page, data = review
    framework = index_of(page, "agreement", FRAMEWORK)
    data[f"p{framework}_{field}"] = value(page) if callable(value) else value
    at_fault = f"p{framework}_party2_found" if field == "party2_signatory" else f"p{framework}_{field}"
    refused(save(client, data), at_fault, message)


def test_a_post_moves_to_the_institution_the_text_names_and_another_to_an_existing_one(review):
    client, page, data = review
    known = factories.InstitutionFactory(name="中共聊城市茌平区委员会", kind="party_organ")
    director = index_of(page, "post", quote="主任王庆刚")
    office = index_of(page, "institution", "质量管理与绩效考核办公室")
    data[f"p{director}_institution"] = str(office)
    committee = index_of(page, "post", quote="区委书记孙荣军")
    data[f"p{committee}_record"] = str(known.pk)
    assert save(client, data).status_code == 302

    post = Post.objects.get(person__name="王庆刚")
    assert post.institution.name == "质量管理与绩效考核办公室" and post.title == "主任"
    citation = PostCitation.objects.get(record=post)
    assert (citation.quote, citation.position) == ("主任王庆刚", 111)
    assert Post.objects.get(person__name="孙荣军").institution == known


def test_a_post_at_a_rejected_institution_is_a_form_error(review):
    client, page, data = review
    director, office = index_of(page, "post", quote="主任王庆刚"), index_of(page, "institution", "质量管理与绩效考核办公室")
    data.pop(f"p{office}_accept")
    data[f"p{director}_institution"] = str(office)
    refused(save(client, data), f"p{director}_institution", "is not accepted")


def test_a_post_at_an_unknown_institution_is_a_form_error(review):
    client, page, data = review
    director = index_of(page, "post", quote="主任王庆刚")
    data[f"p{director}_record"] = "99999999"
    refused(save(client, data), f"p{director}_record", "Select a valid choice")


def test_a_missed_name_selected_in_the_text_is_saved_with_its_quote_and_offsets(review):
    client, page, data = review
    text = article(CHIPING)["text"]
    start = text.index(MISSED)
    data.update({"m0_quote": MISSED, "m0_start": str(start), "m0_end": str(start + len(MISSED)), "m0_kind": "institution"})
    # Typed by hand, without offsets: its first occurrence; a person, under the full name the text shortens.
    data.update({"m1_quote": "汲广树", "m1_kind": "person", "m1_name": "汲广树"})
    assert save(client, data).status_code == 302

    group = Institution.objects.get(name=MISSED)
    citation = InstitutionCitation.objects.get(record=group)
    assert (citation.quote, citation.position) == (MISSED, start)
    assert SourceDocument.objects.get().text[start : start + len(MISSED)] == MISSED
    assert PersonCitation.objects.filter(record=Person.objects.get(name="汲广树"), position=text.index("汲广树")).exists()


@pytest.mark.parametrize(
    ("slot", "field", "message"),
    [
        ({"m0_quote": MISSED, "m0_start": "1", "m0_end": "11"}, "m0_quote", "is not the text at 1–11"),
        ({"m0_quote": MISSED, "m0_start": "600"}, "m0_quote", "is not the text at"),
        ({"m0_quote": "北京大学"}, "m0_quote", "is not in the text"),
        ({"m0_quote": "学院", "m0_kind": "institution"}, "m0_quote", "names no particular body"),
        ({"m0_quote": "区政府", "m0_name": "区政府"}, "m0_name", "names no particular body"),
        ({"m0_name": MISSED}, "m0_quote", "Select the name in the text"),
        ({"m0_quote": MISSED, "m0_kind": "project"}, "m0_kind", "Select a valid choice"),
        ({"m0_quote": MISSED, "m0_start": "-1", "m0_end": "3"}, "m0_start", "greater than or equal to 0"),
    ],
    ids=["offsets-elsewhere", "one-offset", "not-in-the-text", "generic-quote", "generic-name", "no-quote", "kind", "negative"],
)
def test_a_bad_missed_name_is_a_form_error_naming_the_field(review, slot, field, message):
    client, page, data = review
    data.update({"m0_kind": "institution", **slot})
    refused(save(client, data), field, message)


def test_the_quote_and_offsets_of_a_missed_name_count_characters_as_python_does():
    text = "甲𠮷乙丙大学与丁公司签约"  # 𠮷 is one character here, two UTF-16 units in a browser
    proposal = missed_name(text=text, kind="institution", name="乙丙大学", start=2, end=6).as_dict()
    assert proposal["quote"] == "乙丙大学" == text[2:6]
    assert proposal["institution_kind"] != "other" and proposal["mentions"] == [[2, 6]]
    person = missed_name(text=text, kind="person", name="甲", start=0, end=1).as_dict()
    assert person["kind"] == "person" and person["aliases"] == []
    with pytest.raises(ValueError, match="outside the text"):
        missed_name(text=text, kind="person", name="甲", start=5, end=50)


def test_an_untouched_review_saves_what_it_saved_before_the_repairs(review):
    client, page, data = review
    assert save(client, data).status_code == 302
    assert Agreement.objects.count() == 4
    framework = Agreement.objects.get(title=FRAMEWORK)
    assert {(p.institution.name, p.role, p.signatory.name) for p in framework.parties.select_related("institution", "signatory")} == {
        ("聊城市技师学院", "partner", "徐公义"),
        ("茌平区人民政府", "partner", "高红平"),
    }


def test_the_repairs_have_labels_the_autocomplete_and_no_inline_script(review):
    client, page, data = review
    content = page.content.decode()
    controls = re.findall(r'<(?:input(?![^>]*type="hidden")|select)[^>]*\bid="(id_[pm]\d+_\w+)"', content)
    assert any("_party" in control for control in controls) and any(control.startswith("id_m") for control in controls)
    for control in controls:
        assert f'<label for="{control}"' in content, control
    assert 'class="admin-autocomplete' in content and reverse("admin:autocomplete") in content
    assert "admin/js/autocomplete.js" in content and "partnerships/ingest_review.js" in content
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", content), "an inline script (the CSP refuses it)"
    # The admin's autocomplete view answers for a party's institution.
    factories.InstitutionFactory(name="聊城市茌平区人民政府")
    found = client.get(
        reverse("admin:autocomplete"),
        {"term": "茌平", "app_label": "partnerships", "model_name": "agreementparty", "field_name": "institution"},
    )
    assert found.status_code == 200 and [row["text"] for row in found.json()["results"]] == ["聊城市茌平区人民政府"]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_repairs_speak_chinese_and_english(review, settings, language):
    client, _, _ = review
    settings.LANGUAGE_CODE = language
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    content = client.post(INGEST_URL, article(CHIPING), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    words = ("引擎遗漏的名称", "签署日期") if language == "zh-hans" else ("Names the engine missed", "Signing date of")
    for word in words:
        assert word in content

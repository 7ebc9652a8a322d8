"""The admin's article page: paste or upload an article, review its proposals, save them with their citations."""

import html
import json
import re
from pathlib import Path

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse

from partnerships.admin_ingest import STATE_SALT
from partnerships.models import (
    Agreement,
    AgreementCitation,
    Institution,
    InstitutionCitation,
    Person,
    Post,
    Project,
    SourceDocument,
)
from partnerships.services import INGEST_CHANGE_REASON
from partnerships.text import to_simplified
from tests import factories

pytestmark = pytest.mark.django_db

ARTICLES = Path(__file__).resolve().parent.parent / "articles"
CHIPING = ARTICLES / "liaocheng-jishi-chiping"
REPOST = ARTICLES / "wenzhou-longwan-fushu-repost"
INGEST_URL = reverse("admin:partnerships_sourcedocument_ingest")


def article(path: Path) -> dict:
    """Return the step-1 form data of a real article: its text and what its sidecar states."""
    stated = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    return {
        "text": path.with_suffix(".txt").read_text(encoding="utf-8"),
        "url": stated.get("url") or "",
        "publisher": stated.get("publisher") or "",
        "published": stated.get("published_on") or "",
    }


@pytest.fixture
def editor_client(client):
    # The taxonomy the article's project (信发产业学院, an industry college) is recorded under.
    factories.ProjectTypeFactory(code="industry-college", name="产业学院")
    client.force_login(factories.editor())
    return client


def review_data(page) -> dict:
    """Return what a reviewer who accepts every proposal as shown would submit (the form's initial values)."""
    form = page.context["form"]
    data = {"state": form["state"].value()}
    for name in form.fields:
        if name == "state":
            continue
        value = form[name].value()
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value
    return data


def proposal_index(page, kind: str, name: str) -> int:
    return next(i for i, p in enumerate(page.context["form"].proposals) if p["kind"] == kind and p["name"] == name)


def propose(client, data: dict):
    page = client.post(INGEST_URL, data)
    assert page.status_code == 200, page.content.decode()[:2000]
    assert page.templates[0].name.endswith("ingest_review.html")
    return page


def test_the_index_and_the_source_list_link_to_the_article_page(editor_client):
    for url in (reverse("admin:index"), reverse("admin:partnerships_sourcedocument_changelist")):
        page = editor_client.get(url).content.decode()
        assert f'href="{INGEST_URL}"' in page and "Ingest an article" in page


def test_an_article_becomes_records_with_citations_in_three_page_loads(editor_client):
    form = editor_client.get(INGEST_URL)
    assert form.status_code == 200 and b'name="text"' in form.content and b'type="file"' in form.content

    page = propose(editor_client, article(CHIPING))
    content = page.content.decode()
    # Proposals grouped by kind, each name highlighted in the text from its offsets.
    for heading in ("Institutions", "People", "Posts", "Events", "Agreements", "Projects"):
        assert heading in content
    assert re.search(r'<mark class="ingest-institution"[^>]*>茌平区人民政府</mark>', content)
    assert re.search(r'<mark class="ingest-person"[^>]*>金同元</mark>', content)
    review_form = content[content.index('id="ingest_review"') : content.index("</form>", content.index('id="ingest_review"'))]
    assert review_form.count('type="submit"') == 1

    saved = editor_client.post(INGEST_URL, review_data(page))
    source = SourceDocument.objects.get()
    assert saved.status_code == 302 and saved.url == reverse("admin:partnerships_sourcedocument_records", args=[source.pk])
    assert str(source.published_on) == "2024-09-25" and source.publisher.name == "聊城市技师学院"
    assert source.url.startswith("http://www.lcsjsxy.cn/")

    framework = Agreement.objects.get(title="政校合作框架协议")
    assert {party.institution.name for party in framework.parties.select_related("institution")} == {"聊城市技师学院", "茌平区人民政府"}
    citation = AgreementCitation.objects.get(record=framework)
    assert source.text[citation.position : citation.position + len(citation.quote)] == citation.quote
    assert InstitutionCitation.objects.filter(record__name="茌平区教育体育局", quote="区教育体育局").exists()
    assert Project.objects.filter(name="信发产业学院").exists()
    assert framework.history.first().history_change_reason == INGEST_CHANGE_REASON
    assert Institution.objects.get(name="信发集团").history.first().history_change_reason == INGEST_CHANGE_REASON

    records = editor_client.get(saved.url)
    listing = records.content.decode()
    assert "The article was saved as" in listing and "agreements created 4" in listing
    assert "政校合作框架协议" in listing and html.escape(citation.quote) in listing
    assert reverse("admin:partnerships_agreement_change", args=[framework.pk]) in listing


def test_the_review_page_costs_a_fixed_number_of_queries(editor_client, django_assert_num_queries):
    factories.InstitutionFactory(name="聊城市技师学院", kind="technician_college")
    # Session, user, two of permissions; what ingest_analyse reads (the snapshot: regions, institutions
    # and their aliases, people and their aliases, project types; the stored text and a repost's original);
    # project types and the two candidate lookups of the review.
    with django_assert_num_queries(15):
        propose(editor_client, article(CHIPING))


def test_the_records_page_costs_one_query_per_kind_of_cited_record(editor_client, django_assert_num_queries):
    saved = editor_client.post(INGEST_URL, review_data(propose(editor_client, article(CHIPING))))
    editor_client.get(saved.url)  # shows and drops the saved message
    # Session, user (permissions are cached by now), the source, and one query per kind of cited record (18).
    with django_assert_num_queries(21):
        page = editor_client.get(saved.url)
    assert page.status_code == 200 and "信发产业学院" in page.content.decode()


def test_the_text_is_shown_escaped_and_never_as_html(editor_client):
    data = article(CHIPING)
    data["text"] = data["text"].replace("开启校地合作", "开启<b onmouseover=alert(1)>校地</b>合作")
    content = propose(editor_client, data).content.decode()
    assert "<b onmouseover" not in content
    assert "&lt;b onmouseover=alert(1)&gt;校地&lt;/b&gt;" in content


def test_a_pasted_text_with_windows_line_breaks_is_stored_as_pasted(editor_client):
    data = article(CHIPING)
    data["text"] = data["text"].replace("\n", "\r\n")
    page = propose(editor_client, data)
    editor_client.post(INGEST_URL, review_data(page))
    assert SourceDocument.objects.get().text == article(CHIPING)["text"]


def test_an_uploaded_html_page_keeps_its_text_and_drops_its_scripts(editor_client):
    text = article(CHIPING)["text"]
    page_bytes = (
        "<!doctype html><html><head><script>alert('x')</script><style>p{color:red}</style></head>"
        f"<body><p>{text}</p><script>document.write('签署')</script></body></html>"
    ).encode("utf-8")
    upload = SimpleUploadedFile("article.html", page_bytes, content_type="text/html")
    page = propose(editor_client, {"file": upload, "publisher": "聊城市技师学院"})
    editor_client.post(INGEST_URL, review_data(page))
    stored = SourceDocument.objects.get().text
    assert "alert" not in stored and "color:red" not in stored and "政校合作框架协议" in stored


def ten_megabytes():
    return SimpleUploadedFile("big.txt", b"x" * (10 * 1024 * 1024), content_type="text/plain")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"text": ""}, "text", "Paste the article's text or choose a file."),
        ({"text": "  \n\t "}, "text", "Paste the article's text or choose a file."),
        ({"text": "合作\x07协议"}, "text", "contains control characters"),
        ({"file": lambda: SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")}, "file", "binary file"),
        ({"file": ten_megabytes}, "file", "an article is at most 1000000 bytes"),
        ({"file": lambda: SimpleUploadedFile("a.txt", b"\xff\xfe\xfa" * 10)}, "file", "not Chinese text in UTF-8, GB18030 or Big5"),
        (
            {"file": lambda: SimpleUploadedFile("scripts.html", b"<html><script>" + b"alert(1);" * 1000 + b"</script></html>")},
            "file",
            "has no text",
        ),
        ({"text": "<html><body><script>steal()</script><style>x{}</style></body></html>", "format": "html"}, "text", "has no text"),
        ({"text": "学院签约", "file": lambda: SimpleUploadedFile("a.txt", "学院签约".encode())}, "file", "not both"),
        ({"text": "学院签约", "url": "not a url"}, "url", "Enter a valid URL."),
        ({"text": "学院签约", "url": 'https://a.cn/"><script>alert(1)</script>'}, "url", "percent-encode"),
        ({"text": "学院签约", "published": "2024-13-45"}, "published", "Enter a valid date."),
        ({"text": "学院签约", "publisher": "校" * 201}, "publisher", "at most 200 characters"),
    ],
    ids=["empty", "blank", "control-characters", "binary", "ten-megabytes", "undecodable", "scripts-only-file",
         "scripts-only-paste", "both", "url", "url-not-a-uri", "date", "publisher-too-long"],
)
def test_bad_input_is_a_form_error_naming_the_field_and_stores_nothing(editor_client, data, field, message):
    data = {key: value() if callable(value) else value for key, value in data.items()}
    page = editor_client.post(INGEST_URL, data)
    assert page.status_code == 200
    errors = page.context["form"].errors
    assert message in " ".join(errors[field]), errors
    assert "Please correct the error" in page.content.decode()
    assert not SourceDocument.objects.exists() and not Institution.objects.exists()


def test_an_article_with_more_proposals_than_one_review_can_hold_is_refused_before_the_review(editor_client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 60
    page = editor_client.post(INGEST_URL, article(CHIPING))
    assert page.templates[0].name.endswith("ingest_form.html")
    assert "more than one review page can hold" in " ".join(page.context["form"].non_field_errors())
    assert not SourceDocument.objects.exists()


def test_a_text_already_stored_is_refused_with_a_link_to_the_stored_source(editor_client):
    data = article(CHIPING)
    stored = factories.SourceDocumentFactory(text=data["text"], title="已存的报道")
    page = editor_client.post(INGEST_URL, data)
    content = page.content.decode()
    assert "already stored as source document" in " ".join(page.context["form"].errors["text"])
    assert f'href="{reverse("admin:partnerships_sourcedocument_change", args=[stored.pk])}"' in content
    assert SourceDocument.objects.count() == 1 and not Institution.objects.exists()


def test_saving_the_same_review_twice_adds_nothing_the_second_time(editor_client):
    page = propose(editor_client, article(CHIPING))
    data = review_data(page)
    editor_client.post(INGEST_URL, data)
    counts = [model.objects.count() for model in (SourceDocument, Institution, Person, Post, Agreement, InstitutionCitation)]
    again = editor_client.post(INGEST_URL, data)
    assert again.status_code == 400
    assert "already stored as source document" in again.content.decode()
    assert [model.objects.count() for model in (SourceDocument, Institution, Person, Post, Agreement, InstitutionCitation)] == counts


def test_the_same_review_submitted_twice_at_once_answers_already_stored_for_the_second(editor_client, monkeypatch):
    """Both submits pass every check before either stores; the second's insert then breaks the source's key."""
    from partnerships.services import ingest as ingest_service

    page = propose(editor_client, article(CHIPING))
    data = review_data(page)
    assert editor_client.post(INGEST_URL, data).status_code == 302
    counts = [model.objects.count() for model in (SourceDocument, Institution, Person, Post, Agreement, InstitutionCitation)]
    refuse_stored = ingest_service._refuse_stored

    def checked_before_the_first_submit_stored(checksum):
        monkeypatch.setattr(ingest_service, "_refuse_stored", refuse_stored)

    def insert_after_the_first_submit_stored(saver):
        raise IntegrityError("UNIQUE constraint failed: partnerships_sourcedocument.key")

    monkeypatch.setattr(ingest_service, "_refuse_stored", checked_before_the_first_submit_stored)
    monkeypatch.setattr(ingest_service._Saver, "_source", insert_after_the_first_submit_stored)
    again = editor_client.post(INGEST_URL, data)
    assert again.status_code == 400
    assert "already stored as source document" in again.content.decode()
    assert [model.objects.count() for model in (SourceDocument, Institution, Person, Post, Agreement, InstitutionCitation)] == counts


def test_a_repost_in_traditional_script_is_linked_to_the_original(editor_client):
    # The original differs from the traditional-script repost only in script.
    # (A copy in the same script, however re-spaced, is the same text and refused: see tests/ingest/test_saving.py.)
    original = factories.SourceDocumentFactory(text=to_simplified(REPOST.with_suffix(".txt").read_text(encoding="utf-8")))
    data = article(REPOST)
    page = propose(editor_client, data)
    saved = editor_client.post(INGEST_URL, review_data(page))
    repost = SourceDocument.objects.exclude(pk=original.pk).get()
    assert repost.repost_of == original
    assert "A repost of" in editor_client.get(saved.url).content.decode()


def test_a_rejected_proposal_is_not_saved_nor_are_the_records_that_need_it(editor_client):
    page = propose(editor_client, article(CHIPING))
    data = review_data(page)
    data.pop(f"p{proposal_index(page, 'institution', '万和通物流集团')}_accept")
    data.pop(f"p{proposal_index(page, 'person', '邵永山')}_accept")
    editor_client.post(INGEST_URL, data)
    assert not Institution.objects.filter(name="万和通物流集团").exists()
    assert not Person.objects.filter(name="邵永山").exists()
    # Its agreement needs the rejected party; the other three are saved.
    assert Agreement.objects.count() == 3
    assert not Agreement.objects.filter(parties__institution__name="万和通物流集团").exists()
    assert "agreements not saved (a party rejected) 1" in editor_client.get(
        reverse("admin:partnerships_sourcedocument_records", args=[SourceDocument.objects.get().pk])
    ).content.decode()


def test_an_edited_name_kind_and_match_are_respected_by_every_record_that_refers_to_them(editor_client):
    known = factories.InstitutionFactory(name="信发集团有限公司", kind="enterprise")
    page = propose(editor_client, article(CHIPING))
    data = review_data(page)
    xinfa = proposal_index(page, "institution", "信发集团")
    # The existing 信发集团有限公司 is offered for 信发集团, since its name contains the proposed one.
    assert known.pk in dict(page.context["form"].fields[f"p{xinfa}_match"].choices)
    data[f"p{xinfa}_match"] = str(known.pk)
    zhengtai = proposal_index(page, "institution", "聊城正泰房地产集团")
    data[f"p{zhengtai}_name"] = "聊城正泰房地产集团有限公司"
    data[f"p{zhengtai}_kind"] = "holding_group"
    framework = proposal_index(page, "agreement", "政校合作框架协议")
    data[f"p{framework}_kind"] = "strategic_cooperation"
    editor_client.post(INGEST_URL, data)
    assert not Institution.objects.filter(name__in=["信发集团", "聊城正泰房地产集团"]).exists()
    renamed = Institution.objects.get(name="聊城正泰房地产集团有限公司")
    assert renamed.kind == "holding_group"
    assert Agreement.objects.filter(parties__institution=renamed).count() == 1
    assert Agreement.objects.filter(parties__institution=known).count() == 1
    assert InstitutionCitation.objects.get(record=known).quote == "信发集团"
    assert Agreement.objects.get(title="政校合作框架协议").kind == "strategic_cooperation"


def test_an_accepted_proposal_without_a_name_is_a_form_error_and_stores_nothing(editor_client):
    page = propose(editor_client, article(CHIPING))
    data = review_data(page)
    index = proposal_index(page, "person", "金同元")
    data[f"p{index}_name"] = "  "
    again = editor_client.post(INGEST_URL, data)
    assert again.status_code == 400
    assert "Give a name" in " ".join(again.context["form"].errors[f"p{index}_name"])
    assert not SourceDocument.objects.exists()


def test_an_altered_review_is_refused_and_stores_nothing(editor_client):
    page = propose(editor_client, article(CHIPING))
    data = review_data(page)
    state = signing.loads(data["state"], salt=STATE_SALT)
    state["text"] = state["text"].replace("徐公义", "李四")
    data["state"] = signing.dumps(state, salt="another salt", compress=True)
    refused = editor_client.post(INGEST_URL, data)
    assert refused.status_code == 400 and "could not be read" in refused.content.decode()
    assert not SourceDocument.objects.exists()


def test_a_review_shown_to_one_editor_cannot_be_saved_by_another(editor_client):
    data = review_data(propose(editor_client, article(CHIPING)))
    other = Client()
    other.force_login(factories.editor(username="another-editor"))
    refused = other.post(INGEST_URL, data)
    assert refused.status_code == 400
    assert "prepared for another user" in refused.content.decode()
    assert not SourceDocument.objects.exists() and not Institution.objects.exists()


def test_staff_without_the_add_permission_on_sources_get_403(client):
    client.force_login(factories.analyst(is_staff=True))
    assert client.get(INGEST_URL).status_code == 403
    assert client.post(INGEST_URL, article(CHIPING)).status_code == 403
    assert "Ingest an article" not in client.get(reverse("admin:index")).content.decode()
    assert not SourceDocument.objects.exists()


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get(INGEST_URL)
    assert response.status_code == 302 and reverse("admin:login") in response.url


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("zh-hans", ("录入文章", "提出记录", "机构", "保存接受的提议")),
        ("en", ("Ingest an article", "Propose records", "Institutions", "Save the accepted proposals")),
    ],
)
def test_both_pages_speak_chinese_and_english(editor_client, settings, language, words):
    settings.LANGUAGE_CODE = language
    editor_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    form = editor_client.get(INGEST_URL, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert words[0] in form and words[1] in form
    review = editor_client.post(INGEST_URL, article(CHIPING), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert words[2] in review and words[3] in review


def test_every_review_field_has_a_label_and_the_save_button_follows_them(editor_client):
    content = propose(editor_client, article(CHIPING)).content.decode()
    controls = re.findall(r'<(?:input|select)[^>]*\bid="(id_p\d+_\w+)"', content)
    assert controls
    for control in controls:
        assert f'<label for="{control}"' in content
    assert content.rindex('id="id_p') < content.index('name="_save"')


def test_a_paste_over_the_upload_limit_is_a_form_error_and_stores_nothing(editor_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100_000
    page = editor_client.post(INGEST_URL, {"text": "校" * 100_000})
    assert page.status_code == 200 and page.templates[0].name.endswith("ingest_form.html")
    assert f"at most {100_000:,} bytes" in " ".join(page.context["form"].errors["text"])
    assert "Please correct the error" in page.content.decode()
    assert not SourceDocument.objects.exists()


def test_the_article_page_still_refuses_a_post_without_its_csrf_token(editor_client):
    editor_client.handler.enforce_csrf_checks = True
    page = editor_client.post(INGEST_URL, article(CHIPING))
    assert page.status_code == 403 and not SourceDocument.objects.exists()

"""Reading an article's bytes: text kept whole unless it is HTML, HTML never losing text, encodings detected."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from partnerships.ingest import article_text
from partnerships.models import SourceDocument
from tests import factories
from tests.api.base import client_for

pytestmark = pytest.mark.django_db

ARTICLES = Path(__file__).resolve().parent.parent / "articles"
# A simplified article (mainland sites write GB18030) and a traditional one (Taiwan and Hong Kong write Big5).
SIMPLIFIED = (ARTICLES / "liaocheng-jishi-chiping.txt").read_text(encoding="utf-8")
TRADITIONAL = (ARTICLES / "wenzhou-longwan-fushu-repost.txt").read_text(encoding="utf-8")
SENTENCE = SIMPLIFIED.split("。")[0] + "。"
# Markup in a plain text that the old reader took for HTML, each tag left open: 76 characters.
MARKUP = "会上<style 双方签署了合作协议<script 聊城市技师学院<svg/onload=alert(1)> 茌平区人民政府<p 共建信发产业学院。"
ADMIN_URL = reverse("admin:partnerships_sourcedocument_ingest")


def read(data: bytes, **kwargs) -> str:
    return article_text(data, name="article.txt", **kwargs)


@pytest.fixture
def editor_client(client):
    client.force_login(factories.editor())
    return client


def command_dry_run(path: Path) -> dict:
    out = StringIO()
    call_command("ingest", str(path), "--dry-run", "--format", "json", stdout=out, stderr=StringIO())
    return json.loads(out.getvalue())


def test_a_pasted_text_holding_markup_is_analysed_whole_in_the_api():
    response = client_for(factories.editor()).post(reverse("api:ingest"), {"text": MARKUP, "dry_run": True}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["source"]["length"] == len(MARKUP)


def test_a_txt_upload_holding_markup_is_stored_whole_from_the_admin_page(editor_client):
    upload = SimpleUploadedFile("article.txt", MARKUP.encode("utf-8"), content_type="text/plain")
    page = editor_client.post(ADMIN_URL, {"file": upload})
    assert page.status_code == 200 and page.templates[0].name.endswith("ingest_review.html"), page.context["form"].errors
    assert "&lt;svg/onload=alert(1)&gt;" in page.content.decode()
    editor_client.post(ADMIN_URL, {"state": page.context["form"]["state"].value()})
    assert SourceDocument.objects.get().text == MARKUP


def test_a_txt_file_holding_markup_is_read_whole_by_the_command(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text(MARKUP, encoding="utf-8")
    assert command_dry_run(path)["source"]["length"] == len(MARKUP)


@pytest.mark.parametrize("tag", ["<script", "<style", "<script>", "<style>", "<svg>", "<svg/onload=alert(1)>", "<!--"])
def test_html_reading_keeps_the_text_after_a_tag_left_open(tag):
    text = read(f"<p>前文。</p>{tag}{SENTENCE}".encode(), format="html")
    assert "前文。" in text and SENTENCE in text


def test_html_reading_still_drops_closed_scripts_and_styles():
    page = f"<style>p{{color:red}}</style><p>{SENTENCE}</p><script>alert(1)</script><svg><text>图</text></svg>"
    assert read(page.encode(), format="html") == SENTENCE


def test_the_api_reads_html_only_when_told():
    editor = client_for(factories.editor())
    page = f"<p>{SENTENCE}</p><script>alert(1)</script>"
    as_text = editor.post(reverse("api:ingest"), {"text": page, "dry_run": True}, format="json").json()
    as_html = editor.post(reverse("api:ingest"), {"text": page, "format": "html", "dry_run": True}, format="json").json()
    assert as_text["source"]["length"] == len(page)
    assert as_html["source"]["length"] == len(SENTENCE)


def test_the_admin_page_reads_a_pasted_page_as_html_when_told(editor_client):
    page = editor_client.post(ADMIN_URL, {"text": f"<p>{SENTENCE}</p><script>alert(1)</script>", "format": "html"})
    assert page.templates[0].name.endswith("ingest_review.html"), page.context["form"].errors
    assert "alert" not in page.context["source"]["title"] and page.context["source"]["length"] == len(SENTENCE)


def test_an_html_file_whose_first_tag_is_past_four_kilobytes_is_read_as_html(tmp_path, editor_client):
    markup = ("\n" * 5000 + f"<html><body><p>{SENTENCE}</p><script>alert(1)</script></body></html>").encode()
    path = tmp_path / "page.html"
    path.write_bytes(markup)
    assert command_dry_run(path)["source"]["length"] == len(SENTENCE)
    page = editor_client.post(ADMIN_URL, {"file": SimpleUploadedFile("page.htm", markup, content_type="text/html")})
    assert page.context["source"]["length"] == len(SENTENCE)


@pytest.mark.parametrize(
    ("text", "encoding"),
    [(SIMPLIFIED, "gb18030"), (TRADITIONAL, "big5"), (TRADITIONAL, "cp950"), (SENTENCE, "gb18030"), (TRADITIONAL.split("，")[0], "big5")],
    ids=["gb18030-article", "big5-article", "cp950-article", "gb18030-sentence", "big5-phrase"],
)
def test_a_legacy_encoding_is_detected_and_read_as_written(text, encoding):
    assert read(text.encode(encoding)) == text


def test_a_big5_txt_upload_is_stored_as_written(editor_client):
    factories.ProjectTypeFactory(code="industry-college", name="产业学院")
    upload = SimpleUploadedFile("repost.txt", TRADITIONAL.encode("big5"), content_type="text/plain")
    page = editor_client.post(ADMIN_URL, {"file": upload})
    assert page.templates[0].name.endswith("ingest_review.html"), page.context["form"].errors
    data = {"state": page.context["form"]["state"].value()}
    editor_client.post(ADMIN_URL, data)
    assert SourceDocument.objects.get().text == TRADITIONAL


def test_bytes_that_read_as_no_chinese_are_refused_naming_the_file(tmp_path, editor_client):
    # Latin-1 French: GB18030 decodes it without error, as characters no article holds.
    latin = "Le lycée professionnel a signé un accord de coopération avec l’entreprise.".encode("latin-1", "replace")
    page = editor_client.post(ADMIN_URL, {"file": SimpleUploadedFile("accord.txt", latin, content_type="text/plain")})
    assert "accord.txt is not Chinese text in UTF-8, GB18030 or Big5" in " ".join(page.context["form"].errors["file"])
    path = tmp_path / "accord.txt"
    path.write_bytes(latin)
    with pytest.raises(CommandError, match="accord.txt is not Chinese text"):
        command_dry_run(path)
    assert not SourceDocument.objects.exists()

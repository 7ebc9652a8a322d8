"""The queue: articles kept as pending reviews (manage.py ingest --queue, several files on the article page)."""

from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from partnerships.models import Agreement, Institution, PendingArticle, SourceDocument
from tests.ingest.test_admin_page import ARTICLES, INGEST_URL, review_data
from tests.ingest.test_admin_page import editor_client as editor_client  # a fixture, used by name

pytestmark = pytest.mark.django_db

PENDING_URL = reverse("admin:partnerships_pendingarticle_changelist")
NAMES = ("liaocheng-jishi-chiping.txt", "cuit-shuangliu.txt")


@pytest.fixture
def folder(tmp_path):
    for name in NAMES:
        (tmp_path / name).write_text((ARTICLES / name).read_text(encoding="utf-8"), encoding="utf-8")
        (tmp_path / name).with_suffix(".json").write_text((ARTICLES / name).with_suffix(".json").read_text(encoding="utf-8"))
    return tmp_path


def test_the_command_queues_each_article_of_a_folder_and_saves_no_records(folder):
    out = StringIO()
    call_command("ingest", str(folder), "--queue", stdout=out, stderr=StringIO())

    assert "Queued for review as pending article" in out.getvalue()
    assert sorted(PendingArticle.objects.values_list("file_name", flat=True)) == sorted(NAMES)
    assert not SourceDocument.objects.exists() and not Institution.objects.exists() and not Agreement.objects.exists()
    chiping = PendingArticle.objects.get(file_name=NAMES[0])
    assert chiping.proposal_counts()["agreement"] >= 4 and chiping.result["source"]["publisher"] == "聊城市技师学院"


def test_an_article_queued_already_is_refused_naming_the_pending_one(folder):
    call_command("ingest", str(folder / NAMES[0]), "--queue", stdout=StringIO(), stderr=StringIO())
    with pytest.raises(CommandError, match="already waiting for review as pending article"):
        call_command("ingest", str(folder / NAMES[0]), "--queue", stdout=StringIO(), stderr=StringIO())
    assert PendingArticle.objects.count() == 1


def test_the_admin_lists_pending_articles_with_their_proposal_counts_and_a_review_opens_pages_2_and_3(folder, editor_client):
    call_command("ingest", str(folder / NAMES[0]), "--queue", stdout=StringIO(), stderr=StringIO())
    pending = PendingArticle.objects.get()

    listing = editor_client.get(PENDING_URL).content.decode()
    assert pending.title in listing and f"?pending={pending.pk}" in listing
    assert f"agreements {pending.proposal_counts()['agreement']}" in listing

    page = editor_client.get(INGEST_URL, {"pending": pending.pk})
    assert page.status_code == 200 and page.templates[0].name.endswith("ingest_review.html")
    saved = editor_client.post(INGEST_URL, review_data(page))

    assert saved.status_code == 302
    pending.refresh_from_db()
    assert pending.status == "saved" and pending.source == SourceDocument.objects.get()
    assert Agreement.objects.filter(title="政校合作框架协议").exists()


def test_several_files_uploaded_on_the_article_page_are_queued(editor_client):
    files = [
        SimpleUploadedFile(name, (ARTICLES / name).read_bytes(), content_type="text/plain") for name in NAMES
    ]
    response = editor_client.post(INGEST_URL, {"files": files})

    assert response.status_code == 302 and response.url == PENDING_URL
    assert PendingArticle.objects.count() == 2
    assert all(article.created_by.username for article in PendingArticle.objects.select_related("created_by"))
    assert not SourceDocument.objects.exists()

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from partnerships.models import SourceDocument, text_checksum
from tests import factories
from tests.api.base import APITestCase, client_for, detail_url, list_url


class TestSourceDocumentAPI(APITestCase):
    basename = "sourcedocument"
    model = SourceDocument
    factory = factories.SourceDocumentFactory
    list_queries = 3

    def create_data(self):
        return {"key": "000-test", "title": "学大教育集团赴赣州考察", "publisher_name": "21世纪教育网", "text": "学大教育集团签署合作协议。"}

    def update_data(self):
        return {"publisher_name": "新华网"}

    def test_the_checksum_is_computed_on_create(self, db):
        response = client_for(factories.editor()).post(list_url(self.basename), self.create_data(), format="json")
        assert response.data["checksum"] == text_checksum(self.create_data()["text"])

    def test_deleting_a_cited_source_is_a_409(self, db):
        citation = factories.AgreementCitationFactory()
        response = client_for(factories.editor()).delete(detail_url(self.basename, citation.source.pk))
        assert response.status_code == 409
        assert response.data["dependents"][0]["count"] == 1
        assert SourceDocument.objects.filter(pk=citation.source.pk).exists()


HOSTILE_URL = 'https://a.cn/"><script>alert(1)</script>'


def test_a_url_with_characters_a_uri_does_not_allow_is_a_400_naming_the_url(db):
    editor = client_for(factories.editor())
    data = TestSourceDocumentAPI().create_data()
    response = editor.post(list_url("sourcedocument"), {**data, "url": HOSTILE_URL}, format="json")
    assert response.status_code == 400 and "url" in response.json()
    source = factories.SourceDocumentFactory()
    response = editor.patch(detail_url("sourcedocument", source.pk), {"url": HOSTILE_URL}, format="json")
    assert response.status_code == 400 and "url" in response.json()
    assert not SourceDocument.objects.filter(url=HOSTILE_URL).exists()


def test_a_percent_encoded_url_is_kept_as_sent(db):
    url = "https://a.cn/%E6%96%B0%E9%97%BB/page.htm?id=1&x=%22"
    response = client_for(factories.editor()).post(list_url("sourcedocument"), {**TestSourceDocumentAPI().create_data(), "url": url}, format="json")
    assert response.status_code == 201 and response.json()["url"] == url


def test_the_ingest_api_and_command_refuse_the_url_too(db, tmp_path):
    text = "聊城市技师学院与茌平区人民政府签署政校合作框架协议。"
    response = client_for(factories.editor()).post(reverse("api:ingest"), {"text": text, "url": HOSTILE_URL, "dry_run": True}, format="json")
    assert response.status_code == 400 and "url" in response.json()
    article = tmp_path / "a.txt"
    article.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError, match="percent-encode"):
        call_command("ingest", str(article), "--url", HOSTILE_URL, stdout=StringIO(), stderr=StringIO())
    assert not SourceDocument.objects.exists()

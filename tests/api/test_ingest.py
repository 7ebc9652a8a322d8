"""POST /api/v1/ingest/: the ingest engine behind the API, answering as `manage.py ingest --format json` does."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from partnerships.models import Agreement, AgreementCitation, Institution, SourceDocument
from partnerships.services import INGEST_CHANGE_REASON
from tests import factories
from tests.api.base import client_for

pytestmark = pytest.mark.django_db

URL = reverse("api:ingest")
CHIPING = Path(__file__).resolve().parent.parent / "articles" / "liaocheng-jishi-chiping.txt"
STATED = {"published": "2024-09-25", "publisher": "聊城市技师学院", "url": "http://www.lcsjsxy.cn/xqhzyjy/2024/0925/c484a46581/page.htm"}


def chiping(**extra) -> dict:
    return {"text": CHIPING.read_text(encoding="utf-8"), **STATED, **extra}


@pytest.fixture
def editor():
    return client_for(factories.editor())


def test_a_dry_run_answers_the_json_of_the_command_and_stores_nothing(editor):
    response = editor.post(URL, chiping(dry_run=True), format="json")
    assert response.status_code == 200
    out = StringIO()
    call_command(
        "ingest", str(CHIPING), "--dry-run", "--format", "json",
        "--published", STATED["published"], "--publisher", STATED["publisher"], "--url", STATED["url"], stdout=out,
    )
    command = json.loads(out.getvalue())
    command.pop("path")
    assert response.json() == command
    assert not SourceDocument.objects.exists() and not Institution.objects.exists()


def test_saving_stores_the_records_with_citations_and_a_second_time_is_a_400_naming_the_text(editor):
    response = editor.post(URL, chiping(), format="json")
    assert response.status_code == 201
    assert response.json()["saved"]["agreements created"] == 4
    source = SourceDocument.objects.get()
    assert str(source.published_on) == "2024-09-25" and source.publisher.name == "聊城市技师学院"
    framework = Agreement.objects.get(title="政校合作框架协议")
    assert AgreementCitation.objects.filter(record=framework, source=source).exists()
    assert framework.history.first().history_change_reason == INGEST_CHANGE_REASON

    counts = (SourceDocument.objects.count(), Institution.objects.count(), Agreement.objects.count())
    again = editor.post(URL, chiping(), format="json")
    assert again.status_code == 400
    assert "already stored as source document" in again.json()["text"][0]
    assert (SourceDocument.objects.count(), Institution.objects.count(), Agreement.objects.count()) == counts


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "text"),
        ({"text": ""}, "text"),
        ({"text": "   \n"}, "text"),
        ({"text": "合作\x07协议"}, "text"),
        ({"text": "合作\x00协议"}, "text"),
        ({"text": "校" * 400_000}, "text"),
        ({"text": "<html><script>steal()</script></html>", "format": "html"}, "text"),
        ({"text": "学院签约", "format": "pdf"}, "format"),
        ({"text": ["学院签约"]}, "text"),
        ({"text": "学院签约", "published": "2024-02-30"}, "published"),
        ({"text": "学院签约", "url": "javascript:alert(1)"}, "url"),
        ({"text": "学院签约", "publisher": "校" * 201}, "publisher"),
        ({"text": "学院签约", "dry_run": "perhaps"}, "dry_run"),
    ],
    ids=["missing", "empty", "blank", "control", "nul", "too-long", "scripts-only", "format", "not-a-string", "date", "url",
         "publisher", "dry-run"],
)
def test_bad_input_is_a_400_naming_the_field_and_stores_nothing(editor, data, field):
    response = editor.post(URL, data, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not SourceDocument.objects.exists()


def test_analysts_may_not_ingest_and_anonymous_clients_must_authenticate():
    assert client_for(factories.analyst()).post(URL, chiping(dry_run=True), format="json").status_code == 403
    assert client_for(None).post(URL, chiping(dry_run=True), format="json").status_code == 401
    assert not SourceDocument.objects.exists()


def test_the_schema_documents_the_endpoint(client):
    schema = client.get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/ingest/"]["post"]
    request = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert set(schema["components"]["schemas"][request]["properties"]) == {"text", "format", "url", "published", "publisher", "dry_run"}
    assert {"200", "201"} <= set(operation["responses"])

"""No lost update: ETag on detail responses, If-Match on writes, PATCH writes only what it sends."""

import pytest
from concurrency.exceptions import RecordModifiedError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from partnerships.models import Agreement
from tests import factories
from tests.api.base import client_for, detail_url


@pytest.mark.django_db
class TestConditionalRequests:
    def test_a_detail_response_carries_the_version_as_etag(self):
        agreement = factories.AgreementFactory()
        response = client_for(factories.analyst()).get(detail_url("agreement", agreement.pk))
        assert response["ETag"] == f'"{agreement.version}"'

    def test_a_write_with_the_current_etag_succeeds_and_answers_the_new_one(self):
        agreement = factories.AgreementFactory()
        client = client_for(factories.editor())
        etag = client.get(detail_url("agreement", agreement.pk))["ETag"]
        response = client.patch(detail_url("agreement", agreement.pk), {"title": "新标题"}, format="json", HTTP_IF_MATCH=etag)
        assert response.status_code == 200
        agreement.refresh_from_db()
        assert agreement.title == "新标题"
        assert response["ETag"] == f'"{agreement.version}"' != etag

    @pytest.mark.parametrize("method", ["patch", "put", "delete"])
    def test_a_write_with_a_stale_etag_is_a_412_and_changes_nothing(self, method):
        agreement = factories.AgreementFactory(title="原标题")
        client = client_for(factories.editor())
        stale = client.get(detail_url("agreement", agreement.pk))["ETag"]
        assert client.patch(detail_url("agreement", agreement.pk), {"notes": "先到"}, format="json").status_code == 200
        response = getattr(client, method)(
            detail_url("agreement", agreement.pk), {"title": "后到"}, format="json", HTTP_IF_MATCH=stale
        )
        assert response.status_code == 412
        assert response["Content-Type"] == "application/json"
        assert "detail" in response.json()
        agreement.refresh_from_db()
        assert (agreement.title, agreement.notes) == ("原标题", "先到")
        assert response["ETag"] == f'"{agreement.version}"'

    def test_if_match_star_is_honoured(self):
        agreement = factories.AgreementFactory()
        client = client_for(factories.editor())
        assert client.patch(detail_url("agreement", agreement.pk), {"notes": "a"}, format="json", HTTP_IF_MATCH="*").status_code == 200

    @pytest.mark.parametrize("method", ["patch", "put", "delete"])
    def test_a_weak_tag_never_matches_so_the_write_is_a_412(self, method):
        agreement = factories.AgreementFactory(title="原标题")
        client = client_for(factories.editor())
        weak = f'W/{client.get(detail_url("agreement", agreement.pk))["ETag"]}'
        response = getattr(client, method)(detail_url("agreement", agreement.pk), {"title": "新"}, format="json", HTTP_IF_MATCH=weak)
        assert response.status_code == 412
        agreement.refresh_from_db()
        assert agreement.title == "原标题"

    def test_patch_writes_only_the_fields_it_sends(self):
        agreement = factories.AgreementFactory()
        client = client_for(factories.editor())
        with CaptureQueriesContext(connection) as queries:
            assert client.patch(detail_url("agreement", agreement.pk), {"notes": "只改备注"}, format="json").status_code == 200
        updates = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "partnerships_agreement"')]
        assert len(updates) == 1
        assigned = updates[0].split(" SET ", 1)[1].split(" WHERE ", 1)[0]
        assert '"notes"' in assigned and '"version"' in assigned
        assert '"title"' not in assigned and '"status"' not in assigned

    def test_two_editors_changing_different_fields_keep_both_changes(self):
        agreement = factories.AgreementFactory(title="原标题", notes="")
        first, second = client_for(factories.editor()), client_for(factories.editor())
        assert first.patch(detail_url("agreement", agreement.pk), {"title": "甲改的标题"}, format="json").status_code == 200
        assert second.patch(detail_url("agreement", agreement.pk), {"notes": "乙加的备注"}, format="json").status_code == 200
        agreement.refresh_from_db()
        assert (agreement.title, agreement.notes) == ("甲改的标题", "乙加的备注")


@pytest.mark.django_db
def test_saving_a_stale_copy_of_a_record_is_refused():
    agreement = factories.AgreementFactory()
    mine, theirs = Agreement.objects.get(pk=agreement.pk), Agreement.objects.get(pk=agreement.pk)
    theirs.title = "他们的"
    theirs.save()
    mine.title = "我的"
    with pytest.raises(RecordModifiedError), transaction.atomic():
        mine.save()
    agreement.refresh_from_db()
    assert agreement.title == "他们的"

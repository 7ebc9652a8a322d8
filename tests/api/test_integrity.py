"""Integrity: vocabulary links protected like foreign keys, regions read-only, citations kept true, honest 409s."""

import pytest
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse

from partnerships.api.exceptions import user_constraint
from partnerships.models import Agreement, ProjectType, Region, SourceDocument
from tests import factories
from tests.api.base import client_for, detail_url, list_url


@pytest.mark.django_db
class TestVocabularyLinks:
    def test_deleting_a_project_type_in_use_is_a_409_naming_the_agreements(self):
        project_type = factories.ProjectTypeFactory()
        agreements = [factories.AgreementFactory(project_types=[project_type]) for _ in range(5)]
        response = client_for(factories.editor()).delete(detail_url("projecttype", project_type.pk))
        assert response.status_code == 409
        [dependents] = response.json()["dependents"]
        assert dependents["count"] == 5
        assert set(dependents["examples"]) == {agreement.title for agreement in agreements}
        assert ProjectType.objects.filter(pk=project_type.pk).exists()
        assert all(list(agreement.project_types.all()) == [project_type] for agreement in agreements)

    def test_deleting_an_industry_in_use_is_a_409(self):
        industry = factories.IndustryFactory()
        factories.AgreementFactory(industries=[industry])
        assert client_for(factories.editor()).delete(detail_url("industry", industry.pk)).status_code == 409

    def test_deleting_an_agreement_a_project_comes_from_is_a_409_and_keeps_the_link(self):
        agreement = factories.AgreementFactory()
        project = factories.ProjectFactory()
        project.agreements.add(agreement)
        response = client_for(factories.editor()).delete(detail_url("agreement", agreement.pk))
        assert response.status_code == 409
        [dependents] = response.json()["dependents"]
        assert dependents["count"] == 1
        assert list(project.agreements.all()) == [agreement]

    def test_deleting_a_project_drops_its_links_but_not_the_agreements(self):
        agreement = factories.AgreementFactory()
        project = factories.ProjectFactory()
        project.agreements.add(agreement)
        assert client_for(factories.editor()).delete(detail_url("project", project.pk)).status_code == 204
        assert Agreement.objects.filter(pk=agreement.pk).exists()

    def test_an_unused_project_type_can_be_deleted(self):
        project_type = factories.ProjectTypeFactory()
        assert client_for(factories.editor()).delete(detail_url("projecttype", project_type.pk)).status_code == 204

    def test_changing_the_links_keeps_their_history(self):
        first, second = factories.ProjectTypeFactory(), factories.ProjectTypeFactory()
        agreement = factories.AgreementFactory(project_types=[first])
        client = client_for(factories.editor())
        response = client.patch(detail_url("agreement", agreement.pk), {"project_types": [second.pk]}, format="json")
        assert response.status_code == 200
        snapshots = [
            {link.projecttype_id for link in record.project_types.all()}
            for record in Agreement.history.filter(id=agreement.pk).order_by("history_date")
        ]
        assert {first.pk} in snapshots and snapshots[-1] == {second.pk}


@pytest.mark.django_db
class TestRegionsAreReadOnly:
    @pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
    def test_no_one_writes_regions_through_the_api(self, method, region):
        client = client_for(factories.UserFactory(is_superuser=True))
        url = list_url("region") if method == "post" else detail_url("region", region("360783").pk)
        response = getattr(client, method)(url, {"name": "改名"}, format="json")
        assert response.status_code == 405
        assert Region.objects.get(code="360783").name == "龙南市"

    def test_the_admin_shows_regions_but_does_not_change_them(self, region):
        client = Client()
        client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
        longnan = region("360783")
        assert client.get(reverse("admin:partnerships_region_change", args=[longnan.pk])).status_code == 200
        client.post(reverse("admin:partnerships_region_change", args=[longnan.pk]), {"code": "360783", "name": "改名", "level": "county"})
        assert client.get(reverse("admin:partnerships_region_add")).status_code == 403
        assert client.post(reverse("admin:partnerships_region_delete", args=[longnan.pk]), {"post": "yes"}).status_code == 403
        assert Region.objects.get(code="360783").name == "龙南市"


@pytest.mark.django_db
class TestCitedSourceText:
    def test_a_text_that_breaks_citations_is_a_400_naming_them(self):
        citation = factories.AgreementCitationFactory()
        source = citation.source
        response = client_for(factories.editor()).patch(
            detail_url("sourcedocument", source.pk), {"text": "全文改写，已无原句。"}, format="json"
        )
        assert response.status_code == 400
        assert citation.record.title in " ".join(response.json()["text"])
        source.refresh_from_db()
        assert "签署合作协议" in source.text

    def test_a_text_that_keeps_every_quote_in_place_is_accepted(self):
        citation = factories.AgreementCitationFactory()
        new_text = citation.source.text + "（补记）"
        response = client_for(factories.editor()).patch(detail_url("sourcedocument", citation.source.pk), {"text": new_text}, format="json")
        assert response.status_code == 200
        assert SourceDocument.objects.get(pk=citation.source.pk).text == new_text

    def test_the_admin_refuses_the_same_edit(self):
        citation = factories.AgreementCitationFactory()
        source = citation.source
        client = Client()
        client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
        data = {"key": source.key, "title": source.title, "language": source.language, "text": "全文改写。", "version": source.version}
        response = client.post(reverse("admin:partnerships_sourcedocument_change", args=[source.pk]), data)
        assert response.status_code == 200
        assert citation.record.title in response.content.decode()
        source.refresh_from_db()
        assert "签署合作协议" in source.text


class FakeDiag:
    def __init__(self, name):
        self.constraint_name = name


class FakeCause(Exception):
    def __init__(self, sqlstate, name):
        super().__init__(name)
        self.sqlstate, self.diag = sqlstate, FakeDiag(name)


@pytest.mark.parametrize(
    ("sqlstate", "expected"),
    [("23505", "partnerships_agreement_reference_key"), ("23514", "partnerships_agreement_reference_key"), ("23503", None), ("23502", None)],
)
def test_only_unique_and_check_violations_are_conflicts_on_postgresql(sqlstate, expected):
    error = IntegrityError("violation")
    error.__cause__ = FakeCause(sqlstate, "partnerships_agreement_reference_key")
    assert user_constraint(error) == expected


def test_only_unique_and_check_violations_are_conflicts_on_sqlite():
    assert user_constraint(IntegrityError("UNIQUE constraint failed: partnerships_agreement.reference")) == (
        "partnerships_agreement.reference"
    )
    assert user_constraint(IntegrityError("FOREIGN KEY constraint failed")) is None
    assert user_constraint(IntegrityError("NOT NULL constraint failed: partnerships_agreement.title")) is None


@pytest.mark.django_db
def test_an_integrity_error_users_cannot_cause_is_a_logged_500(caplog):
    from unittest import mock

    client = client_for(factories.editor())
    client.raise_request_exception = False
    with mock.patch("partnerships.api.serializers.services.record_save", side_effect=IntegrityError("FOREIGN KEY constraint failed")):
        response = client.post(list_url("projecttype"), {"code": "x", "name": "某类"}, format="json")
    assert response.status_code == 500
    assert response.json() == {"detail": "A server error occurred."}
    assert "Integrity error" in caplog.text

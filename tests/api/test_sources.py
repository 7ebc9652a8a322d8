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

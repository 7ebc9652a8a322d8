from partnerships.models import Institution, Region
from tests import factories
from tests.api.base import APITestCase


class TestInstitutionAPI(APITestCase):
    basename = "institution"
    model = Institution
    factory = factories.InstitutionFactory
    list_queries = 5

    def make(self):
        institution = factories.InstitutionFactory(region=Region.objects.get(code="360702"), parent=factories.InstitutionFactory())
        factories.InstitutionAliasFactory(institution=institution)
        factories.InstitutionCitationFactory(record=institution)
        return institution

    def create_data(self):
        return {"name": "赣州师范高等专科学校", "kind": "higher_vocational_college", "region": "360700"}

    def update_data(self):
        return {"name_en": "Gannan Normal College", "kind": "university"}

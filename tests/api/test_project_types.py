from partnerships.models import Industry, ProjectType
from tests import factories
from tests.api.base import APITestCase


class TestProjectTypeAPI(APITestCase):
    basename = "projecttype"
    model = ProjectType
    factory = factories.ProjectTypeFactory
    list_queries = 4

    def create_data(self):
        return {"code": "industry-college", "name": "产业学院", "name_en": "industry college"}

    def update_data(self):
        return {"description": "校企共建的产业学院"}


class TestIndustryAPI(APITestCase):
    basename = "industry"
    model = Industry
    factory = factories.IndustryFactory
    list_queries = 4

    def create_data(self):
        return {"code": "integrated-circuits", "name": "集成电路"}

    def update_data(self):
        return {"name_en": "integrated circuits"}

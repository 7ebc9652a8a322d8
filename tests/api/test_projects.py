from partnerships.models import Funding, InstitutionRelation, Project
from tests import factories
from tests.api.base import APITestCase


class TestProjectAPI(APITestCase):
    basename = "project"
    model = Project
    factory = factories.ProjectFactory
    list_queries = 9

    def make(self):
        project = factories.ProjectFactory(institution=factories.InstitutionFactory(kind="secondary_college"))
        project.agreements.set([factories.AgreementFactory()])
        factories.cite(factories.ProjectBuilderFactory(project=project))
        factories.cite(factories.ProjectQuantityFactory(project=project))
        factories.cite(project)
        return project

    def create_data(self):
        return {
            "name": "信发产业学院",
            "project_type": factories.ProjectTypeFactory(code="industry-college").code,
            "status": "established",
            "agreements": [factories.AgreementFactory().pk],
            "builders": [{"institution": factories.InstitutionFactory().pk, "role": "lead"}],
            "quantities": [{"measure": "students", "value": "170", "unit": "名", "approximate": True}],
        }

    def update_data(self):
        return {"status": "running", "place": "茌平区"}


class TestFundingAPI(APITestCase):
    basename = "funding"
    model = Funding
    factory = factories.FundingFactory
    list_queries = 4

    def make(self):
        funding = factories.FundingFactory()
        factories.cite(funding)
        return funding

    def create_data(self):
        return {"amount": "1000000000.00", "approximate": True, "kind": "investment", "project": factories.ProjectFactory().pk}

    def update_data(self):
        return {"currency": "USD"}


class TestInstitutionRelationAPI(APITestCase):
    basename = "institutionrelation"
    model = InstitutionRelation
    factory = factories.InstitutionRelationFactory
    list_queries = 4

    def make(self):
        relation = factories.InstitutionRelationFactory(kind="subsidiary_of", share=100)
        factories.cite(relation)
        return relation

    def create_data(self):
        return {"subject": factories.InstitutionFactory().pk, "kind": "chair_of", "object": factories.InstitutionFactory().pk}

    def update_data(self):
        return {"share": "51.00"}

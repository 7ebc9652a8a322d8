from partnerships.models import Person
from tests import factories
from tests.api.base import APITestCase


class TestPersonAPI(APITestCase):
    basename = "person"
    model = Person
    factory = factories.PersonFactory
    list_queries = 6

    def make(self):
        person = factories.PersonFactory()
        factories.PostFactory(person=person, title="党委书记")
        factories.PostFactory(person=person)
        return person

    def create_data(self):
        return {"name": "姜在东", "disambiguation": "赣州师专校长"}

    def update_data(self):
        return {"name_en": "Jiang Zaidong"}

from partnerships.models import Event
from tests import factories
from tests.api.base import APITestCase


class TestEventAPI(APITestCase):
    basename = "event"
    model = Event
    factory = factories.EventFactory
    list_queries = 7

    def make(self):
        event = factories.EventFactory(parent=factories.EventFactory())
        factories.EventParticipantFactory(event=event, person=factories.PersonFactory())
        factories.EventParticipantFactory(event=event)
        return event

    def create_data(self):
        return {"title": "学大教育集团赣州考察调研", "kind": "visit", "start_date": "2023-11-28", "end_date": "2023-11-29", "date_precision": "range", "region": "360700"}

    def update_data(self):
        return {"place": "赣州市"}

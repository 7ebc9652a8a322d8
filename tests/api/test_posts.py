from partnerships.models import Post
from tests import factories
from tests.api.base import APITestCase, client_for, list_url


class TestPostAPI(APITestCase):
    basename = "post"
    model = Post
    factory = factories.PostFactory
    list_queries = 4

    def create_data(self):
        return {
            "person": factories.PersonFactory().pk,
            "institution": factories.InstitutionFactory().pk,
            "title": "党委书记",
            "start_date": "2020-01-01",
        }

    def update_data(self):
        return {"title_en": "Party Secretary", "end_date": "2024-06-30"}

    def test_an_end_before_the_start_is_a_400_not_a_database_error(self, db):
        data = {**self.create_data(), "end_date": "2019-01-01"}
        response = client_for(factories.editor()).post(list_url(self.basename), data, format="json")
        assert response.status_code == 400
        assert not Post.objects.exists()

from partnerships.models import Region
from tests import factories
from tests.api.base import APITestCase, client_for, detail_url, list_url


class TestRegionAPI(APITestCase):
    basename = "region"
    model = Region
    factory = factories.RegionFactory
    list_queries = 3

    def create_data(self):
        return {"code": "980000", "name": "测试省", "level": "province"}

    def update_data(self):
        return {"division_type": "省"}

    def test_a_region_reads_with_its_path(self, db, region):
        data = client_for(factories.analyst()).get(detail_url("region", region("360783").pk)).data
        assert [level["name"] for level in data["path"]] == ["江西省", "赣州市", "龙南市"]
        assert data["parent"]["code"] == "360700"

    # Regions are read-only through the API (load_regions keeps them): every write is a 405.

    def test_create_object(self):
        count = Region.objects.count()
        response = client_for(factories.editor()).post(list_url(self.basename), self.create_data(), format="json")
        assert response.status_code == 405
        assert Region.objects.count() == count

    def test_create_object_without_permission_is_forbidden(self):
        self.test_create_object()

    def test_create_object_with_an_empty_body_names_the_missing_fields(self):
        assert client_for(factories.editor()).post(list_url(self.basename), {}, format="json").status_code == 405

    def test_update_object(self):
        record = self.make()
        response = client_for(factories.editor()).patch(detail_url(self.basename, record.pk), self.update_data(), format="json")
        assert response.status_code == 405

    def test_update_object_without_permission_is_forbidden(self):
        self.test_update_object()

    def test_delete_object(self):
        record = self.factory()
        assert client_for(factories.editor()).delete(detail_url(self.basename, record.pk)).status_code == 405
        assert Region.objects.filter(pk=record.pk).exists()

    def test_delete_object_without_permission_is_forbidden(self):
        self.test_delete_object()

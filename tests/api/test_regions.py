from partnerships.models import Region
from tests import factories
from tests.api.base import APITestCase, client_for, detail_url


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

    def test_deleting_a_region_with_sub_regions_is_a_409_naming_them(self, db, region):
        response = client_for(factories.editor()).delete(detail_url("region", region("360700").pk))
        assert response.status_code == 409
        assert response.data["dependents"][0]["model"] == str(Region._meta.verbose_name)
        assert "龙南市" in response.data["dependents"][0]["examples"] or response.data["dependents"][0]["count"] > 5

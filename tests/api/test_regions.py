from partnerships.models import Region
from tests import factories
from tests.api.base import GetObjectTests, ListObjectsTests, ReadOnlyTests, client_for, detail_url


class TestRegionAPI(GetObjectTests, ListObjectsTests, ReadOnlyTests):
    """Regions are read-only through the API (load_regions keeps them)."""

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

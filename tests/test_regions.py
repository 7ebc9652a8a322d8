import pytest

from partnerships.choices import RegionLevelChoices
from partnerships.models import Region
from partnerships.services import regions_load

pytestmark = pytest.mark.django_db


def test_loading_regions_again_changes_nothing():
    before = Region.history.count()
    result = regions_load()
    assert (result.created, result.updated) == (0, 0)
    assert result.unchanged == Region.objects.count()
    assert Region.history.count() == before


def test_loading_regions_restores_a_changed_name():
    Region.objects.filter(code="360783").update(name="龙南县")
    assert regions_load().updated == 1
    assert Region.objects.get(code="360783").name == "龙南市"


def test_every_level_of_china_is_loaded_with_real_codes():
    assert Region.objects.filter(level=RegionLevelChoices.PROVINCE).count() == 34
    assert Region.objects.get(code="360000").name == "江西省"
    assert Region.objects.get(code="360700").level == RegionLevelChoices.PREFECTURE
    longnan = Region.objects.get(code="360783")
    assert (longnan.name, longnan.level, longnan.division_type) == ("龙南市", RegionLevelChoices.COUNTY, "县级市")
    assert Region.objects.get(code="710000").name == "台湾省"


def test_municipal_districts_sit_directly_under_the_municipality():
    dongcheng = Region.objects.get(code="110101")
    assert dongcheng.level == RegionLevelChoices.COUNTY
    assert dongcheng.parent.code == "110000"


def test_prefecture_subtree_holds_its_counties_and_nothing_else():
    ganzhou = Region.objects.get(code="360700")
    codes = set(Region.objects.subtree(ganzhou).values_list("code", flat=True))
    assert {"360700", "360783", "360724", "360702"} <= codes
    assert "360100" not in codes and "360000" not in codes
    assert all(code.startswith("3607") for code in codes)


def test_province_subtree_reaches_counties_two_levels_down():
    jiangxi = Region.objects.get(code="360000")
    codes = set(Region.objects.subtree(jiangxi).values_list("code", flat=True))
    assert {"360000", "360700", "360783", "360100"} <= codes
    assert not any(code.startswith("44") for code in codes)


def test_county_subtree_is_itself():
    longnan = Region.objects.get(code="360783")
    assert list(Region.objects.subtree(longnan)) == [longnan]


def test_region_path_runs_from_the_province_down():
    longnan = Region.objects.select_related("parent__parent").get(code="360783")
    assert [region.name for region in longnan.ancestors()] == ["江西省", "赣州市"]


class TestCachedSubtrees:
    """A region filter reads its subtree from the cache, and no change of the tree leaves it stale."""

    def test_a_region_filter_reads_its_subtree_once(self, django_assert_num_queries):
        from partnerships.filtersets import AgreementFilterSet
        from partnerships.models import Agreement

        def filtered():
            filterset = AgreementFilterSet({"region": "360700"}, queryset=Agreement.objects.all())
            assert filterset.is_valid(), filterset.errors
            return filterset.qs

        with django_assert_num_queries(2):  # the region by its code, then its subtree
            filtered()
        with django_assert_num_queries(1):
            filtered()

    def test_a_new_region_joins_its_parents_cached_subtree(self):
        from partnerships.models.regions import subtree_ids

        ganzhou = Region.objects.get(code="360700")
        before = subtree_ids(ganzhou)
        added = Region.objects.create(code="360799", name="测试新区", level=RegionLevelChoices.COUNTY, parent=ganzhou)
        assert set(subtree_ids(ganzhou)) == {*before, added.pk}
        jiangxi = Region.objects.get(code="360000")
        assert added.pk in subtree_ids(jiangxi)
        added.delete()
        assert set(subtree_ids(ganzhou)) == set(before)

    def test_loading_the_divisions_makes_the_cached_subtrees_stale(self):
        from partnerships.models.regions import subtree_ids

        ganzhou = Region.objects.get(code="360700")
        # Moved under 南昌市 by a queryset update, which sends no signal.
        Region.objects.filter(code="360783").update(parent=Region.objects.get(code="360100"))
        assert Region.objects.get(code="360783").pk not in subtree_ids(ganzhou)
        regions_load()  # puts it back under 赣州市, in bulk
        assert Region.objects.get(code="360783").pk in subtree_ids(ganzhou)

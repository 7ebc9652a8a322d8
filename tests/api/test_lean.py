"""The lean read path gives every list item exactly as its serializer does, for every resource."""

import json

import pytest
from django.db import connection
from rest_framework import serializers

from partnerships.api import lean
from partnerships.api.lean import ShapeRows
from partnerships.api.plan import PlanUnsupported, compile_shape, shape_of
from partnerships.api.urls import router
from partnerships.api.views import RecordViewSet
from tests import factories
from tests.api.base import client_for, list_url
from tests.api.conftest import thin_lists
from tests.api.test_real_article_chiping_xinfa import record_article
from tests.factories import agreement_with_everything

# The records' resources; saved views are a user's settings, listed plainly and never exported.
RESOURCES = [(prefix, viewset) for prefix, viewset, _ in router.registry if issubclass(viewset, RecordViewSet)]


def both_ways(viewset) -> tuple[list[dict], list[dict]]:
    """Return every record of a resource through its serializer and through the lean path, as JSON would carry them."""
    serializer = viewset.serializer_class(context={})
    queryset = viewset.queryset.all()
    rows = ShapeRows(shape_of(viewset.serializer_class, queryset.model))
    serialized = [serializer.to_representation(record) for record in queryset]
    # Through JSON, as a response carries them: the two must agree to the byte, not only to equality.
    return json.loads(json.dumps(serialized, ensure_ascii=False)), json.loads(json.dumps(rows.read(queryset), ensure_ascii=False))


def assert_same_for_every_resource(*, every_resource_has_records: bool = True, several_in_every_list: bool = False):
    for prefix, viewset in RESOURCES:
        serialized, read = both_ways(viewset)
        assert serialized or not every_resource_has_records, f"no {prefix} to compare"
        if several_in_every_list:
            assert not thin_lists(serialized), f"{prefix}: lists without several items anywhere"
        # Lists in order: the plan orders a list's items by their model's ordering (then id, if it can tie) on every path.
        assert read == serialized, prefix
        # The same keys in the same order: a response reads the same, byte for byte.
        assert [list(item) for item in read] == [list(item) for item in serialized], prefix


@pytest.mark.parametrize(("prefix", "viewset"), RESOURCES)
def test_every_resource_has_a_lean_list(prefix, viewset):
    ShapeRows(shape_of(viewset.serializer_class, viewset.queryset.model))


def test_the_lean_path_gives_every_record_as_the_serializer_does(every_kind_of_record):
    assert_same_for_every_resource()


def test_the_lean_path_gives_generated_records_with_long_lists_as_the_serializer_does(generated_records):
    assert_same_for_every_resource(several_in_every_list=True)


@pytest.mark.usefixtures("seeded")
@pytest.mark.django_db
class TestSeeds:
    def test_the_lean_path_gives_the_seed_records_as_the_serializer_does(self):
        assert_same_for_every_resource(every_resource_has_records=False)


@pytest.mark.django_db
def test_the_lean_path_gives_a_recorded_real_article_as_the_serializer_does():
    record_article()
    assert_same_for_every_resource(every_resource_has_records=False)


def test_a_serializer_field_the_lean_path_cannot_read_is_refused():
    class WithComputedField(router.registry[0][1].serializer_class):
        computed = serializers.SerializerMethodField()

        class Meta(router.registry[0][1].serializer_class.Meta):
            fields = [*router.registry[0][1].serializer_class.Meta.fields, "computed"]

        def get_computed(self, record):
            return 1

    with pytest.raises(PlanUnsupported):
        compile_shape(WithComputedField(context={}), router.registry[0][1].queryset.model)


@pytest.mark.django_db
def test_a_list_page_is_the_lean_representation_and_the_detail_the_serializers():

    agreement = agreement_with_everything()
    client = client_for(factories.analyst())
    listed = client.get(list_url("agreement"))
    detail = client.get(f"{list_url('agreement')}{agreement.pk}/")
    assert listed.status_code == detail.status_code == 200
    assert json.loads(listed.content)["results"] == [json.loads(detail.content)]


def plan_cache_mode(on=connection) -> str:
    with on.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        return cursor.fetchone()[0]


@pytest.mark.postgresql
@pytest.mark.django_db
class TestReadsByIdTogether:
    """A page's rows and its lists are read in one round trip, with PostgreSQL's generic plans."""

    def test_a_pages_by_id_reads_run_on_generic_plans_and_leave_the_setting_as_it_was(self):
    
        agreement_with_everything()
        client = client_for(factories.analyst())
        # Prepared from the statement's 5th run on the connection (prepare_threshold).
        for _ in range(7):
            assert client.get(list_url("agreement")).status_code == 200
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
                " WHERE statement LIKE %s AND statement LIKE %s",
                ['SELECT "partnerships_agreementparty".%', "% = ANY($%"],
            )
            (generic, custom), = cursor.fetchall()
        # Left to choose, PostgreSQL plans a read of one agreement's parties again every time.
        assert generic >= 2 and custom == 0
        assert plan_cache_mode() == "auto"

    def test_a_failing_read_raises_a_database_error_and_leaves_the_setting_as_it_was(self):
        from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

        # A connection of its own, in autocommit as a request's is, outside the test's transaction.
        other = connections.create_connection(DEFAULT_DB_ALIAS)
        try:
            with pytest.raises(DatabaseError, match="division by zero"):
                lean.run_together(other, [("SELECT 1", []), ("SELECT 1 / %s", [0]), ("SELECT 2", [])])
            assert plan_cache_mode(other) == "auto"
            assert lean.run_together(other, [("SELECT %s::int", [1]), ("SELECT 2", [])]) == [[(1,)], [(2,)]]
            assert plan_cache_mode(other) == "auto"
        finally:
            other.close()

"""A long CSV export split among connections (partnerships/api/copy_export.py): the rows of one, in order.

Its own module: the test runs outside a transaction, so that the other connections see its
records, and a transactional test empties every table when it ends (regions_restored).
"""

import pytest

from partnerships.api import copy_export
from tests import factories
from tests.api.base import client_for, csv_rows, list_url
from tests.factories import agreement_with_everything

pytestmark = pytest.mark.usefixtures("regions_restored")


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_long_export_split_among_connections_gives_the_rows_of_one_in_the_same_order(monkeypatch, settings):
    for _ in range(7):
        agreement_with_everything()
    client = client_for(factories.analyst())
    monkeypatch.setattr(copy_export, "EXPORT_SPLIT_ROWS", 1_000_000)
    whole = csv_rows(client.get(list_url("agreement"), {"format": "csv", "ordering": "title"}))
    monkeypatch.setattr(copy_export, "EXPORT_SPLIT_ROWS", 2)
    settings.EXPORT_JOBS = 3
    started = []
    original = copy_export._Helper.__init__

    def counted(self, *args):
        started.append(args[-1])
        original(self, *args)

    monkeypatch.setattr(copy_export._Helper, "__init__", counted)
    split = csv_rows(client.get(list_url("agreement"), {"format": "csv", "ordering": "title"}))
    assert len(started) == 2  # parts 2 and 3 written by connections of their own
    assert split == whole
    assert len(whole) == 1 + 7

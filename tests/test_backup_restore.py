"""Backup and restore: a natural-key dump of the seeded database restores into an empty one, and the API answers the same."""

import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from partnerships.services import seeds_load
from tests import factories
from tests.api.base import client_for, list_url

DUMPED = ["auth.group", "auth.user", "partnerships"]
# Derived, keyed by the institution's (project type's) id, which a natural-key restore renumbers:
# loading the parties (links) recounts them (partnerships/models/rollups.py).
EXCLUDED = ["partnerships.InstitutionPartners", "partnerships.ProjectTypeAgreements"]
RESOURCES = ["agreement", "institution", "person", "post", "event", "projecttype", "sourcedocument"]


TIMESTAMP = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?")


def _to_milliseconds(match: re.Match) -> str:
    # A time whose microseconds round down to .000 is dumped without a fraction at all
    # (isoformat drops a zero microsecond), so both sides are written with exactly three digits.
    return f"{match[1]}.{(match[2] or '')[:3].ljust(3, '0')}"


def without_ids(value):
    """Return API data without database ids (a restore may number rows anew), lists in a stable order.

    Timestamps compare to the millisecond: Django's JSON serialisation keeps no more
    (pg_dump, the production backup, keeps everything).
    """
    if isinstance(value, dict):
        return {key: without_ids(item) for key, item in value.items() if key not in ("id", "next", "previous")}
    if isinstance(value, str):
        return TIMESTAMP.sub(_to_milliseconds, value)
    if isinstance(value, list):
        return sorted((without_ids(item) for item in value), key=repr)
    return value


def api_answers(username: str) -> dict:
    client = client_for(factories.analyst(username=username))
    answers = {name: without_ids(client.get(list_url(name), {"limit": 1000}).json()) for name in RESOURCES}
    # Read from the partner-count rollup, which the dump leaves out and the restore recounts.
    partners = client.get(reverse("api:agreement-stats"), {"group_by": "partners"}).json()
    # Each row's key is the institution's id, which the restore renumbers: compare names and counts.
    answers["partners"] = [partners["total"], [(row["label"], row["count"]) for row in partners["results"]]]
    return answers


@pytest.mark.django_db
def test_a_natural_key_dump_restores_into_an_empty_database_with_the_same_api_answers(tmp_path):
    seeds_load()
    before = api_answers("before-backup")
    assert before["agreement"]["count"] > 0

    dump = tmp_path / "backup.json"
    call_command(
        "dumpdata", *DUMPED, exclude=EXCLUDED, natural_foreign=True, natural_primary=True, output=str(dump)
    )
    if connection.vendor == "postgresql":
        # Django's foreign keys are deferred; check them now so the tables can be emptied.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    assert not any(model.objects.exists() for model in _partnership_models())

    call_command("loaddata", str(dump), verbosity=0, stdout=io.StringIO())
    assert api_answers("after-restore") == before


def _partnership_models():
    from django.apps import apps

    return apps.get_app_config("partnerships").get_models()

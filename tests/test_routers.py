"""The primary/replica router: reads go to a replica until the request writes, then stay on the primary."""

import json

from partnerships.models import Agreement
from tests.test_migrations import manage
from tracker import routers
from tracker.routers import PrimaryReplicaRouter


def test_reads_go_to_a_replica_until_a_write_and_a_new_request_starts_afresh(settings):
    settings.REPLICA_DATABASES = ["replica1", "replica2"]
    router = PrimaryReplicaRouter()
    routers._reset()  # what every request's start does
    assert router.db_for_read(Agreement) in {"replica1", "replica2"}
    assert router.db_for_write(Agreement) == "default"
    assert router.db_for_read(Agreement) == "default"  # read-after-write on the primary
    routers._reset()  # what every request's start does
    assert router.db_for_read(Agreement) in {"replica1", "replica2"}


def test_without_replicas_everything_is_the_primary(settings):
    settings.REPLICA_DATABASES = []
    router = PrimaryReplicaRouter()
    routers._reset()  # what every request's start does
    assert router.db_for_read(Agreement) == "default"
    assert router.allow_migrate("replica1", "partnerships") is False
    assert router.allow_migrate("default", "partnerships") is True


# Runs in a process of its own, configured as production would be: DATABASE_REPLICA_URLS set.
# The "replica" is the primary's own database under a second connection, as Django's test
# mirror does, so reads routed there must see what the primary wrote.
ROUTED = """
import json
from django.core.signals import request_started
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.contrib.auth.models import Group

request_started.send(sender=None)
with CaptureQueriesContext(connections["default"]) as primary, CaptureQueriesContext(connections["replica1"]) as replica:
    before = Group.objects.filter(name="分流").exists()
    Group.objects.create(name="分流")
    after_write = Group.objects.filter(name="分流").exists()
    reads_after_write = len(primary)
request_started.send(sender=None)
with CaptureQueriesContext(connections["replica1"]) as next_request:
    next_read = Group.objects.get(name="分流").name
print(json.dumps({"replica_reads": len(replica), "before": before, "after_write": after_write,
                  "primary_queries": reads_after_write, "next_request_on_replica": len(next_request), "name": next_read},
                 ensure_ascii=False))
"""


def test_with_a_replica_configured_reads_go_there_and_a_request_reads_its_own_write_from_the_primary(scratch_database):
    manage(scratch_database, "migrate", "auth", "--no-input")  # a table to write is all it needs
    env = {"DATABASE_REPLICA_URLS": scratch_database}

    state = json.loads(manage(scratch_database, "shell", "--no-imports", "-c", ROUTED, env=env))

    assert state["replica_reads"] == 1 and state["before"] is False  # the first read, on the replica
    assert state["after_write"] is True and state["primary_queries"] >= 2  # the write and the read after it
    assert state["next_request_on_replica"] == 1 and state["name"] == "分流"

"""The primary/replica router: reads go to a replica until the request writes, then stay on the primary."""

from partnerships.models import Agreement
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

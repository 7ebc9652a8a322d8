"""Send reads to a replica and writes to the primary, keeping a request's reads after its writes on the primary."""

import random

from asgiref.local import Local
from django.conf import settings
from django.core.signals import request_started

_state = Local()


def _reset(**kwargs):
    _state.wrote = False


request_started.connect(_reset)


class PrimaryReplicaRouter:
    """Route reads to a random replica until the request (or thread) has written, then to the primary.

    Replicas lag the primary by a little; a client that has just saved a record must read
    its own write back, so once a request writes, the rest of it reads the primary.
    """

    def db_for_read(self, model, **hints):
        if getattr(_state, "wrote", False) or not settings.REPLICA_DATABASES:
            return "default"
        return random.choice(settings.REPLICA_DATABASES)

    def db_for_write(self, model, **hints):
        _state.wrote = True
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"

"""Authentication backend whose permission lookups cost no queries while nothing has changed.

Every API request checks the user's role (DjangoModelPermissions asks the backend for the
user's permissions), which costs two queries (the user's own permissions and their groups')
on every request. Here the set of permission names is kept in Django's cache for a short
while, keyed by the user and by a version that any change of group membership, group
permissions, user permissions or a deleted user or group replaces, so a change takes effect
on the next request in every process sharing the cache; the lifetime bounds how long a
process with its own (local-memory) cache can lag behind another process's change.
"""

import uuid

from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache

PERMISSIONS_TIMEOUT = 60  # seconds
VERSION_KEY = "partnerships:permissions:version"


def _user_key(user_id) -> str:
    return f"partnerships:permissions:user:{user_id}"


def permissions_changed(**kwargs) -> None:
    """Make every cached permission set stale (connected to the signals of auth changes)."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


class CachedPermissionsBackend(ModelBackend):
    """Django's ModelBackend with each user's permission names cached between requests."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            key = _user_key(user_obj.pk)
            found = cache.get_many([VERSION_KEY, key])
            version = found.get(VERSION_KEY)
            cached = found.get(key)
            if version is not None and cached is not None and cached[0] == version:
                user_obj._perm_cache = cached[1]
            else:
                if version is None:
                    version = uuid.uuid4().hex
                    # Another process may have set it meanwhile: keep theirs.
                    if not cache.add(VERSION_KEY, version, None):
                        version = cache.get(VERSION_KEY, version)
                perms = super().get_all_permissions(user_obj)
                cache.set(key, (version, perms), PERMISSIONS_TIMEOUT)
        return user_obj._perm_cache

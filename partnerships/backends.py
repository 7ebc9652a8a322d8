"""Authentication backend whose permission lookups cost no queries while nothing has changed.

Every API request checks the user's role (DjangoModelPermissions asks the backend for the
user's permissions), which costs two queries (the user's own permissions and their groups')
on every request. Here the set of permission names is kept in Django's cache for a short
while, keyed by the user and by a version that any change of group membership, group
permissions, user permissions or a deleted user or group replaces, so a change takes effect
on the next request in every process sharing the cache; the lifetime bounds how long a
process with its own (local-memory) cache can lag behind another process's change.
"""

from django.contrib.auth.backends import ModelBackend

from partnerships.versioned_cache import VersionedCache

PERMISSIONS_TIMEOUT = 60  # seconds
PERMISSIONS = VersionedCache("permissions", PERMISSIONS_TIMEOUT)
# Connected to the signals of auth changes (apps.py).
permissions_changed = PERMISSIONS.changed


class CachedPermissionsBackend(ModelBackend):
    """Django's ModelBackend with each user's permission names cached between requests."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = PERMISSIONS.get_or_compute(
                f"user:{user_obj.pk}", lambda: super(CachedPermissionsBackend, self).get_all_permissions(user_obj)
            )
        return user_obj._perm_cache

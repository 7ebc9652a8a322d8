"""Entries in Django's cache that one change makes stale at once, in every process sharing it.

Each entry is stored with the version it was computed under; a change replaces the
version (a new random value), so every entry of the kind is stale from the next read on
in every process that shares the cache (Redis, CACHE_URL). The lifetime bounds how long a
process with its own local-memory cache can lag behind another process's change.
"""

import uuid
from collections.abc import Callable
from typing import Any

from django.core.cache import cache


class VersionedCache:
    def __init__(self, name: str, timeout: int):
        self.prefix, self.timeout = f"partnerships:{name}", timeout
        self.version_key = f"{self.prefix}:version"

    def changed(self, **kwargs) -> None:
        """Make every entry stale (connect it to the signals of the changes that matter)."""
        cache.set(self.version_key, uuid.uuid4().hex, None)

    def get_or_compute(self, key: str, compute: Callable[[], Any]) -> Any:
        """Return the entry under key, computing and storing it if missing or stale (one cache read when fresh)."""
        entry_key = f"{self.prefix}:{key}"
        found = cache.get_many([self.version_key, entry_key])
        version, entry = found.get(self.version_key), found.get(entry_key)
        if version is not None and entry is not None and entry[0] == version:
            return entry[1]
        if version is None:
            version = uuid.uuid4().hex
            # Another process may have set it meanwhile: keep theirs.
            if not cache.add(self.version_key, version, None):
                version = cache.get(self.version_key, version)
        value = compute()
        cache.set(entry_key, (version, value), self.timeout)
        return value

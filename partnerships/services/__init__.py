"""Writes that span several records or enforce rules: keyword-only, atomic, validated.

One module per concern; everything callers use is importable from here.
"""

from .accounts import ANALYST_GROUP, DEMO_ACCOUNTS, EDITOR_GROUP, DemoAccount, demo_accounts_create, roles_sync
from .ingest import INGEST_CHANGE_REASON, IngestError, IngestResult, ingest_analyse, ingest_save, ingest_snapshot
from .records import PartySpec, agreement_create, agreement_update, record_save
from .regions import RegionLoadResult, RegionRow, regions_load
from .seeds import SEED_CHANGE_REASON, SEED_MANIFEST, SeedError, SeedLoadResult, seed_manifest_read, seeds_load

__all__ = [
    "ANALYST_GROUP",
    "DEMO_ACCOUNTS",
    "EDITOR_GROUP",
    "INGEST_CHANGE_REASON",
    "SEED_CHANGE_REASON",
    "SEED_MANIFEST",
    "DemoAccount",
    "IngestError",
    "IngestResult",
    "PartySpec",
    "RegionLoadResult",
    "RegionRow",
    "SeedError",
    "SeedLoadResult",
    "agreement_create",
    "agreement_update",
    "demo_accounts_create",
    "ingest_analyse",
    "ingest_save",
    "ingest_snapshot",
    "record_save",
    "regions_load",
    "roles_sync",
    "seed_manifest_read",
    "seeds_load",
]

"""Writes that span several records or enforce rules: keyword-only, atomic, validated.

One module per concern; everything callers use is importable from here.
"""

from .accounts import ANALYST_GROUP, DEMO_ACCOUNTS, EDITOR_GROUP, DemoAccount, demo_accounts_create, roles_sync
from .ingest import (
    INGEST_CHANGE_REASON,
    IngestError,
    IngestResult,
    ingest_analyse,
    ingest_queue,
    ingest_queued_saved,
    ingest_save,
    ingest_snapshot,
)
from .ingest_review import PartyEdit, ProposalEdit, ingest_review_apply
from .records import (
    CitationSpec,
    agreement_save,
    aliases_set,
    children_set,
    citation_add,
    citation_specs,
    citations_set,
    event_save,
    project_save,
    record_save,
)
from .regions import RegionLoadResult, RegionRow, regions_load
from .seeds import SEED_CHANGE_REASON, SEED_MANIFEST, SeedError, SeedLoadResult, seed_manifest_read, seeds_load

__all__ = [
    "ANALYST_GROUP",
    "DEMO_ACCOUNTS",
    "EDITOR_GROUP",
    "INGEST_CHANGE_REASON",
    "SEED_CHANGE_REASON",
    "SEED_MANIFEST",
    "CitationSpec",
    "DemoAccount",
    "IngestError",
    "IngestResult",
    "PartyEdit",
    "ProposalEdit",
    "RegionLoadResult",
    "RegionRow",
    "SeedError",
    "SeedLoadResult",
    "agreement_save",
    "aliases_set",
    "children_set",
    "citation_add",
    "citation_specs",
    "citations_set",
    "demo_accounts_create",
    "event_save",
    "project_save",
    "ingest_analyse",
    "ingest_queue",
    "ingest_queued_saved",
    "ingest_review_apply",
    "ingest_save",
    "ingest_snapshot",
    "record_save",
    "regions_load",
    "roles_sync",
    "seed_manifest_read",
    "seeds_load",
]

"""Read an article and propose the records it states, each with its quote and offsets.

Pure functions over the article's text and a snapshot of the names the tracker knows:
no database access here (partnerships.services.ingest builds the snapshot and saves).
"""

from .engine import AnalysisTimeout, analyse
from .reading import ArticleError, article_text
from .snapshot import KnownInstitution, KnownPerson, KnownRegion, Snapshot

__all__ = [
    "AnalysisTimeout",
    "ArticleError",
    "KnownInstitution",
    "KnownPerson",
    "KnownRegion",
    "Snapshot",
    "analyse",
    "article_text",
]

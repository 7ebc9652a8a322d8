"""From an article's text to proposals: institutions, people, posts, the event, agreements, projects.

The work is done in stages (stages/) over one Analysis (analysis.py); proposals.py words the result.
"""

import datetime

from .analysis import Analysis, AnalysisTimeout
from .proposals import Proposal, proposals
from .snapshot import Snapshot
from .stages.model import mark_unconfirmed

__all__ = ["Analysis", "AnalysisTimeout", "analyse", "analyse_proposals"]


def analyse_proposals(
    text: str,
    *,
    snapshot: Snapshot,
    published: datetime.date | None = None,
    publisher: str | None = None,
    time_budget: float | None = None,
    url: str | None = None,
) -> list[Proposal]:
    """Return the typed proposals an article's text supports; raise AnalysisTimeout past the time budget (seconds)."""
    analysis = Analysis(
        text, snapshot=snapshot, published=published, publisher=publisher, time_budget=time_budget, url=url
    )
    found = proposals(analysis.run())
    return mark_unconfirmed(found, analysis.unconfirmed) if analysis.unconfirmed else found


def analyse(
    text: str,
    *,
    snapshot: Snapshot,
    published: datetime.date | None = None,
    publisher: str | None = None,
    time_budget: float | None = None,
    url: str | None = None,
) -> list[dict]:
    """Return the proposals an article's text supports, each with its quote and offsets into the text.

    With a time budget (seconds), raise AnalysisTimeout once it is spent rather than go on. The URL
    may give the year of days written without one (/2024/0925/).
    """
    found = analyse_proposals(
        text, snapshot=snapshot, published=published, publisher=publisher, time_budget=time_budget, url=url
    )
    return [proposal.as_dict() for proposal in found]

"""Reads that aggregate: counts of agreements per group."""

from collections import Counter

from django.db.models import Count, F, QuerySet
from django.utils.translation import gettext as _

from partnerships.choices import AgreementStatusChoices, InstitutionKindChoices
from partnerships.models import Agreement
from partnerships.models.agreements import kinds_of

STATS_GROUPS = ("region", "project_type", "party_kind", "status", "month")


def agreement_stats(*, agreements: QuerySet, group_by: str) -> dict:
    """Count the given agreements per group; an agreement counts once in each group it belongs to."""
    agreements = agreements.order_by().prefetch_related(None)
    ids = agreements.values("pk")
    if group_by == "region":
        rows = agreements.values(key=F("region__code"), label=F("region__name")).annotate(count=Count("pk"))
    elif group_by == "project_type":
        links = Agreement.project_types.through.objects.filter(agreement__in=ids)
        rows = list(links.values(key=F("projecttype__code"), label=F("projecttype__name")).annotate(count=Count("agreement")))
        without = agreements.filter(project_types__isnull=True).count()
        rows += [{"key": None, "label": None, "count": without}] if without else []
    elif group_by == "party_kind":
        # Counted per combination of kinds (the rollup: a few hundred values), then per kind here,
        # rather than a distinct count over every party.
        counts = Counter()
        for row in agreements.values("party_kinds").annotate(count=Count("pk")):
            for kind in kinds_of(row["party_kinds"]):
                counts[kind] += row["count"]
        rows = [
            {"key": kind, "label": InstitutionKindChoices(kind).label, "count": count} for kind, count in counts.items()
        ]
    elif group_by == "status":
        rows = agreements.values(key=F("status")).annotate(count=Count("pk"))
        rows = [{**row, "label": AgreementStatusChoices(row["key"]).label} for row in rows]
    elif group_by == "month":
        # Only agreements whose signing bounds lie within one month have a month (the signed_month rollup).
        rows = [
            {"key": key, "label": key, "count": row["count"]}
            for row in agreements.values("signed_month").annotate(count=Count("pk"))
            for key in [row["signed_month"].strftime("%Y-%m") if row["signed_month"] else None]
        ]
    else:
        raise ValueError(group_by)
    results = [
        {"key": row["key"], "label": str(row["label"]) if row["label"] is not None else _("none"), "count": row["count"]}
        for row in rows
    ]
    results.sort(key=lambda row: (-row["count"], row["key"] is None, row["key"] or ""))
    return {"group_by": group_by, "total": agreements.count(), "results": results}

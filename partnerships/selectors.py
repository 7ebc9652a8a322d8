"""Reads that aggregate: counts of agreements per group."""

from collections import Counter

from django.db.models import Count, F, QuerySet
from django.utils.translation import gettext as _

from partnerships.choices import AgreementStatusChoices, InstitutionKindChoices
from partnerships.models import Agreement, Region
from partnerships.models.agreements import kinds_of

STATS_GROUPS = ("region", "project_type", "party_kind", "status", "month")


def agreement_stats(*, agreements: QuerySet, group_by: str) -> dict:
    """Count the given agreements per group; an agreement counts once in each group it belongs to."""
    agreements = agreements.order_by().prefetch_related(None)
    ids = agreements.values("pk")
    # Each agreement lies in one region, one status and one month group (or none): their counts
    # add up to the total, which needs no count of its own.
    partition = group_by in ("region", "status", "month")
    if group_by == "region":
        # Counted per region id first, then named: grouping a million agreements by the joined
        # region's code and name costs four times as much as by the id on the agreement row.
        # count(*), not of the id, so that the region index alone answers it.
        counts = list(agreements.values_list("region_id").annotate(count=Count("*")))
        ids = [region for region, count in counts if region is not None]
        named = {pk: (code, name) for pk, code, name in Region.objects.filter(pk__in=ids).values_list("pk", "code", "name")}
        rows = [
            {"key": key, "label": label, "count": count}
            for region, count in counts
            for key, label in [named.get(region, (None, None))]
        ]
    elif group_by == "project_type":
        links = Agreement.project_types.through.objects.filter(agreement__in=ids)
        rows = list(links.values(key=F("projecttype__code"), label=F("projecttype__name")).annotate(count=Count("agreement")))
        without = agreements.filter(project_types__isnull=True).count()
        rows += [{"key": None, "label": None, "count": without}] if without else []
    elif group_by == "party_kind":
        # Counted per combination of kinds (the rollup: a few hundred values), then per kind here,
        # rather than a distinct count over every party.
        counts = Counter()
        for row in agreements.values("party_kinds").annotate(count=Count("*")):
            for kind in kinds_of(row["party_kinds"]):
                counts[kind] += row["count"]
        rows = [
            {"key": kind, "label": InstitutionKindChoices(kind).label, "count": count} for kind, count in counts.items()
        ]
    elif group_by == "status":
        rows = agreements.values(key=F("status")).annotate(count=Count("*"))
        rows = [{**row, "label": AgreementStatusChoices(row["key"]).label} for row in rows]
    elif group_by == "month":
        # Only agreements whose signing bounds lie within one month have a month (the signed_month rollup).
        rows = [
            {"key": key, "label": key, "count": row["count"]}
            for row in agreements.values("signed_month").annotate(count=Count("*"))
            for key in [row["signed_month"].strftime("%Y-%m") if row["signed_month"] else None]
        ]
    else:
        raise ValueError(group_by)
    results = [
        {"key": row["key"], "label": str(row["label"]) if row["label"] is not None else _("none"), "count": row["count"]}
        for row in rows
    ]
    results.sort(key=lambda row: (-row["count"], row["key"] is None, row["key"] or ""))
    total = sum(row["count"] for row in results) if partition else agreements.count()
    return {"group_by": group_by, "total": total, "results": results}

"""Reads that aggregate: counts of agreements per group."""

from collections import Counter

from django.db.models import Count, F, QuerySet
from django.utils.translation import gettext as _

from partnerships.choices import AgreementStatusChoices, InstitutionKindChoices
from partnerships.models import Agreement, ProjectType, Region
from partnerships.models.agreements import kinds_of

STATS_GROUPS = ("region", "project_type", "party_kind", "status", "month")
# The groupings in which every agreement falls in exactly one group (or the group of none).
PARTITIONS = ("region", "status", "month")


def agreement_stats(*, agreements: QuerySet, group_by: str) -> dict:
    """Count the given agreements per group; an agreement counts once in each group it belongs to."""
    agreements = agreements.order_by().prefetch_related(None)
    # In a partition (PARTITIONS) the groups' counts add up to the total, which needs no count of its own.
    total = None
    if group_by == "region":
        # Counted per region id on the agreement row (count(*): the region index alone answers
        # it), then named: grouping a million agreements by the joined region's code and name
        # costs four times as much. The region filed under: the one given, else the parties' (a rollup).
        rows = _named(agreements.values_list("effective_region_id").annotate(count=Count("*")), Region)
    elif group_by == "project_type":
        links = Agreement.project_types.through.objects.all()
        if agreements.query.where:  # a filtered list; the whole table needs no semi-join with itself
            links = links.filter(agreement__in=agreements.values("pk"))
        rows = _named(links.values_list("projecttype_id").annotate(count=Count("*")), ProjectType)
        total = agreements.count()
        # Those with no project type: all but those with one (an index-only distinct over the links),
        # cheaper than an anti-join of every agreement with its links.
        without = total - links.values("agreement_id").distinct().count()
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
    if total is None:
        total = sum(row["count"] for row in results) if group_by in PARTITIONS else agreements.count()
    return {"group_by": group_by, "total": total, "results": results}


def _named(counts, model) -> list[dict]:
    """Return {key, label, count} for counts per record id, each record named by its code and name."""
    counts = list(counts)
    ids = [pk for pk, count in counts if pk is not None]
    named = {pk: (code, name) for pk, code, name in model.objects.filter(pk__in=ids).values_list("pk", "code", "name")}
    return [
        {"key": key, "label": label, "count": count} for pk, count in counts for key, label in [named.get(pk, (None, None))]
    ]

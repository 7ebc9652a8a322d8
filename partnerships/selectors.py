"""Reads that aggregate: counts of agreements per group, the network of partners."""

import datetime
from collections import Counter

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from partnerships.choices import AgreementStatusChoices, InstitutionKindChoices
from partnerships.dates import iso_month
from partnerships.models import (
    Agreement,
    AgreementParty,
    AgreementProjectType,
    Institution,
    InstitutionPartners,
    ProjectType,
    ProjectTypeAgreements,
    Region,
)
from partnerships.models.rollups import kinds_of

STATS_GROUPS = ("region", "project_type", "party_kind", "status", "month", "partners")
# group_by=partners names the institutions with the most distinct partners, this many at most.
TOP_PARTNERS = 20
# The kinds counted as enterprises in the summary's figures: companies, whether or not a group.
ENTERPRISE_KINDS = (
    InstitutionKindChoices.ENTERPRISE,
    InstitutionKindChoices.HOLDING_GROUP,
    InstitutionKindChoices.EDUCATION_GROUP,
)
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
        if agreements.query.where:  # a filtered list: its agreements' links, counted per type
            links = AgreementProjectType.objects.filter(agreement__in=agreements.values("pk"))
            counts = links.values_list("projecttype_id").annotate(count=Count("*"))
        else:
            # Every agreement: a row per type from the counts' rollup, instead of counting ~2 links per agreement.
            counts = ProjectTypeAgreements.objects.values_list("project_type_id", "agreements")
        rows = _named(counts, ProjectType)
        total = agreements.count()
        # Those with no project type, from the rollup on the agreement row (a partial index holds them):
        # no distinct over the links.
        without = agreements.filter(has_project_type=False).count()
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
            for key in [iso_month(row["signed_month"]) if row["signed_month"] else None]
        ]
    elif group_by == "partners":
        rows = _top_partners(agreements)
        total = agreements.count()
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


def _top_partners(agreements: QuerySet) -> list[dict]:
    """Return the institutions with the most partners over the given agreements (TOP_PARTNERS), ties by id.

    Over every agreement, read from the partner counts' rollup (InstitutionPartners, its index
    in the order wanted) rather than counted from a self-join of every party (8 s at a million
    agreements); over a filtered list, counted from the matching agreements' parties.
    """
    if not agreements.query.where:
        counts = InstitutionPartners.objects.order_by("-partners", "institution_id").values_list(
            "institution_id", "partners"
        )[:TOP_PARTNERS]
    else:
        # Each party institution with the number of other institutions it signed with.
        counts = (
            _parties_of(agreements)
            .values_list("institution_id")
            .annotate(count=Count("agreement__parties__institution", distinct=True) - 1)
            .filter(count__gt=0)
            .order_by("-count", "institution_id")[:TOP_PARTNERS]
        )
    counts = list(counts)
    names = dict(Institution.objects.filter(pk__in=[pk for pk, _count in counts]).values_list("pk", "name"))
    return [{"key": str(pk), "label": names[pk], "count": count} for pk, count in counts]


def _named(counts, model) -> list[dict]:
    """Return {key, label, count} for counts per record id, each record named by its code and name."""
    counts = list(counts)
    ids = [pk for pk, count in counts if pk is not None]
    named = {pk: (code, name) for pk, code, name in model.objects.filter(pk__in=ids).values_list("pk", "code", "name")}
    return [
        {"key": key, "label": label, "count": count} for pk, count in counts for key, label in [named.get(pk, (None, None))]
    ]


def _parties_of(agreements: QuerySet) -> QuerySet:
    """Return the party links of the given agreements (all of them when the list is not filtered)."""
    parties = AgreementParty.objects.all()
    if agreements.query.where:
        parties = parties.filter(agreement__in=agreements.order_by().values("pk"))
    return parties


def agreement_summary(*, agreements: QuerySet, today: datetime.date) -> dict:
    """Count the given agreements, the institutions and enterprises party to them, and those in force today."""
    agreements = agreements.order_by().prefetch_related(None)
    if agreements.query.where:
        institutions = Institution.objects.filter(pk__in=_parties_of(agreements).values("institution_id"))
    else:
        # Every agreement: the institutions party to one, each found by one probe of the parties'
        # index, instead of a distinct over every party (2.5 million at a million agreements).
        institutions = Institution.objects.filter(Exists(AgreementParty.objects.filter(institution=OuterRef("pk"))))
    # Both figures in one pass over the institutions.
    counted = institutions.aggregate(
        institutions=Count("pk"), enterprises=Count("pk", filter=Q(kind__in=ENTERPRISE_KINDS))
    )
    return {
        "agreements": agreements.count(),
        "institutions": counted["institutions"],
        "enterprises": counted["enterprises"],
        "in_force": agreements.active_on(today).count(),
        "in_force_on": today,
    }


# The network: institutions as nodes, the agreements two of them are party to as edges.
NETWORK_DEFAULT_LIMIT = 200
NETWORK_MAX_LIMIT = 1000
# Agreement ids an edge lists (the newest ids); its weight counts them all.
NETWORK_EDGE_IDS = 5


def institution_network(
    *,
    seeds: list[int],
    depth: int = 1,
    signed_after: datetime.date | None = None,
    signed_before: datetime.date | None = None,
    limit: int = NETWORK_DEFAULT_LIMIT,
) -> dict:
    """Return the network around the seed institutions: their partners (and the partners' partners at depth 2).

    A few aggregate queries over the agreement parties, whatever the network's size: one per
    ring of partners, one for the edges, two for the nodes. Nodes beyond `limit` are left out,
    the seeds kept first, then the partners sharing the most agreements; `truncated` says so.
    """
    parties = AgreementParty.objects.order_by()
    if signed_after is not None:
        parties = parties.filter(agreement__signed_latest__gte=signed_after)
    if signed_before is not None:
        parties = parties.filter(agreement__signed_earliest__lte=signed_before)
    nodes = list(dict.fromkeys(seeds))
    truncated = len(nodes) > limit
    nodes = nodes[:limit]
    ring = nodes
    for _ring in range(depth):
        room = limit - len(nodes)
        if not ring or (room == 0 and truncated):
            break
        # Partners outside the network so far, ranked by their links to the last ring (count(*), a hash
        # aggregate: an agreement with two of the ring counts twice); one more than there is room for
        # tells whether any is left out.
        agreements = parties.filter(institution__in=ring).values("agreement")
        partners = list(
            AgreementParty.objects.filter(agreement__in=agreements)
            .exclude(institution__in=nodes)
            .values("institution")
            .annotate(weight=Count("*"))
            .order_by("-weight", "institution")
            .values_list("institution", flat=True)[: room + 1]
        )
        truncated = truncated or len(partners) > room
        ring = partners[:room]
        nodes += ring
    return {
        "nodes": _network_nodes(parties, nodes),
        "edges": _network_edges(nodes, signed_after=signed_after, signed_before=signed_before),
        "truncated": truncated,
    }


def _network_nodes(parties: QuerySet, nodes: list[int]) -> list[dict]:
    """Return each node with its name, kind, region code and number of agreements, in the order given."""
    counts = dict(parties.filter(institution__in=nodes).values_list("institution").annotate(count=Count("*")))
    institutions = {
        row["id"]: row
        for row in Institution.objects.filter(pk__in=nodes).values("id", "name", "kind", region_code=F("region__code"))
    }
    return [
        {
            "id": pk,
            "name": institutions[pk]["name"],
            "kind": institutions[pk]["kind"],
            "region": institutions[pk]["region_code"],
            "agreements": counts.get(pk, 0),
        }
        for pk in nodes
        if pk in institutions
    ]


def _network_edges(nodes: list[int], *, signed_after, signed_before) -> list[dict]:
    """Return an edge for each pair of nodes party to the same agreements, with their number and the newest ids.

    Raw SQL: the ORM reaches the other parties of an agreement only through a join with the
    agreement table, which cost a third of the query on an institution with 5,000 agreements.
    """
    party, agreement = AgreementParty._meta.db_table, Agreement._meta.db_table
    listed = ", ".join(["%s"] * len(nodes))
    dated, params = [], []
    for condition, value in (("a.signed_latest >= %s", signed_after), ("a.signed_earliest <= %s", signed_before)):
        if value is not None:
            dated.append(condition)
            params.append(value)
    join = f"JOIN {agreement} a ON a.id = p.agreement_id AND {' AND '.join(dated)}" if dated else ""
    sql = f"""
        SELECT source, target, weight, agreement_id FROM (
            SELECT p.institution_id AS source, q.institution_id AS target, p.agreement_id,
                   count(*) OVER (PARTITION BY p.institution_id, q.institution_id) AS weight,
                   row_number() OVER (PARTITION BY p.institution_id, q.institution_id ORDER BY p.agreement_id DESC) AS rank
            FROM {party} p
            JOIN {party} q ON q.agreement_id = p.agreement_id AND q.institution_id > p.institution_id
            {join}
            WHERE p.institution_id IN ({listed}) AND q.institution_id IN ({listed})
        ) ranked
        WHERE rank <= %s"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *nodes, *nodes, NETWORK_EDGE_IDS])
        rows = cursor.fetchall()
    edges = {}
    for source, target, weight, agreement_id in rows:
        edge = edges.setdefault((source, target), {"source": source, "target": target, "agreements": weight, "ids": []})
        edge["ids"].append(agreement_id)
    for edge in edges.values():
        edge["ids"].sort(reverse=True)
    return sorted(edges.values(), key=lambda edge: (-edge["agreements"], edge["source"], edge["target"]))


def region_institutions(
    *, region_ids: list[int], signed_after: datetime.date | None, signed_before: datetime.date | None, limit: int
) -> list[int]:
    """Return the ids of the institutions in these regions that are party to agreements, the busiest first."""
    parties = AgreementParty.objects.order_by().filter(institution__region__in=region_ids)
    if signed_after is not None:
        parties = parties.filter(agreement__signed_latest__gte=signed_after)
    if signed_before is not None:
        parties = parties.filter(agreement__signed_earliest__lte=signed_before)
    return list(
        parties.values("institution")
        .annotate(count=Count("*"))
        .order_by("-count", "institution")
        .values_list("institution", flat=True)[:limit]
    )

"""Show what bounds each broad request: EXPLAIN ANALYZE of the SQL the API sends, beside the join it replaced.

python -m bench.explain DATABASE: for the page and the bounded count of each broad list,
and for the stats, the plan PostgreSQL ran (rows read, index used, time), reading the
rollups on the agreement row and, for comparison, joining the parties as before.
"""

import sys
from urllib.parse import urlencode

from bench.__main__ import configure

EXACT_COUNT_PAGE = 50


def explain(sql: str, params) -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        return [row[0] for row in cursor.fetchall()]


def show(title: str, sql: str, params) -> None:
    plan = explain(sql, params)
    print(f"-- {title}")
    for line in plan:
        if line == plan[0] or any(part in line for part in ("->", "Execution Time", "Index Cond", "Rows Removed")):
            print("   " + line[:160])
    print()


def lists(queryset, title: str) -> None:
    """Show the page (50 rows in the list's order) and the bounded count of a filtered agreement list."""
    from partnerships.paging import EXACT_COUNT_LIMIT

    page = queryset.values("pk")[:EXACT_COUNT_PAGE]
    show(f"{title}: page", *page.query.sql_with_params())
    bounded = queryset.order_by().values("pk")[: EXACT_COUNT_LIMIT + 1]
    sql, params = bounded.query.sql_with_params()
    show(f"{title}: count up to {EXACT_COUNT_LIMIT + 1}", f"SELECT count(*) FROM ({sql}) AS bounded", params)


def main() -> None:
    configure(sys.argv[1])
    from django.db.models import Case, Count, DateField, Exists, F, OuterRef, When
    from django.db.models.functions import TruncMonth
    from django.http import QueryDict

    from partnerships.filtersets import AgreementFilterSet
    from partnerships.models import Agreement, AgreementParty, Institution
    from partnerships.selectors import agreement_stats

    def filtered(**query):
        filterset = AgreementFilterSet(QueryDict(urlencode(query)), queryset=Agreement.objects.all())
        assert filterset.is_valid(), filterset.errors
        return filterset.qs

    joined_kind = Exists(AgreementParty.objects.filter(agreement=OuterRef("pk"), institution__kind="enterprise"))
    lists(filtered(party_kind="enterprise", status="signed"), "party_kind=enterprise&status=signed (rollup)")
    lists(Agreement.objects.filter(joined_kind, status="signed"), "party_kind=enterprise&status=signed (join, before)")
    for text in ("智能制造", "赣州"):
        lists(filtered(q=text), f"q={text} (rollup)")
        titles = Agreement.objects.filter(title__substring=text).order_by().values("pk")
        parties = AgreementParty.objects.filter(
            institution__in=Institution.objects.matching_name(text).values("pk")
        ).order_by().values("agreement_id")
        lists(Agreement.objects.filter(pk__in=titles.union(parties)), f"q={text} (join, before)")

    months = Agreement.objects.values("signed_month").annotate(count=Count("pk")).order_by()
    show("stats by month (rollup)", *months.query.sql_with_params())
    before = (
        Agreement.objects.annotate(first=TruncMonth("signed_earliest"), last=TruncMonth("signed_latest"))
        .annotate(month=Case(When(first=F("last"), then=F("first")), output_field=DateField()))
        .values("month").annotate(count=Count("pk")).order_by()
    )
    show("stats by month (computed, before)", *before.query.sql_with_params())
    kinds = (
        AgreementParty.objects.values("institution__kind").annotate(count=Count("agreement", distinct=True)).order_by()
    )
    show("stats by party_kind (join, before)", *kinds.query.sql_with_params())
    import time

    started = time.perf_counter()
    agreement_stats(agreements=Agreement.objects.all(), group_by="party_kind")
    print(f"-- stats by party_kind (rollup): {1000 * (time.perf_counter() - started):.0f} ms through the selector")


if __name__ == "__main__":
    main()

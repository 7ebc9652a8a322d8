"""Paging long lists cheaply: bounded counts and late row lookups.

Counting: exact up to a bound, PostgreSQL's estimate beyond (the strategy PostgREST
calls an estimated count).

An exact count of a filtered million-row list reads every matching row, and would cost
more than the page it comes with. So a list's count is exact while it is at most
EXACT_COUNT_LIMIT (counting stops after one more row), and above that it is the
planner's estimate of the filtered query's rows (never less than the bound): close
for plain filters, rougher when conditions correlate. On other databases the count is
always exact. The agreements' stats endpoint still counts exactly.

Paging: a page's ids are chosen first, by a query that reads only what orders them
(an index-only scan for the indexed orderings), and only those rows are then read whole
with their joins, so a deep page skips index entries instead of joined rows. The two
steps are one SQL statement (the ids are a subquery), so a page costs no extra query.
"""

from django.db import connection
from django.db.models import QuerySet

EXACT_COUNT_LIMIT = 10_000


def count_bounded_sql(sql: str, *, limit: int = EXACT_COUNT_LIMIT) -> str:
    """Return SQL that counts the rows of a query exactly up to a limit and estimates beyond it.

    The query's text must be complete (its parameters inlined): the estimate plans it again.
    """
    return (
        f"SELECT CASE WHEN n > {int(limit)} THEN greatest(n, partnerships_count_estimate(%s)) ELSE n END "
        f"FROM (SELECT count(*) AS n FROM ({sql} LIMIT {int(limit) + 1}) AS bounded) AS counted"
    )


def count_bounded(queryset: QuerySet, *, limit: int = EXACT_COUNT_LIMIT) -> int:
    """Return the queryset's row count: exact up to the limit, estimated above it (PostgreSQL)."""
    if connection.vendor != "postgresql":
        return queryset.count()
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    literal = connection.ops.compose_sql(sql, params)
    with connection.cursor() as cursor:
        cursor.execute(count_bounded_sql(sql, limit=limit), [literal, *params])
        return cursor.fetchone()[0]


def count_is_estimated(count: int, *, limit: int = EXACT_COUNT_LIMIT) -> bool:
    """Return whether count_bounded() gave PostgreSQL's estimate rather than an exact count."""
    return connection.vendor == "postgresql" and count > limit


def page_rows(queryset: QuerySet, *, offset: int, limit: int) -> QuerySet:
    """Return the rows of one page of an ordered queryset, found by their ids first."""
    ids = queryset.values("pk")[offset : offset + limit]
    page = queryset.model._base_manager.filter(pk__in=ids)
    page.query.select_related = queryset.query.select_related
    page.query.deferred_loading = queryset.query.deferred_loading
    page._prefetch_related_lookups = queryset._prefetch_related_lookups
    return page.order_by(*queryset.query.order_by) if queryset.query.order_by else page

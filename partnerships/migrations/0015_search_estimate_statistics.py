"""Statistics on the case-folded searched columns, so PostgreSQL estimates a substring search well.

The `substring` lookup (partnerships/search.py) checks UPPER(column) LIKE UPPER(pattern).
Without statistics on UPPER(column), PostgreSQL estimates such a pattern by a rule of thumb
that takes any text of a few characters for rare, and multiplies that with the bigram
index's estimate: a party name in a quarter of all agreements (职业技术学院) was planned as
if in two, so every match was read and sorted (2.5 s a page at a million agreements)
instead of the list read in its order until the page was full (13 ms). With statistics on
the expression (PostgreSQL 14+), ANALYZE samples its values and the planner tries the
pattern on them. The same check stays in the query, so nothing else changes.
"""

from django.db import migrations

from partnerships.migration_operations import PostgreSQLOnly

SEARCHED = [
    ("partnerships_agreement", "title"),
    ("partnerships_agreement", "party_names"),
    ("partnerships_agreement", "party_names_folded"),
    ("partnerships_institution", "name"),
    ("partnerships_institution", "name_en"),
    ("partnerships_institutionalias", "name"),
]


def statistics_name(table: str, column: str) -> str:
    return f"{table}_{column}_upper_stats"


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0014_agreement_created_order")]

    operations = [
        PostgreSQLOnly(
            sql=[
                *(
                    f"CREATE STATISTICS {statistics_name(table, column)} ON (upper({column}::text)) FROM {table}"
                    for table, column in SEARCHED
                ),
                *(f"ANALYZE {table}" for table in dict.fromkeys(table for table, _ in SEARCHED)),
            ],
            reverse_sql=[f"DROP STATISTICS IF EXISTS {statistics_name(table, column)}" for table, column in SEARCHED],
        ),
    ]

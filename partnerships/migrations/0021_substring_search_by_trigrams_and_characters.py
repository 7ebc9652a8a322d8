"""Index the searched columns so that a substring search is one condition PostgreSQL estimates well.

The `substring` lookup (partnerships/search.py) tested a column's bigrams (the index) AND its
case-folded LIKE (the exact check). PostgreSQL multiplies the two estimates as if they were
independent, though the one implies the other: a party name in a quarter of all agreements
(职业技术学院) was estimated in one in two hundred, so the bounded count of a list searched for
it read every match (2.5 s at a million agreements) instead of stopping after 10,001 rows.

Now the lookup sends, from three characters, the LIKE alone, which a pg_trgm index on the
case-folded column serves and the statistics of migration 0015 estimate; for two, a test
written as strpos() (which no trigram index claims: a pattern without a trigram reads the
whole index) and the bigrams; see partnerships/search.py. The people's columns are indexed
on their characters (partnerships_characters()) and bigrams, so a one-character search (a
surname: 王) is an index read too.
"""

from django.db import migrations

from partnerships.migration_operations import PostgreSQLOnly

CHARACTERS = """
CREATE OR REPLACE FUNCTION partnerships_characters(value text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT string_to_array(upper(value), NULL)
$$
"""

# The columns the substring lookup searches with the LIKE alone from three characters (search.py).
TRIGRAMS = (
    ("partnerships_agreement", "title"),
    ("partnerships_agreement", "party_names"),
    ("partnerships_agreement", "party_names_folded"),
    ("partnerships_institution", "name"),
    ("partnerships_institution", "name_en"),
    ("partnerships_institution", "name_folded"),
    ("partnerships_institutionalias", "name"),
    ("partnerships_institutionalias", "name_folded"),
)
# The people's columns, indexed on their characters and their bigrams instead (search.PEOPLE_COLUMNS).
PEOPLE_COLUMNS = (
    ("partnerships_person", "name"),
    ("partnerships_person", "name_en"),
    ("partnerships_person", "disambiguation"),
    ("partnerships_personalias", "name_folded"),
)
# Statistics on the case-folded columns that migration 0015 did not give them.
UNESTIMATED = (
    ("partnerships_institution", "name_folded"),
    ("partnerships_institutionalias", "name_folded"),
    *PEOPLE_COLUMNS,
)


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0020_merge_regions_queue_and_reports")]

    operations = [
        # A trusted extension of PostgreSQL's contrib (in Debian's postgresql-15 package).
        PostgreSQLOnly(sql="CREATE EXTENSION IF NOT EXISTS pg_trgm", reverse_sql=migrations.RunSQL.noop),
        PostgreSQLOnly(sql=CHARACTERS, reverse_sql="DROP FUNCTION IF EXISTS partnerships_characters(text)"),
        *(
            PostgreSQLOnly(
                sql=f"CREATE INDEX {table}_{column}_trigrams ON {table} USING gin (upper({column}::text) gin_trgm_ops)",
                reverse_sql=f"DROP INDEX IF EXISTS {table}_{column}_trigrams",
            )
            for table, column in TRIGRAMS
        ),
        *(
            PostgreSQLOnly(
                sql=f"CREATE INDEX {table}_{column}_{function} ON {table} USING gin (partnerships_{function}({column}::text))",
                reverse_sql=f"DROP INDEX IF EXISTS {table}_{column}_{function}",
            )
            for table, column in PEOPLE_COLUMNS
            for function in ("characters", "bigrams")
        ),
        *(
            PostgreSQLOnly(
                sql=f"CREATE STATISTICS {table}_{column}_upper_stats ON (upper({column}::text)) FROM {table}",
                reverse_sql=f"DROP STATISTICS IF EXISTS {table}_{column}_upper_stats",
            )
            for table, column in UNESTIMATED
        ),
        *(
            PostgreSQLOnly(sql=f"ANALYZE {table}", reverse_sql=migrations.RunSQL.noop)
            for table in dict.fromkeys(table for table, _ in (*TRIGRAMS, *PEOPLE_COLUMNS))
        ),
    ]

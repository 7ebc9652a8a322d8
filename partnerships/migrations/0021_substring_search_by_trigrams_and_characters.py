"""Index the searched columns so that a substring search is one condition PostgreSQL estimates well.

The `substring` lookup (partnerships/search.py) tested a column's bigrams (the index) AND its
case-folded LIKE (the exact check). PostgreSQL multiplies the two estimates as if they were
independent, though the one implies the other: a party name in a quarter of all agreements
(职业技术学院) was estimated in one in two hundred, so the bounded count of a list searched for
it read every match (2.5 s at a million agreements) instead of stopping after 10,001 rows.

Now the lookup sends one condition whose estimate is the column's own (issue 17):
- three characters and more: the LIKE alone, which a pg_trgm index on the case-folded column
  serves (the statistics of migration 0015 estimate it);
- two characters: the bigram test alone, which is exact for two characters;
- one character, on the people's columns: their characters, from partnerships_grams() (a
  column's characters and bigrams), which is exact for one character (a surname: 王).
"""

from django.db import migrations

from partnerships.migration_operations import PostgreSQLOnly

GRAMS = """
CREATE OR REPLACE FUNCTION partnerships_grams(value text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT string_to_array(upper(value), NULL) || partnerships_bigrams(value)
$$
"""

# Every column the substring lookup searches (search.TRIGRAM_COLUMNS).
TRIGRAMS = (
    ("partnerships_agreement", "title"),
    ("partnerships_agreement", "party_names"),
    ("partnerships_agreement", "party_names_folded"),
    ("partnerships_institution", "name"),
    ("partnerships_institution", "name_en"),
    ("partnerships_institution", "name_folded"),
    ("partnerships_institutionalias", "name"),
    ("partnerships_institutionalias", "name_folded"),
    ("partnerships_person", "name"),
    ("partnerships_person", "name_en"),
    ("partnerships_person", "disambiguation"),
    ("partnerships_personalias", "name_folded"),
)
# The people's columns, also indexed on their characters and bigrams (search.GRAM_COLUMNS).
GRAMS_INDEXED = TRIGRAMS[-4:]
# Statistics on the case-folded columns that migration 0015 did not give them.
UNESTIMATED = (
    ("partnerships_institution", "name_folded"),
    ("partnerships_institutionalias", "name_folded"),
    *GRAMS_INDEXED,
)


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0020_merge_regions_queue_and_reports")]

    operations = [
        # A trusted extension of PostgreSQL's contrib (in Debian's postgresql-15 package).
        PostgreSQLOnly(sql="CREATE EXTENSION IF NOT EXISTS pg_trgm", reverse_sql=migrations.RunSQL.noop),
        PostgreSQLOnly(sql=GRAMS, reverse_sql="DROP FUNCTION IF EXISTS partnerships_grams(text)"),
        *(
            PostgreSQLOnly(
                sql=f"CREATE INDEX {table}_{column}_trigrams ON {table} USING gin (upper({column}::text) gin_trgm_ops)",
                reverse_sql=f"DROP INDEX IF EXISTS {table}_{column}_trigrams",
            )
            for table, column in TRIGRAMS
        ),
        *(
            PostgreSQLOnly(
                sql=f"CREATE INDEX {table}_{column}_grams ON {table} USING gin (partnerships_grams({column}::text))",
                reverse_sql=f"DROP INDEX IF EXISTS {table}_{column}_grams",
            )
            for table, column in GRAMS_INDEXED
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
            for table in dict.fromkeys(table for table, _ in TRIGRAMS)
        ),
    ]

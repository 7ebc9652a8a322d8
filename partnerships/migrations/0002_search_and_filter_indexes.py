"""PostgreSQL indexes for national scale: bigram search, filters and orderings.

Every operation here is PostgreSQL-only; on SQLite (the demo) the migration does
nothing. The indexes are not in the models' Meta because Django cannot express the
bigram expression index, and keeping them together here keeps their reasons together.
See bench/RESULTS.md for the measurements that asked for each.
"""

from django.db import migrations

from partnerships.migration_operations import PostgreSQLOnly

BIGRAMS = """
CREATE OR REPLACE FUNCTION partnerships_bigrams(value text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    upper_value text := upper(value);
    result text[] := '{}';
BEGIN
    -- Repeats are harmless: GIN keeps each key once, and @> compares sets.
    FOR i IN 1 .. length(value) - 1 LOOP
        result := result || substr(upper_value, i, 2);
    END LOOP;
    RETURN result;
END
$$
"""

# The planner's estimate of a query's rows: what a list reports as its count past a bound
# (see partnerships/paging.py). The query text comes from the application, never from a user.
COUNT_ESTIMATE = """
CREATE OR REPLACE FUNCTION partnerships_count_estimate(query text) RETURNS bigint
LANGUAGE plpgsql VOLATILE STRICT AS $$
DECLARE
    plan json;
BEGIN
    EXECUTE 'EXPLAIN (FORMAT JSON) ' || query INTO plan;
    RETURN (plan -> 0 -> 'Plan' ->> 'Plan Rows')::numeric::bigint;
END
$$
"""

# (name, definition): one index each, dropped again on the way back.
INDEXES = (
    # Substring search of two characters and more (see partnerships/search.py).
    ("partnerships_agreement_title_bigrams", "partnerships_agreement USING gin (partnerships_bigrams(title::text))"),
    ("partnerships_institution_name_bigrams", "partnerships_institution USING gin (partnerships_bigrams(name::text))"),
    (
        "partnerships_institution_name_en_bigrams",
        "partnerships_institution USING gin (partnerships_bigrams(name_en::text))",
    ),
    (
        "partnerships_institutionalias_name_bigrams",
        "partnerships_institutionalias USING gin (partnerships_bigrams(name::text))",
    ),
    # The list's default order (-signed: newest first, unknown dates last, ties by id) and its reverse.
    ("partnerships_agreement_signed_desc", "partnerships_agreement (signed_earliest DESC NULLS LAST, id DESC)"),
    ("partnerships_agreement_signed_asc", "partnerships_agreement (signed_earliest ASC NULLS LAST, id)"),
    # signed_after compares the latest bound; signed_before uses the earliest (indexes above).
    ("partnerships_agreement_signed_latest", "partnerships_agreement (signed_latest)"),
    (
        "partnerships_agreement_status_signed",
        "partnerships_agreement (status, signed_earliest DESC NULLS LAST, id DESC)",
    ),
    ("partnerships_agreement_title_order", "partnerships_agreement (title, id)"),
    # Filters through a relation are semi-joins from the related id to the agreement id.
    ("partnerships_agreementparty_institution_agreement", "partnerships_agreementparty (institution_id, agreement_id)"),
    (
        "partnerships_agreement_project_types_type_agreement",
        "partnerships_agreement_project_types (projecttype_id, agreement_id)",
    ),
    (
        "partnerships_agreement_industries_industry_agreement",
        "partnerships_agreement_industries (industry_id, agreement_id)",
    ),
    ("partnerships_institution_kind", "partnerships_institution (kind)"),
)


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0001_initial_schema")]

    operations = [
        PostgreSQLOnly(sql=BIGRAMS, reverse_sql="DROP FUNCTION IF EXISTS partnerships_bigrams(text)"),
        PostgreSQLOnly(sql=COUNT_ESTIMATE, reverse_sql="DROP FUNCTION IF EXISTS partnerships_count_estimate(text)"),
        *(
            PostgreSQLOnly(sql=f"CREATE INDEX {name} ON {definition}", reverse_sql=f"DROP INDEX IF EXISTS {name}")
            for name, definition in INDEXES
        ),
    ]

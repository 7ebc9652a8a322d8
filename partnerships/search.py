"""Substring search that PostgreSQL serves from an index, down to one character, as one condition.

The `substring` lookup is icontains (UPPER(column) LIKE UPPER('%text%')) everywhere. On
PostgreSQL it sends the one condition, among equivalent ones, that an index of the column
answers (migrations 0002 and 0021):

- three characters and more: the LIKE itself, which a pg_trgm index on the case-folded
  column serves;
- two characters: pg_trgm cannot help (LIKE '%赣州%' holds no trigram), so the test that the
  column's upper-cased bigrams (partnerships_bigrams()) hold the text's one bigram, which
  means the same for two characters;
- one character, on the people's columns (GRAM_COLUMNS): that the column's characters
  (partnerships_grams(): its characters and bigrams) hold it; elsewhere the plain LIKE.

One condition rather than the index test AND the LIKE as the exact check: PostgreSQL multiplied
their estimates as if they were independent, and took a term in a quarter of all agreements
for a rare one (issue 17, docs/performance-search.md).
"""

from django.db import models
from django.db.models import Lookup
from django.db.models.lookups import IContains

BIGRAMS_FUNCTION = "partnerships_bigrams"
GRAMS_FUNCTION = "partnerships_grams"
# Columns with a bigram index (partnerships_bigrams(), migrations 0002 and 0012).
BIGRAM_COLUMNS = frozenset(
    {
        ("partnerships_agreement", "title"),
        ("partnerships_agreement", "party_names"),
        ("partnerships_agreement", "party_names_folded"),
        ("partnerships_institution", "name"),
        ("partnerships_institution", "name_en"),
        ("partnerships_institutionalias", "name"),
    }
)
# Columns indexed on their characters and bigrams (partnerships_grams(), migration 0021).
GRAM_COLUMNS = frozenset(
    {
        ("partnerships_person", "name"),
        ("partnerships_person", "name_en"),
        ("partnerships_person", "disambiguation"),
        ("partnerships_personalias", "name_folded"),
    }
)


class Substring(Lookup):
    """Match a case-insensitive substring; on PostgreSQL through an index of the column."""

    lookup_name = "substring"

    def as_sql(self, compiler, connection):
        return compiler.compile(IContains(self.lhs, self.rhs))

    def as_postgresql(self, compiler, connection):
        target = getattr(self.lhs, "target", None)
        indexed = (target.model._meta.db_table, target.column) if target is not None else None
        length = len(self.rhs) if isinstance(self.rhs, str) else 0
        if length == 2 and indexed in GRAM_COLUMNS | BIGRAM_COLUMNS:
            function = GRAMS_FUNCTION if indexed in GRAM_COLUMNS else BIGRAMS_FUNCTION
            wanted = BIGRAMS_FUNCTION
        elif length == 1 and indexed in GRAM_COLUMNS:
            function = wanted = GRAMS_FUNCTION
        else:  # three characters and more: the trigram index serves the LIKE itself
            return self.as_sql(compiler, connection)
        column, column_params = compiler.compile(self.lhs)
        return f"{function}({column}::text) @> {wanted}(%s::text)", (*column_params, self.rhs)


models.CharField.register_lookup(Substring)
models.TextField.register_lookup(Substring)

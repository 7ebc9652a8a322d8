"""Substring search that PostgreSQL serves from an index, down to one character.

The `substring` lookup is icontains (UPPER(column) LIKE UPPER('%text%')) everywhere. On
PostgreSQL it sends what an index of the column answers (migrations 0002 and 0021):

- three characters and more: the LIKE alone, which a pg_trgm index on the case-folded column
  serves. One condition, so PostgreSQL estimates it by the column's statistics (migration
  0015): tested together with the bigrams, as before, the two estimates were multiplied as if
  independent, and a term in a quarter of all agreements (职业技术学院) was taken for a rare
  one (issue 17, docs/performance-search.md);
- two characters: pg_trgm cannot help (LIKE '%赣州%' holds no trigram), so the LIKE AND the
  test that the column's upper-cased bigrams (partnerships_bigrams()) hold the text's, which
  the bigram index answers. The bigram test alone would be exact and better estimated, but a
  list read in its order would then call the plpgsql function on every row it passes (1.3 s
  for 赣州 at a million agreements, against 0.1 s through the index);
- one character, on the people's columns (GRAM_COLUMNS): that the column's characters
  (partnerships_grams(): its characters and bigrams) hold it, which is exact; elsewhere the
  plain LIKE.
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
            sql, params = self.as_sql(compiler, connection)
            function = GRAMS_FUNCTION if indexed in GRAM_COLUMNS else BIGRAMS_FUNCTION
            column, column_params = compiler.compile(self.lhs)
            index_sql = f"{function}({column}::text) @> {BIGRAMS_FUNCTION}(%s::text)"
            # The LIKE first: where rows are tested one by one it spares most the bigrams (a plpgsql call).
            return f"({sql} AND {index_sql})", (*params, *column_params, self.rhs)
        if length == 1 and indexed in GRAM_COLUMNS:
            column, column_params = compiler.compile(self.lhs)
            return f"{GRAMS_FUNCTION}({column}::text) @> {GRAMS_FUNCTION}(%s::text)", (*column_params, self.rhs)
        # Three characters and more: the trigram index serves the LIKE itself.
        return self.as_sql(compiler, connection)


models.CharField.register_lookup(Substring)
models.TextField.register_lookup(Substring)

"""Substring search that PostgreSQL serves from an index, down to one character.

The `substring` lookup is icontains (UPPER(column) LIKE UPPER('%text%')) everywhere. On
PostgreSQL it sends what an index of the column answers (migrations 0002, 0012 and 0021):

- three characters and more: the LIKE alone, which a pg_trgm index on the case-folded column
  serves. One condition, so PostgreSQL estimates it by the column's statistics (migration
  0015): tested together with the bigrams, as before, the two estimates were multiplied as if
  independent, and a term in a quarter of all agreements (职业技术学院) was taken for a rare
  one (issue 17, docs/performance-search.md);
- two characters: pg_trgm cannot help (LIKE '%赣州%' holds no trigram: the trigram index
  would be read whole, and PostgreSQL takes that for cheap, so the exact test is written as
  strpos(), which no index claims), and the test that the column's upper-cased bigrams
  (partnerships_bigrams()) hold the text's, which the bigram index answers. The bigram test
  alone would be exact, but where rows are tested one by one (a list read in its order) it
  calls a plpgsql function on each: 1.3 s for 赣州 at a million agreements, against 0.1 s;
- one character: the exact test alone (no index);
- the people's columns (PEOPLE_COLUMNS), at any length: the LIKE and the test that the
  column's characters (partnerships_characters(), one character) or bigrams (more) hold the
  text's. Their estimates are multiplied, so PostgreSQL reads the matches by the index and
  sorts them: reading the people in their order (by name) passes half of them before the
  first 王, whose names all sort together (0.5 s to 7 s).
"""

from django.db import models
from django.db.models import Lookup
from django.db.models.lookups import IContains

BIGRAMS_FUNCTION = "partnerships_bigrams"
CHARACTERS_FUNCTION = "partnerships_characters"
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
# The people's columns, indexed on their characters and their bigrams (migration 0021).
PEOPLE_COLUMNS = frozenset(
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
        if not isinstance(self.rhs, str) or not self.rhs:
            return self.as_sql(compiler, connection)
        column, column_params = compiler.compile(self.lhs)
        if indexed in PEOPLE_COLUMNS:
            # The LIKE, first (rows tested one by one are then spared the plpgsql bigrams), and the
            # text's character (one) or bigrams (more) among the column's.
            sql, params = self.as_sql(compiler, connection)
            function = CHARACTERS_FUNCTION if length == 1 else BIGRAMS_FUNCTION
            index_sql = f"{function}({column}::text) @> {function}(%s::text)"
            return f"({sql} AND {index_sql})", (*params, *column_params, self.rhs)
        if length >= 3:
            # The trigram index serves the LIKE itself.
            return self.as_sql(compiler, connection)
        # Fewer than three: the same test as strpos(), which no trigram index claims to serve (for a
        # pattern without a trigram it reads the whole index, and PostgreSQL takes that for cheap).
        exact = f"strpos(upper({column}::text), upper(%s::text)) > 0"
        if not (length == 2 and indexed in BIGRAM_COLUMNS):
            return exact, (*column_params, self.rhs)
        index_sql = f"{BIGRAMS_FUNCTION}({column}::text) @> {BIGRAMS_FUNCTION}(%s::text)"
        return f"({exact} AND {index_sql})", (*column_params, self.rhs, *column_params, self.rhs)

models.CharField.register_lookup(Substring)
models.TextField.register_lookup(Substring)

"""Substring search that PostgreSQL serves from an index, down to two characters.

pg_trgm cannot help a two-character pattern: LIKE '%赣州%' yields no trigram, so a
trigram index would be read whole. Instead every searched column has a GIN index on
the set of its character bigrams (partnerships_bigrams(), created by the migration
0002_search_and_filter_indexes). The `substring` lookup asks for the bigrams of the
searched text first, which the index answers, and keeps the case-insensitive LIKE as
the exact check. On other databases it is plain icontains.
"""

from django.db import models
from django.db.models import Lookup
from django.db.models.lookups import IContains

BIGRAMS_FUNCTION = "partnerships_bigrams"


class Substring(Lookup):
    """Match a case-insensitive substring; on PostgreSQL through the column's bigram index."""

    lookup_name = "substring"

    def as_sql(self, compiler, connection):
        return compiler.compile(IContains(self.lhs, self.rhs))

    def as_postgresql(self, compiler, connection):
        sql, params = self.as_sql(compiler, connection)
        if not isinstance(self.rhs, str) or len(self.rhs) < 2:
            return sql, params
        column, column_params = compiler.compile(self.lhs)
        index_sql = f"{BIGRAMS_FUNCTION}({column}::text) @> {BIGRAMS_FUNCTION}(%s::text)"
        return f"({index_sql} AND {sql})", (*column_params, self.rhs, *params)


models.CharField.register_lookup(Substring)
models.TextField.register_lookup(Substring)

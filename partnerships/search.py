"""Substring search that PostgreSQL serves from an index, down to one character.

The `substring` lookup is icontains (UPPER(column) LIKE UPPER('%text%')) everywhere. On
PostgreSQL it sends what an index of the column answers (migrations 0002, 0012 and 0021):

- three characters and more: the LIKE alone, which a pg_trgm index on the case-folded column
  serves. One condition, so PostgreSQL estimates it by the column's statistics (migration
  0015): tested together with the bigrams, as before, the two estimates were multiplied as if
  independent, and a term in a quarter of all agreements (职业技术学院) was taken for a rare
  one (issue 17, docs/performance-search.md);
- two characters: pg_trgm cannot help (LIKE '%赣州%' holds no trigram: the trigram index
  would be read whole, and PostgreSQL takes that for cheap, so the LIKE is written on
  `column || ''`, which no index claims), and the test that the column's upper-cased bigrams
  (partnerships_bigrams()) hold the text's, which the bigram index answers. That LIKE has
  no statistics, so PostgreSQL takes the term for rare and reads its matches by the index,
  then sorts them: for 赣州 (4,735 of a million) that is 0.1 s, where reading the list in its
  order, as a better estimate made it do, passed 21,800 rows (0.5 s; 1.3 s with the bigram
  test alone, a plpgsql call on each row);
- one character: that LIKE alone (no index);
- the people's columns (PEOPLE_COLUMNS), at any length: the LIKE and the test that the
  column's characters (partnerships_characters(), one character) or bigrams (more) hold the
  text's. Their estimates are multiplied, so PostgreSQL reads the matches by the index and
  sorts them: reading the people in their order (by name) passes half of them before the
  first 王, whose names all sort together (0.5 s to 7 s).
"""

from django.db import models
from django.db.models import BooleanField, Expression, F, Lookup
from django.db.models.expressions import Col
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
        # Fewer than three: the LIKE on `column || ''`, which no trigram index claims (for a pattern
        # without a trigram it would read itself whole, and PostgreSQL takes that for cheap) and
        # no statistics estimate: PostgreSQL takes it for rare, so it reads the matches by the
        # bigram index and sorts them rather than reading the list in its order (see above).
        pattern = self.as_sql(compiler, connection)[1][-1]  # icontains' '%text%', escaped
        exact = f"UPPER(({column}::text || '')) LIKE UPPER(%s)"
        if not (length == 2 and indexed in BIGRAM_COLUMNS):
            return exact, (*column_params, pattern)
        index_sql = f"{BIGRAMS_FUNCTION}({column}::text) @> {BIGRAMS_FUNCTION}(%s::text)"
        return f"({exact} AND {index_sql})", (*column_params, pattern, *column_params, self.rhs)

class BigramsHeld(Lookup):
    """Match a two-character substring by the column's bigram index alone (exact for two characters).

    For a search over several columns (AgreementQuerySet.matching_text): `any column's
    bigrams hold it AND any column's LIKE holds it` is the same as `any column's LIKE holds
    it` for two characters, and where PostgreSQL reads the matches by the bigram indexes it
    then tests only the cheap LIKEs on each, not the plpgsql bigrams as well. On other
    databases it is icontains.
    """

    lookup_name = "bigrams_held"

    def as_sql(self, compiler, connection):
        return compiler.compile(IContains(self.lhs, self.rhs))

    def as_postgresql(self, compiler, connection):
        column, column_params = compiler.compile(self.lhs)
        return f"{BIGRAMS_FUNCTION}({column}::text) @> {BIGRAMS_FUNCTION}(%s::text)", (*column_params, self.rhs)


class LikeUnindexed(Lookup):
    """icontains that no index claims and no statistics estimate, on PostgreSQL (see Substring); elsewhere icontains."""

    lookup_name = "like_unindexed"

    def as_sql(self, compiler, connection):
        return compiler.compile(IContains(self.lhs, self.rhs))

    def as_postgresql(self, compiler, connection):
        column, column_params = compiler.compile(self.lhs)
        pattern = self.as_sql(compiler, connection)[1][-1]  # icontains' '%text%', escaped
        return f"UPPER(({column}::text || '')) LIKE UPPER(%s)", (*column_params, pattern)


for lookup in (Substring, BigramsHeld, LikeUnindexed):
    models.CharField.register_lookup(lookup)
    models.TextField.register_lookup(lookup)


class AnyNameHolds(Expression):
    """The test that a row's id is among those of a union of substring searches, one per table.

    `id IN (SELECT id FROM t1 WHERE a LIKE … OR b LIKE … UNION SELECT fk FROM t2 WHERE c LIKE …)`:
    each part is answered by its own indexes (an OR across tables would read every row). Written
    as one expression rather than querysets joined by union(): the ORM's cloning and compiling of
    those querysets cost a one-row search more than its statements (issue 18, docs/performance.md).
    """

    conditional = True
    output_field = BooleanField()

    def __init__(self, parts: tuple[tuple[type[models.Model], str, tuple[tuple[str, str], ...]], ...]):
        # parts: (model, the field giving the id, (field searched, text searched for) ...) for each table.
        super().__init__()
        self.parts, self.pk = parts, F("pk")

    def get_source_expressions(self):
        return [self.pk]

    def set_source_expressions(self, exprs):
        (self.pk,) = exprs

    def as_sql(self, compiler, connection):
        pk_sql, params = compiler.compile(self.pk)
        selects = []
        for number, (model, id_field, searches) in enumerate(self.parts):
            alias = f"any_name_{number}"
            tests = []
            for field, text in searches:
                sql, column_params = compiler.compile(Substring(Col(alias, model._meta.get_field(field)), text))
                tests.append(sql)
                params = (*params, *column_params)
            id_sql = f"{alias}.{connection.ops.quote_name(model._meta.get_field(id_field).column)}"
            selects.append(f"SELECT {id_sql} FROM {connection.ops.quote_name(model._meta.db_table)} {alias} WHERE {' OR '.join(tests)}")
        return f"{pk_sql} IN ({' UNION '.join(selects)})", params

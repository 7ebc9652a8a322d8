"""The floor of each benchmarked request: one SQL statement that PostgreSQL answers with the
same page, the same nested data and the same count, as JSON it builds itself.

Nothing here goes through Django: these are what a hand-written endpoint would send.
Each floor is written the way an expert would write it by hand for the same semantics
(exact count, same ordering, same filter meaning), using the same indexes. A list floor's
page is the API's page to the byte once parsed (lists in the plan's order, timestamps as
DRF writes them in the session's time zone, which the benchmark sets to TIME_ZONE):
tests/test_bench_floors.py compares them whole on a generated dataset.
"""

from dataclasses import dataclass

from partnerships.paging import EXACT_COUNT_LIMIT


def timestamp(column: str) -> str:
    """Return the SQL of a timestamp as DRF writes it: ISO 8601 in the session's time zone, microseconds when any."""
    return (
        f"(to_char({column}, 'YYYY-MM-DD\"T\"HH24:MI:SS')"
        f" || CASE WHEN mod(date_part('microseconds', {column})::bigint, 1000000) <> 0 THEN to_char({column}, '.US') ELSE '' END"
        f" || replace(to_char({column}, 'TZH:TZM'), '+00:00', 'Z'))"
    )


REGION_BRIEF = "json_build_object('id', {r}.id, 'code', {r}.code, 'name', {r}.name, 'level', {r}.level)"


def region_json(alias: str) -> str:
    """Return the SQL of a region with its path from the province down, as the API nests it."""
    r, p1, p2 = alias, f"{alias}_p1", f"{alias}_p2"
    return f"""(SELECT json_build_object('id', {r}.id, 'code', {r}.code, 'name', {r}.name, 'level', {r}.level,
                'path', (SELECT json_agg(x.j ORDER BY x.depth) FROM (
                    SELECT 0 AS depth, {REGION_BRIEF.format(r=p2)} AS j WHERE {p2}.id IS NOT NULL
                    UNION ALL SELECT 1, {REGION_BRIEF.format(r=p1)} WHERE {p1}.id IS NOT NULL
                    UNION ALL SELECT 2, {REGION_BRIEF.format(r=r)}) x))
            FROM partnerships_region {r}
            LEFT JOIN partnerships_region {p1} ON {p1}.id = {r}.parent_id
            LEFT JOIN partnerships_region {p2} ON {p2}.id = {p1}.parent_id
            WHERE {r}.id = a.region_id)"""


def citations_json(table: str, record: str = "a") -> str:
    """Return the SQL of a record's citations, each with its source, as the API nests them."""
    return f"""coalesce((SELECT json_agg(json_build_object(
                    'source', json_build_object('id', d.id, 'key', d.key, 'title', d.title),
                    'quote', c.quote, 'position', c.position) ORDER BY d.key, c.position)
                FROM {table} c JOIN partnerships_sourcedocument d ON d.id = c.source_id
                WHERE c.record_id = {record}.id), '[]')"""


AGREEMENT_JSON = f"""json_build_object(
    'id', a.id, 'reference', a.reference, 'title', a.title, 'kind', a.kind, 'status', a.status,
    'signed_earliest', a.signed_earliest, 'signed_latest', a.signed_latest, 'signed_precision', a.signed_precision,
    'signed_text', a.signed_text, 'signed_basis', a.signed_basis, 'valid_from', a.valid_from,
    'valid_until', a.valid_until, 'term_precision', a.term_precision, 'term_text', a.term_text,
    'term_basis', a.term_basis,
    'amends', (SELECT json_build_object('id', x.id, 'reference', x.reference, 'title', x.title)
               FROM partnerships_agreement x WHERE x.id = a.amends_id),
    'place', a.place,
    'region', {region_json("r")},
    'event', (SELECT json_build_object('id', e.id, 'title', e.title, 'kind', e.kind, 'start_date', e.start_date,
                                       'end_date', e.end_date)
              FROM partnerships_event e WHERE e.id = a.event_id),
    'parties', coalesce((SELECT json_agg(json_build_object(
                    'institution', json_build_object('id', i.id, 'name', i.name, 'kind', i.kind),
                    'role', p.role,
                    'signatory', CASE WHEN s.id IS NULL THEN NULL ELSE json_build_object('id', s.id, 'name', s.name) END,
                    'signatory_title', p.signatory_title,
                    'citations', {citations_json("partnerships_agreementpartycitation", "p")}) ORDER BY p.role, i.name)
                FROM partnerships_agreementparty p
                JOIN partnerships_institution i ON i.id = p.institution_id
                LEFT JOIN partnerships_person s ON s.id = p.signatory_id
                WHERE p.agreement_id = a.id), '[]'),
    'project_types', coalesce((SELECT json_agg(json_build_object('id', t.id, 'code', t.code, 'name', t.name) ORDER BY t.code)
                FROM partnerships_agreement_project_types l JOIN partnerships_projecttype t ON t.id = l.projecttype_id
                WHERE l.agreement_id = a.id), '[]'),
    'industries', coalesce((SELECT json_agg(json_build_object('id', t.id, 'code', t.code, 'name', t.name) ORDER BY t.code)
                FROM partnerships_agreement_industries l JOIN partnerships_industry t ON t.id = l.industry_id
                WHERE l.agreement_id = a.id), '[]'),
    'notes', a.notes,
    'citations', {citations_json("partnerships_agreementcitation")},
    'created', {timestamp("a.created")}, 'last_updated', {timestamp("a.last_updated")})"""

INSTITUTION_JSON = f"""json_build_object(
    'id', a.id, 'name', a.name, 'name_en', a.name_en,
    'aliases', coalesce((SELECT json_agg(n.name ORDER BY n.name) FROM partnerships_institutionalias n
                         WHERE n.institution_id = a.id), '[]'),
    'kind', a.kind, 'credit_code', a.credit_code,
    'region', {region_json("r")},
    'parent', (SELECT json_build_object('id', x.id, 'name', x.name, 'kind', x.kind) FROM partnerships_institution x
               WHERE x.id = a.parent_id),
    'predecessor', (SELECT json_build_object('id', x.id, 'name', x.name, 'kind', x.kind) FROM partnerships_institution x
                    WHERE x.id = a.predecessor_id),
    'founded_earliest', a.founded_earliest, 'founded_latest', a.founded_latest,
    'founded_precision', a.founded_precision, 'founded_text', a.founded_text, 'founded_basis', a.founded_basis,
    'founding_event', (SELECT json_build_object('id', e.id, 'title', e.title, 'kind', e.kind, 'start_date', e.start_date,
                                                'end_date', e.end_date)
                       FROM partnerships_event e WHERE e.id = a.founding_event_id),
    'notes', a.notes,
    'citations', {citations_json("partnerships_institutioncitation")},
    'created', {timestamp("a.created")}, 'last_updated', {timestamp("a.last_updated")})"""

SIGNED_DESC = "a.signed_earliest DESC NULLS LAST, a.id DESC"
SIGNED_ASC = "a.signed_earliest ASC NULLS LAST, a.id ASC"


def count_query(table: str, where: str) -> str:
    """Return the query whose rows a list counts (its text is inlined for the estimate)."""
    return f"SELECT a.id FROM {table} a WHERE {where}"


def list_floor(table: str, item_json: str, where: str, order: str) -> str:
    """Return one statement giving {"count", "results"} for a page of a filtered, ordered list.

    The page's ids come first from the narrowest index that orders them (a late row lookup),
    then the nested objects are built for those rows only. The count follows the API's
    strategy (partnerships/paging.py): exact up to the bound, the planner's estimate of
    the query in %(count_sql)s beyond it.
    """
    return f"""
WITH page AS (SELECT a.id FROM {table} a WHERE {where} ORDER BY {order} LIMIT %(limit)s OFFSET %(offset)s)
SELECT json_build_object(
    'count', (SELECT CASE WHEN n > {EXACT_COUNT_LIMIT} THEN greatest(n, partnerships_count_estimate(%(count_sql)s)) ELSE n END
              FROM (SELECT count(*) AS n FROM (SELECT a.id FROM {table} a WHERE {where}
                                               LIMIT {EXACT_COUNT_LIMIT + 1}) AS bounded) AS counted),
    'results', coalesce((SELECT json_agg({item_json} ORDER BY {order})
                         FROM {table} a WHERE a.id IN (SELECT id FROM page)), '[]'))"""


def substring(column: str, param: str) -> str:
    """Return the indexed case-insensitive substring test (see partnerships/search.py)."""
    return (
        f"(partnerships_bigrams({column}::text) @> partnerships_bigrams(%({param})s::text)"
        f" AND upper({column}::text) LIKE upper(%({param}_like)s))"
    )


def region_subtree(param: str) -> str:
    """Return the test that an agreement lies in a region's subtree, given the subtree's ids.

    The API resolves the code to the subtree's ids first (one small query), so the floor is
    given them too: the list query is then the same indexed test in both.
    """
    # The region it is filed under (its own, else its parties' or its event's), as the API's filter reads it.
    return f"a.effective_region_id = ANY(%({param})s)"


def institutions_matching(param: str) -> str:
    """Return the ids of institutions whose name, English name or an alias contains the text."""
    return f"""(SELECT i.id FROM partnerships_institution i
                WHERE {substring("i.name", param)} OR {substring("i.name_en", param)}
                UNION SELECT n.institution_id FROM partnerships_institutionalias n WHERE {substring("n.name", param)})"""


def rollup_substring(column: str, param: str, length: int) -> str:
    """Return the case-insensitive substring test as the `substring` lookup sends it for a text of this length.

    From three characters the LIKE alone (a trigram index serves it); for two, the same test as
    strpos() and the bigram containment test (the bigram index serves it); see partnerships/search.py.
    """
    if length >= 3:
        return f"upper({column}::text) LIKE upper(%({param}_like)s)"
    exact = f"strpos(upper({column}::text), upper(%({param})s::text)) > 0"
    return f"({exact} AND partnerships_bigrams({column}::text) @> partnerships_bigrams(%({param})s::text))"


def agreement_rollup_search(param: str, length: int) -> str:
    """Return the test that an agreement's title or a party's name holds the text, on the agreement row.

    The names rollup (party_names: every party's name, English name and aliases) holds what the
    parties' institutions' names hold (institutions_matching()); as one condition the list can be read in its
    order and stop when the page is full, which a term in a quarter of all agreements needs.
    For a text in simplified script (the folded names are searched only for a traditional one).
    """
    return f"({rollup_substring('a.title', param, length)} OR {rollup_substring('a.party_names', param, length)})"


def stats_floor(where: str, key: str, label: str, joins: str = "", key_format: str = "{}") -> str:
    """Return {"group_by", "total", "results": [{key, label, count}]} counted by PostgreSQL."""
    return f"""
WITH grouped AS (SELECT {key_format.format("key")} AS key, {key_format.format("label")} AS label, count
                 FROM (SELECT {key} AS key, {label} AS label, count(*) AS count
                       FROM partnerships_agreement a {joins} WHERE {where} GROUP BY 1, 2) AS counted)
SELECT json_build_object(
    'group_by', %(group_by)s::text,
    -- Each agreement falls in exactly one region and one month group, so the groups add up to the total.
    'total', (SELECT coalesce(sum(count), 0) FROM grouped),
    'results', coalesce((SELECT json_agg(json_build_object('key', key, 'label', coalesce(label, %(none)s::text), 'count', count)
                                         ORDER BY count DESC, key IS NULL, key) FROM grouped), '[]'))"""


def groups_floor(grouped: str, total: str) -> str:
    """Return {"group_by", "total", "results"} from a query of (key, count) rows and one of the total.

    For the groupings in which an agreement may count in several groups, or in none (project
    types, party kinds, partners), whose total is a count of its own.
    """
    return f"""
WITH grouped AS ({grouped})
SELECT json_build_object(
    'group_by', %(group_by)s::text,
    'total', ({total}),
    'results', coalesce((SELECT json_agg(json_build_object('key', key, 'count', count)
                                         ORDER BY count DESC, key IS NULL, key) FROM grouped), '[]'))"""


def agreements_of(where: str, alias: str, column: str) -> str:
    """Return a join of `alias`.`column` to the agreements `where` selects, or nothing when it selects every one."""
    return "" if where == "TRUE" else f"JOIN partnerships_agreement a ON a.id = {alias}.{column} AND {where}"


# stats?group_by=party_kind: an agreement counts once under each kind among its parties (the kinds rollup).
def party_kind_groups(where: str = "TRUE") -> str:
    return f"""SELECT k.party_kind AS key, count(*) AS count FROM partnerships_agreement a,
    unnest(string_to_array(trim(BOTH ',' FROM a.party_kinds), ',')) AS k(party_kind) WHERE {where} GROUP BY k.party_kind"""


# stats?group_by=project_type: once under each project type, and the agreements with none under null.
def project_type_groups(where: str = "TRUE") -> str:
    return f"""SELECT t.code::text AS key, count(*) AS count
    FROM partnerships_agreement_project_types l {agreements_of(where, "l", "agreement_id")}
    JOIN partnerships_projecttype t ON t.id = l.projecttype_id GROUP BY t.code
    UNION ALL SELECT NULL, count(*) FROM partnerships_agreement a
    WHERE {where} AND NOT EXISTS (SELECT 1 FROM partnerships_agreement_project_types l WHERE l.agreement_id = a.id)
    HAVING count(*) > 0"""


# stats?group_by=partners: the 20 institutions with the most distinct partners (ties by id), keyed by their id as text.
def partner_groups(where: str = "TRUE") -> str:
    return f"""SELECT p.institution_id::text AS key, count(DISTINCT q.institution_id) AS count
    FROM partnerships_agreementparty p {agreements_of(where, "p", "agreement_id")}
    JOIN partnerships_agreementparty q ON q.agreement_id = p.agreement_id AND q.institution_id <> p.institution_id
    GROUP BY p.institution_id ORDER BY count DESC, p.institution_id LIMIT 20"""


def agreements_count(where: str = "TRUE") -> str:
    return f"SELECT count(*) FROM partnerships_agreement a WHERE {where}"


PARTY_KIND_GROUPS, PROJECT_TYPE_GROUPS, PARTNER_GROUPS = party_kind_groups(), project_type_groups(), partner_groups()
AGREEMENTS_COUNT = agreements_count()


# agreements/summary/: the overview's four figures, over the agreements `where` selects.
def summary_floor(where: str = "TRUE") -> str:
    party_to_one = f"""EXISTS (SELECT 1 FROM partnerships_agreementparty p {agreements_of(where, "p", "agreement_id")}
                       WHERE p.institution_id = i.id)"""
    return f"""
SELECT json_build_object(
    'agreements', (SELECT count(*) FROM partnerships_agreement a WHERE {where}),
    'institutions', (SELECT count(*) FROM partnerships_institution i WHERE {party_to_one}),
    'enterprises', (SELECT count(*) FROM partnerships_institution i WHERE i.kind = ANY(%(enterprise_kinds)s)
                    AND {party_to_one}),
    'in_force', (SELECT count(*) FROM partnerships_agreement a WHERE {where} AND a.valid_from <= %(today)s
                 AND (a.valid_until >= %(today)s OR a.valid_until IS NULL)),
    'in_force_on', %(today)s::date)
"""


SUMMARY_FLOOR = summary_floor()


MONTH = """CASE WHEN date_trunc('month', a.signed_earliest) = date_trunc('month', a.signed_latest)
                THEN date_trunc('month', a.signed_earliest) END"""


@dataclass(frozen=True)
class Case:
    """One benchmarked request: the API path and query, and its floor."""

    name: str
    path: str
    query: dict
    sql: str
    params: dict
    kind: str = "list"  # list | stats | groups | summary | network
    # At most this many warm-ups and timed runs, for a request of seconds (a broadly filtered one).
    runs: tuple[int, int] | None = None


# The network around one institution at depth 1: its partners ranked by shared agreements
# (one more than there is room for, to tell whether any is left out), every pair of nodes
# party to the same agreements with the newest ids, and each node's number of agreements.
# At depth 2, then the partners of those partners outside the network so far, ranked by the
# agreements they share with them, in the room left (one more, again).
NETWORK_SECOND_RING = """
), second AS (
    SELECT q.institution_id AS id, count(*) AS weight
    FROM partnerships_agreementparty q
    WHERE q.agreement_id IN (SELECT p.agreement_id FROM partnerships_agreementparty p
                             WHERE p.institution_id IN (SELECT id FROM first))
      AND q.institution_id <> %(center)s AND q.institution_id NOT IN (SELECT id FROM first)
    GROUP BY q.institution_id ORDER BY weight DESC, q.institution_id
    LIMIT greatest(%(room)s - (SELECT count(*) FROM first), 0) + 1"""
NETWORK_SECOND_NODES = """
    UNION ALL (SELECT id, %(limit)s + row_number() OVER (ORDER BY weight DESC, id) FROM second
               ORDER BY weight DESC, id LIMIT greatest(%(room)s - (SELECT count(*) FROM first), 0))"""
NETWORK_SECOND_TRUNCATED = """
    OR (SELECT count(*) FROM second) > greatest(%(room)s - (SELECT count(*) FROM first), 0)"""


def network_floor(depth: int = 1) -> str:
    """Return {"nodes", "edges", "truncated"} of the network around %(center)s at depth 1 or 2."""
    second = depth == 2
    return f"""
WITH ranked AS (
    SELECT q.institution_id AS id, count(DISTINCT q.agreement_id) AS weight
    FROM partnerships_agreementparty p
    JOIN partnerships_agreementparty q ON q.agreement_id = p.agreement_id AND q.institution_id <> p.institution_id
    WHERE p.institution_id = %(center)s
    GROUP BY q.institution_id ORDER BY weight DESC, q.institution_id LIMIT %(limit)s
), first AS (
    SELECT id, weight FROM ranked ORDER BY weight DESC, id LIMIT %(room)s{NETWORK_SECOND_RING if second else ""}
), nodes AS (
    SELECT %(center)s::bigint AS id, 0 AS position
    UNION ALL SELECT id, row_number() OVER (ORDER BY weight DESC, id) FROM first{NETWORK_SECOND_NODES if second else ""}
{network_answer(f"(SELECT count(*) FROM ranked) > %(room)s{NETWORK_SECOND_TRUNCATED if second else ''}")}"""


def network_answer(truncated: str) -> str:
    """Return the end of a network floor: the nodes (CTE `nodes`: id, position) with the edges between them."""
    return f"""), pairs AS (
    SELECT p.institution_id AS source, q.institution_id AS target, p.agreement_id,
           count(*) OVER pair AS weight, row_number() OVER (pair ORDER BY p.agreement_id DESC) AS rank
    FROM partnerships_agreementparty p
    JOIN partnerships_agreementparty q ON q.agreement_id = p.agreement_id AND q.institution_id > p.institution_id
    WHERE p.institution_id IN (SELECT id FROM nodes) AND q.institution_id IN (SELECT id FROM nodes)
    WINDOW pair AS (PARTITION BY p.institution_id, q.institution_id)
)
SELECT json_build_object(
    'nodes', coalesce((SELECT json_agg(json_build_object('id', i.id, 'name', i.name, 'kind', i.kind, 'region', r.code,
                                                         'agreements', (SELECT count(*) FROM partnerships_agreementparty c
                                                                        WHERE c.institution_id = i.id))
                                       ORDER BY n.position)
                       FROM nodes n JOIN partnerships_institution i ON i.id = n.id
                       LEFT JOIN partnerships_region r ON r.id = i.region_id), '[]'),
    'edges', coalesce((SELECT json_agg(json_build_object('source', source, 'target', target, 'agreements', weight, 'ids', ids)
                                       ORDER BY weight DESC, source, target)
                       FROM (SELECT source, target, max(weight) AS weight,
                                    array_agg(agreement_id ORDER BY agreement_id DESC) AS ids
                             FROM pairs WHERE rank <= 5 GROUP BY source, target) e), '[]'),
    'truncated', {truncated})
"""


NETWORK_FLOOR = network_floor()

# The network around a region (%(regions)s: its subtree's ids): its institutions party to agreements,
# the busiest first (one more than the limit, to tell whether any is left out), then their partners
# in the room left, ranked by the agreements they share with them; none when the seeds fill it.
REGION_NETWORK_FLOOR = f"""
WITH seeded AS (
    SELECT p.institution_id AS id, count(*) AS weight
    FROM partnerships_agreementparty p JOIN partnerships_institution i ON i.id = p.institution_id
    WHERE i.region_id = ANY(%(regions)s)
    GROUP BY p.institution_id ORDER BY weight DESC, p.institution_id LIMIT %(limit)s + 1
), seeds AS (
    SELECT id, weight FROM seeded ORDER BY weight DESC, id LIMIT %(limit)s
), ranked AS (
    SELECT q.institution_id AS id, count(*) AS weight
    FROM partnerships_agreementparty q
    WHERE q.agreement_id IN (SELECT p.agreement_id FROM partnerships_agreementparty p
                             WHERE p.institution_id IN (SELECT id FROM seeds))
      AND q.institution_id NOT IN (SELECT id FROM seeds) AND (SELECT count(*) FROM seeded) <= %(limit)s
    GROUP BY q.institution_id ORDER BY weight DESC, q.institution_id
    LIMIT %(limit)s - (SELECT count(*) FROM seeds) + 1
), nodes AS (
    SELECT id, row_number() OVER (ORDER BY weight DESC, id) AS position FROM seeds
    UNION ALL (SELECT id, %(limit)s + row_number() OVER (ORDER BY weight DESC, id) FROM ranked
               ORDER BY weight DESC, id LIMIT %(limit)s - (SELECT count(*) FROM seeds))
{network_answer("(SELECT count(*) FROM seeded) > %(limit)s OR (SELECT count(*) FROM ranked) > %(limit)s - (SELECT count(*) FROM seeds)")}"""

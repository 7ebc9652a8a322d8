"""The requests the benchmark times, each with its floor."""

from psycopg import ClientCursor

from bench.floors import (
    AGREEMENT_JSON,
    INSTITUTION_JSON,
    MONTH,
    NETWORK_FLOOR,
    REGION_NETWORK_FLOOR,
    SIGNED_ASC,
    SIGNED_DESC,
    Case,
    agreement_rollup_search,
    agreements_count,
    count_query,
    groups_floor,
    institutions_matching,
    list_floor,
    network_floor,
    partner_groups,
    party_kind_groups,
    project_type_groups,
    region_subtree,
    stats_floor,
    summary_floor,
)

AGREEMENTS = "/api/v1/agreements/"
PAGE = {"limit": 50, "offset": 0}
PROVINCE, PREFECTURE = "440000", "360700"  # 广东省 (the most populous), 赣州市
SIGNED_RANGE = ("2022-01-01", "2023-12-31")
# The workspace's broad search (issue 17): a term in about a quarter of all agreements.
BROAD_TERM = "职业技术学院"
# The overview filtered broadly (issue 17): the commonest kind, about 60% of all agreements.
BROAD_KIND = "cooperation_agreement"
ONE_KIND = "a.kind = %(kind)s"


def agreements_floor(where: str = "TRUE", order: str = SIGNED_DESC) -> str:
    return list_floor("partnerships_agreement", AGREEMENT_JSON, where, order)


def search_params(text: str) -> dict:
    like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return {"q": text, "q_like": like}


def cases(db) -> list[Case]:
    """Return the benchmarked requests, reading the ids they need from the database."""

    def one(sql: str, *params):
        row = db.execute(sql, params).fetchone()
        return None if row is None else row[0]

    def subtree(code: str) -> list[int]:
        return [
            row[0]
            for row in db.execute(
                """SELECT g.id FROM partnerships_region g
               LEFT JOIN partnerships_region g1 ON g1.id = g.parent_id
               LEFT JOIN partnerships_region g2 ON g2.id = g1.parent_id
               WHERE %s IN (g.code, g1.code, g2.code) ORDER BY g.id""",
                [code],
            ).fetchall()
        ]

    province, prefecture = subtree(PROVINCE), subtree(PREFECTURE)
    project_type = one("SELECT id FROM partnerships_projecttype WHERE code = 'industry-college'")
    # A busy but not extreme party: the institution whose agreement count is nearest 200.
    party = one(
        """SELECT institution_id FROM partnerships_agreementparty GROUP BY institution_id
           ORDER BY abs(count(*) - 200), institution_id LIMIT 1"""
    )
    # An alias analysts would type: the short name of the first higher vocational college in 赣州市.
    alias = (
        one(
            """SELECT n.name FROM partnerships_institutionalias n JOIN partnerships_institution i ON i.id = n.institution_id
           JOIN partnerships_region r ON r.id = i.region_id
           WHERE r.code = %s AND n.name LIKE '%%职院' ORDER BY i.id LIMIT 1""",
            PREFECTURE,
        )
        or "赣州职院"
    )
    none = "无"
    # The network's institution: the least busy with at least 5,000 agreements (issue 17's target),
    # or the busiest in a dataset too small to have one.
    hub = one(
        """SELECT institution_id FROM partnerships_agreementparty GROUP BY institution_id
           ORDER BY count(*) < 5000, abs(count(*) - 5000), institution_id LIMIT 1"""
    )
    network_limit = 200
    # The network at depth 2: an institution with about 50 partners, so that theirs fill the room left.
    second_hub = one(
        "SELECT institution_id FROM partnerships_institutionpartners ORDER BY abs(partners - 50), institution_id LIMIT 1"
    )

    def with_count(table, where, params):
        """Add the inlined text of the counted query, which the floor's estimate plans."""
        return {**params, "count_sql": ClientCursor(db).mogrify(count_query(table, where), params)}

    def listing(name, query, where="TRUE", order=SIGNED_DESC, params=None, offset=0):
        params = {**PAGE, "offset": offset, **(params or {})}
        return Case(
            name,
            AGREEMENTS,
            {**query, **({"offset": offset} if offset else {})},
            agreements_floor(where, order),
            with_count("partnerships_agreement", where, params),
        )

    def search(name, text):
        return listing(name, {"q": text}, agreement_rollup_search("q", len(text)), params=search_params(text))

    def stats(name, group_by, key, label, joins="", key_format="{}", where="TRUE", query=None, params=None):
        return Case(
            name,
            AGREEMENTS + "stats/",
            {"group_by": group_by, **(query or {})},
            stats_floor(where, key, label, joins, key_format),
            {"group_by": group_by, "none": none, **(params or {})},
            kind="stats",
        )

    def groups(name, group_by, grouped, where="TRUE", query=None, runs=None):
        return Case(
            name, AGREEMENTS + "stats/", {"group_by": group_by, **(query or {})}, groups_floor(grouped(where), agreements_count(where)),
            {"group_by": group_by, "kind": BROAD_KIND}, kind="groups", runs=runs,
        )

    # The server's day, as the summary's "in force" counts it (Django is set up before the cases are read).
    from django.utils import timezone

    from partnerships.selectors import ENTERPRISE_KINDS

    today = timezone.localdate()

    return [
        listing("agreements, unfiltered", {}),
        listing(
            f"region {PROVINCE} (province)", {"region": PROVINCE}, region_subtree("region"), params={"region": province}
        ),
        listing(
            f"region {PREFECTURE} (prefecture)",
            {"region": PREFECTURE},
            region_subtree("region"),
            params={"region": prefecture},
        ),
        listing(
            "project_type + signed range",
            {"project_type": "industry-college", "signed_after": SIGNED_RANGE[0], "signed_before": SIGNED_RANGE[1]},
            """EXISTS (SELECT 1 FROM partnerships_agreement_project_types l
                       WHERE l.agreement_id = a.id AND l.projecttype_id = %(project_type)s)
               AND a.signed_latest >= %(after)s AND a.signed_earliest <= %(before)s""",
            params={"project_type": project_type, "after": SIGNED_RANGE[0], "before": SIGNED_RANGE[1]},
        ),
        listing(
            "party",
            {"party": party},
            """EXISTS (SELECT 1 FROM partnerships_agreementparty p
                       WHERE p.agreement_id = a.id AND p.institution_id = %(party)s)""",
            params={"party": party},
        ),
        # The floors read the agreement row's title and names rollup, as the API does; that they
        # hold what the parties' names hold is tests/test_search.py's and tests/test_rollups.py's.
        search("q, 2 characters (赣州)", "赣州"),
        search("q, 4 characters (智能制造)", "智能制造"),
        listing(
            "party_kind + status",
            {"party_kind": "enterprise", "status": "signed"},
            """a.status = 'signed' AND EXISTS (
                   SELECT 1 FROM partnerships_agreementparty p JOIN partnerships_institution i ON i.id = p.institution_id
                   WHERE p.agreement_id = a.id AND i.kind = 'enterprise')""",
        ),
        listing("deep page (offset 100000)", {}, offset=100_000),
        listing("ordering=signed", {"ordering": "signed"}, order=SIGNED_ASC),
        stats("stats by region", "region", "r.code", "r.name", "LEFT JOIN partnerships_region r ON r.id = a.effective_region_id"),
        stats("stats by month", "month", MONTH, MONTH, key_format="to_char({}, 'YYYY-MM')"),
        # What the workspace's overview asks besides (docs/dashboard.md), each over every agreement.
        Case(
            "summary (overview figures)", AGREEMENTS + "summary/", {}, summary_floor(),
            {"today": today, "enterprise_kinds": [str(kind) for kind in ENTERPRISE_KINDS]}, kind="summary",
        ),
        stats(
            "stats by month, one kind", "month", MONTH, MONTH, key_format="to_char({}, 'YYYY-MM')",
            where="a.kind = %(kind)s", query={"kind": "cooperation_agreement"}, params={"kind": "cooperation_agreement"},
        ),
        groups("stats by party kind", "party_kind", party_kind_groups),
        groups("stats by project type", "project_type", project_type_groups),
        groups("stats by partners (top 20)", "partners", partner_groups),
        # The overview filtered broadly: one kind, 60% of the agreements. The slowest run a few times only.
        Case(
            "summary, one kind (broad)", AGREEMENTS + "summary/", {"kind": BROAD_KIND}, summary_floor(ONE_KIND),
            {"today": today, "enterprise_kinds": [str(kind) for kind in ENTERPRISE_KINDS], "kind": BROAD_KIND},
            kind="summary", runs=(2, 5),
        ),
        stats(
            "stats by region, one kind", "region", "r.code", "r.name",
            "LEFT JOIN partnerships_region r ON r.id = a.effective_region_id",
            where=ONE_KIND, query={"kind": BROAD_KIND}, params={"kind": BROAD_KIND},
        ),
        groups("stats by party kind, one kind", "party_kind", party_kind_groups, ONE_KIND, {"kind": BROAD_KIND}),
        groups(
            "stats by project type, one kind", "project_type", project_type_groups, ONE_KIND, {"kind": BROAD_KIND},
            runs=(2, 5),
        ),
        groups("stats by partners, one kind", "partners", partner_groups, ONE_KIND, {"kind": BROAD_KIND}, runs=(1, 3)),
        search(f"q, broad ({BROAD_TERM})", BROAD_TERM),
        Case(
            "network, depth 1 (≥ 5,000 agreements)",
            f"/api/v1/institutions/{hub}/network/",
            {},
            NETWORK_FLOOR,
            {"center": hub, "limit": network_limit, "room": network_limit - 1},
            kind="network",
        ),
        Case(
            "network, depth 2 (about 50 partners)",
            f"/api/v1/institutions/{second_hub}/network/",
            {"depth": "2"},
            network_floor(depth=2),
            {"center": second_hub, "limit": network_limit, "room": network_limit - 1},
            kind="network",
        ),
        Case(
            f"network, region {PREFECTURE}",
            f"/api/v1/regions/{PREFECTURE}/network/",
            {},
            REGION_NETWORK_FLOOR,
            {"regions": prefecture, "limit": network_limit},
            kind="network",
        ),
        Case(
            "institutions, q = alias",
            "/api/v1/institutions/",
            {"q": alias},
            list_floor("partnerships_institution", INSTITUTION_JSON, f"a.id IN {institutions_matching('q')}", "a.name"),
            with_count(
                "partnerships_institution", f"a.id IN {institutions_matching('q')}", {**PAGE, **search_params(alias)}
            ),
        ),
    ]

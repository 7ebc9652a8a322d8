"""Time requests analysts make that the timed set (bench/cases.py) does not: python -m bench.others --agreements N.

The workspace's requests are here too: those with no floor in bench/cases.py (the cooperation
reports, the saved views, the institution's profile page) and the networks, which have one there,
for the institution given (--institution). No floor: each request's median and slowest of a few runs through the full Django stack, as
`python -m bench` times the API, on a database `python -m bench` built (tracker_bench_<N>).
"""

import argparse
import json
import statistics
import time

from bench.__main__ import analyst_token, configure

AGREEMENTS, INSTITUTIONS, PEOPLE = "/api/v1/agreements/", "/api/v1/institutions/", "/api/v1/people/"
REQUESTS = [
    (AGREEMENTS + "stats/", {"group_by": "project_type"}),
    (AGREEMENTS + "stats/", {"group_by": "party_kind"}),
    (AGREEMENTS + "stats/", {"group_by": "status"}),
    (AGREEMENTS + "stats/", {"group_by": "project_type", "region": "360700"}),
    (AGREEMENTS, {"party_name": "职业技术学院"}),
    (AGREEMENTS, {"q": "职业技术学院"}),
    (AGREEMENTS, {"party_name": "赣州"}),
    (AGREEMENTS, {"industry": "intelligent-manufacturing"}),
    (AGREEMENTS, {"ordering": "-created"}),
    (AGREEMENTS, {"cited": "false"}),
    (AGREEMENTS, {"count": "exact"}),
    (AGREEMENTS, {"limit": "1000"}),
    (INSTITUTIONS, {"q": "职业"}),
    (INSTITUTIONS, {"kind": "enterprise", "region": "440000"}),
    (PEOPLE, {"q": "王"}),
    (PEOPLE, {"post_title": "校长"}),
    ("/api/v1/projects/", {"region": "440000"}),
]


def workspace_requests(institution: int | None = None) -> list[tuple[str, dict]]:
    """Return what the analyst workspace (/dashboard/) asks for one institution, and the reports, views and networks.

    Its institution is the one given, or the one the network case of bench/cases.py uses: the
    least busy with at least 5,000 agreements, or the busiest in a smaller dataset.
    """
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT institution_id FROM partnerships_agreementparty GROUP BY institution_id
               ORDER BY count(*) < 5000, abs(count(*) - 5000), institution_id LIMIT 1"""
        )
        hub = institution or cursor.fetchone()[0]
        cursor.execute(
            """SELECT extract(year FROM a.signed_earliest)::int FROM partnerships_agreementparty p
               JOIN partnerships_agreement a ON a.id = p.agreement_id
               WHERE p.institution_id = %s AND a.signed_earliest IS NOT NULL
               GROUP BY 1 ORDER BY count(*) DESC, 1 DESC LIMIT 1""",
            [hub],
        )
        year = cursor.fetchone()[0]
    return [
        (f"{INSTITUTIONS}{hub}/network/", {"depth": "1"}),
        (f"{INSTITUTIONS}{hub}/network/", {"depth": "2"}),
        ("/api/v1/regions/360700/network/", {"depth": "1"}),
        ("/api/v1/reports/cooperation/", {"institution": str(hub), "year": str(year)}),
        ("/api/v1/reports/cooperation/", {"region": "360700", "year": str(year)}),
        ("/api/v1/saved-views/", {"limit": "200"}),
        # The profile page, rendered by the server (the session of the same analyst).
        (f"/dashboard/institutions/{hub}/", {}),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agreements", type=int, default=1_000_000)
    parser.add_argument("--database-prefix", default="tracker_bench_")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument(
        "--only", help="Run only the requests whose path and query contain this text (or several, separated by |)."
    )
    parser.add_argument(
        "--institution", type=int, help="The institution of the workspace's requests (network, report, profile), by id."
    )
    args = parser.parse_args()
    configure(f"{args.database_prefix}{args.agreements}")
    from django.conf import settings
    from django.contrib.auth.models import User
    from rest_framework.test import APIClient

    from tracker.startup import freeze_loaded

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {analyst_token()}")
    client.force_login(User.objects.get(username="bench-analyst"))
    # The profile page names its static files; without `collectstatic` (make serve runs it) the
    # manifest storage has no entries, so they are named as the plain storage names them.
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    freeze_loaded()
    print(f"{'median ms':>9} {'max ms':>8}  request")
    for path, query in REQUESTS + workspace_requests(args.institution):
        shown = f"{path} {json.dumps(query, ensure_ascii=False)}"
        if args.only and not any(part in shown for part in args.only.split("|")):
            continue
        response = client.get(path, query)
        for _ in range(args.warmup - 1):
            response = client.get(path, query)
        assert response.status_code == 200, (path, query, response.status_code)
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            client.get(path, query)
            times.append((time.perf_counter() - started) * 1000)
        print(f"{statistics.median(times):9.1f} {max(times):8.1f}  {path} {json.dumps(query, ensure_ascii=False)}", flush=True)


if __name__ == "__main__":
    main()

"""Time requests analysts make that the timed set (bench/cases.py) does not: python -m bench.others --agreements N.

No floor: each request's median and slowest of a few runs through the full Django stack, as
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agreements", type=int, default=1_000_000)
    parser.add_argument("--database-prefix", default="tracker_bench_")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args()
    configure(f"{args.database_prefix}{args.agreements}")
    from rest_framework.test import APIClient

    from tracker.startup import freeze_loaded

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {analyst_token()}")
    freeze_loaded()
    print(f"{'median ms':>9} {'max ms':>8}  request")
    for path, query in REQUESTS:
        for _ in range(args.warmup):
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

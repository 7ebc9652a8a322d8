"""Time the analyst API at national scale against the raw-SQL floor: python -m bench --agreements N.

Creates and fills a PostgreSQL database (tracker_bench_<N> unless --database says otherwise)
when it does not exist yet, then times each request through the full Django stack
(APIClient, token-authenticated analyst, in process) and its floor (one SQL statement
through psycopg), and finally a streamed CSV export of the whole agreements table in a
subprocess of its own, so its peak memory is the export's alone.
"""

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import time

SERVER = "postgres://postgres@127.0.0.1:5432"
ROOT = "/api/v1/"
# A statement run 5 times is prepared (psycopg's prepare_threshold, on both sides), and
# PostgreSQL settles on its plan after 5 runs of the prepared statement: the runs timed after
# these are what a server process that has been up for a while does.
WARMUP = 12


def configure(database: str) -> None:
    """Run Django as in production (DEBUG off) against the benchmark database."""
    os.environ["DATABASE_URL"] = f"{SERVER}/{database}"
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["SECURE_SSL_REDIRECT"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    import django

    django.setup()


def database_prepare(database: str, agreements: int, seed: int) -> None:
    """Create, migrate and fill the database unless it already holds the dataset."""
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if not exists:
            admin.execute(f'CREATE DATABASE "{database}"')
    configure(database)
    from django.core.management import call_command

    from partnerships.models import Agreement

    call_command("migrate", verbosity=0)
    have = Agreement.objects.count()
    if have == 0:
        # Their reports go to stderr: stdout is the figures (what --doc writes into a document).
        call_command("load_regions", stdout=sys.stderr)
        started = time.monotonic()
        call_command("generate_dataset", agreements=agreements, seed=seed, stdout=sys.stderr)
        print(f"generation: {time.monotonic() - started:.0f} s")
    elif have != agreements:
        sys.exit(f"{database} holds {have} agreements, not {agreements}: drop it or choose --database.")
    with psycopg.connect(f"{SERVER}/{database}", autocommit=True) as conn:
        # Visibility maps make count(*) an index-only scan, as on any database autovacuum has visited.
        conn.execute("VACUUM ANALYZE")


def analyst_token() -> str:
    from django.contrib.auth.models import Group, User
    from rest_framework.authtoken.models import Token

    from partnerships.services import ANALYST_GROUP, roles_sync

    roles_sync()
    user, _ = User.objects.get_or_create(username="bench-analyst")
    user.groups.add(Group.objects.get(name=ANALYST_GROUP))
    return Token.objects.get_or_create(user=user)[0].key


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--agreements", type=int, nargs="+", default=[1_000_000],
        help="Dataset sizes; several sizes print each request at every size, to show how its cost grows.",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database", help="Database name, for one size (default <prefix><agreements>).")
    parser.add_argument("--database-prefix", default="tracker_bench_", help="Database name before the size.")
    parser.add_argument("--repeat", type=int, default=20, help="Timed runs per request (after the warm-ups).")
    parser.add_argument(
        "--warmup", type=int, default=WARMUP,
        help="Untimed runs per request first, so that both sides run prepared statements with settled plans.",
    )
    parser.add_argument(
        "--only", help="Run only the requests whose name contains this text (or one of several separated by |)."
    )
    parser.add_argument("--no-csv", action="store_true", help="Skip the CSV export.")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)  # one size, for the driver
    parser.add_argument(
        "--doc", metavar="PATH",
        help="Also write what is printed into the <!-- bench:start --> block of PATH (docs/performance.md).",
    )
    args = parser.parse_args()
    printed = Tee(sys.stdout) if args.doc else None
    if printed:
        sys.stdout = printed
    if len(args.agreements) > 1:
        status = growth(args)
    else:
        agreements = args.agreements[0]
        status = run(args, agreements, args.database or f"{args.database_prefix}{agreements}")
    if printed:
        from devtools.docblocks import block_write

        sys.stdout = printed.stream
        shown = [a for a in sys.argv[1:] if a not in ("--doc", args.doc) and not a.startswith("--doc=")]
        lines = printed.getvalue().rstrip("\n").splitlines()
        block_write(args.doc, "bench", lines, command=" ".join(["python -m bench", *shown]), timed=True)
    sys.exit(status)


class Tee(io.StringIO):
    """Keep a copy of what is written to a stream while it is written."""

    def __init__(self, stream):
        super().__init__()
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(text)
        return super().write(text)

    def flush(self) -> None:
        self.stream.flush()


def growth(args) -> int:
    """Run every size in a process of its own, then print each request's figures side by side."""
    figures, failed = {}, False
    for agreements in args.agreements:
        command = [
            sys.executable, "-m", "bench", "--agreements", str(agreements), "--seed", str(args.seed),
            "--database-prefix", args.database_prefix, "--repeat", str(args.repeat), "--warmup", str(args.warmup), "--json",
            *(["--only", args.only] if args.only else []), *(["--no-csv"] if args.no_csv else []),
        ]
        print(f"== {agreements} agreements", flush=True)
        last = ""
        with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as child:
            # Shown as it comes; the last line is the figures as JSON.
            for line in child.stdout:
                if last:
                    print(last, end="", flush=True)
                last = line
        if last.startswith("{"):
            figures[agreements] = json.loads(last)
        else:
            print(last, end="")
            figures[agreements] = {"cases": {}}
        failed = failed or child.returncode != 0
        print()
    sizes = list(figures)
    names = list(dict.fromkeys(name for size in sizes for name in figures[size]["cases"]))
    print("growth: API median / floor median in ms (ratio) at each size")
    header = f"{'request':<34}" + "".join(f" {f'{size:,}':>24}" for size in sizes)
    print(header)
    print("-" * len(header))
    worst = (0.0, "", 0)
    for name in names:
        cells = []
        for size in sizes:
            case = figures[size]["cases"].get(name)
            if case is None:
                cells.append(f" {'-':>24}")
                continue
            cells.append(f" {case['api_med']:8.1f} /{case['floor_med']:7.1f} ({case['ratio']:4.2f})")
            worst = max(worst, (case["ratio"], name, size))
        print(f"{name:<34}" + "".join(cells))
    for size in sizes:
        if "csv" in figures[size]:
            print(f"CSV at {size:,}: {figures[size]['csv']}")
    print()
    print(f"worst ratio: {worst[0]:.2f} ({worst[1]}, {worst[2]:,} agreements)")
    return 1 if failed else 0


def run(args, agreements: int, database: str) -> int:
    """Time every request on one dataset; return 1 on any count or page mismatch."""
    database_prepare(database, agreements, args.seed)

    import psycopg
    from rest_framework.test import APIClient

    from bench.cases import cases
    from tracker.startup import freeze_loaded

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {analyst_token()}")
    floor_db = psycopg.connect(f"{SERVER}/{database}", autocommit=True)
    floor_session(floor_db)
    # As a server process does once loaded (tracker/wsgi.py): no full collection walks it all again.
    freeze_loaded()

    print(f"dataset: {agreements} agreements, database {database}; {args.repeat} runs each after {args.warmup} warm-ups")
    fixed = fixed_cost(client, args)
    print(f"fixed cost of any API request (authenticated GET {ROOT}): {fixed:.2f} ms median, added to each floor")
    header = f"{'request':<34} {'API med':>8} {'API p95':>8} {'floor med':>9} {'floor p95':>9} {'ratio':>6} {'SQL':>4}"
    print(header)
    print("-" * len(header))
    worst = (0.0, "")
    mismatches = []
    results = {}
    for case in cases(floor_db):
        if args.only and not any(part in case.name for part in args.only.split("|")):
            continue
        figures, api_result, floor_result = time_case(case, client, floor_db, args, fixed)
        mismatches += check_same(case, api_result, floor_result)
        if case.kind == "list":
            mismatches += check_exact_count(case, client, floor_db, api_result)
        worst = max(worst, (figures["ratio"], case.name))
        results[case.name] = figures
        print(
            f"{case.name:<34} {figures['api_med']:8.1f} {figures['api_p95']:8.1f} {figures['floor_med']:9.1f} "
            f"{figures['floor_p95']:9.1f} {figures['ratio']:6.2f} {figures['sql']:4d}",
            flush=True,
        )
    floor_db.close()
    for mismatch in mismatches:
        print(f"MISMATCH {mismatch}")

    summary = {"cases": results, "mismatches": mismatches}
    if not args.no_csv and not args.only:
        print()
        summary["csv"] = csv_export(database)
    print()
    raw = max((figures["raw_ratio"], name) for name, figures in results.items()) if results else (0.0, "")
    print(f"worst ratio: {worst[0]:.2f} ({worst[1]}); to the SQL alone, without the fixed cost: {raw[0]:.2f} ({raw[1]})", flush=True)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    return 1 if mismatches else 0


def floor_session(db) -> None:
    """Set the floor's session to write timestamps as the API does: in TIME_ZONE."""
    from django.conf import settings

    db.execute("SELECT set_config('TimeZone', %s, false)", [settings.TIME_ZONE])


def fixed_cost(client, args) -> float:
    """Return the median milliseconds of the cheapest authenticated API request, the API root.

    A floor is what the fastest server would pay for a request: the statement that returns
    its answer, and the cost of answering any request at all (routing, middleware, the
    token, the throttle, the permission, rendering), which no read plan can remove. Without
    it, a request whose statement takes a third of a millisecond (an institution found by
    its alias) measures that fixed cost rather than the read path: 1.9 ms to 0.33, 5.9 times,
    when the same code answers a million-row list within 1.6 times (docs/performance.md).
    """
    runs = []
    for number in range(args.warmup + 5 * args.repeat):
        started = time.perf_counter()
        response = client.get(ROOT)
        if number >= args.warmup:
            runs.append(time.perf_counter() - started)
        assert response.status_code == 200, (ROOT, response.status_code)
    return statistics.median(runs) * 1000


def time_case(case, client, floor_db, args, fixed: float = 0.0) -> tuple[dict, dict, dict]:
    """Time a request through the API and its floor; return the figures and the last answer of each.

    The ratio is the API's median to the floor's plus the fixed cost of any request (fixed_cost());
    raw_ratio leaves that cost out.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def api():
        response = client.get(case.path, case.query)
        assert response.status_code == 200, (case.name, response.status_code, response.content[:500])
        return json.loads(response.content)

    def floor():
        return floor_db.execute(case.sql, case.params).fetchone()[0]

    api_times, floor_times = [], []
    warmup, repeat = (args.warmup, args.repeat) if case.runs is None else map(min, (args.warmup, args.repeat), case.runs)
    for _ in range(max(warmup, 1)):
        api_result, floor_result = api(), floor()
    for _ in range(repeat):
        started = time.perf_counter()
        api()
        api_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        floor()
        floor_times.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as queries:
        api()
    api_med, floor_med = statistics.median(api_times) * 1000, statistics.median(floor_times) * 1000
    figures = {
        "api_med": api_med, "api_p95": percentile(api_times, 0.95) * 1000, "floor_med": floor_med,
        "floor_p95": percentile(floor_times, 0.95) * 1000, "ratio": api_med / (floor_med + fixed),
        "raw_ratio": api_med / floor_med, "fixed": fixed, "sql": len(queries),
    }
    return figures, api_result, floor_result


def check_same(case, api_result: dict, floor_result: dict) -> list[str]:
    """Return how the API's answer differs from the floor's in count, page and groups."""
    if case.kind == "network":
        def shape(result):
            edges = [(edge["source"], edge["target"], edge["agreements"], edge["ids"]) for edge in result["edges"]]
            return [node["id"] for node in result["nodes"]], sorted(edges), result["truncated"]

        return [] if shape(api_result) == shape(floor_result) else [f"{case.name}: nodes or edges differ"]
    if case.kind == "summary":
        return [] if api_result == floor_result else [f"{case.name}: {api_result} != {floor_result} (floor)"]
    if case.kind in ("stats", "groups"):
        mine = [(row["key"], row["count"]) for row in api_result["results"]]
        theirs = [(row["key"], row["count"]) for row in floor_result["results"]]
        same = mine == theirs and api_result["total"] == floor_result["total"]
        return [] if same else [f"{case.name}: groups or total differ"]
    problems = []
    if not api_result["count_is_estimate"] and api_result["count"] != floor_result["count"]:
        problems.append(f"{case.name}: count {api_result['count']} (API, exact) != {floor_result['count']} (floor)")
    if [r["id"] for r in api_result["results"]] != [r["id"] for r in floor_result["results"]]:
        problems.append(f"{case.name}: the pages differ")
    elif api_result["results"] != floor_result["results"]:
        problems.append(f"{case.name}: the items differ, first at {first_difference(api_result['results'], floor_result['results'])}")
    return problems


def first_difference(api: list[dict], floor: list[dict]) -> str:
    """Return the id and field of the first item whose field differs between the API's page and the floor's."""
    for mine, theirs in zip(api, floor, strict=True):
        for key in [*mine, *(key for key in theirs if key not in mine)]:
            if mine.get(key) != theirs.get(key):
                return f"id {mine['id']}, {key}"
    return "no field"


def check_exact_count(case, client, floor_db, api_result: dict) -> list[str]:
    """Return a problem unless ?count=exact gives the number of rows PostgreSQL counts, unflagged.

    A default (estimated) count may differ from the truth only when it says so.
    """
    exact = floor_db.execute(f"SELECT count(*) FROM ({case.params['count_sql']}) AS counted").fetchone()[0]
    response = client.get(case.path, {**case.query, "count": "exact"})
    body = json.loads(response.content)
    problems = []
    if response.status_code != 200 or body["count"] != exact or body["count_is_estimate"]:
        problems.append(f"{case.name}: ?count=exact gave {body.get('count')} != {exact} (floor, exact)")
    if not api_result["count_is_estimate"] and api_result["count"] != exact:
        problems.append(f"{case.name}: count {api_result['count']} claims to be exact, the floor counts {exact}")
    return problems


def csv_export(database: str, export_format: str = "csv") -> str:
    """Stream ?format=csv (or xlsx) of every agreement in a fresh process; report time, rows/s and peak RSS."""
    result = subprocess.run(
        [sys.executable, "-m", "bench.csv_export", database, export_format], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        line = f"{export_format.upper()} export failed"
        print(f"{line}:\n{result.stderr[-3000:]}")
        return line
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    line = (
        f"{export_format.upper()} export of every agreement: {figures['rows']} rows, {figures['seconds']:.1f} s, "
        f"{figures['rows'] / figures['seconds']:.0f} rows/s, {figures['megabytes']:.0f} MB, "
        f"peak RSS {figures['peak_rss_mb']:.0f} MB (before the request: {figures['baseline_rss_mb']:.0f} MB)"
    )
    print(line)
    return line


if __name__ == "__main__":
    main()

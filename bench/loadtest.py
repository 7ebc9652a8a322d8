"""Bounded loopback load tests: python -m bench.loadtest [--only editors|throughput].

1. Lost updates: 50 concurrent editors each append one line to the notes of one agreement
   (read it, then PATCH with If-Match; a 412 means someone else won, so read again and
   retry), under gunicorn on PostgreSQL and on the SQLite default. Counts lines lost and
   non-2xx/412 answers.
2. Throughput: 20 concurrent clients read the default agreements page for 30 s, first
   under `make serve` (gunicorn, DEBUG off), then under runserver (as `make run` serves it,
   DEBUG on), on the same machine in the same run. Requests/s, p50, p95, errors.

Every request goes to 127.0.0.1; every loop is bounded in count and time.
"""

import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PG_URL = os.environ.get("LOADTEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tracker_loadtest")
EDITORS = 50
MAX_TRIES = 400  # per editor; far above what 50 contenders need
EDITORS_DEADLINE = 300  # seconds
CLIENTS = 20
DURATION = 30


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def base_env(database_url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG",)}
    env.update(
        DATABASE_URL=database_url,
        SECRET_KEY="loadtest-only-secret-key-0123456789abcdef",
        SECURE_SSL_REDIRECT="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        THROTTLE_USER="1000000/minute",
        THROTTLE_ANON="1000000/minute",
        LOG_LEVEL="ERROR",
    )
    return env


def manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env={**env, "DEBUG": "1"}, check=True, stdout=subprocess.DEVNULL)


def prepare(database_url: str) -> None:
    """Create (PostgreSQL), migrate and seed the database; demo accounts give the tokens."""
    if database_url.startswith("postgres"):
        import psycopg

        server, name = database_url.rsplit("/", 1)
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')
    env = base_env(database_url)
    manage(env, "migrate", "--no-input")
    manage(env, "load_regions")
    manage(env, "load_seeds")
    manage(env, "create_demo_accounts")


class Server:
    """A server process in its own process group, stopped (with its workers) on exit."""

    def __init__(self, command: list[str], env: dict):
        self.port = free_port()
        self.command = [part.replace("{port}", str(self.port)) for part in command]
        self.env = {**env, "PORT": str(self.port)}

    def __enter__(self):
        self.process = subprocess.Popen(
            self.command, cwd=ROOT, env=self.env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        for _ in range(240):
            try:
                if request(self.port, "GET", "/healthz")[0] == 200:
                    return self
            except OSError:
                time.sleep(0.5)
        raise RuntimeError(f"{self.command} did not start")

    def __exit__(self, *exc):
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


def gunicorn(database_url: str, workers: int = 2) -> Server:
    env = {**base_env(database_url), "WEB_CONCURRENCY": str(workers)}
    return Server(["make", "--no-print-directory", "serve"], env)


def runserver(database_url: str) -> Server:
    env = {**base_env(database_url), "DEBUG": "1"}
    return Server([PYTHON, "manage.py", "runserver", "127.0.0.1:{port}", "--noreload"], env)


def request(port, method, path, body=None, headers=None, connection=None):
    conn = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    payload = json.dumps(body).encode() if body is not None else None
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    conn.request(method, path, body=payload, headers=all_headers)
    response = conn.getresponse()
    data = response.read()
    if connection is None:
        conn.close()
    return response.status, dict(response.getheaders()), data


def token(port: int, username: str) -> str:
    status, _, data = request(port, "POST", "/api/v1/auth/token/", {"username": username, "password": f"{username}-demo-2023"})
    assert status == 200, (status, data)
    return json.loads(data)["token"]


def editors_run(database_url: str, label: str) -> dict:
    """50 editors append a line each to one agreement's notes through If-Match; count what was lost."""
    with gunicorn(database_url) as server:
        auth = {"Authorization": f"Token {token(server.port, 'editor')}"}
        status, _, data = request(server.port, "GET", "/api/v1/agreements/?limit=1", headers=auth)
        agreement = json.loads(data)["results"][0]["id"]
        path = f"/api/v1/agreements/{agreement}/"
        request(server.port, "PATCH", path, {"notes": ""}, auth)
        counts = {"ok": 0, "412": 0, "errors": 0, "5xx": 0, "gave_up": 0}
        lock = threading.Lock()
        deadline = time.monotonic() + EDITORS_DEADLINE
        start = threading.Barrier(EDITORS)

        def editor(number: int):
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
            start.wait()
            for _ in range(MAX_TRIES):
                if time.monotonic() > deadline:
                    break
                status, headers, data = request(server.port, "GET", path, headers=auth, connection=conn)
                if status != 200:
                    with lock:
                        counts["errors"] += 1
                        counts["5xx"] += status >= 500
                    continue
                notes = json.loads(data)["notes"]
                line = f"edit {number:02d}"
                status, _, _ = request(
                    server.port, "PATCH", path, {"notes": f"{notes}\n{line}".strip()},
                    {**auth, "If-Match": headers["ETag"]}, connection=conn,
                )
                with lock:
                    if status == 200:
                        counts["ok"] += 1
                        return
                    if status == 412:
                        counts["412"] += 1
                        continue
                    counts["errors"] += 1
                    counts["5xx"] += status >= 500
            with lock:
                counts["gave_up"] += 1

        started = time.monotonic()
        threads = [threading.Thread(target=editor, args=(n,)) for n in range(EDITORS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        notes = json.loads(request(server.port, "GET", path, headers=auth)[2])["notes"]
    kept = {line for line in notes.splitlines() if line.startswith("edit ")}
    result = {"database": label, "editors": EDITORS, "saved": counts["ok"], "lines_kept": len(kept),
              "lost": counts["ok"] - len(kept), "412_retries": counts["412"], "other_errors": counts["errors"],
              "5xx": counts["5xx"], "gave_up": counts["gave_up"], "seconds": round(elapsed, 1)}
    print(json.dumps(result))
    return result


def throughput_run(server_factory, database_url: str, label: str) -> dict:
    """20 clients read the default agreements page for 30 s; requests/s and latency percentiles."""
    with server_factory(database_url) as server:
        auth = {"Authorization": f"Token {token(server.port, 'analyst')}"}
        request(server.port, "GET", "/api/v1/agreements/", headers=auth)  # warm-up
        latencies, errors, lock = [], [0], threading.Lock()
        deadline = time.monotonic() + DURATION

        def client():
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
            while time.monotonic() < deadline:
                began = time.monotonic()
                try:
                    status = request(server.port, "GET", "/api/v1/agreements/", headers=auth, connection=conn)[0]
                except (OSError, http.client.HTTPException):
                    status = 0
                    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
                took = time.monotonic() - began
                with lock:
                    latencies.append(took)
                    errors[0] += status != 200

        started = time.monotonic()
        threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    latencies.sort()
    result = {"server": label, "clients": CLIENTS, "seconds": round(elapsed, 1), "requests": len(latencies),
              "errors": errors[0], "requests_per_s": round(len(latencies) / elapsed, 1),
              "p50_ms": round(statistics.median(latencies) * 1000), "p95_ms": round(latencies[int(len(latencies) * 0.95)] * 1000)}
    print(json.dumps(result))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["editors", "throughput"])
    parser.add_argument("--reuse", action="store_true", help="keep the PostgreSQL database a previous run prepared")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        sqlite_url = f"sqlite:///{folder}/loadtest.sqlite3"
        if not args.reuse:
            prepare(PG_URL)
        if args.only in (None, "editors"):
            prepare(sqlite_url)
            editors_run(PG_URL, "PostgreSQL")
            editors_run(sqlite_url, "SQLite")
        if args.only in (None, "throughput"):
            throughput_run(gunicorn, PG_URL, "make serve (gunicorn, 2 workers x 4 threads, DEBUG off)")
            throughput_run(runserver, PG_URL, "runserver (DEBUG on, as make run)")


if __name__ == "__main__":
    main()

"""`make serve` (gunicorn, DEBUG off) serves the admin's stylesheets and the API docs with their assets."""

import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """Run `make serve` on a free loopback port for the tests of this module, then stop it."""
    port = free_port()
    env = {
        **os.environ,
        "SECRET_KEY": "test-only-secret-key-for-make-serve-0123456789",
        "SECURE_SSL_REDIRECT": "0",
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('serve') / 'db.sqlite3'}",
        # Its own static root: collectstatic must not rewrite files that another test process serves.
        "STATIC_ROOT": str(tmp_path_factory.mktemp("static")),
    }
    env.pop("DEBUG", None)
    process = subprocess.Popen(
        ["make", "serve"], cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                if get(f"{base}/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("make serve did not answer within 60 s")
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def test_the_admin_stylesheet_loads_with_debug_off(served):
    status, content_type, body = get(f"{served}/static/admin/css/base.css")
    assert status == 200
    assert content_type.startswith("text/css")
    assert b"body" in body
    status, _, page = get(f"{served}/admin/login/")
    assert status == 200
    for stylesheet in re.findall(rb'href="(/static/[^"]+\.css)"', page):
        assert get(served + stylesheet.decode())[0] == 200


def test_the_api_docs_and_their_assets_load_with_debug_off(served):
    status, _, page = get(f"{served}/api/docs/")
    assert status == 200
    assets = re.findall(rb'(?:src|href)="(/static/[^"]+)"', page)
    assert any(asset.endswith(b".js") for asset in assets)
    for asset in assets:
        assert get(served + asset.decode())[0] == 200, asset


def test_an_unknown_api_url_is_json_with_debug_off(served):
    status, content_type, _ = get(f"{served}/api/v1/no-such-thing/")
    assert (status, content_type) == (404, "application/json")


def test_a_long_query_string_reaches_django_and_gets_its_json_400(served):
    status, content_type, body = get(f"{served}/api/v1/agreements/?q={'a' * 6000}")
    assert status == 400 and content_type == "application/json"
    assert b"query string is 6,002 bytes" in body

"""`make serve` (gunicorn, DEBUG off) serves the admin's stylesheets and the API docs with their assets."""

import json
import os
import re
import select
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


def get(url: str, headers: dict | None = None) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=10) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read()


class Output:
    """What the server writes (gunicorn's access log among it), read as it comes."""

    def __init__(self, stream):
        self.fd, self.text = stream.fileno(), b""
        os.set_blocking(self.fd, False)

    def line_with(self, marker: str) -> str:
        """Return the first line containing marker, waiting for the server to write it."""
        while marker.encode() not in self.text:
            if not select.select([self.fd], [], [], 30)[0]:
                pytest.fail(f"the server wrote no line with {marker!r}")
            self.text += os.read(self.fd, 65536)
        return next(line for line in self.text.decode().splitlines() if marker in line)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
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
        # The tests' requests come through loopback, as a reverse proxy's would.
        "TRUSTED_PROXIES": "127.0.0.1",
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
        yield base, Output(process.stdout)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def served(server):
    """Return the base URL of the running `make serve`."""
    return server[0]


def test_the_access_log_names_the_client_a_trusted_proxy_forwarded(server):
    base, output = server
    assert get(f"{base}/healthz?access-log-forwarded", {"X-Forwarded-For": "192.0.2.1, 203.0.113.77"})[0] == 200
    assert output.line_with("access-log-forwarded").startswith("203.0.113.77 ")


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
    # The server speaks Chinese by default: the message names both sizes whatever its language.
    detail = json.loads(body)["detail"]
    assert "6,002" in detail and "4,096" in detail

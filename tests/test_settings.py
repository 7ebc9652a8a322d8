"""Production settings: refuse to start without a secret, pass Django's deployment checklist."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean | env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("entry_point", ["tracker.wsgi", "tracker.asgi"])
def test_production_without_secret_key_refuses_to_start_with_a_clear_message(entry_point):
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    result = subprocess.run(
        [sys.executable, "-c", f"import {entry_point}"], cwd=ROOT, env=clean | {"DEBUG": "0"},
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_with_a_secret_key_starts():
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    result = subprocess.run(
        [sys.executable, "-c", "import tracker.wsgi"], cwd=ROOT, env=clean | {"DEBUG": "0", "SECRET_KEY": "x" * 60},
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("entry_point", ["tracker.wsgi", "tracker.asgi"])
def test_a_server_process_keeps_what_it_loaded_out_of_garbage_collection(entry_point):
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    result = subprocess.run(
        [sys.executable, "-c", f"import gc, sys, {entry_point}; print(gc.get_freeze_count(), 'partnerships.api.views' in sys.modules)"],
        cwd=ROOT, env=clean | {"DEBUG": "0", "SECRET_KEY": "x" * 60}, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    frozen, views_loaded = result.stdout.split()
    # Django, every view (loaded before the freeze) and the ingest engine's tables: far more than 100,000 objects.
    assert int(frozen) > 100_000 and views_loaded == "True"


def test_deployment_checklist_flags_a_missing_secret_key():
    result = manage("check", "--deploy", DEBUG="0", ALLOWED_HOSTS="tracker.example.org")
    assert "security.W009" in result.stderr + result.stdout


def test_migration_tools_run_without_production_secrets():
    result = manage("makemigrations", "--check", "--dry-run", DEBUG="0")
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_production_settings_pass_the_deployment_checklist_without_warnings():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DEBUG="0", SECRET_KEY="k" * 20 + "-production-secret-for-the-deploy-check-0123456789", ALLOWED_HOSTS="tracker.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_demo_accounts_are_never_created_with_production_settings():
    result = manage("create_demo_accounts", DEBUG="0", SECRET_KEY="x" * 60, DATABASE_URL="sqlite:///:memory:")
    assert result.returncode != 0
    assert "生产环境设置（DEBUG 关闭）下从不创建演示账号" in result.stderr


@pytest.mark.django_db
def test_demo_accounts_are_created_once_with_their_roles():
    from django.contrib.auth import authenticate

    from partnerships.services import demo_accounts_create

    first = demo_accounts_create()
    second = demo_accounts_create()
    assert [created for _, created in first] == [True, True, True]
    assert [created for _, created in second] == [False, False, False]
    for account, _ in first:
        user = authenticate(username=account.username, password=account.password)
        assert user is not None and user.is_staff
    analyst = authenticate(username="analyst", password="analyst-demo-2023")
    assert analyst.has_perm("partnerships.view_agreement") and not analyst.has_perm("partnerships.add_agreement")
    editor = authenticate(username="editor", password="editor-demo-2023")
    assert editor.has_perm("partnerships.delete_agreement")

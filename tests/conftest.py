import os
import uuid

import pytest
from django.db import connection


def pytest_collection_modifyitems(config, items):
    """Skip tests marked postgresql when the suite runs on another database."""
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
    for item in items:
        if "postgresql" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real administrative divisions once, so every test can use real codes."""
    from partnerships.services import regions_load

    with django_db_blocker.unblock():
        regions_load()


@pytest.fixture
def scratch_database(tmp_path):
    """Yield a DATABASE_URL for an empty database of the suite's vendor, dropped afterwards."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'migrate.sqlite3'}"
        return
    import psycopg

    settings = connection.settings_dict
    host, port, user = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432, settings["USER"]
    name = f"tracker_migrate_{uuid.uuid4().hex[:8]}"
    # CREATE DATABASE cannot run in a transaction, so not on the suite's connection.
    admin = psycopg.connect(host=host, port=port, user=user, password=settings["PASSWORD"] or None, dbname="postgres", autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres://{user}@{host}:{port}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()


@pytest.fixture
def region():
    """Return a loaded region by its GB/T 2260 code: region("360700")."""
    from partnerships.models import Region

    return lambda code: Region.objects.get(code=code)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Hash test passwords cheaply; the real hasher costs a third of a second per user."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def english_by_default(settings):
    """Run tests in English so assertions read the msgids; tests of the Chinese UI ask for it."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(scope="class")
def seeded(django_db_setup, django_db_blocker):
    """Load the seeds once for a class of read-only tests, and roll them back after it."""
    from django.db import transaction

    from partnerships.services import seeds_load

    with django_db_blocker.unblock(), transaction.atomic():
        seeds_load()
        yield
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def empty_cache():
    """Start every test with an empty cache: cached permissions must not outlive the test's users."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


# The ingest evaluation's per-article table (tests/ingest/test_corpus.py) travels as a user
# property, so it is printed at the end of the run whether the test ran here or in a
# pytest-xdist worker; hooks for the controller must live in this top-level conftest.
_INGEST_REPORT: list[str] = []


def pytest_runtest_logreport(report):
    from tests.ingest.scoring import REPORT_PROPERTY

    for name, value in report.user_properties:
        if name == REPORT_PROPERTY and report.when == "call":
            _INGEST_REPORT[:] = value


def pytest_terminal_summary(terminalreporter):
    if _INGEST_REPORT:
        terminalreporter.section("ingest evaluation over tests/articles")
        for line in _INGEST_REPORT:
            terminalreporter.write_line(line)
        # make corpus-report names the document whose marked block takes the table.
        if os.environ.get("CORPUS_REPORT_DOC"):
            from devtools.docblocks import block_write

            block_write(os.environ["CORPUS_REPORT_DOC"], "corpus", _INGEST_REPORT, command="make corpus-report")


@pytest.fixture(scope="module")
def regions_restored(django_db_blocker):
    """Load the regions again for the tests after these: a transactional test empties every table when it ends.

    Module-scoped, so that it tears down after the test's own database teardown.
    """
    yield
    from partnerships.services import regions_load

    with django_db_blocker.unblock():
        regions_load()


@pytest.fixture
def orm_beside_playwright(monkeypatch):
    """Let a browser test's thread use the ORM while Playwright's sync API runs its event loop in it."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

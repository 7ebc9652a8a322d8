"""The browser tests' shared pieces: Debian's chromium driven by Playwright, which downloads no browser."""

from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connections

CHROMIUM = Path("/usr/bin/chromium")

playwright_sync = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (requirements-dev.txt)")

# What every browser test module declares: chromium must be there, and the live server sees the test's rows.
BROWSER_MARKS = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs the Debian chromium package (apt-get install -y chromium)"),
    pytest.mark.django_db(transaction=True),
]


@contextmanager
def chromium_page(**context_options):
    """Yield a page of a new headless chromium, in Chinese at 1280×900, closed with every connection afterwards."""
    with playwright_sync.sync_playwright() as playwright:
        # As root (CI), Chromium's sandbox cannot start.
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}, **context_options)
        page = context.new_page()
        page.set_default_timeout(60_000)
        try:
            yield page
        finally:
            context.close()
            browser.close()
            # The test's ORM calls beside Playwright's loop may have opened a connection of their own:
            # close it here, or the test database cannot be dropped at the end of the run.
            connections.close_all()

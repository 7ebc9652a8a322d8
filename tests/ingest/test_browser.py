"""In a real browser: a real article becomes records with citations in at most three page loads.

Playwright (from PyPI) drives the Debian `chromium` package; no browser is downloaded.
.ci/run installs chromium; where it is missing the test is skipped, saying so.
Set INGEST_SCREENSHOTS to a folder to keep screenshots of the form and the review page.
"""

import json
import os
from pathlib import Path

import pytest
from django.urls import reverse

from partnerships.models import Agreement, Institution, InstitutionCitation, SourceDocument
from tests import factories
from tests.browser import BROWSER_MARKS, chromium_page

ARTICLE = Path(__file__).resolve().parent.parent / "articles" / "liaocheng-jishi-chiping"
PASSWORD = "correct-horse-battery"

pytestmark = BROWSER_MARKS


@pytest.fixture
def browser_page():
    with chromium_page() as page:
        yield page


def screenshot(page, name: str) -> None:
    folder = os.environ.get("INGEST_SCREENSHOTS")
    if not folder:
        return
    page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)
    # Screen-sized parts of a long page, to read at full size.
    height = page.evaluate("document.documentElement.scrollHeight")
    for part, top in enumerate(range(0, height, 900)):
        clip = {"x": 0, "y": top, "width": 1280, "height": min(900, height - top)}
        page.screenshot(path=str(Path(folder) / f"{name}-{part}.png"), full_page=True, clip=clip)


def test_an_editor_records_a_real_article_in_three_page_loads_and_finds_its_records_and_quotes(
    live_server, orm_beside_playwright, regions_restored, browser_page
):
    page = browser_page
    factories.ProjectTypeFactory(code="industry-college", name="产业学院")
    editor = factories.editor(username="editor", password=PASSWORD)
    stated = json.loads(ARTICLE.with_suffix(".json").read_text(encoding="utf-8"))
    text = ARTICLE.with_suffix(".txt").read_text(encoding="utf-8")

    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", editor.username)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url(live_server.url + reverse("admin:index"))
    screenshot(page, "0-index")

    loads = []
    page.on("framenavigated", lambda frame: loads.append(frame.url) if frame == page.main_frame else None)
    # The index links to the article page; its empty form is page load 1.
    with page.expect_navigation():
        page.locator(f'a[href="{reverse("admin:partnerships_sourcedocument_ingest")}"]').first.click()
    page.fill("#id_text", text)
    page.fill("#id_url", stated["url"])
    page.fill("#id_publisher", stated["publisher"])
    page.fill("#id_published", stated["published_on"])
    screenshot(page, "1-form")
    with page.expect_navigation():
        page.click('input[name="_propose"]')  # the review: page load 2
    assert page.locator("#ingest_review").count() == 1, page.content()[:3000]
    assert page.locator("mark.ingest-institution").count() > 5
    # Every proposal is accepted unless unticked; nothing is stored before saving.
    assert page.locator('input[type="checkbox"][name$="_accept"]:not(:checked)').count() == 0
    assert not SourceDocument.objects.exists()
    screenshot(page, "2-review")

    # The save button is reached and pressed from the keyboard.
    save = page.locator('input[name="_save"]')
    save.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")  # saved, redirected to the records: page load 3
    page.wait_for_load_state()
    screenshot(page, "3-records")
    assert len(loads) <= 3, loads
    source = SourceDocument.objects.get()
    assert page.url == live_server.url + reverse("admin:partnerships_sourcedocument_records", args=[source.pk])

    # The records and their quotes, as the admin shows them.
    framework = Agreement.objects.get(title="政校合作框架协议")
    page.click(f'a[href="{reverse("admin:partnerships_agreement_change", args=[framework.pk])}"]')
    page.wait_for_load_state()
    assert page.locator("#id_title").input_value() == "政校合作框架协议"
    quotes = [field.input_value() for field in page.locator('textarea[name$="-quote"]').all()]
    assert "徐公义、高红平分别代表聊城市技师学院和茌平区人民政府签署政校合作框架协议" in quotes

    bureau = Institution.objects.get(name="茌平区教育体育局")
    assert InstitutionCitation.objects.filter(record=bureau, source=source).exists()
    page.goto(live_server.url + reverse("admin:partnerships_institution_change", args=[bureau.pk]))
    assert page.locator("#id_name").input_value() == "茌平区教育体育局"
    quotes = [field.input_value() for field in page.locator('textarea[name$="-quote"]').all()]
    assert "区教育体育局" in quotes

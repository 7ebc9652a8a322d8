"""In a real browser: the review page repairs an agreement, a post and a missed name, and still takes three page loads.

From the keyboard where a person would use it: the existing institution is found by typing into
the admin's autocomplete, the missed name's button and the save button are pressed with Enter,
checkboxes with the space bar. Native selects are set as a screen reader's user sets them, by
value. The selection in the text is made as a mouse makes it (a range over the words).
Set INGEST_SCREENSHOTS to a folder to keep screenshots of the repaired review.
"""

import json
from pathlib import Path

from django.urls import reverse

from partnerships.models import Agreement, AgreementParty, Institution, InstitutionCitation, Post, SourceDocument
from tests import factories
from tests.browser import BROWSER_MARKS, chromium_page
from tests.ingest.test_browser import screenshot

ARTICLE = Path(__file__).resolve().parent.parent / "articles" / "liaocheng-jishi-chiping"
PASSWORD = "correct-horse-battery"
MISSED = "校地融合发展领导小组"
TWO_COMPANIES = "刘希忠、王观英分别代表聊城正泰房地产集团、万和通物流集团,与学院签订校企合作协议"

pytestmark = BROWSER_MARKS

# Select the first occurrence of a string in the article text, as a mouse drag would.
SELECT_IN_TEXT = """(wanted) => {
  const text = document.getElementById("ingest-text");
  const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(wanted);
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + wanted.length);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    return true;
  }
  return false;
}"""


def proposal_rows(page) -> list[dict]:
    """Return the review's proposals as its rows show them: index, kind and quote."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll("tr[id^=proposal-]")).map((row) => ({
             index: Number(row.id.slice(9)),
             kind: row.closest("fieldset").id.slice(10),
             name: row.querySelector("input[name$=_name]")?.value,
             quote: row.querySelector(".ingest-quote q")?.textContent,
           }))"""
    )


def index_of(rows: list[dict], kind: str, *, name: str = "", quote: str = "") -> int:
    return next(row["index"] for row in rows if row["kind"] == kind and (row["name"] == name if name else row["quote"] == quote))


def log_in_and_propose(page, live_server, text: str) -> list[str]:
    """Log in as the editor, open the empty form (page load 1) and propose the article (2); return the loads counted."""
    stated = json.loads(ARTICLE.with_suffix(".json").read_text(encoding="utf-8"))
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url(live_server.url + reverse("admin:index"))
    loads: list[str] = []
    page.on("framenavigated", lambda frame: loads.append(frame.url) if frame == page.main_frame else None)
    page.goto(live_server.url + reverse("admin:partnerships_sourcedocument_ingest"))
    page.fill("#id_text", text)
    page.fill("#id_url", stated["url"])
    page.fill("#id_publisher", stated["publisher"])
    page.fill("#id_published", stated["published_on"])
    with page.expect_navigation():
        page.click('input[name="_propose"]')
    return loads


def repair_the_agreements(page, rows: list[dict], county: Institution) -> None:
    """Join the sentence's two agreements into one of three parties; make the framework's county government the recorded one."""
    first, second = (row["index"] for row in rows if row["kind"] == "agreement" and row["quote"] == TWO_COMPANIES)
    page.select_option(f"#id_p{first}_party2_found", str(index_of(rows, "institution", name="万和通物流集团")))
    page.select_option(f"#id_p{first}_party2_signatory", str(index_of(rows, "person", name="王观英")))
    page.focus(f"#id_p{second}_accept")
    page.keyboard.press("Space")
    assert not page.is_checked(f"#id_p{second}_accept")
    # Found by typing in the autocomplete, chosen with Enter.
    framework = index_of(rows, "agreement", name="政校合作框架协议")
    page.focus(f"#id_p{framework}_party1_record + .select2 .select2-selection")
    page.keyboard.press("Enter")
    page.keyboard.type("茌平区人民")
    page.wait_for_selector(".select2-results__option--highlighted:has-text('聊城市茌平区人民政府')")
    page.keyboard.press("Enter")
    assert page.input_value(f"#id_p{framework}_party1_record") == str(county.pk)


def add_the_missed_name(page, start: int) -> None:
    """Select the missed name in the text and add it with the keyboard; its quote and offsets follow."""
    assert page.evaluate(SELECT_IN_TEXT, MISSED)
    page.focus("#ingest-add-selection")
    page.keyboard.press("Enter")
    assert page.input_value("#id_m0_quote") == MISSED
    assert (page.input_value("#id_m0_start"), page.input_value("#id_m0_end")) == (str(start), str(start + len(MISSED)))
    assert page.evaluate("document.activeElement.id") == "id_m0_kind"
    assert MISSED in page.text_content("#ingest-selection-status")


def test_an_editor_repairs_an_agreement_a_post_and_a_missed_name_in_three_page_loads(
    live_server, orm_beside_playwright, regions_restored, region
):
    factories.ProjectTypeFactory(code="industry-college", name="产业学院")
    county = factories.InstitutionFactory(name="聊城市茌平区人民政府", kind="government_body", region=region("371503"))
    factories.editor(username="editor", password=PASSWORD)
    text = ARTICLE.with_suffix(".txt").read_text(encoding="utf-8")
    start = text.index(MISSED)
    refused_by_policy: list[str] = []

    with chromium_page() as page:
        page.on("console", lambda message: refused_by_policy.append(message.text) if "Content Security Policy" in message.text else None)
        loads = log_in_and_propose(page, live_server, text)  # the empty form and the review: page loads 1 and 2
        rows = proposal_rows(page)
        assert page.locator("html").get_attribute("lang") == "zh-hans" and "引擎遗漏的名称" in page.content()
        repair_the_agreements(page, rows, county)
        # A post: 主任王庆刚 heads the office the text names, not the school.
        director = index_of(rows, "post", quote="主任王庆刚")
        page.select_option(f"#id_p{director}_institution", str(index_of(rows, "institution", name="质量管理与绩效考核办公室")))
        add_the_missed_name(page, start)
        page.locator("#ingest-missed").scroll_into_view_if_needed()
        screenshot(page, "repair-review")

        page.focus('input[name="_save"]')
        with page.expect_navigation():
            page.keyboard.press("Enter")  # saved, redirected to the records: page load 3
        page.wait_for_load_state()
        screenshot(page, "repair-records")
        assert len(loads) == 3, loads
        source = SourceDocument.objects.get()
        assert page.url == live_server.url + reverse("admin:partnerships_sourcedocument_records", args=[source.pk])
        assert MISSED in page.content()
    assert not refused_by_policy, refused_by_policy

    joined = Agreement.objects.get(parties__institution__name="万和通物流集团")
    assert set(joined.parties.values_list("institution__name", flat=True)) == {"聊城正泰房地产集团", "万和通物流集团", "聊城市技师学院"}
    assert AgreementParty.objects.get(agreement=joined, institution__name="万和通物流集团").signatory.name == "王观英"
    framework = Agreement.objects.get(title="政校合作框架协议")
    assert set(framework.parties.values_list("institution__name", flat=True)) == {"聊城市技师学院", county.name}
    assert framework.effective_region.code == "371500"
    assert Post.objects.get(person__name="王庆刚").institution.name == "质量管理与绩效考核办公室"
    citation = InstitutionCitation.objects.get(record=Institution.objects.get(name=MISSED))
    assert (citation.quote, citation.position) == (MISSED, start)


def test_a_selection_gives_the_offsets_python_gives_whatever_the_text_holds(orm_beside_playwright):
    """Line breaks as CRLF or CR, a character outside the BMP (two UTF-16 units), markup: the page's text is the article's."""
    from partnerships.admin_ingest import highlighted_text

    text = "𠮷田<b>&amp;\r\n甲乙学院\r与丙丁公司签约\n" + MISSED + "。"
    proposals = [{"kind": "institution", "name": "丙丁公司", "quote": "丙丁公司", "start": text.index("丙丁公司"), "end": text.index("丙丁公司") + 4}]
    script = (Path(__file__).resolve().parents[2] / "partnerships" / "static" / "partnerships" / "ingest_review.js").read_text()
    rows = "".join(
        f'<input id="id_m{slot}_quote" data-missed-quote="{slot}"><input id="id_m{slot}_start"><input id="id_m{slot}_end"><select id="id_m{slot}_kind"></select>'
        for slot in range(2)
    )
    with chromium_page() as page:
        page.set_content(
            f'<div id="ingest-text">{highlighted_text(text, proposals)}</div>'
            f'<button type="button" id="ingest-add-selection" data-added="{{quote}}" data-none="none" data-full="full" hidden>add</button>'
            f'<span id="ingest-selection-status"></span>{rows}'
        )
        page.add_script_tag(content=script)
        page.evaluate("document.dispatchEvent(new Event('DOMContentLoaded'))")
        assert page.evaluate("document.getElementById('ingest-text').textContent") == text
        for slot, name in enumerate(("丙丁公司", MISSED)):
            assert page.evaluate(SELECT_IN_TEXT, name)
            page.focus("#ingest-add-selection")
            page.keyboard.press("Enter")
            start, end = int(page.input_value(f"#id_m{slot}_start")), int(page.input_value(f"#id_m{slot}_end"))
            assert text[start:end] == page.input_value(f"#id_m{slot}_quote") == name

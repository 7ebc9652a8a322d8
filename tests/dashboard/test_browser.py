"""In a real browser: the demo analyst reads the workspace on the seed data, and every chart holds the API's numbers.

Playwright (from PyPI) drives the Debian `chromium` package; no browser is downloaded.
.ci/run installs chromium and fonts-noto-cjk; where chromium is missing the test is skipped, saying so.
Set DASHBOARD_SCREENSHOTS to a folder to keep screenshots of each page.
"""

import os
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from django.urls import reverse
from django.utils import translation

from partnerships.choices import AgreementKindChoices
from partnerships.models import Institution, Region
from partnerships.services import demo_accounts_create, seeds_load
from partnerships.services.accounts import DEMO_ACCOUNTS
from tests.browser import BROWSER_MARKS, chromium_page

GROUP = "学大教育集团"
PARTNERS = {"赣州师范高等专科学校", "成林教育控股集团", "赣州理工职业技术学校", "赣州市科汇职业技术学校", "赣州现代科技职业学校"}

openpyxl = pytest.importorskip("openpyxl")
pytestmark = BROWSER_MARKS


@pytest.fixture
def browser_page():
    with chromium_page(accept_downloads=True) as page:
        # Any script error or refused resource (the content security policy) fails the test.
        problems = []
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 and not r.url.endswith("/favicon.ico") else None)
        page.on(
            "console",
            lambda m: problems.append(m.text) if m.type == "error" and not m.text.startswith("Failed to load resource") else None,
        )
        page.problems = problems
        yield page


def screenshot(page, name: str) -> None:
    folder = os.environ.get("DASHBOARD_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def api(page, base: str, path: str, **params) -> dict:
    """Ask the API what the page's own session may read, in the page's language."""
    response = page.request.get(f"{base}{path}?{urlencode(params, doseq=True)}", headers={"Accept-Language": "zh-CN"})
    assert response.ok, response.text()
    return response.json()


def chart(page, name: str) -> dict:
    """Return the categories and series a chart draws, as ECharts holds them."""
    page.wait_for_selector(f"#chart-{name}[data-ready]")
    return page.evaluate(
        """(id) => {
            const option = echarts.getInstanceByDom(document.getElementById(id)).getOption();
            const axis = option.xAxis && option.xAxis[0].type === "category" ? option.xAxis : option.yAxis;
            return {
                categories: axis ? axis[0].data : null,
                series: option.series.map((s) => ({ name: s.name || null, data: s.data.map((d) => (typeof d === "object" ? [d.name, d.value] : d)) })),
            };
        }""",
        f"chart-{name}",
    )


def click_bar(page, name: str, category: str) -> None:
    """Click the middle of a bar chart's bar, where a user would."""
    page.locator(f"#chart-{name}").scroll_into_view_if_needed()
    box = page.locator(f"#chart-{name}").bounding_box()
    x, y = page.evaluate(
        """([id, category]) => {
            const instance = echarts.getInstanceByDom(document.getElementById(id));
            const option = instance.getOption();
            const index = option.xAxis[0].data.indexOf(category);
            return instance.convertToPixel({ seriesIndex: 0 }, [index, option.series[0].data[index].value / 2]);
        }""",
        [f"chart-{name}", category],
    )
    page.mouse.click(box["x"] + x, box["y"] + y)


def expected_regions(stats: dict, parent: Region | None) -> dict[str, int]:
    """Sum the API's per-region counts under the regions one level below the parent, as the chart should."""
    children = Region.objects.filter(parent=parent) if parent else Region.objects.filter(parent__isnull=True)
    totals: dict[str, int] = {}
    for row in stats["results"]:
        if parent and row["key"] == parent.code:
            name = f"{parent.name} （本级）"
        else:
            region = Region.objects.get(code=row["key"])
            name = next(child.name for child in children if child in [region, *region.ancestors()])
        totals[name] = totals.get(name, 0) + row["count"]
    return totals


def assert_overview_matches_the_api(page, base: str, query: dict, parent: Region | None) -> None:
    """Each figure and chart of the overview shows what the API answers for the page's own filters."""
    summary = api(page, base, "/api/v1/agreements/summary/", **query)
    for figure in ("agreements", "institutions", "enterprises", "in_force"):
        page.wait_for_function(
            "([name, value]) => document.querySelector(`[data-figure=${name}]`).textContent === String(value)",
            arg=[figure, summary[figure]],
        )
    for group in ("party_kind", "project_type", "partners"):
        stats = api(page, base, "/api/v1/agreements/stats/", group_by=group, **query)
        assert chart(page, group)["series"][0]["data"] == [[row["label"], row["count"]] for row in stats["results"]], group

    region_chart = chart(page, "region")
    regions = dict(zip(region_chart["categories"], [value for _, value in region_chart["series"][0]["data"]], strict=True))
    assert regions == expected_regions(api(page, base, "/api/v1/agreements/stats/", group_by="region", **query), parent)

    month_chart = chart(page, "month")
    drawn = {serie["name"]: dict(zip(month_chart["categories"], serie["data"], strict=True)) for serie in month_chart["series"]}
    with translation.override("zh-hans"):
        kinds = [(kind, str(label)) for kind, label in AgreementKindChoices.choices]
    for kind, label in kinds:
        stats = api(page, base, "/api/v1/agreements/stats/", group_by="month", **{**query, "kind": kind})
        counts = {row["label"]: row["count"] for row in stats["results"]}
        assert {month: count for month, count in drawn.get(label, {}).items() if count} == counts, kind
    total = api(page, base, "/api/v1/agreements/stats/", group_by="month", **query)["total"]
    assert sum(sum(serie["data"]) for serie in month_chart["series"]) == total == summary["agreements"]


def test_the_demo_analyst_reads_the_workspace_and_each_chart_holds_the_apis_numbers(
    live_server, orm_beside_playwright, regions_restored, browser_page, tmp_path
):
    page, base = browser_page, live_server.url
    seeds_load()
    demo_accounts_create()
    log_in_as_the_demo_analyst(page, base)
    ganzhou = drill_from_jiangxi_to_ganzhou(page, base)
    open_the_groups_profile_and_network(page, base)
    read_a_partners_report_and_its_xlsx(page, base, tmp_path)
    save_a_view_and_reopen_it(page, base, ganzhou)
    assert not page.problems, page.problems


def log_in_as_the_demo_analyst(page, base):
    """Go to the workspace anonymously, log in on the admin's page, land on the overview."""
    analyst = next(account for account in DEMO_ACCOUNTS if account.username == "analyst")
    # Anonymous: the workspace sends to the admin's login page, and back after it.
    page.goto(base + reverse("dashboard:overview"))
    assert urlparse(page.url).path == reverse("admin:login")
    page.fill("#id_username", analyst.username)
    page.fill("#id_password", analyst.password)
    page.press("#id_password", "Enter")
    page.wait_for_url(base + reverse("dashboard:overview"))
    assert page.locator("h1").first.inner_text() == "概览"
    assert_overview_matches_the_api(page, base, {}, None)
    screenshot(page, "1-overview")



def drill_from_jiangxi_to_ganzhou(page, base):
    """Click the region bars from China to 江西省 to 赣州市, the charts matching the API at each step."""
    # Drill down by clicking the bars: China → 江西省 → 赣州市.
    jiangxi, ganzhou = Region.objects.get(name="江西省"), Region.objects.get(name="赣州市")
    click_bar(page, "region", "江西省")
    page.wait_for_url(f"**region={jiangxi.code}")
    assert_overview_matches_the_api(page, base, {"region": jiangxi.code}, jiangxi)
    click_bar(page, "region", "赣州市")
    page.wait_for_url(f"**region={ganzhou.code}")
    assert_overview_matches_the_api(page, base, {"region": ganzhou.code}, ganzhou)
    assert page.locator("#f-region").input_value() == ganzhou.code
    screenshot(page, "2-overview-ganzhou")

    return ganzhou


def open_the_groups_profile_and_network(page, base):
    """Open the agreements behind the figure, the group's profile, then its network of five partners."""
    # The agreements figure opens the matching agreements; a party's name opens its profile.
    page.locator("#figure-agreements").click()
    page.wait_for_selector("#agreement-rows tr")
    assert page.locator("#agreement-rows tr").count() == 5
    page.locator("#agreement-rows").get_by_role("link", name=GROUP, exact=True).first.click()
    group = Institution.objects.get(name=GROUP)
    page.wait_for_url(base + reverse("dashboard:institution", args=[group.pk]))
    partners = set(page.locator("#partners tbody td:first-child").all_inner_texts())
    assert partners == PARTNERS
    assert page.locator("#timeline li.agreement").count() == 5
    assert "学大教育集团CEO金鑫一行赴江西省赣州市考察调研" in page.locator("#sources").inner_text()
    screenshot(page, "4-profile")

    # Its network: the group and its five partners as nodes.
    page.click("#network-link")
    page.wait_for_selector("#network[data-ready]")
    nodes = set(page.evaluate("JSON.parse(document.getElementById('network').dataset.nodes)"))
    assert nodes == PARTNERS | {GROUP}
    screenshot(page, "5-network")
    with page.expect_download() as download:
        page.click("#network-png")
    assert download.value.suggested_filename == f"network-{group.pk}.png"



def read_a_partners_report_and_its_xlsx(page, base, tmp_path):
    """Open a partner school's cooperation report, its cells' quotes, and the xlsx cell by cell."""
    # A partner school's profile, then its annual cooperation report for the year of its agreement.
    college = Institution.objects.get(name="赣州师范高等专科学校")
    page.locator("#network-nodes li", has_text=college.name).get_by_role("link").click()
    page.wait_for_url(base + reverse("dashboard:institution", args=[college.pk]))
    page.click("#report-link")
    page.wait_for_selector("#report[data-ready]")
    report = api(page, base, "/api/v1/reports/cooperation/", institution=college.pk, year=2023)
    labels = [column["label"] for column in report["columns"]]
    assert page.locator("#report-table thead th").all_inner_texts() == labels
    (row,) = report["rows"]
    first_cells = page.locator("#report-table tbody tr").first.locator("td")
    assert first_cells.nth(0).locator("a[data-cite]").inner_text() == GROUP
    # Each filled cell links to its quotes under the table.
    first_cells.nth(0).locator("a[data-cite]").click()
    cited = page.locator("#report-citations li:target")
    assert row["cells"]["enterprise_name"]["citations"][0]["quote"] in cited.inner_text()
    assert first_cells.nth(labels.index("合作起始年月")).locator("a[data-cite]").inner_text() == "2023-11"
    assert first_cells.nth(labels.index("订单培养人数")).inner_text() == ""
    screenshot(page, "6-report")

    with page.expect_download() as download:
        page.click("#download-xlsx")
    path = tmp_path / "report.xlsx"
    download.value.save_as(path)
    workbook = openpyxl.load_workbook(path)
    table, sources = workbook.worksheets
    rows = list(table.iter_rows(values_only=True))
    assert list(rows[0]) == labels
    # By hand from the seed article: the group, the month the agreement was signed, and no figure it does not state.
    assert list(rows[1]) == ["学大教育集团", None, "2023-11", *[None] * 9]
    assert len(rows) == 2
    cells = [row["cells"].get(column["key"]) for column in report["columns"]]
    assert list(rows[1]) == [cell["value"] if cell else None for cell in cells]
    listed = list(sources.iter_rows(values_only=True))[1:]
    assert [(column, value, quote) for _, column, value, _, _, quote in listed] == [
        (column["label"], cell["value"], citation["quote"])
        for column, cell in zip(report["columns"], cells, strict=True) if cell
        for citation in cell["citations"]
    ]



def save_a_view_and_reopen_it(page, base, ganzhou):
    """Save the filters from the keyboard and reopen them from the saved views."""
    # Save the view (from the keyboard), then reopen it from the saved views.
    page.goto(base + reverse("dashboard:overview") + f"?region={ganzhou.code}")
    page.fill("#view-name", "赣州的合作")
    page.check("#view-shared")
    page.press("#view-name", "Enter")
    page.wait_for_selector("#save-view-result a")
    page.click("#saved-views-link")
    page.wait_for_selector("#saved-views[data-ready]")
    screenshot(page, "7-saved-views")
    page.get_by_role("link", name="赣州的合作").click()
    page.wait_for_url(f"**region={ganzhou.code}")
    assert parse_qs(urlparse(page.url).query) == {"region": [ganzhou.code]}
    assert_overview_matches_the_api(page, base, {"region": ganzhou.code}, ganzhou)

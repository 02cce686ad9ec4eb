"""Plan versus delivery in a real browser (headless Debian Chromium, Selenium): from the
report page to its 计划落实 page, an item's evidence opened, then the agency's page.
Screenshots go to tests/artifacts/ (not committed)."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from tests.browser import test_browser  # skips the module without chromium (fails in CI)
from tests.browser.test_browser import ARTIFACTS, wait
from tests.support.server import running_server
from tests.web.test_plans import FILES, pair  # noqa: F401  (the fixture: a real pair, indexed)

pytestmark = pytest.mark.browser
browser, downloads = test_browser.browser, test_browser.downloads  # the same fixtures


@pytest.fixture(scope="module")
def plan_site(pair):  # noqa: F811
    corpus_dir, index_dir, ids = pair
    with running_server(corpus_dir, index_dir) as url:
        yield url, ids


def test_report_page_to_plan_and_agency_page(browser, plan_site):
    """GIVEN 浙江省's report on 2021 WHEN the reader follows 计划落实 THEN every item shows its
    verdict; opening an item's evidence shows the next report's paragraph with the item's words
    marked, linked into that report; 该单位历年落实情况 lists both years with the share delivered."""
    base, ids = plan_site
    first, second = ids[FILES[0]], ids[FILES[1]]
    browser.get(base + f"/reports/{quote(first)}")
    browser.find_element(By.LINK_TEXT, "计划落实").click()
    wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".plan-items")))
    items = browser.find_elements(By.CSS_SELECTOR, ".plan-item")
    assert len(items) > 50
    verdicts = {i.find_element(By.CSS_SELECTOR, ".verdict").text.rstrip(" ?") for i in items}
    assert verdicts <= {"已落实", "部分落实", "未提及"} and "已落实" in verdicts
    years = [i for i in items if i.find_elements(By.CSS_SELECTOR, ".horizon")]  # a goal beyond the year (stop 40)
    assert years and years[0].find_element(By.CSS_SELECTOR, ".horizon").is_displayed()
    assert years[0].find_element(By.CSS_SELECTOR, ".horizon").text.startswith("多年目标：")
    assert years[0].find_element(By.CSS_SELECTOR, ".verdict").text.endswith("?")
    delivered = next(i for i in items if i.get_attribute("data-verdict") == "delivered")
    delivered.find_element(By.CSS_SELECTOR, "details.evidence summary").click()
    mark = delivered.find_element(By.CSS_SELECTOR, "details.evidence li mark")
    assert mark.is_displayed() and mark.text
    link = delivered.find_element(By.CSS_SELECTOR, "details.evidence li a")
    assert f"/reports/{quote(second)}#p" in link.get_attribute("href")
    browser.save_screenshot(str(ARTIFACTS / "plan.png"))
    browser.find_element(By.LINK_TEXT, "该单位历年落实情况").click()
    wait(browser).until(EC.presence_of_element_located((By.ID, "agency-plans")))
    rows = browser.find_elements(By.CSS_SELECTOR, "#agency-plans tbody tr")
    assert [r.find_element(By.TAG_NAME, "td").text for r in rows] == ["2021", "2022"]
    assert rows[0].find_element(By.CSS_SELECTOR, "td.share").text.endswith("%")
    assert "尚无下一年度的报告" in rows[1].text
    browser.save_screenshot(str(ARTIFACTS / "agency-plans.png"))


def test_reports_list_sorted_by_share_delivered(browser, plan_site, pair):  # noqa: F811
    """GIVEN `kb plans --all` has judged every plan WHEN the reader sorts 全部报告 by 计划落实
    THEN the judged report comes first with its share as a link to its plan page, the others
    show —; following the link opens the plan."""
    import subprocess
    import sys

    base, ids = plan_site
    corpus_dir, index_dir, _ = pair
    run = [sys.executable, "-m", "kb.cli", "plans", "--all", "--procs", "1", "--quiet",
           "--corpus", str(corpus_dir), "--index", str(index_dir)]
    assert subprocess.run(run, capture_output=True, timeout=300).returncode == 0
    browser.get(base + "/reports")
    browser.find_element(By.LINK_TEXT, "计划落实").click()  # the header: most delivered first
    wait(browser).until(EC.url_contains("sort=-delivered"))
    rows = browser.find_elements(By.CSS_SELECTOR, "#report-list tbody tr")
    cells = [r.find_element(By.CSS_SELECTOR, "td.plan-cell") for r in rows]
    # 浙江 and 江苏's first reports have a next one; the other three show —
    assert all(c.text.endswith("%") for c in cells[:2]) and [c.text for c in cells[2:]] == ["—", "—", "—"]
    browser.save_screenshot(str(ARTIFACTS / "reports-by-delivered.png"))
    cells[0].find_element(By.TAG_NAME, "a").click()
    wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".plan-items")))
    assert any(browser.current_url.endswith(f"/reports/{quote(ids[FILES[k]])}/plan") for k in (0, 3))


def test_figures_not_comparable_are_shown(browser, plan_site):
    """GIVEN 江苏's report given 2003 WHEN its 计划落实 is read THEN the five-year target of power
    capacity says 不可比 (几年或以后年份的目标) beside its verdict, not a missed target (stop 40)."""
    base, ids = plan_site
    browser.get(base + f"/reports/{quote(ids[FILES[3]])}/plan")
    wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".plan-items")))
    power = next(i for i in browser.find_elements(By.CSS_SELECTOR, ".plan-item") if "1200万千瓦" in i.text)
    said = power.find_element(By.CSS_SELECTOR, ".not-compared")
    assert said.is_displayed() and "不可比" in said.text and "几年或以后年份的目标" in said.text
    assert "未达到" not in power.text

"""Figures and report cards in a real browser (headless Debian Chromium, Selenium).

Screenshots go to tests/artifacts/ (not committed), as in test_browser.py.
"""

from __future__ import annotations

from urllib.parse import parse_qs, quote, unquote, urlparse

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from tests.browser import test_browser  # skips the module without chromium (fails in CI)
from tests.browser.test_browser import ARTIFACTS, wait

pytestmark = pytest.mark.browser
browser, base_url, downloads = test_browser.browser, test_browser.base_url, test_browser.downloads  # the same fixtures


def no_errors(driver, base_url: str) -> None:
    assert [e for e in driver.get_log("browser") if e["level"] == "SEVERE"] == []
    origins = driver.execute_script("return performance.getEntriesByType('resource').map(e => new URL(e.name).origin)")
    assert set(origins) <= {base_url}


def test_figures_index_lists_indicators_and_opens_one(browser, base_url):
    """GIVEN the site WHEN the reader follows 数据 THEN every indicator of the list is there
    with its counts, and 罚没款 opens its comparison page."""
    browser.get(base_url + "/")
    browser.find_element(By.LINK_TEXT, "数据").click()
    wait(browser).until(EC.presence_of_element_located((By.ID, "indicators")))
    rows = browser.find_elements(By.CSS_SELECTOR, "#indicators tbody tr")
    counts = {r.find_element(By.CSS_SELECTOR, "td a").text: r.find_elements(By.TAG_NAME, "td")[1].text for r in rows}
    assert counts["罚没款"] == "4" and counts["行政处罚案件"] == "10" and counts["法律顾问"] == "1"
    assert browser.find_elements(By.CSS_SELECTOR, "figure.chart svg rect")
    browser.save_screenshot(str(ARTIFACTS / "figures.png"))
    no_errors(browser, base_url)
    browser.find_element(By.LINK_TEXT, "罚没款").click()
    wait(browser).until(EC.url_contains(quote("罚没款")))
    assert browser.find_element(By.TAG_NAME, "h1").text == "罚没款"


def grid(browser) -> list[list[str]]:
    table = browser.find_element(By.CSS_SELECTOR, ".figure-table table")
    return [[td.text for td in tr.find_elements(By.TAG_NAME, "td")] for tr in table.find_elements(By.CSS_SELECTOR, "tbody tr")]


def test_indicator_table_sorts_filters_and_links_to_the_paragraph(browser, base_url):
    """GIVEN /figures/行政处罚案件 THEN a row per agency and a column per year; sorting by 2023
    puts the largest first; the facet 2024 keeps 黎平 only; its value opens the report at the
    paragraph the number was read from."""
    browser.get(base_url + "/figures/" + quote("行政处罚案件"))
    headers = [th.text for th in browser.find_elements(By.CSS_SELECTOR, ".figure-table thead th")]
    assert headers == ["单位", "省份", "2025", "2024", "2023"]
    assert [row[0] for row in grid(browser)] == ["巨鹿县卫生健康局", "黎平县卫生健康局", "南阳市卫生健康体育委员会",
                                                 "天津市南开区卫生健康委员会"]  # by pinyin: ju li nan tian
    browser.find_element(By.XPATH, "//a[@class='sort-year'][normalize-space()='2023']").click()
    wait(browser).until(EC.url_contains("sort_year=2023"))
    assert parse_qs(urlparse(browser.current_url).query)["sort"] == ["value"]
    assert grid(browser)[0][0] == "天津市南开区卫生健康委员会"  # 133 件; 南阳 has only the 双随机 part
    assert browser.find_element(By.CSS_SELECTOR, "th[aria-sort]").text.startswith("2023")
    assert browser.find_elements(By.CSS_SELECTOR, ".figure-table figure.chart svg rect")
    browser.save_screenshot(str(ARTIFACTS / "figure-sorted.png"))
    browser.find_element(By.CSS_SELECTOR, '.facet[data-facet="year"] a[data-value="2024"]').click()
    wait(browser).until(EC.url_contains("year=2024"))
    rows = grid(browser)
    assert [row[0] for row in rows] == ["黎平县卫生健康局"]
    assert "121件" in rows[0][2] and "结案 114件" in rows[0][2]
    browser.save_screenshot(str(ARTIFACTS / "figure.png"))
    no_errors(browser, base_url)
    browser.find_element(By.CSS_SELECTOR, ".figure-table td.cell strong.main a").click()
    wait(browser).until(EC.url_contains("/reports/2024-cace2198"))
    assert unquote(browser.current_url).endswith("#p8")
    assert "立案121件" in browser.find_element(By.ID, "p8").text


def test_report_card_on_the_report_page_and_the_list(browser, base_url):
    """GIVEN 黎平 2024 WHEN its report page opens THEN the card says 第一责任人 is only in the
    text, links to that paragraph, and the date signed is not given; /reports shows which
    reports lack what."""
    browser.get(base_url + "/reports/2024-cace2198")
    card = browser.find_element(By.ID, "report-card")
    status = {li.get_attribute("data-part"): li.get_attribute("data-status")
              for li in card.find_elements(By.CSS_SELECTOR, "li")}
    assert status == {"主要举措和成效": "section", "不足和原因": "section",
                      "党政主要负责人履行推进法治建设第一责任人职责": "in_text", "下一年度主要安排": "section",
                      "成文日期": "missing"}
    browser.save_screenshot(str(ARTIFACTS / "report-card.png"))
    card.find_element(By.CSS_SELECTOR, 'li[data-status="in_text"] .where a').click()
    assert browser.current_url.endswith("#p2")
    assert "第一责任人职责" in browser.find_element(By.ID, "p2").text
    no_errors(browser, base_url)
    browser.get(base_url + "/reports")
    cells = {tr.find_elements(By.TAG_NAME, "td")[1].text: tr.find_element(By.CSS_SELECTOR, "td.card-cell").text
             for tr in browser.find_elements(By.CSS_SELECTOR, "table.list tbody tr")}
    assert cells["黎平县卫生健康局"] == "✓举措 ✓不足 ◐第一责任人 ✓安排 ✗日期"
    assert cells["天津市南开区卫生健康委员会"] == "✓举措 ✓不足 ✓第一责任人 ✓安排 ✓日期"
    browser.save_screenshot(str(ARTIFACTS / "reports-card.png"))
    no_errors(browser, base_url)


def test_a_cell_lists_its_parts_one_a_line_without_stray_separators(browser, base_url):
    """GIVEN /figures/行政处罚案件 (天津 2023: 133件, 普通程序 60件, 简易程序 73件) WHEN the table
    shows a cell with several parts THEN each part stands on a line of its own, and no line
    of the cell is a lone separator (a walk-through found a '·' on a line between parts)."""
    browser.get(base_url + "/figures/" + quote("行政处罚案件"))
    cells = [td for td in browser.find_elements(By.CSS_SELECTOR, ".figure-table td.cell")
             if len(td.find_elements(By.CSS_SELECTOR, ".part")) > 1]
    assert cells
    for td in cells:
        lines = [line.strip() for line in td.text.splitlines() if line.strip()]
        assert all(line not in ("·", "・", "、") for line in lines), lines
        assert len(lines) == len(td.find_elements(By.CSS_SELECTOR, ".part")) + len(td.find_elements(By.CSS_SELECTOR, ".main"))
    tianjin = next(td.text for td in cells if "普通程序" in td.text)
    assert tianjin.splitlines() == ["133件", "普通程序 60件", "简易程序 73件"]

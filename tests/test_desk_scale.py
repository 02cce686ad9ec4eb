"""The desk at scale, in Chromium: 349 real work reports of 349 agencies (tests/realsample.py).

Long facets (a filter box, the chosen value on top, every value grouped by province),
the lists of agencies, reports and regulations with a find box and sorting, a report's
source as a link, and answers that stay small.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
import test_browser
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from serverutil import get, running_server
from test_browser import ARTIFACTS, state, wait

pytestmark = pytest.mark.browser
browser, downloads = test_browser.browser, test_browser.downloads  # the same fixtures


@pytest.fixture(scope="module")
def real_url(real_site):
    corpus, index = real_site
    with running_server(corpus, index) as base:
        yield base


def shot(driver, name: str) -> None:
    driver.save_screenshot(str(ARTIFACTS / f"desk-{name}.png"))


def rows(driver, table_id: str):
    return [r for r in driver.find_elements(By.CSS_SELECTOR, f"#{table_id} tbody tr") if r.is_displayed()]


def test_answers_carry_the_top_facet_values_and_how_many_there_are(real_url):
    status, data = get(real_url + "/api/search?q=" + quote("营商环境"))
    assert status == 200
    assert data["facet_totals"]["agency"] > 300 and len(data["facets"]["agency"]) == 20
    counts = [v["count"] for v in data["facets"]["agency"]]
    assert counts == sorted(counts, reverse=True)
    status, chosen = get(real_url + "/api/search?q=" + quote("营商环境") + "&agency=" + quote("国务院"))
    assert chosen["facets"]["agency"][0]["value"] == "国务院" and len(chosen["facets"]["agency"]) == 21
    status, found = get(real_url + "/api/facets/agency?q=" + quote("营商环境") + "&contains=" + quote("州") + "&facet_size=5")
    assert status == 200 and len(found["values"]) == 5 and found["total"] > 20
    assert all("州" in v["value"] for v in found["values"])
    status, found = get(real_url + "/api/facets/agency?q=" + quote("营商环境") + "&contains=" + quote("安"))
    starts = [v["value"].startswith("安") for v in found["values"]]
    assert starts == sorted(starts, reverse=True) and any(starts) and not all(starts)  # names that start with it first
    assert get(real_url + "/api/facets/nothing")[0] == 404


def test_a_long_facet_has_a_filter_box_and_the_chosen_value_goes_on_top(browser, real_url):
    """GIVEN 营商环境 over 349 agencies WHEN the user types 广州 in the agency facet's box
    THEN 广州市 is offered; chosen, it is the first value of the facet and a chip; the
    facet's full list is grouped by province and has its own find box."""
    browser.get(real_url + "/?q=" + quote("营商环境"))
    facet = browser.find_element(By.CSS_SELECTOR, '.facet[data-facet="agency"]')
    assert len(facet.find_elements(By.CSS_SELECTOR, ":scope > ul:first-of-type > li")) == 8
    box = facet.find_element(By.CSS_SELECTOR, "input[name=contains]")
    assert "共 3" in box.get_attribute("placeholder")
    box.send_keys("广州")
    wait(browser).until(lambda d: facet.find_element(By.CSS_SELECTOR, "ul.found").is_displayed())
    offered = facet.find_elements(By.CSS_SELECTOR, "ul.found a")
    assert [a.get_attribute("data-value") for a in offered] == ["广州市"]
    shot(browser, "facet-find")
    offered[0].click()
    wait(browser).until(EC.url_contains("agency="))
    assert state(browser)["agency"] == ["广州市"]
    first = browser.find_element(By.CSS_SELECTOR, '.facet[data-facet="agency"] li')
    assert first.get_attribute("class") == "selected" and first.text.startswith("✓ 广州市")
    assert browser.find_element(By.CSS_SELECTOR, ".chip").text == "单位：广州市 ✕"

    browser.get(real_url + "/?q=" + quote("营商环境"))
    browser.find_element(By.PARTIAL_LINK_TEXT, "个单位（按地区）").click()
    wait(browser).until(EC.url_contains("/facets/agency"))
    provinces = browser.find_elements(By.CSS_SELECTOR, "p.kinds a")
    assert len(provinces) >= 25 and any(a.text.startswith("广东省") for a in provinces)
    all_rows = rows(browser, "facet-values")
    assert len(all_rows) > 300
    shot(browser, "facet-all")
    browser.find_element(By.CSS_SELECTOR, "input[data-find=facet-values]").send_keys("江")
    wait(browser).until(lambda d: len(rows(d, "facet-values")) < len(all_rows))
    assert all("江" in r.text for r in rows(browser, "facet-values"))
    rows(browser, "facet-values")[0].find_element(By.TAG_NAME, "a").click()
    wait(browser).until(lambda d: "agency" in state(d) and d.current_url.startswith(real_url + "/?"))
    assert state(browser)["q"] == ["营商环境"] and "江" in state(browser)["agency"][0]


def test_agencies_list_finds_sorts_and_groups_by_province(browser, real_url):
    browser.get(real_url + "/agencies")
    assert browser.find_element(By.TAG_NAME, "h1").text == "单位（349）"
    assert len(rows(browser, "agency-list")) == 349
    jump = browser.find_elements(By.CSS_SELECTOR, "p.kinds a")
    assert len(jump) >= 28
    box = browser.find_element(By.CSS_SELECTOR, "input[data-find=agency-list]")
    box.send_keys("广东")
    wait(browser).until(lambda d: len(rows(d, "agency-list")) < 349)
    found = rows(browser, "agency-list")
    assert 15 <= len(found) <= 30 and all("广东" in r.text for r in found)
    shot(browser, "agencies-find")
    browser.find_element(By.LINK_TEXT, "段落").click()
    wait(browser).until(lambda d: state(d).get("sort") == ["-paragraphs"])
    counts = [int(r.find_elements(By.TAG_NAME, "td")[-1].text) for r in rows(browser, "agency-list")]
    assert len(counts) == 349 and counts == sorted(counts, reverse=True)
    browser.get(real_url + "/agencies?find=" + quote("广东"))  # the find box works without script too
    assert browser.find_element(By.CSS_SELECTOR, "p.meta").text.startswith("“广东”：")


def test_regulations_list_has_no_films_or_bare_words_and_finds(browser, real_url):
    browser.get(real_url + "/regulations")
    names = {a.text for a in browser.find_elements(By.CSS_SELECTOR, "#regulation-list td > a")}
    assert len(names) > 300
    for title in ("归路", "新闻联播", "人民日报", "条例", "纲要", "纲要（草案）", "若干措施", "哪吒2"):
        assert title not in names
    assert "优化营商环境条例" in names
    browser.find_element(By.CSS_SELECTOR, "input[data-find=regulation-list]").send_keys("营商环境")
    wait(browser).until(lambda d: len([a for a in d.find_elements(By.CSS_SELECTOR, "#regulation-list td > a")
                                       if a.is_displayed()]) < len(names))
    shown = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "#regulation-list td > a") if a.is_displayed()]
    assert shown and all("营商环境" in t for t in shown)
    shot(browser, "regulations-find")
    browser.get(real_url + "/regulations?sort=name")
    first_table = browser.find_element(By.CSS_SELECTOR, "#regulation-list table")
    assert first_table.find_element(By.CSS_SELECTOR, "th[aria-sort]").text.startswith("名称")


def test_reports_list_finds_and_sorts_and_a_source_url_is_a_link(browser, real_url):
    browser.get(real_url + "/reports?sort=year")
    years = [int(r.find_element(By.TAG_NAME, "td").text) for r in rows(browser, "report-list")]
    assert len(years) == 349 and years == sorted(years)
    browser.find_element(By.CSS_SELECTOR, "input[data-find=report-list]").send_keys("杭州")
    wait(browser).until(lambda d: len(rows(d, "report-list")) < 349)
    found = rows(browser, "report-list")
    assert len(found) == 1
    found[0].find_element(By.CSS_SELECTOR, "td a").click()
    wait(browser).until(EC.url_contains("/reports/"))
    source = browser.find_element(By.CSS_SELECTOR, "a.source")
    assert source.get_attribute("href").startswith("http") and source.text == source.get_attribute("href")
    assert source.get_attribute("rel") == "noopener noreferrer nofollow"
    shot(browser, "report-source")

"""The site in a real browser: headless Debian Chromium driven by Selenium.

Screenshots go to tests/artifacts/ (not committed). Without chromium and chromedriver
the tests are skipped, except in CI (CI=true), where that is a failure: .ci/run
installs them.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlparse

import pytest

from tests.support import paths
from tests.support.seeds import HOSTILE_ID, make_hostile_corpus
from tests.support.server import running_server

ARTIFACTS = paths.ARTIFACTS
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")

if not (CHROMIUM and CHROMEDRIVER):
    if os.environ.get("CI"):
        raise RuntimeError("CI needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)")
    pytest.skip("chromium or chromedriver not installed", allow_module_level=True)

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import NoAlertPresentException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def base_url(corpus_dir, tmp_path_factory):
    root = tmp_path_factory.mktemp("browser")
    shutil.copytree(corpus_dir, root / "corpus")
    with running_server(root / "corpus", root / "index") as base:
        yield base


@pytest.fixture(scope="module")
def downloads(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(tmp_path_factory, downloads):
    opts = webdriver.ChromeOptions()
    opts.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                           "download.prompt_for_download": False})
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,1000",
                f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(30)
    ARTIFACTS.mkdir(exist_ok=True)
    yield driver
    driver.quit()


def state(driver) -> dict[str, list[str]]:
    return parse_qs(urlparse(driver.current_url).query)


def wait(driver):
    """Wait for a condition of the page (30 s at most: a bound for a busy machine, never a pause)."""
    return WebDriverWait(driver, 30)


def ready(driver, selector: str = "html") -> None:
    """Wait until the page (or the element ``selector``) says it is ready: site.js sets
    data-ready on <html> once it has set the page up (the focus on the box included), report.js
    on the similar panel once its answer is in."""
    wait(driver).until(lambda d: d.execute_script(
        "var e = document.querySelector(arguments[0]); return !!e && e.hasAttribute('data-ready')", selector))


def click_facet(driver, facet: str, value: str) -> None:
    link = driver.find_element(By.CSS_SELECTOR, f'.facet[data-facet="{facet}"] a[data-value="{value}"]')
    link.click()
    wait(driver).until(EC.url_contains("q="))


def test_search_facets_paging_and_landing_on_the_paragraph(browser, base_url):
    """A user searches, toggles two facets, removes one, pages, opens a hit and lands
    on the marked paragraph, with no error in the browser console."""
    browser.get(base_url + "/")
    box = browser.find_element(By.ID, "q")
    box.send_keys("执法", Keys.ENTER)
    wait(browser).until(EC.url_contains("q="))
    assert state(browser)["q"] == ["执法"]
    total = int(browser.find_element(By.CSS_SELECTOR, "#total strong").text)
    assert total > 10
    browser.save_screenshot(str(ARTIFACTS / "search.png"))

    click_facet(browser, "year", "2023")
    click_facet(browser, "agency", "宝丰县卫生健康委员会")
    assert state(browser)["year"] == ["2023"] and state(browser)["agency"] == ["宝丰县卫生健康委员会"]
    chips = browser.find_elements(By.CSS_SELECTOR, ".chip")
    assert [c.text for c in chips] == ["单位：宝丰县卫生健康委员会 ✕", "报告年度：2023 ✕"] or \
           sorted(c.text for c in chips) == sorted(["单位：宝丰县卫生健康委员会 ✕", "报告年度：2023 ✕"])
    metas = [m.text for m in browser.find_elements(By.CSS_SELECTOR, ".hit .meta")]
    assert metas and all(m.startswith("宝丰县卫生健康委员会 · 报告年度 2023") for m in metas)
    browser.save_screenshot(str(ARTIFACTS / "search-filtered.png"))

    next(c for c in browser.find_elements(By.CSS_SELECTOR, ".chip") if c.text.startswith("报告年度")).click()
    wait(browser).until(lambda d: "year" not in state(d))
    assert state(browser)["agency"] == ["宝丰县卫生健康委员会"]

    browser.get(base_url + "/?q=执法")
    browser.find_element(By.CSS_SELECTOR, 'a[rel="next"]').click()
    wait(browser).until(lambda d: state(d).get("page") == ["2"])
    assert browser.find_element(By.CSS_SELECTOR, ".hits").get_attribute("start") == "11"
    browser.back()
    wait(browser).until(lambda d: "page" not in state(d))

    first = browser.find_element(By.CSS_SELECTOR, ".hit .excerpt a")
    href = first.get_attribute("href")
    first.click()
    wait(browser).until(EC.url_contains("/reports/"))
    anchor = unquote(urlparse(href).fragment)
    target = browser.find_element(By.ID, anchor)
    assert browser.execute_script("return document.querySelector(':target') === arguments[0]", target)
    bg = target.value_of_css_property("background-color")
    assert bg not in ("rgba(0, 0, 0, 0)", "transparent")  # visibly marked
    assert target.find_elements(By.TAG_NAME, "mark")
    in_view = browser.execute_script(
        "const r = arguments[0].getBoundingClientRect(); return r.top >= 0 && r.top < window.innerHeight;", target)
    assert in_view
    browser.save_screenshot(str(ARTIFACTS / "report.png"))

    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []


def test_hostile_query_is_shown_as_text(browser, base_url):
    browser.get(base_url + "/?q=" + "%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E%20法律")
    assert browser.find_elements(By.CSS_SELECTOR, "img") == []
    assert "<img" in browser.find_element(By.ID, "q").get_attribute("value")


def test_report_page_shows_how_other_agencies_describe_the_linked_paragraph(browser, base_url):
    """GIVEN a link to a paragraph (#p6 of 南阳: 建立健全法律顾问制度)
    THEN the side panel lists similar paragraphs of other agencies, each linking into its report."""
    rid = "2023-fcba1866"
    browser.get(f"{base_url}/reports/{rid}#p6")
    panel = browser.find_element(By.ID, "similar-panel")
    wait(browser).until(lambda d: panel.is_displayed())
    items = panel.find_elements(By.CSS_SELECTOR, "li")
    assert 1 <= len(items) <= 4
    metas = [li.find_element(By.CSS_SELECTOR, ".meta").text for li in items]
    assert not any(m.startswith("南阳市卫生健康体育委员会") for m in metas)
    assert len({m.split(" · ")[0] for m in metas}) == len(metas)
    assert all("/reports/" in li.find_element(By.TAG_NAME, "a").get_attribute("href") for li in items)
    browser.save_screenshot(str(ARTIFACTS / "report-similar.png"))
    items[0].find_element(By.TAG_NAME, "a").click()
    wait(browser).until(lambda d: rid not in d.current_url)
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []


def test_export_csv_from_the_page_and_read_it_back(browser, base_url, downloads):
    """The user filters a search, clicks CSV and gets every hit, Chinese intact."""
    import csv
    import time

    browser.get(base_url + "/?q=执法&year=2023")
    # 精确 N 段 · 相关 M 段: the CSV holds both, as the page does (match=exact: the exact ones)
    total = sum(int(e.text) for e in browser.find_elements(By.CSS_SELECTOR, "#total strong"))
    browser.find_element(By.LINK_TEXT, "CSV").click()
    deadline = time.monotonic() + 60  # a bound for a busy machine
    while time.monotonic() < deadline:
        done = [p for p in downloads.glob("*.csv")]
        if done:
            break
        time.sleep(0.2)
    assert done, "no CSV was downloaded"
    with open(done[0], encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0][:2] == ["单位", "报告年度"]
    assert len(rows) - 1 == total > 10
    assert {r[1] for r in rows[1:]} == {"2023"}


def test_phone_width_and_keyboard(browser, base_url):
    """On a phone-sized window the page needs no sideways scrolling, and a keyboard
    user reaches the search box, searches, and tabs onto the first result."""
    from selenium.webdriver.common.action_chains import ActionChains

    browser.set_window_size(390, 844)
    try:
        browser.get(base_url + "/")
        ready(browser)
        for _ in range(13):  # the box has the focus at once (autofocus), else a few Tabs reach it
            if browser.switch_to.active_element.get_attribute("id") == "q":
                break
            ActionChains(browser).send_keys(Keys.TAB).perform()
        assert browser.switch_to.active_element.get_attribute("id") == "q"
        ActionChains(browser).send_keys("法律顾问", Keys.ENTER).perform()
        wait(browser).until(EC.url_contains("q="))
        width = browser.execute_script("return document.documentElement.scrollWidth")
        assert width <= 390
        browser.save_screenshot(str(ARTIFACTS / "phone-search.png"))
        assert browser.find_element(By.CSS_SELECTOR, ".hit .excerpt a").is_displayed()
    finally:
        browser.set_window_size(1280, 1000)


@pytest.mark.parametrize("name, path", [
    ("compare", "/compare?q=法律顾问"),
    ("regulations", "/regulations"),
    ("regulation", "/regulations/中华人民共和国行政处罚法"),
    ("topics", "/topics"),
    ("agencies", "/agencies"),
    ("years", "/years"),
    ("similar", "/paragraphs/2023-fcba1866.p6/similar"),
])
def test_every_page_renders_with_no_error_and_no_external_request(browser, base_url, name, path):
    browser.get(base_url + path)
    assert browser.find_element(By.TAG_NAME, "h1").text
    origins = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => new URL(e.name).origin)")
    assert set(origins) <= {base_url}
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
    browser.save_screenshot(str(ARTIFACTS / f"{name}.png"))


# -- hostile reports and queries: nothing executes ------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory):
    root = tmp_path_factory.mktemp("browser-hostile")
    make_hostile_corpus(root / "corpus")
    with running_server(root / "corpus", root / "index") as base:
        yield base


def assert_nothing_ran(driver) -> None:
    """No alert is open, no payload set its marker, no element of the payloads exists, and
    the console has no error (an inline script blocked by the CSP would log one)."""
    try:
        alert = driver.switch_to.alert
        text = alert.text
        alert.dismiss()
        raise AssertionError(f"an alert ran: {text}")
    except NoAlertPresentException:
        pass
    assert driver.execute_script("return window.__pwned === undefined"), driver.execute_script("return window.__pwned")
    assert driver.execute_script("return document.querySelectorAll('img, iframe, svg:not(figure.chart svg), b, div[onclick]').length") == 0
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"
              and not (e["source"] == "network" and "status of 404" in e["message"])]  # the 404 page itself
    assert errors == []


HOSTILE_PAGES = [
    f"/reports/{HOSTILE_ID}", f"/reports/{HOSTILE_ID}?q=防注入测试#p1", "/?q=防注入测试", "/compare?q=防注入测试",
    "/reports", f"/paragraphs/{HOSTILE_ID}.p1/similar", "/reports/2023-fcba1866#p6",
    "/?q=" + quote("<script>alert(1)</script> 防注入测试"), "/?q=" + quote('"><img src=x onerror=alert(1)>'),
    "/compare?q=" + quote("<svg onload=alert(1)> 法律顾问"), "/reports/" + quote("<script>alert(1)</script>", safe=""),
]


def test_hostile_reports_and_queries_do_not_run(browser, hostile_url):
    """GIVEN a report with <script>, <img onerror>, <svg onload>, handlers and javascript:
    links in its title, agency, region, heading and text WHEN its pages, the search and
    compare pages, the similar panel and pages with such queries are shown in Chromium
    THEN nothing runs, and the report's text is shown as the characters it is."""
    for path in HOSTILE_PAGES:
        browser.get(hostile_url + path)
        if "#p" in path:
            ready(browser, "#similar-panel")  # the similar panel's answer is in
        assert_nothing_ran(browser)
    browser.get(f"{hostile_url}/reports/{HOSTILE_ID}?q=防注入测试")
    title = browser.find_element(By.TAG_NAME, "h1").text
    assert title == """<script>window.__pwned='title'</script>恶意报告<img src=x onerror="window.__pwned='title-img'">"""
    assert browser.title.startswith("<script>window.__pwned='title'</script>恶意报告")
    para = browser.find_element(By.ID, "p1").text
    assert "正文里有<script>window.__pwned='text'</script>和<img src=x onerror=" in para
    assert browser.find_elements(By.CSS_SELECTOR, "#p1 mark")
    browser.save_screenshot(str(ARTIFACTS / "hostile-report.png"))
    browser.get(hostile_url + "/?q=防注入测试")
    agency = browser.find_element(By.CSS_SELECTOR, '.facet[data-facet="agency"] a')
    assert agency.text.startswith("<b onmouseover=")
    agency.click()  # a hostile facet value as a filter, then a chip
    wait(browser).until(EC.url_contains("agency="))
    assert browser.find_element(By.CSS_SELECTOR, ".chip").text.startswith("单位：<b onmouseover=")
    assert_nothing_ran(browser)
    browser.save_screenshot(str(ARTIFACTS / "hostile-search.png"))

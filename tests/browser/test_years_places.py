"""Years said plainly, places in time (issue 24), in a real browser over a real server.

The corpus is three real work reports of ../shared/data imported as a user imports them (no
metadata given: ``2026.md`` names only the year): 东莞市 and 大连市 given in 2026 (报告年度 2025),
and 莱芜市 given in 2014 (报告年度 2013; merged into 济南市 in 2019). Wherever a year shows, it says
it is the year reported on (报告年度): search hits, the year facet, the home page's list, compare
cards, the report page, the years page, and the citation of a copy, a CSV row and a Word document.
The 莱芜市 report is placed in the unit of its year, with where that is today beside it.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import tarfile
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest

from kb import build
from kb.ingest import importer
from tests.support import paths
from tests.support.server import running_server

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
if not (CHROMIUM and CHROMEDRIVER):
    if os.environ.get("CI"):
        raise RuntimeError("CI needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)")
    pytest.skip("chromium or chromedriver not installed", allow_module_level=True)

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

pytestmark = pytest.mark.browser

FILES = ("政府工作报告-主要城市/东莞市/2026.md", "政府工作报告-主要城市/大连市/2026.md",
         "政府工作报告-其他地市/莱芜市/2014.md")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """(base URL, the imported reports by unit): the three reports imported and served."""
    tarball = paths.shared(paths.TARBALL)
    root = tmp_path_factory.mktemp("years-places")
    with tarfile.open(tarball) as tar:
        for name in FILES:
            member = tar.getmember(name)
            target = root / "raw" / name.split("/")[1] / Path(name).name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(tar.extractfile(member).read())
    batch = importer.import_files(sorted((root / "raw").rglob("*.md")), root / "corpus")
    assert batch.failed == []
    reports = {done.path.parent.name: done.report for done in batch.imported}
    build.build(root / "corpus", root / "index")
    with running_server(root / "corpus", root / "index") as base:
        yield base, reports


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage",
                "--window-size=1280,1000", f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        opts.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def texts(driver, css: str) -> list[str]:
    return [e.text for e in driver.find_elements(By.CSS_SELECTOR, css)]


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.read()


def test_the_reports_are_placed_in_the_units_of_their_years(site):
    base, reports = site
    laiwu = reports["莱芜市"]
    assert (laiwu.agency, laiwu.year, laiwu.region, laiwu.level) == ("莱芜市人民政府", 2013, "山东省莱芜市", "市")
    assert (reports["东莞市"].year, reports["东莞市"].title) == (2025, "2026年东莞市政府工作报告")
    data = json.loads(fetch(f"{base}/api/reports/{laiwu.id}"))
    assert (data["region"], data["region_today"]) == ("山东省莱芜市", "山东省济南市")
    assert data["region_change"].startswith("2019年撤销")
    assert json.loads(fetch(f"{base}/api/reports/{reports['东莞市'].id}"))["region_today"] == ""


def test_search_hits_and_the_year_facet_say_报告年度(browser, site):
    base, _ = site
    browser.get(base + "/?q=营商环境")
    metas = texts(browser, ".hit .meta")
    assert metas and all(" · 报告年度 20" in m for m in metas), metas
    assert {m.split(" · ")[1] for m in metas} <= {"报告年度 2025", "报告年度 2013"}
    assert "按报告年度" in browser.page_source  # the chart by year
    facet = browser.find_element(By.CSS_SELECTOR, '.facet[data-facet="year"]')
    assert "报告年度" in facet.text.splitlines()[0]
    facet.find_element(By.CSS_SELECTOR, 'a[data-value="2025"]').click()
    WebDriverWait(browser, 10).until(lambda d: "year=2025" in d.current_url)
    assert "报告年度：2025 ✕" in texts(browser, ".chip")


def test_the_home_page_list_and_the_years_page_say_报告年度(browser, site):
    base, _ = site
    browser.get(base + "/")
    items = [li for li in browser.find_elements(By.CSS_SELECTOR, "li") if "政府工作报告" in li.text]
    dongguan = next(li.text for li in items if "东莞" in li.text)
    assert dongguan == "2026年东莞市政府工作报告 报告年度 2025"  # the title's own words, then the year reported on
    browser.get(base + "/years")
    assert browser.find_element(By.TAG_NAME, "h1").text == "报告年度"
    assert "报告所述的年度" in browser.find_element(By.CSS_SELECTOR, "p.meta").text
    assert texts(browser, "thead th")[0] == "报告年度"


def test_compare_cards_say_报告年度(browser, site):
    base, _ = site
    browser.get(base + "/compare?q=营商环境")
    metas = [c.find_element(By.CSS_SELECTOR, ".meta").text for c in browser.find_elements(By.CSS_SELECTOR, ".card")]
    assert len(metas) == 3 and all(m.startswith("报告年度 20") for m in metas), metas


def test_the_report_page_says_the_year_reported_on_and_where_the_place_is_today(browser, site):
    base, reports = site
    browser.get(f"{base}/reports/{reports['莱芜市'].id}")
    info = dict(zip(texts(browser, ".meta-panel dt"), texts(browser, ".meta-panel dd"), strict=False))
    assert info["单位"] == "莱芜市人民政府"
    assert info["报告年度"] == "2013（2014年发布）"
    assert info["地区"].startswith("山东省莱芜市（今山东省济南市：2019年") and "并入济南市" in info["地区"]
    browser.get(f"{base}/reports/{reports['东莞市'].id}")
    info = dict(zip(texts(browser, ".meta-panel dt"), texts(browser, ".meta-panel dd"), strict=False))
    assert info["报告年度"] == "2025（2026年发布）" and "今" not in info["地区"]
    for page in ("/reports", "/agencies"):
        browser.get(base + page)
        row = next(tr.text for tr in browser.find_elements(By.CSS_SELECTOR, "tbody tr") if "莱芜" in tr.text)
        assert "山东省莱芜市（今山东省济南市）" in row, row


def test_a_copy_cites_the_year_reported_on(browser, site):
    base, reports = site
    rid = reports["大连市"].id
    browser.get(f"{base}/reports/{rid}#p2")
    browser.execute_cdp_cmd("Browser.grantPermissions", {
        "origin": base, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})
    para = browser.find_element(By.ID, "p2")
    para.find_element(By.CSS_SELECTOR, ".para-tools button.copy").click()
    WebDriverWait(browser, 10).until(lambda d: para.find_element(By.CSS_SELECTOR, "button.copy").text == "已复制")
    copied = browser.execute_async_script("navigator.clipboard.readText().then(arguments[0])")
    assert copied.endswith(f"（大连市人民政府 · 报告年度 2025 · 2026年大连市政府工作报告 · 第2段 · {base}/reports/{rid}#p2）")


def test_csv_and_word_cite_the_year_reported_on(site):
    base, reports = site
    rows = list(csv.DictReader(io.StringIO(fetch(base + "/export.csv?q=" + quote("营商环境")).decode("utf-8-sig"))))
    assert rows and all(r["报告年度"] in ("2025", "2013") for r in rows)
    assert all(f" · 报告年度 {r['报告年度']} · " in r["出处"] for r in rows)
    rid = reports["东莞市"].id
    rows = list(csv.DictReader(io.StringIO(fetch(f"{base}/collection.csv?id={rid}.p3").decode("utf-8-sig"))))
    assert rows[0]["报告年度"] == "2025"
    assert rows[0]["出处"] == "东莞市人民政府 · 报告年度 2025 · 2026年东莞市政府工作报告 · 第3段"
    from docx import Document

    doc = Document(io.BytesIO(fetch(f"{base}/collection.docx?id={rid}.p3")))
    cite = next(p.text for p in doc.paragraphs if p.style.name == "Citation")  # after the paragraph (web/word.py)
    assert cite.startswith("（东莞市人民政府 · 报告年度 2025 · 2026年东莞市政府工作报告 · 第3段 · http"), cite

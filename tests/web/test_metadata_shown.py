"""A report's metadata wherever it is shown: what the import guessed marked ``?`` in every hit,
page, copy and export; a national agency's province said (中央); names in pinyin order; a list
page's unknown order refused as the API refuses it.

One corpus for the module: the seeds, one of them (南开区) with its agency, region and year
marked unsure as an import leaves a guess, and a national agency's report (司法部, level 国家,
no region); indexed once and served by `kb serve` over HTTP.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import urllib.error
import urllib.request
from urllib.parse import quote

import pytest

from kb import build
from tests.support.seeds import copy_corpus
from tests.support.server import KB, running_server

GUESSED_ID = "2023-7a72d09e"  # 天津市南开区卫生健康委员会: agency, region and year marked unsure
NATIONAL_ID = "2023-c0ffee01"
NATIONAL = """---
id: 2023-c0ffee01
title: 司法部2023年法治政府建设年度报告
agency: 司法部
level: 国家
year: 2023
---

2023年，司法部坚持以习近平法治思想为指导，全面推进法治政府建设，深化“放管服”改革，推行法律顾问制度。

## 一、主要举措和成效

全面推行行政执法公示制度、执法全过程记录制度、重大执法决定法制审核制度，落实法律顾问制度，优化营商环境。
"""


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """(base URL, corpus, index) of the module's corpus, served."""
    top = tmp_path_factory.mktemp("shown")
    corpus = copy_corpus(top / "corpus")
    path = corpus / f"{GUESSED_ID}.md"
    path.write_text(path.read_text(encoding="utf-8").replace("source: seeds/", "unsure: [agency, region, year]\nsource: seeds/", 1),
                    encoding="utf-8")
    (corpus / f"{NATIONAL_ID}.md").write_text(NATIONAL, encoding="utf-8")
    index = top / "index"
    build.build(corpus, index)
    with running_server(corpus, index) as base:
        yield base, corpus, index


def fetch(url: str) -> tuple[int, str, str]:
    """(status, content type, body) of a GET, errors included."""
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.headers.get_content_type(), r.read().decode("utf-8-sig")
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get_content_type(), e.read().decode("utf-8-sig")


def api(url: str) -> dict:
    status, kind, body = fetch(url)
    assert status == 200 and kind == "application/json", body[:300]
    return json.loads(body)


def test_search_hits_compare_and_similar_carry_the_guessed_fields(served):
    """GIVEN a report whose agency, region and year the import guessed WHEN it is found by a
    search, a comparison and as a similar paragraph THEN each hit of it says ``unsure`` and its
    citation marks the guessed agency and year ``?``; the other reports' hits say none."""
    base, _, _ = served
    hits = api(base + "/api/search?size=100&q=" + quote("法治"))["hits"]
    mine = [h for h in hits if h["report_id"] == GUESSED_ID]
    assert mine and all(h["unsure"] == ["agency", "region", "year"] for h in mine)
    assert mine[0]["citation"].startswith("天津市南开区卫生健康委员会? · 报告年度 2023? · ")
    assert all(h["unsure"] == [] and "?" not in h["citation"] for h in hits if h["report_id"] != GUESSED_ID)
    groups = api(base + "/api/compare?size=50&q=" + quote("法治"))["groups"]
    assert {g["agency"]: g["best"]["unsure"] for g in groups}["天津市南开区卫生健康委员会"] == ["agency", "region", "year"]
    similar = api(base + f"/api/paragraphs/{mine[0]['id']}/similar")
    assert similar["paragraph"]["unsure"] == ["agency", "region", "year"]


def test_pages_mark_a_guessed_agency_and_year_in_every_hit(served):
    """GIVEN the same report WHEN the search page, the compare page and a regulation's page show
    its paragraphs THEN its agency and year are followed by the ``?`` the report page has (导入时推测)."""
    base, _, _ = served
    mark = '<span class="unsure" title="导入时推测，未能确定（请核对原件）">?</span>'
    _, _, page = fetch(base + "/?size=100&agency=" + quote("天津市南开区卫生健康委员会") + "&q=" + quote("法治"))
    assert f"<strong>天津市南开区卫生健康委员会</strong>{mark} · 报告年度 2023{mark} ·" in page
    _, _, page = fetch(base + "/?size=100&agency=" + quote("宝丰县卫生健康委员会") + "&q=" + quote("法治"))
    assert 'class="unsure"' not in page
    _, _, page = fetch(base + "/")
    assert f"报告年度 2023{mark}</span>" in page
    _, _, page = fetch(base + "/compare?q=" + quote("法治"))
    assert f"<h2>天津市南开区卫生健康委员会{mark}</h2>" in page
    hits = api(base + "/api/search?size=100&agency=" + quote("天津市南开区卫生健康委员会"))["hits"]
    name = next(r for h in hits for r in h["regulations"])
    mentions = api(base + "/api/regulations/" + quote(name) + "/mentions")["mentions"]
    assert {m["agency"]: m["unsure"] for m in mentions}["天津市南开区卫生健康委员会"] == ["agency", "region", "year"]
    _, _, body = fetch(base + "/regulations/" + quote(name) + ".csv")
    rows = {r["单位"]: r for r in csv.DictReader(io.StringIO(body))}
    assert rows["天津市南开区卫生健康委员会"]["推测字段（请核对原件）"] == "单位、地区、报告年度"
    _, _, page = fetch(base + "/regulations/" + quote(name))
    assert f"<h2>天津市南开区卫生健康委员会{mark} · 报告年度 2023{mark}</h2>" in page


def test_exports_name_the_guessed_fields_and_the_province(served):
    """GIVEN the same corpus WHEN every hit is exported as CSV and JSON THEN the CSV's column
    of the region's province is titled 省份 (中央 for the national agency, not blank), the
    guessed report's rows name its guessed fields in 推测字段 and mark its citation, and the
    JSON hits carry ``unsure``."""
    base, _, _ = served
    _, kind, body = fetch(base + "/export.csv?q=" + quote("法治"))
    rows = list(csv.DictReader(io.StringIO(body)))
    assert "地区" not in rows[0] and "省份" in rows[0]
    by_agency = {r["单位"]: r for r in rows}
    assert by_agency["司法部"]["省份"] == "中央" and by_agency["宝丰县卫生健康委员会"]["省份"] == "河南省"
    assert by_agency["天津市南开区卫生健康委员会"]["推测字段（请核对原件）"] == "单位、地区、报告年度"
    assert by_agency["天津市南开区卫生健康委员会"]["出处"].startswith("天津市南开区卫生健康委员会? · 报告年度 2023?")
    assert by_agency["宝丰县卫生健康委员会"]["推测字段（请核对原件）"] == ""
    hits = api(base + "/export.json?q=" + quote("法治"))["hits"]
    assert {h["agency"]: h["unsure"] for h in hits}["天津市南开区卫生健康委员会"] == ["agency", "region", "year"]
    _, _, body = fetch(base + "/compare.csv?q=" + quote("法治"))
    rows = {r["单位"]: r for r in csv.DictReader(io.StringIO(body))}
    assert rows["天津市南开区卫生健康委员会"]["推测字段（请核对原件）"] == "单位、地区、报告年度"
    facet = {v["value"]: v["count"] for v in api(base + "/api/search?q=" + quote("法治"))["facets"]["region"]}
    assert "中央" in facet and "天津市" in facet


def test_the_command_line_marks_a_guessed_agency_and_year(served):
    """GIVEN the same index WHEN `kb search` prints the hits THEN the guessed report's agency and
    year are followed by ``?``, as on the site."""
    _, corpus, index = served
    out = subprocess.run([KB, "search", "法治", "--agency", "天津市南开区卫生健康委员会", "--corpus", str(corpus),
                          "--index", str(index)], capture_output=True, text=True, check=True).stdout
    assert "1. 天津市南开区卫生健康委员会? · 报告年度 2023? · " in out


def test_names_are_in_pinyin_order(served):
    """GIVEN agencies whose names start 宝, 巨, 黎, 南, 天, 司 WHEN the agencies are listed by
    name (the agency list sorted by 单位, the agency facet's ties) THEN they stand in pinyin order
    (bao ju li nan si tian), not in the order of their code points (南 天 宝 司 巨 黎)."""
    base, _, _ = served
    _, _, page = fetch(base + "/agencies?sort=agency")
    order = ["宝丰县", "巨鹿县", "黎平县", "南阳市", "司法部", "天津市"]
    at = [page.index(f">{name}") for name in order]
    assert at == sorted(at)
    facet = api(base + "/api/search?q=" + quote("法治") + "&facet_size=50")["facets"]["agency"]
    ones = [v["value"] for v in facet if v["count"] == facet[-1]["count"]]
    from kb.text.collation import name_key  # noqa: PLC0415 (the order the test checks)

    assert ones == sorted(ones, key=name_key)


@pytest.mark.parametrize("path", ["/reports", "/agencies", "/regulations", "/api/reports"])
def test_an_unknown_sort_is_refused_on_every_list_page_as_by_the_api(served, path):
    """GIVEN a list page or its JSON twin WHEN asked for an order it does not have THEN it
    answers 400 with a message naming the orders it has (a page: the site's error page)."""
    base, _, _ = served
    status, kind, body = fetch(base + path + "?sort=nonsense")
    assert status == 400, body[:300]
    assert "不能按“nonsense”排序" in body
    assert kind == ("application/json" if path.startswith("/api/") else "text/html")
    status, _, _ = fetch(base + path + "?sort=-paragraphs" if path != "/api/reports" else base + path + "?sort=delivered")
    assert status == 200


def test_the_plan_page_and_its_json_mark_a_guessed_agency_and_year(served):
    """GIVEN 南开区's report, its agency and year guessed WHEN its plan is asked for THEN the JSON names the
    guessed fields and the page marks the agency and the year ``?``, as every other page does; a report
    nothing was guessed of has no mark."""
    base, _, _ = served
    status, _, body = fetch(base + f"/api/reports/{GUESSED_ID}/plan")
    assert status == 200 and json.loads(body)["unsure"] == ["agency", "region", "year"]
    status, _, page = fetch(base + f"/reports/{GUESSED_ID}/plan")
    assert status == 200
    h1 = page[page.index("<h1>"):page.index("</h1>")]
    assert "天津市南开区卫生健康委员会" in h1 and 'class="unsure"' in h1
    meta = page[page.index('<p class="meta">'):]
    assert meta.index('class="unsure"') < meta.index("的<a")
    status, _, body = fetch(base + f"/api/reports/{NATIONAL_ID}/plan")
    assert status == 200 and json.loads(body)["unsure"] == []
    assert 'class="unsure"' not in fetch(base + f"/reports/{NATIONAL_ID}/plan")[2].split("<h1>")[1].split("</p>")[0]

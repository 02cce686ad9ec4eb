"""The figures and report cards on the site: /api/figures and /api/reports over HTTP from a
real `kb serve`, the pages and the CSV through the test client."""

from __future__ import annotations

import csv
import io
import json
import shutil
from urllib.parse import quote

import pytest

from tests.support.server import get, running_server

FIGURE_KEYS = {"indicator", "value", "unit", "amount", "normalized_unit", "agency", "year", "paragraph_id",
               "sentence", "url", "sure", "scope"}


@pytest.fixture(scope="module")
def server(corpus_dir, tmp_path_factory):
    root = tmp_path_factory.mktemp("figures-http")
    shutil.copytree(corpus_dir, root / "corpus")
    with running_server(root / "corpus", root / "index") as base:
        yield base


def test_api_figures_over_http(server):
    """GIVEN the seed corpus served by kb serve WHEN /api/figures?indicator=罚没款
    THEN every fine with its normalized amount, agency, year, paragraph, sentence and link."""
    status, data = get(server + "/api/figures?indicator=" + quote("罚没款"))
    assert status == 200
    assert {"indicator", "filters", "total", "page", "size", "figures", "indicators", "facets"} <= data.keys()
    assert all(FIGURE_KEYS <= f.keys() for f in data["figures"])
    got = sorted((f["agency"], f["year"], f["value"], f["unit"], f["amount"], f["normalized_unit"], f["scope"],
                  f["paragraph_id"], f["url"]) for f in data["figures"])
    assert got == [
        ("南阳市卫生健康体育委员会", 2023, 264600, "元", 264600, "元", "双随机", "2023-fcba1866.p7",
         "/reports/2023-fcba1866#p7"),
        ("天津市南开区卫生健康委员会", 2023, 896546, "元", 896546, "元", "", "2023-7a72d09e.p8",
         "/reports/2023-7a72d09e#p8"),
        ("巨鹿县卫生健康局", 2025, 135195.8, "元", 135195.8, "元", "", "2025-597752dc.p4", "/reports/2025-597752dc#p4"),
        ("黎平县卫生健康局", 2024, 46.58371, "万元", 465837.1, "元", "", "2024-cace2198.p8", "/reports/2024-cace2198#p8"),
    ]
    fine = next(f for f in data["figures"] if f["agency"] == "黎平县卫生健康局")
    assert "缴纳罚款46.58371万元" in fine["sentence"]


def test_api_figures_filters_combine(server):
    status, data = get(server + "/api/figures?indicator=" + quote("行政处罚案件") + "&agency=" + quote("黎平县卫生健康局")
                       + "&year=2024")
    assert status == 200
    assert [(f["value"], f["scope"]) for f in data["figures"]] == [(121, ""), (114, "结案")]
    assert data["filters"] == {"agency": ["黎平县卫生健康局"], "year": ["2024"]}
    # one facet repeated is OR, facets are AND
    _, both = get(server + "/api/figures?indicator=" + quote("罚没款") + "&year=2024&year=2025")
    assert {f["year"] for f in both["figures"]} == {2024, 2025}
    # the search's query narrows to the paragraphs it finds
    _, scoped = get(server + "/api/figures?q=" + quote("双随机"))
    _, found = get(server + "/api/search?size=100&q=" + quote("双随机"))
    exact = {h["id"] for h in found["hits"] if h["match"] == "exact"}
    assert {"2023-616b1600.p6", "2023-fcba1866.p7", "2023-7a72d09e.p8", "2025-597752dc.p4"} <= exact
    assert scoped["total"] and {f["paragraph_id"] for f in scoped["figures"]} <= {h["id"] for h in found["hits"]}
    assert {f["paragraph_id"] for f in scoped["figures"]} & exact


@pytest.mark.parametrize("path, status, fragment", [
    ("/api/figures?indicator=" + quote("没有的指标"), 404, "indicator"),
    ("/api/figures?year=20x3", 400, "year"),
    ("/api/figures?page=0", 400, "page"),
    ("/api/figures?size=100000", 400, "size"),
    ("/api/figures?q=" + quote("，。"), 400, "query"),
])
def test_api_figures_errors_are_json(server, path, status, fragment):
    got, data = get(server + path)
    assert got == status and fragment in data["error"]


def test_api_report_card_over_http(server):
    """GIVEN 黎平 2024 WHEN /api/reports/2024-cace2198 THEN its required parts: 第一责任人 only
    in the text, in ¶2; /api/reports gives every report's card summary."""
    status, data = get(server + "/api/reports/2024-cace2198")
    assert status == 200
    assert [(p["part"], p["status"]) for p in data["required_parts"]] == [
        ("主要举措和成效", "section"), ("不足和原因", "section"),
        ("党政主要负责人履行推进法治建设第一责任人职责", "in_text"), ("下一年度主要安排", "section")]
    assert data["required_parts"][2]["paragraphs"] == ["2024-cace2198.p2"]
    assert data["report_card"] == {"applies": True, "note": "", "complete": False, "date_signed": None,
                                   "lacking": ["党政主要负责人履行推进法治建设第一责任人职责"]}
    _, listing = get(server + "/api/reports")
    complete = {r["id"]: r["report_card"]["complete"] for r in listing["reports"]}
    assert complete == {"2023-616b1600": True, "2023-7a72d09e": True, "2023-fcba1866": True,
                        "2024-cace2198": False, "2025-597752dc": False}


def test_figure_pages(client):
    page = client.get("/figures").get_data(as_text=True)
    assert '<a href="/figures">数据</a>' in page  # the nav link
    assert f'href="/figures/{quote("罚没款", safe="")}"' in page
    page = client.get("/figures/" + quote("罚没款")).get_data(as_text=True)
    assert 'href="/reports/2024-cace2198#p8"' in page and "46.58371万元" in page
    assert "<svg" in page  # the chart
    assert client.get("/figures/" + quote("没有的指标")).status_code == 404


def test_figure_page_shows_parts_what_it_counts_and_the_period_choice(client):
    """GIVEN 南阳's 案卷共72卷 … 优秀案卷14卷、合格案卷56卷、不合格案卷2卷 WHEN its indicator's page
    and CSV THEN the parts are named beside the whole, the page says what the indicator counts,
    links the choice of period totals, and refuses an unknown one."""
    name = quote("执法案卷评查")
    page = client.get("/figures/" + name).get_data(as_text=True)
    assert "优秀 <a" in page and "合格 <a" in page and "不合格 <a" in page
    assert 'id="indicator-counts"' in page and "评查的行政执法案卷" in page
    assert 'id="period-include"' in page and "period=include" in page
    assert 'id="period-yearly"' in client.get("/figures/" + name + "?period=include").get_data(as_text=True)
    assert client.get("/figures/" + name + "?period=never").status_code == 400
    rows = list(csv.DictReader(io.StringIO(client.get("/figures/" + name + ".csv").get_data(as_text=True)
                                           .removeprefix("\ufeff"))))
    assert {row["数值"]: row["分项"] for row in rows if row["标准化单位"] == "卷"} == {
        "72": "", "14": "优秀", "56": "合格", "2": "不合格"}


def test_figure_pages_say_when_the_query_as_written_was_wrong(client, server):
    """GIVEN a query with an unclosed bracket and an OR with nothing after it WHEN it filters
    the figure pages and /api/figures THEN they say what was wrong and what ran (as the search
    does), the header's box holds the query, and the note links to the page with what ran."""
    status, data = get(server + "/api/figures?q=" + quote("(法律顾问 OR"))
    assert status == 200 and data["query_note"]["ran"] == "法律顾问"
    assert any("括号" in p for p in data["query_note"]["problems"])
    status, plain = get(server + "/api/figures?q=" + quote("法律顾问"))
    assert "query_note" not in plain and plain["total"] == data["total"]
    for path in ("/figures", "/figures/" + quote("罚没款")):
        html = client.get(path + "?q=" + quote("(法律顾问 OR")).get_data(as_text=True)
        assert "实际检索的是 <strong>法律顾问</strong>" in html
        assert 'value="(法律顾问 OR"' in html  # the header's search box
        assert f'href="{path}?q=%E6%B3%95%E5%BE%8B%E9%A1%BE%E9%97%AE"' in html  # 改为检索 法律顾问
        assert "查询写法有误" not in client.get(path + "?q=" + quote("法律顾问")).get_data(as_text=True)


def test_a_figure_filter_by_a_part_shortened_as_the_readme_writes_it_is_that_part(client):
    """GIVEN section_kind=举措和成效 (the README's short name of 主要举措和成效) WHEN it filters /api/figures
    THEN it selects the figures of that part, as the full name does."""
    full = client.get("/api/figures?section_kind=" + quote("主要举措和成效")).get_json()
    short = client.get("/api/figures?section_kind=" + quote("举措和成效")).get_json()
    assert short["total"] == full["total"] > 0 and short["filters"]["section_kind"] == ["主要举措和成效"]


def test_figure_csv(client):
    r = client.get("/figures/" + quote("行政处罚案件") + ".csv?year=2023")
    assert r.status_code == 200 and r.content_type.startswith("text/csv")
    text = r.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert [(row["单位名称"], row["数值"], row["范围"]) for row in rows] == [
        ("南阳市卫生健康体育委员会", "113", "双随机"), ("天津市南开区卫生健康委员会", "133", ""),
        ("天津市南开区卫生健康委员会", "60", "普通程序"), ("天津市南开区卫生健康委员会", "73", "简易程序")]
    assert all(row["链接"].startswith("http://localhost/reports/") for row in rows)


def test_reports_page_shows_what_each_report_lacks(client):
    page = client.get("/reports").get_data(as_text=True)
    assert page.count('data-complete="True"') == 3 and page.count('data-complete="False"') == 2
    assert 'class="mark mark-in_text"' in page


HOSTILE_AGENCY = """<b onmouseover="window.__pwned='agency'">恶意局</b><img src=x onerror="window.__pwned='agency-img'">"""


@pytest.mark.parametrize("path", [
    "/figures", "/figures?agency=" + quote(HOSTILE_AGENCY), "/figures/" + quote("罚没款") + "?agency=" + quote(HOSTILE_AGENCY),
    "/figures?q=" + quote("<script>alert(1)</script>"), "/figures/" + quote("<script>alert(1)</script>"),
    "/figures/" + quote("罚没款") + "?year=" + quote("<b>"), "/reports",
])
def test_figure_pages_show_hostile_input_as_text(hostile_client, path):
    """GIVEN the hostile report in the corpus and hostile filters WHEN a figure page shows
    them THEN no markup but ours (a bad value is a 400 or 404 page, escaped)."""
    from tests.support.safety import assert_security_headers, unsafe_markup

    r = hostile_client.get(path)
    assert r.status_code in (200, 400, 404)
    assert unsafe_markup(r.get_data(as_text=True)) == []
    assert_security_headers(r.headers)



def test_kb_figures_prints_what_the_api_returns(corpus_dir, index_dir, client, capsys):
    from kb import cli

    assert cli.main(["figures", "罚没款", "--json", "--corpus", str(corpus_dir), "--index", str(index_dir)]) == 0
    assert json.loads(capsys.readouterr().out) == client.get("/api/figures?indicator=" + quote("罚没款")).get_json()
    assert cli.main(["figures", "行政处罚案件", "--year", "2024", "--corpus", str(corpus_dir), "--index", str(index_dir)]) == 0
    out = capsys.readouterr().out
    assert "黎平县卫生健康局 · 报告年度 2024 · 114件 [结案] = 114 件" in out and "/reports/2024-cace2198#p8" in out
    assert cli.main(["figures", "没有的指标", "--corpus", str(corpus_dir), "--index", str(index_dir)]) == 1
    assert capsys.readouterr().err.startswith("Error: 没有这个指标")


def test_kb_figures_pages_and_narrows_by_a_query_a_topic_and_a_regulation_as_the_api(corpus_dir, index_dir, client,
                                                                                        capsys):
    """GIVEN the seeds' 行政处罚案件 (10 figures) WHEN kb figures is asked three a page, page 2, or
    only the paragraphs a query, a topic or a regulation selects THEN it prints what /api/figures
    answers with the same parameters, says which page and how to reach the next, and a page past
    the last is an Error (kb figures had no --page, --query, --topic nor --regulation: the first
    1000 figures of an indicator at most, and none of the API's narrowing)."""
    from kb import cli

    where = ["--corpus", str(corpus_dir), "--index", str(index_dir)]
    name = "行政处罚案件"
    for args, params, total in ((["--size", "3", "--page", "2"], "&size=3&page=2", 10),
                                (["--query", "简易程序"], "&q=" + quote("简易程序"), 7),
                                (["--topic", "执法"], "&topic=" + quote("执法"), 10),
                                (["--regulation", "中华人民共和国行政处罚法"], "&regulation=" + quote("中华人民共和国行政处罚法"), 0)):
        assert cli.main(["figures", name, *args, "--json", *where]) == 0
        printed = json.loads(capsys.readouterr().out)
        assert printed == client.get(f"/api/figures?indicator={quote(name)}{params}").get_json()
        assert printed["total"] == total
    assert cli.main(["figures", name, "--size", "3", "--page", "2", *where]) == 0
    assert capsys.readouterr().out.startswith(f"{name}: 10 个数字 (figures), 10 sure, 4–6 (page 2/4; next: --page 3)\n")
    assert cli.main(["figures", name, "--size", "3", "--page", "9", *where]) == 1
    assert capsys.readouterr().err.startswith("Error: 没有第 9 页，共 4 页")


def test_a_figure_chart_shows_each_value_whole_with_its_unit(client):
    """GIVEN the seeds (巨鹿县卫生健康局 2025: 罚没135195.8元) WHEN the figure page's chart of a
    year is drawn THEN every value's text fits inside the chart (it was cut to 13519 at the
    chart's edge) and each bar's tooltip says the value once with the indicator's unit, not 段;
    the chart of indicators on /figures counts 个."""
    import re

    for path, unit in ((f"/figures/{quote('罚没款')}?sort_year=2025&sort=value", "元"), ("/figures", "个")):
        html = client.get(path).get_data(as_text=True)
        svg = re.search(r'<svg width="(\d+)".*?</svg>', html, re.S)
        assert svg, path
        width = int(svg.group(1))
        counts = re.findall(r'<text x="(\d+)"[^>]*class="chart-count">([^<]+)</text>', svg.group(0))
        titles = re.findall(r"<title>([^<]+)</title>", svg.group(0))
        assert counts and titles, path
        assert all(int(x) + 7 * len(text) <= width for x, text in counts), (path, counts, width)
        assert all(t.endswith(f" {unit}") and "段" not in t for t in titles), (path, titles)


WORK_REPORT_ON_2025 = """---
id: 2025-wuniannlai
title: 2026年示例市政府工作报告
agency: 兰州市人民政府
region: 甘肃省兰州市
level: 市
year: 2025
date_signed: '2026-01-20'
---

## 一、“十四五”时期和2025年工作回顾

五年来，我们自觉接受人大监督，高质量办理市人大代表议案建议1340件、市政协提案2281件。2021年以来，提请审议地方性法规13件。

2025年，办结人大代表建议288件、政协提案448件。
"""


def test_a_total_over_five_years_covers_the_five_years_up_to_the_year_reported_on(tmp_path):
    """GIVEN a work report on 2025 (given in 2026) that says 五年来 … 人大代表议案建议1340件 and
    2021年以来 … 地方性法规13件 WHEN /api/figures and the indicator's page are read over HTTP
    THEN the totals cover 2021–2025, the years up to the one reported on (they said 2020–2024:
    the year reported on was taken for the year the report was given)."""
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "2025-wuniannlai.md").write_text(WORK_REPORT_ON_2025, encoding="utf-8")
    with running_server(tmp_path / "corpus", tmp_path / "index") as base:
        status, data = get(base + "/api/figures?indicator=" + quote("人大代表建议"))
        assert status == 200
        assert sorted((f["value"], f["period"], f["period_years"]) for f in data["figures"]) == [
            (288, "", ""), (1340, "五年来", "2021–2025")]
        status, data = get(base + "/api/figures?indicator=" + quote("地方性法规"))
        assert [(f["value"], f["period_years"]) for f in data["figures"]] == [(13, "2021–2025")]
        status, page = get(base + "/figures/" + quote("人大代表建议"))
        assert "2021–2025" in page and "2020–2024" not in page

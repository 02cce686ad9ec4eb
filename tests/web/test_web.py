"""The Flask site and JSON API through the test client: contract, pages, errors."""

from __future__ import annotations

import re

import pytest

from tests.support.seeds import seed_paragraph_count

HIT_KEYS = {"id", "report_id", "title", "agency", "year", "section", "section_kind", "topics",
            "regulations", "text", "excerpt_html", "url"}
FACET_KEYS = {"agency", "year", "topic", "section_kind", "region", "level"}


def test_api_search_contract(client):
    """GIVEN the seed index WHEN /api/search?q=法律顾问 THEN the DESIGN.md shape, all five agencies."""
    r = client.get("/api/search", query_string={"q": "法律顾问", "size": 100, "match": "exact"})
    assert r.status_code == 200
    data = r.get_json()
    assert {"query", "total", "exact_total", "related_total", "match", "page", "size", "hits", "facets"} <= data.keys()
    assert data["total"] == data["exact_total"] and data["related_total"] == 0 and data["match"] == "exact"
    assert data["query"] == "法律顾问" and data["page"] == 1 and data["size"] == 100
    assert data["total"] == len(data["hits"]) > 0
    for hit in data["hits"]:
        assert HIT_KEYS <= hit.keys()
        assert "<mark>法律顾问</mark>" in hit["excerpt_html"]
        assert hit["url"] == f"/reports/{hit['report_id']}?q=%E6%B3%95%E5%BE%8B%E9%A1%BE%E9%97%AE#p{hit['ordinal']}"
    assert FACET_KEYS <= data["facets"].keys()
    assert len(data["facets"]["agency"]) == 5
    for name in ("agency", "section_kind", "year"):
        assert sum(item["count"] for item in data["facets"][name]) == data["total"]


def test_api_repeated_facet_is_or_and_facets_are_and(client):
    both = client.get("/api/search?q=法律顾问&agency=巨鹿县卫生健康局&agency=黎平县卫生健康局&size=100").get_json()
    assert {h["agency"] for h in both["hits"]} == {"巨鹿县卫生健康局", "黎平县卫生健康局"}
    one = client.get("/api/search?q=法律顾问&agency=巨鹿县卫生健康局&agency=黎平县卫生健康局&year=2025").get_json()
    assert {h["agency"] for h in one["hits"]} == {"巨鹿县卫生健康局"}
    assert one["total"] < both["total"]


def test_a_part_named_as_the_readme_shortens_it_filters_by_that_part(client):
    """GIVEN the README's short names of the parts (不足和原因, 举措和成效) WHEN a search filters by
    them THEN it filters by the part they name (存在的不足和原因, 主要举措和成效), as the full name does;
    a name that is no part's still finds nothing."""
    for short, full in (("不足和原因", "存在的不足和原因"), ("举措和成效", "主要举措和成效")):
        by_short = client.get(f"/api/search?q=法治&section_kind={short}").get_json()
        by_full = client.get(f"/api/search?q=法治&section_kind={full}").get_json()
        assert by_short["total"] == by_full["total"] > 0 and by_short["filters"] == {"section_kind": [full]}
        assert {h["section_kind"] for h in by_short["hits"]} == {full}
    assert client.get("/api/search?q=法治&section_kind=没有的部分").get_json()["total"] == 0


@pytest.mark.parametrize(
    "url, status, fragment",
    [
        ("/api/search?page=0", 400, "page"),
        ("/api/search?page=abc", 400, "page"),
        ("/api/search?size=0", 400, "size"),
        ("/api/search?size=1000000", 400, "size"),
        ("/api/search?sort=random", 400, "sort"),
        ("/api/compare?q=%E6%B3%95&by=bogus", 400, "by"),  # a walk-through's by=bogus compared by agency
        ("/api/compare?q=%E6%B3%95&by=agency", 400, "by"),
        ("/api/search?q=%EF%BC%8C%E3%80%82", 400, "query"),
        ("/api/search?q=" + "法" * 600, 400, "query"),
        ("/api/reports/no-such-report", 404, "no-such-report"),
        ("/api/reports/..%2F..%2Fetc%2Fpasswd", 404, ""),
        ("/api/nothing-here", 404, "not found"),
    ],
)
def test_api_errors_are_json(client, url, status, fragment):
    r = client.get(url)
    assert r.status_code == status
    assert r.is_json and fragment in r.get_json()["error"]


@pytest.mark.parametrize("url", ["/compare?q=%E6%B3%95&by=bogus", "/compare.csv?q=%E6%B3%95&by=agency"])
def test_compare_page_and_table_refuse_an_unknown_layout(client, url):
    """by is year or absent, on the page and in its table as in /api/compare: 400 naming it."""
    r = client.get(url)
    assert r.status_code == 400 and "by" in r.get_data(as_text=True)


def test_api_reports_and_report(client):
    reports = client.get("/api/reports").get_json()
    assert reports["total"] == 5
    assert {r["agency"] for r in reports["reports"]} == {
        "宝丰县卫生健康委员会", "黎平县卫生健康局", "天津市南开区卫生健康委员会", "巨鹿县卫生健康局", "南阳市卫生健康体育委员会"}
    rid = next(r["id"] for r in reports["reports"] if r["agency"] == "南阳市卫生健康体育委员会")
    report = client.get(f"/api/reports/{rid}").get_json()
    assert report["year"] == 2023 and report["date_signed"] == "2023-12-18"
    assert [p["ordinal"] for p in report["paragraphs"]] == list(range(1, len(report["paragraphs"]) + 1))
    assert any("《南阳市卫生健康系统落实行政执法责任制的通知》" in p["text"] for p in report["paragraphs"])


def test_api_topics(client):
    topics = client.get("/api/topics").get_json()["topics"]
    assert len(topics) == 10
    assert all({"id", "name", "paragraphs", "reports"} <= t.keys() for t in topics)
    assert next(t for t in topics if t["id"] == "执法")["reports"] == 5


def test_search_page_facets_chips_and_links(client):
    """GIVEN a query and one filter WHEN the page renders THEN the filter shows as a
    removable chip, facet links toggle values, hits link to the paragraph."""
    html = client.get("/?q=法律顾问&year=2023").get_data(as_text=True)
    assert 'value="法律顾问"' in html
    assert "报告年度：2023 ✕" in html
    assert 'href="/?q=%E6%B3%95%E5%BE%8B%E9%A1%BE%E9%97%AE"' in html  # the chip's remove link
    assert re.search(r'href="/\?q=[^"]*year=2023&amp;agency=', html)  # adding an agency keeps the year
    assert re.search(r'href="/reports/[\w-]+\?q=[^"#]+#p\d+"', html)
    assert "<mark>法律顾问</mark>" in html
    assert '<link rel="alternate" type="application/json" href="/api/search?q=' in html


def test_report_page_anchors_and_marks(client):
    rid = client.get("/api/search?q=法律顾问&size=1").get_json()["hits"][0]["report_id"]
    r = client.get(f"/reports/{rid}?q=法律顾问")
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    n = len(client.get(f"/api/reports/{rid}").get_json()["paragraphs"])
    assert all(f'id="p{i}"' in html for i in range(1, n + 1))
    assert "<mark>法律顾问</mark>" in html
    assert "<h2" in html and "<strong>" in html  # headings and bold run-in headings


def test_pages_escape_report_text_and_queries(client):
    html = client.get("/", query_string={"q": '<script>alert(1)</script> 法律'}).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_security_headers(client):
    r = client.get("/")
    assert "script-src 'self'" in r.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in r.headers["Content-Security-Policy"]
    assert r.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("url", ["/", "/reports", "/topics", "/?q=执法&sort=year&page=2", "/?topic=执法"])
def test_pages_render(client, url):
    assert client.get(url).status_code == 200


def test_html_errors_are_pages(client):
    r = client.get("/reports/nope")
    assert r.status_code == 404 and "没有这份报告" in r.get_data(as_text=True)
    r = client.get("/?page=-1")
    assert r.status_code == 400 and "页码须在 1 到" in r.get_data(as_text=True)


@pytest.mark.parametrize("url, says", [
    ("/?q=法律&page=99", "没有第 99 页：共"), ("/?page=abc", "页码须是整数，收到的是 'abc'"),
    ("/compare?q=法律顾问&page=99", "没有第 99 页：共"), ("/?q=法律&size=x", "每页条数须是整数"),
])
def test_pages_say_errors_in_chinese_alone_and_the_api_keeps_the_english_detail(client, url, says):
    """A page's message is in one language (issue 29); /api's error keeps the English as detail."""
    import re

    html = client.get(url).get_data(as_text=True)
    message = re.search(r'<p id="error-message">(.*?)</p>', html, re.S).group(1).replace("&#39;", "'")
    assert says in message and not re.search(r"[A-Za-z]{3,}", re.sub(r"'[^']*'", "", message)), message  # the value sent aside
    if url.startswith("/?"):
        data = client.get("/api/search" + url[1:]).get_json()
        assert data["error"].startswith(says.split("：")[0]) and re.search(r"[A-Za-z]{3,}", data["detail"])


def test_compare_shows_each_agency_once_with_its_best_paragraph(client):
    """GIVEN 法律顾问 WHEN /api/compare THEN all five agencies, once each, each with a
    paragraph that mentions it, and match counts that add up to the search total."""
    data = client.get("/api/compare?q=法律顾问").get_json()
    agencies = [g["agency"] for g in data["groups"]]
    assert len(agencies) == len(set(agencies)) == data["agencies"] == 5
    for g in data["groups"]:
        assert g["best"]["agency"] == g["agency"]
        assert "<mark>法律顾问</mark>" in g["best"]["excerpt_html"]
    scores = [g["best"]["score"] for g in data["groups"]]
    assert scores == sorted(scores, reverse=True)
    total = client.get("/api/search?q=法律顾问").get_json()["total"]
    assert data["total"] == total == sum(g["matches"] for g in data["groups"])
    filtered = client.get("/api/compare?q=法律顾问&year=2023").get_json()
    assert {g["best"]["year"] for g in filtered["groups"]} == {2023} and filtered["agencies"] == 3


def test_compare_page_and_errors(client):
    html = client.get("/compare?q=法律顾问").get_data(as_text=True)
    assert html.count('class="card"') == 5
    assert client.get("/compare").status_code == 200  # an empty form
    r = client.get("/api/compare")
    assert r.status_code == 400 and "q=" in r.get_json()["error"]


def test_export_csv_has_every_hit_with_a_bom(client):
    """GIVEN a search with more hits than a page WHEN exporting CSV THEN every hit is a
    row (not only the page), UTF-8 with a BOM so Excel reads the Chinese."""
    import csv
    import io

    total = client.get("/api/search?q=执法").get_json()["total"]
    assert total > 10
    r = client.get("/export.csv?q=执法&page=2")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in r.headers["Content-Disposition"]
    assert r.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(r.data.decode("utf-8-sig"))))
    assert rows[0][:2] == ["单位", "报告年度"] and len(rows) == total + 1
    ids = [row[rows[0].index("段落编号")] for row in rows[1:]]
    assert len(set(ids)) == total
    assert all(row[rows[0].index("链接")].startswith("http://localhost/reports/") for row in rows[1:])
    j = client.get("/export.json?q=执法&year=2023").get_json()
    assert j["total"] == client.get("/api/search?q=执法&year=2023").get_json()["total"] == len(j["hits"])
    assert client.get("/export.csv?q=%EF%BC%8C").status_code == 400


def test_browse_pages_agencies_and_years(client):
    agencies = client.get("/api/agencies").get_json()["agencies"]
    assert len(agencies) == 5
    julu = next(a for a in agencies if a["agency"] == "巨鹿县卫生健康局")
    assert (julu["region"], julu["level"], [r["year"] for r in julu["reports"]]) == ("河北省邢台市巨鹿县", "县", [2025])
    years = client.get("/api/years").get_json()["years"]
    assert [y["year"] for y in years] == [2025, 2024, 2023]
    assert sum(y["paragraphs"] for y in years) == seed_paragraph_count()
    assert "巨鹿县卫生健康局" in client.get("/agencies").get_data(as_text=True)
    assert 'href="/?year=2024"' in client.get("/years").get_data(as_text=True)


def test_search_page_has_charts_and_export_links(client):
    html = client.get("/?q=法律顾问&page=1").get_data(as_text=True)
    assert html.count("<svg") == 3 and "按报告年度" in html and "按主题" in html
    assert 'href="/export.csv?q=%E6%B3%95%E5%BE%8B%E9%A1%BE%E9%97%AE"' in html


def test_report_page_lists_its_regulations(client):
    html = client.get("/reports/2023-616b1600").get_data(as_text=True)
    assert '/regulations/%E4%B8%AD%E5%8D%8E%E4%BA%BA%E6%B0%91%E5%85%B1%E5%92%8C%E5%9B%BD%E8%A1%8C%E6%94%BF%E5%A4%84%E7%BD%9A%E6%B3%95' in html


def test_a_report_edited_after_indexing_asks_for_a_rebuild_instead_of_wrong_anchors(fresh_copy):
    """GIVEN a running site WHEN a report file is edited by hand without `kb build`
    THEN its page says to rebuild (its paragraph numbers no longer match the search's
    links) instead of marking the wrong paragraph; after `kb build` it is served again."""
    from kb.build import build
    from web import create_app

    corpus_dir, index_dir = fresh_copy
    client = create_app({"CORPUS_DIR": str(corpus_dir), "INDEX_DIR": str(index_dir)}).test_client()
    assert client.get("/reports/2023-fcba1866").status_code == 200
    path = corpus_dir / "2023-fcba1866.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\n\n## 一、", "\n\n新加的一段。\n\n## 一、", 1), encoding="utf-8")
    r = client.get("/api/reports/2023-fcba1866")
    assert r.status_code == 503 and "kb build" in r.get_json()["error"]
    assert client.get("/reports/2023-fcba1866").status_code == 503
    build(corpus_dir, index_dir)
    r = client.get("/api/reports/2023-fcba1866")
    assert r.status_code == 200 and [p["text"] for p in r.get_json()["paragraphs"]][1] == "新加的一段。"


def test_facets_are_trimmed_to_facet_size_with_the_chosen_ones_first(client):
    """GIVEN 5 agencies WHEN facet_size=2 THEN 2 values plus the chosen one (first), the
    total count of values said apart; facet_size=all gives every value; bad sizes are 400."""
    data = client.get("/api/search?q=执法&facet_size=2&agency=黎平县卫生健康局").get_json()
    agencies = data["facets"]["agency"]
    assert agencies[0]["value"] == "黎平县卫生健康局" and agencies[0]["selected"]
    assert len(agencies) == 3 and data["facet_totals"]["agency"] == 5
    full = client.get("/api/search?q=执法&facet_size=all").get_json()
    assert len(full["facets"]["agency"]) == full["facet_totals"]["agency"] == 5
    assert client.get("/api/search?q=执法&facet_size=0").status_code == 400
    assert client.get("/api/search?q=执法&facet_size=x").status_code == 400


def test_nothing_found_carries_suggestions_and_and_is_an_operator(client):
    data = client.get("/api/search?q=双随机一公卡").get_json()
    assert data["total"] == 0
    assert data["suggestions"]["spellings"][0] == {"term": "双随机一公卡", "instead": "双随机一公开", "paragraphs": 5}
    assert {"id": "执法/双随机", "name": "双随机一公开监管"} in data["suggestions"]["topics"]
    assert client.get("/api/search?q=双随机一公开").get_json()["exact_total"] == 5  # exact totals unchanged
    a = client.get("/api/search?q=法律顾问 AND 公职律师").get_json()
    assert a["total"] == client.get("/api/search?q=法律顾问 公职律师").get_json()["total"] > 0
    r = client.get("/api/search?q=OR")
    assert r.status_code == 400 and "OR" in r.get_json()["error"]


def test_past_the_last_page_is_a_404_and_the_page_links_back(client):
    r = client.get("/api/search?q=法律&page=99")
    assert r.status_code == 404 and "past the last page" in r.get_json()["error"]
    r = client.get("/?q=法律&page=99")
    html = r.get_data(as_text=True)
    assert r.status_code == 404 and "看最后一页" in html and "page=" in html


def test_collection_api_keeps_order_and_names_missing_ids(client):
    data = client.get("/api/collection?id=2023-fcba1866.p7&id=2023-fcba1866.p6&id=nope&id=2023-fcba1866.p7").get_json()
    assert data["ids"] == ["2023-fcba1866.p7", "2023-fcba1866.p6", "nope"]
    assert [p["id"] for p in data["paragraphs"]] == ["2023-fcba1866.p7", "2023-fcba1866.p6"]
    assert data["missing"] == ["nope"]
    assert data["paragraphs"][1]["citation"].endswith(" · 第6段")
    assert data["paragraphs"][1]["link"] == "http://localhost/reports/2023-fcba1866#p6"
    r = client.get("/api/collection?" + "&".join(f"id=x{i}" for i in range(201)))
    assert r.status_code == 400


def test_an_unbalanced_query_says_what_ran_and_offers_the_fix(client):
    """(法律顾问 OR runs as 法律顾问: the answer says so (issue 29), and the page offers that query."""
    from urllib.parse import quote

    data = client.get("/api/search?q=" + quote("(法律顾问 OR")).get_json()
    assert data["query_note"]["ran"] == "法律顾问" and data["total"] > 0
    assert any("括号" in p for p in data["query_note"]["problems"]) and any("OR" in p for p in data["query_note"]["problems"])
    html = client.get("/?q=" + quote("(法律顾问 OR")).get_data(as_text=True)
    assert 'class="also query-note"' in html and "实际检索的是 <strong>法律顾问</strong>" in html
    assert 'href="/?q=%E6%B3%95%E5%BE%8B%E9%A1%BE%E9%97%AE"' in html  # 改为检索 法律顾问
    assert "query_note" not in client.get("/api/search?q=" + quote("(复议 OR 诉讼) 案件")).get_json()


def test_the_pager_has_page_numbers_and_the_last_page(client):
    import re

    data = client.get("/api/search?q=执法&size=2").get_json()
    assert data["pages"] >= 6
    html = client.get("/?q=执法&size=2&page=3").get_data(as_text=True)
    pager = re.search(r'<nav class="pager".*?</nav>', html, re.S).group()
    numbers = re.findall(r'aria-label="第 (\d+) 页"', pager)
    assert numbers[:4] == ["1", "2", "4", "5"] and numbers[-1] == str(data["pages"])
    assert '<strong aria-current="page">3</strong>' in pager and "…" in pager
    assert re.search(rf'class="last" href="[^"]*page={data["pages"]}"', pager)


def test_browsing_without_a_query_offers_no_relevance_order(client):
    html = client.get("/?year=2023").get_data(as_text=True)
    sort = html[html.index('<p class="sort">'):]
    sort = sort[:sort.index("</p>")]
    assert "相关度" not in sort and "<strong>报告年度（新→旧）</strong>" in sort
    assert "相关度" in client.get("/?q=执法").get_data(as_text=True)


def test_a_hit_shows_its_main_topics_and_the_rest_on_demand(client):
    """A hit with many topics shows three areas at most; the rest (sub-items, more areas) open on demand."""
    import re

    data = client.get("/api/search?q=执法&size=100").get_json()
    hit = max(data["hits"], key=lambda h: len(h["topics"]))
    assert len(hit["topics"]) > 3
    page = next(p for p in range(1, 11) if any(h["id"] == hit["id"] for h in client.get(
        f"/api/search?q=执法&size=10&page={p}").get_json()["hits"]))
    html = client.get(f"/?q=执法&page={page}").get_data(as_text=True)
    item = re.search(rf'<li class="hit" id="{re.escape(hit["id"])}">.*?</li>', html, re.S).group()
    tags = re.search(r'<div class="tags">(.*?)</div>', item, re.S).group(1)
    shown, _, more = tags.partition('<details class="more-tags">')
    shown_topics = re.findall(r'<span class="tag">([^<]+)</span>', shown)
    areas = [n for t, n in zip(hit["topics"], hit["topic_names"], strict=True) if "/" not in t]
    assert shown_topics == areas[:3]
    assert sorted(shown_topics + re.findall(r'<span class="tag">([^<]+)</span>', more)) == sorted(hit["topic_names"])
    assert f"更多主题（{len(hit['topics']) - len(shown_topics)}）" in more


def test_the_compare_page_has_its_charts(client):
    html = client.get("/compare?q=法律顾问").get_data(as_text=True)
    assert '<details class="charts">' in html and html.count('class="chart-bar"') >= 3  # folded: the cards come first
    assert "按报告年度（段落数）" in html and "按单位（前 10）" in html
    assert 'class="charts"' not in client.get("/compare?q=没有这个词组合xyz").get_data(as_text=True)


def test_a_search_asked_again_answers_the_same_and_a_new_generation_answers_anew(fresh_copy):
    """GIVEN a running site WHEN the same /api/search is asked twice THEN the second answer (its body kept
    from the first: issue 30) is the first's but its own took_ms; WHEN a report is added and built THEN the
    same request answers from the new generation."""
    from kb.build import build
    from web import create_app

    corpus_dir, index_dir = fresh_copy
    client = create_app({"CORPUS_DIR": str(corpus_dir), "INDEX_DIR": str(index_dir)}).test_client()
    url = "/api/search?q=%E6%B3%95%E5%BE%8B%E9%A1%BE%E9%97%AE&size=5"  # 法律顾问
    first, again = client.get(url), client.get(url)
    assert first.status_code == again.status_code == 200 and again.mimetype == "application/json"
    took = re.compile(rb'"took_ms":[0-9.]+')
    assert took.sub(b"", first.data) == took.sub(b"", again.data) and took.search(again.data)
    assert isinstance(again.get_json()["took_ms"], float)
    (corpus_dir / "2024-testbody1.md").write_text("""---
id: 2024-testbody1
title: 示范县司法局2024年度法治政府建设情况报告
agency: 示范县司法局
region: 河南省示范市示范县
level: 县
year: 2024
---

## 一、主要举措

全面推行法律顾问制度，法律顾问全程参与合法性审查。
""", encoding="utf-8")
    build(corpus_dir, index_dir)
    after = client.get(url).get_json()
    assert after["exact_total"] == first.get_json()["exact_total"] + 1

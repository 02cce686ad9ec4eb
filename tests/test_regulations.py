"""Regulation mentions: extraction, canonical names, kinds, 文号, the index and pages."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from kb import regulations as R
from kb.errors import NotFound
from kb.search import SearchRequest


@pytest.mark.parametrize(
    "text, expected",
    [
        ("组织开展新修订《行政处罚法》学习", [("中华人民共和国行政处罚法", "法律", "新修订", "")]),
        ("《中华人民共和国行政处罚法》", [("中华人民共和国行政处罚法", "法律", "", "")]),
        ("《习近平法治思想学习纲要（2025年版）》", [("习近平法治思想学习纲要", "读物/讲话", "", "2025年版")]),
        ("《卫健法》", [("中华人民共和国基本医疗卫生与健康促进法", "法律", "", "")]),
        ("《优化营商环境条例》", [("优化营商环境条例", "行政法规", "", "")]),
        ("《河南省医疗纠纷预防与处理办法》", [("河南省医疗纠纷预防与处理办法", "地方性法规", "", "")]),
        ("《医疗美容服务管理办法》", [("医疗美容服务管理办法", "部门规章", "", "")]),
        ("《信访工作条例》", [("信访工作条例", "党内法规", "", "")]),
        ("《南阳市卫生健康系统落实行政执法责任制的通知》", [("南阳市卫生健康系统落实行政执法责任制的通知", "规范性文件", "", "")]),
    ],
)
def test_mentions_are_named_and_classified(text, expected):
    assert [(m.name, m.kind, m.prefix, m.edition) for m in R.mentions(text)] == expected


def test_widths_and_dashes_of_a_name_are_one_name():
    a = R.mentions("《南阳市法治社会建设实施方案(2021-2025年)》")[0].name
    b = R.mentions("《南阳市法治社会建设实施方案（2021—2025年）》")[0].name
    assert a == b == "南阳市法治社会建设实施方案（2021－2025年）"


def test_nested_titles_and_document_numbers():
    text = "《南阳市法治社会建设实施方案(2021-2025年)》(宛发〔2021〕24号)《〈南阳市法治社会建设实施方案(2021-2025年)〉重要举措分工方案》(宛法〔2021〕7号)"
    ms = R.mentions(text)
    assert [(m.name, m.doc_number) for m in ms] == [
        ("南阳市法治社会建设实施方案（2021－2025年）", "宛发〔2021〕24号"),
        ("〈南阳市法治社会建设实施方案（2021－2025年）〉重要举措分工方案", "宛法〔2021〕7号"),
        ("南阳市法治社会建设实施方案（2021－2025年）", ""),
    ]
    assert all(text[m.start:m.end] == m.written for m in ms)
    assert R.doc_numbers(text) == ["宛发〔2021〕24号", "宛法〔2021〕7号"]


def test_行政处罚法_has_exactly_its_two_mentions_under_one_name(kb, client):
    page = kb.regulation("中华人民共和国行政处罚法")
    assert page["mentions"] == 2 and page["kind"] == "法律"
    assert page["written"] == ["《中华人民共和国行政处罚法》", "新修订《行政处罚法》"]
    assert {(g["agency"], g["year"]) for g in page["groups"]} == {("宝丰县卫生健康委员会", 2023), ("天津市南开区卫生健康委员会", 2023)}
    assert kb.regulation("行政处罚法")["name"] == "中华人民共和国行政处罚法"  # any written form leads there
    for g in client.get(f"/api/regulations/{quote(page['name'], safe='')}").get_json()["groups"]:
        for m in g["mentions"]:
            assert "行政处罚法》</mark>" in m["excerpt_html"] and m["url"].endswith(f"#p{m['ordinal']}")


def test_the_page_broken_通知_title_of_南阳_is_extracted_whole(kb):
    page = kb.regulation("南阳市卫生健康系统落实行政执法责任制的通知")
    assert page["mentions"] == 1 and page["groups"][0]["agency"] == "南阳市卫生健康体育委员会"


def test_regulation_index_by_kind(kb):
    data = kb.regulations()
    kinds = [g["kind"] for g in data["kinds"]]
    assert kinds == [k for k in R.KINDS if k in kinds]
    laws = next(g for g in data["kinds"] if g["kind"] == "法律")["regulations"]
    by_name = {r["name"]: r for r in laws}
    assert by_name["中华人民共和国民法典"]["mentions"] == 3
    assert by_name["中华人民共和国行政处罚法"]["reports"] == 2
    assert data["total"] == sum(g["count"] for g in data["kinds"])
    with pytest.raises(NotFound):
        kb.regulation("没有这部法")


def test_regulation_facet_and_filter(kb):
    r = kb.search(SearchRequest.from_args({"regulation": ["中华人民共和国行政处罚法"]}))
    assert r["total"] == 2
    assert all("中华人民共和国行政处罚法" in h["regulations"] for h in r["hits"])
    facet = {f["value"]: f["count"] for f in kb.search(SearchRequest())["facets"]["regulation"]}
    assert facet["中华人民共和国民法典"] == 3


def test_searching_a_name_finds_every_alias(kb):
    """基本医疗卫生与健康促进法 also finds 《卫健法》 (an alias in regulations.toml)."""
    r = kb.search(SearchRequest(q="基本医疗卫生与健康促进法"))
    assert r["total"] == 1 and "卫健法" in r["hits"][0]["text"]
    assert r["hits"][0]["also_matched"] == ["卫健法"]


def test_regulation_pages_and_api(client):
    data = client.get("/api/regulations").get_json()
    assert data["total"] > 40
    r = client.get("/api/regulations/" + quote("中华人民共和国行政处罚法", safe=""))
    assert r.status_code == 200 and r.get_json()["mentions"] == 2
    assert client.get("/api/regulations/nope").status_code == 404
    html = client.get("/regulations").get_data(as_text=True)
    assert "中华人民共和国行政处罚法" in html and "党内法规" in html
    html = client.get("/regulations/" + quote("中华人民共和国行政处罚法")).get_data(as_text=True)
    assert "新修订" in html and "宝丰县卫生健康委员会 · 2023" in html

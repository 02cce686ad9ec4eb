"""Regulation mentions: extraction, canonical names, kinds, 文号, the index and pages."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from kb.core.errors import NotFound
from kb.enrich import regulations as R
from kb.search.request import SearchRequest
from tests.support import reference


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
    assert reference.doc_numbers(text) == ["宛发〔2021〕24号", "宛法〔2021〕7号"]


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
    """基本医疗卫生与健康促进法 also finds 《卫健法》 (an alias in regulations.toml), first; what
    comes after it is only close in meaning to the whole query, and says so (整体相近)."""
    r = kb.search(SearchRequest(q="基本医疗卫生与健康促进法"))
    assert r["exact_total"] == 0 and "卫健法" in r["hits"][0]["text"]
    assert r["hits"][0]["also_matched"] == ["卫健法"]
    assert all(h["matched_by"][0].startswith("整体相近：") for h in r["hits"][1:])


def test_regulation_pages_and_api(client):
    data = client.get("/api/regulations").get_json()
    assert data["total"] > 40
    r = client.get("/api/regulations/" + quote("中华人民共和国行政处罚法", safe=""))
    assert r.status_code == 200 and r.get_json()["mentions"] == 2
    assert client.get("/api/regulations/nope").status_code == 404
    html = client.get("/regulations").get_data(as_text=True)
    assert "中华人民共和国行政处罚法" in html and "党内法规" in html
    html = client.get("/regulations/" + quote("中华人民共和国行政处罚法")).get_data(as_text=True)
    assert "新修订" in html and "宝丰县卫生健康委员会 · 报告年度 2023" in html


# Titles in book-title marks that are no law, regulation or document: films, plays, songs,
# books, yearbooks, newspapers, TV programmes, lists, and bare generic words. Taken from
# the 349 real work reports of tests/realsample.py (each occurs there) before the rule was
# written.
NOT_REGULATIONS = [
    "归路", "新闻联播", "焦点访谈", "人民日报", "哪吒2", "我的阿勒泰", "山海情", "黑神话:悟空", "天工开物", "诗经",
    "现代汉语词典", "淮安年鉴", "克拉玛依年鉴（2021卷）", "甘南州扶贫开发志", "中国扶贫志", "常德通史", "苏州全书",
    "世界遗产名录", "国际重要湿地名录", "全球创新指数", "时代周刊", "1942穿越封锁线", "孙子兵法", "牡丹亭",
    "条例", "纲要", "意见", "建议", "实施纲要", "纲要（草案）", "纲要草案", "规划纲要（草案）", "若干措施", "十条措施",
    "准则", "框架协议", "政府工作报告", "办法", "通知", "暂行办法",
]
DOCUMENTS = [
    ("中共上海市委关于制定上海市国民经济和社会发展第十五个五年规划的建议", "规范性文件"),
    ("上海市国民经济和社会发展第十五个五年规划纲要（草案）", "规范性文件"),
    ("关于促进民营经济发展壮大的若干措施", "规范性文件"),
    ("全国统一大市场建设指引（试行）", "规范性文件"),
    ("县城建设管理导则", "规范性文件"),
    ("开封市农村常态化疫情防控工作指南", "规范性文件"),
    ("中国开发区审核公告目录", "规范性文件"),
    ("朔州市创新人才发展二十五条", "规范性文件"),
    ("广元市优化营商环境条例（草案）", "地方性法规"),
    ("内江市甜城湖保护条例（修订稿）", "地方性法规"),
    ("兰州市林业碳票管理办法（试行）", "地方性法规"),
    ("区域全面经济伙伴关系协定", "其他"),
    ("生物多样性公约", "其他"),
    ("中华人民共和国民营经济促进法", "法律"),
    ("优化营商环境条例", "行政法规"),
]


@pytest.mark.parametrize("title", NOT_REGULATIONS)
def test_titles_that_are_no_regulation_are_not_mentions(title):
    assert R.mentions(f"推出《{title}》等一批作品。") == []
    assert not R.is_document(title)


@pytest.mark.parametrize("title, kind", DOCUMENTS)
def test_documents_are_mentions_of_their_kind(title, kind):
    # in a national report: 制定《优化营商环境条例》 in a city's is its own (test_regulation_mentions.py)
    assert [(m.name, m.kind) for m in R.mentions(f"制定《{title}》。", national=True)] == [(R.canonical(title)[0], kind)]


def test_list_page_chart_csv_facet_and_filter_count_the_same_paragraphs(kb, client):
    """GIVEN the regulations the corpus names (in 《》 or bare: 宪法 is named bare in the seeds)
    THEN the list, the page, its chart, its CSV rows, the facet and the filter count the same
    paragraphs."""
    facet = {f["value"]: f["count"] for f in kb.search(SearchRequest(size=1))["facets"]["regulation"]}
    listed = {r["name"]: r for g in kb.regulations()["kinds"] for r in g["regulations"]}
    assert any(m.bare for r in ("中华人民共和国宪法",) for m in R.mentions("开展宪法等法治知识学习"))
    assert "中华人民共和国宪法" in listed
    for name in ["中华人民共和国宪法", "中华人民共和国民法典", "中华人民共和国行政处罚法"]:
        page = kb.regulation(name)
        paragraphs = page["paragraphs"]
        assert listed[name]["paragraphs"] == paragraphs == facet.get(name)
        assert sum(y["paragraphs"] for y in page["by_year"].values()) == paragraphs
        assert kb.search(SearchRequest.from_args({"regulation": [name]}))["total"] == paragraphs
        rows = client.get(f"/api/regulations/{quote(name, safe='')}/mentions").get_json()["mentions"]
        assert len({r["paragraph"] for r in rows}) == paragraphs and len(rows) == page["mentions"]

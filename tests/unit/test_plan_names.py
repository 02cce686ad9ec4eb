"""Named objects are matched as wholes (kb.search.plan_names, issue 26): an item whose named
object (a metro line and its phase, a bridge, an airport) the next report never names is not
delivered by the words it shares with other lines, bridges and airports; an item whose name
the next report gives, even with its kind in other words (昌景黄高铁 for 昌景黄铁路), is.
Real pairs of work reports from the real-report tarball."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.core.model import Paragraph
from kb.enrich import plans as plan_items
from kb.search import plan_names
from kb.search import plans as matcher
from tests.support.paths import TARBALL, shared
from tools import realreports

NEXT = {"成都": "政府工作报告-主要城市/成都市/2019.md", "哈尔滨": "政府工作报告-主要城市/哈尔滨市/2012.md",
        "江西": "政府工作报告-省自治区/江西省/2019.md", "甘肃": "政府工作报告-省自治区/甘肃省/2015.md"}


@pytest.fixture(scope="module")
def reports() -> dict[str, matcher.NextReport]:
    read = {name: paras for name, _, paras in realreports.read(shared(TARBALL), set(NEXT.values()))}
    out = {}
    for unit, file in NEXT.items():
        year = int(Path(file).stem) - 1
        out[unit] = matcher.NextReport(read[file], plan_items.roles(read[file], year))
    return out


def _judge(text: str, nxt: matcher.NextReport) -> matcher.Verdict:
    item = plan_items.PlanItem(text, "p.p1", 0, len(text), plan_items.item_figures(text))
    return matcher.judge(item, nxt, matcher.ConceptSimilarity())


@pytest.mark.parametrize(("unit", "item"), [
    ("成都", "开工建设地铁10号线三期、13号线一期和18号线三期"),  # the review speaks of other lines
    ("哈尔滨", "加快宣化街高架桥建设，确保“哈洽会”前建成通车"),  # … of another 高架桥
    ("江西", "开工建设吉安桐坪机场二期"),  # … of other airports
])
def test_a_named_object_the_next_report_never_names_is_not_delivered(reports, unit, item):
    v = _judge(item, reports[unit])
    assert v.verdict == matcher.NOT_MENTIONED and not v.evidence


@pytest.mark.parametrize(("unit", "item"), [
    ("甘肃", "完成兰州中川机场航站楼扩建工程，开工建设陇南成州机场"),
    ("江西", "开工建设昌景黄铁路"),  # 昌景黄高铁: the kind in other words
])
def test_a_named_object_the_next_report_names_is_delivered(reports, unit, item):
    v = _judge(item, reports[unit])
    assert v.verdict == matcher.DELIVERED and v.evidence


def test_names_are_the_rare_words_before_the_kind_of_thing_named():
    assert [n for n, _, _ in plan_names.names("开工建设地铁10号线三期、13号线一期")] == ["10号线三期", "13号线一期"]
    assert plan_names.names("加快宣化街高架桥建设")[0][:2] == ("宣化街", "桥")
    assert plan_names.names("启动珠海横琴新区建设") == (("珠海横琴", "新区", "横琴"),)
    assert plan_names.names("加快建设“万村千乡”市场工程")[0][0] == "万村千乡"
    # common words between a proper name and the kind: the name before them
    assert plan_names.names("抓好京东物流全球航空枢纽项目")[0][:2] == ("京东", "枢纽")
    # common words before the kind name no one thing: the item is matched by its words
    for text in ("续建6条地铁线路", "建设中小学、幼儿园100所", "做好“家电下乡”等工作"):
        assert plan_names.names(text) == ()


def test_a_title_of_common_words_must_stand_whole():
    """A program, a pilot, a fund named by common words (全国质量强市示范城市) is said whole or not
    at all: a review speaking of 质量 and 城市 apart does not report it."""
    names = plan_names.names("积极创建全国质量强市示范城市")
    assert names == (("质量强市示范城市", "", ""),)
    assert plan_names.found(names, "成功创建全国质量强市示范城市")
    assert not plan_names.found(names, "质量提升行动深入开展，城市品质明显提升")
    assert plan_names.names("建立巨灾保险制度") == (("巨灾保险制度", "", ""),)


def test_a_name_is_found_with_its_kind_in_its_clause():
    names = plan_names.names("开工三亚崖州湾邮轮港")
    assert plan_names.found(names, "崖州湾邮轮港开工建设") and not plan_names.found(names, "崖州湾科技城加快建设")
    assert plan_names.found(plan_names.names("启动珠海横琴新区建设"), "横琴新区正式挂牌")


def test_a_heading_names_the_list_of_projects():
    paras = [Paragraph("r.p1", "r", 1, "1、完成农村公路建设7500公里。", ["2013年为民办实事项目（共21项）"]),
             Paragraph("r.p2", "r", 2, "今年，我们将继续办好十件实事。", ["六、切实保障和改善民生"]),
             Paragraph("r.p3", "r", 3, "1、缓解交通拥堵。建成微循环道路100条。", ["六、切实保障和改善民生"]),
             Paragraph("r.p4", "r", 4, "坚持实事求是，一切从实际出发。", ["七、加强政府自身建设"])]
    assert plan_items.list_kinds(paras) == {"r.p1": "projects", "r.p2": "projects", "r.p3": "projects"}


def test_proper_names_anywhere_in_an_item():
    """GIVEN items naming a place, a company or a brand not just before a kind of thing WHEN
    their proper names are read THEN the rare names of places and persons and the names the
    reports never use are found; common words jieba tags as names, abbreviations, quoted
    slogans and the places of a route are not."""
    assert plan_names.proper("开发农村消费市场，推动海城电子商务进农村综合示范县建设") == ("海城",)
    assert "迈格钠" in plan_names.proper("发展磁动力产业，支持迈格钠打造“中国磁谷”")
    assert plan_names.proper("扎实开展东莞市加工贸易转型升级试点") == ("东莞",)
    for common in ("鼓励社会力量发展普惠托育服务", "推动青岛啤酒总产量突破千万千升大关", "实施国网送出和网架补强工程",
                   "一要加快实施国家中长期科技发展规划纲要", "开工建设萍乡至莲花、上饶至浦城等高速公路项目",
                   "实施人才“镇兴”行动"):
        assert plan_names.proper(common) == (), common


def test_an_item_whose_proper_names_the_next_report_never_says_is_not_mentioned():
    paras = [Paragraph("r.p1", "r", 1, "岫岩获批全国电子商务进农村综合示范县，直播电商交易额突破200亿元。",
                       ["2021年工作回顾"])]
    nxt = matcher.NextReport(paras, plan_items.roles(paras, 2021))
    item = plan_items.PlanItem("开发农村消费市场，推动海城电子商务进农村综合示范县建设", "p.p1", 0, 27)
    assert matcher.judge(item, nxt).verdict == matcher.NOT_MENTIONED
    nxt_said = matcher.NextReport([Paragraph("r.p1", "r", 1, paras[0].text.replace("岫岩", "海城"), ["2021年工作回顾"])],
                                  plan_items.roles(paras, 2021))
    assert matcher.judge(item, nxt_said).verdict != matcher.NOT_MENTIONED

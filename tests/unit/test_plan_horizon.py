"""How far a plan item reaches (issue 26, stop 40): the plan's year, or years beyond it
(kb.enrich.plan_horizon), and the roles of five-year parts (kb.enrich.plans): made-up paragraphs and
sentences of the kinds read in tests/data/plan_item_kinds2.toml."""

from __future__ import annotations

import pytest

from kb.core.model import Paragraph
from kb.enrich import plans as plan_items
from kb.enrich.plan_horizon import horizon
from kb.search import plans as matcher


@pytest.mark.parametrize("sentence, said", [
    ("实施一批棚户区改造试点，力争三年完成全市棚户区改造。", "力争三年"),
    ("力争到2025年，全市生产总值超1400亿元。", "到2025年"),
    ("“十四五”期间，研发经费投入年均增长15%以上。", "“十四五”期间"),
    ("全市规上工业增加值年均增长8%以上。", "年均"),
    ("深入实施国企改革三年行动，健全现代企业制度。", "实施国企改革三年行动"),
    ("为实现两年后城市优良天气天数达到340天以上创造良好条件。", "两年后"),
])
def test_a_goal_beyond_the_plans_year_says_so(sentence, said):
    assert horizon(sentence, 2021) == said


@pytest.mark.parametrize("sentence", [
    "落实好副中心老城双修与更新三年行动计划年度任务。",  # this year's part
    "启动新三年产业项目攻坚战。",  # its start
    "制定实施背街小巷环境精细化治理三年行动计划。",  # its drafting
    "完成“回天地区”三年行动计划任务。",  # its last year
    "启动新一轮三年技改行动，年内实施市级重点技改项目300个。",
    "高水平编制“十四五”规划。",  # the plan itself, not its span
    "围绕《贵阳市城市总体规划（2009—2020年）》，完善控制性详细规划。",  # a title
    "单位地区生产总值能耗较2015年下降17%。",  # a base year
    "到2021年底，建成5G基站3000个。",  # the plan's year
    "学前三年毛入园率达到80%以上。",
])
def test_the_years_part_of_a_programme_is_the_year(sentence):
    assert horizon(sentence, 2021) == ""


def test_items_carry_their_horizon_and_the_matcher_is_never_sure_of_them():
    """GIVEN a plan paragraph whose sentence sets a goal to 2025 WHEN it is split and judged against a review
    that reports the figure THEN each of its items says years (到2025年) and no verdict on it is sure."""
    found = plan_items.paragraph_items("到2025年，地区生产总值达到1100亿元，人均达到10万元。", "p.p1", plan_year=2021)
    assert [(i.horizon, i.beyond) for i in found] == [("years", "到2025年")] * 2
    assert found[0].to_dict()["horizon"] == "years"
    paras = [Paragraph("r.p1", "r", 1, "全市地区生产总值达到1120亿元，增长8%。", ["2021年工作回顾"])]
    v = matcher.judge(found[0], matcher.NextReport(paras, plan_items.roles(paras, 2021)))
    assert v.evidence and not v.sure and v.to_dict()["horizon"] == "years"
    assert plan_items.beyond_at("到2025年，地区生产总值达到1100亿元，人均达到10万元。", 16, 23, 2021) == "到2025年"
    second = "到2010年，港口年吞吐量达到2.5亿吨左右。城镇登记失业率控制在4％以内。"  # its own sentence's, not the first's
    assert plan_items.beyond_at(second, second.index("城镇"), len(second) - 1, 2006) == ""


def _paras(*rows: tuple[list[str], str, str]) -> list[Paragraph]:
    return [Paragraph(f"r.p{i}", "r", i, text, section, section_kind=kind) for i, (section, kind, text) in
            enumerate(rows, 1)]


def test_a_five_year_parts_sub_headings_are_not_the_years_plan():
    """GIVEN a five-year part (锚定新坐标——“十四五”时期主要任务) whose sub-headings say nothing, then the year's
    part WHEN the roles are read THEN only the year's part is the plan (黄山 2021: 70 items of the 十四五 were
    read as the year's)."""
    five = "锚定新坐标——“十四五”时期主要任务"
    paras = _paras(([five], "下一年度安排", "“十四五”时期，我们将抓好以下五个方面重点任务："),
                   ([five, "（一）坚持生态优先、绿色发展"], "下一年度安排", "成功创建国家生态文明建设示范市。"),
                   (["迈上新征程——全力做好2021年工作"], "下一年度安排", "新建学校15所。"))
    assert plan_items.roles(paras, 2020) == [plan_items.OTHER, plan_items.OTHER, plan_items.PLAN]
    assert [i.text for i in plan_items.items(paras, 2020)] == ["新建学校15所"]


def test_the_years_plan_inside_or_beside_a_five_year_part_stays_the_plan():
    """GIVEN a part of both (二、“十五五”时期目标任务和2026年工作安排: its five-year sub-heading, then the year's
    sub-headings), a five-year part whose paragraph opens the year (今年重点抓好以下八个方面工作：), and a heading
    of the year that opens a five-year plan (三、奋力实现“十四五”良好开局) WHEN the roles are read THEN the year's
    paragraphs are the plan."""
    both = "二、“十五五”时期目标任务和2026年工作安排"
    paras = _paras(([both, "（一）“十五五”时期必须遵循的基本原则"], "下一年度安排", "坚持党的全面领导。"),
                   ([both, "（一）聚焦优化环境，充分激发消费潜能"], "下一年度安排", "新建商业综合体3个。"))
    assert plan_items.roles(paras, 2025) == [plan_items.OTHER, plan_items.PLAN]
    five = "二、“十三五”时期经济社会发展的主要目标和任务"
    paras = _paras(([five], "下一年度安排", "“十三五”时期，将是鄂州在新的起点上加快发展的五年。"),
                   ([five], "下一年度安排", "今年重点抓好以下八个方面工作："),
                   ([five, "（一）着力调结构转方式"], "下一年度安排", "新建学校15所。"))
    assert plan_items.roles(paras, 2015)[2] == plan_items.PLAN
    assert plan_items.heading_role("三、奋力实现“十四五”良好开局", 2020) == plan_items.PLAN
    assert plan_items.heading_role("二、“十四五”时期的主要目标和任务", 2020) == plan_items.OTHER


def test_a_report_whose_only_plan_is_five_years_gives_it_marked():
    """GIVEN a term-change report whose only plan is its five years' (三、今后五年的主要任务: 上海 2003) WHEN its items
    are read THEN they are that plan's, each beyond the year."""
    five = "三、今后五年的主要任务"
    paras = _paras((["一、五年工作的回顾"], "主要举措和成效", "五年来，新建学校120所。"),
                   ([five, "（一）加快城市信息化建设"], "下一年度安排", "建成信息港主体工程。"))
    found = plan_items.items(paras, 2002)
    assert [(i.text, i.beyond) for i in found] == [("建成信息港主体工程", "五年")]

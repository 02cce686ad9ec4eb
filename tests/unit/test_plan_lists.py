"""A review that delivers a whole list at once (kb.search.plans): the items of a 民生实事 list
that nothing else reports are delivered by the statement, marked not sure."""

from __future__ import annotations

import pytest

from kb.core.model import Paragraph
from kb.enrich import plans as plan_items
from kb.search import plans as matcher

REVIEW = "2023年工作回顾"


def _next(text: str) -> matcher.NextReport:
    paras = [Paragraph(f"r.p{i}", "r", i, t, [REVIEW]) for i, t in
             enumerate([text, "我们坚持稳中求进工作总基调，经济运行总体平稳。"], 1)]
    return matcher.NextReport(paras, plan_items.roles(paras, 2023))


@pytest.mark.parametrize("statement", ["年初确定的10项23件为民实事全面完成。", "50件民生实事全部完成。",
                                       "全面完成十方面民生实事。", "年初承诺的33项民生实事全部完成。"])
def test_a_list_statement_delivers_the_items_of_the_list(statement):
    item = plan_items.PlanItem("新建改建2000个标准化村卫生室", "p.p1", 0, 14,
                               plan_items.item_figures("新建改建2000个标准化村卫生室"), "projects")
    v = matcher.judge(item, _next("省级财政下达339亿元资金，" + statement))
    assert v.verdict == matcher.DELIVERED and not v.sure and v.evidence


def test_no_list_statement_no_delivery():
    item = plan_items.PlanItem("新建改建2000个标准化村卫生室", "p.p1", 0, 14,
                               plan_items.item_figures("新建改建2000个标准化村卫生室"), "projects")
    v = matcher.judge(item, _next("民生实事项目完成投资20亿元。"))
    assert v.verdict == matcher.NOT_MENTIONED and not v.evidence


def test_the_congress_targets_all_met_deliver_a_target_not_reported():
    """GIVEN a review that says the congress's targets were all met (圆满完成了…确定的各项目标任务)
    WHEN a target it gives no figure for is judged THEN it is delivered, not sure."""
    item = plan_items.PlanItem("人口自然增长率控制在6‰以内", "p.p1", 0, 15,
                               plan_items.item_figures("人口自然增长率控制在6‰以内"), "targets")
    v = matcher.judge(item, _next("全省经济实现平稳较快增长，圆满完成了省十一届人大一次会议确定的各项目标任务。"))
    assert v.verdict == matcher.DELIVERED and not v.sure and v.evidence


def test_an_item_with_most_of_its_figures_unreported_is_partly():
    text = "全年力争新增小微企业800户、成长型企业80户、上市企业10户"
    item = plan_items.PlanItem(text, "p.p1", 0, len(text), plan_items.item_figures(text))
    v = matcher.judge(item, _next("全年新增小微企业1007户，增速居全省前列。"))
    assert v.compared and all(c["met"] for c in v.compared)
    assert v.verdict == matcher.PARTLY and not v.sure


def _item(text: str) -> plan_items.PlanItem:
    return plan_items.PlanItem(text, "p.p1", 0, len(text), plan_items.item_figures(text))


@pytest.mark.parametrize(("said", "verdict"), [
    ("地铁1号线呈贡支线投入运营，2号线二期、3号线、5号线加快建设，在建里程137公里。", matcher.PARTLY),
    ("地铁3号线主体完工，即将投入运营，5号线开工建设。", matcher.PARTLY),
    ("地铁3号线建成运营，5号线开工建设，全市轨道交通运营里程达到88公里。", matcher.DELIVERED),
])
def test_a_thing_to_be_finished_reported_only_as_moving_on_is_partly(said, verdict):
    """GIVEN an item that commits to a named thing finished (3号线基本建成) WHEN the review's
    clauses that name it say only that it moved on (加快建设, 主体完工) THEN it is partly, not sure."""
    v = matcher.judge(_item("加快地铁建设，确保3号线基本建成，开工建设5号线"), _next(said))
    assert v.verdict == verdict and v.evidence
    assert not v.sure or verdict == matcher.DELIVERED


def test_a_group_indicator_is_found_through_its_members():
    """GIVEN 主要污染物排放总量 as a target WHEN the review gives only 二氧化硫、化学需氧量 THEN those
    are compared and the target met."""
    v = matcher.judge(_item("主要污染物排放总量减少2%"),
                      _next("初步测算，二氧化硫、化学需氧量排放分别减少7.9%、4.3%，淘汰落后产能。"))
    assert v.compared and v.compared[0]["actual"] == "7.9%、4.3%"
    assert v.verdict == matcher.DELIVERED and v.evidence


@pytest.mark.parametrize("statement", [
    # completion words of another scope: a five-year plan's targets (泰安 2021, 酒泉 2016), a stage
    "过去五年，我们圆满完成了“十三五”规划主要目标，全面建成小康社会取得决定性成就。",
    "圆满完成了“十二五”规划确定的主要目标。",
    # a list not done (永州 2021)
    "主要经济指标没有达到预期，“十三五”规划未能全面完成。",
])
def test_completion_words_of_another_scope_deliver_no_target(statement):
    """GIVEN a review whose only list statement is of a five-year plan, or says the list was not done,
    WHEN a target of the year it gives no figure for is judged THEN the statement does not deliver it."""
    item = plan_items.PlanItem("人口自然增长率控制在6‰以内", "p.p1", 0, 15,
                               plan_items.item_figures("人口自然增长率控制在6‰以内"), "targets")
    v = matcher.judge(item, _next("全省经济实现平稳较快增长，" + statement))
    assert v.verdict != matcher.DELIVERED


def test_the_years_targets_said_beside_a_five_year_plans_deliver():
    """湘潭 2016: 圆满完成“十三五”规划和2016年各项目标 names the year's targets too."""
    item = plan_items.PlanItem("人口自然增长率控制在6‰以内", "p.p1", 0, 15,
                               plan_items.item_figures("人口自然增长率控制在6‰以内"), "targets")
    v = matcher.judge(item, _next("全市经济平稳增长，圆满完成“十三五”规划和2023年各项目标。"))
    assert v.verdict == matcher.DELIVERED and not v.sure

"""How firmly the evidence supports an item delivered by words alone (kb.search.plan_support), on
real sentences of the judged sets (held-out 4's 安徽 2012 → 2013, held-out 3's 恩施 2022 → 2023)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from kb.search import plan_support, plan_verdict
from kb.search import plans as matcher

ANHUI = ("（一）着力落实国家宏观调控政策，经济保持又好又快发展。持续扩大有效投入，深入实施“861”行动计划，在民生保障、"
         "战略性新兴产业、交通等基础设施方面推进了一批重点项目建设。")
ENSHI = "坚持规划刚性约束，构建“大城管”格局，启动“三年创卫、十年创文”，大力推进城市更新。"


def test_the_items_object_unsaid():
    """加强皖北基础设施建设 (judged partly) against a paragraph of 基础设施 that never says 皖北."""
    assert not plan_support.rarest_said("加强皖北基础设施建设", ANHUI)
    assert plan_support.rarest_said("启动州城“三年创卫、十年创文”行动", ENSHI)


@pytest.mark.parametrize(("item", "evidence", "passing"), [
    ("加强交通基础设施建设", ANHUI, True),  # named among 民生保障、战略性新兴产业、交通
    ("构建“大城管”格局", ENSHI, False),
])
def test_an_item_named_only_in_a_list(item, evidence, passing):
    assert plan_support.in_passing(item, evidence) is passing


def test_delivered_by_words_is_sure_only_when_firm():
    """The verdict stands; sure needs a score of FIRM or more, the object said, not in passing."""
    firm = plan_verdict.Features(best=0.7, second=0.2, figured=False, targets=0, compared=0, met=0, listed=False,
                                 evidence=True, names=0, names_said=0, unnamed_figure=False, proper_unsaid=False,
                                 moving_only=False, apart=False, length=20)
    assert plan_verdict.rules(firm) == (matcher.DELIVERED, True)
    for weak in (replace(firm, best=0.47), replace(firm, rarest_said=False), replace(firm, in_passing=True)):
        assert plan_verdict.rules(weak) == (matcher.DELIVERED, False)
    # a figure compared and met stays sure whatever the words
    met = replace(firm, figured=True, targets=1, compared=1, met=1, rarest_said=False, in_passing=True)
    assert plan_verdict.rules(met) == (matcher.DELIVERED, True)


def test_not_mentioned_with_figures_is_sure_only_well_under_the_threshold():
    """An item with figures scored under FIGURES_LOW is not mentioned; sure only under SURE_NOT, as
    an item without figures (stop 40)."""
    f = plan_verdict.Features(best=0.32, second=0.1, figured=True, targets=1, compared=0, met=0, listed=False,
                              evidence=False, names=0, names_said=0, unnamed_figure=True, proper_unsaid=False,
                              moving_only=False, apart=False, length=20)
    assert plan_verdict.rules(f) == (matcher.NOT_MENTIONED, False)
    assert plan_verdict.rules(replace(f, best=0.2)) == (matcher.NOT_MENTIONED, True)


JIANGSU_2004 = ["——国民经济持续快速增长。主要经济指标为1997年以来最好水平。全省实现生产总值12451.8亿元，比上年增长13.5%；"
                "人均生产总值突破2000美元，上了一个新台阶。",
                "增强投资、消费对经济增长的拉动力，全社会固定资产投资5335.8亿元，增长38.6%。",
                "新增高速公路301公里，通车总里程突破2000公里，密度居全国第一。"]


@pytest.mark.parametrize(("item", "said"), [
    # 江苏 2003 → 2004: what is not compared, and why, said beside the figures compared
    ("人均国内生产总值超过28000元", [("人均国内生产总值", "超过28000元", "12451.8亿元", "per_unit")]),
    ("全社会固定资产投资比上年增加500亿元左右", [("全社会固定资产投资", "500亿元左右", "5335.8亿元", "magnitude")]),
    ("今后五年，新建成高速公路1500公里", [("成高速公路", "1500公里", None, "years")]),
    # the year's own target, compared: nothing to say
    ("今年建成高速公路300公里", []),
])
def test_what_is_not_compared_is_said(item, said):
    got = plan_support.not_compared(item, JIANGSU_2004, 2003)
    assert [(c["indicator"], c["target"], c["actual"], c["why"]) for c in got] == said

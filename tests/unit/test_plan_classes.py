"""Classes of failure fixed in plan versus delivery (kb.search.plans), one test per rule: each
rule was found on the held-out sets' failures and is tested here on made-up reports."""

from __future__ import annotations

import pytest

from kb.core.model import Paragraph
from kb.enrich import plans as plan_items
from kb.search import plan_figures, plans as matcher

REVIEW = "2023年工作回顾"


def _next(*texts: str) -> matcher.NextReport:
    paras = [Paragraph(f"r.p{i}", "r", i, t, [REVIEW]) for i, t in
             enumerate([*texts, "我们坚持稳中求进工作总基调，经济运行总体平稳。"], 1)]
    return matcher.NextReport(paras, plan_items.roles(paras, 2023))


def _item(text: str) -> plan_items.PlanItem:
    return plan_items.PlanItem(text, "p.p1", 0, len(text), plan_items.item_figures(text))


@pytest.mark.parametrize("aside", [
    "在肯定成绩的同时，我们也清醒地看到存在的问题和不足：防范化解风险的任务还比较重，政府性债务管理还需加强。",
    "这是全市人民团结奋斗的结果。我代表市人民政府，向关心和支持残疾人事业的各界人士表示衷心的感谢！",
])
def test_a_paragraph_of_problems_or_thanks_reports_no_work(aside):
    """GIVEN a review whose only paragraph with the item's words says what is still wrong, or
    thanks others WHEN the item is judged THEN it is not mentioned (no evidence)."""
    v = matcher.judge(_item("继续加强政府性债务管理，关心和支持残疾人事业"), _next(aside))
    assert v.verdict == matcher.NOT_MENTIONED and not v.evidence


def test_a_paragraph_of_work_done_still_reports_it():
    v = matcher.judge(_item("继续加强政府性债务管理"), _next("加强政府性债务管理，债务风险总体可控。"))
    assert v.verdict == matcher.DELIVERED and v.evidence


@pytest.mark.parametrize(("item", "sentence", "actual"), [
    ("城镇登记失业率控制在4%以内", "全市实现城镇就业16万人，城镇登记失业率降低到2.9%。", "2.9%"),
    ("确保新增城镇就业3万人", "实施就业创业项目，新增城镇就业稳定在3.4万人。", "3.4万人"),
])
def test_a_verb_of_change_between_the_indicator_and_its_figure(item, sentence, actual):
    """GIVEN a review that puts a verb of change (降低到, 稳定在, 恢复到) between an indicator and its
    figure WHEN the item's target is compared THEN that figure is the actual one."""
    compared = plan_figures.compare(item, [sentence])
    assert compared and compared[0]["actual"] == actual and compared[0]["met"]

"""Plan versus delivery on real work reports (issue 26): classes of failure found on the judged sets
and the walk-throughs, each checked on the real report it was found in, read from
``../shared/data/gov-work-reports.tar.xz`` exactly as ``kb import`` reads it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.enrich import plans as plan_items
from kb.search import plans as matcher
from tests.support import paths
from tools import realreports

pytestmark = pytest.mark.slow

FILES = {
    "黑龙江2015": "政府工作报告-省自治区/黑龙江省/2015.md",
    "云南2023": "政府工作报告-省自治区/云南省/2023.md",
    "南京2024": "政府工作报告-主要城市/南京市/2024.md",
    "南京2025": "政府工作报告-主要城市/南京市/2025.md",
    "江苏2003": "政府工作报告-省自治区/江苏省/2003.md",
    "江苏2004": "政府工作报告-省自治区/江苏省/2004.md",
    "济南2020": "政府工作报告-主要城市/济南市/2020.md",
    "黄山2021": "政府工作报告-其他地市/黄山市/2021.md",
    "上海2003": "政府工作报告-主要城市/上海市/2003.md",
    "兰州2024": "政府工作报告-主要城市/兰州市/2024.md",
    "合肥2017": "政府工作报告-主要城市/合肥市/2017.md",
}


@pytest.fixture(scope="module")
def reports():
    read = {name: paras for name, _, paras in
            realreports.read(paths.shared(paths.TARBALL), set(FILES.values()), as_imported=True)}
    return {key: read[name] for key, name in FILES.items()}


def _year(key: str) -> int:
    return int(Path(FILES[key]).stem) - 1


@pytest.mark.parametrize(("key", "target"), [("黑龙江2015", "地区生产总值增长6%左右"),
                                             ("云南2023", "地区生产总值增长6%左右")])
def test_a_plan_under_headings_that_say_nothing_is_found(reports, key, target):
    """黑龙江 2015 (一、2014年工作回顾, then 二、大力调整产业结构…) and 云南 2023 (二、全面贯彻落实党的二十大
    精神…) had no plan paragraph: their plan was read as review, so it had no items and, as the next
    report, its promises counted as work done."""
    paras = reports[key]
    roles = plan_items.roles(paras, _year(key))
    plan = [p for p, r in zip(paras, roles, strict=True) if r == plan_items.PLAN]
    assert len(plan) >= 20
    assert any(target in it.text for it in plan_items.items(paras, _year(key)))
    assert all(r != plan_items.PLAN for p, r in zip(paras, roles, strict=True) if p.section_kind == "主要举措和成效")


def test_a_growth_said_as_an_estimate_is_compared(reports):
    """南京 2024's 地区生产总值增长5%以上 against 2025's 全市地区生产总值预计增长4.5%左右: missed, partly."""
    item = next(it for it in plan_items.items(reports["南京2024"], 2023) if it.text == "地区生产总值增长5%以上")
    nxt = matcher.NextReport(reports["南京2025"], plan_items.roles(reports["南京2025"], 2024))
    v = matcher.judge(item, nxt, matcher.default_similarity(nxt))
    assert [(c["actual"], c["met"]) for c in v.compared] == [("4.5%左右", False)]
    assert v.verdict == matcher.PARTLY and v.sure


def _real_item(paras, text: str) -> plan_items.PlanItem:
    """The item ``text`` where it stands in the real report (not through the splitter, which may cut it otherwise)."""
    p = next(p for p in paras if text in p.text)
    at = p.text.index(text)
    return plan_items.PlanItem(text, p.id, at, at + len(text), plan_items.item_figures(text))


@pytest.mark.parametrize(("text", "compared"), [
    # a per-capita target for 2010 against the year's total (12451.8亿元 was called met)
    ("到2010年，全省国内生产总值比2000年增长1.4倍左右，人均国内生产总值超过28000元", []),
    # targets for five years against one year's figures (301公里, 149万千瓦 were called missed)
    ("今后五年，新建成高速公路1500公里，高速公路通车总里程超过3200公里", []),
    ("今后五年新增电力装机容量1200万千瓦", []),
    # an increase on last year against the year's total, ten times apart (5335.8亿元 was called met)
    ("全社会固定资产投资比上年增加500亿元左右", []),
    # the year's own target is compared as before
    ("今年建成高速公路300公里", [("301公里", True)]),
])
def test_figures_of_other_dimensions_or_years_are_not_compared(reports, text, compared):
    """江苏 2003's plan against 2004's review: only figures of the same dimension and year are compared."""
    item = _real_item(reports["江苏2003"], text)
    nxt = matcher.NextReport(reports["江苏2004"], plan_items.roles(reports["江苏2004"], 2003), 2003)
    v = matcher.judge(item, nxt, matcher.default_similarity(nxt))
    assert [(c["actual"], c["met"]) for c in v.compared] == compared
def test_the_situation_is_no_plan_item(reports):
    """济南 2020 (the walk-through): 但更要看到，我国经济…基本趋势没有改变… was a plan item; the year's targets stay."""
    found = [it.text for it in plan_items.items(reports["济南2020"], 2019)]
    assert not [t for t in found if t.startswith("但更要看到")]
    assert "地区生产总值增长6.5%左右" in found


def test_a_five_year_part_is_no_part_of_the_years_plan(reports):
    """黄山 2021: 锚定新坐标——“十四五”时期主要任务 and its sub-headings were read as the year's plan (70 items);
    now only 迈上新征程——全力做好2021年工作 is, its targets found; 上海 2003, whose only plan is its five years',
    gives that plan's items, each beyond the year."""
    found = plan_items.items(reports["黄山2021"], 2020)
    assert not [it for it in found if it.text.startswith("（一）坚持生态优先")]
    assert any(it.text == "地区生产总值增长8%" for it in found)
    five = plan_items.items(reports["上海2003"], 2002)
    assert len(five) > 100 and all(it.horizon == "years" for it in five)


@pytest.mark.parametrize("key", ["兰州2024", "合肥2017"])
def test_a_heading_number_that_lost_its_bracket_starts_no_item(reports, key):
    """兰州 2024 and 合肥 2017 lost every paragraph's first character (二）全面激发… for （二）…): the import gives the
    bracket back, so no plan item begins with a bare heading number."""
    found = plan_items.items(reports[key], _year(key))
    assert found and not [it.text for it in found if it.text[:1] in "一二三四五六七八九十" and it.text[1:2] in "）)"]

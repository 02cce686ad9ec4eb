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

"""Places in time (issue 24): the gazetteer knows the units of past years, a report is placed
in the unit of the year it reports on, and a name it does not know gets ``?`` with the reason,
never a neighbour's place.

The cases (tests/data/places_history.toml) were written from the record of each change before
kb/data/places.toml; these tests check the one against the other, and the whole decider on
texts of units no gazetteer knows.
"""

from __future__ import annotations

import tomllib

import pytest

from kb.ingest import gazetteer, metadata
from kb.ingest.metadata.context import Context
from kb.ingest.metadata.resolve import resolve_agency
from kb.ingest.repair import repair
from tests.support import paths

CASES = tomllib.loads((paths.DATA / "places_history.toml").read_text(encoding="utf-8"))["case"]


@pytest.mark.parametrize("case", CASES, ids=[f"{c['name']}-{c['year']}" for c in CASES])
def test_an_agency_of_a_past_year_is_placed_in_the_unit_of_that_year(case):
    """GIVEN an agency's name and the year reported on
    WHEN it is resolved among the places of that year
    THEN it is placed in the unit of that year, and that unit's place today is known;
    or, for a name no unit of that year bears, not placed, with the reason."""
    a = resolve_agency(case["name"], Context(repair("各位代表：\n\n现在，我代表政府报告工作。\n"), year=case["year"]))
    if case.get("unknown"):
        assert a.division is None and a.doubt, a
        assert "不是" in a.doubt or "没有" in a.doubt
        return
    assert a.division is not None, a.doubt
    assert a.division.region == case["region"]
    assert (gazetteer.today(a.division.region)[0] or a.division.region) == case["today"]


def test_every_unit_of_the_past_has_its_years_and_a_place_today():
    g = gazetteer.load()
    regions = {d.region for d in g.divisions if not d.past}
    assert len(g.past) >= 120
    for region, d in g.past.items():
        lo, hi = d.years
        assert hi and (not lo or lo <= hi), region
        assert d.today in regions and d.how, region
        assert d.level in ("市", "县", "区"), region


def test_a_name_of_today_is_unknown_before_it_was_given():
    g = gazetteer.load()
    assert g.named("普洱市", 2005) == [] and g.named("思茅市", 2005)[0].today == "云南省普洱市"
    assert [d.region for d in g.named("普洱市", 2010)] == ["云南省普洱市"]
    # with no year, today's units first
    assert [d.region for d in g.named("铜仁市")] == ["贵州省铜仁市"]
    assert gazetteer.province_of("莱芜市人民政府") == "山东省"
    assert gazetteer.today("山东省济南市") == ("", "")


def _report(title: str, year_said: str, neighbour: str) -> str:
    """A work report whose own place is named only by its title, and a neighbour named often."""
    return (f"{title}\n\n——{year_said}在第五届人民代表大会第三次会议上\n\n市长 张明\n\n各位代表：\n\n"
            "现在，我代表市人民政府向大会报告工作，请予审议。\n\n"
            + f"过去一年，我们主动融入{neighbour}都市圈，与{neighbour}共建产业园区，{neighbour}至我市城际铁路开工。\n\n" * 3)


@pytest.mark.parametrize(("title", "said", "neighbour", "reason"), [
    ("青峰市政府工作报告", "2014年1月8日", "济南市", "地名表中没有 青峰市"),  # no such place
    ("莱芜市政府工作报告", "2022年1月8日", "济南市", "莱芜市 不是2021年的行政区划"),  # merged in 2019
    ("普洱市政府工作报告", "2005年1月8日", "昆明市", "普洱市 不是2004年的行政区划"),  # 思茅 until 2007
])
def test_a_place_the_gazetteer_does_not_know_is_never_a_neighbours(title, said, neighbour, reason):
    """GIVEN a work report whose title names a place no unit of its year bears, whose speaker
    says 我代表市人民政府, and whose text names a neighbouring city often
    WHEN its metadata is decided
    THEN the agency is its own name, marked ?, the region is empty and marked ?, and the note
    says why; the neighbour is named nowhere."""
    d = metadata.decide(repair(_report(title, said, neighbour)), {})
    assert d.values["agency"] == title.removesuffix("政府工作报告") + "人民政府"
    assert d.values["region"] == ""
    assert {"agency", "region"} <= d.unsure
    assert any(reason in n for n in d.notes if n.startswith("unsure region")), d.notes
    assert neighbour not in d.values["agency"] + d.values["region"]


def test_a_merged_unit_is_placed_in_its_year_and_its_place_today_is_said():
    d = metadata.decide(repair(_report("莱芜市政府工作报告", "2014年1月8日", "济南市")), {})
    assert (d.values["agency"], d.values["year"], d.values["region"], d.values["level"]) == (
        "莱芜市人民政府", 2013, "山东省莱芜市", "市")
    assert not d.unsure & {"agency", "region"}
    assert "今 山东省济南市" in d.how["region"]


def test_a_地区_reports_as_its_行政公署_in_the_unit_of_its_year():
    """GIVEN a work report of 铜仁地区 on 2009 (a 地区 until 2011) WHEN decided THEN 铜仁地区行政公署,
    in 贵州省铜仁地区 (a 市-level unit), sure; its place today is the city of 铜仁."""
    text = ("铜仁地区2010年政府工作报告\n\n——2010年1月10日在铜仁地区第三届人民代表大会第五次会议上\n\n各位代表：\n\n"
            "现在，我代表地区行政公署向大会报告工作，请予审议。\n\n2009年，全区经济平稳较快增长。\n")
    d = metadata.decide(repair(text), {})
    assert (d.values["agency"], d.values["year"], d.values["region"], d.values["level"]) == (
        "铜仁地区行政公署", 2009, "贵州省铜仁地区", "市")
    assert not d.unsure & {"agency", "region"}, d.notes
    assert gazetteer.today(d.values["region"])[0] == "贵州省铜仁市"


@pytest.mark.parametrize(("written", "full"), [
    ("中卫市市人民政府", "中卫市人民政府"),  # the real title 中卫市市政府工作报告 (2016)
    ("保山市人人民政府", "保山市人民政府"),  # the real title 保山市人政府工作报告 (2014)
    ("宝丰县县人民政府", "宝丰县人民政府"),
    ("北京市市场监督管理局", "北京市市场监督管理局"),  # 市场: no stray character
])
def test_a_stray_character_between_a_place_and_its_government_is_dropped(written, full):
    assert resolve_agency(written).name == full

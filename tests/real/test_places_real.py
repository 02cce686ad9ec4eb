"""Places in time on the real work reports of ../shared/data (issue 24): each class of unit that
changed, on real texts, and the whole data set against the reader's places
(tests/data/places_real.toml; ``python -m tools.placeeval`` prints the same with the misses).

The data set has one report of a unit that changed within its years (莱芜市, 2014); the other
classes are the real texts of units after their change (铜仁市, 襄阳市, 哈密市), imported with an
earlier year given, as a report of that year would be.
"""

from __future__ import annotations

import tarfile
import tempfile
import tomllib
from pathlib import Path

import pytest

from kb.ingest import gazetteer, importer
from tests.support import paths
from tools import placeeval

FILES = ("政府工作报告-其他地市/莱芜市/2014.md", "政府工作报告-其他地市/铜仁市/2014.md",
         "政府工作报告-其他地市/襄阳市/2014.md", "政府工作报告-其他地市/哈密市/2016.md",
         "政府工作报告-其他地市/哈密市/2020.md")


@pytest.fixture(scope="module")
def raw(tmp_path_factory) -> Path:
    tarball = paths.shared(paths.TARBALL)
    folder = tmp_path_factory.mktemp("places-real")
    with tarfile.open(tarball) as tar:
        for name in FILES:
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(tar.extractfile(tar.getmember(name)).read())
    return folder


def imported(raw: Path, name: str, tmp_path: Path, **given):
    return importer.import_file(raw / name, tmp_path, given=given, dry_run=True)


def test_a_merged_unit_is_placed_in_its_year_with_its_place_today(raw, tmp_path):
    """GIVEN 莱芜市's 2014 report (on 2013; 莱芜市 was merged into 济南市 in 2019), nothing given
    WHEN it is imported THEN it is 莱芜市人民政府 in 山东省莱芜市, sure, today 山东省济南市."""
    done = imported(raw, FILES[0], tmp_path)
    r = done.report
    assert (r.agency, r.year, r.region, r.level) == ("莱芜市人民政府", 2013, "山东省莱芜市", "市")
    assert not done.unsure & {"agency", "region"}
    assert gazetteer.today(r.region)[0] == "山东省济南市"


def test_a_unit_not_standing_in_the_year_given_is_marked_with_the_reason(raw, tmp_path):
    """GIVEN the same report said to be of 2021 WHEN imported THEN 莱芜市 is no unit of 2021:
    the agency keeps its name, no region, both ?, the reason said; 济南 is named nowhere."""
    done = imported(raw, FILES[0], tmp_path, year="2021")
    assert done.report.agency == "莱芜市人民政府" and done.report.region == ""
    assert {"agency", "region"} <= done.unsure
    assert any("莱芜市 不是2021年的行政区划 (2019年撤销" in n for n in done.notes), done.notes


def test_a_地区_upgraded_to_市_is_the_city_after_and_the_county_level_city_before(raw, tmp_path):
    """GIVEN 铜仁市's 2014 report (铜仁地区 became the city of 铜仁 in 2011) WHEN imported THEN the
    prefecture-level city; said to be of 2009, the name 铜仁市 then was the county-level city of
    铜仁地区 (碧江区 today)."""
    r = imported(raw, FILES[1], tmp_path).report
    assert (r.agency, r.region, r.level) == ("铜仁市人民政府", "贵州省铜仁市", "市")
    r = imported(raw, FILES[1], tmp_path, year="2009").report
    assert (r.region, r.level) == ("贵州省铜仁地区铜仁市", "县")
    assert gazetteer.today(r.region)[0] == "贵州省铜仁市碧江区"


def test_a_renamed_city_is_not_placed_before_its_name(raw, tmp_path):
    """GIVEN 襄阳市's 2014 report (襄樊市 until 2010) WHEN imported THEN 湖北省襄阳市; said to be of
    2008, 襄阳市 is no city yet: ? with the reason, no region."""
    assert imported(raw, FILES[2], tmp_path).report.region == "湖北省襄阳市"
    done = imported(raw, FILES[2], tmp_path, year="2008")
    assert done.report.region == "" and "region" in done.unsure
    assert any("襄阳市 不是2008年的行政区划 (2010年始称襄阳市)" in n for n in done.notes), done.notes


def test_the_county_level_city_before_an_upgrade_is_told_from_the_city_after(raw, tmp_path):
    """GIVEN 哈密市's report given in January 2016 (在哈密市九届人大: the county-level city, before
    哈密地区 became the city of 哈密) and its 2020 report (第一届人民代表大会: the new city)."""
    assert imported(raw, FILES[3], tmp_path).report.region == "新疆维吾尔自治区哈密地区哈密市"
    assert imported(raw, FILES[4], tmp_path).report.region == "新疆维吾尔自治区哈密市"


@pytest.mark.slow
def test_no_real_report_is_given_a_neighbours_place_without_a_question_mark():
    """GIVEN the 3,004 real reports and the reader's place of each (tests/data/places_real.toml)
    WHEN each is imported with nothing given (about two minutes)
    THEN none is wrong without ? (agency, region in its year, region today)."""
    tarball = paths.shared(paths.TARBALL)
    places = tomllib.loads((paths.DATA / "places_real.toml").read_text(encoding="utf-8"))
    with tarfile.open(tarball) as tar, tempfile.TemporaryDirectory() as tmp:
        tar.extractall(tmp, filter="data")
        files = sorted(Path(tmp).rglob("*.md"))
        counts, wrong = placeeval.judge(places, Path(tmp), files)
    assert sum(counts[k] for k in ("right", "right ?", "wrong ?", "wrong")) == 3004
    assert counts["region wrong"] == 0, wrong
    assert counts["wrong"] == 0, wrong

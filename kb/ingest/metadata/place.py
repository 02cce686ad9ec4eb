"""Place: the deciders of where the agency is (region) and at which level (省 / 市 / 区 / 县 / 国家).

Two of :mod:`kb.ingest.metadata`'s deciders, run after the agency's: the region and the level
are those of the agency's place in the gazetteer (a unit of the year reported on: 山东省莱芜市 in
2013, whose place today the gazetteer also knows), as sure as the agency is; an agency outside
it gets its level from the ending of its name. :func:`province_part` groups regions by province
for the index's region facet.
"""

from __future__ import annotations

import re

from kb.ingest.metadata.readings import Decision, Sources
from kb.ingest.metadata.resolve import Agency

LEVEL_SUFFIXES = (("自治区", "省"), ("省", "省"), ("自治州", "市"), ("州", "市"), ("盟", "市"),
                  ("市", "市"), ("区", "区"), ("县", "县"), ("旗", "县"), ("镇", "乡镇"), ("乡", "乡镇"))


def level_of(agency: str, region: str = "") -> str:
    """县 / 区 / 市 / 省 from the agency's or region's place name (by its last suffix)."""
    for name in (region, agency):
        if not name:
            continue
        place = re.split(r"(?:人民政府|卫生|司法|市场|生态|教育|公安|财政|交通|住房|自然|农业|水利|商务|文化|应急|审计|税务|统计|医疗|退役|民政|人力)", name)[0]
        for suffix, level in LEVEL_SUFFIXES:
            if place.endswith(suffix):
                return level
    return ""


def province_part(region: str) -> str:
    """The province-level part of a region as written (河南省平顶山市宝丰县 -> 河南省, 天津市南开区 ->
    天津市; a region that starts with none is itself): its text, not a look-up (for that, the
    gazetteer's :func:`kb.ingest.gazetteer.province_of`)."""
    m = re.match(r"^(北京市|天津市|上海市|重庆市|.+?(?:自治区|特别行政区|省))", region)
    return m.group(1) if m else region


#: What stands for the region of a national agency (国务院 and its departments: level 国家), whose
#: ``region`` is empty: where a region's province is shown (a facet, a hit, an export, a figure).
CENTRAL = "中央"


def province_shown(region: str, level: str) -> str:
    """The province a report's region is shown as (:func:`province_part`), :data:`CENTRAL` for a
    national agency's (level 国家, no region), '' when the region is not known."""
    return province_part(region) or (CENTRAL if level == "国家" and not region else "")


def region_shown(region: str, level: str) -> str:
    """A report's region as a page says it: as written, :data:`CENTRAL` for a national agency's."""
    return region or (CENTRAL if level == "国家" else "")


def decide_region(s: Sources, agency: Decision, place: Agency | None) -> Decision:
    """Where the agency is: given, else its place in the gazetteer (as sure as the agency)."""
    known = s.given.get("region") or s.file_meta.get("region")
    if known:
        return Decision(known, "given" if s.given.get("region") else "the file")
    if place is not None and place.national:
        return Decision("", "the agency")
    if place is not None and place.division is not None:
        d = place.division
        where = f"{d.name} in the gazetteer" + (f" (今 {d.today}: {d.how})" if d.past else "")
        return Decision(d.region, where, agency.certain, agency.doubt and f"as unsure as the agency ({agency.doubt})")
    return Decision("", "", False, (place.doubt if place else "") or "not found")


def decide_level(s: Sources, agency: Decision, place: Agency | None, region: Decision) -> Decision:
    """省 / 市 / 区 / 县 / 国家: given, else the agency's place, else the ending of its name."""
    known = s.given.get("level") or s.file_meta.get("level")
    if known:
        return Decision(known, "given" if s.given.get("level") else "the file")
    if place is not None and place.national:
        return Decision("国家", "the agency", agency.certain, agency.doubt)
    if place is not None and place.division is not None:
        return Decision(place.division.level, "the gazetteer", region.certain, region.doubt)
    level = level_of(agency.value or "", region.value)
    return Decision(level, "the ending of the agency's name", False, "the agency is not in the gazetteer") if level \
        else Decision("", "", False, "not found")

"""Metadata: decide a report's title, agency, year, region, level and signing date.

Runs after :mod:`kb.repair`. Every value can be given (from ``kb import`` options or a
manifest); what is not given is read from the text, and each value read rather than
given is reported in :attr:`Decided.notes` so that ``kb import`` can say what it
inferred and flag what it is unsure of.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from kb.repair import CN_NUM, Repaired

FIELDS = ("title", "agency", "year", "region", "level", "date_signed", "source")
LEVEL_SUFFIXES = (("自治区", "省"), ("省", "省"), ("自治州", "市"), ("州", "市"), ("盟", "市"),
                  ("市", "市"), ("区", "区"), ("县", "县"), ("旗", "县"), ("镇", "乡镇"), ("乡", "乡镇"))
CN_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0"}


@dataclass
class Decided:
    """The decided metadata of one report and what was inferred or is unsure."""

    values: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # "inferred …", "unsure …"


def cn_number(s: str) -> int:
    """二〇二三 -> 2023, 十二 -> 12, 18 -> 18."""
    if s.isdigit():
        return int(s)
    if all(c in CN_DIGITS for c in s):
        return int("".join(CN_DIGITS[c] for c in s))
    tens, _, ones = s.partition("十")
    if "十" in s:
        return (int(CN_DIGITS.get(tens, "1")) if tens else 1) * 10 + (int(CN_DIGITS[ones]) if ones else 0)
    return int(CN_DIGITS[s])


def parse_date(line: str) -> str:
    """'2023年12月18日' -> '2023-12-18'; '2024年1月' -> '2024-01'; '' if not a date."""
    m = re.match(rf"^([\d{CN_NUM}]{{4}})年([\d{CN_NUM}]{{1,3}})月(?:([\d{CN_NUM}]{{1,3}})日)?", line)
    if not m:
        return ""
    y, mo = cn_number(m.group(1)), cn_number(m.group(2))
    if m.group(3):
        return f"{y:04d}-{mo:02d}-{cn_number(m.group(3)):02d}"
    return f"{y:04d}-{mo:02d}"


def year_from_title(title: str) -> int | None:
    m = re.search(r"(\d{4})\s*年", title)
    return int(m.group(1)) if m else None


def year_from_opening(repaired: Repaired) -> int | None:
    """2023年，县卫健委在… -> 2023 (the first paragraph opens with the year reviewed)."""
    for block in repaired.blocks[:2]:
        m = re.match(r"^(\d{4})\s*年(?:度)?[，,、]", block.text)
        if m:
            return int(m.group(1))
    return None


def agency_from_title(title: str) -> str:
    """南开区卫生健康委2023年度法治政府建设情况报告 -> 南开区卫生健康委."""
    m = re.match(rf"^(.+?)(?:关于)?(?:\d{{4}}|[{CN_NUM}]{{4}})\s*年", title)
    agency = m.group(1) if m else ""
    return agency.removesuffix("关于").strip()


def level_of(agency: str, region: str = "") -> str:
    """县 / 区 / 市 / 省 from the agency's or region's place name."""
    for name in (region, agency):
        if not name:
            continue
        place = re.split(r"(?:人民政府|卫生|司法|市场|生态|教育|公安|财政|交通|住房|自然|农业|水利|商务|文化|应急|审计|税务|统计|医疗|退役|民政|人力)", name)[0]
        for suffix, level in LEVEL_SUFFIXES:
            if place.endswith(suffix):
                return level
    return ""


def decide(repaired: Repaired, given: dict, source: str = "") -> Decided:
    """Decide every metadata field: given values first, then what the text says."""
    d = Decided()
    v = d.values
    v["title"] = given.get("title") or repaired.title
    v["agency"] = given.get("agency") or agency_from_title(v["title"]) or (
        repaired.signature[-1] if repaired.signature else ""
    ) or (repaired.letterhead[0] if repaired.letterhead else "")
    if v["agency"] and not given.get("agency"):
        d.notes.append(f"inferred agency {v['agency']}")
    if given.get("year"):
        v["year"] = int(given["year"])
    else:
        year = year_from_title(v["title"]) or year_from_opening(repaired)
        if year:
            v["year"] = year
            d.notes.append(f"inferred year {year}")
    v["date_signed"] = given.get("date_signed") or parse_date(repaired.date_line)
    if "year" not in v and v["date_signed"]:
        v["year"] = int(v["date_signed"][:4]) - 1
        d.notes.append(f"unsure year {v['year']} (the year before the date signed)")
    v["signed_by"] = given.get("signed_by") or (repaired.signature[-1] if repaired.signature else "")
    v["region"] = given.get("region", "")
    v["level"] = given.get("level") or level_of(v["agency"], v["region"])
    v["source"] = given.get("source") or source
    if not v["title"] and v.get("agency") and v.get("year"):
        v["title"] = f"{v['agency']}{v['year']}年度法治政府建设情况报告"
        d.notes.append("inferred title (the text has none)")
    for name in ("agency", "year"):
        if not v.get(name):
            d.notes.append(f"unsure {name}: not found, give --{name}")
    return d


def report_id(agency: str, year: int, title: str) -> str:
    """A stable, URL-safe id: the year and a short hash of agency and title."""
    digest = hashlib.sha1(f"{agency}|{year}|{title}".encode()).hexdigest()[:8]
    return f"{year}-{digest}"


def province_of(region: str) -> str:
    """The province-level part of a region: 河南省平顶山市宝丰县 -> 河南省, 天津市南开区 -> 天津市."""
    m = re.match(r"^(北京市|天津市|上海市|重庆市|.+?(?:自治区|特别行政区|省))", region)
    return m.group(1) if m else region

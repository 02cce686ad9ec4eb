"""Resolve: an agency's name written in full and placed in the gazetteer.

Used by :mod:`kb.ingest.metadata`'s agency decider on every raw name a piece of evidence gives:
short forms are expanded (``kb/data/agencies.toml``: 县卫健委 -> 县卫生健康委员会), the places
the name opens with are looked up (:mod:`kb.ingest.gazetteer`; one of several places of the same
name chosen by what the text speaks of), a district prefixed with its city, a government named
by a short place name completed (长春人民政府), and a bare level (县卫健委) resolved by the places
the text names (:class:`~kb.ingest.metadata.context.Context`). Places are those of the year
reported on, when the context knows it (莱芜市 in 2013; in 2021 no such unit: the agency keeps its
name, unplaced, and the doubt says why).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kb.ingest import gazetteer
from kb.ingest.evidence import NATIONAL
from kb.ingest.gazetteer import Division
from kb.ingest.metadata.context import Context

AGENCIES = Path(__file__).parents[2] / "data" / "agencies.toml"
#: A bare level at the head of an agency's name (县卫健委) and the places it may stand for.
BARE_LEVELS = {"自治区": ("自治区",), "自治州": ("自治州",), "省": ("省", "自治区", "直辖市"),
               "市": ("地级市", "县级市", "直辖市", "自治州", "地区", "盟"), "州": ("自治州",),
               "县": ("县", "自治县"), "区": ("市辖区",), "旗": ("旗", "自治旗"), "盟": ("盟",)}
#: A name that opens with a bare level (县卫健委, not 市场监管局 or 区域…).
BARE_LEVEL = re.compile(r"^(自治区|自治州|省|市|县|区|州|旗|盟)(?=[^场民域级内外属辖直])")
#: The names of the State Council (besides 国务院…).
CENTRAL = ("中央人民政府", "中华人民共和国国务院")


@cache
def abbreviations() -> list[tuple[str, str]]:
    """(short form, full form) of agency names, longest short form first."""
    table = tomllib.loads(AGENCIES.read_text(encoding="utf-8")).get("abbreviations", {})
    return sorted(table.items(), key=lambda kv: -len(kv[0]))


def expand(agency: str) -> str:
    """县卫健委 -> 县卫生健康委员会 (the end of the name written in full)."""
    for short, full in abbreviations():
        if agency.endswith(full):
            return agency
        if agency.endswith(short):
            return agency[: -len(short)] + full
    return agency


@dataclass
class Agency:
    """An agency's name written in full, where it is, and any doubt about it."""

    name: str
    division: Division | None = None
    national: bool = False
    doubt: str = ""
    bare: str = ""  # the bare level it was written with (县 of 县卫健委), resolved through the text

    @property
    def placed(self) -> bool:
        return self.division is not None or self.national

    def key(self) -> str:
        """What two readings must share to agree: the place (or the name, if it has none)."""
        return NATIONAL if self.national else self.division.code if self.division else self.name


def resolve_agency(raw: str, context: Context | None = None) -> Agency:
    """The agency ``raw`` written in full and placed in the gazetteer."""
    name = re.sub(r"\s+", "", raw).strip("，,。:：")
    name = expand(name)
    if name.startswith(NATIONAL) or name in CENTRAL:
        return Agency(NATIONAL if name in CENTRAL else name, national=True)
    g = gazetteer.load()
    year = context.year if context is not None else None
    chain, rest, doubt = _places(name, g, context)
    if doubt:
        return Agency(name, None, doubt=doubt)
    if chain:
        return _in_place(chain, rest)
    short = _short_place(name, g, year)
    if short:  # 长春人民政府 -> 长春市人民政府
        return resolve_agency(short, context)
    m = BARE_LEVEL.match(name)
    if m and context is not None and len(name) > len(m.group(1)) + 1:
        return _bare(name, m.group(1), context)
    return Agency(name, None, doubt=unknown_place(name, g, year))


#: The place at the head of an agency's name that the gazetteer may not know (青峰市, 北岭地区).
PLACE_HEAD = re.compile(r"^(.{2,12}?(?:特别行政区|自治区|自治州|自治县|地区|省|市|县|区|盟|旗|州))")


def unknown_place(name: str, g: gazetteer.Gazetteer, year: int | None) -> str:
    """Why ``name`` is not placed: its place was not a unit in ``year`` (and what became of it),
    or the gazetteer knows no place of that name, or it names none."""
    then = g.elsewhen(name, year)
    if then:
        w, d = then[0]
        when = d.how or (f"{d.years[0]}年始称{d.name}" if d.years[0] > (year or 0) else f"止于{d.years[1]}年")
        return f"{w} 不是{year}年的行政区划 ({when})"
    m = PLACE_HEAD.match(name)
    if m:
        return f"地名表中没有 {m.group(1)} (no division of {year or 'today'} is named so)"
    return "名称中没有地名 (no place in the name)"


def _places(name: str, g: gazetteer.Gazetteer, context: Context | None) -> tuple[list[Division], str, str]:
    """(the places ``name`` opens with, outermost first; the rest of the name; the doubt, if one
    of them is the name of several places that the text does not tell apart)."""
    chain: list[Division] = []
    rest, under = name, None
    year = context.year if context is not None else None
    while rest:
        found = g.prefix(rest, under, year)
        if not found:
            break
        longest = len(found[0][0])
        options = [d for w, d in found if len(w) == longest]
        chosen = _chosen(options, context)
        if chosen is None:
            return chain, rest, f"{found[0][0]} 不止一处 ({'、'.join(d.region for d in options)}); give --region"
        chain.append(chosen)
        rest, under = rest[longest:], chosen
    return chain, rest, ""


def _chosen(options: list[Division], context: Context | None) -> Division | None:
    """The one of the places of one name that the text speaks of most (None if it does not
    tell them apart)."""
    if len(options) == 1:
        return options[0]
    ranked = sorted(options, key=lambda d: -(context.score(d) if context else 0))
    if not context or context.score(ranked[0]) == context.score(ranked[1]):
        return None
    return ranked[0]


def _in_place(chain: list[Division], rest: str) -> Agency:
    """The agency in the innermost of the places its name opens with, the places written in full."""
    d = chain[-1]
    if len(rest) == 5 and rest.endswith("人民政府") and rest[0] in (d.name[-1], "人"):
        rest = rest[1:]  # a stray character of a title (中卫市市政府, 保山市人政府): the place's government
    name = "".join(x.name for x in chain) + rest  # 伊犁州人民政府 -> 伊犁哈萨克自治州人民政府
    if d.type == "市辖区" and len(chain) == 1 and d.city is not None:
        name = d.city.name + name  # 南开区卫生健康委员会 -> 天津市南开区卫生健康委员会
    return Agency(name, d)


def _bare(name: str, level: str, context: Context) -> Agency:
    """An agency named with a bare ``level`` (县卫健委), placed where the text speaks of most."""
    types = BARE_LEVELS[level]
    ranked = sorted((d for d in context.counts() if d.type in types), key=lambda d: -context.score(d))
    if not ranked:
        return Agency(name, None, doubt=f"{level} 是哪里？(the text names no {level}); give --agency", bare=level)
    best = ranked[0]
    doubt = ""
    if len(ranked) > 1 and context.own(ranked[1]) * 2 > context.own(best):
        doubt = f"{level} 可能是 {best.name} 或 {ranked[1].name} (the text names both); give --agency"
    full = best.name + name[len(level):]
    if best.type == "市辖区" and best.city is not None:
        full = best.city.name + full
    return Agency(full, best, doubt=doubt, bare=level)


def _short_place(name: str, g: gazetteer.Gazetteer, year: int | None = None) -> str:
    """长春人民政府 -> 长春市人民政府: a government named by the short name of one province or city (of ``year``)."""
    for n in range(min(len(name), 6), 1, -1):
        found = [d for d in g.short_named(name[:n], year) if d.level in ("省", "市")]
        if len(found) == 1 and name[n:] in ("人民政府", "政府"):
            return found[0].name + "人民政府"
    return ""


def bare_level(raw: str) -> str:
    """县 of 县卫健委, 区 of 区人民政府: the bare level an agency's name opens with ('' if none)."""
    name = expand(re.sub(r"\s+", "", raw))
    if gazetteer.load().prefix(name):
        return ""
    m = BARE_LEVEL.match(name)
    return m.group(1) if m and len(name) > len(m.group(1)) + 1 else ""

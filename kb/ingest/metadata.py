"""Metadata: decide a report's title, agency, year, region, level and signing date.

Runs after :mod:`kb.ingest.repair`. Each field has one decider that weighs every piece of
evidence (:mod:`kb.ingest.evidence` reads them) and returns a :class:`Decision`: the value, where
it came from, and whether it is certain. The pieces, strongest first:

- given values (``kb import`` options, a CSV manifest) and a Markdown front matter: final;
- the title line and a web page's title, the byline of a speech (——2024年1月15日在…人民代表
  大会…上, 市长 某某): strong;
- the file name (``2023年坪山区政府工作报告.txt``; ``2024.md`` names only a year), the opening
  sentence (我代表区人民政府, 2023年，县卫健委在…), a review heading (一、2023年工作回顾), the
  signature: good;
- a site's 来源 line or name, a plan heading, the date signed: weak; the place or year the
  text names most: a guess.

A value is certain when the strong and good evidence agrees; when two readings of weight
2 or more disagree, the value with the most weight is taken, marked unsure, and the competing
readings are named. Agencies are written in full: short forms expanded
(``kb/data/agencies.toml``), a bare level resolved by the other readings or the places the text
names (我代表区人民政府 + 坪山区 in the file name -> 深圳市坪山区人民政府; 县卫健委 + 健康宝丰 ->
宝丰县卫生健康委员会), a district prefixed with its city; region and level come from where the
agency is (:mod:`kb.ingest.gazetteer`). The year is the year reported on: a work report (政府工作报告)
given in 2024 reviews 2023; a 法治政府建设 report's title year is the year it reports on.

:func:`decide` returns a :class:`Decided` with every decision, and for ``kb import`` the notes
(``inferred agency …``, ``unsure year: …``), where each value came from and which are unsure.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from kb.core.errors import ImportFailed
from kb.ingest import evidence as ev
from kb.ingest import furniture, gazetteer
from kb.ingest.evidence import NATIONAL, cn_number, find_date, parse_date  # noqa: F401  (re-exported)
from kb.ingest.gazetteer import Division
from kb.ingest.repair import Repaired
from kb.text import words

FIELDS = ("title", "agency", "year", "region", "level", "date_signed", "source")
LEVEL_SUFFIXES = (("自治区", "省"), ("省", "省"), ("自治州", "市"), ("州", "市"), ("盟", "市"),
                  ("市", "市"), ("区", "区"), ("县", "县"), ("旗", "县"), ("镇", "乡镇"), ("乡", "乡镇"))
AGENCIES = Path(__file__).parents[1] / "data" / "agencies.toml"
#: A bare level at the head of an agency's name (县卫健委) and the places it may stand for.
BARE_LEVELS = {"自治区": ("自治区",), "自治州": ("自治州",), "省": ("省", "自治区", "直辖市"),
               "市": ("地级市", "县级市", "直辖市", "自治州", "地区", "盟"), "州": ("自治州",),
               "县": ("县", "自治县"), "区": ("市辖区",), "旗": ("旗", "自治旗"), "盟": ("盟",)}
#: How much a piece of evidence weighs: given values are final, 2 or more is a reading whose
#: disagreement makes a value unsure, under 2 alone is a guess.
GIVEN, FILE_META, STRONG, GOOD, WEAK, GUESS = 9, 8, 3, 2, 1, 0.5


@dataclass
class Reading:
    """What one piece of evidence says a field is."""

    value: object
    evidence: str  # "the file name", "the title line", "我代表区人民政府 in the opening sentence" …
    weight: float


@dataclass
class Decision:
    """One field decided: its value, where it came from, whether it is certain, and why not."""

    value: object
    evidence: str = ""
    certain: bool = True
    doubt: str = ""  # why it is unsure, with the competing readings
    readings: list[Reading] = field(default_factory=list)


@dataclass
class Decided:
    """The decided metadata of one report and what was inferred or is unsure."""

    values: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # "inferred agency …", "unsure region: …"
    how: dict = field(default_factory=dict)  # field -> where its value came from
    unsure: set = field(default_factory=set)  # fields whose values are guesses
    decisions: dict = field(default_factory=dict)  # field -> Decision


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


def report_id(agency: str, year: int, title: str) -> str:
    """A stable, URL-safe id: the year and a short hash of agency and title."""
    digest = hashlib.sha1(f"{agency}|{year}|{title}".encode()).hexdigest()[:8]
    return f"{year}-{digest}"


def province_of(region: str) -> str:
    """The province-level part of a region: 河南省平顶山市宝丰县 -> 河南省, 天津市南开区 -> 天津市."""
    m = re.match(r"^(北京市|天津市|上海市|重庆市|.+?(?:自治区|特别行政区|省))", region)
    return m.group(1) if m else region


# -- agencies -------------------------------------------------------------------------------------


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


class Context:
    """The words of a report's text, to count the places it names (computed once, lazily)."""

    def __init__(self, repaired: Repaired, title: str = ""):
        self.repaired = repaired
        self.title = title
        self._counts: dict[Division, int] | None = None

    def counts(self) -> dict[Division, int]:
        if self._counts is None:
            text = "\n".join([self.title, *self.repaired.byline, *(b.text for b in self.repaired.blocks)])[:40000]
            self._counts = gazetteer.load().mentions(words.tag(text))
        return self._counts

    def own(self, d: Division) -> int:
        """How often the text names ``d`` itself."""
        return self.counts().get(d, 0)

    def score(self, d: Division) -> int:
        """How much the text speaks of ``d``: its own mentions, and those of the places above it."""
        counts = self.counts()
        return 2 * counts.get(d, 0) + sum(counts.get(p, 0) for p in d.parents)

    def most_named(self, types: tuple[str, ...]) -> Division | None:
        """The place of one of ``types`` that the text names most often."""
        ranked = sorted((d for d in self.counts() if d.type in types), key=lambda d: (-self.own(d), d.code))
        return ranked[0] if ranked else None


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


def _short_place(name: str, g: gazetteer.Gazetteer) -> str:
    """长春人民政府 -> 长春市人民政府: a government named by the short name of one province or city."""
    for n in range(min(len(name), 6), 1, -1):
        found = [d for d in g.by_short.get(name[:n], ()) if d.level in ("省", "市")]
        if len(found) == 1 and name[n:] in ("人民政府", "政府"):
            return found[0].name + "人民政府"
    return ""


def resolve_agency(raw: str, context: Context | None = None) -> Agency:
    """The agency ``raw`` written in full and placed in the gazetteer."""
    name = re.sub(r"\s+", "", raw).strip("，,。:：")
    name = expand(name)
    if name.startswith(NATIONAL) or name in ("中央人民政府", "中华人民共和国国务院"):
        return Agency(NATIONAL if name in ("中央人民政府", "中华人民共和国国务院") else name, national=True)
    g = gazetteer.load()
    chain: list[Division] = []
    rest, under, doubt = name, None, ""
    while rest:
        found = g.prefix(rest, under)
        if not found:
            break
        longest = len(found[0][0])
        options = [d for w, d in found if len(w) == longest]
        chosen = options[0]
        if len(options) > 1:
            ranked = sorted(options, key=lambda d: -(context.score(d) if context else 0))
            chosen = ranked[0]
            if not context or context.score(ranked[0]) == context.score(ranked[1]):
                doubt = f"{found[0][0]} 不止一处 ({'、'.join(d.region for d in options)}); give --region"
                return Agency(name, None, doubt=doubt)
        chain.append(chosen)
        rest, under = rest[longest:], chosen
    if not chain and under is None:
        short = _short_place(name, g)
        if short:  # 长春人民政府 -> 长春市人民政府
            return resolve_agency(short, context)
    if chain:
        d = chain[-1]
        name = "".join(x.name for x in chain) + rest  # 伊犁州人民政府 -> 伊犁哈萨克自治州人民政府
        if d.type == "市辖区" and len(chain) == 1 and d.city is not None:
            name = d.city.name + name  # 南开区卫生健康委员会 -> 天津市南开区卫生健康委员会
        return Agency(name, d)
    m = re.match(r"^(自治区|自治州|省|市|县|区|州|旗|盟)(?=[^场民域级内外属辖直])", name)
    if m and context is not None and len(name) > len(m.group(1)) + 1:
        types = BARE_LEVELS[m.group(1)]
        ranked = sorted((d for d in context.counts() if d.type in types), key=lambda d: -context.score(d))
        if ranked:
            best = ranked[0]
            if len(ranked) > 1 and context.own(ranked[1]) * 2 > context.own(best):
                doubt = f"{m.group(1)} 可能是 {best.name} 或 {ranked[1].name} (the text names both); give --agency"
            full = best.name + name[len(m.group(1)):]
            if best.type == "市辖区" and best.city is not None:
                full = best.city.name + full
            return Agency(full, best, doubt=doubt, bare=m.group(1))
        return Agency(name, None, doubt=f"{m.group(1)} 是哪里？(the text names no {m.group(1)}); give --agency",
                      bare=m.group(1))
    return Agency(name, None, doubt="" if g.prefix(name) else "名称中没有地名 (no place in the name)")




# -- the evidence of one file ---------------------------------------------------------------------


@dataclass
class Sources:
    """Everything one file says, gathered once for the deciders."""

    repaired: Repaired
    given: dict
    file_meta: dict
    file_name: str  # the file's name without its suffix
    context: Context

    def titles(self) -> list[tuple[str, str, float]]:
        """(text, where, weight) of every title: the file's own title, the title line, the file name."""
        out = []
        if self.file_meta.get("title"):
            out.append((self.file_meta["title"], "the file's title", STRONG))
        if self.repaired.title and self.repaired.title != self.file_meta.get("title"):
            out.append((self.repaired.title, "the title line", STRONG))
        if re.search(r"[\u4e00-\u9fff]{2}", self.file_name):
            out.append((self.file_name, "the file name", GOOD))
        return out


def weigh(readings: list[Reading], key=lambda r: r.value) -> tuple[list[Reading], list[list[Reading]], str]:
    """(the readings of the value with the most weight, the competing groups, doubt): a value is
    unsure when a competing reading weighs 2 or more, or when all its own readings together weigh
    less than 2 (a guess)."""
    groups: dict = {}
    for r in readings:
        groups.setdefault(key(r), []).append(r)
    ranked = sorted(groups.values(), key=lambda g: (sum(r.weight for r in g), max(r.weight for r in g)), reverse=True)
    best, rest = ranked[0], [g for g in ranked[1:] if max(r.weight for r in g) >= GOOD]
    if rest:
        doubt = "the evidence disagrees: " + "; ".join(
            f"{g[0].value} ({', '.join(r.evidence for r in g)})" for g in [best, *rest])
    elif sum(r.weight for r in best) < GOOD:
        doubt = f"a guess from {best[0].evidence}"
    else:
        doubt = ""
    return sorted(best, key=lambda r: -r.weight), rest, doubt


def decide_genre(s: Sources) -> str:
    """'work' for a government work report (政府工作报告), else 'rule' (法治政府建设 and the like)."""
    return "work" if ev.is_work_report(s.repaired, [t for t, _, _ in s.titles()]) else "rule"


def decide_title(s: Sources) -> Decision | None:
    """The given title, the file's, the title line, else a file name that is a report's title."""
    for value, where in ((s.given.get("title"), "given"), (s.file_meta.get("title"), "the file"),
                         (s.repaired.title, "the title line")):
        if value:
            return Decision(re.sub(r"(?<=[\d\u4e00-\u9fff])\s+(?=[\d\u4e00-\u9fff])", "", value), where)
    if "报告" in s.file_name and re.search(r"[\u4e00-\u9fff]{4}", s.file_name):
        return Decision(s.file_name.strip(), "the file name")
    return None


def agency_readings(s: Sources, genre: str) -> list[tuple[str, str, float]]:
    """(raw agency, where, weight) of every piece of evidence that names one."""
    r = s.repaired
    out = [(ev.title_agency(text), where, w) for text, where, w in s.titles()]
    if genre == "work":
        lead = [s.repaired.title, s.file_meta.get("title", ""), *(b.text[:100] for b in r.blocks[:2])]
        out += [(ev.speaker_agency(r.byline) or ev.speaker_agency(r.letterhead), "the speaker line", STRONG),
                (ev.delivered_place(r.byline), "the byline", STRONG),
                (ev.delivered_place(lead), "where it was given", GOOD), (ev.on_behalf(r), "the opening sentence", GOOD)]
    out += [(ev.opening_subject(r), "the opening sentence", GOOD),
            (r.signature[-1] if r.signature else "", "the signature", GOOD),
            (r.letterhead[0] if r.letterhead else "", "the letterhead", WEAK),
            (furniture.source_agency([*r.furniture, s.file_meta.get("site", "")]), "the site's 来源 line or name", WEAK)]
    out = [(raw, where, w) for raw, where, w in out if raw and not ev.PARTY.match(raw) and "报告" not in raw
           and len(raw) <= 30 and not re.search(r"[，,。；;：:、！!？?“”]|^(?:我|现在|今年|过去)", raw)
           and re.sub(rf"(?:人民|本届)?{ev.ORG_END}$", "", raw)]  # 我代表政府: no agency named
    if genre == "work":  # 合肥市2025年政府工作报告: the place's government
        out = [(raw if re.search(ev.ORG_END + "$", raw) or raw == NATIONAL else raw + "人民政府", where, w)
               for raw, where, w in out]
    return out


def bare_level(raw: str) -> str:
    """县 of 县卫健委, 区 of 区人民政府: the bare level an agency's name opens with ('' if none)."""
    name = expand(re.sub(r"\s+", "", raw))
    if gazetteer.load().prefix(name):
        return ""
    m = re.match(r"^(自治区|自治州|省|市|县|区|州|旗|盟)(?=[^场民域级内外属辖直])", name)
    return m.group(1) if m and len(name) > len(m.group(1)) + 1 else ""


def _placed_readings(s: Sources, genre: str) -> list[tuple[Agency, Reading]]:
    """Each reading resolved to a place; a bare level (区人民政府) takes the place of a named
    reading of its level (坪山区 in the file name), else the place the text names (counted
    only then: tagging the text's words is the slow part)."""
    named: list[tuple[Agency, Reading]] = []
    bare: list[tuple[str, str, Reading]] = []
    for raw, where, w in agency_readings(s, genre):
        if bare_level(raw):
            bare.append((raw, bare_level(raw), Reading(raw, f"{raw} in {where}", w)))
            continue
        a = resolve_agency(raw, s.context)
        if a.division is not None and a.name.endswith(a.division.name):  # 深圳市龙华区: its government
            a = resolve_agency(raw + "人民政府", s.context)
        w = w if a.placed else w / 2  # a name with no place in it is weaker evidence
        named.append((a, Reading(a.name, where if raw == a.name else f"{raw} in {where}", w)))
    out = list(named)
    for raw, level, reading in bare:
        rest = expand(re.sub(r"\s+", "", raw))[len(level):]
        match = next((a for a, _ in named if a.division and a.division.type in BARE_LEVELS[level]
                      and a.name.endswith(rest)), None)
        a = match or resolve_agency(raw, s.context)
        out.append((a, Reading(a.name, reading.evidence, reading.weight)))
    if genre == "work" and not any(a.placed for a, _ in out):
        most = s.context.most_named(("省", "自治区", "直辖市", "地级市", "自治州", "地区", "盟"))
        if most:  # a work report names its province or city more than any other
            a = resolve_agency(most.name + "人民政府", s.context)
            out.append((a, Reading(a.name, "the place the text names most", GUESS)))
    return out


def decide_agency(s: Sources, genre: str) -> tuple[Decision, Agency | None]:
    """The agency: given, else the place most evidence names (with its name as the strongest
    reading writes it)."""
    given = s.given.get("agency") or s.file_meta.get("agency")
    if given:
        place = resolve_agency(given, s.context)
        return Decision(place.name, "given" if s.given.get("agency") else "the file"), place
    placed = _placed_readings(s, genre)
    if not placed:
        return Decision(None, certain=False, doubt="not found"), None
    by_reading = {id(r): a for a, r in placed}
    best, _, doubt = weigh([r for _, r in placed], key=lambda r: by_reading[id(r)].key())
    a = by_reading[id(best[0])]
    doubt = doubt or a.doubt
    return Decision(a.name, best[0].evidence, not doubt, doubt, [r for _, r in placed]), a


def _reported(date: str, work: bool) -> int:
    """The year reported on, from the date a work report was given (it reviews the year
    before, unless given late in the year) or a report was signed (early next year, or late
    in the year it reports on)."""
    y, m = int(date[:4]), int(date[5:7])
    return (y - 1 if m <= 9 else y) if work else (y if m >= 10 else y - 1)


def year_readings(s: Sources, genre: str) -> list[Reading]:
    """Every piece of evidence of the year reported on."""
    r, work, out = s.repaired, genre == "work", []
    for text, where, w in s.titles():
        date = ev.title_date(text)
        year = ev.year_in(text)
        if date and work:
            out.append(Reading(_reported(date, True), f"{where}: given on {date}, it reviews the year before", w))
        elif year:
            out.append(Reading(year - 1 if work else year, f"{where} ({year}年" + ("，the year it was given: it reviews "
                               "the year before)" if work else ")"), w))
    year = ev.bare_year(s.file_name)
    if year:  # a file name alone may say either year: weak
        out.append(Reading(year - 1 if work else year, f"the file name ({year}" + (": the year it was given)" if work else ")"), WEAK))
    if work:
        date = ev.delivered_date(r, [])
        if date:
            out.append(Reading(_reported(date, True), f"given on {date}: it reviews the year before", STRONG))
        for (year, text), shift, how, w in ((ev.review_year(r), 0, "the review of the year", STRONG),
                                            (ev.plan_year(r), 1, "the plan for the year after", WEAK)):
            if year:
                out.append(Reading(year - shift, f"{how} ({text}…)", w))
    else:
        if ev.opening_year(r):
            out.append(Reading(ev.opening_year(r), "the opening sentence", GOOD))
        if parse_date(r.date_line):
            out.append(Reading(_reported(parse_date(r.date_line), False), f"signed {parse_date(r.date_line)}", WEAK))
    if not out and ev.most_mentioned_year(r):
        out.append(Reading(ev.most_mentioned_year(r), "the year the text names most often", GUESS))
    return out


def decide_year(s: Sources, genre: str) -> Decision:
    """The year reported on: given, else the year most evidence points to."""
    given = s.given.get("year") or s.file_meta.get("year")
    if given:
        m = re.fullmatch(r"\s*(\d{4})\s*(?:年|年度)?\s*", str(given))
        if not m:
            raise ImportFailed(f"年度写法有误：{given} (the year must be like 2024)")
        return Decision(int(m.group(1)), "given" if s.given.get("year") else "the file")
    readings = year_readings(s, genre)
    if not readings:
        return Decision(None, certain=False, doubt="not found")
    best, _, doubt = weigh(readings)
    return Decision(best[0].value, best[0].evidence, not doubt, doubt, readings)


def decide_region(s: Sources, agency: Decision, place: Agency | None) -> Decision:
    """Where the agency is: given, else its place in the gazetteer (as sure as the agency)."""
    known = s.given.get("region") or s.file_meta.get("region")
    if known:
        return Decision(known, "given" if s.given.get("region") else "the file")
    if place is not None and place.national:
        return Decision("", "the agency")
    if place is not None and place.division is not None:
        return Decision(place.division.region, f"{place.division.name} in the gazetteer", agency.certain,
                        agency.doubt and f"as unsure as the agency ({agency.doubt})")
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


def decide_dates(s: Sources, genre: str, title: str) -> tuple[Decision, Decision]:
    """(date signed, signed by): given, else the date and signature at the end, else, for a
    speech, the date it was given and its speaker."""
    r = s.repaired
    date = s.given.get("date_signed") or s.file_meta.get("date_signed")
    if date:
        signed = Decision(date, "given")
    elif parse_date(r.date_line):
        signed = Decision(parse_date(r.date_line), "the date at the end")
    else:
        given_on = ev.delivered_date(r, [title]) if genre == "work" else ""
        signed = Decision(given_on, "the date it was given" if given_on else "")
    by = s.given.get("signed_by") or (r.signature[-1] if r.signature else "") or \
        (ev.speaker_name(r.byline) if genre == "work" else "")
    return signed, Decision(by, "the signature" if by else "")


def made_title(genre: str, agency: str, year: int) -> str:
    if genre == "work":
        return "政府工作报告" if agency == NATIONAL else re.sub(r"人民政府$", "", agency) + "政府工作报告"
    return f"{agency}{year}年度法治政府建设情况报告"


# -- deciding -------------------------------------------------------------------------------------


def decide(repaired: Repaired, given: dict, source: str = "", file_meta: dict | None = None,
           file_name: str = "") -> Decided:
    """Decide every field, each by its own decider, and say what was inferred and what is unsure."""
    file_meta = file_meta or {}
    title = decide_title(Sources(repaired, given, file_meta, file_name, Context(repaired)))
    s = Sources(repaired, given, file_meta, file_name, Context(repaired, title.value if title else ""))
    genre = decide_genre(s)
    agency, place = decide_agency(s, genre)
    year = decide_year(s, genre)
    region = decide_region(s, agency, place)
    level = decide_level(s, agency, place, region)
    signed, by = decide_dates(s, genre, title.value if title else "")
    if title is None and agency.value and year.value:
        title = Decision(made_title(genre, agency.value, year.value), "made")
    decisions = {"title": title or Decision("", "", False, "not found"), "agency": agency, "year": year,
                 "region": region, "level": level, "date_signed": signed, "signed_by": by,
                 "source": Decision(given.get("source") or file_meta.get("source") or source, "given")}
    return explain(decisions)


def explain(decisions: dict[str, Decision]) -> Decided:
    """The decisions as values, notes (``inferred agency …``, ``unsure year: …``), where each
    value came from and which are unsure."""
    d = Decided(decisions=decisions)
    for name, dec in decisions.items():
        d.values[name] = dec.value if dec.value is not None else ""
        if dec.evidence:
            d.how[name] = dec.evidence
        inferred = dec.evidence not in ("", "given", "the file", "the gazetteer", "the agency")
        if name in ("agency", "year", "region") and dec.value and inferred:
            d.notes.append(f"inferred {name} {dec.value}")
        elif name == "title" and dec.evidence == "made":
            d.notes.append("inferred title (the text has none)")
        if not dec.certain and name in ("agency", "year", "region", "level"):
            d.unsure.add(name)
            hint = f"; give --{name}" if name != "level" else ""
            d.notes.append(f"unsure {name}: {dec.doubt}{hint}")
    return d

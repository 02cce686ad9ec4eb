"""Metadata: decide a report's title, agency, year, region, level and signing date.

Runs after :mod:`kb.repair`. Every value can be given (``kb import`` options or a CSV
manifest); then comes what the file itself says (a Markdown front matter, a web page's
title); what is still missing is read from the text:

- the title: the title line, else one made from agency and year;
- the agency: from the title (南开区卫生健康委2023年度…报告), the byline of a speech
  (河南省人民政府省长 某某), the opening sentence (2023年，县卫健委在…; 我代表省人民政府),
  the signature or the letterhead; then written in full: short forms expanded
  (``kb/data/agencies.toml``), a bare level resolved through the places the text names
  (县卫健委 + 健康宝丰 -> 宝丰县卫生健康委员会), a district prefixed with its city
  (南开区… -> 天津市南开区…);
- region and level: where the agency's place is in the gazetteer (:mod:`kb.gazetteer`);
- the year reported on: 2023年度…报告 -> 2023; a government work report (政府工作报告)
  given in 2024 reviews 2023 (its 2023年工作回顾, its date, its title say so);
- the date signed: the date at the end, else the date the speech was given.

Each value read rather than given is reported in :attr:`Decided.notes`, with where it
came from in :attr:`Decided.how`; values that are guesses are in :attr:`Decided.unsure`,
so that ``kb import`` can say what it inferred and flag what it is unsure of.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from kb import gazetteer, words
from kb.errors import ImportFailed
from kb.gazetteer import Division
from kb.repair import CN_NUM, DATE, Repaired

FIELDS = ("title", "agency", "year", "region", "level", "date_signed", "source")
LEVEL_SUFFIXES = (("自治区", "省"), ("省", "省"), ("自治州", "市"), ("州", "市"), ("盟", "市"),
                  ("市", "市"), ("区", "区"), ("县", "县"), ("旗", "县"), ("镇", "乡镇"), ("乡", "乡镇"))
CN_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0", "○": "0", "Ｏ": "0", "O": "0"}
AGENCIES = Path(__file__).parent / "data" / "agencies.toml"

YEAR = rf"(?:\d{{4}}|[{CN_NUM}○]{{4}})"
NATIONAL = "国务院"
#: A bare level at the head of an agency's name (县卫健委) and the places it may stand for.
BARE_LEVELS = {"自治区": ("自治区",), "自治州": ("自治州",), "省": ("省", "自治区", "直辖市"),
               "市": ("地级市", "县级市", "直辖市", "自治州", "地区", "盟"), "州": ("自治州",),
               "县": ("县", "自治县"), "区": ("市辖区",), "旗": ("旗", "自治旗"), "盟": ("盟",)}
ORG_END = r"(?:委员会|人民政府|政府|办公室|局|委|厅|办|院|中心|署|支队|大队)"
PARTY = re.compile(r"^(?:[省市县区州]|自治区|自治州)?(?:委|党委|党组|人大|政协|纪委)")
SPEECH_TITLES = r"(?:总理|省长|市长|主席|州长|县长|区长|盟长|专员|旗长)"


@dataclass
class Decided:
    """The decided metadata of one report and what was inferred or is unsure."""

    values: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # "inferred agency …", "unsure region: …"
    how: dict = field(default_factory=dict)  # field -> where its value came from
    unsure: set = field(default_factory=set)  # fields whose values are guesses


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
    m = re.match(rf"^([\d{CN_NUM}○]{{4}})年([\d{CN_NUM}]{{1,3}})月(?:([\d{CN_NUM}]{{1,3}})日)?", line)
    if not m:
        return ""
    try:
        y, mo = cn_number(m.group(1)), cn_number(m.group(2))
        if m.group(3):
            return f"{y:04d}-{mo:02d}-{cn_number(m.group(3)):02d}"
    except (KeyError, ValueError):
        return ""
    return f"{y:04d}-{mo:02d}"


def find_date(text: str) -> str:
    """The first full date written anywhere in ``text``, as ISO ('' if none)."""
    m = re.search(DATE, text)
    return parse_date(re.sub(r"\s+", "", m.group(0))) if m else ""


def year_from_title(title: str) -> int | None:
    m = re.search(rf"({YEAR})\s*年", title)
    if not m:
        return None
    try:
        return cn_number(m.group(1))
    except (KeyError, ValueError):
        return None


def year_from_opening(repaired: Repaired) -> int | None:
    """2023年，县卫健委在… -> 2023 (the first paragraph opens with the year reviewed)."""
    for block in repaired.blocks[:2]:
        m = re.match(r"^(\d{4})\s*年(?:度)?[，,、]", block.text)
        if m:
            return int(m.group(1))
    return None


def agency_from_title(title: str) -> str:
    """南开区卫生健康委2023年度法治政府建设情况报告 -> 南开区卫生健康委."""
    m = re.match(rf"^(.+?)(?:关于)?{YEAR}\s*年", title)
    agency = m.group(1) if m else ""
    return agency.removesuffix("关于").strip()


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
    if chain:
        d = chain[-1]
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
            return Agency(full, best, doubt=doubt)
        return Agency(name, None, doubt=f"{m.group(1)} 是哪里？(the text names no {m.group(1)}); give --agency")
    return Agency(name, None, doubt="" if g.prefix(name) else "名称中没有地名 (no place in the name)")


def _opening_subject(text: str) -> str:
    """The agency that is the subject of an opening sentence: 2023年，在县委…领导下，
    黎平县卫生健康局以… -> 黎平县卫生健康局; 我代表省人民政府 -> 省人民政府."""
    s = re.sub(r"^(?:\d{4}|过去的?一)\s*年(?:度|来|以来)?[，,、]?\s*", "", text[:300])
    for _ in range(3):
        s = re.sub(r"^(?:以及)?在[^，,。]*?(?:领导|指导|支持|关心|帮助|监督|部署)[^，,。]*?下[，,]\s*", "", s)
    m = re.match(rf"^(.{{2,24}}?{ORG_END})(?=[在以坚认深全紧围按积持进高立切着始不扎严主，,])", s)
    if m and not PARTY.match(m.group(1)):
        return m.group(1)
    return ""


def _on_behalf(repaired: Repaired) -> str:
    """我代表省人民政府 / 我代表北京市人民政府 / 我代表国务院, in the first paragraphs."""
    for b in repaired.blocks[:4]:
        m = re.search(r"我代表(?:本届)?(.{0,20}?(?:人民政府|政府|国务院|革命委员会))", b.text[:300])
        if m:
            return re.sub(r"第[一二三四五六七八九十\d]+届", "", m.group(1))
    return ""


def _speaker_agency(byline: list[str]) -> str:
    """河南省人民政府省长 谢伏瞻 -> 河南省人民政府; 北京市市长 郭金龙 -> 北京市人民政府; 国务院总理 李强 -> 国务院."""
    for line in byline:
        m = re.match(rf"^(.*?)(?:代理|代)?{SPEECH_TITLES}", re.sub(r"\s+", "", line))
        if not m:
            continue
        org = re.sub(r"^.*[、，,]", "", m.group(1))
        org = re.sub(r"(?:党组|党委|市委|省委|区委|县委|州委)?副?书记$", "", org)
        if NATIONAL in org or "总理" in line:
            return NATIONAL
        if org:
            return org if org.endswith(("政府", "人民政府")) else org + "人民政府"
        title = re.search(SPEECH_TITLES, line).group(0)
        return {"省长": "省", "市长": "市", "主席": "自治区", "州长": "州", "县长": "县", "区长": "区",
                "盟长": "盟", "旗长": "旗"}.get(title, "") + "人民政府"
    return ""


def _delivered_place(byline: list[str]) -> str:
    """——…在河南省第十二届人民代表大会…上 -> 河南省人民政府; 全国人民代表大会 -> 国务院."""
    for line in byline:
        if "全国人民代表大会" in line:
            return NATIONAL
        m = re.search(r"在(.{1,20}?)第[一二三四五六七八九十\d]+届", line)
        if m:
            return m.group(1) + "人民政府"
    return ""


def _work_title_place(title: str) -> str:
    """襄阳市政府工作报告 （2014年1月5日 别必雄） -> 襄阳市人民政府."""
    m = re.search(rf"(?:{YEAR}年)?([^\d年（(]{{2,20}}?)(?:人民)?政府工作报告", title)
    return m.group(1) + "人民政府" if m else ""


def is_work_report(repaired: Repaired, title: str) -> bool:
    """A government's report to its people's congress (政府工作报告, also a plan's report
    given there): its title says so, or it was given at a congress, or it opens 各位代表."""
    if "政府工作报告" in title or re.search(r"人民政府.*工作报告", title):
        return True
    if any("代表大会" in line for line in repaired.byline) or re.search(r"代表大会.{0,12}上", title):
        return True
    opening = " ".join(b.text for b in repaired.blocks[:3])[:600]
    return "各位代表" in opening and bool(re.search(r"报告|审议", opening))


# -- years ------------------------------------------------------------------------------------------


def _delivered(repaired: Repaired, title: str) -> str:
    """The date a speech was given, from its byline or its title (ISO, '' if none)."""
    for line in repaired.byline:
        date = find_date(line)
        if date:
            return date
    m = re.search(rf"[（(]\s*({DATE})", title)
    if m:
        return parse_date(re.sub(r"\s+", "", m.group(1)))
    for line in [title, repaired.title, *(b.text for b in repaired.blocks[:3])]:
        if len(line) <= 100 and re.search(r"代表大会.{0,12}上", line):  # 政府工作报告（2013年1月26日在…会议上 …）
            date = find_date(line)
            if date:
                return date
    return ""


def _work_report_year(repaired: Repaired, title: str) -> tuple[int | None, str]:
    """(year reported on, how) of a government work report."""
    for b in repaired.blocks[:60]:
        text = b.lead or b.text if b.kind == "para" else b.text
        m = re.search(rf"({YEAR})\s*年(?!以来)", text[:40])
        if m and re.search("回顾|成就|成效", text[:40]) and (b.kind == "heading" or b.lead or len(b.text) <= 40):
            return cn_number(m.group(1)), f"the review of the year ({text[:20]}…)"
    delivered = _delivered(repaired, title)
    if delivered:
        y, mo = int(delivered[:4]), int(delivered[5:7])
        return (y - 1 if mo <= 9 else y), f"given on {delivered}: it reviews the year before"
    year = year_from_title(title)
    if year:
        return year - 1, "the title's year, the year it was given: it reviews the year before"
    for b in repaired.blocks[:80]:
        if b.kind == "heading":
            m = re.search(rf"({YEAR})\s*年.{{0,12}}(?:安排|要求|任务|目标|工作)", b.text)
            if m:
                return cn_number(m.group(1)) - 1, f"the plan for the year ({b.text[:20]}…) follows the year reviewed"
    for b in repaired.blocks[:8]:
        m = re.match(rf"^({YEAR})\s*年(?:是|，|,)", b.text)
        if m:
            return cn_number(m.group(1)), "the opening paragraph"
    return None, ""


def most_mentioned_year(repaired: Repaired) -> int | None:
    """The year the text names most often (a last guess)."""
    counts: dict[int, int] = {}
    for b in repaired.blocks[:40]:
        for m in re.finditer(rf"(?<![\d{CN_NUM}○])((?:19|20)\d\d|[一二][九〇○零][{CN_NUM}○]{{2}})\s*年", b.text):
            year = cn_number(m.group(1))
            counts[year] = counts.get(year, 0) + 1
    return max(counts, key=lambda y: (counts[y], y), default=None)


# -- deciding ---------------------------------------------------------------------------------------


def decide(repaired: Repaired, given: dict, source: str = "", file_meta: dict | None = None) -> Decided:
    """Decide every metadata field: given values first, then what the file says, then the text."""
    d = Decided()
    v = d.values
    file_meta = file_meta or {}

    def note(name: str, value, how: str, unsure: str = "") -> None:
        d.how[name] = how
        d.notes.append(f"inferred {name} {value}")
        if unsure:
            d.unsure.add(name)
            d.notes.append(f"unsure {name}: {unsure}")

    def known(name: str):
        if given.get(name):
            d.how[name] = "given"
            return given[name]
        if file_meta.get(name):
            d.how[name] = "file"
            return file_meta[name]
        return None

    v["title"] = re.sub(r"(?<=[\d\u4e00-\u9fff])\s+(?=[\d\u4e00-\u9fff])", "", known("title") or repaired.title)
    if v["title"] and "title" not in d.how:
        d.how["title"] = "text"
    work = is_work_report(repaired, v["title"])
    context = Context(repaired, v["title"])

    # agency
    place: Agency | None = None
    agency = known("agency")
    if agency:
        place = resolve_agency(agency, context)
    else:
        candidates = []
        if work:
            candidates += [(_work_title_place(v["title"]), "the title"), (_speaker_agency(repaired.byline), "the byline"),
                           (_on_behalf(repaired), "the opening sentence"),
                           (_delivered_place([*repaired.byline, v["title"], repaired.title,
                                              *(b.text[:100] for b in repaired.blocks[:2])]), "where it was given")]
        candidates += [(agency_from_title(v["title"]), "the title"),
                       (_opening_subject(_opening(repaired)), "the opening sentence"),
                       (repaired.signature[-1] if repaired.signature else "", "the signature"),
                       (repaired.letterhead[0] if repaired.letterhead else "", "the letterhead")]
        tried = []

        def fallback():  # a work report names its province or city more than any other
            most = context.most_named(("省", "自治区", "直辖市", "地级市", "自治州", "地区", "盟"))
            return [(most.name + "人民政府", "the place the text names most")] if most else []

        for raw, how in candidates:
            if not raw or PARTY.match(raw) or "报告" in raw or len(raw) > 30:
                continue
            resolved = resolve_agency(raw, context)
            tried.append((resolved, raw, how))
            if (resolved.division or resolved.national) and not resolved.doubt:
                break
        if work and not any(t[0].division or t[0].national for t in tried):
            for raw, how in fallback():
                tried.append((resolve_agency(raw, context), raw, how))
        if tried:
            best = next((t for t in tried if (t[0].division or t[0].national) and not t[0].doubt),
                        next((t for t in tried if t[0].division or t[0].national), tried[0]))
            place, raw, how = best
            agency = place.name
            doubt = place.doubt or ("a guess: check it, or give --agency" if how == "the place the text names most" else "")
            how = f"{raw} in {how}" if raw != agency and how != "the place the text names most" else how
            note("agency", agency, how, doubt)
    if agency:
        v["agency"] = agency

    # year reported on
    year = known("year")
    if year:
        m = re.fullmatch(r"\s*(\d{4})\s*(?:年|年度)?\s*", str(year))
        if not m:
            raise ImportFailed(f"年度写法有误：{year} (the year must be like 2024)")
        v["year"] = int(m.group(1))
    else:
        if work:
            year, how = _work_report_year(repaired, v["title"])
        else:
            year, how = year_from_title(v["title"]), "the title"
            if not year:
                year, how = year_from_opening(repaired), "the opening sentence"
        if year:
            v["year"] = year
            note("year", year, how)
        elif not (given.get("date_signed") or file_meta.get("date_signed") or repaired.date_line):
            year = most_mentioned_year(repaired)
            if year:
                v["year"] = year
                note("year", year, "the year the text names most often", "a guess: check it, or give --year")

    # date signed, signed by
    v["date_signed"] = known("date_signed") or parse_date(repaired.date_line)
    if not v["date_signed"] and work:
        v["date_signed"] = _delivered(repaired, v["title"])
    if "year" not in v and v["date_signed"]:
        v["year"] = int(v["date_signed"][:4]) - 1
        d.how["year"] = "the date signed"
        d.unsure.add("year")
        d.notes.append(f"unsure year {v['year']} (the year before the date signed)")
    v["signed_by"] = given.get("signed_by") or (repaired.signature[-1] if repaired.signature else "")

    # region and level
    v["region"] = known("region") or ""
    v["level"] = known("level") or ""
    if place is not None and (not v["region"] or not v["level"]):
        if place.national:
            v["level"] = v["level"] or "国家"
            d.how.setdefault("level", "the agency")
        elif place.division is not None:
            if not v["region"]:
                v["region"] = place.division.region
                note("region", v["region"], f"{place.division.name} in the gazetteer")
            if not v["level"]:
                v["level"] = place.division.level
                d.how["level"] = "the gazetteer"
        elif not v["region"]:
            d.unsure.add("region")
            d.notes.append(f"unsure region: {place.doubt or 'not found'}; give --region")
    if not v["level"]:
        v["level"] = level_of(v.get("agency", ""), v["region"])
    v["source"] = known("source") or source

    if not v["title"] and v.get("agency") and v.get("year"):
        if work:
            v["title"] = re.sub(r"人民政府$", "", v["agency"]) + "政府工作报告"
        else:
            v["title"] = f"{v['agency']}{v['year']}年度法治政府建设情况报告"
        d.how["title"] = "made"
        d.notes.append("inferred title (the text has none)")
    for name in ("agency", "year"):
        if not v.get(name):
            d.unsure.add(name)
            d.notes.append(f"unsure {name}: not found, give --{name}")
    return d


def _opening(repaired: Repaired) -> str:
    return next((b.text for b in repaired.blocks if b.kind == "para" and not re.match(r"^各位代表[：:！!]?$", b.text)), "")

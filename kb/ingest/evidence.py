"""Evidence: what each part of a report file says about who reports on which year.

Used by :mod:`kb.ingest.metadata`, whose deciders weigh these readings against each other. Each
reader looks at one piece of the file and returns the raw value it names (or ``''`` /
``None``): the file name and a page's title (``2023年坪山区政府工作报告``), the title line,
the byline of a speech (``——2024年1月15日在郑州市第十六届人民代表大会…上``, ``郑州市人民政府
市长 张三``), the opening sentences (``我代表区人民政府``, ``2023年，县卫健委在…``), a review
or plan heading (``一、2023年工作回顾``, ``二、2024年工作安排``), the signature and date.
Nothing here decides: a reader says what its piece says.
"""

from __future__ import annotations

import re

from kb.ingest.repair import Repaired
from kb.ingest.repair.byline import DATE
from kb.ingest.repair.shapes import CN_NUM

YEAR = rf"(?:\d{{4}}|[{CN_NUM}○]{{4}})"
CN_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0", "○": "0", "Ｏ": "0", "O": "0"}
NATIONAL = "国务院"
ORG_END = r"(?:委员会|人民政府|政府|办公室|局|委|厅|办|院|中心|署|支队|大队)"
PARTY = re.compile(r"^(?:[省市县区州]|自治区|自治州)?(?:委|党委|党组|人大|政协|纪委)")
SPEECH_TITLES = r"(?:总理|省长|市长|主席|州长|县长|区长|盟长|专员|旗长)"
#: A heading that reviews a year (一、2023年工作回顾; 一、1999年工作的主要情况), not a span (2022年以来).
REVIEW = re.compile(rf"({YEAR})\s*年(?!以来|来|以后|至)[^，。；]{{0,8}}?(?:工作)?(?:的)?(?:回顾|主要情况|主要工作|工作情况|基本情况|成就|成效|总结)"
                    r"(?!安排|任务|计划|打算|部署|建议)")  # 2017年主要工作安排 plans
PLAN = re.compile(rf"({YEAR})\s*年.{{0,12}}(?:安排|要求|任务|目标|工作部署|主要工作建议|工作重点|重点工作)")
#: A later part's bare 2026年主要工作 plans that year (94 of 94 such headings in the data set);
#: only the first part's (一、2025年主要工作) reviews one (22 of 22).
LATER_PART = re.compile(r"[二三四五六七八九十]+\s*[、.．]")


def _plans_main_work(text: str, m: re.Match) -> bool:
    """Whether a REVIEW match is a later part's bare …年主要工作 heading: a plan."""
    return (m.group(0).endswith("主要工作") and not re.match(r"\s*(?:回顾|情况|总结)", text[m.end():])
            and bool(LATER_PART.match(text)))


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


def year_in(text: str) -> int | None:
    """The first year written in ``text`` (2023年, 二〇二三年), or None."""
    m = re.search(rf"({YEAR})\s*年", text)
    if not m:
        return None
    try:
        year = cn_number(m.group(1))
    except (KeyError, ValueError):
        return None
    return year if 1900 <= year <= 2100 else None


def bare_year(name: str) -> int | None:
    """A file name that is only a year (2024, 2024-政府工作报告): the year, else None."""
    m = re.fullmatch(r"((?:19|20)\d\d)(?:[-_ ]\D*)?", name)
    return int(m.group(1)) if m else None


# -- titles and file names ------------------------------------------------------------------------


def clean_title(text: str) -> str:
    return re.sub(r"[《》“”\"'【】\[\]]", "", re.sub(r"\s+", "", text or ""))


def work_title_place(title: str) -> str:
    """2023年坪山区政府工作报告 -> 坪山区人民政府; 襄阳市人民政府工作报告 -> 襄阳市人民政府;
    国务院政府工作报告 -> 国务院; 政府工作报告 -> ''."""
    m = re.search(rf"(?:{YEAR}\s*年度?)?([^\d年（(：:，,、\s]{{2,20}}?)(?:人民)?政府工作报告", clean_title(title))
    if not m:
        return ""
    place = re.sub(r"^(?:关于|\d+)", "", m.group(1))
    place = re.sub(r"(?:第?[一二三四五六七八九十\d]+届|人大|人民代表大会).*$", "", place)  # 海南省二届人大六次会议
    if place in (NATIONAL, "中华人民共和国国务院", "中央人民政府", "中华人民共和国", "全国"):
        return NATIONAL
    return place + "人民政府" if len(place) >= 2 else ""


def rule_title_agency(title: str) -> str:
    """南开区卫生健康委2023年度法治政府建设情况报告 -> 南开区卫生健康委."""
    m = re.match(rf"^(.+?)(?:关于)?{YEAR}\s*年", clean_title(title))
    agency = m.group(1).removesuffix("关于").strip() if m else ""
    return "" if not agency or "报告" in agency or re.search(r"\d", agency) or len(agency) > 30 else agency


def title_agency(title: str) -> str:
    """The agency a title or a file name names, either way round."""
    return work_title_place(title) or rule_title_agency(title)


def title_date(title: str) -> str:
    """政府工作报告（2014年2月11日冷新生） -> 2014-02-11 (the date it was given)."""
    m = re.search(rf"[（(]\s*({DATE})", title)
    return parse_date(re.sub(r"\s+", "", m.group(1))) if m else ""


# -- byline, opening, signature ------------------------------------------------------------------


def speaker_agency(byline: list[str]) -> str:
    """河南省人民政府省长 谢伏瞻 -> 河南省人民政府; 北京市市长 郭金龙 -> 北京市人民政府; 拉萨市常务副市长 李昌安 -> 拉萨市人民政府; 国务院总理 李强 -> 国务院."""
    for line in byline:
        m = re.match(rf"^(.*?)(?:常务副|副|代理|代)?{SPEECH_TITLES}", re.sub(r"\s+", "", line))
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


def speaker_name(byline: list[str]) -> str:
    """郑州市人民政府市长 张三 -> 郑州市人民政府市长张三 (the speaker line as written, tidied)."""
    for line in byline:
        if re.search(SPEECH_TITLES, line) and not re.search(r"代表大会|会议", line):
            return re.sub(r"\s+", "", line)
    return ""


def delivered_place(lines: list[str]) -> str:
    """——…在河南省第十二届人民代表大会…上 -> 河南省人民政府; 全国人民代表大会 -> 国务院."""
    for line in lines:
        if "全国人民代表大会" in line:
            return NATIONAL
        m = re.search(r"在(.{1,20}?)第[一二三四五六七八九十\d]+届", line)
        if m:
            return m.group(1) + "人民政府"
    return ""


def delivered_date(repaired: Repaired, titles: list[str]) -> str:
    """The date a speech was given, from its byline or a title (ISO, '' if none)."""
    for line in repaired.byline:
        date = find_date(line)
        if date:
            return date
    for title in titles:
        if title_date(title):
            return title_date(title)
    for line in [*titles, *(b.text for b in repaired.blocks[:3])]:
        if len(line) <= 100 and re.search(r"代表大会.{0,12}上", line):  # 政府工作报告（2013年1月26日在…会议上 …）
            date = find_date(line)
            if date:
                return date
    return ""


def on_behalf(repaired: Repaired) -> str:
    """我代表省人民政府 / 我代表北京市人民政府 / 我代表国务院, in the first paragraphs."""
    for b in repaired.blocks[:4]:
        m = re.search(r"我代表(?:本届)?(.{0,20}?(?:人民政府|政府|国务院|革命委员会))", b.text[:300])
        if m:
            return re.sub(r"第[一二三四五六七八九十\d]+届", "", m.group(1))
    return ""


def opening(repaired: Repaired) -> str:
    return next((b.text for b in repaired.blocks if b.kind == "para" and not re.match(r"^各位代表[：:！!]?$", b.text)), "")


def opening_subject(repaired: Repaired) -> str:
    """The agency that is the subject of the opening sentence: 2023年，在县委…领导下，
    黎平县卫生健康局以… -> 黎平县卫生健康局; 我代表省人民政府 -> 省人民政府."""
    s = re.sub(r"^(?:\d{4}|过去的?一)\s*年(?:度|来|以来)?[，,、]?\s*", "", opening(repaired)[:300])
    for _ in range(3):
        s = re.sub(r"^(?:以及)?在[^，,。]*?(?:领导|指导|支持|关心|帮助|监督|部署)[^，,。]*?下[，,]\s*", "", s)
    m = re.match(rf"^(.{{2,24}}?{ORG_END})(?=[在以坚认深全紧围按积持进高立切着始不扎严主，,])", s)
    if m and not PARTY.match(m.group(1)):
        return m.group(1)
    return ""


def opening_year(repaired: Repaired) -> int | None:
    """2023年，县卫健委在… -> 2023 (the first paragraph opens with the year reviewed)."""
    for block in repaired.blocks[:2]:
        m = re.match(r"^(\d{4})\s*年(?:度)?[，,、]", block.text)
        if m:
            return int(m.group(1))
    return None


def review_year(repaired: Repaired) -> tuple[int | None, str]:
    """(year, heading) of the first heading that reviews one year (一、2023年工作回顾)."""
    for b in repaired.blocks[:80]:
        text = (b.lead or b.text) if b.kind == "para" else b.text
        if b.kind == "para" and not b.lead and len(b.text) > 40:
            continue
        m = REVIEW.search(text[:40])
        if m and not _plans_main_work(text, m):
            return cn_number(m.group(1)), text[:24]
    return None, ""


def plan_year(repaired: Repaired) -> tuple[int | None, str]:
    """(year, heading) of the first heading that plans a year (二、2024年工作安排)."""
    for b in repaired.blocks[:120]:
        if b.kind == "heading" or b.lead:
            text = b.lead or b.text
            m = PLAN.search(text[:40])
            if m and "以来" not in text[:m.end()]:
                return cn_number(m.group(1)), text[:24]
            m = REVIEW.search(text[:40])
            if m and _plans_main_work(text, m):
                return cn_number(m.group(1)), text[:24]
    return None, ""


def most_mentioned_year(repaired: Repaired) -> int | None:
    """The year the text names most often (a last guess)."""
    counts: dict[int, int] = {}
    for b in repaired.blocks[:40]:
        for m in re.finditer(rf"(?<![\d{CN_NUM}○])((?:19|20)\d\d|[一二][九〇○零][{CN_NUM}○]{{2}})\s*年", b.text):
            year = cn_number(m.group(1))
            counts[year] = counts.get(year, 0) + 1
    return max(counts, key=lambda y: (counts[y], y), default=None)


def is_work_report(repaired: Repaired, titles: list[str]) -> bool:
    """A government's report to its people's congress (政府工作报告, also a plan's report
    given there): a title or the file name says so, or it was given at a congress, or it
    opens 各位代表."""
    if any("法治政府" in t for t in titles):
        return False
    if any("政府工作报告" in t or re.search(r"人民政府.*工作报告", t) for t in titles):
        return True
    if any("代表大会" in line for line in repaired.byline) or any(re.search(r"代表大会.{0,12}上", t) for t in titles):
        return True
    text = " ".join(b.text for b in repaired.blocks[:6])[:600]
    return "各位代表" in text and bool(re.search(r"报告|审议", text))

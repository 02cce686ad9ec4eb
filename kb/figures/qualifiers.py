"""Qualifiers: what the words around a number say about what it counts (part of
:mod:`kb.figures.extract`), each a class of reading rather than a list of examples.

- **how sure**: the words between an indicator's signal and the number (:func:`gap_words`):
  a signal qualifies the number only when little else stands between them (持证技能人才3万人:
  持证 qualifies 人才, not enforcement staff; 宣传活动……中医药文化夜市180余场: the 夜市);
- **a ratio, not a count**: 每万人 32.28人, 人均 (:func:`a_ratio`);
- **a total over several years** (:func:`period`): 五年来, 这五年, 过去五年, 5年来, 累计, 历年,
  2018年以来, “十三五”期间 before the number in its sentence, or opening an earlier sentence of
  the paragraph with no year named since (去年, 一年来, 2023年 …) and no state reached after the
  number (300个高频事项实现最多跑一次 is a level); 全年累计 is a year's;
- **a part of a whole** (:func:`part`): the words that qualify a number counted after a larger
  figure of the same indicator in the paragraph (案卷共72卷 … 优秀案卷14卷: 优秀);
- **lists** (:func:`respectively`): A、B分别为 X件、Y件: each number to its own noun.
"""

from __future__ import annotations

import re

# Words that say nothing of what a number counts: verbs of doing and counting, 共, 达 …
_NEUTRAL = re.compile(
    r"共计|共有|总计|合计|累计|总数|总量|数量|人数|件数|户数|家数|数为|分别|其中|全部|各类|各项|全年|全市|全县|全区|全省|"
    r"办理|办结|受理|完成|开展|组织|作出|做出|查处|查办|立案|新增|增加到|增至|达到|共|为|达|有|计|约|近|超过|逾|均|"
    r"已|了|的|等|各|在|对|涉及|从|由|(?:减少|增加|压减|精简|下降|提高|提升|缩短|调整)[到至]|"
    r"(?:\d+(?:\.\d+)?|[一二三四五六七八九十百千两]+)[多余]?[项个件家人名次户]|\s|[、，,：:“”\"《》（）()]")
#: How many characters of other words may stand between a signal and the number it reads sure.
GAP = 6

# the head of a noun that names a place or a body: 64个行政复议代办点 counts the 代办点, not cases
_PLACE = re.compile(r"(?:代办点|服务点|联系点|工作站|服务站|中心|窗口|基地|平台|机构|委员会|协会|室|站|点|所)")
_RATIO = re.compile(r"每[十百千万]?[人户名]|人均|户均|平均每|万人拥有|每万")

_NUM = r"[一二三四五六七八九十两\d]+"
_PERIOD = re.compile(
    rf"(?:过去|近|这|前|本届政府)?(?!一年)(?<![一二三四五六七八九十两\d]){_NUM}年(?:来|间|以来|中|里|共)(?!的)|(?:这|过去|近)(?!一年){_NUM}年|"
    r"“?十[一二三四五六七八九]五”?(?:期间|时期|以来)|\d{4}年以来|近年来|历年|累计|本届政府以来|"
    # 五年提请审议地方性法规26件: a span of years right before a verb of doing
    r"(?<![一二三四五六七八九十两\d第])[二三四五六七八九十两]年(?=[提制办出审受查完新共累])")
_YEARLY = re.compile(r"去年|今年|一年来|过去一年|全年|当年|本年|年内|(?<!\d)\d{4}年(?!以来|[-—至到])")
_YEARLY_CUMULATIVE = re.compile(r"(?:全年|年内|今年|去年|当年|一年来)累计$")
# a state the things counted have reached, written after the number in its clause: a level at the
# end of the years an earlier sentence names, no total over them
_STATE_AFTER = re.compile(r"[^，。；,;]{0,12}?实现")
_YEARS_IN = re.compile(rf"({_NUM})年")
_SINCE = re.compile(r"(\d{4})年以来")
_CN = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_PLAN = re.compile(r"十([一二三四五六七八九])五")  # the five-year plan: 十三五 is 2016-2020

# The words that open a part's qualifier or end it (a verb before it: 共评出优秀: 优秀).
_PART_TAIL = re.compile(r"(?:.*(?:评出|涉及|范围内|其中|包括|含|的|对|为|在|达|了))?(?P<part>[\u4e00-\u9fff]{2,8})$")
_PART_NOT = re.compile(r"^(?:共|合计|总计|累计|全年|全市|全县|全区|全省|其中|新增|办理|受理|完成|开展|组织|共计)$")


def gap_words(text: str, lo: int, hi: int) -> str:
    """The words of ``text[lo:hi]`` that say what is counted, the neutral ones left out."""
    return _NEUTRAL.sub("", text[lo:hi])


def close_enough(text: str, lo: int, hi: int) -> bool:
    """Whether a signal ending at ``lo`` qualifies the number at ``hi``: at most :data:`GAP`
    characters of other words between them."""
    return len(gap_words(text, lo, hi)) <= GAP


def a_place(text: str, lo: int, hi: int) -> bool:
    """Whether the words ``text[lo:hi]`` (those after a signal, up to the number or the clause's
    end) end in a place or a body (代办点, 工作站, 中心): then the number counts those."""
    words = re.split(r"[，。；、,;和及与]", text[lo:hi], maxsplit=1)[0]
    return bool(_PLACE.match(words.strip("“”\"")) if words else False)


def a_ratio(text: str, lo: int, hi: int) -> bool:
    """A number per head or per ten thousand (每万人 32.28人, 人均): no count."""
    return bool(_RATIO.search(text, lo, hi))


def period(text: str, sentence_starts: list[int], s_lo: int, at: int) -> str:
    """The words that make the number at ``at`` a total over several years ("" for a year's):
    a period word before it in its sentence with no year named after it, else one in an earlier
    sentence of the paragraph with no year named since."""
    for lo in [s_lo] + [s for s in reversed(sentence_starts) if s < s_lo]:
        hi = at if lo == s_lo else _next_start(sentence_starts, lo, at)
        found = _last_period(text, lo, hi)
        if found and lo != s_lo and (not _YEARS_IN.search(found.group()) or _STATE_AFTER.match(text, at)):
            found = None  # 累计, 历年: only in their own sentence; 300个高频事项实现最多跑一次: a level reached
        yearly = _last_yearly(text, lo, hi)
        if found and (yearly is None or yearly < found.start()):
            return found.group()
        if yearly is not None:
            return ""
    return ""


def _next_start(starts: list[int], lo: int, at: int) -> int:
    return min([s for s in starts if s > lo] + [at])


def _last_period(text: str, lo: int, hi: int) -> re.Match | None:
    """The last period word of ``text[lo:hi]``; 累计 and 历年 only in the number's clause
    (累计完成改革任务578项，政务服务事项由1296项精简到405项: the 1296 is no total)."""
    last = None
    for m in _PERIOD.finditer(text, lo, hi):
        if m.group() in ("累计", "历年") and (
                _YEARLY_CUMULATIVE.search(text, max(lo, m.start() - 4), m.end()) or re.search(r"[，；,;]", text[m.end():hi])):
            continue
        last = m
    return last


def _last_yearly(text: str, lo: int, hi: int) -> int | None:
    found = [m.start() for m in _YEARLY.finditer(text, lo, hi)]
    return found[-1] if found else None


def period_years(marker: str, year: int) -> str:
    """The years a period word covers in a report given in ``year`` (which reviews the years
    before it; not the year reported on: :func:`kb.figures.table.given_in`): 五年来 -> 2021–2025
    in a report given in 2026; "" when the words do not say (累计, 近年来)."""
    if not marker or not year:
        return ""
    since = _SINCE.search(marker)
    if since and int(since.group(1)) < year:
        return f"{since.group(1)}–{year - 1}"
    plan = _PLAN.search(marker)
    if plan:
        start = 2006 + 5 * (_CN[plan.group(1)] - 1)  # 十一五: 2006, 十三五: 2016
        return f"{start}–{start + 4}"
    m = _YEARS_IN.search(marker)
    if not m or "以来" in marker and not marker.endswith("年以来"):
        return ""
    raw = m.group(1)
    n = int(raw) if raw.isdigit() else _CN.get(raw, 0)
    return f"{year - n}–{year - 1}" if 1 < n <= 20 else ""


def part(text: str, lo: int, hi: int, signal: tuple[int, int] | None) -> str:
    """The words that name the part of a whole a number counts, in ``text[lo:hi]`` (the words
    of its clause before it): those before its signal (优秀案卷14卷: 优秀), else those before
    the number (其中行政许可共16项: 行政许可), at most eight characters of one run."""
    if signal is not None and lo <= signal[0] <= hi:
        hi = signal[0]
    words = re.sub(r"\s+", "", text[lo:hi]).strip("，、：:；")
    words = re.sub(r"(?:共计|合计|总计|累计|达到|共|达|为|计|约|近|超过|逾|均)+$", "", words)
    words = re.sub(r"^(?:其中|共计|合计|总计|共)+", "", words)
    m = _PART_TAIL.search(words)
    if not m or _PART_NOT.match(m.group("part")):
        return ""
    return m.group("part")


def respectively(text: str, s_lo: int, s_hi: int) -> int:
    """Where 分别 stands in the sentence ``text[s_lo:s_hi]`` (-1: not there)."""
    return text.find("分别", s_lo, s_hi)

"""Numerals: every number with a unit in a text, as written and as an amount (part of
:mod:`kb.figures.extract`), and the sentences and clauses it stands in.

A number is Arabic (1,234.5; full-width digits read as ASCII) or Chinese (十个, 一百二十件; a
single digit such as 三件 only before a unit that counts things or people, never 一 nor
before 个/项/条, which mostly make names: 两个维护, 八项规定, 两条线), with 万/亿, an
approximation (余, 多, 以上, 左右; 近, 约, 超过, 逾 before it) and a unit (件, 起, 部, 条, 人次,
元, % …). A range (3至5家, 3-5家) is one figure: its low end, ``approx`` "3至5".

What is no figure: a duration (7个工作日, 46个和80个工作日), a rank (第3, 前10), a place
(公共场所), a numeral inside a name or a slogan (“百项疏堵行动”, 十个100%, “二十条”, 10%工作法,
八项规定).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

#: Units as written (longest first), and the unit each amount is normalized to.
UNITS = ("件次", "人次", "户次", "家次", "场次", "批次", "件", "起", "个", "宗", "人", "名", "场", "期",
         "家", "户", "项", "次", "卷", "份", "部", "条", "元", "%", "‰")
MULTIPLIERS = {"万": Decimal(10000), "亿": Decimal(100000000)}
CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_POWERS = {"十": 10, "百": 100, "千": 1000}
#: The units a single Chinese digit is read before (三件, 两名); 个, 项, 条 mostly make names,
#: 次 words (二次开发, 一次性).
SINGLE_DIGIT_UNITS = frozenset("件起宗部名人家卷场期")

# Full-width digits and marks read as their ASCII forms; one character for one, so offsets hold.
WIDTH = str.maketrans("０１２３４５６７８９％．", "0123456789%.")
FULL_WIDTH = re.compile("[０-９％．]")

_ARABIC = r"(?<![\d.,A-Za-z])\d+(?:,\d{3})*(?:\.\d+)?"
_CHINESE = (r"(?<![一二三四五六七八九十百千两零〇第])[一二三四五六七八九两零〇]?[十百千][一二三四五六七八九十百千零〇]*"
            r"|(?<![一二三四五六七八九十百千两零〇第每这那此其前])[二三四五六七八九两](?![十百千])")
_NUMBER = re.compile(
    r"(?:(?P<low>(?<![\d.,A-Za-z])\d+(?:\.\d+)?)\s?(?:至|到|-|~|～|—)\s?)?"
    r"(?P<num>" + _ARABIC + "|" + _CHINESE + ")"
    r"[ \u3000]?(?P<approx1>余|多)?(?P<mult>万|亿)?(?P<approx2>余|多)?[ \u3000]?"
    r"(?P<unit>" + "|".join(re.escape(u) for u in UNITS) + r")"
    r"(?P<post>以上|左右)?"
)
# What makes a number with a unit no figure: a duration, a ratio's points, a place (公共场所) …
_NOT_AFTER = {"个": re.compile(r"(?:[、和及至到]\d+个)*(?:工作日|月|小时|百分点|季度|自然日|年)"),
              "场": re.compile(r"所|景|地|馆|监管"), "人": re.compile(r"民"), "名": re.compile(r"称|单"),
              "件": re.compile(r"事"), "期": re.compile(r"间|限|内|末|满"), "部": re.compile(r"门|委|署|分|队|长|位|件"),
              "条": re.compile(r"例|款|线|“"), "%": re.compile(r"工作法")}
# A numeral that makes a name: a word of a name right after the unit, or the figure written
# just before a closing quote or another number (“二十条”, 十个100%).
_NAME_AFTER = re.compile(r"[”’》」]|(?:规定|原则|工作法)")
# a round hundred or thousand before a unit and a noun is a name (百部精品剧目, 千人大会, 百项疏堵),
# unless a word says it is a rough count (上百场, 近千人)
_ROUND = re.compile(r"[百千][\u4e00-\u9fff]")
_ROUGH = re.compile(r"[上近约逾超数几]$")
_ANY_NUMBER = re.compile(r"[\d０-９十百千]")
_PRE = re.compile(r"(?:近|约|超过|逾)$")
_ORDINAL = re.compile(r"第\s*$|前\s*$")
_PHASE = re.compile(r"[）)工项建基主开竣投扩续全顺]")
_SENTENCE_END = re.compile(r"[。！？；!?;]")
CLAUSE_BREAK = "，,、：:（）()"
_MARKS = re.compile("[“《「\"”》」" + re.escape(CLAUSE_BREAK) + "]")


def cn_number(text: str) -> int | None:
    """一百二十 -> 120, 十二 -> 12, 两千 -> 2000; None if it is not a plain numeral."""
    total, digit = 0, None
    for ch in text:
        if ch in CN_DIGITS:
            if digit is not None:
                return None  # 二三: not a numeral
            digit = CN_DIGITS[ch]
        elif ch in CN_POWERS:
            total += (1 if digit is None else digit) * CN_POWERS[ch]
            digit = None
        else:
            return None
    return total + (digit or 0)


def plain(d: Decimal) -> float | int:
    return int(d) if d == d.to_integral_value() else float(d.normalize())


@dataclass
class Num:
    """A number with a unit, as found in a text."""

    start: int  # of the written figure
    num_start: int  # of the digits (the region before it is searched for signals)
    end: int
    value: Decimal
    unit: str  # as written, with 万/亿
    base: str  # normalized unit
    multiplier: Decimal
    approx: str


def has_number(text: str) -> bool:
    return bool(_ANY_NUMBER.search(text))


def numbers(text: str) -> list[Num]:
    """Every number with a unit in ``text`` (already width-normalized), in order."""
    out = []
    quoted = _quoted_spans(text)
    for m in _NUMBER.finditer(text):
        value = _value(m.group("num"))
        if value is not None and not _not_a_figure(text, m, quoted):
            out.append(_num(text, m, value))
    return out


def _value(raw: str) -> Decimal | None:
    """The value of a numeral as written: Arabic (1,234.5) or Chinese (一百二十); None if it
    is not a plain numeral."""
    if raw[0].isdigit():
        return Decimal(raw.replace(",", ""))
    n = cn_number(raw)
    return None if n is None else Decimal(n)


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    """The spans inside “…”, 「…」 and 《…》 that are short enough to be a name."""
    return [(m.start(), m.end()) for m in re.finditer(r"“[^“”]{1,24}”|「[^「」]{1,24}」|《[^《》]{1,40}》", text)]


def _not_a_figure(text: str, m: re.Match, quoted: list[tuple[int, int]]) -> bool:
    """Whether a number with a unit is no figure: an ordinal (第3, 前10), a word its unit
    begins (:data:`_NOT_AFTER`: 3个月, 公共场所), 万/亿 before % or ‰, a single digit before
    a unit of names, or a numeral of a name or slogan (:func:`_a_name`)."""
    if _ORDINAL.search(text, max(0, m.start() - 3), m.start("num")):
        return True
    unit, num = m.group("unit"), m.group("num")
    rule = _NOT_AFTER.get(unit)
    if rule and rule.match(text, m.end("unit")):
        return True
    if num in CN_DIGITS and unit not in SINGLE_DIGIT_UNITS:
        return True
    if unit == "期" and not num.isdigit() and _PHASE.match(text, m.end()):
        return True  # 西延线二期基本建成, 平台（二期）建设: a phase of a project
    return (bool(m.group("mult")) and unit in ("%", "‰")) or _a_name(text, m, quoted)


def _a_name(text: str, m: re.Match, quoted: list[tuple[int, int]]) -> bool:
    """A numeral inside a short quoted name (“百项疏堵行动”, “二十条”), one followed by a closing
    quote (黄金48条”) or a word of names (八项规定, 10%工作法), a Chinese one followed by another
    number (十个100%), or a round 百/千 before a noun (百部精品剧目, 千人大会; not 上百场)."""
    at, num = m.start("num"), m.group("num")
    if any(lo < at < hi for lo, hi in quoted) or _NAME_AFTER.match(text, m.end()):
        return True
    if not num.isdigit() and text[m.end():m.end() + 1].isdigit():
        return True  # 十个100%
    return num in ("百", "千") and bool(_ROUND.fullmatch(num + text[m.end():m.end() + 1])) and not m.group("mult") \
        and not _ROUGH.search(text, max(0, at - 1), at)


def _num(text: str, m: re.Match, value: Decimal) -> Num:
    """The number of a match: its unit with 万/亿, and its approximation (余, 多, 以上, 左右;
    近, 约, 超过, 逾 written before it, where the figure then begins; a range's low end)."""
    unit, mult = m.group("unit"), m.group("mult") or ""
    if m.group("low"):
        low = m.group("low")
        return Num(m.start(), m.start(), m.end(), Decimal(low), mult + unit, unit,
                   MULTIPLIERS.get(mult, Decimal(1)), f"{low}至{m.group('num')}")
    pre = _PRE.search(text, max(0, m.start() - 2), m.start())
    approx = (pre.group() if pre else "") or m.group("approx1") or m.group("approx2") or m.group("post") or ""
    return Num(pre.start() if pre else m.start(), m.start("num"), m.end(), value, mult + unit, unit,
               MULTIPLIERS.get(mult, Decimal(1)), approx)


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: up to and including 。！？；"""
    out, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        out.append((start, m.end()))
        start = m.end()
    if start < len(text):
        out.append((start, len(text)))
    return out


def clause_starts(text: str, start: int, end: int) -> list[int]:
    """Where each clause of ``text[start:end]`` begins: after ，、：（） -- a 、 inside “…” or
    《…》 does not break (“双随机、一公开”)."""
    starts, depth = [start], 0
    for m in _MARKS.finditer(text, start, end):
        i, ch = m.start(), m.group()
        if ch in "“《「\"":
            depth += 1 if ch != '"' or depth == 0 else -1
        elif ch in "”》」":
            depth = max(0, depth - 1)
        elif ch in CLAUSE_BREAK and not (ch == "、" and depth):
            starts.append(i + 1)
    return starts

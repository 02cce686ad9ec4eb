"""Figures: the numbers a paragraph states, each read with the indicator it counts (enrich step).

Every number with a unit (件, 起, 个, 宗, 人, 人次, 名, 场, 场次, 期, 家, 户, 户次, 项, 次,
件次, 卷, 份, 元, 万元, 亿元, %, ‰ …; Arabic numerals, and Chinese ones such as 十个) is a
figure: its value as written, its amount in a normalized unit (46.58371万元 -> 465837.1 元,
2.8万件 -> 28000 件), the sentence it stands in and its offsets in the paragraph.

Its indicator comes from the list kept as data (``kb/data/indicators.toml``): the nearest
signal of an indicator that is counted in the figure's unit, written before the number in its
clause or just after it (共做出行政处罚133件, 109件人大代表建议). A unit the indicator is not
counted in is never that indicator: 行政处罚共 217 项 in a power list is 217 items, not cases.
A clause without a signal continues the figure before it in the sentence (其中普通程序60件,
结案114件); a scope narrows it (双随机案件查处共113件，罚款264600元 are both 双随机's).

A figure is ``sure`` only when its own clause says what it counts (a signal, 其中, a scope, a
follow word, or the paragraph's topic for indicators read from the whole paragraph). A
guess (the indicator of the figure before it, a signal in an earlier clause) is kept with
``sure=False``, shown with ``?``, never passed off as certain; a number no indicator fits has
``indicator=""``. A number after a verb of change (下降18%) is a change, not a level.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

DATA = Path(__file__).parents[1] / "data" / "indicators.toml"

#: Units as written (longest first), and the unit each amount is normalized to.
UNITS = ("件次", "人次", "户次", "家次", "场次", "批次", "件", "起", "个", "宗", "人", "名", "场", "期",
         "家", "户", "项", "次", "卷", "份", "元", "%", "‰")
MULTIPLIERS = {"万": Decimal(10000), "亿": Decimal(100000000)}
CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_POWERS = {"十": 10, "百": 100, "千": 1000}

# Full-width digits and marks read as their ASCII forms; one character for one, so offsets hold.
_WIDTH = str.maketrans("０１２３４５６７８９％．", "0123456789%.")

_NUMBER = re.compile(
    r"(?P<num>(?<![\d.,A-Za-z])\d+(?:,\d{3})*(?:\.\d+)?|(?<![一二三四五六七八九十百千两零〇第])[一二三四五六七八九两零〇]?[十百千][一二三四五六七八九十百千零〇]*)"
    r"[ \u3000]?(?P<approx1>余|多)?(?P<mult>万|亿)?(?P<approx2>余|多)?[ \u3000]?"
    r"(?P<unit>" + "|".join(re.escape(u) for u in UNITS) + r")"
    r"(?P<post>以上|左右)?"
)
# What makes a number with a unit no figure: a duration, a ratio's points, a place (公共场所).
_NOT_AFTER = {"个": re.compile(r"工作日|月|小时|百分点|季度|自然日|年"), "场": re.compile(r"所|景|地|馆|监管"),
              "人": re.compile(r"民"), "名": re.compile(r"称|单"), "件": re.compile(r"事"),
              "期": re.compile(r"间|限|内|末|满")}
_ANY_NUMBER = re.compile(r"[\d０-９十百千]")
_PRE = re.compile(r"(?:近|约|超过|逾)$")
_FULL_WIDTH = re.compile("[０-９％．]")
_ORDINAL = re.compile(r"第\s*$|前\s*$")
_CHANGE = re.compile(r"(?:下降|增长|提高|降低|减少|增加|上升|提升|精减|精简|压减|压缩|下调|上涨|回落|增幅|降幅)了?(?:约|近)?\s*$")
_SENTENCE_END = re.compile(r"[。！？；!?;]")
_CLAUSE_BREAK = "，,、：:（）()"
_MARKS = re.compile("[“《「\"”》」" + re.escape(_CLAUSE_BREAK) + "]")
_CONTINUE = re.compile(r"^\s*(?:其中|含|包括)")
_LOOK_AFTER = 6  # characters after a unit within which a signal may begin (83家“双随机、一公开”检查任务)


@dataclass(frozen=True)
class Indicator:
    name: str
    units: frozenset[str]
    signals: re.Pattern
    follow: re.Pattern | None
    context: str  # "" or "paragraph"
    counted_as: Mapping[str, str]  # a unit -> the unit it is normalized to (个 -> 件 for cases)


@dataclass(frozen=True)
class Scope:
    name: str
    signals: re.Pattern
    reach: str  # "clause" or "sentence"
    applies: frozenset[str]  # indicator names it narrows (empty: all)


@dataclass(frozen=True)
class Indicators:
    indicators: tuple[Indicator, ...]
    scopes: tuple[Scope, ...]
    any_signal: re.Pattern  # a signal of any indicator: a paragraph without one has no indicated figure

    def names(self) -> list[str]:
        return [i.name for i in self.indicators]

    def by_name(self, name: str) -> Indicator | None:
        return next((i for i in self.indicators if i.name == name), None)


@dataclass(frozen=True)
class Figure:
    """One number with a unit in a paragraph, and what it counts."""

    indicator: str  # a name of the indicator list, or "" when none fits
    sure: bool  # False: the indicator is a guess (shown with "?")
    value: float | int  # as written: 46.58371
    unit: str  # as written: 万元
    amount: float | int  # in the normalized unit: 465837.1
    normalized_unit: str  # 元
    scope: str  # 双随机, 普通程序 … or ""
    approx: str  # 余, 多, 以上, 近 … or ""
    change: bool  # a change (下降18%), not a level
    written: str  # the text of the figure: 46.58371万元
    start: int  # offsets of ``written`` in the paragraph
    end: int
    sentence: str  # the sentence it stands in
    paragraph_id: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


def _regex(specs: list[str]) -> re.Pattern | None:
    return re.compile("|".join(f"(?:{s})" for s in specs)) if specs else None


@lru_cache(maxsize=4)
def load(path: Path = DATA) -> Indicators:
    """The indicator list and the scopes of ``kb/data/indicators.toml``."""
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    indicators = tuple(
        Indicator(i["name"], frozenset(i["units"]), _regex(i["signals"]), _regex(i.get("follow", [])),
                  i.get("context", ""), MappingProxyType(dict(i.get("counted_as", {}))))
        for i in data.get("indicator", ())
    )
    scopes = tuple(Scope(s["name"], _regex(s["signals"]), s.get("reach", "clause"), frozenset(s.get("applies", ())))
                   for s in data.get("scope", ()))
    every = [sig for i in data.get("indicator", ()) for sig in i["signals"]]
    return Indicators(indicators, scopes, _regex(every) or re.compile(r"(?!)"))


def checksum(path: Path = DATA) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


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


def _plain(d: Decimal) -> float | int:
    return int(d) if d == d.to_integral_value() else float(d.normalize())


# -- the numbers --------------------------------------------------------------------------------

@dataclass
class _Num:
    start: int  # of the written figure
    num_start: int  # of the digits (the region before it is searched for signals)
    end: int
    value: Decimal
    unit: str  # as written, with 万/亿
    base: str  # normalized unit
    multiplier: Decimal
    approx: str


def numbers(text: str) -> list[_Num]:
    """Every number with a unit in ``text`` (already width-normalized), in order."""
    out = []
    for m in _NUMBER.finditer(text):
        value = _value(m.group("num"))
        if value is not None and not _not_a_figure(text, m):
            out.append(_num(text, m, value))
    return out


def _value(raw: str) -> Decimal | None:
    """The value of a numeral as written: Arabic (1,234.5) or Chinese (一百二十); None if it
    is not a plain numeral."""
    if raw[0].isdigit():
        return Decimal(raw.replace(",", ""))
    n = cn_number(raw)
    return None if n is None else Decimal(n)


def _not_a_figure(text: str, m: re.Match) -> bool:
    """Whether a number with a unit is no figure: an ordinal (第3, 前10), a word its unit
    begins (:data:`_NOT_AFTER`: 3个月, 公共场所), or 万/亿 before % or ‰."""
    if _ORDINAL.search(text, max(0, m.start() - 3), m.start("num")):
        return True
    unit = m.group("unit")
    rule = _NOT_AFTER.get(unit)
    if rule and rule.match(text, m.end("unit")):
        return True
    return bool(m.group("mult")) and unit in ("%", "‰")


def _num(text: str, m: re.Match, value: Decimal) -> _Num:
    """The number of a match: its unit with 万/亿, and its approximation (余, 多, 以上, 左右;
    or 近, 约, 超过, 逾 written before it, where the figure then begins)."""
    unit, mult = m.group("unit"), m.group("mult") or ""
    pre = _PRE.search(text, max(0, m.start() - 2), m.start())
    approx = (pre.group() if pre else "") or m.group("approx1") or m.group("approx2") or m.group("post") or ""
    return _Num(pre.start() if pre else m.start(), m.start("num"), m.end(), value, mult + unit, unit,
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
        elif ch in _CLAUSE_BREAK and not (ch == "、" and depth):
            starts.append(i + 1)
    return starts


# -- what each number counts --------------------------------------------------------------------

@dataclass
class _Read:
    indicator: str = ""
    sure: bool = False
    scope: str = ""
    change: bool = False


def _nearest(indicators: Indicators, text: str, lo: int, hi: int, unit: str) -> tuple[str, int] | None:
    """The indicator (counted in ``unit``) whose signal ends nearest before ``hi`` in
    ``text[lo:hi]``, with how many different such indicators signal there."""
    best: tuple[int, str] | None = None
    found = set()
    for ind in indicators.indicators:
        if unit not in ind.units:
            continue
        for m in ind.signals.finditer(text, lo, hi):
            found.add(ind.name)
            if best is None or m.end() > best[0]:
                best = (m.end(), ind.name)
    return (best[1], len(found)) if best else None


def _after(indicators: Indicators, text: str, at: int, clause_end: int, unit: str) -> str:
    """An indicator whose signal begins just after the figure (109件人大代表建议)."""
    window = text[at:min(clause_end, at + _LOOK_AFTER + 12)]
    best: tuple[int, str] | None = None
    for ind in indicators.indicators:
        if unit not in ind.units:
            continue
        m = ind.signals.search(window)
        if m and m.start() <= _LOOK_AFTER and (best is None or m.start() < best[0]):
            best = (m.start(), ind.name)
    return best[1] if best else ""


def _scope(indicators: Indicators, text: str, indicator: str, clause_lo: int, sent_lo: int, at: int) -> str:
    for s in indicators.scopes:
        if s.applies and indicator not in s.applies:
            continue
        if s.name in indicator:
            continue
        lo = sent_lo if s.reach == "sentence" else clause_lo
        if s.signals.search(text, lo, at):
            return s.name
    return ""


def _clause_scope(indicators: Indicators, text: str, lo: int, at: int) -> bool:
    return any(s.reach == "clause" and s.signals.search(text, lo, at) for s in indicators.scopes)


def _read_one(ctx: dict, n: _Num, prev: tuple[_Num, _Read] | None) -> _Read:
    """What the number ``n`` counts, given the figure before it in the sentence: what the
    first of :data:`_RULES` that reads it says (none: no indicator)."""
    for rule in _RULES:
        read = rule(ctx, n, prev)
        if read is not None:
            return read
    return _Read()


def _own(ctx: dict, n: _Num) -> str:
    """The words before the number in its region, but for spaces and 和/及/与."""
    return ctx["text"][ctx["lo"]:n.num_start].strip(" \u3000和及与")


def _follows(ind: Indicator, text: str, lo: int, hi: int) -> bool:
    """Whether a follow word of the indicator stands in ``text[lo:hi]``."""
    return bool(ind.follow and ind.follow.search(text, lo, hi))


def _a_change(ctx: dict, n: _Num, prev: tuple[_Num, _Read] | None) -> _Read | None:
    """A change, not a level: a verb of change just before the number (下降18%), or a number
    with no words of its own right after a change in the same unit (分别下降18%、4%)."""
    if _CHANGE.search(ctx["text"], max(ctx["sent_lo"], n.num_start - 8), n.num_start):
        return _Read(change=True, sure=True)
    if prev and prev[1].change and not _own(ctx, n) and prev[0].base == n.base:
        return _Read(change=True, sure=True)  # 分别下降18%、4%
    return None


def _signalled(ctx: dict, n: _Num, prev: tuple[_Num, _Read] | None) -> _Read | None:
    """The indicator whose signal ends nearest before the number in its region, else one
    whose signal begins just after it (109件人大代表建议); not sure when several signal
    before it joined by 和/、 (a combined count) or a clause joined before names another."""
    indicators, text, lo = ctx["indicators"], ctx["text"], ctx["lo"]
    near = _nearest(indicators, text, lo, n.num_start, n.base)
    after = _after(indicators, text, n.end, ctx["clause_end"], n.base) if not near else ""
    if not (near or after):
        return None
    name = near[0] if near else after
    sure = not (near and near[1] > 1 and _combined(text, lo, n.num_start))
    return _Read(name, sure and not ctx["joined_list"](name),
                 _scope(indicators, text, name, ctx["clause_lo"], ctx["sent_lo"], n.num_start))


def _paragraph_wide(ctx: dict, n: _Num, prev: tuple[_Num, _Read] | None) -> _Read | None:
    """An indicator read from the whole paragraph, counted in the number's unit, whose
    signal stands anywhere before the number."""
    for ind in ctx["indicators"].indicators:
        if ind.context == "paragraph" and n.base in ind.units and ind.signals.search(ctx["text"], 0, n.num_start):
            return _Read(ind.name, True)
    return None


def _continued(ctx: dict, n: _Num, prev: tuple[_Num, _Read] | None) -> _Read | None:
    """The indicator of the figure before in the sentence, when counted in the number's
    unit: sure when the clause says it continues it, or the figure before was sure and
    the number follows it in a list joined by 、 with no words of its own."""
    if not (prev and prev[1].indicator):
        return None
    ind = ctx["indicators"].by_name(prev[1].indicator)
    if not (ind and n.base in ind.units):
        return None
    sure = _says_continued(ctx, n, ind) or (prev[1].sure and ctx["list_join"] and not _own(ctx, n))
    scope = _scope(ctx["indicators"], ctx["text"], ind.name, ctx["clause_lo"], ctx["sent_lo"], n.num_start)
    return _Read(ind.name, sure, scope)


def _says_continued(ctx: dict, n: _Num, ind: Indicator) -> bool:
    """Whether the number's clause says it continues ``ind``: 其中/含/包括 opens it, a
    scope narrows it, or a follow word of ``ind`` stands before the number."""
    text, lo = ctx["text"], ctx["lo"]
    return (bool(_CONTINUE.match(text, ctx["clause_lo"], n.num_start))
            or _clause_scope(ctx["indicators"], text, lo, n.num_start) or _follows(ind, text, lo, n.num_start))


def _earlier(ctx: dict, n: _Num, prev: tuple[_Num, _Read] | None) -> _Read | None:
    """The indicator whose signal ends nearest before the number in an earlier clause of
    the sentence."""
    indicators, text, lo = ctx["indicators"], ctx["text"], ctx["lo"]
    earlier = _nearest(indicators, text, ctx["sent_lo"], lo, n.base)
    if not earlier:
        return None
    # a guess, unless the clause continues it (对宪法知识进行测试，合格率达到100%)
    says = _follows(indicators.by_name(earlier[0]), text, lo, n.num_start)
    return _Read(earlier[0], says, _scope(indicators, text, earlier[0], ctx["clause_lo"], ctx["sent_lo"], n.num_start))


#: How a number is read, in order: the first rule that reads it says what it counts.
_RULES = (_a_change, _signalled, _paragraph_wide, _continued, _earlier)


def _combined(text: str, lo: int, hi: int) -> bool:
    """Two indicators' signals joined by 和/、/及 before one number: a combined count."""
    return bool(re.search(r"[和及、与]", text[lo:hi]))


def extract(text: str, paragraph_id: str = "", indicators: Indicators | None = None,
            indicated_only: bool = False) -> list[Figure]:
    """Every figure of a paragraph, in order; with ``indicated_only``, only those read with
    an indicator (sure or not), and fast on the many paragraphs that name none."""
    if not text or not _ANY_NUMBER.search(text):
        return []
    indicators = indicators or load()
    if indicated_only and not indicators.any_signal.search(text):
        return []
    norm = text.translate(_WIDTH) if _FULL_WIDTH.search(text) else text
    found = numbers(norm)
    if not found:
        return []
    out = [f for s_lo, s_hi in sentences(norm)
           for f in _sentence_figures(text, norm, s_lo, s_hi, found, indicators, paragraph_id)]
    return [f for f in out if f.indicator] if indicated_only else out


def _sentence_figures(text: str, norm: str, s_lo: int, s_hi: int, found: list[_Num], indicators: Indicators,
                      paragraph_id: str) -> list[Figure]:
    """The figures of the sentence ``norm[s_lo:s_hi]``, each read with the one before it."""
    in_sentence = [n for n in found if s_lo <= n.start < s_hi]
    if not in_sentence:
        return []
    starts = clause_starts(norm, s_lo, s_hi)
    out: list[Figure] = []
    prev: tuple[_Num, _Read] | None = None
    prev_clause = -1
    for n in in_sentence:
        ci = max(i for i, c in enumerate(starts) if c <= n.start)
        ctx = _context(indicators, norm, starts, ci, s_lo, s_hi, found, n.base,
                       after_prev=prev is not None and ci == prev_clause + 1)
        read = _read_one(ctx, n, prev)
        prev, prev_clause = (n, read), ci
        out.append(_figure(text, n, read, s_lo, s_hi, paragraph_id, indicators))
    return out


def _context(indicators: Indicators, text: str, starts: list[int], ci: int, s_lo: int, s_hi: int,
             found: list[_Num], base: str, after_prev: bool) -> dict:
    """What reading a number of clause ``ci`` looks at: its clause's bounds, where the words
    that may say what it counts begin, and whether it follows a figure in a list joined by
    、 (``after_prev``: the figure before stands in the clause before)."""
    clause_lo = starts[ci]
    clause_end = starts[ci + 1] - 1 if ci + 1 < len(starts) else s_hi
    joined = clause_lo > s_lo and text[clause_lo - 1] == "、"
    return {"indicators": indicators, "text": text, "lo": _region_start(text, starts, ci, found),
            "clause_lo": clause_lo, "clause_end": clause_end, "sent_lo": s_lo, "list_join": joined and after_prev,
            "joined_list": _joined_list(indicators, text, starts, ci, s_lo, found, base)}


def _region_start(text: str, starts: list[int], ci: int, found: list[_Num]) -> int:
    """Where the words that may say what a number in clause ``ci`` counts begin: its clause,
    and the clauses joined to it by 、 before it that hold no number of their own
    (参加率、通过率均达100%; 人大代表建议、政协委员提案294件)."""
    while ci > 0 and text[starts[ci] - 1] == "、":
        lo, hi = starts[ci - 1], starts[ci] - 1
        if any(lo <= n.start < hi for n in found):
            break
        ci -= 1
    return starts[ci]


def _joined_list(indicators: Indicators, text: str, starts: list[int], ci: int, s_lo: int,
                 found: list[_Num], base: str):
    """``f(name)``: True when the clause before (joined by 、) names another indicator
    counted in this unit and has no number of its own (人大代表建议、政协委员提案294件)."""
    def check(name: str) -> bool:
        if ci == 0 or text[starts[ci] - 1] != "、":
            return False
        lo, hi = starts[ci - 1], starts[ci] - 1
        if any(lo <= n.start < hi for n in found):
            return False
        other = _nearest(indicators, text, lo, hi, base)
        return bool(other and other[0] != name)
    return check


def _figure(text: str, n: _Num, read: _Read, s_lo: int, s_hi: int, paragraph_id: str,
            indicators: Indicators) -> Figure:
    ind = indicators.by_name(read.indicator) if read.indicator else None
    base = ind.counted_as.get(n.base, n.base) if ind else n.base
    return Figure(
        indicator=read.indicator, sure=read.sure if read.indicator else True,
        value=_plain(n.value), unit=n.unit, amount=_plain(n.value * n.multiplier), normalized_unit=base,
        scope=read.scope, approx=n.approx, change=read.change,
        written=text[n.start:n.end], start=n.start, end=n.end,
        sentence=text[s_lo:s_hi].strip(), paragraph_id=paragraph_id,
    )

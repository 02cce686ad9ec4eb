"""Figures: the numbers a paragraph states, each read with the indicator it counts (enrich step).

Every number with a unit (:mod:`kb.figures.numerals`: 件, 起, 部, 条, 人次, 元, % …; Arabic and
Chinese numerals, ranges, approximations; not durations, ranks, slogans or names) is a figure:
its value as written, its amount in a normalized unit (46.58371万元 -> 465837.1 元), the
sentence it stands in and its offsets in the paragraph.

Its indicator comes from the list kept as data (:mod:`kb.figures.catalog`,
``kb/data/indicators.toml``): the nearest signal of an indicator that is counted in the figure's
unit, written before the number in its clause or just after it (共做出行政处罚133件,
109件人大代表建议); a unit the indicator is not counted in is never that indicator. A clause
without a signal continues the figure before it in the sentence (其中普通程序60件, 结案114件);
a scope narrows it (双随机案件查处共113件，罚款264600元 are both 双随机's); A、B分别 and
1113件人大建议和1799件政协提案 give each number its own noun.

A figure is ``sure`` only when what it counts is certain from its own clause: a signal close
to it (:mod:`kb.figures.qualifiers`: not 持证技能人才3万人, not a ratio 每万人, not a combined
count, not a word the indicator excludes such as 不予处罚 or 监察机关), 其中, a scope, a follow
word, or the paragraph's topic with words of its own. A guess is kept with ``sure=False``,
shown with ``?``, never passed off as certain; a number no indicator fits has
``indicator=""``; a number after a verb of change (下降18%) is a change, not a level. A figure
also says when it is a total over several years (``period``: 五年来, 累计) and which part of a
larger figure it counts (``part``: 优秀 of 案卷共72卷 … 优秀案卷14卷).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from kb.figures import qualifiers
from kb.figures.catalog import DATA, Indicator, Indicators, Scope, checksum, load
from kb.figures.numerals import (
    FULL_WIDTH,
    UNITS,
    WIDTH,
    Num,
    clause_starts,
    cn_number,
    has_number,
    numbers,
    plain,
    sentences,
)

__all__ = ["DATA", "UNITS", "Figure", "Indicator", "Indicators", "Scope", "checksum", "clause_starts", "cn_number",
           "extract", "load", "numbers", "sentences"]

_CHANGE = re.compile(r"(?:下降|增长|提高|降低|减少|增加|上升|提升|精减|精简|压减|压缩|下调|上涨|回落|增幅|降幅)了?(?:约|近)?\s*$")
_TOTAL_BEFORE = re.compile(r"(?:累计|共计|合计|共)$")
_CONTINUE = re.compile(r"^\s*(?:其中|含|包括)")
_QUOTED = re.compile(r"“([^“”]{2,10})”")
_LOOK_AFTER = 6  # characters after a unit within which a signal may begin (83家“双随机、一公开”检查任务)
# what may stand between a number's unit and a signal that names what it counts (not 和, 、 or a number)
_AFTER_GAP = re.compile(r"^(?:[省市县区州]、)*[^，。；、和及与\d]*$")  # 583件省、市政协委员提案


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
    approx: str  # 余, 多, 以上, 近, 3至5 … or ""
    change: bool  # a change (下降18%), not a level
    written: str  # the text of the figure: 46.58371万元
    start: int  # offsets of ``written`` in the paragraph
    end: int
    sentence: str  # the sentence it stands in
    paragraph_id: str = ""
    period: str = ""  # the words that make it a total over several years (五年来, 累计), "" for a year's
    part: str = ""  # the part of a whole it counts (优秀 of 案卷共72卷 … 优秀案卷14卷), "" for a whole

    def to_dict(self) -> dict:
        return asdict(self)


# -- what each number counts --------------------------------------------------------------------

@dataclass
class _Read:
    indicator: str = ""
    sure: bool = False
    scope: str = ""
    change: bool = False
    until: int = -1  # where the words it was read from end, when they follow it (109件人大代表建议)
    signal: tuple[int, int] | None = None  # the signal it was read from, before it


def _nearest(indicators: Indicators, text: str, lo: int, hi: int, unit: str) -> tuple[str, int, re.Match] | None:
    """The indicator (counted in ``unit``) whose signal ends nearest before ``hi`` in
    ``text[lo:hi]``, how many different such indicators signal there, and that signal."""
    best: tuple[int, str, re.Match] | None = None
    found = set()
    for ind in indicators.indicators:
        if unit not in ind.units:
            continue
        for m in ind.signals.finditer(text, lo, hi):
            found.add(ind.name)
            if best is None or m.end() > best[0]:
                best = (m.end(), ind.name, m)
    return (best[1], len(found), best[2]) if best else None


def _after(indicators: Indicators, text: str, at: int, clause_end: int, unit: str) -> tuple[str, int]:
    """An indicator whose signal begins just after the figure (109件人大代表建议), with no 和,
    、 or other number between: ("", -1) if none; ("", end) when another indicator's signal
    follows it joined by 和/及/、 (660件人大代表建议和政协提案: the two together)."""
    window = text[at:min(clause_end, at + _LOOK_AFTER + 12)]
    best: tuple[int, str, int] | None = None
    for ind in indicators.indicators:
        if unit not in ind.units:
            continue
        m = ind.signals.search(window)
        if m and m.start() <= _LOOK_AFTER and _AFTER_GAP.match(window[:m.start()]) and (best is None or m.start() < best[0]):
            best = (m.start(), ind.name, at + m.end())
    if best is None:
        return "", -1
    joined = re.match(r"[和及与、]", text[best[2]:best[2] + 1])
    if joined and any(i.name != best[1] and unit in i.units and i.signals.match(text, best[2] + 1) for i in indicators.indicators):
        return "", best[2]
    return best[1], best[2]


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


def _clause_scope(indicators: Indicators, text: str, lo: int, at: int, indicator: str) -> bool:
    """Whether a scope of ``indicator`` narrows the clause ``text[lo:at]``."""
    return any(s.reach == "clause" and (not s.applies or indicator in s.applies) and s.signals.search(text, lo, at)
               for s in indicators.scopes)


def _read_one(ctx: dict, n: Num, prev: tuple[Num, _Read] | None) -> _Read:
    """What the number ``n`` counts, given the figure before it in the sentence: what the
    first of :data:`_RULES` that reads it says (none: no indicator), unless the words before
    it rule that indicator out (不予处罚, 每万人)."""
    for rule in _RULES:
        read = rule(ctx, n, prev)
        if read is not None:
            return _Read(change=read.change, sure=True) if read.indicator and _ruled_out(ctx, n, read) else read
    return _Read()


def _ruled_out(ctx: dict, n: Num, read: _Read) -> bool:
    """Whether the words of the number's clause say it is not what it was read as: a word
    the indicator excludes (不予行政处罚案件, 监察机关立案), or a ratio (每万人) of a count."""
    ind = ctx["indicators"].by_name(read.indicator)
    text, lo = ctx["text"], min(ctx["lo"], ctx["clause_lo"])
    if ind is not None and n.base in ind.counted_as and (
            (read.until > 0 and qualifiers.a_place(text, read.until, ctx["clause_end"]))
            or (read.signal is not None and qualifiers.a_place(text, read.signal[1], n.num_start))):
        return True  # 64个行政复议代办点: places, counted in 个, not cases
    after = max(read.until, n.end + len(re.split(r"[，。；、,;和及与]", text[n.end:n.end + _LOOK_AFTER], maxsplit=1)[0]))
    if ind is not None and ind.excludes is not None and (
            ind.excludes.search(text, lo, n.num_start) or ind.excludes.search(text, n.end, after)):
        return True
    return n.base != "%" and qualifiers.a_ratio(text, lo, n.num_start)


def _own(ctx: dict, n: Num) -> str:
    """The words before the number in its region, but for spaces and 和/及/与."""
    return ctx["text"][ctx["lo"]:n.num_start].strip(" \u3000和及与")


def _labelled_after(text: str, at: int) -> bool:
    """Whether words of its own follow a number before the next mark (60%“异地可办”): an item
    of a list with its own label, not a continuation of the one before."""
    return bool(re.match(r"[“\"]?[\u4e00-\u9fff]{2}", text[at:at + 3]))


def _follows(ind: Indicator, text: str, lo: int, hi: int) -> bool:
    """Whether a follow word of the indicator stands in ``text[lo:hi]``."""
    return bool(ind.follow and ind.follow.search(text, lo, hi))


def _a_change(ctx: dict, n: Num, prev: tuple[Num, _Read] | None) -> _Read | None:
    """A change, not a level: a verb of change just before the number (下降18%), or a number
    with no words of its own right after a change in the same unit (分别下降18%、4%)."""
    m = _CHANGE.search(ctx["text"], max(ctx["sent_lo"], n.num_start - 8), n.num_start)
    if m and not _TOTAL_BEFORE.search(ctx["text"], max(0, m.start() - 2), m.start()):
        return _Read(change=True, sure=True)  # not 累计减少1738项: a total of what was cut
    if prev and prev[1].change and not _own(ctx, n) and prev[0].base == n.base:
        return _Read(change=True, sure=True)  # 分别下降18%、4%
    return None


def _listed(ctx: dict, n: Num, prev: tuple[Num, _Read] | None) -> _Read | None:
    """A number of a list after 分别 that names as many indicators before it as it has
    numbers (人大代表建议和政协提案分别为 82件、120件): each to its own, in order."""
    name = ctx["listed"].get(n.num_start)
    if not name:
        return None
    return _Read(name, True, _scope(ctx["indicators"], ctx["text"], name, ctx["clause_lo"], ctx["sent_lo"], n.num_start))


def _signalled(ctx: dict, n: Num, prev: tuple[Num, _Read] | None) -> _Read | None:
    """The indicator whose signal ends nearest before the number in its region, else one
    whose signal begins just after it (109件人大代表建议). Not sure when several signal
    before it joined by 和/、 (a combined count), a clause joined before names another, or
    other words stand between the signal and the number (持证技能人才3万人)."""
    indicators, text, lo = ctx["indicators"], ctx["text"], ctx["lo"]
    near, after, until = _signals_of(ctx, n)
    if not (near or after or until > 0):
        return None
    if not near and not after:
        return _Read(sure=True, until=until)  # a count of two together, written after it
    name = near[0] if near else after
    if near and near[1] > 1 and _combined(text, lo, n.num_start):
        return _Read(sure=True, until=until)  # 制定政府规章和规范性文件23件: a count of two together
    sure = True
    if near and not qualifiers.close_enough(text, near[2].end(), n.num_start):
        sure = False
    return _Read(name, sure and not ctx["joined_list"](name),
                 _scope(indicators, text, name, ctx["clause_lo"], ctx["sent_lo"], n.num_start), until=until,
                 signal=near[2].span() if near else None)


def _signals_of(ctx: dict, n: Num) -> tuple[tuple[str, int, re.Match] | None, str, int]:
    """The signal before the number (:func:`_nearest`) and the one after it (:func:`_after`,
    with where its words end): the one after wins when 和/及 stands between the one before and
    the number (576件人大代表建议和583件政协提案: the noun after it is its own)."""
    text = ctx["text"]
    near = _nearest(ctx["indicators"], text, ctx["lo"], n.num_start, n.base)
    after, until = _after(ctx["indicators"], text, n.end, _words_end(text, n.end), n.base)
    if near and after and re.search(r"[和及与]", text[near[2].end():n.num_start]):
        return None, after, until
    return (near, "", -1) if near else (None, after, until)


def _words_end(text: str, at: int) -> int:
    """Where the words after a number may end: the next ，。； (a 、 between 省、市 does not end
    them: 583件省、市政协委员提案; _AFTER_GAP keeps other 、 out)."""
    m = re.search(r"[，。；,;]", text[at:])
    return at + m.start() if m else len(text)


def _paragraph_wide(ctx: dict, n: Num, prev: tuple[Num, _Read] | None) -> _Read | None:
    """An indicator read from the whole paragraph, counted in the number's unit, whose
    signal stands anywhere before the number: sure when the number's own words are few
    and of those the indicator lists (行政许可共16项 in a power list; not 科研项目20项)."""
    for ind in ctx["indicators"].indicators:
        if ind.context == "paragraph" and n.base in ind.units and ind.signals.search(ctx["text"], 0, n.num_start):
            own = qualifiers.gap_words(ctx["text"], ctx["clause_lo"], n.num_start)
            fits = not own or (ind.context_words is not None and ind.context_words.fullmatch(own) is not None)
            return _Read(ind.name, fits)
    return None


def _continued(ctx: dict, n: Num, prev: tuple[Num, _Read] | None) -> _Read | None:
    """The indicator of the figure before in the sentence, when counted in the number's
    unit: sure when the clause says it continues it, or the figure before was sure and
    the number follows it in a list joined by 、 with no words of its own."""
    if not (prev and prev[1].indicator):
        return None
    ind = ctx["indicators"].by_name(prev[1].indicator)
    if not (ind and n.base in ind.units):
        return None
    sure = _says_continued(ctx, n, ind) or (prev[1].sure and ctx["list_join"] and not _own(ctx, n)
                                            and not _labelled_after(ctx["text"], n.end))
    scope = _scope(ctx["indicators"], ctx["text"], ind.name, ctx["clause_lo"], ctx["sent_lo"], n.num_start)
    return _Read(ind.name, sure, scope)


def _says_continued(ctx: dict, n: Num, ind: Indicator) -> bool:
    """Whether the number's clause says it continues ``ind``: 其中/含/包括 opens it, a
    scope narrows it, or a follow word of ``ind`` stands before the number."""
    text, lo = ctx["text"], ctx["lo"]
    return (bool(_CONTINUE.match(text, ctx["clause_lo"], n.num_start))
            or _clause_scope(ctx["indicators"], text, lo, n.num_start, ind.name) or _follows(ind, text, lo, n.num_start))


def _earlier(ctx: dict, n: Num, prev: tuple[Num, _Read] | None) -> _Read | None:
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
_RULES = (_a_change, _listed, _signalled, _paragraph_wide, _continued, _earlier)


def _combined(text: str, lo: int, hi: int) -> bool:
    """Two indicators' signals joined by 和/、/及 before one number: a combined count."""
    return bool(re.search(r"[和及、与]", text[lo:hi]))


def extract(text: str, paragraph_id: str = "", indicators: Indicators | None = None,
            indicated_only: bool = False) -> list[Figure]:
    """Every figure of a paragraph, in order; with ``indicated_only``, only those read with
    an indicator (sure or not), and fast on the many paragraphs that name none."""
    if not text or not has_number(text):
        return []
    indicators = indicators or load()
    if indicated_only and not indicators.any_signal.search(text):
        return []
    norm = text.translate(WIDTH) if FULL_WIDTH.search(text) else text
    found = numbers(norm)
    if not found:
        return []
    spans = sentences(norm)
    starts = [lo for lo, _ in spans]
    out = [f for s_lo, s_hi in spans
           for f in _sentence_figures(text, norm, (s_lo, s_hi, starts), found, indicators, paragraph_id)]
    out = _with_parts(norm, out, indicators)
    return [f for f in out if f.indicator] if indicated_only else out


def _sentence_figures(text: str, norm: str, sentence: tuple[int, int, list[int]], found: list[Num],
                      indicators: Indicators, paragraph_id: str) -> list[Figure]:
    """The figures of the sentence ``norm[s_lo:s_hi]``, each read with the one before it."""
    s_lo, s_hi, starts_of_sentences = sentence
    in_sentence = [n for n in found if s_lo <= n.start < s_hi]
    if not in_sentence:
        return []
    starts = clause_starts(norm, s_lo, s_hi)
    listed = _respectively(indicators, norm, s_lo, s_hi, in_sentence)
    out: list[Figure] = []
    prev: tuple[Num, _Read] | None = None
    prev_clause = -1
    for n in in_sentence:
        ci = max(i for i, c in enumerate(starts) if c <= n.start)
        ctx = _context(indicators, norm, starts, ci, s_lo, s_hi, found, n.base,
                       after_prev=prev is not None and ci == prev_clause + 1)
        if prev is not None and prev_clause == ci:  # 1113件人大建议和1799件政协提案: those words are the first's
            joined = re.match(r"\s*[和及与、]", norm[prev[0].end:n.start])  # 建议547件和政协提案571件: these are its
            ctx["lo"] = max(ctx["lo"], prev[1].until, prev[0].end if joined else -1)
        ctx["listed"] = listed
        read = _read_one(ctx, n, prev)
        prev, prev_clause = (n, read), ci
        counted = read.indicator and n.base != "%"  # a share is no total over years
        marker = qualifiers.period(norm, starts_of_sentences, s_lo, n.num_start) if counted else ""
        figure = _figure(text, n, read, (s_lo, s_hi), paragraph_id, indicators, marker)
        label = _quoted_label(norm, n, read, indicators, (ctx["clause_lo"], _words_end(norm, n.end)))
        out.append(Figure(**(figure.to_dict() | {"part": label})) if label else figure)
    return out


def _respectively(indicators: Indicators, text: str, s_lo: int, s_hi: int, in_sentence: list[Num]) -> dict[int, str]:
    """The numbers after 分别 in a sentence mapped to the indicators named before it, in order,
    when they are as many (A和B分别为 X件、Y件); else none."""
    at = text.find("分别", s_lo, s_hi)
    after = [n for n in in_sentence if n.start > at] if at >= 0 else []
    if len(after) < 2 or len({n.base for n in after}) != 1:
        return {}
    before = [n for n in in_sentence if n.start < at]
    order = _named_in_order(indicators, text, before[-1].end if before else s_lo, at, after[0].base)
    if len(order) != len(after) or len(set(order)) != len(order):
        return {}
    return {n.num_start: name for n, name in zip(after, order, strict=True)}


def _named_in_order(indicators: Indicators, text: str, lo: int, hi: int, unit: str) -> list[str]:
    """The indicators counted in ``unit`` whose signals stand in ``text[lo:hi]``, in order of
    their place, one for a run of the same."""
    named = sorted((m.start(), ind.name) for ind in indicators.indicators if unit in ind.units
                   for m in ind.signals.finditer(text, lo, hi))
    order = [name for _, name in named]
    return [name for i, name in enumerate(order) if i == 0 or order[i - 1] != name]


def _context(indicators: Indicators, text: str, starts: list[int], ci: int, s_lo: int, s_hi: int,
             found: list[Num], base: str, after_prev: bool) -> dict:
    """What reading a number of clause ``ci`` looks at: its clause's bounds, where the words
    that may say what it counts begin, and whether it follows a figure in a list joined by
    、 (``after_prev``: the figure before stands in the clause before)."""
    clause_lo = starts[ci]
    clause_end = starts[ci + 1] - 1 if ci + 1 < len(starts) else s_hi
    joined = clause_lo > s_lo and text[clause_lo - 1] == "、"
    return {"indicators": indicators, "text": text, "lo": _region_start(text, starts, ci, found),
            "clause_lo": clause_lo, "clause_end": clause_end, "sent_lo": s_lo, "list_join": joined and after_prev,
            "joined_list": _joined_list(indicators, text, starts, ci, s_lo, found, base)}


def _region_start(text: str, starts: list[int], ci: int, found: list[Num]) -> int:
    """Where the words that may say what a number in clause ``ci`` counts begin: its clause,
    and the clauses joined to it by 、 before it that hold no number of their own
    or a parenthesis (参加率、通过率均达100%; 人大代表建议、政协委员提案294件)."""
    while ci > 0 and text[starts[ci] - 1] in "、（）()":  # and a parenthesis: 地方性法规（草案）26件
        lo, hi = starts[ci - 1], starts[ci] - 1
        if any(lo <= n.start < hi for n in found):
            break
        ci -= 1
    return starts[ci]


def _joined_list(indicators: Indicators, text: str, starts: list[int], ci: int, s_lo: int,
                 found: list[Num], base: str):
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


def _figure(text: str, n: Num, read: _Read, sentence: tuple[int, int], paragraph_id: str,
            indicators: Indicators, period: str) -> Figure:
    ind = indicators.by_name(read.indicator) if read.indicator else None
    base = ind.counted_as.get(n.base, n.base) if ind else n.base
    s_lo, s_hi = sentence
    return Figure(
        indicator=read.indicator, sure=read.sure if read.indicator else True,
        value=plain(n.value), unit=n.unit, amount=plain(n.value * n.multiplier), normalized_unit=base,
        scope=read.scope, approx=n.approx, change=read.change,
        written=text[n.start:n.end], start=n.start, end=n.end,
        sentence=text[s_lo:s_hi].strip(), paragraph_id=paragraph_id, period=period,
    )


def _quoted_label(text: str, n: Num, read: _Read, indicators: Indicators, clause: tuple[int, int]) -> str:
    """The quoted name of a kind of the thing counted, written in the words the number was read
    from (100个高频事项“最多跑一次”, 公布“最多跑一次”事项13675个): its part; not a name that is
    itself a signal of the indicator (83家“双随机、一公开”检查任务); else a kind of the indicator
    (``kinds``) named there: 人大代表议案1件 (议案), or after it to the clause's end (31个事项不见面审批)."""
    ind = indicators.by_name(read.indicator) if read.indicator and not read.scope else None
    if ind is None or not (read.until > 0 or read.signal):
        return ""
    lo, hi = (n.end, read.until) if read.until > 0 else read.signal
    for m in _QUOTED.finditer(text, clause[0], clause[1]):
        if m.start() <= hi and m.end() >= lo and not ind.signals.search(m.group(1)):
            return m.group(1)  # the name overlaps or touches the words it was read from
    return _kind(ind, text, (lo, hi), clause[1] if read.until > 0 else n.num_start)


def _kind(ind: Indicator, text: str, words: tuple[int, int], end: int) -> str:
    """A kind of ``ind`` (``kinds``) that begins in the words ``text[lo:hi]`` a number was read
    from, searched to ``end`` (a kind after the number may end its clause: 31个事项不见面审批;
    not 693项行政许可事项清单, whose 清单 follows the words)."""
    lo, hi = words
    for kind in ind.kinds:
        k = kind.search(text, lo, end)
        name = "part" if k and "part" in kind.groupindex else 0
        if k and k.start(name) < hi:
            return k.group(name)
    return ""


def _with_parts(text: str, figures: list[Figure], indicators: Indicators) -> list[Figure]:
    """The figures, each that counts a part of a larger one of the same indicator before it in
    the paragraph with the words that name that part (:func:`kb.figures.qualifiers.part`)."""
    out: list[Figure] = []
    for f in figures:
        ind = indicators.by_name(f.indicator) if f.indicator else None
        if ind is not None and not f.part and _a_part(f, out):
            lo = max(c for c in clause_starts(text, 0, f.start) if c <= f.start)
            signal = None
            for m in ind.signals.finditer(text, lo, f.start):
                signal = m.span()
            words = qualifiers.part(text, lo, f.start, signal)
            if words:
                f = Figure(**(f.to_dict() | {"part": words}))
        out.append(f)
    return out


def _a_part(f: Figure, before: list[Figure]) -> bool:
    """Whether ``f`` may count a part: a level without scope, counted (not a share), after a
    larger whole of the same indicator and unit."""
    if f.scope or f.change or f.normalized_unit == "%":
        return False
    return any(g.indicator == f.indicator and g.normalized_unit == f.normalized_unit and not g.part
               and g.amount > f.amount for g in before)

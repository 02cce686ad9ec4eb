"""How firmly the evidence supports an item's delivery (search step, part of :mod:`kb.search.plans`).

A review paragraph that holds much of an item's words may still say little of it: the item's own
object (its rarest words: 皖北 of 加强皖北基础设施建设) unsaid, or the item named only in passing in a
list of things (在民生保障、战略性新兴产业、交通等基础设施方面推进了一批重点项目). On the eight judged
sets such items delivered by words alone were right about four times in ten: the verdict stands, but
it is not sure (docs/PLANS.md, stop 40).
"""

from __future__ import annotations

import re

from kb.search import plan_figures, plan_names, plan_units
from kb.text import words

#: How many of an item's rarest words (the meaning model's counts) stand for its object.
RAREST = 2


def content_words(text: str) -> list[str]:
    """An item's words of two characters or more, Chinese, once each, in order (no figures)."""
    return [w for w in dict.fromkeys(words.cut(re.sub(r"[\d.%％]+", " ", text)))
            if len(w) >= 2 and re.search(r"[\u4e00-\u9fff]", w)]


def rarest_said(item: str, evidence: str) -> bool:
    """Whether the evidence says one of the item's :data:`RAREST` rarest words (its object: 皖北,
    创卫), the reports' counts by the meaning model (a word it does not know is rarest)."""
    counts = plan_names.counts()
    rare = sorted(content_words(item), key=lambda w: counts.get(w, 0))[:RAREST]
    return not rare or any(w in evidence for w in rare)


def in_passing(item: str, evidence: str) -> bool:
    """Whether the evidence names the item only in a list: the clause of its sentence that holds
    most of the item's words lists three things or more (A、B、C)."""
    said = content_words(item)
    if not said:
        return False
    clauses = [c for s in re.findall(r"[^。；！？]+", evidence) for c in re.split(r"[，,：:]", s)]
    best = max(clauses, key=lambda c: sum(w in c for w in said), default="")
    return best.count("、") >= 2


#: A review that says a whole list was done (全面完成十方面民生实事, 人代会预期性目标全部达成): the list
#: statements of each kind of list (:attr:`kb.enrich.plans.PlanItem.in_list`).
_LIST_DONE = {
    "projects": re.compile(r"(?:实事|民生工程)[^。；]{0,24}?(?:全部|全面|圆满|均|如期|高质量)(?:完成|落实|办结|见效|兑现)"
                           r"|(?:全部|全面|圆满|高质量|如期)(?:完成|落实|办好)[^。；]{0,16}?(?:民生实事|实事|民生工程)"),
    "targets": re.compile(r"(?:预期性?目标|主要目标|目标任务|主要经济指标|主要指标)[^。；]{0,16}?(?:全部|全面|均|圆满|超额)"
                          r"(?:达成|完成|实现|高于|超过)|(?:全部|全面|圆满|超额)(?:完成|实现|达成)[^。；]{0,24}?"
                          r"(?:预期性?目标|主要目标|各项目标|确定的目标任务)"),
}
LIST_KINDS = tuple(_LIST_DONE)
#: Words of another scope than the year's list (a five-year plan, a stage: 圆满完成了“十三五”规划主要目标),
#: of the year's own (圆满完成“十三五”规划和2016年各项目标), and of a list not done (未能全面完成).
_OTHER_SCOPE = re.compile(r"十[一二三四五六七八九]五|规划|五年|阶段|三步走|第[一二三]步|[两二]步")
_THE_YEAR = re.compile(r"(?:19|20)\d\d年|年度|全年|今年|去年|年初|人代会|人大")
_NOT = re.compile(r"未|没有|不(?!断|少)")


def list_done(kind: str, text: str) -> bool:
    """Whether ``text`` says a whole list of ``kind`` was done: a list statement (:data:`_LIST_DONE`)
    not negated (“十三五”规划未能全面完成) and not of another scope (圆满完成了“十二五”规划确定的主要目标)
    unless it names the year's list too (stop 40)."""
    for m in _LIST_DONE[kind].finditer(text):
        said = m.group(0)
        if _NOT.search(said) or _OTHER_SCOPE.search(said) and not _THE_YEAR.search(said):
            continue
        return True
    return False


#: Why a figure of an item is not compared (:func:`not_compared`), as the page says it.
WHY = {"years": "几年或以后年份的目标", "magnitude": "量级不同", "per_unit": "人均与总量"}


def not_compared(item_text: str, sentences: list[str], year: int = 0) -> list[dict]:
    """The item's figures :func:`kb.search.plan_figures.compare` does not compare, and why, to say so
    beside those compared (stop 40): a target of several or later years (``years``); one whose
    indicator the ``sentences`` give in another magnitude (``magnitude``: 比上年增加500亿元 against
    5335.8亿元) or only per person where the item's is a total, or the other way round
    (``per_unit``: 人均国内生产总值超过28000元 against 生产总值12451.8亿元)."""
    text = item_text.replace("％", "%")
    sentences = [x.replace("％", "%") for x in sentences]
    out = []
    for f in plan_figures.numbers(text):
        key = plan_figures.indicator_of(text, f.start, f.end)
        if len(key) < 2 or plan_figures.starting(text, f):
            continue
        written = text[f.start:f.end]
        if plan_units.later(text, f.start, year):
            out.append({"indicator": key, "target": written, "actual": None, "why": "years"})
        elif sentences and plan_figures.actual(key, f.base, sentences, target=float(f.value * f.multiplier)) is None:
            found = _other_dimension(key, f.base, sentences)
            if found:
                out.append({"indicator": key, "target": written, "actual": found[0], "why": found[1]})
    return out


def _other_dimension(key: str, base: str, sentences: list[str]) -> tuple[str, str] | None:
    """The figure the sentences give for ``key`` in another magnitude, or for its per-person or
    total counterpart (人均国内生产总值 and 国内生产总值), as written, and why it is not compared."""
    found = plan_figures.actual(key, base, sentences)
    if found and _same_unit(found[0], base) and _named(key, found[0], sentences):
        return found[0], "magnitude"
    flipped = re.sub(r"^(?:人均|户均|亩均)", "", key) if plan_units.per_unit(key) else "人均" + key
    found = plan_figures.actual(flipped, base, sentences) if flipped != key else None
    return (found[0], "per_unit") if found and _named(flipped, found[0], sentences) else None


def _named(key: str, written: str, sentences: list[str]) -> bool:
    """Whether the figure ``written`` stands after the indicator ``key`` in its own words, not only
    after it in a sentence (新改扩建公办幼儿园…，新增公办幼儿学位5.1万个 is no figure of the kindergartens)."""
    for x in sentences:
        at = x.find(written)
        if at >= 0:
            return plan_figures.alike(key, plan_figures.indicator_of(x, at, at + len(written))) >= plan_figures.SAME
    return False


def _same_unit(written: str, base: str) -> bool:
    """Whether a figure as written is in the unit ``base`` itself (个 is not 所, though both count things)."""
    nums = plan_figures.numbers(written)
    return bool(nums) and nums[0].base == base

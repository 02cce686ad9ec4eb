"""How far a plan item reaches (enrich step): the plan's year, or years beyond it.

A plan for next year also names goals over several years (力争三年完成全市棚户区改造, 到2025年…, “十四五”期间…,
年均增长8%, 深入实施国企改革三年行动): the next year's report can say such a goal is on its way, not that it was
kept or missed. :func:`horizon` says which words of an item's sentence put it beyond the plan's year (the
matcher then marks its verdict not sure, :mod:`kb.search.plans`); an item that says what this year does of a
programme (落实…三年行动计划年度任务, 启动…三年行动, 完成…三年行动计划任务, 年内…, a figure of its own) is the
year's. Read on tests/data/plan_item_kinds2.toml (docs/PLANS.md, stop 40).
"""

from __future__ import annotations

import re

YEAR, YEARS = "year", "years"

#: The last year of each five-year plan (十四五 = 2021–2025).
_PERIOD_END = {"十五": 2005, "十一五": 2010, "十二五": 2015, "十三五": 2020, "十四五": 2025, "十五五": 2030}
#: A five-year plan's span as the goal's time (“十四五”期间, 十三五时期, “十四五”末); not the plan itself (编制“十四五”规划).
_PERIOD = re.compile(r"[“\"]?(十[一二三四五]?五)[”\"]?(?:期间|时期|末)")
#: An end year the goal is set for (到2025年, 至2022年, 2023年前, 2022年底前).
_BY_YEAR = re.compile(r"(?:到|至)\s*(20\d\d)\s*年|(20\d\d)\s*年(?:底|末)?(?:以?前)")
#: A span of years from now (力争三年完成, 用三年时间, 三年内, 两年后, 今后五年, “两年彻底转变”); a programme that
#: doubles in three years (三年倍增计划) is a programme (:data:`_PROGRAMME`).
_SPAN = re.compile(r"(?:今后|未来|用|力争|争取|再用)\s*[两二三四五六七八九十]\s*年|[两二三四五六七八九十]年(?:内|后|时间|左右)"
                   r"|[两二三四五]年(?:彻底|基本|全面|大变|初见成效|见成效|大见成效)")
#: An average or a sum over years (年均增长8%).
_AVERAGE = re.compile(r"年均")
#: A programme of several years carried on (实施…三年行动, 深入推进…三年行动计划, 落实好…三年行动计划).
_PROGRAMME = re.compile(r"(?:实施|推进|落实|深化|开展|推动|抓好|用好|执行)[^，。；;]{0,20}?[两二三四五]年[^，。；;]{0,6}?"
                        r"(?:行动|计划|攻坚|倍增)")
#: What this year does of a programme: its year's part, its start or its drafting, its end.
_THIS_YEAR = re.compile(r"年度任务|年内|全年|今年|当年|启动|制定|编制|出台|研究|收官|完成[^，。；;]{0,20}(?:行动|计划)[^，。；;]{0,6}任务")
_TITLE = re.compile(r"《[^》]*》|[（(][^）)]*\d{4}[^）)]*[)）]")
_FIGURE = re.compile(r"\d")


def horizon(sentence: str, plan_year: int | None = None, piece: str | None = None) -> str:
    """The words of ``sentence`` (the item's sentence; ``piece``: the item itself, default the sentence)
    that put the item's goal beyond ``plan_year`` (the year the plan is for), or "" when it is the year's.
    Titles (《…（2009—2020年）》) say nothing of the goal's time."""
    text = _TITLE.sub("", sentence)
    item = _TITLE.sub("", piece if piece is not None else sentence)
    return _time_beyond(text, plan_year) or _programme(item)


def _time_beyond(text: str, plan_year: int | None) -> str:
    """A five-year plan's span ending after the plan's year, an end year after it, a span of years, an average."""
    for m in _PERIOD.finditer(text):
        if plan_year is None or _PERIOD_END[m.group(1)] > plan_year:
            return m.group(0)
    for m in _BY_YEAR.finditer(text):
        if plan_year is not None and int(m.group(1) or m.group(2)) > plan_year:
            return m.group(0)
    m = _SPAN.search(text)
    return m.group(0) if m else ""


def _programme(item: str) -> str:
    """An average over years (年均增长), or a programme of several years carried on, not this year's part of it."""
    m = _AVERAGE.search(item)
    if m:
        return m.group(0)
    m = _PROGRAMME.search(item)
    return m.group(0) if m and not _THIS_YEAR.search(item) and not _FIGURE.search(item) else ""

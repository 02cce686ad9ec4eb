"""Year: the decider of the year a report reports on, from every piece of evidence of it.

One of :mod:`kb.ingest.metadata`'s deciders. The year is the year reported on: a work report
(政府工作报告) given in 2024 reviews 2023 (its titles, file name and the date it was given say
2024; its review heading 一、2023年工作回顾 says 2023; its plan heading says 2024); a 法治政府建设
report's title year is the year it reports on, and it is signed early the year after.
"""

from __future__ import annotations

import re

from kb.core.errors import ImportFailed
from kb.ingest import evidence as ev
from kb.ingest.evidence import parse_date
from kb.ingest.metadata.readings import GOOD, GUESS, STRONG, WEAK, Decision, Reading, Sources, weigh
from kb.ingest.repair import Repaired


def _reported(date: str, work: bool) -> int:
    """The year reported on, from the date a work report was given (it reviews the year
    before, unless given late in the year) or a report was signed (early next year, or late
    in the year it reports on)."""
    y, m = int(date[:4]), int(date[5:7])
    return (y - 1 if m <= 9 else y) if work else (y if m >= 10 else y - 1)


def year_readings(s: Sources, genre: str) -> list[Reading]:
    """Every piece of evidence of the year reported on."""
    r, work = s.repaired, genre == "work"
    out = _title_years(s, work) + _file_name_year(s.file_name, work) + (_speech_years(r) if work else _signed_years(r))
    if not out and ev.most_mentioned_year(r):
        out.append(Reading(ev.most_mentioned_year(r), "the year the text names most often", GUESS))
    return out


def _title_years(s: Sources, work: bool) -> list[Reading]:
    """The year each title names (a work report's: the year it was given, or the date)."""
    out = []
    for text, where, w in s.titles():
        date = ev.title_date(text)
        year = ev.year_in(text)
        if date and work:
            out.append(Reading(_reported(date, True), f"{where}: given on {date}, it reviews the year before", w))
        elif year:
            out.append(Reading(year - 1 if work else year, f"{where} ({year}年" + ("，the year it was given: it reviews "
                               "the year before)" if work else ")"), w))
    return out


def _file_name_year(file_name: str, work: bool) -> list[Reading]:
    """The year a file name that is only a year names (2024.md)."""
    year = ev.bare_year(file_name)
    if not year:
        return []
    # a file name alone may say either year: weak
    return [Reading(year - 1 if work else year, f"the file name ({year}" + (": the year it was given)" if work else ")"), WEAK)]


def _speech_years(r: Repaired) -> list[Reading]:
    """A work report's: the date it was given, its review heading, its plan heading."""
    out = []
    date = ev.delivered_date(r, [])
    if date:
        out.append(Reading(_reported(date, True), f"given on {date}: it reviews the year before", STRONG))
    for (year, text), shift, how, w in ((ev.review_year(r), 0, "the review of the year", STRONG),
                                        (ev.plan_year(r), 1, "the plan for the year after", WEAK)):
        if year:
            out.append(Reading(year - shift, f"{how} ({text}…)", w))
    return out


def _signed_years(r: Repaired) -> list[Reading]:
    """Another report's: the year its opening sentence opens with, the date it was signed."""
    out = []
    if ev.opening_year(r):
        out.append(Reading(ev.opening_year(r), "the opening sentence", GOOD))
    if parse_date(r.date_line):
        out.append(Reading(_reported(parse_date(r.date_line), False), f"signed {parse_date(r.date_line)}", WEAK))
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

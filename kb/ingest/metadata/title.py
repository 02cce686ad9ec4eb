"""Title: the deciders of a report's title and its genre (a work report or another report).

Two of :mod:`kb.ingest.metadata`'s deciders, run first: the title is given, the file's own
(front matter, a document's or a page's title), the title line, or a file name that is a
report's title; a report with none is given one once its agency and year are decided
(:func:`made_title`). The genre (政府工作报告 or 法治政府建设 and the like) tells the other
deciders which evidence to read.
"""

from __future__ import annotations

import re

from kb.ingest import evidence as ev
from kb.ingest.evidence import NATIONAL
from kb.ingest.metadata.readings import Decision, Sources


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


def made_title(genre: str, agency: str, year: int) -> str:
    """The title a report with none is given: the agency's 政府工作报告, or its year's 法治政府建设情况报告."""
    if genre == "work":
        return "政府工作报告" if agency == NATIONAL else re.sub(r"人民政府$", "", agency) + "政府工作报告"
    return f"{agency}{year}年度法治政府建设情况报告"

"""Report card: the parts a 法治政府建设 annual report must have, and whether it has them.

The annual report on building a rule-of-law government (法治政府建设年度报告, 2019
《法治政府建设与责任落实督察工作规定》) must state the main measures and results, the
shortcomings and their causes, how the Party and government heads performed their duty as
first responsible persons, and the plans for the next year. For each part a report has

- ``section``: a section of its own -- some paragraph's section kind, which
  :mod:`kb.enrich.paragraphs` reads from the headings above it, is the part's;
- ``in_text``: no section of its own, but paragraphs of other parts speak of it
  (黎平's 主要负责同志……有效履行推进法治政府建设第一责任人职责 inside 工作开展情况);
  those paragraphs are given;
- ``missing``: neither.

The card also gives the date signed (or says it is not given). Reports of other genres
(government work reports, speeches) get no card: ``applies`` is false and says why.
"""

from __future__ import annotations

import re

from kb.core.model import Paragraph, Report

#: (part as the 督察工作规定 names it, the section kind of kb.enrich.paragraphs, words that mention it)
PARTS: tuple[tuple[str, str, re.Pattern], ...] = (
    ("主要举措和成效", "主要举措和成效", re.compile(r"举措|成效|措施|做法")),
    ("不足和原因", "存在的不足和原因", re.compile(r"不足|存在的?问题|差距|短板|薄弱")),
    ("党政主要负责人履行推进法治建设第一责任人职责", "第一责任人职责",
     re.compile(r"第一责任人|主要负责人|主要负责同志|一把手|述法")),
    ("下一年度主要安排", "下一年度安排", re.compile(r"下一步|下一年|下步|明年|来年|今后|\d{4}年(?:将|要|计划)")),
)
STATUSES = ("section", "in_text", "missing")

GENRE = re.compile(r"法治政府建设|法治建设|依法行政")
OTHER_GENRE = re.compile(r"政府工作报告|讲话|发言|致辞")
NOT_APPLICABLE = "不适用：不是法治政府建设年度报告 (not a rule-of-law government report: no required parts)"


def applies(report: Report) -> bool:
    """Whether the report is a 法治政府建设 annual report (by its title)."""
    return bool(GENRE.search(report.title)) and not OTHER_GENRE.search(report.title)


def card(report: Report, paragraphs: list[Paragraph]) -> dict:
    """The report card: ``{"applies", "note", "required_parts": [{"part", "status",
    "section_kind", "paragraphs"}], "complete", "lacking", "date_signed"}``."""
    if not applies(report):
        return {"applies": False, "note": NOT_APPLICABLE, "required_parts": [], "complete": None,
                "lacking": [], "date_signed": report.date_signed or None}
    parts = []
    for part, kind, words in PARTS:
        own = [p.id for p in paragraphs if p.section_kind == kind]
        if own:
            parts.append({"part": part, "status": "section", "section_kind": kind, "paragraphs": own})
            continue
        mentions = [p.id for p in paragraphs if words.search(p.text)]
        parts.append({"part": part, "status": "in_text" if mentions else "missing", "section_kind": kind,
                      "paragraphs": mentions})
    lacking = [p["part"] for p in parts if p["status"] != "section"]
    return {"applies": True, "note": "", "required_parts": parts, "complete": not lacking, "lacking": lacking,
            "date_signed": report.date_signed or None}


def summary(c: dict) -> dict:
    """The card without paragraph lists: what the list of reports shows."""
    return {"applies": c["applies"], "complete": c["complete"], "date_signed": c["date_signed"],
            "parts": {p["part"]: p["status"] for p in c["required_parts"]}}


class _Part:
    """A paragraph as the card reads it (from the dict of a report page)."""

    def __init__(self, p: dict):
        self.id, self.section_kind, self.text = p["id"], p["section_kind"], p["text"]


def card_of(data: dict) -> dict:
    """The card of a report given as :meth:`kb.search.KnowledgeBase.report` returns it."""
    report = Report(id=data["id"], title=data["title"], agency=data["agency"], year=data["year"],
                    date_signed=data.get("date_signed") or "")
    return card(report, [_Part(p) for p in data["paragraphs"]])

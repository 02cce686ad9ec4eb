"""Paragraphs (enrich step): a report's Markdown body -> paragraphs with ids, section paths and kinds.

Reads the body that :mod:`kb.core.corpus` stores. Each paragraph gets

- a stable id ``<report id>.p<ordinal>`` (ordinal counts paragraphs from 1, so ids stay
  the same while the report is unchanged);
- its section path: the headings above it, outermost first, and its own run-in
  heading (``**（一）标题。**正文``) as the innermost entry;
- its section kind: one of :data:`kb.core.model.SECTION_KINDS`, from the headings.
"""

from __future__ import annotations

import re

from kb.core.model import Paragraph, Report
from kb.enrich import topics
from kb.ingest.repair.headings import NOTES

HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*$")
LEAD = re.compile(r"^\*\*(.+?)\*\*(.*)$", re.S)

# Section kinds by the words of a heading; the first rule that matches wins, so the
# more specific kinds come first (下一步工作措施 is a plan, not a measure).
KIND_RULES: list[tuple[str, re.Pattern]] = [
    ("名词解释", NOTES),  # a glossary or notes: 名词解释, 《政府工作报告》注释, 附：名词解析
    ("第一责任人职责", re.compile(r"第一责任人|主要负责人|主要负责同志|主体责任|履职情况|述法")),
    ("存在的不足和原因", re.compile(r"不足|存在的?问题|问题和|差距|短板|薄弱|原因|整改")),
    ("下一年度安排", re.compile(r"下一|下步|来年|明年|安排|打算|计划|思路|展望|\d{4}年(?:度)?(?:工作)?(?:重点|目标)")),
    ("主要举措和成效", re.compile(r"举措|成效|措施|做法|工作开展|开展情况|工作情况|主要工作|成绩|进展|落实情况|推进情况")),
]


def kind_of_heading(heading: str) -> str | None:
    for kind, rx in KIND_RULES:
        if rx.search(heading):
            return kind
    return None


def section_kind(path: list[str]) -> str:
    """The kind of the outermost heading that has one, else 其他."""
    for heading in path:
        kind = kind_of_heading(heading)
        if kind:
            return kind
    return "其他"


def blocks(body: str) -> list[str]:
    """The blank-line separated blocks of a Markdown body, each joined to one line."""
    out = []
    for chunk in re.split(r"\n\s*\n", body.strip()):
        lines = [line.strip() for line in chunk.splitlines() if line.strip()]
        if lines:
            out.append(_join(lines))
    return out


def _join(lines: list[str]) -> str:
    """Join hard-wrapped lines; a space only between two Latin words."""
    text = lines[0]
    for line in lines[1:]:
        sep = " " if text[-1].isascii() and text[-1].isalnum() and line[0].isascii() else ""
        text += sep + line
    return text


def strip_lead(lead: str) -> str:
    """（一）深入学习习近平法治思想。 -> （一）深入学习习近平法治思想"""
    return re.sub(r"[。.:：\s]+$", "", lead)


def split_report(report: Report) -> list[Paragraph]:
    """The paragraphs of ``report`` in order."""
    stack: list[tuple[int, str]] = []  # (level, heading)
    paragraphs: list[Paragraph] = []
    lead_above = ""  # a run-in heading stays in force until the next heading or run-in
    for block in blocks(report.body):
        m = HEADING.match(block)
        if m:
            level = len(m.group(1))
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, m.group(2)))
            lead_above = ""
            continue
        lead = ""
        text = block.removeprefix("\\")
        lm = LEAD.match(block)
        if lm:
            lead = strip_lead(lm.group(1))
            text = lm.group(1) + lm.group(2)
            lead_above = lead
        path = [h for _, h in stack] + ([lead_above] if lead_above else [])
        n = len(paragraphs) + 1
        paragraphs.append(
            Paragraph(
                id=f"{report.id}.p{n}",
                report_id=report.id,
                ordinal=n,
                text=text,
                section=path,
                headings=[h for _, h in stack],
                section_kind=section_kind(path),
                lead=lead,
            )
        )
    return paragraphs


#: A note that explains a term: under a heading such as 名词解释, 注释, 有关词语解释 …
NOTE_HEADING = re.compile(r"名词解释|注释|词语解释|释义|注解|名词说明")
#: … or a term, perhaps numbered, then 即 / 指 (16.平急两用：指…, 专精特新】即…) or a
#: numbered term and a colon right away ([8] 双碳：碳达峰、碳中和).
NOTE_DEFINES = re.compile(r"^\s*(?:\[\d{1,3}\]|\d{1,3}\s*[.．、]|[（(]\d{1,3}[)）])?\s*【?[“\"]?[^：:】\s，。；]{1,30}?[”\"]?"
                          r"\s*(?:[：:]\s*(?:即|指|是指)|】\s*(?:即|指|是指)?)")
NOTE_NUMBERED = re.compile(r"^\s*(?:\[\d{1,3}\]|\d{1,3}\s*[.．])\s*[“\"]?[^：:，。；]{1,24}[：:]")


def is_note(text: str, section: list[str]) -> bool:
    """Whether a paragraph is a note that explains a term (名词解释), not a report of
    what was done: the search ranks such notes lower."""
    if any(NOTE_HEADING.search(h) for h in section):
        return True
    return len(text) <= 400 and bool(NOTE_DEFINES.match(text) or NOTE_NUMBERED.match(text))


def paragraphs_of(report: Report) -> list[Paragraph]:
    """split -> enrich: the indexed paragraphs of one report."""
    return topics.enrich(split_report(report))

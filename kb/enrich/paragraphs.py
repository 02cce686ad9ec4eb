"""Paragraphs (enrich step): a report's Markdown body -> paragraphs with ids, section paths and kinds.

Reads the body that :mod:`kb.core.corpus` stores. Each paragraph gets

- a stable id ``<report id>.p<ordinal>`` (ordinal counts paragraphs from 1, so ids stay
  the same while the report is unchanged);
- its section path: the headings above it, outermost first, and its own run-in
  heading (``**（一）标题。**正文``) as the innermost entry;
- its section kind: one of :data:`kb.core.model.SECTION_KINDS`, the part of the report it is
  in (:mod:`kb.enrich.parts`: from the headings, nested by their numbering, and for a work
  report also from the order of its parts and the paragraphs that open or close them).
"""

from __future__ import annotations

import re

from kb.core.model import Paragraph, Report
from kb.enrich import topics
from kb.enrich.parts import KIND_RULES, Outline, Parts, is_address, kind_of_heading, section_kind

__all__ = ["KIND_RULES", "blocks", "is_note", "kind_of_heading", "paragraphs_of", "section_kind", "split_report",
           "strip_lead"]

HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*$")
LEAD = re.compile(r"^\*\*(.+?)\*\*(.*)$", re.S)

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
    """The paragraphs of ``report`` in order, each with its section path and part."""
    chunks = blocks(report.body)
    outline = Outline()
    parts = Parts.of(report.title, report.year, any(HEADING.match(b) for b in chunks))
    paragraphs: list[Paragraph] = []
    lead_above = ""  # a run-in heading stays in force until the next heading or run-in
    for block in chunks:
        m = HEADING.match(block)
        if m and not is_address(m.group(2)):
            outline.push(m.group(2), len(m.group(1)), parts.names_part(m.group(2)))
            lead_above = ""
            continue
        text, lead = (m.group(2), "") if m else _text_and_lead(block)
        lead_above = lead or lead_above
        headings = outline.headings()
        path = headings + ([lead_above] if lead_above else [])
        kind, opened = parts.kind(text, path, headings)
        if opened:
            outline.close_parts()
        n = len(paragraphs) + 1
        paragraphs.append(Paragraph(id=f"{report.id}.p{n}", report_id=report.id, ordinal=n, text=text, section=path,
                                    headings=headings, section_kind=kind, lead=lead))
    return paragraphs


def _text_and_lead(block: str) -> tuple[str, str]:
    """A paragraph block's text and its run-in heading (``**（一）标题。**正文``), if any."""
    lm = LEAD.match(block)
    if lm:
        return lm.group(1) + lm.group(2), strip_lead(lm.group(1))
    return block.removeprefix("\\"), ""


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

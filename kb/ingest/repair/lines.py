"""Lines: a report's text as :class:`Line` s, with what its markup says, and the site's lines dropped.

The first step of :mod:`kb.ingest.repair`: plain text becomes its non-empty lines (page
numbers and running headers dropped, see :mod:`kb.ingest.repair.pages`; an indent noted),
Markdown its blocks (``#`` headings, bold lines and bold run-in leads noted); then the lines
a government site put around the report (:mod:`kb.ingest.furniture`) are taken out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kb.ingest import furniture
from kb.ingest.repair.pages import PAGE_BREAK, is_page_number, page_furniture
from kb.ingest.repair.shapes import bracketed, stripped, tidy_spaces

INDENT = re.compile(r"^[ \t\u3000\xa0]+")
MARKUP = re.compile(r"^\*+|\*+$")


@dataclass
class Line:
    """One line of plain text, or one block of Markdown, with what its markup says."""

    text: str
    indented: bool = False  # plain text: starts with spaces or U+3000 (a paragraph starts)
    heading: int = 0  # Markdown: the level of a # heading
    bold: bool = False  # Markdown: the whole block is bold (**一、……**)
    lead: str = ""  # Markdown: the bold run-in lead of the block (**扩大有效投资。**正文)
    block: bool = False  # Markdown: a block of its own (a blank line before it)
    last: int = 0  # after joining: the length of the last line joined in (0: the whole text)
    full: bool = False  # PDF layout: the line reaches the right margin at a page's end (U+00AD)

    @property
    def marked(self) -> bool:
        return bool(self.heading or self.bold)


# -- plain text ---------------------------------------------------------------------------------


def clean_lines(text: str) -> list[Line]:
    """Non-empty lines, page numbers, running headers and stray spaces removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    pages = [page.split("\n") for page in text.split(PAGE_BREAK)]
    drop = page_furniture(pages)
    out = []
    for pn, lines in enumerate(pages):
        for i, raw in enumerate(lines):
            line = bracketed(stripped(raw))
            if not line or (pn, i) in drop:
                continue
            out.append(Line(line.rstrip("\u00ad"), indented=bool(INDENT.match(raw)), full=line.endswith("\u00ad")))
    return out


# -- Markdown: blocks and their hints -------------------------------------------------------


def markdown_lines(text: str) -> list[Line]:
    """The blocks of a Markdown text as lines with hints (headings, bold, run-in leads).

    A block's hard-wrapped lines are joined; page numbers standing as blocks are dropped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace(PAGE_BREAK, "\n\n")
    out = []
    for chunk in re.split(r"\n[ \t\u3000]*\n", text):
        parts = [bracketed(stripped(x)) for x in chunk.split("\n") if stripped(x)]
        if not parts:
            continue
        for k, part in enumerate(parts):
            line = _markdown_line(part)
            if line and not is_page_number(line.text):
                # a block's later lines: hard-wrapped or not, as plain text says
                line.block = k == 0 or line.marked or bool(line.lead) or part.startswith("#")
                out.append(line)
    return out


def _markdown_line(s: str) -> Line | None:
    """One line of a Markdown block with its hints (a # heading, a bold line, a bold lead); None if empty."""
    m = re.match(r"^(#{1,6})\s+(.*?)\s*#*$", s)
    if m:
        text = bracketed(tidy_spaces(MARKUP.sub("", m.group(2)).strip()))
        return Line(text, heading=len(m.group(1)), block=True) if text else None
    m = re.match(r"^\*{2,3}(.+?)\*{2,3}(.*)$", s)
    if m and "**" not in m.group(1):
        inner, rest = m.group(1).strip(), m.group(2).strip()
        if not rest or not rest.strip("*"):
            return Line(tidy_spaces(inner) if len(inner) <= 60 else inner, bold=len(inner) <= 60 and not _is_sentences(inner), block=True)
        rest = rest.replace("**", "")
        if len(inner) <= 60 and not re.search(r"[。；;！!？?]", inner[:-1]):
            return Line(inner + rest, lead=inner, block=True)
        return Line(inner + rest, block=True)
    s = MARKUP.sub("", s).replace("**", "") if s.startswith("*") or "**" in s else s
    s = s.removeprefix("\\")
    return Line(s, block=True) if s else None


def _is_sentences(text: str) -> bool:
    """True for text with sentence punctuation inside it (a paragraph set in bold, not a heading)."""
    return bool(re.search(r"[。；;！!？?，,]", text.rstrip("。:：")))


# -- the site's lines ---------------------------------------------------------------------------


def drop_furniture(lines: list[Line]) -> tuple[list[Line], list[str]]:
    """(the lines of the report, the lines of the site removed): see :mod:`kb.ingest.furniture`."""
    drop, cut = furniture.split([line.text for line in lines])
    removed = [lines[i].text for i in drop] + list(cut.values())
    kept = []
    for i, line in enumerate(lines):
        if i in cut:
            line = Line(stripped(line.text[line.text.index(cut[i]) + len(cut[i]):]), line.indented, line.heading,
                        line.bold, line.lead, line.block)
        if i not in drop and line.text:
            kept.append(line)
    return kept, removed

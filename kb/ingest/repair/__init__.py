"""Repair: turn the damaged lines of a report into title, headings and paragraphs.

Second step, after :mod:`kb.ingest.formats` has read a file into text. Reports copied from PDFs
and web pages arrive with

- titles split over two lines (南开区卫生健康委2023年度法治政府建设 / 情况报告);
- paragraphs cut mid-sentence where a page ended, also inside 《…》 titles and 文号
  (宛法〔2021〕7 / 号), and lines hard-wrapped at a fixed width;
- page numbers and running headers (- 3 -, 第3页, the report's name atop every page);
- paragraphs indented with U+3000 (the indent marks where a paragraph starts);
- headings numbered in several styles (一、 （一） 1. （1）) or not numbered at all;
- run-in headings (（一）标题。正文……) that open a paragraph;
- a byline under the title (——2024年1月15日在…人民代表大会…上 / 市长 某某);
- a closing formula, signature and date at the end.

Plain text is one line per line; Markdown (``markdown=True``: what :mod:`kb.ingest.formats`
makes of .md, .docx and .html) is one block per paragraph, with ``#`` headings, bold
lines (``**一、……**``) and bold run-in leads (``**扩大有效投资。**正文``) as hints.

:func:`repair` returns a :class:`Repaired` document; :mod:`kb.ingest.metadata` reads the
title, letterhead, byline and signature, :mod:`kb.core.corpus` writes the blocks as Markdown.
The steps, one module each: :mod:`~kb.ingest.repair.lines` (lines and their hints, with
:mod:`~kb.ingest.repair.pages` for page numbers and running headers, and the site's lines
dropped), :mod:`~kb.ingest.repair.joining` (broken lines joined), :mod:`~kb.ingest.repair.title`,
:mod:`~kb.ingest.repair.byline` and :mod:`~kb.ingest.repair.signature` (the top and the end),
:mod:`~kb.ingest.repair.headings` (headings, levels, paragraphs); what a single line looks like
is :mod:`~kb.ingest.repair.shapes`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kb.core.model import Block
from kb.ingest.repair.byline import split_byline
from kb.ingest.repair.headings import classify
from kb.ingest.repair.joining import join_broken, join_layout
from kb.ingest.repair.lines import clean_lines, drop_furniture, markdown_lines
from kb.ingest.repair.shapes import tidy_spaces
from kb.ingest.repair.signature import split_trailer
from kb.ingest.repair.title import split_header


@dataclass
class Repaired:
    """A report's text after repair, before metadata is decided."""

    title: str = ""
    letterhead: list[str] = field(default_factory=list)  # short lines above the title
    blocks: list[Block] = field(default_factory=list)
    signature: list[str] = field(default_factory=list)  # signing agency lines at the end
    date_line: str = ""  # the date line at the end, as written
    byline: list[str] = field(default_factory=list)  # under the title: when, where and by whom it was given
    furniture: list[str] = field(default_factory=list)  # the site's lines removed (来源：…, …门户网站)


def repair(text: str, markdown: bool = False, layout: bool = False) -> Repaired:
    """Repair a report's plain text, or its Markdown, or the paragraphs a PDF's layout gave
    (``layout``: one a line; see the module docstring)."""
    lines, removed = drop_furniture(markdown_lines(text) if markdown else clean_lines(text))
    lines = join_layout(lines) if layout else join_broken(lines, markdown)
    texts = [line.text for line in lines]
    title, letterhead, rest = split_header(texts)
    start = len(texts) - len(rest)
    byline, used = split_byline(rest)
    kept = [start + k for k in range(len(rest)) if k not in used]
    body, signature, date_line = split_trailer([texts[i] for i in kept])
    return Repaired(
        title=title,
        letterhead=[tidy_spaces(x) for x in letterhead] if markdown else letterhead,
        blocks=classify([lines[i] for i in kept[:len(body)]]),
        signature=signature,
        date_line=date_line,
        byline=[tidy_spaces(x) for x in byline],
        furniture=removed,
    )

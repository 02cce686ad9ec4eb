"""Headings: the body's lines classified as headings (with levels), paragraphs and run-in headings.

The last step of :mod:`kb.ingest.repair`. Each line is tried by small deciders in order (a
glossary's heading, an entry under it, a ``#`` heading, a bold line, a paragraph with a bold
lead, a numbered heading, a numbered run-in heading, an unnumbered heading between numbered
ones); the first that recognises the line makes its block, else it is a paragraph. Levels
follow the numbering styles (一、 （一） 1. （1）) in the order they first appear.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from kb.core.model import Block
from kb.ingest.repair.lines import Line
from kb.ingest.repair.shapes import is_heading_shape, is_unnumbered_heading_shape, numbering, tidy_spaces

#: The heading of a glossary (名词解释) or of notes (注释): a section of its own kind. Every wording
#: of the data set's 412 glossary headings (附录一：《政府工作报告》名词解释, 有关术语的说明, 解释说明,
#: 名词解释及有关情况的说明, 2.注释 …), and no other heading of it.
NOTES = re.compile(r"^[【\[]?(?:附(?:件|录)?\s*[一二三四五六七八九十\d]*\s*[:：]?\s*|\d{4}年|\d{1,2}\s*[.．、]\s*|《[^》]{2,12}》\s*"
                   r"|政府工作报告|有关(?:内容)?|相关|部分|主要|专业|工作和)*(?:名词|特定词语|词语|用语|术语)*的?"
                   r"(?:解释|注释|注解|解析|说明)(?:(?:和|及)(?:有关)?(?:情况)?的?说明|说明)?[】\]]?\s*[:：]?$")


def split_lead(line: str) -> tuple[str, str] | None:
    """(run-in heading, rest) for 「（一）标题。正文……」, else None."""
    num = numbering(line)
    if not num:
        return None
    m = re.search(r"[。：:]", num[1])
    if not m or m.start() > 40 or m.end() >= len(num[1]):
        return None
    cut = len(line) - len(num[1]) + m.end()
    return line[:cut], line[cut:]


def strip_heading(line: str) -> str:
    """A heading without trailing 。 or ： and with tidy spaces."""
    return tidy_spaces(re.sub(r"[。.:：\s]+$", "", line))


class _Outline:
    """Heading levels by numbering style, in the order the styles first appear, and whether
    the lines are under a glossary's heading (名词解释 / 注释: numbered entries are paragraphs)."""

    def __init__(self) -> None:
        self.stack: list[str] = []
        self.notes = False

    def level(self, style: str) -> int:
        if style in self.stack:
            del self.stack[self.stack.index(style) + 1:]
        else:
            self.stack.append(style)
        return len(self.stack)

    def current(self) -> int:
        return len(self.stack)


Numbered = tuple[str, str] | None  # what :func:`numbering` says of the line
Decider = Callable[[_Outline, Line, Numbered, Line | None], Block | None]


def _notes_heading(o: _Outline, line: Line, num: Numbered, nxt: Line | None) -> Block | None:
    """名词解释 / 注释: a heading of level 1 that opens a glossary."""
    text = strip_heading(line.text)
    if not NOTES.match(text.replace("*", "")):
        return None
    o.notes = True
    return Block("heading", text, 1)


def _notes_entry(o: _Outline, line: Line, num: Numbered, nxt: Line | None) -> Block | None:
    """Under 名词解释 / 注释: numbered entries are paragraphs."""
    return Block("para", line.text) if o.notes and not line.heading else None


def _marked_heading(o: _Outline, line: Line, num: Numbered, nxt: Line | None) -> Block | None:
    """A # heading: numbered ones nest by their numbering, the others by their #s."""
    if not line.heading:
        return None
    return Block("heading", strip_heading(line.text), o.level(num[0] if num else f"#{line.heading}"))


def _bold_heading(o: _Outline, line: Line, num: Numbered, nxt: Line | None) -> Block | None:
    """A bold line, numbered or short: nested by its numbering, else under the current level (2 at least)."""
    if not (line.bold and (num or len(line.text) <= 40)):
        return None
    level = o.level(num[0]) if num else max(2, o.current()) if o.current() else o.level("bold")
    return Block("heading", strip_heading(line.text), level)


def _lead_paragraph(o: _Outline, line: Line, num: Numbered, nxt: Line | None) -> Block | None:
    """A paragraph with a bold run-in lead (its numbering counts in the outline)."""
    if not line.lead:
        return None
    if num:
        o.level(num[0])
    return Block("para", line.text, lead=line.lead)


def _numbered_heading(o: _Outline, line: Line, num: Numbered, nxt: Line | None) -> Block | None:
    """A numbered line of a heading's shape (not a long Markdown block)."""
    if not (num and is_heading_shape(line.text) and not (line.block and len(num[1]) > 40)):
        return None
    return Block("heading", strip_heading(line.text), o.level(num[0]))


def _run_in_heading(o: _Outline, line: Line, num: Numbered, nxt: Line | None) -> Block | None:
    """「（一）标题。正文……」: a paragraph that opens with a numbered heading."""
    lead = split_lead(line.text) if num else None
    if not lead:
        return None
    o.level(num[0])
    return Block("para", line.text, lead=lead[0])


def _unnumbered_heading(o: _Outline, line: Line, num: Numbered, nxt: Line | None) -> Block | None:
    """A short unnumbered line of a heading's shape before a line of another shape."""
    if num or not nxt or not is_unnumbered_heading_shape(line.text) or is_unnumbered_heading_shape(nxt.text) \
            or nxt.heading:
        return None
    # 003: headings without numbers between （2） and （5） are their siblings
    return Block("heading", strip_heading(line.text), max(2, o.current()))


#: The deciders, tried in this order; a line none of them takes is a paragraph.
DECIDERS: tuple[Decider, ...] = (_notes_heading, _notes_entry, _marked_heading, _bold_heading, _lead_paragraph,
                                 _numbered_heading, _run_in_heading, _unnumbered_heading)


def classify(lines: list[Line]) -> list[Block]:
    """Headings (with levels), paragraphs and run-in headings of the body lines."""
    outline = _Outline()
    blocks: list[Block] = []
    for i, line in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        blocks.append(_block(outline, line, nxt))
    return blocks


def _block(outline: _Outline, line: Line, nxt: Line | None) -> Block:
    """The block of one line: the first decider's, else a paragraph."""
    num = numbering(line.text)
    for decider in DECIDERS:
        block = decider(outline, line, num, nxt)
        if block is not None:
            return block
    return Block("para", line.text)

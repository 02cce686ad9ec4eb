"""Joining: lines that a page or column break, or a hard wrap, cut mid-sentence made whole again.

The second step of :mod:`kb.ingest.repair`, after :mod:`kb.ingest.repair.lines`. Plain text is
joined line by line, by rules tried in order (see :data:`RULES`): the width at which it was
hard-wrapped and whether its paragraphs start indented are measured over the whole text first.
Markdown blocks are paragraphs already: only one that a page end visibly cut is joined. The
paragraphs of a PDF's layout are joined only across a page's end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kb.ingest.repair.byline import SPEAKER, delivered
from kb.ingest.repair.lines import Line
from kb.ingest.repair.shapes import (
    CONTINUING,
    DANGLING,
    DATE_LINE,
    ends_sentence,
    is_heading_shape,
    is_unnumbered_heading_shape,
    numbering,
    opens_part,
    unbalanced,
)


def wrap_width(lines: list[Line]) -> int:
    """The width (in characters) at which the text was hard-wrapped, or 0 if it was not:
    most long lines then have the same length, and hardly any is longer."""
    lengths = [len(line.text) for line in lines if len(line.text) >= 15]
    if len(lengths) < 6:
        return 0
    counts: dict[int, int] = {}
    for n in lengths:
        counts[n] = counts.get(n, 0) + 1
    mode = max(counts, key=lambda n: (counts[n], n))
    near = sum(c for n, c in counts.items() if mode - 1 <= n <= mode + 2)
    longer = sum(c for n, c in counts.items() if n > mode + 2)
    if mode >= 15 and near >= 0.4 * len(lengths) and longer <= 0.05 * len(lengths):
        return mode
    return 0


def join_layout(lines: list[Line]) -> list[Line]:
    """Paragraphs found from a PDF's layout (one a line): join only a page's last paragraph
    that reaches the right margin and the next page's first line, when that one is not
    indented and does not open a numbered heading after a full stop."""
    out: list[Line] = []
    for line in lines:
        prev = out[-1] if out else None
        if prev and prev.full and not line.indented and not (numbering(line.text) and ends_sentence(prev.text)):
            out[-1] = Line(prev.text + line.text, prev.indented, full=line.full)
        else:
            out.append(line)
    return out


def join_broken(lines: list[Line], markdown: bool = False) -> list[Line]:
    """Join lines that a page or column break, or a hard wrap, cut in the middle of a sentence."""
    width = 0 if markdown else wrap_width(lines)
    indents = sum(line.indented for line in lines)
    by_indent = indents >= 3 and indents >= 0.1 * len(lines)  # paragraphs start indented
    out: list[Line] = []
    for line in lines:
        if out and continues(Pair(out[-1], line, width, by_indent, head=len(out) <= 3)):
            prev = out[-1]
            latin = markdown and prev.text[-1].isascii() and prev.text[-1].isalpha() and line.text[0].isascii() \
                and line.text[0].isalpha()
            out[-1] = Line(prev.text + " " * latin + line.text, prev.indented, lead=prev.lead, block=prev.block,
                           last=len(line.text))
        else:
            out.append(line)
    return out


@dataclass
class Pair:
    """A line and the (joined) line above it, with what the whole text says."""

    above: Line
    line: Line
    width: int = 0  # the hard wrap's width (0: not hard-wrapped)
    by_indent: bool = False  # paragraphs start indented
    head: bool = False  # the line above is among the first lines of the text

    @property
    def prev(self) -> str:
        return self.above.text

    @property
    def text(self) -> str:
        return self.line.text

    @property
    def full(self) -> bool:
        """The line above (its last line, if joined) reaches the wrap width."""
        return bool(self.width) and (self.above.last or len(self.prev)) >= self.width - 1


# -- the rules, in the order they are tried ----------------------------------------------------------


def _marked(p: Pair) -> bool:
    """Either line is a heading or a bold line, or the line opens with a bold lead."""
    return bool(p.above.marked or p.line.marked or p.line.lead)


def _byline(p: Pair) -> bool:
    """Either line belongs to a byline."""
    return bool(delivered(p.prev) or SPEAKER.match(p.prev) or SPEAKER.match(p.text))


def _block_ends(p: Pair) -> bool:
    """A Markdown block after a sentence's end, or opening a part (a number, a date, 特此报告)."""
    return p.line.block and (ends_sentence(p.prev) or opens_part(p.text))


def _block_cut(p: Pair) -> bool:
    """A Markdown block after a block a page end visibly cut: a comma, an open bracket, or a
    long block before a line that is no heading."""
    return p.line.block and bool(p.prev[-1] in "，,、" or unbalanced(p.prev)
                                 or (len(p.prev) >= 40 and not is_unnumbered_heading_shape(p.text)))


def _block(p: Pair) -> bool:
    return p.line.block


def _wrapped_sentence_end(p: Pair) -> bool:
    """The line above reaches the wrap width, and this one is neither indented nor numbered nor a date."""
    return p.full and p.by_indent and not p.line.indented and not numbering(p.text) and not DATE_LINE.match(p.text)


def _open_bracket(p: Pair) -> bool:
    """The line above leaves a bracket or title mark open, mid-sentence, and this one opens no heading."""
    return unbalanced(p.prev) and not ends_sentence(p.prev) and not numbering(p.text)


def _paragraph_ends(p: Pair) -> bool:
    return ends_sentence(p.prev) or p.line.indented


def _part_opens(p: Pair) -> bool:
    return opens_part(p.text)


def _mid_clause(p: Pair) -> bool:
    """The line above stops mid-clause or at the wrap width, or this one goes on from it (并…, ，…)."""
    return p.prev[-1] in "，,、" + DANGLING or p.full or p.text[0] in CONTINUING


def _number_goes_on(p: Pair) -> bool:
    """This line opens with a number that is no year, after a line that is no heading."""
    return p.text[0].isdigit() and not re.match(r"\d{4}\s*年", p.text) and not is_heading_shape(p.prev)


def _title_at_top(p: Pair) -> bool:
    return p.prev.endswith("报告") and p.head


def _indented_first_line(p: Pair) -> bool:
    return p.by_indent and p.above.indented


def _after_heading(p: Pair) -> bool:
    return is_heading_shape(p.prev)


def _after_unnumbered_heading(p: Pair) -> bool:
    return not numbering(p.prev) and is_unnumbered_heading_shape(p.prev)


#: (rule, whether the line goes on the line above): the first rule that holds decides; if
#: none does, it goes on.
RULES = (
    (_marked, False),
    (_byline, False),  # a byline line stands alone
    # Markdown: blocks are paragraphs; join only one that a page end visibly cut
    (_block_ends, False),
    (_block_cut, True),
    (_block, False),
    (_wrapped_sentence_end, True),  # a hard-wrapped paragraph whose line happens to end a sentence
    (_open_bracket, True),  # 《南阳市卫生健康系统落实行政执 / 法责任制的通知》
    (_paragraph_ends, False),
    (_part_opens, False),
    (_mid_clause, True),
    (_number_goes_on, True),  # 处罚金额 / 12万元。 (a year opens paragraphs: 2023年，…)
    (_title_at_top, False),  # a title at the top: 南开区卫生健康委2023年度法治政府建设 / 情况报告
    (_indented_first_line, True),  # a paragraph's first line, short or not, goes on in the unindented line below
    (_after_heading, False),
    (_after_unnumbered_heading, False),
)


def continues(p: Pair) -> bool:
    """True if ``p.line`` goes on the line above it (see :data:`RULES`)."""
    return next((outcome for rule, outcome in RULES if rule(p)), True)

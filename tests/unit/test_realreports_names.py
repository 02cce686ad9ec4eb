"""How the evaluation names the paragraphs ``kb import`` makes by the labelled ones (tools.realreports.names)."""

from __future__ import annotations

from kb.core.model import Paragraph
from tools import realreports


def _p(i: int, text: str) -> Paragraph:
    return Paragraph(f"r.p{i}", "r", i, text)


def test_an_imported_paragraph_is_named_by_the_labelled_one_it_is_or_is_a_part_of():
    """GIVEN the plain reading (one paragraph with its bold lead, one heading kept as a line) and the
    imported one (the lead split off, the emphasis gone) WHEN named THEN each imported paragraph takes
    the name of the labelled paragraph it is or is a part of, and one in none has no name."""
    labelled = [_p(1, "**一、经济平稳增长。**全市生产总值增长6%。"), _p(2, "新建学校12所。")]
    imported = [_p(1, "一、经济平稳增长。"), _p(2, "全市生产总值增长6%。"), _p(3, "新建学校12所。"), _p(4, "各位代表")]
    names = realreports.names(labelled, imported)
    first, second = (realreports.text_hash(p.text) for p in labelled)
    assert names == {"r.p1": first, "r.p2": first, "r.p3": second}

"""Pages: the page numbers and running headers and footers of plain text, found and dropped.

The first look :mod:`kb.ingest.repair` takes at plain text (PDF text has its pages cut by form
feeds): ``- 3 -``, ``第3页``, a bare number at a page's edge, and the short line (the report's
name, an office's) that stands at the same place on many pages or right beside page numbers.
"""

from __future__ import annotations

import re

from kb.ingest.repair.shapes import ends_sentence, stripped

PAGE_NUMBER = re.compile(
    r"^(?:[-—–－─]+\s*\d{1,4}\s*[-—–－─]+|第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?"
    r"|共\s*\d{1,4}\s*页\s*第\s*\d{1,4}\s*页|\d{1,4}\s*/\s*\d{1,4}|(?:page|p\.)\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$",
    re.I,
)
BARE_NUMBER = re.compile(r"^\d{1,4}$")
PAGE_BREAK = "\f"

Position = tuple[int, int]  # (page, line)


def _furniture_key(line: str) -> str:
    """A running header or footer with its page number made anonymous."""
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", line))


def is_page_number(line: str) -> bool:
    return bool(PAGE_NUMBER.match(line))


def page_furniture(pages: list[list[str]]) -> set[Position]:
    """(page, line) positions of page numbers and running headers and footers.

    On pages cut by form feeds (PDF text), a line is furniture when it stands among the
    first or last two lines of a page and the same line (its digits aside) stands there
    on other pages too, or when it is a page number or a bare number there. Without form
    feeds, only page numbers and the short lines that repeat right beside them are."""
    drop: set[Position] = set()
    edges: dict[str, list[Position]] = {}
    for pn, lines in enumerate(pages):
        edge = _page_numbers(pn, lines, len(pages) > 1, drop)
        for i in sorted(edge):
            line = stripped(lines[i])
            if (pn, i) not in drop and len(line) <= 40 and not ends_sentence(line):
                edges.setdefault(_furniture_key(line), []).append((pn, i))
    for positions in edges.values():
        drop.update(_running(positions, pages, drop))
    return drop


def _page_numbers(pn: int, lines: list[str], several: bool, drop: set[Position]) -> set[int]:
    """Add the page numbers of page ``pn`` to ``drop``; return the lines that may be running
    headers or footers: the page's first and last two (with ``several`` pages) and those
    beside a page number."""
    filled = [i for i, line in enumerate(lines) if stripped(line)]
    edge = set(filled[:2] + filled[-2:]) if several else set()
    for k, i in enumerate(filled):
        line = stripped(lines[i])
        if is_page_number(line) or (i in edge and BARE_NUMBER.match(line)):
            drop.add((pn, i))
            # beside a page number: a running header or footer candidate
            edge.update(j for j in filled[max(0, k - 1):k + 2] if j != i)
    return edge


def _running(positions: list[Position], pages: list[list[str]], drop: set[Position]) -> list[Position]:
    """The positions of one line repeated at pages' edges that are furniture ([] if it is none)."""
    several = len(pages) > 1
    if several and len({pn for pn, _ in positions}) >= max(2, len(pages) * 0.3):
        return _title_spared(positions, pages[0])
    if not several and len(positions) >= 2 and all(_beside_page_number(i, drop) for _, i in positions):
        return positions  # repeated beside page numbers in text without form feeds
    return []


def _title_spared(positions: list[Position], first_page: list[str]) -> list[Position]:
    """``positions`` without the title, if the running header repeats it and the first page has no other."""
    first = [i for pn, i in positions if pn == 0]
    if first and not _another_title(first_page, first):
        # the running header repeats the title: the first page's last such line is the title
        positions = [p for p in positions if p != (0, max(first))]
    return positions


def _beside_page_number(i: int, drop: set[Position]) -> bool:
    """True if a line within two of line ``i`` of the (only) page is a page number."""
    return any((0, j) in drop for j in (i - 1, i + 1, i - 2, i + 2))


def _another_title(lines: list[str], header_at: list[int]) -> bool:
    """True if the first lines of the first page hold a title besides the running header's line."""
    filled = [i for i, line in enumerate(lines) if stripped(line)][:5]
    return any("报告" in lines[i] for i in filled if i not in header_at)

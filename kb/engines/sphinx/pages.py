"""The places of an answer on the cluster from its tiers' rows (:mod:`kb.engines.sphinx.selection`):
the rows merged in the order asked for, and how far the candidates read reach (the next pages
they serve with no trip)."""

from __future__ import annotations

from kb.engines.protocol import BROWSE, BROWSE_ASC


def reach(rows: list[tuple[str, int, int]], tiers: list, stop: int, unordered: set[int]) -> int:
    """How many of the merged ``rows`` are the answer's first places (at least ``stop``): so
    the next pages of the candidates read cost no trip. All of them, but only up to a tier's
    first row where its candidates were left in Sphinx's order (``unordered``), and up to its
    last row where it has more paragraphs than were read (the others come after it)."""
    reach = len(rows)
    for i, t in enumerate(tiers):
        mine = [k for k, row in enumerate(rows) if row[2] == (1 if i == 0 else 0)]
        if i in unordered:
            reach = min(reach, mine[0] if mine else reach)
        elif len(t.rows) < t.total:
            reach = min(reach, mine[-1] + 1 if mine else 0)
    return max(stop, reach)


def merged(sort: str, tiers: list) -> list[tuple[str, int, int]]:
    """(id, year, 1 if exact) of the tiers' rows in order ``sort``: by relevance the exact
    tier, then the related one; by year, each year's exact matches before its related ones
    (each tier's rows are in order already: a stable sort keeps it)."""
    rows = [(pid, year, 1 if i == 0 else 0) for i, t in enumerate(tiers) for pid, year in t.rows]
    if len(tiers) < 2 or sort in ("relevance", BROWSE, BROWSE_ASC):
        return rows
    sign = 1 if sort == "year_asc" else -1
    return sorted(rows, key=lambda x: (sign * x[1], -x[2]))

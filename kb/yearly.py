"""Yearly: how a result spreads over the years, for charts (search step, after matching).

For every year from the index's first to its last -- years without a hit, and years
without a report, included, so that a chart never hides a gap -- the paragraphs with a
hit, the reports with a hit, and all the reports of that year, so that a chart can show
a per-report rate (what share of that year's reports speak of it) instead of raw counts
that grow with the number of reports collected.
"""

from __future__ import annotations

import numpy as np

from kb.postings import Postings


def _reports_by_year(p: Postings, docs: np.ndarray) -> dict[int, int]:
    """Distinct reports of ``docs``, counted per year."""
    if not len(docs):
        return {}
    pairs = np.unique(np.stack([p.year_rank[docs], p.report.by_doc[docs].astype(np.int64)]), axis=1)
    years, counts = np.unique(pairs[0], return_counts=True)
    return {int(y): int(c) for y, c in zip(years, counts, strict=True)}


def by_year(p: Postings, docs: np.ndarray) -> list[dict]:
    """``[{"year", "paragraphs", "reports", "reports_total", "rate"}]`` for every year of
    the index, oldest first; ``rate`` is reports / reports_total (None for a year with
    no report)."""
    every = _reports_by_year(p, p.live_docs)
    known = [y for y in every if y > 0]
    if not known:
        return []
    hit_reports = _reports_by_year(p, docs)
    years, counts = np.unique(p.year_rank[docs], return_counts=True) if len(docs) else ([], [])
    paragraphs = {int(y): int(c) for y, c in zip(years, counts, strict=True)}
    out = []
    for y in range(min(known), max(known) + 1):
        total = every.get(y, 0)
        out.append({"year": y, "paragraphs": paragraphs.get(y, 0), "reports": hit_reports.get(y, 0),
                    "reports_total": total, "rate": round(hit_reports.get(y, 0) / total, 4) if total else None})
    return out

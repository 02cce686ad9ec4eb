"""Yearly: how a result spreads over the years, for charts (search step, after matching).

For every year from the index's first to its last -- years without a hit, and years
without a report, included, so that a chart never hides a gap -- the paragraphs with a
hit, the reports with a hit, and all the reports of that year, so that a chart can show
a per-report rate (what share of that year's reports speak of it) instead of raw counts
that grow with the number of reports collected. Counted by the engine
(:meth:`kb.engines.protocol.Engine.group_counts`).
"""

from __future__ import annotations

from kb.core import cache
from kb.engines.protocol import Engine, Selection


def _years(counts: dict[str, int]) -> dict[int, int]:
    return {int(y): n for y, n in counts.items() if str(y).isdigit() and int(y) > 0}


def reports_by_year(engine: Engine) -> dict[int, int]:
    """Every report of the index, counted per year (once per generation)."""
    return cache.remember(engine.cache, "reports_by_year",
                          lambda: _years(engine.group_counts(engine.select(None, {}), "year", "report_id")))


def spread(hits_by_year: dict[int, tuple[int, int]], every: dict[int, int]) -> list[dict]:
    """``[{"year", "paragraphs", "reports", "reports_total", "rate"}]`` for every year from
    the first to the last of ``every`` (reports per year), oldest first, from
    ``hits_by_year`` (year -> (paragraphs or mentions, reports)); ``rate`` is reports /
    reports_total (None for a year with no report)."""
    if not every:
        return []
    out = []
    for y in range(min(every), max(every) + 1):
        n, reports = hits_by_year.get(y, (0, 0))
        total = every.get(y, 0)
        out.append({"year": y, "paragraphs": n, "reports": reports, "reports_total": total,
                    "rate": round(reports / total, 4) if total else None})
    return out


def by_year(engine: Engine, sel: Selection) -> list[dict]:
    """The spread of a selection over every year of the index (see :func:`spread`)."""
    paragraphs = _years(engine.group_counts(sel, "year"))
    reports = _years(engine.group_counts(sel, "year", "report_id"))
    return spread({y: (n, reports.get(y, 0)) for y, n in paragraphs.items()}, reports_by_year(engine))

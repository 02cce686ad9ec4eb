"""Compare: the best paragraph of each agency for a query (the /api/compare answer).

Same query and filters as a search (:mod:`kb.search.answer`); the engine gives the best
paragraph per agency (:meth:`kb.engines.protocol.Engine.best_per`), agencies ordered by their best
paragraph's score, each with how many of its paragraphs match. ``by_year``: the best
paragraph of each agency in each year, years newest first (one selection per year, their
best paragraphs read together: :meth:`kb.engines.protocol.Engine.best_per_each`). A
page of the groups is fetched and highlighted (hundreds of agencies: only the page's).
"""

from __future__ import annotations

from kb.core.errors import BadRequest
from kb.engines.protocol import TIER, Engine
from kb.engines.query import Query
from kb.search import hits
from kb.search.answer import select
from kb.search.request import SearchRequest

PER = "agency"  # one best paragraph per value of this facet


def layout_by_year(by: str) -> bool:
    """Whether ``by`` asks for a group per agency and year (``year``); "" (absent): a group per
    agency; any other value a :class:`BadRequest` that names it, for the site and ``kb compare``."""
    if by not in ("", "year"):
        raise BadRequest(f"by 只能是 year 或不给 (by must be 'year' or absent, got {by[:40]!r})")
    return by == "year"


def _year_key(value: str) -> int:
    return int(value) if value.isdigit() else 0


def _by_year(engine: Engine, query: Query, req: SearchRequest, sel, loose: bool) -> tuple[list, bool]:
    """(the best paragraph of each agency in each year, years newest first; whether a year's read
    was short): one selection a year, their best paragraphs read together (one round trip on a
    cluster, where one a year would wait for a slow shard as often)."""
    years = sorted(engine.group_counts(sel, "year"), key=_year_key, reverse=True)
    in_years = [engine.select(query.tree, req.filters | {"year": [year]}, loose=loose, related=req.related)
                for year in years]
    best = [g for groups in engine.best_per_each(in_years, PER) for g in groups]
    return best, any(s.partial for s in in_years)


def compare(engine: Engine, query: Query, req: SearchRequest, by_year: bool = False, paged: bool = True) -> dict:
    """The groups of the answer (``took_ms`` left to the caller): those of ``req.page``
    (``req.size`` a page) when ``paged``, else every one."""
    sel, loose = select(engine, query, req.filters, req.related)
    terms = [t.keys for t in query.positive[loose, True]]
    best, partial = _by_year(engine, query, req, sel, loose) if by_year else (engine.best_per(sel, PER), False)
    shown = best[(req.page - 1) * req.size:req.page * req.size] if paged else best
    stored = hits.fetch(engine, [g.id for g in shown])
    groups = [{"agency": g.value, "matches": g.count,
               "best": hits.hit(doc, terms, query) | {"score": round(g.score - TIER if g.score >= TIER else g.score, 3)}}
              for g, doc in zip(shown, stored, strict=True)]
    out = {
        "query": req.q,
        "filters": req.filters,
        "agencies": len({g.value for g in best}),
        "total": sum(g.count for g in best),
        "by_year": by_year,
        "match": req.match,
        "groups_total": len(best),
        "page": req.page if paged else 1,
        "size": req.size if paged else len(best),
        "pages": max(1, -(-len(best) // req.size)) if paged else 1,
        "groups": groups,
        "loose": loose,
    }
    if sel.partial or partial:  # a cluster shard did not answer: agencies and counts are missing
        out["partial"] = True
    return out

"""Compare: the best paragraph of each agency for a query (the /api/compare answer).

Same query and filters as a search (:mod:`kb.search`); the engine gives the best
paragraph per agency (:meth:`kb.engine.Engine.best_per`), agencies ordered by their best
paragraph's score, each with how many of its paragraphs match.
"""

from __future__ import annotations

from kb import hits
from kb.engine import Engine
from kb.query import expanded_terms, positive_terms
from kb.search import SearchRequest, select

PER = "agency"  # one best paragraph per value of this facet


def compare(engine: Engine, tree, req: SearchRequest) -> dict:
    """The groups of the answer (``took_ms`` left to the caller)."""
    sel, loose = select(engine, tree, req.filters)
    terms = [t.keys for t in positive_terms(tree, loose)]
    expanded = expanded_terms(tree)
    best = engine.best_per(sel, PER)
    stored = hits.fetch(engine, [g.id for g in best])
    groups = [{"agency": g.value, "matches": g.count,
               "best": hits.hit(doc, terms, expanded) | {"score": round(g.score, 3)}}
              for g, doc in zip(best, stored, strict=True)]
    out = {
        "query": req.q,
        "filters": req.filters,
        "agencies": len(groups),
        "total": sum(g["matches"] for g in groups),
        "groups": groups,
        "loose": loose,
    }
    if sel.partial:  # a cluster shard did not answer: agencies and counts are missing
        out["partial"] = True
    return out

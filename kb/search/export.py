"""Export: every hit of a search (not only one page), in the search's order.

Rows carry the same fields as a search's hits, without the HTML excerpt. The order is
taken once; the paragraphs are then fetched a batch at a time (each batch one read of
the knowledge base, so a build that switches generations meanwhile costs no row that
is still in the index).
"""

from __future__ import annotations

from kb.engines.protocol import Engine
from kb.engines.query import Query
from kb.search import hits
from kb.search.answer import order_of, select
from kb.search.request import SearchRequest

BATCH = 500  # paragraphs fetched at a time


def ordered_ids(engine: Engine, query: Query, req: SearchRequest, limit: int) -> list[str]:
    """The ids of the first ``limit`` hits, in the search's order."""
    sel, _ = select(engine, query, req.filters, req.related)
    return [pid for pid, _ in engine.top(sel, order_of(query, req.sort), 0, min(limit, sel.total))]


def rows(engine: Engine, ids: list[str], query: Query | None = None) -> list[dict]:
    """The rows of ``ids`` (an id no longer in the index is left out)."""
    out = []
    for doc in engine.fetch(ids):
        if doc is not None:
            row = hits.hit(doc, [], query)
            del row["excerpt_html"]
            out.append(row)
    return out

"""Answer: a search request's answer: hits of one page, the total and facet counts.

The answer is made from the engine's protocol only (:mod:`kb.engines.protocol`): select (with the
tiers: the exact matches first, then the related ones -- concept entries, the words
near each other in any order, the words in the headings above, a common word that adds
but does not veto -- unless the request asks for ``match=exact``; when nothing matches
at all, the words apart, said with ``loose``), count the facets, take the page in the
order asked for, fetch its paragraphs and shape them as hits (:mod:`kb.search.hits`: each says
how it matched). The exact and related totals are given apart. Answers, and selections
with their facet counts, are cached per index generation.
"""

from __future__ import annotations

from kb.core import cache, shortfall
from kb.core.settings import Limits
from kb.engines.protocol import BROWSE, BROWSE_ASC, Engine, Selection
from kb.engines.query import Query, written
from kb.search import hits, regulations
from kb.search import suggestions as topic_suggestions
from kb.search.facets import FACETS, shape, trimmed
from kb.search.request import SearchRequest


def select(engine: Engine, query: Query, filters: dict[str, list[str]], related: bool = True,
           expect: tuple | None = None) -> tuple[Selection, bool]:
    """(selection, loose): what a query and facet filters select, the exact matches
    and (``related``) the related ones. When nothing matches at all, the words apart are
    taken as related matches (``loose``). ``expect``: (facets, sort, stop) the caller will
    ask for, told to an engine that reads in round trips (:meth:`Engine.expect`)."""
    sel = _expected(engine, engine.select(query.tree, filters, related=related), expect)
    if related and not sel.total and not sel.matched and query.loose_ok:
        return _expected(engine, engine.select(query.tree, filters, loose=True, related=True), expect), True
    return sel, False


def _expected(engine: Engine, sel: Selection, expect: tuple | None) -> Selection:
    tell = getattr(engine, "expect", None)
    if expect and tell is not None:
        tell(sel, *expect)
    return sel


def selected_ids(engine: Engine, query: Query, filters: dict[str, list[str]], related: bool = True) -> list[str]:
    """The ids of every paragraph a query and facet filters select (in index order)."""
    sel, _ = select(engine, query, filters, related)
    return [pid for pid, _ in engine.top(sel, order_of(query, "relevance"), 0, sel.total)] if sel.total else []


def order_of(query: Query, sort: str) -> str:
    """The engine's order for a request's ``sort``: browsing when there is no query."""
    if query.tree is None:
        return BROWSE_ASC if sort == "year_asc" else BROWSE
    return sort


def answer(engine: Engine, query: Query, req: SearchRequest, facet_limit: int | None, limits: Limits) -> dict:
    """The /api/search answer (``took_ms`` left to the caller), cached per generation.
    Its parts are shared with the cache: read them, do not change them in place."""
    key = (req.q, req.filter_key(), req.page, req.size, req.sort, facet_limit, req.match, req.explain)
    answers = cache.of(engine.cache, "search", limits.search_cache)
    found = answers.get(key)
    if found is None:
        found = _answer(engine, query, req, facet_limit, limits)
        if not found.get("partial"):  # a shard that did not answer may answer the next time
            answers.put(key, found)
    out = found | trimmed(found["facets"], req.facet_size)
    if req.filters.get("regulation") and out["hits"]:  # excerpts centred on the mention
        terms = [t.keys for t in query.positive[out["loose"], True]]
        out["hits"] = regulations.focus_on_mentions(out["hits"], req.filters["regulation"], terms)
    return out


#: Why a search that found nothing while a part of the index did not answer offers no near spellings.
SPELLINGS_SKIPPED = ("近似写法未查：部分检索分片没有应答，这个词可能就在其中 (near spellings not looked for: a shard did not "
                     "answer, and the term may be on it)")


def suggestions(engine: Engine, query: Query, short: bool = False) -> dict:
    """What to search instead of a query that finds nothing: near spellings the index
    has (:meth:`kb.engines.protocol.Engine.spellings`) and related topics (:mod:`kb.search.suggestions`).
    ``short`` (the search was read short): no near spellings, said (``spellings_skipped``): the
    term may be on the part that did not answer, and looking for them is dozens of reads."""
    terms = [t.text for t in query.positive[False, True] if not t.quoted]
    topics = topic_suggestions.related_topics(" ".join(terms))
    if short:
        return {"spellings": [], "spellings_skipped": SPELLINGS_SKIPPED, "topics": topics}
    with shortfall.reading("spellings"):
        return {"spellings": engine.spellings(terms), "topics": topics}


def _answer(engine: Engine, query: Query, req: SearchRequest, facet_limit: int | None, limits: Limits) -> dict:
    """The answer as :func:`answer` caches it: totals, the page's hits and the facets."""
    sel, loose, facets = _selection(engine, query, req, facet_limit, limits)
    page = _page(engine, query, req, sel, loose)
    exact = sel.exact_total if query.tree is not None else sel.total
    out = {
        "query": req.q,
        "total": sel.total,
        "exact_total": exact,
        "related_total": sel.total - exact,
        "match": req.match,
        "page": req.page,
        "size": req.size,
        "pages": max(1, -(-sel.total // req.size)),
        "sort": req.sort,
        "filters": req.filters,
        "hits": page,
        "facets": facets,
        "expansions": [{"term": t.text, "also": [e.label for e in t.expansions]} for t in query.expanded],
        "loose": loose,
        "took_ms": 0.0,
    }
    if query.forgiven:
        out["query_note"] = query_note(query)
    if not sel.total and query.tree is not None:
        out["suggestions"] = suggestions(engine, query, short=sel.partial or shortfall.short())
    if sel.partial:  # a cluster shard did not answer: the counts are low
        out["partial"] = True
    return out


def _selection(engine: Engine, query: Query, req: SearchRequest, facet_limit: int | None,
               limits: Limits) -> tuple[Selection, bool, dict]:
    """(selection, loose, shaped facets) of the request's query and filters, cached per
    generation unless a shard did not answer."""
    selections = cache.of(engine.cache, "select", limits.select_cache)
    skey = (req.q, req.filter_key(), facet_limit, req.match)
    cached = selections.get(skey)
    if cached is None:
        sel, loose = select(engine, query, req.filters, req.related,
                            expect=(tuple(FACETS), order_of(query, req.sort), req.page * req.size))
        counts = engine.facet_counts(sel, req.filters, tuple(FACETS))
        cached = (sel, loose, shape(counts, req.filters, facet_limit))
        if not sel.partial:
            selections.put(skey, cached)
    return cached


def _page(engine: Engine, query: Query, req: SearchRequest, sel: Selection, loose: bool) -> list[dict]:
    """The hits of the request's page, in the order asked for (with ``explain``, why each
    matched and its rank); none past the last page."""
    terms = [t.keys for t in query.positive[loose, req.related]]
    start = (req.page - 1) * req.size
    if not sel.total or start >= sel.total:
        return []
    top = engine.top(sel, order_of(query, req.sort), start, req.page * req.size)
    ids = [pid for pid, _ in top]
    page = [hits.hit(doc, terms, query) for doc in hits.fetch(engine, ids)]
    if req.explain:
        why = engine.explain(query.tree, ids, loose)
        page = [h | {"explain": why.get(h["id"], {}) | {"rank": start + i + 1}} for i, h in enumerate(page)]
    return page


def query_note(query) -> dict | None:
    """What was wrong with the query as written and what ran instead (None: nothing was):
    the ``query_note`` of the search's answer and of the figure pages' that a query filters."""
    if not query.forgiven:
        return None
    return {"problems": list(query.forgiven), "ran": written(query.tree)}

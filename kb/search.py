"""Search: a request, checked, and its answer: hits of one page, the total and facet counts.

The answer is made from the engine's protocol only (:mod:`kb.engine`): select (with the
tiers: the exact matches first, then the related ones -- concept entries, the words
near each other in any order, the words in the headings above, a common word that adds
but does not veto -- unless the request asks for ``match=exact``; when nothing matches
at all, the words apart, said with ``loose``), count the facets, take the page in the
order asked for, fetch its paragraphs and shape them as hits (:mod:`kb.hits`: each says
how it matched). The exact and related totals are given apart. Answers, and selections
with their facet counts, are cached per index generation.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from kb import browse, cache, hits, suggest, textnorm
from kb.engine import BROWSE, BROWSE_ASC, SORTS, Engine, Selection
from kb.errors import BadRequest
from kb.facets import FACET_SIZE, FACETS, shape, trimmed
from kb.query import expanded_terms, has_loose, positive_terms
from kb.settings import Limits

MATCHES = ("all", "exact")


@dataclass
class SearchRequest:
    """A validated search: query, facet filters, page, page size, order."""

    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    page: int = 1
    size: int = 10
    sort: str = "relevance"
    facet_size: int | None = FACET_SIZE  # values of each facet in the answer (None: all)
    match: str = "all"  # "all": exact matches, then related ones; "exact": the exact ones only
    explain: bool = False  # say why each hit matched and ranked where it did

    @classmethod
    def from_args(cls, args: Mapping[str, list[str]], limits: Limits = Limits()) -> SearchRequest:  # noqa: B008
        """Build from multi-valued parameters (a query string or CLI options).

        Raises :class:`BadRequest` with a message for any value out of range.
        """
        def one(name: str, default: str) -> str:
            values = args.get(name) or [default]
            return textnorm.scrub(str(values[-1])) if values[-1] is not None else default

        q = one("q", "")
        page = parse_int(one("page", "1"), "page", 1, limits.page)
        size = parse_int(one("size", "10"), "size", 1, limits.page_size)
        sort = one("sort", "relevance") or "relevance"
        if sort not in SORTS:
            raise BadRequest(f"sort 只能是 {' / '.join(SORTS)} (unknown sort: {shown(sort)})")
        filters = {}
        for name in FACETS:
            values = [textnorm.scrub(str(v)).strip() for v in args.get(name, []) if v and str(v).strip()]
            if len(values) > limits.filter_values:
                raise BadRequest(f"{name} 最多 {limits.filter_values} 个值 "
                                 f"(at most {limits.filter_values} values of one filter)")
            if any(len(v) > limits.value_length for v in values):
                raise BadRequest(f"{name} 的值过长 ({name}: a value longer than {limits.value_length} characters)")
            if values:
                filters[name] = list(dict.fromkeys(values))
        fs = one("facet_size", str(FACET_SIZE)).strip()
        facet_size = None if fs == "all" else parse_int(fs, "facet_size", 1, limits.facet_size)
        match = one("match", "all").strip() or "all"
        if match not in MATCHES:
            raise BadRequest(f"match 只能是 {' / '.join(MATCHES)} (unknown match: {shown(match)})")
        explain = one("explain", "").strip().lower() in ("1", "true", "yes", "on")
        return cls(q=q, filters=filters, page=page, size=size, sort=sort, facet_size=facet_size, match=match,
                   explain=explain)

    @property
    def related(self) -> bool:
        return self.match != "exact"

    def filter_key(self) -> tuple:
        return tuple(sorted((k, tuple(v)) for k, v in self.filters.items()))


def parse_int(text: str, name: str, lo: int, hi: int) -> int:
    """A whole number written with ASCII digits, between ``lo`` and ``hi``; else BadRequest."""
    digits = str(text).strip()
    if not re.fullmatch(r"[+-]?[0-9]{1,18}", digits):
        raise BadRequest(f"{name} 必须是整数 ({name} must be a whole number, got {shown(digits)})")
    value = int(digits)
    if not lo <= value <= hi:
        raise BadRequest(f"{name} 必须在 {lo} 到 {hi} 之间 ({name} must be between {lo} and {hi})")
    return value


def shown(value: str, width: int = 40) -> str:
    """A value the user sent, quoted and cut short, for an error message."""
    return repr(value if len(value) <= width else value[:width] + "…")


def select(engine: Engine, tree, filters: dict[str, list[str]], related: bool = True) -> tuple[Selection, bool]:
    """(selection, loose): what a query tree and facet filters select, the exact matches
    and (``related``) the related ones. When nothing matches at all, the words apart are
    taken as related matches (``loose``)."""
    sel = engine.select(tree, filters, related=related)
    if related and not sel.matched and has_loose(tree):
        return engine.select(tree, filters, loose=True, related=True), True
    return sel, False


def selected_ids(engine: Engine, tree, filters: dict[str, list[str]], related: bool = True) -> list[str]:
    """The ids of every paragraph a query tree and facet filters select (in index order)."""
    sel, _ = select(engine, tree, filters, related)
    return [pid for pid, _ in engine.top(sel, order_of(tree, "relevance"), 0, sel.total)] if sel.total else []


def order_of(tree, sort: str) -> str:
    """The engine's order for a request's ``sort``: browsing when there is no query."""
    if tree is None:
        return BROWSE_ASC if sort == "year_asc" else BROWSE
    return sort


def answer(engine: Engine, tree, req: SearchRequest, facet_limit: int | None, limits: Limits) -> dict:
    """The /api/search answer (``took_ms`` left to the caller), cached per generation.
    Its parts are shared with the cache: read them, do not change them in place."""
    key = (req.q, req.filter_key(), req.page, req.size, req.sort, facet_limit, req.match, req.explain)
    answers = cache.of(engine.cache, "search", limits.search_cache)
    found = answers.get(key)
    if found is None:
        found = _answer(engine, tree, req, facet_limit, limits)
        if not found.get("partial"):  # a shard that did not answer may answer the next time
            answers.put(key, found)
    out = found | trimmed(found["facets"], req.facet_size)
    if req.filters.get("regulation") and out["hits"]:  # excerpts centred on the mention
        terms = [t.keys for t in positive_terms(tree, out["loose"])]
        out["hits"] = browse.focus_on_mentions(out["hits"], req.filters["regulation"], terms)
    return out


def suggestions(engine: Engine, tree) -> dict:
    """What to search instead of a query that finds nothing: near spellings the index
    has (:meth:`kb.engine.Engine.spellings`) and related topics (:mod:`kb.suggest`)."""
    terms = [t.text for t in positive_terms(tree) if not t.quoted]
    return {"spellings": engine.spellings(terms), "topics": suggest.related_topics(" ".join(terms))}


def _answer(engine: Engine, tree, req: SearchRequest, facet_limit: int | None, limits: Limits) -> dict:
    selections = cache.of(engine.cache, "select", limits.select_cache)
    skey = (req.q, req.filter_key(), facet_limit, req.match)
    cached = selections.get(skey)
    if cached is None:
        sel, loose = select(engine, tree, req.filters, req.related)
        counts = engine.facet_counts(sel, req.filters, tuple(FACETS))
        cached = (sel, loose, shape(counts, req.filters, facet_limit))
        if not sel.partial:
            selections.put(skey, cached)
    sel, loose, facets = cached
    expanded = expanded_terms(tree)
    terms = [t.keys for t in positive_terms(tree, loose, expand=req.related)]
    page = []
    if sel.total and (req.page - 1) * req.size < sel.total:
        top = engine.top(sel, order_of(tree, req.sort), (req.page - 1) * req.size, req.page * req.size)
        ids = [pid for pid, _ in top]
        page = [hits.hit(doc, terms, expanded, tree) for doc in hits.fetch(engine, ids)]
        if req.explain:
            why = engine.explain(tree, ids, loose)
            page = [h | {"explain": why.get(h["id"], {}) | {"rank": (req.page - 1) * req.size + i + 1}}
                    for i, h in enumerate(page)]
    exact = sel.exact_total if tree is not None else sel.total
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
        "expansions": [{"term": t.text, "also": [e.label for e in t.expansions]} for t in expanded],
        "loose": loose,
        "took_ms": 0.0,
    }
    if not sel.total and tree is not None:
        out["suggestions"] = suggestions(engine, tree)
    if sel.partial:  # a cluster shard did not answer: the counts are low
        out["partial"] = True
    return out

"""Where a query's CPU goes, stage by stage (issue 30): thread CPU of named steps, inclusive.

    python -m bench.stages CORPUS INDEX [--passes 3] [--json OUT]

Opens the index in a fresh process as ``kb serve`` does (the engine opened, one search to warm),
then asks each query of :mod:`bench.queries` once, as the first time (the generation's answer,
selection and tier caches, the parse and expansion caches, the model's neighbours and the
highlighter's caches emptied before each), ``--passes`` times. Each stage is a function of the
library wrapped by a timer of the thread's CPU (``time.thread_time``); a stage inside another
(indented in the output) is counted in both. Prints the mean over the queries per stage (ms),
the median of the passes, and the p50/p95 of a whole search.
"""

from __future__ import annotations

import argparse
import importlib
import json
import statistics
import time
from pathlib import Path

from bench import queries

#: (depth, module, function, label): what is timed; a method as Class.method
STAGES = [
    (0, "kb.knowledgebase", "parse_query", "parse the query"),
    (0, "kb.engines.embedded.engine", "EmbeddedEngine.select", "select: the tiers and the filters"),
    (1, "kb.engines.embedded.tiers", "_term_tiers_of", "a term's tiers (exact and related)"),
    (2, "kb.engines.embedded.reader", "Postings.term", "exact match (Postings.term)"),
    (2, "kb.engines.embedded.tiers", "lift", "lift by words and headings"),
    (2, "kb.engines.embedded.tiers", "_related", "related tiers"),
    (3, "kb.engines.embedded.tiers", "_meaning_tiers", "meaning tiers"),
    (4, "kb.engines.query", "meaning_of", "the term's expansion by meaning (meaning_of)"),
    (5, "kb.text.meaning.Model", "_neighbours", "the model's neighbours (one product each)"),
    (1, "kb.engines.embedded.tiers", "by_whole_query", "the whole query's meaning"),
    (0, "kb.engines.embedded.engine", "EmbeddedEngine.facet_counts", "facets: the seven counts"),
    (0, "kb.search.answer", "shape", "facets: shaped"),
    (0, "kb.engines.embedded.engine", "EmbeddedEngine.top", "ranking: the top 10"),
    (0, "kb.search.hits", "fetch", "the page: stored paragraphs"),
    (0, "kb.search.hits", "hit", "the page: the hits"),
    (1, "kb.search.hits", "literal", "whether each matches exactly"),
    (2, "kb.text.highlight", "_unit_string", "the text's unit string"),
    (1, "kb.engines.fields", "hit_fields", "fields"),
    (1, "kb.search.hits", "matched_by", "how a related one matched"),
    (1, "kb.text.highlight", "excerpt", "excerpt"),
    (0, "kb.knowledgebase", "KnowledgeBase.search", "the whole search"),
]

_spent: dict[str, float] = {}
_depth: dict[str, int] = {}


def _timed(label: str, fn):
    def wrapper(*args, **kwargs):
        outer = not _depth.get(label)
        _depth[label] = _depth.get(label, 0) + 1
        t = time.thread_time()
        try:
            return fn(*args, **kwargs)
        finally:
            _depth[label] -= 1
            if outer:
                _spent[label] = _spent.get(label, 0.0) + time.thread_time() - t
    wrapper.__wrapped__ = fn
    for attr in ("cache_clear", "cache_info"):
        if hasattr(fn, attr):
            setattr(wrapper, attr, getattr(fn, attr))
    return wrapper


def _owner(module: str, name: str):
    """(object holding the attribute, attribute name) of ``module`` + ``Class.method``."""
    try:
        owner = importlib.import_module(module)
    except ModuleNotFoundError:  # a class path: kb.text.meaning.Model
        mod, cls = module.rsplit(".", 1)
        owner = getattr(importlib.import_module(mod), cls)
    *path, attr = name.split(".")
    for p in path:
        owner = getattr(owner, p)
    return owner, attr


def install() -> None:
    for _, module, name, label in STAGES:
        owner, attr = _owner(module, name)
        setattr(owner, attr, _timed(label, getattr(owner, attr)))


def _forget(kb) -> None:
    """Empty what a first search of a query finds empty."""
    from kb.core.cache import LRU
    from kb.engines import query
    from kb.engines.embedded import tiers
    from kb.search import hits
    from kb.text import highlight, meaning

    engine = kb.engine()
    for value in engine.cache.values():
        if isinstance(value, LRU):
            with value._lock:
                value._items.clear()
                value._bytes.clear()
                value._total = 0
    for fn in (query._parse_query, query.near_words, query._meaning, query.loose_words, highlight._unit_string,
               hits._keys, hits._normalized, tiers._word_keys):
        fn.cache_clear()
    model = meaning.active()
    if model is not None:
        model._memo.clear()


def one_pass(kb) -> tuple[dict[str, float], list[float]]:
    from kb.search.request import SearchRequest

    totals: dict[str, float] = {}
    whole: list[float] = []
    qs = queries.query_set()
    for q, filters in qs:
        _forget(kb)
        _spent.clear()
        t = time.thread_time()
        kb.search(SearchRequest(q=q, filters=filters, size=10))
        whole.append(1000 * (time.thread_time() - t))
        for k, v in _spent.items():
            totals[k] = totals.get(k, 0.0) + 1000 * v / len(qs)
    return totals, whole


def _pct(values: list[float], p: float) -> float:
    v = sorted(values)
    return v[max(0, min(len(v) - 1, round(p / 100 * len(v) + 0.5) - 1))]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("index", type=Path)
    ap.add_argument("--passes", type=int, default=3)
    ap.add_argument("--json", type=Path)
    a = ap.parse_args(argv)
    from kb.knowledgebase import KnowledgeBase
    from kb.search.request import SearchRequest

    install()
    kb = KnowledgeBase(a.corpus, a.index)
    kb.engine()
    kb.search(SearchRequest(q=kb.warm_query if hasattr(kb, "warm_query") else "法治政府"))
    passes = [one_pass(kb) for _ in range(a.passes)]
    rows = []
    for depth, _, _, label in STAGES:
        ms = statistics.median(p[0].get(label, 0.0) for p in passes)
        rows.append({"stage": label, "depth": depth, "ms": round(ms, 3)})
        print(f"{'  ' * depth}{label:<{60 - 2 * depth}} {ms:7.3f}")
    p50 = statistics.median(_pct(p[1], 50) for p in passes)
    p95 = statistics.median(_pct(p[1], 95) for p in passes)
    print(f"p50 / p95 of a search {p50:.2f} / {p95:.2f} ms")
    if a.json:
        a.json.write_text(json.dumps({"stages": rows, "p50": p50, "p95": p95,
                                      "per_query": [p[1] for p in passes]}, ensure_ascii=False))


if __name__ == "__main__":
    main()

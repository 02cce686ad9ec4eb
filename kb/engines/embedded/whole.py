"""Whole query: paragraphs close in meaning to the query as a whole, the last of the related
matches (issue 27).

Each paragraph's vector of meaning is kept in the postings (the weighted mean of its words'
vectors in the shipped model: :func:`kb.engines.embedded.writer.analyze_all`); a query's is
the same mean over its words in the model in use (grown with the user's corpus:
:func:`kb.text.meaning.whole_vector`, :mod:`kb.text.growth`; none when the words the model
knows cover less than :data:`kb.text.meaning.WHOLE_COVER` of the query's letters: a typo is not the
meaning of its one known piece). A query of unquoted words only (no OR, no exclusion) is looked
for so.

When the other tiers find fewer than ``Ranking.whole_below`` paragraphs, the
:data:`kb.text.meaning.WHOLE_TOP` paragraphs closest to the query (cosine at least
:data:`kb.text.meaning.WHOLE_MIN_SIM` once the direction all paragraphs share is taken out of both)
come in below every other match; and while the others are fewer than ``Ranking.whole_fill`` (a
page), the next closest down to :data:`kb.text.meaning.WHOLE_FILL_SIM` fill the answer to
:data:`kb.text.meaning.WHOLE_TOP` in all: a query whose words the reports write otherwise still gets
the paragraphs nearest to it, each saying through which of its words (整体相近). One matrix product
over the paragraphs, done only then.
"""

from __future__ import annotations

import numpy as np

from kb.core.settings import Ranking
from kb.engines import meaningtiers as mt
from kb.engines.embedded.reader import Postings
from kb.engines.embedded.scored import Scored
from kb.engines.query import whole_words
from kb.text import meaning


def query_vector(tree, p: Postings) -> np.ndarray | None:
    """The whole query's vector in the model in use, when the postings carry paragraph vectors of
    its size (None: no vector, or a query that is not of unquoted words only)."""
    ws = whole_words(tree)
    q = meaning.whole_vector(ws, meaning.active()) if ws else None
    parts = p.vectors() if q is not None else None  # memory-mapped as written: nothing is read or converted
    return q if parts is not None and parts[0].shape[1] == len(q) else None


def similarities(tree, p: Postings, docs: np.ndarray | None = None, q: np.ndarray | None = None) -> np.ndarray | None:
    """Each paragraph's cosine (of ``docs``, default all) with the query (its vector ``q``, default the
    query's own) once the direction all paragraphs share is taken out of both
    (:meth:`Postings.common_meaning`, written with the generation: a mean of word vectors leans towards
    the corpus's common words, so that every query is near every paragraph); None without vectors.
    Computed segment by segment over the vectors as they are mapped (no copy of them all)."""
    q = query_vector(tree, p) if q is None else q
    common = p.common_meaning() if q is not None else None
    if common is None:
        return None
    parts = p.vectors()
    if docs is None:
        return np.concatenate([_segment_similarities(v, q, common, b)
                               for v, b in zip(parts, p.base.tolist(), strict=False)])
    seg = np.searchsorted(p.base, docs, side="right") - 1
    out = np.empty(len(docs), dtype=np.float32)
    for s in np.unique(seg).tolist():  # the rows of each segment at once
        at = seg == s
        out[at] = _segment_similarities(parts[s], q, common, int(p.base[s]), docs[at] - int(p.base[s]))
    return out


def fed_vector(q: np.ndarray, p: Postings, r: Ranking, found: Scored) -> np.ndarray:
    """The whole query's vector ``q`` moved ``r.whole_feedback`` towards the mean of the vectors of
    ``found`` (the other tiers' matches, fewer than ``r.whole_below``: what the query's own matches
    also say, :func:`kb.engines.meaningtiers.with_feedback`; the cluster takes the same paragraphs);
    ``q`` itself without them, or with feedback off."""
    common = p.common_meaning()
    if common is None or r.whole_feedback <= 0 or not len(found):
        return q
    parts = p.vectors()
    seg = np.searchsorted(p.base, found.docs, side="right") - 1
    rows = np.concatenate([np.asarray(parts[s][found.docs[seg == s] - int(p.base[s])], dtype=np.float32)
                           for s in np.unique(seg).tolist()])
    return mt.with_feedback(q, rows, common, r.whole_feedback)


def _segment_similarities(v: np.ndarray, q: np.ndarray, common, base: int, rows: np.ndarray | None = None) -> np.ndarray:
    """:func:`kb.engines.meaningtiers.whole_similarities` of one segment's vectors ``v`` (its first
    paragraph's global number: ``base``), of its ``rows`` (default all)."""
    u, vu, left = common
    v = v if v.dtype == np.float32 else np.asarray(v, dtype=np.float32)  # a segment of float16 (schema 16)
    return mt.whole_similarities(v, q, (u, vu[base:base + len(v)], left[base:base + len(v)]), rows)


def by_whole_query(tree, p: Postings, r: Ranking, found: Scored) -> Scored:
    """The paragraphs not in ``found`` (the other tiers' matches, scored) closest to the whole
    query: the :data:`kb.text.meaning.WHOLE_TOP` closest at :data:`kb.text.meaning.WHOLE_MIN_SIM`
    or more (:data:`kb.text.meaning.WHOLE_MANY_SIM` when ``found`` fills a page, ``r.whole_fill``:
    林长制 is close to 河长制 but another measure), then, while ``found`` is fewer than ``r.whole_fill``,
    the next closest at :data:`kb.text.meaning.WHOLE_FILL_SIM` or more, to ``WHOLE_TOP`` in all. Closest to
    the query moved towards its other matches (:func:`fed_vector`: what they also say, 刚性柔性相结合
    beside 服务型执法), scored by the query's own cosine, below every one of ``found`` (``r.whole`` times
    the lowest score, times the cosine). None when ``found`` holds ``r.whole_below`` paragraphs or more."""
    if len(found) >= r.whole_below or r.whole <= 0 or not _spoken_of(tree, p, found):
        return Scored.empty()
    q = query_vector(tree, p)
    fed = fed_vector(q, p, r, found) if q is not None else None
    sims = similarities(tree, p, q=fed) if fed is not None else None
    if sims is None:
        return Scored.empty()
    sims[~p.live] = -1
    sims[found.docs] = -1
    docs = mt.closest(sims, len(found), r.whole_fill)
    own = similarities(tree, p, docs, q) if fed is not q and len(docs) else sims[docs]  # a few rows, not all
    floor = float(found.scores.min()) if len(found) else 1.0
    return Scored(docs.astype(np.int64), r.whole * floor * np.maximum(own, 0.01).astype(np.float64))


def _spoken_of(tree, p: Postings, found: Scored) -> bool:
    """Whether the reports speak of the query: other tiers ``found`` something, or some live paragraph holds
    the query's most specific word or a word near it in meaning (:func:`kb.text.meaning.cover_words`). When
    nothing else matches the query, the paragraphs closest to it as a whole are taken only then (no report
    of the seed corpus speaks of 嫦娥探月卫星: its closest paragraphs were close through 测试 and 共性)."""
    if len(found):
        return True
    ws = whole_words(tree)
    near = meaning.cover_words(ws, meaning.active()) if ws else None
    return near is None or any(p.live[p.word_docs("words", w)].any() for w in near)


def explain_whole(tree, p: Postings, r: Ranking, doc: int, found: Scored) -> dict:
    """For ``explain``: a paragraph's cosine with the whole query (:func:`similarities`, what ranks it),
    its cosine with the query moved towards ``found`` (:func:`fed_vector`, what lets it in, and how
    many paragraphs it was moved towards) when ``found`` is few enough for the whole query to be looked for, and
    ``match`` related when it is close enough to have come in so (at least
    :data:`kb.text.meaning.WHOLE_FILL_SIM`, which fills the answer of few matches; nothing without vectors)."""
    q = query_vector(tree, p)
    sims = similarities(tree, p, np.array([doc]), q) if q is not None else None
    if sims is None:
        return {}
    sim = float(sims[0])
    fed = fed_vector(q, p, r, found) if len(found) < r.whole_below else q
    out = {"whole_query_meaning": round(sim, 4)}
    if fed is not q:  # (moved towards these many other matches)
        sim = float(similarities(tree, p, np.array([doc]), fed)[0])
        out |= {"whole_query_feedback_meaning": round(sim, 4), "whole_query_feedback": len(found)}
    return out | ({"match": "related"} if sim >= meaning.WHOLE_FILL_SIM else {})

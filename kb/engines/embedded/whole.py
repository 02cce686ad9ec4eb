"""Whole query: paragraphs close in meaning to the query as a whole, the last of the related
matches (issue 27).

Each paragraph's vector of meaning is kept in the postings (the weighted mean of its words'
vectors in the shipped model: :func:`kb.engines.embedded.writer.analyze_all`); a query's is
the same mean over its words in the model in use (grown with the user's corpus:
:func:`kb.text.meaning.whole_vector`, :mod:`kb.text.growth`; none when the words the model
knows cover less than :data:`kb.text.meaning.WHOLE_COVER` of the query's letters: a typo is not the
meaning of its one known piece). When the other tiers find fewer
than ``Ranking.whole_below`` paragraphs, the :data:`kb.text.meaning.WHOLE_TOP` paragraphs
closest to the query (cosine at least :data:`kb.text.meaning.WHOLE_MIN_SIM` once the direction
all paragraphs share is taken out of both) come in below every other match: one matrix product over the paragraphs, done only then. A query of unquoted words
only (no OR, no exclusion) is looked for so.
"""

from __future__ import annotations

import numpy as np

from kb.core.settings import Ranking
from kb.engines import meaningtiers as mt
from kb.engines.embedded.reader import Postings
from kb.engines.embedded.scored import Scored
from kb.engines.query import whole_words
from kb.text import meaning


def similarities(tree, p: Postings) -> np.ndarray | None:
    """Each paragraph's cosine with the query once the direction all paragraphs share is taken
    out of both (:meth:`Postings.common_meaning`: a mean of word vectors leans towards the corpus's
    common words, so that every query is near every paragraph); None without vectors."""
    ws = whole_words(tree)
    vectors = p.vectors() if ws else None
    q = meaning.whole_vector(ws, meaning.active()) if vectors is not None else None
    common = p.common_meaning() if q is not None and vectors.shape[1] == len(q) else None
    if common is None:
        return None
    return mt.whole_similarities(vectors, q, common)


def by_whole_query(tree, p: Postings, r: Ranking, found: Scored) -> Scored:
    """The paragraphs not in ``found`` (the other tiers' matches, scored) closest to the whole
    query (:func:`similarities` at least :data:`kb.text.meaning.WHOLE_MIN_SIM`, the
    :data:`kb.text.meaning.WHOLE_TOP` closest), scored below every one of them (``r.whole`` times
    the lowest score, times the cosine); none when ``found`` holds ``r.whole_below`` paragraphs or more."""
    if len(found) >= r.whole_below or r.whole <= 0:
        return Scored.empty()
    sims = similarities(tree, p)
    if sims is None:
        return Scored.empty()
    sims[~p.live] = -1
    sims[found.docs] = -1
    docs = mt.closest(sims)
    floor = float(found.scores.min()) if len(found) else 1.0
    return Scored(docs.astype(np.int64), r.whole * floor * sims[docs].astype(np.float64))


def explain_whole(tree, p: Postings, doc: int) -> dict:
    """For ``explain``: a paragraph's cosine with the whole query (:func:`similarities`), and
    ``match`` related when it is close enough to have come in so (nothing without vectors)."""
    sims = similarities(tree, p)
    if sims is None:
        return {}
    sim = float(sims[doc])
    return {"whole_query_meaning": round(sim, 4)} | ({"match": "related"} if sim >= meaning.WHOLE_MIN_SIM else {})

"""Scored sets: documents with a score each, and how the query's parts combine them (union,
intersection, minus), the algebra the tiers (:mod:`kb.engines.embedded.tiers`) evaluate a
query tree with, over what the postings (:mod:`kb.engines.embedded.reader`) match.

Documents are global numbers (segment after segment), ascending and distinct; the sets
are combined by the merge kernels of :mod:`kb.engines.embedded.kernels` when they are
built, else by numpy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.ma  # noqa: F401 -- np.unique imports it on its first call: 11 ms of the first search

from kb.engines.embedded import kernels

DENSE_SETS = 16  # two sets with more than 1/16 of the document numbers between them: intersected by mask


@dataclass
class Scored:
    """Documents (global numbers, ascending, distinct) with a score each."""

    docs: np.ndarray
    scores: np.ndarray

    @classmethod
    def empty(cls) -> Scored:
        return cls(np.zeros(0, np.int64), np.zeros(0, np.float64))

    def __len__(self) -> int:
        return len(self.docs)

    def boosted(self, factor: float) -> Scored:
        return Scored(self.docs, self.scores * factor)

    def plus(self, other: Scored) -> Scored:
        """These documents, with ``other``'s score added where it has them (an optional clause)."""
        if not len(other) or not len(self):
            return self
        at = np.searchsorted(self.docs, other.docs).clip(max=len(self.docs) - 1)
        hit = self.docs[at] == other.docs
        scores = self.scores.copy()
        np.add.at(scores, at[hit], other.scores[hit])
        return Scored(self.docs, scores)


def union(items: list[Scored], n: int = 0) -> Scored:
    """Documents of any item, their scores summed (in the items' order). By the merge
    kernel, or (not built) with ``n`` (the number of documents) and many documents,
    summed in an array of all ``n`` documents instead of sorting them all (``np.unique``)."""
    items = [x for x in items if len(x)]
    if not items:
        return Scored.empty()
    if len(items) == 1:
        return items[0]
    if kernels.COMPILED:  # merged two at a time: costs the documents' number, not n
        out = items[0]
        for x in items[1:]:
            out = Scored(*kernels.unite(out.docs, out.scores, x.docs, x.scores))
        return out
    total = sum(len(x) for x in items)
    if n and total * 8 > n:
        scores = np.zeros(n)
        seen = np.zeros(n, dtype=bool)
        for x in items:  # each item's documents are distinct: a fancy += adds once each
            scores[x.docs] += x.scores
            seen[x.docs] = True
        docs = np.flatnonzero(seen)
        return Scored(docs, scores[docs])
    docs = np.concatenate([x.docs for x in items])
    u, inverse = np.unique(docs, return_inverse=True)
    return Scored(u, np.bincount(inverse, weights=np.concatenate([x.scores for x in items]), minlength=len(u)))


def intersection(items: list[Scored]) -> Scored:
    """Documents of every item, their scores summed (in the items' order). By the merge
    kernel, or (not built) many documents through a mask over the document numbers, not
    by sorting them all (``np.intersect1d``)."""
    out = items[0]
    for x in items[1:]:
        if not len(out) or not len(x):
            return Scored.empty()
        if kernels.COMPILED:  # the shorter walked, the longer galloped
            out = Scored(*kernels.meet(out.docs, out.scores, x.docs, x.scores))
            continue
        top = int(max(out.docs[-1], x.docs[-1])) + 1
        if (len(out) + len(x)) * DENSE_SETS > top:
            mask = np.zeros(top, dtype=bool)
            mask[out.docs] = True
            keep = mask[x.docs]
            common = x.docs[keep]
            out = Scored(common, out.scores[np.searchsorted(out.docs, common)] + x.scores[keep])
        else:
            common, i, j = np.intersect1d(out.docs, x.docs, assume_unique=True, return_indices=True)
            out = Scored(common, out.scores[i] + x.scores[j])
    return out


def minus(a: Scored, docs: np.ndarray) -> Scored:
    keep = ~np.isin(a.docs, docs, assume_unique=True)
    return Scored(a.docs[keep], a.scores[keep])


def concat(parts: list[Scored]) -> Scored:
    if not parts:
        return Scored.empty()
    if len(parts) == 1:
        return parts[0]
    return Scored(np.concatenate([p.docs for p in parts]), np.concatenate([p.scores for p in parts]))

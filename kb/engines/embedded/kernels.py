"""Merge kernels of the postings: sorted arrays walked together.

Matching a term walks its grams' positions (ascending) against each other, against the
paragraphs' starts and against a word's documents. numpy's ``searchsorted`` does each
with a binary search over the whole longer array per item; the C module ``kb.engines.embedded._merge``
(``kb/engines/embedded/_merge.c``, built by ``pip install``) walks both with galloping pointers instead,
two to four times faster on the index's large lists (docs/BENCHMARKS.md). Each function
here has a numpy twin that gives the same answer, used when the module is not built
(no compiler) or the arrays are not of its types (positions of a segment past 2**31
units are int64); ``tests/test_kernels.py`` checks the two against each other.
"""

from __future__ import annotations

import numpy as np

try:
    from kb.engines.embedded import _merge
except ImportError:  # not built: the numpy twins
    _merge = None

#: whether the C kernels are in use (the benchmark records it with each run)
COMPILED = _merge is not None


def _c(*arrays: np.ndarray) -> bool:
    return _merge is not None and all(a.dtype == np.int32 for a in arrays)


def keep(starts: np.ndarray, offset: int, pos: np.ndarray) -> np.ndarray:
    """The ``starts`` (ascending) with ``start + offset`` in ``pos`` (ascending, distinct)."""
    if not len(starts) or not len(pos):
        return starts[:0]
    if _c(starts, pos):
        out = np.empty(len(starts), np.int32)
        return out[:_merge.keep(np.ascontiguousarray(starts), int(offset), pos, out)]
    want = starts + offset
    at = np.searchsorted(pos, want).clip(max=len(pos) - 1)
    return starts[pos[at] == want]


def paragraphs(pos: np.ndarray, pos_start: np.ndarray) -> np.ndarray:
    """The distinct paragraphs (ascending, local numbers) holding the positions ``pos``
    (ascending), paragraph d spanning ``pos_start[d] <= position < pos_start[d + 1]``."""
    if not len(pos):
        return np.zeros(0, np.int32)
    if _c(pos) and pos_start.dtype == np.int64:
        out = np.empty(min(len(pos), len(pos_start)), np.int32)
        return out[:_merge.docs(np.ascontiguousarray(pos), pos_start, out)]
    docs = np.searchsorted(pos_start, pos, side="right") - 1
    return docs[np.r_[True, docs[1:] != docs[:-1]]].astype(np.int32)


def counts(docs: np.ndarray, pos_start: np.ndarray, pos: np.ndarray) -> np.ndarray:
    """For each paragraph of ``docs`` (ascending, local numbers), how many of the positions
    ``pos`` (ascending) lie in it."""
    if _c(pos) and pos_start.dtype == np.int64:
        out = np.empty(len(docs), np.int32)
        _merge.counts(np.ascontiguousarray(docs, dtype=np.int32), pos_start, pos, out)
        return out
    lo, hi = pos_start[docs].astype(pos.dtype), pos_start[docs + 1].astype(pos.dtype)
    return (np.searchsorted(pos, hi) - np.searchsorted(pos, lo)).astype(np.int32)


def owners(pos: np.ndarray, pos_start: np.ndarray) -> np.ndarray:
    """For each of the positions ``pos`` (ascending), its paragraph (local number)."""
    if _c(pos) and pos_start.dtype == np.int64:
        out = np.empty(len(pos), np.int32)
        _merge.owners(np.ascontiguousarray(pos), pos_start, out)
        return out
    return (np.searchsorted(pos_start, pos, side="right") - 1).astype(np.int32)


def close(anchors: np.ndarray, docs: np.ndarray, pos: np.ndarray, window: int, pos_start: np.ndarray) -> np.ndarray:
    """For each of ``anchors`` (positions, ascending, in the paragraphs ``docs``), whether
    one of ``pos`` (ascending) lies within ``window`` positions of it in the same paragraph."""
    if not len(anchors) or not len(pos):
        return np.zeros(len(anchors), bool)
    if _c(anchors, docs, pos) and pos_start.dtype == np.int64:
        out = np.empty(len(anchors), bool)
        _merge.close(np.ascontiguousarray(anchors), np.ascontiguousarray(docs), pos, int(window), pos_start, out)
        return out
    lo = np.maximum(anchors.astype(np.int64) - window, pos_start[docs])
    hi = np.minimum(anchors.astype(np.int64) + window, pos_start[docs + 1] - 1)
    at = np.searchsorted(pos, lo).clip(max=len(pos) - 1)
    return (pos[at] >= lo) & (pos[at] <= hi)


def near_some(anchors: np.ndarray, pos: np.ndarray, window: int, pos_start: np.ndarray) -> np.ndarray:
    """:func:`close` seen from ``pos``: the places in ``anchors`` (positions, ascending) of those
    that one of ``pos`` (ascending) lies within ``window`` positions of, in the same paragraph
    (ascending). Only the paragraphs of ``pos`` are looked up, and only the anchors found are
    touched: cheaper than :func:`close` when ``pos`` are few and the anchors many (城市, 55,000
    places, beside 更新改造, 348)."""
    if not len(anchors) or not len(pos):
        return np.zeros(0, np.int64)
    docs = owners(pos, pos_start).astype(np.int64)
    p = pos.astype(np.int64)
    first = np.searchsorted(anchors, np.maximum(p - window, pos_start[docs]))  # the same paragraph,
    stop = np.searchsorted(anchors, np.minimum(p + window, pos_start[docs + 1] - 1), side="right")  # the window
    first[1:] = np.maximum(first[1:], stop[:-1])  # both ascending: each range from where the last stopped
    n = np.maximum(stop - first, 0)
    return np.arange(int(n.sum())) + np.repeat(first - (np.cumsum(n) - n), n)


def unpack(data: np.ndarray, ptr: np.ndarray, out: np.ndarray) -> int | None:
    """Decode packed postings lists into ``out`` (int32) with the C kernel and say how many
    values; None without it (:func:`kb.engines.embedded.packed.unpack` then uses its numpy twin)."""
    if _merge is None:
        return None
    return _merge.unpack(data, ptr, out)


def unpack_pairs(data: np.ndarray, ptr: np.ndarray, counts: np.ndarray, docs: np.ndarray, tfs: np.ndarray
                 ) -> int | None:
    """Decode packed (paragraph, count) lists into ``docs`` and ``tfs`` (int32) with the C kernel
    and say how many pairs; None without it (:func:`kb.engines.embedded.packed.unpack_pairs`)."""
    if _merge is None:
        return None
    return _merge.unpack_pairs(data, ptr, counts, docs, tfs)


def unpack_spans(data: np.ndarray, starts: np.ndarray, skips: np.ndarray, counts: np.ndarray, out: np.ndarray
                 ) -> int | None:
    """Decode spans of packed positions into ``out`` (int32) with the C kernel and say how many
    values; None without it (:func:`kb.engines.embedded.packed.unpack_spans`)."""
    if _merge is None or not hasattr(_merge, "unpack_spans"):
        return None
    return _merge.unpack_spans(data, starts, skips, counts, out)


def unpack_span(data: np.ndarray, start: int, skip: int, count: int, out: np.ndarray) -> int | None:
    """:func:`unpack_spans` of one span given as numbers; None without the C kernel."""
    if _merge is None or not hasattr(_merge, "unpack_span"):
        return None
    return _merge.unpack_span(data, start, skip, count, out)


def union_sorted(arrays: list[np.ndarray]) -> np.ndarray:
    """The distinct values of ``arrays`` (each ascending), ascending: what ``np.unique`` of
    their concatenation gives, by a sort that finds the runs already in order and a mask of
    the repeats (numpy 2's ``np.unique`` hashes first: ten times slower on positions).
    An empty list gives an empty int64 array."""
    if not arrays:
        return np.zeros(0, np.int64)
    out = np.concatenate(arrays)
    out.sort(kind="stable")
    return out[np.r_[True, out[1:] != out[:-1]]] if len(out) else out


def _docs_scores(docs: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return np.ascontiguousarray(docs, dtype=np.int64), np.ascontiguousarray(scores, dtype=np.float64)


def unite(a: np.ndarray, a_scores: np.ndarray, b: np.ndarray, b_scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The documents of ``a`` or ``b`` (each ascending, distinct), a score each: ``a``'s
    plus ``b``'s where both have it (added in that order)."""
    if _merge is not None:
        (a, a_scores), (b, b_scores) = _docs_scores(a, a_scores), _docs_scores(b, b_scores)
        docs, scores = np.empty(len(a) + len(b), np.int64), np.empty(len(a) + len(b))
        n = _merge.unite(a, a_scores, b, b_scores, docs, scores)
        return docs[:n], scores[:n]
    u, inverse = np.unique(np.concatenate([a, b]), return_inverse=True)
    return u, np.bincount(inverse, weights=np.concatenate([a_scores, b_scores]), minlength=len(u))


def meet(a: np.ndarray, a_scores: np.ndarray, b: np.ndarray, b_scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The documents of both ``a`` and ``b`` (each ascending, distinct), ``a``'s score
    plus ``b``'s."""
    if _merge is not None:
        (a, a_scores), (b, b_scores) = _docs_scores(a, a_scores), _docs_scores(b, b_scores)
        n = min(len(a), len(b))
        docs, scores = np.empty(n, np.int64), np.empty(n)
        n = _merge.meet(a, a_scores, b, b_scores, docs, scores)
        return docs[:n], scores[:n]
    common, i, j = np.intersect1d(a, b, assume_unique=True, return_indices=True)
    return common, a_scores[i] + b_scores[j]


def tally(docs: np.ndarray, n_values: int, by_doc: np.ndarray | None = None, ptr: np.ndarray | None = None,
          codes: np.ndarray | None = None) -> np.ndarray:
    """How many of ``docs`` have each of ``n_values`` values, in a column of one value
    per document (``by_doc``, -1 for none) or of several (document d's are
    ``codes[ptr[d]:ptr[d + 1]]``)."""
    docs = np.ascontiguousarray(docs, dtype=np.int64)
    out = np.zeros(n_values, np.int64)
    if by_doc is not None:
        if _merge is not None and by_doc.dtype == np.int32:
            _merge.tally1(docs, np.ascontiguousarray(by_doc), out)
            return out
        c = by_doc[docs]
        return np.bincount(c[c >= 0], minlength=n_values)
    if _merge is not None and ptr.dtype == np.int64 and codes.dtype == np.int32:
        _merge.tally(docs, np.ascontiguousarray(ptr), np.ascontiguousarray(codes), out)
        return out
    starts = ptr[docs]
    lens = ptr[docs + 1] - starts
    total = int(lens.sum())
    if not total:
        return out
    first = np.repeat(starts - (np.cumsum(lens) - lens), lens)  # each code's place in codes
    c = codes[first + np.arange(total)]
    return np.bincount(c[c >= 0], minlength=n_values)


def bm25(tf: np.ndarray, idf: float, dl: np.ndarray, avgdl: float, k1: float, b: float) -> np.ndarray:
    """BM25 of term counts ``tf`` in paragraphs of lengths ``dl`` (see :func:`length`)."""
    return idf * tf * (k1 + 1) / (tf + k1 * ((1 - b) + b * dl / max(avgdl, 1e-9)))


def length(dl: np.ndarray, avgdl: float, short_bias: bool) -> np.ndarray:
    """A paragraph's length for BM25: with ``short_bias`` off, never below the average
    (a short paragraph is not lifted for being short; a long one is still weighed down),
    plus a trace of the true length so that the order never depends on the average."""
    return dl if short_bias else np.maximum(dl, avgdl) + 1e-3 * dl


def word_bm25(docs: np.ndarray, wdocs: np.ndarray, wtf: np.ndarray, lens: np.ndarray, idf: float,
              k1: float, b: float, avgdl: float, short_bias: bool) -> np.ndarray:
    """For each of ``docs`` (ascending, local numbers), the BM25 of a word (or gram) whose
    postings are ``wdocs`` (ascending) with counts ``wtf`` (int32 or uint16), in a field
    whose paragraph lengths are ``lens``: 0 where the word is not."""
    if _c(wdocs, lens) and wtf.dtype in (np.int32, np.uint16) and docs.dtype in (np.int32, np.int64):
        out = np.empty(len(docs))
        _merge.bm25(np.ascontiguousarray(docs, dtype=np.int32), wdocs, wtf, lens, float(idf), float(k1), float(b),
                    float(avgdl), bool(short_bias), out)
        return out
    out = np.zeros(len(docs))
    if not len(wdocs):
        return out
    at = np.searchsorted(wdocs, docs).clip(max=len(wdocs) - 1)
    hit = np.flatnonzero(wdocs[at] == docs)
    dl = length(lens[docs[hit]], avgdl, short_bias)
    out[hit] = bm25(wtf[at[hit]], idf, dl, avgdl, k1, b)
    return out

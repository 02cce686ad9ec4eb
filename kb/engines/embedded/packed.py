"""Packed postings: a segment's sorted lists of paragraphs as gaps in variable-byte codes.

A segment's lists of paragraphs -- each gram's and word's paragraphs with how often it
stands in each, a phrase's paragraphs -- are sorted ascending, so the difference from one
value to the next (the *gap*) is small. A list of paragraphs alone is written as gaps
(:func:`pack`: its first value as it is), every value as a variable-byte code (LEB128:
seven bits a byte, low bits first, the high bit set on every byte but a value's last), as
Lucene's and Tantivy's postings do. A list of (paragraph, count) pairs
(:func:`pack_pairs`) is written as Lucene writes it: each paragraph's gap shifted left by a
bit that says "count 1" (nine pairs in ten), then the other counts. The grams' positions are
packed in blocks (:func:`pack_positions`: :mod:`kb.engines.embedded.positions`).

The lists of a kind are one ``uint8`` array, list ``l`` in bytes ``ptr[l]:ptr[l + 1]``
(``ptr``: the byte pointers). A search decodes only the lists it asks for (:func:`unpack`,
:func:`unpack_pairs`), with the C kernels ``kb.engines.embedded._merge.unpack`` and
``unpack_pairs`` (numpy twins give the same values when the module is not built or the
values pass int32; ``tests/unit/test_packed.py`` checks both). Writing is numpy work over
slices of the lists (:data:`CHUNK` values), so that a segment's tens of millions of pairs
are never held as one large temporary.
"""

from __future__ import annotations

import numpy as np

from kb.engines.embedded import kernels

#: values encoded per numpy step when packing (bounds the temporaries' memory)
CHUNK = 1 << 18
_LIMITS = np.array([1 << 7, 1 << 14, 1 << 21, 1 << 28], dtype=np.int64)


def pack(values: np.ndarray, ptr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(bytes, byte pointers) of the lists ``values[ptr[l]:ptr[l + 1]]``, each ascending and
    non-negative, as gaps (each list's first value as it is)."""
    ptr = np.asarray(ptr, dtype=np.int64)
    n = int(ptr[-1]) if len(ptr) else 0
    starts = np.zeros(n + 1, dtype=bool)
    starts[ptr[:-1]] = True  # the first row of each list (an empty list marks the next one's: the same row)
    parts, bptr, done = [], np.zeros(len(ptr), dtype=np.int64), 0
    for s in range(0, n, CHUNK):
        e = min(n, s + CHUNK)
        data, ends = _chunk(values, s, e, starts[s:e])
        lo, hi = np.searchsorted(ptr, [s + 1, e + 1])  # the lists whose end (the next one's start) is here
        bptr[lo:hi] = done + ends[ptr[lo:hi] - s - 1]
        parts.append(data)
        done += len(data)
    return (np.concatenate(parts) if parts else np.zeros(0, np.uint8)), bptr


def _chunk(values: np.ndarray, s: int, e: int, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The bytes of rows s..e-1 (``starts``: which rows begin a list) and where each row's
    bytes end among them."""
    rows = np.asarray(values[s:e], dtype=np.int64)
    gaps = rows.copy()
    gaps[1:] -= rows[:-1]
    if s:
        gaps[0] -= int(values[s - 1])
    gaps[starts] = rows[starts]
    data, sizes = _varints(gaps)
    return data, np.cumsum(sizes)


def _varints(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The variable-byte codes of ``values`` (int64, 0 <= value < 2**35) one after the
    other, and how many bytes each takes."""
    if len(values) and values.min() < 0:
        raise ValueError("packed postings: a negative value (a list not ascending)")
    sizes = 1 + (values[:, None] >= _LIMITS).sum(axis=1)
    total = int(sizes.sum())
    first = np.cumsum(sizes) - sizes
    k = np.arange(total, dtype=np.int64) - np.repeat(first, sizes)  # the byte's place in its value
    each = np.repeat(values, sizes)
    data = ((each >> (7 * k)) & 127).astype(np.uint8)
    data[k < np.repeat(sizes, sizes) - 1] |= 128
    return data, sizes


def unpack(data: np.ndarray, ptr: np.ndarray, dtype=np.int32) -> np.ndarray:
    """The values of the lists packed by :func:`pack` whose bytes are ``data[ptr[0]:ptr[1]]``,
    ``data[ptr[1]:ptr[2]]``, ... one after the other (the gaps added up again, each list
    from 0); ``ptr`` a slice of the byte pointers."""
    ptr = np.ascontiguousarray(ptr, dtype=np.int64)
    size = int(ptr[-1] - ptr[0]) if len(ptr) > 1 else 0
    if not size:
        return np.zeros(0, dtype)
    if dtype == np.int32:
        out = np.empty(size, np.int32)  # a value takes a byte at least
        n = kernels.unpack(data, ptr, out)
        if n is not None:
            return out[:n]
    values, per_list = _decoded(data, ptr)
    return _summed(values, per_list).astype(dtype)


def _decoded(data: np.ndarray, ptr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(every variable-byte code of the bytes ``data[ptr[0]:ptr[-1]]`` as int64, how many
    of them each list holds)."""
    b = np.asarray(data[int(ptr[0]):int(ptr[-1])]).astype(np.int64)
    if not len(b):
        return np.zeros(0, np.int64), np.zeros(len(ptr) - 1, np.int64)
    ends = np.flatnonzero(b < 128)  # each value's last byte
    if not len(ends) or ends[-1] != len(b) - 1:
        raise ValueError("packed postings: damaged (a value cut short)")
    firsts = np.r_[0, ends[:-1] + 1]
    k = np.arange(len(b), dtype=np.int64) - np.repeat(firsts, ends - firsts + 1)
    values = np.add.reduceat((b & 127) << (7 * k), firsts)
    return values, np.diff(np.searchsorted(firsts, ptr - ptr[0]))


def _summed(gaps: np.ndarray, per_list: np.ndarray) -> np.ndarray:
    """The running sums of ``gaps`` within each list (``per_list`` values each), from 0."""
    sums = np.cumsum(gaps)
    if not len(sums):
        return sums
    first = np.minimum(np.cumsum(per_list) - per_list, len(sums) - 1)  # each list's first (an empty list's: any)
    return sums - np.repeat(sums[first] - gaps[first], per_list)


def pack_pairs(docs: np.ndarray, tfs: np.ndarray, ptr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(bytes, byte pointers) of the (paragraph, count) lists ``docs[ptr[l]:ptr[l + 1]]``
    (ascending) and ``tfs[...]`` (>= 1), as Lucene writes them: each list's paragraphs as
    heads ``gap << 1 | (count == 1)``, then the counts that are not 1, in order (a count of
    1, most of them, costs a bit). Packed a few lists at a time (whole lists)."""
    ptr = np.asarray(ptr, dtype=np.int64)
    n_lists = len(ptr) - 1
    cuts = np.unique(np.r_[0, np.searchsorted(ptr, np.arange(CHUNK, int(ptr[-1]), CHUNK), side="right") - 1,
                           n_lists]) if n_lists > 0 else np.zeros(1, np.int64)
    parts, bptr, done = [], np.zeros(len(ptr), dtype=np.int64), 0
    for a, b in zip(cuts[:-1].tolist(), cuts[1:].tolist(), strict=True):
        data, ends = _pairs_chunk(docs, tfs, ptr[a:b + 1])
        bptr[a + 1:b + 1] = done + ends
        parts.append(data)
        done += len(data)
    return (np.concatenate(parts) if parts else np.zeros(0, np.uint8)), bptr


def _pairs_chunk(docs: np.ndarray, tfs: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The bytes of the lists of rows ``p[0]:p[-1]`` and where each list's bytes end."""
    s, e = int(p[0]), int(p[-1])
    d, t = np.asarray(docs[s:e], dtype=np.int64), np.asarray(tfs[s:e], dtype=np.int64)
    per = np.diff(p)
    lists = np.repeat(np.arange(len(per)), per)
    gap = d.copy()
    gap[1:] -= d[:-1]
    first = p[:-1][per > 0] - s
    gap[first] = d[first]
    more = t != 1
    ntf = np.bincount(lists[more], minlength=len(per))
    size = per + ntf
    start = np.cumsum(size) - size  # each list's first value among the chunk's
    items = np.empty(int(size.sum()), dtype=np.int64)
    items[start[lists] + np.arange(e - s) - (p[:-1] - s)[lists]] = gap << 1 | ~more
    tl = lists[more]
    items[start[tl] + per[tl] + np.arange(len(tl)) - (np.cumsum(ntf) - ntf)[tl]] = t[more]
    data, sizes = _varints(items)
    ends = np.zeros(len(items) + 1, dtype=np.int64)
    np.cumsum(sizes, out=ends[1:])
    return data, ends[start + size]


def unpack_pairs(data: np.ndarray, ptr: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(paragraphs, counts), int32, of the lists packed by :func:`pack_pairs` whose bytes are
    ``data[ptr[0]:ptr[1]]``, ... (``ptr``: a slice of the byte pointers), ``counts[l]``
    pairs in list ``l``: the lists one after the other."""
    ptr = np.ascontiguousarray(ptr, dtype=np.int64)
    counts = np.ascontiguousarray(counts, dtype=np.int64)
    n = int(counts[0]) if len(counts) == 1 else int(counts.sum())
    docs, tfs = np.empty(n, np.int32), np.empty(n, np.int32)
    if n and kernels.unpack_pairs(data, ptr, counts, docs, tfs) is not None:
        return docs, tfs
    values, per_list = _decoded(data, ptr)
    if not n:
        return docs, tfs
    col = np.arange(len(values)) - np.repeat(np.cumsum(per_list) - per_list, per_list)
    head = col < np.repeat(counts, per_list)
    heads = values[head]
    tf = np.ones(len(heads), np.int64)
    tf[(heads & 1) == 0] = values[~head]
    return _summed(heads >> 1, counts).astype(np.int32), tf.astype(np.int32)


def counts(data: np.ndarray, ptr: np.ndarray) -> np.ndarray:
    """How many values each list holds (``ptr``: the byte pointers of every list)."""
    last = np.zeros(len(data) + 1, dtype=np.int64)
    np.cumsum(np.asarray(data) < 128, out=last[1:])
    return np.diff(last[np.asarray(ptr, dtype=np.int64)])


#: positions a block holds (:func:`pack_positions`): a search decodes the blocks it needs
POS_BLOCK = 128
#: a gram's positions are packed when it has at most this many; the commonest grams' are kept
#: as they are (int32, mapped): a common term's places are dense, and decoding them cost more
#: than the search did (docs/BENCHMARKS.md, issue 30's fifth pass)
PACKED_UP_TO = 4096


def pack_positions(values: np.ndarray, ptr: np.ndarray, block: int = POS_BLOCK, at: int = 0
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(bytes, where each block's bytes start (one more: the end), each block's first value)
    of the lists ``values[ptr[l]:ptr[l + 1]]`` (each ascending), cut into blocks of ``block``
    values one after the other (block ``b``: values ``b * block`` to ``(b + 1) * block - 1``,
    across lists, ``values[0]`` being value ``at`` of the whole: a segment's positions are
    packed a range of grams at a time): each list's first value and each block's written as
    they are, every other one as the gap from the one before (:func:`pack`). A search decodes
    a list's blocks alone (:func:`unpack_spans`), and only those where the values it looks
    for would stand (found among the blocks' first values), as Lucene's skip lists let it."""
    n = len(values)
    ptr = np.asarray(ptr, dtype=np.int64)
    heads = np.arange(-(-at // block) * block - at, n, block, dtype=np.int64)  # the blocks that begin here
    cuts = np.union1d(ptr[:-1], heads)
    cuts = cuts[cuts < n]
    data, bptr = pack(values, np.append(cuts, n))
    blocks = np.append(bptr[np.searchsorted(cuts, heads)], len(data)).astype(np.int64)
    return data, blocks, np.asarray(values[heads])


def unpack_span(data: np.ndarray, start: int, end: int, skip: int, count: int) -> np.ndarray:
    """:func:`unpack_spans` of one span."""
    out = np.empty(count, np.int32)
    if count and kernels.unpack_span(data, start, skip, count, out) is not None:
        return out
    return unpack_spans(data, [start], [end], [skip], [count])


def unpack_spans(data: np.ndarray, starts: np.ndarray, ends: np.ndarray, skips: np.ndarray,
                 counts: np.ndarray) -> np.ndarray:
    """The values (int32) of spans of :func:`pack_positions`' bytes, one after the other: span
    ``s`` in the bytes ``data[starts[s]:ends[s]]`` (its block's), its first ``skips[s]`` values
    passed over, then ``counts[s]`` values, the first written as it is (a block's or a list's
    first) and each next one a gap. The C kernel ``unpack_spans``, or its numpy twin."""
    starts, ends, skips, counts = (np.ascontiguousarray(a, dtype=np.int64) for a in (starts, ends, skips, counts))
    out = np.empty(int(counts.sum()), np.int32)
    if not len(out):
        return out
    if kernels.unpack_spans(data, starts, skips, counts, out) is not None:
        return out
    raw = np.concatenate([np.asarray(data[a:b]) for a, b in zip(starts.tolist(), ends.tolist(), strict=True)])
    ptr = np.concatenate([[0], np.cumsum(ends - starts)])
    values, per_list = _decoded(raw, ptr)
    first = np.cumsum(per_list) - per_list + skips  # each span's first value among them
    if np.any(skips + counts > per_list):
        raise ValueError("packed positions: damaged (a span past its block)")
    kept = values[np.repeat(first - (np.cumsum(counts) - counts), counts) + np.arange(len(out))]
    return _summed(kept, counts).astype(np.int32)

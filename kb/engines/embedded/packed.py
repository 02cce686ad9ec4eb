"""Packed postings: sorted lists of a segment as gaps in variable-byte codes.

A segment's long lists -- where each gram stands, each gram's and word's paragraphs with
how often it stands in each, a phrase's paragraphs -- are sorted ascending, so the
difference from one value to the next (the *gap*) is small. Each list is written as its
values in groups of ``stride`` (1: positions or paragraphs; 2: a paragraph, then its
count), the first of each group as the gap from the group before it (the list's first
as it is), the others as they are; every value as a variable-byte code (LEB128: seven
bits a byte, low bits first, the high bit set on every byte but a value's last), as
Lucene's and Tantivy's postings do. A gap of a common gram's positions or a count takes
one byte instead of four.

The lists of a kind are one ``uint8`` array, list ``l`` in bytes ``ptr[l]:ptr[l + 1]``
(``ptr``: int64). A search decodes only the lists it asks for (:func:`unpack`), with the
C kernel ``kb.engines.embedded._merge.unpack`` (a numpy twin gives the same values when
the module is not built or the values pass int32; ``tests/test_packed.py`` checks both).
Writing (:func:`pack`) is numpy work over slices of the values, so that a segment of
tens of millions of positions is never held as one large temporary.
"""

from __future__ import annotations

import numpy as np

from kb.engines.embedded import kernels

#: values encoded per numpy step when packing (bounds the temporaries' memory)
CHUNK = 1 << 20
_LIMITS = np.array([1 << 7, 1 << 14, 1 << 21, 1 << 28], dtype=np.int64)


def pack(columns: list[np.ndarray], ptr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(bytes, byte pointers) of the lists ``columns[c][ptr[l]:ptr[l + 1]]``: each list
    ascending in ``columns[0]`` (distinct where it matters to the reader), every value
    non-negative; the lists' values row by row (``columns[0]``'s as gaps)."""
    ptr = np.asarray(ptr, dtype=np.int64)
    n = int(ptr[-1]) if len(ptr) else 0
    starts = np.zeros(n + 1, dtype=bool)
    starts[ptr[:-1]] = True  # the first row of each list (an empty list marks the next one's: the same row)
    parts, bptr, done = [], np.zeros(len(ptr), dtype=np.int64), 0
    for s in range(0, n, CHUNK):
        e = min(n, s + CHUNK)
        data, ends = _chunk(columns, s, e, starts[s:e])
        lo, hi = np.searchsorted(ptr, [s + 1, e + 1])  # the lists whose end (the next one's start) is here
        bptr[lo:hi] = done + ends[ptr[lo:hi] - s - 1]
        parts.append(data)
        done += len(data)
    return (np.concatenate(parts) if parts else np.zeros(0, np.uint8)), bptr


def _chunk(columns: list[np.ndarray], s: int, e: int, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The bytes of rows s..e-1 (``starts``: which rows begin a list) and where each row's
    bytes end among them."""
    rows = [np.asarray(c[s:e], dtype=np.int64) for c in columns]
    first = rows[0].copy()
    first[1:] -= rows[0][:-1]
    if s:
        first[0] -= int(columns[0][s - 1])
    first[starts] = rows[0][starts]
    rows[0] = first
    flat = np.stack(rows, axis=1).ravel() if len(rows) > 1 else first
    data, sizes = _varints(flat)
    ends = np.cumsum(sizes)
    return data, ends[len(rows) - 1::len(rows)]


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


def unpack(data: np.ndarray, ptr: np.ndarray, stride: int = 1, dtype=np.int32) -> np.ndarray:
    """The values of the lists whose bytes are ``data[ptr[0]:ptr[1]]``, ``data[ptr[1]:ptr[2]]``,
    ... one after the other (the gaps added up again, each list from 0); ``ptr`` a
    slice of the byte pointers. Values in groups of ``stride`` stay interleaved."""
    ptr = np.ascontiguousarray(ptr, dtype=np.int64)
    size = int(ptr[-1] - ptr[0]) if len(ptr) > 1 else 0
    if not size:
        return np.zeros(0, dtype)
    if dtype == np.int32:
        out = np.empty(size, np.int32)  # a value takes a byte at least
        n = kernels.unpack(data, ptr, stride, out)
        if n is not None:
            return out[:n]
    return _unpack_numpy(data, ptr, stride).astype(dtype)


def _unpack_numpy(data: np.ndarray, ptr: np.ndarray, stride: int) -> np.ndarray:
    """:func:`unpack` in numpy (int64)."""
    b = np.asarray(data[int(ptr[0]):int(ptr[-1])]).astype(np.int64)
    if not len(b):
        return np.zeros(0, np.int64)
    ends = np.flatnonzero(b < 128)  # each value's last byte
    firsts = np.r_[0, ends[:-1] + 1]
    k = np.arange(len(b), dtype=np.int64) - np.repeat(firsts, ends - firsts + 1)
    values = np.add.reduceat((b & 127) << (7 * k), firsts) if len(firsts) else np.zeros(0, np.int64)
    counts = np.diff(np.searchsorted(firsts, ptr - ptr[0]))  # values per list
    col = np.arange(len(values)) - np.repeat(np.cumsum(counts) - counts, counts)
    gap = col % stride == 0
    sums = np.cumsum(np.where(gap, values, 0))
    if not len(values):
        return values
    first = np.minimum(np.cumsum(counts) - counts, len(values) - 1)  # each list's first value (an empty list's: any)
    return np.where(gap, sums - np.repeat(sums[first] - values[first], counts), values)


def counts(data: np.ndarray, ptr: np.ndarray) -> np.ndarray:
    """How many values each list holds (``ptr``: the byte pointers of every list)."""
    last = np.zeros(len(data) + 1, dtype=np.int64)
    np.cumsum(np.asarray(data) < 128, out=last[1:])
    return np.diff(last[np.asarray(ptr, dtype=np.int64)])

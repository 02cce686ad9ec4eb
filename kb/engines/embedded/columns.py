"""Columns: the facet values of every document as numpy arrays, for counting over hits.

Facet counts are taken over *all* hits of a search (tens of thousands at the sizes users
reach), so they are counted with numpy, not a Python loop per hit. :mod:`kb.engines.embedded.writer` writes a
:class:`Column` per facet with each segment and :mod:`kb.engines.embedded.reader` joins them when
a generation opens:

- single-valued fields (agency, year, ...): one code per document (-1 for none);
- multi-valued fields (topic, regulation): compressed rows, ``ptr[d]:ptr[d + 1]`` are the
  codes of document ``d``.

Codes index ``values``. Document sets are sorted arrays of document numbers; filters
are boolean masks over all documents.
"""

from __future__ import annotations

import functools
from array import array
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter

import numpy as np

from kb.engines.embedded import kernels
from kb.text.collation import name_key


class Counts(Mapping):
    """How many documents have each value (values with none left out), as a read-only
    mapping over arrays: a facet of thousands of values is made into Python objects only
    for what an answer lists (:meth:`by_count`, :meth:`names`)."""

    def __init__(self, column: Column, codes: np.ndarray, counts: np.ndarray):
        self.column, self.codes, self.counts = column, codes, counts  # codes ascending, counts > 0

    def __len__(self) -> int:
        return len(self.codes)

    def __iter__(self) -> Iterator[str]:
        return iter(self.names(self.codes))

    def __getitem__(self, value: str) -> int:
        code = self.column.code_of.get(value)
        i = int(np.searchsorted(self.codes, code)) if code is not None else len(self.codes)
        if i == len(self.codes) or self.codes[i] != code:
            raise KeyError(value)
        return int(self.counts[i])

    def items(self) -> Iterator[tuple[str, int]]:
        """(value, count) of each value, in code order: made in two C calls, not looked up
        one value at a time (what Mapping.items would do)."""
        return iter(zip(self.names(self.codes), self.counts.tolist(), strict=True))

    def names(self, codes: np.ndarray) -> list[str]:
        if not len(codes):
            return []
        names = itemgetter(*codes.tolist())(self.column.values)  # one C call, not one per value
        return [names] if len(codes) == 1 else list(names)

    def by_count(self, skip: set[str]) -> ByCount:
        """(value, count) of every value but ``skip`` and the empty one, most documents
        first, then by value (:class:`kb.engines.protocol.RankedCounts`)."""
        order = np.lexsort((self.column.rank[self.codes], -self.counts))
        codes, counts = self.codes[order], self.counts[order]
        drop = [self.column.code_of[v] for v in skip | {""} if v in self.column.code_of]
        if drop:
            keep = ~np.isin(codes, drop)
            codes, counts = codes[keep], counts[keep]
        return ByCount(self, codes, counts)


class ByCount(Sequence):
    """Values in count order as (value, count), made for the items or slices asked for."""

    def __init__(self, of: Counts, codes: np.ndarray, counts: np.ndarray):
        self.of, self.codes, self.counts = of, codes, counts

    def __len__(self) -> int:
        return len(self.codes)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return list(zip(self.of.names(self.codes[i]), self.counts[i].tolist(), strict=True))
        i = range(len(self.codes))[i]  # a negative place counts from the end; past it, IndexError
        return self.of.names(self.codes[i:i + 1])[0], int(self.counts[i])


@dataclass
class Column:
    values: list[str]  # code -> value
    by_doc: np.ndarray | None  # single-valued: code per document, -1 for none
    ptr: np.ndarray | None  # multi-valued: row pointers (n_docs + 1)
    codes: np.ndarray | None  # multi-valued: the codes, row by row

    @functools.cached_property
    def code_of(self) -> dict[str, int]:
        return {v: i for i, v in enumerate(self.values)}

    @functools.cached_property
    def rank(self) -> np.ndarray:
        """For each code, its place among the values by name (pinyin: :mod:`kb.text.collation`):
        how values of equal count are listed (:meth:`Counts.by_count`)."""
        rank = np.empty(len(self.values), dtype=np.int64)
        rank[sorted(range(len(self.values)), key=lambda i: name_key(self.values[i]))] = np.arange(len(self.values))
        return rank

    def count(self, docs: np.ndarray) -> Counts:
        """How many of ``docs`` have each value (values with no document left out)."""
        counts = kernels.tally(docs, len(self.values), self.by_doc, self.ptr, self.codes)
        nz = np.flatnonzero(counts)
        return Counts(self, nz, counts[nz])

    @classmethod
    def of_rows(cls, rows: list[tuple[str, ...]], multi: bool) -> Column:
        """A column from each document's values (one value at most unless ``multi``)."""
        codes: dict[str, int] = {}
        flat = [codes.setdefault(v, len(codes)) for row in rows for v in row]
        values = list(codes)
        if not multi:
            by_doc = np.full(len(rows), -1, dtype=np.int32)
            has = np.fromiter((bool(row) for row in rows), dtype=bool, count=len(rows))
            by_doc[has] = flat
            return cls(values, by_doc, None, None)
        ptr = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum([len(row) for row in rows], out=ptr[1:])
        return cls(values, None, ptr, np.array(flat, dtype=np.int32))

    @classmethod
    def concat(cls, columns: list[Column]) -> Column:
        """The column of the documents of ``columns`` one after the other (their values
        merged, codes renumbered)."""
        if not columns:
            return cls([], np.zeros(0, dtype=np.int32), None, None)
        codes: dict[str, int] = {}
        remaps = [np.array([codes.setdefault(v, len(codes)) for v in c.values] + [-1], dtype=np.int32)
                  for c in columns]  # index -1 (no value) stays -1
        values = list(codes)
        if all(c.by_doc is not None for c in columns):
            return cls(values, np.concatenate([r[c.by_doc] for c, r in zip(columns, remaps, strict=True)]), None, None)
        ptrs, parts, offset = [np.zeros(1, dtype=np.int64)], [], 0
        for c, r in zip(columns, remaps, strict=True):
            ptr, cs = c.rows()
            ptrs.append(ptr[1:] + offset)
            parts.append(r[cs])
            offset += len(cs)
        return cls(values, None, np.concatenate(ptrs), np.concatenate(parts) if parts else np.zeros(0, np.int32))

    def rows(self) -> tuple[np.ndarray, np.ndarray]:
        """(ptr, codes): the column as compressed rows, single-valued or not."""
        if self.by_doc is None:
            return self.ptr, self.codes
        has = self.by_doc >= 0
        ptr = np.zeros(len(self.by_doc) + 1, dtype=np.int64)
        np.cumsum(has, out=ptr[1:])
        return ptr, self.by_doc[has]

    def take(self, docs: np.ndarray) -> Column:
        """The column of ``docs`` only (in that order)."""
        if self.by_doc is not None:
            return Column(self.values, self.by_doc[docs], None, None)
        starts = self.ptr[docs]
        lens = self.ptr[docs + 1] - starts
        ptr = np.zeros(len(docs) + 1, dtype=np.int64)
        np.cumsum(lens, out=ptr[1:])
        first = np.repeat(starts - ptr[:-1], lens)
        return Column(self.values, None, ptr, self.codes[first + np.arange(int(ptr[-1]))])

    def mask(self, values) -> np.ndarray:
        """The documents that have any of ``values``, as a boolean mask."""
        wanted = np.zeros(len(self.values) + 1, dtype=bool)  # the last entry: no value
        for v in values:
            if v in self.code_of:
                wanted[self.code_of[v]] = True
        if self.by_doc is not None:
            return wanted[self.by_doc]
        n = len(self.ptr) - 1
        doc_of = np.repeat(np.arange(n, dtype=np.int64), np.diff(self.ptr))
        out = np.zeros(n, dtype=bool)
        out[doc_of[wanted[self.codes]]] = True
        return out

    def value_rank(self) -> np.ndarray:
        """For each code, its place among the values in sorted order (for sorting)."""
        rank = np.empty(len(self.values), dtype=np.int64)
        rank[np.argsort(np.array(self.values, dtype=object), kind="stable")] = np.arange(len(self.values))
        return rank


class Growing:
    """A column made one document at a time (:class:`kb.engines.embedded.writer.SegmentWriter`):
    the codes only, in arrays, and each value once, not each document's values as Python
    objects (a build holds a segment's documents: a quarter of a million). :meth:`column`
    is what :meth:`Column.of_rows` makes of the same rows."""

    def __init__(self, multi: bool):
        self.multi = multi
        self.code_of: dict[str, int] = {}
        self.codes = array("i")  # single-valued: a code per document (-1: none); multi: the rows' codes
        self.ends = array("q")  # multi: where each document's codes end

    def add(self, row: tuple[str, ...]) -> None:
        """The next document's values (one at most unless ``multi``)."""
        codes = [self.code_of.setdefault(v, len(self.code_of)) for v in row]
        if self.multi:
            self.codes.extend(codes)
            self.ends.append(len(self.codes))
        elif len(codes) > 1:
            raise ValueError(f"a single-valued column given several values: {row}")
        else:
            self.codes.append(codes[0] if codes else -1)

    def column(self) -> Column:
        codes = np.frombuffer(self.codes, dtype=np.int32).copy() if len(self.codes) else np.zeros(0, np.int32)
        if not self.multi:
            return Column(list(self.code_of), codes, None, None)
        ptr = np.zeros(len(self.ends) + 1, dtype=np.int64)
        ptr[1:] = np.frombuffer(self.ends, dtype=np.int64) if len(self.ends) else ptr[1:]
        return Column(list(self.code_of), None, ptr, codes)

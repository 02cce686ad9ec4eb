"""Columns: the facet values of every document as numpy arrays, for counting over hits.

Facet counts are taken over *all* hits of a search (tens of thousands at the sizes users
reach), so they are counted with numpy, not a Python loop per hit. A :class:`Column` is
read once per index generation from the field's terms and postings:

- single-valued fields (agency, year, ...): one code per document (-1 for none);
- multi-valued fields (topic, regulation): compressed rows, ``ptr[d]:ptr[d + 1]`` are the
  codes of document ``d``.

Codes index ``values`` (the field's terms in index order). Document sets are sorted
arrays of document numbers; filters are boolean masks over all documents.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def doc_array(docnums) -> np.ndarray:
    """Document numbers (any iterable of ints, ascending) as an int32 array."""
    return np.fromiter(docnums, dtype=np.int32)


def mask_of(docs: np.ndarray, n_docs: int) -> np.ndarray:
    mask = np.zeros(n_docs, dtype=bool)
    mask[docs] = True
    return mask


@dataclass
class Column:
    values: list[str]  # code -> value
    by_doc: np.ndarray | None  # single-valued: code per document, -1 for none
    ptr: np.ndarray | None  # multi-valued: row pointers (n_docs + 1)
    codes: np.ndarray | None  # multi-valued: the codes, row by row

    @classmethod
    def read(cls, reader, fieldname: str, n_docs: int) -> Column:
        """Read a field's column from a Whoosh reader (every term, every posting)."""
        values: list[str] = []
        doc_parts, code_parts = [], []
        for code, term in enumerate(reader.lexicon(fieldname)):
            values.append(term.decode("utf-8"))
            ids = doc_array(reader.postings(fieldname, term).all_ids())
            doc_parts.append(ids)
            code_parts.append(np.full(len(ids), code, dtype=np.int32))
        docs = np.concatenate(doc_parts) if doc_parts else np.zeros(0, np.int32)
        codes = np.concatenate(code_parts) if code_parts else np.zeros(0, np.int32)
        per_doc = np.bincount(docs, minlength=n_docs)
        if len(per_doc) == 0 or per_doc.max() <= 1:
            by_doc = np.full(n_docs, -1, dtype=np.int32)
            by_doc[docs] = codes
            return cls(values, by_doc, None, None)
        order = np.argsort(docs, kind="stable")
        ptr = np.zeros(n_docs + 1, dtype=np.int64)
        np.cumsum(per_doc, out=ptr[1:])
        return cls(values, None, ptr, codes[order])

    def count(self, docs: np.ndarray) -> dict[str, int]:
        """How many of ``docs`` have each value (values with no document left out)."""
        if self.by_doc is not None:
            c = self.by_doc[docs]
            c = c[c >= 0]
        else:
            starts = self.ptr[docs]
            lens = self.ptr[docs + 1] - starts
            total = int(lens.sum())
            if total == 0:
                return {}
            # the positions of every code of every document in docs
            first = np.repeat(starts - (np.cumsum(lens) - lens), lens)
            c = self.codes[first + np.arange(total)]
        counts = np.bincount(c, minlength=len(self.values))
        nz = np.flatnonzero(counts)
        return {self.values[i]: int(counts[i]) for i in nz}

    def tuples(self) -> list[tuple[str, ...]]:
        """For each document, its values (the plain form, for browsing pages)."""
        vs = self.values
        if self.by_doc is not None:
            return [(vs[c],) if c >= 0 else () for c in self.by_doc.tolist()]
        ptr, codes = self.ptr.tolist(), self.codes.tolist()
        return [tuple(vs[c] for c in codes[ptr[d]:ptr[d + 1]]) for d in range(len(ptr) - 1)]

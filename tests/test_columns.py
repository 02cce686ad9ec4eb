"""Facet columns: numpy counts over document sets equal counting each document's values."""

from __future__ import annotations

from collections import Counter

import numpy as np

from kb.columns import Column
from kb.facets import FACETS
from kb.search import facet_columns


def test_column_counts_equal_counting_document_by_document(kb):
    """GIVEN the seed index's facet columns (single-valued and multi-valued)
    WHEN counting over all documents, none, and every third document
    THEN the counts are those of a plain loop over each document's values."""
    idx = kb.index()
    with idx.searcher() as s:
        columns = facet_columns(idx, s)
        n = s.doc_count_all()
        for name in FACETS:
            col = columns[name]
            rows = col.tuples()
            assert len(rows) == n
            for docs in (np.arange(n, dtype=np.int32), np.zeros(0, np.int32), np.arange(0, n, 3, dtype=np.int32)):
                want = Counter(v for d in docs.tolist() for v in rows[d])
                assert col.count(docs) == dict(want), name


def test_a_multi_valued_column_keeps_every_value_of_a_document():
    class Reader:  # two documents: the first has a and b, the second b
        def lexicon(self, field):
            return [b"a", b"b"]

        def postings(self, field, term):
            ids = {b"a": [0], b"b": [0, 1]}[term]
            return type("M", (), {"all_ids": lambda self: iter(ids)})()

    col = Column.read(Reader(), "topic", 2)
    assert col.tuples() == [("a", "b"), ("b",)]
    assert col.count(np.array([0, 1], dtype=np.int32)) == {"a": 1, "b": 2}
    assert col.count(np.array([1], dtype=np.int32)) == {"b": 1}

"""Facet columns: numpy counts over document sets equal counting each document's values,
and the postings' columns hold each paragraph's facet values as it was indexed."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from kb.core import corpus
from kb.engines import fields
from kb.engines.embedded.columns import Column, Growing
from kb.enrich.paragraphs import paragraphs_of
from kb.search.facets import FACETS
from tests.support import reference
from tests.support.seeds import seed_paragraph_count

BY_NAME = {f.name: f for f in fields.FIELDS}


def test_column_counts_equal_counting_document_by_document(kb):
    """GIVEN the seed index's facet columns (single-valued and multi-valued)
    WHEN counting over all documents, none, and every third document
    THEN the counts are those of a plain loop over each document's values."""
    p = kb.engine().postings()
    n = p.n_all
    for name in FACETS:
        col = p.columns[name]
        rows = reference.tuples(col)
        assert len(rows) == n
        for docs in (np.arange(n, dtype=np.int32), np.zeros(0, np.int32), np.arange(0, n, 3, dtype=np.int32)):
            want = Counter(v for d in docs.tolist() for v in rows[d])
            assert col.count(docs) == dict(want), name


def test_the_postings_columns_hold_what_was_indexed(kb, corpus_dir):
    """GIVEN the seed index WHEN each live document of the postings is looked up in the corpus
    by its paragraph id THEN its facet values are those kb.engines.fields.document made of it,
    every paragraph once."""
    want = _documents(corpus_dir)
    p = kb.engine().postings()
    seen = set()
    for doc in p.live_docs.tolist():
        pid = p.paragraph_id(doc)
        for name in FACETS:
            assert reference.tuples(p.columns[name])[doc] == BY_NAME[name].values(want[pid][name]), (pid, name)
        seen.add(pid)
    assert len(seen) == len(want) == seed_paragraph_count()


def _documents(corpus_dir) -> dict[str, dict]:
    """Every paragraph's document (kb.engines.fields.document), by id, read from the corpus."""
    out = {}
    for path in corpus.paths(corpus_dir):
        report = corpus.read(path)
        out.update({p.id: fields.document(report, p) for p in paragraphs_of(report)})
    return out


def test_columns_join_take_and_mask():
    """GIVEN two multi-valued columns and two single-valued ones WHEN joined, taken from
    and masked THEN each document keeps its values, and masks pick any of the values."""
    a = Column.of_rows([("x", "y"), (), ("y",)], multi=True)
    b = Column.of_rows([("z",), ("x",)], multi=True)
    ab = Column.concat([a, b])
    assert reference.tuples(ab) == [("x", "y"), (), ("y",), ("z",), ("x",)]
    assert ab.count(np.arange(5)) == {"x": 2, "y": 2, "z": 1}
    assert reference.tuples(ab.take(np.array([4, 0]))) == [("x",), ("x", "y")]
    assert ab.mask(["y", "z", "nowhere"]).tolist() == [True, False, True, True, False]
    c = Column.concat([Column.of_rows([("2023",), ()], multi=False), Column.of_rows([("2021",)], multi=False)])
    assert reference.tuples(c) == [("2023",), (), ("2021",)]
    assert c.mask(["2021"]).tolist() == [False, False, True]
    assert [c.values[i] for i in np.argsort(c.value_rank())] == ["2021", "2023"]


def test_a_column_grown_document_by_document_is_the_column_of_its_rows():
    """GIVEN rows of values, single-valued and multi-valued, empty ones among them (and none at all)
    WHEN a column is grown one row at a time (what a build's segment writer does)
    THEN it is the column made from all the rows at once: the same values in the same
    order, the same arrays of the same types; a single-valued column given two values is an error."""
    single = [("2023",), (), ("2021",), ("2023",), ()]
    multi = [("x", "y"), (), ("y",), ("z", "x"), ()]
    for rows, is_multi in ((single, False), (multi, True), ([], False), ([], True)):
        grown = Growing(is_multi)
        for row in rows:
            grown.add(row)
        made, whole = grown.column(), Column.of_rows(rows, is_multi)
        assert made.values == whole.values
        for name in ("by_doc", "ptr", "codes"):
            a, b = getattr(made, name), getattr(whole, name)
            assert (a is None and b is None) or (a.dtype == b.dtype and a.tolist() == b.tolist()), name
    with pytest.raises(ValueError):
        Growing(False).add(("2023", "2024"))


def test_topic_counts_are_those_of_the_stored_paragraphs(kb, corpus_dir):
    """GIVEN the seed index WHEN the taxonomy's counts are asked for THEN each topic's
    paragraphs and reports are those counted over every paragraph of the corpus."""
    paragraphs, reports = Counter(), {}
    for doc in _documents(corpus_dir).values():
        for t in filter(None, doc["topic"].split(",")):
            paragraphs[t] += 1
            reports.setdefault(t, set()).add(doc["report_id"])
    entries = [e for area in kb.topics() for e in [area, *area["items"]]]
    assert sum(e["paragraphs"] for e in entries) == sum(paragraphs.values()) > 0
    for e in entries:
        assert (e["paragraphs"], e["reports"]) == (paragraphs[e["id"]], len(reports.get(e["id"], ()))), e["id"]


def test_counts_are_a_mapping_listed_in_count_order_on_demand():
    """GIVEN a column WHEN counted over some documents THEN the counts read as a dict of
    the values present, and by_count lists them most first, ties by value, leaving out
    the values asked to skip and the empty value, for any slice or place."""
    col = Column.of_rows([("乙",), ("甲",), ("",), ("丙",), ("甲",), ("丙",), ("乙",), ()], multi=False)
    counts = col.count(np.arange(8))
    assert dict(counts) == {"乙": 2, "甲": 2, "": 1, "丙": 2} and counts["丙"] == 2 and "丁" not in counts
    ranked = counts.by_count({"乙"})
    assert list(ranked) == [("丙", 2), ("甲", 2)] == ranked[:5] and ranked[-1] == ("甲", 2) and len(ranked) == 2
    assert col.count(np.array([], dtype=np.int64)).by_count(set())[:3] == []

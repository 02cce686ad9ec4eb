"""The merge kernels (kb/kernels.py): the C module is built by the install, and each of
its functions gives exactly what its numpy twin gives (and what plain Python says), on
sorted arrays of every shape (empty, one item, long runs, gaps far wider than a gallop's
first steps)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.engines.embedded import kernels

CHECK = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))


def twin(monkeypatch, name: str, *args):
    """What the numpy twin of kernels.<name> gives for args."""
    with monkeypatch.context() as m:
        m.setattr(kernels, "_merge", None)
        return getattr(kernels, name)(*args)


def sorted_set(draw, lo=0, hi=5000, max_size=400) -> np.ndarray:
    # a mix of dense runs and wide gaps: values drawn from a few clustered ranges
    return np.array(sorted(set(draw(st.lists(st.one_of(st.integers(lo, lo + 50), st.integers(lo, hi)),
                                             max_size=max_size)))), dtype=np.int32)


@st.composite
def paragraph_starts(draw) -> np.ndarray:
    lengths = draw(st.lists(st.integers(0, 60), min_size=1, max_size=120))
    return np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)


def test_the_c_module_is_built():
    """The install compiles kb/_merge.c (setup.py); without it search is two to four times slower."""
    assert kernels.COMPILED


@CHECK
@given(data=st.data())
def test_keep_is_its_twin(monkeypatch, data):
    starts = sorted_set(data.draw, hi=3000)
    pos = sorted_set(data.draw, hi=3000)
    off = data.draw(st.integers(-5, 5))
    got = kernels.keep(starts, off, pos)
    assert np.array_equal(got, twin(monkeypatch, "keep", starts, off, pos))
    assert set(got.tolist()) == {s for s in starts.tolist() if s + off in set(pos.tolist())}


@CHECK
@given(starts=paragraph_starts(), data=st.data())
def test_paragraphs_and_counts_are_their_twins(monkeypatch, starts, data):
    end = int(starts[-1])
    pos = np.array(sorted(set(data.draw(st.lists(st.integers(0, max(0, end - 1)), max_size=300)))) if end else [],
                   dtype=np.int32)
    docs = kernels.paragraphs(pos, starts)
    assert np.array_equal(docs, twin(monkeypatch, "paragraphs", pos, starts))
    truth = sorted({int(np.searchsorted(starts, x, side="right")) - 1 for x in pos.tolist()})
    assert docs.tolist() == truth
    asked = np.array(sorted(set(data.draw(st.lists(st.integers(0, len(starts) - 2), max_size=60)))), dtype=np.int32)
    got = kernels.counts(asked, starts, pos)
    assert np.array_equal(got, twin(monkeypatch, "counts", asked, starts, pos))
    assert got.tolist() == [int(((pos >= starts[d]) & (pos < starts[d + 1])).sum()) for d in asked.tolist()]


@CHECK
@given(starts=paragraph_starts(), data=st.data())
def test_owners_and_close_are_their_twins(monkeypatch, starts, data):
    end = int(starts[-1])
    if not end:
        return
    draw_pos = st.lists(st.integers(0, end - 1), max_size=200)
    anchors = np.array(sorted(set(data.draw(draw_pos))), dtype=np.int32)
    pos = np.array(sorted(set(data.draw(draw_pos))), dtype=np.int32)
    window = data.draw(st.integers(0, 12))
    docs = kernels.owners(anchors, starts)
    assert np.array_equal(docs, twin(monkeypatch, "owners", anchors, starts))
    assert docs.tolist() == [int(np.searchsorted(starts, a, side="right")) - 1 for a in anchors.tolist()]
    got = kernels.close(anchors, docs, pos, window, starts)
    assert np.array_equal(got, twin(monkeypatch, "close", anchors, docs, pos, window, starts))
    truth = [any(abs(p - a) <= window and starts[d] <= p < starts[d + 1] for p in pos.tolist())
             for a, d in zip(anchors.tolist(), docs.tolist(), strict=True)]
    assert got.tolist() == truth
    assert kernels.near_some(anchors, pos, window, starts).tolist() == np.flatnonzero(truth).tolist()


@CHECK
@given(data=st.data())
def test_union_sorted_is_np_unique(data):
    arrays = [sorted_set(data.draw, hi=20_000).astype(dtype)
              for dtype in data.draw(st.lists(st.sampled_from([np.int32, np.int64]), max_size=5))]
    got = kernels.union_sorted(arrays)
    want = np.unique(np.concatenate(arrays)) if arrays else np.zeros(0, np.int64)
    assert got.dtype == want.dtype and np.array_equal(got, want)


@CHECK
@given(data=st.data())
def test_unite_and_meet_are_their_twins(monkeypatch, data):
    a = sorted_set(data.draw, hi=20_000).astype(np.int64)
    b = sorted_set(data.draw, hi=20_000).astype(np.int64)
    a_scores = np.array(data.draw(st.lists(st.floats(-1e6, 1e6), min_size=len(a), max_size=len(a))))
    b_scores = np.array(data.draw(st.lists(st.floats(-1e6, 1e6), min_size=len(b), max_size=len(b))))
    for name in ("unite", "meet"):
        docs, scores = getattr(kernels, name)(a, a_scores, b, b_scores)
        t_docs, t_scores = twin(monkeypatch, name, a, a_scores, b, b_scores)
        assert np.array_equal(docs, t_docs) and np.array_equal(scores, t_scores)  # bit for bit
    sa, sb = dict(zip(a.tolist(), a_scores.tolist(), strict=True)), dict(zip(b.tolist(), b_scores.tolist(), strict=True))
    docs, scores = kernels.unite(a, a_scores, b, b_scores)
    assert docs.tolist() == sorted(sa.keys() | sb.keys())
    assert scores.tolist() == [sa[d] + sb[d] if d in sa and d in sb else sa.get(d, sb.get(d)) for d in docs.tolist()]
    docs, scores = kernels.meet(a, a_scores, b, b_scores)
    assert docs.tolist() == sorted(sa.keys() & sb.keys())
    assert scores.tolist() == [sa[d] + sb[d] for d in docs.tolist()]


@CHECK
@given(data=st.data())
def test_tally_is_its_twin(monkeypatch, data):
    n_docs, n_values = data.draw(st.integers(1, 80)), data.draw(st.integers(1, 12))
    by_doc = np.array(data.draw(st.lists(st.integers(-1, n_values - 1), min_size=n_docs, max_size=n_docs)), np.int32)
    rows = data.draw(st.lists(st.lists(st.integers(0, n_values - 1), max_size=4), min_size=n_docs, max_size=n_docs))
    ptr = np.concatenate([[0], np.cumsum([len(r) for r in rows])]).astype(np.int64)
    codes = np.array([c for r in rows for c in r], np.int32)
    docs = np.array(sorted(set(data.draw(st.lists(st.integers(0, n_docs - 1))))), np.int64)
    single = kernels.tally(docs, n_values, by_doc)
    several = kernels.tally(docs, n_values, None, ptr, codes)
    assert np.array_equal(single, twin(monkeypatch, "tally", docs, n_values, by_doc))
    assert np.array_equal(several, twin(monkeypatch, "tally", docs, n_values, None, ptr, codes))
    assert single.tolist() == [sum(1 for d in docs.tolist() if by_doc[d] == v) for v in range(n_values)]
    assert several.tolist() == [sum(rows[d].count(v) for d in docs.tolist()) for v in range(n_values)]


@CHECK
@given(data=st.data(), short_bias=st.booleans())
def test_word_bm25_is_its_twin_bit_for_bit(monkeypatch, data, short_bias):
    """The same doubles as numpy's: scores that tie stay tied, the order never moves."""
    n = data.draw(st.integers(1, 300))
    lens = np.array(data.draw(st.lists(st.integers(0, 400), min_size=n, max_size=n)), np.int32)
    wdocs = np.array(sorted(set(data.draw(st.lists(st.integers(0, n - 1))))), np.int32)
    wtf = np.array(data.draw(st.lists(st.integers(1, 30), min_size=len(wdocs), max_size=len(wdocs))),
                   data.draw(st.sampled_from([np.int32, np.uint16])))  # a word's counts, a gram's
    docs = np.array(sorted(set(data.draw(st.lists(st.integers(0, n - 1))))), np.int64)
    idf, k1, b, avgdl = (data.draw(st.floats(0.01, 20)), data.draw(st.floats(0.1, 3)), data.draw(st.floats(0, 1)),
                         data.draw(st.floats(0, 500)))
    args = (docs, wdocs, wtf, lens, idf, k1, b, avgdl, short_bias)
    got = kernels.word_bm25(*args)
    assert np.array_equal(got, twin(monkeypatch, "word_bm25", *args))
    where = {d: i for i, d in enumerate(wdocs.tolist())}
    for d, score in zip(docs.tolist(), got.tolist(), strict=True):
        if d not in where:
            assert score == 0
        else:
            dl = kernels.length(lens[[d]], avgdl, short_bias)
            assert score == kernels.bm25(wtf[[where[d]]], idf, dl, avgdl, k1, b)[0]


def test_other_types_go_to_the_twins():
    """int64 positions (a segment past 2**31 units) are walked by numpy, with the same answer."""
    starts = np.array([0, 4, 9, 9, 20], dtype=np.int64)
    pos = np.array([1, 3, 9, 15, 19], dtype=np.int64)
    assert kernels.paragraphs(pos, starts).tolist() == [0, 3]
    assert kernels.counts(np.array([0, 2, 3]), starts, pos).tolist() == [2, 0, 3]
    assert kernels.keep(pos, 2, np.array([3, 5, 17], dtype=np.int64)).tolist() == [1, 3, 15]


@pytest.mark.skipif(not kernels.COMPILED, reason="kb.engines.embedded._merge is not built")
def test_a_wrong_buffer_is_refused():
    """The C module checks its arguments' item types: never a read past a buffer."""
    from kb.engines.embedded import _merge

    with pytest.raises(TypeError):
        _merge.keep(np.zeros(3, np.int64), 0, np.zeros(3, np.int32), np.zeros(3, np.int32))
    with pytest.raises(IndexError):
        _merge.counts(np.array([5], np.int32), np.array([0, 3], np.int64), np.zeros(2, np.int32), np.zeros(1, np.int32))

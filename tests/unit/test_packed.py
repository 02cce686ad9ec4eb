"""Packed postings (kb/engines/embedded/packed.py): lists written as gaps in variable-byte
codes give back exactly the lists written, decoded by the C kernels or their numpy twins,
for any run of consecutive lists (empty ones too), values alone or (paragraph, count)
pairs, packed in one step or in many (the chunks a large segment is packed in); damaged
bytes are an error."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.engines.embedded import kernels, packed

CHECK = settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))


@st.composite
def lists(draw) -> tuple[list[np.ndarray], np.ndarray]:
    """(columns, ptr): lists of ascending distinct values up to 2**31 - 1 (dense runs and
    wide gaps), with a count >= 1 beside each value."""
    rows = []
    for _ in range(draw(st.integers(0, 12))):
        hi = draw(st.sampled_from([60, 5000, 2**31 - 1]))
        rows.append(sorted(set(draw(st.lists(st.integers(0, hi), max_size=40)))))
    ptr = np.concatenate([[0], np.cumsum([len(r) for r in rows])]).astype(np.int64)
    values = np.array([v for r in rows for v in r], dtype=np.int64)
    counts = np.array(draw(st.lists(st.integers(1, 70_000), min_size=len(values), max_size=len(values))),
                      dtype=np.int64)
    return [values, counts], ptr


def twin(monkeypatch, c: bool, fn, *args):
    """``fn(*args)`` with the C kernels (``c``) or their numpy twins."""
    with monkeypatch.context() as m:
        if not c:
            m.setattr(kernels, "_merge", None)
        return fn(*args)


@CHECK
@given(case=lists(), chunk=st.sampled_from([1, 3, 1 << 20]), data=st.data())
def test_every_run_of_lists_decodes_to_what_was_packed_by_c_and_numpy(monkeypatch, case, chunk, data):
    (values, tfs), ptr = case
    with monkeypatch.context() as m:
        m.setattr(packed, "CHUNK", chunk)
        buf, bptr = packed.pack(values, ptr)
        pbuf, pbptr = packed.pack_pairs(values, tfs, ptr)
    assert buf.dtype == pbuf.dtype == np.uint8 and len(bptr) == len(pbptr) == len(ptr)
    assert np.array_equal(packed.counts(buf, bptr), np.diff(ptr))
    n = len(ptr) - 1
    i = data.draw(st.integers(0, n))
    j = data.draw(st.integers(i, n))
    want = slice(ptr[i], ptr[j])
    for c in (True, False):
        got = twin(monkeypatch, c, packed.unpack, buf, bptr[i:j + 1])
        assert got.dtype == np.int32 and np.array_equal(got, values[want]), c
        docs, counts = twin(monkeypatch, c, packed.unpack_pairs, pbuf, pbptr[i:j + 1], np.diff(ptr)[i:j])
        assert docs.dtype == counts.dtype == np.int32, c
        assert np.array_equal(docs, values[want]) and np.array_equal(counts, tfs[want]), c


def test_gaps_make_common_lists_small():
    """A dense list of positions takes a byte a value; a paragraph with a count of 1 a byte."""
    pos = np.arange(0, 3_000_000, 3, dtype=np.int64)
    buf, _ = packed.pack(pos, np.array([0, len(pos)]))
    assert len(buf) < len(pos) + 8
    buf, _ = packed.pack_pairs(pos, np.ones(len(pos), np.int64), np.array([0, len(pos)]))
    assert len(buf) < len(pos) + 8
    buf, _ = packed.pack_pairs(pos, np.full(len(pos), 2, np.int64), np.array([0, len(pos)]))
    assert len(buf) < 2 * len(pos) + 8


def test_a_list_not_ascending_cannot_be_packed_and_damaged_bytes_are_an_error():
    with pytest.raises(ValueError):
        packed.pack(np.array([5, 3]), np.array([0, 2]))
    buf, bptr = packed.pack(np.array([5, 300_000]), np.array([0, 2]))
    assert kernels.COMPILED
    with pytest.raises(ValueError):
        packed.unpack(buf[:-1], np.array([0, len(buf) - 1]))  # the last value cut short
    with pytest.raises(ValueError):
        packed.unpack(np.full(8, 255, np.uint8), np.array([0, 8]))  # a value longer than five bytes
    pbuf, pbptr = packed.pack_pairs(np.array([5, 9]), np.array([1, 7]), np.array([0, 2]))
    with pytest.raises(ValueError):
        packed.unpack_pairs(pbuf[:-1], np.array([0, len(pbuf) - 1]), np.array([2]))  # a count missing


@pytest.mark.parametrize("c", [True, False], ids=["C", "numpy"])
@CHECK
@given(case=lists(), block=st.sampled_from([1, 2, 3, 16, 128]), data=st.data())
def test_positions_in_blocks_decode_whole_or_only_where_asked(monkeypatch, c, case, block, data):
    """GIVEN lists of positions packed in blocks of ``block`` values (across lists) WHEN a run
    of consecutive lists is decoded span by span (from each list's and each block's start; all
    at once and each alone),
    and when one list's blocks are picked by the values looked for THEN the run is the lists
    written, and the picked blocks hold every written value of that list in the ranges looked
    for (what a merge against those ranges needs), by the C kernel and its numpy twin."""
    (values, _), ptr = case
    data_, blocks, first = packed.pack_positions(values, ptr, block)
    assert len(blocks) == -(-len(values) // block) + 1 and np.array_equal(first, values[::block])
    n = len(ptr) - 1
    i = data.draw(st.integers(0, n))
    j = data.draw(st.integers(i, n))
    s, e = int(ptr[i]), int(ptr[j])
    cuts = np.union1d(ptr[i:j], np.arange(-(-s // block) * block, e, block)).astype(np.int64)
    cuts = cuts[cuts < e]
    k = cuts // block
    got = twin(monkeypatch, c, packed.unpack_spans, data_, blocks[k], blocks[k + 1], cuts - k * block,
               np.diff(np.append(cuts, e)))
    assert got.tolist() == values[s:e].tolist()
    for c0, n0 in zip(cuts.tolist(), np.diff(np.append(cuts, e)).tolist(), strict=True):  # span by span, as numbers
        k0 = c0 // block
        one = twin(monkeypatch, c, packed.unpack_span, data_, int(blocks[k0]), int(blocks[k0 + 1]), c0 - k0 * block, n0)
        assert one.tolist() == values[c0:c0 + n0].tolist()
    if j > i and ptr[i + 1] > ptr[i]:  # one list: the blocks where values in [lo, hi] would stand
        s, e = int(ptr[i]), int(ptr[i + 1])
        lo = data.draw(st.integers(0, 2**31 - 1))
        hi = data.draw(st.integers(lo, 2**31 - 1))
        k0, k1 = s // block, (e - 1) // block + 1
        ks = np.arange(k0 + np.searchsorted(values[np.arange(k0 + 1, k1) * block], lo, side="right"),
                       k0 + np.searchsorted(values[np.arange(k0 + 1, k1) * block], hi, side="right") + 1)
        cut = np.maximum(ks * block, s)
        part = twin(monkeypatch, c, packed.unpack_spans, data_, blocks[ks], blocks[ks + 1], cut - ks * block,
                    np.minimum((ks + 1) * block, e) - cut)
        inside = values[s:e][(values[s:e] >= lo) & (values[s:e] <= hi)]
        assert set(inside.tolist()) <= set(part.tolist()) <= set(values[s:e].tolist())
        assert part.tolist() == sorted(part.tolist())


def test_damaged_positions_are_an_error(monkeypatch):
    values, ptr = np.array([5, 900, 70_000, 3, 4], dtype=np.int64), np.array([0, 3, 5])
    data, blocks, _ = packed.pack_positions(values, ptr, 2)
    for c in (True, False):
        with pytest.raises(ValueError):  # a span that runs past the bytes
            twin(monkeypatch, c, packed.unpack_spans, data[:-1], blocks[:1], np.array([len(data) - 1]),
                 np.array([0]), np.array([6]))
        with pytest.raises(ValueError):  # one span given as numbers, past the bytes
            twin(monkeypatch, c, packed.unpack_span, data[:-1], 0, len(data) - 1, 0, 6)

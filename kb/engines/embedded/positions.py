"""The grams' positions of a segment: packed in blocks, the commonest kept as they are.

A segment keeps, for each gram (row ``i`` of ``gram_codes``), the positions where it stands,
ascending: ``gram_ptr[i]:gram_ptr[i + 1]`` of them. A gram with at most
:data:`kb.engines.embedded.packed.PACKED_UP_TO` positions has them *packed*
(:func:`kb.engines.embedded.packed.pack_positions`: gaps in variable-byte codes, in blocks of
:data:`~kb.engines.embedded.packed.POS_BLOCK` values across the packed grams, each block's
byte offset in ``gram_pos_blocks`` and first value in ``gram_pos_first``). The commonest
grams' (rows ``gram_plain``, theirs from ``gram_plain_at[k]`` in ``gram_pos``) are kept as
int32 and walked as they are mapped: a common term's places are dense, and decoding them cost
more than its search did (docs/BENCHMARKS.md, issue 30).

A search reads a gram's positions through :class:`Positions`: a term's rarest gram decoded
whole, each of its other grams only in the blocks where the rarest one's places would find
it (:meth:`Positions.near`), as Lucene's skip lists let a phrase query decode only what it
lands on. :class:`Collector` writes them, a range of grams at a time.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator

import numpy as np

from kb.engines.embedded import packed

#: blocks a gram's packed positions must span for a search to pick the ones it needs (fewer are
#: decoded whole: at most PACKED_UP_TO / POS_BLOCK = 32 by default, a few microseconds)
PICK_FROM = 64

Remember = Callable[[tuple, tuple[np.ndarray, ...]], tuple[np.ndarray, ...]]


class GramPositions:
    """A segment's positions (its arrays ``a``), decoded lists remembered by ``remember``
    (the segment's memo of decoded lists) under keys ``("pos", ...)``."""

    def __init__(self, a: dict[str, np.ndarray], remember: Remember, memo: dict):
        self.a, self._remember, self._memo = a, remember, memo
        self._plain: list[int] | None = None
        self._at: list[int] = []

    def kept(self, i: int) -> tuple[int, bool]:
        """(how many grams before row ``i`` are kept as they are, whether ``i`` is): the rows
        kept, a few hundred, bisected as a list (a numpy search costs more than the lookup)."""
        if self._plain is None:
            self._plain, self._at = self.a["gram_plain"].tolist(), self.a["gram_plain_at"].tolist()
        k = bisect.bisect_left(self._plain, i)
        return k, k < len(self._plain) and self._plain[k] == i

    def gram(self, i: int, j: int) -> Positions:
        """The positions of gram row ``i`` (none when ``j`` is ``i``): a common gram's as they
        are mapped, another's decoded as asked."""
        ptr = self.a["gram_ptr"]
        s, e = int(ptr[i]), int(ptr[j])
        if j > i:
            k, kept = self.kept(i)
            at = self._at
            if kept:  # kept as it is: no decoding
                return Positions(self, 0, e - s, self.a["gram_pos"][at[k]:at[k + 1]])
            s, e = s - at[k], e - at[k]  # among the packed ones
        return Positions(self, s, e)

    def rows(self, i: int, j: int, remember: bool = True) -> np.ndarray:
        """The positions of gram rows i..j-1 one after the other, each ascending, remembered
        (unless not ``remember``: a merge reads every row once): the packed ones decoded span
        by span (a span from each gram's start and each block's), the kept ones copied into
        their places."""
        key = ("pos", i, j)
        found = self._memo.get(key)
        if found is not None:
            return found[0]
        ptr, plain, at = self.a["gram_ptr"], self.a["gram_plain"], self.a["gram_plain_at"]
        ki, kj = (int(k) for k in np.searchsorted(plain, [i, j]))
        starts = np.asarray(ptr[i:j + 1], dtype=np.int64)
        small = np.ones(j - i, dtype=bool)
        small[np.asarray(plain[ki:kj], dtype=np.int64) - i] = False
        before = np.asarray(at, dtype=np.int64)[np.searchsorted(plain, np.arange(i, j + 1))]  # kept ones before each
        s, e = int(starts[0] - before[0]), int(starts[-1] - before[-1])  # the packed ones' among the packed
        b = packed.POS_BLOCK
        cuts = np.union1d((starts[:-1] - before[:-1])[small], np.arange(-(-s // b) * b, e, b, dtype=np.int64))
        cuts = cuts[cuts < e]
        out = self.spans(cuts, np.diff(np.append(cuts, e)))
        if kj > ki:  # the common grams among them, as they are, in their places
            mixed = np.empty(int(starts[-1] - starts[0]), dtype=np.int32)
            kept = np.repeat(~small, np.diff(starts))
            mixed[~kept] = out
            mixed[kept] = self.a["gram_pos"][int(at[ki]):int(at[kj])]
            out = mixed
        return self._remember(key, (out,))[0] if remember else out

    def packed_range(self, s: int, e: int) -> np.ndarray:
        """Values s..e-1 of the packed positions (one gram's), remembered: a span from ``s``
        to its block's end, then one per block."""
        key = ("pos-packed", s, e)
        found = self._memo.get(key)
        if found is not None:
            return found[0]
        b, blocks = packed.POS_BLOCK, self.a["gram_pos_blocks"]
        k = s // b
        if (e - 1) // b == k:  # in one block (most grams): no arrays made to say so
            found = packed.unpack_span(self.a["gram_pos_packed"], int(blocks[k]), int(blocks[k + 1]), s - k * b, e - s)
        else:
            ks = np.arange(k, (e - 1) // b + 1, dtype=np.int64)
            cuts = np.maximum(ks * b, s)
            found = self.spans(cuts, np.minimum((ks + 1) * b, e) - cuts)
        return self._remember(key, (found,))[0]

    def spans(self, cuts: np.ndarray, counts: np.ndarray) -> np.ndarray:
        """The packed positions of spans of ``counts[k]`` values from value ``cuts[k]`` on
        (each cut the first value of a block or of a gram's list, as written)."""
        blocks = self.a["gram_pos_blocks"]
        k = cuts // packed.POS_BLOCK
        return packed.unpack_spans(self.a["gram_pos_packed"], blocks[k], blocks[k + 1], cuts - k * packed.POS_BLOCK,
                                   counts)


class Positions:
    """A gram's positions in a segment (values ``s..e-1`` of the packed positions, or ``kept``
    as they are mapped), decoded as a search asks: all of them (:meth:`all`, remembered by
    the segment), or only the blocks where given positions would stand (:meth:`near`)."""

    def __init__(self, grams: GramPositions, s: int, e: int, kept: np.ndarray | None = None):
        self.grams, self.s, self.e = grams, s, e
        self._all = kept

    @classmethod
    def of(cls, values: np.ndarray) -> Positions:
        """Positions decoded already (several grams' sorted together)."""
        return cls(None, 0, len(values), values)

    def __len__(self) -> int:
        return self.e - self.s

    @property
    def nbytes(self) -> int:
        """The bytes of what this holds decoded (none for the mapped ones)."""
        return self._all.nbytes if self._all is not None and self._all.flags.owndata else 0

    def all(self) -> np.ndarray:
        if self._all is None:
            self._all = self.grams.packed_range(self.s, self.e) if self.e > self.s else np.zeros(0, np.int32)
        return self._all

    def near_places(self, places: np.ndarray, offset: int) -> np.ndarray:
        """:meth:`near` of ``places + offset`` each (computed only when blocks are picked)."""
        if self._all is not None or not self._blocks():
            return self.all()
        want = places + offset
        return self.near(want, want)

    def in_paragraphs(self, docs: np.ndarray, pos_start: np.ndarray) -> np.ndarray:
        """:meth:`near` of the paragraphs ``docs`` (their first to their last position)."""
        if self._all is not None or not self._blocks() or not len(docs):
            return self.all()
        return self.near(pos_start[docs], pos_start[docs + 1] - 1)

    def _blocks(self) -> int:
        """How many blocks these positions stand in, or 0 when picking some is not worth it:
        decoding a few dozen blocks whole costs less than finding which are needed."""
        n = (self.e - 1) // packed.POS_BLOCK - self.s // packed.POS_BLOCK + 1 if self.e > self.s else 0
        return n if n > PICK_FROM else 0

    def near(self, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        """The positions of every block that may hold one in ``lo[k]..hi[k]`` (inclusive) for some
        ``k``, ascending: all of them when that is most blocks, or they were decoded already.
        What a merge with positions in those ranges needs, and nothing more."""
        b = packed.POS_BLOCK
        k0, k1 = self.s // b, (self.e - 1) // b + 1
        if self._all is not None or k1 - k0 <= 2 or not len(lo):
            return self.all() if len(lo) else np.zeros(0, np.int32)
        bounds = self.grams.a["gram_pos_first"][k0 + 1:k1]  # the first value of each block after the first
        n = k1 - k0 + 1  # a block opens where a range begins and closes after the one it ends in
        opened = np.bincount(np.searchsorted(bounds, lo, side="right"), minlength=n)
        closed = np.bincount(np.searchsorted(bounds, hi, side="right") + 1, minlength=n)
        ks = np.flatnonzero(np.cumsum(opened[:-1] - closed[:-1]) > 0)
        if 2 * len(ks) > k1 - k0:
            return self.all()
        ks += k0
        cuts = np.maximum(ks * b, self.s)
        return self.grams.spans(cuts, np.minimum((ks + 1) * b, self.e) - cuts)


class Collector:
    """A segment's positions being written, a range of grams at a time (:meth:`add`, in
    order of their codes), then its arrays (:meth:`arrays`): the grams of more than
    ``up_to`` positions kept as they are, the others packed in blocks."""

    def __init__(self, up_to: int | None = None):
        self.up_to = packed.PACKED_UP_TO if up_to is None else up_to
        self.rows = self.n_packed = self.n_bytes = 0
        self.parts: dict[str, list[np.ndarray]] = {k: [] for k in ("plain", "plain_n", "pos", "packed", "blocks", "first")}

    def add(self, where: np.ndarray, ptr: np.ndarray) -> None:
        """The positions ``where`` of the next grams, gram ``l``'s ``where[ptr[l]:ptr[l + 1]]``
        (ascending)."""
        if len(where) and int(where[-1]) >= 2**31:  # decoded as int32 (a segment holds at most 250,000 paragraphs)
            raise ValueError("a segment of more than 2**31 positions")
        n = np.diff(np.asarray(ptr, dtype=np.int64))
        big = n > self.up_to
        kept = np.repeat(big, n)
        small = np.asarray(where[~kept], dtype=np.int64)
        data, blocks, first = packed.pack_positions(small, np.concatenate([[0], np.cumsum(n[~big])]),
                                                    packed.POS_BLOCK, at=self.n_packed)
        for k, v in (("plain", np.flatnonzero(big) + self.rows), ("plain_n", n[big]),
                     ("pos", np.asarray(where[kept], dtype=np.int32)), ("packed", data),
                     ("blocks", blocks[:-1] + self.n_bytes), ("first", first.astype(np.int32))):
            self.parts[k].append(v)
        self.rows, self.n_packed, self.n_bytes = self.rows + len(n), self.n_packed + len(small), self.n_bytes + len(data)

    def arrays(self) -> Iterator[tuple[str, np.ndarray]]:
        """(name, array) of ``gram_plain``, ``gram_plain_at``, ``gram_pos``, ``gram_pos_packed``,
        ``gram_pos_blocks`` (one more: the end), ``gram_pos_first``, one at a time, each part
        let go as its array is made (a caller saving each as it comes holds one)."""
        dtypes = {"plain": np.int32, "plain_n": np.int64, "pos": np.int32, "packed": np.uint8,
                  "blocks": np.uint32 if self.n_bytes < 2**32 else np.int64, "first": np.int32}

        def joined(k: str) -> np.ndarray:
            parts = self.parts.pop(k)
            return np.concatenate([np.zeros(0, dtypes[k]), *(a.astype(dtypes[k], copy=False) for a in parts)])

        yield "gram_plain", joined("plain")
        yield "gram_plain_at", np.concatenate([[0], np.cumsum(joined("plain_n"))]).astype(np.int64)
        for k in ("pos", "packed", "first"):
            yield f"gram_{k}" if k == "pos" else f"gram_pos_{k}", joined(k)
        yield "gram_pos_blocks", np.append(joined("blocks"), np.array([self.n_bytes], dtypes["blocks"]))

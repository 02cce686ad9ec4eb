"""Segment: one index segment of the postings, memory-mapped, and where a term stands in it
(the reading half of :mod:`kb.engines.embedded.writer`; :mod:`kb.engines.embedded.reader` reads
the segments of a generation as one index).

A segment also keeps its paragraphs' stored fields (:mod:`kb.engines.embedded.stored`: what a hit
shows); what a search walks over for *all* its hits -- where each term stands,
how often, in which paragraphs, with which facet values -- is held in the postings as numpy arrays,
so that matching and scoring 250,000 paragraphs is array work, not a Python loop per
posting (Whoosh's matchers took 98% of a search's time at that size).

A generation of the index (see :mod:`kb.engines.embedded.generations`) holds one or more **segments**, each
written once by one build and never changed (later builds hard-link it, like Whoosh's
files). A segment is ``<name>.json`` (reports, facet values, totals) and
``<name>.<array>.npy`` files, read memory-mapped; their sorted lists are walked together
by the merge kernels of :mod:`kb.engines.embedded.kernels`. The lists of paragraphs are
*packed* (:mod:`kb.engines.embedded.packed`: gaps in variable-byte codes, list ``l`` of
``X`` in the bytes ``X_packed[X_bytes[l]:X_bytes[l + 1]]``) and decoded when a search
asks for them (:meth:`Segment._unpacked`); so are the positions of every gram but the
commonest, in blocks decoded only where a search lands (:mod:`kb.engines.embedded.positions`):

- vocabularies of units, words and heading words, sorted (:class:`Vocab`): a key's
  code is its place;
- units: every paragraph's units (:func:`kb.text.textnorm.key_runs`: a Chinese character or
  an alphanumeric run) at consecutive *positions*, one position left empty after each
  run (at every break), ``pos_start[d]`` the first position of paragraph ``d``;
- grams: for every unit, the code of the unit and the one after it
  (``a * (V + 1) + b``, ``b = V`` at the end of a run), and the positions sorted by code
  (``gram_ptr[i]:gram_ptr[i + 1]`` of them for code ``gram_codes[i]``, packed or kept) with the number
  of paragraphs of each code (``gram_df``). A term of several units is the positions of
  its rarest gram, kept where its other grams stand at the right distance: an exact
  substring match that never runs across a break, whatever jieba did with the text;
  one unit alone is every code that starts with it. And each of the commonest grams'
  paragraphs with how often it stands in each (the packed list ``k`` of ``gram_pairs`` for
  the gram ``gram_plain[k]``): a term's BM25 reads its grams' counts there, a two-unit term's
  paragraphs are that list (a rarer gram's are counted in its few positions);
- phrases: the paragraphs of every concept's and regulation's names and parts
  (:func:`kb.build.phrases`), found when the segment is written (``phrase_*``);
- words and heading: jieba words of the text and of the section path, as postings
  (paragraphs and frequencies by word, packed; ``words_ptr`` counts each word's
  paragraphs), for ranking;
- per paragraph: report, ordinal, lengths, the facet columns (:mod:`kb.engines.embedded.columns`;
  the facets of :mod:`kb.engines.fields`) and the stored fields (``s_*``,
  :mod:`kb.engines.embedded.stored`), each report's title among them.
"""

from __future__ import annotations

import bisect
import json
from functools import cached_property
from pathlib import Path

import numpy as np

from kb.engines import fields
from kb.engines.embedded import kernels, packed
from kb.engines.embedded.columns import Column
from kb.engines.embedded.positions import GramPositions, Positions
from kb.engines.embedded.stored import Table

FACETS = tuple(f.name for f in fields.FACETS)  # a column each
MULTI = tuple(f.name for f in fields.FACETS if f.multi)  # several values per paragraph
FIELDS = ("words", "heads")  # word postings: the text's words, the section path's words
SEGMENT_MEMO = 100_000  # unit codes, gram rows and counts a segment remembers (then forgets all)
LIST_MEMO_BYTES = 16 << 20  # decoded postings lists a segment remembers (then forgets all)
UNIT_SEP = "\x1f"  # between the unit keys of a run (and the words of an analysis)
PHRASE_SEP = "\x1e"  # between the runs of a phrase's key
PREFIX = 16  # bytes of each key kept in a fixed-width sorted array, searched by numpy


class Vocab:
    """A segment's keys (units or words), sorted, read from one memory-mapped UTF-8 blob:
    a key's code is its place. Much smaller than a dict of a hundred thousand words per
    segment. A lookup is a ``np.searchsorted`` over the keys' first :data:`PREFIX` bytes
    (a fixed-width array, sorted as the keys are), then a check of the few keys that
    share that prefix in the blob: no Python loop over the memory map."""

    def __init__(self, blob: np.ndarray, ends: np.ndarray, prefix: np.ndarray):
        self.blob, self.ends, self.prefix = blob, ends, np.asarray(prefix)
        self.n = len(ends)

    def __len__(self) -> int:
        return self.n

    def _bytes(self, i: int) -> bytes:
        start = int(self.ends[i - 1]) if i else 0
        return self.blob[start:int(self.ends[i])].tobytes()

    def __getitem__(self, i: int) -> str:
        return self._bytes(i).decode("utf-8")

    def __iter__(self):
        return (self[i] for i in range(self.n))

    def get(self, key: str) -> int | None:
        want = key.encode("utf-8")
        head = np.array(want[:PREFIX], dtype=self.prefix.dtype)
        i = int(np.searchsorted(self.prefix, head, side="left"))
        j = int(np.searchsorted(self.prefix, head, side="right"))
        if j - i > 1:  # keys longer than the prefix that share it: bisect among them
            i = bisect.bisect_left(range(i, j), want, key=self._bytes) + i
        return i if i < self.n and self._bytes(i) == want else None


class Segment:
    """One segment, memory-mapped."""

    def __init__(self, folder: Path, name: str):
        self.name = name
        meta = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
        self.n = meta["docs"]
        self.reports: list[list[str]] = meta["reports"]
        self.lengths: dict[str, int] = meta["lengths"]
        self.facet_values: dict[str, list[str]] = meta["facets"]
        self.a: dict[str, np.ndarray] = {
            key: _mapped(folder / f"{name}.{key}.npy") for key in meta["arrays"]}
        self._unit_df: dict[tuple[int, int], int] = {}  # codes lo..hi -> df, as looked up
        self._codes: dict[str, int | None] = {}  # unit key -> code, as looked up
        self._ranges: dict[tuple[int, int], tuple[int, int]] = {}  # codes lo..hi -> their rows in gram_codes
        self._lists: dict[tuple, tuple[np.ndarray, ...]] = {}  # decoded postings lists, as asked for
        self._lists_bytes = 0
        self._stored: dict[str, Table] = {}
        self.pos = GramPositions(self.a, self._remember, self._lists)
        self.unit_keys = Vocab(self.a["units_blob"], self.a["units_ends"], self.a["units_prefix"])
        self.v = len(self.unit_keys)
        self.word_keys = {f: Vocab(self.a[f"{f}_blob"], self.a[f"{f}_ends"], self.a[f"{f}_prefix"])
                          for f in FIELDS}

    @cached_property
    def _phrases(self) -> dict[str, int]:
        """The phrase table's keys (:func:`phrase_key`) and their places (none for a
        segment written without one)."""
        if "phrase_blob" not in self.a:
            return {}
        v = Vocab(self.a["phrase_blob"], self.a["phrase_ends"], self.a["phrase_prefix"])
        return {key: i for i, key in enumerate(v)}

    def phrase_docs(self, key: str) -> np.ndarray | None:
        """The paragraphs (local numbers, ascending, dead ones too) where the phrase of
        this key stands, as found when the segment was written, or None if it was not
        looked for then (it is matched as any other term)."""
        i = self._phrases.get(key)
        if i is None:
            return None
        return self._unpacked("phrase_docs", i, i + 1)[0]

    def stored(self, name: str) -> Table:
        """The stored field ``name`` of this segment's paragraphs (:mod:`kb.engines.embedded.stored`)."""
        table = self._stored.get(name)
        if table is None:
            a = self.a
            table = self._stored[name] = Table(a[f"s_{name}"], a[f"s_{name}_blob"], a[f"s_{name}_ends"],
                                               a.get(f"s_{name}_dict"))
        return table

    def notes(self) -> np.ndarray:
        """1 for each paragraph that is a note explaining a term (0s for a segment written
        before notes were recorded)."""
        return np.asarray(self.a["notes"]) if "notes" in self.a else np.zeros(self.n, np.uint8)

    def vectors(self) -> np.ndarray | None:
        """Each paragraph's vector of meaning (float16, :func:`kb.engines.embedded.writer.analyze_all`),
        or None for a segment written without them."""
        return self.a.get("meaning")

    def column(self, f: str) -> Column:
        values = self.facet_values[f]
        if f"f_{f}" in self.a:
            return Column(values, np.asarray(self.a[f"f_{f}"]), None, None)
        return Column(values, None, np.asarray(self.a[f"f_{f}_ptr"]), np.asarray(self.a[f"f_{f}_codes"]))

    def constraints(self, runs: list[list[str]]) -> list[tuple[int, int, int] | None]:
        """What a term of these runs of unit keys asks of the positions, one entry per
        unit: (offset from the term's start, lowest code, code after the highest), or
        None where a unit it needs never occurs in this segment."""
        v1 = self.v + 1
        out, offset = [], 0
        for r, run in enumerate(runs):
            codes = [self.code(k) for k in run]
            for i, c in enumerate(codes):
                if i + 1 < len(codes):  # this unit, then the next
                    nxt = codes[i + 1]
                    out.append(None if c is None or nxt is None else (offset + i, c * v1 + nxt, c * v1 + nxt + 1))
                elif r + 1 < len(runs):  # a run that a break must end
                    out.append(None if c is None else (offset + i, c * v1 + self.v, c * v1 + self.v + 1))
                elif len(codes) == 1:  # the unit, whatever follows
                    out.append(None if c is None else (offset + i, c * v1, (c + 1) * v1))
            offset += len(codes) + 1
        return out

    def code(self, key: str) -> int | None:
        """The code of a unit key (None if it never occurs here), remembered: a search
        looks up the same few thousand characters again and again."""
        return _remembered(self._codes, key, lambda: self.unit_keys.get(key))

    def _rows(self, lo: int, hi: int) -> tuple[int, int]:
        """The rows of gram_codes holding codes lo..hi-1, remembered."""
        def rows() -> tuple[int, int]:
            codes = self.a["gram_codes"]  # int32 or int64: searched for as such, never converted
            i, j = np.searchsorted(codes, np.array([lo, hi], dtype=codes.dtype))
            return int(i), int(j)

        return _remembered(self._ranges, (lo, hi), rows)

    def df(self, lo: int, hi: int) -> int:
        """In how many paragraphs codes lo..hi-1 stand (a unit's range of codes: its
        paragraphs counted once, whatever follows it; remembered)."""
        def count() -> int:
            i, j = self._rows(lo, hi)
            if j - i <= 1:
                return int(self.a["gram_df"][i:j].sum())
            return len(kernels.paragraphs(self.positions(lo, hi), self.a["pos_start"]))

        return _remembered(self._unit_df, (lo, hi), count)

    def gram_pairs(self, lo: int, hi: int) -> tuple[np.ndarray, np.ndarray] | None:
        """(paragraphs ascending, how often it stands in each) of the gram of codes
        lo..hi-1 when that is one of the commonest grams (a unit then the next), or None (a
        rarer gram: the caller counts them in its positions, the same paragraphs and counts; a
        unit whatever follows it; a segment written without them: tests ask both ways)."""
        if "gram_pairs_packed" not in self.a:
            return None
        i, j = self._rows(lo, hi)
        if j - i != 1:
            return None
        k, kept = self.pos.kept(i)
        if kept:  # one of the commonest grams: its pairs are kept
            return self._unpacked("gram_pairs", k, k + 1, self.a["gram_df"][i:j])
        return None  # a rarer gram's are found in its positions (a few thousand at most)

    def word_pairs(self, field: str, code: int) -> tuple[np.ndarray, np.ndarray]:
        """(paragraphs ascending, how often it stands in each) of the word of this code
        in the word field ``field``."""
        return self._unpacked(f"{field}_pairs", code, code + 1, np.diff(self.a[f"{field}_ptr"][code:code + 2]))

    def positions(self, lo: int, hi: int) -> np.ndarray:
        """The positions of codes lo..hi-1, ascending (decoded whole)."""
        i, j = self._rows(lo, hi)
        return self.pos.gram(i, j).all() if j - i <= 1 else np.sort(self.pos.rows(i, j))

    def grams(self, lo: int, hi: int) -> Positions:
        """The positions of codes lo..hi-1: one gram's decoded as they are asked for, several
        (a unit whatever follows it) decoded and sorted now."""
        i, j = self._rows(lo, hi)
        return self.pos.gram(i, j) if j - i <= 1 else Positions.of(np.sort(self.pos.rows(i, j)))

    def all_positions(self) -> np.ndarray:
        """Every gram's positions, gram after gram (a merge reads them all)."""
        return self.pos.rows(0, len(self.a["gram_codes"]), remember=False)

    def _unpacked(self, kind: str, i: int, j: int, pairs: np.ndarray | None = None) -> tuple[np.ndarray, ...]:
        """The packed lists i..j-1 of ``kind`` (:mod:`kb.engines.embedded.packed`), read-only:
        their values, or with ``pairs`` (how many pairs each list holds) their paragraphs
        and counts. Remembered up to
        :data:`LIST_MEMO_BYTES`: common grams are asked for by many terms."""
        key = (kind, i, j)
        found = self._lists.get(key)
        if found is not None:
            return found
        data, ptr = self.a[f"{kind}_packed"], self.a[f"{kind}_bytes"][i:j + 1]
        return self._remember(key, packed.unpack_pairs(data, ptr, pairs) if pairs is not None
                              else (packed.unpack(data, ptr),))

    def _remember(self, key: tuple, found: tuple[np.ndarray, ...]) -> tuple[np.ndarray, ...]:
        """``found`` (decoded lists), read-only, remembered as ``key`` up to :data:`LIST_MEMO_BYTES`."""
        size = sum(a.nbytes for a in found)
        for a in found:
            a.flags.writeable = False
        if self._lists_bytes + size > LIST_MEMO_BYTES:
            self._lists.clear()
            self._lists_bytes = 0
        self._lists[key] = found
        self._lists_bytes += size
        return found


def _mapped(path: Path) -> np.ndarray:
    """A segment's array, memory-mapped, as a plain ndarray: slicing and indexing a
    ``np.memmap`` makes a memmap each time, at several times the cost (a search slices
    the arrays thousands of times). The map stays open while a view of it lives."""
    return np.asarray(np.load(path, mmap_mode="r", allow_pickle=False))


def _remembered(memo: dict, key, make):
    """``memo[key]``, made by ``make()`` the first time (a memo past
    :data:`SEGMENT_MEMO` entries is emptied first: a segment's memory stays bounded)."""
    try:
        return memo[key]
    except KeyError:
        if len(memo) >= SEGMENT_MEMO:
            memo.clear()
        value = memo[key] = make()
        return value


def phrase_key(runs: list[list[str]]) -> str:
    """A term's runs of unit keys as one string: its key in a segment's phrase table."""
    return PHRASE_SEP.join(UNIT_SEP.join(r) for r in runs if r)


def gram_lists(seg: Segment, cons: list) -> list[tuple[int, Positions]] | None:
    """[(offset, positions)] of each of a term's grams in ``seg`` (its
    :meth:`Segment.constraints`), or None where one never stands there. The positions are
    decoded as they are asked for (:class:`kb.engines.embedded.positions.Positions`)."""
    if not cons or None in cons:
        return None
    lists = [(off, seg.grams(lo, hi)) for off, lo, hi in cons]
    return None if any(not len(p) for _, p in lists) else lists


def term_starts(lists: list[tuple[int, Positions]]) -> np.ndarray:
    """The positions where a term starts, given its grams' places: the rarest gram's
    places kept where every other gram stands at its offset from it (decoded only
    in the blocks where they would stand)."""
    rare = min(range(len(lists)), key=lambda k: len(lists[k][1]))
    at, here = lists[rare][0], lists[rare][1].all()
    for k, (off, pos) in enumerate(lists):
        if k != rare and len(here):
            here = kernels.keep(here, off - at, pos.near_places(here, off - at))
    return here - at if at else here  # shifted once: a copy only of what is left


def term_docs(seg: Segment, runs: list[list[str]], lists: list[tuple[int, Positions]]) -> np.ndarray:
    """The paragraphs of ``seg`` (local numbers, ascending, dead ones too) where a term
    of these runs stands, given its grams' places (:func:`gram_lists`)."""
    runs = [r for r in runs if r]
    if len(lists) == 1 and len(runs) == 1:  # one gram (two units): its paragraphs are kept
        (_, lo, hi), = seg.constraints(runs)
        pairs = seg.gram_pairs(lo, hi)
        if pairs is not None:
            return pairs[0]
    begin = term_starts(lists)
    pos_start = seg.a["pos_start"]
    if len(runs) > 1 and len(begin):  # a break and the next paragraph's start look alike: stay inside
        last = sum(len(r) + 1 for r in runs) - 2  # offset of the term's last unit
        begin = begin[begin + last < pos_start[kernels.owners(begin, pos_start) + 1]]
    return kernels.paragraphs(begin, pos_start)


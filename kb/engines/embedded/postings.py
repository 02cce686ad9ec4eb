"""Postings: the numpy index that finds and scores the terms of every search (the
matching half of the embedded engine, :mod:`kb.engines.embedded.engine`).

The store (:mod:`kb.engines.embedded.store`) keeps each paragraph's stored fields; what a search walks
over for *all* its hits -- where each term stands,
how often, in which paragraphs, with which facet values -- is held here as numpy arrays,
so that matching and scoring 250,000 paragraphs is array work, not a Python loop per
posting (Whoosh's matchers took 98% of a search's time at that size).

A generation of the index (see :mod:`kb.build`) holds one or more **segments**, each
written once by one build and never changed (later builds hard-link it, like Whoosh's
files). A segment is ``<name>.json`` (reports, facet values, totals) and
``<name>.<array>.npy`` files, read memory-mapped; their sorted lists are walked together
by the merge kernels of :mod:`kb.engines.embedded.kernels`:

- vocabularies of units, words and heading words, sorted (:class:`Vocab`): a key's
  code is its place;
- units: every paragraph's units (:func:`kb.text.textnorm.key_runs`: a Chinese character or
  an alphanumeric run) at consecutive *positions*, one position left empty after each
  run (at every break), ``pos_start[d]`` the first position of paragraph ``d``;
- grams: for every unit, the code of the unit and the one after it
  (``a * (V + 1) + b``, ``b = V`` at the end of a run), and the positions sorted by code
  (``gram_pos[gram_ptr[i]:gram_ptr[i + 1]]`` for code ``gram_codes[i]``) with the number
  of paragraphs of each code (``gram_df``). A term of several units is the positions of
  its rarest gram, kept where its other grams stand at the right distance: an exact
  substring match that never runs across a break, whatever jieba did with the text;
  one unit alone is every code that starts with it. And each gram's paragraphs with how
  often it stands in each (``gram_docs``/``gram_tf`` from ``gram_dptr[i]``): a term's
  BM25 reads its grams' counts there, a two-unit term's paragraphs are that list;
- phrases: the paragraphs of every concept's and regulation's names and parts
  (:func:`kb.build.phrases`), found when the segment is written (``phrase_*``);
- words and heading: jieba words of the text and of the section path, as postings
  (paragraphs and frequencies by word), for ranking;
- per paragraph: report, ordinal, lengths, and the facet columns (:mod:`kb.engines.embedded.columns`;
  the facets of :mod:`kb.engines.fields`).

A paragraph is live while its report's checksum is the one the generation was built
from (``kb-index.json``): a changed report's old paragraphs stay in their segment, dead,
until the segment is merged (:func:`merge_plan`: when a quarter of it is dead, or small
segments are many). A build writes a segment per :data:`SEGMENT_DOCS` paragraphs.

Scores are BM25 (Whoosh's formula and constants): a term's exact match scores the sum
of its grams' BM25 over the units of the paragraph, a word its BM25 over the words.
"""

from __future__ import annotations

import bisect
import json
import math
import threading
from array import array
from collections import Counter
from dataclasses import dataclass
from functools import cached_property, lru_cache
from operator import itemgetter
from pathlib import Path

import numpy as np
import numpy.ma  # noqa: F401 -- np.unique imports it on its first call: 11 ms of the first search

from kb.core.settings import Ranking
from kb.engines import fields
from kb.engines.embedded import kernels
from kb.engines.embedded.columns import Column
from kb.enrich import paragraphs as segment
from kb.text import textnorm, words

FACETS = tuple(f.name for f in fields.FACETS)  # a column each
MULTI = tuple(f.name for f in fields.FACETS if f.multi)  # several values per paragraph
FIELDS = ("words", "heads")  # word postings: the text's words, the section path's words
SEGMENT_DOCS = 250_000  # paragraphs per segment at most: bounds a build's memory (~4 GB); a search pays per segment
MERGE_SEGMENTS = 8  # more small segments than this are merged into one
MERGE_DEAD = 0.25  # and so is a segment with this share of dead paragraphs
TERM_CACHE = 64  # terms whose matches a Postings keeps
TERM_CACHE_BYTES = 64 << 20  # and the memory they may hold
SEGMENT_MEMO = 100_000  # unit codes, gram rows and counts a segment remembers (then forgets all)
DENSE_SETS = 16  # two sets with more than 1/16 of the document numbers between them: intersected by mask


def word_counts(text: str, normalized: tuple[str, list[int]] | None = None) -> Counter:
    """jieba words of a text (search mode, user dictionary) and how often each stands
    (those with a letter or digit: not marks or spaces). ``normalized``:
    :func:`kb.text.textnorm.normalize` of ``text``, if the caller has it already."""
    norm, _ = normalized or textnorm.normalize(text)
    counts = Counter(map(itemgetter(0), words.segmenter().tokenize(norm, "search", True)))
    for w in [w for w in counts if not _wordy(w)]:
        del counts[w]
    return counts


@lru_cache(maxsize=1 << 20)
def _wordy(w: str) -> bool:
    return any(c.isalnum() for c in w)


def idf(df: int, n: int) -> float:
    return math.log(n / (df + 1)) + 1  # Whoosh's


# -- writing -------------------------------------------------------------------------

#: What :class:`SegmentWriter` indexes of a text: its unit keys run by run (each run's
#: keys joined by UNIT_SEP), its distinct jieba words (joined by UNIT_SEP) and how often
#: each stands (int32 bytes). Packed so that a worker process hands a paragraph over as
#: a few objects, not one per character and word (unpickling them was a third of the
#: writing process's time).
Analysis = tuple[list[str], str, bytes]
UNIT_SEP = "\x1f"
PHRASE_SEP = "\x1e"  # between the runs of a phrase's key


def analyze(doc: dict) -> Analysis:
    """The :data:`Analysis` of a paragraph (the work of a build that can run in other
    processes)."""
    normalized = textnorm.normalize(doc["text"])  # once for both
    counts = word_counts(doc["text"], normalized)
    return ([UNIT_SEP.join(run) for run in textnorm.key_runs(doc["text"], normalized)], UNIT_SEP.join(counts),
            array("i", counts.values()).tobytes())


def _unpacked(words: str, tfs: bytes) -> tuple[list[str], array]:
    out = array("i")
    out.frombytes(tfs)
    return (words.split(UNIT_SEP) if words else []), out



class SegmentWriter:
    """Collects paragraphs, then writes them as one segment (:meth:`finish`)."""

    def __init__(self):
        self.units: dict[str, int] = {}
        self.positions = array("i")  # unit codes, -1 for the empty position after a run
        self.pos_start = array("q", [0])
        self.unit_len = array("i")
        self.vocab = {f: {} for f in FIELDS}
        self.postings = {f: (array("i"), array("i"), array("i")) for f in FIELDS}  # doc, code, tf
        self.field_len = {f: array("i") for f in FIELDS}
        self.reports: dict[str, int] = {}
        self.digests: list[str] = []
        self.doc_report = array("i")
        self.ordinal = array("i")
        self.notes = array("B")  # 1 for a note that explains a term (segment.is_note)
        self.facets: dict[str, list[tuple[str, ...]]] = {f: [] for f in FACETS}
        self._heads: dict[str, tuple[list[int], array]] = {}  # the word codes of each section path seen, and their counts

    def __len__(self) -> int:
        return len(self.doc_report)

    def add(self, doc: dict, digest: str, analysis: Analysis | None = None) -> None:
        """One paragraph, as :func:`kb.engines.fields.document` gives it; ``digest``: its report
        file's checksum; ``analysis``: :func:`analyze` of it, if done already (in a
        worker process)."""
        d = len(self.doc_report)
        key_runs, text_words, text_tfs = analysis or analyze(doc)
        codes, n = self.units, 0
        get = codes.get
        for joined in key_runs:
            run = joined.split(UNIT_SEP)
            run_codes = list(map(get, run))
            if None in run_codes:  # a unit not seen before in this segment
                run_codes = [codes.setdefault(k, len(codes)) for k in run]
            self.positions.extend(run_codes)
            self.positions.append(-1)
            n += len(run)
        self.pos_start.append(len(self.positions))
        self.unit_len.append(n)
        heads = self._heads.get(doc["section"])
        if heads is None:  # the paragraphs of a section share its headings: their codes are kept
            counts = word_counts(" ".join(json.loads(doc["section"])))
            heads = self._heads[doc["section"]] = (self._codes("heads", list(counts)), array("i", counts.values()))
        ws, text_counts = _unpacked(text_words, text_tfs)
        for f, (these, counts) in (("words", (self._codes("words", ws), text_counts)), ("heads", heads)):
            docs, wcodes, tfs = self.postings[f]
            docs.extend([d] * len(these))
            wcodes.extend(these)
            tfs.extend(counts)
            self.field_len[f].append(sum(counts))
        rid = doc["report_id"]
        if rid not in self.reports:
            self.reports[rid] = len(self.reports)
            self.digests.append(digest)
        self.doc_report.append(self.reports[rid])
        self.ordinal.append(doc["ordinal"])
        self.notes.append(int(segment.is_note(doc["text"], json.loads(doc["section"]))))
        for f in fields.FACETS:
            self.facets[f.name].append(f.values(doc[f.name]))

    def _codes(self, field: str, ws: list[str]) -> list[int]:
        """The codes of words in a field's vocabulary (new words get the next codes)."""
        vocab = self.vocab[field]
        codes = list(map(vocab.get, ws))  # known words: one C call
        if None in codes:
            codes = [vocab.setdefault(w, len(vocab)) for w in ws]
        return codes

    def finish(self, folder: Path, name: str, phrases: list[list[list[str]]] = ()) -> None:
        """Write the segment, with a phrase table of ``phrases`` (:func:`_phrase_table`)."""
        units = np.frombuffer(self.positions, dtype=np.int32)
        where = np.flatnonzero(units >= 0)
        after = units[where + 1]  # every run ends with an empty position
        v = len(self.units)
        codes = units[where].astype(np.int64) * (v + 1) + np.where(after >= 0, after, v)
        word_parts = {}
        for f in FIELDS:
            docs, wcodes, tfs = (np.frombuffer(a, dtype=np.int32) for a in self.postings[f])
            word_parts[f] = (list(self.vocab[f]), wcodes, docs, tfs, np.frombuffer(self.field_len[f], dtype=np.int32))
        _write(folder, name, unit_keys=list(self.units), codes=codes, positions=where,
               pos_start=np.frombuffer(self.pos_start, dtype=np.int64),
               unit_len=np.frombuffer(self.unit_len, dtype=np.int32), words=word_parts,
               reports=[[rid, self.digests[i]] for rid, i in self.reports.items()],
               doc_report=np.frombuffer(self.doc_report, dtype=np.int32),
               ordinal=np.frombuffer(self.ordinal, dtype=np.int32), notes=np.frombuffer(self.notes, dtype=np.uint8),
               columns={f: Column.of_rows(rows, f in MULTI) for f, rows in self.facets.items()}, phrases=phrases)


def _write(folder: Path, name: str, *, unit_keys: list[str], codes: np.ndarray, positions: np.ndarray,
           pos_start: np.ndarray, unit_len: np.ndarray, words: dict, reports: list, doc_report: np.ndarray,
           ordinal: np.ndarray, columns: dict[str, Column], notes: np.ndarray | None = None,
           phrases: list[list[list[str]]] = ()) -> None:
    """Write a segment: the grams sorted by code (positions ascending within a code),
    the word postings sorted by word (paragraphs ascending within a word), the
    vocabularies sorted (a code is the key's place among them: see :class:`Vocab`), and
    the paragraphs of each of ``phrases`` (:func:`_phrase_table`), found in what was
    just written."""
    arrays: dict[str, np.ndarray] = {}
    v = len(unit_keys)
    rank = _store_vocab(arrays, "units", unit_keys)
    if len(codes) and v:
        a, b = np.divmod(codes, v + 1)
        codes = rank[a] * (v + 1) + np.where(b == v, v, rank[np.minimum(b, v - 1)])
        del a, b
    codes, positions = _sorted_pairs(codes, positions)
    pos_dtype = np.int32 if len(pos_start) and pos_start[-1] < 2**31 else np.int64
    arrays["gram_codes"], arrays["gram_ptr"] = _runs_of(codes)
    # each position's paragraph: positions are places in the stream of units, paragraph after paragraph
    docs = np.repeat(np.arange(len(pos_start) - 1, dtype=np.int32), np.diff(pos_start))[positions]
    first = np.ones(len(codes), dtype=np.int32)  # the first position of a code in a paragraph
    if len(codes):
        first[1:] = (codes[1:] != codes[:-1]) | (docs[1:] != docs[:-1])
    arrays["gram_df"] = (np.add.reduceat(first, arrays["gram_ptr"][:-1]).astype(np.int32) if len(codes)
                         else np.zeros(0, np.int32))
    # each gram's paragraphs and how often it stands in each: what a term's BM25 reads
    pairs = np.flatnonzero(first)  # the first position of each (gram, paragraph)
    tf = np.diff(np.append(pairs, len(codes)))
    arrays["gram_docs"] = docs[pairs].astype(np.int32)
    arrays["gram_tf"] = tf.astype(np.uint16 if not len(tf) or tf.max() < 2**16 else np.int32)
    arrays["gram_dptr"] = np.concatenate([[0], np.cumsum(arrays["gram_df"], dtype=np.int64)])
    del pairs, tf
    arrays["gram_pos"] = positions.astype(pos_dtype)
    arrays["pos_start"] = pos_start.astype(np.int64)
    arrays["unit_len"] = unit_len.astype(np.int32)
    meta = {"docs": len(doc_report), "reports": reports, "facets": {}, "lengths": {"units": int(unit_len.sum())}}
    for f, (vocab, wcodes, wdocs, tfs, lens) in words.items():
        rank = _store_vocab(arrays, f, vocab)
        wcodes = rank[wcodes] if len(wcodes) else wcodes
        sorted_codes, order = _sorted_pairs(wcodes.astype(np.int64), np.arange(len(wcodes), dtype=np.int64))
        _, ptr = _runs_of(sorted_codes, len(vocab))
        arrays[f"{f}_ptr"], arrays[f"{f}_docs"] = ptr, wdocs[order].astype(np.int32)
        arrays[f"{f}_tf"], arrays[f"{f}_len"] = tfs[order].astype(np.int32), lens.astype(np.int32)
        meta["lengths"][f] = int(lens.sum())
    arrays["doc_report"], arrays["ordinal"] = doc_report.astype(np.int32), ordinal.astype(np.int32)
    arrays["notes"] = (notes if notes is not None else np.zeros(len(doc_report))).astype(np.uint8)
    for f, col in columns.items():
        meta["facets"][f] = col.values
        if col.by_doc is not None:
            arrays[f"f_{f}"] = col.by_doc
        else:
            arrays[f"f_{f}_ptr"], arrays[f"f_{f}_codes"] = col.ptr, col.codes
    _save(folder, name, arrays, meta | {"arrays": sorted(arrays)})
    if phrases:
        table = _phrase_table(Segment(folder, name), phrases)
        _save(folder, name, table, meta | {"arrays": sorted([*arrays, *table])})


def _save(folder: Path, name: str, arrays: dict[str, np.ndarray], meta: dict) -> None:
    """Save ``arrays``, then the segment's description ``meta`` (which lists every array
    the segment reads: one saved but not yet listed is not read)."""
    for key, a in arrays.items():
        np.save(folder / f"{name}.{key}.npy", np.ascontiguousarray(a), allow_pickle=False)
    (folder / f"{name}.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


def _sorted_pairs(keys: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``keys`` sorted and ``values`` in their order, ties in the order of ``values``
    (ascending, non-negative): a stable argsort. Packed as key << bits | value into one
    int64 and sorted by value (numpy's vectorized sort: twenty times the speed of a stable
    argsort of 19 million grams) when both fit in 63 bits."""
    if not len(keys):
        return keys, values
    bits = int(values.max()).bit_length()
    if int(keys.max()).bit_length() + bits > 63 or keys.min() < 0:
        order = np.argsort(keys, kind="stable")
        return keys[order], values[order]
    packed = np.sort((keys.astype(np.int64) << bits) | values.astype(np.int64))
    return packed >> bits, packed & ((1 << bits) - 1)


def _store_vocab(arrays: dict, name: str, keys: list[str]) -> np.ndarray:
    """Put ``keys`` in ``arrays`` as a :class:`Vocab` (sorted, UTF-8 in one blob) and
    return, for each key's old code (its place in ``keys``), its new one."""
    encoded = [k.encode("utf-8") for k in keys]
    order = sorted(range(len(keys)), key=encoded.__getitem__)
    rank = np.empty(len(keys), dtype=np.int64)
    rank[order] = np.arange(len(keys))
    blob = b"".join(encoded[i] for i in order)
    arrays[f"{name}_blob"] = np.frombuffer(blob, dtype=np.uint8) if blob else np.zeros(0, np.uint8)
    arrays[f"{name}_prefix"] = np.array([encoded[i][:PREFIX] for i in order], dtype=f"S{PREFIX}")
    arrays[f"{name}_ends"] = np.cumsum([len(encoded[i]) for i in order], dtype=np.int64) if keys \
        else np.zeros(0, np.int64)
    return rank


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


def _runs_of(sorted_codes: np.ndarray, n: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(distinct codes, pointers) of a sorted array; with ``n``, pointers for every code
    0..n-1 (codes without entries get empty ranges)."""
    if n is not None:
        ptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(sorted_codes, minlength=n), out=ptr[1:])
        return np.arange(n, dtype=np.int64), ptr
    if not len(sorted_codes):
        return np.zeros(0, np.int64), np.zeros(1, np.int64)
    starts = np.flatnonzero(np.r_[True, sorted_codes[1:] != sorted_codes[:-1]])
    return sorted_codes[starts], np.append(starts, len(sorted_codes)).astype(np.int64)


# -- reading -------------------------------------------------------------------------


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
        ptr = self.a["phrase_ptr"]
        return self.a["phrase_docs"][int(ptr[i]):int(ptr[i + 1])]

    def notes(self) -> np.ndarray:
        """1 for each paragraph that is a note explaining a term (0s for a segment written
        before notes were recorded)."""
        return np.asarray(self.a["notes"]) if "notes" in self.a else np.zeros(self.n, np.uint8)

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
            i, j = np.searchsorted(self.a["gram_codes"], [lo, hi])
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
        lo..hi-1 when that is one gram (a unit then the next), or None (a unit whatever
        follows it, or a segment written before they were kept)."""
        if "gram_docs" not in self.a:
            return None
        i, j = self._rows(lo, hi)
        if j - i != 1:
            return None
        ptr = self.a["gram_dptr"]
        a, b = int(ptr[i]), int(ptr[j])
        return self.a["gram_docs"][a:b], self.a["gram_tf"][a:b]

    def positions(self, lo: int, hi: int) -> np.ndarray:
        """The positions of codes lo..hi-1, ascending."""
        ptr = self.a["gram_ptr"]
        i, j = self._rows(lo, hi)
        pos = self.a["gram_pos"][int(ptr[i]):int(ptr[j])]
        return pos if j - i <= 1 else np.sort(pos)


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


def _gram_lists(seg: Segment, cons: list) -> list[tuple[int, np.ndarray]] | None:
    """[(offset, positions)] of each of a term's grams in ``seg`` (its
    :meth:`Segment.constraints`), or None where one never stands there."""
    if not cons or None in cons:
        return None
    lists = [(off, seg.positions(lo, hi)) for off, lo, hi in cons]
    return None if any(not len(p) for _, p in lists) else lists


def _starts_of(lists: list[tuple[int, np.ndarray]]) -> np.ndarray:
    """The positions where a term starts, given its grams' places: the rarest gram's
    places kept where every other gram stands at its offset from it."""
    rare = min(range(len(lists)), key=lambda k: len(lists[k][1]))
    at, here = lists[rare]
    for k, (off, pos) in enumerate(lists):
        if k != rare:
            here = kernels.keep(here, off - at, pos)
    return here - at if at else here  # shifted once: a copy only of what is left


def _segment_docs(seg: Segment, runs: list[list[str]], lists: list[tuple[int, np.ndarray]]) -> np.ndarray:
    """The paragraphs of ``seg`` (local numbers, ascending, dead ones too) where a term
    of these runs stands, given its grams' places (:func:`_gram_lists`)."""
    runs = [r for r in runs if r]
    if len(lists) == 1 and len(runs) == 1:  # one gram (two units): its paragraphs are kept
        (_, lo, hi), = seg.constraints(runs)
        pairs = seg.gram_pairs(lo, hi)
        if pairs is not None:
            return pairs[0]
    begin = _starts_of(lists)
    pos_start = seg.a["pos_start"]
    if len(runs) > 1 and len(begin):  # a break and the next paragraph's start look alike: stay inside
        last = sum(len(r) + 1 for r in runs) - 2  # offset of the term's last unit
        begin = begin[begin + last < pos_start[kernels.owners(begin, pos_start) + 1]]
    return kernels.paragraphs(begin, pos_start)


def _phrase_table(seg: Segment, phrases: list[list[list[str]]]) -> dict[str, np.ndarray]:
    """The arrays of a segment's phrase table: for each of ``phrases`` (runs of unit keys
    each), the paragraphs where it stands, found once when the segment is written."""
    runs = {key: r for r in phrases if (key := phrase_key(r))}
    keys = list(runs)
    arrays: dict[str, np.ndarray] = {}
    rank = _store_vocab(arrays, "phrase", keys)
    found = [np.zeros(0, np.int32)] * len(keys)
    for i, key in enumerate(keys):
        lists = _gram_lists(seg, seg.constraints(runs[key]))
        if lists:
            found[int(rank[i])] = _segment_docs(seg, runs[key], lists)
    arrays["phrase_ptr"] = np.concatenate([[0], np.cumsum([len(d) for d in found])]).astype(np.int64)
    arrays["phrase_docs"] = np.concatenate(found).astype(np.int32) if found else np.zeros(0, np.int32)
    return arrays


@dataclass
class Scored:
    """Documents (global numbers, ascending, distinct) with a score each."""

    docs: np.ndarray
    scores: np.ndarray

    @classmethod
    def empty(cls) -> Scored:
        return cls(np.zeros(0, np.int64), np.zeros(0, np.float64))

    def __len__(self) -> int:
        return len(self.docs)

    def boosted(self, factor: float) -> Scored:
        return Scored(self.docs, self.scores * factor)

    def plus(self, other: Scored) -> Scored:
        """These documents, with ``other``'s score added where it has them (an optional clause)."""
        if not len(other) or not len(self):
            return self
        at = np.searchsorted(self.docs, other.docs).clip(max=len(self.docs) - 1)
        hit = self.docs[at] == other.docs
        scores = self.scores.copy()
        np.add.at(scores, at[hit], other.scores[hit])
        return Scored(self.docs, scores)


def union(items: list[Scored], n: int = 0) -> Scored:
    """Documents of any item, their scores summed (in the items' order). By the merge
    kernel, or (not built) with ``n`` (the number of documents) and many documents,
    summed in an array of all ``n`` documents instead of sorting them all (``np.unique``)."""
    items = [x for x in items if len(x)]
    if not items:
        return Scored.empty()
    if len(items) == 1:
        return items[0]
    if kernels.COMPILED:  # merged two at a time: costs the documents' number, not n
        out = items[0]
        for x in items[1:]:
            out = Scored(*kernels.unite(out.docs, out.scores, x.docs, x.scores))
        return out
    total = sum(len(x) for x in items)
    if n and total * 8 > n:
        scores = np.zeros(n)
        seen = np.zeros(n, dtype=bool)
        for x in items:  # each item's documents are distinct: a fancy += adds once each
            scores[x.docs] += x.scores
            seen[x.docs] = True
        docs = np.flatnonzero(seen)
        return Scored(docs, scores[docs])
    docs = np.concatenate([x.docs for x in items])
    u, inverse = np.unique(docs, return_inverse=True)
    return Scored(u, np.bincount(inverse, weights=np.concatenate([x.scores for x in items]), minlength=len(u)))


def intersection(items: list[Scored]) -> Scored:
    """Documents of every item, their scores summed (in the items' order). By the merge
    kernel, or (not built) many documents through a mask over the document numbers, not
    by sorting them all (``np.intersect1d``)."""
    out = items[0]
    for x in items[1:]:
        if not len(out) or not len(x):
            return Scored.empty()
        if kernels.COMPILED:  # the shorter walked, the longer galloped
            out = Scored(*kernels.meet(out.docs, out.scores, x.docs, x.scores))
            continue
        top = int(max(out.docs[-1], x.docs[-1])) + 1
        if (len(out) + len(x)) * DENSE_SETS > top:
            mask = np.zeros(top, dtype=bool)
            mask[out.docs] = True
            keep = mask[x.docs]
            common = x.docs[keep]
            out = Scored(common, out.scores[np.searchsorted(out.docs, common)] + x.scores[keep])
        else:
            common, i, j = np.intersect1d(out.docs, x.docs, assume_unique=True, return_indices=True)
            out = Scored(common, out.scores[i] + x.scores[j])
    return out


def minus(a: Scored, docs: np.ndarray) -> Scored:
    keep = ~np.isin(a.docs, docs, assume_unique=True)
    return Scored(a.docs[keep], a.scores[keep])


class Postings:
    """The segments of one generation, as one index over global document numbers
    (segment after segment)."""

    def __init__(self, folder: Path, names: list[str], checksums: dict[str, str], ranking: Ranking = Ranking()):  # noqa: B008
        self.k1, self.b = ranking.k1, ranking.b  # BM25's constants
        self.short_bias = ranking.short_bias
        self.segments = [Segment(folder, name) for name in names]
        self.base = np.cumsum([0] + [s.n for s in self.segments]).astype(np.int64)
        self.n_all = int(self.base[-1])
        self.live = np.zeros(self.n_all, dtype=bool)
        seen: set[str] = set()
        for seg, base in reversed(list(zip(self.segments, self.base, strict=False))):
            ok = np.array([digest == checksums.get(rid) and rid not in seen for rid, digest in seg.reports] + [False])
            seen.update(rid for rid, digest in seg.reports if digest == checksums.get(rid))
            self.live[base:base + seg.n] = ok[np.asarray(seg.a["doc_report"])]
        self.live_docs = np.flatnonzero(self.live).astype(np.int64)
        self.avg = {k: sum(s.lengths[k] for s in self.segments) / max(1, self.n_all) for k in ("units", *FIELDS)}
        self.columns = {f: Column.concat([s.column(f) for s in self.segments]) for f in FACETS}
        self.report = Column.concat([Column([rid for rid, _ in s.reports], np.asarray(s.a["doc_report"]), None, None)
                                     for s in self.segments])
        self.ordinal = np.concatenate([np.asarray(s.a["ordinal"]) for s in self.segments]) if self.segments \
            else np.zeros(0, np.int32)
        # sort keys: each document's place in the order of agencies, reports, years
        self.agency_rank = self._rank(self.columns["agency"])
        self.report_rank = self._rank(self.report)
        years = self.columns["year"]
        year_of = np.array([int(v) if v.isdigit() else 0 for v in years.values] + [0], dtype=np.int64)
        self.year_rank = year_of[years.by_doc]
        self._masks: dict = {}
        self._terms: dict = {}  # the last terms matched (see _matched)
        self._terms_bytes = 0
        self._lock = threading.Lock()

    @staticmethod
    def _rank(column: Column) -> np.ndarray:
        return np.append(column.value_rank(), -1)[column.by_doc]

    def __len__(self) -> int:
        return len(self.live_docs)

    def notes(self) -> np.ndarray:
        """Per document (global number): 1 for a note that explains a term (名词解释)."""
        return np.concatenate([s.notes() for s in self.segments]) if self.segments else np.zeros(0, np.uint8)

    def unit_lengths(self) -> np.ndarray:
        """Per document (global number): its length in units (characters, a number or a
        Latin word counting one)."""
        return np.concatenate([np.asarray(s.a["unit_len"]) for s in self.segments]) if self.segments \
            else np.zeros(0, np.int32)

    def doc_numbers(self, ids: list[str]) -> list[int]:
        """The live document number of each paragraph id (-1 for none)."""
        found = self.__dict__.get("_doc_of")
        if found is None:
            found = self._doc_of = {self.paragraph_id(int(d)): int(d) for d in self.live_docs}
        return [found.get(pid, -1) for pid in ids]

    def paragraph_id(self, doc: int) -> str:
        return f"{self.report.values[self.report.by_doc[doc]]}.p{int(self.ordinal[doc])}"

    def everything(self) -> Scored:
        return Scored(self.live_docs, np.zeros(len(self.live_docs)))

    def term(self, runs: list[list[str]], within: np.ndarray | None = None, score: bool = True) -> Scored:
        """The live paragraphs where a term's runs of unit keys stand together (each run
        exactly, one break between runs), scored by its grams' BM25 -- only those that
        ``within`` (a mask over all documents) allows, and unscored (zeros) unless
        ``score``: a paragraph's score never depends on which others are asked for."""
        runs = [r for r in runs if r]
        matched = self._matched(runs)
        if matched is None:
            return Scored.empty()
        idfs, found = matched
        parts = []
        for seg, base, lists, docs in found:
            if within is not None:
                docs = docs[within[docs + base]]
            if not len(docs):
                continue
            if not score:
                parts.append(Scored(docs.astype(np.int64) + base, np.zeros(len(docs))))
                continue
            scores = np.zeros(len(docs))
            for k, ((_, lo, hi), (_, pos)) in enumerate(zip(seg.constraints(runs), lists, strict=True)):
                scores += self._gram_scores(seg, lo, hi, pos, docs, idfs[k])
            parts.append(Scored(docs.astype(np.int64) + base, scores))
        return _concat(parts)

    def _gram_scores(self, seg: Segment, lo: int, hi: int, pos: np.ndarray, docs: np.ndarray, weight: float
                     ) -> np.ndarray:
        """The BM25 of the gram of codes lo..hi-1 (its positions ``pos``) in each of
        ``docs`` (local numbers, ascending): read from the gram's paragraphs where the
        segment keeps them, else counted in its positions."""
        pairs = seg.gram_pairs(lo, hi)
        if pairs is not None:
            return kernels.word_bm25(docs, pairs[0], pairs[1], seg.a["unit_len"], weight, self.k1, self.b,
                                     self.avg["units"], self.short_bias)
        tf = kernels.counts(docs, seg.a["pos_start"], pos)
        dl = self._dl(seg.a["unit_len"][docs], "units")
        return kernels.bm25(tf, weight, dl, self.avg["units"], self.k1, self.b)

    def _matched(self, runs: list[list[str]]):
        """(the idf of each of a term's grams, [(segment, base, [(offset, positions) of each
        gram], the segment's live documents where the term stands)]), or None; the last
        terms' are kept (a search asks for a term to match, then to score a part of it)."""
        runs = [r for r in runs if r]
        if not runs:
            return None
        key = tuple(tuple(r) for r in runs)
        hit = self._terms.get(key)
        if hit is None:
            hit = self._match(runs)
            size = sum(d.nbytes + sum(p.nbytes for _, p in lists if p.flags.owndata)  # not the mapped files
                       for _, _, lists, d in hit[1])
            with self._lock:
                if len(self._terms) >= TERM_CACHE or self._terms_bytes + size > TERM_CACHE_BYTES:
                    self._terms.clear()
                    self._terms_bytes = 0
                self._terms[key] = hit
                self._terms_bytes += size
        return hit

    def _match(self, runs: list[list[str]]):
        idfs, per_seg = self._grams(runs)
        key = phrase_key(runs)
        found = []
        for seg, base, lists in per_seg:
            docs = seg.phrase_docs(key)  # written with the segment: a concept's names and parts
            if docs is None:
                docs = _segment_docs(seg, runs, lists)
            docs = docs[self.live[docs + base]]
            if len(docs):
                found.append((seg, int(base), lists, docs))
        return idfs, found

    def _grams(self, runs: list[list[str]]):
        """(the idf of each of a term's grams, [(segment, base, [(offset, positions) of each
        gram])] of each segment that holds every gram)."""
        per_seg = [(seg, base, seg.constraints(runs)) for seg, base in zip(self.segments, self.base, strict=False)]
        n_constraints = len(per_seg[0][2]) if per_seg else 0
        dfs = [0] * n_constraints  # over every segment that has the gram, matched there or not
        for seg, _, cons in per_seg:
            for k, c in enumerate(cons):
                if c is not None:
                    dfs[k] += seg.df(c[1], c[2])
        idfs = [idf(df, self.n_all) for df in dfs]
        found = []
        for seg, base, cons in per_seg:
            lists = _gram_lists(seg, cons)
            if lists:
                found.append((seg, base, lists))
        return idfs, found

    def _starts(self, runs: list[list[str]]):
        """(the idf of each of a term's grams, [(segment, base, [(offset, positions) of each
        gram], the positions where the term starts)] of each segment that holds it)."""
        idfs, per_seg = self._grams(runs)
        found = []
        for seg, base, lists in per_seg:
            starts = _starts_of(lists)
            if len(starts):
                found.append((seg, base, lists, starts))
        return idfs, found

    def _dl(self, dl: np.ndarray, field: str) -> np.ndarray:
        """A paragraph's length for BM25 (:func:`kb.engines.embedded.kernels.length`)."""
        return kernels.length(dl, self.avg[field], self.short_bias)

    def near(self, terms: list[list[list[str]]], window: int, within: np.ndarray | None = None) -> np.ndarray:
        """The live paragraphs (ascending) where every one of ``terms`` (runs of unit keys
        each, matched as :meth:`term` does) starts within ``window`` positions of the first
        one's start, in any order: the words of a measure in one clause, however ordered
        (老旧小区改造 in 改造城镇老旧小区). Only those ``within`` (a mask over all documents)
        allows: the first term's places elsewhere are dropped before the others are
        looked for."""
        per_term = []
        for runs in terms:
            runs = [r for r in runs if r]
            if not runs:
                return np.zeros(0, np.int64)
            _, found = self._starts(runs)
            per_term.append({seg.name: starts for seg, _, _, starts in found})
        out = []
        for seg, base in zip(self.segments, self.base, strict=False):
            lists = [t.get(seg.name) for t in per_term]
            if any(x is None for x in lists):
                continue
            pos_start = seg.a["pos_start"]
            anchors = lists[0]
            doc_of = kernels.owners(anchors, pos_start)
            if within is not None:
                keep = within[doc_of + base]
                anchors, doc_of = anchors[keep], doc_of[keep]
            for pos in lists[1:]:
                if not len(anchors):
                    break
                ok = kernels.close(anchors, doc_of, pos, window, pos_start)
                anchors, doc_of = anchors[ok], doc_of[ok]
            docs = doc_of[np.r_[True, doc_of[1:] != doc_of[:-1]]] if len(doc_of) else doc_of  # ascending: distinct
            docs = docs[self.live[docs + base]]
            out.append(docs.astype(np.int64) + base)
        return np.concatenate(out) if out else np.zeros(0, np.int64)

    def _word_ranges(self, field: str, w: str) -> list[tuple[Segment, int, int, int]]:
        """(segment, base, first, end) of the postings of ``w`` in ``field``, per segment."""
        found = []
        for seg, base in zip(self.segments, self.base, strict=False):
            code = seg.word_keys[field].get(w)
            if code is not None:
                ptr = seg.a[f"{field}_ptr"]
                found.append((seg, int(base), int(ptr[code]), int(ptr[code + 1])))
        return found

    def word(self, field: str, w: str) -> Scored:
        """The live paragraphs with the jieba word ``w`` in ``field`` ("words" or
        "heads"), scored by its BM25 there."""
        found = self._word_ranges(field, w)
        df = sum(j - i for _, _, i, j in found)
        if not df:
            return Scored.empty()
        weight = idf(df, self.n_all)
        parts = []
        for seg, base, i, j in found:
            docs = np.asarray(seg.a[f"{field}_docs"][i:j])
            live = self.live[docs + base]
            docs = docs[live]
            tf = np.asarray(seg.a[f"{field}_tf"][i:j])[live]
            dl = self._dl(np.asarray(seg.a[f"{field}_len"])[docs], field)
            parts.append(Scored(docs.astype(np.int64) + base, kernels.bm25(tf, weight, dl, self.avg[field], self.k1, self.b)))
        return _concat(parts)

    def word_docs(self, field: str, w: str) -> np.ndarray:
        """The live paragraphs (ascending) with the jieba word ``w`` in ``field``, unscored."""
        parts = []
        for seg, base, i, j in self._word_ranges(field, w):
            docs = np.asarray(seg.a[f"{field}_docs"][i:j]).astype(np.int64) + base
            parts.append(docs[self.live[docs]])
        return np.concatenate(parts) if parts else np.zeros(0, np.int64)

    def word_scores(self, field: str, w: str, docs: np.ndarray) -> np.ndarray:
        """The BM25 of the jieba word ``w`` in ``field`` for each of ``docs`` (global
        numbers, ascending), 0 where it does not stand: what :meth:`word` gives them,
        looked up for these documents only (not for every paragraph with the word)."""
        out = np.zeros(len(docs))
        found = self._word_ranges(field, w)
        df = sum(j - i for _, _, i, j in found)
        if not df or not len(docs):
            return out
        weight = idf(df, self.n_all)
        for seg, base, i, j in found:
            lo, hi = np.searchsorted(docs, [base, base + seg.n])
            if lo == hi or i == j:
                continue
            out[lo:hi] = kernels.word_bm25(docs[lo:hi] - base, seg.a[f"{field}_docs"][i:j], seg.a[f"{field}_tf"][i:j],
                                           seg.a[f"{field}_len"], weight, self.k1, self.b, self.avg[field],
                                           self.short_bias)
        return out

    def df(self, field: str, w: str) -> int:
        """In how many paragraphs the word ``w`` stands in ``field`` (dead ones included,
        as in the scores)."""
        return sum(j - i for _, _, i, j in self._word_ranges(field, w))

    def column(self, name: str) -> Column:
        """The column of a facet, or of ``report_id``."""
        return self.report if name == "report_id" else self.columns[name]

    def mask(self, facet: str, values: list[str]) -> np.ndarray:
        """The documents a filter on a facet or ``report_id`` allows (any of ``values``), cached."""
        key = (facet, tuple(sorted(values)))
        m = self._masks.get(key)
        if m is None:
            m = self.column(facet).mask(values)
            with self._lock:
                if len(self._masks) > 256:
                    self._masks.clear()
                self._masks[key] = m
        return m


def _concat(parts: list[Scored]) -> Scored:
    if not parts:
        return Scored.empty()
    if len(parts) == 1:
        return parts[0]
    return Scored(np.concatenate([p.docs for p in parts]), np.concatenate([p.scores for p in parts]))


# -- segments of a generation ----------------------------------------------------------


def segment_files(folder: Path, name: str) -> list[Path]:
    return [folder / f"{name}.json", *sorted(folder.glob(f"{name}.*.npy"))]


def merge_plan(p: Postings) -> tuple[list[str], list[str]]:
    """(segments to drop, segments to merge into one) after a build: drop those with no
    live paragraph; merge those with more than :data:`MERGE_DEAD` of theirs dead, and the
    small ones (below a quarter of :data:`SEGMENT_DOCS`) when there are more than
    :data:`MERGE_SEGMENTS` of them. Big segments are never merged together: a merge, like
    a build, holds at most about SEGMENT_DOCS paragraphs' arrays in memory."""
    dead, merge, small = [], [], []
    for seg, base in zip(p.segments, p.base, strict=False):
        live = int(np.count_nonzero(p.live[base:base + seg.n]))
        if not live:
            dead.append(seg.name)
        elif live < (1 - MERGE_DEAD) * seg.n:
            merge.append(seg.name)
        elif seg.n < SEGMENT_DOCS // 4:
            small.append(seg.name)
    if len(small) > MERGE_SEGMENTS:
        merge += small
    return dead, [s.name for s in p.segments if s.name in merge]  # in index order


def merge(folder: Path, names: list[str], checksums: dict[str, str], name: str,
          phrases: list[list[list[str]]] = ()) -> None:
    """Write the live paragraphs of segments ``names`` as one segment ``name``: their
    vocabularies joined, codes renumbered, dead paragraphs left out (no text is read
    again), with a phrase table of ``phrases``."""
    p = Postings(folder, names, checksums)
    unit_keys: dict[str, int] = {}
    word_keys = {f: {} for f in FIELDS}
    code_parts, pos_parts, starts, unit_lens = [], [], [np.zeros(1, np.int64)], []
    word_parts = {f: ([], [], [], []) for f in FIELDS}
    reports, doc_report, ordinal, notes = {}, [], [], []
    columns = {f: [] for f in FACETS}
    next_pos, next_doc = 0, 0
    for seg, base in zip(p.segments, p.base, strict=False):
        live = np.flatnonzero(p.live[base:base + seg.n])
        new_doc = np.full(seg.n + 1, -1, dtype=np.int64)  # old local -> new (last: none)
        new_doc[live] = np.arange(len(live)) + next_doc
        remap = np.array([unit_keys.setdefault(k, len(unit_keys)) for k in seg.unit_keys] + [-1], dtype=np.int64)
        pos_start = np.asarray(seg.a["pos_start"])
        span = pos_start[live + 1] - pos_start[live]
        new_start = np.cumsum(np.r_[0, span]) + next_pos
        shift = np.zeros(seg.n, dtype=np.int64)
        shift[live] = new_start[:-1] - pos_start[live]
        codes = np.repeat(np.asarray(seg.a["gram_codes"]), np.diff(seg.a["gram_ptr"]))
        pos = np.asarray(seg.a["gram_pos"]).astype(np.int64)
        docs = np.searchsorted(pos_start, pos, side="right") - 1
        keep = new_doc[docs] >= 0
        codes, pos, docs = codes[keep], pos[keep], docs[keep]
        a, b = codes // (seg.v + 1), codes % (seg.v + 1)
        code_parts.append((remap[a], np.where(b == seg.v, -1, remap[np.minimum(b, seg.v)])))
        pos_parts.append(pos + shift[docs])
        starts.append(new_start[1:])
        unit_lens.append(np.asarray(seg.a["unit_len"])[live])
        for f in FIELDS:
            wremap = np.array([word_keys[f].setdefault(w, len(word_keys[f])) for w in seg.word_keys[f]],
                              dtype=np.int32)
            wcodes = np.repeat(np.arange(len(seg.word_keys[f]), dtype=np.int64), np.diff(seg.a[f"{f}_ptr"]))
            wdocs = new_doc[np.asarray(seg.a[f"{f}_docs"])]
            ok = wdocs >= 0
            wc, wd, wt, wl = word_parts[f]
            wc.append(wremap[wcodes[ok]])
            wd.append(wdocs[ok])
            wt.append(np.asarray(seg.a[f"{f}_tf"])[ok])
            wl.append(np.asarray(seg.a[f"{f}_len"])[live])
        rep = np.array([reports.setdefault(rid, (len(reports), digest))[0] if checksums.get(rid) == digest else -1
                        for rid, digest in seg.reports] + [-1], dtype=np.int32)  # dead versions: no live paragraph
        doc_report.append(rep[np.asarray(seg.a["doc_report"])[live]])
        ordinal.append(np.asarray(seg.a["ordinal"])[live])
        notes.append(seg.notes()[live])
        for f in FACETS:
            columns[f].append(seg.column(f).take(live))
        next_pos = int(new_start[-1])
        next_doc += len(live)
    v = len(unit_keys)
    codes = np.concatenate([a * (v + 1) + np.where(b >= 0, b, v) for a, b in code_parts]) if code_parts \
        else np.zeros(0, np.int64)
    unit_len = np.concatenate(unit_lens) if unit_lens else np.zeros(0, np.int32)
    wparts = {}
    for f in FIELDS:
        wc, wd, wt, wl = word_parts[f]
        cat = (lambda xs: np.concatenate(xs) if xs else np.zeros(0, np.int32))  # noqa: E731
        wparts[f] = (list(word_keys[f]), cat(wc), cat(wd), cat(wt), cat(wl))
    _write(folder, name, unit_keys=list(unit_keys), codes=codes,
           positions=np.concatenate(pos_parts) if pos_parts else np.zeros(0, np.int64),
           pos_start=np.concatenate(starts), unit_len=unit_len, words=wparts,
           reports=[[rid, digest] for rid, (_, digest) in reports.items()],
           doc_report=np.concatenate(doc_report) if doc_report else np.zeros(0, np.int32),
           ordinal=np.concatenate(ordinal) if ordinal else np.zeros(0, np.int32),
           columns={f: Column.concat(cs) if cs else Column.of_rows([], f in MULTI) for f, cs in columns.items()},
           notes=np.concatenate(notes) if notes else np.zeros(0, np.uint8), phrases=phrases)

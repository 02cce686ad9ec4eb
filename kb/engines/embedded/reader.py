"""Reader: the segments of one generation (:mod:`kb.engines.embedded.segment`) read as one index
over global document numbers (segment after segment): the postings that find and score the
terms of every search (the matching half of the embedded engine,
:mod:`kb.engines.embedded.engine`; what they find is combined as :mod:`kb.engines.embedded.scored`
sets).

A paragraph is live while its report's checksum is the one the generation was built
from (``kb-index.json``): a changed report's old paragraphs stay in their segment, dead,
until the segment is merged (:func:`kb.engines.embedded.merge.merge_plan`).

Scores are BM25 (Whoosh's formula and constants): a term's exact match scores the sum
of its grams' BM25 over the units of the paragraph, a word its BM25 over the words.
"""

from __future__ import annotations

import math
import threading
from pathlib import Path

import numpy as np

from kb.core.settings import Ranking
from kb.engines import meaningtiers as mt
from kb.engines.embedded import kernels
from kb.engines.embedded.columns import Column
from kb.engines.embedded.positions import Positions
from kb.engines.embedded.scored import Scored, concat
from kb.engines.embedded.segment import FACETS, FIELDS, Segment, gram_lists, phrase_key, term_docs, term_starts

TERM_CACHE = 64  # terms whose matches a Postings keeps
TERM_CACHE_BYTES = 64 << 20  # and the memory they may hold
COMMON_FILE = "meaning-common.npz"  # the generation's common direction of meaning (Postings.common_meaning)
FEW_DOCS = 4  # a gram's counts are taken from its positions for fewer than 1/FEW_DOCS of its paragraphs
FEW_NEAR = 2  # a slot with this many times fewer places than the first's narrows its places first (_near_in)
RANGES_CACHE = 4096  # words whose postings ranges a Postings keeps (a few hundred bytes each)


def idf(df: int, n: int) -> float:
    return math.log(n / (df + 1)) + 1  # Whoosh's


class Postings:
    """The segments of one generation, as one index over global document numbers
    (segment after segment)."""

    def __init__(self, folder: Path, names: list[str], checksums: dict[str, str], ranking: Ranking = Ranking()):  # noqa: B008
        self.k1, self.b = ranking.k1, ranking.b  # BM25's constants
        self.short_bias = ranking.short_bias
        self.folder = folder
        self.segments = [Segment(folder, name) for name in names]
        self.base = np.cumsum([0] + [s.n for s in self.segments]).astype(np.int64)
        self.n_all = int(self.base[-1])
        self.live = _live(self.segments, self.base, checksums)
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
        self.year_rank = _year_rank(self.columns["year"])
        self._masks: dict = {}
        self._ranges: dict = {}  # the last words' postings ranges (see _word_ranges)
        self._terms: dict = {}  # the last terms matched (see _matched)
        self._terms_bytes = 0
        self._lock = threading.Lock()

    @staticmethod
    def _rank(column: Column) -> np.ndarray:
        return np.append(column.value_rank(), -1)[column.by_doc]

    def __len__(self) -> int:
        return len(self.live_docs)

    def notes(self) -> np.ndarray:
        """Per document (global number): bit 0 for a note that explains a term (名词解释), bits 1-3
        how much it says what was done (:func:`kb.enrich.deeds.level`)."""
        return np.concatenate([s.notes() for s in self.segments]) if self.segments else np.zeros(0, np.uint8)

    def vectors(self) -> list[np.ndarray] | None:
        """Per segment, in order: its paragraphs' vectors of meaning in the shipped model, rows of
        length 1 or 0 (:func:`kb.engines.embedded.writer.analyze_all`; float32 as written, memory-mapped:
        no copy is made); None when a segment was written without them."""
        parts = [s.vectors() for s in self.segments]
        ok = bool(parts) and all(v is not None for v in parts) and len({v.shape[1] for v in parts}) == 1
        return parts if ok else None

    def common_meaning(self) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """The direction every paragraph's vector shares (their mean over the live paragraphs, of
        length 1), each paragraph's cosine with it, and the length of what is left of each once it
        is taken out: what the meaning of the whole query takes out before it compares
        (:mod:`kb.engines.embedded.whole`). Read from :data:`COMMON_FILE`, written with the
        generation (:meth:`save_common_meaning`); made here only for a generation without it."""
        if "_common" not in self.__dict__:
            self._common = _read_common(self.folder / COMMON_FILE, self.live) or self._make_common()
        return self._common

    def _make_common(self) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        parts = self.vectors()
        if parts is None:
            return None
        return mt.common_direction(np.concatenate([np.asarray(v, dtype=np.float32) for v in parts]), self.live_docs)

    def save_common_meaning(self) -> None:
        """Write :meth:`common_meaning` of these postings into their folder (:data:`COMMON_FILE`;
        removed when there is none), with the live paragraphs it is of: done once per generation
        when it is built, so that no search pays for it. The old file is unlinked first: it may be
        a hard link of the previous generation's."""
        path = self.folder / COMMON_FILE
        path.unlink(missing_ok=True)
        common = self._make_common()
        if common is not None:
            u, vu, left = common
            np.savez(path, u=u, vu=vu, left=left, live=np.packbits(self.live))
            self._common = common

    def unit_lengths(self) -> np.ndarray:
        """Per document (global number): its length in units (characters, a number or a
        Latin word counting one)."""
        return np.concatenate([np.asarray(s.a["unit_len"]) for s in self.segments]) if self.segments \
            else np.zeros(0, np.int32)

    def doc_numbers(self, ids: list[str]) -> list[int]:
        """The live document number of each paragraph id (-1 for none): looked up among the
        live paragraphs sorted by report and ordinal (:meth:`paragraph_id`), sorted once."""
        keys, docs = self._by_key()
        code_of = self.report.code_of
        want = np.full(len(ids), -1, dtype=np.int64)
        for i, pid in enumerate(ids):
            rid, sep, n = pid.rpartition(".p")
            code = code_of.get(rid) if sep and n.isascii() and n.isdigit() and str(int(n)) == n else None
            if code is not None and int(n) < 2**31:
                want[i] = code << 32 | int(n)
        if not len(keys):
            return [-1] * len(ids)
        at = np.minimum(np.searchsorted(keys, want), len(keys) - 1)
        return np.where((want >= 0) & (keys[at] == want), docs[at], -1).tolist()

    def _by_key(self) -> tuple[np.ndarray, np.ndarray]:
        """(report code << 32 | ordinal of each live paragraph, sorted; their document numbers)."""
        found = self.__dict__.get("_keys")
        if found is None:
            live = self.live_docs
            keys = self.report.by_doc[live].astype(np.int64) << 32 | self.ordinal[live].astype(np.int64)
            order = np.argsort(keys, kind="stable")
            found = self._keys = (keys[order], live[order])
        return found

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
        return concat(parts)

    def _gram_scores(self, seg: Segment, lo: int, hi: int, pos: Positions, docs: np.ndarray, weight: float
                     ) -> np.ndarray:
        """The BM25 of the gram of codes lo..hi-1 (its positions ``pos``) in each of
        ``docs`` (local numbers, ascending): read from the gram's paragraphs where the
        segment keeps them and ``docs`` are many of them, else counted in its positions
        (decoded only in the blocks of ``docs``: the same counts, so the same scores to the
        last bit)."""
        pairs = seg.gram_pairs(lo, hi) if len(docs) * FEW_DOCS >= seg.df(lo, hi) else None
        if pairs is not None:
            return kernels.word_bm25(docs, pairs[0], pairs[1], seg.a["unit_len"], weight, self.k1, self.b,
                                     self.avg["units"], self.short_bias)
        starts = seg.a["pos_start"]
        tf = kernels.counts(docs, starts, pos.in_paragraphs(docs, starts))  # only the blocks of docs
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
            size = sum(d.nbytes + sum(p.nbytes for _, p in lists) for _, _, lists, d in hit[1])  # what was decoded
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
                docs = term_docs(seg, runs, lists)
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
            lists = gram_lists(seg, cons)
            if lists:
                found.append((seg, base, lists))
        return idfs, found

    def _starts(self, runs: list[list[str]]):
        """(the idf of each of a term's grams, [(segment, base, [(offset, positions) of each
        gram], the positions where the term starts)] of each segment that holds it)."""
        idfs, per_seg = self._grams(runs)
        found = []
        for seg, base, lists in per_seg:
            starts = term_starts(lists)
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
        return self.near_any([[runs] for runs in terms], window, within)

    def near_any(self, slots: list[list[list[list[str]]]], window: int, within: np.ndarray | None = None) -> np.ndarray:
        """:meth:`near` where each slot is one of several alternatives (each runs of unit keys):
        the paragraphs where some alternative of every slot starts within ``window`` positions of
        where the first slot's does (法治 or 法律, then 意识 or 理念, then 淡薄 or 不强)."""
        per_term = [self._slot_starts(alternatives) for alternatives in slots]
        if not all(per_term):
            return np.zeros(0, np.int64)
        out = []
        for seg, base in zip(self.segments, self.base, strict=False):
            lists = [t.get(seg.name) for t in per_term]
            if all(x is not None for x in lists):
                out.append(self._near_in(seg, base, lists, window, within))
        return np.concatenate(out) if out else np.zeros(0, np.int64)

    def _slot_starts(self, alternatives: list[list[list[str]]]) -> dict[str, np.ndarray]:
        """Per segment, where any of ``alternatives`` (each runs of unit keys) starts, sorted."""
        starts: dict[str, list[np.ndarray]] = {}
        for runs in alternatives:
            runs = [r for r in runs if r]
            for seg, _, _, found in self._starts(runs)[1] if runs else ():
                starts.setdefault(seg.name, []).append(found)
        return {name: x[0] if len(x) == 1 else kernels.union_sorted(x) for name, x in starts.items()}

    def _near_in(self, seg: Segment, base: int, lists: list[np.ndarray], window: int,
                 within: np.ndarray | None) -> np.ndarray:
        """The live documents (global numbers, ascending) of one segment where a start of each
        of ``lists`` stands within ``window`` of one of the first's. When another list has far
        fewer places than the first (更新改造 beside 城市), the first's places near it are found
        from it (:func:`kernels.near_some`) before any is looked up: the same places pass."""
        pos_start = seg.a["pos_start"]
        anchors = lists[0]
        few = min(lists[1:], key=len, default=None)
        if few is not None and len(few) * FEW_NEAR < len(anchors):
            anchors = anchors[kernels.near_some(anchors, few, window, pos_start)]
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
        return docs.astype(np.int64) + base

    def _word_ranges(self, field: str, w: str) -> list[tuple[Segment, int, int, int]]:
        """(segment, base, the word's code there, its paragraphs there) per segment that has
        ``w`` in ``field``; kept for the words asked last (a search asks for a word's ranges
        several times: its documents, its scores for the exact matches, then for the related ones)."""
        key = (field, w)
        found = self._ranges.get(key)
        if found is not None:
            return found
        found = []
        for seg, base in zip(self.segments, self.base, strict=False):
            code = seg.word_keys[field].get(w)
            if code is not None:
                ptr = seg.a[f"{field}_ptr"]
                found.append((seg, int(base), code, int(ptr[code + 1] - ptr[code])))
        with self._lock:
            if len(self._ranges) >= RANGES_CACHE:
                self._ranges.clear()
            self._ranges[key] = found
        return found

    def word(self, field: str, w: str) -> Scored:
        """The live paragraphs with the jieba word ``w`` in ``field`` ("words" or
        "heads"), scored by its BM25 there."""
        found = self._word_ranges(field, w)
        df = sum(n for _, _, _, n in found)
        if not df:
            return Scored.empty()
        weight = idf(df, self.n_all)
        parts = []
        for seg, base, code, _ in found:
            docs, tf = seg.word_pairs(field, code)
            live = self.live[docs + base]
            docs, tf = docs[live], tf[live]
            dl = self._dl(np.asarray(seg.a[f"{field}_len"])[docs], field)
            parts.append(Scored(docs.astype(np.int64) + base, kernels.bm25(tf, weight, dl, self.avg[field], self.k1, self.b)))
        return concat(parts)

    def word_docs(self, field: str, w: str) -> np.ndarray:
        """The live paragraphs (ascending) with the jieba word ``w`` in ``field``, unscored."""
        parts = []
        for seg, base, code, _ in self._word_ranges(field, w):
            docs = seg.word_pairs(field, code)[0].astype(np.int64) + base
            parts.append(docs[self.live[docs]])
        return np.concatenate(parts) if parts else np.zeros(0, np.int64)

    def word_count(self, field: str, w: str) -> int:
        """In how many live paragraphs the word ``w`` stands in ``field``: ``len(word_docs)``,
        read from the postings' ranges alone when every paragraph is live (no list decoded)."""
        if self.n_all == len(self.live_docs):
            return self.df(field, w)
        return len(self.word_docs(field, w))

    def word_scores(self, field: str, w: str, docs: np.ndarray) -> np.ndarray:
        """The BM25 of the jieba word ``w`` in ``field`` for each of ``docs`` (global
        numbers, ascending), 0 where it does not stand: what :meth:`word` gives them,
        looked up for these documents only (not for every paragraph with the word)."""
        out = np.zeros(len(docs))
        found = self._word_ranges(field, w)
        df = sum(n for _, _, _, n in found)
        if not df or not len(docs):
            return out
        weight = idf(df, self.n_all)
        for seg, base, code, n in found:
            lo, hi = np.searchsorted(docs, [base, base + seg.n])
            if lo == hi or not n:
                continue
            wdocs, wtf = seg.word_pairs(field, code)
            out[lo:hi] = kernels.word_bm25(docs[lo:hi] - base, wdocs, wtf, seg.a[f"{field}_len"], weight, self.k1,
                                           self.b, self.avg[field], self.short_bias)
        return out

    def df(self, field: str, w: str) -> int:
        """In how many paragraphs the word ``w`` stands in ``field`` (dead ones included,
        as in the scores)."""
        return sum(n for _, _, _, n in self._word_ranges(field, w))

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


def _live(segments: list[Segment], base: np.ndarray, checksums: dict[str, str]) -> np.ndarray:
    """Per document (global number): whether it is live -- its report's checksum is the
    generation's, and no later segment holds that version of the report."""
    live = np.zeros(int(base[-1]), dtype=bool)
    seen: set[str] = set()
    for seg, first in reversed(list(zip(segments, base, strict=False))):
        ok = np.array([digest == checksums.get(rid) and rid not in seen for rid, digest in seg.reports] + [False])
        seen.update(rid for rid, digest in seg.reports if digest == checksums.get(rid))
        live[first:first + seg.n] = ok[np.asarray(seg.a["doc_report"])]
    return live


def _year_rank(years: Column) -> np.ndarray:
    """Per document: its year as a number (0 for none or one that is not a number)."""
    year_of = np.array([int(v) if v.isdigit() else 0 for v in years.values] + [0], dtype=np.int64)
    return year_of[years.by_doc]


def _read_common(path: Path, live: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """The common direction of meaning written with the generation (:meth:`Postings.save_common_meaning`),
    or None when there is none or it is of other live paragraphs."""
    try:
        with np.load(path, allow_pickle=False) as z:
            if len(z["vu"]) != len(live) or not np.array_equal(z["live"], np.packbits(live)):
                return None
            return z["u"], z["vu"], z["left"]
    except (OSError, KeyError, ValueError):
        return None

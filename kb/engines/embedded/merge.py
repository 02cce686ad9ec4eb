"""Merge: the segments of a generation after a build, the last step of writing the postings
(:mod:`kb.engines.embedded.writer` writes them, :mod:`kb.build` asks which to drop and which to
merge). A build writes a segment per :data:`SEGMENT_DOCS` paragraphs; a segment whose
paragraphs are all dead is dropped, and one with many dead paragraphs, or many small ones,
are merged into one (:func:`merge_plan`), their live paragraphs written again without
reading any text (:func:`merge`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from kb.engines.embedded import packed, stored
from kb.engines.embedded.columns import Column
from kb.engines.embedded.reader import Postings
from kb.engines.embedded.segment import FACETS, FIELDS, MULTI, Segment
from kb.engines.embedded.writer import write_segment

SEGMENT_DOCS = 250_000  # paragraphs per segment at most: bounds a build's memory (~1.9 GB at 1x, docs/BENCHMARKS.md); a search pays per segment
MERGE_SEGMENTS = 8  # more small segments than this are merged into one
MERGE_DEAD = 0.25  # and so is a segment with this share of dead paragraphs


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
    merged = _Merged()
    for seg, base in zip(p.segments, p.base, strict=False):
        merged.add(seg, np.flatnonzero(p.live[base:base + seg.n]), checksums)
    merged.write(folder, name, phrases)


class _Merged:
    """The live paragraphs of segments, segment after segment, renumbered as one segment:
    documents and positions follow on, unit and word codes and reports are those of the
    vocabularies joined (in the order keys are first seen)."""

    def __init__(self):
        self.unit_keys: dict[str, int] = {}
        self.word_keys: dict[str, dict[str, int]] = {f: {} for f in FIELDS}
        self.unit_parts, self.starts, self.unit_lens = [], [np.zeros(1, np.int64)], []  # (positions, units)
        self.word_parts = {f: ([], [], [], []) for f in FIELDS}  # codes, docs, tfs, lengths
        self.reports, self.doc_report, self.ordinal, self.notes, self.vectors = {}, [], [], [], []
        self.columns = {f: [] for f in FACETS}
        self.stored = stored.Collector()
        self.next_pos, self.next_doc = 0, 0

    def add(self, seg: Segment, live: np.ndarray, checksums: dict[str, str]) -> None:
        """The paragraphs ``live`` (local numbers, ascending) of ``seg``."""
        new_doc = np.full(seg.n + 1, -1, dtype=np.int64)  # old local -> new (last: none)
        new_doc[live] = np.arange(len(live)) + self.next_doc
        self._add_units(seg, live, new_doc)
        for f in FIELDS:
            self._add_words(seg, f, live, new_doc)
        self._add_paragraphs(seg, live, checksums)
        self.next_doc += len(live)

    def _add_units(self, seg: Segment, live: np.ndarray, new_doc: np.ndarray) -> None:
        """Their units (codes renumbered, at their positions shifted to follow on) and lengths."""
        remap = np.array([self.unit_keys.setdefault(k, len(self.unit_keys)) for k in seg.unit_keys] + [-1],
                         dtype=np.int64)
        pos_start = np.asarray(seg.a["pos_start"])
        span = pos_start[live + 1] - pos_start[live]
        new_start = np.cumsum(np.r_[0, span]) + self.next_pos
        shift = np.zeros(seg.n, dtype=np.int64)
        shift[live] = new_start[:-1] - pos_start[live]
        codes = np.repeat(np.asarray(seg.a["gram_codes"]), np.diff(seg.a["gram_ptr"]))
        pos = seg.all_positions().astype(np.int64)
        docs = np.searchsorted(pos_start, pos, side="right") - 1
        keep = new_doc[docs] >= 0
        codes, pos, docs = codes[keep], pos[keep], docs[keep]
        self.unit_parts.append((pos + shift[docs], remap[codes // (seg.v + 1)]))
        self.starts.append(new_start[1:])
        self.unit_lens.append(np.asarray(seg.a["unit_len"])[live])
        self.next_pos = int(new_start[-1])

    def _add_words(self, seg: Segment, f: str, live: np.ndarray, new_doc: np.ndarray) -> None:
        """Their postings of the word field ``f`` (word codes renumbered)."""
        keys = self.word_keys[f]
        wremap = np.array([keys.setdefault(w, len(keys)) for w in seg.word_keys[f]], dtype=np.int32)
        wcodes = np.repeat(np.arange(len(seg.word_keys[f]), dtype=np.int64), np.diff(seg.a[f"{f}_ptr"]))
        pdocs, tfs = packed.unpack_pairs(seg.a[f"{f}_pairs_packed"], seg.a[f"{f}_pairs_bytes"], np.diff(seg.a[f"{f}_ptr"]))
        wdocs = new_doc[pdocs]
        ok = wdocs >= 0
        wc, wd, wt, wl = self.word_parts[f]
        wc.append(wremap[wcodes[ok]])
        wd.append(wdocs[ok])
        wt.append(tfs[ok])
        wl.append(np.asarray(seg.a[f"{f}_len"])[live])

    def _add_paragraphs(self, seg: Segment, live: np.ndarray, checksums: dict[str, str]) -> None:
        """Their reports (the live versions only), ordinals, notes, facet values and stored fields."""
        rep = np.array([self.reports.setdefault(rid, (len(self.reports), digest))[0]
                        if checksums.get(rid) == digest else -1
                        for rid, digest in seg.reports] + [-1], dtype=np.int32)  # dead versions: no live paragraph
        self.doc_report.append(rep[np.asarray(seg.a["doc_report"])[live]])
        self.ordinal.append(np.asarray(seg.a["ordinal"])[live])
        self.notes.append(seg.notes()[live])
        v = seg.vectors()
        self.vectors.append(np.asarray(v)[live] if v is not None else None)
        for f in FACETS:
            self.columns[f].append(seg.column(f).take(live))
        tables = [seg.stored(name) for name in stored.STORED]
        for local in live.tolist():
            self.stored.add([t.raw(local) for t in tables])

    def write(self, folder: Path, name: str, phrases: list[list[list[str]]]) -> None:
        """Write what was added as segment ``name``, with a phrase table of ``phrases``."""
        units = np.full(self.next_pos, -1, dtype=np.int32)  # the empty positions (after each run) stay -1
        for pos, codes in self.unit_parts:
            units[pos] = codes
        words = {f: (list(self.word_keys[f]), *(_joined(x, np.int32) for x in self.word_parts[f])) for f in FIELDS}
        write_segment(folder, name, unit_keys=list(self.unit_keys), units=units, pos_start=np.concatenate(self.starts),
                      unit_len=_joined(self.unit_lens, np.int32), words=words,
                      reports=[[rid, digest] for rid, (_, digest) in self.reports.items()],
                      doc_report=_joined(self.doc_report, np.int32), ordinal=_joined(self.ordinal, np.int32),
                      columns={f: _joined_column(f, cs) for f, cs in self.columns.items()},
                      notes=_joined(self.notes, np.uint8), phrases=phrases,
                      stored_fields=self.stored.arrays(self.next_doc),
                      vectors=np.concatenate(self.vectors) if self.vectors and all(
                          v is not None for v in self.vectors) else None)


def _joined(parts: list[np.ndarray], dtype) -> np.ndarray:
    """The arrays ``parts`` one after another (an empty array of ``dtype`` for none)."""
    return np.concatenate(parts) if parts else np.zeros(0, dtype)


def _joined_column(f: str, parts: list[Column]) -> Column:
    """The columns ``parts`` of facet ``f`` one after another (an empty one for none)."""
    return Column.concat(parts) if parts else Column.of_rows([], f in MULTI)

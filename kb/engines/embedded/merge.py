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

from kb.engines.embedded.columns import Column
from kb.engines.embedded.reader import Postings
from kb.engines.embedded.segment import FACETS, FIELDS, MULTI
from kb.engines.embedded.writer import write_segment

SEGMENT_DOCS = 250_000  # paragraphs per segment at most: bounds a build's memory (~4 GB); a search pays per segment
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
    write_segment(folder, name, unit_keys=list(unit_keys), codes=codes,
                  positions=np.concatenate(pos_parts) if pos_parts else np.zeros(0, np.int64),
                  pos_start=np.concatenate(starts), unit_len=unit_len, words=wparts,
                  reports=[[rid, digest] for rid, (_, digest) in reports.items()],
                  doc_report=np.concatenate(doc_report) if doc_report else np.zeros(0, np.int32),
                  ordinal=np.concatenate(ordinal) if ordinal else np.zeros(0, np.int32),
                  columns={f: Column.concat(cs) if cs else Column.of_rows([], f in MULTI) for f, cs in columns.items()},
                  notes=np.concatenate(notes) if notes else np.zeros(0, np.uint8), phrases=phrases)

"""Index: every paragraph of the corpus, built in generations, in two halves.

- :mod:`kb.engines.embedded.store` (Whoosh): one document per report, its id indexed and its
  paragraphs' ordinals stored (:mod:`kb.engines.fields`' keys): which paragraphs are there, a
  report's paragraphs deleted when it changes or goes.
- the postings (:mod:`kb.engines.embedded.writer`, :mod:`kb.engines.embedded.segment`): the units,
  grams and jieba words of every paragraph and its facet columns as numpy arrays (what every
  search matches, scores and counts), and its stored fields (:mod:`kb.engines.embedded.stored`:
  what a hit, a report or a listing shows).

The layout of ``index/`` and the reading of a generation (which is served, whether it
is current and whole) are :mod:`kb.engines.embedded.generations`'; this module writes them.

A build writes a new generation beside the served one, syncs it to disk, records its
files, their sizes and checksums in ``kb-index.json`` and then replaces ``CURRENT`` atomically
(write, fsync, rename), so a search sees the old index or the new one, never a partial
one, and a build killed at any moment -- SIGKILL included -- leaves the previous
generation serving; the next build removes what the killed one left. Old generations
are removed by later builds (the previous one is kept for searches still reading it).
Opening a generation checks that its files are all there as recorded (sizes and
sha256), so a damaged index is named as such before Whoosh reads it.

Builds are incremental (copy-on-write): the new generation starts as a hard-link copy
of the served one, the documents of reports changed or removed since are deleted, those
of reports added or changed are indexed (in the store, and as new postings segments),
and ``kb-index.json`` records each report file's checksum for the next build to compare
(a postings paragraph is live while its report's checksum is the recorded one).
"""

from __future__ import annotations

import ctypes
import json
import multiprocessing
import os
import pickle
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from kb.core import corpus, files, locks
from kb.core.errors import REBUILD, KbError
from kb.engines import fields
from kb.engines.embedded import merge, store, writer
from kb.engines.embedded.generations import CURRENT, META, served
from kb.engines.embedded.reader import Postings
from kb.engines.fingerprint import ANALYSIS, fingerprint_of, report_digests
from kb.enrich import concepts
from kb.enrich.paragraphs import paragraphs_of
from kb.figures import table as figure_table
from kb.text import growth, meaning, nearlists, textnorm

Progress = Callable[[int, int], None]  # (done, total)


@contextmanager
def build_lock(index_dir: Path) -> Iterator[None]:
    """One build or import at a time; a second one is told so and stops (see kb.core.locks)."""
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    with locks.exclusive(index_dir / ".lock"):
        yield


#: Reports below which one writer process is faster than several.
PARALLEL_FROM = 50


def writer_procs(n_reports: int, procs: int | None = None) -> int:
    """How many processes read and analyse ``n_reports`` (the segments and Whoosh's keys are
    written by the main process): ``procs`` if given (the settings' ``build_procs``), else at
    most 2 (the machine this is sized for has 2 cores)."""
    if procs:
        return max(1, procs)
    return 1 if n_reports < PARALLEL_FROM else max(1, min(2, os.cpu_count() or 1))


@dataclass
class _Plan:
    """What a build does: the reports to delete and to index, and from what it starts."""

    paths: dict[str, Path]  # report id -> its file
    digests: dict[str, str]  # report id -> its file's checksum
    previous: str  # the served generation ('' if none)
    prev_meta: dict
    incremental: bool  # starting from a copy of the served generation
    added: list[str]
    changed: list[str]
    removed: list[str]
    stats: dict[str, list[int]] = field(default_factory=dict)  # report id -> [size, mtime_ns] before reading
    taken: int = 0  # when (ns) the stats were taken

    @property
    def todo(self) -> list[str]:
        return self.added + self.changed

    def did(self) -> dict:
        return {"added": len(self.added), "changed": len(self.changed), "removed": len(self.removed),
                "reindexed": len(self.todo), "incremental": self.incremental}

    def start_over(self) -> None:
        self.incremental, self.added, self.changed, self.removed = False, sorted(self.digests), [], []


def _plan(corpus_dir: Path, index_dir: Path, full: bool) -> _Plan | None:
    """What to do, or None when nothing changed since the served generation."""
    paths = {p.stem: p for p in corpus.paths(corpus_dir)}
    previous, prev_meta = served(index_dir)
    taken = time.time_ns()
    digests, stats = report_digests(paths, {} if full else prev_meta)
    meta = fingerprint_of(digests)
    old = None if full else _copyable(index_dir, previous, prev_meta, meta)
    plan = _Plan(paths, digests, previous, prev_meta, old is not None, sorted(digests), [], [], stats, taken)
    if old is None:
        return plan
    plan.added = sorted(digests.keys() - old.keys())
    plan.removed = sorted(old.keys() - digests.keys())
    plan.changed = sorted(rid for rid in digests.keys() & old.keys() if digests[rid] != old[rid])
    unchanged = not (plan.added or plan.removed or plan.changed) and prev_meta.get("corpus") == meta["corpus"]
    return None if unchanged else plan


def _copyable(index_dir: Path, previous: str, prev_meta: dict, meta: dict) -> dict | None:
    """The report checksums of the served generation when a build may start from a copy
    of it (built with the same analysis as ``meta``, and undamaged), else None."""
    if not prev_meta or any(prev_meta.get(k) != meta[k] for k in ANALYSIS):
        return None
    old = prev_meta.get("checksums")
    if old is not None and files.first_damaged(index_dir / previous, prev_meta.get("files") or {}):
        return None  # never copy a damaged generation: index everything again
    return old


def build(corpus_dir: Path, index_dir: Path, progress: Progress | None = None, full: bool = False,
          procs: int | None = None) -> dict:
    """Bring the index up to date with ``corpus_dir`` in a new generation and serve it.

    Incremental: the new generation starts as a copy of the served one (hard links: its
    segment files are never changed in place) in which only the reports added, changed or
    removed since are deleted and indexed again, as each report's file checksum in
    ``kb-index.json`` says. A full build (``full=True``, or when the served generation was
    built by another schema, dictionary or taxonomy) indexes every report. When nothing
    changed, no generation is made and the served one's metadata is returned.

    ``progress(done, total)`` is called after each report indexed; ``procs``: reading
    processes (the settings' ``build_procs``; None: by the number of reports). Returns
    the served generation's metadata (counts, checksums) and what this build did
    (``added``, ``changed``, ``removed``, ``reindexed``, ``incremental``, ``unchanged``).
    """
    corpus_dir, index_dir = Path(corpus_dir), Path(index_dir)
    if not corpus_dir.is_dir():
        raise KbError(f"语料目录不存在 (no corpus folder {corpus_dir}); give --corpus")
    with locks.exclusive(corpus_dir), build_lock(index_dir):
        plan = _plan(corpus_dir, index_dir, full)
        if plan is None:
            return served(index_dir)[1] | {"added": 0, "changed": 0, "removed": 0, "reindexed": 0,
                                            "incremental": True, "unchanged": True}
        gen = f"gen-{time.time_ns()}"
        gen_dir = index_dir / gen
        st = _start(plan, index_dir / plan.previous, gen_dir)
        with _Learned(gen_dir / ".learned.tmp") as learned:  # closed and removed whatever happens
            indexed, fresh, segments, n_paragraphs = _index_reports(plan, st, gen, gen_dir, progress, procs, learned)
            grown = _grow_meaning(plan, index_dir / plan.previous, gen_dir, learned)
        checksums = plan.digests | indexed
        figure_table.write(gen_dir, index_dir / plan.previous if plan.incremental else None,
                          set(checksums) - set(fresh), fresh)
        segments = _final_segments(gen_dir, segments, checksums, gen, n_paragraphs)
        meta = fingerprint_of(checksums) | {
            "generation": gen, "reports": len(checksums), "paragraphs": n_paragraphs,
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "checksums": checksums, "postings": segments,
            "stats": plan.stats, "stats_taken_ns": plan.taken, "meaning_grown": grown,
            "files": files.sync_and_list(gen_dir, skip=("WRITELOCK",),
                                         known=_linked_files(index_dir / plan.previous, gen_dir, plan.prev_meta)
                                         if plan.incremental else None)}
        files.write_atomic(gen_dir / META, json.dumps(meta, ensure_ascii=False, indent=1))
        _replace_current(index_dir, gen)
        _remove_old_generations(index_dir, keep={gen, plan.previous})
        return meta | plan.did() | {"unchanged": False}


def _start(plan: _Plan, previous: Path, gen_dir: Path) -> store.Writable:
    """The new generation's store: a copy of the served one (incremental), or empty."""
    if plan.incremental:
        _copy_generation(previous, gen_dir)
        st = store.Writable.open(gen_dir)
        if st is not None:
            return st
        shutil.rmtree(gen_dir)  # Whoosh cannot open the copy: index everything again
        plan.start_over()
    return store.Writable.create(gen_dir)


def _grow_meaning(plan: _Plan, previous: Path, gen_dir: Path, learned: _Learned) -> int:
    """The model of meaning grown with the words of the corpus it lacks (:mod:`kb.text.growth`),
    written into the new generation beside what it was learned from; incremental: the
    reports' parts are those of the served generation, without the reports removed or
    changed, with those indexed now; beside it, each shipped word's nearest words
    (:mod:`kb.text.nearlists`: the previous generation's when its shipped vectors are the
    same). Returns how many words were grown."""
    model = meaning.load()
    if model is None:
        return 0
    state = growth.Growth.read(previous / growth.STATE_FILE) if plan.incremental else None
    if state is None or state.model_checksum != meaning.shipped_checksum():
        state = growth.Growth(model_checksum=meaning.shipped_checksum())
    state.update(plan.removed + plan.changed, learned)
    state.save(gen_dir / growth.STATE_FILE)
    grown = state.grown(model)
    grown.save(gen_dir / meaning.MODEL_FILE, compressed=False)
    back = meaning.read(gen_dir / meaning.MODEL_FILE)  # the vectors as a search reads them back
    nearlists.write(gen_dir, back.vectors[:back.n_shipped], previous)
    return len(grown.grown_words())


class _Learned:
    """What each report indexed teaches the model of meaning (:class:`kb.text.growth.Contexts`),
    kept in a file of the new generation until the model grows, not in memory while the
    segments are written (some 0.1 GB at 240,000 paragraphs); read back in the order the
    reports were indexed. A mapping for :meth:`kb.text.growth.Growth.update`; removed when
    closed (a killed build's is removed with its generation)."""

    def __init__(self, path: Path):
        self.path, self.at = path, {}
        self.file = open(path, "w+b")  # noqa: SIM115 (closed by close())

    def __setitem__(self, rid: str, contexts: growth.Contexts) -> None:
        self.file.seek(0, os.SEEK_END)
        self.at[rid] = self.file.tell()
        pickle.dump(contexts, self.file, protocol=pickle.HIGHEST_PROTOCOL)

    def __getitem__(self, rid: str) -> growth.Contexts:
        self.file.seek(self.at[rid])
        return pickle.load(self.file)  # noqa: S301 (this build's own file)

    def keys(self):
        return self.at.keys()

    def __enter__(self) -> _Learned:
        return self

    def __exit__(self, *exc) -> None:
        self.file.close()
        self.path.unlink(missing_ok=True)


def _index_reports(plan: _Plan, st: store.Writable, gen: str, gen_dir: Path, progress: Progress | None,
                   procs: int | None, learned: _Learned) -> tuple[dict[str, str], dict[str, dict], list[str], int]:
    """Delete and index the reports of the plan, in the store and as postings segments:
    (checksums of what was indexed, their figure table entries, the postings segments,
    the paragraphs now stored); what each report indexed teaches the model of meaning goes to ``learned``."""
    indexed: dict[str, str] = {}
    fresh: dict[str, dict] = {}  # figure table entries of the reports indexed now
    expected = st.doc_counts()[0]
    segments = list(plan.prev_meta.get("postings", [])) if plan.incremental else []
    seg = writer.SegmentWriter()

    def flush() -> None:  # a segment per SEGMENT_DOCS paragraphs: a build's memory stays bounded
        nonlocal seg
        if len(seg):
            segments.append(f"{_segment_name(gen)}-{len(segments)}")
            seg.finish(gen_dir, segments[-1], phrases())
            seg = writer.SegmentWriter()
            _give_back_memory()

    with st.writer() as w:
        for rid in plan.removed + plan.changed:
            expected -= w.delete_report(rid)
        with _reading([plan.paths[rid] for rid in plan.todo], writer_procs(len(plan.todo), procs)) as read:
            for done, (rid, (digest, entry, docs, contexts)) in enumerate(zip(plan.todo, read, strict=True), 1):
                indexed[rid] = digest  # what was indexed, should the file change meanwhile
                fresh[rid], learned[rid] = entry, contexts
                for doc, analysis in docs:
                    seg.add(doc, digest, analysis)
                w.add_report(rid, _ordinals(docs))
                expected += len(docs)
                if len(seg) >= merge.SEGMENT_DOCS:
                    flush()
                if progress:
                    progress(done, len(plan.todo))
        flush()
    n_paragraphs, n_all = st.doc_counts()
    if n_paragraphs != expected:  # a writer process that died loses its segment
        raise KbError(f"索引不完整 (expected {expected} paragraphs, the index has {n_paragraphs}); {REBUILD}")
    if n_all > 1.25 * n_paragraphs:
        st.optimize()  # a quarter of the documents are deleted ones: rewrite the segments without them
    st.close()
    return indexed, fresh, segments, n_paragraphs


def _ordinals(docs: list[tuple[dict, writer.Analysis]]) -> list[int]:
    """The ordinals of a report's paragraphs (its documents with their analyses), ascending."""
    return sorted(doc["ordinal"] for doc, _ in docs)


def _give_back_memory() -> None:
    """Return the memory freed by a segment's writing to the system (glibc's ``malloc_trim``;
    nothing where there is none). The sort's temporaries of up to 32 MB each come from the
    heap, and the C library keeps what they leave free: a writer of 240,000 paragraphs, once
    its segment is written and it is gone, left 215 MB resident, 97 MB once given back
    (docs/BENCHMARKS.md, "Issue 30, the build at 4x")."""
    trim = getattr(_libc(), "malloc_trim", None)
    if trim is not None:
        trim(0)


@lru_cache(maxsize=1)
def _libc() -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL(None)  # this process's own symbols: the C library's among them
    except (OSError, TypeError):  # TypeError: Windows
        return None


def _read_report(path: Path) -> tuple[str, dict, list[tuple[dict, writer.Analysis]], growth.Contexts]:
    """One report file read, segmented, enriched and analysed: (its checksum, its entry
    in the figure table, each paragraph's document with :func:`kb.engines.embedded.writer.analyze` of
    it, what it teaches the model of meaning: :func:`kb.text.growth.contexts`). The work of a
    build that needs nothing shared: done in worker processes."""
    data = path.read_bytes()
    report = corpus.read(path, data)
    paragraphs = paragraphs_of(report)
    docs = [fields.document(report, p) for p in paragraphs]
    analysed, contexts = writer.analyze_all(docs)
    return (corpus.file_digest(data), figure_table.entry(report, paragraphs),
            list(zip(docs, analysed, strict=True)), contexts or growth.Contexts.empty(0))


@contextmanager
def _reading(paths: list[Path], procs: int) -> Iterator[Iterator]:
    """:func:`_read_report` of each path, in order: in ``procs`` forked worker processes
    when more than one (they die with the build: see kb.core.locks), while this process
    writes what they give."""
    if procs <= 1:
        yield map(_read_report, paths)
        return
    with multiprocessing.get_context("fork").Pool(procs) as pool:
        yield pool.imap(_read_report, paths, chunksize=4)


def phrases() -> list[list[list[str]]]:
    """The phrases whose paragraphs each segment lists when it is written: the concepts'
    and regulations' names and parts (:func:`kb.enrich.concepts.phrases`), as unit keys."""
    return [textnorm.unit_keys(t) for t in concepts.phrases()]


def _segment_name(gen: str) -> str:
    return "pst-" + gen.removeprefix("gen-")


def _final_segments(gen_dir: Path, segments: list[str], checksums: dict[str, str], gen: str,
                    n_paragraphs: int) -> list[str]:
    """The postings segments of the new generation, as :func:`kb.engines.embedded.merge.merge_plan`
    says: without those that have no live paragraph left, and with some merged into one.
    Files are removed from this generation only (the previous one has its own links).
    The live paragraphs must be as many as Whoosh's."""
    p = Postings(gen_dir, segments, checksums)
    dead, merged = merge.merge_plan(p)
    if dead or merged:
        name = f"{_segment_name(gen)}-m{len(segments)}"
        if merged:  # its paragraphs were all live: it goes last, as the newest segment
            merge.merge(gen_dir, merged, checksums, name, phrases())
        for old in dead + merged:  # segments of removed or since changed reports only, or merged
            for f in merge.segment_files(gen_dir, old):
                f.unlink()
        segments = [s for s in segments if s not in dead + merged] + ([name] if merged else [])
        p = Postings(gen_dir, segments, checksums)
    if len(p) != n_paragraphs:
        raise KbError(f"索引不完整 (the postings have {len(p)} paragraphs, Whoosh {n_paragraphs}); {REBUILD}")
    p.save_common_meaning()  # the whole query's common direction, once per generation (kb.engines.embedded.whole)
    return segments


def _linked_files(previous: Path, gen_dir: Path, prev_meta: dict) -> dict:
    """The size and checksum of each file of ``gen_dir`` that is a hard link of the same
    file of the previous generation (recorded there): not read again."""
    known = {}
    for name, entry in (prev_meta.get("files") or {}).items():
        try:
            if os.path.samefile(previous / name, gen_dir / name):
                known[name] = entry
        except OSError:
            continue
    return known


def _copy_generation(src: Path, dest: Path) -> None:
    """Copy a generation's files: hard links for the segment files (never written again
    once written), real copies of the store's table of contents; no locks."""
    tmp = dest.with_name(f".{dest.name}.copying")
    tmp.mkdir(parents=True)
    for f in src.iterdir():
        if not f.is_file() or f.name == META or f.name.endswith(("LOCK", ".lock")) or f.name.startswith("."):
            continue
        if store.rewritten_by_commit(f.name):
            shutil.copy2(f, tmp / f.name)
            continue
        try:
            os.link(f, tmp / f.name)
        except OSError:
            shutil.copy2(f, tmp / f.name)  # a file system without hard links
    os.replace(tmp, dest)


def _replace_current(index_dir: Path, gen: str) -> None:
    """The switch: from here on, searches open ``gen``."""
    files.write_atomic(index_dir / CURRENT, gen + "\n")


def _remove_old_generations(index_dir: Path, keep: set[str]) -> None:
    """Remove every generation but ``keep`` (the new one, and the previous one that
    searches may still be reading); also what killed builds left. Runs under the lock."""
    for p in [*index_dir.glob("gen-*"), *index_dir.glob(".gen-*.copying")]:
        if p.is_dir() and p.name not in keep:
            shutil.rmtree(p, ignore_errors=True)

"""Index: every paragraph of the corpus, built in generations, in two halves.

- Whoosh: one document per paragraph, its stored fields (text, section path, metadata)
  and the fields to find it by (id, report, facets): what a hit, a report or a listing
  shows. This module and :mod:`kb.search` are the only ones that touch Whoosh.
- :mod:`kb.postings`: the units, grams and jieba words of every paragraph and its facet
  columns as numpy arrays: what every search matches, scores and counts.

Layout of ``index/`` (derived data: deleting it loses nothing, ``kb build`` makes it
again)::

    index/CURRENT          name of the generation being served
    index/gen-<n>/         one complete index (Whoosh's files and the postings
                           segments ``pst-*``), never changed once served
    index/gen-<n>/figures.json    the figures and report cards of every report (kb.figurestore)
    index/gen-<n>/kb-index.json   schema version, corpus and dictionary checksums,
                           the postings segments, every file's size and sha256

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
of reports added or changed are indexed (in Whoosh, and as one new postings segment),
and ``kb-index.json`` records each report file's checksum for the next build to compare
(a postings paragraph is live while its report's checksum is the recorded one).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, Schema

from kb import corpus, figures, figurestore, files, locks, postings, regulations, segment, topics, words
from kb.errors import IndexMissing, KbError
from kb.metadata import province_of
from kb.model import Paragraph, Report

#: Bump when the schema or the analysis changes: older indexes then ask for a rebuild.
SCHEMA_VERSION = 7  # 2: canonical regulation names; 3: simplified text, sortable report_id; 5: kb.postings; 6: Vocab; 7: figures.json
META = "kb-index.json"
CURRENT = "CURRENT"
REBUILD = "run: kb build"

#: Facet fields: single- or multi-valued, all stored and filterable.
FACET_FIELDS = ("agency", "year", "topic", "section_kind", "region", "level", "regulation")

Progress = Callable[[int, int], None]  # (done, total)


def schema() -> Schema:
    """The schema, declared once: one document per paragraph."""
    return Schema(
        id=ID(stored=True, unique=True),
        report_id=ID(stored=True, sortable=True),
        ordinal=NUMERIC(stored=True, sortable=True),
        title=STORED(),
        agency=ID(stored=True, sortable=True),
        region=ID(stored=True),
        level=ID(stored=True),
        year=ID(stored=True, sortable=True),
        topic=KEYWORD(stored=True, commas=True, scorable=False),
        regulation=KEYWORD(stored=True, commas=True, scorable=False),
        section_kind=ID(stored=True),
        section=STORED(),
        text=STORED(),
    )


#: What the analysis of every document depends on: when one changes, all is re-indexed.
ANALYSIS = ("schema_version", "dictionary", "taxonomy", "regulations", "indicators")


def fingerprint(corpus_dir: Path) -> dict:
    """What an index must have been built from to be current."""
    return fingerprint_of({p.stem: corpus.file_digest(p.read_bytes()) for p in corpus.paths(corpus_dir)})


def report_counts(searcher) -> dict[str, int]:
    """Paragraphs per report id, deleted documents not counted (an incremental build
    deletes the documents of a changed report; Whoosh's term statistics still count them
    until their segment is merged)."""
    reader = searcher.reader()
    return {t.decode(): n for t in reader.lexicon("report_id")
            if (n := sum(1 for _ in reader.postings("report_id", t).all_ids()))}


def paragraphs_of(report: Report) -> list[Paragraph]:
    """segment -> enrich: the indexed paragraphs of one report."""
    return topics.enrich(segment.segment(report))


def document(report: Report, p: Paragraph) -> dict:
    """The Whoosh document of one paragraph."""
    return {
        "id": p.id,
        "report_id": report.id,
        "ordinal": p.ordinal,
        "title": report.title,
        "agency": report.agency,
        "region": province_of(report.region),
        "level": report.level,
        "year": str(report.year),
        "topic": ",".join(p.topics),
        "regulation": ",".join(regulations.names_in(p.text)),
        "section_kind": p.section_kind,
        "section": json.dumps(p.section, ensure_ascii=False),
        "text": p.text,
    }




@contextmanager
def build_lock(index_dir: Path) -> Iterator[None]:
    """One build or import at a time; a second one is told so and stops (see kb.locks)."""
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    with locks.exclusive(index_dir / ".lock"):
        yield


#: Options of every writer. Segments are not assembled into one compound file: Whoosh
#: opens a compound segment by copying each of its files (the postings too) into memory,
#: for every searcher (1.9 GB per searcher at 240,000 paragraphs); separate files are
#: read from the file system as needed.
WRITER_OPTIONS = {"limitmb": 256, "compound": False}

#: Reports below which one writer process is faster than several.
PARALLEL_FROM = 50


def writer_procs(n_reports: int) -> int:
    """How many writer processes to index ``n_reports`` with (at most 2: the machine
    this is sized for has 2 cores; ``KB_BUILD_PROCS`` overrides)."""
    if os.environ.get("KB_BUILD_PROCS"):
        return max(1, int(os.environ["KB_BUILD_PROCS"]))
    return 1 if n_reports < PARALLEL_FROM else max(1, min(2, os.cpu_count() or 1))


@contextmanager
def _writer(ix, procs: int = 1) -> Iterator:
    """A writer that commits on success and cancels on error (and lets it through).

    With ``procs`` > 1, Whoosh's multiprocess writer with ``multisegment=True``: each
    process writes its own segment (with ``multisegment=False`` it silently drops the
    documents of a worker whose batch yields no terms, DESIGN.md)."""
    if procs > 1:
        w = ix.writer(procs=procs, multisegment=True, **WRITER_OPTIONS)
    else:
        w = ix.writer(**WRITER_OPTIONS)
    try:
        yield w
    except BaseException:
        w.cancel()
        raise
    w.commit()


def build(corpus_dir: Path, index_dir: Path, progress: Progress | None = None, full: bool = False) -> dict:
    """Bring the index up to date with ``corpus_dir`` in a new generation and serve it.

    Incremental: the new generation starts as a copy of the served one (hard links: its
    segment files are never changed in place) in which only the reports added, changed or
    removed since are deleted and indexed again, as each report's file checksum in
    ``kb-index.json`` says. A full build (``full=True``, or when the served generation was
    built by another schema, dictionary or taxonomy) indexes every report. When nothing
    changed, no generation is made and the served one's metadata is returned.

    ``progress(done, total)`` is called after each report indexed. Returns the served
    generation's metadata (counts, checksums) and what this build did (``added``,
    ``changed``, ``removed``, ``reindexed``, ``incremental``, ``unchanged``).
    """
    corpus_dir, index_dir = Path(corpus_dir), Path(index_dir)
    if not corpus_dir.is_dir():
        raise KbError(f"语料目录不存在 (no corpus folder {corpus_dir}); give --corpus")
    with locks.exclusive(corpus_dir), build_lock(index_dir):
        paths = {p.stem: p for p in corpus.paths(corpus_dir)}
        digests = {rid: corpus.file_digest(p.read_bytes()) for rid, p in paths.items()}
        meta = fingerprint_of(digests)
        previous, prev_meta = _served(index_dir)
        same_analysis = prev_meta and all(prev_meta.get(k) == meta[k] for k in ANALYSIS)
        old = prev_meta.get("checksums") if same_analysis and not full else None
        if old is not None and files.first_damaged(index_dir / previous, prev_meta.get("files") or {}):
            old = None  # never copy a damaged generation: index everything again
        if old is not None:
            added = sorted(digests.keys() - old.keys())
            removed = sorted(old.keys() - digests.keys())
            changed = sorted(rid for rid in digests.keys() & old.keys() if digests[rid] != old[rid])
            if not (added or removed or changed) and prev_meta.get("corpus") == meta["corpus"]:
                return prev_meta | {"added": 0, "changed": 0, "removed": 0, "reindexed": 0,
                                    "incremental": True, "unchanged": True}
        else:
            added, removed, changed = sorted(digests), [], []
        gen = f"gen-{time.time_ns()}"
        gen_dir = index_dir / gen
        ix = None
        if old is not None:
            _copy_generation(index_dir / previous, gen_dir)
            try:
                ix = whoosh_index.open_dir(str(gen_dir))
            except Exception:  # noqa: BLE001 (whoosh raises many kinds): index everything again
                shutil.rmtree(gen_dir)
                old, added, removed, changed = None, sorted(digests), [], []
        if ix is None:
            gen_dir.mkdir(parents=True)
            ix = whoosh_index.create_in(str(gen_dir), schema())
        todo = added + changed
        indexed: dict[str, str] = {}
        fresh: dict[str, dict] = {}  # figure table entries of the reports indexed now
        expected = ix.doc_count()
        segments = list(prev_meta.get("postings", [])) if old is not None else []
        seg = postings.SegmentWriter()

        def flush() -> None:  # a segment per SEGMENT_DOCS paragraphs: a build's memory stays bounded
            nonlocal seg
            if len(seg):
                segments.append(f"{_segment_name(gen)}-{len(segments)}")
                seg.finish(gen_dir, segments[-1])
                seg = postings.SegmentWriter()

        with _writer(ix, writer_procs(len(todo))) as w:
            for rid in removed + changed:
                expected -= w.delete_by_term("report_id", rid) or 0
            for done, rid in enumerate(todo, 1):
                data = paths[rid].read_bytes()
                report = corpus.read(paths[rid], data)
                indexed[rid] = corpus.file_digest(data)  # what was indexed, should the file change meanwhile
                paragraphs = paragraphs_of(report)
                fresh[rid] = figurestore.entry(report, paragraphs)
                for p in paragraphs:
                    doc = document(report, p)
                    w.add_document(**doc)
                    seg.add(doc, indexed[rid])
                    expected += 1
                if len(seg) >= postings.SEGMENT_DOCS:
                    flush()
                if progress:
                    progress(done, len(todo))
            flush()
        n_paragraphs = ix.doc_count()
        if n_paragraphs != expected:  # a writer process that died loses its segment
            raise KbError(f"索引不完整 (expected {expected} paragraphs, the index has {n_paragraphs}); {REBUILD}")
        if ix.doc_count_all() > 1.25 * n_paragraphs:
            # a quarter of the documents are deleted ones: rewrite the segments without them
            ix.writer(**WRITER_OPTIONS).commit(optimize=True)
        ix.close()
        checksums = digests | indexed
        figurestore.write(gen_dir, index_dir / previous if old is not None else None,
                          set(checksums) - set(fresh), fresh)
        segments = _final_segments(gen_dir, segments, checksums, gen, n_paragraphs)
        meta = fingerprint_of(checksums) | {
            "generation": gen, "reports": len(checksums), "paragraphs": n_paragraphs,
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "checksums": checksums, "postings": segments,
            "files": files.sync_and_list(gen_dir, skip=("WRITELOCK",),
                                         known=_linked_files(index_dir / previous, gen_dir, prev_meta)
                                         if old is not None else None)}
        files.write_atomic(gen_dir / META, json.dumps(meta, ensure_ascii=False, indent=1))
        _replace_current(index_dir, gen)
        _remove_old_generations(index_dir, keep={gen, previous})
        return meta | {"added": len(added), "changed": len(changed), "removed": len(removed),
                       "reindexed": len(todo), "incremental": old is not None, "unchanged": False}


def _segment_name(gen: str) -> str:
    return "pst-" + gen.removeprefix("gen-")


def _final_segments(gen_dir: Path, segments: list[str], checksums: dict[str, str], gen: str,
                    n_paragraphs: int) -> list[str]:
    """The postings segments of the new generation, as :func:`kb.postings.merge_plan`
    says: without those that have no live paragraph left, and with some merged into one.
    Files are removed from this generation only (the previous one has its own links).
    The live paragraphs must be as many as Whoosh's."""
    p = postings.Postings(gen_dir, segments, checksums)
    dead, merge = postings.merge_plan(p)
    if dead or merge:
        name = f"{_segment_name(gen)}-m{len(segments)}"
        if merge:  # its paragraphs were all live: it goes last, as the newest segment
            postings.merge(gen_dir, merge, checksums, name)
        for old in dead + merge:  # segments of removed or since changed reports only, or merged
            for f in postings.segment_files(gen_dir, old):
                f.unlink()
        segments = [s for s in segments if s not in dead + merge] + ([name] if merge else [])
        p = postings.Postings(gen_dir, segments, checksums)
    if len(p) != n_paragraphs:
        raise KbError(f"索引不完整 (the postings have {len(p)} paragraphs, Whoosh {n_paragraphs}); {REBUILD}")
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


def fingerprint_of(digests: dict[str, str]) -> dict:
    """:func:`fingerprint` from the checksums of the report files (by id)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "corpus": corpus.combine(digests),
        "dictionary": words.dictionary_checksum(),
        "taxonomy": topics.checksum(),
        "regulations": regulations.checksum(),
        "indicators": figures.checksum(),
    }


def _served(index_dir: Path) -> tuple[str, dict]:
    """(name, metadata) of the served generation, or ('', {}) if there is none usable."""
    try:
        gen = current_generation(index_dir)
        return gen, json.loads((index_dir / gen / META).read_text(encoding="utf-8"))
    except (IndexMissing, OSError, ValueError):
        return "", {}


def _copy_generation(src: Path, dest: Path) -> None:
    """Copy a generation's Whoosh files: hard links for the segment files (Whoosh never
    writes a file it has written once), real copies of the table of contents; no locks."""
    tmp = dest.with_name(f".{dest.name}.copying")
    tmp.mkdir(parents=True)
    for f in src.iterdir():
        if not f.is_file() or f.name == META or f.name.endswith(("LOCK", ".lock")) or f.name.startswith("."):
            continue
        if f.suffix == ".toc":
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


def current_generation(index_dir: Path) -> str:
    """The name of the generation being served, or raise :class:`IndexMissing`."""
    try:
        gen = (Path(index_dir) / CURRENT).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise IndexMissing(f"索引不存在 (no index in {index_dir}); {REBUILD}") from None
    except (OSError, ValueError):  # a folder, garbage, unreadable
        raise IndexMissing(f"索引已损坏 (cannot read {Path(index_dir) / CURRENT}); {REBUILD}") from None
    if not re.fullmatch(r"gen-[\w.-]+", gen) or ".." in gen or not (Path(index_dir) / gen / META).is_file():
        raise IndexMissing(f"索引已损坏 (index {index_dir} is incomplete); {REBUILD}")
    return gen


@dataclass
class Index:
    """One opened generation of the index, with its column cache for facets."""

    index_dir: Path
    generation: str
    meta: dict
    ix: object
    cache: dict = field(default_factory=dict)  # derived data of this generation
    _local: threading.local = field(default_factory=threading.local)  # a searcher per thread
    _searchers: list = field(default_factory=list)  # every searcher opened, to close them
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def open(cls, index_dir: Path, corpus_dir: Path | None = None) -> Index:
        """Open the served generation; check it was built by this version (and for
        ``corpus_dir``, if given); else raise :class:`IndexMissing` saying what to run."""
        index_dir = Path(index_dir)
        gen = current_generation(index_dir)
        gen_dir = index_dir / gen
        try:
            meta = json.loads((gen_dir / META).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise IndexMissing(f"索引已损坏 (cannot read {gen_dir / META}); {REBUILD}") from None
        want = fingerprint(corpus_dir) if corpus_dir is not None else {"schema_version": SCHEMA_VERSION}
        for key, value in want.items():
            if meta.get(key) != value:
                what = {"schema_version": "索引格式已更新 (schema version changed)",
                        "corpus": "语料已更改 (the corpus changed since the index was built)",
                        "dictionary": "用户词典已更改 (the user dictionary changed)",
                        "taxonomy": "主题分类已更改 (the topic taxonomy changed)",
                        "regulations": "法规别名已更改 (the regulation names changed)",
                        "indicators": "指标表已更改 (the indicator list changed)"}[key]
                raise IndexMissing(f"索引已过期：{what}; {REBUILD}")
        try:
            damaged = files.first_damaged(gen_dir, meta.get("files", {}))
        except (AttributeError, TypeError, ValueError):  # a kb-index.json edited by hand
            damaged = gen_dir / META
        if damaged:  # checked before Whoosh reads it: Whoosh fails on bad bytes in any way
            raise IndexMissing(f"索引已损坏 (index file {damaged} is missing or damaged); {REBUILD}")
        try:
            ix = whoosh_index.open_dir(str(gen_dir))
        except Exception as e:  # whoosh raises many kinds on a damaged index
            raise IndexMissing(f"索引无法打开 (cannot open {gen_dir}: {e}); {REBUILD}") from None
        return cls(index_dir, gen, meta, ix)

    def postings(self) -> postings.Postings:
        """The postings of this generation (opened on first use, then kept)."""
        p = self.cache.get("postings")
        if p is None:
            with self._lock:
                p = self.cache.get("postings")
                if p is None:
                    p = self.cache["postings"] = postings.Postings(
                        self.index_dir / self.generation, self.meta.get("postings", []), self.meta.get("checksums", {}))
        return p

    def is_current(self) -> bool:
        """True while no newer generation has replaced this one."""
        try:
            return current_generation(self.index_dir) == self.generation
        except IndexMissing:
            return False

    @contextmanager
    def searcher(self) -> Iterator:
        """A searcher of this generation, kept for the thread's next search (opening one
        reads every segment's tables; a generation never changes, so it stays valid)."""
        s = getattr(self._local, "searcher", None)
        if s is None:
            s = self._local.searcher = self.ix.searcher()
            with self._lock:
                self._searchers.append(s)
        yield s

    def close(self) -> None:
        """Close the searchers of every thread (their files stay open until then)."""
        with self._lock:
            searchers, self._searchers = self._searchers, []
        for s in searchers:
            try:
                s.close()
            except Exception:  # noqa: BLE001 (a searcher half closed already)
                pass

    def __del__(self):
        # when the last search of a replaced generation is done with it
        self.close()

    def stored(self, searcher, doc: int) -> dict:
        """The stored fields of a document of the postings (found in Whoosh by its
        paragraph id)."""
        pid = self.postings().paragraph_id(doc)
        docnum = searcher.document_number(id=pid)
        if docnum is None:  # the two halves of a generation disagree: it is damaged
            raise IndexMissing(f"索引已损坏 (paragraph {pid} is not in the index); {REBUILD}")
        return searcher.stored_fields(docnum)


def reports_in_index(idx: Index) -> Iterable[str]:
    with idx.searcher() as s:
        return sorted(report_counts(s))

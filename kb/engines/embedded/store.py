"""Store: the paragraphs' keys of a generation, indexed by Whoosh (the only module that
imports Whoosh).

One Whoosh document per report: its id indexed (the field of kind ``key`` of
:mod:`kb.engines.fields`: a report's paragraphs, deleted when it is imported again or removed)
and the ordinals of its paragraphs stored as runs (``1-152``): a paragraph's id (kind ``id``) is
its report's id and its ordinal (``<report id>.p<ordinal>``), so the ids a generation holds
(:meth:`Store.known`) are read there. A document per paragraph, its id a term, cost 145 bytes
a paragraph (12 MB of 189 at 82,692 paragraphs: docs/BENCHMARKS.md, issue 30); a report's
runs, a few. The paragraphs' fields are the postings segments' (:mod:`kb.engines.embedded.stored`),
and matching, scoring and counting are the postings' (:mod:`kb.engines.embedded.reader`).

Whoosh fails on damaged files in many ways (its own ``IndexError``, ``struct.error``,
``zlib.error``, unpickling errors, ``ValueError``, ``KeyError``, even a bare
``Exception("Block tag error")``); every read here turns any of them into
:class:`~kb.core.errors.IndexDamaged`, so no other module needs to know what Whoosh raises.
Writers commit on success and cancel on error (and let it through).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import ID, STORED, Schema
from whoosh.reading import TermNotFound

from kb.core.errors import REBUILD, IndexDamaged, IndexMissing
from kb.engines.fields import FIELDS

#: Options of every writer. Segments are not assembled into one compound file: Whoosh
#: opens a compound segment by copying each of its files (the postings too) into memory,
#: for every searcher (1.9 GB per searcher at 240,000 paragraphs); separate files are
#: read from the file system as needed.
WRITER_OPTIONS = {"limitmb": 256, "compound": False}


KEY = next(f.name for f in FIELDS if f.kind == "key")  # the report's id: the field Whoosh indexes
ORDINALS = "ordinals"  # the report's paragraphs' ordinals, stored as runs (:func:`runs`)


def _codec() -> W3Codec:
    """Whoosh's codec, without the lengths' statistics of each term: its keys have no lengths
    (ID fields), so each term's are 0 either way, but Whoosh asked the file system whether a
    lengths file exists at every posting it wrote (a stat call each)."""
    codec = W3Codec()
    codec.length_stats = False  # an instance's own: a generation's table of contents keeps W3Codec
    return codec


def schema() -> Schema:
    """The schema: one document per report, its id indexed, its paragraphs' ordinals stored."""
    return Schema(**{KEY: ID(unique=True), ORDINALS: STORED()})


def runs(ordinals: list[int]) -> str:
    """Ordinals as runs: ``1-3,5,7-9`` (ascending, each once)."""
    out, first = [], None
    for k, n in enumerate(ordinals):
        if first is None:
            first = n
        if k + 1 == len(ordinals) or ordinals[k + 1] != n + 1:
            out.append(str(n) if n == first else f"{first}-{n}")
            first = None
    return ",".join(out)


def _spans(text: str) -> list[tuple[int, int]]:
    """The runs of :func:`runs` as (first, last) pairs."""
    out = []
    for part in text.split(",") if text else ():
        a, _, b = part.partition("-")
        out.append((int(a), int(b or a)))
    return out


def count(text: str) -> int:
    """How many ordinals the runs ``text`` hold."""
    return sum(b - a + 1 for a, b in _spans(text))


def holds(text: str, n: int) -> bool:
    """Whether the runs ``text`` hold ordinal ``n``."""
    return any(a <= n <= b for a, b in _spans(text))


def _paragraph(pid: str) -> tuple[str, int] | None:
    """(report id, ordinal) of a paragraph id (``<report id>.p<ordinal>``), or None."""
    rid, sep, n = pid.rpartition(".p")
    return (rid, int(n)) if sep and n.isascii() and n.isdigit() and str(int(n)) == n else None


class Store:
    """The paragraphs' keys of one generation, read-only; searchers shared by the threads,
    one lookup at a time each."""

    def __init__(self, folder: Path):
        try:
            self.ix = whoosh_index.open_dir(str(folder))
        except Exception as e:  # noqa: BLE001 (whoosh raises many kinds on a damaged index)
            raise IndexMissing(f"索引无法打开 (cannot open {folder}: {e}); {REBUILD}") from None
        self._idle: list = []  # searchers no fetch is using now
        self._searchers: list = []  # every searcher opened
        self._lock = threading.Lock()
        self._runs: dict[str, str | None] = {}  # report id -> its runs of ordinals (None: not there), as looked up

    @contextmanager
    def _searcher(self) -> Iterator:
        """A searcher for one fetch, not used by any other thread meanwhile: one left idle
        by an earlier fetch (of any thread), else a new one. Opening one reads every
        segment's tables and its first lookups read the files anew, so the searcher the
        first search opened (:meth:`warm`) serves the next request's thread too; a
        generation never changes, so a searcher stays valid."""
        with self._lock:
            s = self._idle.pop() if self._idle else None
        if s is None:
            s = self.ix.searcher()
            with self._lock:
                self._searchers.append(s)
        try:
            yield s
        finally:
            with self._lock:
                if s in self._searchers:  # not closed meanwhile
                    self._idle.append(s)

    def known(self, ids: list[str]) -> list[bool]:
        """Whether each paragraph id is there (its report's, not deleted, holds its ordinal)."""
        keys = [_paragraph(pid) for pid in ids]
        found = self._runs_of({key[0] for key in keys if key is not None})
        return [key is not None and found[key[0]] is not None and holds(found[key[0]], key[1]) for key in keys]

    def _runs_of(self, rids: set[str]) -> dict[str, str | None]:
        """The runs of ordinals of each of ``rids`` (None for a report not there), read from
        Whoosh once each: a generation never changes."""
        found = self._runs
        wanted = rids - found.keys()
        if wanted:
            try:
                with self._searcher() as s:
                    found.update({rid: _ordinals(s, rid) for rid in wanted})
            except Exception as e:  # noqa: BLE001 (any error inside Whoosh: its files are bad)
                raise IndexDamaged(e) from e
        return found

    def doc_counts(self) -> tuple[int, int]:
        """(paragraphs, paragraphs deleted ones included)."""
        try:
            return paragraph_counts(self.ix)
        except Exception as e:  # noqa: BLE001
            raise IndexDamaged(e) from e

    def close(self) -> None:
        """Close every searcher (their files stay open until then)."""
        with self._lock:
            searchers, self._searchers, self._idle = self._searchers, [], []
        for s in searchers:
            try:
                s.close()
            except Exception:  # noqa: BLE001 (a searcher half closed already)
                pass


def _ordinals(searcher, rid: str) -> str | None:
    """The runs of ordinals of report ``rid``'s paragraphs (None when it is not there): its
    document found in each segment's term table (the id's one document, not deleted) instead
    of through a postings reader; an id with several documents in a segment (added again
    after a delete) takes Whoosh's way."""
    reader = searcher.reader()
    for segment in reader.readers if hasattr(reader, "readers") else [reader]:
        try:
            info = segment.term_info(KEY, rid)
        except (KeyError, TermNotFound):
            continue
        if info.doc_frequency() != 1:
            doc = searcher.document_number(**{KEY: rid})
            return None if doc is None else searcher.stored_fields(doc)[ORDINALS]
        if not segment.is_deleted(info.min_id()):
            return segment.stored_fields(info.min_id())[ORDINALS]
    return None


def paragraph_counts(ix) -> tuple[int, int]:
    """(paragraphs, paragraphs deleted ones included) of the Whoosh index ``ix``: its reports'
    runs of ordinals counted."""
    live = every = 0
    with ix.reader() as reader:
        for segment in reader.readers if hasattr(reader, "readers") else [reader]:
            for doc in range(segment.doc_count_all()):
                n = count(segment.stored_fields(doc)[ORDINALS])
                every += n
                live += 0 if segment.is_deleted(doc) else n
    return live, every


class Writable:
    """A generation's store being built: documents added and deleted, then committed."""

    def __init__(self, ix):
        self.ix = ix

    @classmethod
    def create(cls, folder: Path) -> Writable:
        folder.mkdir(parents=True, exist_ok=True)
        return cls(whoosh_index.create_in(str(folder), schema()))

    @classmethod
    def open(cls, folder: Path) -> Writable | None:
        """The store copied from the served generation, or None if Whoosh cannot open it."""
        try:
            return cls(whoosh_index.open_dir(str(folder)))
        except Exception:  # noqa: BLE001 (whoosh raises many kinds): the caller indexes everything again
            return None

    def doc_counts(self) -> tuple[int, int]:
        """(paragraphs, paragraphs deleted ones included)."""
        return paragraph_counts(self.ix)

    @contextmanager
    def writer(self) -> Iterator[_Writer]:
        """A writer that commits on success and cancels on error (and lets it through). One
        process: a report is a short term and its runs (Whoosh's multiprocess writer cost two
        processes of some 165 MB each when it was given the whole stored documents)."""
        w = self.ix.writer(codec=_codec(), **WRITER_OPTIONS)
        try:
            yield _Writer(w)
        except BaseException:
            w.cancel()
            raise
        w.commit()

    def optimize(self) -> None:
        """Rewrite the segments without their deleted documents."""
        self.ix.writer(codec=_codec(), **WRITER_OPTIONS).commit(optimize=True)

    def close(self) -> None:
        self.ix.close()


class _Writer:
    def __init__(self, w):
        self.w = w

    def add_report(self, report_id: str, ordinals: list[int]) -> None:
        """Index a report's keys: its id and its paragraphs' ordinals (ascending; none: nothing
        to index). The rest of its paragraphs is the postings'."""
        if ordinals:
            self.w.add_document(**{KEY: report_id, ORDINALS: runs(ordinals)})

    def delete_report(self, report_id: str) -> int:
        """Delete a report's paragraphs; how many there were."""
        with self.w.searcher() as s:
            found = _ordinals(s, report_id)
        self.w.delete_by_term(KEY, report_id)
        return count(found) if found is not None else 0


def rewritten_by_commit(name: str) -> bool:
    """Whether a file of a generation is Whoosh's table of contents (copied, not linked:
    it is rewritten by the next commit)."""
    return name.endswith(".toc")

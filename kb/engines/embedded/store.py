"""Store: the paragraphs' keys of a generation, indexed by Whoosh (the only module that
imports Whoosh).

One Whoosh document per paragraph, with the key fields of :mod:`kb.engines.fields` indexed: the
paragraph's id (kind ``id``: which paragraph ids a generation holds, :meth:`Store.known`) and its
report's id (kind ``key``: a report's paragraphs, deleted when it is imported again or removed).
Nothing is stored in Whoosh: the paragraphs' fields are the postings segments'
(:mod:`kb.engines.embedded.stored`), and matching, scoring and counting are the postings'
(:mod:`kb.engines.embedded.reader`).

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
from whoosh.fields import ID, Schema
from whoosh.reading import TermNotFound

from kb.core.errors import REBUILD, IndexDamaged, IndexMissing
from kb.engines.fields import FIELDS

#: Options of every writer. Segments are not assembled into one compound file: Whoosh
#: opens a compound segment by copying each of its files (the postings too) into memory,
#: for every searcher (1.9 GB per searcher at 240,000 paragraphs); separate files are
#: read from the file system as needed.
WRITER_OPTIONS = {"limitmb": 256, "compound": False}


def _codec() -> W3Codec:
    """Whoosh's codec, without the lengths' statistics of each term: its keys have no lengths
    (ID fields), so each term's are 0 either way, but Whoosh asked the file system whether a
    lengths file exists at every posting it wrote (a stat call each: two a paragraph)."""
    codec = W3Codec()
    codec.length_stats = False  # an instance's own: a generation's table of contents keeps W3Codec
    return codec


KEYS = tuple(f.name for f in FIELDS if f.kind in ("id", "key"))  # the fields Whoosh indexes
ID_FIELD = next(f.name for f in FIELDS if f.kind == "id")


def schema() -> Schema:
    """The schema, from the field registry: one document per paragraph, its keys indexed, none stored."""
    return Schema(**{f.name: ID(unique=f.kind == "id") for f in FIELDS if f.name in KEYS})


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
        """Whether each paragraph id is there (indexed, not deleted)."""
        try:
            with self._searcher() as s:
                return [_known(s, pid) for pid in ids]
        except Exception as e:  # noqa: BLE001 (any error inside Whoosh: its files are bad)
            raise IndexDamaged(e) from e

    def doc_counts(self) -> tuple[int, int]:
        """(paragraphs, paragraphs deleted ones included)."""
        try:
            return self.ix.doc_count(), self.ix.doc_count_all()
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


def _known(searcher, pid: str) -> bool:
    """Whether paragraph ``pid`` is there: what ``searcher.document_number(id=pid) is not None``
    says. The document is found in each segment's term table (the id's one document, not
    deleted) instead of through a postings reader, a third of the time; an id with several
    documents in a segment (added again after a delete) takes Whoosh's way."""
    reader = searcher.reader()
    for segment in reader.readers if hasattr(reader, "readers") else [reader]:
        try:
            info = segment.term_info(ID_FIELD, pid)
        except (KeyError, TermNotFound):
            continue
        if info.doc_frequency() != 1:
            return searcher.document_number(**{ID_FIELD: pid}) is not None
        if not segment.is_deleted(info.min_id()):
            return True
    return False


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

    def doc_count(self) -> int:
        return self.ix.doc_count()

    def doc_count_all(self) -> int:
        return self.ix.doc_count_all()

    @contextmanager
    def writer(self) -> Iterator[_Writer]:
        """A writer that commits on success and cancels on error (and lets it through). One
        process: a paragraph is two short terms (Whoosh's multiprocess writer cost two
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

    def add(self, doc: dict) -> None:
        """Index a paragraph's keys (the rest of ``doc`` is the postings')."""
        self.w.add_document(**{k: doc[k] for k in KEYS})

    def delete_report(self, report_id: str) -> int:
        """Delete a report's paragraphs; how many there were."""
        return self.w.delete_by_term("report_id", report_id) or 0


def rewritten_by_commit(name: str) -> bool:
    """Whether a file of a generation is Whoosh's table of contents (copied, not linked:
    it is rewritten by the next commit)."""
    return name.endswith(".toc")

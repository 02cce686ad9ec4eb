"""Embedded engine: the :class:`~kb.engines.protocol.Engine` of one generation of ``index/``,
in-process: the numpy postings (:mod:`kb.engines.embedded.reader`) match, score, count and order, and
hold the stored paragraphs (:mod:`kb.engines.embedded.stored`); the Whoosh index of the paragraphs'
keys (:mod:`kb.engines.embedded.store`) says which paragraph ids are there.

A selection is the documents (global numbers of the postings) a query tree matches,
with their scores, and the masks of its facet filters; nothing of that leaves this
module: the search layer sees totals, counts, paragraph ids and stored documents.

The query tree is evaluated in two tiers, exact matches above related ones, by
:mod:`kb.engines.embedded.tiers` (which also explains a hit's score); this module selects
what it finds within the filters, counts, orders and fetches.
"""

from __future__ import annotations

import functools
import logging
import math
import pickle
import struct
import threading
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from kb.core import cache, files
from kb.core.errors import IndexDamaged
from kb.core.settings import Ranking
from kb.engines.embedded import generations, spellings, stored
from kb.engines.embedded.reader import Postings
from kb.engines.embedded.scored import Scored, union
from kb.engines.embedded.store import Store
from kb.engines.embedded.tiers import explain_doc, kind_factors, select_tiers
from kb.engines.embedded.writer import word_counts
from kb.engines.protocol import BROWSE, BROWSE_ASC, TIER, Group
from kb.text import meaning, textnorm

log = logging.getLogger(__name__)

TIER_CACHE = 256  # terms whose exact and related matches a generation keeps …
TIER_CACHE_BYTES = 64 << 20  # … in at most this much memory

#: What reading the postings' files raises when they are truncated, garbled or gone
#: (the store translates Whoosh's own errors).
DAMAGED = (OSError, EOFError, struct.error, zlib.error, pickle.UnpicklingError, UnicodeDecodeError)


#: What reading arrays whose bytes were garbled may raise (a header that no longer
#: parses, a code out of range): damage if the files' checksums say so, else a bug.
MAYBE_DAMAGED = (ValueError, IndexError, KeyError, TypeError, OverflowError, MemoryError)


def _reads(method):
    """A method that reads index files: their damage is an IndexDamaged. Opening checks
    only the files' sizes (:func:`kb.engines.embedded.generations.open_generation`): an error that bytes garbled
    in place could cause has the files' checksums read (once per generation) to tell
    damage from a bug."""

    @functools.wraps(method)
    def read(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except DAMAGED as e:
            raise IndexDamaged(e) from e
        except MAYBE_DAMAGED as e:
            bad = self.damaged()
            if bad is None:
                raise
            raise IndexDamaged(f"index file {bad} is missing or damaged") from e

    return read


@dataclass
class _Selection:
    base: Scored  # the documents matching the query before facet filters (scored only if no filter)
    masks: dict[str, np.ndarray]  # the documents each facet filter allows
    hits: Scored  # base within every filter
    partial: bool = False

    @property
    def total(self) -> int:
        return len(self.hits)

    @property
    def matched(self) -> int:
        return len(self.base)

    @property
    def exact_total(self) -> int:
        """Selected paragraphs that match exactly (the rest are related matches)."""
        return int(np.count_nonzero(self.hits.scores >= TIER))


@dataclass
class EmbeddedEngine:
    """One opened generation of the index: its metadata, keys (the store) and postings."""

    index_dir: Path
    generation: str
    meta: dict
    store: Store
    ranking: Ranking = field(default_factory=Ranking)
    cache: dict = field(default_factory=dict)  # derived data of this generation
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def open(cls, index_dir: Path, corpus_dir: Path | None = None, ranking: Ranking | None = None) -> EmbeddedEngine:
        """Open the served generation (checked as :func:`~kb.engines.embedded.generations.open_generation` says)."""
        index_dir = Path(index_dir)
        gen, meta = generations.open_generation(index_dir, corpus_dir)
        meaning.use(index_dir / gen / meaning.MODEL_FILE)  # the model grown with this corpus (kb.text.growth)
        return cls(index_dir, gen, meta, Store(index_dir / gen), ranking or Ranking())

    @property
    def meaning_file(self) -> Path:
        """The model of meaning grown with this generation's corpus (:mod:`kb.text.growth`)."""
        return self.index_dir / self.generation / meaning.MODEL_FILE

    def postings(self) -> Postings:
        """The postings of this generation (opened on first use, then kept)."""
        p = self.cache.get("postings")
        if p is None:
            with self._lock:
                p = self.cache.get("postings")
                if p is None:
                    p = self.cache["postings"] = Postings(
                        self.index_dir / self.generation, self.meta.get("postings", []), self.meta.get("checksums", {}),
                        self.ranking)
        return p

    def damaged(self) -> Path | None:
        """The first file of this generation whose size or sha256 is not the recorded one,
        or None (every byte read once, then kept)."""
        if "damaged" not in self.cache:
            try:
                self.cache["damaged"] = files.first_damaged(self.index_dir / self.generation,
                                                            self.meta.get("files") or {})
            except (AttributeError, TypeError, ValueError):  # a kb-build.json edited by hand
                self.cache["damaged"] = self.index_dir / self.generation / generations.META
        return self.cache["damaged"]

    def is_current(self) -> bool:
        """Whether a build has not replaced this generation: CURRENT read and checked only when
        its file or the generation's metadata changed since it last said so
        (:func:`~kb.engines.embedded.generations.stamp`; every request asks)."""
        now = generations.stamp(self.index_dir, self.generation)
        if now is not None and now == self.cache.get("current_stamp"):
            return True
        ok = generations.is_current(self.index_dir, self.generation)
        if ok and now is not None:
            self.cache["current_stamp"] = now
        return ok

    def settled(self) -> bool:
        """True: :meth:`is_current` checks before the read, nothing is left to check after."""
        return True

    def close(self) -> None:
        """Close the store's searchers (the postings' files are mapped, and unmapped with them)."""
        self.store.close()

    def __del__(self):
        # when the last search of a replaced generation is done with it
        self.close()

    # -- the Engine protocol ------------------------------------------------------------

    @_reads
    def select(self, tree, filters: dict[str, list[str]], loose: bool = False, related: bool = True) -> _Selection:
        """The exact matches and (``related``) the related ones, scored over the whole
        index (a related match's place depends on the exact ones), then the filters."""
        p = self.postings()
        memo = cache.of(self.cache, "tiers", TIER_CACHE, TIER_CACHE_BYTES)
        base = select_tiers(tree, p, self.ranking, loose, related, self._factors(p), memo)
        masks = {name: p.mask(name, values) for name, values in filters.items()}
        if not masks:
            return _Selection(base, masks, base)
        keep = np.logical_and.reduce([m[base.docs] for m in masks.values()])
        return _Selection(base, masks, Scored(base.docs[keep], base.scores[keep]))

    @_reads
    def facet_counts(self, sel: _Selection, filters: dict[str, list[str]],
                     names: tuple[str, ...]) -> dict[str, dict[str, int]]:
        p = self.postings()

        def within(docs: np.ndarray, others) -> np.ndarray:
            for other in others:
                docs = docs[sel.masks[other][docs]]
            return docs

        out = {}
        for name in names:
            docs = within(sel.base.docs, [o for o in sel.masks if o != name]) if name in sel.masks else sel.hits.docs
            out[name] = p.column(name).count(docs)
        return out

    @_reads
    def group_counts(self, sel: _Selection, name: str, distinct: str | None = None) -> dict[str, int]:
        p = self.postings()
        col, docs = p.column(name), sel.hits.docs
        if distinct is None:
            return dict(col.count(docs))
        ptr, codes = col.take(docs).rows()
        other = p.column(distinct)
        n_other = len(other.values) + 1
        owners = other.by_doc[np.repeat(docs, np.diff(ptr))]
        pairs = np.unique(codes.astype(np.int64) * n_other + owners)  # (value, other value), once each
        counts = np.bincount(pairs // n_other, minlength=len(col.values))
        return {v: int(counts[i]) for i, v in enumerate(col.values) if counts[i]}

    @_reads
    def top(self, sel: _Selection, sort: str, start: int, stop: int) -> list[tuple[str, float]]:
        p = self.postings()
        docs, scores = _ordered(p, sel.hits, sort, stop)
        return [(p.paragraph_id(int(d)), float(s)) for d, s in zip(docs[start:], scores[start:], strict=True)]

    @_reads
    def best_per(self, sel: _Selection, name: str) -> list[Group]:
        p = self.postings()
        hits = sel.hits
        order = np.lexsort((hits.docs, -hits.scores))  # best first
        col = p.column(name)
        codes, first, n = np.unique(col.by_doc[hits.docs[order]], return_index=True, return_counts=True)
        groups = []
        for i in np.argsort(first, kind="stable"):  # values by their best paragraph
            best = order[first[i]]
            groups.append(Group(col.values[codes[i]] if codes[i] >= 0 else "", int(n[i]),
                                p.paragraph_id(int(hits.docs[best])), float(hits.scores[best])))
        return groups

    def best_per_each(self, sels: list[_Selection], name: str) -> list[list[Group]]:
        return [self.best_per(sel, name) for sel in sels]

    @_reads
    def fetch(self, ids: list[str]) -> list[dict | None]:
        """The stored document of each paragraph id (None for an id not there): Whoosh's index
        of the keys says which ids are there, their segments hold their fields."""
        p = self.postings()
        known, docs = self.store.known(ids), p.doc_numbers(ids)
        if any(k != (d >= 0) for k, d in zip(known, docs, strict=True)):
            raise IndexDamaged("the paragraphs' keys (Whoosh) and the postings segments disagree")
        return [stored.document(p, d) if d >= 0 else None for d in docs]

    @_reads
    def explain(self, tree, ids: list[str], loose: bool = False) -> dict[str, dict]:
        p = self.postings()
        docs = p.doc_numbers(ids)
        return {pid: explain_doc(tree, p, self.ranking, int(d), self._factors(p), loose)
                for pid, d in zip(ids, docs, strict=True) if d >= 0}

    def _factors(self, p: Postings) -> np.ndarray:
        """Per document: how much lower it ranks for its kind (:func:`kind_factors`), cached."""
        f = self.cache.get("kind_factors")
        if f is None:
            f = self.cache["kind_factors"] = kind_factors(p, self.ranking)
        return f

    @_reads
    def similar(self, paragraph: dict, name: str, limit: int) -> tuple[list[tuple[str, float]],
                                                                         list[tuple[str, float]]]:
        p = self.postings()
        keywords = _keywords(p, paragraph["text"])
        found = union([p.word("words", w).boosted(weight) for w, weight in keywords])
        other = ~p.mask(name, [paragraph[name]])[found.docs]
        found = Scored(found.docs[other], found.scores[other])
        order = np.lexsort((found.docs, -found.scores))  # best first
        _, first = np.unique(p.column(name).by_doc[found.docs[order]], return_index=True)
        hits = []
        for i in np.sort(first)[:limit]:  # the best paragraph of each value, best values first
            doc, score = int(found.docs[order[i]]), float(found.scores[order[i]])
            hits.append((p.paragraph_id(doc), score))
        return keywords, hits

    @_reads
    def spellings(self, terms: list[str], limit: int = 3) -> list[dict]:
        return spellings.near_spellings(self.postings(), terms, limit)


def _ordered(p: Postings, hits: Scored, sort: str, limit: int) -> tuple[np.ndarray, np.ndarray]:
    """The first ``limit`` documents of ``hits`` (and their scores) in the order asked
    for: by score (ties in index order), by year then score, or -- browsing without a
    query -- by year, then in reading order (agency, report, paragraph)."""
    docs, scores = hits.docs, hits.scores
    if sort in (BROWSE, BROWSE_ASC):
        year = p.year_rank[docs]
        keys = (p.ordinal[docs], p.report_rank[docs], p.agency_rank[docs], year if sort == BROWSE_ASC else -year)
    elif sort == "relevance":
        if len(docs) > 4 * limit:  # only the candidates for the first ``limit`` places
            floor = np.partition(scores, len(scores) - limit)[len(scores) - limit]
            keep = scores >= floor
            docs, scores = docs[keep], scores[keep]
        keys = (docs, -scores)
    else:
        year = p.year_rank[docs]
        keys = (docs, -scores, year if sort == "year_asc" else -year)
    order = np.lexsort(keys)[:limit]
    return docs[order], scores[order]


def _keywords(p: Postings, text: str, n: int = 12) -> list[tuple[str, float]]:
    """The ``n`` most distinctive words of ``text`` (tf·idf of its jieba words; counts
    of paragraphs dead ones included, as in :meth:`Postings.df`), among the words the model of
    meaning knows or at least three paragraphs hold (a name cut in pieces, 梁殿 of 梁殿武, 市卫 of
    市卫健体委, is no word of the reports), then the words nearest in meaning to the first ones
    (:func:`_near_keywords`)."""
    total = max(1, p.n_all)
    model = meaning.active()
    scored = []
    for w, f in word_counts(text).items():
        if len(w) >= 2 and any(textnorm.is_cjk(c) or c.isalpha() for c in w):
            df = p.df("words", w)
            if model is not None and w not in model.index and df < 3:
                continue  # neither a word of the reports nor of this corpus: a piece of a name
            if 0 < df < total:  # a word in every paragraph tells nothing
                scored.append((w, f * math.log(total / df)))
    scored.sort(key=lambda x: -x[1])
    top = [(w, round(score, 3)) for w, score in scored[:n]]
    return top + _near_keywords(p, top, model)


def _near_keywords(p: Postings, top: list[tuple[str, float]], model: meaning.Model | None,
                   first: int = 4, min_sim: float = 0.75) -> list[tuple[str, float]]:
    """For the ``first`` keywords, the words nearest to them in meaning (cosine ≥ ``min_sim``)
    that the index holds, at half the keyword's weight times their similarity: a paragraph
    that says 执法力量薄弱 is like one that says 执法人员不足."""
    if model is None:
        return []
    have = {w for w, _ in top}
    out = []
    for w, weight in top[:first]:
        for near, sim in model.neighbours(w, 3, min_sim):
            if near not in have and p.df("words", near):
                have.add(near)
                out.append((near, round(weight * sim * 0.5, 3)))
    return out

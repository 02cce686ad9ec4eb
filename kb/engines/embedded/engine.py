"""Embedded engine: the :class:`~kb.engines.protocol.Engine` of one generation of ``index/``,
in-process: the numpy postings (:mod:`kb.engines.embedded.reader`) match, score, count and order; the
Whoosh store (:mod:`kb.engines.embedded.store`) gives the stored paragraphs by id.

A selection is the documents (global numbers of the postings) a query tree matches,
with their scores, and the masks of its facet filters; nothing of that leaves this
module: the search layer sees totals, counts, paragraph ids and stored documents.

The query tree is evaluated here in two tiers (:func:`tiers`): a term's exact match of
its units (:meth:`Postings.term`), lifted by its jieba words and headings, ranks above
every related match -- its concept expansions, its words near each other in any order
(:meth:`Postings.near`), its words in the headings above, a common word that does not
veto, and loose, its words apart; notes that explain terms and very short paragraphs
rank lower (weights: :class:`kb.core.settings.Ranking`). :func:`explain_doc` says why.
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

from kb import build
from kb.core import cache, files
from kb.core.cache import LRU
from kb.core.errors import IndexDamaged
from kb.core.settings import Ranking
from kb.engines.embedded import spellings
from kb.engines.embedded.reader import Postings
from kb.engines.embedded.scored import Scored, intersection, minus, union
from kb.engines.embedded.store import Store
from kb.engines.embedded.writer import word_counts
from kb.engines.protocol import BROWSE, BROWSE_ASC, TIER, Group
from kb.engines.query import Not, Or, Term
from kb.text import textnorm, words

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
    only the files' sizes (:func:`kb.build.open_generation`): an error that bytes garbled
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
    """One opened generation of the index: its metadata, store and postings."""

    index_dir: Path
    generation: str
    meta: dict
    store: Store
    ranking: Ranking = field(default_factory=Ranking)
    cache: dict = field(default_factory=dict)  # derived data of this generation
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def open(cls, index_dir: Path, corpus_dir: Path | None = None, ranking: Ranking | None = None) -> EmbeddedEngine:
        """Open the served generation (checked as :func:`kb.build.open_generation` says)."""
        index_dir = Path(index_dir)
        gen, meta = build.open_generation(index_dir, corpus_dir)
        return cls(index_dir, gen, meta, Store(index_dir / gen), ranking or Ranking())

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
                self.cache["damaged"] = self.index_dir / self.generation / build.META
        return self.cache["damaged"]

    def is_current(self) -> bool:
        return build.is_current(self.index_dir, self.generation)

    def close(self) -> None:
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

    def fetch(self, ids: list[str]) -> list[dict | None]:
        return self.store.fetch(ids)

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
    of paragraphs dead ones included, as in :meth:`Postings.df`)."""
    total = max(1, p.n_all)
    scored = []
    for w, f in word_counts(text).items():
        if len(w) >= 2 and any(textnorm.is_cjk(c) or c.isalpha() for c in w):
            df = p.df("words", w)
            if 0 < df < total:  # a word in every paragraph tells nothing
                scored.append((w, f * math.log(total / df)))
    scored.sort(key=lambda x: -x[1])
    return [(w, round(score, 3)) for w, score in scored[:n]]


# -- evaluating a query tree on the postings ---------------------------------------------


def _ranking(term: Term, p: Postings, r: Ranking, docs: np.ndarray) -> np.ndarray:
    """What lifts paragraphs where the term is a jieba word or in a heading (added to
    the score of an exact match, never a match by itself): for each of ``docs`` (the
    term's exact matches), looked up for them only."""
    norm = "".join("".join(run) for run in term.keys)
    ws = [w for w in words.cut(norm) if any(c.isalnum() for c in w)]
    clauses = [("words", w, r.word) for w in ws] + [("heads", w, r.heading) for w in ws]
    if norm not in ws:
        clauses.append(("words", norm, r.whole_word))
    out = np.zeros(len(docs))
    for name, w, weight in clauses:  # summed in this order, as a union of the clauses would
        out += p.word_scores(name, w, docs) * weight
    return out


def _all_of(parts: list[str], p: Postings, within: np.ndarray | None, score: bool) -> Scored:
    """Paragraphs with every one of ``parts`` (each matched exactly), scores summed:
    matched first, then scored where all of them stand."""
    if not parts:
        return Scored.empty()
    found = []
    for part in parts:
        x = p.term(textnorm.unit_keys(part), within, score=False)
        if not len(x):
            return Scored.empty()
        found.append(x)
    common = intersection(found)
    if not score or not len(common):
        return common
    only = _mask(p, common.docs)
    return intersection([p.term(textnorm.unit_keys(part), only) for part in parts])


def _mask(p: Postings, docs: np.ndarray) -> np.ndarray:
    m = np.zeros(p.n_all, dtype=bool)
    m[docs] = True
    return m


def evaluate(tree, p: Postings, r: Ranking, loose: bool = False, within: np.ndarray | None = None,
             score: bool = True) -> Scored:
    """The live paragraphs a query tree matches, each with its score (every live
    paragraph, unscored, for None).

    A term matches exactly (:meth:`Postings.term`) and its words and headings lift the
    score; its concept expansions match below it (``r.expansion``) and, with ``loose``,
    its words apart lower still (``r.loose``): the fallback when nothing has the
    characters together. AND sums the scores of its parts, OR sums those that match,
    ``-x`` removes what x matches (literally, no expansion).

    Only the paragraphs ``within`` allows (a mask over all documents: the facet
    filters) are considered, and with ``score=False`` none is scored (zeros). A
    paragraph's score does not depend on the others: AND finds its paragraphs first and
    scores its parts on those alone.
    """
    if tree is None:
        return _everything(p, within)
    if isinstance(tree, Term):
        direct = p.term(tree.keys, within, score)
        if len(direct) and score:
            direct = Scored(direct.docs, direct.scores + _ranking(tree, p, r, direct.docs))
        also = [_all_of(list(e.parts), p, within, score).boosted(r.expansion) for e in tree.expansions]
        if loose and tree.loose_words:
            also.append(_all_of(list(tree.loose_words), p, within, score).boosted(r.loose))
        return union([direct, *also], p.n_all)
    if isinstance(tree, Not):
        return minus(_everything(p, within), _match_only(tree.item, p))
    if isinstance(tree, Or):
        return union([evaluate(x, p, r, loose, within, score) for x in tree.items], p.n_all)
    positives = [x for x in tree.items if not isinstance(x, Not)]
    out = intersection([evaluate(x, p, r, loose, within, False) for x in positives]) if positives \
        else _everything(p, within)
    for x in tree.items:
        if isinstance(x, Not) and len(out):
            out = minus(out, _match_only(x.item, p))
    if score and positives and len(out):  # each part scored on the paragraphs that match them all
        only = _mask(p, out.docs)
        out = intersection([evaluate(x, p, r, loose, only, True) for x in positives])
    return out


def _everything(p: Postings, within: np.ndarray | None) -> Scored:
    every = p.everything()
    if within is None:
        return every
    keep = within[every.docs]
    return Scored(every.docs[keep], every.scores[keep])


# -- tiers: exact matches first, then related ones (issue 14) ------------------------------



@dataclass
class Tiers:
    """What a query tree matches exactly, and what it matches only as related (disjoint)."""

    exact: Scored
    related: Scored


def kind_factors(p: Postings, r: Ranking) -> np.ndarray:
    """Per document (global number): 1, or lower for a note that explains a term
    (:func:`kb.enrich.paragraphs.is_note`, or of section kind 名词解释) and for a paragraph shorter than
    ``r.short`` characters (a heading alone, an introduction): they rank below paragraphs
    that say what was done."""
    f = np.ones(p.n_all)
    f[p.notes() > 0] = r.glossary
    kinds = p.column("section_kind")
    if "名词解释" in kinds.values:
        f[kinds.mask(["名词解释"])] = r.glossary
    f[p.unit_lengths() < r.short] *= r.short_factor
    return f


def select_tiers(tree, p: Postings, r: Ranking, loose: bool, related: bool, factors: np.ndarray,
                 memo: LRU | None = None) -> Scored:
    """The documents a query tree selects, exact matches (scored, plus :data:`TIER`) and,
    with ``related``, related ones below them; each score times its kind's factor. With
    ``loose`` (the fallback when nothing matches), a term's words apart are related too."""
    if tree is None:
        return p.everything()
    t = tiers(tree, p, r, loose, memo)
    exact = Scored(t.exact.docs, t.exact.scores * factors[t.exact.docs] + TIER)
    if not related:
        return exact
    return union([exact, Scored(t.related.docs, t.related.scores * factors[t.related.docs])], p.n_all)


def tiers(tree, p: Postings, r: Ranking, loose: bool = False, memo: LRU | None = None) -> Tiers:
    """Exact and related matches of a query tree.

    A term matches exactly where its characters stand together (:meth:`Postings.term`),
    lifted by its words and headings. Related (never a quoted phrase): its concept
    expansions, its words within ``r.near_window`` characters in any order, its words
    in the headings above the paragraph (and with ``loose`` its words anywhere). AND:
    exact where every part is; related where every part is, exactly or related, but a
    part in more than ``r.common`` of the paragraphs and ``r.common_ratio`` times as many as
    the rarest part (优化 beside 营商环境) only adds to the score.
    OR: exact where any part is. ``-x`` removes what x matches literally, from both.
    Each term's tiers are kept in ``memo`` when one is given.
    """
    if tree is None:
        return Tiers(p.everything(), Scored.empty())
    if isinstance(tree, Term):
        return _term_tiers(tree, p, r, loose, memo)
    if isinstance(tree, Not):
        return Tiers(minus(p.everything(), _match_only(tree.item, p)), Scored.empty())
    if isinstance(tree, Or):
        parts = [tiers(x, p, r, loose, memo) for x in tree.items]
        exact = union([t.exact for t in parts], p.n_all)
        return Tiers(exact, minus(union([t.related for t in parts], p.n_all), exact.docs))
    return _and_tiers(tree, p, r, loose, memo)


def _and_tiers(tree, p: Postings, r: Ranking, loose: bool, memo: LRU | None) -> Tiers:
    positives = [x for x in tree.items if not isinstance(x, Not)]
    parts = [tiers(x, p, r, loose, memo) for x in positives]
    if parts:
        exact = intersection([t.exact for t in parts])
        rarest = min(len(t.exact) for t in parts)
        common = [isinstance(x, Term) and not x.quoted and len(t.exact) >= r.common * max(1, len(p))
                  and len(t.exact) >= r.common_ratio * rarest for x, t in zip(positives, parts, strict=True)]
        needed = [t for t, c in zip(parts, common, strict=True) if not c] or parts
        anyhow = intersection([union([t.exact, t.related], p.n_all) for t in needed])
        if len(needed) < len(parts):  # the common words add to the score, veto nothing
            anyhow = anyhow.plus(union([union([t.exact, t.related], p.n_all)
                                        for t, c in zip(parts, common, strict=True) if c], p.n_all))
        related = minus(anyhow, exact.docs)
    else:
        exact, related = p.everything(), Scored.empty()
    for x in tree.items:
        if isinstance(x, Not):
            out = _match_only(x.item, p)
            exact, related = minus(exact, out), minus(related, out)
    return Tiers(exact, related)


def _term_tiers(term: Term, p: Postings, r: Ranking, loose: bool, memo: LRU | None = None) -> Tiers:
    """A term's tiers, kept in ``memo`` (a generation's: a term asked again, alone, with
    filters or in another query, costs nothing)."""
    key = (term, loose)
    found = memo.get(key) if memo is not None else None
    if found is None:
        found = _term_tiers_of(term, p, r, loose)
        if memo is not None:
            size = sum(x.docs.nbytes + x.scores.nbytes for x in (found.exact, found.related))
            memo.put(key, found, size)
    return found


def _term_tiers_of(term: Term, p: Postings, r: Ranking, loose: bool) -> Tiers:
    """Exact: the characters together, lifted by words and headings. Related, looked up
    among the other paragraphs only (an exact one is never related): the concept
    entries, the words near each other, the words in the headings above, and with
    ``loose`` the words apart; each scored on the paragraphs it adds alone."""
    direct = p.term(term.keys)
    exact = Scored(direct.docs, direct.scores + _ranking(term, p, r, direct.docs)) if len(direct) else direct
    if term.quoted:
        return Tiers(exact, Scored.empty())
    others = p.live.copy()
    others[exact.docs] = False
    found = [_all_of(list(e.parts), p, others, True).boosted(r.expansion) for e in term.expansions]
    ws = term.near_words
    if ws:
        near = p.near([textnorm.unit_keys(w) for w in ws], r.near_window, others)
        found.append(Scored(near, np.zeros(len(near))))
    heads = [p.word_docs("heads", w) for w in (ws or [w for w in words.cut("".join(
        "".join(run) for run in term.keys)) if any(c.isalnum() for c in w)])]
    if heads and all(len(h) for h in heads):
        under = intersection([Scored(h, np.zeros(len(h))) for h in heads]).docs
        under = under[others[under]]
        found.append(Scored(under, np.zeros(len(under))))
    if loose and term.loose_words:
        found.append(_all_of(list(term.loose_words), p, others, True).boosted(r.loose))
    related = union(found, p.n_all)
    if len(related):
        related = Scored(related.docs, related.scores + r.related * _ranking(term, p, r, related.docs))
    return Tiers(exact, related)


def explain_doc(tree, p: Postings, r: Ranking, doc: int, factors: np.ndarray, loose: bool = False) -> dict:
    """Why one document matches a query tree and scores what it does: its tier, each
    positive term's parts (exact match, words, headings, concept entries, words near,
    headings above) with their scores, and its kind's factor."""
    def at(x: Scored) -> float:
        i = np.searchsorted(x.docs, doc)
        return float(x.scores[i]) if i < len(x.docs) and x.docs[i] == doc else 0.0

    def has(docs: np.ndarray) -> bool:
        i = np.searchsorted(docs, doc)
        return bool(i < len(docs) and docs[i] == doc)

    t = tiers(tree, p, r, loose) if tree is not None else Tiers(p.everything(), Scored.empty())
    tier = "exact" if has(t.exact.docs) else "related" if has(t.related.docs) else "none"
    terms = [_explain_term(term, p, r, at, has) for term in dict.fromkeys(own_terms(tree))]
    score = at(t.exact) if tier == "exact" else at(t.related)
    return {"match": tier, "score": round(score * float(factors[doc]), 4), "raw_score": round(score, 4),
            "factor": round(float(factors[doc]), 3), "terms": terms}


def own_terms(tree) -> list[Term]:
    """The positive terms of a query tree as written (no expansions)."""
    if tree is None or isinstance(tree, Not):
        return []
    if isinstance(tree, Term):
        return [tree]
    return [t for x in tree.items for t in own_terms(x)]


def _explain_term(term: Term, p: Postings, r: Ranking, at, has) -> dict:
    norm = "".join("".join(run) for run in term.keys)
    ws = [w for w in words.cut(norm) if any(c.isalnum() for c in w)]
    parts = {"characters together": at(p.term(term.keys))}
    parts |= {f"word {w}": at(p.word("words", w).boosted(r.word)) for w in ws}
    parts |= {f"heading word {w}": at(p.word("heads", w).boosted(r.heading)) for w in ws}
    if norm not in ws:
        parts[f"whole word {norm}"] = at(p.word("words", norm).boosted(r.whole_word))
    if not term.quoted:
        parts |= {f"concept {e.label}": at(_all_of(list(e.parts), p, None, True).boosted(r.expansion))
                  for e in term.expansions}
        near = term.near_words
        if near and has(p.near([textnorm.unit_keys(w) for w in near], r.near_window)):
            parts[f"words near: {' '.join(near)}"] = 0.0
    return {"term": term.text, "quoted": term.quoted,
            "parts": {k: round(v, 4) for k, v in parts.items() if v or k.startswith("words near")}}


def _match_only(tree, p: Postings) -> np.ndarray:
    """The paragraphs a tree matches, unscored and unexpanded (for exclusions)."""
    if isinstance(tree, Term):
        return p.term(tree.keys).docs
    if isinstance(tree, Not):
        return minus(p.everything(), _match_only(tree.item, p)).docs
    parts = [_match_only(x, p) for x in tree.items]
    if isinstance(tree, Or):
        return np.unique(np.concatenate(parts))
    out = parts[0]
    for x in parts[1:]:
        out = np.intersect1d(out, x, assume_unique=True)
    return out

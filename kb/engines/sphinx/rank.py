"""Rank on the front: the embedded engine's score (:mod:`kb.engines.embedded.tiers`, docs/
SEARCH_QUALITY.md "How a hit is scored") of each candidate paragraph of a page, computed
in Python from its stored text and the cluster's statistics, so that the order within
each tier is the embedded engine's, whatever each shard's own statistics say
(:mod:`kb.engines.sphinx.selection` reads the candidates; Sphinx only picks them).

What a score needs:

- per paragraph, from its stored fields: its unit keys and its jieba word counts (kept
  with it at push: :func:`kb.engines.sphinx.schema.unit_keys_stream`, ``pack_words``: no
  analysis at query time), its headings' words (:func:`kb.engines.sphinx.schema.word_counts`,
  kept per section path), whether it is a note or short (the kind factor);
- over the cluster (:class:`Stats`): the number of paragraphs and the average lengths
  (units, words, heading words: sums kept per report in ``kb_report``), and the document
  frequency of every character pair, word and heading word a query scores by
  (:func:`needs`: counted by the push, :mod:`kb.engines.sphinx.freq`, and read by the front on
  opening; counted by Sphinx in one round trip, kept per push, while the cluster holds no such
  table). A word's frequency in the
  text is the count of paragraphs whose jieba words hold it (the ``wordset`` field), as
  the embedded engine counts it.

BM25 is Whoosh's (idf = log(N / (df + 1)) + 1, k1, b; a length below the average counts as
the average), as :mod:`kb.engines.embedded.kernels` computes it.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from kb.core.settings import Ranking
from kb.engines.query import Not, Or, Term
from kb.engines.sphinx import schema as S
from kb.enrich.paragraphs import is_note
from kb.text import textnorm, words

GLOSSARY_KIND = "名词解释"


@dataclass(frozen=True)
class Stats:
    """The cluster's numbers a score needs: paragraphs, average lengths, and the document
    frequency of each counted expression (:func:`needs`)."""

    n: int
    avg: dict[str, float]  # units, words, heads
    df: dict[str, int]


# -- what a query's scores need counted ---------------------------------------------------------


def grams(runs: list[list[str]]) -> list[tuple[str, ...]]:
    """A term's character pairs as the embedded postings score them (:meth:`Segment.constraints`):
    each unit and the next in a run, a run's last unit and the break after it (runs but
    the last), a lone unit and whatever follows it."""
    runs = [r for r in runs if r]
    out: list[tuple[str, ...]] = []
    for k, run in enumerate(runs):
        for i, u in enumerate(run):
            if i + 1 < len(run):
                out.append((u, run[i + 1]))
            elif k + 1 < len(runs):
                out.append((u, S.BREAK))
            elif len(run) == 1:
                out.append((u,))
    return out


@lru_cache(maxsize=16384)
def gram_expr(g: tuple[str, ...]) -> str:
    """The MATCH that counts a pair's paragraphs."""
    return '"' + " ".join(S.token(u) if u != S.BREAK else u for u in g) + '"'


@lru_cache(maxsize=16384)
def word_expr(w: str) -> str:
    """The MATCH that counts a word's paragraphs: those whose jieba words hold it (the ``wordset``
    field, :func:`kb.engines.sphinx.schema.wordset_stream`), as the embedded engine counts them."""
    return f"(@wordset {S.word_token(w)})"


@lru_cache(maxsize=16384)
def head_expr(w: str) -> str:
    return f"(@heads {S.word_token(w)})"


def lift_words(term: Term) -> tuple[list[str], str | None]:
    """(the jieba words of a term, the whole term when jieba cuts it): what lifts a match."""
    return _lift_words(_text(term))


@lru_cache(maxsize=4096)
def _lift_words(norm: str) -> tuple[list[str], str | None]:
    """:func:`lift_words` of a term's text (cut once: read for every candidate)."""
    ws = [w for w in words.cut(norm) if any(c.isalnum() for c in w)]
    return ws, (norm if norm not in ws else None)


@lru_cache(maxsize=8192)
def word_keys(w: str) -> list[list[str]]:
    """A word's unit keys (worked out once: read for every candidate; not to be changed)."""
    return textnorm.unit_keys(w)


def needs(tree, loose: bool) -> list[str]:
    """Every expression whose document frequency the scores of ``tree`` use."""
    out: list[str] = []
    for term in terms(tree):
        parts = [term.keys] + [textnorm.unit_keys(p) for e in term.expansions for p in e.parts]
        parts += [textnorm.unit_keys(w) for w in term.loose_words] if loose else []
        out += [gram_expr(g) for keys in parts for g in grams(keys)]
        ws, whole = lift_words(term)
        out += [word_expr(w) for w in ws] + [head_expr(w) for w in ws] + ([word_expr(whole)] if whole else [])
    return list(dict.fromkeys(out))


def terms(tree) -> list[Term]:
    """The positive terms of a tree."""
    if tree is None or isinstance(tree, Not):
        return []
    if isinstance(tree, Term):
        return [tree]
    return [t for x in tree.items for t in terms(x)]


# -- one paragraph ------------------------------------------------------------------------------


class Doc:
    """A candidate paragraph as its score reads it (from its stored fields and word counts)."""

    def __init__(self, stored: dict):
        self.text = stored["text"]
        self.section_json = stored.get("section") or "[]"
        self.kind = stored.get("section_kind", "")
        self.packed = stored.get("words")
        if stored.get("units"):  # kept with the paragraph (schema.unit_keys_stream): no analysis here
            self.stream = stored["units"]

    @cached_property
    def section(self) -> list[str]:
        return json.loads(self.section_json)

    @cached_property
    def stream(self) -> str:
        """The units, each between separators, a break as one more (where a term is found)."""
        return S.unit_keys_stream(self.text)

    @cached_property
    def units(self) -> int:
        return self.stream.count(SEP) - 1 - self.stream.count(SEP + S.BREAK + SEP)

    @cached_property
    def words(self) -> Counter:
        return S.unpack_words(self.packed) if self.packed is not None else S.word_counts(self.text)

    @cached_property
    def words_len(self) -> int:
        if self.packed is not None and "words" not in self.__dict__:
            return S.packed_length(self.packed)
        return sum(self.words.values())

    def word_count(self, w: str) -> int:
        """How often the jieba word ``w`` stands here: found in the packed counts, not all of them
        unpacked (a scored candidate needs the query's few words; unpacking was half the scoring)."""
        if self.packed is None or w.isdigit() or "words" in self.__dict__:  # (a number could be a count)
            return self.words.get(w, 0)
        return S.packed_count(self.packed, w)

    @cached_property
    def heads_len(self) -> int:
        return sum(self.heads.values())

    @property
    def heads(self) -> Counter:
        return _heads(self.section_json)

    def head_count(self, w: str) -> int:
        """How often ``w`` is one of the headings' jieba words: 0 without cutting them where it does
        not stand in their text (a jieba word is a piece of the text it is cut from)."""
        return self.heads.get(w, 0) if w in _heads_text(self.section_json) else 0

    def tf(self, g: tuple[str, ...]) -> int:
        """How often a character pair stands here (a unit before a break or the end; a lone
        unit whatever follows it)."""
        stream = self.stream
        before_break = len(g) == 2 and g[1] == S.BREAK
        needle = SEP + g[0] + (SEP + g[1] if len(g) == 2 and not before_break else "")
        n, i = 0, stream.find(needle)
        while i >= 0:  # (each place as re.findall took them: not overlapping, the units whole)
            end = i + len(needle)
            if before_break:
                whole = stream.startswith(_BREAK_AFTER, end) or stream[end:] in _AT_END
            else:
                whole = stream.startswith(SEP, end)
            if whole:
                n += 1
                i = stream.find(needle, end)
            else:
                i = stream.find(needle, i + 1)
        return n

    def has(self, runs: list[list[str]] | str) -> bool:
        """Whether a term's runs (or their :func:`word_needle`) stand together here (one break between runs)."""
        return (runs if isinstance(runs, str) else _needle(runs)) in self.stream

    def starts(self, runs: list[list[str]] | str) -> list[int]:
        """The positions where a word's units (its runs, or its :func:`word_needle`) start (a break
        counts one position)."""
        needle, stream, out = runs if isinstance(runs, str) else _needle(runs), self.stream, []
        i = stream.find(needle)
        while i >= 0:
            out.append(stream.count(SEP, 0, i))  # the separators before it: its position
            i = stream.find(needle, i + 1)
        return out

    def factor(self, r: Ranking) -> float:
        """The embedded engine's kind factor: notes ×glossary, short paragraphs ×short_factor."""
        f = r.glossary if is_note(self.text, self.section) or self.kind == GLOSSARY_KIND else 1.0
        return f * (r.short_factor if self.units < r.short else 1.0)


SEP = S.UNIT_SEP
_BREAK_AFTER = SEP + S.BREAK + SEP  # a unit before a break
_AT_END = (SEP, SEP + "\n")  # a unit at the end (where a pattern's $ matched)


def _needle(runs: list[list[str]]) -> str:
    return SEP + (SEP + S.BREAK + SEP).join(SEP.join(r) for r in runs if r) + SEP


@lru_cache(maxsize=8192)
def word_needle(w: str) -> str:
    """What :meth:`Doc.has` and :meth:`Doc.starts` look for of a word (worked out once: the front checks
    thousands of candidates for the same few words; making it again each time was a tenth of a
    first search's CPU there)."""
    return _needle(word_keys(w))


@lru_cache(maxsize=4096)
def _heads_text(section_json: str) -> str:
    """The headings above a paragraph as they are cut (normalized: :func:`kb.engines.sphinx.schema.tokens`)."""
    return textnorm.normalize(" ".join(json.loads(section_json)))[0]


@lru_cache(maxsize=4096)
def _heads(section_json: str) -> Counter:
    """The jieba words of a section path's headings (many paragraphs share one)."""
    return S.word_counts(" ".join(json.loads(section_json)))


# -- the score ----------------------------------------------------------------------------------


@dataclass
class Scorer:
    """The embedded engine's scores of paragraphs for one query tree."""

    stats: Stats
    r: Ranking
    loose: bool = False
    #: the terms whose meaning tiers count (fewer exact matches than ``r.meaning_below``), each with
    #: its words alone (:func:`kb.engines.meaningtiers.but_common`), and their score ((scorer, term,
    #: doc) -> (as saying it, as answering it), each None where not: :func:`kb.engines.sphinx.meaning.score`)
    meant: Mapping = field(default_factory=dict)
    by_meaning: Callable | None = None
    apart_too: frozenset = frozenset()  # terms whose words apart count (their meaning tier alone found some)

    def idf(self, expr: str) -> float:
        known = self.__dict__.setdefault("_idf", {})  # (worked out once a search: read for every candidate)
        if expr not in known:
            known[expr] = math.log(self.stats.n / (self.stats.df.get(expr, 0) + 1)) + 1
        return known[expr]

    def bm25(self, tf: float, idf: float, dl: float, field: str) -> float:
        avg = self.stats.avg.get(field) or 1.0
        dl = dl if self.r.short_bias else max(dl, avg) + 1e-3 * dl
        return idf * tf * (self.r.k1 + 1) / (tf + self.r.k1 * ((1 - self.r.b) + self.r.b * dl / avg))

    def gram_score(self, keys: list[list[str]], d: Doc) -> float:
        """A term's exact match: its pairs' BM25 over the units."""
        return sum(self.bm25(d.tf(g), self.idf(gram_expr(g)), d.units, "units") for g in grams(keys))

    def lift(self, term: Term, d: Doc) -> float:
        """The term's words in the paragraph's words and headings, and the whole term as a word (a
        word not there adds 0: its BM25 is not worked out, nor the lengths it would need)."""
        ws, whole = lift_words(term)
        out = 0.0
        for w in ws:
            tf = d.word_count(w)
            if tf:
                out += self.r.word * self.bm25(tf, self.idf(word_expr(w)), d.words_len, "words")
        for w in ws:
            tf = d.head_count(w)
            if tf:
                out += self.r.heading * self.bm25(tf, self.idf(head_expr(w)), d.heads_len, "heads")
        if whole:
            tf = d.word_count(whole)
            if tf:
                out += self.r.whole_word * self.bm25(tf, self.idf(word_expr(whole)), d.words_len, "words")
        return out

    def exact(self, tree, d: Doc) -> float | None:
        """The exact tier's score of ``d`` (None: not an exact match)."""
        if isinstance(tree, Term):
            return self.gram_score(tree.keys, d) + self.lift(tree, d) if d.has(tree.keys) else None
        if isinstance(tree, Not):
            return None if _literal(tree.item, d) else 0.0
        found = [self.exact(x, d) for x in tree.items]
        if isinstance(tree, Or):
            hit = [s for s in found if s is not None]
            return sum(hit) if hit else None
        if any(s is None for s in found):
            return None
        return sum(s for x, s in zip(tree.items, found, strict=True) if not isinstance(x, Not))

    def related(self, tree, d: Doc, common: set) -> float | None:
        """The related tier's score of ``d`` (None: no related match). ``common``: the And
        parts found to be common words (they add where they match, veto nothing)."""
        if isinstance(tree, Term):
            return None if tree.quoted else self._term_related(tree, d)
        if isinstance(tree, Not):
            return None
        if isinstance(tree, Or):
            hit = [s for s in (self.related(x, d, common) for x in tree.items) if s is not None]
            return sum(hit) if hit else None
        total = 0.0
        for x in tree.items:
            if isinstance(x, Not):
                continue
            s = self.either(x, d, common)
            if s is None and x not in common:
                return None
            total += s or 0.0
        return total

    def either(self, tree, d: Doc, common: set) -> float | None:
        s = self.exact(tree, d)
        return s if s is not None else self.related(tree, d, common)

    def _term_related(self, term: Term, d: Doc) -> float | None:
        """Concept entries ×expansion, words apart ×loose, the meaning tiers that say the term,
        plus the lift; words near and the headings match at no score of their own; a paragraph
        only an answer by meaning finds scores ``meaning_remedy`` times lower."""
        found = [self._all_of(list(e.parts), d, self.r.expansion) for e in term.expansions]
        if (self.loose or term in self.apart_too) and term.loose_words:
            found.append(self._all_of(list(term.loose_words), d, self.r.loose))
        says = answers = None
        if term in self.meant and self.by_meaning is not None:
            says, answers = self.by_meaning(self, term, d)
            found.append(says)
        scores = [s for s in found if s is not None]
        ws = term.near_words
        if not scores and not is_near(d, ws, self.r.near_window) and not self._under(ws or lift_words(term)[0], d):
            # only an answer to the term (or part of it): ranked meaning_remedy times lower, as embedded
            return None if answers is None else (answers + self.r.related * self.lift(term, d)) * self.r.meaning_remedy
        return sum(scores) + self.r.related * self.lift(term, d)

    def _all_of(self, parts: list[str], d: Doc, weight: float) -> float | None:
        """``weight`` × the parts' exact scores where every one stands (None where one does not)."""
        keys = [k for k in (word_keys(p) for p in parts) if k]
        if not keys or not all(d.has(word_needle(p)) for p in parts if word_keys(p)):
            return None
        return weight * sum(self.gram_score(k, d) for k in keys)

    def _under(self, ws, d: Doc) -> bool:
        return bool(ws) and all(d.head_count(w) for w in ws)


def matched_by_expression(term: Term, d: Doc, apart: bool) -> bool:
    """Whether ``d`` is a related match of ``term`` by the expressions of its tiers (a concept
    entry, the words under its headings, with ``apart`` its words apart), not only by what
    the front found (words near each other, meaning): :class:`kb.engines.sphinx.tiers.Tiers`'s
    ``rest`` against its ``ids``."""
    if any(_all_there(list(e.parts), d) for e in term.expansions):
        return True
    ws = list(dict.fromkeys(term.near_words or lift_words(term)[0]))
    if ws and all(d.head_count(w) for w in ws):
        return True
    return apart and bool(term.loose_words) and _all_there(list(term.loose_words), d)


def _all_there(parts: list[str], d: Doc) -> bool:
    there = [p for p in parts if word_keys(p)]
    return bool(there) and all(d.has(word_needle(p)) for p in there)


def is_near(d: Doc, ws, window: int) -> bool:
    """Whether every word of ``ws`` (two or more) starts within ``window`` positions of one
    place where the first starts (:meth:`kb.engines.embedded.reader.Postings.near`)."""
    if len(ws) < 2:
        return False
    starts = [d.starts(word_needle(w)) for w in ws]
    return any(all(any(abs(s - a) <= window for s in other) for other in starts[1:]) for a in starts[0])


def _literal(tree, d: Doc) -> bool:
    """Whether ``d`` matches a tree literally (no related tiers): for exclusions."""
    if isinstance(tree, Term):
        return d.has(tree.keys)
    if isinstance(tree, Not):
        return not _literal(tree.item, d)
    found = [_literal(x, d) for x in tree.items]
    return any(found) if isinstance(tree, Or) else all(found)


def _text(term: Term) -> str:
    return "".join("".join(run) for run in term.keys)

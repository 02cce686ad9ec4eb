"""Tiers: a query tree evaluated on the postings (:mod:`kb.engines.embedded.reader`) in two tiers,
and why a paragraph matches (the query half of the embedded engine,
:mod:`kb.engines.embedded.engine`, which selects, counts and orders what this finds).

A term's exact match of its units (:meth:`Postings.term`), lifted by its jieba words and
headings, ranks above every related match -- its concept expansions, its words near each
other in any order (:meth:`Postings.near`), its words in the headings above, a common
word that does not veto, and loose, its words apart; notes that explain terms and very
short paragraphs rank lower (weights: :class:`kb.core.settings.Ranking`).
:func:`explain_doc` says why. The sets are combined as :mod:`kb.engines.embedded.scored` says.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from kb.core.cache import LRU
from kb.core.settings import Ranking
from kb.engines import meaningtiers as mt
from kb.engines.embedded import kernels
from kb.engines.embedded.reader import Postings
from kb.engines.embedded.scored import Scored, intersection, minus, union
from kb.engines.embedded.whole import by_whole_query, explain_whole
from kb.engines.protocol import TIER
from kb.engines.query import Not, Or, Term, own_terms
from kb.text import textnorm, words


def lift(term: Term, p: Postings, r: Ranking, docs: np.ndarray) -> np.ndarray:
    """What lifts paragraphs where the term is a jieba word or in a heading (added to
    the score of an exact match, never a match by itself): for each of ``docs`` (the
    term's exact matches), looked up for them only."""
    norm = _text(term)
    ws = _cut(norm)
    clauses = [("words", w, r.word) for w in ws] + [("heads", w, r.heading) for w in ws]
    if norm not in ws:
        clauses.append(("words", norm, r.whole_word))
    out = np.zeros(len(docs))
    for name, w, weight in clauses:  # summed in this order, as a union of the clauses would
        out += p.word_scores(name, w, docs) * weight
    return out


def all_of(parts: list[str], p: Postings, within: np.ndarray | None, score: bool) -> Scored:
    """Paragraphs with every one of ``parts`` (each matched exactly), scores summed:
    matched first, then scored where all of them stand."""
    if not parts:
        return Scored.empty()
    if len(parts) == 1:  # one part (a concept's other name): matched and scored in one pass
        return p.term(_word_keys(parts[0]), within, score=score)
    found = []
    for part in parts:
        x = p.term(_word_keys(part), within, score=False)
        if not len(x):
            return Scored.empty()
        found.append(x)
    common = intersection(found)
    if not score or not len(common):
        return common
    only = mask_of(p, common.docs)
    return intersection([p.term(_word_keys(part), only) for part in parts])


def _text(term: Term) -> str:
    """A term's unit keys as one string (its normalized text)."""
    return "".join("".join(run) for run in term.keys)


def _cut(text: str) -> list[str]:
    """The jieba words of ``text`` that hold a letter or a digit."""
    return [w for w in words.cut(text) if any(c.isalnum() for c in w)]


def mask_of(p: Postings, docs: np.ndarray) -> np.ndarray:
    """A mask over all documents that allows ``docs``."""
    m = np.zeros(p.n_all, dtype=bool)
    m[docs] = True
    return m


@dataclass
class Tiers:
    """What a query tree matches exactly, and what it matches only as related (disjoint)."""

    exact: Scored
    related: Scored


def kind_factors(p: Postings, r: Ranking) -> np.ndarray:
    """Per document (global number): 1, up to ``1 + r.deeds`` for a paragraph that says what was
    done (its actions and numbers, :func:`kb.enrich.deeds.level`), lower for a note that explains
    a term (:func:`kb.enrich.paragraphs.is_note`, or of section kind 名词解释) and for a paragraph
    shorter than ``r.short`` characters (a heading alone, an introduction): they rank below
    paragraphs that say what was done."""
    f = np.ones(p.n_all)
    marks = p.notes()
    f *= 1 + r.deeds * np.minimum(marks >> 1, 4) / 4  # what was done: actions and numbers (kb.enrich.deeds)
    f[marks & 1 > 0] = r.glossary
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
    found = union([exact, Scored(t.related.docs, t.related.scores * factors[t.related.docs])], p.n_all)
    whole = by_whole_query(tree, p, r, found)  # the last: close in meaning to the query as a whole
    return union([found, whole], p.n_all) if len(whole) else found


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
        return Tiers(minus(p.everything(), match_only(tree.item, p)), Scored.empty())
    if isinstance(tree, Or):
        parts = [tiers(x, p, r, loose, memo) for x in tree.items]
        exact = union([t.exact for t in parts], p.n_all)
        return Tiers(exact, minus(union([t.related for t in parts], p.n_all), exact.docs))
    return _and_tiers(tree, p, r, loose, memo)


def _and_tiers(tree, p: Postings, r: Ranking, loose: bool, memo: LRU | None) -> Tiers:
    """AND: the tiers of its positive parts together (:func:`_all_parts`; every paragraph
    exact if there is none), without what its excluded parts match."""
    positives = [x for x in tree.items if not isinstance(x, Not)]
    parts = [tiers(x, p, r, loose, memo) for x in positives]
    t = _all_parts(positives, parts, p, r) if parts else Tiers(p.everything(), Scored.empty())
    for x in tree.items:
        if isinstance(x, Not):
            out = match_only(x.item, p)
            t = Tiers(minus(t.exact, out), minus(t.related, out))
    return t


def _all_parts(positives: list, parts: list[Tiers], p: Postings, r: Ranking) -> Tiers:
    """Exact where every part is exact; related where every part is, exactly or related,
    but a common part (:func:`_is_common`) only adds to the score."""
    exact = intersection([t.exact for t in parts])
    rarest = min(len(t.exact) for t in parts)
    common = [_is_common(x, t, p, r, rarest) for x, t in zip(positives, parts, strict=True)]
    needed = [t for t, c in zip(parts, common, strict=True) if not c] or parts
    anyhow = intersection([_either(t, p) for t in needed])
    if len(needed) < len(parts):  # the common words add to the score, veto nothing
        anyhow = anyhow.plus(union([_either(t, p) for t, c in zip(parts, common, strict=True) if c], p.n_all))
    return Tiers(exact, minus(anyhow, exact.docs))


def _is_common(x, t: Tiers, p: Postings, r: Ranking, rarest: int) -> bool:
    """Whether a part of an AND is a common word: an unquoted term that matches exactly in
    more than ``r.common`` of the paragraphs and ``r.common_ratio`` times as many as the
    rarest part (优化 beside 营商环境)."""
    return (isinstance(x, Term) and not x.quoted and len(t.exact) >= r.common * max(1, len(p))
            and len(t.exact) >= r.common_ratio * rarest)


def _either(t: Tiers, p: Postings) -> Scored:
    """A part's paragraphs, exact or related."""
    return union([t.exact, t.related], p.n_all)


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
    """Exact: the characters together, lifted by words and headings. Related (never for a
    quoted term), looked up among the other paragraphs only (an exact one is never
    related): :func:`_related`."""
    direct = p.term(term.keys)
    exact = Scored(direct.docs, direct.scores + lift(term, p, r, direct.docs)) if len(direct) else direct
    if term.quoted:
        return Tiers(exact, Scored.empty())
    others = p.live.copy()
    others[exact.docs] = False
    return Tiers(exact, _related(term, p, r, loose, others, by_meaning_too=len(exact) < r.meaning_below))


def _related(term: Term, p: Postings, r: Ranking, loose: bool, others: np.ndarray, by_meaning_too: bool = True) -> Scored:
    """A term's related matches among ``others`` (a mask): the concept entries, the words
    near each other, the words in the headings above, and with ``loose`` the words apart; and
    (``by_meaning_too``: the term has fewer than ``r.meaning_below`` exact matches) by meaning;
    each scored on the paragraphs it adds alone, then lifted by the term's words and
    headings (``r.related`` of what lifts an exact match)."""
    ws = term.near_words
    found = [all_of(list(e.parts), p, others, True).boosted(r.expansion) for e in term.expansions]
    found += [_near(ws, p, r, others), _under_headings(ws or _cut(_text(term)), p, others),
              _apart(term, p, r, loose, others)]
    meant, answers = _meaning_tiers(term, p, r, others) if by_meaning_too else (Scored.empty(), Scored.empty())
    if len(meant) and not loose and not any(len(x) for x in found):
        found.append(_apart(term, p, r, True, others))  # the words apart, as when nothing matched at all
    related = union([*found, meant], p.n_all)
    if len(related):
        related = Scored(related.docs, related.scores + r.related * lift(term, p, r, related.docs))
    answers = minus(answers, related.docs)
    if not len(answers):
        return related
    answers = Scored(answers.docs, (answers.scores + r.related * lift(term, p, r, answers.docs)) * r.meaning_remedy)
    return union([related, answers], p.n_all)


def _near(ws: tuple[str, ...], p: Postings, r: Ranking, others: np.ndarray) -> Scored:
    """Paragraphs among ``others`` where the words ``ws`` stand within ``r.near_window``
    characters of each other, in any order (unscored; none without such words)."""
    if not ws:
        return Scored.empty()
    near = p.near([_word_keys(w) for w in ws], r.near_window, others)
    return Scored(near, np.zeros(len(near)))


def _under_headings(ws: list[str] | tuple[str, ...], p: Postings, others: np.ndarray) -> Scored:
    """Paragraphs among ``others`` under headings that hold every one of the words ``ws``
    (unscored)."""
    heads = [p.word_docs("heads", w) for w in ws]
    if not heads or not all(len(h) for h in heads):
        return Scored.empty()
    under = intersection([Scored(h, np.zeros(len(h))) for h in heads]).docs
    under = under[others[under]]
    return Scored(under, np.zeros(len(under)))


def by_meaning(term: Term, p: Postings, r: Ranking, others: np.ndarray | None) -> Scored:
    """Paragraphs among ``others`` close in meaning to the term (:attr:`Term.meaning`): a word
    of each slot -- the term's word or one near it in meaning -- within ``r.meaning_window``
    characters of the first; scored ``r.meaning`` times each such word's BM25 times its
    similarity."""
    return union(list(_meaning_tiers(term, p, r, others)), p.n_all)


def _meaning_tiers(term: Term, p: Postings, r: Ranking, others: np.ndarray | None) -> tuple[Scored, Scored]:
    """A term's matches by meaning (:func:`by_meaning`) in two (:mod:`kb.engines.meaningtiers`, both
    engines' parts): those that say what the term says (every slot, or all but one where the one left
    out is somewhere in the paragraph), and lower those that answer it -- a problem's other words
    beside a word of remedy, or of two words the one that is not common -- or say only part of it
    (all slots but one, that one nowhere: 治理 · 薄弱 in a list of problems for 基层治理薄弱); ranked
    ``r.meaning_remedy`` times lower, after the others."""
    e = term.meaning
    if e is None:
        return Scored.empty(), Scored.empty()
    alone = mt.but_common(e, r, len(p), lambda w: p.word_count("words", w))
    found, lower = [], []
    for part in mt.parts(e, r, alone):
        got = _slots_near(e, part.slots, p, r, others).boosted(part.weight)
        if part.kind == mt.EITHER and len(got):  # said where the slot left out is anywhere in it
            anywhere = p.near_any([[_word_keys(w) for w in part.missing]], 0, mask_of(p, got.docs))
            keep = np.isin(got.docs, anywhere, assume_unique=True)
            found.append(Scored(got.docs[keep], got.scores[keep]))
            lower.append(Scored(got.docs[~keep], got.scores[~keep]))
        elif len(got) or part.kind == mt.SAYS:
            (found if part.kind == mt.SAYS else lower).append(got)
    return union(found, p.n_all), union(lower, p.n_all)


def _slots_near(e, slots: tuple[tuple[str, ...], ...], p: Postings, r: Ranking, others: np.ndarray | None) -> Scored:
    """Paragraphs where a word of every one of ``slots`` stands within ``r.meaning_window`` of
    the first slot's, scored ``r.meaning`` times each slot's best word's BM25 times its similarity
    (:func:`kb.engines.meaningtiers.slot_scores`)."""
    docs = p.near_any([[_word_keys(w) for w in slot] for slot in slots], r.meaning_window, others)
    if not len(docs):
        return Scored.empty()
    scores = mt.slot_scores(e, slots, lambda w: p.word_scores("words", w, docs), np.zeros(len(docs)))
    return Scored(docs, scores * r.meaning)


@functools.lru_cache(maxsize=8192)
def _word_keys(word: str) -> list[list[str]]:
    """A word's unit keys (the words of meaning slots, of concept entries and near words recur
    from search to search; read, never changed)."""
    return textnorm.unit_keys(word)


def _apart(term: Term, p: Postings, r: Ranking, loose: bool, others: np.ndarray) -> Scored:
    """With ``loose``, paragraphs among ``others`` with all the term's words anywhere,
    scored ``r.loose`` times (none without ``loose``)."""
    if not (loose and term.loose_words):
        return Scored.empty()
    return all_of(list(term.loose_words), p, others, True).boosted(r.loose)


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
    out = {"match": tier, "score": round(score * float(factors[doc]), 4), "raw_score": round(score, 4),
           "factor": round(float(factors[doc]), 3), "deeds": int(p.notes()[doc]) >> 1, "terms": terms}
    if tier == "none" and tree is not None:  # close in meaning to the whole query (kb.engines.embedded.whole)
        found = union([Scored(t.exact.docs, t.exact.scores * factors[t.exact.docs] + TIER),
                       Scored(t.related.docs, t.related.scores * factors[t.related.docs])], p.n_all)
        out |= explain_whole(tree, p, r, doc, found)
    return out


def _explain_term(term: Term, p: Postings, r: Ranking, at, has) -> dict:
    """A term's parts of a document's score (``at``: a set's score there; ``has``:
    whether documents hold it): its exact parts, then (unquoted) its related ones."""
    parts = _exact_parts(term, p, r, at)
    if not term.quoted:
        parts |= _related_parts(term, p, r, at, has)
    return {"term": term.text, "quoted": term.quoted,
            "parts": {k: round(v, 4) for k, v in parts.items() if v or k.startswith("words near")}}


def _exact_parts(term: Term, p: Postings, r: Ranking, at) -> dict[str, float]:
    """The characters together, each jieba word in the text and in the headings, and the
    whole term as a word when jieba cuts it."""
    norm = _text(term)
    ws = _cut(norm)
    parts = {"characters together": at(p.term(term.keys))}
    parts |= {f"word {w}": at(p.word("words", w).boosted(r.word)) for w in ws}
    parts |= {f"heading word {w}": at(p.word("heads", w).boosted(r.heading)) for w in ws}
    if norm not in ws:
        parts[f"whole word {norm}"] = at(p.word("words", norm).boosted(r.whole_word))
    return parts


def _related_parts(term: Term, p: Postings, r: Ranking, at, has) -> dict[str, float]:
    """Each concept entry's score, and whether the words stand near each other (0)."""
    parts = {f"concept {e.label}": at(all_of(list(e.parts), p, None, True).boosted(r.expansion))
             for e in term.expansions}
    near = term.near_words
    if near and has(p.near([textnorm.unit_keys(w) for w in near], r.near_window)):
        parts[f"words near: {' '.join(near)}"] = 0.0
    if term.meaning is not None:
        slots = " · ".join("/".join(slot) for slot in term.meaning.alternatives())
        said, answers = _meaning_tiers(term, p, r, None)
        parts[f"meaning: {slots}"] = at(said)
        if not at(said) and at(answers):  # ranked r.meaning_remedy lower: it answers the term, does not say it
            remedy = term.meaning.remedy()
            how = " · ".join("/".join(slot[:4]) + ("/…" if len(slot) > 4 else "") for slot in remedy) if remedy \
                else "one word of two, the other common"
            parts[f"answers it, or says part of it (×{r.meaning_remedy}): {how}"] = at(answers)
    return parts


def match_only(tree, p: Postings) -> np.ndarray:
    """The paragraphs a tree matches, unscored and unexpanded (for exclusions)."""
    if isinstance(tree, Term):
        return p.term(tree.keys).docs
    if isinstance(tree, Not):
        return minus(p.everything(), match_only(tree.item, p)).docs
    parts = [match_only(x, p) for x in tree.items]
    if isinstance(tree, Or):
        return kernels.union_sorted(parts)
    out = parts[0]
    for x in parts[1:]:
        out = np.intersect1d(out, x, assume_unique=True)
    return out

"""The meaning tier on the cluster (issue 27's, :func:`kb.engines.embedded.tiers.by_meaning`):
worked out on the front, for the sphinx engine (:mod:`kb.engines.sphinx.engine`,
:mod:`kb.engines.sphinx.tiers`, :mod:`kb.engines.sphinx.rank`).

A term's expansion by meaning (:attr:`kb.engines.query.Term.meaning`: slots, each the term's
word and the words near it in meaning, from the shipped model, the same for both engines)
counts when the term has fewer than ``Ranking.meaning_below`` exact matches. Then:

- **candidates**: the paragraphs that are not exact matches and hold some word of every slot
  (of all the slots, or of every slot but one when there are three or more: ``partial``), read
  with their unit keys, at most :data:`CANDIDATES` (more: no meaning tier for the term, a
  known difference, docs/CLUSTER.md), in the trip that reads what the compiling needs;
- **found**: those where a word of each slot starts within ``Ranking.meaning_window``
  positions of one of the first slot's (:func:`near_any`, what
  :meth:`kb.engines.embedded.reader.Postings.near_any` looks for), named by their ``ident``
  token in the related expression;
- **score** (:func:`score`): ``Ranking.meaning`` × each slot word's BM25 in the paragraph's
  jieba words × its similarity, ×``meaning_partial`` for all words but one;
- when it finds paragraphs and no other related tier of the term does (and the words apart
  are not asked for), the term's words apart count too, as in the embedded engine.
"""

from __future__ import annotations

from kb.core.settings import Ranking
from kb.engines.query import Term
from kb.engines.sphinx import rank
from kb.engines.sphinx import schema as S
from kb.engines.sphinx.client import quote

CANDIDATES = 5000  # paragraphs read to find a term's words near in meaning (more: no meaning tier)


def slot_sets(term: Term) -> list[tuple[tuple[str, ...], ...]]:
    """The slot sets a paragraph may match: all the slots, then each set of all but one."""
    e = term.meaning
    return [e.alternatives(), *e.partial()] if e is not None else []


def words(term: Term) -> list[str]:
    """Every word of the term's slots (what the score needs the frequency of)."""
    e = term.meaning
    return list(dict.fromkeys(w for slot in e.alternatives() for w in slot)) if e is not None else []


def _slot_expr(slot: tuple[str, ...]) -> str:
    phrases = [S.phrase(k) for k in (rank.word_keys(w) for w in slot) if k]
    return "(" + " | ".join(phrases) + ")" if phrases else ""


def candidates(term: Term) -> str:
    """The statement that reads the term's candidates (one more than :data:`CANDIDATES`)."""
    sets = slot_sets(term)
    loosest = sets[1:] or sets  # every partial set holds the whole one's matches
    each = ["(" + " ".join(_slot_expr(s) for s in slots) + ")" for slots in loosest]
    match = f"(({' | '.join(each)}) -{S.phrase(term.keys)})"
    return (f"SELECT pid, units, section FROM {S.PARAGRAPHS} WHERE MATCH({quote(match)}) LIMIT 0, {CANDIDATES + 1} "
            f"OPTION ranker=none, max_matches={max(1000, CANDIDATES + 1)}")


def near_any(d: rank.Doc, slots: tuple[tuple[str, ...], ...], window: int) -> bool:
    """Whether some word of every slot starts within ``window`` positions of one place where
    a word of the first slot starts."""
    starts = [sorted({s for w in slot for s in d.starts(rank.word_keys(w))}) for slot in slots]
    if not all(starts):
        return False
    return any(all(any(abs(s - a) <= window for s in other) for other in starts[1:]) for a in starts[0])


def matched(term: Term, d: rank.Doc, r: Ranking) -> list[tuple[tuple[str, ...], ...]]:
    """The slot sets of ``term`` that ``d`` matches (none: not close in meaning)."""
    return [slots for slots in slot_sets(term) if near_any(d, slots, r.meaning_window)]


def found(term: Term, rows: list[tuple], r: Ranking) -> list[str] | None:
    """Of the candidates (pid, unit keys, section), the paragraphs close in meaning to the term (None:
    too many candidates to read)."""
    if len(rows) > CANDIDATES:
        return None
    return [str(pid) for pid, units, _ in rows if matched(term, rank.Doc({"text": "", "units": units}), r)]


def score(scorer: rank.Scorer, term: Term, d: rank.Doc) -> float | None:
    """The meaning tier's score of ``d`` for ``term`` (None: not close in meaning)."""
    e, r = term.meaning, scorer.r
    sets = matched(term, d, r)
    if e is None or not sets:
        return None
    wl, out = d.words_len, 0.0
    for slots in sets:
        s = sum(scorer.bm25(d.words.get(w, 0), scorer.idf(rank.word_expr(w)), wl, "words") * e.similarity(w)
                for slot in slots for w in slot)
        out += r.meaning * s * (1.0 if slots == e.alternatives() else r.meaning_partial)
    return out

"""The meaning tiers on the cluster (issue 27's, :mod:`kb.engines.meaningtiers`, the parts both
engines share): worked out on the front, for the sphinx engine (:mod:`kb.engines.sphinx.engine`,
:mod:`kb.engines.sphinx.tiers`, :mod:`kb.engines.sphinx.rank`).

A term's expansion by meaning (:attr:`kb.engines.query.Term.meaning`: slots, each the term's
word and the words near it in meaning, from the model in use: the shipped one grown with the
corpus the push sent, :mod:`kb.engines.sphinx.grown`) counts when the term has fewer than
``Ranking.meaning_below`` exact matches. Then, for each group of its parts (:data:`GROUPS`: those
that say the term -- every slot, all but one -- and the answers to a problem, 应对的措施):

- **candidates**: the paragraphs that are not exact matches and hold some word of every slot of
  some part of the group, read with their unit keys, at most :data:`CANDIDATES` a group (more: no
  such tier for the term, a known difference, docs/CLUSTER.md), in the trip that reads what the
  compiling needs;
- **found** (:func:`found`): those where a word of each slot of a part starts within
  ``Ranking.meaning_window`` positions of one of its first slot's (:func:`near_any`, what
  :meth:`kb.engines.embedded.reader.Postings.near_any` looks for), named by their ``ident``
  token in the related expression (or read by id);
- a term of two words, one of them common (:func:`kb.engines.meaningtiers.but_common`, told by
  the counts of the paragraphs whose jieba words hold them, :func:`kb.engines.sphinx.rank.word_expr`), has the other word alone as an answer: a
  phrase of the related expression (no candidates to read);
- **score** (:func:`score`): each part's slots by their best word (``Ranking.meaning`` × its BM25
  in the paragraph's jieba words × its similarity), × the part's weight; a paragraph only an
  answer (or all slots but one, that one nowhere in it) finds ranks ``meaning_remedy`` times
  lower, after the others, as embedded;
- when the parts that say the term find paragraphs and no other related tier of the term does
  (and the words apart are not asked for), the term's words apart count too, as embedded.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from kb.core.settings import Ranking
from kb.engines import meaningtiers as mt
from kb.engines.query import Term
from kb.engines.sphinx import rank
from kb.engines.sphinx import schema as S
from kb.engines.sphinx.client import quote

CANDIDATES = 5000  # paragraphs read for a group of a term's meaning parts (more: none of that group)
GROUPS = ("says", "answers")  # the parts that say the term, the answers to a problem: each read apart


class Found(NamedTuple):
    """A group's paragraphs close in meaning to a term, and how many of them say it."""

    pids: list[str]
    says: int


def listed(term: Term, r: Ranking, group: str) -> list[mt.Part]:
    """The parts of ``group`` the front finds from candidates (the words alone of a term of two
    words are matched by phrases instead)."""
    e = term.meaning
    if e is None:
        return []
    return [p for p in mt.parts(e, r) if (p.kind == mt.ANSWERS) == (group == "answers")]


def words(term: Term, r: Ranking) -> list[str]:
    """Every word of the term's parts (what the score needs the frequency of)."""
    e = term.meaning
    if e is None:
        return []
    return list(dict.fromkeys(w for p in mt.parts(e, r) for slot in p.slots for w in slot))


def _slot_expr(slot: tuple[str, ...]) -> str:
    phrases = [S.phrase(k) for k in (rank.word_keys(w) for w in slot) if k]
    return "(" + " | ".join(phrases) + ")" if phrases else ""


def candidates(term: Term, r: Ranking, group: str) -> str | None:
    """The statement that reads the candidates of ``group`` (one more than :data:`CANDIDATES`),
    None when the group has no part."""
    sets = [p.slots for p in listed(term, r, group)]
    if not sets:
        return None
    # a part whose slots hold another's finds only what that one finds
    loosest = [s for s in sets if not any(o != s and set(o) <= set(s) for o in sets)]
    each = ["(" + " ".join(_slot_expr(slot) for slot in slots) + ")" for slots in loosest]
    match = f"(({' | '.join(each)}) -{S.phrase(term.keys)})"
    return (f"SELECT pid, units, section FROM {S.PARAGRAPHS} WHERE MATCH({quote(match)}) LIMIT 0, {CANDIDATES + 1} "
            f"OPTION ranker=none, max_matches={max(1000, CANDIDATES + 1)}")


def near_any(d: rank.Doc, slots: tuple[tuple[str, ...], ...], window: int) -> bool:
    """Whether some word of every slot starts within ``window`` positions of one place where
    a word of the first slot starts."""
    starts = [sorted({s for w in slot for s in d.starts(rank.word_needle(w))}) for slot in slots]
    if not all(starts):
        return False
    return any(all(any(abs(s - a) <= window for s in other) for other in starts[1:]) for a in starts[0])


def _kind(part: mt.Part, d: rank.Doc) -> str:
    """What ``d``, which fills ``part``, is: it says the term or answers it."""
    if part.kind != mt.EITHER:
        return part.kind
    return mt.SAYS if any(d.starts(rank.word_needle(w)) for w in part.missing) else mt.ANSWERS


def found(term: Term, rows: list[tuple], r: Ranking, group: str) -> Found | None:
    """Of the candidates (pid, unit keys, section), the paragraphs close in meaning to the term
    by a part of ``group`` (None: too many candidates to read)."""
    if len(rows) > CANDIDATES:
        return None
    parts = listed(term, r, group)
    pids, says = [], 0
    for pid, units, _ in rows:
        d = rank.Doc({"text": "", "units": units})
        kinds = {_kind(p, d) for p in parts if near_any(d, p.slots, r.meaning_window)}
        if kinds:
            pids.append(str(pid))
            says += mt.SAYS in kinds
    return Found(pids, says)


def active(meant: Mapping[Term, list[Found | None]], counts: Mapping[str, int], r: Ranking,
           paragraphs: int) -> tuple[dict[Term, list[str]], dict[Term, tuple[str, ...]], set[Term]]:
    """Of the terms whose groups were read (``meant``: each group's :class:`Found`, None when too
    many to read), those with fewer exact matches than ``r.meaning_below`` (``counts``: the
    counted expressions) and a tier by meaning: (their paragraphs the front found, their words
    alone (:func:`kb.engines.meaningtiers.but_common`, by the counts of their paragraphs), the terms some paragraph of which says the term)."""
    found, alone, says = {}, {}, set()
    for t, groups in meant.items():
        if counts.get(S.phrase(t.keys), 0) >= r.meaning_below:
            continue
        got = [g for g in groups if g is not None]
        pids = list(dict.fromkeys(pid for g in got for pid in g.pids))
        words_alone = tuple(mt.but_common(t.meaning, r, paragraphs, lambda w: counts.get(rank.word_expr(w), 0)))
        if pids or words_alone:
            found[t] = pids
        if words_alone:
            alone[t] = words_alone
        if any(g.says for g in got):
            says.add(t)
    return found, alone, says


def score(scorer: rank.Scorer, term: Term, d: rank.Doc) -> tuple[float | None, float | None]:
    """The meaning tiers' scores of ``d`` for ``term``: (as saying it, as answering it); None
    where it does not."""
    e, r = term.meaning, scorer.r
    if e is None:
        return None, None
    wl = d.words_len

    def word_score(w: str) -> float:
        return scorer.bm25(d.word_count(w), scorer.idf(rank.word_expr(w)), wl, "words")

    out: dict[str, float] = {}
    for part in mt.parts(e, r, list(scorer.meant.get(term, ()))):
        if near_any(d, part.slots, r.meaning_window):
            kind = _kind(part, d)
            out[kind] = out.get(kind, 0.0) + mt.slot_scores(e, part.slots, word_score, 0.0) * r.meaning * part.weight
    return out.get(mt.SAYS), out.get(mt.ANSWERS)

"""The meaning tiers of a term, both engines' (issue 27; :mod:`kb.engines.embedded.tiers` and
:mod:`kb.engines.sphinx.meaning` each give only how to find and score the paragraphs of a part).

A term's expansion by meaning (:class:`kb.text.meaning.Expansion`: slots, each the term's word and
the words near it in meaning) makes these parts (:func:`parts`), each a set of slots that some word
of every one must fill within ``Ranking.meaning_window`` units of a place of the first slot's:

- **says** the term (:data:`SAYS`): every slot;
- **all but one** (:data:`EITHER`, ×``meaning_partial``; three slots or more, never leaving out a
  problem word): it says the term where a word of the slot left out stands anywhere in the
  paragraph, else only part of it (部分相近, ranked with the answers);
- **answers** it (:data:`ANSWERS`, ranked ``meaning_remedy`` times lower, after the others): a
  problem's other words beside a word of remedy (:meth:`Expansion.remedies`: 应对的措施; all of
  them but one ×``meaning_partial``), two or more of them together without one (×``meaning_partial``, the last:
  充分发挥法律顾问作用 for 法律顾问作用发挥不够, issue 27's tenth round), and of a term of two words, neither of
  a problem, one of them common (:func:`but_common`), the other alone (残疾人两项补贴 for 残疾人服务).

Each slot of a part scores once, by its best word (:func:`slot_scores`): ``meaning`` × the word's
BM25 in the paragraph's jieba words × its similarity (a list of ten problems is not ten times one).

The whole query's meaning (the last related matches) is computed alike too: :func:`common_direction`,
:func:`whole_similarities`, :func:`closest`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from kb.core.settings import Ranking
from kb.text import meaning
from kb.text.meaning import WHOLE_FILL_SIM, WHOLE_MANY_SIM, WHOLE_MIN_SIM, Expansion, is_hard

SAYS, EITHER, ANSWERS = "says", "either", "answers"

Slots = tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Part:
    """A set of slots a paragraph may fill, its weight, and what filling it makes of the
    paragraph (:data:`SAYS`, :data:`ANSWERS`, or :data:`EITHER`: says where a word of
    ``missing`` stands anywhere in it, else answers)."""

    slots: Slots
    weight: float
    kind: str
    missing: tuple[str, ...] = ()


def two_words(e: Expansion) -> tuple[str, str] | None:
    """A term of two words, neither of a problem or a difficulty: the two (whose paragraphs
    :func:`but_common` counts), else None."""
    alts = e.alternatives()
    if len(alts) != 2 or any(is_hard(a[0]) for a in alts):
        return None
    return alts[0][0], alts[1][0]


def but_common(e: Expansion, r: Ranking, paragraphs: int, count: Callable[[str], int]) -> list[str]:
    """For a term of two words (:func:`two_words`), one of them common (its paragraphs, ``count``,
    in ``r.common`` of the ``paragraphs`` and ``r.common_ratio`` times as many as the other's: 服务
    of 残疾人服务, 安全 of 粮食安全): the other word, which says the measure alone. As the common
    word of an AND, it adds to the score but does not veto."""
    pair = two_words(e)
    if pair is None:
        return []
    counts = [count(w) for w in pair]
    out = []
    for i, n in enumerate(counts):
        other = counts[1 - i]
        if n >= r.common * max(1, paragraphs) and n >= r.common_ratio * max(1, other) and other:
            out.append(pair[1 - i])
    return out


def parts(e: Expansion, r: Ranking, alone: list[str] = ()) -> list[Part]:
    """The parts of a term's meaning tiers, in the order their scores add up; ``alone``: the
    words :func:`but_common` found."""
    alts = e.alternatives()
    out = [Part(alts, 1.0, SAYS)]
    out += [Part(((w,),), 1.0, ANSWERS) for w in alone]
    out += [Part(slots, 1.0, SAYS) if e.says_without(slots) else
            Part(slots, r.meaning_partial, EITHER, next(a for a in alts if a not in slots)) for slots in e.partial()]
    out += [Part(slots, 1.0 if not i or e.says_without(slots) else r.meaning_partial, ANSWERS)
            for i, slots in enumerate(e.remedies())]
    return out


def slot_scores(e: Expansion, slots: Slots, word_score: Callable[[str], object], zero) -> object:
    """The sum over ``slots`` of each one's best word's ``word_score`` (its BM25 in the jieba words,
    a number or an array over paragraphs) × its similarity, × ``r.meaning`` by the caller; ``zero``:
    the score of no word (0.0 or an array of zeros)."""
    total = zero
    for slot in slots:  # each slot counts once, by its best word: a list of ten problems is not ten times one
        best = zero
        for w in slot:
            if sim := e.similarity(w):
                best = np.maximum(best, word_score(w) * sim)
        total = total + best
    return total


# -- the whole query's meaning (the last related matches: kb.engines.embedded.whole, kb.engines.sphinx.whole) --


def common_direction(vectors: np.ndarray, live) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """The direction the paragraphs' vectors share (the mean of the ``live`` ones, of length 1),
    each paragraph's cosine with it, and the length of what is left of each once it is taken out
    (None without vectors)."""
    u = vectors[live].mean(axis=0) if vectors is not None and len(vectors[live]) else None
    n = float(np.linalg.norm(u)) if u is not None else 0.0
    if not n:
        return None
    vu = np.einsum("ij,j->i", vectors, u / n)  # not BLAS: its threads cost a shared machine
    return u / n, vu, np.sqrt(np.maximum(1.0 - vu * vu, 1e-6))


def whole_similarities(vectors: np.ndarray, q: np.ndarray, common, docs: np.ndarray | None = None) -> np.ndarray:
    """Each paragraph's (of the rows ``docs``, default all) cosine with the query's vector ``q`` once
    the direction all paragraphs share (:func:`common_direction`) is taken out of both (a mean of
    word vectors leans towards the corpus's common words, so that every query is near every paragraph)."""
    u, vu, left = common
    qu = float(q @ u)
    rest = max(1.0 - qu * qu, 1e-6) ** 0.5
    if docs is None:
        return (np.einsum("ij,j->i", vectors, q.astype(np.float32)) - vu * qu) / left / rest
    return (np.einsum("ij,j->i", vectors[docs], q.astype(np.float32)) - vu[docs] * qu) / left[docs] / rest


def with_feedback(q: np.ndarray, rows: np.ndarray, common, weight: float) -> np.ndarray:
    """The query's vector ``q`` moved towards ``rows`` (the vectors of its other matches: pseudo-
    relevance feedback, Rocchio's): both with the direction all paragraphs share taken out and of
    length 1, ``q`` plus ``weight`` times the mean of ``rows``, of length 1. A query whose words the
    reports write otherwise (服务型执法 · 刚性柔性相结合) is near what its matches also say. Orthogonal to
    the common direction, so :func:`whole_similarities` takes it as it is; ``q`` unchanged when there
    is nothing to move by."""
    u = common[0]
    if weight <= 0 or not len(rows):
        return q
    qr = q - float(q @ u) * u
    rs = rows.astype(np.float32) - np.outer(rows @ u, u)
    rs /= np.maximum(np.linalg.norm(rs, axis=1), 1e-6)[:, None]
    c = rs.mean(axis=0)
    out = qr / max(float(np.linalg.norm(qr)), 1e-6) + weight * c / max(float(np.linalg.norm(c)), 1e-6)
    n = float(np.linalg.norm(out))
    return (out / n).astype(np.float32) if n > 1e-6 else q


def closest(sims: np.ndarray, others: int, fill: int) -> np.ndarray:
    """The paragraphs (rows of ``sims``, those left out at -1) closest to the whole query, in the
    rows' order: the :data:`kb.text.meaning.WHOLE_TOP` closest at :data:`kb.text.meaning.WHOLE_MIN_SIM`
    or more (:data:`kb.text.meaning.WHOLE_MANY_SIM` when the ``others`` the other tiers found fill a
    page, ``fill``: 林长制 is close to 河长制 but another measure); and when the others are fewer
    than a page, the next closest down to :data:`kb.text.meaning.WHOLE_FILL_SIM` until they and the
    others are :data:`kb.text.meaning.WHOLE_TOP` (ties: the first rows)."""
    least = WHOLE_MIN_SIM if others < fill else WHOLE_MANY_SIM
    near = np.flatnonzero(sims >= min(least, WHOLE_FILL_SIM))
    near = near[np.argsort(-sims[near], kind="stable")]
    close = int(np.count_nonzero(sims[near] >= least))
    top = meaning.WHOLE_TOP_ANSWERED if others else meaning.WHOLE_TOP
    take = max(min(close, top), top - others if others < fill else 0)
    return np.sort(near[:take])

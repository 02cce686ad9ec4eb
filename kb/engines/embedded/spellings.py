"""Spellings: what to search instead when a term finds nothing, from the index's own vocabulary
(the embedded engine's ``spellings``; the search layer adds related topics, kb.search.suggestions).

- **near spellings** from the index's own vocabulary: a term that matches nothing is
  tried with one character replaced, dropped, or two neighbours swapped, and a variant is
  kept only if the index has it (双随机一公卡 -> 双随机一公开). Candidates for a replaced
  character come from the unit pairs (grams) of the postings: a character that stands
  after the one before it *and* before the one after it somewhere in the corpus. Every
  variant is counted with the real term match, so a suggestion never leads to an empty
  page.

Only single-run Chinese terms get spellings (a Latin or number token is one unit); the variants
and their order are :mod:`kb.engines.respell`'s, shared with the cluster's engine.
"""

from __future__ import annotations

import numpy as np

from kb.engines import respell
from kb.engines.embedded.reader import Postings
from kb.text import textnorm

MAX_CANDIDATES = 200  # replacement characters tried per position


def _replacements(p: Postings, left: str | None, right: str | None) -> set[str]:
    """Units that stand after ``left`` and before ``right`` somewhere (either may be None)."""
    found: set[str] = set()
    for seg in p.segments:
        v1 = seg.v + 1
        codes = np.asarray(seg.a["gram_codes"])
        sets = []
        if left is not None:
            cl = seg.unit_keys.get(left)
            if cl is None:
                continue
            i, j = np.searchsorted(codes, np.array([cl * v1, (cl + 1) * v1], dtype=codes.dtype))
            sets.append(codes[i:j] % v1)
        if right is not None:
            cr = seg.unit_keys.get(right)
            if cr is None:
                continue
            sets.append(codes[codes % v1 == cr] // v1)
        if not sets:
            continue
        both = sets[0] if len(sets) == 1 else np.intersect1d(sets[0], sets[1])
        both = both[both < seg.v][:MAX_CANDIDATES]
        found.update(seg.unit_keys[int(c)] for c in both)
    return found


def near_spellings(p: Postings, terms: list[str], limit: int = 3) -> list[dict]:
    """For the query's terms that match nothing, the variants the index has, most
    frequent first: ``[{"term", "instead", "paragraphs"}]`` (:mod:`kb.engines.respell`)."""
    out = []
    for term in terms:
        units = respell.respellable(term)
        if units is None or len(p.term([units])):
            continue
        found = respell.variants(units, lambda left, right: _replacements(p, left, right))
        counted = {v: (kind, len(p.term(textnorm.unit_keys(v)))) for v, kind in found.items()}
        out += respell.best(term, counted, limit)
    return out

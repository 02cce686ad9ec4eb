"""Spellings: what to search instead when a term finds nothing, from the index's own vocabulary
(the embedded engine's ``spellings``; the search layer adds related topics, kb.search.suggestions).

- **near spellings** from the index's own vocabulary: a term that matches nothing is
  tried with one character replaced, dropped, or two neighbours swapped, and a variant is
  kept only if the index has it (双随机一公卡 -> 双随机一公开). Candidates for a replaced
  character come from the unit pairs (grams) of the postings: a character that stands
  after the one before it *and* before the one after it somewhere in the corpus. Every
  variant is counted with the real term match, so a suggestion never leads to an empty
  page.

Only single-run Chinese terms get spellings (a Latin or number token is one unit).
"""

from __future__ import annotations

import numpy as np

from kb.engines.embedded.reader import Postings
from kb.text import textnorm

MAX_CANDIDATES = 200  # replacement characters tried per position
MAX_TERM = 12  # characters: longer terms are not respelled (each position costs a scan)


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
            i, j = np.searchsorted(codes, [cl * v1, (cl + 1) * v1])
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


def _variants(p: Postings, units: list[str]) -> dict[str, int]:
    """Variants of a term, each with its kind's rank: 0 a replaced character, 1 two
    swapped, 2 one dropped (a dropped last character is only a shorter prefix)."""
    out: dict[str, int] = {}
    n = len(units)
    for i in range(n):
        left = units[i - 1] if i else None
        right = units[i + 1] if i + 1 < n else None
        if left is None and right is None:
            continue
        for x in _replacements(p, left, right):
            if x != units[i] and len(x) == 1 and textnorm.is_cjk(x):
                out.setdefault("".join(units[:i] + [x] + units[i + 1:]), 0)
        if i + 1 < n:
            out.setdefault("".join(units[:i] + [units[i + 1], units[i]] + units[i + 2:]), 1)
        if n > 2:
            out.setdefault("".join(units[:i] + units[i + 1:]), 2)
    out.pop("".join(units), None)
    return out


def near_spellings(p: Postings, terms: list[str], limit: int = 3) -> list[dict]:
    """For the query's terms that match nothing, the variants the index has, most
    frequent first: ``[{"term", "instead", "paragraphs"}]``."""
    out = []
    for term in terms:
        runs = textnorm.unit_keys(term)
        if len(runs) != 1 or not 2 <= len(runs[0]) <= MAX_TERM or not all(len(u) == 1 and textnorm.is_cjk(u) for u in runs[0]):
            continue
        if len(p.term(runs)):
            continue
        counted = []
        for v, kind in _variants(p, runs[0]).items():
            n = len(p.term(textnorm.unit_keys(v)))
            if n:
                counted.append((kind, -n, v))
        kept: list[tuple[int, int, str]] = []
        for kind, n, v in sorted(counted):
            if not any(v in w and n == m for _, m, w in kept):  # not a part of a better one
                kept.append((kind, n, v))
        out += [{"term": term, "instead": v, "paragraphs": -n} for _, n, v in kept[:limit]]
    return out

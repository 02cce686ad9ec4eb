"""Respell: near spellings of a term that finds nothing, the same for every engine (each engine's
``spellings``: :mod:`kb.engines.embedded.spellings` reads its unit pairs from the postings,
:mod:`kb.engines.sphinx.features` from the cluster's ``kb_gram`` table).

A term of Chinese characters is tried with one character replaced, two neighbours swapped,
or one dropped; a replacement character is one that stands after the character before it
*and* before the character after it somewhere in the corpus (what the engine's
``replacements`` gives). Every variant is then counted with the real term match, so a
suggestion never leads to an empty page; the most frequent of each kind come first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from kb.text import textnorm

MAX_TERM = 12  # characters: longer terms are not respelled (each position costs a scan)

#: Characters that stand after ``left`` and before ``right`` somewhere (either may be None).
Replacements = Callable[[str | None, str | None], Iterable[str]]


def respellable(term: str) -> list[str] | None:
    """A term's units when it is one run of 2..:data:`MAX_TERM` Chinese characters, else None
    (a Latin or number token is one unit: it gets no spellings)."""
    runs = textnorm.unit_keys(term)
    if len(runs) != 1 or not 2 <= len(runs[0]) <= MAX_TERM:
        return None
    return runs[0] if all(len(u) == 1 and textnorm.is_cjk(u) for u in runs[0]) else None


def variants(units: list[str], replacements: Replacements) -> dict[str, int]:
    """Variants of a term, each with its kind's rank: 0 a replaced character, 1 two
    swapped, 2 one dropped (a dropped last character is only a shorter prefix)."""
    out: dict[str, int] = {}
    n = len(units)
    for i in range(n):
        left = units[i - 1] if i else None
        right = units[i + 1] if i + 1 < n else None
        if left is None and right is None:
            continue
        for x in replacements(left, right):
            if x != units[i] and len(x) == 1 and textnorm.is_cjk(x):
                out.setdefault("".join(units[:i] + [x] + units[i + 1:]), 0)
        if i + 1 < n:
            out.setdefault("".join(units[:i] + [units[i + 1], units[i]] + units[i + 2:]), 1)
        if n > 2:
            out.setdefault("".join(units[:i] + units[i + 1:]), 2)
    out.pop("".join(units), None)
    return out


def best(term: str, counted: dict[str, tuple[int, int]], limit: int) -> list[dict]:
    """The suggestions of one term from its variants' (kind, paragraphs): those found, by kind,
    then the most paragraphs; a variant that is a part of a better one as frequent is left out."""
    kept: list[tuple[int, int, str]] = []
    for kind, n, v in sorted((kind, -n, v) for v, (kind, n) in counted.items() if n):
        if not any(v in w and n == m for _, m, w in kept):
            kept.append((kind, n, v))
    return [{"term": term, "instead": v, "paragraphs": -n} for _, n, v in kept[:limit]]

"""Reference forms for the tests: what the library computes fast, written plainly.

Each is the slow, obvious form of something kb does with arrays or fast paths, kept
here (not in kb/) because only tests compare against it:

- :func:`gram`, :func:`gram_terms`: the grams of a text with their positions, as
  :mod:`kb.engines.embedded.writer` indexes them (as codes);
- :func:`matches`: whether a paragraph's text matches a query tree, the exact semantics
  in Python (what every engine's ``select`` must find);
- :func:`tuples`: each document's values of a facet column;
- :func:`doc_numbers`: every document number (文号) in a text.
"""

from __future__ import annotations

import re

from kb.engines.embedded.columns import Column
from kb.engines.query import Not, Or, Term
from kb.enrich import regulations
from kb.search.hits import found_through
from kb.text import highlight, textnorm
from kb.text.textnorm import GLUE, Unit


def gram(a: Unit, b: Unit) -> str:
    """The index term for two adjacent units (alphanumeric units are glued with |)."""
    if a.cjk and b.cjk:
        return a.key + b.key
    return a.key + GLUE + b.key


def gram_terms(text: str) -> list[tuple[str, int]]:
    """The grams of a text with their positions: a pair of units per position, the last
    unit of a run alone, one position left out at every break."""
    out: list[tuple[str, int]] = []
    pos = 0
    for run in textnorm.key_runs(text):
        last = len(run) - 1
        for i in range(last):
            a, b = run[i], run[i + 1]
            out.append((a + b if textnorm.is_cjk(a[0]) and textnorm.is_cjk(b[0]) else a + GLUE + b, pos))
            pos += 1
        out.append((run[last], pos))
        pos += 2  # a break: no phrase runs across it
    return out


def matches(tree, text: str, loose: bool = False) -> bool:
    """Whether a paragraph's text matches the tree: the exact semantics, in Python."""

    def found(term: Term) -> bool:
        if highlight.find(text, [term.keys]) or found_through(text, term):
            return True
        return loose and bool(term.loose_words) and all(
            highlight.find(text, [textnorm.unit_keys(w)]) for w in term.loose_words)

    def ev(node, literal: bool = False) -> bool:
        if isinstance(node, Term):
            return bool(highlight.find(text, [node.keys])) if literal else found(node)
        if isinstance(node, Not):
            return not ev(node.item, literal=True)  # an exclusion is literal: no expansion
        if isinstance(node, Or):
            return any(ev(x, literal) for x in node.items)
        return all(ev(x, literal) for x in node.items)

    return ev(tree)


def tuples(column: Column) -> list[tuple[str, ...]]:
    """For each document, its values."""
    vs = column.values
    if column.by_doc is not None:
        return [(vs[c],) if c >= 0 else () for c in column.by_doc.tolist()]
    ptr, codes = column.ptr.tolist(), column.codes.tolist()
    return [tuple(vs[c] for c in codes[ptr[d]:ptr[d + 1]]) for d in range(len(ptr) - 1)]


def doc_numbers(text: str) -> list[str]:
    """Every document number (文号) in ``text``: 宛发〔2021〕24号."""
    return list(dict.fromkeys(re.sub(r"\s+", "", m.group(0)) for m in regulations.DOC_NUMBER.finditer(text)))

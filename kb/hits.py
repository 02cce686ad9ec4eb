"""Hits: a stored paragraph as the search answers show it.

A hit is the paragraph's fields (as :mod:`kb.fields` says each is shown), an excerpt
with the query's matches marked (:mod:`kb.highlight`) and the concept entries through
which it was found. Hits carry ids, never URLs: the site adds its links (web/urls.py).
"""

from __future__ import annotations

from kb import fields, highlight, textnorm
from kb.engine import Engine
from kb.errors import IndexDamaged
from kb.query import Term


def found_through(text: str, term: Term) -> list[str]:
    """The expansions of ``term`` through which ``text`` matches it: those whose every
    part stands in the text (none when the term itself does)."""
    if highlight.find(text, [term.keys]):
        return []
    return [e.label for e in term.expansions
            if all(highlight.find(text, [textnorm.unit_keys(part)]) for part in e.parts)]


def hit(stored: dict, terms: list, expanded: list[Term] | None = None) -> dict:
    """The hit of a stored paragraph: its fields, the excerpt with ``terms`` (unit keys
    of each term to mark) marked, and what of ``expanded`` it was found through."""
    text = stored["text"]
    spans = highlight.find(text, terms) if terms else []
    return fields.hit_fields(stored) | {
        "excerpt_html": highlight.excerpt(text, spans),
        "also_matched": [label for t in expanded or () for label in found_through(text, t)],
    }


def fetch(engine: Engine, ids: list[str]) -> list[dict]:
    """The stored paragraphs of ids the engine has just selected: one missing means the
    parts of the index disagree, which is damage."""
    stored = engine.fetch(ids)
    for pid, doc in zip(ids, stored, strict=True):
        if doc is None:
            raise IndexDamaged(f"paragraph {pid} is not in the index")
    return stored

"""Suggestions: what to search instead when a query finds nothing (search step, after matching).

The engine offers near spellings from its own vocabulary (``Engine.spellings``); this module
adds **related topics**: the taxonomy's areas and items whose terms share two characters in a
row with the query (执法力量不足 -> 行政执法).
"""

from __future__ import annotations

from kb.enrich import topics
from kb.text import textnorm


def related_topics(q: str, limit: int = 4) -> list[dict]:
    """Topics whose names or terms share a pair of characters with the query:
    ``[{"id", "name"}]``, the most shared first."""
    norm = textnorm.normalize_str(q)
    pairs = {norm[i:i + 2] for i in range(len(norm) - 1)
             if textnorm.is_cjk(norm[i]) and textnorm.is_cjk(norm[i + 1])}
    if not pairs:
        return []
    scored = []
    for area in topics.load().topics:
        for t in (area, *area.subs):
            words = t.name + " " + " ".join(w for w, _ in t.terms)
            shared = sum(1 for pair in pairs if pair in words)
            if shared:
                scored.append((-shared, len(t.id), t.id, t.name))
    scored.sort()
    return [{"id": tid, "name": name} for _, _, tid, name in scored[:limit]]

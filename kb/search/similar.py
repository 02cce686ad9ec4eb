"""Similar paragraphs: the paragraphs of other agencies most like one paragraph, the
best one per agency (the /api/paragraphs/<id>/similar answer).

Likeness is BM25 over the paragraph's most distinctive words (tf·idf of its jieba
words in the index: :meth:`kb.engines.protocol.Engine.similar`); the shared words are highlighted.
"""

from __future__ import annotations

from kb.core.errors import NotFound
from kb.engines.protocol import Engine
from kb.search import hits
from kb.text import textnorm

PER = "agency"  # the best paragraph of each *other* value of this facet


def similar(engine: Engine, paragraph_id: str, limit: int) -> dict:
    [source] = engine.fetch([paragraph_id])
    if source is None:
        raise NotFound(f"没有这个段落：{paragraph_id}")
    keywords, found = engine.similar(source, PER, limit)
    terms = [textnorm.unit_keys(w) for w, _ in keywords]
    stored = hits.fetch(engine, [pid for pid, _ in found])
    return {
        "paragraph": hits.hit(source, terms),
        "keywords": [w for w, _ in keywords],
        "similar": [hits.hit(doc, terms) | {"score": round(score, 3)}
                    for doc, (_, score) in zip(stored, found, strict=True)],
    }

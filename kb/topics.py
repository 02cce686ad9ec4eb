"""Enrich: give each paragraph its topics from the editable taxonomy.

The taxonomy (``kb/data/topics.toml``) lists the areas of the 法治政府建设实施纲要 with
the terms that speak of each. A paragraph's score for a topic counts its terms in
the paragraph and, at double weight, in the section headings above it; every topic
that reaches the threshold is assigned (multi-label, possibly none).
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kb import textnorm
from kb.model import Paragraph

TAXONOMY = Path(__file__).parent / "data" / "topics.toml"


@dataclass(frozen=True)
class Topic:
    id: str
    name: str
    terms: tuple[tuple[str, float], ...]  # (normalized term, weight)


@dataclass(frozen=True)
class Taxonomy:
    topics: tuple[Topic, ...]
    threshold: float

    def by_id(self, topic_id: str) -> Topic | None:
        return next((t for t in self.topics if t.id == topic_id), None)


def _term(spec: str) -> tuple[str, float]:
    word, _, weight = spec.rpartition(":") if ":" in spec else (spec, "", "1")
    return textnorm.normalize_str(word), float(weight)


@lru_cache(maxsize=4)
def load(path: Path = TAXONOMY) -> Taxonomy:
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    topics = tuple(
        Topic(t["id"], t["name"], tuple(_term(s) for s in t.get("terms", ())))
        for t in data.get("topic", ())
    )
    return Taxonomy(topics, float(data.get("threshold", 2)))


def classify(text: str, headings: list[str], taxonomy: Taxonomy | None = None) -> list[str]:
    """The ids of the topics of a paragraph with this text under these headings."""
    taxonomy = taxonomy or load()
    body = textnorm.normalize_str(text)
    head = textnorm.normalize_str(" ".join(headings))
    found = []
    for topic in taxonomy.topics:
        score = sum(w * (body.count(term) + 2 * head.count(term)) for term, w in topic.terms)
        if score >= taxonomy.threshold:
            found.append(topic.id)
    return found


def enrich(paragraphs: list[Paragraph], taxonomy: Taxonomy | None = None) -> list[Paragraph]:
    """Set the topics of each paragraph (in place) and return them."""
    taxonomy = taxonomy or load()
    for p in paragraphs:
        above = p.section[:-1] if p.lead else p.section
        p.topics = classify(p.text, above, taxonomy)
    return paragraphs


def checksum(path: Path = TAXONOMY) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]

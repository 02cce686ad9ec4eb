"""Enrich: give each paragraph its topics from the editable taxonomy.

The taxonomy (``kb/data/topics.toml``) lists the ten areas of the 法治政府建设实施纲要
(2021－2025) with their second-level items and the terms that speak of each; the
seven areas of the 2015－2020 纲要 are mapped onto them as area headings. A
paragraph's score for an area counts its terms in the paragraph and, at double
weight, in the section headings above it; a heading that names the area gives it
outright. Every area that reaches the threshold is assigned (multi-label, possibly
none), with those of its items whose terms the paragraph has (ids 执法/三项制度).
"""

from __future__ import annotations

import functools
import hashlib
import tomllib
from dataclasses import dataclass
from pathlib import Path

from kb.core.model import Paragraph
from kb.text import textnorm, words

TAXONOMY = Path(__file__).parents[1] / "data" / "topics.toml"


@dataclass(frozen=True)
class Topic:
    id: str
    name: str
    terms: tuple[tuple[str, float], ...]  # (normalized term, weight)
    headings: tuple[str, ...] = ()  # normalized area titles (2021 and 2015 纲要)
    subs: tuple[Topic, ...] = ()  # second-level items

    @property
    def parent(self) -> str:
        return self.id.split("/")[0] if "/" in self.id else ""


@dataclass(frozen=True)
class Taxonomy:
    topics: tuple[Topic, ...]  # the areas, each with its subs
    threshold: float

    def by_id(self, topic_id: str) -> Topic | None:
        """The area or item of this id (None: no such id), from :attr:`_by_id` (every hit shown asks,
        once for each of its topics)."""
        return self._by_id.get(topic_id)

    @functools.cached_property
    def _by_id(self) -> dict[str, Topic]:
        """Each id's topic, areas and their items; the first of an id said twice, as a walk in
        taxonomy order finds it."""
        out: dict[str, Topic] = {}
        for t in self.topics:
            out.setdefault(t.id, t)
            for s in t.subs:
                out.setdefault(s.id, s)
        return out

    def ids(self) -> list[str]:
        """Every id, areas and their items, in taxonomy order."""
        return [i for t in self.topics for i in (t.id, *(s.id for s in t.subs))]

    @functools.cached_property
    def order(self) -> dict[str, int]:
        """Each id's place in :meth:`ids` (worked out once: facets are sorted by it)."""
        return {tid: i for i, tid in enumerate(self.ids())}

    @functools.cached_property
    def headings_seen(self) -> dict[tuple[str, ...], _Headings]:
        """What paths of section headings gave (:func:`_under`): filled as paragraphs are classified."""
        return {}

    @functools.cached_property
    def lookup(self) -> _Lookup:
        """Its terms arranged for classifying (worked out once per taxonomy)."""
        terms = {t for topic in self.topics for t, _ in topic.terms}
        terms |= {t for topic in self.topics for s in topic.subs for t, _ in s.terms}
        terms.discard("")
        by_first: dict[str, list[str]] = {}
        for t in terms:
            by_first.setdefault(t[0], []).append(t)
        places: dict[str, list[tuple[int, int, float]]] = {}
        for i, topic in enumerate(self.topics):
            for k, (t, w) in enumerate(topic.terms):
                places.setdefault(t, []).append((i, k, w))
        return _Lookup({c: tuple(ts) for c, ts in by_first.items()}, {t: tuple(ps) for t, ps in places.items()})


def _term(spec: str) -> tuple[str, float]:
    word, _, weight = spec.rpartition(":") if ":" in spec else (spec, "", "1")
    return textnorm.normalize_str(word), float(weight)


@functools.lru_cache(maxsize=4)
def load(path: Path = TAXONOMY) -> Taxonomy:
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    topics = tuple(
        Topic(
            t["id"], t["name"], tuple(_term(s) for s in t.get("terms", ())),
            tuple(textnorm.normalize_str(h) for h in t.get("headings", ())),
            tuple(Topic(s["id"], s["name"], tuple(_term(w) for w in s.get("terms", ()))) for s in t.get("sub", ())),
        )
        for t in data.get("topic", ())
    )
    return Taxonomy(topics, float(data.get("threshold", 2)))


def _occurrences(text: str, bounds: tuple[set[int], set[int]], term: str) -> int:
    """How often ``term`` stands in ``text`` as whole words (starting and ending where
    jieba's words do): 立法 is not counted inside 建立法律."""
    starts, ends = bounds
    n, at = 0, text.find(term)
    while at != -1:
        if at in starts and at + len(term) in ends:
            n += 1
        at = text.find(term, at + 1)
    return n


def _bounds(text: str) -> tuple[set[int], set[int]]:
    spans = words.search_tokens(text, keep=True)  # sub-words too: 执法 in 执法人员; kept for the analysis
    return {a for _, a, _ in spans}, {b for _, _, b in spans}


class _Counter:
    """Whole-word occurrences of terms in one text, computed once per term, and only
    for the terms the text contains at all (most paragraphs contain few of them)."""

    def __init__(self, text: str, present: set[str]):
        self.text = text
        self.present = present
        self._bounds: tuple[set[int], set[int]] | None = None
        self._counts: dict[str, int] = {}

    def __call__(self, term: str) -> int:
        if term not in self.present:
            return 0
        n = self._counts.get(term)
        if n is None:
            if self._bounds is None:
                self._bounds = _bounds(self.text)
            n = self._counts[term] = _occurrences(self.text, self._bounds, term)
        return n


@functools.lru_cache(maxsize=4096)
def _heading_text(headings: tuple[str, ...]) -> str:
    return textnorm.normalize_str(" ".join(headings))


@dataclass(frozen=True)
class _Lookup:
    """A taxonomy's terms arranged for classifying many paragraphs: by first character
    (a text is checked only for the terms that can start in it) and by where each term
    stands in its topics."""

    by_first: dict[str, tuple[str, ...]]
    places: dict[str, tuple[tuple[int, int, float], ...]]  # term -> (topic, place in its terms, weight)

    def present(self, text: str) -> set[str]:
        """The terms that stand in ``text`` (anywhere: whole words are counted later)."""
        return {t for c in self.by_first.keys() & set(text) for t in self.by_first[c] if t in text}


class _Headings:
    """What the section headings above a paragraph give every paragraph under them, worked out once
    for them (a report's paragraphs share a few paths of headings): their terms' whole-word counts
    and the topics whose titles they name."""

    def __init__(self, headings: tuple[str, ...], taxonomy: Taxonomy):
        self.text = _heading_text(headings)
        self.counter = _Counter(self.text, taxonomy.lookup.present(self.text))
        self.named = frozenset(i for i, topic in enumerate(taxonomy.topics)
                               if any(h in self.text for h in topic.headings))


def _under(headings: list[str], taxonomy: Taxonomy) -> _Headings:
    """The :class:`_Headings` of these headings, kept with the taxonomy (the last 4,096 paths)."""
    key = tuple(headings)
    seen = taxonomy.headings_seen
    found = seen.get(key)
    if found is None:
        if len(seen) >= 4096:
            seen.clear()
        found = seen[key] = _Headings(key, taxonomy)
    return found


def classify(text: str, headings: list[str], taxonomy: Taxonomy | None = None) -> list[str]:
    """The ids of the topics of a paragraph with this text under these headings."""
    taxonomy = taxonomy or load()
    lookup = taxonomy.lookup
    body_text = textnorm.normalize_str(text)
    under = _under(headings, taxonomy)
    body, head = _Counter(body_text, lookup.present(body_text)), under.counter
    either = body.present | head.present
    per_topic: dict[int, list[tuple[int, str, float]]] = {}
    for t in either:
        for i, k, w in lookup.places.get(t, ()):
            per_topic.setdefault(i, []).append((k, t, w))
    # a topic with none of its terms and not named by the headings scores 0 (below a positive threshold)
    maybe = sorted(per_topic.keys() | under.named) if taxonomy.threshold > 0 else range(len(taxonomy.topics))
    found = []
    for i in maybe:
        topic = taxonomy.topics[i]
        # summed in the topic's order of terms (a float sum does not depend on the text's)
        score = sum(w * (body(t) + 2 * head(t)) for _, t, w in sorted(per_topic.get(i, ())))
        if i in under.named:
            score += taxonomy.threshold
        if score >= taxonomy.threshold:
            found.append(topic.id)
            found.extend(s.id for s in topic.subs if any(body(t) or head(t) for t, _ in s.terms if t in either))
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

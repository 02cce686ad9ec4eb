"""Context: the places a report's text names, counted once, for the deciders of :mod:`kb.ingest.metadata`.

The text's words are tagged (:mod:`kb.text.words`, the slow part: done only when a decider
asks) and matched against the gazetteer (:mod:`kb.ingest.gazetteer`): which of several places of
one name the text speaks of, and what a bare level (县卫健委) stands for. Once the year reported
on is decided (:attr:`Context.year`), only the places of that year count (莱芜市 in 2013, not
济南市莱芜区, which was made in 2019).
"""

from __future__ import annotations

from kb.ingest import gazetteer
from kb.ingest.gazetteer import Division
from kb.ingest.repair import Repaired
from kb.text import words


class Context:
    """The words of a report's text, to count the places it names (computed once, lazily)."""

    def __init__(self, repaired: Repaired, title: str = "", year: int | None = None):
        self.repaired = repaired
        self.title = title
        self.year = year  # the year reported on, once decided: places are those of that year
        self._counts: dict[Division, int] | None = None

    def counts(self) -> dict[Division, int]:
        if self._counts is None:
            text = "\n".join([self.title, *self.repaired.byline, *(b.text for b in self.repaired.blocks)])[:40000]
            self._counts = gazetteer.load().mentions(words.tag(text), year=self.year)
        return self._counts

    def own(self, d: Division) -> int:
        """How often the text names ``d`` itself."""
        return self.counts().get(d, 0)

    def score(self, d: Division) -> int:
        """How much the text speaks of ``d``: its own mentions, and those of the places above it."""
        counts = self.counts()
        return 2 * counts.get(d, 0) + sum(counts.get(p, 0) for p in d.parents)

    def most_named(self, types: tuple[str, ...]) -> Division | None:
        """The place of one of ``types`` that the text names most often."""
        ranked = sorted((d for d in self.counts() if d.type in types), key=lambda d: (-self.own(d), d.code))
        return ranked[0] if ranked else None

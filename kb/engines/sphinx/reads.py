"""What one read of a selection on the cluster gives (:mod:`kb.engines.sphinx.selection`): a tier's
total, facet counts and first rows (:class:`Tier`), a part of the related tier named by id
(:class:`Ids`), the related tier joined from its parts, and how many matches a page statement keeps."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from kb.core import shortfall
from kb.engines.sphinx import schema as S
from kb.engines.sphinx.client import quote

CANDIDATES = 300  # rows of each tier read for a page whose order the front computes (kb.engines.sphinx.rank)


def kept(rows: int) -> int:
    """A page statement's ``max_matches``: the rows it returns, no more. searchd keeps that many
    matches in its queue on every shard and the front, and its time grows with them, not only with
    the matches found: at 82,692 paragraphs 300 candidates of a tier with ``max_matches`` 300 took 29%
    less than with Sphinx's default 1,000, the same rows (docs/CLUSTER.md, stop 38)."""
    return max(rows, 1)


def cut(is_cut: bool) -> bool:
    """A count cut short by Sphinx's ``max_matches``: the read is short (:mod:`kb.core.shortfall`)."""
    if is_cut:
        shortfall.note("more values than the cluster counted (max_matches)")
    return is_cut


@dataclass
class Tier:
    """What one statement read of one tier: its total, facet counts, first rows."""

    total: int
    facets: dict[str, dict]
    rows: list[tuple[str, int]]  # (paragraph id, year)
    head: int = CANDIDATES  # the first rows the front ranks (kb.engines.sphinx.rank)


@dataclass(frozen=True)
class Ids:
    """Paragraphs named by id (:attr:`Tiers.ids`): a part of the related tier read by ``id IN``."""

    ids: tuple[str, ...]

    def condition(self) -> str:
        return f"id IN ({', '.join(str(S.code(pid)) for pid in self.ids)})"


Part = str | Ids | None  # a MATCH expression, paragraphs by id, or every paragraph


def conditions(part: Part) -> list[str]:
    if isinstance(part, Ids):
        return [part.condition()]
    return [f"MATCH({quote(part)})"] if part else []


def joined(parts: list[Tier]) -> Tier:
    """The related tier of its parts (disjoint): totals and counts added, each part's
    candidates first."""
    if len(parts) == 1:
        return parts[0]
    facets: dict[str, dict] = {}
    for t in parts:
        for name, counts in t.facets.items():
            facets[name] = dict(Counter(facets.get(name, {})) + Counter(counts))
    heads = [t.rows[:CANDIDATES] for t in parts]
    rows = [r for h in heads for r in h] + [r for t in parts for r in t.rows[CANDIDATES:]]
    return Tier(sum(t.total for t in parts), facets, rows, sum(len(h) for h in heads))

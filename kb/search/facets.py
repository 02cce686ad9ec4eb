"""Facets: counts of agency, year, topic, section kind, region, level and regulation
for the current result set, shaped for the answer, and the filters that narrow it.

The facets are the ``facet`` fields of :mod:`kb.engines.fields`; each gets a small class here
by how its values are listed. Filters on one facet combine with OR (agency=A&agency=B:
A or B), different facets with AND. Counts are *disjunctive*: a facet's counts are
taken over the hits filtered by every *other* facet (the engine counts them:
:meth:`kb.engines.protocol.Engine.facet_counts`), so choosing one agency still shows how many
hits the others would add. Selected values are listed even when their count is 0.

An answer carries the first :data:`FACET_SIZE` values of each facet, plus the chosen
ones, first (:func:`trimmed`), and how many values each facet has in all
(``facet_totals``): with hundreds of agencies an answer stays small. ``facet_size=``
asks for more (or ``all``); :func:`matching` finds a facet's values by part of their
name (the filter box of a long facet, ``/api/facets/<name>``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter

from kb.core.model import SECTION_KINDS
from kb.engines import fields
from kb.engines.protocol import RankedCounts
from kb.enrich import topics
from kb.text import textnorm
from kb.text.collation import name_key


@dataclass(frozen=True)
class Facet:
    name: str  # the parameter and field
    label: str  # shown to people
    order: str = "count"  # "count", "value-desc" (years)

    def label_of(self, value: str) -> str:
        return value

    def listed(self, value: str) -> bool:
        """Whether a value is listed among the facet's values (when not selected)."""
        return True

    def sort(self, items: list[dict]) -> list[dict]:
        if self.order == "value-desc":
            return sorted(items, key=lambda d: d["value"], reverse=True)
        return sorted(items, key=lambda d: (-d["count"], name_key(d["value"])))


class TopicFacet(Facet):
    """Areas are listed; a second-level item (执法/三项制度) only when chosen."""

    def label_of(self, value: str) -> str:
        topic = topics.load().by_id(value)
        return topic.name if topic else value

    def listed(self, value: str) -> bool:
        return "/" not in value

    def sort(self, items: list[dict]) -> list[dict]:
        order = topics.load().order
        return sorted(items, key=lambda d: order.get(d["value"], len(order)))


class SectionFacet(Facet):
    def sort(self, items: list[dict]) -> list[dict]:
        return sorted(items, key=lambda d: SECTION_KINDS.index(d["value"]) if d["value"] in SECTION_KINDS else 99)


FACET_SIZE = 20  # values of each facet in an answer, besides the chosen ones

_KINDS = {"taxonomy": TopicFacet, "sections": SectionFacet}

FACETS: dict[str, Facet] = {f.name: _KINDS.get(f.order, Facet)(f.name, f.label, f.order) for f in fields.FACETS}


class _Labelled(Sequence):
    """(value, count) pairs as (value, label, count), the label being the value."""

    def __init__(self, pairs: Sequence[tuple[str, int]]):
        self.pairs = pairs

    def __len__(self) -> int:
        return len(self.pairs)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [(v, v, c) for v, c in self.pairs[i]]
        v, c = self.pairs[i]
        return v, v, c


@dataclass(frozen=True)
class Shaped:
    """One facet's values in the facet's order: the chosen ones, and the others as
    ``(value, label, count)`` -- made into the answer's dicts only when an answer lists
    them (a facet has thousands of values, an answer shows twenty)."""

    chosen: list[dict]
    others: Sequence[tuple[str, str, int]]

    def __len__(self) -> int:
        return len(self.chosen) + len(self.others)


def shape(counts: Mapping[str, Mapping[str, int]], filters: dict[str, list[str]],
          limit: int | None = None) -> dict[str, Shaped]:
    """Each facet's values from the engine's counts: labelled and sorted, every chosen
    one and (``limit``) at most that many others."""
    result = {}
    for name, facet in FACETS.items():
        found = counts.get(name, {})
        chosen = set(filters.get(name, ()))
        if type(facet) is Facet and facet.order == "count":  # thousands of agencies, regulations: no call per value
            mine, others = _by_count(found, chosen)
        else:
            mine, others = _in_facet_order(facet, found, chosen)
        mine_dicts = [{"value": v, "label": label, "count": c, "selected": True} for v, label, c in mine if v]
        result[name] = Shaped(mine_dicts, others if limit is None else others[:limit])
    return result


def _by_count(found: Mapping[str, int], chosen: set[str]) -> tuple[list, Sequence]:
    """(chosen, others) of a facet whose label is its value, listed by count: each as
    ``(value, label, count)``, most counted first."""
    mine = [(v, v, found.get(v, 0)) for v in chosen]
    mine.sort(key=lambda x: (-x[2], name_key(x[0])))
    if hasattr(found, "by_count"):  # a RankedCounts (what isinstance of the Protocol checks, at a tenth of the cost)
        ranked: RankedCounts = found
        return mine, _Labelled(ranked.by_count(chosen))
    pairs = sorted(((v, c) for v, c in found.items() if v not in chosen), key=lambda p: name_key(p[0]))  # by name (pinyin)
    pairs.sort(key=itemgetter(1), reverse=True)
    return mine, [(v, v, c) for v, c in pairs if v]


def _in_facet_order(facet: Facet, found: Mapping[str, int], chosen: set[str]) -> tuple[list, list]:
    """(chosen, others) of a facet with labels or an order of its own, each as
    ``(value, label, count)`` in the facet's order; a chosen value is listed even at 0."""
    found = dict(found.items())  # the engine's counts in one pass, not looked up value by value
    for value in chosen:
        found.setdefault(value, 0)
    items = [(d["value"], d["label"], d["count"]) for d in facet.sort([
        {"value": v, "label": facet.label_of(v), "count": c}
        for v, c in found.items()
        if v and (v in chosen or facet.listed(v))
    ])]
    mine = [x for x in items if x[0] in chosen]
    others = [x for x in items if x[0] not in chosen] if chosen else items
    return mine, others


def trimmed(facets: dict[str, Shaped], size: int | None) -> dict:
    """``{"facets": …, "facet_totals": …}``: each facet's values as the answer lists them
    (``{value, label, count, selected}``), the chosen ones first, then the first ``size``
    of the others in the facet's order (all of them when ``size`` is None), and the
    number of values each facet has in all."""
    out = {}
    for name, shaped in facets.items():
        others = shaped.others[:len(shaped.others) if size is None else size]
        out[name] = shaped.chosen + [{"value": v, "label": label, "count": c, "selected": False}
                                     for v, label, c in others]
    return {"facets": out, "facet_totals": {name: len(shaped) for name, shaped in facets.items()}}


def matching(items: list[dict], text: str) -> list[dict]:
    """The values whose value or label holds ``text`` (width, case and traditional
    characters aside), those that start with it first."""
    want = textnorm.normalize_str(textnorm.to_simplified(text)).strip()
    if not want:
        return list(items)
    starts, inside = [], []
    for d in items:
        for s in {d["value"], d.get("label", d["value"])}:
            norm = textnorm.normalize_str(s)
            if want in norm:
                (starts if norm.startswith(want) else inside).append(d)
                break
    return starts + inside

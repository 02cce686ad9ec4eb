"""Each paragraph's own facets on the front (issue 28): its section kind, topics and regulations
(the facets it does not take from its report), read once per push, so that a tier's counts are one
match on the cluster, ``GROUP BY report_key`` with ``GROUP_CONCAT(id)``, and the rest counted here.

Sphinx 2.2.11 matches a tier's expression again for every grouping (a ``FACET`` too): a tier's
counts were four matches (by report, section kind, topic, regulation), a related part's the rows
of its facets (up to 20,000 rows, each parsed by pymysql). With the paragraphs' keys here, every
tier and part is its page and one grouping by report: the report's own facets (year, agency,
region, level) come from the report list (:data:`kb.engines.sphinx.selection.BY_REPORT`), the
others from the ids each report's group lists (:meth:`Keys.expand`), counted as Sphinx's
``GROUP BY`` counts them: a section kind once a paragraph (the empty one too), a topic or
regulation once for each paragraph that has it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kb.core import shortfall
from kb.engines.sphinx import schema as S
from kb.engines.sphinx.client import Client

PAGE = 10_000  # paragraphs' keys read a statement
OWN = ("section_kind", *S.CODED)  # the facets counted here (each paragraph's own)


@dataclass
class Keys:
    """Every paragraph's own facets, by Sphinx id (sorted)."""

    ids: np.ndarray  # uint64, sorted
    kinds: np.ndarray  # the index of each paragraph's section kind in ``kind_names``
    kind_names: list[str]
    ptr: dict[str, np.ndarray]  # for each coded facet, where each paragraph's codes start in ``codes``
    codes: dict[str, np.ndarray]  # (and end: the next one's start)

    def rows(self, ids: np.ndarray) -> tuple[np.ndarray, bool]:
        """(the rows of ``ids``, whether all are held: those the table does not hold are left
        out, noted, the read is short)."""
        at = np.searchsorted(self.ids, ids)
        at[at >= len(self.ids)] = 0
        held = self.ids[at] == ids
        if not held.all():
            shortfall.note("a paragraph written since the front read the paragraphs' facets")
        return at[held], bool(held.all())

    def counts(self, name: str, rows: np.ndarray) -> list[tuple]:
        """(value, paragraphs) of facet ``name`` among ``rows``, as Sphinx's GROUP BY gives them."""
        if name == "section_kind":
            n = np.bincount(self.kinds[rows], minlength=len(self.kind_names))
            return [(self.kind_names[i], int(n[i])) for i in np.flatnonzero(n)]
        start, end = self.ptr[name][rows], self.ptr[name][rows + 1]
        lengths = end - start
        if not lengths.sum():
            return []
        index = np.repeat(start - np.cumsum(lengths) + lengths, lengths) + np.arange(int(lengths.sum()))
        values, n = np.unique(self.codes[name][index], return_counts=True)
        return [(int(v), int(c)) for v, c in zip(values, n, strict=True)]

    def expand(self, grouped: list[tuple], names: tuple[str, ...]) -> tuple[list[list[tuple]], bool]:
        """A ``GROUP BY report_key`` read with ``GROUP_CONCAT(id)`` (rows: key, count, ids) as the
        grouped reads it stands for: (the counts by report key, then each of ``names``' counts;
        whether every paragraph was held)."""
        by_key = [(key, int(n)) for key, n, _ in grouped]
        text = ",".join(str(ids) for _, _, ids in grouped if ids)
        ids = np.array(text.split(","), dtype=np.uint64) if text else np.zeros(0, dtype=np.uint64)
        rows, whole = self.rows(ids)
        return [by_key, *(self.counts(name, rows) for name in names)], whole


def _rows(client: Client) -> list[tuple] | None:
    """Every paragraph's (id, section kind, codes of each coded facet), in the order of the ids
    (None when a shard did not answer)."""
    out: list[tuple] = []
    last = 0
    while True:
        r = client.run(f"SELECT id, section_kind, {', '.join(S.CODED)} FROM {S.PARAGRAPHS} WHERE id > {last} "
                       f"ORDER BY id ASC LIMIT {PAGE} OPTION max_matches={PAGE}", kind="keys")
        if r.warnings:
            return None
        out += r.sets[0]
        if len(r.sets[0]) < PAGE:
            return out
        last = r.sets[0][-1][0]


def read(client: Client) -> Keys | None:
    """Every paragraph's own facets (None when a shard did not answer: read again next time)."""
    rows = _rows(client)
    if rows is None:
        return None
    ids = np.array([int(row[0]) for row in rows], dtype=np.uint64)
    if (np.diff(ids) <= 0).any():  # (never seen: the table is read in the order of its ids)
        return None
    names = sorted({str(row[1]) for row in rows})
    index = {k: i for i, k in enumerate(names)}
    ptr, flat = {}, {}
    for j, name in enumerate(S.CODED, 2):
        codes = [[int(c) for c in str(row[j] or "").split(",") if c] for row in rows]
        ptr[name] = np.concatenate([[0], np.cumsum([len(c) for c in codes])]).astype(np.int64)
        flat[name] = np.array([c for cs in codes for c in cs], dtype=np.uint64)
    return Keys(ids, np.array([index[str(row[1])] for row in rows], dtype=np.int64), names, ptr, flat)

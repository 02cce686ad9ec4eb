"""The whole query's meaning on the cluster (the embedded engine's :mod:`kb.engines.embedded.whole`,
the same math: :mod:`kb.engines.meaningtiers`), computed on the front.

Every paragraph's vector of meaning (``kb_para.meaning``, written by the push:
:mod:`kb.engines.sphinx.grown`) is read by the front once per push, the first time a query could
take it (:func:`read`: ids and vectors, float32, as the embedded engine holds them); the direction
they share is taken out once. Sphinx 2.2 has no vector search: the cosines are one product on the
front. When a query has a vector (:func:`kb.text.meaning.whole_vector`, the grown model's) and
some paragraph is close enough (:data:`kb.text.meaning.WHOLE_FILL_SIM`), the other tiers' paragraphs are read, at most ``whole_below``
(:class:`Others`, once per push and query; not when its exact count, read with the other
counts, is that large already), in the selection's trip with every paragraph the tier could take
(:class:`Pending`), or alone before it when the selection cannot take them (a facet filter): with
fewer, the closest of the others
(:func:`kb.engines.meaningtiers.closest`, the embedded engine's rule) come in last, read by id, in
the order of their cosines.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from kb.engines import meaningtiers as mt
from kb.engines.query import whole_words
from kb.engines.sphinx import features, grown, rank
from kb.engines.sphinx import schema as S
from kb.engines.sphinx.client import Client, quote
from kb.engines.sphinx.tiers import Tiers, idents, literal
from kb.text import meaning

PAGE = 10_000  # paragraphs' vectors read a statement


@dataclass
class Vectors:
    """The cluster's paragraphs (in the embedded index's order: report after report), their vectors
    and the direction they share."""

    pids: list[str]
    matrix: np.ndarray  # (paragraphs, dim) float32
    common: tuple | None

    def row(self) -> dict[str, int]:
        if "_row" not in self.__dict__:
            self._row = {pid: i for i, pid in enumerate(self.pids)}
        return self._row


def _order(pid: str) -> tuple[str, int]:
    rid, _, ordinal = pid.rpartition(".p")
    return rid, int(ordinal) if ordinal.isdigit() else 0


def read(client: Client, dim: int) -> tuple[Vectors | None, bool]:
    """(every paragraph's vector (None when the push wrote none: an older push), complete: False, and
    nothing, when a shard did not answer)."""
    rows, last = [], 0
    while True:
        r = client.run(f"SELECT id, pid, meaning FROM {S.PARAGRAPHS} WHERE id > {last} ORDER BY id ASC "
                       f"LIMIT {PAGE} OPTION max_matches={PAGE}", kind="vectors")
        if r.warnings:  # a shard did not answer: no more waiting for it (read again next time)
            return None, False
        rows += [(str(pid), str(v)) for _, pid, v in r.sets[0]]
        if len(r.sets[0]) < PAGE:
            break
        last = r.sets[0][-1][0]
    if not rows or not any(v for _, v in rows):
        return None, True
    rows.sort(key=lambda x: _order(x[0]))
    matrix = grown.vectors_of([v for _, v in rows], dim)
    return Vectors([pid for pid, _ in rows], matrix, mt.common_direction(matrix, slice(None))), True


def query_vector(tree, model_file) -> np.ndarray | None:
    """The whole query's vector in the model in use (None: not a query of words only, or one the
    model knows too little of)."""
    ws = whole_words(tree)
    return meaning.whole_vector(ws, meaning.load(model_file)) if ws else None


def similarities(v: Vectors, q: np.ndarray) -> np.ndarray | None:
    if v.common is None or v.matrix.shape[1] != len(q):
        return None
    return mt.whole_similarities(v.matrix, q, v.common)


@dataclass
class Others:
    """The other tiers' paragraphs matched by expression, at most ``below`` (what decides whether the
    whole query's tier comes in), kept per push and tiers in ``kept`` (the engine's cache): one reader
    for both paths, read with the selection's first trip (:class:`Pending`) or in a trip of its own
    (:meth:`read`)."""

    kept: dict  # (matched, ids) -> found
    below: int

    def statement(self, t: Tiers) -> str:
        """Each shard stops at its ``below``-th match (``cutoff``): with that many the tier does not
        come in and which they are is not read; with fewer, every one is found."""
        return (f"SELECT pid FROM {S.PARAGRAPHS} WHERE MATCH({quote(t.matched)}) LIMIT {self.below} "
                f"OPTION ranker=none, max_matches={max(1000, self.below)}, cutoff={self.below}")

    def known(self, t: Tiers) -> list[str] | None:
        return self.kept.get((t.matched, t.ids))

    def took(self, t: Tiers, rows: list[tuple], partial: bool) -> list[str]:
        """The paragraphs of the statement's ``rows``, kept unless read short (``partial``)."""
        found = [str(row[0]) for row in rows]
        if not partial:
            self.kept[(t.matched, t.ids)] = found
        return found

    def read(self, client: Client, t: Tiers) -> tuple[list[str], bool]:
        """(the paragraphs, whether a shard did not answer): kept, else read now (one trip)."""
        found = self.known(t)
        if found is not None:
            return found, False
        res = client.run(self.statement(t), kind="whole")
        return self.took(t, res.sets[0], bool(res.warnings)), bool(res.warnings)


def others_of(engine) -> Others:
    """The engine's reader of the other tiers' paragraphs (kept in ``engine.cache`` per push)."""
    return Others(engine.cache.setdefault("whole_found", {}), engine.ranking.whole_below)


def closest(v: Vectors, sims: np.ndarray, found: list[str], fill: int) -> dict[str, float]:
    """The paragraphs not ``found`` (the other tiers' matches) closest to the whole query, with
    their cosines (:func:`kb.engines.meaningtiers.closest`, ``fill``: a page)."""
    sims = sims.copy()
    row = v.row()
    found = set(found)
    sims[[row[p] for p in found if p in row]] = -1
    return {v.pids[i]: max(float(sims[i]), 0.01) for i in mt.closest(sims, len(found), fill)}


@dataclass
class Pending:
    """The whole query's tier of ``tiers`` before the other tiers' paragraphs matched by expression
    (:class:`Others`) are read: what :class:`kb.engines.sphinx.selection.Selection` reads with its
    first trip (:meth:`candidates` with it) and settles (:meth:`decide`)."""

    tiers: Tiers
    v: Vectors
    sims: np.ndarray
    ranking: object  # kb.core.settings.Ranking
    others: Others
    last: dict[str, float] = field(default_factory=dict)  # the paragraphs taken, their cosines (filled by decide)
    spoken: Callable[[], bool] = lambda: True  # whether the reports speak of the query (:func:`spoken_of`)

    @property
    def statement(self) -> str:
        return self.others.statement(self.tiers)

    def candidates(self) -> tuple[str, ...]:
        """Every paragraph :meth:`decide` may take, whatever the others found: of those not named by
        id, the ``whole_below`` + max(:data:`kb.text.meaning.WHOLE_TOP`, ``WHOLE_TOP_ANSWERED``, ``whole_fill``) closest at
        the lowest cosine :func:`kb.engines.meaningtiers.closest` takes (it takes a first part of
        them in that order, less those found)."""
        sims, row = self.sims.copy(), self.v.row()
        sims[[row[p] for p in self.tiers.ids if p in row]] = -1
        near = np.flatnonzero(sims >= min(meaning.WHOLE_MIN_SIM, meaning.WHOLE_MANY_SIM, meaning.WHOLE_FILL_SIM))
        near = near[np.argsort(-sims[near], kind="stable")]
        k = self.ranking.whole_below + max(meaning.WHOLE_TOP, meaning.WHOLE_TOP_ANSWERED, self.ranking.whole_fill)
        return tuple(self.v.pids[i] for i in near[:k])

    def settle(self, rows: list[tuple], partial: bool) -> Tiers:
        """:meth:`decide` on the rows of :attr:`statement` (read with the selection), kept unless
        read short."""
        return self.decide(self.others.took(self.tiers, rows, partial))

    def decide(self, found: list[str]) -> Tiers:
        """The tiers with the paragraphs closest to the whole query (not ``found``) read by id, the
        last, when the others find fewer than ``whole_below``."""
        t, r = self.tiers, self.ranking
        if len(found) + len(t.ids) >= r.whole_below or not (found or t.ids or self.spoken()):
            return t
        last = closest(self.v, self.sims, found + list(t.ids), r.whole_fill)
        if not last:
            return t
        self.last.update(last)
        return Tiers(t.exact, f"({t.all} | {idents(list(last))})", t.matched, (*t.ids, *last))

    def read(self, client: Client) -> tuple[Tiers, bool]:
        """(:meth:`decide`'s tiers, partial) with the others found read now (one trip)."""
        found, partial = self.others.read(client, self.tiers)
        return self.decide(found), partial


def spoken_of(engine, tree) -> Callable[[], bool]:
    """Asks, when called (one trip), whether some paragraph of the cluster holds the query's most specific
    word or a word near it in meaning (:func:`kb.text.meaning.cover_words`, counted in the paragraphs'
    jieba words as :func:`kb.engines.sphinx.rank.word_expr` counts them): the embedded engine's check
    (:func:`kb.engines.embedded.whole._spoken_of`) before it takes the whole query's tier for a query
    nothing else matches."""

    def ask() -> bool:
        ws = whole_words(tree)
        near = meaning.cover_words(ws, meaning.load(engine.meaning_file)) if ws else None
        return not near or features.counts(engine.client, [" | ".join(rank.word_expr(w) for w in near)])[0] > 0

    return ask


def take(engine, tree, t: Tiers, counts: dict[str, int]) -> tuple[Tiers | Pending, dict[str, float]]:
    """``t`` (the tiers of ``tree`` on ``engine``, :class:`kb.engines.sphinx.engine.SphinxEngine`)
    with the paragraphs closest in meaning to the whole query read by id, the last, when the
    others find fewer than ``whole_below`` (``counts``: the exact count of the tree's literal
    expression, when read); (tiers, their cosines), or, while the others' paragraphs are not
    read (once per push and tiers), (:class:`Pending`, the cosines it will fill), or (None, {})
    when a shard did not answer. With the query's feedback on (``Ranking.whole_feedback``), the
    others are read first, in a trip of their own (:func:`_fed_take`)."""
    r = engine.ranking
    if r.whole <= 0 or len(t.ids) >= r.whole_below or counts.get(literal(tree), 0) >= r.whole_below:
        return t, {}  # (the exact matches alone are that many)
    q = query_vector(tree, engine.meaning_file)
    v, complete = vectors(engine) if q is not None else (None, True)
    if not complete:
        return None, {}
    if r.whole_feedback > 0:
        return _fed_take(engine, tree, t, v, q)
    sims = similarities(v, q) if v is not None else None
    if sims is None or not (sims >= meaning.WHOLE_FILL_SIM).any():
        return t, {}
    pending = Pending(t, v, sims, r, others_of(engine), spoken=spoken_of(engine, tree))
    found = pending.others.known(t)
    if found is not None:
        return pending.decide(found), pending.last
    return (pending, pending.last) if pending.candidates() else (t, {})


def _fed_take(engine, tree, t: Tiers, v: Vectors | None, q: np.ndarray) -> tuple[Tiers | None, dict[str, float]]:
    """:func:`take` with the query's feedback on: the other tiers' paragraphs read first (a trip of
    their own, once per push and tiers: :meth:`Others.read`), then the closest to the query moved towards
    them (:func:`fed`), each with its own cosine, as the embedded engine's
    :func:`kb.engines.embedded.whole.by_whole_query` takes them."""
    r = engine.ranking
    if v is None or v.common is None or v.matrix.shape[1] != len(q):
        return t, {}
    found, partial = others_of(engine).read(engine.client, t)
    if partial:
        return None, {}
    others = found + list(t.ids)
    if not _wanted(engine, tree, others):
        return t, {}
    last = closest(v, similarities(v, fed(v, q, others, r.whole_feedback)), others, r.whole_fill)
    if not last:
        return t, {}
    row = v.row()
    own = mt.whole_similarities(v.matrix, q, v.common, np.array([row[p] for p in last]))  # a few rows, not all
    last = {p: max(float(s), 0.01) for p, s in zip(last, own.tolist(), strict=True)}
    return Tiers(t.exact, f"({t.all} | {idents(list(last))})", t.matched, (*t.ids, *last)), last


def _wanted(engine, tree, others: list[str]) -> bool:
    """Whether the whole query's tier is looked for beside ``others`` (the other tiers' paragraphs): fewer
    than ``whole_below`` of them, and some, or the reports speak of the query (:func:`spoken_of`)."""
    return len(others) < engine.ranking.whole_below and (bool(others) or spoken_of(engine, tree)())


def fed(v: Vectors, q: np.ndarray, others: list[str], weight: float) -> np.ndarray:
    """The query's vector ``q`` moved ``weight`` towards the mean of the vectors of ``others`` (the
    other tiers' paragraphs: :func:`kb.engines.meaningtiers.with_feedback`, the embedded engine's
    :func:`kb.engines.embedded.whole.fed_vector`)."""
    row = v.row()
    rows = v.matrix[sorted({row[p] for p in others if p in row})]
    return mt.with_feedback(q, rows, v.common, weight)


def vectors(engine) -> tuple[Vectors | None, bool]:
    """(every paragraph's vector of meaning, read once per push and kept in ``engine.cache``
    (None: the push wrote none), complete: False when a shard did not answer, read again next time)."""
    if "vectors" not in engine.cache:
        shipped = meaning.load()
        got, complete = read(engine.client, shipped.vectors.shape[1]) if shipped is not None else (None, True)
        if not complete:
            return None, False
        engine.cache["vectors"] = got
    return engine.cache["vectors"], True

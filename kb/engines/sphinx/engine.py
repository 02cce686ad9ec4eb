"""Sphinx engine: the search layer's engine (:mod:`kb.engines.protocol`) on a Sphinx or Manticore
cluster, spoken to in SphinxQL (:mod:`kb.engines.sphinx.client`), selected with
``--backend sphinx://HOST:PORT`` (the front searchd, see :mod:`kb.engines.sphinx.cluster`).

Every method is one or a few SphinxQL statements on the front's distributed tables
(:mod:`kb.engines.sphinx.schema`):

- a selection is a ``MATCH()`` expression compiled from the query tree
  (:func:`compile_match`: each term a quoted phrase of its units, its concept
  expansions OR-ed beside it, its words apart when loose; And, Or and Not as Sphinx's
  boolean operators) and ``WHERE`` clauses of the facet filters; its total is
  ``SHOW META``'s ``total_found``;
- facet counts are ``FACET attr`` (one statement per set of filters: a filtered facet
  is counted without its own filter), over plain attributes (FACET fails on a
  distributed table when the select list holds ``WEIGHT()``);
- the top hits are ``ORDER BY WEIGHT() DESC, id ASC`` (Sphinx's own ranking, BM25 with
  phrase proximity, each shard with its own statistics: the order is not the embedded
  engine's), compare's best paragraph per agency ``GROUP BY agency WITHIN GROUP ORDER BY
  WEIGHT() DESC``; stored paragraphs are string attributes fetched by id; highlighting
  is the search layer's, in Python, on the fetched text.

Faults are said: every statement is followed by ``SHOW META`` and ``SHOW WARNINGS``;
a warning (a shard that did not answer or timed out) makes the selection ``partial``,
and a facet cut short by Sphinx's ``max_matches`` too. A cluster that does not answer at
all is :class:`~kb.core.errors.Unavailable` (503).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from kb.core import shortfall
from kb.core.errors import BadRequest, Unavailable
from kb.core.model import SECTION_KINDS
from kb.engines import fields
from kb.engines.query import Not, Or, Term
from kb.engines.sphinx import features
from kb.engines.sphinx import schema as S
from kb.engines.sphinx.client import Client, parse_url, quote

MIN_MATCHES = 1000  # Sphinx's default max_matches
FETCH_BATCH = 1000  # paragraphs fetched by one statement
FACET_SLACK = 64  # facet values beyond the counted ones a statement may return
#: kb_para's attributes that make the stored document (pid is its id).
STORED = tuple(name for name, kind in S.PARAGRAPH_ATTRS if kind != "multi_64" and name != "report_key")


# -- the query tree as MATCH() --------------------------------------------------------


def compile_match(tree, loose: bool = False, expand: bool = True) -> str | None:
    """The ``MATCH()`` expression of a query tree (None: no query, every paragraph).

    A term is its quoted phrase (:func:`kb.engines.sphinx.schema.phrase`), OR its concept
    expansions (all parts of one, each quoted), OR with ``loose`` its words apart; an
    exclusion is literal (no expansions), and one with nothing beside it is
    ``_a -(…)``: Sphinx computes no lone NOT. Without ``expand``, every term is literal:
    the exact tier.
    """
    if tree is None:
        return None
    return _node(tree, loose and expand, literal=not expand)


def _node(tree, loose: bool, literal: bool) -> str:
    """The expression of one node of the tree, by its kind."""
    if isinstance(tree, Term):
        return _term(tree, loose, literal)
    if isinstance(tree, Not):
        return f"({S.ALL} -{_group(_node(tree.item, loose, True))})"
    if isinstance(tree, Or):
        return "(" + " | ".join(_node(x, loose, literal) for x in tree.items) + ")"
    return _and(tree, loose, literal)


def _term(term: Term, loose: bool, literal: bool) -> str:
    """A term's phrase, OR (unless ``literal``) its concept expansions and with ``loose`` its words apart."""
    alts = [S.phrase(term.keys)]
    if not literal:
        alts += [_all_of(e.parts) for e in term.expansions]
        if loose and term.loose_words:
            alts.append(_all_of(term.loose_words))
    alts = [a for a in alts if a]
    return alts[0] if len(alts) == 1 else "(" + " | ".join(alts) + ")"


def _and(tree, loose: bool, literal: bool) -> str:
    """An And: its positive items, then each exclusion as ``-(…)`` (every paragraph when none is positive)."""
    positives = [_node(x, loose, literal) for x in tree.items if not isinstance(x, Not)]
    negatives = ["-" + _group(_node(x.item, loose, True)) for x in tree.items if isinstance(x, Not)]
    return "(" + " ".join((positives or [S.ALL]) + negatives) + ")"


def _group(expr: str) -> str:
    return expr if expr.startswith(("(", '"')) else f"({expr})"


def _all_of(parts) -> str:
    from kb.text import textnorm

    phrases = [S.phrase(textnorm.unit_keys(p)) for p in parts if textnorm.unit_keys(p)]
    return "(" + " ".join(phrases) + ")" if phrases else ""


def where_of(name: str, values: list[str]) -> str:
    """The WHERE clause of one facet filter (values OR-ed; an unknown value matches nothing)."""
    if name in S.CODED:
        return f"{name} IN ({', '.join(str(S.code(name, v)) for v in values)})"
    if name in S.NUMBERS:
        nums = [v for v in values if v.isascii() and v.isdigit() and str(int(v)) == v and int(v) < 2**32]
        return f"{name} IN ({', '.join(nums)})" if nums else "id = 0"
    if name in S.FILTERABLE:
        return f"{name} IN ({', '.join(quote(v) for v in values)})"
    raise BadRequest(f"不能按 {name} 筛选 (cannot filter by {name!r})")


# -- the engine -----------------------------------------------------------------------


@dataclass
class _Selection:
    engine: SphinxEngine
    match: str | None
    where: dict[str, str]  # facet -> its filter's clause
    total: int
    partial: bool
    exact: str | None = None  # the exact tier's MATCH, when expansions or words apart widen ``match``
    _matched: int | None = None
    _exact_total: int | None = None

    @property
    def exact_total(self) -> int:
        """Selected paragraphs that match exactly (the rest are related matches)."""
        if self.exact is None:
            return self.total
        if self._exact_total is None:
            r = self.engine.client.run(f"SELECT id FROM {S.PARAGRAPHS}{self.clause(match=self.exact)} LIMIT 0 "
                                       "OPTION ranker=none")
            self.partial |= bool(r.warnings)
            self._exact_total = r.total
        return self._exact_total

    def clause(self, without: str | None = None, match: str | None = None) -> str:
        match = match or self.match
        parts = [f"MATCH({quote(match)})"] if match else []
        parts += [c for name, c in self.where.items() if name != without]
        return (" WHERE " + " AND ".join(parts)) if parts else ""

    @property
    def matched(self) -> int:
        """Paragraphs the query matches before the facet filters."""
        if self._matched is None:
            if not self.where:
                self._matched = self.total
            else:
                r = self.engine.client.run(f"SELECT id FROM {S.PARAGRAPHS}"
                                           + (f" WHERE MATCH({quote(self.match)})" if self.match else "")
                                           + " LIMIT 0 OPTION ranker=none")
                self.partial |= bool(r.warnings)
                self._matched = r.total
        return self._matched


@dataclass
class SphinxEngine:
    """The cluster behind one front searchd, as the search layer sees it."""

    url: str
    client: Client
    generation: str
    meta: dict
    bounds: dict[str, int]  # how many values each facet may have (for max_matches)
    cache: dict = field(default_factory=dict)

    @classmethod
    def open(cls, url: str) -> SphinxEngine:
        host, port = parse_url(url)
        client = Client(host, port)
        reports, complete = list_reports(client, partial_ok=True)
        values = client.run(f"SELECT kind, COUNT(*) n FROM {S.VALUES} GROUP BY kind LIMIT 100")
        bounds = {str(f): int(n) for f, n in values.sets[0]}
        for name in ("agency", "region", "level", "year", "report_id"):
            bounds[name] = len({r[name] for r in reports.values()})
        bounds["section_kind"] = len(SECTION_KINDS)
        meta = {"reports": len(reports), "paragraphs": sum(r["paragraphs"] for r in reports.values()),
                "checksums": {rid: r["digest"] for rid, r in reports.items()}, "backend": url,
                "partial": not complete or bool(values.warnings)}
        return cls(url, client, stamp(client), meta, bounds)

    def is_current(self) -> bool:
        """False once a push changed the cluster, and while what was read on opening was
        partial (a shard down then: open again, it may be back)."""
        return not self.meta["partial"] and stamp(self.client) == self.generation

    def close(self) -> None:
        self.client.close()

    def select(self, tree, filters: dict[str, list[str]], loose: bool = False, related: bool = True) -> _Selection:
        """The related tier here: concept expansions and (loose) the words apart; words
        near and headings are the embedded engine's only."""
        exact = compile_match(tree, expand=False)
        match = compile_match(tree, loose) if related else exact
        where = {name: where_of(name, values) for name, values in filters.items() if values}
        sel = _Selection(self, match, where, 0, False, exact if exact != match else None)
        r = self.client.run(f"SELECT id FROM {S.PARAGRAPHS}{sel.clause()} LIMIT 0 OPTION ranker=none")
        sel.total, sel.partial = r.total, bool(r.warnings)
        return sel

    def facet_counts(self, sel: _Selection, filters: dict[str, list[str]],
                     names: tuple[str, ...]) -> dict[str, dict[str, int]]:
        groups: dict[str | None, list[str]] = {}
        for name in names:
            groups.setdefault(name if name in sel.where else None, []).append(name)
        out: dict[str, dict[str, int]] = {}
        for without, group in groups.items():
            limits = {name: self._bound(name) for name in group}
            facets = " ".join(f"FACET {name} ORDER BY COUNT(*) DESC LIMIT {limits[name]}" for name in group)
            r = self.client.run(f"SELECT id FROM {S.PARAGRAPHS}{sel.clause(without)} LIMIT 0 "
                                f"OPTION ranker=none, max_matches={max(limits.values())} {facets}")
            sel.partial |= bool(r.warnings)
            for name, rows in zip(group, r.sets[1:], strict=True):
                sel.partial |= _cut(len(rows) >= limits[name])  # more values than counted
                out[name] = self._values(name, {v: int(n) for v, n in rows})
        return out

    def _bound(self, name: str) -> int:
        return max(MIN_MATCHES, self.bounds.get(name, 0) + FACET_SLACK)

    def _values(self, name: str, counts: dict) -> dict[str, int]:
        """Counts by attribute value -> counts by facet value (codes looked up)."""
        if name in S.CODED:
            names = value_names(self.client, list(counts))
            return {names.get(int(c), "?"): n for c, n in counts.items()}
        return {str(v): n for v, n in counts.items()}

    def group_counts(self, sel: _Selection, name: str, distinct: str | None = None) -> dict[str, int]:
        what = f"COUNT(DISTINCT {'report_key' if distinct == 'report_id' else distinct})" if distinct else "COUNT(*)"
        limit = self._bound(name)
        r = self.client.run(f"SELECT GROUPBY() g, {what} n FROM {S.PARAGRAPHS}{sel.clause()} GROUP BY {name} "
                            f"LIMIT {limit} OPTION ranker=none, max_matches={limit}")
        sel.partial |= bool(r.warnings) or _cut(len(r.sets[0]) >= limit)
        return self._values(name, {v: int(n) for v, n in r.sets[0]})

    def explain(self, tree, ids: list[str], loose: bool = False) -> dict[str, dict]:
        return {}  # Sphinx's weights are not broken down here

    def top(self, sel: _Selection, sort: str, start: int, stop: int) -> list[tuple[str, float]]:
        """By relevance, the exact tier first (its terms' own characters), then the related
        one (found only through concepts or the words apart), each ranked by Sphinx."""
        if sort == "relevance" and sel.exact and stop > start:
            r = self.client.run(f"SELECT id FROM {S.PARAGRAPHS}{sel.clause(match=sel.exact)} LIMIT 0 "
                                "OPTION ranker=none")
            sel.partial |= bool(r.warnings)
            n = r.total
            related = f"({sel.match}) -({sel.exact})"
            return (self._top(sel, sort, start, min(stop, n), sel.exact)
                    + self._top(sel, sort, max(0, start - n), stop - n, related))
        return self._top(sel, sort, start, stop, sel.match)

    def _top(self, sel: _Selection, sort: str, start: int, stop: int, match: str | None) -> list[tuple[str, float]]:
        from kb.engines.protocol import BROWSE, BROWSE_ASC

        weight = "WEIGHT()" if match else "1"
        order = {
            "relevance": "w DESC, id ASC",
            "year": "year DESC, w DESC, id ASC",
            "year_asc": "year ASC, w DESC, id ASC",
            BROWSE: "year DESC, agency ASC, report_id ASC, ordinal ASC",
            BROWSE_ASC: "year ASC, agency ASC, report_id ASC, ordinal ASC",
        }[sort]
        if stop <= start:
            return []
        r = self.client.run(f"SELECT pid, {weight} w FROM {S.PARAGRAPHS}{sel.clause(match=match)} ORDER BY {order} "
                            f"LIMIT {start}, {stop - start} OPTION max_matches={max(MIN_MATCHES, stop)}")
        sel.partial |= bool(r.warnings)
        return [(str(pid), float(w)) for pid, w in r.sets[0]]

    def best_per(self, sel: _Selection, name: str) -> list:
        from kb.engines.protocol import Group

        limit = self._bound(name)
        r = self.client.run(f"SELECT pid, GROUPBY() g, WEIGHT() w, COUNT(*) n FROM {S.PARAGRAPHS}{sel.clause()} "
                            f"GROUP BY {name} WITHIN GROUP ORDER BY WEIGHT() DESC, id ASC ORDER BY w DESC "
                            f"LIMIT {limit} OPTION max_matches={limit}")
        sel.partial |= bool(r.warnings) or _cut(len(r.sets[0]) >= limit)
        rows = r.sets[0]
        names = value_names(self.client, [g for _, g, _, _ in rows]) if name in S.CODED else {}
        return [Group(names.get(int(g), "?") if name in S.CODED else str(g), int(n), str(pid), float(w))
                for pid, g, w, n in rows]

    def fetch(self, ids: list[str]) -> list[dict | None]:
        found = {}
        for i in range(0, len(ids), FETCH_BATCH):
            chunk = ids[i:i + FETCH_BATCH]
            codes = ", ".join(str(S.code(pid)) for pid in chunk)
            r = self.client.run(f"SELECT {', '.join(STORED)} FROM {S.PARAGRAPHS} WHERE id IN ({codes}) "
                                f"LIMIT {len(chunk)} OPTION max_matches={max(MIN_MATCHES, len(chunk))}")
            found.update({row[0]: stored(dict(zip(STORED, row, strict=True))) for row in r.sets[0]})
        return [found.get(pid) for pid in ids]

    def spellings(self, terms: list[str], limit: int = 3) -> list[dict]:
        return features.near_spellings(self.client, terms, limit)

    def similar(self, paragraph: dict, name: str, limit: int):
        """Keywords weighted as the embedded engine's (a word's paragraphs: those holding its
        characters together); the best paragraph of each other value ranked by Sphinx."""
        return features.similar(self.client, self.meta["paragraphs"], paragraph, name, limit)

    def figure_entries(self) -> tuple[dict[str, dict], bool]:
        """Every report's figure table entry (:func:`kb.figures.table.entry`), and whether
        every shard answered (:mod:`kb.engines.sphinx.features`)."""
        return features.figure_entries(self.client)


def stored(row: dict) -> dict:
    """The stored document of a kb_para row (:func:`kb.engines.fields.document`'s fields: a facet's
    value a string, a number kept as a number otherwise)."""
    out = {}
    for f in fields.FIELDS:
        value = row["pid" if f.kind == "id" else f.name + "_list" if f.multi else f.name]
        if f.name in S.NUMBERS:
            value = str(value) if f.is_facet else int(value)
        out[f.name] = value
    return out


_NAMES: dict[int, str] = {}  # code -> value: the same everywhere (a code is a digest of its value)
_NAMES_LOCK = threading.Lock()


def value_names(client: Client, codes: list) -> dict[int, str]:
    """The values of facet codes (kb_value), remembered once read."""
    missing = [int(c) for c in codes if int(c) not in _NAMES]
    for i in range(0, len(missing), 1000):
        chunk = missing[i:i + 1000]
        r = client.run(f"SELECT id, value FROM {S.VALUES} WHERE id IN ({', '.join(map(str, chunk))}) "
                       f"LIMIT {2 * len(chunk)} OPTION max_matches={max(MIN_MATCHES, 2 * len(chunk))}")
        with _NAMES_LOCK:
            _NAMES.update({int(c): str(v) for c, v in r.sets[0]})
    return {int(c): _NAMES[int(c)] for c in codes if int(c) in _NAMES}


def stamp(client: Client) -> str:
    """The cluster's current push stamp ('' before the first push)."""
    r = client.run(f"SELECT stamp FROM {S.TOPOLOGY} WHERE id = {S.STAMP_ROW}")
    return str(r.sets[0][0][0]) if r.sets[0] else ""


def _cut(cut: bool) -> bool:
    """A count cut short by Sphinx's ``max_matches``: the read is short (:mod:`kb.core.shortfall`)."""
    if cut:
        shortfall.note("more values than the cluster counted (max_matches)")
    return cut


def list_reports(client: Client, partial_ok: bool = False) -> tuple[dict[str, dict], bool]:
    """(every report the cluster holds, by id (kb_report, read in pages of its ids),
    complete). A shard that does not answer makes the list incomplete: Unavailable,
    unless ``partial_ok``."""
    cols = [name for name, _ in S.REPORT_ATTRS]
    out: dict[str, dict] = {}
    last, complete = 0, True
    while True:
        r = client.run(f"SELECT id, {', '.join(cols)} FROM {S.REPORTS} WHERE id > {last} ORDER BY id ASC "
                       f"LIMIT 1000")
        if r.warnings and not partial_ok:
            raise Unavailable(f"搜索集群有分片没有应答 (a shard did not answer: {r.warnings[0]})")
        for row in r.sets[0]:
            rec = dict(zip(cols, row[1:], strict=True))
            out[rec["report_id"]] = rec
        complete = complete and not r.warnings
        if len(r.sets[0]) < 1000:
            return out, complete
        last = r.sets[0][-1][0]


def opener(url: str):
    """What :class:`kb.knowledgebase.KnowledgeBase` takes as ``open_engine``: the engine
    of the cluster at ``url`` (parsed now: a bad URL is an error before any search)."""
    parse_url(url)
    return lambda settings=None, check_corpus=False: SphinxEngine.open(url)

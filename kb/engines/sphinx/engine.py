"""Sphinx engine: the search layer's engine (:mod:`kb.engines.protocol`) on a Sphinx or Manticore
cluster, spoken to in SphinxQL (:mod:`kb.engines.sphinx.client`), selected with
``--backend sphinx://HOST:PORT`` (the front searchd, see :mod:`kb.engines.sphinx.cluster`).

Every method is one or a few SphinxQL statements on the front's distributed tables
(:mod:`kb.engines.sphinx.schema`), read in as few round trips as can be:

- a selection is two ``MATCH()`` expressions, the exact tier's and the whole one's, that
  :mod:`kb.engines.sphinx.tiers` compiles from the query tree (every related tier a set of
  terms worked out on the front), and ``WHERE`` clauses of the facet filters. What the
  compiling and the ranking need from the cluster first (the counts that tell an And's
  common word, the document frequencies of the scores -- those of pairs, words and heading
  words from the table the push wrote, :mod:`kb.engines.sphinx.freq`, read on opening --, where a term's words stand near
  each other, the paragraphs close to it in meaning: :mod:`kb.engines.sphinx.meaning`) is
  read in one trip, the candidates before the counts that decide whether they count, and
  kept per push (:meth:`SphinxEngine._prepare`); for a term alone, the
  paragraphs so found are read by id beside its expression (:meth:`SphinxEngine._apart_ids`);
- the selection is read lazily, in one trip with everything the caller said it would ask
  (:meth:`SphinxEngine.expect`): totals, facet counts (one ``GROUP BY report_key`` with the
  ids of each group, counted on the front from each paragraph's facets read once per push:
  :mod:`kb.engines.sphinx.keys`; a filtered facet without its own filter) and the page
  (:mod:`kb.engines.sphinx.selection`), and the whole query's tier when it may come in
  (:mod:`kb.engines.sphinx.whole`). So a search the cluster has not met is two trips, one it
  has met one (:attr:`Client.trips` counts them by kind), the push stamp's check among them:
  read at most once every ``refresh`` seconds, beside the read's first trip
  (:mod:`kb.engines.sphinx.freshness`);
- the page's order within each tier is the embedded engine's: Sphinx picks the first
  candidates of each tier, the front scores them (:mod:`kb.engines.sphinx.rank`) from
  their stored text and the cluster's statistics; their stored fields come with them
  (no second trip to fetch them). Compare's best paragraph per agency is ``GROUP BY
  agency WITHIN GROUP ORDER BY WEIGHT() DESC``, exact matches first; highlighting is the
  search layer's, in Python, on the fetched text.

Faults are said: every statement is followed by ``SHOW WARNINGS``;
a warning (a shard that did not answer or timed out) makes the selection ``partial``,
and a facet cut short by Sphinx's ``max_matches`` too. A cluster that does not answer at
all is :class:`~kb.core.errors.Unavailable` (503).
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field
from pathlib import Path

from kb.core.errors import BadRequest
from kb.core.model import SECTION_KINDS
from kb.core.settings import Ranking
from kb.engines import fields
from kb.engines.protocol import TIER, Group
from kb.engines.query import Term, whole_words
from kb.engines.sphinx import features, freq, grown, keys, meaning, rank, tiers, whole
from kb.engines.sphinx import schema as S
from kb.engines.sphinx.catalog import best_groups, list_reports, load_names, pushes, stamp, value_names
from kb.engines.sphinx.client import Client, parse_url, quote
from kb.engines.sphinx.freshness import Freshness
from kb.engines.sphinx.selection import BY_REPORT, KEY, MIN_MATCHES, Selection, cut
from kb.engines.sphinx.tiers import Tiers, literal
from kb.text import meaning as meaning_model

FETCH_BATCH = 1000  # paragraphs fetched by one statement
DOCS_KEPT = 5000  # stored documents read with pages, kept for the fetch that follows
FOUND_KEPT = 50_000  # paragraphs found on the front (words near, meaning) kept with their unit keys
NEAR_CANDIDATES = 5000  # paragraphs read to find a term's words near each other (more: matched by phrases)
FACET_SLACK = 64  # facet values beyond the counted ones a statement may return
#: kb_para's attributes that make the stored document (pid is its id).
STORED = tuple(name for name, kind in S.PARAGRAPH_ATTRS
               if kind != "multi_64" and name not in ("report_key", "words", "units", "meaning"))
#: What a page's candidates are read with: the stored document, the word counts and units a score needs.
CANDIDATE = (*STORED, "words", "units")


class Exists(str):
    """An expression of which only whether it matches any paragraph is read (a term's concept and
    heading tiers without its exact matches, :func:`kb.engines.sphinx.tiers.others`): read with
    ``cutoff=1``, each shard stopping at its first match (a count of it was a full match of a long
    expression: 40-90 ms of a first search at 82,692 paragraphs), its value 1 or 0."""

    @classmethod
    def of(cls, expr: str | None) -> Exists | None:
        return cls(expr) if expr else None


def _count_statement(e: str) -> str:
    """The statement that counts the paragraphs of expression ``e`` (for an :class:`Exists`, reads one)."""
    if isinstance(e, Exists):
        return f"SELECT id FROM {S.PARAGRAPHS} WHERE MATCH({quote(e)}) LIMIT 1 OPTION ranker=none, cutoff=1"
    return f"SELECT COUNT(*) n FROM {S.PARAGRAPHS} WHERE MATCH({quote(e)}) OPTION ranker=none"


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
class SphinxEngine:
    """The cluster behind one front searchd, as the search layer sees it."""

    url: str
    client: Client
    generation: str
    meta: dict
    bounds: dict[str, int]  # how many values each facet may have (for max_matches)
    ranking: Ranking = field(default_factory=Ranking)
    cache: dict = field(default_factory=dict)
    #: the model of meaning grown with the corpus the push sent (:mod:`kb.engines.sphinx.grown`;
    #: the shipped one's file without it): what the knowledge base expands queries with
    meaning_file: Path = field(default=meaning_model.SHIPPED)
    #: when the push stamp is read again (:meth:`is_current`; set on opening)
    fresh: Freshness = field(default=None)  # type: ignore[assignment]
    #: the document frequencies the push counted (:mod:`kb.engines.sphinx.freq`), read on opening
    #: (None: the cluster holds none done; Sphinx counts them then)
    freqs: freq.Table | None = None

    @classmethod
    def open(cls, url: str, ranking: Ranking | None = None, refresh: float = 1.0) -> SphinxEngine:
        host, port = parse_url(url)
        pushed = pushes(url)
        client = Client(host, port)
        reports, complete = list_reports(client, partial_ok=True)
        values = client.run(f"SELECT kind, COUNT(*) n FROM {S.VALUES} GROUP BY kind LIMIT 100")
        bounds = {str(f): int(n) for f, n in values.sets[0]}
        for name in ("agency", "region", "level", "year", "report_id"):
            bounds[name] = len({r[name] for r in reports.values()})
        bounds[KEY] = len(reports)
        bounds["section_kind"] = len(SECTION_KINDS)
        n = sum(r["paragraphs"] for r in reports.values())
        avg = {f: sum(int(r.get(col) or 0) for r in reports.values()) / max(1, n)
               for f, col in (("units", "units"), ("words", "words_len"), ("heads", "heads_len"))}
        meta = {"reports": len(reports), "paragraphs": n, "averages": avg,
                "checksums": {rid: r["digest"] for rid, r in reports.items()}, "backend": url,
                "by_key": {S.code(rid): {f: r[f] for f in BY_REPORT} for rid, r in reports.items()},
                "partial": not complete or bool(values.warnings)}
        load_names(client)
        generation = stamp(client)
        return cls(url, client, generation, meta, bounds, ranking or Ranking(), meaning_file=grown.model_file(client),
                   fresh=Freshness(client, url, generation, refresh, pushed=pushed), freqs=freq.load(client))

    def is_current(self) -> bool:
        """False once a push changed the cluster (:class:`~kb.engines.sphinx.freshness.Freshness`:
        the push stamp read at most once every ``refresh`` seconds, beside the read that asks),
        and while what was read on opening was partial (a shard down then: open again, it may be back)."""
        return not self.meta["partial"] and self.fresh.current()

    def settled(self) -> bool:
        """After a read: whether the stamp read beside it (if one was due) names this generation still."""
        return self.fresh.settled()

    def close(self) -> None:
        self.client.close()

    def select(self, tree, filters: dict[str, list[str]], loose: bool = False, related: bool = True) -> Selection:
        """The tiers compiled on the front (:mod:`kb.engines.sphinx.tiers`: every related
        tier, the common words told by their parts' counts, read first in one trip and
        kept), matched by Sphinx when the selection is first read (:mod:`kb.engines.sphinx.selection`)."""
        where = {name: where_of(name, values) for name, values in filters.items() if values}
        t, partial, reorder, pending, counts = None, False, None, None, {}
        if tree is not None:
            counts, near, meant, partial = self._prepare(tree, loose, related)
            n = self.meta["paragraphs"]
            ctx = self._context(loose, counts, near, meant)
            t = tiers.compile_tiers(tree, counts, n, ctx) if related else Tiers(literal(tree), literal(tree))
            if related and isinstance(tree, Term) and not tree.quoted:
                t = self._apart_ids(tree, t, counts, ctx)
            # (a shard that did not answer already makes the answer partial: no more trips for it)
            t, last, pending, short = self._whole(tree, t, counts) if related and not partial else (t, {}, None, False)
            scorer = rank.Scorer(rank.Stats(n, self.meta["averages"], counts), self.ranking, loose,
                                 {t: ctx.alone.get(t, ()) for t in ctx.meant}, meaning.score, ctx.apart_too)
            reorder = functools.partial(self._reorder, tree, scorer,
                                        tiers.common_parts(tree, counts, n, self.ranking) if related else set(), last)
            partial |= short
        return Selection(self.client, self._bound, t, where, partial, columns=CANDIDATE, remember=self._remember,
                         reports=self._report_facets, reorder=reorder,
                         by_index=tree is not None and not rank.terms(tree), pending=pending, keys=self._keys(),
                         exact_count=counts.get(t.exact) if t is not None and related else None)

    def _keys(self) -> keys.Keys | None:
        """Each paragraph's own facets (:mod:`kb.engines.sphinx.keys`), read once per push (None
        while a shard does not answer: each facet counted by a grouping of its own then)."""
        if self.cache.get("keys") is None:
            self.cache["keys"] = keys.read(self.client)
        return self.cache["keys"]

    def _whole(self, tree, t: Tiers, counts: dict[str, int]) -> tuple[Tiers, dict, whole.Pending | None, bool]:
        """(tiers, the cosines of the whole query's tier, its :class:`whole.Pending` while the
        selection has it to read, partial): :func:`whole.take`."""
        got, last = whole.take(self, tree, t, counts)
        if isinstance(got, whole.Pending):
            return got.tiers, last, got, False
        return got or t, last, None, got is None

    def _report_facets(self, keys: list[int]) -> dict[int, dict]:
        """The report facets (:data:`BY_REPORT`) of report keys: from the list read on opening,
        a report written since then read from kb_report (one more trip, rare)."""
        known = self.meta["by_key"]
        missing = [int(k) for k in keys if int(k) not in known]
        if missing:
            r = self.client.run(f"SELECT id, {', '.join(BY_REPORT)} FROM {S.REPORTS} WHERE id IN "
                                f"({', '.join(map(str, missing))}) LIMIT {len(missing)} "
                                f"OPTION max_matches={max(MIN_MATCHES, len(missing))}", kind="reports")
            for key, *values in r.sets[0]:
                known[int(key)] = dict(zip(BY_REPORT, values, strict=True))
        return {int(k): known[int(k)] for k in keys if int(k) in known}

    def _context(self, loose: bool, counts: dict[str, int], near: dict, meant: dict) -> tiers.Context:
        """What the related tiers are compiled with: the meaning tiers of the terms with fewer
        exact matches than ``meaning_below`` (:mod:`kb.engines.sphinx.meaning`: the paragraphs the
        front found, a word alone of a term of two), and their words apart where only the parts
        that say the term found some (as :func:`kb.engines.embedded.tiers._related` does)."""
        r, bare = self.ranking, tiers.Context(self.ranking, loose, near)
        active, alone, says = meaning.active(meant, counts, r, self.meta["paragraphs"])
        apart = frozenset(t for t in says if not loose and not counts.get(tiers.others(t, bare) or "", 0)
                          and near.get(t, []) == [])  # (None: too many to list, some found)
        return tiers.Context(r, loose, near, active, alone, apart)

    def _prepare(self, tree, loose: bool, related: bool) -> tuple[dict[str, int], dict, dict, bool]:
        """(counts, near, meant, partial): what compiling and ranking ``tree`` read first, for
        what this generation has not read yet, in one trip: the paragraphs of each expression
        And's common words and the scores need (:func:`tiers.counted_parts`, :func:`rank.needs`),
        counted; each term's candidates for words near each other (:meth:`_near`: none when it
        has none or too many); and the candidates close in meaning to each term
        (:func:`meaning.found`), read before its exact count is known (unless an earlier search
        counted it ``meaning_below`` or more) and kept only when that count is under
        ``meaning_below`` (the tier does not count above it)."""
        exprs, nears, meants = self._wanted(tree, loose, related)
        known = self._known(exprs)
        lookups = self._lookups(nears, meants, known)
        fresh, rows, partial = self._ask([e for e in exprs if e not in known], lookups)
        counts = {e: known.get(e, fresh.get(e, 0)) for e in exprs}
        below = self.ranking.meaning_below
        got = {(kind, t): parse(t, rows[kind, t]) for kind, t, _, parse in lookups
               if kind == "near" or counts.get(S.phrase(t.keys), 0) < below}
        if not partial:  # what was read short is not kept: the shard may answer next time
            known.update(fresh)
            for (kind, t), value in got.items():
                self.cache[kind][t] = value

        def look(kind: str, t):
            return self.cache[kind].get(t, got.get((kind, t)))

        return counts, {t: look("near", t) for t in nears}, {t: [look(g, t) for g in meaning.GROUPS] for t in meants}, \
            partial

    def _known(self, exprs: list[str]) -> dict[str, int]:
        """The counts this generation has read, those of ``exprs`` the push counted
        (:attr:`freqs`: pairs, words, heading words) among them: no statement for those."""
        known = self.cache.setdefault("part_counts", {})
        if self.freqs is not None:
            known.update(self.freqs.get([e for e in exprs if e not in known and not isinstance(e, Exists)
                                         and freq.covers(e)]))
        return known

    def _lookups(self, nears: list, meants: list, known: dict[str, int]) -> list[tuple]:
        """The candidates to read with the counts, as :meth:`_ask` takes them, that this
        generation has not read yet: where the words of ``nears``' terms stand near each other
        (:data:`NEAR_CANDIDATES` and one more: more means too many), each group of the parts of
        ``meants``' meaning tiers (:data:`kb.engines.sphinx.meaning.GROUPS`) but for a term
        counted ``meaning_below`` or more before."""
        for kind in ("near", *meaning.GROUPS):
            self.cache.setdefault(kind, {})
        lookups = [("near", t, self._near_candidates(t), self._near) for t in nears]
        lookups += [(g, t, meaning.candidates(t, self.ranking, g), functools.partial(self._meant, g))
                    for t in meants if known.get(S.phrase(t.keys), 0) < self.ranking.meaning_below
                    for g in meaning.GROUPS]
        return [x for x in lookups if x[2] is not None and x[1] not in self.cache[x[0]]]

    def _ask(self, missing: list[str], lookups: list[tuple]) -> tuple[dict[str, int], dict, bool]:
        """(the count of each of ``missing`` (1 or 0 for an :class:`Exists`), each lookup's rows by
        (kind, term), partial): one trip."""
        statements = [(_count_statement(e), 1) for e in missing] + [(sql, 1) for _, _, sql, _ in lookups]
        results = self.client.batch(statements, kind="prepare") if statements else []
        fresh = {e: min(1, len(r.sets[0])) if isinstance(e, Exists) else sum(int(row[0]) for row in r.sets[0])
                 for e, r in zip(missing, results, strict=False)}
        rows = {(kind, t): r.sets[0] for (kind, t, _, _), r in zip(lookups, results[len(missing):], strict=True)}
        return fresh, rows, any(r.warnings for r in results)

    def _wanted(self, tree, loose: bool, related: bool) -> tuple[list[str], list, list]:
        """(the expressions to count, the terms whose words near each other to find, the
        terms whose paragraphs close in meaning to find)."""
        if not related:
            return rank.needs(tree, loose), [], []
        exprs = tiers.counted_parts(tree) + rank.needs(tree, loose)
        if self.ranking.whole > 0 and whole_words(tree):  # its exact count may spare the whole query's trip
            exprs.append(literal(tree))
        terms = [t for t in dict.fromkeys(rank.terms(tree)) if not t.quoted]
        meants = [t for t in terms if t.meaning is not None and self.ranking.meaning_below > 0]
        bare = tiers.Context(self.ranking, loose)
        for t in meants:
            exprs += [S.phrase(t.keys), *(rank.word_expr(w) for w in meaning.words(t, self.ranking)),
                      Exists.of(tiers.others(t, bare))]  # (only whether it finds any is read: _context)
        nears = [t for t in terms if tiers.near_tokens(t, self.ranking)]
        return list(dict.fromkeys(e for e in exprs if e)), nears, meants

    def _meant(self, group: str, term, rows: list[tuple]) -> meaning.Found | None:
        found = meaning.found(term, rows, self.ranking, group)
        self._keep_found(rows, found.pids if found is not None else None)
        return found

    def _keep_found(self, rows: list[tuple], found: list[str] | None) -> None:
        """Keep the candidates (pid, unit keys, section) the front found (:meth:`_apart_ids` reads them)."""
        docs = self.cache.setdefault("found_docs", {})
        if len(docs) > FOUND_KEPT:
            docs.clear()
        wanted = set(found or ())
        for pid, units, section in rows:
            if str(pid) in wanted:
                docs[str(pid)] = rank.Doc({"text": "", "units": units, "section": section})

    def _apart_ids(self, term: Term, t: Tiers, counts: dict[str, int], ctx: tiers.Context) -> Tiers:
        """A term's tiers with the paragraphs the front found (words near each other, meaning)
        that no expression of its tiers matches read apart, by id (:class:`Tiers`)."""
        listed = ctx.near.get(term)
        named = list(dict.fromkeys([*(listed or ()), *ctx.meant.get(term, ())]))
        docs = self.cache.get("found_docs", {})
        if not named or any(pid not in docs for pid in named):
            return t
        near = {**ctx.near, term: [] if listed is not None else None} if term in ctx.near else ctx.near
        rest = tiers.compile_tiers(term, counts, self.meta["paragraphs"],
                                   dataclasses.replace(ctx, near=near, meant={})).all
        apart = ctx.loose or term in ctx.apart_too
        alone = [rank.word_needle(w) for w in ctx.alone.get(term, ())]  # (phrases of the expression)
        ids = tuple(pid for pid in named if not rank.matched_by_expression(term, docs[pid], apart)
                    and not any(docs[pid].has(k) for k in alone))
        return Tiers(t.exact, t.all, rest, ids)

    def _near_match(self, term) -> str:
        """The paragraphs with all the term's words but not the term itself: where its words
        may stand near each other."""
        return f"({tiers.all_of(term.near_words)} -{S.phrase(term.keys)})"

    def _near_candidates(self, term) -> str:
        """The first :data:`NEAR_CANDIDATES` and one more of :meth:`_near_match`'s paragraphs,
        with their unit keys."""
        match = self._near_match(term)
        return (f"SELECT pid, units, section FROM {S.PARAGRAPHS} WHERE MATCH({quote(match)}) LIMIT 0, {NEAR_CANDIDATES + 1} "
                f"OPTION ranker=none, max_matches={max(MIN_MATCHES, NEAR_CANDIDATES + 1)}")

    def _near(self, term, rows: list[tuple]) -> list[str] | None:
        """Of the candidates, the paragraphs where the term's words stand near each other
        (None when there were too many to read: matched by phrases then)."""
        if len(rows) > NEAR_CANDIDATES:
            return None
        window = self.ranking.near_window
        found = [str(pid) for pid, units, _ in rows
                 if rank.is_near(rank.Doc({"text": "", "units": units}), term.near_words, window)]
        self._keep_found(rows, found)
        return found

    def _reorder(self, tree, scorer: rank.Scorer, common: set, last: dict[str, float], tier: int,
                 ids: list[str]) -> list[str]:
        """Paragraphs of one tier (0: exact) in the embedded engine's order (ties: as given); those
        close to the whole query alone (``last``: their cosines) after the others."""
        docs = self.cache.get("scored", {})

        def score(pid: str) -> float:
            if pid in last:
                return last[pid] - 2.0  # below every other (a cosine is at most 1)
            d = docs.get(pid)
            if d is None:
                return float("-inf")
            s = scorer.exact(tree, d) if tier == 0 else scorer.related(tree, d, common)
            return (s or 0.0) * d.factor(self.ranking)

        return sorted(ids, key=lambda pid: (-score(pid), *_index_order(pid)))

    def _remember(self, rows: list[tuple]) -> None:
        """Keep the stored documents a page was read with (:meth:`fetch` asks for them next)."""
        docs, scored = self.cache.setdefault("docs", {}), self.cache.setdefault("scored", {})
        if len(docs) > DOCS_KEPT:  # the oldest half goes: never the rows of the trip under way (its tiers
            for pid in list(docs)[:len(docs) - DOCS_KEPT // 2]:  # are ranked once all are read)
                docs.pop(pid, None)
                scored.pop(pid, None)
        for row in rows:
            fields_ = dict(zip(CANDIDATE, row, strict=True))
            docs.pop(row[0], None)  # read again: the newest
            docs[row[0]] = stored(fields_)
            scored[row[0]] = rank.Doc(fields_)

    def expect(self, sel: Selection, facets: tuple[str, ...], sort: str | None, stop: int) -> None:
        """What the caller will ask of ``sel``: read in the trip that reads its totals."""
        sel.expect(facets, sort, stop)

    def facet_counts(self, sel: Selection, filters: dict[str, list[str]],
                     names: tuple[str, ...]) -> dict[str, dict[str, int]]:
        raw = sel.facet_counts(tuple(names))
        return {name: self._values(name, raw[name]) for name in names}

    def _bound(self, name: str) -> int:
        return max(MIN_MATCHES, self.bounds.get(name, 0) + FACET_SLACK)

    def _values(self, name: str, counts: dict) -> dict[str, int]:
        """Counts by attribute value -> counts by facet value (codes looked up)."""
        if name in S.CODED:
            names = value_names(self.client, list(counts))
            return {names.get(int(c), "?"): n for c, n in counts.items()}
        return {str(v): n for v, n in counts.items()}

    def group_counts(self, sel: Selection, name: str, distinct: str | None = None) -> dict[str, int]:
        what = f"COUNT(DISTINCT {'report_key' if distinct == 'report_id' else distinct})" if distinct else "COUNT(*)"
        limit = self._bound(name)
        r = self.client.run(f"SELECT GROUPBY() g, {what} n FROM {S.PARAGRAPHS}{sel.clause()} GROUP BY {name} "
                            f"LIMIT {limit} OPTION ranker=none, max_matches={limit}")
        sel.partial |= bool(r.warnings) or cut(len(r.sets[0]) >= limit)
        return self._values(name, {v: int(n) for v, n in r.sets[0]})

    def explain(self, tree, ids: list[str], loose: bool = False) -> dict[str, dict]:
        return {}  # Sphinx's weights are not broken down here

    def top(self, sel: Selection, sort: str, start: int, stop: int) -> list[tuple[str, float]]:
        """The exact tier first (by relevance; within each year by year), then the related
        one, each in Sphinx's order (scores: :data:`TIER` for an exact match, else 0)."""
        if stop <= start:
            return []
        return [(pid, TIER if exact else 0.0) for pid, exact in sel.page(sort, start, stop)]

    def best_per(self, sel: Selection, name: str) -> list[Group]:
        """Each value's best paragraph: of its exact matches if it has any, else of its
        related ones (each tier grouped by one statement, one trip); values with an exact
        match first."""
        return self.best_per_each([sel], name)[0]

    def best_per_each(self, sels: list[Selection], name: str) -> list[list[Group]]:
        """:meth:`best_per` of each selection, every statement in one trip."""
        limit = self._bound(name)
        statements = [[(f"SELECT pid, GROUPBY() g, WEIGHT() w, COUNT(*) n FROM {S.PARAGRAPHS}"
                        f"{sel.clause(match=m)} GROUP BY {name} WITHIN GROUP ORDER BY WEIGHT() DESC, id ASC "
                        f"ORDER BY w DESC LIMIT {limit} OPTION max_matches={limit}", 1) for m in sel._matches()]
                      for sel in sels]
        results = iter(self.client.batch([st for each in statements for st in each]))
        return [best_groups(self.client, sel, name, [next(results) for _ in each], limit)
                for sel, each in zip(sels, statements, strict=True)]

    def fetch(self, ids: list[str]) -> list[dict | None]:
        """The stored documents: those a page was read with, the others by id."""
        kept = self.cache.get("docs", {})
        found = {pid: kept[pid] for pid in ids if pid in kept}
        missing = [pid for pid in ids if pid not in found]
        for i in range(0, len(missing), FETCH_BATCH):
            chunk = missing[i:i + FETCH_BATCH]
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


def _index_order(pid: str) -> tuple[str, int]:
    """Where a paragraph stands in a fresh embedded index (report after report, in reading
    order): how the embedded engine breaks ties of score."""
    rid, _, ordinal = pid.rpartition(".p")
    return rid, int(ordinal) if ordinal.isdigit() else 0


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


def opener(url: str):
    """What :class:`kb.knowledgebase.KnowledgeBase` takes as ``open_engine``: the engine
    of the cluster at ``url`` (parsed now: a bad URL is an error before any search)."""
    parse_url(url)
    return lambda settings=None, check_corpus=False: SphinxEngine.open(
        url, settings.ranking if settings else None, settings.refresh if settings else 1.0)

"""Selection on the cluster: what a query tree and facet filters select, read in one round
trip (the sphinx engine's :class:`~kb.engines.protocol.Selection`, made by
:meth:`kb.engines.sphinx.engine.SphinxEngine.select`).

A selection is lazy: nothing is asked until a total, a count or a page is. Then one batch
of statements (:meth:`kb.engines.sphinx.client.Client.batch`, one round trip, run by
searchd as one multi-query, so a shard that does not answer costs its timeout once)
reads everything the caller said it would ask for (:meth:`Selection.expect`: the facets,
the page):

- the exact tier (``MATCH(exact)``) and, when related matches are possible, the related
  one (``MATCH((all) -(exact))``, its parts), each with the first ``stop`` paragraphs in the
  order asked for (the candidates the front ranks) and its counts: ``GROUP BY report_key``
  (whose counts add up to the tier's total: SHOW META is not trusted in a batch; the year,
  agency, region and level told apart from the report list) with ``GROUP_CONCAT(id)``, the
  other facets counted here from each paragraph's own facets the engine holds
  (:mod:`kb.engines.sphinx.keys`; without them, a ``GROUP BY`` of each other facet, and a
  related part's counts from its rows), each a statement with no ranking (Sphinx 2.2.11
  matches again for each grouping, a FACET too); by relevance, where the exact count is known
  and the page within it, the exact tier is its page alone and one grouping counts both tiers
  (:meth:`Selection._once`); a page statement keeps only the matches it returns (:func:`kb.engines.sphinx.reads.kept`);
- the whole query's tier when it may come in (:attr:`Selection.pending`): the other tiers'
  paragraphs and those it could take, kept when it takes them;
- each filtered facet's counts without its own filter (``MATCH(all)``).

The page is the exact tier's paragraphs, then the related tier's (by relevance: not read when the
exact ones fill it), or the two merged by year (each tier first within a year). The candidates read
serve the next pages as far as they reach (:func:`kb.engines.sphinx.pages.reach`); anything not
read in that trip (a page past them, a facet not expected) is one more trip.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from kb.core import shortfall
from kb.engines.protocol import BROWSE, BROWSE_ASC
from kb.engines.sphinx import schema as S
from kb.engines.sphinx.client import Client, Result, quote
from kb.engines.sphinx.keys import OWN, Keys
from kb.engines.sphinx.pages import merged, reach
from kb.engines.sphinx.reads import CANDIDATES, Ids, Part, Tier, conditions, cut, joined, kept
from kb.engines.sphinx.tiers import Tiers

MIN_MATCHES = 1000  # Sphinx's default max_matches
#: how Sphinx picks a tier's candidates (:data:`CANDIDATES`): the query's units counted in the paragraph (on 20,308 real paragraphs
#: it put more of the embedded engine's top 10 among the first 100 than Sphinx's default
#: proximity_bm25 did: 高质量发展 7 against 1, 城镇化 9 against 3; docs/CLUSTER.md)
CANDIDATE_RANKER = "expr('sum(hit_count)')"
#: A report's own facets (each paragraph has its report's): counted together by ``GROUP BY
#: report_key`` and told apart here from the report list the engine read on opening (one
#: group-by on the shards instead of four).
BY_REPORT = ("year", "agency", "region", "level")
KEY = "report_key"
#: A related tier's part of fewer paragraphs has its counts made here from its rows (one match
#: of its expression, often long and slow; each grouping would match it again), else by grouping
COUNTED_ROWS = 20_000
PAGE_ROWS = 200  # a page of at most this many rows is read with its stored fields (no second trip to fetch them)

#: ORDER BY of each order of :meth:`kb.engines.protocol.Engine.top`.
ORDERS = {
    "relevance": "WEIGHT() DESC, id ASC",
    "year": "year DESC, WEIGHT() DESC, id ASC",
    "year_asc": "year ASC, WEIGHT() DESC, id ASC",
    BROWSE: "year DESC, agency ASC, report_id ASC, ordinal ASC",
    BROWSE_ASC: "year ASC, agency ASC, report_id ASC, ordinal ASC",
}


@dataclass
class Selection:
    client: Client
    bound: Callable[[str], int]  # how many values a facet may have (its grouping's LIMIT)
    tiers: Tiers | None  # None: every paragraph
    where: dict[str, str]  # facet -> its filter's clause
    partial: bool = False
    want_facets: tuple[str, ...] = ()
    want_page: tuple[str, int] | None = None  # (sort, stop)
    columns: tuple[str, ...] = ()  # the stored fields read with a page (pid and year among them)
    remember: Callable[[list[tuple]], None] | None = None  # takes a page's rows of ``columns``
    #: the report facets (:data:`BY_REPORT`) of report keys: {key: {facet: value}} (unknown keys left out)
    reports: Callable[[list[int]], dict[int, dict]] | None = None
    #: puts a tier's candidates (ids of rows remembered) in the embedded engine's order:
    #: (tier: 0 exact, 1 related; ids) -> ids
    reorder: Callable[[int, list[str]], list[str]] | None = None
    by_index: bool = False  # every score the same (only exclusions): candidates in index order
    #: the whole query's tier while the other tiers' paragraphs are not read (kb.engines.sphinx.whole.Pending):
    #: its candidates and the others are read with the first trip (or alone, first, when it cannot take them)
    pending: object = None
    #: each paragraph's own facets on the front (kb.engines.sphinx.keys): a read's counts are then one
    #: GROUP BY report_key with the ids of each group, counted here (None: a GROUP BY for each facet)
    keys: Keys | None = None
    exact_count: int | None = None  # the exact tier's count without the filters, read before (:meth:`_rows_wanted`)
    _expand: dict[str, tuple[str, ...]] = field(default_factory=dict)  # such a statement -> the facets it counts
    _tiers: list[Tier] | None = None  # exact (and related), as last read
    _facets: dict[str, dict] = field(default_factory=dict)
    _pages: dict[str, tuple[int, list[tuple[str, int, int]]]] = field(default_factory=dict)  # sort -> (stop, rows)
    _matched: int | None = None

    def expect(self, facets: tuple[str, ...] = (), sort: str | None = None, stop: int = 0) -> None:
        """What the caller will ask for: read with the totals, in the same trip."""
        self.want_facets = tuple(facets)
        self.want_page = (sort, stop) if sort else None

    @property
    def split(self) -> bool:
        """Whether related matches are possible (two tiers to read)."""
        return self.tiers is not None and self.tiers.all != self.tiers.exact

    def _related_parts(self, whole: bool = False) -> list[Part]:
        """The related tier's parts, disjoint: what its expressions match (``MATCH((rest)
        -(exact))``; with ``whole``, ``MATCH(rest)``, the exact tier with it: :meth:`_once`), and
        the paragraphs named by id (:attr:`Tiers.ids`)."""
        t = self.tiers
        if not self.split:
            return []
        out: list[Part] = [t.matched if whole else f"({t.matched}) -({t.exact})"] if t.matched != t.exact else []
        return out + ([Ids(t.ids)] if t.ids else [])

    def _all_parts(self) -> list[Part]:
        """The whole selection's parts, disjoint: ``MATCH(rest)``, the paragraphs named by id."""
        if self.tiers is None:
            return [None]
        return [self.tiers.matched] + ([Ids(self.tiers.ids)] if self.tiers.ids else [])

    @property
    def total(self) -> int:
        return sum(t.total for t in self._read())

    @property
    def exact_total(self) -> int:
        """Selected paragraphs that match exactly (the rest are related matches)."""
        return self._read()[0].total

    @property
    def matched(self) -> int:
        """Paragraphs the query matches before the facet filters."""
        if not self.where:
            return self.total
        self._settle()
        if self._matched is None:
            results = self._batch([self._statement(p, {}, None, 0, ()) for p in self._all_parts()])
            self._matched = sum(self._total_of(r.sets[1]) for r in results)
        return self._matched

    def clause(self, without: str | None = None, match: str | None = None) -> str:
        """The WHERE clause: ``match`` (the whole selection's by default) and the filters
        but ``without``'s."""
        self._settle()
        match = match or self._all()
        parts = [f"MATCH({quote(match)})"] if match else []
        parts += [c for name, c in self.where.items() if name != without]
        return (" WHERE " + " AND ".join(parts)) if parts else ""

    def _all(self) -> str | None:
        return self.tiers.all if self.tiers else None

    def _matches(self) -> list[str | None]:
        """The MATCH of each tier: the exact one, then the related one (if any)."""
        self._settle()
        if self.tiers is None:
            return [None]
        if not self.split:
            return [self.tiers.exact]
        return [self.tiers.exact, f"({self.tiers.all}) -({self.tiers.exact})"]

    # -- reading ----------------------------------------------------------------------------

    def _read(self, facets: tuple[str, ...] = (), page: tuple[str, int] | None = None) -> list[Tier]:
        """The tiers as read (in one trip with what is expected, the first time)."""
        if self._tiers is None:
            facets = tuple(dict.fromkeys(self.want_facets + facets))
            page = page or self.want_page
        elif not facets and not page:
            return self._tiers
        self._trip(facets, page)
        return self._tiers

    def _settle(self) -> None:
        """The whole query's tier settled (:attr:`pending`) by a trip of its own."""
        if self.pending is not None:
            self.tiers, short = self.pending.read(self.client)
            self.partial |= short
            self.pending = None

    def _speculated(self, filtered: list[str], sort: str | None) -> Ids | None:
        """The whole query's candidates to read with this trip (:attr:`pending`), or None: none
        pending, or settled first (no page asked, or a filtered facet: its counts by part are
        grouped, the candidates taken could not be told apart in them)."""
        if self.pending is None:
            return None
        if filtered or not sort:
            self._settle()
            return None
        return Ids(self.pending.candidates())

    def _batch_settled(self, reads: list, spec: Ids | None) -> tuple[list[Result], set | None]:
        """(:meth:`_batch` of ``reads``, and with the whole query's ``spec`` the others' paragraphs
        read too: the tiers settled, and the candidates taken)."""
        results = self._batch(reads + ([[None, (self.pending.statement, 1)]] if spec else []))
        if not spec:
            return results, None
        found = results.pop()
        self.tiers = self.pending.settle(found.sets[1], bool(found.warnings))
        keep, self.pending = set(self.pending.last), None
        return results, keep

    def _trip(self, facets: tuple[str, ...], page: tuple[str, int] | None) -> None:
        """One round trip: each tier's totals, the unfiltered ``facets`` and the ``page``'s
        rows; each filtered facet of ``facets`` without its own filter; the whole query's
        candidates and the others' paragraphs, when pending (:meth:`_speculated`)."""
        plain = tuple(f for f in facets if f not in self.where)
        filtered = [f for f in facets if f in self.where]
        sort, stop = page or (None, 0)
        spec = self._speculated(filtered, sort)
        once = self._once(sort, stop)
        parts = self._related_parts(whole=once) + ([spec] if spec else [])
        results, keep = self._batch_settled(self._statements(plain, filtered, sort, stop, parts, spec, once), spec)
        self._tiers = tiers = self._tiers_of(results, plain, parts, spec, keep, once)
        results = results[1 + len(parts):]
        for name in plain:
            self._facets[name] = dict(sum((Counter(t.facets[name]) for t in tiers), Counter()))
        n = len(self._all_parts())
        for i, name in enumerate(filtered):
            self._facets[name] = dict(sum((Counter(self._facets_of(r, (name,))[name]) for r in results[i * n:(i + 1) * n]),
                                          Counter()))
        if sort:
            unordered = self._rank(tiers, sort, stop)
            rows = merged(sort, tiers)
            self._pages[sort] = (reach(rows, tiers, stop, unordered), rows)

    def _once(self, sort: str | None, stop: int) -> bool:
        """Whether the exact tier is read as its page alone and the related one's expression
        counted with it (``MATCH(rest)``, not ``MATCH((rest) -(exact))``): one grouping of both
        tiers instead of one each, where the exact count is known (read while compiling, no filter)
        and the page by relevance within it (the related rows are not read: :meth:`_rows_wanted`).
        The totals are told apart by that count; the facets are both tiers' together anyway. Sphinx
        2.2.11 matches and groups again for every statement (at 82,692 paragraphs a grouping by
        report of a common term 30-100 ms)."""
        t = self.tiers
        return (self.keys is not None and self.split and t.matched != t.exact and sort is not None
                and not self._rows_wanted(t.matched, sort, stop))

    def _tiers_of(self, results: list[Result], plain: tuple[str, ...], parts: list[Part], spec: Ids | None,
                  keep: set | None, once: bool) -> list[Tier]:
        """The exact tier and (when split) the related one from a trip's results; read :meth:`_once`,
        the exact tier is its page and the exact count, the related one the rest."""
        if not once:
            tiers = [self._tier(results[0], plain)]
            return tiers + ([self._related_tier(results[1:], plain, parts, spec, keep)] if self.split else [])
        both = self._related_tier(results[1:], plain, parts, spec, keep)
        exact = min(self.exact_count or 0, both.total)  # (less only with a shard left out: partial then)
        both.total -= exact
        return [Tier(exact, {name: {} for name in plain}, self._rows(results[0].sets[0])), both]

    def _rank(self, tiers: list[Tier], sort: str, stop: int) -> set[int]:
        """Put the candidates of each tier the page reaches in the embedded engine's order;
        returns the tiers whose candidates were left in Sphinx's order (the page does not reach them)."""
        if not self._ranked(sort, stop):
            return set()
        left = set()
        for i, t in enumerate(tiers):
            if i == 0 or sort != "relevance" or tiers[0].total < stop:
                t.rows = self._reordered(i, t.rows, sort, t.head)
            else:
                left.add(i)
        return left

    def _ranked(self, sort: str, stop: int) -> bool:
        """Whether a page's candidates are ranked on the front (:mod:`kb.engines.sphinx.rank`)."""
        return self.reorder is not None and self.tiers is not None and sort in ORDERS and sort not in (
            BROWSE, BROWSE_ASC) and self._columns(sort, stop) == self.columns

    def _reordered(self, tier: int, rows: list[tuple[str, int]], sort: str, head: int) -> list[tuple[str, int]]:
        """The first ``head`` rows (the candidates) in the embedded engine's order (by year:
        within each year), the rest as Sphinx gave them."""
        head, rest = rows[:head], rows[head:]
        year = dict(head)
        ranked = self.reorder(tier, [pid for pid, _ in head])
        if sort != "relevance":
            sign = 1 if sort == "year_asc" else -1
            ranked = sorted(ranked, key=lambda pid: sign * year[pid])  # stable: by score within a year
        return [(pid, year[pid]) for pid in ranked] + rest

    def _batch(self, reads: list[list[tuple[str, int] | None]]) -> list[Result]:
        """The statements of every read in one trip (a read's first one its page, None when
        it reads none); one result per read: its rows' set (empty without a page), then its
        counts' sets."""
        statements = [st for read in reads for st in read if st is not None]
        results = self.client.batch(statements, kind="selection")
        self.partial |= any(r.warnings for r in results)
        out, i = [], 0
        for read in reads:
            mine = results[i:i + sum(st is not None for st in read)]
            sets = ([[]] if read[0] is None else [])
            for (sql, _), r in zip(statements[i:i + len(mine)], mine, strict=True):
                names = self._expand.get(sql)
                if names is None:
                    sets += r.sets
                    continue
                expanded, whole = self.keys.expand(r.sets[0], names)
                sets += expanded
                self.partial |= not whole
            i += len(mine)
            out.append(Result(sets, {"grouped": "1"} if read[-1][0] in self._expand else {},
                              [w for r in mine for w in r.warnings]))
        return out

    def _statements(self, plain: tuple[str, ...], filtered: list[str], sort: str | None, stop: int,
                    parts: list[Part], spec: Ids | None, once: bool = False) -> list[list[tuple[str, int]]]:
        """Each tier's read (each of the related tier's ``parts``; the exact one its page alone
        when counted with them: :meth:`_once`), then each filtered facet's."""
        exact = self._statement(self.tiers.exact if self.tiers else None, self.where, sort, stop, plain)
        out = [exact[:1] if once else exact]
        out += [self._statement(p, self.where, sort if self._rows_wanted(p, sort, stop) else None, stop, plain,
                                counted=True, named=p is spec) for p in parts]
        for f in filtered:
            where = {k: v for k, v in self.where.items() if k != f}
            out += [self._statement(part, where, None, 0, (f,)) for part in self._all_parts()]
        return out

    def _rows_wanted(self, part: Part, sort: str | None, stop: int) -> bool:
        """Not when by relevance the exact tier fills the page, unfiltered: they would be past the reach."""
        full = sort == "relevance" and not self.where and (self.exact_count or 0) >= max(stop, 1)
        return not (isinstance(part, str) and full and self._ranked(sort, stop))

    def _related_tier(self, results: list, plain: tuple[str, ...], parts: list[Part], spec: Ids | None,
                      keep: set | None) -> Tier:
        """The related tier from its ``parts``' results; of ``spec``'s (the whole query's
        candidates) only the paragraphs taken, ``keep``."""
        return joined([self._related(part, self._kept(r, keep) if part is spec else r, plain)
                        for part, r in zip(parts, results, strict=False) if part is not spec or keep])

    def _kept(self, r: Result, keep: set) -> Result:
        """A read of paragraphs by id (its facet rows begin with their ids) with only those of ``keep``."""
        page = r.sets[0]
        i = self.columns.index("pid") if page and len(page[0]) > 2 else 0
        return Result([[row for row in page if str(row[i]) in keep], [row[1:] for row in r.sets[1] if str(row[0]) in keep]],
                      {}, r.warnings)

    def _related(self, part: Part, r: Result, plain: tuple[str, ...]) -> Tier:
        """A part of the related tier: its page, and its total and facets counted from its rows
        (by grouped statements, one more trip, when it has :data:`COUNTED_ROWS` or more)."""
        if r.meta.get("grouped"):  # (counted by the paragraphs' keys on the front)
            return self._tier(r, plain)
        rows, found = self._rows(r.sets[0]), r.sets[1]
        if len(found) >= COUNTED_ROWS:
            [more] = self._batch([self._statement(part, self.where, None, 0, plain)])
            t = self._tier(more, plain)
            t.rows = rows
            return t
        names = _groups(plain)
        by_key = Counter(int(row[0]) for row in found)
        facets = self._by_report(dict(by_key), [n for n in plain if n in BY_REPORT])
        for i, name in enumerate(names[1:], 1):
            counts: Counter = Counter()
            if name in S.CODED:
                for row in found:
                    counts.update(int(c) for c in str(row[i] or "").split(",") if c)
            else:
                counts.update(row[i] for row in found)
            facets[name] = dict(counts)
        return Tier(len(found), facets, rows)

    def _statement(self, match: Part, where: dict[str, str], sort: str | None, stop: int,
                   facets: tuple[str, ...], counted: bool = False, named: bool = False) -> list[tuple[str, int]]:
        """The statements of one read (with the result sets of each): the first ``stop``
        paragraphs in order ``sort`` (None when not sorted), then the counts by report (the
        total, the report facets) and of each other of ``facets``, each a GROUP BY of its own
        with no ranking and its own max_matches: Sphinx 2.2.11 matches again for each (a
        FACET too), and a FACET of the ranked statement ran its ranker again (at 240,021
        paragraphs 高质量发展's rows and four FACETs took 610 ms, the rows and four grouped
        statements about 300; docs/CLUSTER.md). ``counted``: the rows of the facets instead
        (at most :data:`COUNTED_ROWS`), counted here; ``named``: each with its paragraph's id first."""
        parts = conditions(match) + list(where.values())
        clause = (" WHERE " + " AND ".join(parts)) if parts else ""
        names = _groups(facets)
        limits = [self.bound(n) for n in names]
        page: list = [(self._page_statement(match, clause, sort, stop), 1) if sort else None]
        if self.keys is not None and not named and 1 < len(names) and set(names[1:]) <= set(OWN):
            k = limits[0]
            sql = (f"SELECT GROUPBY() g, COUNT(*) n, GROUP_CONCAT(id) ids FROM {S.PARAGRAPHS}{clause} GROUP BY {KEY} "
                   f"LIMIT 0, {k} OPTION ranker=none, max_matches={k}")
            self._expand[sql] = names[1:]
            return page + [(sql, 1)]
        if counted:
            return page + [(f"SELECT {', '.join(('pid',) * named + names)} FROM {S.PARAGRAPHS}{clause} "
                            f"LIMIT 0, {COUNTED_ROWS} "
                            f"OPTION ranker=none, max_matches={COUNTED_ROWS}", 1)]
        return page + [(f"SELECT GROUPBY() g, COUNT(*) n FROM {S.PARAGRAPHS}{clause} GROUP BY {name} LIMIT 0, {k} "
                        f"OPTION ranker=none, max_matches={k}", 1) for name, k in zip(names, limits, strict=True)]

    def _page_statement(self, match: Part, clause: str, sort: str, stop: int) -> str:
        """A SELECT of the first ``stop`` paragraphs in order ``sort`` (the candidates the
        front ranks, picked by :data:`CANDIDATE_RANKER`, when it does)."""
        options = f"max_matches={kept(stop)}" + ("" if isinstance(match, str) and match else ", ranker=none")
        order = f" ORDER BY {ORDERS[sort]}"
        if self.by_index:
            order = f" ORDER BY {ORDERS[sort].replace('WEIGHT() DESC, id ASC', 'report_id ASC, ordinal ASC')}"
        cols = ", ".join(self._columns(sort, stop))
        if self._ranked(sort, stop) and match:
            stop = max(stop, CANDIDATES)
            options = f"max_matches={kept(stop)}" + (
                f", ranker={CANDIDATE_RANKER}" if isinstance(match, str) else ", ranker=none")
        return f"SELECT {cols} FROM {S.PARAGRAPHS}{clause}{order} LIMIT 0, {stop} OPTION {options}"

    def _columns(self, sort: str | None, stop: int) -> tuple[str, ...]:
        """What a statement reads of each row: a page's stored fields, else its id and year."""
        return self.columns if sort and 0 < stop <= PAGE_ROWS and self.columns else ("pid", "year")

    def _rows(self, rows: list[tuple]) -> list[tuple[str, int]]:
        """(id, year) of each row (its stored fields remembered when it has them)."""
        if not rows or len(rows[0]) == 2 or self.remember is None:
            return [(str(pid), int(year)) for pid, year in rows]
        self.remember(rows)
        i, j = self.columns.index("pid"), self.columns.index("year")
        return [(str(row[i]), int(row[j])) for row in rows]

    def _tier(self, r, plain: tuple[str, ...]) -> Tier:
        """A tier's statement's result: its total, the facets ``plain``, its rows."""
        return Tier(self._total_of(r.sets[1]), self._facets_of(r, plain), self._rows(r.sets[0]))

    def _facets_of(self, r, names: tuple[str, ...]) -> dict[str, dict]:
        """The counts of ``names`` from a read's grouped result sets (:func:`_groups`)."""
        groups = _groups(names)
        out = {name: self._counts(name, rows) for name, rows in zip(groups[1:], r.sets[2:], strict=True)}
        mine = [n for n in names if n in BY_REPORT]
        if mine:
            out |= self._by_report({k: int(n) for k, n in r.sets[1]}, mine)
        return out

    def _by_report(self, by_key: dict[int, int], names: list[str]) -> dict[str, dict]:
        """The counts of report facets ``names`` from the counts by report key."""
        known = self.reports(list(by_key)) if self.reports is not None else {}
        out: dict[str, Counter] = {name: Counter() for name in names}
        for key, n in by_key.items():
            values = known.get(int(key))
            if values is None:
                shortfall.note("a report the cluster has not listed yet")
                self.partial = True
                continue
            for name in names:
                out[name][values[name]] += n
        return {name: dict(c) for name, c in out.items()}

    def _total_of(self, key_rows: list[tuple]) -> int:
        """A statement's total: its counts by report added up (every paragraph has a report)."""
        self.partial |= cut(len(key_rows) >= self.bound(KEY))
        return sum(int(n) for _, n in key_rows)

    def _counts(self, name: str, rows: list[tuple]) -> dict:
        """A facet's rows as {attribute value: count} (cut short: partial)."""
        self.partial |= cut(len(rows) >= self.bound(name))
        return {v: int(n) for v, n in rows}

    def facet_counts(self, names: tuple[str, ...]) -> dict[str, dict]:
        """The raw counts (attribute values) of each of ``names``."""
        missing = tuple(n for n in names if n not in self._facets)
        if missing or self._tiers is None:
            self._read(facets=missing)
        return {n: self._facets[n] for n in names}

    def page(self, sort: str, start: int, stop: int) -> list[tuple[str, int]]:
        """(paragraph id, 1 for an exact match else 0) of places ``start``..``stop``-1."""
        have = self._pages.get(sort)
        if have is None or have[0] < stop:
            self._read(page=(sort, stop))
        return [(pid, tier) for pid, _, tier in self._pages[sort][1][start:stop]]


def _groups(facets: tuple[str, ...]) -> tuple[str, ...]:
    """The groupings that count ``facets``: report_key first (the total and every report
    facet), then each other one."""
    return (KEY, *(f for f in facets if f not in BY_REPORT))

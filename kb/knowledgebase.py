"""The knowledge base: what the web app and the command line call.

:class:`KnowledgeBase` holds the settings and the opened engine of the served
generation (:mod:`kb.engines.protocol`; the embedded one by default), reopens it when a build has
replaced the generation, so a running site picks up a new index without a restart,
and runs every read through one wrapper (:meth:`KnowledgeBase.read`): a read whose
generation is replaced and removed while it runs is run once more on the new one, and
an index whose files cannot be read is an :class:`~kb.core.errors.IndexMissing` that says
``run: kb build``. The answers themselves are made by one module each: search, compare,
similar, export, listings, browse, figures. They are plain dicts (the JSON API's shapes,
DESIGN.md) with ids, never URLs. The writing side the command line runs is here too, one
call each: build (or push to a cluster), import, check.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from kb import build as kb_build
from kb.core import corpus, locks, shortfall
from kb.core.errors import BadRequest, IndexDamaged, IndexMissing, KbError, NotFound
from kb.core.settings import Settings
from kb.engines.embedded import generations
from kb.engines.embedded.engine import EmbeddedEngine
from kb.engines.protocol import Engine
from kb.engines.query import parse_query
from kb.enrich import conceptmine, concepts
from kb.figures import answers as figure_answers
from kb.figures import table as figure_table
from kb.ingest import gazetteer
from kb.search import answer as search_answer
from kb.search import by_year as yearly
from kb.search import compare, export, facets, hits, listings, plan_pages, plan_shares, similar
from kb.search import regulations as regulation_pages
from kb.search.request import SearchRequest, shown
from kb.text import meaning, textnorm

if TYPE_CHECKING:
    from kb.ingest.importer import Batch, Imported

log = logging.getLogger(__name__)
T = TypeVar("T")
WARM_QUERY = "法治建设"  # searched once when a generation opens (KnowledgeBase._warm)


def open_embedded(settings: Settings, check_corpus: bool) -> Engine:
    """The embedded engine of the served generation (checked against the corpus on request)."""
    return EmbeddedEngine.open(settings.index_dir, settings.corpus_dir if check_corpus else None, settings.ranking)


def open_backend(settings: Settings, check_corpus: bool) -> Engine:
    """The engine of the cluster that ``settings.backend`` names (``sphinx://HOST:PORT``)."""
    from kb.engines.sphinx import engine as sphinx_engine  # noqa: PLC0415 (only with a backend: pymysql is not needed otherwise)

    return sphinx_engine.SphinxEngine.open(settings.backend, refresh=settings.refresh)


class KnowledgeBase:
    """The corpus and its index, as the web app and the CLI see them."""

    warm_query = WARM_QUERY  # what opening a generation searches once (a server may ask it too)

    def __init__(self, corpus_dir: Path | str | None = None, index_dir: Path | str | None = None,
                 check_corpus: bool = True, settings: Settings | None = None,
                 open_engine: Callable[[Settings, bool], Engine] | None = None):
        self.settings = (settings or Settings()).with_dirs(corpus_dir, index_dir)
        self.check_corpus = check_corpus
        self._open_engine = open_engine or (open_backend if self.settings.backend else open_embedded)
        self._engine: Engine | None = None
        self._lock = threading.Lock()
        self._on_replace: list[Callable[[], None]] = []
        concepts.use_user(self.settings.concepts_file)

    def on_replace(self, hook: Callable[[], None]) -> None:
        """Call ``hook()`` each time a build's generation replaces the served one (after the
        new one is opened and warmed, before it is served): a server that keeps state about
        the old generation (``web.site.settle`` freezes the heap) undoes it there."""
        self._on_replace.append(hook)

    @property
    def corpus_dir(self) -> Path:
        return self.settings.corpus_dir

    def engine(self) -> Engine:
        """The served generation's engine, reopened if a build replaced it since.

        The first open checks that the index was built from this corpus (else
        IndexMissing: run kb build). A generation that a build switched to later is
        served as it is, even if the corpus has changed again since: it is complete,
        and newer than the one it replaces; the next build catches up.
        """
        engine = self._engine
        if engine is None or not engine.is_current():
            with self._lock:
                if self._engine is None or not self._engine.is_current():
                    check = self.check_corpus and self._engine is None
                    opened = self._open_engine(self.settings, check)
                    self._warm(opened)
                    if self._engine is not None:
                        for hook in self._on_replace:
                            hook()
                    self._engine = opened
                engine = self._engine
        return engine

    def _warm(self, engine: Engine) -> None:
        """Load what a first search needs when a generation opens, so that the first
        search is as fast as the tenth: the postings and their facet columns, the
        segmenter's dictionary, the converters, the concepts and topics, a stored
        paragraph. One search of :data:`WARM_QUERY` does it all (the answer is kept in
        the generation's cache like any other)."""
        req = SearchRequest(q=WARM_QUERY)
        textnorm.warm()
        try:
            with shortfall.within():  # (outside a request: what is read short is not cached either)
                search_answer.answer(engine, parse_query(WARM_QUERY), req, None, self.settings.limits)
                regulation_pages.regulation_named(engine, WARM_QUERY)  # what /api/search asks besides
        except IndexDamaged as e:
            log.error("index generation %s cannot be read", engine.generation, exc_info=True)
            raise IndexMissing(str(e)) from None

    def read(self, read: Callable[[Engine], T], part: str = "other") -> T:
        """``read(engine)`` on the served generation: every read of the index goes here, saying
        what it reads (``part``, :data:`kb.core.shortfall.PARTS`: named if it comes back short).

        If it fails because the generation was replaced (and perhaps removed) while it
        was read (any IndexMissing, IndexDamaged among them), or a check of the cluster's
        push stamp made beside it finds a push since (:meth:`Engine.settled`), it runs once
        more on the new one; an index whose files cannot be read is an IndexMissing that
        says what to run.
        """
        with shortfall.reading(part):
            return self._read(read)

    def _read(self, read: Callable[[Engine], T]) -> T:
        for attempt in (1, 2):
            engine = self.engine()
            try:
                with meaning.using(getattr(engine, "meaning_file", None)):  # this index's model (else the shipped one)
                    got = read(engine)
                if engine.settled() or attempt == 2:
                    return got
            except IndexMissing as e:  # IndexDamaged among them
                if attempt == 1 and not engine.is_current():
                    continue
                if not isinstance(e, IndexDamaged):
                    raise
                log.error("index generation %s cannot be read", engine.generation, exc_info=True)
                raise IndexMissing(str(e)) from None
        raise AssertionError("unreachable")

    # -- search ------------------------------------------------------------------------

    def search(self, req: SearchRequest, facet_limit: int | None = None, part: str = "search") -> dict:
        """Hits of one page, the total and facet counts (the /api/search answer).

        Answers, and selections with their facet counts, are cached per index
        generation: the same search again, or another page or order of it, costs
        almost nothing while the index is unchanged. The answer's parts are shared
        with the cache: read them, do not change them in place.
        """
        started = time.perf_counter()
        query = parse_query(req.q)  # a bad query is a BadRequest, index or not
        answer = self.read(lambda e: search_answer.answer(e, query, req, facet_limit, self.settings.limits), part)
        return answer | {"took_ms": _ms(started)}

    def export(self, req: SearchRequest, limit: int | None = None) -> Iterator[dict]:
        """Every hit of a search (not only one page), in the search's order, for export.

        Rows carry the same fields as :meth:`search`'s hits, without the HTML excerpt.
        """
        query = parse_query(req.q)
        limit = self.settings.limits.export if limit is None else limit
        ids = self.read(lambda e: export.ordered_ids(e, query, req, limit), "export")
        for i in range(0, len(ids), export.BATCH):
            batch = ids[i:i + export.BATCH]
            yield from self.read(lambda e, batch=batch: export.rows(e, batch, query), "export")

    def paragraph_ids(self, req: SearchRequest) -> set[str]:
        """The ids of every paragraph a search selects (its query and filters), for pages
        that narrow other data to a search (:meth:`figures`)."""
        query = parse_query(req.q)
        return self.read(lambda e: set(search_answer.selected_ids(e, query, req.filters, req.related)), "figures")

    def compare(self, req: SearchRequest, by_year: bool = False, paged: bool = True) -> dict:
        """The best paragraph of each agency (``by_year``: of each agency in each year)
        for a query, a page of them (the /api/compare answer; ``paged`` False: every one)."""
        started = time.perf_counter()
        query = parse_query(req.q)
        if query.tree is None:
            raise BadRequest("对比需要检索词 (compare needs a query: q=…)")
        return self.read(lambda e: compare.compare(e, query, req, by_year, paged), "compare") | {"took_ms": _ms(started)}

    def facet_values(self, req: SearchRequest, name: str, contains: str = "") -> list[dict]:
        """Every value of facet ``name`` for a search (not only an answer's first ones),
        those whose value or label holds ``contains``, those that start with it first."""
        result = self.search(replace(req, page=1, size=1, facet_size=None), part="facets")
        return facets.matching(result["facets"][name], contains)

    def yearly(self, req: SearchRequest) -> list[dict]:
        """Paragraphs and reports with a hit per year, beside every report of that year,
        every year of the index (:mod:`kb.search.by_year`)."""
        query = parse_query(req.q)
        return self.read(lambda e: yearly.by_year(e, search_answer.select(e, query, req.filters)[0]), "years")

    def reports_by_year(self) -> dict[int, int]:
        """How many reports the index holds of each year."""
        return self.read(yearly.reports_by_year, "years")

    def every_year(self, hits_by_year: dict[int, tuple[int, int]]) -> list[dict]:
        """Counts per year (year -> (paragraphs or mentions, reports)) spread over every year of
        the index, those without a hit too, beside its reports (:func:`kb.search.by_year.spread`)."""
        return yearly.spread(hits_by_year, self.reports_by_year())

    def similar(self, paragraph_id: str, limit: int = 5) -> dict:
        """The paragraphs of other agencies most like one paragraph (best one per agency)."""
        limits = self.settings.limits
        if not 1 <= limit <= limits.page_size:
            raise BadRequest(f"limit 必须在 1 到 {limits.page_size} 之间")
        paragraph_id = textnorm.scrub(paragraph_id)
        if not (paragraph_id.isprintable() and len(paragraph_id) <= limits.value_length):
            raise NotFound(f"没有这个段落：{shown(paragraph_id)}")
        return self.read(lambda e: similar.similar(e, paragraph_id, limit), "similar")

    def paragraphs(self, ids: list[str]) -> list[dict | None]:
        """The paragraphs of these ids as hits, in this order (None for an id not in the index)."""
        limits = self.settings.limits
        if len(ids) > limits.collection:
            raise BadRequest(f"最多 {limits.collection} 段 (at most {limits.collection} paragraphs at once)")
        valid = [pid for pid in ids if pid.isprintable() and len(pid) <= limits.value_length]
        found = dict(zip(valid, self.read(lambda e: e.fetch(valid), "paragraphs"), strict=True))
        return [hits.hit(found[pid], []) if found.get(pid) else None for pid in ids]

    # -- listings ----------------------------------------------------------------------

    def reports(self) -> list[dict]:
        """Metadata of every indexed report, newest year first, with paragraph counts."""
        return [dict(r) for r in self.read(lambda e: listings.reports(e, self.corpus_dir), "reports")]

    def agencies(self) -> list[dict]:
        """Every agency with its region, level and reports by year."""
        return listings.agencies(self.reports())

    def years(self) -> list[dict]:
        """Every year reported on, with its agencies and paragraphs."""
        return listings.years(self.reports())

    def provinces(self, names: list[str]) -> dict[str, str]:
        """The province of each name, an agency's (by its region) or a region's; "" when the
        gazetteer knows none (for grouping long lists of agencies or regions)."""
        region = {a["agency"]: a["region"] for a in self.agencies()}
        return {name: gazetteer.province_of(region.get(name, name)) for name in names}

    def moved_to(self, report_id: str) -> str | None:
        """The id a report has now when a re-import moved it from ``report_id`` (its year, agency
        or title changed: the new report lists the old id in ``formerly``); None when ``report_id``
        is a report's, or no report was ever moved from it."""
        if not corpus.valid_id(report_id) or corpus.report_path(self.corpus_dir, report_id).is_file():
            return None
        return next((r["id"] for r in self.reports() if report_id in (r.get("formerly") or ())), None)

    def report(self, report_id: str, q: str = "") -> dict:
        """One report: metadata and every paragraph in order, the query's matches marked."""
        return self.read(lambda e: listings.report(e, self.corpus_dir, report_id, q), "report")

    def plan(self, report_id: str) -> dict:
        """A report's plan items, each judged against the same agency's report on the next
        year: verdict, how sure, evidence paragraphs, figures compared (:mod:`kb.search.plan_pages`)."""
        return self.read(lambda e: plan_pages.plan(e, self.corpus_dir, report_id, listings.reports(e, self.corpus_dir)),
                         "plans")

    def agency_plans(self, agency: str) -> dict:
        """Every report of an agency with the share of its plan delivered, by year."""
        return self.read(lambda e: plan_pages.agency_plans(e, self.corpus_dir, agency,
                                                            listings.reports(e, self.corpus_dir)), "plans")

    def plan_shares(self, required: bool = False) -> dict[str, dict] | None:
        """Every report's plan summary and share delivered, as ``kb plans --all`` computed them
        on the served generation; None when it has not (:mod:`kb.search.plan_shares`).
        ``required`` (to sort by them): on a search cluster, which keeps none, a BadRequest."""
        def shares(engine: Engine) -> dict[str, dict] | None:
            if required and plan_shares.folder(engine) is None:
                raise BadRequest(plan_shares.ON_CLUSTER)
            return plan_shares.read(engine)
        return self.read(shares, "plans")

    def compute_plan_shares(self, procs: int | None = None, progress=None) -> dict[str, dict]:
        """Judge every report's plan against its next report and keep the summaries beside
        the index for the served generation (minutes for thousands of reports)."""
        all_reports = self.reports()
        return self.read(lambda e: plan_shares.compute(e, self.corpus_dir, all_reports, procs, progress), "plans")

    def report_cards(self) -> list[dict]:
        """Every report (:meth:`reports`) with its report card's summary (from the figure table)."""
        cards = self.read(figure_table.cards, "reports")
        return figure_answers.reports(cards, self.reports())

    def report_card(self, report_id: str, q: str = "") -> dict:
        """One report (:meth:`report`) with its report card: required parts, date signed."""
        return figure_answers.report(self.report(report_id, q=q))

    def topics(self) -> list[dict]:
        """The taxonomy with paragraph and report counts."""
        return listings.taxonomy(*self.read(listings.topic_counts, "topics"))

    def regulations(self) -> dict:
        """The regulations index: by kind, with counts of mentions and reports."""
        return self.read(regulation_pages.regulation_index, "regulations")

    def regulation(self, name: str) -> dict:
        """Every mention of one regulation, grouped by agency and year."""
        return self.read(lambda e: regulation_pages.regulation_page(e, name), "regulations")

    def regulation_named(self, q: str) -> str | None:
        """The canonical name of the regulation a query names, if the corpus mentions it."""
        return self.read(lambda e: regulation_pages.regulation_named(e, q), "regulation")

    def regulation_mentions(self, name: str) -> list[dict]:
        """Every mention of one regulation, one row each (the researcher's export)."""
        return self.read(lambda e: regulation_pages.regulation_mentions(e, name), "regulations")

    # -- figures -------------------------------------------------------------------------

    def figures(self, args: Mapping[str, list[str]], indicator: str = "") -> dict:
        """The figures (of ``indicator``) that pass the filters of ``args``, a page of them,
        the indicators with their counts, and the facets (the /api/figures answer)."""
        return _with_query_note(figure_answers.figures(self._figure_table, self._figure_paragraphs, args, indicator),
                                args)

    def figure_indicator(self, indicator: str, args: Mapping[str, list[str]]) -> dict:
        """One indicator's figures (:meth:`figures`) and its tables of agency x year, in the
        order ``args`` asks (sort, sort_year)."""
        return _with_query_note(
            figure_answers.indicator_page(self._figure_table, self._figure_paragraphs, indicator, args), args)

    def _figure_table(self) -> figure_table.Table:
        """The served generation's figure table (read again if a build replaced it meanwhile)."""
        return self.read(figure_table.table, "figures")

    def _figure_paragraphs(self, search_args: dict[str, list[str]]) -> set[str]:
        """The paragraphs a search of the figure pages selects (q, topic, regulation)."""
        return self.paragraph_ids(SearchRequest.from_args(search_args))

    # -- writing: build, import, check (the command line's) -----------------------------

    def misnamed(self) -> list[Path]:
        """The corpus's Markdown files a build leaves out: their name is not a report id."""
        return corpus.misnamed(self.corpus_dir)

    def build(self, progress: kb_build.Progress | None = None, full: bool = False) -> dict:
        """Bring the index up to date with the corpus (``full``: build it anew), or with a backend
        (``settings.backend``) its cluster's shards; the summary of the build or of the push."""
        if self.settings.backend:
            from kb.engines.sphinx import push  # only with a backend: pymysql is not needed otherwise

            return push.push(self.settings.backend, self.corpus_dir, progress=progress, full=full)
        return kb_build.build(self.corpus_dir, self.settings.index_dir, progress=progress, full=full,
                              procs=self.settings.build_procs)

    def suggest_concepts(self, terms: list[str], top: int = 40, min_count: int = 2, learned: bool = False) -> list[dict]:
        """Concept entries proposed for a person to accept (:mod:`kb.enrich.conceptmine`), each
        with its evidence (the paragraphs of the corpus each wording stands in): for ``terms``
        their variants, neighbours in the model of meaning and abbreviations; without, the glossary
        terms and quoted names of the corpus, or (``learned``) the words the model learned from it.
        The model is the one grown with the corpus when the index is built (else the shipped one)."""
        if not self.corpus_dir.is_dir():
            raise KbError(f"语料目录不存在 (no corpus folder {self.corpus_dir}); give --corpus")
        for term in terms:
            if not any(c.isalnum() for c in term):
                raise KbError(f"词语须含文字：{term!r} (a term must have letters, digits or Chinese characters)")
        terms = [t.strip() for t in terms]
        model_file = None
        if not self.settings.backend:
            try:
                model_file = getattr(self.engine(), "meaning_file", None)  # its generation's model
            except IndexMissing:
                log.info("no index: concepts are suggested with the shipped model of meaning")
        with meaning.using(model_file):
            found = conceptmine.suggest(self.corpus_dir, terms, top=top, min_count=min_count, learned=learned)
        return [s.__dict__ | {"variants": [v.__dict__ for v in s.variants], "toml": s.toml()} for s in found]

    def accept_concept(self, name: str, also: list[str], aliases: list[str] = ()) -> dict:
        """Write a concept entry into the user's concepts file (``settings.concepts_file``): a search
        for ``name`` then also finds each of ``also`` (and ``aliases``), at once, no rebuild."""
        return concepts.accept(self.settings.concepts_file, name, also, list(aliases))

    def importable(self, paths: list[Path]) -> list[Path]:
        """The files ``paths`` name, and the files of a format kb imports inside the folders they
        name, in a stable order; a KbError when there are none."""
        from kb.ingest import importer  # the readers of every format: only an import loads them

        files = importer.expand(paths)
        if not files:
            raise KbError("没有找到可导入的文件 (no files to import); name files or folders "
                          f"of {' '.join(importer.SUPPORTED)} files")
        return files

    def manifest_rows(self, manifest: Path, files: list[Path]) -> tuple[dict[Path, dict], list[str]]:
        """The metadata a manifest (CSV) gives for each of ``files``, and the names of its rows
        that name none of them."""
        from kb.ingest import importer

        return importer.match_manifest(importer.read_manifest(manifest), files)

    @contextmanager
    def importing(self) -> Iterator[None]:
        """The corpus folder (made if new) held for an import and the build after it: a second
        import or a build is refused until it is let go (:mod:`kb.core.locks`)."""
        self.corpus_dir.mkdir(parents=True, exist_ok=True)
        with locks.exclusive(self.corpus_dir):
            yield

    def import_files(self, files: list[Path], given_for: Callable[[Path], dict] | None = None,
                     progress: kb_build.Progress | None = None,
                     each: Callable[[Imported | None, Path, str], None] | None = None,
                     dry_run: bool = False, pages: kb_build.Progress | None = None) -> Batch:
        """Import ``files`` into the corpus, the metadata ``given_for(path)`` over what the text says
        (``each(imported or None, path, error)`` after each file; ``dry_run``: nothing written;
        ``pages(done, total)`` after each page of a scanned PDF read by OCR)."""
        from kb.ingest import importer

        return importer.import_files(files, self.corpus_dir, given_for, progress=progress, each=each,
                                     dry_run=dry_run, pages=pages)

    def check(self) -> dict:
        """Read every byte of the served generation: each file as built (sha256), the generation
        current for the corpus (its generation, paragraphs, files, bytes, seconds); else IndexMissing."""
        return generations.check(self.settings.index_dir, self.corpus_dir)

    def check_opens(self) -> None:
        """Check that the served generation opens and was built from this corpus, reading no
        index (IndexMissing else: run kb build); a cluster (a backend) is not checked here."""
        if not self.settings.backend:  # a cluster is pushed to with kb build --backend
            generations.open_generation(self.settings.index_dir, self.corpus_dir)


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)


def _with_query_note(data: dict, args: Mapping[str, list[str]]) -> dict:
    """A figure answer (shared: not changed) with the ``query_note`` of its query, when the
    query as written was wrong and something else ran (as the search's answer says it)."""
    q = (args.get("q") or [""])[-1]
    note = search_answer.query_note(parse_query(q)) if q.strip() else None
    return data | {"query_note": note} if note else data

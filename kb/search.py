"""Search: one interface from a request to JSON-ready results.

``KnowledgeBase`` is what the web app and the command line use; it returns plain
dicts (the JSON API's shapes, DESIGN.md), never Whoosh objects. It keeps the opened
index and reopens it when a build has replaced the served generation, so a running
site picks up a new index without a restart.

It is shared by every thread of the server. A search reads one generation from start
to end; if that generation is replaced and removed while it is being read, the search
runs once more on the new one. An index whose files cannot be read raises
:class:`~kb.errors.IndexMissing` (``run: kb build``), never a raw Whoosh error.
"""

from __future__ import annotations

import json
import logging
import math
import pickle
import re
import struct
import threading
import time
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import numpy as np
from whoosh import index as whoosh_index

from kb import browse, cache, corpus, highlight, postings, regulations, suggest, textnorm, topics
from kb.errors import BadRequest, IndexMissing, KbError, NotFound
from kb.facets import FACET_SIZE, FACETS, count, trimmed
from kb.index import REBUILD, Index, paragraphs_of, report_counts
from kb.model import SECTION_KINDS
from kb.postings import Postings, Scored, union
from kb.query import MAX_QUERY_LENGTH, evaluate, expanded_terms, has_loose, parse, positive_terms

MAX_PAGE_SIZE = 100
MAX_PAGE = 1000
MAX_EXPORT = 100_000  # rows in one export
SEARCH_CACHE = 256  # answers kept per index generation (repeated queries, pages, back buttons)
SELECT_CACHE = 64  # selections with facet counts kept per index generation (other pages, sorts)
MAX_FILTER_VALUES = 20  # values of one facet filter
MAX_VALUE_LENGTH = 200  # characters of one filter value
MAX_FACET_SIZE = 10_000  # values of one facet in an answer (facet_size=all: every value)
MAX_COLLECTION = 200  # paragraphs of one collection
SORTS = ("relevance", "year", "year_asc")

log = logging.getLogger(__name__)

#: What reading index files that are truncated, garbled or gone raises (measured by
#: damaging a segment file: see tests/test_faults.py) ...
DAMAGED = (OSError, EOFError, struct.error, zlib.error, pickle.UnpicklingError, UnicodeDecodeError,
           whoosh_index.IndexError)
#: ... and these, when raised inside Whoosh.
DAMAGED_IN_WHOOSH = (ValueError, IndexError, KeyError, TypeError, OverflowError, MemoryError)


def _damaged(e: Exception) -> bool:
    """True if ``e`` says the index files are bad: one of DAMAGED, or of DAMAGED_IN_WHOOSH
    raised inside Whoosh (the same error raised by our own code is a bug, and stays one)."""
    if isinstance(e, DAMAGED):
        return True
    # Whoosh raises a bare Exception on a bad postings block ("Block tag error"): met
    # when the segment's files are separate and the postings file is garbled
    if not isinstance(e, DAMAGED_IN_WHOOSH) and type(e) is not Exception:
        return False
    tb = e.__traceback__
    while tb is not None:
        if "whoosh" in Path(tb.tb_frame.f_code.co_filename).parts:
            return True
        tb = tb.tb_next
    return False


@dataclass
class SearchRequest:
    """A validated search: query, facet filters, page, page size, order."""

    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    page: int = 1
    size: int = 10
    sort: str = "relevance"
    facet_size: int | None = FACET_SIZE  # values of each facet in the answer (None: all)

    @classmethod
    def from_args(cls, args: Mapping[str, list[str]]) -> SearchRequest:
        """Build from multi-valued parameters (a query string or CLI options).

        Raises :class:`BadRequest` with a message for any value out of range.
        """
        def one(name: str, default: str) -> str:
            values = args.get(name) or [default]
            return textnorm.scrub(str(values[-1])) if values[-1] is not None else default

        q = one("q", "")
        page = parse_int(one("page", "1"), "page", 1, MAX_PAGE)
        size = parse_int(one("size", "10"), "size", 1, MAX_PAGE_SIZE)
        sort = one("sort", "relevance") or "relevance"
        if sort not in SORTS:
            raise BadRequest(f"sort 只能是 {' / '.join(SORTS)} (unknown sort: {_shown(sort)})")
        filters = {}
        for name in FACETS:
            values = [textnorm.scrub(str(v)).strip() for v in args.get(name, []) if v and str(v).strip()]
            if len(values) > MAX_FILTER_VALUES:
                raise BadRequest(f"{name} 最多 {MAX_FILTER_VALUES} 个值 (at most {MAX_FILTER_VALUES} values of one filter)")
            if any(len(v) > MAX_VALUE_LENGTH for v in values):
                raise BadRequest(f"{name} 的值过长 ({name}: a value longer than {MAX_VALUE_LENGTH} characters)")
            if values:
                filters[name] = list(dict.fromkeys(values))
        fs = one("facet_size", str(FACET_SIZE)).strip()
        facet_size = None if fs == "all" else parse_int(fs, "facet_size", 1, MAX_FACET_SIZE)
        return cls(q=q, filters=filters, page=page, size=size, sort=sort, facet_size=facet_size)

    def args(self) -> dict[str, list[str]]:
        """The request as parameters (for links)."""
        out = {"q": [self.q]} if self.q else {}
        out |= {k: list(v) for k, v in self.filters.items()}
        if self.sort != "relevance":
            out["sort"] = [self.sort]
        return out


def parse_int(text: str, name: str, lo: int, hi: int) -> int:
    """A whole number written with ASCII digits, between ``lo`` and ``hi``; else BadRequest."""
    digits = str(text).strip()
    if not re.fullmatch(r"[+-]?[0-9]{1,18}", digits):
        raise BadRequest(f"{name} 必须是整数 ({name} must be a whole number, got {_shown(digits)})")
    value = int(digits)
    if not lo <= value <= hi:
        raise BadRequest(f"{name} 必须在 {lo} 到 {hi} 之间 ({name} must be between {lo} and {hi})")
    return value


def _shown(value: str, width: int = 40) -> str:
    """A value the user sent, quoted and cut short, for an error message."""
    return repr(value if len(value) <= width else value[:width] + "…")


def report_url(report_id: str, ordinal: int | None = None, q: str = "") -> str:
    """The report page, at a paragraph's anchor, with the query to highlight."""
    url = f"/reports/{quote(report_id)}"
    if q:
        url += "?q=" + quote(q)
    if ordinal is not None:
        url += f"#p{ordinal}"
    return url


class KnowledgeBase:
    """The corpus and its index, as the web app and the CLI see them."""

    def __init__(self, corpus_dir: Path, index_dir: Path, check_corpus: bool = True):
        self.corpus_dir = Path(corpus_dir)
        self.index_dir = Path(index_dir)
        self.check_corpus = check_corpus
        self._index: Index | None = None
        self._lock = threading.Lock()

    def index(self) -> Index:
        """The served index, reopened if a build replaced it since.

        The first open checks that the index was built from this corpus (else
        IndexMissing: run kb build). A generation that a build switched to later is
        served as it is, even if the corpus has changed again since: it is complete,
        and newer than the one it replaces; the next build catches up.
        """
        idx = self._index
        if idx is None or not idx.is_current():
            with self._lock:
                if self._index is None or not self._index.is_current():
                    check = self.check_corpus and self._index is None
                    self._index = Index.open(self.index_dir, self.corpus_dir if check else None)
                idx = self._index
        return idx

    def _read(self, read):
        """``read(idx, searcher)`` on the served generation, with a searcher open.

        If it fails because the generation was replaced (and perhaps removed) while it
        was read, it runs once more on the new one; an index whose files cannot be read
        is an IndexMissing that says what to run.
        """
        for attempt in (1, 2):
            idx = self.index()
            try:
                with idx.searcher() as s:
                    return read(idx, s)
            except KbError:
                raise
            except Exception as e:
                if not _damaged(e):
                    raise
                if attempt == 1 and not idx.is_current():
                    continue
                log.error("index %s cannot be read", idx.index_dir / idx.generation, exc_info=True)
                raise IndexMissing(f"索引已损坏 (the index cannot be read: {type(e).__name__}); {REBUILD}") from None

    # -- search -----------------------------------------------------------------------

    def search(self, req: SearchRequest, facet_limit: int | None = None) -> dict:
        """Hits of one page, the total and facet counts (the /api/search answer).

        Answers, and selections with their facet counts, are cached per index
        generation: the same search again, or another page or order of it, costs
        almost nothing while the index is unchanged. The answer's parts are shared
        with the cache: read them, do not change them in place.
        """
        started = time.perf_counter()
        tree = parse(req.q)  # a bad query is a BadRequest, index or not
        fkey = tuple(sorted((k, tuple(v)) for k, v in req.filters.items()))
        key = (req.q, fkey, req.page, req.size, req.sort, facet_limit)
        answer = cache.of(self.index().cache, "search", SEARCH_CACHE).get(key)
        if answer is None:
            answer = self._search(tree, req, key, fkey, facet_limit)
        answer = answer | trimmed(answer["facets"], req.filters, req.facet_size)
        if not answer["total"] and tree is not None:
            answer["suggestions"] = self.suggestions(tree)
        return answer | {"took_ms": round((time.perf_counter() - started) * 1000, 1)}

    def suggestions(self, tree) -> dict:
        """What to search instead of a query that finds nothing (:mod:`kb.suggest`)."""
        terms = [t.text for t in positive_terms(tree) if not t.quoted]
        spellings = self._read(lambda idx, s: suggest.near_spellings(idx.postings(), terms))
        return {"spellings": spellings, "topics": suggest.related_topics(" ".join(terms))}

    def paragraphs(self, ids: list[str]) -> list[dict | None]:
        """The paragraphs of these ids, in this order (None for an id not in the index)."""
        if len(ids) > MAX_COLLECTION:
            raise BadRequest(f"最多 {MAX_COLLECTION} 段 (at most {MAX_COLLECTION} paragraphs at once)")

        def read(idx, s):
            out = []
            for pid in ids:
                doc = s.document_number(id=pid) if pid.isprintable() and len(pid) <= MAX_VALUE_LENGTH else None
                out.append(idx.stored(s, doc) if doc is not None else None)
            return out

        return [self._hit(f, "", []) if f else None for f in self._read(read)]

    def _search(self, tree, req: SearchRequest, key: tuple, fkey: tuple, facet_limit: int | None) -> dict:
        expanded = expanded_terms(tree)
        generation: list[Index] = []

        def read(idx, s):
            generation[:] = [idx]
            selections = cache.of(idx.cache, "select", SELECT_CACHE)
            skey = (req.q, fkey, facet_limit)
            cached = selections.get(skey)
            if cached is None:
                p = idx.postings()
                sel = _select(p, tree, req.filters)
                facets = count(sel.base.docs, p.columns, sel.filter_sets, req.filters, limit=facet_limit)
                selections.put(skey, (sel, facets))
            else:
                sel, facets = cached
            total = len(sel.hits)
            terms = [t.keys for t in positive_terms(tree, sel.loose)]
            hits = []
            if total and (req.page - 1) * req.size < total:
                page = _ordered(idx.postings(), sel.hits, req.sort, tree is None, req.page * req.size)
                for doc in page[(req.page - 1) * req.size:]:
                    hits.append(self._hit(idx.stored(s, int(doc)), req.q, terms, expanded))
            return total, hits, facets, sel.loose

        total, hits, facets, loose = self._read(read)
        answer = {
            "query": req.q,
            "total": total,
            "page": req.page,
            "size": req.size,
            "pages": max(1, -(-total // req.size)),
            "sort": req.sort,
            "filters": req.filters,
            "hits": hits,
            "facets": facets,
            "expansions": [{"term": t.text, "also": [e.label for e in t.expansions]} for t in expanded],
            "loose": loose,
            "took_ms": 0.0,
        }
        cache.of(generation[0].cache, "search", SEARCH_CACHE).put(key, answer)
        return answer

    def export(self, req: SearchRequest, limit: int = MAX_EXPORT) -> Iterator[dict]:
        """Every hit of a search (not only one page), in the search's order, for export.

        Hits carry the same fields as :meth:`search`'s, without the HTML excerpt.
        """
        tree = parse(req.q)
        expanded = expanded_terms(tree)
        idx = self.index()
        with idx.searcher() as s:
            p = idx.postings()
            sel = _select(p, tree, req.filters)
            for doc in _ordered(p, sel.hits, req.sort, tree is None, limit):
                row = self._hit(idx.stored(s, int(doc)), req.q, [], expanded)
                del row["excerpt_html"]
                yield row

    def compare(self, req: SearchRequest) -> dict:
        """The best paragraph of each agency for a query (the /api/compare answer).

        Same query and filters as :meth:`search`; agencies are ordered by their best
        paragraph's score, each with how many of its paragraphs match.
        """
        started = time.perf_counter()
        tree = parse(req.q)
        if tree is None:
            raise BadRequest("对比需要检索词 (compare needs a query: q=…)")
        expanded = expanded_terms(tree)

        def read(idx, s):
            p = idx.postings()
            sel = _select(p, tree, req.filters)
            terms = [t.keys for t in positive_terms(tree, sel.loose)]
            hits = sel.hits
            order = np.lexsort((hits.docs, -hits.scores))  # best first
            agency = p.columns["agency"].by_doc[hits.docs[order]]
            codes, first, n = np.unique(agency, return_index=True, return_counts=True)
            groups = []
            for i in np.argsort(first, kind="stable"):  # agencies by their best paragraph
                best = order[first[i]]
                groups.append({
                    "agency": p.columns["agency"].values[codes[i]] if codes[i] >= 0 else "",
                    "matches": int(n[i]),
                    "best": self._hit(idx.stored(s, int(hits.docs[best])), req.q, terms, expanded)
                    | {"score": round(float(hits.scores[best]), 3)},
                })
            return groups, sel.loose

        groups, loose = self._read(read)
        return {
            "query": req.q,
            "filters": req.filters,
            "agencies": len(groups),
            "total": sum(g["matches"] for g in groups),
            "groups": groups,
            "loose": loose,
            "took_ms": round((time.perf_counter() - started) * 1000, 1),
        }

    def similar(self, paragraph_id: str, limit: int = 5) -> dict:
        """The paragraphs of other agencies most like one paragraph (best one per agency).

        Likeness is BM25 over the paragraph's most distinctive words (tf·idf of its
        jieba words in this index); the shared words are highlighted.
        """
        if not 1 <= limit <= MAX_PAGE_SIZE:
            raise BadRequest(f"limit 必须在 1 到 {MAX_PAGE_SIZE} 之间")
        paragraph_id = textnorm.scrub(paragraph_id)
        if not (paragraph_id.isprintable() and len(paragraph_id) <= MAX_VALUE_LENGTH):
            raise NotFound(f"没有这个段落：{_shown(paragraph_id)}")

        def read(idx, s):
            docnum = s.document_number(id=paragraph_id)
            if docnum is None:
                raise NotFound(f"没有这个段落：{paragraph_id}")
            source = s.stored_fields(docnum)
            p = idx.postings()
            keywords = _keywords(p, source["text"])
            found = union([p.word("words", w).boosted(weight) for w, weight in keywords])
            other = ~p.mask("agency", [source["agency"]])[found.docs]
            found = Scored(found.docs[other], found.scores[other])
            order = np.lexsort((found.docs, -found.scores))  # best first
            _, first = np.unique(p.columns["agency"].by_doc[found.docs[order]], return_index=True)
            terms = [textnorm.unit_keys(w) for w, _ in keywords]
            seen = []
            for i in np.sort(first)[:limit]:  # the best paragraph of each agency, best agencies first
                doc, score = int(found.docs[order[i]]), float(found.scores[order[i]])
                seen.append(self._hit(idx.stored(s, doc), "", terms) | {"score": round(score, 3)})
            return source, keywords, terms, seen

        source, keywords, terms, seen = self._read(read)
        return {
            "paragraph": self._hit(source, "", terms),
            "keywords": [w for w, _ in keywords],
            "similar": seen,
        }

    def _hit(self, f: dict, q: str, terms: list, expanded: list | None = None) -> dict:
        text = f["text"]
        spans = highlight.find(text, terms) if terms else []
        also = [
            e.label
            for t in expanded or ()
            if not highlight.find(text, [t.keys])
            for e in t.expansions
            if all(highlight.find(text, [textnorm.unit_keys(part)]) for part in e.parts)
        ]
        section = json.loads(f.get("section") or "[]")
        taxonomy = topics.load()
        return {
            "id": f["id"],
            "report_id": f["report_id"],
            "ordinal": f["ordinal"],
            "title": f["title"],
            "agency": f["agency"],
            "year": int(f["year"]),
            "region": f.get("region", ""),
            "level": f.get("level", ""),
            "section": " › ".join(section),
            "section_path": section,
            "section_kind": f["section_kind"],
            "topics": [t for t in f.get("topic", "").split(",") if t],
            "topic_names": [
                (taxonomy.by_id(t).name if taxonomy.by_id(t) else t) for t in f.get("topic", "").split(",") if t
            ],
            "regulations": [r for r in f.get("regulation", "").split(",") if r],
            "text": text,
            "excerpt_html": highlight.excerpt(text, spans),
            "also_matched": also,
            "url": report_url(f["report_id"], f["ordinal"], q),
        }

    # -- reports ------------------------------------------------------------------------

    def reports(self) -> list[dict]:
        """Metadata of every indexed report, newest year first, with paragraph counts
        (read from the corpus once per index generation; a report whose file has since
        gone or cannot be read is listed with what the index holds of it)."""

        def read(idx, s):
            if "reports" not in idx.cache:
                counts = report_counts(s)
                out = []
                for rid, n in counts.items():
                    try:
                        meta = corpus.load(self.corpus_dir, rid).metadata()
                    except KbError:
                        meta = _indexed_metadata(s, rid)
                    out.append(meta | {"paragraphs": n, "url": report_url(rid)})
                idx.cache["reports"] = sorted(out, key=lambda r: (-r["year"], r["agency"], r["id"]))
            return idx.cache["reports"]

        return [dict(r) for r in self._read(read)]

    def agencies(self) -> list[dict]:
        """Every agency with its region, level and reports by year."""
        out: dict[str, dict] = {}
        for r in self.reports():
            a = out.setdefault(r["agency"], {"agency": r["agency"], "region": r["region"], "level": r["level"],
                                             "paragraphs": 0, "reports": [],
                                             "url": "/?agency=" + quote(r["agency"], safe="")})
            a["reports"].append({k: r[k] for k in ("id", "year", "title", "paragraphs", "url")})
            a["paragraphs"] += r["paragraphs"]
        for a in out.values():
            a["reports"].sort(key=lambda r: -r["year"])
        return sorted(out.values(), key=lambda a: (a["region"], a["agency"]))

    def years(self) -> list[dict]:
        """Every year reported on, with its agencies and paragraphs."""
        out: dict[int, dict] = {}
        for r in self.reports():
            y = out.setdefault(r["year"], {"year": r["year"], "reports": 0, "paragraphs": 0, "agencies": [],
                                           "url": f"/?year={r['year']}"})
            y["reports"] += 1
            y["paragraphs"] += r["paragraphs"]
            y["agencies"].append(r["agency"])
        return [out[y] for y in sorted(out, reverse=True)]

    def report(self, report_id: str, q: str = "") -> dict:
        """One report: metadata and every paragraph in order, with its section path;
        the query's matches marked in ``html`` when ``q`` is given."""
        if not corpus.valid_id(report_id):
            raise NotFound(f"没有这份报告：{_shown(textnorm.scrub(report_id))}")
        if len(q) > MAX_QUERY_LENGTH:
            raise BadRequest(f"查询过长 (query longer than {MAX_QUERY_LENGTH} characters)")
        path = corpus.report_path(self.corpus_dir, report_id)
        try:
            data = path.read_bytes()
        except OSError:
            raise NotFound(f"没有这份报告：{report_id}") from None
        indexed = self.index().meta.get("checksums", {}).get(report_id)
        if indexed is not None and indexed != corpus.file_digest(data):
            # its paragraph numbers would no longer be those the search links to
            raise IndexMissing(f"这份报告在建立索引后被修改过 (report {report_id} changed since the index "
                               f"was built); {REBUILD}")
        report = corpus.read(path, data)
        terms = []
        if q:
            try:
                terms = [t.keys for t in positive_terms(parse(q))]
            except BadRequest:
                terms = []
        paragraphs = []
        for p in paragraphs_of(report):
            spans = highlight.find(p.text, terms) if terms else []
            paragraphs.append({
                "id": p.id,
                "ordinal": p.ordinal,
                "anchor": p.anchor,
                "section": " › ".join(p.section),
                "section_path": p.section,
                "headings": p.headings,
                "section_kind": p.section_kind,
                "lead": p.lead,
                "topics": p.topics,
                "regulations": regulations.names_in(p.text),
                "text": p.text,
                "html": highlight.mark(p.text, spans),
                "lead_html": highlight.mark(p.text, spans, end=len(p.lead)) if p.lead else "",
                "rest_html": highlight.mark(p.text, spans, start=len(p.lead)) if p.lead else "",
                "matches": len(spans),
            })
        return report.metadata() | {"paragraphs": paragraphs, "body": report.body, "url": report_url(report.id)}

    # -- regulations --------------------------------------------------------------------

    def regulations(self) -> dict:
        """The regulations index: by kind, with counts of mentions and reports."""
        return browse.regulation_index(self.index())

    def regulation(self, name: str) -> dict:
        """Every mention of one regulation, grouped by agency and year."""
        return browse.regulation_page(self.index(), name, report_url)

    # -- topics -------------------------------------------------------------------------

    def topics(self) -> list[dict]:
        """The taxonomy with paragraph and report counts."""
        def read(idx, s):
            p = idx.postings()
            col = p.columns["topic"].take(p.live_docs)
            ptr, codes = col.rows()
            n_reports = max(1, len(p.report.values))
            reports = p.report.by_doc[np.repeat(p.live_docs, np.diff(ptr))]
            pairs = np.unique(codes.astype(np.int64) * n_reports + reports)  # (topic, report), once each
            per_topic = np.bincount(pairs // n_reports, minlength=len(col.values))
            return col.count(np.arange(len(p.live_docs))), {v: int(per_topic[i]) for i, v in enumerate(col.values)}

        para_counts, report_counts = self._read(read)

        def entry(t: topics.Topic) -> dict:
            return {"id": t.id, "name": t.name, "paragraphs": para_counts.get(t.id, 0),
                    "reports": report_counts.get(t.id, 0), "terms": [w for w, _ in t.terms],
                    "url": "/?topic=" + quote(t.id, safe="") + "&sort=year"}

        return [entry(t) | {"items": [entry(s) for s in t.subs]} for t in topics.load().topics]

    def section_kinds(self) -> list[str]:
        return list(SECTION_KINDS)


@dataclass
class _Selection:
    """What a query and its facet filters select (global document numbers, ascending)."""

    base: Scored  # the documents matching the query, with their scores, before facet filters
    filter_sets: dict[str, np.ndarray]  # the documents each facet filter allows (masks)
    hits: Scored  # base within every filter
    loose: bool  # found only through the words apart


def _select(p: Postings, tree, filters: dict[str, list[str]]) -> _Selection:
    """The documents a query tree and facet filters select. When nothing has a term's
    characters together, the words apart are taken instead (``loose``), and said so."""
    loose = False
    base = evaluate(tree, p)
    if not len(base) and has_loose(tree):
        loose = True
        base = evaluate(tree, p, loose=True)
    filter_sets = {name: p.mask(name, values) for name, values in filters.items()}
    keep = np.ones(len(base), dtype=bool)
    for allowed in filter_sets.values():
        keep &= allowed[base.docs]
    hits = base if keep.all() else Scored(base.docs[keep], base.scores[keep])
    return _Selection(base, filter_sets, hits, loose)


def _ordered(p: Postings, hits: Scored, sort: str, browsing: bool, limit: int) -> np.ndarray:
    """The first ``limit`` documents of ``hits`` in the order asked for: by score (ties
    in index order), by year then score, or -- browsing without a query -- by year, then
    in reading order (agency, report, paragraph)."""
    docs, scores = hits.docs, hits.scores
    if browsing:
        year = p.year_rank[docs]
        keys = (p.ordinal[docs], p.report_rank[docs], p.agency_rank[docs], year if sort == "year_asc" else -year)
    elif sort == "relevance":
        if len(docs) > 4 * limit:  # only the candidates for the first ``limit`` places
            floor = np.partition(scores, len(scores) - limit)[len(scores) - limit]
            keep = scores >= floor
            docs, scores = docs[keep], scores[keep]
        keys = (docs, -scores)
    else:
        year = p.year_rank[docs]
        keys = (docs, -scores, year if sort == "year_asc" else -year)
    return docs[np.lexsort(keys)[:limit]]


def _indexed_metadata(searcher, report_id: str) -> dict:
    """What the index holds of a report's metadata (its first paragraph's stored fields)."""
    fields = searcher.document(report_id=report_id) or {}
    return {"id": report_id, "title": fields.get("title", ""), "agency": fields.get("agency", ""),
            "region": fields.get("region", ""), "level": fields.get("level", ""),
            "year": int(fields.get("year") or 0), "date_signed": "", "signed_by": "", "source": ""}


def _keywords(p: Postings, text: str, n: int = 12) -> list[tuple[str, float]]:
    """The ``n`` most distinctive words of ``text`` (tf·idf of its jieba words; counts
    of paragraphs dead ones included, as in :meth:`Postings.df`)."""
    total = max(1, p.n_all)
    scored = []
    for w, f in postings.word_counts(text).items():
        if len(w) >= 2 and any(textnorm.is_cjk(c) or c.isalpha() for c in w):
            df = p.df("words", w)
            if 0 < df < total:  # a word in every paragraph tells nothing
                scored.append((w, f * math.log(total / df)))
    scored.sort(key=lambda x: -x[1])
    return [(w, round(score, 3)) for w, score in scored[:n]]

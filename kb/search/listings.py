"""Listings: every report, agency, year and topic, and one report's page.

Counts come from the engine (paragraphs per report, per topic, reports per topic:
:meth:`kb.engines.protocol.Engine.group_counts`), metadata and text from the corpus; what is
derived is kept per index generation. Entries carry ids and values, never URLs (the
site adds its links).
"""

from __future__ import annotations

from pathlib import Path

from kb.core import cache, corpus
from kb.core.errors import REBUILD, BadRequest, IndexMissing, KbError, NotFound
from kb.core.model import Report
from kb.engines import fields as field_registry
from kb.engines.protocol import BROWSE, Engine
from kb.engines.query import MAX_QUERY_LENGTH, parse_query
from kb.enrich import regulations, topics
from kb.enrich.paragraphs import paragraphs_of
from kb.ingest import gazetteer
from kb.ingest.metadata.place import CENTRAL, province_shown
from kb.search.request import shown
from kb.text import highlight, textnorm
from kb.text.collation import name_key


def reports(engine: Engine, corpus_dir: Path) -> list[dict]:
    """Metadata of every indexed report, newest year first, with paragraph counts (read
    from the corpus once per generation; a report whose file has since gone or cannot be
    read is listed with what the index holds of it). Shared with the cache: copy to change."""
    return cache.remember(engine.cache, "reports", lambda: _reports(engine, corpus_dir))


def _reports(engine: Engine, corpus_dir: Path) -> list[dict]:
    counts = engine.group_counts(engine.select(None, {}), "report_id")
    out = []
    for rid, n in counts.items():
        try:
            meta = corpus.load(corpus_dir, rid).metadata()
        except KbError:
            meta = _indexed_metadata(engine, rid)
        out.append(meta | {"paragraphs": n})
    return sorted(out, key=lambda r: (-r["year"], name_key(r["agency"]), r["id"]))


def _indexed_metadata(engine: Engine, report_id: str) -> dict:
    """What the index holds of a report's metadata (its first paragraph's stored fields)."""
    [(pid, _)] = engine.top(engine.select(None, {"report_id": [report_id]}), BROWSE, 0, 1)
    fields = engine.fetch([pid])[0] or {}
    return {"id": report_id, "title": fields.get("title", ""), "agency": fields.get("agency", ""),
            "region": fields.get("region", ""), "level": fields.get("level", ""),
            "year": int(fields.get("year") or 0), "date_signed": "", "signed_by": "", "source": "",
            "unsure": field_registry.unsure_of(fields), "formerly": []}


def agencies(all_reports: list[dict]) -> list[dict]:
    """Every agency with its region, level and reports by year, in the order of their provinces
    (中央 first), regions and names, by pinyin; ``unsure``: which of its agency, region and level an
    import guessed in any of its reports."""
    out: dict[str, dict] = {}
    for r in all_reports:
        a = out.setdefault(r["agency"], {"agency": r["agency"], "region": r["region"], "level": r["level"],
                                         "unsure": [], "paragraphs": 0, "reports": []})
        a["reports"].append({k: r[k] for k in ("id", "year", "title", "paragraphs")})
        a["paragraphs"] += r["paragraphs"]
        a["unsure"] += [f for f in r.get("unsure", []) if f in ("agency", "region", "level") and f not in a["unsure"]]
    for a in out.values():
        a["reports"].sort(key=lambda r: -r["year"])
        a["province"] = gazetteer.province_of(a["region"]) or gazetteer.province_of(a["agency"]) \
            or province_shown(a["region"], a["level"])  # 中央: a national agency's
    return sorted(out.values(), key=lambda a: (not a["province"], a["province"] != CENTRAL, name_key(a["province"]),
                                               name_key(a["region"]), name_key(a["agency"])))


def years(all_reports: list[dict]) -> list[dict]:
    """Every year reported on, with its agencies (each once, though it has two reports of the
    year) and paragraphs."""
    out: dict[int, dict] = {}
    for r in all_reports:
        y = out.setdefault(r["year"], {"year": r["year"], "reports": 0, "paragraphs": 0, "agencies": []})
        y["reports"] += 1
        y["paragraphs"] += r["paragraphs"]
        if r["agency"] not in y["agencies"]:
            y["agencies"].append(r["agency"])
    return [out[y] for y in sorted(out, reverse=True)]


def topic_counts(engine: Engine) -> tuple[dict[str, int], dict[str, int]]:
    """(paragraphs, reports) per topic id."""
    everything = engine.select(None, {})
    return engine.group_counts(everything, "topic"), engine.group_counts(everything, "topic", distinct="report_id")


def taxonomy(para_counts: dict[str, int], report_counts: dict[str, int]) -> list[dict]:
    """The taxonomy with paragraph and report counts."""

    def entry(t: topics.Topic) -> dict:
        return {"id": t.id, "name": t.name, "paragraphs": para_counts.get(t.id, 0),
                "reports": report_counts.get(t.id, 0), "terms": [w for w, _ in t.terms]}

    return [entry(t) | {"items": [entry(s) for s in t.subs]} for t in topics.load().topics]


def read_report(corpus_dir: Path, report_id: str, checksums: dict | None = None) -> Report:
    """A report of the corpus by its id, as a page shows it: an id that is not one, or no such
    file, is :class:`NotFound`; a file changed since the index was built (``checksums``: the
    index's) is :class:`IndexMissing`, its paragraph numbers no longer those the index links to."""
    if not corpus.valid_id(report_id):
        raise NotFound(f"没有这份报告：{shown(textnorm.scrub(report_id))}")
    path = corpus.report_path(corpus_dir, report_id)
    try:
        data = path.read_bytes()
    except OSError:
        raise NotFound(f"没有这份报告：{report_id}") from None
    indexed = (checksums or {}).get(report_id)
    if indexed is not None and indexed != corpus.file_digest(data):
        raise IndexMissing(f"这份报告在建立索引后被修改过 (report {report_id} changed since the index "
                           f"was built); {REBUILD}")
    return corpus.read(path, data)


def report(engine: Engine, corpus_dir: Path, report_id: str, q: str = "") -> dict:
    """One report: metadata (and, for a unit of a past year, where it is today: ``region_today``,
    ``region_change``; else "") and every paragraph in order, with its section path; the
    query's matches marked in ``html`` when ``q`` is given."""
    if len(q) > MAX_QUERY_LENGTH:
        raise BadRequest(f"查询过长 (query longer than {MAX_QUERY_LENGTH} characters)")
    rep = read_report(corpus_dir, report_id, engine.meta.get("checksums", {}))
    terms = []
    if q:
        try:
            terms = [t.keys for t in parse_query(q).positive[False, True]]
        except BadRequest:
            terms = []
    today, change = gazetteer.today(rep.region)  # a unit of a past year: where it is today
    national = regulations.is_national(rep.level)
    return rep.metadata() | {"region_today": today, "region_change": change,
                             "paragraphs": [_paragraph(p, terms, national) | {"ocr": rep.ocr_confidence(p.text)}
                                            for p in paragraphs_of(rep)],
                             "body": rep.body}


def _paragraph(p, terms: list, national: bool) -> dict:
    spans = highlight.find(p.text, terms) if terms else []
    return {
        "id": p.id,
        "ordinal": p.ordinal,
        "anchor": p.anchor,
        "section": " › ".join(p.section),
        "section_path": p.section,
        "headings": p.headings,
        "section_kind": p.section_kind,
        "lead": p.lead,
        "topics": p.topics,
        "regulations": regulations.names_in(p.text, national),
        "text": p.text,
        "html": highlight.mark(p.text, spans),
        "lead_html": highlight.mark(p.text, spans, end=len(p.lead)) if p.lead else "",
        "rest_html": highlight.mark(p.text, spans, start=len(p.lead)) if p.lead else "",
        "matches": len(spans),
    }

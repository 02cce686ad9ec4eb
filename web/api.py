"""The JSON API (DESIGN.md): /api/search, /api/reports, /api/reports/<id>, /api/topics."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from kb.core.errors import NotFound
from kb.search.request import SearchRequest, parse_int
from web import urls

bp = Blueprint("api", __name__, url_prefix="/api")


def kb():
    return current_app.extensions["kb"]


def search_request() -> SearchRequest:
    return SearchRequest.from_args(request.args.to_dict(flat=False), kb().settings.limits)


@bp.get("/search")
def search():
    req = search_request()
    result = kb().search(req)
    if result["total"] and result["page"] > result["pages"]:
        raise NotFound(f"没有第 {result['page']} 页 (past the last page: {result['pages']})")
    name = kb().regulation_named(req.q) if req.q else None
    return jsonify(urls.linked_search(result) | ({"regulation": {"name": name, "url": urls.regulation_url(name)}}
                                                 if name else {}))


@bp.get("/search/years")
def search_years():
    """Paragraphs and reports with a hit per year, every year of the index (zero years too)."""
    req = search_request()
    return jsonify({"query": req.q, "filters": req.filters, "years": kb().yearly(req)})


@bp.get("/reports")
def reports():
    items = urls.linked_reports(kb().report_cards())
    return jsonify({"total": len(items), "reports": items})


@bp.get("/agencies")
def agencies():
    items = urls.linked_agencies(kb().agencies())
    return jsonify({"total": len(items), "agencies": items})


@bp.get("/years")
def years():
    return jsonify({"years": urls.linked_years(kb().years())})


@bp.get("/reports/<report_id>")
def report(report_id: str):
    return jsonify(urls.linked_report(kb().report_card(report_id, q=request.args.get("q", ""))))


@bp.get("/topics")
def topics():
    return jsonify({"topics": urls.linked_topics(kb().topics())})


@bp.get("/compare")
def compare():
    """One best paragraph per agency (by=year: per agency and year), a page of them (page, size)."""
    return jsonify(urls.linked_compare(kb().compare(search_request(), by_year=request.args.get("by") == "year")))


@bp.get("/paragraphs/<paragraph_id>/similar")
def similar(paragraph_id: str):
    return jsonify(urls.linked_similar(kb().similar(paragraph_id, limit=_limit())))


def _limit() -> int:
    return parse_int(request.args.get("limit", "5"), "limit", 1, kb().settings.limits.page_size)


@bp.get("/regulations")
def regulations():
    return jsonify(urls.linked_regulations(kb().regulations()))


@bp.get("/regulations/<path:name>/mentions")
def regulation_mentions(name: str):
    rows = urls.linked_mentions(kb().regulation_mentions(name))
    return jsonify({"name": rows[0]["name"] if rows else name, "total": len(rows), "mentions": rows})


@bp.get("/regulations/<path:name>")
def regulation(name: str):
    return jsonify(urls.linked_regulation(kb().regulation(name)))

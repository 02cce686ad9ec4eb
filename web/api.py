"""The JSON API (DESIGN.md): /api/search, /api/reports, /api/reports/<id>, /api/topics."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from kb import figureviews
from kb.errors import NotFound
from kb.search import SearchRequest, parse_int
from web import urls

bp = Blueprint("api", __name__, url_prefix="/api")


def kb():
    return current_app.extensions["kb"]


def search_request() -> SearchRequest:
    return SearchRequest.from_args(request.args.to_dict(flat=False), kb().settings.limits)


@bp.get("/search")
def search():
    result = kb().search(search_request())
    if result["total"] and result["page"] > result["pages"]:
        raise NotFound(f"没有第 {result['page']} 页 (past the last page: {result['pages']})")
    return jsonify(urls.linked_search(result))


@bp.get("/reports")
def reports():
    items = urls.linked_reports(figureviews.reports(kb()))
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
    return jsonify(urls.linked_report(figureviews.report(kb(), report_id, q=request.args.get("q", ""))))


@bp.get("/topics")
def topics():
    return jsonify({"topics": urls.linked_topics(kb().topics())})


@bp.get("/compare")
def compare():
    return jsonify(urls.linked_compare(kb().compare(search_request())))


@bp.get("/paragraphs/<paragraph_id>/similar")
def similar(paragraph_id: str):
    return jsonify(urls.linked_similar(kb().similar(paragraph_id, limit=_limit())))


def _limit() -> int:
    return parse_int(request.args.get("limit", "5"), "limit", 1, kb().settings.limits.page_size)


@bp.get("/regulations")
def regulations():
    return jsonify(urls.linked_regulations(kb().regulations()))


@bp.get("/regulations/<path:name>")
def regulation(name: str):
    return jsonify(urls.linked_regulation(kb().regulation(name)))

"""The JSON API (DESIGN.md): /api/search, /api/reports, /api/reports/<id>, /api/topics."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from kb.errors import NotFound
from kb.search import MAX_PAGE_SIZE, SearchRequest, parse_int

bp = Blueprint("api", __name__, url_prefix="/api")


def kb():
    return current_app.extensions["kb"]


def search_request() -> SearchRequest:
    return SearchRequest.from_args(request.args.to_dict(flat=False))


@bp.get("/search")
def search():
    result = kb().search(search_request())
    if result["total"] and result["page"] > result["pages"]:
        raise NotFound(f"没有第 {result['page']} 页 (past the last page: {result['pages']})")
    return jsonify(result)


@bp.get("/reports")
def reports():
    items = kb().reports()
    return jsonify({"total": len(items), "reports": items})


@bp.get("/agencies")
def agencies():
    items = kb().agencies()
    return jsonify({"total": len(items), "agencies": items})


@bp.get("/years")
def years():
    return jsonify({"years": kb().years()})


@bp.get("/reports/<report_id>")
def report(report_id: str):
    return jsonify(kb().report(report_id, q=request.args.get("q", "")))


@bp.get("/topics")
def topics():
    return jsonify({"topics": kb().topics()})


@bp.get("/compare")
def compare():
    return jsonify(kb().compare(search_request()))


@bp.get("/paragraphs/<paragraph_id>/similar")
def similar(paragraph_id: str):
    return jsonify(kb().similar(paragraph_id, limit=_limit()))


def _limit() -> int:
    return parse_int(request.args.get("limit", "5"), "limit", 1, MAX_PAGE_SIZE)


@bp.get("/regulations")
def regulations():
    return jsonify(kb().regulations())


@bp.get("/regulations/<path:name>")
def regulation(name: str):
    return jsonify(kb().regulation(name))

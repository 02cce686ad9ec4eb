"""Reports: the list of every report with its report card (``/reports``, ``/api/reports``) and
one report's page with every paragraph and its card (``/reports/<id>``, ``/api/reports/<id>``).

:func:`reports_data` and :func:`report_data` are the API's answers; the pages show the same
dicts, the list with a find box and sortable columns (:mod:`web.views.lists`), the report
as headings and paragraphs (:mod:`web.render`).
"""

from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, request
from werkzeug.datastructures import MultiDict

from kb import REPORT_PARTS, BadRequest
from web import render, urls
from web.views.base import kb
from web.views.lists import Col, listing

bp = Blueprint("reports", __name__)

COLUMNS = [Col("year", "报告年度", True), Col("agency", "单位"), Col("region", "地区"), Col("title", "标题"),
           Col("paragraphs", "段落", True), Col("lacks", "要件", True), Col("delivered", "计划落实", True)]
#: The orders /api/reports takes (``sort``): by the share of the plan delivered, most first or least.
API_SORTS = ("delivered", "-delivered")


def reports_data(sort: str = "") -> dict:
    """The /api/reports answer: every report with its card's summary, its plan's summary and
    share delivered (``plan``: null until ``kb plans --all`` has judged every plan of this
    index; ``plans_judged`` says whether it has), and its link; ``sort=-delivered`` (most
    delivered first, as on the page: ``-`` is descending) or ``delivered`` (least first),
    reports without a share last."""
    if sort and sort not in API_SORTS:
        raise BadRequest(f"不能按“{sort[:40]}”排序；sort 只能是 {' 或 '.join(API_SORTS)} (sort must be one of {', '.join(API_SORTS)}; "
                         f"got sort={sort[:40]})")
    shares = kb().plan_shares(required=bool(sort))
    items = [r | {"plan": (shares or {}).get(r["id"])} for r in urls.linked_reports(kb().report_cards())]
    if sort:
        known = [r for r in items if r["plan"] and r["plan"]["share_delivered"] is not None]
        known.sort(key=lambda r: r["plan"]["share_delivered"], reverse=sort == "-delivered")
        items = known + [r for r in items if not (r["plan"] and r["plan"]["share_delivered"] is not None)]
    return {"total": len(items), "plans_judged": shares is not None, "reports": items}


def report_data(report_id: str, q: str = "") -> dict:
    """The /api/reports/<id> answer: the report, the query's matches marked, with its card."""
    return urls.linked_report(kb().report_card(report_id, q=q))


@bp.before_app_request
def moved_report():
    """A link to a report (its page, plan, JSON, a paragraph's similar ones) by an id that a
    re-import moved (its year, agency or title changed): 301 to the same address under the new id,
    so that old links and bookmarks keep working (the anchor #pN stays: the paragraphs are the same)."""
    given = request.view_args or {}
    old = given.get("report_id") or str(given.get("paragraph_id") or "").rpartition(".p")[0]
    new = kb().moved_to(old) if old else None
    if new is None:
        return None
    query = request.query_string.decode("ascii", "replace")
    return redirect(request.path.replace(old, new, 1) + (f"?{query}" if query else ""), 301)


@bp.get("/api/reports")
def api_reports():
    return jsonify(reports_data(request.args.get("sort", "")))


@bp.get("/api/reports/<report_id>")
def api_report(report_id: str):
    return jsonify(report_data(report_id, q=request.args.get("q", "")))


@bp.get("/reports")
def reports():
    data = reports_data()
    items = [r | {"lacks": _lacks(r["report_card"]), "delivered": _delivered(r["plan"])} for r in data["reports"]]
    table = listing(items, COLUMNS, lambda r: f"{r['year']} {r['agency']} {r['region']} {r['title']}")
    sort = request.args.get("sort", "")
    json_url = urls.path_with("/api/reports", MultiDict({"sort": sort} if sort in API_SORTS else {}))
    return render_template("reports.html", table=table, total=data["total"], parts=REPORT_PARTS,
                           plans_judged=data["plans_judged"], json_url=json_url)


def _delivered(plan: dict | None) -> float:
    """The share of a report's plan delivered, for sorting the list; -1 when there is none
    (no next report yet, or the plans not judged)."""
    return plan["share_delivered"] if plan and plan["share_delivered"] is not None else -1


def _lacks(card: dict | None) -> int:
    """How much a report's card lacks (parts without a section of their own, a missing date
    signed), for sorting the list of reports; -1 when no card applies."""
    if not card or not card["applies"]:
        return -1
    return sum(1 for status in card["parts"].values() if status != "section") + (not card["date_signed"])


@bp.get("/reports/<report_id>")
def report(report_id: str):
    q = request.args.get("q", "")
    data = report_data(report_id, q=q)
    mentioned = [{"name": r, "url": urls.regulation_url(r)}
                 for r in dict.fromkeys(r for p in data["paragraphs"] for r in p["regulations"])]
    cited = {"report_id": data["id"], "agency": data["agency"], "year": data["year"], "title": data["title"]}
    data = data | {"paragraphs": [p | cited for p in data["paragraphs"]]}
    return render_template(
        "report.html", report=data, blocks=render.blocks(data), q=q, regulations=mentioned,
        source_url=urls.external(data.get("source", "")), card_parts=_card_parts(data),
        matches=sum(p["matches"] for p in data["paragraphs"]),
        json_url=urls.path_with(f"/api/reports/{report_id}", MultiDict({"q": q} if q else {})),
        search_url=urls.path_with("/", MultiDict({"q": q} if q else {})), plan_url=urls.plan_url(report_id),
    )


def _card_parts(data: dict) -> list[dict]:
    """The required parts of a report page's card, each with links to its paragraphs."""
    ordinals = {p["id"]: p["ordinal"] for p in data["paragraphs"]}
    return [part | {"links": [{"ordinal": ordinals[pid], "url": f"#p{ordinals[pid]}"} for pid in part["paragraphs"]]}
            for part in data["required_parts"]]

"""Plan versus delivery: a report's plan items checked against the next report
(``/reports/<id>/plan``, ``/api/reports/<id>/plan``, ``/reports/<id>/plan.csv``) and an
agency's plans across years (``/agencies/<name>/plans``, ``/api/agencies/<name>/plans``).

:func:`plan_data` and :func:`agency_data` are the API's answers (kb's, with links); the pages
show the same dicts: each item with its verdict (已落实, 部分落实, 未提及; a verdict the program
is not sure of marked ?), its evidence paragraphs linked into the next report with the item's
words highlighted, and the figures compared side by side.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template

from kb import PLAN_CSV_COLUMNS, plan_csv_rows
from web import urls
from web.views.base import csv_download, kb

bp = Blueprint("plans", __name__)


def _ordinal(paragraph_id: str) -> int | None:
    tail = paragraph_id.rsplit(".p", 1)[-1]
    return int(tail) if tail.isdigit() else None


def plan_data(report_id: str) -> dict:
    """The /api/reports/<id>/plan answer, each paragraph with its link."""
    answer = kb().plan(report_id)
    nxt = answer["next_report_id"]
    items = []
    for it in answer["items"]:
        ev = [e | {"url": urls.report_url(nxt, _ordinal(e["paragraph_id"]))} for e in it["evidence"]]
        items.append(it | {"url": urls.report_url(answer["report_id"], _ordinal(it["paragraph_id"])), "evidence": ev})
    return answer | {"items": items, "url": urls.report_url(answer["report_id"]),
                     "next_url": urls.report_url(nxt) if nxt else None,
                     "csv_url": urls.plan_url(answer["report_id"], "csv"),
                     "agency_url": agency_url(answer["agency"])}


def agency_url(agency: str) -> str:
    return urls.agency_plans_url(agency)


def agency_data(agency: str) -> dict:
    """The /api/agencies/<name>/plans answer: every report of the agency with its title (two
    reports of one year told apart) and its plan's share delivered."""
    answer = kb().agency_plans(agency)
    ids = {r["report_id"] for r in answer["reports"]}
    titles = {r["id"]: r["title"] for r in kb().reports() if r["id"] in ids}
    rows = [r | {"title": titles.get(r["report_id"], ""), "url": urls.report_url(r["report_id"]),
                 "plan_url": urls.plan_url(r["report_id"])} for r in answer["reports"]]
    return answer | {"reports": rows}


@bp.get("/api/reports/<report_id>/plan")
def api_plan(report_id: str):
    return jsonify(plan_data(report_id))


@bp.get("/reports/<report_id>/plan.csv")
def plan_csv(report_id: str):
    answer = kb().plan(report_id)
    rows = ([r[key] for _, key in PLAN_CSV_COLUMNS] for r in plan_csv_rows(answer))
    return csv_download([title for title, _ in PLAN_CSV_COLUMNS], rows, "plan.csv", f"{report_id}-计划落实.csv")


@bp.get("/reports/<report_id>/plan")
def plan_page(report_id: str):
    data = plan_data(report_id)
    return render_template("plan.html", plan=data, json_url=urls.plan_url(report_id, "api"))


@bp.get("/api/agencies/<agency>/plans")
def api_agency(agency: str):
    return jsonify(agency_data(agency))


@bp.get("/agencies/<agency>/plans")
def agency_page(agency: str):
    data = agency_data(agency)
    return render_template("agency_plans.html", data=data, json_url=urls.agency_plans_url(agency, api=True))

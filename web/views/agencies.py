"""Agencies: every agency with its region, level and reports (``/agencies``, its JSON twin
``/api/agencies``); the page lists them by province, with a find box and sortable columns.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template

from web import urls
from web.views.base import kb
from web.views.lists import Col, listing

bp = Blueprint("agencies", __name__)

COLUMNS = [Col("agency", "单位"), Col("province", "省份"), Col("region", "地区"), Col("level", "层级"),
           Col("n_reports", "报告（报告年度）", True), Col("paragraphs", "段落", True)]


def agencies_data() -> dict:
    """The /api/agencies answer: every agency, its search and its reports as links."""
    items = urls.linked_agencies(kb().agencies())
    return {"total": len(items), "agencies": items}


@bp.get("/api/agencies")
def api_agencies():
    return jsonify(agencies_data())


@bp.get("/agencies")
def agencies():
    data = agencies_data()
    items = [a | {"n_reports": len(a["reports"])} for a in data["agencies"]]
    table = listing(items, COLUMNS, lambda a: f"{a['agency']} {a['province']} {a['region']} {a['level']}")
    provinces = list(dict.fromkeys(a["province"] or "其他" for a in table["rows"])) if not table["sort"] else []
    return render_template("agencies.html", table=table, total=data["total"], provinces=provinces,
                           json_url="/api/agencies")

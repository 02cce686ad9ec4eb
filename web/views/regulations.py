"""Regulations: the index of every regulation the reports mention, by kind (``/regulations``,
``/api/regulations``), and one regulation's page: every mention grouped by agency and year,
with a chart of the years (``/regulations/<name>``, ``/api/regulations/<name>``), its mentions
one row each (``/api/regulations/<name>/mentions``) and as a table (``/regulations/<name>.csv``).
"""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, jsonify, render_template, request
from werkzeug.datastructures import MultiDict

from kb import UNSURE_COLUMN
from web import charts, urls
from web.views.base import args, csv_cell, csv_download, download_name, kb, measure, site_root
from web.views.lists import Col, listing

bp = Blueprint("regulations", __name__)

COLUMNS = [Col("name", "名称"), Col("paragraphs", "段落", True), Col("mentions", "提及", True),
           Col("reports", "报告", True), Col("agencies", "单位", True)]
MENTION_COLUMNS = [("法规文件", "name"), ("原文写法", "written"), ("书名号", "bare"), ("单位", "agency"), ("报告年度", "year"),
                   ("报告", "title"), ("段落序号", "ordinal"), ("段落编号", "paragraph"), ("前缀", "prefix"),
                   ("版本", "edition"), ("文号", "doc_number"), ("存疑", "ambiguous"), ("链接", "url"),
                   (UNSURE_COLUMN, "unsure")]
MEASURES = (("count", "段落数"), ("rate", "每份报告"))


def regulations_data() -> dict:
    """The /api/regulations answer: the regulations by kind, each with its page's link."""
    return urls.linked_regulations(kb().regulations())


def regulation_data(name: str) -> dict:
    """The /api/regulations/<name> answer: its mentions by agency and year, linked."""
    return urls.linked_regulation(kb().regulation(name))


def mentions_data(name: str) -> dict:
    """The /api/regulations/<name>/mentions answer: one row a mention."""
    rows = urls.linked_mentions(kb().regulation_mentions(name))
    return {"name": rows[0]["name"] if rows else name, "total": len(rows), "mentions": rows}


@bp.get("/api/regulations")
def api_regulations():
    return jsonify(regulations_data())


@bp.get("/api/regulations/<path:name>/mentions")
def api_mentions(name: str):
    return jsonify(mentions_data(name))


@bp.get("/api/regulations/<path:name>")
def api_regulation(name: str):
    return jsonify(regulation_data(name))


@bp.get("/regulations/<path:name>.csv")
def regulation_csv(name: str):
    """Every mention of one regulation, one row each, with the name as written."""
    root = site_root()
    rows = mentions_data(name)["mentions"]
    return csv_download([title for title, _ in MENTION_COLUMNS],
                        ([_cell(r, key, root) for _, key in MENTION_COLUMNS] for r in rows),
                        "kb-regulation.csv", download_name(name, suffix=".csv"))


def _cell(row: dict, key: str, root: str) -> str:
    """One cell of the CSV: the link made absolute, 书名号 said as 有/无."""
    if key == "url":
        return root + row[key]
    if key == "bare":
        return "无" if row[key] else "有"
    return csv_cell(row, key)


@bp.get("/regulations")
def regulations():
    data = regulations_data()
    kinds = []
    for g in data["kinds"]:
        table = listing(g["regulations"], COLUMNS, lambda r: " ".join([r["name"], *r["written"]]))
        if table["rows"]:
            kinds.append({"kind": g["kind"], "count": g["count"], "table": table})
    return render_template("regulations.html", data=data, kinds=kinds, find=request.args.get("find", "").strip(),
                           shown=sum(k["table"]["shown"] for k in kinds), json_url="/api/regulations")


@bp.get("/regulations/<path:name>")
def regulation(name: str):
    data = regulation_data(name)
    chart_measure = measure(args())
    yearly = kb().every_year({y: (v["paragraphs"], v["reports"]) for y, v in data["by_year"].items()})
    path = request.path
    return render_template(
        "regulation.html", data=data, measure=chart_measure,
        chart={"title": "按报告年度：提到它的报告占当年报告的比例" if chart_measure == "rate" else "按报告年度（提到它的段落）",
               "chart": charts.by_year(yearly, chart_measure, unit="段")},
        measures=[{"label": label, "selected": m == chart_measure, "url": urls.with_arg(path, MultiDict(), "chart", m)}
                  for m, label in MEASURES],
        export_csv=urls.regulation_url(data["name"]) + ".csv",
        json_url=f"/api/regulations/{quote(data['name'], safe='')}")

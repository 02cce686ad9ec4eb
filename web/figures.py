"""Figures: /figures (the indicators with counts), /figures/<indicator> (agency x year, a chart,
every figure linked to its paragraph), /figures/<indicator>.csv, and their JSON twin
/api/figures. The data comes from the knowledge base (:meth:`kb.KnowledgeBase.figures`); links from :mod:`web.urls`."""

from __future__ import annotations

import csv
import io
from urllib.parse import quote

from flask import Blueprint, Response, current_app, jsonify, render_template, request
from werkzeug.datastructures import MultiDict

from web import charts, urls

bp = Blueprint("figures", __name__)

FACET_LABELS = {"agency": "单位", "year": "年度", "region": "地区", "level": "层级", "section_kind": "报告部分"}
CSV_COLUMNS = [
    ("指标", "indicator"), ("确定", "sure"), ("数值", "value"), ("单位", "unit"), ("标准化数量", "amount"),
    ("标准化单位", "normalized_unit"), ("范围", "scope"), ("约数", "approx"), ("单位名称", "agency"), ("年度", "year"),
    ("地区", "region"), ("层级", "level"), ("报告", "title"), ("报告部分", "section_kind"), ("段落编号", "paragraph_id"),
    ("句子", "sentence"), ("链接", "url"),
]


def kb():
    return current_app.extensions["kb"]


def _args() -> MultiDict:
    return MultiDict(request.args.items(multi=True))


_with_urls = urls.linked_figures


@bp.get("/api/figures")
def api_figures():
    args = request.args.to_dict(flat=False)
    indicator = (args.pop("indicator", None) or [""])[-1]
    return jsonify(_with_urls(kb().figures(args, indicator)))


def _facets(data: dict, path: str, args: MultiDict) -> list[dict]:
    out = []
    for name, items in data["facets"].items():
        shown = [i | {"toggle_url": urls.with_removed_arg(path, args, name, i["value"]) if i["selected"]
                      else urls.with_added_arg(path, args, name, i["value"])} for i in items]
        if shown:
            out.append({"name": name, "label": FACET_LABELS[name], "items": shown[:12], "more": shown[12:]})
    return out


def _chips(data: dict, path: str, args: MultiDict) -> list[dict]:
    labels = FACET_LABELS | {"q": "检索词", "topic": "主题", "regulation": "法规"}
    return [{"facet": labels.get(name, name), "value": value,
             "remove_url": urls.with_removed_arg(path, args, name, value)}
            for name, values in data["filters"].items() for value in values]


@bp.get("/figures")
def figures_index():
    args = _args()
    data = _with_urls(kb().figures(args.to_dict(flat=False)))
    data["indicators"] = [i | {"url": urls.path_with(urls.figure_url(i["indicator"]), _without_paging(args))}
                          for i in data["indicators"]]
    chart = charts.bars([{"label": i["indicator"], "count": i["figures"], "toggle_url": i["url"]}
                         for i in data["indicators"]], limit=40)
    return render_template("figures.html", data=data, facets=_facets(data, request.path, args),
                           chips=_chips(data, request.path, args), chart=chart,
                           json_url=urls.path_with("/api/figures", args))


def _without_paging(args: MultiDict) -> MultiDict:
    new = MultiDict(args)
    for name in ("page", "size", "sort", "sort_year"):
        new.poplist(name)
    return new


@bp.get("/figures/<name>")
def figure(name: str):
    if name.endswith(".csv"):
        return _csv(name.removesuffix(".csv"))
    args = _args()
    path = urls.figure_url(name)
    data = _with_urls(kb().figure_indicator(name, args.to_dict(flat=False)))
    data["tables"] = [_table_links(t, path, args) for t in data["tables"]]
    plain = _without_paging(args)
    return render_template(
        "figure.html", data=data, name=name, facets=_facets(data, path, args), chips=_chips(data, path, args),
        csv_url=urls.path_with(urls.figure_url(name) + ".csv", plain),
        json_url=urls.path_with("/api/figures", MultiDict([("indicator", name), *plain.items(multi=True)])),
        index_url=urls.path_with("/figures", plain),
        search_url=urls.path_with("/", MultiDict([("q", name)])),
        sort_agency_url=urls.path_with(path, plain), clear_url=path,
    )


def _table_links(t: dict, path: str, args: MultiDict) -> dict:
    """Links of one agency x year table (a new dict): each year's header to the rows sorted
    by that year's value, and the chart of the sorted year (values link to their paragraphs
    in the template, through paragraph_url)."""
    plain = _without_paging(args)
    t = t | {"year_links": []}
    for year in t["years"]:
        on = MultiDict(plain)
        on.setlist("sort_year", [str(year)])
        current = t["sort_year"] == year and args.get("sort", "agency") == "value"
        on.setlist("sort", ["value_asc" if current else "value"])
        t["year_links"].append({"year": year, "url": urls.path_with(path, on),
                                "sorted": t["sort_year"] == year and args.get("sort", "agency") != "agency"})
    t["chart"] = None
    if t["sort_year"] is None:
        return t
    col = t["years"].index(t["sort_year"])
    mains = [(row["agency"], row["cells"][col]["main"]) for row in t["rows"] if row["cells"][col]["main"]]
    items = [{"label": agency, "count": main["amount"], "toggle_url": urls.paragraph_url(main["report_id"], main["ordinal"])}
             for agency, main in mains]
    t["chart"] = charts.bars(items, limit=15) if items else None
    return t


def _csv(name: str) -> Response:
    args = request.args.to_dict(flat=False)
    data = kb().figure_indicator(name, args)
    base = request.host_url.rstrip("/")
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([title for title, _ in CSV_COLUMNS])
    for row in data["all_rows"]:
        row = row | {"url": base + urls.paragraph_url(row["report_id"], row["ordinal"])}
        writer.writerow(["是" if row[k] is True else "否（推测）" if row[k] is False else row[k] for _, k in CSV_COLUMNS])
    filename = quote(f"{name}.csv")
    return Response("\ufeff" + buf.getvalue(), content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f"attachment; filename=figures.csv; filename*=UTF-8''{filename}"})

"""Figures: /figures (the indicators with counts), /figures/<indicator> (agency x year, a chart,
every figure linked to its paragraph), /figures/<indicator>.csv, and their JSON twin
/api/figures. The data comes from the knowledge base (:meth:`kb.KnowledgeBase.figures`,
:meth:`kb.KnowledgeBase.figure_indicator`); links from :mod:`web.urls`.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template, request
from werkzeug.datastructures import MultiDict

from kb import UNSURE_COLUMN, NotFound
from web import charts, urls
from web.views.base import args, csv_cell, csv_download, kb, site_root, without_paging

bp = Blueprint("figures", __name__)

FACET_LABELS = {"agency": "单位", "year": "报告年度", "region": "省份", "level": "层级", "section_kind": "报告部分"}
CSV_COLUMNS = [
    ("指标", "indicator"), ("确定", "sure"), ("数值", "value"), ("单位", "unit"), ("标准化数量", "amount"),
    ("标准化单位", "normalized_unit"), ("范围", "scope"), ("分项", "part"), ("多年累计", "period"),
    ("累计年份", "period_years"), ("约数", "approx"), ("单位名称", "agency"), ("报告年度", "year"),
    ("省份", "region"), ("层级", "level"), ("报告", "title"), ("报告部分", "section_kind"), ("段落编号", "paragraph_id"),
    ("句子", "sentence"), ("链接", "url"), (UNSURE_COLUMN, "unsure"),
]


def figures_data(given: dict[str, list[str]], indicator: str = "") -> dict:
    """The /api/figures answer: a page of the figures (of ``indicator``) that pass the filters,
    the indicators with their counts and the facets, each figure with its paragraph's link."""
    return urls.linked_figures(kb().figures(given, indicator))


def indicator_data(name: str, given: dict[str, list[str]]) -> dict:
    """:func:`figures_data` of one indicator with its tables of agency x year and every figure."""
    return urls.linked_figures(kb().figure_indicator(name, given))


def _plain(given: MultiDict) -> MultiDict:
    """The arguments without paging and sorting: the links to other views of the figures."""
    return without_paging(given, "sort", "sort_year")


@bp.get("/api/figures")
def api_figures():
    given = request.args.to_dict(flat=False)
    indicator = (given.pop("indicator", None) or [""])[-1]
    data = figures_data(given, indicator)
    if data["total"] and data["page"] > data["pages"]:  # as /api/search and /api/compare
        raise NotFound(f"没有第 {data['page']} 页 (past the last page: {data['pages']})")
    return jsonify(data)


def _facets(data: dict, path: str, given: MultiDict) -> list[dict]:
    out = []
    for name, items in data["facets"].items():
        shown = [i | {"toggle_url": urls.with_removed_arg(path, given, name, i["value"]) if i["selected"]
                      else urls.with_added_arg(path, given, name, i["value"])} for i in items]
        if shown:
            out.append({"name": name, "label": FACET_LABELS[name], "items": shown[:12], "more": shown[12:]})
    return out


def _chips(data: dict, path: str, given: MultiDict) -> list[dict]:
    labels = FACET_LABELS | {"q": "检索词", "topic": "主题", "regulation": "法规"}
    return [{"facet": labels.get(name, name), "value": value,
             "remove_url": urls.with_removed_arg(path, given, name, value)}
            for name, values in data["filters"].items() for value in values]


def _query_box(data: dict, path: str, given: MultiDict) -> dict:
    """The header's search box holding the page's query, and what was wrong with the query as
    written (its note links to this page with the query that ran)."""
    note = data.get("query_note")
    return {"q_box": given.get("q", ""),
            "query_note": note and note | {"url": urls.with_arg(path, without_paging(given), "q", note["ran"])}}


@bp.get("/figures")
def figures_index():
    given = args()
    data = figures_data(given.to_dict(flat=False))
    data["indicators"] = [i | {"url": urls.path_with(urls.figure_url(i["indicator"]), _plain(given))}
                          for i in data["indicators"]]
    chart = charts.bars([{"label": i["indicator"], "count": i["figures"], "toggle_url": i["url"]}
                         for i in data["indicators"]], limit=40, unit="个")
    return render_template("figures.html", data=data, facets=_facets(data, request.path, given),
                           chips=_chips(data, request.path, given), chart=chart,
                           **_query_box(data, request.path, given),
                           json_url=urls.path_with("/api/figures", given))


@bp.get("/figures/<name>")
def figure(name: str):
    if name.endswith(".csv"):
        return _csv(name.removesuffix(".csv"))
    given = args()
    path = urls.figure_url(name)
    data = indicator_data(name, given.to_dict(flat=False))
    data["tables"] = [_table_links(t, path, given) for t in data["tables"]]
    plain = _plain(given)
    yearly, include = MultiDict(given), MultiDict(given)
    yearly.poplist("period")
    include.setlist("period", ["include"])
    return render_template(
        "figure.html", data=data, name=name, facets=_facets(data, path, given), chips=_chips(data, path, given),
        **_query_box(data, path, given),
        counts=next((i["counts"] for i in data["indicators"] if i["indicator"] == name), ""),
        period_yearly_url=urls.path_with(path, yearly), period_include_url=urls.path_with(path, include),
        csv_url=urls.path_with(urls.figure_url(name) + ".csv", plain),
        json_url=urls.path_with("/api/figures", MultiDict([("indicator", name), *plain.items(multi=True)])),
        index_url=urls.path_with("/figures", plain),
        search_url=urls.path_with("/", MultiDict([("q", name)])),
        sort_agency_url=urls.path_with(path, plain), clear_url=path,
    )


def _table_links(t: dict, path: str, given: MultiDict) -> dict:
    """Links of one agency x year table (a new dict): each year's header to the rows sorted
    by that year's value, and the chart of the sorted year (values link to their paragraphs
    in the template, through paragraph_url)."""
    plain = _plain(given)
    sort = given.get("sort", "agency")
    t = t | {"year_links": []}
    for year in t["years"]:
        on = MultiDict(plain)
        on.setlist("sort_year", [str(year)])
        on.setlist("sort", ["value_asc" if t["sort_year"] == year and sort == "value" else "value"])
        t["year_links"].append({"year": year, "url": urls.path_with(path, on),
                                "sorted": t["sort_year"] == year and sort != "agency"})
    t["chart"] = _sorted_year_chart(t) if t["sort_year"] is not None else None
    return t


def _sorted_year_chart(t: dict) -> dict | None:
    """The bars of the sorted year's values, each linked to its paragraph (None: no value)."""
    col = t["years"].index(t["sort_year"])
    mains = [(row["agency"], row["cells"][col]["main"]) for row in t["rows"] if row["cells"][col]["main"]]
    items = [{"label": agency, "count": main["amount"], "toggle_url": urls.paragraph_url(main["report_id"], main["ordinal"])}
             for agency, main in mains]
    return charts.bars(items, limit=15, unit=t["normalized_unit"]) if items else None


def _csv(name: str):
    """Every figure of one indicator that passes the filters, with its sentence and link."""
    data = kb().figure_indicator(name, request.args.to_dict(flat=False))
    root = site_root()
    rows = (row | {"url": root + urls.paragraph_url(row["report_id"], row["ordinal"])} for row in data["all_rows"])
    return csv_download([title for title, _ in CSV_COLUMNS],
                        ([_cell(row, k) for _, k in CSV_COLUMNS]
                         for row in rows),
                        "figures.csv", name=f"{name}.csv")


def _cell(row: dict, key: str):
    """A figure's value as a CSV cell: 是 / 否（推测） for ``sure``, the guessed fields said in words."""
    if key == "unsure":
        return csv_cell(row, key)
    return "是" if row[key] is True else "否（推测）" if row[key] is False else row[key]

"""Compare: the best paragraph of each agency for a query (``/compare``; ``by=year``: of each
agency in each year), its JSON twin ``/api/compare`` and its table ``/compare.csv``.

:func:`compare_data` is what the page and the API show; the page adds the search's facets
and chips (:func:`web.views.search.facets_and_chips`), a card per agency, 24 a page.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template, request
from werkzeug.datastructures import MultiDict

from kb import UNSURE_COLUMN, NotFound, SearchRequest, compare_by_year
from web import charts, urls
from web.views.base import (
    args,
    csv_cell,
    csv_download,
    download_name,
    kb,
    measure,
    pager,
    search_request,
    site_root,
    without_paging,
)
from web.views.search import EXAMPLES, facets_and_chips, keep_filters

bp = Blueprint("compare", __name__)

COMPARE_SIZE = 24  # cards a page
COLUMNS = [("单位", "agency"), ("报告年度", "year"), ("本单位匹配段数", "matches"), ("报告", "title"),
           ("章节", "section"), ("最相关的一段", "text"), ("段落编号", "id"), ("链接", "url"), (UNSURE_COLUMN, "unsure")]


def layout_by_year(given) -> bool:
    """Whether ``by=year`` asks for a group per agency and year; no ``by`` (or an empty one): per
    agency; any other a 400 that names it (a walk-through's by=bogus was compared by agency)."""
    return compare_by_year(given.get("by", ""))


def compare_data(req: SearchRequest, by_year: bool, paged: bool = True) -> dict:
    """The /api/compare answer: one best paragraph per agency (and year), with its link."""
    return urls.linked_compare(kb().compare(req, by_year=by_year, paged=paged))


@bp.get("/api/compare")
def api_compare():
    """One best paragraph per agency (by=year: per agency and year), a page of them (page, size);
    a page past the last of a comparison that found something is a 404, as on the page."""
    req = search_request()
    data = compare_data(req, by_year=layout_by_year(request.args))
    if data["groups_total"] and req.page > data["pages"]:
        raise NotFound(f"没有第 {req.page} 页 (past the last page: {data['pages']})")
    return jsonify(data)


@bp.get("/compare.csv")
def compare_csv():
    """The comparison as a table: one row per agency (or agency and year, by=year), its
    best paragraph in full, with the same query and filters as the page; every group."""
    data = compare_data(search_request(), by_year=layout_by_year(request.args), paged=False)
    root = site_root()
    rows = [g["best"] | {"agency": g["agency"], "matches": g["matches"],
                         "url": urls.paragraph_url(g["best"]["report_id"], g["best"]["ordinal"])} for g in data["groups"]]
    return csv_download([title for title, _ in COLUMNS],
                        ([root + r[key] if key == "url" else csv_cell(r, key) for _, key in COLUMNS] for r in rows),
                        "kb-compare.csv", download_name("对比", request.args.get("q", ""), suffix=".csv"))


def compare_request(given: MultiDict) -> SearchRequest:
    """The page's request: 24 cards a page unless the URL says otherwise."""
    if "size" not in given:
        given = MultiDict(given)
        given["size"] = str(COMPARE_SIZE)
    return search_request(given)


@bp.get("/compare")
def compare():
    given = args()
    req = compare_request(given)
    if not req.q:
        return render_template("compare.html", data=None, req=req, q_box="", autofocus=True, examples=[
            {"q": q, "note": note, "url": urls.path_with("/compare", MultiDict({"q": q}))} for q, note in EXAMPLES])
    by_year = layout_by_year(given)
    data = compare_data(req, by_year)
    path = request.path
    if data["groups_total"] and req.page > data["pages"]:
        return render_template("error.html", status=404, message=f"没有第 {req.page} 页：共 {data['pages']} 页 (page {req.page} is past the last page, {data['pages']})",
                               links=[{"url": urls.with_arg(path, given, "page", data["pages"]), "label": "看最后一页"}],
                               q_box=req.q), 404
    for g in data["groups"]:
        g["more_url"] = urls.with_added_arg("/", without_paging(given, "by"), "agency", g["agency"])
    return render_template("compare.html", **_compare_page(req, data, by_year, given, path))


def _compare_page(req: SearchRequest, data: dict, by_year: bool, given: MultiDict, path: str) -> dict:
    result = kb().search(SearchRequest(q=req.q, filters=req.filters, size=1))
    plain = without_paging(given)
    facets, chips = facets_and_chips(req, result, plain, path, on="compare")
    years = sorted((i["value"] for i in result["facets"]["year"]), reverse=True)
    return dict(
        data=data, req=req, q_box=req.q, facets=facets, chips=chips, by_year=by_year, facets_on="compare",
        keep_filters=keep_filters(given), form_action="/compare", skip_to="results", skip_label="跳到对比结果",
        find_hidden=[{"name": k, "value": v} for k, v in plain.items(multi=True)],
        layouts=[{"label": "按单位（每个单位最相关的一段）", "url": urls.with_removed_arg(path, plain, "by"), "selected": not by_year},
                 {"label": "按报告年度分组（每个单位每年一段）", "url": urls.with_arg(path, plain, "by", "year"), "selected": by_year}],
        year_links=[{"year": y, "url": urls.with_arg(path, plain, "year", y),
                     "selected": req.filters.get("year") == [y]} for y in years],
        all_years_url=urls.with_removed_arg(path, plain, "year"),
        pages=pager(path, given, req.page, data["pages"]),
        charts=charts.for_search(facets, kb().yearly(req), measure(given),
                                 lambda y: urls.with_arg(path, plain, "year", y)) if data["total"] else [],
        measures=[{"label": label, "selected": m == measure(given), "url": urls.with_arg(path, given, "chart", m)}
                  for m, label in charts.MEASURES.items()], chart_open="chart" in given,
        clear_url=urls.path_with(path, MultiDict({"q": req.q})),
        search_url=urls.path_with("/", without_paging(given, "by")),
        export_csv=urls.path_with("/compare.csv", plain),
        json_url=urls.path_with("/api/compare", given))

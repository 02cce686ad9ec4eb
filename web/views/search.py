"""Search: the start page and the search page (``/``), its JSON twin ``/api/search``, and
``/api/search/years`` (a search's spread over the years, what the page's chart draws).

:func:`search_data` is the /api/search answer; the page shows the same dict with its facets,
chips, pages, sorts and charts as links (:mod:`web.urls`). :func:`facets_and_chips` and
:func:`keep_filters` serve the comparison page too (:mod:`web.views.compare`).
"""

from __future__ import annotations

import re

from flask import Blueprint, current_app, jsonify, render_template, request
from werkzeug.datastructures import MultiDict

from kb import FACETS, SECTION_KIND_NOTES, SECTION_KINDS, BadRequest, NotFound, SearchRequest
from web import charts, urls
from web.views.base import args, kb, measure, pager, search_request, without_paging

bp = Blueprint("search", __name__)

FACET_SHOWN = 8  # values shown before "more"
SORT_LABELS = {"relevance": "相关度", "year": "报告年度（新→旧）", "year_asc": "报告年度（旧→新）"}

EXAMPLES = [
    ("法律顾问", "各单位怎样写法律顾问制度"),
    ("双随机一公开", "监管方式，含“双随机、一公开”等写法"),
    ("行政执法三项制度", "也检索公示、全过程记录、法制审核"),
    ('"行政处罚法"', "只要这个词"),
    ("复议 OR 诉讼", "任一个词"),
    ("执法 -处罚", "执法，但不含处罚"),
]


class PastLastPage(NotFound):
    """A page past the last of a search that found something: the API's 404; the page says
    so with a link to the last page."""

    def __init__(self, result: dict):
        super().__init__(f"没有第 {result['page']} 页 (past the last page: {result['pages']})")
        self.result = result


def search_data(req: SearchRequest, answer: dict | None = None) -> dict:
    """The /api/search answer (``answer``: the knowledge base's, else asked now): a page of hits with their
    links, the total and the facets, and the regulation the query names (``regulation``: its name and
    page), if it names one."""
    result = urls.linked_search(kb().search(req) if answer is None else answer)
    if result["total"] and result["page"] > result["pages"]:
        raise PastLastPage(result)
    offer = regulation_offer(req.q)
    return result | ({"regulation": offer} if offer else {})


def regulation_offer(q: str) -> dict | None:
    """The regulation a query names (行政处罚法 -> its page), if the corpus mentions it."""
    name = kb().regulation_named(q) if q else None
    return {"name": name, "url": urls.regulation_url(name)} if name else None


#: /api/search's bodies kept by query string (an app's ``extensions["search_bodies"]``), each with the cached
#: hits it was made from and split where its ``took_ms`` goes (issue 30: a cached answer's links and JSON
#: made once, some 0.5 ms of a request); an answer with other hits (another generation's, a short read's)
#: is made anew
_BODIES_KEPT = 512
_TOOK = "\x00took_ms\x00"  # in the JSON as "\u0000took_ms\u0000": no answer's text is written so


@bp.get("/api/search")
def api_search():
    req = search_request()
    answer = kb().search(req)
    bodies = current_app.extensions.setdefault("search_bodies", {})
    made = bodies.get(request.query_string)
    if made is None or made[0] is not answer["hits"]:
        resp = jsonify(search_data(req, answer | {"took_ms": _TOOK}))
        head, mark, tail = resp.get_data().partition(b'"\\u0000took_ms\\u0000"')
        if not mark or tail.find(mark) >= 0:
            return jsonify(search_data(req, answer))
        made = (answer["hits"], head, tail)
        if len(bodies) >= _BODIES_KEPT:
            bodies.clear()
        bodies[request.query_string] = made
    return current_app.response_class(made[1] + repr(answer["took_ms"]).encode() + made[2],
                                      mimetype=current_app.json.mimetype)


@bp.get("/api/search/years")
def api_search_years():
    """Paragraphs and reports with a hit per year, every year of the index (zero years too)."""
    req = search_request()
    return jsonify({"query": req.q, "filters": req.filters, "years": kb().yearly(req)})


@bp.get("/")
def search():
    given = args()
    if not any(given.getlist(k) for k in ("q", "page", "sort", *FACETS)):
        return home()
    try:
        req = search_request(given)
    except BadRequest as e:  # a page, size, sort or filter out of its limits: not the query
        return _bad_request(given, str(e), query_error=False), 400
    try:
        data = search_data(req)
    except PastLastPage as e:
        return _past_last_page(req, e.result, given), 404
    except BadRequest as e:  # the query: shown beside the box, the query kept in it
        return _bad_request(given, str(e), query_error=True), 400
    return render_template("search.html", **_search_page(req, data, given, request.path))


def _bad_request(given: MultiDict, error: str, query_error: bool) -> str:
    """The search page saying what is wrong: the query (marked in the box, with the query
    language) or another parameter (with a link to search the query alone)."""
    q = given.get("q", "")
    return render_template("search.html", error=error, q_box=q, req=None, result=None,
                           keep_filters=keep_filters(given), query_error=query_error, autofocus=True,
                           retry_url=urls.path_with("/", MultiDict({"q": q} if q else {})))


def _past_last_page(req: SearchRequest, result: dict, given: MultiDict) -> str:
    last = urls.with_arg(request.path, given, "page", result["pages"])
    return render_template("error.html", status=404, message=(
        f"没有第 {req.page} 页：共 {result['total']} 段，{result['pages']} 页 "
        f"(page {req.page} is past the last page, {result['pages']})"),
        links=[{"url": last, "label": f"看最后一页（第 {result['pages']} 页）"}], q_box=req.q)


def _search_page(req: SearchRequest, result: dict, given: MultiDict, path: str) -> dict:
    facets, chips = facets_and_chips(req, result, given, path)
    plain = without_paging(given)
    return dict(
        result=result, req=req, facets=facets, chips=chips, pages=_pages(req, result["pages"], given, path),
        sorts=_sorts(req, given, path),
        q_box=req.q, suggestions=_suggestions(result, given, path), keep_filters=keep_filters(given),
        find_hidden=[{"name": k, "value": v} for k, v in plain.items(multi=True)],
        skip_to="results", skip_label="跳到检索结果", autofocus=not req.q,
        clear_url=urls.path_with(path, MultiDict({"q": req.q} if req.q else {})),
        json_url=urls.path_with("/api/search", given),
        compare_url=urls.path_with("/compare", plain),
        export_csv=urls.path_with("/export.csv", plain),
        export_json=urls.path_with("/export.json", plain),
        charts=_charts(req, result, facets, given, path), chart_open="chart" in given,
        measures=[{"label": label, "selected": m == measure(given),
                   "url": urls.with_arg(path, given, "chart", m)} for m, label in charts.MEASURES.items()],
        regulation_page=result.get("regulation"),
        match_url=_match_url(req, given, path),
        query_note=result.get("query_note") and result["query_note"] | {
            "url": urls.with_arg(path, without_paging(given), "q", result["query_note"]["ran"])},
    )


def _sorts(req: SearchRequest, given: MultiDict, path: str) -> list[dict]:
    """The orders offered: with no query, nothing is more relevant than another, so browsing
    offers the years alone (newest first is what it does by default)."""
    sort = req.sort if req.q or req.sort != "relevance" else "year"
    return [{"value": k, "label": v, "url": urls.with_arg(path, given, "sort", k), "selected": k == sort}
            for k, v in SORT_LABELS.items() if req.q or k != "relevance"]


def _pages(req: SearchRequest, pages: int, given: MultiDict, path: str) -> dict:
    """The pager's links: before, after, the last page, the numbers around this one."""
    return pager(path, given, req.page, pages)


def _match_url(req: SearchRequest, given: MultiDict, path: str) -> str:
    """The link that switches between exact matches only and exact then related ones."""
    if req.match == "all":
        return urls.with_arg(path, without_paging(given), "match", "exact")
    return urls.path_with(path, MultiDict([(k, v) for k, v in without_paging(given).items(multi=True) if k != "match"]))


def facets_and_chips(req: SearchRequest, result: dict, given: MultiDict, path: str,
                     on: str = "") -> tuple[list, list]:
    """The facets (each value a link that toggles it on ``path``) and the chips of the filters;
    ``on``: the page the full list of a facet links back to (/facets/<name>?on=compare)."""
    every = without_paging(given, "by")
    if on:
        every.add("on", on)
    facets = [_facet(name, cached, result.get("facet_totals", {}), given, path, every)
              for name, cached in result["facets"].items()]
    chips = [
        {"facet": FACETS[name].label, "value": FACETS[name].label_of(value),
         "remove_url": urls.with_removed_arg(path, given, name, value)}
        for name, values in req.filters.items() for value in values
    ]
    return facets, chips


def _facet(name: str, cached: list[dict], totals: dict, given: MultiDict, path: str, every: MultiDict) -> dict:
    """One facet of a search page: its values as toggles, the first shown, a link to them all."""
    items = [item | {"toggle_url": urls.with_removed_arg(path, given, name, item["value"]) if item["selected"]
                     else urls.with_added_arg(path, given, name, item["value"])} for item in cached]
    total = totals.get(name, len(items))
    return {"name": name, "label": FACETS[name].label, "items": items,
            "shown": items[:FACET_SHOWN], "more": items[FACET_SHOWN:], "total": total,
            "all_url": urls.path_with(f"/facets/{name}", every) if total > len(items) else None,
            "find": total > 2 * FACET_SHOWN,
            "find_url": f"/facets/{name}", "find_api": f"/api/facets/{name}"}


def _charts(req: SearchRequest, result: dict, facets: list[dict], given: MultiDict, path: str) -> list[dict]:
    if not result["total"]:
        return []
    return charts.for_search(facets, kb().yearly(req), measure(given),
                             lambda y: urls.with_arg(path, given, "year", y))


def keep_filters(given: MultiDict) -> list[dict]:
    """The filters a new query keeps when "search within these results" is ticked."""
    return [{"name": name, "value": v, "label": f"{FACETS[name].label}：{FACETS[name].label_of(v)}"}
            for name in FACETS for v in given.getlist(name) if v]


def _suggestions(result: dict, given: MultiDict, path: str) -> dict | None:
    """Links for an empty result: near spellings, related topics, the query without filters."""
    found = result.get("suggestions")
    if found is None:
        return None
    q = result["query"]
    return {
        "spellings": [s | {"url": urls.with_arg(path, given, "q", q.replace(s["term"], s["instead"]))}
                      for s in found["spellings"]],
        "topics": [t | {"url": urls.path_with(path, MultiDict({"topic": t["id"]}))} for t in found["topics"]],
        "unfiltered": urls.path_with(path, MultiDict({"q": q})) if result["filters"] else None,
        "spellings_skipped": bool(found.get("spellings_skipped")),
    }


def home():
    """The start page: what the site is, example searches, topics, report sections, latest reports."""
    reports = urls.linked_reports(kb().reports())
    years = sorted({r["year"] for r in reports})
    return render_template(
        "home.html", autofocus=True, json_url="/api/reports",
        examples=[{"q": q, "note": note, "url": urls.path_with("/", MultiDict({"q": q}))} for q, note in EXAMPLES],
        topics=[t | {"url": urls.path_with("/", MultiDict({"topic": t["id"]}))} for t in kb().topics()],
        sections=[{"kind": k, "note": SECTION_KIND_NOTES[k], "url": urls.path_with("/", MultiDict({"section_kind": k}))}
                  for k in SECTION_KINDS],
        latest=[r | {"whose": "" if names_its_agency(r) else r["agency"]} for r in reports[:8]], stats={"reports": len(reports), "agencies": len({r["agency"] for r in reports}),
                                   "first": years[0] if years else "", "last": years[-1] if years else ""},
    )


PLACE = re.compile(r"[\u4e00-\u9fff]{1,6}?[省市区县州盟旗]")


def names_its_agency(report: dict) -> bool:
    """Whether a report's title says whose it is: the agency, or a place the agency is named
    by (东莞市 of 东莞市人民政府, 南开区 of 天津市南开区卫生健康委员会); 政府工作报告 alone does not."""
    title, agency = report["title"], report["agency"]
    return agency in title or any(place in title for place in PLACE.findall(agency))

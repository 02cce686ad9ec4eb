"""The HTML pages: search, reports, one report, topics. Each is built from the same
data as its JSON twin in :mod:`web.api`, plus the links of :mod:`web.urls`."""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, current_app, render_template, request
from werkzeug.datastructures import MultiDict

from kb.facets import FACETS
from kb.search import SearchRequest
from web import charts, render, urls

bp = Blueprint("pages", __name__)

FACET_SHOWN = 8  # values shown before "more"
SORT_LABELS = {"relevance": "相关度", "year": "年度（新→旧）", "year_asc": "年度（旧→新）"}


def kb():
    return current_app.extensions["kb"]


def _args() -> MultiDict:
    return MultiDict(request.args.items(multi=True))


@bp.get("/")
def search():
    args = _args()
    req = SearchRequest.from_args(args.to_dict(flat=False), kb().settings.limits)
    result = urls.linked_search(kb().search(req))
    path = request.path
    facets = []
    for name, cached in result["facets"].items():
        items = [item | {"toggle_url": urls.with_removed_arg(path, args, name, item["value"]) if item["selected"]
                         else urls.with_added_arg(path, args, name, item["value"])} for item in cached]
        facets.append({"name": name, "label": FACETS[name].label, "items": items,
                       "shown": items[:FACET_SHOWN], "more": items[FACET_SHOWN:]})
    chips = [
        {"facet": FACETS[name].label, "value": FACETS[name].label_of(value),
         "remove_url": urls.with_removed_arg(path, args, name, value)}
        for name, values in req.filters.items() for value in values
    ]
    pages = {
        "prev": urls.with_arg(path, args, "page", req.page - 1) if req.page > 1 else None,
        "next": urls.with_arg(path, args, "page", req.page + 1) if req.page < result["pages"] else None,
    }
    sorts = [{"value": k, "label": v, "url": urls.with_arg(path, args, "sort", k), "selected": k == req.sort}
             for k, v in SORT_LABELS.items()]
    return render_template(
        "search.html", result=result, req=req, facets=facets, chips=chips, pages=pages, sorts=sorts,
        clear_url=urls.path_with(path, MultiDict({"q": req.q} if req.q else {})),
        json_url=urls.path_with("/api/search", args),
        compare_url=urls.path_with("/compare", args),
        export_csv=urls.path_with("/export.csv", _without_paging(args)),
        export_json=urls.path_with("/export.json", _without_paging(args)),
        charts=charts.for_search(facets) if result["total"] else [],
    )


def _without_paging(args: MultiDict) -> MultiDict:
    new = MultiDict(args)
    new.poplist("page")
    new.poplist("size")
    return new


@bp.get("/compare")
def compare():
    args = _args()
    req = SearchRequest.from_args(args.to_dict(flat=False), kb().settings.limits)
    data = urls.linked_compare(kb().compare(req)) if req.q else None
    if data:
        for g in data["groups"]:
            g["more_url"] = urls.with_added_arg("/", args, "agency", g["agency"])
    return render_template("compare.html", data=data, req=req,
                           search_url=urls.path_with("/", args),
                           json_url=urls.path_with("/api/compare", args) if req.q else None)


@bp.get("/reports")
def reports():
    return render_template("reports.html", reports=urls.linked_reports(kb().reports()), json_url="/api/reports")


@bp.get("/agencies")
def agencies():
    return render_template("agencies.html", agencies=urls.linked_agencies(kb().agencies()), json_url="/api/agencies")


@bp.get("/years")
def years():
    return render_template("years.html", years=urls.linked_years(kb().years()), json_url="/api/years")


@bp.get("/reports/<report_id>")
def report(report_id: str):
    q = request.args.get("q", "")
    data = urls.linked_report(kb().report(report_id, q=q))
    mentioned = list(dict.fromkeys(r for p in data["paragraphs"] for r in p["regulations"]))
    return render_template(
        "report.html", report=data, blocks=render.blocks(data), q=q, regulations=mentioned,
        matches=sum(p["matches"] for p in data["paragraphs"]),
        json_url=urls.path_with(f"/api/reports/{report_id}", MultiDict({"q": q} if q else {})),
        search_url=urls.path_with("/", MultiDict({"q": q} if q else {})),
    )


@bp.get("/paragraphs/<paragraph_id>/similar")
def similar(paragraph_id: str):
    data = urls.linked_similar(kb().similar(paragraph_id))
    return render_template("similar.html", data=data,
                           json_url=f"/api/paragraphs/{quote(paragraph_id)}/similar")


@bp.get("/regulations")
def regulations():
    return render_template("regulations.html", data=urls.linked_regulations(kb().regulations()), json_url="/api/regulations")


@bp.get("/regulations/<path:name>")
def regulation(name: str):
    data = urls.linked_regulation(kb().regulation(name))
    return render_template("regulation.html", data=data,
                           json_url=f"/api/regulations/{quote(data['name'], safe='')}")


@bp.get("/topics")
def topics():
    items = urls.linked_topics(kb().topics())
    return render_template("topics.html", topics=items, json_url="/api/topics")

"""The HTML pages: search, reports, one report, topics. Each is built from the same
data as its JSON twin in :mod:`web.api`, plus the links of :mod:`web.urls`."""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, current_app, render_template, request
from werkzeug.datastructures import MultiDict

from kb.core.errors import BadRequest
from kb.core.model import SECTION_KINDS
from kb.enrich import reportcard
from kb.search import by_year as yearly
from kb.search.facets import FACETS
from kb.search.request import SearchRequest
from web import charts, lists, render, urls

bp = Blueprint("pages", __name__)

FACET_SHOWN = 8  # values shown before "more"
SORT_LABELS = {"relevance": "相关度", "year": "年度（新→旧）", "year_asc": "年度（旧→新）"}


def kb():
    return current_app.extensions["kb"]


def _args() -> MultiDict:
    return MultiDict(request.args.items(multi=True))


EXAMPLES = [
    ("法律顾问", "各单位怎样写法律顾问制度"),
    ("双随机一公开", "监管方式，含“双随机、一公开”等写法"),
    ("行政执法三项制度", "也检索公示、全过程记录、法制审核"),
    ('"行政处罚法"', "只要这个词"),
    ("复议 OR 诉讼", "任一个词"),
    ("执法 -处罚", "执法，但不含处罚"),
]


@bp.get("/")
def search():
    args = _args()
    if not any(args.getlist(k) for k in ("q", "page", "sort", *FACETS)):
        return home()
    try:
        req = SearchRequest.from_args(args.to_dict(flat=False), kb().settings.limits)
        result = urls.linked_search(kb().search(req))
    except BadRequest as e:  # shown on the page, with the query kept in the box
        return render_template("search.html", error=str(e), q_box=args.get("q", ""), req=None, result=None,
                               keep_filters=_keep_filters(args), query_error=True, autofocus=True), 400
    path = request.path
    if result["total"] and req.page > result["pages"]:
        last = urls.with_arg(path, args, "page", result["pages"])
        return render_template("error.html", status=404, message=(
            f"没有第 {req.page} 页：共 {result['total']} 段，{result['pages']} 页 "
            f"(page {req.page} is past the last page, {result['pages']})"),
            links=[{"url": last, "label": f"看最后一页（第 {result['pages']} 页）"}], q_box=req.q), 404
    return render_template("search.html", **_search_page(req, result, args, path))


def _search_page(req: SearchRequest, result: dict, args: MultiDict, path: str) -> dict:
    facets, chips = _facets_and_chips(req, result, args, path)
    pages = {
        "prev": urls.with_arg(path, args, "page", req.page - 1) if req.page > 1 else None,
        "next": urls.with_arg(path, args, "page", req.page + 1) if req.page < result["pages"] else None,
    }
    sorts = [{"value": k, "label": v, "url": urls.with_arg(path, args, "sort", k), "selected": k == req.sort}
             for k, v in SORT_LABELS.items()]
    return dict(
        result=result, req=req, facets=facets, chips=chips, pages=pages, sorts=sorts, q_box=req.q,
        suggestions=_suggestions(result, args, path), keep_filters=_keep_filters(args),
        find_hidden=[{"name": k, "value": v} for k, v in _without_paging(args).items(multi=True)],
        skip_to="results", skip_label="跳到检索结果", autofocus=not req.q,
        clear_url=urls.path_with(path, MultiDict({"q": req.q} if req.q else {})),
        json_url=urls.path_with("/api/search", args),
        compare_url=urls.path_with("/compare", _without_paging(args)),
        export_csv=urls.path_with("/export.csv", _without_paging(args)),
        export_json=urls.path_with("/export.json", _without_paging(args)),
        charts=_charts(req, result, facets, args, path), chart_open="chart" in args,
        measures=[{"label": label, "selected": m == _measure(args),
                   "url": urls.with_arg(path, args, "chart", m)} for m, label in charts.MEASURES.items()],
        regulation_page=_regulation_offer(req.q),
        match_url=_match_url(req, args, path),
    )


def _match_url(req: SearchRequest, args: MultiDict, path: str) -> str:
    """The link that switches between exact matches only and exact then related ones."""
    if req.match == "all":
        return urls.with_arg(path, _without_paging(args), "match", "exact")
    return urls.path_with(path, MultiDict([(k, v) for k, v in _without_paging(args).items(multi=True) if k != "match"]))


def _facets_and_chips(req: SearchRequest, result: dict, args: MultiDict, path: str,
                      on: str = "") -> tuple[list, list]:
    """The facets (each value a link that toggles it on ``path``) and the chips of the filters;
    ``on``: the page the full list of a facet links back to (/facets/<name>?on=compare)."""
    every = _without_paging(args, "by")
    if on:
        every.add("on", on)
    facets = []
    for name, cached in result["facets"].items():
        items = [item | {"toggle_url": urls.with_removed_arg(path, args, name, item["value"]) if item["selected"]
                         else urls.with_added_arg(path, args, name, item["value"])} for item in cached]
        total = result.get("facet_totals", {}).get(name, len(items))
        facets.append({"name": name, "label": FACETS[name].label, "items": items,
                       "shown": items[:FACET_SHOWN], "more": items[FACET_SHOWN:], "total": total,
                       "all_url": urls.path_with(f"/facets/{name}", every)
                       if total > len(items) else None,
                       "find": total > 2 * FACET_SHOWN,
                       "find_url": f"/facets/{name}", "find_api": f"/api/facets/{name}"})
    chips = [
        {"facet": FACETS[name].label, "value": FACETS[name].label_of(value),
         "remove_url": urls.with_removed_arg(path, args, name, value)}
        for name, values in req.filters.items() for value in values
    ]
    return facets, chips


def _measure(args: MultiDict) -> str:
    return "rate" if args.get("chart") == "rate" else "count"


def _charts(req: SearchRequest, result: dict, facets: list[dict], args: MultiDict, path: str) -> list[dict]:
    if not result["total"]:
        return []
    return charts.for_search(facets, kb().yearly(req), _measure(args),
                             lambda y: urls.with_arg(path, args, "year", y))


def _regulation_offer(q: str) -> dict | None:
    """A link to the regulation a query names (行政处罚法 -> its page)."""
    name = kb().regulation_named(q) if q else None
    return {"name": name, "url": urls.regulation_url(name)} if name else None


def _keep_filters(args: MultiDict) -> list[dict]:
    """The filters a new query keeps when "search within these results" is ticked."""
    return [{"name": name, "value": v, "label": f"{FACETS[name].label}：{FACETS[name].label_of(v)}"}
            for name in FACETS for v in args.getlist(name) if v]


def _suggestions(result: dict, args: MultiDict, path: str) -> dict | None:
    """Links for an empty result: near spellings, related topics, the query without filters."""
    found = result.get("suggestions")
    if found is None:
        return None
    q = result["query"]
    return {
        "spellings": [s | {"url": urls.with_arg(path, args, "q", q.replace(s["term"], s["instead"]))}
                      for s in found["spellings"]],
        "topics": [t | {"url": urls.path_with(path, MultiDict({"topic": t["id"]}))} for t in found["topics"]],
        "unfiltered": urls.path_with(path, MultiDict({"q": q})) if result["filters"] else None,
    }


def home():
    """The start page: what the site is, example searches, topics, report sections, latest reports."""
    reports = urls.linked_reports(kb().reports())
    years = sorted({r["year"] for r in reports})
    return render_template(
        "home.html", autofocus=True, json_url="/api/reports",
        examples=[{"q": q, "note": note, "url": urls.path_with("/", MultiDict({"q": q}))} for q, note in EXAMPLES],
        topics=[t | {"url": urls.path_with("/", MultiDict({"topic": t["id"]}))} for t in kb().topics()],
        sections=[{"kind": k, "url": urls.path_with("/", MultiDict({"section_kind": k}))} for k in SECTION_KINDS],
        latest=reports[:8], stats={"reports": len(reports), "agencies": len({r["agency"] for r in reports}),
                                   "first": years[0] if years else "", "last": years[-1] if years else ""},
    )


def _without_paging(args: MultiDict, *more: str) -> MultiDict:
    new = MultiDict(args)
    for name in ("page", "size", *more):
        new.poplist(name)
    return new


COMPARE_SIZE = 24  # cards a page


def compare_request(args: MultiDict) -> SearchRequest:
    if "size" not in args:
        args = MultiDict(args)
        args["size"] = str(COMPARE_SIZE)
    return SearchRequest.from_args(args.to_dict(flat=False), kb().settings.limits)


@bp.get("/compare")
def compare():
    args = _args()
    req = compare_request(args)
    if not req.q:
        return render_template("compare.html", data=None, req=req, q_box="", autofocus=True, examples=[
            {"q": q, "note": note, "url": urls.path_with("/compare", MultiDict({"q": q}))} for q, note in EXAMPLES])
    by_year = args.get("by") == "year"
    data = urls.linked_compare(kb().compare(req, by_year=by_year))
    path = request.path
    if data["groups_total"] and req.page > data["pages"]:
        return render_template("error.html", status=404, message=f"没有第 {req.page} 页 (past the last page, {data['pages']})",
                               links=[{"url": urls.with_arg(path, args, "page", data["pages"]), "label": "看最后一页"}],
                               q_box=req.q), 404
    for g in data["groups"]:
        g["more_url"] = urls.with_added_arg("/", _without_paging(args, "by"), "agency", g["agency"])
    result = kb().search(SearchRequest(q=req.q, filters=req.filters, size=1))
    facets, chips = _facets_and_chips(req, result, _without_paging(args), path, on="compare")
    years = sorted((i["value"] for i in result["facets"]["year"]), reverse=True)
    plain = _without_paging(args)
    return render_template(
        "compare.html", data=data, req=req, q_box=req.q, facets=facets, chips=chips, by_year=by_year, facets_on="compare",
        keep_filters=_keep_filters(args), form_action="/compare", skip_to="results", skip_label="跳到对比结果",
        find_hidden=[{"name": k, "value": v} for k, v in plain.items(multi=True)],
        layouts=[{"label": "按单位（每个单位最相关的一段）", "url": urls.with_removed_arg(path, plain, "by"), "selected": not by_year},
                 {"label": "按年度分组（每个单位每年一段）", "url": urls.with_arg(path, plain, "by", "year"), "selected": by_year}],
        year_links=[{"year": y, "url": urls.with_arg(path, plain, "year", y),
                     "selected": req.filters.get("year") == [y]} for y in years],
        all_years_url=urls.with_removed_arg(path, plain, "year"),
        pages={"prev": urls.with_arg(path, args, "page", req.page - 1) if req.page > 1 else None,
               "next": urls.with_arg(path, args, "page", req.page + 1) if req.page < data["pages"] else None},
        clear_url=urls.path_with(path, MultiDict({"q": req.q})),
        search_url=urls.path_with("/", _without_paging(args, "by")),
        export_csv=urls.path_with("/compare.csv", plain),
        json_url=urls.path_with("/api/compare", args))


@bp.get("/reports")
def reports():
    items = [r | {"lacks": _lacks(r["report_card"])} for r in urls.linked_reports(kb().report_cards())]
    table = lists.listing(items, [lists.Col("year", "年度", True), lists.Col("agency", "单位"),
                                  lists.Col("region", "地区"), lists.Col("title", "标题"),
                                  lists.Col("paragraphs", "段落", True), lists.Col("lacks", "要件", True)],
                          lambda r: f"{r['year']} {r['agency']} {r['region']} {r['title']}")
    return render_template("reports.html", table=table, total=len(items), parts=reportcard.PARTS,
                           json_url="/api/reports")


def _lacks(card: dict | None) -> int:
    """How much a report's card lacks (parts without a section of their own, a missing date
    signed), for sorting the list of reports; -1 when no card applies."""
    if not card or not card["applies"]:
        return -1
    return sum(1 for status in card["parts"].values() if status != "section") + (not card["date_signed"])


@bp.get("/agencies")
def agencies():
    items = [a | {"n_reports": len(a["reports"])} for a in urls.linked_agencies(kb().agencies())]
    table = lists.listing(items, [lists.Col("agency", "单位"), lists.Col("province", "省份"),
                                  lists.Col("region", "地区"), lists.Col("level", "层级"),
                                  lists.Col("n_reports", "报告", True), lists.Col("paragraphs", "段落", True)],
                          lambda a: f"{a['agency']} {a['province']} {a['region']} {a['level']}")
    provinces = list(dict.fromkeys(a["province"] or "其他" for a in table["rows"])) if not table["sort"] else []
    return render_template("agencies.html", table=table, total=len(items), provinces=provinces,
                           json_url="/api/agencies")


@bp.get("/years")
def years():
    return render_template("years.html", years=urls.linked_years(kb().years()), json_url="/api/years")


@bp.get("/reports/<report_id>")
def report(report_id: str):
    q = request.args.get("q", "")
    data = urls.linked_report(kb().report_card(report_id, q=q))
    mentioned = [{"name": r, "url": urls.regulation_url(r)}
                 for r in dict.fromkeys(r for p in data["paragraphs"] for r in p["regulations"])]
    cited = {"report_id": data["id"], "agency": data["agency"], "year": data["year"], "title": data["title"]}
    data = data | {"paragraphs": [p | cited for p in data["paragraphs"]]}
    return render_template(
        "report.html", report=data, blocks=render.blocks(data), q=q, regulations=mentioned,
        source_url=urls.external(data.get("source", "")), card_parts=_card_parts(data),
        matches=sum(p["matches"] for p in data["paragraphs"]),
        json_url=urls.path_with(f"/api/reports/{report_id}", MultiDict({"q": q} if q else {})),
        search_url=urls.path_with("/", MultiDict({"q": q} if q else {})),
    )


def _card_parts(data: dict) -> list[dict]:
    """The required parts of a report page's card, each with links to its paragraphs."""
    ordinals = {p["id"]: p["ordinal"] for p in data["paragraphs"]}
    return [part | {"links": [{"ordinal": ordinals[pid], "url": f"#p{ordinals[pid]}"} for pid in part["paragraphs"]]}
            for part in data["required_parts"]]


@bp.get("/paragraphs/<paragraph_id>/similar")
def similar(paragraph_id: str):
    data = urls.linked_similar(kb().similar(paragraph_id))
    return render_template("similar.html", data=data,
                           json_url=f"/api/paragraphs/{quote(paragraph_id)}/similar")


@bp.get("/regulations")
def regulations():
    data = urls.linked_regulations(kb().regulations())
    cols = [lists.Col("name", "名称"), lists.Col("mentions", "提及", True), lists.Col("reports", "报告", True),
            lists.Col("agencies", "单位", True)]
    kinds = []
    for g in data["kinds"]:
        table = lists.listing(g["regulations"], cols, lambda r: " ".join([r["name"], *r["written"]]))
        if table["rows"]:
            kinds.append({"kind": g["kind"], "count": g["count"], "table": table})
    return render_template("regulations.html", data=data, kinds=kinds, find=request.args.get("find", "").strip(),
                           shown=sum(k["table"]["shown"] for k in kinds), json_url="/api/regulations")


@bp.get("/regulations/<path:name>")
def regulation(name: str):
    data = urls.linked_regulation(kb().regulation(name))
    measure = _measure(_args())
    yearly = _regulation_yearly(data["by_year"])
    path = request.path
    return render_template(
        "regulation.html", data=data, measure=measure,
        chart={"title": "按年度：提到它的报告占当年报告的比例" if measure == "rate" else "按年度（提及次数）",
               "chart": charts.by_year(yearly, measure, unit="处")},
        measures=[{"label": label, "selected": m == measure, "url": urls.with_arg(path, MultiDict(), "chart", m)}
                  for m, label in (("count", "提及次数"), ("rate", "每份报告"))],
        export_csv=urls.regulation_url(data["name"]) + ".csv",
        json_url=f"/api/regulations/{quote(data['name'], safe='')}")


def _regulation_yearly(by_year: dict[int, dict]) -> list[dict]:
    """Every year of the index (those without a mention too), with mentions and the
    share of that year's reports that mention it."""
    return yearly.spread({y: (v["mentions"], v["reports"]) for y, v in by_year.items()}, kb().reports_by_year())


@bp.get("/topics")
def topics():
    items = urls.linked_topics(kb().topics())
    return render_template("topics.html", topics=items, json_url="/api/topics")

"""Every value of one facet of a search, and a search among a facet's values.

A search's answer carries only the top values of each facet (kb.search.facets.FACET_SIZE) and
the chosen ones. For hundreds of agencies or regulations, ``/facets/<name>?<the
search's parameters>&contains=…`` lists every value of that facet for that search
(agencies grouped by province) with links that add or remove it as a filter, and
``/api/facets/<name>?…&contains=…&facet_size=…`` is its JSON twin, which the filter box
of each long facet on the search page asks as the user types.
"""

from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, abort, current_app, jsonify, render_template, request
from werkzeug.datastructures import MultiDict

from kb.ingest.gazetteer import province_of
from kb.search.facets import FACETS, matching
from kb.search.request import SearchRequest, parse_int
from web import urls

bp = Blueprint("facetpages", __name__)

OWN_ARGS = ("contains", "facet_size", "page", "size", "on")  # this page's parameters, not the search's
ON = {"compare": "/compare"}  # the page a value's link toggles it on (default: the search)


def _search_args() -> MultiDict:
    args = MultiDict(request.args.items(multi=True))
    for name in OWN_ARGS:
        args.poplist(name)
    return args


def facet_values(name: str) -> dict:
    """The values of facet ``name`` for the search in the URL, those holding ``contains``
    (all when it is empty), each with the link that toggles it on the search page."""
    if name not in FACETS:
        abort(404)
    args = _search_args()
    kb = current_app.extensions["kb"]
    req = SearchRequest.from_args(args.to_dict(flat=False), kb.settings.limits)
    result = kb.search(replace(req, page=1, size=1, facet_size=None))
    contains = request.args.get("contains", "").strip()[:100]
    size = request.args.get("facet_size", "all")
    limit = None if size == "all" else parse_int(size, "facet_size", 1, kb.settings.limits.facet_size)
    found = matching(result["facets"][name], contains)
    on = ON.get(request.args.get("on", ""), "/")
    values = []
    for item in found[:limit]:
        toggle = urls.with_removed_arg(on, args, name, item["value"]) if item["selected"] \
            else urls.with_added_arg(on, args, name, item["value"])
        values.append(item | {"toggle_url": toggle})
    return {"facet": name, "label": FACETS[name].label, "query": req.q, "filters": req.filters,
            "contains": contains, "total": len(found), "values": values,
            "search_url": urls.path_with(on, args)}


@bp.get("/api/facets/<name>")
def api(name: str):
    return jsonify(facet_values(name))


@bp.get("/facets/<name>")
def page(name: str):
    data = facet_values(name)
    groups = _by_province(data["values"]) if name in ("agency", "region") else []
    args = _search_args()
    hidden = [{"name": k, "value": v} for k, v in args.items(multi=True)]
    return render_template("facet.html", data=data, groups=groups, hidden=hidden,
                           q_box=data["query"], keep_filters=[],
                           json_url=urls.path_with(f"/api/facets/{name}", MultiDict(request.args.items(multi=True))))


def _by_province(values: list[dict]) -> list[dict]:
    """Values grouped by the province of their region, the largest groups first."""
    region = {a["agency"]: a["region"] for a in current_app.extensions["kb"].agencies()}
    groups: dict[str, dict] = {}
    for v in values:
        province = province_of(region.get(v["value"], v["value"])) or "其他"
        g = groups.setdefault(province, {"province": province, "count": 0, "values": []})
        g["values"].append(v)
        g["count"] += v["count"]
    return sorted(groups.values(), key=lambda g: (g["province"] == "其他", -g["count"], g["province"]))

"""Every value of one facet of a search, and a search among a facet's values.

A search's answer carries only the top values of each facet and the chosen ones. For
hundreds of agencies or regulations, ``/facets/<name>?<the search's parameters>&contains=…``
lists every value of that facet for that search (agencies grouped by province) with links
that add or remove it as a filter, and ``/api/facets/<name>?…&contains=…&facet_size=…`` is
its JSON twin, which the filter box of each long facet on the search page asks as the user
types.
"""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, render_template, request
from werkzeug.datastructures import MultiDict

from kb import FACETS, name_key, parse_int
from web import urls
from web.views.base import args, kb, search_request

bp = Blueprint("facets", __name__)

OWN_ARGS = ("contains", "facet_size", "page", "size", "on")  # this page's parameters, not the search's
ON = {"compare": "/compare"}  # the page a value's link toggles it on (default: the search)


def _search_args() -> MultiDict:
    given = args()
    for name in OWN_ARGS:
        given.poplist(name)
    return given


def facet_data(name: str) -> dict:
    """The /api/facets/<name> answer: the values of facet ``name`` for the search in the URL,
    those holding ``contains`` (all when it is empty), each with the link that toggles it on
    the search page."""
    if name not in FACETS:
        abort(404)
    search_args = _search_args()
    req = search_request(search_args)
    contains = request.args.get("contains", "").strip()[:100]
    found = kb().facet_values(req, name, contains)
    size = request.args.get("facet_size", "all")
    limit = None if size == "all" else parse_int(size, "facet_size", 1, kb().settings.limits.facet_size)
    on = ON.get(request.args.get("on", ""), "/")
    values = [item | {"toggle_url": urls.with_removed_arg(on, search_args, name, item["value"]) if item["selected"]
                      else urls.with_added_arg(on, search_args, name, item["value"])} for item in found[:limit]]
    return {"facet": name, "label": FACETS[name].label, "query": req.q, "filters": req.filters,
            "contains": contains, "total": len(found), "values": values,
            "search_url": urls.path_with(on, search_args)}


@bp.get("/api/facets/<name>")
def api_facet(name: str):
    return jsonify(facet_data(name))


@bp.get("/facets/<name>")
def facet(name: str):
    data = facet_data(name)
    groups = _by_province(data["values"]) if name in ("agency", "region") else []
    hidden = [{"name": k, "value": v} for k, v in _search_args().items(multi=True)]
    return render_template("facet.html", data=data, groups=groups, hidden=hidden,
                           q_box=data["query"], keep_filters=[],
                           json_url=urls.path_with(f"/api/facets/{name}", args()))


def _by_province(values: list[dict]) -> list[dict]:
    """Values grouped by the province of their region, the largest groups first."""
    province_of = kb().provinces([v["value"] for v in values])
    groups: dict[str, dict] = {}
    for v in values:
        province = province_of[v["value"]] or "其他"
        g = groups.setdefault(province, {"province": province, "count": 0, "values": []})
        g["values"].append(v)
        g["count"] += v["count"]
    return sorted(groups.values(), key=lambda g: (g["province"] == "其他", -g["count"], name_key(g["province"])))

"""Links: every URL the site shows is built here, from the current parameters and from
the ids and values of kb's answers (kb builds no URLs).

The URL carries all state (query, filters, page, sort), so every view is a permalink.
Templates only print URLs they are given; the JSON API gives the same links
(``linked_*``: an answer with its ``url`` fields, a copy).
"""

from __future__ import annotations

import functools
import re
from urllib.parse import quote, urlencode

from werkzeug.datastructures import MultiDict


def _encode(args: MultiDict) -> str:
    pairs = [(k, v) for k, v in args.items(multi=True) if v not in ("", None)]
    return urlencode(pairs)


def path_with(path: str, args: MultiDict) -> str:
    qs = _encode(args)
    return f"{path}?{qs}" if qs else path


def with_added_arg(path: str, args: MultiDict, name: str, value: str) -> str:
    """The URL with one more value of ``name`` (and back to page 1)."""
    new = MultiDict(args)
    new.poplist("page")
    if value not in new.getlist(name):
        new.add(name, value)
    return path_with(path, new)


def with_removed_arg(path: str, args: MultiDict, name: str, value: str | None = None) -> str:
    """The URL without ``name`` (or without only its ``value``), back to page 1."""
    new = MultiDict(args)
    new.poplist("page")
    kept = [v for v in new.poplist(name) if value is not None and v != value]
    for v in kept:
        new.add(name, v)
    return path_with(path, new)


def with_arg(path: str, args: MultiDict, name: str, value: str | int) -> str:
    """The URL with ``name`` set to ``value`` (replacing it)."""
    new = MultiDict(args)
    new.setlist(name, [str(value)])
    return path_with(path, new)


# -- the links of the answers: kb gives ids and values, the site makes them links ------------


def report_url(report_id: str, ordinal: int | None = None, q: str = "") -> str:
    """The report page, at a paragraph's anchor, with the query to highlight."""
    url = f"/reports/{_quoted(report_id)}"
    if q:
        url += "?q=" + _quoted(q)
    if ordinal is not None:
        url += f"#p{ordinal}"
    return url


@functools.lru_cache(maxsize=4096)
def _quoted(text: str) -> str:
    """``quote(text)``, kept for the texts quoted last: a page of hits quotes its query once for each
    hit, and the same reports again and again."""
    return quote(text)


def plan_url(report_id: str, form: str = "") -> str:
    """A report's plan versus delivery: the page, or ``form`` ``api`` / ``csv``."""
    path = f"/reports/{quote(report_id)}/plan"
    return {"api": "/api" + path, "csv": path + ".csv"}.get(form, path)


def agency_plans_url(agency: str, api: bool = False) -> str:
    """An agency's plans across years (its JSON twin with ``api``)."""
    return ("/api" if api else "") + f"/agencies/{quote(agency)}/plans"


def regulation_url(name: str) -> str:
    return f"/regulations/{quote(name, safe='')}"


def search_url(name: str, value: str | int, sort: str = "") -> str:
    """The search of every paragraph with one facet value."""
    return f"/?{name}=" + quote(str(value), safe="") + (f"&sort={sort}" if sort else "")


def linked_hit(hit: dict, q: str = "") -> dict:
    return hit | {"url": report_url(hit["report_id"], hit["ordinal"], q)}


def linked_search(answer: dict) -> dict:
    """A search answer (or an export) with the link of every hit (a copy: answers are cached)."""
    return answer | {"hits": [linked_hit(h, answer["query"]) for h in answer["hits"]]}


def linked_compare(answer: dict) -> dict:
    q = answer["query"]
    return answer | {"groups": [g | {"best": linked_hit(g["best"], q)} for g in answer["groups"]]}


def linked_similar(answer: dict) -> dict:
    return answer | {"paragraph": linked_hit(answer["paragraph"]),
                     "similar": [linked_hit(h) for h in answer["similar"]]}


def linked_reports(reports: list[dict]) -> list[dict]:
    return [r | {"url": report_url(r["id"]), "plan_url": plan_url(r["id"])} for r in reports]


def linked_agencies(agencies: list[dict]) -> list[dict]:
    """Each agency with its search link, its reports' links and, when it has reports of two
    years or more (a plan and its next report can pair), the link of its plans across years."""
    return [a | {"reports": linked_reports(a["reports"]), "url": search_url("agency", a["agency"]),
                 "plans_url": agency_plans_url(a["agency"]) if len({r["year"] for r in a["reports"]}) > 1 else None}
            for a in agencies]


def linked_years(years: list[dict]) -> list[dict]:
    return [y | {"url": search_url("year", y["year"])} for y in years]


def linked_topics(topics: list[dict]) -> list[dict]:
    def one(t: dict) -> dict:
        out = {k: v for k, v in t.items() if k != "items"} | {"url": search_url("topic", t["id"], sort="year")}
        return out | ({"items": [one(s) for s in t["items"]]} if "items" in t else {})

    return [one(t) for t in topics]


def linked_report(report: dict) -> dict:
    return report | {"url": report_url(report["id"])}


def linked_regulations(index: dict) -> dict:
    return index | {"kinds": [k | {"regulations": [r | {"url": regulation_url(r["name"])} for r in k["regulations"]]}
                              for k in index["kinds"]]}


def linked_regulation(page: dict) -> dict:
    groups = [g | {"mentions": [m | {"url": report_url(m["report_id"], m["ordinal"])} for m in g["mentions"]]}
              for g in page["groups"]]
    return page | {"groups": groups, "search_url": search_url("regulation", page["name"])}


def linked_mentions(rows: list[dict]) -> list[dict]:
    """The mentions of a regulation (one row each) with the link of each paragraph."""
    return [r | {"url": paragraph_url(r["report_id"], r["ordinal"])} for r in rows]


def paragraph_url(report_id: str, ordinal: int) -> str:
    """A paragraph's permanent link (no query): what a citation gives."""
    return f"/reports/{quote(report_id)}#p{ordinal}"


def linked_figures(answer: dict) -> dict:
    """A figures answer with the link of each figure to its paragraph (a copy: answers are cached)."""
    return answer | {"figures": [f | {"url": paragraph_url(f["report_id"], f["ordinal"])} for f in answer["figures"]]}


def figure_url(indicator: str) -> str:
    """The page of one indicator's figures (its CSV: the same with .csv)."""
    return "/figures/" + quote(indicator, safe="")


def external(source: str) -> str | None:
    """A report's source as a link when it is a web address (http or https only: a file
    path or anything else is shown as text)."""
    source = (source or "").strip()
    return source if re.fullmatch(r"https?://[^\s<>\"']+", source) else None

"""Browse figures: the indicators with counts, the figures of one indicator, and the table of
agency x year that compares them, from a generation's figure table (:mod:`kb.figures.table`).

Every answer is a JSON-ready dict without URLs (the web app adds them). Filters are the
search's facets that a figure carries (agency, year, region, level, section_kind: one facet
may repeat, values of one facet combine with OR, facets with AND), and optionally the ids of
the paragraphs a search selected (a query, topics, regulations).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

from kb.core.errors import BadRequest, NotFound
from kb.enrich import parts
from kb.figures import extract
from kb.figures.table import Table
from kb.text.collation import name_key

FILTERS = ("agency", "year", "region", "level", "section_kind")
MAX_VALUES = 20
MAX_VALUE_LENGTH = 200

#: What a figure of the API carries (DESIGN.md), beside its url.
API_FIELDS = ("indicator", "sure", "value", "unit", "amount", "normalized_unit", "scope", "approx", "change", "period",
              "period_years", "part", "agency", "year", "region", "level", "unsure", "report_id", "title", "paragraph_id", "ordinal",
              "section_kind", "sentence", "written", "start", "end")
#: What the comparison tables take as a cell's value (``period``): years' values only (the
#: default), period totals too, or period totals only.
PERIODS = ("yearly", "include", "only")


def filters_of(args: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """The figure filters of request arguments (unknown names ignored; limits as search's)."""
    out = {}
    for name in FILTERS:
        values = [v for v in args.get(name, []) if v != ""]
        if not values:
            continue
        if len(values) > MAX_VALUES:
            raise BadRequest(f"筛选值过多 (more than {MAX_VALUES} values of {name})")
        if any(len(v) > MAX_VALUE_LENGTH for v in values):
            raise BadRequest(f"筛选值过长 (a value of {name} is longer than {MAX_VALUE_LENGTH} characters)")
        if name == "year" and not all(v.isascii() and v.isdigit() and len(v) <= 4 for v in values):
            raise BadRequest("year 须为年份数字 (year must be a number such as 2023)")
        out[name] = [parts.named_kind(v) for v in values] if name == "section_kind" else values
    return out


def _matches(row: dict, filters: dict[str, list[str]], paragraphs: set[str] | None) -> bool:
    if paragraphs is not None and row["paragraph_id"] not in paragraphs:
        return False
    return all(str(row[name]) in values for name, values in filters.items())


def check_indicator(name: str) -> str:
    if name not in extract.load().names():
        raise NotFound(f"没有这个指标：{name[:40]} (no such indicator; see /figures)")
    return name


def select(table: Table, indicator: str = "", filters: dict[str, list[str]] | None = None,
           paragraphs: set[str] | None = None) -> list[dict]:
    """The figures (of ``indicator``, if given) that pass the filters, in table order."""
    if indicator:
        check_indicator(indicator)
    filters = filters or {}
    rows = table.by_indicator.get(indicator, []) if indicator else table.figures
    if not filters and paragraphs is None:
        return list(rows)
    return [r for r in rows if _matches(r, filters, paragraphs)]


def api_row(row: dict) -> dict:
    return {k: row[k] for k in API_FIELDS}


def indicators(table: Table, filters: dict[str, list[str]] | None = None,
               paragraphs: set[str] | None = None) -> list[dict]:
    """Every indicator of the list, in its order, with counts of the figures that pass the
    filters (sure ones apart), their reports and agencies, and their units."""
    rows = select(table, "", filters, paragraphs)
    by: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by[r["indicator"]].append(r)
    out = []
    for name in extract.load().names():
        items = by.get(name, [])
        out.append({"indicator": name, "counts": extract.load().by_name(name).counts, "figures": len(items), "sure": sum(1 for r in items if r["sure"]),
                    "reports": len({r["report_id"] for r in items}), "agencies": len({r["agency"] for r in items}),
                    "units": [u for u, _ in Counter(r["normalized_unit"] for r in items).most_common()]})
    return out


def facets(rows: Iterable[dict]) -> dict[str, list[dict]]:
    """Counts of each filter's values over ``rows``: ``{name: [{"value", "count"}]}``."""
    rows = list(rows)
    out = {}
    for name in FILTERS:
        counts = Counter(str(r[name]) for r in rows)
        order = sorted(counts, reverse=True) if name == "year" else sorted(counts, key=lambda v: (-counts[v], name_key(v)))
        out[name] = [{"value": v, "count": counts[v]} for v in order]
    return out


def grid(rows: list[dict], periods: str = "yearly") -> list[dict]:
    """The comparison tables of one indicator's figures: one per normalized unit (a training
    counted in 场次 and in 人次 are two measures), each agency a row and each year a column.

    A cell holds the figures of that agency and year; its ``main`` is the figure that stands
    for the whole (no scope, no part, sure, the largest if several), else None (only parts or
    guesses: the page shows them with their scope, part or ``?``). A total over several years
    (五年来, 累计) is a cell's main only when ``periods`` asks for it ("include": beside the
    years' values, "only": alone); by default a column compares the values of one year.
    """
    if periods not in PERIODS:
        raise BadRequest(f"period 只能是 {' / '.join(PERIODS)} (unknown period)")
    units = [u for u, _ in Counter(r["normalized_unit"] for r in rows).most_common()]
    return [_unit_table(unit, [r for r in rows if r["normalized_unit"] == unit], periods) for unit in units]


def _unit_table(unit: str, of_unit: list[dict], periods: str = "yearly") -> dict:
    """The comparison table of the figures counted in one normalized unit: years newest
    first, agencies in order."""
    years = sorted({r["year"] for r in of_unit}, reverse=True)
    cells: dict[str, dict[int, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for r in of_unit:
        cells[r["agency"]][r["year"]].append(api_row(r))  # copies: a page may add links to them
    table_rows = [_agency_row(agency, years, cells[agency], periods) for agency in sorted(cells, key=name_key)]
    return {"normalized_unit": unit, "years": years, "rows": table_rows, "figures": len(of_unit)}


def _agency_row(agency: str, years: list[int], by_year: Mapping[int, list[dict]], periods: str = "yearly") -> dict:
    """One agency's row: a cell a year, the region of its first figure, and the metadata fields
    the import guessed in any of its reports (``unsure``: the row's agency or region marked ``?``)."""
    row = {"agency": agency, "region": "", "unsure": [], "cells": []}
    for year in years:
        items = by_year.get(year, [])
        row["cells"].append({"year": year, "figures": items, "main": _main(items, periods)})
        row["region"] = row["region"] or next((r["region"] for r in items), "")
        row["unsure"] += [f for r in items for f in r["unsure"] if f not in row["unsure"]]
    return row


def _main(items: list[dict], periods: str = "yearly") -> dict | None:
    """The figure of a cell that stands for the whole: no scope, no part, sure, not a change,
    of a year (or, as ``periods`` asks, a total over several years too, or only those), the
    largest if several; None when there are only parts, guesses or totals of another kind."""
    kinds = {"yearly": (False,), "include": (False, True), "only": (True,)}[periods]
    whole = [r for r in items if not r["scope"] and not r.get("part") and r["sure"] and not r["change"]
             and bool(r.get("period")) in kinds]
    return max(whole, key=lambda r: r["amount"]) if whole else None

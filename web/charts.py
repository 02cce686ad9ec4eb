"""Charts: small bar charts drawn on the server as SVG, from facet counts.

No chart library and no script: the page stays within its Content-Security-Policy and
makes no external request. Each chart is a plain dict the template turns into
``<svg>`` rectangles, labels and counts.
"""

from __future__ import annotations

WIDTH = 320
BAR = 16
GAP = 6
LABEL = 120


def bars(items: list[dict], limit: int = 10, order: str = "count") -> dict:
    """A horizontal bar chart of ``{"label", "count", "url"}`` items (the largest ``limit``)."""
    rows = [i for i in items if i["count"] > 0]
    if order == "count":
        rows = sorted(rows, key=lambda i: -i["count"])[:limit]
    else:
        rows = rows[:limit]
    top = max((r["count"] for r in rows), default=0) or 1
    span = WIDTH - LABEL - 40
    out = []
    for n, r in enumerate(rows):
        out.append({
            "label": r["label"] if len(r["label"]) <= 9 else r["label"][:8] + "…",
            "title": r["label"],
            "count": r["count"],
            "url": r.get("toggle_url", ""),
            "y": n * (BAR + GAP),
            "width": max(2, round(span * r["count"] / top)),
        })
    return {"rows": out, "width": WIDTH, "height": max(1, len(out)) * (BAR + GAP), "label": LABEL, "bar": BAR}


def for_search(facets: list[dict]) -> list[dict]:
    """The charts of a search page: paragraphs by year, by topic and by agency."""
    by_name = {f["name"]: f for f in facets}
    charts = []
    if by_name.get("year") and by_name["year"]["items"]:
        years = sorted(by_name["year"]["items"], key=lambda i: i["value"])
        charts.append({"title": "按年度", "chart": bars(years, limit=30, order="given")})
    for name, title in (("topic", "按主题"), ("agency", "按单位（前 10）")):
        if by_name.get(name) and by_name[name]["items"]:
            charts.append({"title": title, "chart": bars(by_name[name]["items"])})
    return charts

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


DIGIT = 7  # px a character of a count takes (.chart-count: 11px)


def _room(shown: list[str]) -> int:
    """The px left after the longest bar for its count: the longest count's text, 40 at least."""
    return max([40, *(DIGIT * len(t) + 8 for t in shown)])


def _shown(value) -> str:
    """A count or a figure's value as the chart writes it (135195.8, 46.58371, 12; not 12.0)."""
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def bars(items: list[dict], limit: int = 10, order: str = "count", unit: str = "段") -> dict:
    """A horizontal bar chart of ``{"label", "count", "url"}`` items (the largest ``limit``);
    each bar's tooltip says its count in ``unit`` (段, 个, or a figure's unit: 元)."""
    rows = [i for i in items if i["count"] > 0]
    if order == "count":
        rows = sorted(rows, key=lambda i: -i["count"])[:limit]
    else:
        rows = rows[:limit]
    top = max((r["count"] for r in rows), default=0) or 1
    shown = [_shown(r["count"]) for r in rows]
    span = WIDTH - LABEL - _room(shown)
    out = []
    for n, (r, text) in enumerate(zip(rows, shown, strict=True)):
        out.append({
            "label": r["label"] if len(r["label"]) <= 9 else r["label"][:8] + "…",
            "title": f"{r['label']}：{text} {unit}",
            "count": r["count"],
            "shown": text,
            "url": r.get("toggle_url", ""),
            "y": n * (BAR + GAP),
            "width": max(2, round(span * r["count"] / top)),
        })
    return {"rows": out, "width": WIDTH, "height": max(1, len(out)) * (BAR + GAP), "label": LABEL, "bar": BAR}


MEASURES = {"count": "段落数", "rate": "每份报告"}


def by_year(yearly: list[dict], measure: str = "count", url_of=None, unit: str = "段") -> dict:
    """A bar per year, years without a hit (or without a report) shown as 0, never
    dropped: ``yearly`` is :func:`kb.search.by_year.by_year`'s list. ``measure`` "rate": the
    share of that year's reports with a hit, else the paragraphs (or mentions) counted."""
    rows, texts = [], []
    for y in yearly:
        if measure == "rate":
            value = y["rate"] or 0.0
            shown = "—" if y["rate"] is None else f"{round(100 * y['rate'])}%"
            title = f"{y['year']}：{y['reports']} / {y['reports_total']} 份报告"
        else:
            value = y["paragraphs"]
            shown = str(value)
            title = f"{y['year']}：{value} {unit}"
        texts.append(shown)
        rows.append({"label": str(y["year"]), "count": value, "shown": shown, "title": title,
                     "toggle_url": url_of(y["year"]) if url_of and y["paragraphs"] else ""})
    top = max((r["count"] for r in rows), default=0) or 1
    span = WIDTH - LABEL - _room(texts)
    out = [r | {"y": n * (BAR + GAP), "width": round(span * r["count"] / top), "url": r["toggle_url"]}
           for n, r in enumerate(rows)]
    return {"rows": out, "width": WIDTH, "height": max(1, len(out)) * (BAR + GAP), "label": LABEL, "bar": BAR}


def for_search(facets: list[dict], yearly: list[dict] | None = None, measure: str = "count", url_of=None) -> list[dict]:
    """The charts of a search page: paragraphs (or the share of reports) by year, every
    year shown; by topic and by agency."""
    by_name = {f["name"]: f for f in facets}
    charts = []
    if yearly:
        title = "按报告年度：有结果的报告占当年报告的比例" if measure == "rate" else "按报告年度（段落数）"
        charts.append({"title": title, "chart": by_year(yearly, measure, url_of)})
    for name, title in (("topic", "按主题"), ("agency", "按单位（前 10）")):
        if by_name.get(name) and by_name[name]["items"]:
            charts.append({"title": title, "chart": bars(by_name[name]["items"])})
    return charts

"""Figure answers: what the figure pages, ``/api/figures`` and the report cards answer, from the
served index (the figure table that the build wrote, :mod:`kb.figures.table`).

The knowledge base calls these (:meth:`kb.knowledgebase.KnowledgeBase.figures` and its
neighbours) and passes what they need: the served generation's table (a function that reads
it once the arguments are checked), a function giving the ids of the paragraphs a search
selects, a report's page, the cards of the table; nothing here calls back into it.

Each function returns the JSON-ready dict that both a page and its JSON twin show (no
URLs: :mod:`web.urls` adds them). Answers are kept per generation (the table's LRU): they
are shared, so callers read them and do not change them. Filters are the search's facets a figure carries (agency,
year, region, level, section_kind) and, when given, a query, topics or regulations: then
only the figures of the paragraphs that search finds are counted.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from kb.core.errors import BadRequest
from kb.enrich import reportcard
from kb.figures import indicators as figure_indicators
from kb.figures import table as figure_table
from kb.text.collation import name_key

#: The served generation's figure table, read when called.
TableOf = Callable[[], figure_table.Table]
#: The ids of the paragraphs a search selects, given its arguments (q, topic, regulation).
ParagraphIds = Callable[[dict[str, list[str]]], set[str]]

DEFAULT_SIZE = 100
MAX_SIZE = 1000
MAX_PAGE = 10000
SEARCH_ARGS = ("q", "topic", "regulation")  # filters that need the search engine
SORTS = ("agency", "value", "value_asc")


def _int(args: Mapping[str, list[str]], name: str, default: int, hi: int) -> int:
    raw = (args.get(name) or [str(default)])[-1]
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= hi:
        raise BadRequest(f"{name} 须为 1 到 {hi} 的整数 ({name} must be a whole number from 1 to {hi})")
    return int(raw)


def _selection(paragraph_ids: ParagraphIds,
               args: Mapping[str, list[str]]) -> tuple[set[str] | None, dict[str, list[str]]]:
    """The ids of the paragraphs the search part of ``args`` finds (None: no search asked),
    and that part of the arguments."""
    search_args = {k: [v for v in args.get(k, []) if v] for k in SEARCH_ARGS}
    search_args = {k: v for k, v in search_args.items() if v}
    if not search_args:
        return None, {}
    return paragraph_ids(search_args), search_args


def _facets(table: figure_table.Table, indicator: str, filters: dict[str, list[str]],
            paragraphs: set[str] | None) -> dict[str, list[dict]]:
    """Each facet counted over the figures the *other* facets select (as search's facets)."""
    out = {}
    for name in figure_indicators.FILTERS:
        others = {k: v for k, v in filters.items() if k != name}
        rows = figure_indicators.select(table, indicator, others, paragraphs)
        out[name] = [item | {"selected": item["value"] in filters.get(name, [])}
                     for item in figure_indicators.facets(rows)[name]]
    return out


def figures(table_of: TableOf, paragraph_ids: ParagraphIds, args: Mapping[str, list[str]],
            indicator: str = "", _all: bool = False) -> dict:
    """``/api/figures`` and ``/figures``: the figures (of ``indicator``) that pass the
    filters, a page of them, the indicators with their counts, and the facets."""
    page = _int(args, "page", 1, MAX_PAGE)
    size = _int(args, "size", DEFAULT_SIZE, MAX_SIZE)
    filters = figure_indicators.filters_of(args)
    table = table_of()
    key = ("figures", indicator, _all) + _key(args, (*figure_indicators.FILTERS, *SEARCH_ARGS, "page", "size"))
    data = table.answers.get(key)
    if data is not None:
        return data
    paragraphs, search_args = _selection(paragraph_ids, args)
    rows = figure_indicators.select(table, indicator, filters, paragraphs)
    data = {
        "indicator": indicator,
        "filters": filters | search_args,
        "total": len(rows),
        "sure": sum(1 for r in rows if r["sure"]),
        "page": page,
        "size": size,
        "pages": max(1, -(-len(rows) // size)),
        "figures": [figure_indicators.api_row(r) for r in rows[(page - 1) * size:page * size]],
        "indicators": figure_indicators.indicators(table, filters, paragraphs),
        "facets": _facets(table, indicator, filters, paragraphs),
    }
    if _all:
        data["_rows"] = rows
    else:
        table.answers.put(key, data)
    return data


def _sorted_tables(rows: list[dict], sort: str, year: str, periods: str = "yearly") -> list[dict]:
    tables = figure_indicators.grid(rows, periods)
    for t in tables:
        wanted = int(year) if year.isascii() and year.isdigit() else None
        t["sort_year"] = wanted if wanted in t["years"] else (t["years"][0] if t["years"] else None)
        if sort == "agency" or t["sort_year"] is None:
            continue
        col = t["years"].index(t["sort_year"])
        sign = 1 if sort == "value_asc" else -1

        def key(row, col=col, sign=sign):
            main = row["cells"][col]["main"]
            return main is None, (main["amount"] if main else 0) * sign, name_key(row["agency"])

        t["rows"].sort(key=key)
    return tables


def _key(args: Mapping[str, list[str]], names: tuple[str, ...]) -> tuple:
    return tuple((n, tuple(args.get(n, []))) for n in names)


def indicator_page(table_of: TableOf, paragraph_ids: ParagraphIds, indicator: str,
                   args: Mapping[str, list[str]]) -> dict:
    """``/figures/<indicator>``: :func:`figures` and the tables of agency x year of all the
    figures that pass the filters, rows ordered by ``sort``: ``agency``, or the value in the
    year ``sort_year`` (the latest by default), largest first (``value``) or smallest
    (``value_asc``); a total over several years is a cell's value only when ``period`` asks
    (``include``, ``only``; by default ``yearly``)."""
    figure_indicators.check_indicator(indicator)
    sort = (args.get("sort") or ["agency"])[-1] or "agency"
    if sort not in SORTS:
        raise BadRequest(f"sort 只能是 {' / '.join(SORTS)} (unknown sort)")
    periods = (args.get("period") or ["yearly"])[-1] or "yearly"
    if periods not in figure_indicators.PERIODS:
        raise BadRequest(f"period 只能是 {' / '.join(figure_indicators.PERIODS)} (unknown period)")
    table = table_of()
    key = ("page", indicator) + _key(args, (*figure_indicators.FILTERS, *SEARCH_ARGS, "sort", "sort_year", "period",
                                             "page", "size"))
    answer = table.answers.get(key)
    if answer is None:
        data = figures(lambda: table, paragraph_ids, args, indicator, _all=True)
        rows = data.pop("_rows")
        year = (args.get("sort_year") or [""])[-1]
        answer = data | {"tables": _sorted_tables(rows, sort, year, periods), "sort": sort, "period": periods,
                         "all_rows": [figure_indicators.api_row(r) for r in rows]}
        table.answers.put(key, answer)
    return answer


def report(data: dict) -> dict:
    """``/api/reports/<id>``: a report's page (:meth:`kb.knowledgebase.KnowledgeBase.report`)
    with its card (required parts, date signed)."""
    card = reportcard.card_of(data)
    return data | {"required_parts": card["required_parts"],
                   "report_card": {k: card[k] for k in ("applies", "note", "complete", "lacking", "date_signed")}}


def reports(cards: dict[str, dict], every: list[dict]) -> list[dict]:
    """``/api/reports``: every report (``every``) with its card's summary (``cards``, from the
    figure table: :func:`kb.figures.table.cards`)."""
    return [r | {"report_card": cards.get(r["id"])} for r in every]

"""Long lists (reports, agencies, regulations): a find box and sorting by any column,
both in the URL (``?find=…&sort=…``, ``sort=-col`` for descending), so that a list at
hundreds of rows can be narrowed, ordered, bookmarked and sent. site.js narrows the
rows as one types; without it the find box is a plain form. The views of those lists
(:mod:`web.views.reports`, :mod:`~web.views.agencies`, :mod:`~web.views.regulations`) call
:func:`listing`.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import request

from kb import BadRequest, folded, name_key
from web import urls
from web.views import base


@dataclass(frozen=True)
class Col:
    key: str
    label: str
    numeric: bool = False


def listing(rows: list[dict], cols: list[Col], text_of, default: str = "") -> dict:
    """The rows the URL's ``find`` keeps, in its ``sort`` order, and the column headers
    as links that sort by them (again: the other way)."""
    find = request.args.get("find", "").strip()[:100]
    sort = request.args.get("sort", default)
    if find:
        want = folded(find)
        rows = [r for r in rows if want in folded(text_of(r))]
    key = sort.lstrip("-")
    col = _column(cols, sort)
    if col is not None:
        rows = sorted(rows, key=lambda r: r[key] if col.numeric else name_key(str(r[key])), reverse=sort.startswith("-"))
    headers = [_header(c, sort) for c in cols]
    return {"rows": rows, "headers": headers, "find": find, "sort": sort, "shown": len(rows)}


def _column(cols: list[Col], sort: str) -> Col | None:
    """The column ``sort`` names (None: no sort); BadRequest for one the list has not, as the API
    answers an order it does not have."""
    col = {c.key: c for c in cols}.get(sort.lstrip("-"))
    if sort and col is None:
        said = "、".join(f"{c.key}（{c.label}）" for c in cols)
        raise BadRequest(f"不能按“{sort[:40]}”排序；可按 {said}，前加 - 为倒序 (sort must be a column, or -column "
                         f"for descending: {', '.join(c.key for c in cols)}; got sort={sort[:40]})")
    return col


def _header(c: Col, sort: str) -> dict:
    """A column's header: its label, how the list is sorted by it, the link that sorts by it."""
    state = "ascending" if sort == c.key else "descending" if sort == "-" + c.key else ""
    first = "-" + c.key if c.numeric else c.key  # numbers: largest first
    again = c.key if sort == "-" + c.key else "-" + c.key if sort == c.key else first
    return {"key": c.key, "label": c.label, "state": state,
            "url": urls.with_arg(request.path, base.args(), "sort", again)}

"""Long lists (reports, agencies, regulations): a find box and sorting by any column,
both in the URL (``?find=…&sort=…``, ``sort=-col`` for descending), so that a list at
hundreds of rows can be narrowed, ordered, bookmarked and sent. site.js narrows the
rows as one types; without it the find box is a plain form.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import request
from werkzeug.datastructures import MultiDict

from kb.text import textnorm
from web import urls


@dataclass(frozen=True)
class Col:
    key: str
    label: str
    numeric: bool = False


def _norm(s: str) -> str:
    return textnorm.normalize_str(textnorm.to_simplified(s))


def listing(rows: list[dict], cols: list[Col], text_of, default: str = "") -> dict:
    """The rows the URL's ``find`` keeps, in its ``sort`` order, and the column headers
    as links that sort by them (again: the other way)."""
    find = request.args.get("find", "").strip()[:100]
    sort = request.args.get("sort", default)
    keys = {c.key: c for c in cols}
    if find:
        want = _norm(find)
        rows = [r for r in rows if want in _norm(text_of(r))]
    key = sort.lstrip("-")
    if key in keys:
        col = keys[key]
        rows = sorted(rows, key=lambda r: (r[key] if col.numeric else _norm(str(r[key]))), reverse=sort.startswith("-"))
    args = MultiDict(request.args.items(multi=True))
    headers = []
    for c in cols:
        state = "ascending" if sort == c.key else "descending" if sort == "-" + c.key else ""
        first = "-" + c.key if c.numeric else c.key  # numbers: largest first
        again = c.key if sort == "-" + c.key else "-" + c.key if sort == c.key else first
        headers.append({"key": c.key, "label": c.label, "state": state,
                        "url": urls.with_arg(request.path, args, "sort", again)})
    return {"rows": rows, "headers": headers, "find": find, "sort": sort, "shown": len(rows)}

"""What every view of :mod:`web.views` shares: the app's knowledge base (:func:`kb`, the one
facade the site reaches kb through), the request's arguments, the search they ask for,
and CSV downloads.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from urllib.parse import quote

from flask import Response, current_app, request
from werkzeug.datastructures import MultiDict

from kb import KnowledgeBase, SearchRequest, read_short, short_parts, short_reason, short_what, unsure_said


def kb() -> KnowledgeBase:
    """The knowledge base the app serves (made by :func:`web.create_app`)."""
    return current_app.extensions["kb"]


def args() -> MultiDict:
    """The request's arguments, a copy to change."""
    return MultiDict(request.args.items(multi=True))


def search_request(given: MultiDict | None = None) -> SearchRequest:
    """The search the arguments ask for (the request's by default), within the site's limits."""
    given = request.args if given is None else given
    return SearchRequest.from_args(given.to_dict(flat=False), kb().settings.limits)


def without_paging(given: MultiDict, *more: str) -> MultiDict:
    """The arguments without page and size (and ``more``): the same data from its start."""
    new = MultiDict(given)
    for name in ("page", "size", *more):
        new.poplist(name)
    return new


def measure(given: MultiDict) -> str:
    """What a chart of years counts: ``rate`` (the share of a year's reports) or ``count``."""
    return "rate" if given.get("chart") == "rate" else "count"


def pager(path: str, given: MultiDict, page: int, pages: int, around: int = 2) -> dict:
    """The links of a pager: the page before and after, the first and the last, and the
    numbers ``around`` the current page (None where numbers are left out: 1 … 4 5 [6] 7 8 … 20)."""
    def link(n: int) -> str:
        from web import urls

        return urls.with_arg(path, given, "page", n)

    shown = sorted({1, pages, *range(max(1, page - around), min(pages, page + around) + 1)})
    numbers: list[dict | None] = []
    for n in shown:
        if numbers and numbers[-1] and n - numbers[-1]["n"] > 1:
            numbers.append(None)
        numbers.append({"n": n, "url": link(n), "current": n == page})
    return {"prev": link(page - 1) if page > 1 else None, "next": link(page + 1) if page < pages else None,
            "last": link(pages) if page < pages else None, "page": page, "pages": pages,
            "numbers": numbers if pages > 1 else []}


def site_root() -> str:
    """The site's address, which the links of a download start with."""
    return request.host_url.rstrip("/")


def short_line() -> list[str]:
    """The first row of a download read short (a cluster shard did not answer), else none."""
    if not read_short():
        return []
    return [f"结果不完整：部分检索分片没有应答，{short_what()}不完整，行数可能偏少 (partial: {', '.join(short_parts())}: "
            f"{short_reason()})"]


def attachment(name: str, plain: str) -> str:
    """A Content-Disposition that names the download ``name`` (Chinese, RFC 5987), ``plain``
    for a client that reads only an ASCII name."""
    return f"attachment; filename={plain}; filename*=UTF-8''{quote(name)}"


def download_name(*parts: str, suffix: str) -> str:
    """A download's name from what it holds and today's date: 法律顾问-2024-2026-12-06.csv
    (characters a file system refuses left out)."""
    from datetime import date

    words = [re.sub(r'[\\/:*?"<>|\x00-\x1f\s]+', "_", p).strip("_.")[:40] for p in parts if p]
    return "-".join([w for w in words if w] + [date.today().isoformat()]) + suffix


def csv_cell(row: dict, key: str) -> str:
    """A row's value as a CSV cell: a list joined by ；, the fields the import guessed (``unsure``)
    said in words (单位、报告年度: the 推测字段 column of every export)."""
    if key == "unsure":
        return unsure_said(row)
    value = row[key]
    return "；".join(map(str, value)) if isinstance(value, list) else str(value)


def csv_download(titles: list[str], rows: Iterable[list], filename: str, name: str = "") -> Response:
    """A CSV file to download, UTF-8 with a byte-order mark (Excel opens it with the Chinese
    intact); ``name``: the file's name in Chinese besides the plain ``filename``. Read short, its
    first line says so."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    rows = list(rows)  # read before the first line is written
    if short_line():
        writer.writerow(short_line())
    writer.writerow(titles)
    for row in rows:
        writer.writerow(row)
    disposition = f"attachment; filename={filename}" + (f"; filename*=UTF-8''{quote(name)}" if name else "")
    return Response("\ufeff" + buf.getvalue(), content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": disposition})

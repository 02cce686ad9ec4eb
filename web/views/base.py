"""What every view of :mod:`web.views` shares: the app's knowledge base (:func:`kb`, the one
facade the site reaches kb through), the request's arguments, the search they ask for,
and CSV downloads.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from urllib.parse import quote

from flask import Response, current_app, request
from werkzeug.datastructures import MultiDict

from kb import KnowledgeBase, SearchRequest, read_short, short_reason


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


def site_root() -> str:
    """The site's address, which the links of a download start with."""
    return request.host_url.rstrip("/")


def short_line() -> list[str]:
    """The first row of a download read short (a cluster shard did not answer), else none."""
    if not read_short():
        return []
    return [f"结果不完整：部分检索分片没有应答，行数偏少 (partial: {short_reason()})"]


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

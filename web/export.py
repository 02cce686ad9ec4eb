"""Export the whole result set of a search (not only the page shown) as CSV or JSON.

CSV is UTF-8 with a byte-order mark, so Excel opens it with the Chinese intact.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

from flask import Blueprint, Response, current_app, request, stream_with_context

from kb.search import SearchRequest
from web import urls

bp = Blueprint("export", __name__)

COLUMNS = [
    ("单位", "agency"), ("年度", "year"), ("地区", "region"), ("层级", "level"), ("报告", "title"),
    ("报告部分", "section_kind"), ("章节", "section"), ("主题", "topic_names"), ("法规文件", "regulations"),
    ("段落", "text"), ("段落编号", "id"), ("链接", "url"),
]


def _rows(hits: Iterator[dict], base: str) -> Iterator[list[str]]:
    for h in hits:
        row = []
        for _, key in COLUMNS:
            value = h[key]
            if isinstance(value, list):
                value = "；".join(value)
            if key == "url":
                value = base + value
            row.append(str(value))
        yield row


def _export() -> tuple[SearchRequest, Iterator[dict]]:
    """The request and its rows, each with its link."""
    kb = current_app.extensions["kb"]
    req = SearchRequest.from_args(request.args.to_dict(flat=False), kb.settings.limits)
    return req, (urls.linked_hit(row, req.q) for row in kb.export(req))


def _filename(req: SearchRequest, ext: str) -> str:
    return f"kb-export.{ext}"


@bp.get("/export.csv")
def export_csv():
    req, hits = _export()
    first = next(hits, None)  # raise errors (bad query) before the response starts
    base = request.host_url.rstrip("/")

    def generate() -> Iterator[str]:
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow([title for title, _ in COLUMNS])
        yield "\ufeff" + buf.getvalue()
        if first is None:
            return
        for row in _rows(_chain(first, hits), base):
            buf.seek(0)
            buf.truncate()
            writer.writerow(row)
            yield buf.getvalue()

    return Response(stream_with_context(generate()), content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f"attachment; filename={_filename(req, 'csv')}"})


@bp.get("/export.json")
def export_json():
    req, rows = _export()
    hits = list(rows)
    body = json.dumps({"query": req.q, "filters": req.filters, "total": len(hits), "hits": hits},
                      ensure_ascii=False, indent=1)
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": f"attachment; filename={_filename(req, 'json')}"})


def _chain(first: dict, rest: Iterator[dict]) -> Iterator[dict]:
    yield first
    yield from rest

"""Export the whole result set of a search (not only the page shown) as CSV or JSON.

CSV is UTF-8 with a byte-order mark, so Excel opens it with the Chinese intact.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

from flask import Blueprint, Response, current_app, request, stream_with_context

from kb.search.request import SearchRequest
from web import urls

bp = Blueprint("export", __name__)

COLUMNS = [
    ("单位", "agency"), ("年度", "year"), ("地区", "region"), ("层级", "level"), ("报告", "title"),
    ("报告部分", "section_kind"), ("章节", "section"), ("主题", "topic_names"), ("法规文件", "regulations"),
    ("段落", "text"), ("段落编号", "id"), ("链接", "url"), ("匹配", "match"), ("相关匹配方式", "matched_by"),
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


COMPARE_COLUMNS = [("单位", "agency"), ("年度", "year"), ("本单位匹配段数", "matches"), ("报告", "title"),
                   ("章节", "section"), ("最相关的一段", "text"), ("段落编号", "id"), ("链接", "url")]
MENTION_COLUMNS = [("法规文件", "name"), ("原文写法", "written"), ("单位", "agency"), ("年度", "year"),
                   ("报告", "title"), ("段落序号", "ordinal"), ("段落编号", "paragraph"), ("前缀", "prefix"),
                   ("版本", "edition"), ("文号", "doc_number"), ("链接", "url")]


def _csv(columns: list[tuple[str, str]], rows: list[dict], filename: str) -> Response:
    base = request.host_url.rstrip("/")
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([title for title, _ in columns])
    for r in rows:
        writer.writerow([base + r[key] if key == "url" else str(r[key]) for _, key in columns])
    return Response("\ufeff" + buf.getvalue(), content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f"attachment; filename={filename}"})


@bp.get("/compare.csv")
def compare_csv():
    """The comparison as a table: one row per agency (or agency and year, by=year), its
    best paragraph in full, with the same query and filters as the page; every group."""
    req = SearchRequest.from_args(request.args.to_dict(flat=False), current_app.extensions["kb"].settings.limits)
    data = current_app.extensions["kb"].compare(req, by_year=request.args.get("by") == "year", paged=False)
    rows = [g["best"] | {"agency": g["agency"], "matches": g["matches"],
                         "url": urls.paragraph_url(g["best"]["report_id"], g["best"]["ordinal"])} for g in data["groups"]]
    return _csv(COMPARE_COLUMNS, rows, "kb-compare.csv")


@bp.get("/regulations/<path:name>.csv")
def regulation_csv(name: str):
    """Every mention of one regulation, one row each, with the name as written."""
    rows = urls.linked_mentions(current_app.extensions["kb"].regulation_mentions(name))
    return _csv(MENTION_COLUMNS, rows, "kb-regulation.csv")

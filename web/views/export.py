"""Export: the whole result set of a search (not only the page shown) as CSV (``/export.csv``,
streamed) or JSON (``/export.json``), each hit with its link.

CSV is UTF-8 with a byte-order mark, so Excel opens it with the Chinese intact. Read short (a
cluster shard did not answer), the CSV's first line and the JSON's first key say so.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

from flask import Blueprint, Response, stream_with_context

from kb import UNSURE_COLUMN, SearchRequest, short_parts
from web import urls
from web.views.base import attachment, csv_cell, download_name, kb, search_request, short_line, site_root

bp = Blueprint("export", __name__)

COLUMNS = [
    ("单位", "agency"), ("报告年度", "year"), ("省份", "region"), ("层级", "level"), ("报告", "title"),
    ("报告部分", "section_kind"), ("章节", "section"), ("主题", "topic_names"), ("法规文件", "regulations"),
    ("段落", "text"), ("段落编号", "id"), ("出处", "citation"), ("链接", "url"), ("匹配", "match"),
    ("相关匹配方式", "matched_by"), (UNSURE_COLUMN, "unsure"),
]


def export_data() -> tuple[SearchRequest, Iterator[dict]]:
    """The request and every hit of its search, in the search's order, each with its link."""
    req = search_request()
    return req, (urls.linked_hit(row, req.q) for row in kb().export(req))


def _cells(hit: dict, root: str) -> list[str]:
    """A hit as a row of the CSV: lists joined, the link made absolute."""
    return [root + hit[key] if key == "url" else csv_cell(hit, key) for _, key in COLUMNS]


@bp.get("/export.csv")
def export_csv():
    req, hits = export_data()
    first = next(hits, None)  # raise errors (bad query) before the response starts
    root = site_root()
    short = short_line()  # the search has run: a shard that did not answer is known

    def generate() -> Iterator[str]:
        buf = io.StringIO()
        writer = csv.writer(buf)
        if short:
            writer.writerow(short)
        writer.writerow([title for title, _ in COLUMNS])
        yield "\ufeff" + buf.getvalue()
        if first is None:
            return
        for hit in _chain(first, hits):
            buf.seek(0)
            buf.truncate()
            writer.writerow(_cells(hit, root))
            yield buf.getvalue()

    return Response(stream_with_context(generate()), content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": attachment(_name(req, ".csv"), "kb-export.csv")})


@bp.get("/export.json")
def export_json():
    req, rows = export_data()
    hits = list(rows)
    short = {"partial": True, "partial_reason": short_line()[0], "partial_reads": short_parts()} if short_line() else {}
    body = json.dumps({**short, "query": req.q, "filters": req.filters, "total": len(hits), "hits": hits},
                      ensure_ascii=False, indent=1)
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": attachment(_name(req, ".json"), "kb-export.json")})


def _name(req: SearchRequest, suffix: str) -> str:
    """The download's name: 检索 and the query and the filters' values, then today's date."""
    values = [v for vs in req.filters.values() for v in vs][:3]
    return download_name("检索", req.q, *map(str, values), suffix=suffix)


def _chain(first: dict, rest: Iterator[dict]) -> Iterator[dict]:
    yield first
    yield from rest

"""The collection (摘录): paragraphs a user gathered while browsing, named by their ids
in the URL (``/collection?id=…&id=…``), so that it can be bookmarked and sent.

The browser keeps the ids in localStorage while the user browses (web/static/site.js);
the server keeps nothing. The page lists the paragraphs in the URL's order, each with
links that remove it or move it up or down (new URLs, no script needed), and exports
them as a Word document (``/collection.docx``: each paragraph with its citation
单位 · 报告年度 2025 · 报告标题 · 第N段 · link) or CSV; ``/api/collection`` is the JSON twin.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, jsonify, render_template, request
from werkzeug.datastructures import MultiDict

from kb import UNSURE_COLUMN, citation, read_short
from web import urls, word
from web.views.base import attachment, csv_cell, csv_download, download_name, kb, short_line, site_root

bp = Blueprint("collection", __name__)

CSV_COLUMNS = [("单位", "agency"), ("报告年度", "year"), ("报告", "title"), ("段落序号", "ordinal"),
               ("章节", "section"), ("段落", "text"), ("段落编号", "id"), ("出处", "citation"), ("链接", "link"),
               (UNSURE_COLUMN, "unsure")]


def collection_data() -> dict:
    """The /api/collection answer: the ids in the URL's order (once each), their paragraphs
    with citations and links, and the ids not found (``unavailable`` instead of ``missing``
    when a cluster shard did not answer: they may be on it)."""
    ids = list(dict.fromkeys(i.strip() for i in request.args.getlist("id") if i.strip()))
    found = kb().paragraphs(ids)
    root = site_root()
    items, missing = [], []
    for pid, hit in zip(ids, found, strict=True):
        hit = hit or _moved(pid)
        if hit is None:
            missing.append(pid)
            continue
        hit = urls.linked_hit(hit)
        link = root + urls.paragraph_url(hit["report_id"], hit["ordinal"])
        items.append(hit | {"citation": citation(hit), "link": link})
    if read_short():  # a shard did not answer: what was not found may be on it
        return {"ids": ids, "total": len(items), "paragraphs": items, "missing": [], "unavailable": missing}
    return {"ids": ids, "total": len(items), "paragraphs": items, "missing": missing}


def _moved(pid: str) -> dict | None:
    """The paragraph ``pid`` names under the id its report moved to (a re-import changed its year,
    agency or title: the paragraphs are the same), None if it did not move."""
    rid, _, ordinal = pid.rpartition(".p")
    new = kb().moved_to(rid) if rid else None
    return kb().paragraphs([f"{new}.p{ordinal}"])[0] if new else None


def _with_ids(path: str, ids: list[str]) -> str:
    return urls.path_with(path, MultiDict([("id", i) for i in ids]))


@bp.get("/api/collection")
def api_collection():
    return jsonify(collection_data())


@bp.get("/collection")
def collection():
    data = collection_data()
    items = data["paragraphs"]
    present = [h["id"] for h in items]
    for n, h in enumerate(items):
        h.update(_moves(present, n))
    return render_template(
        "collection.html", items=items, missing=data["missing"], unavailable=data.get("unavailable", []),
        ids=present,
        docx_url=_with_ids("/collection.docx", present), csv_url=_with_ids("/collection.csv", present),
        json_url=_with_ids("/api/collection", data["ids"]), clear_url="/collection?id=")


def _moves(present: list[str], n: int) -> dict:
    """The links that remove the ``n``-th paragraph, or move it up or down (None: it cannot)."""
    pid = present[n]
    return {
        "remove_url": _with_ids("/collection", present[:n] + present[n + 1:]),
        "up_url": _with_ids("/collection", present[:n - 1] + [pid, present[n - 1]] + present[n + 1:]) if n else None,
        "down_url": _with_ids("/collection", present[:n] + [present[n + 1], pid] + present[n + 2:])
        if n + 1 < len(present) else None,
    }


@bp.get("/collection.csv")
def collection_csv():
    items = collection_data()["paragraphs"]
    return csv_download([title for title, _ in CSV_COLUMNS], ([csv_cell(h, key) for _, key in CSV_COLUMNS] for h in items),
                        "kb-collection.csv", download_name("摘录", suffix=".csv"))


@bp.get("/collection.docx")
def collection_docx():
    """The collection as a Word draft (:func:`web.word.draft`): its name (``name``, else 摘录)
    and the date on top (under them, when a cluster shard did not answer, the line that says the
    collection is short), each paragraph followed by its citation and link."""
    items = collection_data()["paragraphs"]
    name = " ".join(request.args.get("name", "").split())[:80] or "摘录"
    today = date.today()
    subtitle = f"{today.year}年{today.month}月{today.day}日 · {len(items)} 段 · 每段附出处"
    body = word.draft(name, subtitle, items, notes=short_line())
    filename = download_name(name, suffix=".docx")
    return Response(body, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    headers={"Content-Disposition": attachment(filename, "kb-collection.docx")})

"""The collection (摘录): paragraphs a user gathered while browsing, named by their ids
in the URL (``/collection?id=…&id=…``), so that it can be bookmarked and sent.

The browser keeps the ids in localStorage while the user browses (web/static/site.js);
the server keeps nothing. The page lists the paragraphs in the URL's order, each with
links that remove it or move it up or down (new URLs, no script needed), and exports
them as a Word document (``/collection.docx``: each paragraph with its citation
单位 · 报告年度 2025 · 报告标题 · 第N段 · link) or CSV; ``/api/collection`` is the JSON twin.
"""

from __future__ import annotations

import io
import re

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from flask import Blueprint, Response, jsonify, render_template, request
from werkzeug.datastructures import MultiDict

from kb import citation, read_short
from web import urls
from web.views.base import csv_download, kb, site_root

bp = Blueprint("collection", __name__)

#: What XML (and so a Word document) cannot hold: shown as �, as on the pages
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")

CSV_COLUMNS = [("单位", "agency"), ("报告年度", "year"), ("报告", "title"), ("段落序号", "ordinal"),
               ("章节", "section"), ("段落", "text"), ("段落编号", "id"), ("出处", "citation"), ("链接", "link")]


def _xml(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def collection_data() -> dict:
    """The /api/collection answer: the ids in the URL's order (once each), their paragraphs
    with citations and links, and the ids not found (``unavailable`` instead of ``missing``
    when a cluster shard did not answer: they may be on it)."""
    ids = list(dict.fromkeys(i.strip() for i in request.args.getlist("id") if i.strip()))
    found = kb().paragraphs(ids)
    root = site_root()
    items, missing = [], []
    for pid, hit in zip(ids, found, strict=True):
        if hit is None:
            missing.append(pid)
            continue
        hit = urls.linked_hit(hit)
        link = root + urls.paragraph_url(hit["report_id"], hit["ordinal"])
        items.append(hit | {"citation": citation(hit), "link": link})
    if read_short():  # a shard did not answer: what was not found may be on it
        return {"ids": ids, "total": len(items), "paragraphs": items, "missing": [], "unavailable": missing}
    return {"ids": ids, "total": len(items), "paragraphs": items, "missing": missing}


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
    return csv_download([title for title, _ in CSV_COLUMNS], ([str(h[key]) for _, key in CSV_COLUMNS] for h in items),
                        "kb-collection.csv")


@bp.get("/collection.docx")
def collection_docx():
    items = collection_data()["paragraphs"]
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "SimSun"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "SimSun")
    doc.add_heading("摘录", level=1)
    for h in items:
        doc.add_paragraph(_xml(h["text"]))
        cite = doc.add_paragraph()
        run = cite.add_run(_xml(f"（{h['citation']} · "))
        run.font.size = Pt(9)
        _hyperlink(cite, h["link"], _xml(h["link"]))
        cite.add_run("）").font.size = Pt(9)
    buf = io.BytesIO()
    doc.save(buf)
    return Response(buf.getvalue(),
                    content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    headers={"Content-Disposition": "attachment; filename=kb-collection.docx"})


def _hyperlink(paragraph, url: str, text: str) -> None:
    """A clickable link in a Word paragraph (python-docx has no call for it)."""
    rid = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    for tag, attr, value in (("w:color", "w:val", str(RGBColor(0x0B, 0x5C, 0xAD))), ("w:u", "w:val", "single"),
                             ("w:sz", "w:val", "18")):
        el = OxmlElement(tag)
        el.set(qn(attr), value)
        props.append(el)
    run.append(props)
    t = OxmlElement("w:t")
    t.text = text
    run.append(t)
    link.append(run)
    paragraph._p.append(link)

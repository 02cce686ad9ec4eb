"""Word: a ``.docx`` document read into Markdown for the repair.

A reader of :mod:`kb.ingest.formats` (``python-docx``): paragraphs in heading styles become
``#`` headings, the bold runs a paragraph opens with its bold lead (``**扩大有效投资。**正文``),
table rows paragraphs; a document title that names a 报告 is what the file says of the title.
"""

from __future__ import annotations

import io
import re
import zipfile

from kb.core.errors import ImportFailed
from kb.ingest.formats.encoding import sniff
from kb.ingest.formats.extracted import Extracted


def read_docx(data: bytes, name: str) -> Extracted:
    """A Word document as Markdown: heading styles as #, bold runs at the start as leads,
    table rows as paragraphs."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    if not data.startswith(b"PK"):
        raise ImportFailed(f"{name}: 不是有效的 .docx 文件 (not a Word .docx document"
                           f"{': it looks like ' + sniff(data) if sniff(data) else ''}); save it as .docx")
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as e:
        raise ImportFailed(f"{name}: 无法读取 .docx ({type(e).__name__}: {e}); open and save it again in Word") from None
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    blocks: list[str] = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            blocks.extend(_docx_paragraph(item))
        elif isinstance(item, Table):
            blocks.extend(_docx_rows(item))
    meta = {}
    title = (document.core_properties.title or "").strip()
    if "报告" in title:
        meta["title"] = title
    return Extracted("\n\n".join(blocks), markdown=True, meta=meta, encoding="")


def _docx_rows(table) -> list[str]:
    """Each row of a table with text in it as one block, its cells (once each) joined by ；."""
    blocks = []
    for row in table.rows:
        cells = list(dict.fromkeys(c.text.strip() for c in row.cells if c.text.strip()))
        if cells:
            blocks.append("；".join(cells))
    return blocks


def _docx_paragraph(p) -> list[str]:
    """The blocks of one paragraph: a # heading, a paragraph with its bold lead, or its lines."""
    text = p.text.replace("\t", " ")
    if not text.strip():
        return []
    heading = _docx_heading(p, text)
    if heading:
        return [heading]
    lines = [line for line in text.split("\n") if line.strip()]
    bold = _bold_start(p)
    if bold and len(lines) == 1 and "**" not in text:
        rest = text.strip()[len(bold):] if text.strip().startswith(bold) else None
        if rest is not None:
            return [f"**{bold}**{rest}"]
    return lines


def _docx_heading(p, text: str) -> str:
    """A paragraph in a heading style (Heading 2, 标题 2, Title) as a # heading ('' if not one)."""
    style = (p.style.name if p.style is not None else "") or ""
    m = re.match(r"(?:Heading|标题)\s*(\d)", style)
    if m or style == "Title":
        return "#" * (int(m.group(1)) if m else 1) + " " + " ".join(text.split())
    return ""


def _bold_start(p) -> str:
    """The text of the bold runs a paragraph opens with (bold itself, or by its style)."""
    bold = ""
    for run in p.runs:
        if not run.text:
            continue
        if run.bold or (run.bold is None and p.style is not None and p.style.font.bold):
            bold += run.text
        else:
            break
    return bold.strip()

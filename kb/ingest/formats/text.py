"""Text: plain text (``.txt``) and Markdown (``.md``) files read into text for the repair.

Readers of :mod:`kb.ingest.formats`. Plain text is one line per line, paragraphs marked by
indentation where the source had it. Markdown keeps what :mod:`kb.ingest.repair` reads (blocks,
``#`` headings and bold) and a YAML front matter's values (title, agency, year …) as what the
file says about the report; both are decoded by :mod:`kb.ingest.formats.encoding`.
"""

from __future__ import annotations

import re

import yaml

from kb.ingest.formats.encoding import decode
from kb.ingest.formats.extracted import Extracted

FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.S)
META_KEYS = {"title": "title", "标题": "title", "source": "source", "url": "source", "来源": "source",
             "agency": "agency", "单位": "agency", "year": "year", "年度": "year", "region": "region",
             "level": "level", "date": "date_signed", "date_signed": "date_signed", "signed_by": "signed_by",
             "id": "id"}


def read_text(data: bytes, name: str) -> Extracted:
    """A plain text file, one line per line."""
    text, encoding = decode(data, name)
    return Extracted(text.replace("\x00", ""), encoding=encoding)


def front_matter(text: str) -> tuple[dict, str]:
    """(metadata, body) of a Markdown text with or without YAML front matter."""
    m = FRONT_MATTER.match(text)
    if not m:
        return {}, text
    try:
        raw = yaml.safe_load(m.group(1) or "") or {}
    except yaml.YAMLError:
        return {}, text[m.end():]  # a broken block is not text of the report either
    meta = {}
    if isinstance(raw, dict):
        for key, value in raw.items():
            field_name = META_KEYS.get(str(key).lower())
            if field_name and value not in (None, ""):
                meta[field_name] = str(value).strip()
    return meta, text[m.end():]


def markdown_text(body: str) -> str:
    """Markdown reduced to what :func:`kb.ingest.repair.repair` reads: blocks, # headings and bold;
    comments, tags, links, images, footnote marks ([^3]), quote and list marks and table rules removed."""
    body = re.sub(r"<!--.*?-->", "", body, flags=re.S)
    body = re.sub(r"<br\s*/?>", "\n", body, flags=re.I)
    body = re.sub(r"</?(?:span|font|div|p|u|i|em|sup|sub|center|a)\b[^>]*>", "", body, flags=re.I)
    body = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", body)
    body = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", body)
    body = re.sub(r"(?m)^[ \t]*\[\^[^\]\s]{1,12}\]:[ \t]*", "", body)  # a footnote: its text stays, a paragraph
    body = re.sub(r"\[\^[^\]\s]{1,12}\]", "", body)  # “三区三线”[^3]划定: the mark goes
    lines = []
    for line in body.split("\n"):
        stripped = line.strip()
        if re.fullmatch(r"\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?", stripped):
            continue  # a table rule
        if stripped.startswith("|") and stripped.endswith("|"):
            cells = [c.strip() for c in stripped.strip("|").split("|")]
            line = "；".join(c for c in cells if c)
            lines.extend([line, ""])  # each row a paragraph
            continue
        line = re.sub(r"\*\*[ \t\u3000]*\*\*", "", line)  # **政**  **府** -> **政府**
        line = re.sub(r"^\s*>\s?", "", line)
        line = re.sub(r"^\s*[-*+]\s+(?=\S)", "", line)
        lines.append(line)
    return "\n".join(lines)


def read_markdown(data: bytes, name: str) -> Extracted:
    """A Markdown file: its front matter's values, and its text reduced by :func:`markdown_text`."""
    text, encoding = decode(data, name)
    meta, body = front_matter(text.replace("\r\n", "\n"))
    return Extracted(markdown_text(body), markdown=True, meta=meta, encoding=encoding)

"""Extracted: what every reader of :mod:`kb.ingest.formats` returns, the text of one file.

The hand-over from the first step of the pipeline to :mod:`kb.ingest.repair` (the text, and
whether it is Markdown or a PDF's layout) and :mod:`kb.ingest.metadata` (what the file says
about the report: a front matter, a document's or a page's title, a site's name).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Extracted:
    """The text of one file and what the file itself says about the report."""

    text: str
    markdown: bool = False  # blocks with Markdown hints, else plain lines
    meta: dict = field(default_factory=dict)  # front matter, <title>, …: title, source, date, agency …
    encoding: str = ""  # how the bytes were decoded (text formats)
    format: str = ""  # a value of FORMATS
    layout: bool = False  # plain text whose lines are paragraphs found from a page's layout (PDF)

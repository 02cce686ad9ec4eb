"""The plain data that passes between the steps of the pipeline.

import -> :class:`Report` (metadata + Markdown body, stored as ``corpus/<id>.md``)
segment -> :class:`Paragraph` (one per body paragraph, with section path and kind)
enrich -> topics on each paragraph
index / search -> JSON-ready dicts built from these.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field

#: Section kinds, in report order (the parts the 2019 督察工作规定 requires), then a report's
#: glossary or notes (名词解释, 注释: definitions, not the report's own statements) and the rest.
SECTION_KINDS = ("主要举措和成效", "存在的不足和原因", "第一责任人职责", "下一年度安排", "名词解释", "其他")


@dataclass
class Report:
    """One report: metadata and its body as normalized Markdown."""

    id: str
    title: str
    agency: str
    year: int  # the year reported on
    region: str = ""  # e.g. 河南省平顶山市
    level: str = ""  # 省 / 市 / 县 / 区 / 国家 …
    date_signed: str = ""  # ISO date, possibly only YYYY-MM
    signed_by: str = ""
    source: str = ""
    body: str = ""  # Markdown: ## headings, **run-in heading。**text, paragraphs
    ocr: dict = field(default_factory=dict)  # paragraphs read by OCR: text_key(text) -> confidence 0-100
    ocr_unread: list = field(default_factory=list)  # scanned pages too poor to read: {page, conf}

    def metadata(self) -> dict:
        """Its metadata (no body; of the OCR marks only the pages it could not read)."""
        d = asdict(self)
        d.pop("body")
        d.pop("ocr")
        return d

    def ocr_confidence(self, text: str) -> float | None:
        """The OCR confidence (0-100) of a paragraph of its body, None if it was not read by OCR."""
        return self.ocr.get(text_key(text)) if self.ocr else None


def text_key(text: str) -> str:
    """A paragraph's key whatever Markdown or spacing it is written with (its run-in heading's
    ``**``, an escape, spaces, a soft hyphen): the same for a repaired block and its Paragraph."""
    return hashlib.sha1(re.sub(r"[\s*\\\u00ad]", "", text).encode()).hexdigest()[:12]


@dataclass
class Paragraph:
    """One body paragraph of a report, the unit that is indexed and found."""

    id: str  # "<report id>.p<ordinal>"
    report_id: str
    ordinal: int  # 1-based position among the report's paragraphs
    text: str  # plain text, run-in heading included
    section: list[str] = field(default_factory=list)  # headings above it, outermost first
    headings: list[str] = field(default_factory=list)  # the Markdown headings of section
    section_kind: str = "其他"
    lead: str = ""  # the run-in heading that opens the paragraph, if any
    topics: list[str] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"p{self.ordinal}"


@dataclass
class Block:
    """A heading or a paragraph of the body."""

    kind: str  # "heading" or "para"
    text: str
    level: int = 0  # headings: 1 is the outermost
    lead: str = ""  # paragraphs: the run-in heading that opens it ("（一）标题")

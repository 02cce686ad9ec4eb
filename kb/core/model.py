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

#: Section kinds (report parts), in report order (the parts the 2019 督察工作规定 requires; a work
#: report's review, problems and tasks are read as the same parts), then the opening and closing,
#: a report's glossary or notes (名词解释, 注释: definitions, not the report's own statements) and
#: the rest. :mod:`kb.enrich.parts` decides them.
SECTION_KINDS = ("主要举措和成效", "存在的不足和原因", "第一责任人职责", "下一年度安排", "开头和结尾", "名词解释", "其他")

#: What each part is, as the pages say it.
SECTION_KIND_NOTES = {
    "主要举措和成效": "做了什么、成效如何：法治政府建设报告的举措和成效；工作报告的上一年（或五年）工作回顾",
    "存在的不足和原因": "存在的问题、不足、困难和原因",
    "第一责任人职责": "党政主要负责人履行推进法治建设第一责任人职责（法治政府建设报告）",
    "下一年度安排": "下一年度（或今后几年）的目标、任务和安排，含当年的政府自身建设",
    "开头和结尾": "称呼与开场（各位代表：现在，我代表……）、开篇概述和结尾号召（让我们……）",
    "名词解释": "报告所附的名词解释、注释：解释用语，不是报告本身的陈述",
    "其他": "以上都不是的段落（如来源行）",
}


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
    unsure: list = field(default_factory=list)  # metadata fields the import guessed: "year", "agency" …
    formerly: list = field(default_factory=list)  # the ids it had before a re-import moved it (they redirect here)

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

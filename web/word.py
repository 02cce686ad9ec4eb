"""Word drafts an office can use: every ``.docx`` the site makes (``/collection.docx``).

:func:`draft` lays out a document as a Chinese government office writes one (GB/T 9704
公文格式 as offices apply it to working drafts): A4, margins 37 mm top, 35 mm bottom, 28 mm
left, 26 mm right; the title in 宋体 二号 bold, centred; headings in 黑体 三号; body text
in 仿宋 三号 with a two-character first-line indent at a fixed 28-point line; a citation
after each paragraph in 仿宋 小四 with its link; page numbers centred in the footer. The
document's properties say what it is (title, subject, author 报告知识库, the time made),
not python-docx's template (``python-docx``, 2013-12-23).
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

AUTHOR = "报告知识库"
BODY_FONT, TITLE_FONT, HEADING_FONT, LATIN_FONT = "仿宋", "宋体", "黑体", "Times New Roman"
#: What XML (and so a Word document) cannot hold: shown as �, as on the pages
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
LINK_BLUE = RGBColor(0x0B, 0x5C, 0xAD)


def xml(text: str) -> str:
    return _NOT_XML.sub("\ufffd", str(text))


def draft(title: str, subtitle: str, items: list[dict], made: datetime | None = None,
          notes: list[str] | tuple[str, ...] = ()) -> bytes:
    """A Word document: ``title`` and ``subtitle`` (the date and what it holds) on top, each of
    ``notes`` (a read left short says so) under them, then each item's ``text`` followed by its
    ``citation`` and ``link``; an item with a ``heading`` starts a section under it."""
    made = made or datetime.now(UTC).replace(microsecond=0)
    doc = Document()
    _page(doc)
    _styles(doc)
    _properties(doc, title, subtitle, made)
    doc.add_paragraph(xml(title), style="Title")
    doc.add_paragraph(xml(subtitle), style="Subtitle")
    for note in notes:
        doc.add_paragraph(xml(note), style="Subtitle")
    for item in items:
        if item.get("heading"):
            doc.add_paragraph(xml(item["heading"]), style="Heading 1")
        doc.add_paragraph(xml(item["text"]), style="Normal")
        cite = doc.add_paragraph(style="Citation")
        cite.add_run(xml(f"（{item['citation']} · "))
        _hyperlink(cite, item["link"], xml(item["link"]))
        cite.add_run("）")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _page(doc) -> None:
    """A4 with the office's margins and the page number centred in the footer."""
    for section in doc.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _page_number(footer.add_run())
        footer.runs[0].font.size = Pt(14)


def _page_number(run) -> None:
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)


def _font(style, east_asian: str, size: float, bold: bool = False) -> None:
    """Set a style's fonts: the Chinese one, Times New Roman for Latin, black, no theme fonts."""
    style.font.name = LATIN_FONT
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)  # a theme font would win over the fonts named
    fonts.set(qn("w:eastAsia"), east_asian)


def _styles(doc) -> None:
    styles = doc.styles
    normal = styles["Normal"]
    _font(normal, BODY_FONT, 16)
    fmt = normal.paragraph_format
    fmt.first_line_indent = Pt(32)  # two characters of 三号
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(28)
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    for name, font, size, bold, align in (("Title", TITLE_FONT, 22, True, WD_ALIGN_PARAGRAPH.CENTER),
                                          ("Subtitle", BODY_FONT, 16, False, WD_ALIGN_PARAGRAPH.CENTER),
                                          ("Heading 1", HEADING_FONT, 16, False, WD_ALIGN_PARAGRAPH.LEFT)):
        style = styles[name]
        _font(style, font, size, bold)
        style.paragraph_format.first_line_indent = Pt(0) if name != "Heading 1" else Pt(32)
        style.paragraph_format.alignment = align
        style.paragraph_format.space_before = Pt(12 if name == "Heading 1" else 0)
        style.paragraph_format.space_after = Pt(12 if name != "Heading 1" else 0)
        style.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        style.paragraph_format.line_spacing = Pt(36 if name == "Title" else 28)
        if name == "Title":  # python-docx's Title has a blue rule under it
            for border in style.element.findall(".//" + qn("w:pBdr")):
                border.getparent().remove(border)
    cite = styles.add_style("Citation", 1)  # WD_STYLE_TYPE.PARAGRAPH
    cite.base_style = normal
    _font(cite, BODY_FONT, 12)
    cite.paragraph_format.first_line_indent = Pt(0)
    cite.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    cite.paragraph_format.line_spacing = Pt(20)
    cite.paragraph_format.space_after = Pt(8)


def _properties(doc, title: str, subtitle: str, made: datetime) -> None:
    props = doc.core_properties
    props.title = xml(title)
    props.subject = xml(subtitle)
    props.author = props.last_modified_by = AUTHOR
    props.created = props.modified = made
    props.revision = 1
    props.comments = "由报告知识库生成：每段附出处（单位 · 年度 · 报告 · 段落）与链接。"
    props.keywords = "法治政府建设；摘录"


def _hyperlink(paragraph, url: str, text: str) -> None:
    """A clickable link in a Word paragraph (python-docx has no call for it)."""
    rid = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    for tag, attr, value in (("w:color", "w:val", str(LINK_BLUE)), ("w:u", "w:val", "single")):
        el = OxmlElement(tag)
        el.set(qn(attr), value)
        props.append(el)
    run.append(props)
    t = OxmlElement("w:t")
    t.text = text
    run.append(t)
    link.append(run)
    paragraph._p.append(link)

"""One small report written in every format and encoding ``kb import`` reads, made here.

The report (a county justice bureau's 2023 rule-of-law report) has a title, an opening
paragraph, numbered headings, run-in headings, a 《…》 title and a 文号 that a PDF page
end cuts, a signature and a date. Every writer below turns it into one file; whatever
the format, importing the file must give the same paragraphs and metadata.
"""

from __future__ import annotations

import html
from pathlib import Path

TITLE = "郏县司法局2023年度法治政府建设情况报告"
AGENCY = "郏县司法局"
OPENING = ("2023年，郏县司法局在县委、县政府的坚强领导下，深入学习贯彻习近平法治思想，扎实推进法治政府建设。"
           "现将有关情况报告如下：")
LEAD1 = "（一）加强组织领导。"
REST1 = ("局党组把法治建设摆在全局工作的重要位置，认真落实《中华人民共和国行政处罚法》和"
         "《法治政府建设实施纲要（2021－2025年）》，全年召开专题会议6次。")
LEAD2 = "（二）规范行政执法。"
REST2 = ("全面推行行政执法公示制度、执法全过程记录制度、重大执法决定法制审核制度，"
         "依据郏政〔2023〕12号文件开展案卷评查，评查案卷120卷。")
WEAK = "一是法治宣传方式不够新颖，二是执法人员专业能力有待提高，原因在于培训投入不足。"
PLAN = "2024年，我局将继续深化“双随机、一公开”监管，加强法律顾问制度建设，提升依法行政水平。"
H1, H2, H3 = "一、主要举措和成效", "二、存在的不足和原因", "三、下一年度工作安排"
DATE = "2024年1月10日"

#: (kind, text, lead) of the report's body, in order.
BODY = [
    ("para", OPENING, ""),
    ("heading", H1, ""),
    ("para", LEAD1 + REST1, LEAD1),
    ("para", LEAD2 + REST2, LEAD2),
    ("heading", H2, ""),
    ("para", WEAK, ""),
    ("heading", H3, ""),
    ("para", PLAN, ""),
]
PARAGRAPHS = [text for kind, text, _ in BODY if kind == "para"]
HEADINGS = [text for kind, text, _ in BODY if kind == "heading"]
EXPECTED = {"agency": AGENCY, "year": 2023, "region": "河南省平顶山市郏县", "level": "县",
            "date_signed": "2024-01-10", "title": TITLE}


def plain_text() -> str:
    """The report as plain text: one paragraph a line, indented with U+3000."""
    lines = [TITLE]
    for kind, text, _ in BODY:
        lines.append(text if kind == "heading" else "\u3000\u3000" + text)
    return "\n".join(lines + [AGENCY, DATE]) + "\n"


def markdown(front_matter: bool = True) -> str:
    """The report as Markdown: ## headings, bold run-in leads, optional front matter."""
    parts = []
    if front_matter:
        parts.append(f"---\ntitle: {TITLE}\nsource: https://www.example.gov.cn/2024/report.html\n---\n")
    else:
        parts.append(f"# {TITLE}\n")
    for kind, text, lead in BODY:
        if kind == "heading":
            parts.append(f"## {text}")
        elif lead:
            parts.append(f"**{lead}**{text[len(lead):]}")
        else:
            parts.append(text)
    parts += [AGENCY, DATE]
    return "\n\n".join(parts) + "\n"


def write_docx(path: Path) -> Path:
    """The report as a Word document: Title and Heading styles, bold leads, a table of
    figures (its rows become paragraphs too)."""
    import docx

    document = docx.Document()
    document.add_heading(TITLE, level=0)
    for kind, text, lead in BODY:
        if kind == "heading":
            document.add_heading(text, level=1)
        elif lead:
            p = document.add_paragraph()
            p.add_run(lead).bold = True
            p.add_run(text[len(lead):])
        else:
            document.add_paragraph(text)
    document.add_paragraph(AGENCY)
    document.add_paragraph(DATE)
    document.save(path)
    return path


def write_html(path: Path, encoding: str = "utf-8") -> Path:
    """The report as a government web page: navigation, banner and footer around the
    article, indentation with &nbsp; and U+3000, bold leads."""
    body = []
    for kind, text, lead in BODY:
        if kind == "heading":
            body.append(f"<p><strong>{html.escape(text)}</strong></p>")
        elif lead:
            body.append(f"<p>\u3000\u3000<strong>{html.escape(lead)}</strong>{html.escape(text[len(lead):])}</p>")
        else:
            body.append(f"<p>&nbsp;&nbsp;{html.escape(text)}</p>")
    page = f"""<!DOCTYPE html>
<html><head><meta charset="{encoding}"><title>{TITLE}_郏县人民政府</title></head>
<body>
<div class="top">郏县人民政府门户网站 无障碍 长者模式 繁体</div>
<nav class="menu"><ul><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li>
<li><a href="/bsfw">办事服务</a></li><li><a href="/hdjl">互动交流</a></li></ul></nav>
<div class="crumb">当前位置：首页 &gt; 政务公开 &gt; 法治政府建设</div>
<div class="article">
<h1>{TITLE}</h1>
<div class="info">发布时间：2024-01-12 来源：郏县司法局 浏览次数：128</div>
<div class="content">
{chr(10).join(body)}
<p style="text-align:right">{AGENCY}</p>
<p style="text-align:right">{DATE}</p>
</div>
</div>
<div class="footer">主办：郏县人民政府办公室 版权所有 网站标识码：4104250001 豫ICP备12345678号</div>
</body></html>"""
    path.write_bytes(page.encode(encoding))
    return path


def pdf_pages(width: int = 28) -> list[list[tuple[str, int]]]:
    """The report laid out as a PDF would be: (line, indent in characters) per page.
    Lines wrap at ``width`` characters; page ends cut 《中华人民共和国行政 / 处罚法》 and
    郏政〔2023〕12 / 号; each page has a running header and a page number."""
    lines: list[tuple[str, int]] = [(TITLE, 4)]
    for kind, text, _ in BODY:
        if kind == "heading":
            lines.append((text, 0))
            continue
        first, rest = text[: width - 2], text[width - 2:]
        lines.append((first, 2))
        while rest:
            lines.append((rest[:width], 0))
            rest = rest[width:]
    lines += [(AGENCY, 18), (DATE, 17)]
    pages: list[list[tuple[str, int]]] = [[]]
    for text, indent in lines:
        for cut in ("处罚法》", "号文件"):
            at = text.find(cut)
            if at > 0:  # a page ends right before the cut
                pages[-1].append((text[:at], indent))
                pages.append([])
                text, indent = text[at:], 0
        pages[-1].append((text, indent))
    return pages


def write_pdf(path: Path) -> Path:
    """The report as a PDF with a text layer (reportlab's built-in Chinese font)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path))
    size, left = 12, 72
    pages = pdf_pages()
    for n, page in enumerate(pages, 1):
        c.setFont("STSong-Light", 9)
        c.drawString(left, 810, "郏县司法局法治政府建设年度报告")
        c.drawString(290, 30, f"- {n} -")
        c.setFont("STSong-Light", size)
        y = 770
        for text, indent in page:
            c.drawString(left + indent * size, y, text)
            y -= size * 1.8
        c.showPage()
    c.save()
    return path

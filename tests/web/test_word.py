"""The Word drafts the site makes (issue 29): a document an office can use as it comes.

``/collection.docx`` read back with python-docx: A4 with the office's margins (37/35/28/26 mm),
properties that say what it is (its title, 报告知识库 as author, made today; not the template's
``python-docx``, 2013-12-23), the collection's name and the date on top, 仿宋 body and 黑体
headings in black with no theme font over them, each paragraph followed by its citation and a
working link; the file named by the collection and the date.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, timedelta
from urllib.parse import quote, unquote

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm

from web.word import draft


def _ids(client, n: int = 3) -> list[str]:
    report = client.get("/api/reports").get_json()["reports"][0]
    return [p["id"] for p in client.get(f"/api/reports/{report['id']}").get_json()["paragraphs"][:n]]


def _east_asian(style) -> str:
    fonts = style.element.rPr.rFonts
    assert fonts.get(qn("w:eastAsiaTheme")) is None and fonts.get(qn("w:asciiTheme")) is None
    return fonts.get(qn("w:eastAsia"))


def test_the_collection_docx_is_an_office_draft(client):
    ids = _ids(client)
    r = client.get("/collection.docx?" + "&".join("id=" + i for i in ids) + "&name=" + quote("法律顾问 摘录"))
    assert r.status_code == 200
    disposition = unquote(r.headers["Content-Disposition"])
    assert f"法律顾问_摘录-{date.today().isoformat()}.docx" in disposition and "filename=kb-collection.docx" in disposition
    doc = Document(io.BytesIO(r.data))
    section = doc.sections[0]
    assert (round(section.page_width / Mm(1)), round(section.page_height / Mm(1))) == (210, 297)  # A4
    margins = [round(m / Mm(1)) for m in (section.top_margin, section.bottom_margin,
                                          section.left_margin, section.right_margin)]
    assert margins == [37, 35, 28, 26]
    props = doc.core_properties
    assert props.title == "法律顾问 摘录" and props.author == "报告知识库" and props.last_modified_by == "报告知识库"
    assert abs(props.created - datetime.now(UTC)) < timedelta(days=1) and props.revision == 1
    assert _east_asian(doc.styles["Normal"]) == "仿宋" and _east_asian(doc.styles["Heading 1"]) == "黑体"
    assert _east_asian(doc.styles["Title"]) == "宋体" and doc.styles["Normal"].font.size.pt == 16
    paragraphs = doc.paragraphs
    assert paragraphs[0].text == "法律顾问 摘录" and paragraphs[0].style.name == "Title"
    assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日 · 3 段 · 每段附出处", paragraphs[1].text)
    bodies, cites = paragraphs[2::2], paragraphs[3::2]
    assert len(bodies) == len(cites) == 3
    assert all(b.style.name == "Normal" and c.style.name == "Citation" for b, c in zip(bodies, cites, strict=True))
    assert all(re.search(r" · 第\d+段 · http://localhost/reports/[^#]+#p\d+）$", c.text) for c in cites)
    links = [rel.target_ref for rel in doc.part.rels.values() if rel.reltype.endswith("/hyperlink")]
    assert len(links) == 3 and all(link.startswith("http://localhost/reports/") for link in links)


def test_a_draft_with_headings_uses_the_heading_style():
    item = {"text": "正文", "citation": "某单位 · 2023 · 报告 · 第1段", "link": "http://x/reports/r#p1"}
    doc = Document(io.BytesIO(draft("题", "日期", [item | {"heading": "一、部分"}, item])))
    assert [p.style.name for p in doc.paragraphs] == ["Title", "Subtitle", "Heading 1", "Normal", "Citation",
                                                      "Normal", "Citation"]
    assert doc.styles["Heading 1"].font.color.rgb == (0, 0, 0)


def test_a_collection_without_a_name_is_called_摘录(client):
    r = client.get("/collection.docx?id=" + _ids(client, 1)[0])
    assert Document(io.BytesIO(r.data)).paragraphs[0].text == "摘录"
    assert f"摘录-{date.today().isoformat()}.docx" in unquote(r.headers["Content-Disposition"])


def test_the_collection_page_lets_one_name_the_draft(client):
    ids = _ids(client, 2)
    html = client.get("/collection?" + "&".join("id=" + i for i in ids)).get_data(as_text=True)
    form = html[html.index('<form class="docx-name"'):]
    form = form[:form.index("</form>")]
    assert 'action="/collection.docx"' in form and 'name="name"' in form
    assert [f'<input type="hidden" name="id" value="{i}">' in form for i in ids] == [True, True]


def test_csv_downloads_are_named_by_what_they_hold_and_the_date(client):
    today = date.today().isoformat()
    for url, name in ((f"/export.csv?q={quote('法律顾问')}&year=2023", f"检索-法律顾问-2023-{today}.csv"),
                      (f"/export.json?q={quote('法律顾问')}", f"检索-法律顾问-{today}.json"),
                      (f"/compare.csv?q={quote('法律顾问')}", f"对比-法律顾问-{today}.csv"),
                      (f"/regulations/{quote('中华人民共和国行政处罚法')}.csv", f"中华人民共和国行政处罚法-{today}.csv")):
        r = client.get(url)
        assert r.status_code == 200 and f"filename*=UTF-8''{quote(name)}" in r.headers["Content-Disposition"], url

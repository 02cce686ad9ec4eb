"""``kb import`` of real-world files: every format and encoding, bad input, repair of
what PDFs and web pages do to a text, metadata read from the text, and duplicates.

The files are made here (tests/samples.py): .txt in UTF-8 (with and without BOM, CRLF),
GB18030, GBK and UTF-16 (with and without BOM); .md with and without front matter; a
.docx written by python-docx; a .pdf written by reportlab (page numbers, a running
header, page ends inside 《…》 and a 文号); .html and a GBK .htm with navigation.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from kb.core import corpus
from kb.core.errors import ImportFailed
from kb.enrich.paragraphs import paragraphs_of
from kb.ingest import formats, importer, metadata
from kb.ingest.formats.text import markdown_text
from kb.ingest.metadata.resolve import resolve_agency
from kb.ingest.repair import repair
from tests.support import samples

TEXT = samples.plain_text()


def _bytes(data: bytes):
    return lambda path: path.write_bytes(data) and path


MAKERS = {
    "utf-8.txt": _bytes(TEXT.encode("utf-8")),
    "utf-8-bom.txt": _bytes(b"\xef\xbb\xbf" + TEXT.encode("utf-8")),
    "crlf.txt": _bytes(TEXT.replace("\n", "\r\n").encode("utf-8")),
    "gb18030.txt": _bytes(TEXT.encode("gb18030")),
    "gbk.txt": _bytes(TEXT.encode("gbk")),
    "utf-16.txt": _bytes(TEXT.encode("utf-16")),
    "utf-16-le-no-bom.txt": _bytes(TEXT.encode("utf-16-le")),
    "utf-16-be-bom.txt": _bytes(b"\xfe\xff" + TEXT.encode("utf-16-be")),
    "front-matter.md": _bytes(samples.markdown(front_matter=True).encode("utf-8")),
    "no-front-matter.md": _bytes(samples.markdown(front_matter=False).encode("utf-8")),
    "gbk.md": _bytes(samples.markdown(front_matter=False).encode("gbk")),
    "report.docx": samples.write_docx,
    "report.pdf": samples.write_pdf,
    "report.html": samples.write_html,
    "gbk.htm": lambda path: samples.write_html(path, "gbk"),
}


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("made")
    out = {}
    for name, make in MAKERS.items():
        path = folder / name
        make(path)
        out[name] = path
    return out


@pytest.mark.parametrize("name", sorted(MAKERS))
def test_every_format_and_encoding_gives_the_same_report(made, name, tmp_path):
    """GIVEN the sample report written as ``name``
    WHEN it is imported with no metadata given
    THEN the report has the same paragraphs, run-in headings, headings and metadata
    (agency, year, region and level from the gazetteer, date signed) whatever the format."""
    done = importer.import_file(made[name], tmp_path)
    report = done.report
    assert {k: getattr(report, k) for k in samples.EXPECTED} == samples.EXPECTED
    paragraphs = paragraphs_of(report)
    assert [p.text for p in paragraphs] == samples.PARAGRAPHS
    assert [p.lead for p in paragraphs] == ["", "（一）加强组织领导", "（二）规范行政执法", "", ""]
    assert [p.section[0] if p.section else "" for p in paragraphs] == ["", samples.H1, samples.H1, samples.H2, samples.H3]
    assert done.written == corpus.report_path(tmp_path, report.id) and done.status == "added"
    assert corpus.read(done.written).body == report.body


def test_detected_encodings(made):
    found = {name: formats.read(path).encoding for name, path in made.items() if name.endswith((".txt", ".md"))}
    assert found == {
        "utf-8.txt": "UTF-8", "utf-8-bom.txt": "UTF-8 (BOM)", "crlf.txt": "UTF-8", "gb18030.txt": "GB18030",
        "gbk.txt": "GB18030", "utf-16.txt": "UTF-16 (BOM)", "utf-16-le-no-bom.txt": "UTF-16",
        "utf-16-be-bom.txt": "UTF-16 (BOM)", "front-matter.md": "UTF-8", "no-front-matter.md": "UTF-8",
        "gbk.md": "GB18030",
    }


def test_front_matter_gives_title_and_source(made, tmp_path):
    report = importer.import_file(made["front-matter.md"], tmp_path).report
    assert report.source == "https://www.example.gov.cn/2024/report.html"
    assert importer.import_file(made["no-front-matter.md"], tmp_path / "b").report.source == "no-front-matter.md"


def test_web_page_gives_the_article_not_the_navigation(made):
    for name in ("report.html", "gbk.htm"):
        text = formats.read(made[name]).text
        for site in ("首页", "政务公开", "办事服务", "当前位置", "版权所有", "网站标识码", "无障碍"):
            assert site not in text, (name, site)
        assert samples.REST2 in text


def test_pdf_page_numbers_running_header_and_page_ends(made):
    """The PDF's text layer has '- 2 -', a running header on every page and page ends
    in the middle of 《中华人民共和国行政 / 处罚法》 and 郏政〔2023〕12 / 号: repaired, the
    header and numbers are gone and the cut title and 文号 are whole."""
    extracted = formats.read(made["report.pdf"])
    assert "- 2 -" in extracted.text and extracted.text.count("郏县司法局法治政府建设年度报告") == 3
    assert "\f" in extracted.text
    texts = [b.text for b in repair(extracted.text).blocks]
    assert not any("- 2 -" in t or "年度报告" in t for t in texts)
    assert sum("《中华人民共和国行政处罚法》" in t for t in texts) == 1
    assert sum("郏政〔2023〕12号文件" in t for t in texts) == 1


# -- bad input ---------------------------------------------------------------------------------


def _zip_named_txt(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", "<w:document>报告</w:document>")


def _pdf_without_text(path: Path) -> None:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    c.rect(100, 100, 200, 200, fill=1)  # a scanned page: pictures, no text layer
    c.showPage()
    c.save()


BAD = {
    "empty.txt": (lambda p: p.write_bytes(b""), "文件为空"),
    "blank.md": (lambda p: p.write_bytes(b" \r\n\n\t\n"), "文件为空"),
    "zip.txt": (_zip_named_txt, "不是文本文件"),
    "png.md": (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4), "不是文本文件"),
    "nul.txt": (lambda p: p.write_bytes(b"\x00\x01\x02\x03" * 300 + bytes(range(256))), "不是文本文件"),
    "random.txt": (lambda p: p.write_bytes(bytes((i * 97 + 13) % 256 for i in range(4000)).replace(b"\x00", b"\x01")),
                   "无法识别文字编码"),
    "report.xls": (lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x01" * 200), "不支持的文件类型"),
    "report.doc": (lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x01" * 200), "不支持的文件类型"),
    "english.txt": (lambda p: p.write_text("Annual report.\nWe did things.\n", encoding="utf-8"), "没有中文文字"),
    "title-only.txt": (lambda p: p.write_text("郏县司法局2023年度法治政府建设情况报告\n", encoding="utf-8"), "没有找到段落"),
    "not-a.docx": (lambda p: p.write_text("这不是 Word 文件。", encoding="utf-8"), "不是有效的 .docx 文件"),
    "zip.docx": (lambda p: zipfile.ZipFile(p, "w").close(), "无法读取 .docx"),
    "broken.pdf": (lambda p: p.write_bytes(b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n"), "无法读取 PDF"),
    "scanned.pdf": (_pdf_without_text, "没有文字层"),
    "text.pdf": (lambda p: p.write_text("纯文本，不是 PDF。", encoding="utf-8"), "不是有效的 PDF 文件"),
    "empty.html": (lambda p: p.write_text("<html><body></body></html>", encoding="utf-8"), "无法读取网页"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_is_refused_with_a_message_and_nothing_written(name, tmp_path):
    make, says = BAD[name]
    source = tmp_path / name
    make(source)
    corpus_dir = tmp_path / "corpus"
    corpus_dir.mkdir()
    with pytest.raises(ImportFailed) as e:
        importer.import_file(source, corpus_dir)
    assert says in str(e.value) and str(source) in str(e.value)
    assert list(corpus_dir.iterdir()) == []


def test_a_batch_goes_on_past_bad_files(made, tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    seen = []
    batch = importer.import_files([bad, made["report.docx"], tmp_path / "missing.txt"], tmp_path / "corpus",
                                  progress=lambda done, total: seen.append((done, total)))
    assert [d.path.name for d in batch.imported] == ["report.docx"]
    assert [(p.name, "文件为空" in m or "文件不存在" in m) for p, m in batch.failed] == [
        ("empty.txt", True), ("missing.txt", True)]
    assert seen == [(1, 3), (2, 3), (3, 3)]


# -- duplicates --------------------------------------------------------------------------------


def test_the_same_report_imported_twice_is_updated_in_place(made, tmp_path):
    """GIVEN the sample imported from its UTF-8 .txt
    WHEN it is imported again from the same file, then from its GBK copy, its .docx and its PDF,
    and then with another agency given
    THEN the corpus still holds one report (recognised by the hash of its text): unchanged,
    then updated (another source), and the given agency replaces the inferred one, the report
    moved to the id the rule gives for its new agency (its old id in ``formerly``)."""
    corpus_dir = tmp_path / "corpus"
    first = importer.import_file(made["utf-8.txt"], corpus_dir)
    again = importer.import_file(made["utf-8.txt"], corpus_dir)
    assert (first.status, again.status) == ("added", "unchanged")
    others = [importer.import_file(made[n], corpus_dir) for n in ("gbk.txt", "report.docx", "report.pdf")]
    assert [d.status for d in others] == ["updated", "updated", "updated"]
    renamed = importer.import_file(made["utf-8.txt"], corpus_dir, {"agency": "郏县司法局（改）"})
    new_id = importer.report_id("郏县司法局（改）", first.report.year, first.report.title)
    assert renamed.report.id == new_id != first.report.id and renamed.status == "updated"
    assert [p.name for p in corpus_dir.iterdir()] == [f"{new_id}.md"]
    moved = corpus.read(corpus_dir / f"{new_id}.md")
    assert (moved.agency, moved.formerly) == ("郏县司法局（改）", [first.report.id])


# -- repair ------------------------------------------------------------------------------------


def test_hard_wrapped_text_is_joined_also_where_a_line_ends_a_sentence():
    """GIVEN a text hard-wrapped at 20 characters whose paragraphs start indented
    THEN wrapped lines join into their paragraph, even a full line that happens to end in 。"""
    paras = ["全面推行行政执法公示制度和执法全过程记录制度，重大执法决定法制审核制度落实。规范执法行为，执法质量明显提升。",
             "持续深化放管服改革，优化营商环境，推进政务服务一网通办，提升办事效率和群众满意度水平。",
             "扎实开展法治宣传教育，落实谁执法谁普法责任制，组织干部职工学法考法，全年参考率百分之百。"]
    lines = ["一、主要举措"]
    for para in paras:
        text = "\u3000\u3000" + para
        lines += [text[i:i + 20] for i in range(0, len(text), 20)]
    assert lines[1] == "\u3000\u3000全面推行行政执法公示制度和执法全过程" and lines[2].endswith("。")  # a full line ends in 。
    blocks = repair("\n".join(lines)).blocks
    assert [(b.kind, b.text) for b in blocks] == [("heading", "一、主要举措")] + [("para", p) for p in paras]


def test_running_headers_and_page_numbers_without_form_feeds():
    """Text copied from a PDF viewer: no form feeds, but 第N页 lines with the report's
    running header beside them; both go, and the sentence cut between is joined."""
    text = ("某县审计局2023年度法治政府建设情况报告\n一、主要举措和成效\n"
            "全年开展审计项目12个，严格落实《中华人民共和国审\n某县审计局文件\n第 1 页 共 2 页\n"
            "某县审计局文件\n计法》规定，审计整改率100%。\n第 2 页 共 2 页\n")
    assert [b.text for b in repair(text).blocks] == [
        "一、主要举措和成效", "全年开展审计项目12个，严格落实《中华人民共和国审计法》规定，审计整改率100%。"]


@pytest.mark.parametrize("page_number", ["- 3 -", "—3—", "第3页", "第 3 页", "3 / 12", "－ 3 －", "Page 3"])
def test_page_numbers_of_every_style_are_dropped(page_number):
    cut = "全年坚持依法行政，严格落实重大行政决策程序，组织开展案卷评查，推进"
    text = f"一、主要举措\n{cut}\n{page_number}\n执法规范化。\n"
    assert [b.text for b in repair(text).blocks] == ["一、主要举措", cut + "执法规范化。"]


def test_markdown_headings_bold_headings_and_bold_run_in_leads():
    text = ("**政府工作报告**\n\n——2024年1月15日在某某市第十七届人民代表大会第三次会议上\n\n市长 张三\n\n各位代表：\n\n"
            "## 一、2023年工作回顾\n\n过去一年，我们砥砺奋进。\n\n**（一）扩大有效投资。**全年完成投资500亿元，\n增长8%。\n\n"
            "**二、2024年工作安排**\n\n**稳住农业基本盘。**粮食产量稳定在100万吨以上。\n\n"
            "**这一段整段加粗，有逗号，也有句号，是正文而不是标题，因为它很长很长很长很长很长很长很长很长。**\n")
    r = repair(text, markdown=True)
    assert r.title == "政府工作报告"
    assert r.byline == ["——2024年1月15日在某某市第十七届人民代表大会第三次会议上", "市长张三"]
    assert [(b.kind, b.level, b.text, b.lead) for b in r.blocks] == [
        ("para", 0, "各位代表：", ""),
        ("heading", 1, "一、2023年工作回顾", ""),
        ("para", 0, "过去一年，我们砥砺奋进。", ""),
        ("para", 0, "（一）扩大有效投资。全年完成投资500亿元，增长8%。", "（一）扩大有效投资。"),
        ("heading", 1, "二、2024年工作安排", ""),
        ("para", 0, "稳住农业基本盘。粮食产量稳定在100万吨以上。", "稳住农业基本盘。"),
        ("para", 0, "这一段整段加粗，有逗号，也有句号，是正文而不是标题，因为它很长很长很长很长很长很长很长很长。", ""),
    ]


def test_markdown_comments_links_tables_and_spaced_bold_title():
    text = ("**政**  **府**  **工**  **作**  **报**  **告**\n\n<!-- 图片说明 -->\n\n"
            "各位代表：\n\n详见[附件](http://x.cn/a.pdf)。\n\n| 项目 | 进度 |\n| --- | --- |\n| 修路 | 完成 |\n")
    r = repair(markdown_text(text), markdown=True)
    assert r.title == "政府工作报告"
    assert [b.text for b in r.blocks] == ["各位代表：", "详见附件。", "项目；进度", "修路；完成"]


# -- metadata ----------------------------------------------------------------------------------


def test_a_bare_county_agency_is_resolved_through_the_places_the_text_names(seeds_dir):
    """Seed 000 says only 县卫健委 and, once, 健康宝丰: the agency is 宝丰县卫生健康委员会
    of 河南省平顶山市宝丰县."""
    d = metadata.decide(repair((seeds_dir / "000_384cabfaeda893ed.txt").read_text(encoding="utf-8")), {})
    assert {k: d.values[k] for k in ("agency", "year", "region", "level")} == {
        "agency": "宝丰县卫生健康委员会", "year": 2023, "region": "河南省平顶山市宝丰县", "level": "县"}
    assert d.how["agency"] == "县卫健委 in the opening sentence" and not d.unsure


def test_every_seed_without_the_manifest_gets_the_manifests_metadata(seeds_dir, manifest):
    for name, row in manifest.items():
        d = metadata.decide(repair((seeds_dir / name).read_text(encoding="utf-8")), {})
        found = {k: str(d.values[k]) for k in ("agency", "year", "region", "level")}
        assert found == {k: row[k] for k in ("agency", "year", "region", "level")}, name


def _work_report(byline: str, review: str = "一、2023年工作回顾", title: str = "政府工作报告") -> metadata.Decided:
    text = f"{title}\n{byline}\n各位代表：\n现在，我代表市人民政府，向大会报告工作，请予审议。\n{review}\n过去一年，全市经济稳中向好。\n"
    return metadata.decide(repair(text), {})


@pytest.mark.parametrize("byline, review, title, year", [
    ("——2024年1月15日在郑州市第十六届人民代表大会第三次会议上", "一、2023年工作回顾", "政府工作报告", 2023),
    ("——2024年1月15日在郑州市第十六届人民代表大会第三次会议上", "一、过去一年工作回顾", "政府工作报告", 2023),
    ("——二〇二四年一月十五日在郑州市第十六届人民代表大会第三次会议上", "一、过去一年工作回顾", "政府工作报告", 2023),
    ("——2023年12月28日在郑州市第十六届人民代表大会第三次会议上", "一、过去一年工作回顾", "政府工作报告", 2023),
    ("郑州市人民政府市长 张三", "一、过去一年工作回顾", "2024年郑州市政府工作报告", 2023),
], ids=["review", "date", "chinese-date", "december", "title"])
def test_a_work_report_given_in_2024_reviews_2023(byline, review, title, year):
    d = _work_report(byline, review, title)
    assert (d.values["agency"], d.values["year"], d.values["region"], d.values["level"]) == (
        "郑州市人民政府", year, "河南省郑州市", "市")


def test_a_district_is_prefixed_with_its_city_and_an_ambiguous_one_is_flagged():
    assert resolve_agency("南开区卫生健康委").name == "天津市南开区卫生健康委员会"
    ambiguous = resolve_agency("鼓楼区司法局")
    assert ambiguous.division is None and "不止一处" in ambiguous.doubt
    d = metadata.decide(repair("鼓楼区司法局2023年度法治政府建设情况报告\n2023年，我局依法行政，成效明显。\n"), {})
    assert d.values["agency"] == "鼓楼区司法局" and d.values["region"] == "" and "region" in d.unsure
    assert any(n.startswith("unsure region") for n in d.notes)


def test_given_values_win_and_region_follows_a_given_agency():
    r = repair("某某报告\n2023年，我局依法行政，成效明显。\n")
    d = metadata.decide(r, {"agency": "巨鹿县卫生健康局", "year": "2022"})
    assert (d.values["agency"], d.values["year"], d.values["region"], d.values["level"]) == (
        "巨鹿县卫生健康局", 2022, "河北省邢台市巨鹿县", "县")
    assert d.how["agency"] == "given" and d.how["year"] == "given"


def test_the_gazetteer_is_the_packaged_divisions():
    from kb.ingest import gazetteer

    g = gazetteer.load()
    assert len(g.divisions) > 3000
    assert [d.region for d in g.named("黔东南州")] == ["贵州省黔东南苗族侗族自治州"]
    assert {d.level for d in g.named("济源市")} == {"县"} and g.named("北京市")[0].level == "省"


@pytest.mark.parametrize("headings, year", [
    (("一、“十四五”时期经济社会发展回顾", "二、“十五五”时期的主要目标任务", "三、2026年主要工作"), 2025),
    (("一、2025年工作回顾", "二、2026年的主要工作"), 2025),
    (("一、2025年主要工作", "二、2026年工作安排"), 2025),
], ids=["third-part-plans", "second-part-plans", "first-part-reviews"])
def test_a_year_main_work_heading_plans_that_year_unless_it_is_the_first_part(headings, year):
    """二、/三、2026年主要工作 in a work report given in 2026 is its plan (94 of 94 such headings in
    the data set), 一、2025年主要工作 its review (22 of 22): the year is certain, not disputed."""
    body = "\n".join(f"{h}\n过去一年，全市经济稳中向好，各项工作扎实推进，取得了新的成效。" for h in headings)
    text = ("2026年邢台市政府工作报告\n邢台市人民政府市长 张三\n各位代表：\n"
            f"现在，我代表市人民政府，向大会报告工作，请予审议。\n{body}\n")
    d = metadata.decide(repair(text), {})
    assert d.values["year"] == year
    assert not d.unsure, d.notes


def _pdf_of_lines(path: Path, lines: list[tuple[str, int]]) -> Path:
    """A one-page PDF with a text layer: each (text, indent in characters) a line."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path))
    c.setFont("STSong-Light", 14)
    y = 780
    for text, indent in lines:
        c.drawString(60 + indent * 14, y, text)
        y -= 14 * 1.8
    c.save()
    return path


BODY_LINES = [("2023年，我委全面贯彻落实党的二十大精神，认真履职，积极作为，", 2),
              ("各项工作顺利推进，法治政府建设取得新成绩。", 0),
              ("一、严格落实党政主体责任", 0),
              ("委党组高度重视法治建设工作，严格落实党组主体责任，实行委主要", 2),
              ("领导为落实第一责任人，班子成员落实“一岗双责”。", 0)]


@pytest.mark.parametrize("head, title", [
    ([("南阳市卫生健康体育委员会关于2023", 3), ("年度法治政府建设工作的报告", 5)],
     "南阳市卫生健康体育委员会关于2023年度法治政府建设工作的报告"),
    ([("深圳市第七届人民代表大会第七次会议关于深圳市人民政府工", 0), ("作报告的决议", 10)],
     "深圳市第七届人民代表大会第七次会议关于深圳市人民政府工作报告的决议"),
    ([("南阳市卫生健康体育委员会", 6), ("南阳市卫生健康体育委员会关于2023年度法治政府建设工作的报告", 0)],
     "南阳市卫生健康体育委员会关于2023年度法治政府建设工作的报告"),
])
def test_a_title_the_page_width_cut_over_two_lines_is_read_whole(head, title, tmp_path):
    """GIVEN a PDF whose title the page width cut (…关于2023 / 年度法治政府建设工作的报告;
    …人民政府工 / 作报告的决议), or a letterhead above a whole title WHEN it is imported
    THEN the title is whole (it was the second line alone: 《年度法治政府建设工作的报告》,
    《作报告的决议》, on every page that shows the report) and no half of it is a paragraph."""
    path = _pdf_of_lines(tmp_path / "report.pdf", head + BODY_LINES)
    done = importer.import_file(path, tmp_path / "corpus", given={"agency": "南阳市卫生健康体育委员会", "year": 2023},
                                dry_run=True)
    assert done.report.title == title
    assert not any(line in done.report.body for line, _ in head)


def test_markdown_footnotes_leave_their_text_and_no_marks(tmp_path):
    """GIVEN a downloaded Markdown report with footnotes (泸州's 2022: “三区三线”[^3]划定 … and
    [^3]: 三区三线：…) WHEN it is imported THEN the marks are gone from the paragraph (it read
    “三区三线”[^3]划定, and a search for 三区三线划定 missed it) and each note is a paragraph of
    its own text (it began [^26]: on every page that showed it)."""
    path = tmp_path / "2022年泸州市政府工作报告.md"
    path.write_text("各位代表：\n\n城市功能品质不断完善。“三区三线”[^3]划定试点科学开展，“双随机、一公开”[^26]监管全覆盖。\n\n"
                    "[^3]: 三区三线：指城镇空间、农业空间、生态空间三种类型空间所对应的区域。\n\n"
                    "[^26]: 双随机、一公开：即在监管过程中随机抽取检查对象，随机选派执法检查人员。\n", encoding="utf-8")
    done = importer.import_file(path, tmp_path / "corpus", given={"agency": "泸州市人民政府", "year": 2021})
    texts = [p.text for p in paragraphs_of(done.report)]
    assert texts == ["各位代表：", "城市功能品质不断完善。“三区三线”划定试点科学开展，“双随机、一公开”监管全覆盖。",
                     "三区三线：指城镇空间、农业空间、生态空间三种类型空间所对应的区域。",
                     "双随机、一公开：即在监管过程中随机抽取检查对象，随机选派执法检查人员。"]

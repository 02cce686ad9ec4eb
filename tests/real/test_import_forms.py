"""``kb import`` of reports in the forms people download them in (issue 13), one class of
failure at a time: site furniture in HTML and in text copied off a page, metadata from
every piece of evidence (file name, titles, byline, 来源 line, opening sentence, signature)
with ``?`` when it disagrees, the year reported on for both genres, PDF paragraphs from the
layout, a speech's front matter and glossary, manifests matched by path, ``--dry-run``.

The texts are made here the way such files look; the measured run over a few hundred real
reports rendered into these forms is ``bench/import_forms.py`` (docs/IMPORT.md), and its
quick form is the last test here.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bench import render_forms
from kb.core import corpus
from kb.core.errors import ImportFailed, KbError
from kb.enrich.paragraphs import split_report
from kb.ingest import formats, furniture, importer, metadata
from kb.ingest.repair import repair
from tests.support import paths

ROOT = paths.ROOT

KB = Path(sys.executable).parent / "kb"

REVIEW = "一、2022年工作回顾\n过去一年，全区经济稳中向好，地区生产总值增长6%。\n"
PLAN = "二、2023年工作安排\n今年要抓好以下工作。\n"
BODY = "各位代表：\n现在，我代表区人民政府，向大会报告政府工作，请予审议。\n" + REVIEW + PLAN


def decide(text: str, name: str = "", meta: dict | None = None, markdown: bool = False) -> metadata.Decided:
    return metadata.decide(repair(text, markdown=markdown), {}, file_meta=meta or {}, file_name=name)


def values(d: metadata.Decided) -> tuple:
    return tuple(d.values[k] for k in ("agency", "year", "region", "level"))


# -- furniture: lines judged, not words --------------------------------------------------------------

SITE_LINES = [
    "首页 > 政府信息公开 > 政府工作报告", "当前位置：首页 > 政务公开 > 规划计划", "您当前的位置：首页 >> 信息公开 >> 法定主动公开内容",
    "分享：", "分享到：微信 微博 QQ空间", "时间：2026-01-31 07:00:44 来源：青海日报 编辑：王晓",
    "发布时间：2024-02-05　来源：四川日报　浏览次数：1234", "作者：本报记者 来源：青海日报 发布时间：2024-01-01",
    "【字号：加大 还原 减小】", "字号：[ 大 中 小 ]", "【字体：大 中 小】 【打印】", "浏览次数：2345", "扫一扫在手机打开当前页",
    "打印 关闭窗口", "【打印本页】 【关闭窗口】", "打印本页 | 关闭窗口", "相关链接>>", "中国政府网 | 国务院部门网站 | 地方政府网站",
    "上一篇：关于印发年度重点工作任务的通知", "主办单位：赣州市人民政府办公室 承办单位：赣州市大数据中心",
    "网站标识码：3607000001 赣ICP备05004338号 赣公网安备 36070202000123号", "版权所有：人民政府办公室 网站地图 联系我们",
    "赣州市人民政府门户网站", "中国政府网", "2026-01-31 07:00:44", "索引号：000014349/2024-00012 发布机构：市政府办公室",
    "（责任编辑：张三）",
]
CONTENT_LINES = [
    "推进增材制造（3D打印）产业园建设，打印设备、关闭窗口式审批等老问题得到解决。", "完善利益分享机制，让群众分享发展成果。",
    "（三）压实主办单位责任", "分享发展成果", "各位代表：", "政府工作报告", "大力发展数字政府网站", "一、2023年工作回顾",
    "——2024年1月15日在郑州市第十六届人民代表大会第三次会议上", "郑州市人民政府市长 张三", "2024年1月10日",
]


@pytest.mark.parametrize("line", SITE_LINES)
def test_a_line_of_the_site_is_furniture(line):
    assert furniture.is_furniture(line)


@pytest.mark.parametrize("line", CONTENT_LINES)
def test_a_line_of_the_report_with_a_furniture_word_is_not(line):
    assert not furniture.is_furniture(line)


def test_a_date_and_source_glued_to_the_first_paragraph_is_cut_off():
    assert furniture.glued_prefix("2026-01-31 07:00:44来源：青海日报各位代表：") == "2026-01-31 07:00:44来源：青海日报"
    assert furniture.glued_prefix("2023年，县卫健委在县委的领导下") == ""


def copied_page(body: str = BODY, title: str = "2023年坪山区政府工作报告") -> str:
    """A report's page copied off the screen: furniture above the title, in the middle and below."""
    top = "深圳市坪山区人民政府门户网站\n首页 > 政府信息公开 > 规划计划\n"
    info = "分享：\n时间：2023-01-31 07:00:44 来源：深圳特区报 编辑：王晓\n【字号：加大 还原 减小】\n"
    lines = body.split("\n")
    middle = len(lines) // 2
    body = "\n".join([*lines[:middle], "扫一扫在手机打开当前页", *lines[middle:]])
    bottom = "打印 关闭窗口\n相关链接>>\n主办单位：深圳市坪山区人民政府办公室\n粤ICP备05004338号 粤公网安备 44030702000123号\n"
    return top + title + "\n" + info + body + bottom


def test_text_copied_off_a_page_keeps_the_report_and_drops_the_site_wherever_it_stands():
    """GIVEN a report's page copied off the screen, with the site's lines above the title,
    between two paragraphs and below the report, and content lines holding 打印 and 分享
    WHEN it is repaired
    THEN its title, paragraphs and headings are the report's alone, and the content lines stay."""
    body = BODY.replace("今年要抓好以下工作。", "今年要抓好以下工作。\n" + "\n".join(CONTENT_LINES[:2]))
    r = repair(copied_page(body))
    assert r.title == "2023年坪山区政府工作报告"
    texts = [b.text for b in r.blocks]
    assert texts == ["各位代表：", "现在，我代表区人民政府，向大会报告政府工作，请予审议。", "一、2022年工作回顾",
                     "过去一年，全区经济稳中向好，地区生产总值增长6%。", "二、2023年工作安排", "今年要抓好以下工作。",
                     *CONTENT_LINES[:2]]
    assert "来源" not in "".join(texts) and all(not furniture.is_furniture(t) for t in texts)
    assert any(line.startswith("时间：") for line in r.furniture)


def test_a_site_page_keeps_its_byline_and_drops_its_furniture(tmp_path):
    """GIVEN a site's page whose byline is set apart from the article and whose article holds
    the info line, the font-size widget and 扫一扫
    WHEN it is imported
    THEN the byline gives the date and place, and no furniture is in the report."""
    BODY_2008 = BODY.replace("区", "省").replace("2022", "2007").replace("2023", "2008")  # noqa: N806
    page = f"""<html><head><meta charset="utf-8"><title>政府工作报告_河南省人民政府门户网站</title></head><body>
<div class="nav">首页 &gt; 政府信息公开 &gt; 政府工作报告</div>
<div class="article"><h1>政府工作报告</h1><div class="info">发布时间：2008-01-28 来源：河南日报</div>
<div class="info">【字号：加大 还原 减小】</div>
<p style="text-align:center">——二〇〇八年一月十六日在河南省第十一届人民代表大会第一次会议上</p>
<p style="text-align:center">省长 李成玉</p>
<div class="content">{''.join(f'<p>{t}</p>' for t in BODY_2008.split(chr(10)) if t)}
<div>扫一扫在手机打开当前页</div></div><div class="tool">打印 关闭窗口</div></div>
<div class="footer">主办：河南省人民政府办公厅 豫ICP备05004338号</div></body></html>"""
    (tmp_path / "index.html").write_text(page, encoding="utf-8")
    done = importer.import_file(tmp_path / "index.html", tmp_path / "corpus")
    assert (done.report.agency, done.report.year, done.report.level) == ("河南省人民政府", 2007, "省")
    assert not done.unsure and done.report.date_signed == "2008-01-16"
    assert not any(w in done.report.body for w in ("字号", "扫一扫", "打印", "ICP", "来源", "省长"))


# -- metadata: every piece of evidence, weighed per field --------------------------------------------


def test_a_file_named_by_its_title_gives_agency_and_year():
    """GIVEN 2023年坪山区政府工作报告.txt whose text says only 我代表区人民政府 and reviews 2022
    THEN it is 深圳市坪山区人民政府's report on 2022 (the bare 区 is the file name's 坪山区), for sure."""
    d = decide(BODY, "2023年坪山区政府工作报告")
    assert values(d) == ("深圳市坪山区人民政府", 2022, "广东省深圳市坪山区", "区") and not d.unsure
    assert d.values["title"] == "2023年坪山区政府工作报告"


def test_a_place_the_text_names_often_does_not_outweigh_the_file_name():
    """GIVEN 2011年合肥市政府工作报告.txt whose text names 巢湖市 (a city under 合肥) more than 合肥
    THEN the agency is 合肥市人民政府, level 市, not 巢湖市 (县)."""
    body = BODY.replace("区", "市").replace("地区生产总值", "巢湖市、巢湖市和巢湖市的地区生产总值")
    d = decide(body.replace("2022", "2010").replace("2023", "2011"), "2011年合肥市政府工作报告")
    assert values(d) == ("合肥市人民政府", 2010, "安徽省合肥市", "市") and not d.unsure


def test_evidence_that_disagrees_is_marked_with_the_competing_readings():
    """GIVEN a file named 2024年湖州市政府工作报告 holding a text whose title and byline are 黑龙江省's
    THEN the agency is the text's (more evidence), marked ?, and the note names both readings."""
    text = "黑龙江省政府工作报告\n——2024年1月20日在黑龙江省第十四届人民代表大会第二次会议上\n" + BODY.replace("区", "省")
    d = decide(text, "2024年湖州市政府工作报告")
    assert d.values["agency"] == "黑龙江省人民政府" and {"agency", "region", "level"} <= d.unsure
    note = next(n for n in d.notes if n.startswith("unsure agency"))
    assert "湖州市人民政府 (the file name)" in note and "黑龙江省人民政府" in note


def test_a_file_that_names_no_agency_is_refused_saying_what_was_looked_for(tmp_path):
    (tmp_path / "新建文本文档.txt").write_text("各位代表：\n现在，我代表政府向大会报告工作。\n" + REVIEW, encoding="utf-8")
    with pytest.raises(ImportFailed) as e:
        importer.import_file(tmp_path / "新建文本文档.txt", tmp_path / "corpus")
    message = str(e.value)
    assert "无法确定单位 (agency:" in message and "the file name" in message and "the byline" in message
    assert "--agency" in message and "manifest" in message and "agency column" in message
    assert not (tmp_path / "corpus").exists() or not list((tmp_path / "corpus").iterdir())


def test_a_source_line_and_the_site_name_are_evidence_too():
    """GIVEN copied text titled only 政府工作报告, with 来源：海南省人民政府办公厅 and 我代表省人民政府
    THEN the agency is 海南省人民政府 (the bare 省 resolved by the 来源 line)."""
    text = copied_page(BODY.replace("区", "省"), "政府工作报告").replace("来源：深圳特区报", "来源：海南省人民政府办公厅")
    text = text.replace("深圳市坪山区人民政府门户网站", "").replace("深圳市坪山区人民政府办公室", "")
    d = decide(text, "新建文本文档")
    assert d.values["agency"] == "海南省人民政府" and d.values["year"] == 2022


@pytest.mark.parametrize("review, year", [
    ("一、1999年工作的主要情况", 1999), ("一、2022年工作回顾", 2022), ("一、过去一年工作回顾", 2022)])
def test_a_work_report_reviews_the_year_before_it_was_given(review, year):
    """The year reported on of a work report given in 2023 (its title's year), from its review heading."""
    text = "政府工作报告\n——2023年1月15日在郑州市第十六届人民代表大会第三次会议上\n" + BODY.replace(
        "一、2022年工作回顾", review).replace("区", "市")
    d = decide(text.replace("2023年1月15日", f"{year + 1}年1月15日").replace("2023年工作安排", f"{year + 1}年工作安排"))
    assert d.values["year"] == year and "year" not in d.unsure


def test_a_plan_heading_with_main_work_is_no_review():
    """二、2023年主要工作安排 plans the year given; it does not review it."""
    text = BODY.replace("一、2022年工作回顾", "一、过去一年工作回顾").replace("二、2023年工作安排", "二、2023年主要工作安排")
    d = decide(text, "2023年坪山区政府工作报告")
    assert d.values["year"] == 2022 and "year" not in d.unsure


def test_a_span_of_years_in_a_review_heading_is_no_year():
    """一、2022年以来工作回顾 names a span: the year comes from the date the report was given."""
    text = "政府工作报告\n——2024年1月15日在郑州市第十六届人民代表大会第三次会议上\n" + BODY.replace(
        "一、2022年工作回顾", "一、2022年以来工作回顾").replace("2023年工作安排", "2024年工作安排").replace("区", "市")
    assert decide(text).values["year"] == 2023


def test_a_rule_of_law_reports_title_year_is_the_year_it_reports_on():
    """GIVEN a 法治政府建设 report named 深圳市龙华区2019年法治政府建设工作报告.txt, signed 2019年12月18日
    THEN it reports on 2019 and its title is the file name (none is invented)."""
    text = "2019年，区委区政府坚持以习近平法治思想为指导，推进法治政府建设。\n一、主要举措和成效\n全年办理案件120件。\n" \
           "深圳市龙华区人民政府\n2019年12月18日\n"
    d = decide(text, "深圳市龙华区2019年法治政府建设工作报告")
    assert values(d) == ("深圳市龙华区人民政府", 2019, "广东省深圳市龙华区", "区") and not d.unsure
    assert d.values["title"] == "深圳市龙华区2019年法治政府建设工作报告"


def test_each_field_has_its_own_decision_with_value_evidence_and_certainty():
    d = decide(BODY, "2023年坪山区政府工作报告")
    assert set(d.decisions) >= {"title", "agency", "year", "region", "level", "date_signed"}
    year = d.decisions["year"]
    assert (year.value, year.certain) == (2022, True) and "review" in year.evidence
    assert {r.value for r in year.readings} == {2022}


# -- PDF paragraphs from the layout ----------------------------------------------------------------------

PDF_BODY = [
    ("heading", "一、2023年工作回顾"),
    ("para", "过去一年，我们坚持稳中求进工作总基调，全力以赴稳增长、促改革、调结构、惠民生、防风险、保稳定，经济社会发展"
             "取得新成效。全年地区生产总值增长5.2%，一般公共预算收入增长6.1%。城镇新增就业2.3万人。"),
    ("para", "我们坚持创新驱动发展。新增高新技术企业120家。我们坚持改革开放。营商环境持续优化；我们坚持民生优先。"
             "十件民生实事全面完成：新建改扩建学校12所；新增养老床位800张。"),
    ("heading", "二、2024年工作安排：坚持以习近平新时代中国特色社会主义思想为指导全面贯彻党的二十大精神赢得发展新机遇"),
    ("para", "今年经济社会发展的主要预期目标是：地区生产总值增长5.5%左右，城镇新增就业2万人以上，居民收入增长与经济增长同步。"),
]


@pytest.mark.parametrize("width", [18, 24, 34])
def test_pdf_paragraphs_come_from_the_layout_not_from_line_ends(tmp_path, width):
    """GIVEN a PDF wrapped by printed width (lines ending in 。；： at the margin inside
    paragraphs, a heading wrapped over two lines, running headers, page numbers) at a narrow,
    a middle and a wide measure
    WHEN it is imported
    THEN every paragraph is whole, the two headings are the only headings, the wrapped one joined."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    size = 12
    measure = lambda t: pdfmetrics.stringWidth(t, "STSong-Light", size)  # noqa: E731
    lines = [("2024年郑州市政府工作报告", 3 * size)]
    for kind, text in PDF_BODY:
        indent = 2 * size if kind == "para" else 0
        lines += [(part, indent if k == 0 else 0)
                  for k, part in enumerate(render_forms.wrap(text, width * size - indent, width * size, measure))]
    c = canvas.Canvas(str(tmp_path / "r.pdf"))
    per_page = 9
    for n, start in enumerate(range(0, len(lines), per_page), 1):
        c.setFont("STSong-Light", 9)
        c.drawString(72, 805, "2024年郑州市政府工作报告")
        c.drawString(290, 30, f"- {n} -")
        c.setFont("STSong-Light", size)
        for k, (text, indent) in enumerate(lines[start:start + per_page]):
            c.drawString(72 + indent, 770 - k * size * 1.8, text)
        c.showPage()
    c.save()
    done = importer.import_file(tmp_path / "r.pdf", tmp_path / "corpus")
    blocks = [b for b in done.report.body.strip().split("\n\n")]
    expected = [("## " if kind == "heading" else "") + text for kind, text in PDF_BODY]
    assert blocks == [e.rstrip("。") if e.startswith("#") else e for e in expected]


# -- a speech's front matter, glossaries -------------------------------------------------------------------


def test_a_speeches_date_meeting_and_speaker_are_metadata_not_headings():
    text = "政府工作报告\n——2017年1月8日在济南市第十六届人民代表大会第三次会议上\n济南市代市长于海田\n" + BODY.replace("区", "市")
    r = repair(text)
    assert r.byline == ["——2017年1月8日在济南市第十六届人民代表大会第三次会议上", "济南市代市长于海田"]
    assert not any("于海田" in b.text or "代表大会" in b.text for b in r.blocks)
    d = metadata.decide(r, {})
    assert (d.values["agency"], d.values["date_signed"], d.values["signed_by"]) == (
        "济南市人民政府", "2017-01-08", "济南市代市长于海田")


def test_a_bare_name_under_the_date_is_the_speaker():
    r = repair("2007年厦门市政府工作报告\n（2007年3月29日）\n刘赐贵\n" + BODY.replace("区", "市"))
    assert r.byline == ["（2007年3月29日）", "刘赐贵"] and r.blocks[0].text == "各位代表："


@pytest.mark.parametrize("heading", ["名词解释", "注释：", "《政府工作报告》名词解释", "附：名词解析", "附件《政府工作报告》有关内容名词注释"])
def test_a_glossary_is_a_section_of_its_own_kind_and_its_entries_are_paragraphs(heading):
    """GIVEN a report ending in a glossary whose entries are numbered like headings
    THEN the glossary's heading is one heading, its entries are paragraphs of kind 名词解释."""
    text = "2023年郑州市政府工作报告\n" + BODY.replace("区", "市") + f"{heading}\n1.“六稳”：稳就业、稳金融、稳外贸、稳外资、稳投资、稳预期。\n" \
        "2.专精特新企业：具有专业化、精细化、特色化、新颖化特征的工业中小企业。\n"
    r = repair(text)
    assert [b.kind for b in r.blocks[-3:]] == ["heading", "para", "para"]
    report = importer.Report("2022-00000000", "t", "a", 2022, body=corpus.blocks_to_markdown(r.blocks))
    kinds = [(p.text[:2], p.section_kind) for p in split_report(report)]
    assert kinds[-2:] == [("1.", "名词解释"), ("2.", "名词解释")] and kinds[0][1] != "名词解释"


# -- manifests, dry run ------------------------------------------------------------------------------------


def kb(*args, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(KB), *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=120)


@pytest.fixture
def same_names(tmp_path, seeds_dir) -> Path:
    """Three seeds saved as report.txt in folders of their own."""
    for n, seed in enumerate(sorted(seeds_dir.glob("*.txt"))[:3]):
        (tmp_path / "dl" / f"unit{n}").mkdir(parents=True)
        (tmp_path / "dl" / f"unit{n}" / "report.txt").write_bytes(seed.read_bytes())
    return tmp_path / "dl"


def _manifest(path: Path, names: list[str]) -> Path:
    rows = [f"{name},单位{n}局,{2000 + n},,县" for n, name in enumerate(names)]
    path.write_text("file,agency,year,region,level\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("how", ["relative", "absolute"])
def test_a_manifest_matches_files_by_path(same_names, tmp_path, how):
    """GIVEN three files all named report.txt in different folders and a manifest naming each
    by its path relative to the manifest's folder, or by its absolute path
    THEN each report gets its own row's values."""
    paths = [f"unit{n}/report.txt" for n in range(3)]
    if how == "absolute":
        paths = [str((same_names / p).resolve()) for p in paths]
    m = _manifest((same_names if how == "relative" else tmp_path) / "m.csv", paths)
    proc = kb("import", same_names, "--manifest", m, "--corpus", tmp_path / "corpus", "--no-build", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    found = {(r.agency, r.year) for r in map(corpus.read, (tmp_path / "corpus").glob("*.md"))}
    assert found == {("单位0局", 2000), ("单位1局", 2001), ("单位2局", 2002)}


def test_an_ambiguous_base_name_in_a_manifest_is_an_error_naming_the_files(same_names, tmp_path):
    m = _manifest(tmp_path / "m.csv", ["report.txt"])
    proc = kb("import", same_names, "--manifest", m, "--corpus", tmp_path / "corpus", "--no-build")
    assert proc.returncode == 1 and proc.stderr.startswith("Error: ") and "Traceback" not in proc.stderr
    assert "report.txt" in proc.stderr and all(f"unit{n}" in proc.stderr for n in range(3))
    assert not (tmp_path / "corpus").exists()
    with pytest.raises(KbError, match="3 rows name report.txt"):
        importer.match_manifest(importer.read_manifest(_manifest(tmp_path / "r.csv", ["report.txt"] * 3)),
                                list(same_names.rglob("*.txt")))


def test_dry_run_shows_what_would_be_decided_and_writes_nothing(tmp_path):
    (tmp_path / "2024年湖州市政府工作报告.txt").write_text(
        "黑龙江省政府工作报告\n——2024年1月20日在黑龙江省第十四届人民代表大会第二次会议上\n" + BODY.replace("区", "省"),
        encoding="utf-8")
    proc = kb("import", "--dry-run", tmp_path / "2024年湖州市政府工作报告.txt", "--corpus", tmp_path / "corpus")
    assert proc.returncode == 0, proc.stderr
    assert "(would be added)" in proc.stdout and "? unsure agency: the evidence disagrees" in proc.stdout
    assert "湖州市人民政府 (the file name)" in proc.stdout and "nothing written (--dry-run)" in proc.stdout
    assert not (tmp_path / "corpus").exists() and not (tmp_path / "index").exists()


# -- the real reports in their downloaded forms -------------------------------------------------------------


@pytest.mark.slow
def test_real_reports_rendered_as_downloaded_meet_the_targets(capsys):
    """bench/import_forms.py over 60 real reports and the seeds: metadata right >= 98%, no refusal,
    no wrong value without ?, no furniture kept, >= 95% of PDF paragraphs whole."""
    from bench import import_forms

    if not import_forms.TARBALL.is_file():
        pytest.fail(f"the real reports are expected at {import_forms.TARBALL}")
    assert import_forms.main(["--reports", "60", "--show", "20"]) == 0, capsys.readouterr().out
    assert formats.SUPPORTED  # the forms rendered are the formats read

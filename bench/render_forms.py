"""Render real reports into the forms people download them in, with the truth beside each file.

Used by ``bench/import_forms.py`` (and its test). A :class:`Source` is one real report read
independently of ``kb`` (its path gives the truth: ``政府工作报告-<级别>/<单位>/<年>.md`` is a
work report of <单位> given in <年>, so it reports on <年>−1; the seeds' truth is
``tests/data/seeds.csv``). :func:`render` writes it as one of :data:`FORMS`:

- ``site.html``: a government site's page: breadcrumbs, share and font-size widgets,
  时间/来源/编辑/浏览次数 lines, 扫一扫, related links, a footer with 主办单位/ICP/公网安备,
  some of it inside the article;
- ``copied.txt``: the same page's text copied off the screen (furniture lines at the top,
  in the middle and at the bottom, a date line glued to the first paragraph);
- ``pdf``: hard-wrapped lines at one of several widths, running headers, page numbers,
  headings flush left or indented like paragraphs, long headings wrapped;
- ``styled.docx`` / ``plain.docx``: Word with heading styles, and with bold or plain headings;
- ``named.txt``: only the body, the title is the file name (``2023年坪山区政府工作报告.txt``);
- ``original.md``: the file as the data set has it.

Every rendered file records the furniture lines put into it (``furniture``: each must be
gone from the imported report) and the content lines holding furniture words
(3D打印, 利益分享机制) that must stay. Text forms rotate through UTF-8, GBK and UTF-16.
"""

from __future__ import annotations

import csv
import random
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
SEEDS_CSV = ROOT / "tests" / "data" / "seeds.csv"
FORMS = ("site.html", "copied.txt", "pdf", "styled.docx", "named.txt", "plain.docx", "copied-glued.txt",
         "original.md")

#: Content lines that hold furniture words: they must survive the furniture removal.
CONTENT_WITH_FURNITURE_WORDS = (
    "推进增材制造（3D打印）产业园建设，打印设备、关闭窗口式审批等老问题得到解决。",
    "完善利益分享机制，让群众分享发展成果。",
)
NEWSPAPERS = ("青海日报", "四川日报", "人民日报", "新华社", "南方日报", "大众日报")


@dataclass
class Source:
    """One real report, read without kb, and the truth about it."""

    key: str  # where it came from, for messages
    genre: str  # "work" (政府工作报告) or "rule" (法治政府建设)
    unit: str  # 赣州市, 国务院, 宝丰县卫生健康委员会
    agency: str
    year: int  # reported on
    given: int  # the year in its title / the year it was given
    region: str
    level: str
    title: str
    header: list[str] = field(default_factory=list)  # byline and speaker lines
    blocks: list[tuple[str, str]] = field(default_factory=list)  # ("heading" | "para", text)
    trailer: list[str] = field(default_factory=list)  # signature and date (rule reports)
    origin: Path | None = None  # the file as the data set has it


@dataclass
class Rendered:
    """One file made from a source, and what the import must do with it."""

    path: Path
    form: str
    source: Source
    furniture: list[str] = field(default_factory=list)  # lines that must not stay in the report
    content: list[str] = field(default_factory=list)  # added content lines that must stay
    encoding: str = "utf-8"


# -- reading the sources --------------------------------------------------------------------------


def _plain(text: str) -> str:
    return re.sub(r"\*\*|<[^>]+>", "", text).strip()


def _is_header_line(text: str) -> bool:
    return len(text) <= 70 and bool(
        re.search(r"代表大会|会议上|^[（(]?\d{4}年\d{1,2}月\d{1,2}日|^——", text)
        or re.search(r"(?:总理|省长|市长|主席|州长|盟长|专员)[\s\u3000]*[\u4e00-\u9fa5·]{2,4}$", text)
    )


def source_heading(line: str, plain: str) -> bool:
    """The truth of a heading in the data set, which marks some headings and not others: a #
    or wholly bold line; a numbered line (一、 （一） 第一部分 1、) of at most 60 characters with no
    sentence inside it (a final 。 allowed); a line of at most 32 characters that does not end
    like a sentence or a clause and has no sentence punctuation inside."""
    marked = line.startswith("#") or (line.startswith("**") and line.endswith("**") and line.count("**") == 2)
    if re.search(r"[。；！？]", plain[:-1]) or len(plain) > 60:
        return False
    numbered = re.match(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|第[一二三四五六七八九十]+部分|\d{1,2}[、．.](?!\d))", plain)
    return bool(marked or (numbered and len(plain) <= 60 and not re.search(r"[：:]", plain))
                or (len(plain) <= 32 and not re.search(r"[。；！？：:，,、]$|[：:；;]", plain)))


def front_matter_line(text: str) -> bool:
    """A byline, speaker, date or rule line that the data set leaves among the paragraphs
    (the import moves it to the metadata or drops it: not counted as content lost)."""
    return bool(_is_header_line(text) or re.fullmatch(r"-{3,}|目录", text) or re.match(r"^来源[:：]", text)
                or (len(text) <= 40 and not re.search(r"[，,。；]", text)
                    and re.search(r"(?:总理|省长|市长|主席|州长|县长|区长|盟长|专员)[\s\u3000\u2002\xa0]*[\u4e00-\u9fa5·]{1,3}"
                                  r"(?:[\s\u3000\u2002\xa0]*[\u4e00-\u9fa5·]{1,4})?$", text))
                or re.fullmatch(r"[（(]?[\d一二三四五六七八九〇○零]{4}年[\d一二三四五六七八九十]{1,3}月[\d一二三四五六七八九十]{1,3}日[)）]?", text)
                or re.fullmatch(r"[\u4e00-\u9fa5·]{2,4}", text) and len(text) <= 4 and "代表" not in text)


def parse_data_report(path: Path, top: Path, gaz) -> Source | None:
    """A work report of the data set, or None if it is not one to render (a table, too short,
    a path that does not say its year, a unit the gazetteer does not know)."""
    rel = path.relative_to(top)
    if not re.fullmatch(r"\d{4}", path.stem):
        return None
    text = path.read_text(encoding="utf-8")
    m = re.match(r"---\n(.*?)\n---\n", text, re.S)
    fm = m.group(1) if m else ""
    body = text[m.end():] if m else text
    body = re.sub(r"<!--.*?-->", "", body, flags=re.S)
    if re.search(r"^\s*\|", body, re.M) or "![" in body:
        return None
    chunks = [c.strip() for c in re.split(r"\n\s*\n", body) if c.strip()]
    national = rel.parts[0].endswith("国务院")
    unit = "国务院" if national else rel.parts[1]
    if national:
        region, level, agency = "", "国家", "国务院"
    else:
        found = gaz.named(unit)
        if len(found) != 1:
            return None
        region, level, agency = found[0].region, found[0].level, unit + "人民政府"
    header, blocks = [], []
    for chunk in chunks:
        for line in (x.strip() for x in chunk.split("\n") if x.strip()):
            plain = _plain(line.lstrip("#").strip())
            if not blocks and (("报告" in plain and len(plain) <= 40 and not header) or _is_header_line(plain)):
                if "报告" not in plain or header:
                    header.append(plain)
                continue
            kind = "heading" if source_heading(line, plain) else "para"
            if plain:
                blocks.append((kind, plain))
    if sum(k == "para" for k, _ in blocks) < 10:
        return None
    given = int(path.stem)
    ftitle = re.search(r"^title:\s*(.+)$", fm, re.M)
    title = _plain(ftitle.group(1)) if ftitle else "政府工作报告"
    return Source(str(rel), "work", unit, agency, given - 1, given, region, level, title, header, blocks,
                  origin=path)


def sample_data(top: Path, n: int, seed: int = 13) -> list[Source]:
    """``n`` renderable work reports, drawn evenly from the four folders of the data set.
    四川省's paths name the year reviewed, not the year given: left out (the truth would be wrong)."""
    from kb.ingest import gazetteer

    gaz = gazetteer.load()
    rng = random.Random(seed)
    folders = sorted(p for p in top.iterdir() if p.is_dir())
    out: list[Source] = []
    per = {f: n * w // 20 for f, w in zip(folders, (6, 8, 1, 5), strict=True)}  # 主要城市 其他地市 国务院 省
    for folder in folders:
        files = sorted(p for p in folder.rglob("*.md") if "四川省" not in p.parts)
        rng.shuffle(files)
        got = 0
        for path in files:
            if got >= per[folder]:
                break
            source = parse_data_report(path, top, gaz)
            if source is not None:
                out.append(source)
                got += 1
    return out


def seed_sources() -> list[Source]:
    """The five seeds (法治政府建设 reports: the title's year is the year reported on), from
    the corpus the seeds were imported into, with their truth from tests/data/seeds.csv."""
    import yaml

    with open(SEEDS_CSV, encoding="utf-8") as f:
        truth = {row["source"]: row for row in csv.DictReader(f)}
    out = []
    for path in sorted((ROOT / "corpus").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        _, fm, body = text.split("---\n", 2)
        meta = yaml.safe_load(fm)
        row = truth[meta["source"]]
        blocks = []
        for chunk in (c.strip() for c in body.split("\n\n") if c.strip()):
            blocks.append(("heading", chunk.lstrip("#").strip()) if chunk.startswith("#") else ("para", _plain(chunk)))
        trailer = [x for x in (meta.get("signed_by", ""), _cn_date(str(meta.get("date_signed", "")))) if x]
        year = int(row["year"])
        out.append(Source(f"seeds/{row['file']}", "rule", row["agency"], row["agency"], year, year,
                          row["region"], row["level"], meta["title"], [], blocks, trailer,
                          origin=SEEDS / row["file"]))
    return out


def _cn_date(iso: str) -> str:
    parts = iso.split("-")
    if len(parts) < 2:
        return ""
    return f"{parts[0]}年{int(parts[1])}月" + (f"{int(parts[2])}日" if len(parts) > 2 else "")


# -- furniture ------------------------------------------------------------------------------------


def site_name(s: Source) -> str:
    return "中国政府网" if s.unit == "国务院" else (s.agency if s.genre == "work" else s.unit) + "门户网站"


def top_furniture(s: Source, rng: random.Random) -> list[str]:
    when = f"{s.given + (s.genre == 'rule')}-0{rng.randint(1, 3)}-{rng.randint(10, 28)} 0{rng.randint(7, 9)}:{rng.randint(10, 59)}:{rng.randint(10, 59)}"
    paper = rng.choice(NEWSPAPERS)
    options = [
        [site_name(s)],
        [rng.choice(["首页 > 政府信息公开 > 政府工作报告", "当前位置：首页 > 政务公开 > 规划计划",
                     "您当前的位置：首页 >> 信息公开 >> 法定主动公开内容"])],
        ["分享：" if rng.random() < 0.5 else "分享到："],
        [rng.choice([f"时间：{when} 来源：{paper} 编辑：王晓", f"发布时间：{when[:10]}　来源：{paper}　浏览次数：{rng.randint(100, 9999)}",
                     f"作者：本报记者 来源：{paper} 发布时间：{when}"])],
        [rng.choice(["【字号：加大 还原 减小】", "字号：[ 大 中 小 ]", "【字体：大 中 小】 【打印】"])],
        [f"浏览次数：{rng.randint(100, 9999)}"],
    ]
    rng.shuffle(options)
    return [line for group in options[: rng.randint(3, 6)] for line in group]


def middle_furniture(rng: random.Random) -> list[str]:
    return [rng.choice(["扫一扫在手机打开当前页", "【字号：加大 还原 减小】", "分享到：微信 微博 QQ空间"])]


def bottom_furniture(s: Source, rng: random.Random) -> list[str]:
    office = (s.agency if s.genre == "work" else s.unit) + ("办公室" if s.unit != "国务院" else "办公厅")
    lines = [
        rng.choice(["打印 关闭窗口", "【打印本页】 【关闭窗口】", "打印本页 | 关闭窗口", "【打印】【关闭】"]),
        "扫一扫在手机打开当前页",
        rng.choice(["相关链接>>", "相关链接：", "相关文章"]),
        rng.choice(["中国政府网 | 国务院部门网站 | 地方政府网站", "上一篇：关于印发年度重点工作任务的通知"]),
        rng.choice([f"主办单位：{office} 承办单位：大数据中心", f"主办：{office}　联系电话：0791-88912345"]),
        rng.choice(["网站标识码：3607000001 赣ICP备05004338号 赣公网安备 36070202000123号",
                    "京ICP备05070218号 京公网安备11010202000001号", "版权所有：人民政府办公室 网站地图 联系我们"]),
    ]
    rng.shuffle(lines[:3])
    return lines[: rng.randint(4, 6)]


# -- writers ----------------------------------------------------------------------------------------


def _body_with_content(s: Source, rng: random.Random) -> tuple[list[tuple[str, str]], list[str]]:
    """The source's blocks with the content lines holding furniture words put in the middle."""
    blocks = list(s.blocks)
    at = max(2, len(blocks) // 3)
    added = list(CONTENT_WITH_FURNITURE_WORDS)
    blocks[at:at] = [("para", added[0])]
    blocks[at * 2:at * 2] = [("para", added[1])]
    return blocks, added


def file_title(s: Source) -> str:
    """The title a file is saved under: 2023年坪山区政府工作报告, 宝丰县卫生健康委员会2023年度法治政府建设情况报告."""
    if s.genre == "rule":
        return s.title if str(s.year) in s.title else f"{s.unit}{s.year}年法治政府建设工作报告"
    return f"{s.given}年{s.unit}政府工作报告" if s.unit != "国务院" else f"{s.given}年国务院政府工作报告"


def shown_title(s: Source, rng: random.Random) -> str:
    """The title line a page shows: the data's title, or one naming the place and the year."""
    if s.genre == "rule" or (s.header and any("代表大会" in h for h in s.header) and rng.random() < 0.5):
        return s.title
    return file_title(s)


def text_lines(s: Source, rng: random.Random, glued: bool) -> tuple[list[str], list[str], list[str]]:
    """(lines, furniture, content) of the page's text copied off the screen."""
    blocks, content = _body_with_content(s, rng)
    top = top_furniture(s, rng)
    title = shown_title(s, rng)
    lines = [*top[:2], title, *top[2:], *s.header]
    furniture = list(top)
    body = [text for _, text in blocks]
    if glued:  # 2026-01-31 07:00:44来源：青海日报各位代表：
        glue = f"{s.given}-01-31 07:00:44来源：{rng.choice(NEWSPAPERS)}"
        lines = [line for line in lines if line not in top[2:]] if rng.random() < 0.5 else lines
        body[0] = glue + body[0]
        furniture.append(glue)
    middle = middle_furniture(rng)
    cut = len(body) // 2
    body[cut:cut] = middle
    furniture += middle
    bottom = bottom_furniture(s, rng)
    furniture += bottom
    indent = "\u3000\u3000" if rng.random() < 0.5 else ""
    sep = "\n\n" if rng.random() < 0.5 else "\n"
    text_body = [indent + b for b in body] + s.trailer
    return [*lines, *text_body, *bottom], furniture, content + [sep]


def write_text(path: Path, lines: list[str], encoding: str, sep: str = "\n") -> None:
    data = sep.join(lines) + "\n"
    try:
        path.write_bytes(data.encode(encoding))
    except UnicodeEncodeError:  # a character GBK lacks: GB18030, its superset, as Windows saves it
        path.write_bytes(data.encode("gb18030"))


def render_site(s: Source, path: Path, rng: random.Random) -> Rendered:
    """A government site's page."""
    import html

    blocks, content = _body_with_content(s, rng)
    top = top_furniture(s, rng)
    bottom = bottom_furniture(s, rng)
    middle = middle_furniture(rng)
    title = shown_title(s, rng)
    e = html.escape
    body = []
    for n, (kind, text) in enumerate(blocks):
        if n == len(blocks) // 2:
            body.append(f'<div class="ewm">{e(middle[0])}</div>')
        body.append(f"<p><strong>{e(text)}</strong></p>" if kind == "heading" else f'<p style="text-indent:2em">{e(text)}</p>')
    body += [f'<p style="text-align:right">{e(t)}</p>' for t in s.trailer]
    info = [t for t in top if re.search(r"时间|来源|浏览|字号|字体|分享", t)]
    nav = [t for t in top if t not in info]
    page_title = f"{title}_{site_name(s)}" if rng.random() < 0.7 else title
    heading = f"<h1>{e(title)}</h1>" if rng.random() < 0.5 else f'<div class="title">{e(title)}</div>'
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{e(page_title)}</title></head><body>
<div class="top">{''.join(f'<div class="nav">{e(t)}</div>' for t in nav)}
<ul class="menu"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/hdjl/">互动交流</a></li></ul></div>
<div class="main"><div class="article">{heading}
{''.join(f'<div class="info">{e(t)}</div>' for t in info)}
{''.join(f'<p style="text-align:center">{e(h)}</p>' for h in s.header)}
<div class="content">{''.join(body)}</div>
{''.join(f'<div class="tool">{e(t)}</div>' for t in bottom[:3])}</div></div>
<div class="footer">{''.join(f'<p>{e(t)}</p>' for t in bottom[3:])}</div></body></html>"""
    path.write_text(page, encoding="utf-8")
    return Rendered(path, "site.html", s, top + middle + bottom, content)


def render_copied(s: Source, path: Path, rng: random.Random, encoding: str, glued: bool) -> Rendered:
    lines, furniture, content = text_lines(s, rng, glued)
    sep = content.pop()
    write_text(path, lines, encoding, sep)
    return Rendered(path, "copied-glued.txt" if glued else "copied.txt", s, furniture, content, encoding)


def render_named(s: Source, path: Path, rng: random.Random, encoding: str) -> Rendered:
    """Only the body (各位代表：现在，我代表…), the title in the file name."""
    blocks, content = _body_with_content(s, rng)
    write_text(path, [t for _, t in blocks] + s.trailer, encoding, "\n\n" if rng.random() < 0.5 else "\n")
    return Rendered(path, "named.txt", s, [], content, encoding)


def render_docx(s: Source, path: Path, rng: random.Random, styled: bool) -> Rendered:
    import docx

    blocks, content = _body_with_content(s, rng)
    doc = docx.Document()
    title = shown_title(s, rng)
    if styled:
        doc.add_heading(title, 0)
    else:
        doc.add_paragraph().add_run(title).bold = True
    for h in s.header:
        doc.add_paragraph(h)
    for kind, text in blocks:
        if kind == "heading" and styled:
            doc.add_heading(text, 1 if re.match(r"^[一二三四五六七八九十]+、", text) else 2)
        elif kind == "heading" and rng.random() < 0.5:
            doc.add_paragraph().add_run(text).bold = True
        else:
            doc.add_paragraph(text).paragraph_format.first_line_indent = docx.shared.Pt(24)
    for t in s.trailer:
        doc.add_paragraph(t)
    doc.save(str(path))
    return Rendered(path, "styled.docx" if styled else "plain.docx", s, [], content)


def wrap(text: str, first: float, width: float, measure) -> list[str]:
    """``text`` cut into lines by their printed width, as a typesetter wraps (the first line
    ``first`` points wide, the others ``width``)."""
    lines, line, room = [], "", first
    for ch in text:
        if line and measure(line + ch) > room:
            lines.append(line)
            line, room = "", width
        line += ch
    return [*lines, line] if line else lines


def pdf_lines(s: Source, rng: random.Random, width: int, measure, size: float) -> tuple[list[tuple[str, float]], list[str]]:
    """(line, indent in points) as a PDF lays the report out, ``width`` characters wide."""
    blocks, content = _body_with_content(s, rng)
    head_indent = 2 * size if rng.random() < 0.5 else 0
    full = width * size
    title = shown_title(s, rng)
    lines: list[tuple[str, float]] = []
    for part in [*wrap(title, full - 4 * size, full - 4 * size, measure), *s.header]:
        lines.append((part, max(0.0, (full - measure(part)) / 2)))
    for kind, text in blocks:
        indent = head_indent if kind == "heading" else 2 * size
        for k, part in enumerate(wrap(text, full - indent, full, measure)):
            lines.append((part, indent if k == 0 else 0))
    lines += [(t, max(0.0, full - measure(t))) for t in s.trailer]
    return lines, content


def render_pdf(s: Source, path: Path, rng: random.Random) -> Rendered:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    width = rng.choice((20, 26, 32, 38))
    size = min(14, 440 // width)
    lines, content = pdf_lines(s, rng, width, lambda t: pdfmetrics.stringWidth(t, "STSong-Light", size), size)
    per_page = int(700 // (size * 1.7))
    pages = [lines[i:i + per_page] for i in range(0, len(lines), per_page)]
    header = rng.choice([file_title(s), s.agency, ""])
    numbers = rng.choice(["- {n} -", "第 {n} 页 共 {total} 页", "{n}"])
    c = canvas.Canvas(str(path))
    left = (595 - width * size) / 2
    for n, page in enumerate(pages, 1):
        if header and n > 1:
            c.setFont("STSong-Light", 9)
            c.drawString(left, 805, header)
        c.setFont("STSong-Light", 9)
        c.drawString(290, 30, numbers.format(n=n, total=len(pages)))
        c.setFont("STSong-Light", size)
        y = 770
        for text, indent in page:
            c.drawString(left + indent, y, text)
            y -= size * 1.7
        c.showPage()
    c.save()
    return Rendered(path, "pdf", s, [], content)


def render(s: Source, form: str, folder: Path, n: int, rng: random.Random) -> Rendered:
    """Write ``s`` as ``form`` into ``folder`` (a folder of its own: files may share names)."""
    folder.mkdir(parents=True, exist_ok=True)
    encoding = ("utf-8", "gbk", "utf-16")[n % 3]
    name = file_title(s)
    if form == "site.html":
        return render_site(s, folder / rng.choice(["index.html", "content.html", f"t{n}_{s.given}.html"]), rng)
    if form.startswith("copied"):
        return render_copied(s, folder / rng.choice([f"{name}.txt", "新建文本文档.txt", f"{s.unit}.txt"]),
                             rng, encoding, form == "copied-glued.txt")
    if form == "named.txt":
        return render_named(s, folder / f"{name}.txt", rng, encoding)
    if form.endswith(".docx"):
        return render_docx(s, folder / f"{name if rng.random() < 0.5 else 'report'}.docx", rng, form == "styled.docx")
    if form == "pdf":
        return render_pdf(s, folder / rng.choice([f"{name}.pdf", f"P0{n}.pdf"]), rng)
    target = folder / (f"{s.given}.md" if s.genre == "work" else s.origin.name)
    shutil.copyfile(s.origin, target)
    return Rendered(target, "original.md", s)

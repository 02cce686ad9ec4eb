"""Repair: turn the damaged lines of a report into title, headings and paragraphs.

Second step, after :mod:`kb.ingest.formats` has read a file into text. Reports copied from PDFs
and web pages arrive with

- titles split over two lines (南开区卫生健康委2023年度法治政府建设 / 情况报告);
- paragraphs cut mid-sentence where a page ended, also inside 《…》 titles and 文号
  (宛法〔2021〕7 / 号), and lines hard-wrapped at a fixed width;
- page numbers and running headers (- 3 -, 第3页, the report's name atop every page);
- paragraphs indented with U+3000 (the indent marks where a paragraph starts);
- headings numbered in several styles (一、 （一） 1. （1）) or not numbered at all;
- run-in headings (（一）标题。正文……) that open a paragraph;
- a byline under the title (——2024年1月15日在…人民代表大会…上 / 市长 某某);
- a closing formula, signature and date at the end.

Plain text is one line per line; Markdown (``markdown=True``: what :mod:`kb.ingest.formats`
makes of .md, .docx and .html) is one block per paragraph, with ``#`` headings, bold
lines (``**一、……**``) and bold run-in leads (``**扩大有效投资。**正文``) as hints.

:func:`repair` returns a :class:`Repaired` document; :mod:`kb.ingest.metadata` reads the
title, letterhead, byline and signature, :mod:`kb.core.corpus` writes the blocks as Markdown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kb.core.model import Block
from kb.ingest import furniture

CN_NUM = "一二三四五六七八九十百零〇两"

# Numbering styles, outermost first as reports usually nest them; the level of each
# style is decided per document by the order in which the styles appear.
NUMBERING = [
    ("chapter", re.compile(rf"^第[{CN_NUM}\d]+[章节部分篇]\s*")),
    ("cn", re.compile(rf"^[{CN_NUM}]+\s*[、.．]\s*")),
    ("paren-cn", re.compile(rf"^[（(]\s*[{CN_NUM}]+\s*[)）]\s*[、.．]?\s*")),
    ("arabic", re.compile(r"^\d{1,2}\s*[、.．](?!\d)\s*")),
    ("paren-arabic", re.compile(r"^[（(]\s*\d{1,2}\s*[)）]\s*[、.．]?\s*")),
    ("circled", re.compile(r"^[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]\s*")),
]

SENTENCE_END = "。！？!?；;：:"
CLOSERS = "”’」』）)】"
PAGE_NUMBER = re.compile(
    r"^(?:[-—–－─]+\s*\d{1,4}\s*[-—–－─]+|第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?"
    r"|共\s*\d{1,4}\s*页\s*第\s*\d{1,4}\s*页|\d{1,4}\s*/\s*\d{1,4}|(?:page|p\.)\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$",
    re.I,
)
BARE_NUMBER = re.compile(r"^\d{1,4}$")
PAGE_BREAK = "\f"
DATE_LINE = re.compile(
    rf"^(?:\d{{4}}|[{CN_NUM}]{{4}})\s*年\s*(?:\d{{1,2}}|[{CN_NUM}]{{1,3}})\s*月"
    rf"(?:\s*(?:\d{{1,2}}|[{CN_NUM}]{{1,3}})\s*日)?$"
)
CLOSING = re.compile(r"^(?:特此报告|以上报告|特此汇报|专此报告)[。.！!]?$")
ORG_SUFFIX = re.compile(r"(?:委员会|委|局|厅|办公室|办|政府|院|中心|部|署|会|所|处|队|站|公司)$")
INDENT = re.compile(r"^[ \t\u3000\xa0]+")


#: A byline under a speech's title: when and where it was given, and by whom.
DATE = rf"(?:\d{{4}}|[{CN_NUM}]{{4}})\s*年\s*(?:\d{{1,2}}|[{CN_NUM}]{{1,3}})\s*月\s*(?:\d{{1,2}}|[{CN_NUM}]{{1,3}})\s*日"
DELIVERED = re.compile(
    r"(?:代表大会|会议|大会)[^，,。；;！!？?]{0,12}(?:上|通过|批准)"
    r"(?:\S{0,20}?(?:总理|省长|市长|主席|州长|县长|区长|盟长|专员|旗长)\s*[\u4e00-\u9fa5·]{2,4})?\s*[)）]?$"  # …上 市长 某某
    r"|^(?:——|[（(]?\d{4}\s*年).{0,40}代表大会[^，,。；;！!？?]{0,12}会议$"  # ——佛山市第十二届人民代表大会第二次会议
)
DATE_ONLY = re.compile(rf"^[（(]?\s*{DATE}\s*[)）]?$")
SPEAKER = re.compile(
    r"^[^，,。；;：:！!？?]{0,30}?(?:总理|省长|市长|主席|州长|县长|区长|盟长|专员|旗长|局长|主任)"
    r"(?:\s*[\u4e00-\u9fa5·•]){2,12}$"
)
DATED_NAME = re.compile(rf"^[（(]\s*{DATE}\s*[\u4e00-\u9fa5·]{{0,12}}\s*[)）]$")  # （2006年2月16日季允石）
MARKUP = re.compile(r"^\*+|\*+$")
#: The heading of a glossary (名词解释) or of notes (注释): a section of its own kind.
NOTES = re.compile(r"^[【\[]?(?:附件\s*\d*\s*[:：]?\s*|附\s*[:：]\s*|《[^》]{2,12}》\s*|有关(?:内容)?|部分)*(?:名词|特定词语|词语|用语)?"
                   r"(?:解释|注释|注解|解析|说明)(?:和(?:有关情况)?说明)?[】\]]?\s*[:：]?$")
NAME = re.compile(r"^[\u4e00-\u9fa5·]{2,4}$")  # a speaker's bare name under the date: 刘赐贵


@dataclass
class Repaired:
    """A report's text after repair, before metadata is decided."""

    title: str = ""
    letterhead: list[str] = field(default_factory=list)  # short lines above the title
    blocks: list[Block] = field(default_factory=list)
    signature: list[str] = field(default_factory=list)  # signing agency lines at the end
    date_line: str = ""  # the date line at the end, as written
    byline: list[str] = field(default_factory=list)  # under the title: when, where and by whom it was given
    furniture: list[str] = field(default_factory=list)  # the site's lines removed (来源：…, …门户网站)


@dataclass
class Line:
    """One line of plain text, or one block of Markdown, with what its markup says."""

    text: str
    indented: bool = False  # plain text: starts with spaces or U+3000 (a paragraph starts)
    heading: int = 0  # Markdown: the level of a # heading
    bold: bool = False  # Markdown: the whole block is bold (**一、……**)
    lead: str = ""  # Markdown: the bold run-in lead of the block (**扩大有效投资。**正文)
    block: bool = False  # Markdown: a block of its own (a blank line before it)
    last: int = 0  # after joining: the length of the last line joined in (0: the whole text)
    full: bool = False  # PDF layout: the line reaches the right margin at a page's end (U+00AD)

    @property
    def marked(self) -> bool:
        return bool(self.heading or self.bold)


def numbering(line: str) -> tuple[str, str] | None:
    """(style, rest of the line) if ``line`` opens with a heading number."""
    for style, rx in NUMBERING:
        m = rx.match(line)
        if m and m.end() < len(line):
            return style, line[m.end():]
    return None


def ends_sentence(line: str) -> bool:
    """True if ``line`` ends a sentence (。！？；：, possibly inside closing quotes)."""
    s = line.rstrip()
    while s and s[-1] in CLOSERS and len(s) > 1 and s[-2] in SENTENCE_END + CLOSERS:
        s = s[:-1]
    return bool(s) and s[-1] in SENTENCE_END


def unbalanced(line: str) -> bool:
    """True if a bracket or title mark opened in ``line`` is not closed there."""
    pairs = ("《》", "〈〉", "〔〕", "[]", "【】", "“”")
    opened = line.count("（") + line.count("(") > line.count("）") + line.count(")")  # （…) is closed
    return opened or any(line.count(a) > line.count(b) for a, b in pairs)


def _is_heading_shape(line: str) -> bool:
    """A numbered line that is a whole heading: short and with no sentence inside."""
    num = numbering(line)
    if not num:
        return False
    body = num[1].rstrip("。:：")
    if num[0] in ("arabic", "circled") and num[1].rstrip().endswith("。") and re.search(r"[，,]", body) and len(body) > 20:
        return False  # 10．优化农村供水工程体系，提升3万农村人口供水保障水平。: an item of a list, a sentence
    return len(body) <= 60 and not re.search(r"[。；;！!？?]", body)


#: A line ending in one of these stops mid-clause (严格执行文件要求，于 / 2023年10月…).
DANGLING = "于的和及对将为在与把被从向以等并或且"
#: A line starting with one of these goes on from the line above (… / 并研究解决…).
CONTINUING = "并及和与或且而等的之了，,、。；;：:）)》"


def _is_unnumbered_heading_shape(line: str) -> bool:
    """A short line with no sentence punctuation, not ending in a comma or mid-clause."""
    return (
        len(line) <= 32
        and not re.search(r"[。；;！!？?：:]", line)
        and line[-1] not in "，,、" + DANGLING
        and not unbalanced(line)
        and not DATE_LINE.match(line)
    )


# -- plain text: lines, page furniture ------------------------------------------------------


def _strip(raw: str) -> str:
    return raw.strip(" \t\u3000\xa0\ufeff\u200b")


def _furniture_key(line: str) -> str:
    """A running header or footer with its page number made anonymous."""
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", line))


def _is_page_number(line: str) -> bool:
    return bool(PAGE_NUMBER.match(line))


def page_furniture(pages: list[list[str]]) -> set[tuple[int, int]]:
    """(page, line) positions of page numbers and running headers and footers.

    On pages cut by form feeds (PDF text), a line is furniture when it stands among the
    first or last two lines of a page and the same line (its digits aside) stands there
    on other pages too, or when it is a page number or a bare number there. Without form
    feeds, only page numbers and the short lines that repeat right beside them are."""
    drop: set[tuple[int, int]] = set()
    edges: dict[str, list[tuple[int, int]]] = {}
    for pn, lines in enumerate(pages):
        filled = [i for i, line in enumerate(lines) if _strip(line)]
        edge = set(filled[:2] + filled[-2:]) if len(pages) > 1 else set()
        for k, i in enumerate(filled):
            line = _strip(lines[i])
            if _is_page_number(line) or (i in edge and BARE_NUMBER.match(line)):
                drop.add((pn, i))
                # beside a page number: a running header or footer candidate
                edge.update(j for j in filled[max(0, k - 1):k + 2] if j != i)
        for i in sorted(edge):
            line = _strip(lines[i])
            if (pn, i) not in drop and len(line) <= 40 and not ends_sentence(line):
                edges.setdefault(_furniture_key(line), []).append((pn, i))
    for positions in edges.values():
        pages_with = {pn for pn, _ in positions}
        first = [i for pn, i in positions if pn == 0]
        if len(pages) > 1 and first and not _another_title(pages[0], first):
            # the running header repeats the title: the first page's last such line is the title
            positions = [p for p in positions if p != (0, max(first))]
        if len(pages) > 1 and len(pages_with) >= max(2, len(pages) * 0.3):
            drop.update(positions)
        elif len(pages) == 1 and len(positions) >= 2 and all(
            any((0, j) in drop for j in (i - 1, i + 1, i - 2, i + 2)) for _, i in positions
        ):
            drop.update(positions)  # repeated beside page numbers in text without form feeds
    return drop


def _another_title(lines: list[str], header_at: list[int]) -> bool:
    """True if the first lines of the first page hold a title besides the running header's line."""
    filled = [i for i, line in enumerate(lines) if _strip(line)][:5]
    return any("报告" in lines[i] for i in filled if i not in header_at)


def clean_lines(text: str) -> list[Line]:
    """Non-empty lines, page numbers, running headers and stray spaces removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    pages = [page.split("\n") for page in text.split(PAGE_BREAK)]
    drop = page_furniture(pages)
    out = []
    for pn, lines in enumerate(pages):
        for i, raw in enumerate(lines):
            line = _strip(raw)
            if not line or (pn, i) in drop:
                continue
            out.append(Line(line.rstrip("\u00ad"), indented=bool(INDENT.match(raw)), full=line.endswith("\u00ad")))
    return out


def wrap_width(lines: list[Line]) -> int:
    """The width (in characters) at which the text was hard-wrapped, or 0 if it was not:
    most long lines then have the same length, and hardly any is longer."""
    lengths = [len(line.text) for line in lines if len(line.text) >= 15]
    if len(lengths) < 6:
        return 0
    counts: dict[int, int] = {}
    for n in lengths:
        counts[n] = counts.get(n, 0) + 1
    mode = max(counts, key=lambda n: (counts[n], n))
    near = sum(c for n, c in counts.items() if mode - 1 <= n <= mode + 2)
    longer = sum(c for n, c in counts.items() if n > mode + 2)
    if mode >= 15 and near >= 0.4 * len(lengths) and longer <= 0.05 * len(lengths):
        return mode
    return 0


def join_layout(lines: list[Line]) -> list[Line]:
    """Paragraphs found from a PDF's layout (one a line): join only a page's last paragraph
    that reaches the right margin and the next page's first line, when that one is not
    indented and does not open a numbered heading after a full stop."""
    out: list[Line] = []
    for line in lines:
        prev = out[-1] if out else None
        if prev and prev.full and not line.indented and not (numbering(line.text) and ends_sentence(prev.text)):
            out[-1] = Line(prev.text + line.text, prev.indented, full=line.full)
        else:
            out.append(line)
    return out


def join_broken(lines: list[Line], markdown: bool = False) -> list[Line]:
    """Join lines that a page or column break, or a hard wrap, cut in the middle of a sentence."""
    width = 0 if markdown else wrap_width(lines)
    indents = sum(line.indented for line in lines)
    by_indent = indents >= 3 and indents >= 0.1 * len(lines)  # paragraphs start indented
    out: list[Line] = []
    for line in lines:
        if out and _continues(out[-1], line, width, by_indent, head=len(out) <= 3):
            prev = out[-1]
            latin = markdown and prev.text[-1].isascii() and prev.text[-1].isalpha() and line.text[0].isascii() \
                and line.text[0].isalpha()
            out[-1] = Line(prev.text + " " * latin + line.text, prev.indented, lead=prev.lead, block=prev.block,
                           last=len(line.text))
        else:
            out.append(line)
    return out


def _continues(prev_line: Line, line: Line, width: int = 0, by_indent: bool = False, head: bool = False) -> bool:
    prev, text = prev_line.text, line.text
    if prev_line.marked or line.marked or line.lead:
        return False
    if _delivered(prev) or SPEAKER.match(prev) or SPEAKER.match(text):
        return False  # a byline line stands alone
    if line.block:
        # Markdown: blocks are paragraphs; join only one that a page end visibly cut
        if ends_sentence(prev) or numbering(text) or DATE_LINE.match(text) or CLOSING.match(text):
            return False
        return prev[-1] in "，,、" or unbalanced(prev) or (len(prev) >= 40 and not _is_unnumbered_heading_shape(text))
    full = width and (prev_line.last or len(prev)) >= width - 1
    if full and by_indent and not line.indented and not numbering(text) and not DATE_LINE.match(text):
        return True  # a hard-wrapped paragraph whose line happens to end a sentence
    if unbalanced(prev) and not ends_sentence(prev) and not numbering(text):
        return True  # 《南阳市卫生健康系统落实行政执 / 法责任制的通知》
    if ends_sentence(prev) or line.indented:
        return False
    if numbering(text) or DATE_LINE.match(text) or CLOSING.match(text):
        return False
    if prev[-1] in "，,、" + DANGLING or full or text[0] in CONTINUING:
        return True
    if text[0].isdigit() and not re.match(r"\d{4}\s*年", text) and not _is_heading_shape(prev):
        return True  # 处罚金额 / 12万元。 (a year opens paragraphs: 2023年，…)
    if prev.endswith("报告") and head:
        return False  # a title at the top: 南开区卫生健康委2023年度法治政府建设 / 情况报告
    if by_indent and prev_line.indented:
        return True  # a paragraph's first line, short or not, goes on in the unindented line below
    if _is_heading_shape(prev):
        return False
    if not numbering(prev) and _is_unnumbered_heading_shape(prev):
        return False
    return True


# -- Markdown: blocks and their hints -------------------------------------------------------


def markdown_lines(text: str) -> list[Line]:
    """The blocks of a Markdown text as lines with hints (headings, bold, run-in leads).

    A block's hard-wrapped lines are joined; page numbers standing as blocks are dropped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace(PAGE_BREAK, "\n\n")
    out = []
    for chunk in re.split(r"\n[ \t\u3000]*\n", text):
        parts = [_strip(x) for x in chunk.split("\n") if _strip(x)]
        if not parts:
            continue
        for k, part in enumerate(parts):
            line = _markdown_line(part)
            if line and not _is_page_number(line.text):
                # a block's later lines: hard-wrapped or not, as plain text says
                line.block = k == 0 or line.marked or bool(line.lead) or part.startswith("#")
                out.append(line)
    return out


def _markdown_line(s: str) -> Line | None:
    m = re.match(r"^(#{1,6})\s+(.*?)\s*#*$", s)
    if m:
        text = tidy_spaces(MARKUP.sub("", m.group(2)).strip())
        return Line(text, heading=len(m.group(1)), block=True) if text else None
    m = re.match(r"^\*{2,3}(.+?)\*{2,3}(.*)$", s)
    if m and "**" not in m.group(1):
        inner, rest = m.group(1).strip(), m.group(2).strip()
        if not rest or not rest.strip("*"):
            return Line(tidy_spaces(inner) if len(inner) <= 60 else inner, bold=len(inner) <= 60 and not _is_sentences(inner), block=True)
        rest = rest.replace("**", "")
        if len(inner) <= 60 and not re.search(r"[。；;！!？?]", inner[:-1]):
            return Line(inner + rest, lead=inner, block=True)
        return Line(inner + rest, block=True)
    s = MARKUP.sub("", s).replace("**", "") if s.startswith("*") or "**" in s else s
    s = s.removeprefix("\\")
    return Line(s, block=True) if s else None


def _is_sentences(text: str) -> bool:
    """True for text with sentence punctuation inside it (a paragraph set in bold, not a heading)."""
    return bool(re.search(r"[。；;！!？?，,]", text.rstrip("。:：")))


# -- header, byline, trailer ------------------------------------------------------------------


def split_header(lines: list[str]) -> tuple[str, list[str], list[str]]:
    """(title, letterhead lines, remaining lines) from the top of the report."""
    if lines and re.match(r"^(?:原标题|标题)[：:]", lines[0]):
        lines = [re.sub(r"^(?:原标题|标题)[：:]\s*", "", lines[0]), *lines[1:]]
    head = []
    for line in lines[:4]:
        if numbering(line) or re.search(r"[。，,；;！!？?：:]", line) or len(line) > 60:
            break
        head.append(line)
    title_at = next((i for i, line in enumerate(head) if "报告" in line), None)
    if title_at is None:
        return "", [], lines
    used = title_at + 1
    title = head[title_at]
    if title_at > 0 and len(title) <= 8 and re.search(r"\d{4}\s*年", head[title_at - 1]):
        # 南开区卫生健康委2023年度法治政府建设 / 情况报告: a title split over two lines
        title_at -= 1
        title = head[title_at] + title
    return tidy_spaces(title), head[:title_at], lines[used:]


def split_byline(lines: list[str]) -> tuple[list[str], list[int]]:
    """(byline, the indexes of its lines): the lines right under a speech's title that say
    when and where it was given (——2024年1月15日在…人民代表大会…上) and by whom (市长 某某,
    or a bare name under the date). A subtitle above the byline stays in the body."""
    byline: list[str] = []
    used: list[int] = []
    kept = False
    i = 0
    while i < len(lines) and len(byline) < 4 and i < 6:
        line, nxt = lines[i], lines[i + 1] if i + 1 < len(lines) else ""
        if _delivered(line) or DATED_NAME.match(line):
            byline.append(line)
            used.append(i)
        elif nxt and _delivered(line + nxt) and (re.search(DATE, line) or "在" in line):
            byline.append(line + nxt)  # ——2014年1月9日在乌鲁木齐市第十五届人民代表大会 / 第三次会议上
            used += [i, i + 1]
            i += 1
        elif (len(line) <= 40 and SPEAKER.match(line)) or (byline and NAME.match(line) and not re.search("代表|报告", line)):
            byline.append(line)
            used.append(i)
        elif not byline and not kept and len(line) <= 40 and not numbering(line) and not re.search(r"[。；;：:！!？?，,]", line):
            kept = True  # 为我国政治经济和社会的进一步稳定发展而奋斗 / 国务院总理 李鹏
        else:
            break
        i += 1
    return (byline, used) if byline else ([], [])


def _delivered(line: str) -> bool:
    return len(line) <= 80 and bool(DELIVERED.search(line) or DATE_ONLY.match(line)) and "。" not in line


def split_trailer(lines: list[str]) -> tuple[list[str], list[str], str]:
    """(body lines, signature lines, date line) from the bottom of the report."""
    body = list(lines)
    signature: list[str] = []
    date_line = ""
    while body:
        last = body[-1]
        if not date_line and DATE_LINE.match(last):
            date_line = re.sub(r"\s+", "", last)
        elif CLOSING.match(last):
            pass
        elif len(last) <= 30 and ORG_SUFFIX.search(last) and not re.search(r"[。，,；;：:]", last):
            signature.insert(0, tidy_spaces(last))
        else:
            break
        body.pop()
    return body, signature, date_line


def tidy_spaces(s: str) -> str:
    """Remove spaces between Chinese characters (南阳市卫生健康体育委员会 关于…)."""
    return re.sub(r"(?<=[^\x00-\x7f])[ \u3000]+(?=[^\x00-\x7f])", "", s).strip()


def split_lead(line: str) -> tuple[str, str] | None:
    """(run-in heading, rest) for 「（一）标题。正文……」, else None."""
    num = numbering(line)
    if not num:
        return None
    m = re.search(r"[。：:]", num[1])
    if not m or m.start() > 40 or m.end() >= len(num[1]):
        return None
    cut = len(line) - len(num[1]) + m.end()
    return line[:cut], line[cut:]


class _Levels:
    """Heading levels by numbering style, in the order the styles first appear."""

    def __init__(self) -> None:
        self.stack: list[str] = []

    def level(self, style: str) -> int:
        if style in self.stack:
            del self.stack[self.stack.index(style) + 1:]
        else:
            self.stack.append(style)
        return len(self.stack)

    def current(self) -> int:
        return len(self.stack)


def classify(lines: list[Line]) -> list[Block]:
    """Headings (with levels), paragraphs and run-in headings of the body lines."""
    blocks: list[Block] = []
    levels = _Levels()
    notes = False  # under 名词解释 / 注释: numbered entries are paragraphs
    for i, line in enumerate(lines):
        text = line.text
        num = numbering(text)
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if NOTES.match(strip_heading(text).replace("*", "")):
            notes = True
            blocks.append(Block("heading", strip_heading(text), 1))
        elif notes and not line.heading:
            blocks.append(Block("para", text))
        elif line.heading:
            # a # heading: numbered ones nest by their numbering, the others by their #s
            level = levels.level(num[0] if num else f"#{line.heading}")
            blocks.append(Block("heading", strip_heading(text), level))
        elif line.bold and (num or len(text) <= 40):
            level = levels.level(num[0]) if num else max(2, levels.current()) if levels.current() else levels.level("bold")
            blocks.append(Block("heading", strip_heading(text), level))
        elif line.lead:
            if num:
                levels.level(num[0])
            blocks.append(Block("para", text, lead=line.lead))
        elif num and _is_heading_shape(text) and not (line.block and len(num[1]) > 40):
            level = levels.level(num[0])
            blocks.append(Block("heading", strip_heading(text), level))
        elif num and (lead := split_lead(text)):
            levels.level(num[0])
            blocks.append(Block("para", text, lead=lead[0]))
        elif not num and nxt and _is_unnumbered_heading_shape(text) and not _is_unnumbered_heading_shape(nxt.text) \
                and not nxt.heading:
            # 003: headings without numbers between （2） and （5） are their siblings
            blocks.append(Block("heading", strip_heading(text), max(2, levels.current())))
        else:
            blocks.append(Block("para", text))
    return blocks


def strip_heading(line: str) -> str:
    """A heading without trailing 。 or ： and with tidy spaces."""
    return tidy_spaces(re.sub(r"[。.:：\s]+$", "", line))


def drop_furniture(lines: list[Line]) -> tuple[list[Line], list[str]]:
    """(the lines of the report, the lines of the site removed): see :mod:`kb.ingest.furniture`."""
    drop, cut = furniture.split([line.text for line in lines])
    removed = [lines[i].text for i in drop] + list(cut.values())
    kept = []
    for i, line in enumerate(lines):
        if i in cut:
            line = Line(_strip(line.text[line.text.index(cut[i]) + len(cut[i]):]), line.indented, line.heading,
                        line.bold, line.lead, line.block)
        if i not in drop and line.text:
            kept.append(line)
    return kept, removed


def repair(text: str, markdown: bool = False, layout: bool = False) -> Repaired:
    """Repair a report's plain text, or its Markdown, or the paragraphs a PDF's layout gave
    (``layout``: one a line; see the module docstring)."""
    lines, removed = drop_furniture(markdown_lines(text) if markdown else clean_lines(text))
    lines = join_layout(lines) if layout else join_broken(lines, markdown)
    texts = [line.text for line in lines]
    title, letterhead, rest = split_header(texts)
    start = len(texts) - len(rest)
    byline, used = split_byline(rest)
    kept = [start + k for k in range(len(rest)) if k not in used]
    body, signature, date_line = split_trailer([texts[i] for i in kept])
    return Repaired(
        title=title,
        letterhead=[tidy_spaces(x) for x in letterhead] if markdown else letterhead,
        blocks=classify([lines[i] for i in kept[:len(body)]]),
        signature=signature,
        date_line=date_line,
        byline=[tidy_spaces(x) for x in byline],
        furniture=removed,
    )

"""Repair: turn the damaged lines of a report into title, headings and paragraphs.

First step after decoding. Reports copied from PDFs and web pages arrive with

- titles split over two lines (南开区卫生健康委2023年度法治政府建设 / 情况报告);
- paragraphs cut mid-sentence where a page ended, also inside 《…》 titles and 文号
  (宛法〔2021〕7 / 号);
- page numbers and running headers (- 3 -, 第3页);
- headings numbered in several styles (一、 （一） 1. （1）) or not numbered at all;
- run-in headings (（一）标题。正文……) that open a paragraph;
- a closing formula, signature and date at the end.

:func:`repair` returns a :class:`Repaired` document; :mod:`kb.metadata` reads the
title, letterhead and signature, :mod:`kb.corpus` writes the blocks as Markdown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

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
    r"^(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4})$"
)
DATE_LINE = re.compile(
    rf"^(?:\d{{4}}|[{CN_NUM}]{{4}})\s*年\s*(?:\d{{1,2}}|[{CN_NUM}]{{1,3}})\s*月"
    rf"(?:\s*(?:\d{{1,2}}|[{CN_NUM}]{{1,3}})\s*日)?$"
)
CLOSING = re.compile(r"^(?:特此报告|以上报告|特此汇报|专此报告)[。.！!]?$")
ORG_SUFFIX = re.compile(r"(?:委员会|委|局|厅|办公室|办|政府|院|中心|部|署|会|所|处|队|站|公司)$")
INDENT = re.compile(r"^[ \t\u3000\xa0]+")


@dataclass
class Block:
    """A heading or a paragraph of the body."""

    kind: str  # "heading" or "para"
    text: str
    level: int = 0  # headings: 1 is the outermost
    lead: str = ""  # paragraphs: the run-in heading that opens it ("（一）标题")


@dataclass
class Repaired:
    """A report's text after repair, before metadata is decided."""

    title: str = ""
    letterhead: list[str] = field(default_factory=list)  # short lines above the title
    blocks: list[Block] = field(default_factory=list)
    signature: list[str] = field(default_factory=list)  # signing agency lines at the end
    date_line: str = ""  # the date line at the end, as written


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
    pairs = ("《》", "〈〉", "（）", "()", "〔〕", "[]", "【】", "“”")
    return any(line.count(a) > line.count(b) for a, b in pairs)


def _is_heading_shape(line: str) -> bool:
    """A numbered line that is a whole heading: short and with no sentence inside."""
    num = numbering(line)
    if not num:
        return False
    body = num[1].rstrip("。:：")
    return len(body) <= 60 and not re.search(r"[。；;！!？?]", body)


def _is_unnumbered_heading_shape(line: str) -> bool:
    """A short line with no sentence punctuation, not ending in a comma."""
    return (
        len(line) <= 32
        and not re.search(r"[。；;！!？?：:]", line)
        and line[-1] not in "，,、"
        and not unbalanced(line)
        and not DATE_LINE.match(line)
    )


def clean_lines(text: str) -> list[tuple[str, bool]]:
    """Non-empty lines as (text, indented), page numbers and stray spaces removed."""
    out = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        indented = bool(INDENT.match(raw))
        line = raw.strip(" \t\u3000\xa0\ufeff\u200b")
        if not line or PAGE_NUMBER.match(line):
            continue
        out.append((line, indented))
    return out


def join_broken(lines: list[tuple[str, bool]]) -> list[str]:
    """Join lines that a page or column break cut in the middle of a sentence."""
    out: list[str] = []
    for line, indented in lines:
        if out and _continues(out[-1], line, indented):
            out[-1] = out[-1] + line
        else:
            out.append(line)
    return out


def _continues(prev: str, line: str, indented: bool) -> bool:
    if unbalanced(prev) and not ends_sentence(prev) and not numbering(line):
        return True  # 《南阳市卫生健康系统落实行政执 / 法责任制的通知》
    if ends_sentence(prev) or indented or prev.endswith("报告"):
        return False
    if numbering(line) or DATE_LINE.match(line) or CLOSING.match(line):
        return False
    if prev[-1] in "，,、":
        return True
    if _is_heading_shape(prev):
        return False
    if not numbering(prev) and _is_unnumbered_heading_shape(prev):
        return False
    return True


def split_header(lines: list[str]) -> tuple[str, list[str], list[str]]:
    """(title, letterhead lines, remaining lines) from the top of the report."""
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


def classify(lines: list[str]) -> list[Block]:
    """Headings (with levels), paragraphs and run-in headings of the body lines."""
    blocks: list[Block] = []
    levels = _Levels()
    for i, line in enumerate(lines):
        num = numbering(line)
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if num and _is_heading_shape(line):
            level = levels.level(num[0])
            blocks.append(Block("heading", strip_heading(line), level))
        elif num and (lead := split_lead(line)):
            levels.level(num[0])
            blocks.append(Block("para", line, lead=lead[0]))
        elif not num and nxt and _is_unnumbered_heading_shape(line) and not _is_unnumbered_heading_shape(nxt):
            # 003: headings without numbers between （2） and （5） are their siblings
            blocks.append(Block("heading", strip_heading(line), max(2, levels.current())))
        else:
            blocks.append(Block("para", line))
    return blocks


def strip_heading(line: str) -> str:
    """A heading without trailing 。 or ： and with tidy spaces."""
    return tidy_spaces(re.sub(r"[。.:：\s]+$", "", line))


def repair(text: str) -> Repaired:
    """Repair a report's plain text (see the module docstring)."""
    lines = join_broken(clean_lines(text))
    title, letterhead, rest = split_header(lines)
    body, signature, date_line = split_trailer(rest)
    return Repaired(
        title=title,
        letterhead=letterhead,
        blocks=classify(body),
        signature=signature,
        date_line=date_line,
    )

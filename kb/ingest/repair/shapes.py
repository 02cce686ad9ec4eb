"""Shapes: what a line of a report looks like, for every step of :mod:`kb.ingest.repair`.

The small tests the repair (and :mod:`kb.ingest.formats.pdf`'s layout) asks of one line: does it
open with a heading number (一、 （一） 1. （1）), end a sentence, leave a bracket open, have the
shape of a whole heading, stand as a date or a closing formula; and spaces tidied away.
"""

from __future__ import annotations

import re

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
DATE_LINE = re.compile(
    rf"^(?:\d{{4}}|[{CN_NUM}]{{4}})\s*年\s*(?:\d{{1,2}}|[{CN_NUM}]{{1,3}})\s*月"
    rf"(?:\s*(?:\d{{1,2}}|[{CN_NUM}]{{1,3}})\s*日)?$"
)
CLOSING = re.compile(r"^(?:特此报告|以上报告|特此汇报|专此报告)[。.！!]?$")
#: A line ending in one of these stops mid-clause (严格执行文件要求，于 / 2023年10月…).
DANGLING = "于的和及对将为在与把被从向以等并或且"
#: A line starting with one of these goes on from the line above (… / 并研究解决…).
CONTINUING = "并及和与或且而等的之了，,、。；;：:）)》"


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


def opens_part(line: str) -> bool:
    """True if ``line`` opens with a heading number, or is a date or a closing formula (特此报告)."""
    return bool(numbering(line) or DATE_LINE.match(line) or CLOSING.match(line))


def is_heading_shape(line: str) -> bool:
    """A numbered line that is a whole heading: short and with no sentence inside."""
    num = numbering(line)
    if not num:
        return False
    body = num[1].rstrip("。:：")
    if num[0] in ("arabic", "circled") and num[1].rstrip().endswith("。") and re.search(r"[，,]", body) and len(body) > 20:
        return False  # 10．优化农村供水工程体系，提升3万农村人口供水保障水平。: an item of a list, a sentence
    return len(body) <= 60 and not re.search(r"[。；;！!？?]", body)


def is_unnumbered_heading_shape(line: str) -> bool:
    """A short line with no sentence punctuation, not ending in a comma or mid-clause."""
    return (
        len(line) <= 32
        and not re.search(r"[。；;！!？?：:]", line)
        and line[-1] not in "，,、" + DANGLING
        and not unbalanced(line)
        and not DATE_LINE.match(line)
    )


def stripped(raw: str) -> str:
    """A line without the spaces (also U+3000, no-break and zero-width ones and a BOM) around it."""
    return raw.strip(" \t\u3000\xa0\ufeff\u200b")


#: A heading's number that lost its opening bracket (二）瞄准高端…): some sources dropped the first
#: character of every paragraph (合肥 2017, 兰州 2024, 武汉 2004 of the real reports).
_BARE_NUMBER = re.compile(r"^(?:\*\*)?[一二三四五六七八九十]{1,3}([）)])")


def bracketed(line: str) -> str:
    """A line whose heading number lost its opening bracket with the bracket back (二）… → （二）…);
    the other characters such a source lost (续深化… for 持续深化…) cannot be told and stay lost."""
    m = _BARE_NUMBER.match(line)
    if not m:
        return line
    at = m.start(1) - len(m.group(0)[:m.start(1)].lstrip("*"))
    return line[:at] + ("（" if m.group(1) == "）" else "(") + line[at:]


def tidy_spaces(s: str) -> str:
    """Remove spaces between Chinese characters (南阳市卫生健康体育委员会 关于…)."""
    return re.sub(r"(?<=[^\x00-\x7f])[ \u3000]+(?=[^\x00-\x7f])", "", s).strip()

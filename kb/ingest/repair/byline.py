"""Byline: the lines under a speech's title that say when, where and by whom it was given.

Read by :mod:`kb.ingest.repair` after the title (——2024年1月15日在…人民代表大会…上 / 市长
某某, or a bare name under the date) and kept apart from the body for :mod:`kb.ingest.metadata`;
:mod:`kb.ingest.formats.html` looks for the same lines outside a web page's article.
"""

from __future__ import annotations

import re

from kb.ingest.repair.shapes import CN_NUM, numbering

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
NAME = re.compile(r"^[\u4e00-\u9fa5·]{2,4}$")  # a speaker's bare name under the date: 刘赐贵


def delivered(line: str) -> bool:
    """True for a line that says when or where a speech was given (——2024年1月15日在…上)."""
    return len(line) <= 80 and bool(DELIVERED.search(line) or DATE_ONLY.match(line)) and "。" not in line


def split_byline(lines: list[str]) -> tuple[list[str], list[int]]:
    """(byline, the indexes of its lines): the lines right under a speech's title that say
    when and where it was given (——2024年1月15日在…人民代表大会…上) and by whom (市长 某某,
    or a bare name under the date). A subtitle above the byline stays in the body."""
    byline: list[str] = []
    used: list[int] = []
    kept = False
    i = 0
    while i < min(len(lines), 6) and len(byline) < 4:
        line, nxt = lines[i], lines[i + 1] if i + 1 < len(lines) else ""
        if _when_or_where(line):
            taken = [i]
        elif _cut_in_two(line, nxt):
            taken = [i, i + 1]  # ——2014年1月9日在乌鲁木齐市第十五届人民代表大会 / 第三次会议上
        elif _by_whom(line, bool(byline)):
            taken = [i]
        elif not byline and not kept and _subtitle(line):
            kept, taken = True, []  # 为我国政治经济和社会的进一步稳定发展而奋斗 / 国务院总理 李鹏
        else:
            break
        if taken:
            byline.append("".join(lines[j] for j in taken))
            used += taken
        i += max(1, len(taken))
    return (byline, used) if byline else ([], [])


def _when_or_where(line: str) -> bool:
    """——2024年1月15日在…人民代表大会…上, or （2006年2月16日季允石）."""
    return delivered(line) or bool(DATED_NAME.match(line))


def _cut_in_two(line: str, nxt: str) -> bool:
    """A when-and-where line cut in two (it names the date or says 在…)."""
    return bool(nxt) and delivered(line + nxt) and bool(re.search(DATE, line) or "在" in line)


def _by_whom(line: str, after_byline: bool) -> bool:
    """市长 某某, or a bare name under the lines already read."""
    return bool((len(line) <= 40 and SPEAKER.match(line))
                or (after_byline and NAME.match(line) and not re.search("代表|报告", line)))


def _subtitle(line: str) -> bool:
    """A short unnumbered line with no sentence in it."""
    return len(line) <= 40 and not numbering(line) and not re.search(r"[。；;：:！!？?，,]", line)

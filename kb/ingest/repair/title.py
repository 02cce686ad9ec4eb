"""Title: the report's title and the letterhead above it, read from the top of its lines.

A step of :mod:`kb.ingest.repair`, once the lines are joined: the first line naming a 报告
among the short lines at the top is the title (joined to the line above when a page cut it:
南开区卫生健康委2023年度法治政府建设 / 情况报告, 南阳市卫生健康体育委员会关于2023 / 年度…的报告);
the short lines above it are the letterhead.
"""

from __future__ import annotations

import re

from kb.ingest.repair.shapes import numbering, tidy_spaces


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
    if title_at > 0 and _cut_above(head[title_at - 1], title):
        title_at -= 1
        title = head[title_at] + title
    return tidy_spaces(title), head[:title_at], lines[used:]


def _cut_above(above: str, title: str) -> bool:
    """Whether the line naming the 报告 is the end of a title the page width cut on ``above``:
    南开区卫生健康委2023年度法治政府建设 / 情况报告 (a short tail under a line naming a year),
    南阳市卫生健康体育委员会关于2023 / 年度法治政府建设工作的报告 (the year cut from its 年),
    深圳市第七届人民代表大会第七次会议关于深圳市人民政府工 / 作报告的决议 (a short tail under a
    line as long as a page's: no letterhead is). A letterhead above a whole title stays apart."""
    if re.match(r"\s*[年度]", title) and re.search(r"\d\s*$", above):
        return True
    return len(title) <= 8 and bool(re.search(r"\d{4}\s*年", above) or len(above.strip()) >= 20)

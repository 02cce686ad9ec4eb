"""Regulations: the titles in book-title marks (《…》) that a paragraph mentions.

Part of the enrich step. A title cut by a page end was joined again by
:mod:`kb.repair`, so 《南阳市卫生健康系统落实行政执法责任制的通知》 is found whole.
"""

from __future__ import annotations

import re

TITLE = re.compile(r"《([^《》\n]{1,100}?)》")


def titles_in(text: str) -> list[str]:
    """The distinct 《…》 titles of ``text`` in order of first mention (without marks)."""
    seen: dict[str, None] = {}
    for m in TITLE.finditer(text):
        name = m.group(1).strip()
        if name:
            seen.setdefault(name, None)
    return list(seen)

"""How firmly the evidence supports an item's delivery (search step, part of :mod:`kb.search.plans`).

A review paragraph that holds much of an item's words may still say little of it: the item's own
object (its rarest words: 皖北 of 加强皖北基础设施建设) unsaid, or the item named only in passing in a
list of things (在民生保障、战略性新兴产业、交通等基础设施方面推进了一批重点项目). On the eight judged
sets such items delivered by words alone were right about four times in ten: the verdict stands, but
it is not sure (docs/PLANS.md, stop 40).
"""

from __future__ import annotations

import re

from kb.search import plan_names
from kb.text import words

#: How many of an item's rarest words (the meaning model's counts) stand for its object.
RAREST = 2


def content_words(text: str) -> list[str]:
    """An item's words of two characters or more, Chinese, once each, in order (no figures)."""
    return [w for w in dict.fromkeys(words.cut(re.sub(r"[\d.%％]+", " ", text)))
            if len(w) >= 2 and re.search(r"[\u4e00-\u9fff]", w)]


def rarest_said(item: str, evidence: str) -> bool:
    """Whether the evidence says one of the item's :data:`RAREST` rarest words (its object: 皖北,
    创卫), the reports' counts by the meaning model (a word it does not know is rarest)."""
    counts = plan_names.counts()
    rare = sorted(content_words(item), key=lambda w: counts.get(w, 0))[:RAREST]
    return not rare or any(w in evidence for w in rare)


def in_passing(item: str, evidence: str) -> bool:
    """Whether the evidence names the item only in a list: the clause of its sentence that holds
    most of the item's words lists three things or more (A、B、C)."""
    said = content_words(item)
    if not said:
        return False
    clauses = [c for s in re.findall(r"[^。；！？]+", evidence) for c in re.split(r"[，,：:]", s)]
    best = max(clauses, key=lambda c: sum(w in c for w in said), default="")
    return best.count("、") >= 2

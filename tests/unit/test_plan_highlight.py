"""The item's words marked in an evidence paragraph (kb.search.plan_pages.highlight_runs): runs of
three characters or more whose character pairs the item has, escaped, found by ``str.find``."""

from __future__ import annotations

import html
import random

from kb.search import plan_pages
from kb.search import plans as matcher


def _by_character(text: str, pairs: set[str]) -> str:
    """The rule, character by character (the first implementation)."""
    on = [False] * len(text)
    for i in range(len(text) - 1):
        if text[i:i + 2] in pairs:
            on[i] = on[i + 1] = True
    out, i = [], 0
    while i < len(text):
        j = i
        while j < len(text) and on[j] == on[i]:
            j += 1
        chunk = html.escape(text[i:j])
        out.append(f"<mark>{chunk}</mark>" if on[i] and j - i >= 3 else chunk)
        i = j
    return "".join(out)


def test_marks_runs_of_the_items_pairs():
    pairs = matcher.character_pairs("改造老旧小区600个")
    assert plan_pages.highlight_runs("完成老旧小区改造616个<b>", pairs) == "完成<mark>老旧小区改造</mark>616个&lt;b&gt;"
    assert plan_pages.highlight_runs("小区", pairs) == "小区"  # one pair: two characters, no run


def test_the_same_as_character_by_character_on_random_text():
    rnd = random.Random(26)
    alphabet = "改造老旧小区新增城镇就业建设完成<>&\""
    for _ in range(3000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 40)))
        pairs = matcher.character_pairs("".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 12))))
        assert plan_pages.highlight_runs(text, pairs) == _by_character(text, pairs), (text, pairs)

"""A relative target (增幅高于全省平均水平, 增速快于全国) against the next report's sentences (search
step, part of :mod:`kb.search.plans`; the indicator read as :mod:`kb.search.plan_figures` reads it).
"""

from __future__ import annotations

import re

from kb.search.indicator_words import words as _words
from kb.search.plan_figures import _HEAD, _TAIL

#: A target relative to others (增幅高于全省平均水平, 增速快于全国): who the others are.
RELATIVE = re.compile(r"(?:增幅|增速|增长)?(?:高于|快于|超过|好于|领先)(?P<who>全国|全省|全区|全市|省|国)(?:平均)?(?:水平)?")
_ABOVE = re.compile(r"高于|快于|超过|好于|领先|高出")


def relative(item_text: str, sentences: list[str]) -> dict | None:
    """A relative target (外贸进出口总额增幅高于全省平均水平, 增速快于全国) against ``sentences``:
    the first place that names the item's indicator (its last four characters) and, within 30
    characters of one sentence, says it is above (高于, 快于, 超过, 领先) the same others."""
    m = RELATIVE.search(item_text)
    if not m:
        return None
    key = _words(_TAIL.sub("", _HEAD.sub("", re.split(r"[，,；;：:]", item_text[:m.start()])[-1])))
    if len(key) < 2:
        return None
    for s in sentences:
        for above in _ABOVE.finditer(s):
            before = re.split(r"[；;。]", s[max(0, above.start() - 30):above.start()])[-1]
            if m.group("who") in s[above.end():above.end() + 4] and key[-4:] in before:
                return {"indicator": key, "target": m.group(0), "met": True,
                        "actual": (before[before.find(key[-4:]):] + s[above.start():above.end() + 6]).strip()}
    return None

"""How two figures of the reports compare beyond their numbers (search step, part of
:mod:`kb.search.plan_figures`): things counted one by one in units the reports use for one
another (100家, 100个), and rates said to fall (进出口总额下降15%: below zero against a growth
target; a fall promised, 能耗下降3%, is met by a larger fall).
"""

from __future__ import annotations

import re

#: Units of things counted one by one that the reports use for one another (社区养老服务设施100家,
#: …100个): a figure in one is compared with a figure in another.
_COUNTED = frozenset("个家所座处")
#: Words just before a rate that say it fell (进出口总额下降15%), not a level reached (降低到2.9%).
_FALL = re.compile(r"(?:下降|减少|降低|回落|下滑|负增长|降幅|降)(?:了|约|近|超过)?$")
_LISTED = re.compile(r"\d+(?:\.\d+)?\s*[%‰]?(?:以上|左右)?\s*[和、及与]\s*$")
#: Bases of rates, whose direction a fall word turns.
_RATES = frozenset(("%", "‰", "百分点"))


def falls(text: str, n) -> bool:
    """Whether the rate ``n`` of ``text`` is a fall: a word such as 下降 just before it in its clause,
    or before the first figure of the list it is in (分别减少7.9%、4.3%: both fell)."""
    if n.base not in _RATES:
        return False
    end = n.start
    while m := _LISTED.search(text, max(0, end - 16), end):
        end = m.start()
    return bool(_FALL.search(text, max(0, end - 8), end))


def same_base(a: str, b: str) -> bool:
    """Whether two base units measure alike: the same, or both things counted one by one (家, 个)."""
    return a == b or (a in _COUNTED and b in _COUNTED)


def direction(written: str, relative: float, fall: bool) -> str:
    """An actual figure as written, with the way it went when that is against the target's (下降15%
    against 增长12%; 增长1% against 能耗下降3%)."""
    return written if relative >= 0 else ("增长" if fall else "下降") + written

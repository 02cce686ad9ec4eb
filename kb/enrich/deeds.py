"""Deeds: how much a paragraph says what was done -- the actions and the numbers -- rather than
naming a measure in passing (a list of fields, a heading, a formula). Recorded per paragraph at
build time (:func:`level`, 0-7, in the postings beside the mark of a note that explains a term)
and read by the ranking: within a tier, a paragraph that reports deeds ranks above one that
only names the measure (:class:`kb.core.settings.Ranking` ``deeds``).

A deed is a quantity with its unit (新增学位2万个, 增长12.3%, 3765户次, 1.1万套) or an
action verb with its object in the same clause (建成, 开工, 完成, 出台, 查处 …); the level is their
count, capped, and halved for a paragraph that is mostly a list (many 、).
"""

from __future__ import annotations

import re

QUANTITY = re.compile(r"\d+(?:\.\d+)?\s*(?:万|亿|千|百)?(?:个|家|件|人次|人|户次|户|所|座|套|间|公里|千米|米|亩|公顷|吨|"
                      r"元|项|次|场|条|栋|张|辆|台|卷|%|％|倍|个百分点)")
ACTION = re.compile(r"(?:建成|新建|改扩建|新增|开工|完成|实现|出台|制定|印发|查处|办结|受理|培训|聘请|累计|达到|"
                    r"覆盖|提高到|提升至|下降|增长|减少|整改|清理|发放|筹集|交付|投用|引进|创建|获批)")
MAX = 7


def level(text: str) -> int:
    """0-7: the quantities and actions of ``text``, capped at :data:`MAX`; a paragraph that is
    mostly a list of names (more 、 than clauses) counts half."""
    n = len(QUANTITY.findall(text)) * 2 + len(ACTION.findall(text))
    if text.count("、") > 2 * max(1, len(re.findall(r"[，。；]", text))):
        n //= 2
    return min(MAX, n // 2)

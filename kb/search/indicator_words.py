"""The words of an indicator a plan's figure is said of (issue 26): its characters only, each
standard indicator name said one way (研究与试验发展 → 研发, GDP → 生产总值), and whether it is a
share of a whole (A占B比重, A与B之比, A占比: its part and its whole, empty when unsaid). Used by :mod:`kb.search.plan_figures`."""

from __future__ import annotations

import re


def words(text: str) -> str:
    """The text's Chinese characters, Latin letters and &, nothing else."""
    return "".join(re.findall(r"[\u4e00-\u9fffA-Za-z&]+", text))


#: The standard names of statistical indicators said in two ways (GDP, 研究与试验发展 …).
SYNONYMS = (("研究与试验发展", "研发"), ("R&D", "研发"), ("GDP", "生产总值"), ("之比", "比重"), ("限额以上", "限上"),
            ("外商直接投资", "外资"))

#: A share of a whole, in an indicator's normal words: A占B(的比重), A与B之比 (:func:`normal`: 比重).
_SHARES = (re.compile(r"^(.{2,}?)占(?![用地有领比])(.{2,}?)(?:的)?(?:比重|比例)?$"),
           re.compile(r"^(.{2,}?)与(.{2,}?)(?:的)?(?:比重|比例)$"),
           re.compile(r"^(.{2,}?)占比()$"))  # its whole unsaid (民生支出占比65%): any whole
#: Words a share's part or whole may have or not, saying nothing of which share it is.
_SHARE_PART = re.compile(r"(?:增加值|总量|总额|的)+$")
_SHARE_WHOLE = re.compile(r"^(?:全[省市区县国]|本[省市区县])|(?:的|比重|比例|要|将)+$")
#: A share's 占 before an indicator in its clause (数字经济核心产业增加值占|国内生产总值).
SHARE_BEFORE = re.compile(r"占(?![用地有领])[^，,；;。：:]{0,8}$")


def share(text: str) -> tuple[str, str] | None:
    """The part and the whole of an indicator that is a share (数字经济核心产业增加值占国内生产总值:
    数字经济核心产业增加值, 国内生产总值), else None."""
    for pattern in _SHARES:
        m = pattern.match(text)
        if m:  # 民营经济(增加值)占全省生产总值的比重要…: 民营经济, 生产总值
            return _SHARE_PART.sub("", m.group(1)) or m.group(1), _SHARE_WHOLE.sub("", m.group(2)) or m.group(2)
    return None


def normal(text: str) -> str:
    """An indicator's words, each standard indicator name said one way (研发投入占GDP比重 and
    研究与试验发展经费投入与地区生产总值之比 alike)."""
    for long, short in SYNONYMS:
        text = text.replace(long, short)
    return words(text)

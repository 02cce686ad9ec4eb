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


#: How far apart a target and an amount of the same unit may be and still count the same thing: a
#: figure ten times the target or a tenth of it is another dimension (an increase on last year,
#: 比上年增加500亿元, against the year's total, 5335.8亿元; a total against a per-capita figure, 12451.8亿元
#: against 28000元; a stock against the year's new ones): not comparable, never met or missed.
APART = 10.0
#: Words that make an indicator one per person, household, mu or unit (人均国内生产总值): never the
#: total's (国内生产总值), and the other way round.
_PER = re.compile(r"人均|户均|亩均|地均|每[千万百十]?(?:人|户|亩|平方公里)")


def comparable(target: float, value: float, base: str) -> bool:
    """Whether an amount ``value`` can be the actual figure of ``target`` (both in ``base``): a
    rate always (8% against 14.3%), an amount only within :data:`APART` of it."""
    if base in _RATES or not target or not value:
        return True
    ratio = abs(value) / abs(target)
    return 1 / APART < ratio < APART


def per_unit(indicator: str) -> bool:
    """Whether an indicator counts per person, household or unit (人均国内生产总值, 每千人口托位数)."""
    return bool(_PER.search(indicator))


#: The words of a time in an item before a figure: several years (今后五年, 三年内, 用两年时间), a
#: year (到2010年, 2010年前), or the year itself (今年, 全年, 当年).
_TIMES = re.compile(r"(?P<years>(?:今后|未来)[一二两三四五六七八九十\d]+年|[两三四五六七八九十\d]年内|用[一二两三四五\d]+年(?:左右)?(?:的)?时间)"
                    r"|(?<![比较从由同\d])(?:到|至|在)?(?P<year>(?:19|20)\d\d)年(?:底|末|前|以前)?|(?P<now>今年|全年|当年|本年)")


def later(text: str, start: int, year: int = 0) -> bool:
    """Whether the figure at ``start`` of an item is a target of several years or of a later year
    than ``year`` (the year the next report reports on; 0: unknown, only several years count): the
    last time said before it in its sentence decides (今后五年，新建成高速公路1500公里; 到2010年，…
    人均国内生产总值超过28000元; but 今后五年…；今年建成高速公路300公里 is the year's)."""
    lo = max(text.rfind(c, 0, start) for c in "。！？") + 1
    last = next(iter(reversed(list(_TIMES.finditer(text, lo, start)))), None)
    if last is None or last.group("now"):
        return False
    if last.group("years"):
        return True
    return bool(year) and int(last.group("year")) > year

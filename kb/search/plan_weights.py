"""How much each paragraph of the next report can say about what was done (search step, part of
:mod:`kb.search.plans`).

A paragraph's score for a plan item is multiplied by its weight: the review counts fully; the next
report's own plan and its parts that look ahead (今后五年, “十五五”) :data:`NO_WORK`, under the
threshold of a mention (they say what will be done: a promise repeated is no report of it, as the
judged sets have it); other parts 0.8; a paragraph of the review that says what is still wrong
(我们也清醒地看到…存在的问题和不足), thanks others (表示衷心的感谢) or says what was learned
(我们深切体会到…必须始终坚持…) :data:`NO_WORK` too (it reports no work); one that looks back
over five years (五年来) 0.6; and, in a term-change review with a part on the year just past
(刚刚过去的2012年), the paragraphs of its look back over several years a little less than the year's
(0.95), so that the year's paragraph is the first evidence when both say the same.
"""

from __future__ import annotations

import re

from kb.core.model import Paragraph
from kb.enrich import plans as plan_items

#: The weight of a paragraph that reports no work (the next report's plan, what is still wrong,
#: thanks): such a paragraph still ranks (after those that can report work) but is never the
#: evidence that an item was mentioned (:attr:`kb.search.plans.NextReport.counts`).
NO_WORK = 0.29
ROLE_WEIGHT = {plan_items.REVIEW: 1.0, plan_items.OTHER: 0.8, plan_items.PLAN: NO_WORK}
#: How much a paragraph in a look back over several years counts (:func:`several_years`): a little
#: less than the year's own part, which comes first when both report an item alike.
YEARS = 0.95
#: The weight of a paragraph of the review that says what is still wrong or thanks others.
ASIDE = NO_WORK

#: A heading of a part that looks ahead over several years.
_AHEAD = re.compile(r"今后|未来|目标|任务|建议|远景|展望")
#: A paragraph that looks back over several years (五年来, “十三五”时期): not the year's review.
_YEARS = re.compile(r"^(?:五年来|过去五年|这五年|本届政府|“?十[一二三四五]五”?(?:时期|期间|以来))")
#: What opens a look back over several years in a review (各位代表！六年来, 市十六届人大一次会议以来),
#: what opens the year's own part (刚刚过去的2021年), and the headings of a review of several years.
_YEARS_OPEN = re.compile(r"^(?:各位代表[！!，,：:]?\s*)?(?:过去|这|近)?[五六七]年(?:来|以来|间|中)|"
                         r"^(?:各位代表[！!，,：:]?\s*)?[^，。；]{0,16}届[^，。；]{0,10}(?:以来|期间)|^本届政府")
_YEAR_OPEN = re.compile(r"^(?:各位代表[！!，,：:]?\s*)?(?:刚刚过去的|过去的一年|过去一年|一年来|(?:19|20)\d\d年(?:是|，|,|我们|全市|全省))")
_YEARS_HEADING = re.compile(r"过去[五六七]年|[五六七]年来|本届政府|[五六七]年(?:的)?工作回顾")
#: A paragraph of the review that says what is still wrong (我们也清醒地看到…存在的问题和不足) or
#: whom the agency thanks (表示衷心的感谢): no report of work done.
_ASIDE = re.compile(r"清醒地?(?:看到|认识到)|(?:存在|面临)的?(?:问题|困难)和(?:不足|问题|困难)|"
                    r"(?:表示|致以)(?:最?诚挚|衷心|崇高)的(?:感谢|谢意|敬意)")
#: What was learned, said in a paragraph's opening words (回顾一年来的工作，我们深切体会到；几点体会).
_LESSONS = re.compile(r"^[^。；]{0,24}(?:(?:深切|深刻)地?(?:体会|感受|认识)到|(?:几点|以下|主要)(?:体会|启示)|(?:深切|深刻)体会)")


def weights(paragraphs: list[Paragraph], roles: list[str]) -> list[float]:
    """Each paragraph's weight: its role's (:func:`_role_weight`), a little less in a look back over
    several years (:func:`several_years`) that does not open so itself (五年来: counted there)."""
    return [_role_weight(p, r) * (YEARS if years and not _YEARS.match(p.text) else 1.0)
            for p, r, years in zip(paragraphs, roles, several_years(paragraphs, roles), strict=True)]


def _role_weight(p: Paragraph, role: str) -> float:
    """How much a paragraph of the next report can say about what was done: its review fully,
    its own plan and the parts that look ahead (今后五年, “十五五”) :data:`NO_WORK`, other parts and
    a look back over several years (五年来) less than the review, a paragraph that says what is
    still wrong (清醒地看到…存在的问题和不足), thanks others (表示衷心的感谢) or opens on what was learned
    (我们深切体会到) :data:`NO_WORK`."""
    if role == plan_items.OTHER and any(_AHEAD.search(h) for h in p.section):
        return ROLE_WEIGHT[plan_items.PLAN]
    weight = ROLE_WEIGHT[role]
    if _ASIDE.search(p.text) or _LESSONS.match(p.text):
        return min(weight, ASIDE)
    return weight * 0.6 if _YEARS.match(p.text) else weight


def several_years(paragraphs: list[Paragraph], roles: list[str]) -> list[bool]:
    """Which paragraphs look back over several years, not the year reported on, in a report whose
    review has the year's own part (a paragraph that opens 刚刚过去的2012年, 过去的一年): those from
    one that opens a look back (五年来, 各位代表！六年来,
    市十六届人大一次会议以来) until the year's part or a new sub-heading begins, and those before
    the year's part under a heading of several years alone (一、过去五年的工作回顾; not 2022年和过去
    五年工作回顾)."""
    has_year = any(_YEAR_OPEN.match(p.text) for p, r in zip(paragraphs, roles, strict=True) if r != plan_items.PLAN)
    out, state, section = [], "", []
    for p, role in zip(paragraphs, roles, strict=True):
        if p.section[:1] != section[:1] or state == "years" and p.section != section:
            state = ""  # a new part, or a new sub-heading after a look back
        if _YEAR_OPEN.match(p.text):
            state = "year"
        elif (_YEARS_OPEN.match(p.text) or _YEARS.match(p.text)) and role != plan_items.PLAN:
            state, section = "years", p.section
        section = p.section if state != "years" else section
        out.append(has_year and (state == "years" or not state and _years_heading(p)))
    return out


def _years_heading(p: Paragraph) -> bool:
    """Whether a paragraph stands under a heading of several years alone (过去五年的工作回顾), not
    one that names the year too (2022年和过去五年工作回顾)."""
    return any(
        _YEARS_HEADING.search(h) and not re.search(r"(?:19|20)\d\d年(?!以来)|一年", h) for h in p.section)

"""Plan items (enrich step): a report's plan section split into items, the review found.

Every report ends with what the agency will do next year (下一年度安排 in a rule-of-law report;
2024年工作安排 / 重点工作 / 主要任务 in a work report), and the next report says what was done.
This module reads one report's paragraphs (:mod:`kb.enrich.paragraphs`) and says

- which paragraphs belong to the plan for the next year and which to the review of the
  year reported on (:func:`roles`): from the headings, by the years they name first (a
  heading that names the year after the year reported on is the plan, even when the words
  of its heading read like a review: 2020年主要工作), then by their words; the section kinds
  (下一年度安排, 主要举措和成效) count where the headings say nothing. A role stays in force
  until a heading says otherwise, so the sub-headings of a plan stay plan. Five-year parts
  (“十四五”时期, 未来五年) and glossaries are neither.
- the items of the plan (:func:`items`): each sentence that commits to an action or a
  target; a sentence that lists several targets (地区生产总值增长6%，固定资产投资增长8%)
  is one item a target. The figures of each item come from the figure reader
  (:mod:`kb.figures.extract`). A sentence that commits to nothing is no item
  (:func:`commits_nothing`: a heading, a short lead, the year's outlook, a frame or principle, a
  line of working style, a rallying close, a glossary's entry).

The matching against the next report is :mod:`kb.search.plans`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kb.core.model import Paragraph
from kb.enrich import parts
from kb.enrich.plan_horizon import YEAR, YEARS, horizon
from kb.figures import extract as figures

PLAN, REVIEW, OTHER = "plan", "review", "other"

#: A heading that looks back: the year reported on, or what was done.
_BACK = re.compile(r"回顾|过去|一年来|以来|完成情况|落实情况|工作情况|总结")
#: Words of a review that a plan's heading may aim at too (推动…取得新进展, 巩固拓展…成效, 全面完成
#: 今年各项任务, 实现…良好开局): they say review only where no plan is in force, nor beside the plan's year.
_WEAK_BACK = re.compile(r"成效|成绩|取得|(?:全面|胜利|圆满|超额|基本)完成|开局良好|良好开局")
#: A heading of the plan by its words (no year named).
_AHEAD = re.compile(r"今年|明年|下一年度|下一步|下步|来年|工作安排|重点工作|主要任务|目标任务|工作任务|工作部署|"
                    r"总体要求|预期目标|主要目标|工作打算|工作思路|计划")
#: Parts that are neither: five-year plans and their outlines (:data:`_FIVE` inside this module), glossaries.
_NEITHER = re.compile(r"十[一二三四五六七]五|五年|规划纲要|远景|名词|注释|解释")
_GLOSSARY = re.compile(r"名词|注释|解释")
#: The year that opens or closes a five-year plan (奋力实现“十四五”良好开局: the plan's year, stop 40).
_PERIOD_YEAR = re.compile(r"开局|收官|起步|开好局|第一年|首年|最后一年")
#: The role of a five-year part inside this module (its sub-headings stay so; a report whose only plan is
#: five years' gives its items, marked beyond the year): :data:`OTHER` outside it.
_FIVE = "five-year"
_KIND_ROLE = {parts.PLAN: PLAN, parts.REVIEW: REVIEW}
#: A paragraph's words of what is to come (一年来，我们…做了一些工作。…我们要…): a glance back in the plan.
_AHEAD_IN_TEXT = re.compile(r"我们要|我们将|要认真|要进一步|要继续|今年|明年|下一步")
#: No heading has said a role yet: each paragraph's part says its own (:func:`roles`).
_UNSAID = ""
#: The role a heading's part (:func:`kb.enrich.parts.work_kind`) gives when this module's words
#: say nothing: a review, or a glossary (neither).
_PART_ROLE = {parts.REVIEW: REVIEW, parts.NOTES_KIND: OTHER}

#: What a plan sentence that commits to something begins with or holds.
_COMMIT = re.compile(
    r"推进|推动|加快|实施|建设|建成|开工|完成|新增|新建|改造|开展|深化|启动|争取|力争|确保|创建|组建|出台|"
    r"制定|打造|培育|引进|提升|提高|加强|落实|建立|健全|完善|举办|办好|支持|扩大|编制|实现|抓好|做好|整治|"
    r"达到|增长|控制|下降|认定|招引|签约|转化|改扩建|设立|筹建|争设|投产|竣工|通车|覆盖|减少|压减|化解")
#: Sentences that frame rather than commit (the general requirement, an address to delegates).
_FRAME = re.compile(r"总体要求|指导思想|各位代表|意义重大|必须|我们要|我们将重点|重点抓好|重点做好|以下|如下|让我们|团结在")
#: A sentence that states the general requirement or guiding thought, not a commitment.
_GENERAL = re.compile(r"总体要求|指导思想|基本思路|总体思路")
_SENTENCE = re.compile(r"[^。；！？!?;]+[。；！？!?;]?")
_MIN_ITEM = 6

# Items that commit to nothing (stop 38; docs/PLANS.md): the kinds the judges of plans_heldout5–7
# replaced, labelled in tests/data/plan_item_kinds.toml.
#: A heading's number at the start of a paragraph's first sentence (（三）, 三、, 三是, 第三，), one clause of a
#: heading's length at most: with no figure the item names a field (（七）推动发展方式绿色转型); two clauses
#: (（二）深化法治政府建设，提高依法行政水平: the judges of plans_heldout4 kept it) or 一是… inside a
#: paragraph commit.
_HEADING_NUMBER = re.compile(r"^\s*(?:[（(][一二三四五六七八九十]{1,3}[)）]|[一二三四五六七八九十]{1,3}[、是]|第[一二三四五六七八九十]{1,3}[，,、])")
#: The year's outlook (今年是…关键一年, 2024年，是…之年, 当前…面临, 从内部因素看…是有可能的).
_OUTLOOK = re.compile(r"^(?:今年|明年|\d{4}年)[，,]?(?:是|将是)|之年|关键一年|^(?:当前|目前)[，,]|^从.{1,12}看|是有可能的")
#: A frame or principle: the general line (以…为指导, 稳字当头), a priority (摆在优先位置), a creed (不动摇,
#: 坚定文化自信), a role (发挥…作用，发挥…), a maxim (讲原则是…前提).
_PRINCIPLE = re.compile(r"为指导|稳字当头|稳中求进|摆在.{0,6}(?:优先|首要|突出|首位)|(?<!毫)不动摇|坚定.{0,4}自信|^发挥.{2,20}作用，发挥|"
                        r"^做好.{0,10}工作，要|是.{2,16}(?:前提|途径|准则|保证)")
#: Loyalty or working style, said in the item's first clause (作风, 四风, 从严治党, 两个维护, 第一责任人 …); not
#: 廉政 or 腐败: the judges of plans_heldout4 kept 加强廉政建设和反腐败斗争 as a commitment.
_STYLE = re.compile(r"作风|四风|三风|八项规定|政治建设|政治纪律|从严治党|四个意识|两个维护|第一责任人|政令畅通|"
                    r"为基层减负|调查研究")
#: A rallying close (只要我们…就一定能…, 我们一定…).
_RALLY = re.compile(r"只要|一定能|我们一定|就一定")
#: A glossary's entry read as plan (5．“一圈两核三片”工业产业布局：“一圈”即…; “两核”即…).
_ENTRY = re.compile(r"^\s*(?:\d{1,2}\s*[．.、]\s*)?“[^”]{1,20}”[^，。：:]{0,12}(?:[：:]|即)")
#: The situation, its chances or its difficulties, said inside a plan (stop 40): a view (但更要看到，我国经济…; 应当
#:看到…), chances given (…为我们提供了难得机遇; 释放出巨大制度红利), a trend unchanged (长期向好的基本趋势没有改变), a
#: state (我市正处于转型发展的关键期; X既是…也是…; …是…作出的重大科学决策), what a higher authority did (党的二十届
#: 三中全会…, 国家继续实施…, not 中央本级支出), a maxim (最强的力量就是说到做到). Said of an item without figures.
_SITUATION = re.compile(
    r"^(?:但|但是|同时|然而|当然)?[，,]?(?:我们)?(?:更|也|还|同时)?(?:要|应|应该|应当|必须)?(?:清醒|深刻|充分)?地?(?:看到|认识到|意识到)"
    r"|(?:为我们|给我们|为全[市省区州县]|为我[市省区州县])[^。；]{0,40}?(?:提供了|创造了|带来了|赋予了|指明了)|释放出[^，。；]{0,6}红利"
    r"|(?:趋势|基本面|长期向好)[^。；]{0,12}(?:没有|不会)(?:改变|变)"
    r"|^[^，。；]{2,24}(?:正处于|正处在|处于)[^，。；]{0,24}(?:期|阶段|时期)|^(?!把|将|打造|建设|推动)[^，。；]{2,30}既是[^。；]{2,40}也是"
    r"|^[^，。；]{2,30}是[^。；]{0,80}(?:作出|做出)的[^。；]{0,10}决策"
    r"|^(?:但|同时|特别是|尤其是)?[，,]?(?:党的[^，。；]{0,12}(?:大|全会)|党中央|中央(?!本级)|省委|自治区党委|习近平|总书记|"
    r"国家(?:继续|进一步|大力|着重|实施|批准|出台|加大|强调))(?![^，。；]{0,30}(?:我们|要|将|力争|确保|争取))"
    r"|^[^，。；]{0,6}最[^，。；]{1,8}就是|^(?!树立|坚持|牢固|按照|秉持|践行)[^，。；“]{0,12}就是[^，。；]{2,12}，[^，。；]{0,12}就是")
_HEADING_MAX = 22
#: A lead that only names a field (加强城市管理。…): the first sentence of a paragraph that goes on, this short,
#: without a figure or a quoted name (the judges of plans_heldout3–6 kept leads of 10 and more characters:
#: 加强皖北基础设施建设, 继续实施为民办实事工程).
_LEAD_MAX = 8
_SAY_NOTHING = (_OUTLOOK, _PRINCIPLE, _RALLY, _SITUATION)


@dataclass
class PlanItem:
    """One commitment of a plan: its text, where it stands and its figures."""

    text: str
    paragraph_id: str
    start: int  # offsets of ``text`` in the paragraph
    end: int
    figures: list[dict] = field(default_factory=list)
    in_list: str = ""  # "targets" (主要预期目标) or "projects" (民生实事) when the item belongs to such a list
    beyond: str = ""  # the words that put the item's goal beyond the plan's year (到2025年, 三年行动): kb.enrich.plan_horizon

    @property
    def horizon(self) -> str:
        """:data:`YEARS` when the item's goal reaches beyond the plan's year, else :data:`YEAR`."""
        return YEARS if self.beyond else YEAR

    def to_dict(self) -> dict:
        return {"text": self.text, "paragraph_id": self.paragraph_id, "start": self.start, "end": self.end,
                "figures": self.figures, "in_list": self.in_list, "horizon": self.horizon, "beyond": self.beyond}


def heading_role(heading: str, year: int, in_force: str = OTHER) -> str | None:
    """The role a heading gives the paragraphs under it, or None when it says nothing.
    ``year`` is the year reported on; the plan is for ``year + 1``; ``in_force``: the role
    before the heading (a plan's sub-heading may use a review's words: 取得新进展)."""
    role = _heading_role(heading, year, in_force)
    return OTHER if role == _FIVE else role


def _heading_role(heading: str, year: int, in_force: str = OTHER) -> str | None:
    """:func:`heading_role`, a five-year part's :data:`_FIVE`."""
    h = heading.replace("*", "")
    if parts.DATELINE.match(h):  # the session's date says nothing
        return None
    said = _year_role(h, year) or (_five_role(h) if _NEITHER.search(h) else None)
    if said:
        return said
    if _BACK.search(h) or (_WEAK_BACK.search(h) and in_force not in (PLAN, _FIVE)):
        return REVIEW
    if _AHEAD.search(h):
        return PLAN
    # else a review or a glossary as the report-parts reader sees it (kb.enrich.parts: 执行情况,
    # 决算, 成就 …); its words of a plan (目标, 任务) are too broad for a sub-heading of a review
    return _PART_ROLE.get(parts.work_kind(h, year + 1) or "")


def _year_role(h: str, year: int) -> str | None:
    """The role of a heading that names the plan's year (not looking back) or the year reported on."""
    if re.search(rf"{year + 1}\s*年", h) and not _BACK.search(h):
        return PLAN
    return REVIEW if re.search(rf"{year}\s*年", h) else None


def _five_role(h: str) -> str:
    """The role of a heading of a five-year plan or a glossary (:data:`_NEITHER`): a glossary and a look back over
    five years are OTHER, a five-year plan's part :data:`_FIVE`; but a heading of the year that opens or closes the five years (奋力实现“十四五”
    良好开局) is the plan's, or the review's when it looks back."""
    if _GLOSSARY.search(h):
        return OTHER
    if not _PERIOD_YEAR.search(h):
        return OTHER if _BACK.search(h) or _WEAK_BACK.search(h) else _FIVE  # a look back (一、五年工作的回顾)
    return REVIEW if _BACK.search(h) else PLAN


#: A paragraph that is a heading the import did not mark as one (一、2022年工作回顾): short,
#: numbered, without a sentence's end.
_HEADING_LINE = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}[、.．]|第[一二三四五六七八九十]部分|[（(][一二三四五六七八九十]{1,3}[)）])"
                           r"[^。；！？]{2,40}$")


def roles(paragraphs: list[Paragraph], year: int) -> list[str]:
    """The role of each paragraph (:data:`PLAN`, :data:`REVIEW`, :data:`OTHER`), in order; a
    paragraph that is an unmarked heading is OTHER and sets the role of those after it. Until
    a heading or a part's first paragraph says a role (a report without headings, or whose
    only heading is its session's date line), each paragraph's part gives its own."""
    return [OTHER if r == _FIVE else r for r in _roles(paragraphs, year)]


def _roles(paragraphs: list[Paragraph], year: int) -> list[str]:
    """:func:`roles`, a five-year part's paragraphs :data:`_FIVE`."""
    out, role, last_path = [], _UNSAID, None
    for p in paragraphs:
        path = tuple(p.section)
        if path != last_path:
            role = _path_role(p, year, role, last_path)
            last_path = path
        role, own = _paragraph_role(p, year, role)
        out.append(own)
    return out


def _paragraph_role(p: Paragraph, year: int, role: str) -> tuple[str, str]:
    """The role in force after paragraph ``p`` and ``p``'s own: an unmarked heading (一、…; 做好2023年工作) is
    OTHER and may set the role; in a five-year part, a paragraph that opens the plan's year (今年重点抓好以下
    八个方面工作：) begins the year's plan (stop 40)."""
    numbered = bool(_HEADING_LINE.match(p.text))
    said = _heading_role(p.text, year, role or OTHER) if numbered or parts.heading_left_alone(p.text) else None
    if numbered or said:
        return said or role, OTHER
    role = _glued_role(p.text, year, role)
    if role == _FIVE and opening_role(p.text, year) == PLAN:
        role = PLAN
    return role, _own_role(p, role)


def _own_role(p: Paragraph, role: str) -> str:
    """A paragraph's own role under the role in force: a glossary's entry is OTHER; no role in force, its kind's."""
    return OTHER if p.section_kind == parts.NOTES_KIND else role or _KIND_ROLE.get(p.section_kind, OTHER)


def _glued_role(text: str, year: int, role: str) -> str:
    """A part's heading glued to its first paragraph (二、竞进2022年，我们要锚定奋斗目标…。今年…)
    begins its part there: its first sentence read as a heading."""
    if not parts.GLUED.match(text):
        return role
    said = _heading_role(text.split("。", 1)[0][:40], year, role or OTHER)
    return said if said in (PLAN, REVIEW) else role


def _path_role(p: Paragraph, year: int, role: str, last_path: tuple | None) -> str:
    """The role of a new section path: its innermost heading that names one (the headings
    already seen keep theirs), else its kind, else the role in force."""
    found = _headings_role(_new_headings(p.section, last_path), year, role or OTHER)
    if found:
        return found
    if p.section_kind == "名词解释":
        return OTHER
    if not p.section:
        return role
    top = not last_path or last_path[0] != p.section[0]  # a new part of the report, not a sub-heading
    said = _part_opening(p, year, role) if top else (_FIVE if _in_five(p, year, role) else None)
    return said or _kind_role(p, role, top)


def _new_headings(section: list[str], last_path: tuple | None) -> list[str]:
    """The headings of ``section`` not already in force (those after the last one it shares with ``last_path``)."""
    return [h for i, h in enumerate(section) if not last_path or i >= len(last_path) or last_path[i] != h]


def _in_five(p: Paragraph, year: int, role: str) -> bool:
    """A sub-heading that says nothing stays in a five-year part (（一）坚持生态优先… under “十四五”时期主要任务: stop
    40) while the nearest heading above it that says a role is that part's."""
    return role == _FIVE and _nearest_role(p.section[:-1], year) == _FIVE


def _kind_role(p: Paragraph, role: str, top: bool) -> str:
    """The role the report-parts reader's kind gives a new section path whose headings and opening
    say nothing: where no role is in force; a new part after a part that is neither; and a new part after the
    review (二、大力调整产业结构…, its plan's year said paragraphs later) when the parts reader reads it as the plan.
    """
    if role in (OTHER, _UNSAID, _FIVE) or (top and role == REVIEW and p.section_kind == parts.PLAN):
        return _KIND_ROLE.get(p.section_kind, role)
    return role


def _part_opening(p: Paragraph, year: int, role: str) -> str | None:
    """The role a new part whose heading says nothing takes from its opening; but a plan's part
    may open with a glance back (一年来，我们…做了一些工作。…我们要…): it stays the plan's."""
    opening = opening_role(p.text, year)
    return None if opening == REVIEW and role == PLAN and _AHEAD_IN_TEXT.search(p.text) else opening


def _headings_role(headings: list[str], year: int, in_force: str) -> str | None:
    """The role the innermost of ``headings`` that names one gives, each read under the role of
    those above it (a plan's sub-heading that aims at 取得新进展 stays the plan's)."""
    found = None
    for heading in headings:
        found = _heading_role(heading, year, in_force) or found
        in_force = found or in_force
    return found


def _nearest_role(headings: list[str], year: int) -> str | None:
    """The role the innermost of ``headings`` that says one gives (read on its own)."""
    return next((r for h in reversed(headings) if (r := _heading_role(h, year))), None)


def opening_role(text: str, year: int) -> str | None:
    """The role the first paragraph of a part gives it when its heading says nothing
    (奋战起步年，新征程新开局: 今年是“十四五”开局之年 …)."""
    if re.match(rf"(?:今年|{year + 1}\s*年)", text):
        return PLAN
    if re.match(rf"(?:过去的?一年|一年来|{year}\s*年|刚刚过去)", text):
        return REVIEW
    return None


def plan_paragraphs(paragraphs: list[Paragraph], year: int) -> list[Paragraph]:
    """The paragraphs of the plan for ``year + 1``; a report whose only plan is a five-year one (上海 2003:
    三、今后五年的主要任务) gives that one's (its items are marked beyond the year: :func:`items`)."""
    return _plan(paragraphs, year)[0]


def _plan(paragraphs: list[Paragraph], year: int) -> tuple[list[Paragraph], bool]:
    """The plan's paragraphs, and whether they are a five-year plan's (the report has no plan for the year)."""
    found = _roles(paragraphs, year)
    plan = [p for p, r in zip(paragraphs, found, strict=True) if r == PLAN]
    if plan:
        return plan, False
    return [p for p, r in zip(paragraphs, found, strict=True) if r == _FIVE], True


def _list_of(text: str) -> str:
    """The list a paragraph (or heading) opens: targets (主要预期目标是), or 民生实事 when its first
    sentence names them (继续为民办实事。…; not a paragraph of other work that names them in passing)."""
    if re.search(r"预期目标|主要目标|约束性目标|目标是", text):
        return "targets"
    if re.search(r"实事(?!求是)|民生工程", re.split(r"[。；;！!]", text, maxsplit=1)[0]):  # 民生实事, 十件实事
        return "projects"
    return ""


_NUMBERED = re.compile(r"^\s*(?:\d{1,2}\s*[、.．]|[（(]\d{1,2}[)）]|[一二三四五六七八九十]{1,3}、)")


def list_kinds(plan: list[Paragraph]) -> dict[str, str]:
    """The list each plan paragraph belongs to: a paragraph of targets (主要预期目标是：…),
    or of 民生实事 (named in it, in its heading: 2013年为民办实事项目, or in the paragraph that
    opens a numbered list it is part of: 今年，我们将继续办好十件实事。)."""
    out: dict[str, str] = {}
    current = ""
    for p in plan:
        own = _list_of(p.text) or ("projects" if p.section and _list_of(p.section[-1]) == "projects" else "")
        if own:
            current = own if own == "projects" else ""
            out[p.id] = own
        elif _NUMBERED.match(p.text) and current:
            out[p.id] = current
        else:
            current = ""
    return out


def items(paragraphs: list[Paragraph], year: int) -> list[PlanItem]:
    """The items of a report's plan, in order; those of a five-year plan (a report without a plan for the
    year) each beyond the year, said by the part's heading (今后五年, “十四五”)."""
    plan, five = _plan(paragraphs, year)
    kinds = list_kinds(plan)
    out = [it for p in plan for it in paragraph_items(p.text, p.id, kinds.get(p.id, ""), year + 1)]
    if five:
        said = {p.id: _five_words(p) for p in plan}
        for it in out:
            it.beyond = it.beyond or said[it.paragraph_id]
    return out


def _five_words(p: Paragraph) -> str:
    """The words of a five-year part's heading that say its span (今后五年, 十四五)."""
    return next((m.group(0) for h in reversed(p.section) if (m := _NEITHER.search(h))), "五年")


def paragraph_items(text: str, paragraph_id: str = "", in_list: str = "", plan_year: int | None = None) -> list[PlanItem]:
    """The items of one plan paragraph (``plan_year``: the year the plan is for, to tell its goals beyond it)."""
    out = []
    for m in _SENTENCE.finditer(text):
        lo, hi = m.start(), m.end()
        sentence = text[lo:hi]
        if _GENERAL.search(sentence[:40]):
            continue
        body_lo = lo + _after_frame(sentence)
        for a, b in _clauses(text, body_lo, hi):
            piece = text[a:b].strip("。；！？!?;，, *")
            if len(piece) < _MIN_ITEM or not _COMMIT.search(piece) or _FRAME.search(piece):
                continue
            opening = lo == 0 and not in_list  # a list's line (四、推进公益性文化设施免费开放) is no heading
            if commits_nothing(piece, opening and len(text.rstrip("。；！？!?; *")) > hi, _ENTRY.match(text), opening):
                continue
            a = text.index(piece, a)
            out.append(PlanItem(piece, paragraph_id, a, a + len(piece), item_figures(piece), in_list,
                                horizon(sentence, plan_year, piece)))
    return out


def beyond_at(text: str, start: int, end: int, plan_year: int | None = None) -> str:
    """The words that put the item ``text[start:end]`` of a plan paragraph beyond ``plan_year``, read on its
    sentence as :func:`paragraph_items` reads them (:func:`kb.enrich.plan_horizon.horizon`)."""
    m = next((m for m in _SENTENCE.finditer(text) if m.start() <= start < m.end()), None)
    return horizon(m.group(0) if m else text[start:end], plan_year, text[start:end])


def commits_nothing(piece: str, lead: bool = False, entry: object = None, first_sentence: bool = False) -> bool:
    """True for an item that commits to no action or target: a heading (``first_sentence`` of its
    paragraph: （三）推进绿色发展…), a lead that only names a field (``lead``: the first sentence of a
    paragraph that goes on), the year's
    outlook, a frame or principle, a line of loyalty or working style, a rallying close, the situation (its
    chances, a state, what a higher authority did, a maxim: stop 40), a glossary's entry (``entry``: the
    paragraph defines a quoted term). An item with a figure in digits commits, unless it is an outlook."""
    if entry:
        return True
    if re.search(r"[0-9０-９]", piece):  # a figure (15所, 10%), a date, a year
        return bool(_OUTLOOK.search(piece))
    if _names_a_field(piece, lead, first_sentence):
        return True
    first = re.sub(r"《[^》]*》", "", re.split(r"[，,]", piece, maxsplit=1)[0])
    return bool(_STYLE.search(first)) or any(r.search(piece) for r in _SAY_NOTHING)


def _names_a_field(piece: str, lead: bool, first_sentence: bool) -> bool:
    """A heading (a paragraph's first sentence, numbered, one clause) or a short lead: it names a field."""
    if first_sentence and _HEADING_NUMBER.match(piece) and len(piece) <= _HEADING_MAX and not re.search("[，,]", piece):
        return True
    return lead and len(piece) <= _LEAD_MAX and "“" not in piece


def _after_frame(sentence: str) -> int:
    """Where the commitments of a sentence begin: after 主要预期目标是：, a lead such as
    推进产业转型升级。 is its own sentence already."""
    m = re.search(r"[：:]", sentence)
    if m and m.start() < 40 and re.search(r"目标|要求|任务|安排|是$", sentence[:m.start()]):
        return m.end()
    return 0


def _clauses(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """A sentence as items: whole, or, when two or more of its clauses state a figure (a list
    of targets), one item per such clause, a clause without a figure joined to the next."""
    cuts = [i + 1 for i in range(lo, hi) if text[i] in "，,"]
    bounds = list(zip([lo, *cuts], [*cuts, hi], strict=True))
    starts = [lo + n.start for n in figures.numbers(text[lo:hi])]  # read once, not once a clause
    with_figure = [any(a <= x < b for x in starts) for a, b in bounds]
    if sum(with_figure) < 2:
        return [(lo, hi)]
    out, start = [], lo
    for (_, b), has in zip(bounds, with_figure, strict=True):
        if has:
            out.append((start, b))
            start = b
    if start < hi and out:
        out[-1] = (out[-1][0], hi) if not any(with_figure[len(out):]) and hi - start < 12 else out[-1]
        if hi - start >= 12:
            out.append((start, hi))
    return out


def item_figures(text: str) -> list[dict]:
    """The figures of an item, as the API shows them."""
    return [{"written": f.written, "value": f.value, "unit": f.unit, "amount": f.amount,
             "normalized_unit": f.normalized_unit, "indicator": f.indicator, "change": f.change,
             "approx": f.approx} for f in figures.extract(text)]

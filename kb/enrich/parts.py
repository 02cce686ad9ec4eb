"""Report parts (enrich step): the heading tree and the part of the report each paragraph is in.

Used by :mod:`kb.enrich.paragraphs` while it walks a report's body.

- **The heading tree** (:class:`Outline`) follows the numbering of the headings, whatever
  Markdown level or bold the file gave them: 第一部分 > 一、 > （一） > 1. > （1） > ①. A heading
  without a number that names a part of the report (2024年工作回顾, 2025年重点工作, 名词解释)
  stands at the top; another one is a sibling of the heading of its Markdown level above it,
  else a child of the heading above it. An address (各位代表：) or a byline (——在…大会上) set
  as a heading is a paragraph.
- **The parts** (:class:`Parts`). A rule-of-law report (法治政府建设年度报告) keeps the four parts
  its headings name (:data:`KIND_RULES`: the outermost heading with a kind decides). Any other
  report (government work reports, speeches) is read as a work report is written: the review
  of the year or years is 主要举措和成效, the problems and shortcomings 存在的不足和原因, the
  targets and tasks 下一年度安排 (a heading with a year from the year ahead on — a five-year plan
  such as “十二五” counting as the last year of its period —, or with words of a plan; a section whose heading names no part continues the part before it, so the
  government's own building stays with its year's part); a paragraph that opens the plan
  (今年是…, 今年政府工作的总体要求是…) starts it even without a heading. The address and the
  opening formula (各位代表：, 现在，我代表…向大会报告工作), a bare 各位代表！ and the closing
  appeal (让我们…团结…奋斗) are 开头和结尾; notes that explain terms (under 名词解释, 注释 …)
  名词解释; a source line ((《人民日报》…)) 其他.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from kb.ingest.repair.headings import NOTES
from kb.ingest.repair.shapes import numbering

REVIEW, PROBLEMS, DUTY, PLAN, OPENING, NOTES_KIND, OTHER = (
    "主要举措和成效", "存在的不足和原因", "第一责任人职责", "下一年度安排", "开头和结尾", "名词解释", "其他")

#: Every part a paragraph can be given (the section_kind facet's values).
KINDS = (REVIEW, PROBLEMS, DUTY, PLAN, OPENING, NOTES_KIND, OTHER)


def named_kind(value: str) -> str:
    """The part a section_kind filter names: its value, or the one part whose name holds what was
    written when it is a short form of it (不足和原因 → 存在的不足和原因, 举措和成效 → 主要举措和成效)."""
    if value in KINDS:
        return value
    named = [kind for kind in KINDS if value in kind]
    return named[0] if len(named) == 1 else value


# Section kinds of a rule-of-law report by the words of a heading; the first rule that matches
# wins, so the more specific kinds come first (下一步工作措施 is a plan, not a measure).
KIND_RULES: list[tuple[str, re.Pattern]] = [
    (NOTES_KIND, NOTES),  # a glossary or notes: 名词解释, 《政府工作报告》注释, 附：名词解析
    (DUTY, re.compile(r"第一责任人|主要负责人|主要负责同志|主体责任|履职情况|述法")),
    (PROBLEMS, re.compile(r"不足|存在的?问题|问题和|差距|短板|薄弱|原因|整改")),
    (PLAN, re.compile(r"下一|下步|来年|明年|安排|打算|计划|思路|展望|\d{4}年(?:度)?(?:工作)?(?:重点|目标)")),
    (REVIEW, re.compile(r"举措|成效|措施|做法|工作开展|开展情况|工作情况|主要工作|成绩|进展|落实情况|推进情况")),
]

#: A rule-of-law report, by its title (as :mod:`kb.enrich.reportcard` reads it).
RULE_OF_LAW = re.compile(r"法治政府建设|法治建设|依法行政")
OTHER_GENRE = re.compile(r"政府工作报告|讲话|发言|致辞")

# -- a work report's headings -------------------------------------------------------------
WORK_NOTES = NOTES
WORK_PROBLEMS = re.compile(r"不足|存在的?(?:主要)?问题|困难和问题|问题和不足")
WORK_REVIEW = re.compile(r"回顾|总结|过去|[一五]年来|基本估计|执行情况|完成情况|成绩|成就|决算")
#: the words of WORK_REVIEW a plan's heading does not use (成绩, 成就 it may aim at)
STRONG_REVIEW = re.compile(r"回顾|总结|过去|[一五]年来|基本估计|执行情况|完成情况|决算")
#: words of a review that a plan's heading may use too (取得新成效): only before any part
WEAK_REVIEW = re.compile(r"取得了?(?:新的?|明显|重大|积极|显著)?(?:进展|成效|成绩|成果)")
WORK_PLAN = re.compile(r"下一|下步|明年|今年|今后|未来|安排|打算|计划|思路|展望|目标|任务|部署|建议|重点工作|"
                       r"主要工作|预算|发展的?(?:总体)?要求|“?十[一二三四五六七八九]五”?")
CN_DIGITS = "〇零一二三四五六七八九"
YEAR = re.compile(rf"((?:19|20)\d{{2}}|[一二][{CN_DIGITS}]{{3}})\s*年")
#: A five-year plan by its name (“十二五”, 十五计划, 九五时期): it stands for the last year of its
#: period, so “十二五” is reviewed in 2016's report and planned in 2011's.
PERIOD = re.compile(r"(?:“|(?<![一二三四五六七八九十]))((?:十[一二三四五六七八九]?|[六七八九])五)(?:”|(?=计划|规划|时期|期间|末|以来|发展))")
#: A heading without a number that is a part of its own (the top of the tree).
PART_WORDS = re.compile(r"回顾|总结|工作安排|重点工作|主要任务|目标任务|今后|“?十[一二三四五六七八九]五")

# -- paragraphs ---------------------------------------------------------------------------
ADDRESS = re.compile(r"^(?:各位代表|各位委员|各位同志|同志们|代表们)[，,、：:！!。\s]*"
                     r"(?:(?:各位委员|各位同志|同志们)[，,、：:！!。\s]*)?$")
BYLINE = re.compile(r"^[—―]{1,2}.{0,40}(?:会议|大会)上")
#: A heading that is a date or a session line (（2001年2月20日）, ——2009年2月16日在…会议,
#: 2020年1月9日…会议通过): it names the year of the session, not a part.
DATELINE = re.compile(r"^[\s（(—―-]*(?:(?:(?:19|20)\d{2}|[一二][〇零一二三四五六七八九]{3})\s*年\s*"
                      r"[\d〇一二三四五六七八九十]{1,2}\s*月\s*[\d〇一二三四五六七八九十]{1,3}\s*日|在.{0,40}(?:会议|大会))"
                      r"|^[—―]{1,2}.{0,40}(?:会议|大会)")
OPENING_FORMULA = re.compile(r"^(?:现在[，,]\s*)?我(?:受.{2,20}委托[，,]?\s*)?(?:代表|向).{0,60}"
                             r"(?:报告工作|工作报告|作报告|的报告|提出报告|报告政府工作|请予审议|予以审议)")
#: … or says so after a sentence on the plan it brings (今年是…开局之年，我代表省人民政府向大会报告…)
OPENING_WITHIN = re.compile(r"我(?:受.{2,20}委托[，,]?\s*)?代表.{2,24}(?:向(?:大会|本次会议)|作.{0,30}报告)")
#: … or, right after the address, says what the report brings to the meeting (规划纲要（草案）…请一并审议)
OPENING_PREAMBLE = re.compile(r"审议|纲要|草案")
CLOSING = re.compile(r"让我们[^。！!；]{0,80}(?:团结|奋斗|努力|携起手|携手|前进|开创|谱写|创造|奋进|拼搏)"
                     r"|紧密地?团结在以.{2,12}为(?:核心|总书记)的党中央周围")
SOURCE = re.compile(r"^[（(](?:《[^》]+》|新华社).{0,40}[)）]$")
PROBLEMS_OPEN = re.compile(r"^(?:各位代表[，,！!：:]\s*)?(?:(?:在|我们在)?(?:充分)?(?:肯定|看到|总结)(?:成绩|成就)的同时"
                           r"|同时|但是|另一方面|回顾.{0,8}[，,]|(?:我们|也要|更要)?.{0,4}(?:清醒|清楚|深刻)(?:地)?"
                           r"(?:看到|认识到|认识)|(?:当前|目前)|这些(?:矛盾和)?问题)")
#: … or says so in its first sentences (思危方能居安，知忧才能克难。我们清醒地看到，…问题仍然突出)
PROBLEMS_CUE = re.compile(r"(?:清醒|清楚|深刻)地?(?:看到|认识到?|意识到)|(?:肯定|看到|总结|取得(?:这些)?)(?:成绩|成就)的同时"
                          r"|存在(?:的)?(?:主要)?(?:矛盾和)?(?:问题|不足)"
                          r"|(?:还|仍然?|依然|尚|但)(?:存在|面临|有)着?(?:一些|不少|许多|很多|诸多|一定的?)?[^。；]{0,16}"
                          r"(?:问题|不足|短板|差距|矛盾|困难|挑战)|问题更需正视"
                          r"|(?:不足|问题|短板|差距)[^。，]{0,4}(?:仍|依然|还)(?:是|较为?|比较|十分|很|突出)")
#: … or, a little further on, that we see them clearly (需向代表说明的是，…同时，我们也清醒地认识到…)
PROBLEMS_AWARE = re.compile(r"(?:清醒|清楚|深刻)地?(?:看到|认识到?|意识到)")
PROBLEMS_WORDS = re.compile(r"问题|不足|困难|差距|短板|矛盾|挑战|风险")
REVIEW_OPEN = re.compile(r"^(?:各位代表[，,！!：:]\s*)?(?:过去的?一年|一年来|过去(?:的)?五年|五年来|刚刚过去的|去年|"
                         r"(?P<year>(?:19|20)\d{2})年(?:[，,]|是)|(?P<period>“?十[一二三四五六七八九]?五”?)(?:时期|期间)[，,是])")
#: words of the year ahead in a paragraph (a review paragraph in the plan has none)
PLAN_WORDS = re.compile(r"新的一年|今年|明年|下一步|下一阶段|今后|未来|我们将|将继续|将进一步|要继续|要坚持|要进一步")
#: a heading the file glued to the start of a paragraph (一、回顾2023年，…; 一、2005年工作回顾 “十五”时期…)
GLUED = re.compile(r"^[一二三四五六七八九]、")
#: the speaker's name line before any part (代市长 张三; 吾拉木江·热依木; a bare name of two or
#: three characters is not told from a heading such as 过去一年)
SPEAKER = re.compile(r"^(?:.{0,16}(?:市长|省长|州长|主席|区长|盟长|县长)\s*[\u4e00-\u9fff·•\s]{2,12}|"
                     r"[\u4e00-\u9fff]{2,8}[·•][\u4e00-\u9fff]{2,8})$")
#: an entry of a glossary that has no heading of its own (3、投转固：指固定资产投资项目…)
GLOSS_ENTRY = re.compile(r"^\d{1,3}\s*[.．、]\s*[^。：:，,]{1,30}[：:]\s*(?:是|主要)?指")
#: what a heading left as a paragraph does not hold: a sentence's or a clause's end
UNHEADED = re.compile(r"[。；;，,：:！!？?]")
PLAN_OPEN = re.compile(r"^(?:各位代表[，,！!：:]\s*)?(?:今年是|今年[^，。]{0,12}(?:总体要求|预期目标|主要目标|指导思想)"
                       r"|(?:做好|完成)今年|(?:本届政府|我们)?(?:今后|未来)五年|(?P<period>“?十[一二三四五六七八九]五”?)(?:时期|期间)?(?:是|.{0,6}要)"
                       r"|(?P<year>(?:19|20)\d{2})年(?:是|，?(?:我们)?(?:要|将))|下面.{0,10}(?:今年|明年|下一步))")


def cn_year(text: str) -> int:
    """一九八七 -> 1987; 2024 -> 2024."""
    if text.isdigit():
        return int(text)
    return int("".join(str(CN_DIGITS.index(c) % 10 if c not in "〇零" else 0) for c in text))


def period_end(name: str) -> int:
    """十二五 -> 2015, 十五 -> 2005, 九五 -> 2000: the last year of a five-year plan (the sixth on)."""
    digits, name = "一二三四五六七八九", name.strip("“”")[:-1]
    n = 10 + (digits.index(name[1]) + 1 if len(name) == 2 else 0) if name[0] == "十" else digits.index(name) + 1
    return 1955 + 5 * n


def heading_years(heading: str) -> list[int]:
    """The years a heading names: years, and the last year of the five-year plans it names."""
    return [cn_year(m.group(1)) for m in YEAR.finditer(heading)] + [period_end(m.group(1)) for m in PERIOD.finditer(heading)]


def is_rule_of_law(title: str) -> bool:
    """Whether a report is a 法治政府建设 annual report (by its title)."""
    return bool(RULE_OF_LAW.search(title)) and not OTHER_GENRE.search(title)


def kind_of_heading(heading: str) -> str | None:
    """The part a rule-of-law report's heading names, if any."""
    for kind, rx in KIND_RULES:
        if rx.search(heading):
            return kind
    return None


def section_kind(path: list[str]) -> str:
    """The kind of the outermost heading that has one, else 其他 (rule-of-law reports)."""
    for heading in path:
        kind = kind_of_heading(heading)
        if kind:
            return kind
    return OTHER


def work_kind(heading: str, plan_year: int | None) -> str | None:
    """The part a work report's heading names, if any: its glossary, problems, review (words of a
    review, or only years before the plan year) or plan (a year from the plan year on, or words of a plan)."""
    text = heading.replace("*", "")
    if NOTES.match(text):
        return NOTES_KIND
    if DATELINE.match(text):
        return None
    if WORK_PROBLEMS.search(text):
        return PROBLEMS
    if WORK_REVIEW.search(text):
        return REVIEW
    years = heading_years(text)
    if plan_year and years:
        return PLAN if max(years) >= plan_year else REVIEW
    return PLAN if WORK_PLAN.search(text) else None


def heading_left_alone(text: str) -> bool:
    """A paragraph that is a heading the file did not mark (2015年工作安排, 回顾2022年工作): short,
    without a sentence's or a clause's end."""
    return len(text) <= 24 and not UNHEADED.search(text)


def is_address(heading: str) -> bool:
    """A heading that is an address (各位代表：) or a byline (——在…大会上): a paragraph."""
    text = heading.replace("*", "").strip()
    return bool(ADDRESS.match(text) or BYLINE.match(text))


# -- the heading tree ---------------------------------------------------------------------

RANKS = {"chapter": 0, "cn": 1, "paren-cn": 2, "arabic": 3, "paren-arabic": 4, "circled": 5}


@dataclass
class _Heading:
    text: str
    marks: int  # the Markdown level the file gave it (number of #)
    level: float  # its place in the tree: 0 the top
    part: bool  # names a part of its own (a top heading without a number)


@dataclass
class Outline:
    """The headings above the current paragraph, nested by their numbering."""

    stack: list[_Heading] = field(default_factory=list)

    def push(self, text: str, marks: int, part: bool) -> None:
        level = self._level(text, marks, part)
        while self.stack and self.stack[-1].level >= level:
            self.stack.pop()
        self.stack.append(_Heading(text, marks, level, part and numbering(text) is None))

    def _level(self, text: str, marks: int, part: bool) -> float:
        num = numbering(text.replace("*", ""))
        if num:
            return RANKS.get(num[0], 5)
        if part:
            return 0
        for h in reversed(self.stack):
            if h.marks == marks and not h.part:
                return h.level  # a sibling of the heading of its Markdown level
            if h.marks < marks or h.part:
                return h.level + 0.5
        return 0.5

    def close_parts(self) -> None:
        """A new part began in the text: the headings of the part before are closed."""
        while self.stack:
            self.stack.pop()

    def headings(self) -> list[str]:
        return [h.text for h in self.stack]


# -- the parts ----------------------------------------------------------------------------


@dataclass
class Parts:
    """The part of each paragraph of one report, given in order (see the module docstring)."""

    rule_of_law: bool
    plan_year: int | None
    headed: bool = True  # the report has headings
    state: str | None = None  # the part in force
    since: int = 0  # paragraphs since the review began
    top: str | None = None  # the outermost heading of the last paragraph
    previous: str = ""  # the last paragraph's kind

    @classmethod
    def of(cls, title: str, year: int, headed: bool) -> Parts:
        return cls(is_rule_of_law(title), year + 1 if year else None, headed)

    def heading_kind(self, heading: str) -> str | None:
        if self.rule_of_law:
            return kind_of_heading(heading)
        kind = work_kind(heading, self.plan_year)
        if kind == REVIEW and self.state == PLAN and not (STRONG_REVIEW.search(heading) or heading_years(heading)):
            return None  # in the plan, a heading that aims at results (填写优异成绩单) is the plan's
        return kind or (REVIEW if self.state is None and WEAK_REVIEW.search(heading) else None)

    def names_part(self, heading: str) -> bool:
        """Whether an unnumbered heading names a part of the report (then it stands at the top)."""
        text = heading.replace("*", "")
        return not self.rule_of_law and (bool(NOTES.match(text)) or (
            self.heading_kind(text) in (REVIEW, PLAN, PROBLEMS) and bool(PART_WORDS.search(text) or YEAR.search(text))))

    def kind(self, text: str, path: list[str], headings: list[str]) -> tuple[str, bool]:
        """(kind of the paragraph, whether it opened a new part in the text)."""
        if self.rule_of_law:
            return (section_kind(path) if path else OPENING if self.headed else OTHER), False
        kind, opened = self._work(text, path, headings)
        self.previous = kind
        return kind, opened

    def _work(self, text: str, path: list[str], headings: list[str]) -> tuple[str, bool]:
        """A work report's paragraph: its glossary, else what the headings say, the paragraph
        itself (opening, closing), the plan it opens or the problems it names, else the part in force."""
        own = next((k for k in map(self.heading_kind, path) if k), None)
        if own == NOTES_KIND:
            return NOTES_KIND, False
        self._follow(own, headings[0] if headings else None)
        override = self._paragraph(text, bool(path))
        if override:
            return override, False
        plain = unicodedata.normalize("NFKC", text)
        self._glued(plain)
        opened = self._opens_plan(plain, bool(headings))
        if self.state in (None, REVIEW) and self._problems(plain):
            return PROBLEMS, False
        if self._reviews(plain, opened):
            return REVIEW, False  # the past year of one field, told in the plan (过去一年，我们持续推进…)
        return self.state or OTHER, opened

    def _reviews(self, plain: str, opened: bool) -> bool:
        """A paragraph that opens with the past (过去一年，…) begins the review before any part;
        in the plan, without a word of the year ahead, it is a review of its own."""
        m = REVIEW_OPEN.match(plain)
        if not m or self._ahead(m.group("year") or m.group("period") and str(period_end(m.group("period"))) or "0"):
            return False
        if self.state is None:
            self.state, self.since = REVIEW, 1
        return self.state == PLAN and not opened and not PLAN_WORDS.search(plain)

    def _glued(self, plain: str) -> None:
        """A heading the file glued to a paragraph (一、回顾2023年，…) or left as a short
        paragraph of its own (2015年工作安排) begins the review before any part, or the plan
        after the review."""
        if not (GLUED.match(plain) or heading_left_alone(plain)):
            return
        head = plain[:40].split("。")[0]
        kind = work_kind(head, self.plan_year)
        if kind == REVIEW and self.state is None or kind == PLAN and self.state == REVIEW and heading_years(head):
            self.state, self.since = kind, 0

    def _follow(self, own: str | None, top: str | None) -> None:
        """The part the headings name begins at a new top heading (a plan is not left for a review
        named further down); a section that names none continues the part before it, but the
        first one after the review's problems begins the plan (二、奋力拼搏，全面建成小康六安)."""
        if own and (top != self.top or self.state not in (PLAN, own)):
            self.since = 0 if own != self.state else self.since
            self.state = own
        elif not own and top and top != self.top and self.state == REVIEW and self.previous == PROBLEMS:
            self.state, self.since = PLAN, 0  # a new section after the review's problems: the plan
        self.top = top
        self.since += 1

    def _opens_plan(self, plain: str, headed: bool) -> bool:
        """A paragraph that opens the plan (今年是…, 今年政府工作的总体要求是…) after a few of the
        review starts it; returns whether headings of the review are to be closed."""
        m = PLAN_OPEN.match(plain)
        year = m and (m.group("year") or m.group("period") and str(period_end(m.group("period"))))
        if not (m and (self.state is None or self.state == REVIEW and self.since > 2) and self._ahead(year)):
            return False
        opened = self.state == REVIEW and headed
        self.state = PLAN
        return opened

    def _ahead(self, year: str | None) -> bool:
        """Whether a year a paragraph opens with is the plan's (none said: yes)."""
        if not year or not self.plan_year:
            return year != "0"
        return int(year) >= self.plan_year

    def _problems(self, text: str) -> bool:
        head = text[:150]
        if self.previous == PROBLEMS and re.match(r"^(?:这些(?:矛盾和)?问题|对此|针对|主要(?:是|表现在))", text):
            return True
        cue = PROBLEMS_OPEN.match(text) or PROBLEMS_CUE.search(text[:80]) or PROBLEMS_AWARE.search(text[:150])
        return bool(cue and PROBLEMS_WORDS.search(head))

    def _opening(self, plain: str, under: bool) -> bool:
        """Before any part: the opening formula, or right after the address a paragraph that says
        what the report brings (我代表…向大会…; …纲要（草案）…请一并审议; only before any heading)."""
        if OPENING_FORMULA.match(plain):
            return True
        if self.previous not in ("", OPENING):
            return False
        return bool(OPENING_WITHIN.search(plain[:150])
                    or not under and OPENING_PREAMBLE.search(plain) and not REVIEW_OPEN.match(plain))

    def _paragraph(self, text: str, under: bool) -> str | None:
        """The kind a paragraph has whatever part it is in: opening (a preamble only before any
        heading), closing, source line."""
        plain = text.replace("*", "").strip()
        if ADDRESS.match(plain) or BYLINE.match(plain):
            return OPENING
        if GLOSS_ENTRY.match(plain):
            return NOTES_KIND
        if self.state is None and (self._opening(plain, under) or SPEAKER.match(plain)):
            return OPENING
        if SOURCE.match(plain):
            return OTHER
        if CLOSING.search(plain[:200]) and self.state in (PLAN, None) and len(plain) < 400:
            return OPENING
        return None

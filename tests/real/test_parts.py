"""Report parts on real work reports (issue 24): the part of each paragraph and the heading tree.

The reports are read from ``../shared/data/gov-work-reports.tar.xz`` and imported with nothing
given, as ``kb import`` does; the labels are ``tests/data/part_labels.toml``, judged by reading
(``python -m tools.evaluate parts`` prints the same measures).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import import_real
from kb.core.model import SECTION_KINDS
from kb.enrich import parts
from tests.support import paths
from tools import partseval

pytestmark = pytest.mark.slow

FILES = {
    "平凉": "政府工作报告-其他地市/平凉市/2025.md",
    "国务院2002": "政府工作报告-国务院/2002.md",
    "国务院2022": "政府工作报告-国务院/2022.md",
    "云南": "政府工作报告-省自治区/云南省/2010.md",
    "山西": "政府工作报告-省自治区/山西省/2025.md",
    "长沙": "政府工作报告-主要城市/长沙市/2021.md",
    "湖南": "政府工作报告-省自治区/湖南省/2007.md",
    "德州": "政府工作报告-其他地市/德州市/2016.md",
    "石家庄": "政府工作报告-主要城市/石家庄市/2024.md",
    "东莞": "政府工作报告-主要城市/东莞市/2024.md",
    "乌海": "政府工作报告-其他地市/乌海市/2024.md",
    "浙江": "政府工作报告-省自治区/浙江省/2024.md",
    "广元": "政府工作报告-其他地市/广元市/2024.md",
    "安徽": "政府工作报告-省自治区/安徽省/2019.md",
    "佛山": "政府工作报告-主要城市/佛山市/2011.md",
    "宁夏": "政府工作报告-省自治区/宁夏回族自治区/2016.md",
    "哈密": "政府工作报告-其他地市/哈密市/2022.md",
    "邯郸": "政府工作报告-其他地市/邯郸市/2023.md",
    "自贡": "政府工作报告-其他地市/自贡市/2021.md",
}


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    tarball = paths.shared(import_real.TARBALL)
    found = partseval.imported(tarball, lambda name: name in FILES.values(), tmp_path_factory.mktemp("parts"))
    return {key: found[name] for key, name in FILES.items()}


def under(paragraphs, heading):
    return [p for p in paragraphs if heading in p.headings]


def test_the_labelled_reports_meet_the_acceptance_shares(corpus_dir):
    """GIVEN 40 real work reports of every level and decade and the 5 seeds, every paragraph judged
    THEN review paragraphs are 主要举措和成效 and task paragraphs 下一年度安排 at least 95% of the
    time, and at most 10% of all paragraphs are 其他."""
    scores = partseval.measure(paths.shared(import_real.TARBALL), corpus_dir, partseval.load())
    assert len(scores.pairs) > 3000 and not scores.missing
    assert scores.share("主要举措和成效")[0] >= 0.95
    assert scores.share("下一年度安排")[0] >= 0.95
    assert scores.share("第一责任人职责")[0] == 1.0  # the seeds' parts as before
    assert scores.other_share() <= 0.10


def test_a_year_ahead_is_not_nested_under_the_year_reviewed(reports):
    """平凉 2024: **2024年工作回顾**, ### **2025年重点工作**: two parts side by side, not one in the other."""
    ps = reports["平凉"]
    assert not [p for p in ps if "2024年工作回顾" in p.headings and "2025年重点工作" in p.headings]
    ahead = under(ps, "2025年重点工作")
    assert [p.section_kind for p in ahead[:-1]] == ["下一年度安排"] * (len(ahead) - 1)  # the last: the closing appeal
    assert ahead[-1].section_kind == "开头和结尾"
    review = under(ps, "2024年工作回顾")
    assert [p.section_kind for p in review].count("主要举措和成效") >= len(review) - 1


def test_the_review_problems_and_tasks_of_a_work_report(reports):
    """国务院 2022: 一、2021年工作回顾 is the review, its 在肯定成绩的同时，我们也清醒看到… the problems,
    二、2022年…总体要求 and 三、2022年政府工作任务 the tasks."""
    ps = reports["国务院2022"]
    review = under(ps, "一、2021年工作回顾")
    assert {p.section_kind for p in review} == {"主要举措和成效", "存在的不足和原因", "开头和结尾"}
    assert [p.text[:8] for p in review if p.section_kind == "存在的不足和原因"] == ["在肯定成绩的同时"]
    tasks = under(ps, "三、2022年政府工作任务")
    assert {p.section_kind for p in tasks} == {"下一年度安排", "开头和结尾"}  # 各位代表！ between the tasks
    assert [p.section_kind for p in tasks].count("开头和结尾") == sum(1 for p in tasks if len(p.text) < 8) + 1


def test_the_governments_own_building_stays_with_its_years_part(reports):
    """云南 2010 reviews its own building as a section of the review (（九）政府自身建设进一步加强);
    平凉 and 湖南 promise it for the year ahead, as a section after the tasks."""
    yunnan = [p for p in reports["云南"] if any("政府自身建设进一步加强" in h for h in p.headings)]
    assert [p.section_kind for p in yunnan[:4]] == ["主要举措和成效"] * 4
    assert yunnan[-1].text.startswith("在看到成绩的同时") and yunnan[-1].section_kind == "存在的不足和原因"
    pingliang = under(reports["平凉"], "加强政府自身建设")
    assert {p.section_kind for p in pingliang[:-1]} == {"下一年度安排"}
    hunan = under(reports["湖南"], "五、切实加强政府自身建设")
    assert hunan and {p.section_kind for p in hunan[:5]} == {"下一年度安排"}


def test_the_opening_address_and_the_closing_appeal_are_their_own_kind(reports):
    """各位代表： and 现在，我代表国务院，向大会报告政府工作… open; a bare 各位代表！ and the
    appeal at the end (让我们…) close; none of them is 其他."""
    ps = reports["国务院2022"]
    assert [p.section_kind for p in ps[:2]] == ["开头和结尾", "开头和结尾"]
    assert ps[-1].section_kind == "开头和结尾"
    assert {p.section_kind for p in ps if p.text.startswith("各位代表") and len(p.text) < 8} == {"开头和结尾"}
    assert [p for p in reports["平凉"] if p.text.startswith("各位代表！笃行致远")][0].section_kind == "开头和结尾"


def test_an_address_set_as_a_heading_is_a_paragraph_not_the_parent_of_the_report(reports):
    """山西 2025's file sets 各位代表 as a heading: it is the opening, and 一、2024年工作回顾 stands at the top."""
    ps = reports["山西"]
    assert not [p for p in ps if "各位代表" in p.headings]
    assert ps[0].text.startswith("各位代表") and ps[0].section_kind == "开头和结尾"
    assert any(p.headings[:1] == ["一、2024年工作回顾"] for p in ps)


def test_a_glossary_is_名词解释_and_nothing_else_is(reports):
    """长沙 2021's 名词解释 entries are 名词解释; no paragraph of the report itself is."""
    ps = reports["长沙"]
    notes = [p for p in ps if p.section_kind == "名词解释"]
    assert len(notes) == 34 and all(p.headings == ["名词解释"] for p in notes)
    for key in ("国务院2022", "云南", "湖南", "山西"):
        assert not [p for p in reports[key] if p.section_kind == "名词解释"], key


def test_headings_nest_by_their_numbering_and_a_plan_opened_in_the_text_closes_the_review(reports):
    """国务院 2002 reviews 2001 under 首先报告2001年的工作 and then opens 2002's tasks in the text
    (2002年是…做好今年各项工作): 一、扩大和培育内需… is not nested under the review and is a task."""
    ps = reports["国务院2002"]
    tasks = [p for p in ps if p.headings and p.headings[0].startswith("一、扩大和培育内需")]
    assert tasks and {p.section_kind for p in tasks} == {"下一年度安排"}
    for p in ps:
        numbered = [h for h in p.headings if h[:1] in "一二三四五六七八"]
        assert len(numbered) <= 1


def test_the_held_out_reports_meet_the_acceptance_shares(corpus_dir):
    """GIVEN 12 real work reports not read while the rules were written, every paragraph judged
    THEN review and task paragraphs are given their part at least 95% of the time, 其他 at most 10%."""
    scores = partseval.measure(paths.shared(import_real.TARBALL), corpus_dir, partseval.load(partseval.HELD_OUT))
    assert len(scores.pairs) > 500 and not scores.missing
    assert scores.share("主要举措和成效")[0] >= 0.95 and scores.share("下一年度安排")[0] >= 0.95
    assert scores.other_share() <= 0.10


def test_a_five_year_plan_is_reviewed_or_planned_by_its_years(reports):
    """德州 2016: 一、“十二五”经济社会发展情况 is the review (the 十二五 ended in 2015), 二、“十三五”时期…
    主要任务 the plan; 十X五 names the last year of its period, whatever year reports on it."""
    ps = reports["德州"]
    review = [p for p in ps if p.headings[:1] == ["一、“十二五”经济社会发展情况"]]
    assert review and {p.section_kind for p in review} <= {"主要举措和成效", "存在的不足和原因"}
    assert [p.section_kind for p in review].count("主要举措和成效") >= len(review) - 1
    plan = [p for p in ps if p.headings[:1] and p.headings[0].startswith("二、“十三五”")]
    assert plan and {p.section_kind for p in plan} == {"下一年度安排"}
    assert parts.work_kind("一、跨越赶超的“十二五”", 2016) == "主要举措和成效"
    assert parts.work_kind("一、跨越赶超的“十二五”", 2011) == "下一年度安排"
    assert parts.heading_years("“十五”计划") == [2005] and parts.heading_years("“十五五”时期") == [2030]
    # 佛山 2011 opens its review with the period that ended (“十一五”时期，是佛山…) under a heading naming none
    foshan = under(reports["佛山"], "五年奋进实现大跨越")
    assert foshan[0].text.startswith("“十一五”时期") and {p.section_kind for p in foshan[:6]} == {"主要举措和成效"}


def test_a_heading_glued_to_its_first_paragraph_begins_the_review(reports):
    """石家庄 2024's file glued 一、回顾2023年，… to the text after it (no heading line): the review
    begins there, not 其他 until a paragraph says 一年来."""
    ps = reports["石家庄"]
    assert ps[2].text.startswith("一、回顾2023年")
    first = next(i for i, p in enumerate(ps) if p.section_kind == "存在的不足和原因")
    assert {p.section_kind for p in ps[2:first]} == {"主要举措和成效"}


def test_the_opening_formula_in_other_wordings(reports):
    """东莞 2024: 现在，我代表市人民政府，向大会报告政府工作，请各位代表予以审议… is the opening."""
    assert [p.section_kind for p in reports["东莞"][:2]] == ["开头和结尾", "开头和结尾"]
    for ps in reports.values():
        assert "其他" not in {p.section_kind for p in ps[:2]}


def test_problems_named_without_saying_we_see_them_clearly(reports):
    """乌海 2024 (成绩值得肯定，问题更需正视。…) and 浙江 2024 (…还面临一些挑战和问题，主要表现在：)
    close their review with the problems: 存在的不足和原因, the review before them 主要举措和成效."""
    for key, start in (("乌海", "成绩值得肯定，问题更需正视"), ("浙江", "对标新定位新使命")):
        ps = reports[key]
        i = next(i for i, p in enumerate(ps) if p.text.startswith(start))
        assert ps[i].section_kind == "存在的不足和原因", key
        assert ps[i - 1].section_kind == "主要举措和成效" and ps[i + 1].section_kind == "下一年度安排", key


def test_a_past_years_review_told_in_the_plan_is_review(reports):
    """广元 2024 reviews its own building of 2023 inside the 2024 plan (过去一年，我们持续推进职能转变…)
    then promises the next (新的一年，…): review, then plan again; a plan sentence that opens with the
    year ahead (安徽 2019: 2019年是新中国成立70周年…) stays plan."""
    ps = reports["广元"]
    i = next(i for i, p in enumerate(ps) if p.text.startswith("过去一年，我们持续推进职能转变"))
    assert ps[i].section_kind == "主要举措和成效" and ps[i + 1].section_kind == "下一年度安排"
    assert ps[i - 1].section_kind == "下一年度安排"
    anhui = [p for p in reports["安徽"] if p.text.startswith("2019年是新中国成立70周年")]
    assert anhui and anhui[0].section_kind == "下一年度安排"


def test_the_first_section_after_the_reviews_problems_begins_the_plan(reports):
    """宁夏 2016 closes its review with the problems, then 二、科学谋划，决战决胜，全面建成小康社会…
    names no part and opens with “十三五”时期，是…: the plan, not more review."""
    ps = reports["宁夏"]
    second = [p for p in ps if p.headings[:1] and p.headings[0].startswith("二、科学谋划")]
    assert second and second[0].text.startswith("“十三五”时期")
    assert {p.section_kind for p in second} <= {"下一年度安排", "开头和结尾"}
    i = ps.index(second[0])
    assert ps[i - 1].section_kind == "存在的不足和原因"


def test_every_kind_is_known():
    assert "开头和结尾" in SECTION_KINDS and SECTION_KINDS[-1] == "其他"
    assert Path(partseval.LABELS).is_file()


def test_a_sessions_date_line_set_as_a_heading_names_no_part(reports):
    """GIVEN 哈密 2021, whose top heading is the session's date （2022年1月11日） (the plan's year)
    THEN the five years' review under it is 主要举措和成效, not the plan."""
    review = under(reports["哈密"], "一、过去五年工作回顾")
    kinds = [p.section_kind for p in review]
    assert len(review) > 5 and kinds.count("主要举措和成效") >= 0.8 * len(kinds) and "下一年度安排" not in kinds


def test_a_heading_left_as_a_short_paragraph_begins_its_part(reports):
    """GIVEN 邯郸 2022, whose parts are named by short paragraphs of their own (回顾2022年工作,
    做好2023年工作) THEN the first is the review's and what follows the second the plan's."""
    texts = [p.text for p in reports["邯郸"]]
    review, plan = texts.index("回顾2022年工作"), texts.index("做好2023年工作")
    kinds = [p.section_kind for p in reports["邯郸"]]
    assert kinds[review] == "主要举措和成效"
    assert kinds[plan + 1:plan + 6] == ["下一年度安排"] * 5


def test_a_glossary_entry_without_a_heading_of_its_own_is_名词解释(reports):
    """GIVEN 自贡 2020, whose notes (1.六稳：指稳就业…) stand under the plan's heading THEN they are
    名词解释, and not plan items."""
    notes = [p for p in reports["自贡"] if parts.GLOSS_ENTRY.match(p.text)]
    assert len(notes) >= 5 and {p.section_kind for p in notes} == {"名词解释"}

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


def test_every_kind_is_known():
    assert "开头和结尾" in SECTION_KINDS and SECTION_KINDS[-1] == "其他"
    assert Path(partseval.LABELS).is_file()

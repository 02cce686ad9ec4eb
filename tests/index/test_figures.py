"""Figures (kb.figures.extract), their table in the index (kb.figures.table, kb.figures.indicators), the
report card (kb.enrich.reportcard) and `python -m tools.figeval`, on the seed corpus and real reports."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from kb import build
from kb.core import corpus
from kb.core.errors import BadRequest, NotFound
from kb.engines.embedded.engine import EmbeddedEngine
from kb.enrich import paragraphs as enrich_paragraphs
from kb.enrich import reportcard
from kb.enrich.paragraphs import paragraphs_of
from kb.figures import extract
from kb.figures import indicators as figure_indicators
from kb.figures import table as figure_table
from tests.support import paths
from tools import figeval

LABELS = paths.DATA / "figure_labels.toml"
LABEL_FILES = [LABELS, paths.DATA / "figure_labels_random.toml", paths.DATA / "figure_labels_heldout.toml"]
TARBALL = paths.SHARED / "data" / "gov-work-reports.tar.xz"


def seed_paragraph(corpus_dir: Path, pid: str) -> str:
    rid = pid.split(".p")[0]
    return next(p.text for p in enrich_paragraphs.split_report(corpus.load(corpus_dir, rid)) if p.id == pid)


def brief(found: list[extract.Figure]) -> list[tuple]:
    return [(f.indicator, f.sure, f.value, f.unit, f.amount, f.normalized_unit, f.scope) for f in found]


# -- the seed figures the issue names ----------------------------------------------------------

def test_liping_2024_cases_and_fines(corpus_dir):
    """GIVEN 黎平 2024 全县查办卫生违法案件共立案121件,结案114件,缴纳罚款46.58371万元
    THEN the cases, the closed ones (scoped 结案), the fine normalized to 元, and the court
    enforcement apart -- each with its sentence and paragraph."""
    found = extract.extract(seed_paragraph(corpus_dir, "2024-cace2198.p8"), "2024-cace2198.p8")
    assert brief(found) == [
        ("行政处罚案件", True, 121, "件", 121, "件", ""),
        ("行政处罚案件", True, 114, "件", 114, "件", "结案"),
        ("罚没款", True, 46.58371, "万元", 465837.1, "元", ""),
        ("申请法院强制执行", True, 3, "件", 3, "件", ""),
    ]
    fine = found[2]
    assert fine.written == "46.58371万元" and fine.paragraph_id == "2024-cace2198.p8"
    assert fine.sentence.startswith("三是切实履行卫生健康监督职责") and fine.sentence.endswith("申请法院强制执行案件3件。")
    text = seed_paragraph(corpus_dir, "2024-cace2198.p8")
    assert text[fine.start:fine.end] == fine.written


def test_liping_advisers_opinions_training(corpus_dir):
    found = extract.extract(seed_paragraph(corpus_dir, "2024-cace2198.p7"))
    assert brief(found) == [("法律顾问", True, 2, "人", 2, "人", ""), ("法律意见书", True, 7, "件次", 7, "件次", "")]
    found = extract.extract(seed_paragraph(corpus_dir, "2024-cace2198.p4"))
    assert [(f.indicator, f.value, f.unit, f.approx) for f in found if f.indicator == "执法人员培训"] == [
        ("执法人员培训", 13, "场次", ""), ("执法人员培训", 595, "人次", "余")]


def test_nankai_penalties_inspections_complaints(corpus_dir):
    found = extract.extract(seed_paragraph(corpus_dir, "2023-7a72d09e.p8"))
    assert brief(found) == [
        ("执法检查", True, 3765, "户次", 3765, "户次", ""),
        ("行政处罚案件", True, 133, "件", 133, "件", ""),
        ("行政处罚案件", True, 60, "件", 60, "件", "普通程序"),
        ("行政处罚案件", True, 73, "件", 73, "件", "简易程序"),
        ("罚没款", True, 896546, "元", 896546, "元", ""),
    ]
    assert brief(extract.extract(seed_paragraph(corpus_dir, "2023-7a72d09e.p10"))) == [
        ("信访投诉", True, 2844, "件", 2844, "件", "")]


def test_julu_2025_penalties(corpus_dir):
    found = extract.extract(seed_paragraph(corpus_dir, "2025-597752dc.p4"))
    assert brief(found) == [
        # 开展日常监督和专项检查，……新增公共场所、医疗机构共45家: a guess, flagged (the reader: none)
        ("执法检查", False, 45, "家", 45, "家", ""),
        ("双随机抽查", True, 83, "家", 83, "家", ""),
        ("行政处罚案件", True, 14, "个", 14, "件", ""),  # cases counted in 个 are cases: 件
        ("行政处罚案件", True, 6, "个", 6, "件", "简易程序"),
        ("行政处罚案件", True, 8, "个", 8, "件", "一般程序"),
        ("行政处罚案件", True, 20, "个", 20, "件", "警告"),
        ("罚没款", True, 135195.8, "元", 135195.8, "元", ""),
        ("", True, 100, "%", 100, "%", ""),  # 案件完结率100%
    ]


# -- look-alikes -------------------------------------------------------------------------------

def test_power_list_items_are_not_cases(corpus_dir):
    """GIVEN 南阳's power list (权责清单共 350 项，其中……行政处罚共 217 项)
    THEN 217 项 are items of the list, never 行政处罚案件; its 双随机 cases and fine are scoped."""
    found = extract.extract(seed_paragraph(corpus_dir, "2023-fcba1866.p7"))
    items = [f for f in found if f.unit == "项"]
    assert len(items) == 48 and {(f.indicator, f.sure) for f in items} == {("权责清单事项", True)}
    assert not [f for f in found if f.indicator == "行政处罚案件" and f.scope != "双随机"]
    assert brief([f for f in found if f.scope]) == [
        ("行政处罚案件", True, 113, "件", 113, "件", "双随机"), ("罚没款", True, 264600, "元", 264600, "元", "双随机")]


@pytest.mark.parametrize("text, expected", [
    # units decide: cases in 件, items in 项, people in 人, visits in 人次
    ("依法办理行政复议案件169件。", [("行政复议案件", True, 169, "件", 169, "件", "")]),
    ("组织执法人员培训3期，参训120人次。", [("执法人员培训", True, 3, "期", 3, "期", ""),
                                            ("执法人员培训", True, 120, "人次", 120, "人次", "")]),
    ("全市持证行政执法人员1200人。", [("行政执法人员", True, 1200, "人", 1200, "人", "")]),
    # amounts in 万元 and 亿元 are normalized to 元, 万件 to 件
    ("全年罚没款1.2亿元。", [("罚没款", True, 1.2, "亿元", 120000000, "元", "")]),
    ("调解矛盾纠纷 2.8万件。", [("矛盾纠纷调解", True, 2.8, "万件", 28000, "件", "")]),
    # rates
    ("行政机关负责人出庭应诉率100%。", [("行政机关负责人出庭应诉率", True, 100, "%", 100, "%", "")]),
    ("政务服务事项网上可办率达98.7％。", [("政务服务网办率", True, 98.7, "%", 98.7, "%", "")]),
    # a change is not a level
    ("行政诉讼败诉率和行政复议纠错率分别下降18%、4%。", [("", True, 18, "%", 18, "%", ""), ("", True, 4, "%", 4, "%", "")]),
    # per mille
    ("每万人口刑事案件发案率0.5‰。", [("", True, 0.5, "‰", 0.5, "‰", "")]),
    # a Chinese numeral with a unit
    ("涉及十个专业。", [("", True, 10, "个", 10, "个", "")]),
    # two indicators before one number: a combined count: no indicator
    ("办理人大代表建议、政协委员提案294件。", [("", True, 294, "件", 294, "件", "")]),
    # the indicator written after the number
    ("109件人大代表建议、217件政协提案全部按时办结。", [("人大代表建议", True, 109, "件", 109, "件", ""),
                                                  ("政协提案", True, 217, "件", 217, "件", "")]),
    # not figures: durations, ranks, points, dollars, places
    ("压缩至7个工作日，居全省第3名，提高2.4个百分点，利用外资18.75亿美元，公共场所3场所。", []),
])
def test_look_alikes(text, expected):
    assert brief(extract.extract(text)) == expected


def test_a_guess_is_never_sure():
    """GIVEN a number whose clause says nothing of what it counts THEN the indicator of the
    sentence's earlier clause is kept as a guess (sure=False), not passed off as certain."""
    found = extract.extract("加强行政复议工作，全年受理25件。")
    assert brief(found) == [("行政复议案件", False, 25, "件", 25, "件", "")]


def test_full_width_digits_and_offsets():
    text = "共做出行政处罚１３３件，罚没总额８９６５４６元。"
    found = extract.extract(text)
    assert [(f.indicator, f.amount, text[f.start:f.end]) for f in found] == [
        ("行政处罚案件", 133, "１３３件"), ("罚没款", 896546, "８９６５４６元")]


# -- the labelled paragraphs: tools.figeval -----------------------------------------------------

def test_extraction_quality_on_the_labelled_paragraphs(corpus_dir):
    """GIVEN 272 labelled paragraphs (21 seed, 251 real: 130 drawn at random for issue 25 and
    labelled before tuning, 107 labelled after it, in two held-out draws and 7 by hand) with 1372
    figures WHEN extracted THEN the numbers and the indicators read with certainty stay at what
    was measured (docs/FIGURES.md)."""
    if not TARBALL.is_file():
        assert not os.environ.get("CI"), f"CI needs the real corpus at {TARBALL}"
        pytest.skip("the real corpus is not beside the project")
    result, _ = figeval.evaluate(LABEL_FILES, corpus_dir, TARBALL)
    assert result["missing"] == [] and result["paragraphs"] == 272
    assert result["figures"]["labelled"] == 1372
    assert result["figures"]["precision"] >= 0.99 and result["figures"]["recall"] >= 0.99, result["figures"]
    assert result["indicators"]["precision"] >= 0.98 and result["indicators"]["recall"] >= 0.9, result["indicators"]
    assert result["period"]["precision"] >= 0.85 and result["period"]["recall"] >= 0.9, result["period"]
    seeds = result["genres"]["法治政府建设报告"]
    assert seeds["indicators"]["precision"] >= 0.97 and seeds["indicators"]["recall"] >= 0.87, seeds["indicators"]
    assert seeds["part"]["recall"] >= 0.95, seeds["part"]
    drawn = result["random"]
    assert drawn["paragraphs"] == 130 and drawn["figures"]["labelled"] >= 400
    assert drawn["indicators"]["precision"] >= 0.97, drawn["indicators"]
    assert drawn["indicators_with_guesses"]["recall"] >= 0.95, drawn["indicators_with_guesses"]
    held = result["heldout"]
    assert held["paragraphs"] == 107 and held["figures"]["recall"] >= 0.99
    assert held["indicators"]["precision"] >= 0.97 and held["indicators_with_guesses"]["recall"] >= 0.9, held
    second = result["heldout_draws"]["heldout-2027"]
    assert second["paragraphs"] == 60 and second["figures"]["labelled"] == 309
    assert second["indicators"]["precision"] >= 0.97 and second["indicators_with_guesses"]["recall"] >= 0.95, second


def test_figeval_command(corpus_dir, capsys):
    assert figeval.main(["--corpus", str(corpus_dir), "--labels", str(LABELS), "--real", "", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["paragraphs"] == 21 and data["figures"]["labelled"] == 128 and list(data["genres"]) == ["法治政府建设报告"]
    assert figeval.main(["--corpus", str(corpus_dir), "--labels", str(LABELS), "--real", "/nonexistent.tar.xz"]) == 1
    assert capsys.readouterr().err.startswith("Error:")


def test_labels_parse():
    assert figeval.parse_label("46.58371万元 = 465837.1元 : 罚没款") == figeval.Labelled(
        "46.58371", "万元", "465837.1", "元", "罚没款", "")
    assert figeval.parse_label("十个 = 10个 : -").indicator == ""
    assert figeval.parse_label("113件 = 113件 : 行政处罚案件 / 双随机").scope == "双随机"
    both = figeval.parse_label("1113件 = 1113件 : 人大代表建议 / 结案 @period #议案")
    assert (both.scope, both.period, both.part) == ("结案", True, "议案")
    assert figeval.parse_label("14卷 = 14卷 : 执法案卷评查 #优秀").part == "优秀"


# -- report cards ------------------------------------------------------------------------------

def test_report_cards_of_the_seeds(corpus_dir):
    """GIVEN the five seed reports THEN three are complete; 黎平 (2024-cace2198) and 巨鹿
    (2025-597752dc) speak of the 第一责任人 duty only inside other parts, with those paragraphs."""
    cards = {}
    for report in corpus.iter_reports(corpus_dir):
        c = reportcard.card(report, enrich_paragraphs.split_report(report))
        cards[report.id] = (c["applies"], c["complete"], c["date_signed"],
                            [(p["part"], p["status"]) for p in c["required_parts"]])
    parts = [p for p, _, _ in reportcard.PARTS]
    whole = [(p, "section") for p in parts]
    first_in_text = [(parts[0], "section"), (parts[1], "section"), (parts[2], "in_text"), (parts[3], "section")]
    assert cards == {
        "2023-616b1600": (True, True, None, whole),
        "2023-7a72d09e": (True, True, "2024-01", whole),
        "2023-fcba1866": (True, True, "2023-12-18", whole),
        "2024-cace2198": (True, False, None, first_in_text),
        "2025-597752dc": (True, False, None, first_in_text),
    }
    liping = corpus.load(corpus_dir, "2024-cace2198")
    duty = reportcard.card(liping, enrich_paragraphs.split_report(liping))["required_parts"][2]
    assert duty["paragraphs"] == ["2024-cace2198.p2"]  # (一)强化责任落实: 主要负责同志……第一责任人职责


def test_a_work_report_gets_no_card():
    from kb.core.model import Report

    report = Report(id="x", title="2024年某市政府工作报告", agency="某市人民政府", year=2023,
                    body="## 一、2023年工作回顾\n\n主要举措和成效。")
    c = reportcard.card(report, enrich_paragraphs.split_report(report))
    assert c["applies"] is False and c["required_parts"] == [] and "不适用" in c["note"]


# -- the figure table in the index --------------------------------------------------------------

def test_the_build_writes_the_figure_table(index_dir, corpus_dir):
    """GIVEN the seed index THEN its generation holds every indicated figure and every report
    card, as extracting again from the corpus gives them."""
    idx = EmbeddedEngine.open(index_dir)
    table = figure_table.table(idx)
    assert table is figure_table.table(idx)  # read once per generation
    expected = sorted((p.id, f.start, f.indicator) for r in corpus.iter_reports(corpus_dir)
                      for p in paragraphs_of(r) for f in extract.extract(p.text, p.id) if f.indicator)
    assert sorted((f["paragraph_id"], f["start"], f["indicator"]) for f in table.figures) == expected
    assert set(table.cards) == {r.id for r in corpus.iter_reports(corpus_dir)}
    assert table.cards["2024-cace2198"]["parts"]["党政主要负责人履行推进法治建设第一责任人职责"] == "in_text"


def test_an_incremental_build_keeps_and_replaces_entries(fresh_copy):
    corpus_dir, index_dir = fresh_copy
    path = corpus_dir / "2024-cace2198.md"
    path.write_text(path.read_text(encoding="utf-8").replace("立案121件", "立案122件"), encoding="utf-8")
    meta = build.build(corpus_dir, index_dir)
    assert meta["incremental"] and meta["reindexed"] == 1
    table = figure_table.table(EmbeddedEngine.open(index_dir, corpus_dir))
    cases = {(f["agency"], f["amount"]) for f in table.figures if f["indicator"] == "行政处罚案件" and not f["scope"]}
    assert cases == {("黎平县卫生健康局", 122), ("天津市南开区卫生健康委员会", 133), ("巨鹿县卫生健康局", 14)}
    assert len(table.cards) == 5


def test_browse_indicators_and_grid(index_dir):
    table = figure_table.table(EmbeddedEngine.open(index_dir))
    listed = {i["indicator"]: i for i in figure_indicators.indicators(table)}
    assert list(listed) == extract.load().names()
    assert listed["罚没款"] == {"indicator": "罚没款", "counts": "罚款和没收的金额（元）", "figures": 4, "sure": 4, "reports": 4, "agencies": 4, "units": ["元"]}
    rows = figure_indicators.select(table, "罚没款", {"year": ["2023"]})
    assert {(r["agency"], r["amount"], r["scope"]) for r in rows} == {
        ("天津市南开区卫生健康委员会", 896546, ""), ("南阳市卫生健康体育委员会", 264600, "双随机")}
    [grid] = figure_indicators.grid(figure_indicators.select(table, "罚没款"))
    assert grid["years"] == [2025, 2024, 2023]
    mains = {(row["agency"], c["year"]): c["main"]["amount"] for row in grid["rows"] for c in row["cells"] if c["main"]}
    assert mains == {("天津市南开区卫生健康委员会", 2023): 896546, ("巨鹿县卫生健康局", 2025): 135195.8,
                     ("黎平县卫生健康局", 2024): 465837.1}  # 南阳's only fine is 双随机's: a part, no main value
    with pytest.raises(NotFound):
        figure_indicators.select(table, "没有的指标")
    with pytest.raises(BadRequest):
        figure_indicators.filters_of({"year": ["20x3"]})


def test_an_engine_without_a_generation_folder_has_no_figures():
    """GIVEN an engine whose index lives elsewhere (a cluster) THEN the figure pages say so
    (a KbError, a 400 page), not a 500."""
    from kb.core.errors import KbError

    class Remote:
        generation = "remote"
        cache: dict = {}

    with pytest.raises(KbError, match="数字表"):
        figure_table.table(Remote())

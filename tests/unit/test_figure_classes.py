"""The classes of misreading issue 25 names, each on sentences written for the test (no report
text): certified people who are not enforcement staff, ratios, A和B lists and 分别, negation and
exemption, other agencies' cases, slogans and names with numerals, totals over several years,
parts of a whole, changes, and the numerals read (部, 条, 三件, 3至5家)."""

from __future__ import annotations

import pytest

from kb.figures import extract, qualifiers
from kb.figures import indicators as figure_indicators


def read(text: str) -> list[tuple]:
    return [(f.written, f.indicator, f.sure) for f in extract.extract(text)]


def sure_of(text: str, indicator: str) -> list[str]:
    return [f.written for f in extract.extract(text) if f.indicator == indicator and f.sure]


@pytest.mark.parametrize("text", [
    "全市持证技能人才3万人，持证护理员1200名。",
    "每万人拥有持证社会工作者32.28人。",
    "为10万名持证残疾人提供康复服务。",
])
def test_certified_people_are_not_enforcement_staff(text):
    assert sure_of(text, "行政执法人员") == []


def test_enforcement_staff_still_read():
    assert sure_of("全局持证执法人员共120人，其中取得执法监督证9人。", "行政执法人员") == ["120人", "9人"]


def test_a_and_b_each_number_to_its_own_noun():
    found = read("办理1113件人大建议和1799件政协提案。")
    assert found == [("1113件", "人大代表建议", True), ("1799件", "政协提案", True)]
    found = read("人大代表建议和政协提案分别为82件、120件。")
    assert found == [("82件", "人大代表建议", True), ("120件", "政协提案", True)]


def test_a_count_of_two_together_is_neither():
    for text in ("办理660件人大代表建议和政协提案。", "办理建议和提案1730件。", "办理人大代表建议、政协提案508件。"):
        assert [w for w, _, sure in read(text) if sure and _ != ""] == [], text


@pytest.mark.parametrize("text", [
    "对轻微违法行为作出不予行政处罚案件9.1万件。",
    "推行首违不罚，首违不罚案件220余起。",
    "监察机关立案1469件。",
    "立案查处涉黑涉恶腐败和“保护伞”问题127件。",
])
def test_negated_exempt_and_other_agencies_cases_are_not_penalties(text):
    assert sure_of(text, "行政处罚案件") == [] and [f for f in extract.extract(text) if f.indicator == "行政处罚案件"] == []


def test_penalty_cases_still_read():
    assert sure_of("全年共作出行政处罚133件。", "行政处罚案件") == ["133件"]


@pytest.mark.parametrize("text, not_read", [
    ("行政复议工作实现“十个100%”。", "十个"),
    ("深入推进“百项疏堵行动”。", "百项"),
    ("出台过紧日子“二十条”。", "二十条"),
    ("深化实施“10%工作法”。", "10%"),
    ("严格落实中央八项规定精神。", "八项"),
    ("企业开办时间压缩至46个和80个工作日。", "46个"),
])
def test_slogans_names_and_durations_are_no_figures(text, not_read):
    assert not_read not in [w for w, _, _ in read(text)]


def test_other_things_in_a_paragraph_about_the_power_list_are_guesses():
    text = "调整后权责清单共350项，其中行政许可16项。另安排科研项目20项，专项资金51项。"
    found = {f.written: (f.indicator, f.sure) for f in extract.extract(text)}
    assert found["350项"] == ("权责清单事项", True) and found["16项"] == ("权责清单事项", True)
    assert found["20项"][1] is False and found["51项"][1] is False


def test_words_between_a_signal_and_its_number_make_a_guess():
    assert sure_of("开展普法宣传活动，举办中医药文化夜市180余场。", "普法宣传") == []
    assert sure_of("开展普法宣传活动180余场。", "普法宣传") == ["180余场"]


def test_totals_over_several_years_are_marked_with_their_years():
    found = extract.extract("五年来，累计办理人大代表建议1113件。去年办理人大代表建议230件。")
    assert [(f.written, f.period) for f in found] == [("1113件", "累计"), ("230件", "")]
    (first,) = extract.extract("五年来，我们办理人大代表建议1113件。")
    assert first.period == "五年来" and qualifiers.period_years(first.period, 2026) == "2021–2025"
    later = extract.extract("这五年，法治政府建设深入推进。提请审议地方性法规67件。")
    assert [f.period for f in later] == ["这五年"]
    assert extract.extract("全年累计办理行政复议案件82件。")[0].period == ""
    assert extract.extract("这一年，办理人大代表建议52件。")[0].period == ""
    assert qualifiers.period_years("“十三五”期间", 2021) == "2016–2020"
    assert qualifiers.period_years("2018年以来", 2023) == "2018–2022"
    assert qualifiers.period_years("累计", 2023) == ""


def test_parts_are_named():
    found = extract.extract("评查行政执法案卷共72卷。共评出优秀案卷14卷、合格案卷56卷、不合格案卷2卷，合格率97.2%。")
    assert [(f.written, f.part) for f in found] == [("72卷", ""), ("14卷", "优秀"), ("56卷", "合格"), ("2卷", "不合格"),
                                                    ("97.2%", "")]


def test_a_comparison_column_takes_no_period_total_unless_asked():
    base = {"scope": "", "sure": True, "change": False, "agency": "甲", "year": 2026, "region": "", "part": "",
            "normalized_unit": "件", "period_years": ""}
    fields = [k for k in figure_indicators.API_FIELDS if k not in base]
    rows = [base | dict.fromkeys(fields, "") | {"amount": 1113, "period": "五年来"},
            base | dict.fromkeys(fields, "") | {"amount": 230, "period": ""}]
    cell = figure_indicators.grid(rows)[0]["rows"][0]["cells"][0]
    assert cell["main"]["amount"] == 230 and len(cell["figures"]) == 2
    assert figure_indicators.grid(rows, "only")[0]["rows"][0]["cells"][0]["main"]["amount"] == 1113
    assert figure_indicators.grid(rows, "include")[0]["rows"][0]["cells"][0]["main"]["amount"] == 1113


def test_changes_are_kept_apart():
    (f,) = extract.extract("行政复议案件下降18%。")
    assert f.change and f.indicator == ""


def test_numerals_read():
    found = {f.written: (f.value, f.unit, f.approx) for f in extract.extract(
        "提请审议地方性法规3部，出台12条措施，办理三件复议案件，新增3至5家试点，近百场活动。")}
    assert found["3部"] == (3, "部", "") and found["12条"] == (12, "条", "")
    assert found["三件"] == (3, "件", "") and found["3至5家"] == (3, "家", "3至5")
    assert found["近百场"] == (100, "场", "近")
    assert sure_of("提请审议地方性法规3部。", "地方性法规") == ["3部"]
    assert [w for w, _, _ in read("坚决做到“两个维护”，落实一项制度，联合12部门。")] == []


def test_places_counted_in_ge_are_not_cases():
    assert [f.indicator for f in extract.extract("设立64个行政复议代办点。")] == [""]
    assert sure_of("受理行政复议案件64个。", "行政复议案件") == ["64个"]


def test_items_of_a_list_with_their_own_labels_are_not_continued():
    found = extract.extract("政务服务事项90%“一网通办”、60%“异地可办”。")
    assert [(f.written, f.indicator, f.sure) for f in found][1][2] is False


def test_round_hundreds_before_a_noun_are_names_and_shares_no_period_totals():
    assert [f.written for f in extract.extract("召开千人大会，推出百部精品剧目，举办上百场活动。")] == ["百场"]
    assert [f.written for f in extract.extract("实施二次开发项目，出台75条223项举措。")] == ["75条", "223项"]
    (share,) = extract.extract("五年来，政务服务事项可网办率达95%。")
    assert share.indicator == "政务服务网办率" and share.period == ""


def test_numbers_before_their_nouns_with_province_and_city():
    found = read("办复576件省、市人大代表建议、批评、意见和583件省、市政协委员提案。")
    assert found == [("576件", "人大代表建议", True), ("583件", "政协提案", True)]
    assert [f.period for f in extract.extract("五年共办理人大代表建议1030件。")] == ["五年共"]
    assert read("落实基本养老服务事项30项，通报企业投诉典型案例76起。") == [("30项", "", True), ("76起", "", True)]


def test_a_cumulative_word_holds_in_its_clause_and_dispute_rates_are_not_petitions():
    found = extract.extract("累计完成改革任务578项，市本级政务服务事项由1296项精简到405项。")
    assert [f.period for f in found if f.indicator] == ["", ""]
    assert read("矛盾纠纷排查化解率达到94.5%，信访事项一次性化解率达到90%。") == [
        ("94.5%", "", True), ("90%", "信访化解率", True)]


def test_rates_and_talks_of_other_things_are_not_petitions_or_legal_education():
    assert read("难案、要案化解率84.4%，清偿欠款化解率100%。") == [("84.4%", "", True), ("100%", "", True)]
    assert read("国家交办信访积案化解率达89%。") == [("89%", "信访化解率", True)]
    assert read("举办万人宣讲活动100场以上。") == [("100场以上", "", True)]
    assert sure_of("开展宪法宣讲120场。", "普法宣传") == ["120场"]


def test_every_signal_begins_with_a_plain_character():
    """The union of all signals is searched in every paragraph: a signal that begins with a group
    or a lookbehind makes it about ten times slower (docs/FIGURES.md, Cost)."""
    import tomllib

    data = tomllib.loads(extract.DATA.read_text(encoding="utf-8"))
    starts = [s for i in data["indicator"] for s in i["signals"] if s[0] in "([.\\\\?*+^$|"]
    assert starts == []


def test_received_and_closed_is_no_closed_part_and_rules_with_regulations_are_combined():
    assert [(f.indicator, f.scope) for f in extract.extract("受理并审结行政复议案67件。")] == [("行政复议案件", "")]
    assert [(f.indicator, f.scope) for f in extract.extract("审结行政复议案件82件。")] == [("行政复议案件", "结案")]
    assert read("全年共颁布各种规章、条例9件。")[0][1] == ""  # a combined count: no indicator, not a guess


def test_a_quoted_kind_in_the_words_a_number_was_read_from_is_its_part():
    found = extract.extract("首批100个高频事项实现“最多跑一次”，公布“跑一次”事项13675个。")
    assert [(f.written, f.part) for f in found] == [("100个", "最多跑一次"), ("13675个", "跑一次")]
    assert [f.part for f in extract.extract("“放管服”改革取消审批事项72项。")] == [""]
    assert [f.part for f in extract.extract("完成“双随机、一公开”检查任务83家。")] == [""]


# -- the classes the second held-out draw (tests/data/figure_labels_heldout.toml) showed -----------

def claims(text: str) -> list[tuple]:
    return [(f.written, f.indicator, f.sure, f.part) for f in extract.extract(text) if f.indicator]


@pytest.mark.parametrize("text, not_read", [
    ("企业开办、不动产登记分别控制在3个、4个、50个工作日内。", ["3个", "4个", "50个"]),
    ("益阳大道西延线二期基本建成，市级平台（二期）建设启动。", ["二期"]),
])
def test_listed_durations_and_phases_of_a_project_are_no_figures(text, not_read):
    assert not [f for f in extract.extract(text) if f.written in not_read]


def test_a_count_of_sessions_in_qi_is_still_read():
    assert [f.written for f in extract.extract("举办执法人员培训班三期，培训500人次。")] == ["三期", "500人次"]


@pytest.mark.parametrize("text, written", [
    ("深化行政审批改革，取消、调整行政审批102项。", "102项"),
    ("精简省级行政审批项目142项。", "142项"),
    ("取消行政审批事项215项，下放审批权限152项。", "152项"),
    ("调整277项市级行政许可及关联事项。", "277项"),
])
def test_approval_items_named_without_shixiang_are_service_items(text, written):
    assert written in sure_of(text, "政务服务事项")


@pytest.mark.parametrize("text", [
    "取消和调整市级行政审批事项59项，向广陵区下放行政权力55项、派驻行使权力15项。",
    "全面落实国务院、省政府462项下放职权工作。",
    "精简行政审批事项，行政事业性收费由87项缩减为25项。",
    "颁布行政审批项目调整目录，下放管理权限102项。",
])
def test_powers_and_fees_are_no_service_items(text):
    assert [w for w, ind, _, _ in claims(text) if ind == "政务服务事项" and w != "59项"] == []


def test_laws_counted_in_xiang_and_abolished_rules():
    text = "提请省人大常委会审议地方性法规10项；制定、修改省政府规章7项、废止3项。"
    assert [(w, ind) for w, ind, sure, _ in claims(text) if sure] == [("10项", "地方性法规"), ("7项", "政府规章")]
    assert sure_of("清理规章，废止政府规章272件。", "政府规章") == []
    assert sure_of("制定修改废止政府规章35件。", "政府规章") == ["35件"]
    assert sure_of("审议通过地方性法规（草案）26件。", "地方性法规") == ["26件"]
    assert sure_of("提请审议地方法规8个。", "地方性法规") == ["8个"]


def test_review_applications_and_a_share_done_online():
    assert sure_of("认真履行行政复议职责，受理复议申请1300余件。", "行政复议案件") == ["1300余件"]
    assert sure_of("实现90%以上的政府行政许可网上办理。", "政务服务网办率") == ["90%以上"]


def test_the_noun_after_and_belongs_to_the_next_figure_not_a_change_of_the_same():
    assert claims("共办理人大代表建议547件和政协提案571件。") == [
        ("547件", "人大代表建议", True, ""), ("571件", "政协提案", True, "")]
    assert sure_of("行政审批事项从1000多项减少到283项。", "政务服务事项") == ["1000多项", "283项"]


def test_a_span_of_years_before_a_verb_is_a_period_and_a_total_with_a_change_verb_counts():
    found = extract.extract("五年提请市人大常委会审议地方性法规26件，制定政府规章49件。")
    assert [(f.written, f.period) for f in found] == [("26件", "五年"), ("49件", "五年")]
    assert [f.period for f in extract.extract("实施三年行动，办理人大代表建议52件。")] == [""]
    total = extract.extract("累计减少行政审批事项1738项。")[0]
    assert (total.change, total.indicator, total.period) == (False, "政务服务事项", "累计")
    assert extract.extract("行政审批事项减少1738项。")[0].change


def test_kinds_named_by_the_words_a_number_is_read_from():
    assert claims("按期办结人大代表议案1件、建议117件和政协提案171件。") == [
        ("1件", "人大代表建议", True, "议案"), ("117件", "人大代表建议", True, ""), ("171件", "政协提案", True, "")]
    assert [p for _, _, _, p in claims("认真办理人大代表议案、建议239件。")] == [""]
    assert [p for _, _, _, p in claims("办理市人大议案建议195件。")] == [""]
    assert claims("全市31个事项不见面审批。")[0][3] == "不见面审批"
    assert claims("210项高频事项实现川渝通办。")[0][3] == "川渝通办"
    assert claims("印发693项行政许可事项清单。")[0][3] == ""


def test_a_state_reached_after_an_earlier_span_of_years_is_a_level():
    text = "五年来，我们深化改革。全市办理人大代表建议1030件，300个高频事项实现最多跑一次。"
    assert [(f.written, f.period) for f in extract.extract(text) if f.indicator] == [
        ("1030件", "五年来"), ("300个", "")]


@pytest.mark.parametrize("text", ["制定政府规章和规范性文件23件。", "制定修改和废止政府规章、规范性文件15件。",
                                  "立改废地方性法规和政府规章74部。"])
def test_a_count_of_two_indicators_named_before_it_has_none_not_a_guess(text):
    assert claims(text) == []

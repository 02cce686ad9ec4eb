"""Classes of failure fixed in plan versus delivery (kb.search.plans), one test per rule: each
rule was found on the held-out sets' failures and is tested here on made-up reports."""

from __future__ import annotations

from dataclasses import replace

import pytest

from kb.core.model import Paragraph
from kb.enrich import plans as plan_items
from kb.search import plan_figures, plan_names, plan_verdict, plan_weights
from kb.search import plans as matcher

REVIEW = "2023年工作回顾"


def _next(*texts: str) -> matcher.NextReport:
    paras = [Paragraph(f"r.p{i}", "r", i, t, [REVIEW]) for i, t in
             enumerate([*texts, "我们坚持稳中求进工作总基调，经济运行总体平稳。"], 1)]
    return matcher.NextReport(paras, plan_items.roles(paras, 2023))


def _item(text: str) -> plan_items.PlanItem:
    return plan_items.PlanItem(text, "p.p1", 0, len(text), plan_items.item_figures(text))


@pytest.mark.parametrize("aside", [
    "在肯定成绩的同时，我们也清醒地看到存在的问题和不足：防范化解风险的任务还比较重，政府性债务管理还需加强。",
    "这是全市人民团结奋斗的结果。我代表市人民政府，向关心和支持残疾人事业的各界人士表示衷心的感谢！",
    "回顾一年来的工作，我们深切体会到，必须始终坚持加强政府性债务管理，关心和支持残疾人事业。",
])
def test_a_paragraph_of_problems_or_thanks_reports_no_work(aside):
    """GIVEN a review whose only paragraph with the item's words says what is still wrong, thanks
    others or what was learned (我们深切体会到…: 太原 2005) WHEN the item is judged THEN it is not
    mentioned (no evidence)."""
    v = matcher.judge(_item("继续加强政府性债务管理，关心和支持残疾人事业"), _next(aside))
    assert v.verdict == matcher.NOT_MENTIONED and not v.evidence


def test_a_paragraph_of_work_done_still_reports_it():
    v = matcher.judge(_item("继续加强政府性债务管理"), _next("加强政府性债务管理，债务风险总体可控。"))
    assert v.verdict == matcher.DELIVERED and v.evidence


@pytest.mark.parametrize(("item", "sentence", "actual"), [
    ("城镇登记失业率控制在4%以内", "全市实现城镇就业16万人，城镇登记失业率降低到2.9%。", "2.9%"),
    ("确保新增城镇就业3万人", "实施就业创业项目，新增城镇就业稳定在3.4万人。", "3.4万人"),
])
def test_a_verb_of_change_between_the_indicator_and_its_figure(item, sentence, actual):
    """GIVEN a review that puts a verb of change (降低到, 稳定在, 恢复到) between an indicator and its
    figure WHEN the item's target is compared THEN that figure is the actual one."""
    compared = plan_figures.compare(item, [sentence])
    assert compared and compared[0]["actual"] == actual and compared[0]["met"]


@pytest.mark.parametrize(("text", "read"), [
    ("建设经济适用房50万平方米", [("50万平方米", "平方米", 500000.0)]),
    ("争取实际利用外资15.5亿美元，引进省外资金增长40%", [("15.5亿美元", "美元", 1.55e9), ("40%", "%", 40.0)]),
    ("优良天数稳定在300天以上，力争页岩气年产能达到3亿方", [("300天以上", "天", 300.0), ("3亿方", "方", 3e8)]),
    ("开工建设10万吨级码头，统筹两方面工作", []),
])
def test_measures_the_figure_reader_does_not_read(text, read):
    assert [(text[n.start:n.end], n.base, float(n.value * n.multiplier)) for n in plan_figures.numbers(text)] == read


def test_a_target_in_a_measure_is_compared():
    compared = plan_figures.compare("争取实际利用外资15.5亿美元", ["全省实际利用外资20.1亿美元，增长36.7%。"])
    assert [(c["target"], c["actual"], c["met"]) for c in compared] == [("15.5亿美元", "20.1亿美元", True)]


def test_a_target_in_a_measure_reported_in_another_unit_is_partly():
    """GIVEN a target in square metres reported as a number of flats WHEN judged THEN partly, not
    delivered on its words (the figure reader reads no 平方米: the item had no figures before)."""
    v = matcher.judge(_item("建设经济适用房50万平方米"), _next("投资26亿元建设1万套经济适用房，首批近4000户困难家庭申购。"))
    assert v.verdict == matcher.PARTLY and not v.sure and v.evidence


SCHOOLS = "新投用幼儿园98所、中小学55所，分别新增学位3万个、8.2万个，公办幼儿园学位覆盖率达到87.3%。"


def test_words_a_list_of_figures_shares_after_fenbie_name_none_of_them():
    compared = plan_figures.compare("新增学位10万个", [SCHOOLS])
    assert compared and compared[0]["actual"] == "3万个+8.2万个" and compared[0]["met"]


def test_a_count_said_of_things_listed_with_a_pause_mark_is_their_total():
    compared = plan_figures.compare("建设中小学、幼儿园100所", [SCHOOLS])
    assert compared and compared[0]["actual"] == "55所+98所" and compared[0]["met"]


def test_the_years_own_part_ranks_before_a_look_back_over_five_years():
    """GIVEN a term-change review: five years under their own heading, then the year just past,
    both giving the same growth WHEN a growth target is judged THEN the year's paragraph comes first."""
    five = "——我们坚持加速发展，综合经济实力大幅提升。2012年，地区生产总值增长13.6%。"
    year = "刚刚过去的2012年，我们坚持稳中求进，地区生产总值增长13.6%。"
    paras = [Paragraph(f"r.p{i}", "r", i, t, ["一、过去五年的工作回顾"]) for i, t in
             enumerate(["过去五年，我们攻坚克难，经济社会发展取得显著成就。", five, year], 1)]
    nxt = matcher.NextReport(paras, plan_items.roles(paras, 2012))
    assert plan_weights.several_years(paras, nxt.roles) == [True, True, False]
    v = matcher.judge(_item("地区生产总值增长14%"), nxt)
    assert v.ranked[0] == "r.p3" and v.verdict == matcher.PARTLY


def test_a_review_of_five_years_alone_is_not_a_look_back():
    """A term-change review without a part on the year just past (哈尔滨 2012): nothing ranks lower."""
    paras = [Paragraph(f"r.p{i}", "r", i, t, ["过去五年工作回顾"]) for i, t in
             enumerate(["2007年以来的五年是极不平凡的五年。", "经济实力显著增强，地区生产总值增长12%。"], 1)]
    assert plan_weights.several_years(paras, plan_items.roles(paras, 2011)) == [False, False]


def test_a_paragraph_naming_livelihood_projects_in_passing_opens_no_list():
    """GIVEN a plan paragraph of investment projects that names 为民办实事 only in a later sentence,
    and one that opens with them WHEN the lists are read THEN only the second is a list of 实事 (so
    a review's 21项为民办实事全面完成 delivers only its items)."""
    passing = Paragraph("p.p1", "p", 1, "发挥投资对经济增长的关键作用。推动特高压交流输变电工程开工建设。"
                        "继续为民办实事，办好群众关心的事。", ["（三）千方百计扩大内需"])
    opening = Paragraph("p.p2", "p", 2, "继续为民办实事。完成农村公路建设7500公里。", ["（六）惠及全体人民"])
    assert plan_items.list_kinds([passing, opening]) == {"p.p2": "projects"}


@pytest.mark.parametrize(("item", "sentence", "actual"), [
    ("全省城市低保月平均保障标准从278元提高到306元", "城市低保月平均保障标准由278元提高到310元。", "310元"),
    ("农村低保标准在去年800元的基础上提高到900元", "农村低保标准达到900元，新增覆盖5万人。", "900元"),
])
def test_the_figure_a_target_starts_from_is_no_target(item, sentence, actual):
    """GIVEN a target said from where it starts (从278元提高到306元; 在去年800元的基础上) WHEN compared
    THEN only the target is, its indicator without the starting figure."""
    compared = plan_figures.compare(item, [sentence])
    assert [(c["actual"], c["met"]) for c in compared] == [(actual, True)]
    assert plan_figures.targets(item) == 1


def _paras(*rows: tuple[list[str], str, str]) -> list[Paragraph]:
    """Paragraphs of one report: (section path, part, text) each."""
    return [Paragraph(f"r.p{i}", "r", i, text, section, section_kind=kind) for i, (section, kind, text) in
            enumerate(rows, 1)]


def test_a_plans_sub_heading_that_aims_at_results_stays_in_the_plan():
    """GIVEN the plan's part (二、2024年重点任务) and under it a sub-heading that aims at what a review
    would report (推动…取得新的更大进展, …建设取得更大成效) WHEN the roles are read THEN its paragraphs
    stay the plan's; a review's sub-heading with the same words before any plan stays the review's."""
    paras = _paras(
        (["一、2023年工作回顾", "（一）科技创新取得新成效"], "主要举措和成效", "全市研发投入增长12%。"),
        (["二、2024年重点任务"], "下一年度安排", "今年工作的总体要求是稳中求进。"),
        (["二、2024年重点任务", "（一）推动京津冀协同发展取得新的更大进展"], "下一年度安排", "加快建设通州区。"),
        (["二、2024年重点任务", "（二）全力推动美丽城市建设取得更大成效"], "下一年度安排", "持续打好蓝天保卫战。"))
    assert plan_items.roles(paras, 2023) == [plan_items.REVIEW, plan_items.PLAN, plan_items.PLAN, plan_items.PLAN]


def test_the_sessions_date_line_as_a_heading_names_no_part():
    """GIVEN a report whose top heading is its session's date line (——2009年2月16日在…会议: the plan's
    year) WHEN the roles are read THEN the review under it is the review, not the plan."""
    dateline = "——2009年2月16日在兰州市第十四届人民代表大会第四次会议"
    paras = _paras(([dateline], "开头和结尾", "各位代表："),
                   ([dateline, "一、2008年政府工作回顾"], "主要举措和成效", "全市生产总值增长11.5%。"),
                   ([dateline, "二、2009年的政府工作"], "下一年度安排", "新建改造城市道路30公里。"))
    assert plan_items.roles(paras, 2008)[1:] == [plan_items.REVIEW, plan_items.PLAN]
    assert plan_items.heading_role("（2001年2月20日）", 2000) is None


def test_a_report_whose_headings_say_nothing_takes_each_paragraphs_part():
    """GIVEN a report without headings (or whose only heading says nothing) WHEN the roles are read
    THEN each paragraph's part gives its role: the plan's items are found, a glossary entry is none."""
    paras = _paras(([], "开头和结尾", "各位代表："),
                   ([], "主要举措和成效", "过去一年，新建学校12所。"),
                   ([], "下一年度安排", "今年将新建学校15所，改造城市道路30公里。"),
                   ([], "名词解释", "1．投转固：指固定资产投资项目验收后转为固定资产。"))
    assert plan_items.roles(paras, 2023) == [plan_items.OTHER, plan_items.REVIEW, plan_items.PLAN, plan_items.OTHER]
    assert [i.text for i in plan_items.items(paras, 2023)] == ["今年将新建学校15所，改造城市道路30公里"]


def test_a_part_after_the_review_whose_heading_says_nothing_is_what_its_part_is():
    """GIVEN a review (一、2014年工作回顾) and then new parts whose headings say nothing (二、大力调整产业
    结构…: 黑龙江 2015, 云南 2023), the plan's year said only paragraphs later, which the report-parts
    reader reads as the plan WHEN the roles are read THEN they are the plan's; a sub-heading of the
    review the parts reader reads so stays the review's."""
    paras = _paras((["一、2014年工作回顾"], "主要举措和成效", "经济平稳增长，新建学校12所。"),
                   (["一、2014年工作回顾", "（一）改革大力推进"], "下一年度安排", "完成改革任务20项。"),
                   (["二、大力调整产业结构，推进经济平稳健康发展"], "下一年度安排", "在全国经济发展新常态的大背景下，我省经济正处在结构调整阵痛期。"),
                   (["二、大力调整产业结构，推进经济平稳健康发展"], "下一年度安排", "新建学校15所，改造城市道路30公里。"),
                   (["三、切实保障和改善民生"], "下一年度安排", "实现新增就业57万人。"))
    assert plan_items.roles(paras, 2014) == [plan_items.REVIEW, plan_items.REVIEW, plan_items.PLAN, plan_items.PLAN,
                                             plan_items.PLAN]
    assert "新建学校15所，改造城市道路30公里" in [i.text for i in plan_items.items(paras, 2014)]


def test_a_plans_part_that_opens_with_a_glance_back_stays_in_the_plan():
    """GIVEN the plan's parts and then a part whose heading says nothing and which opens with a
    glance back (一年来，我们…做了一些工作。…我们要…) WHEN the roles are read THEN it is the plan's."""
    paras = _paras((["一、过去一年工作回顾"], "主要举措和成效", "经济平稳较快增长。"),
                   (["二、2005年工作总体部署"], "下一年度安排", "今年经济增长预期目标为8%左右。"),
                   (["六、加强行政能力建设和政风建设"], "下一年度安排",
                    "一年来，我们在推进依法行政等方面做了一些工作。我们要认真贯彻行政许可法。"))
    assert plan_items.roles(paras, 2004)[2] == plan_items.PLAN


def test_a_plans_heading_glued_to_its_first_paragraph_begins_the_plan():
    """GIVEN a review and then the plan's heading glued to its first paragraph (二、竞进2022年，我们要
    锚定奋斗目标…。) under the review's only Markdown heading WHEN the roles are read THEN the plan
    begins there."""
    review = ["一、回顾2021年，我们在守正出新中破题起势"]
    paras = _paras((review, "主要举措和成效", "全市生产总值增长6.5%。"),
                   (review, "下一年度安排", "二、竞进2022年，我们要锚定奋斗目标，加快高质量发展。今年工作的总体要求是稳中求进。"),
                   (review, "下一年度安排", "新建学校15所，改造城市道路30公里。"))
    assert plan_items.roles(paras, 2021) == [plan_items.REVIEW, plan_items.PLAN, plan_items.PLAN]
@pytest.mark.parametrize(("item", "sentence", "actual", "met"), [
    ("进出口总额增长12%以上", "进出口总额下降15%，但跨境电商进出口增长10%以上。", "下降15%", False),
    ("单位生产总值能耗下降3%", "单位生产总值能耗下降3.9%。", "3.9%", True),
    ("单位生产总值能耗下降3%", "单位生产总值能耗增长1%。", "增长1%", False),
    ("主要污染物排放总量下降2%", "二氧化硫、化学需氧量排放分别减少7.9%、4.3%。", "7.9%、4.3%", True),
    ("城镇登记失业率控制在4.5%以内", "城镇登记失业率降低到2.9%。", "2.9%", True),
    ("居民消费价格涨幅控制在3%左右", "居民消费价格下降0.5%。", "下降0.5%", True),
])
def test_a_rate_said_to_fall_is_below_zero(item, sentence, actual, met):
    """GIVEN a review that says a rate fell (进出口总额下降15%) WHEN a growth target is compared THEN
    the fall is a missed target, and a fall promised (能耗下降3%) is met by a larger fall; a level
    reached (降低到2.9%) is no fall."""
    compared = plan_figures.compare(item, [sentence])
    assert [(c["actual"], c["met"]) for c in compared] == [(actual, met)]


@pytest.mark.parametrize(("item", "sentence", "actual"), [
    ("建设社区养老服务设施100家", "新改建室外运动场155个，建设社区养老服务设施100个，建设普特融合学校9所。", "100个"),
    ("支持100家重点企业开展智能化改造", "实施技改项目269个，推动100家企业开展数字化智能化改造。", "100家"),
    ("实际利用外商直接投资增长20%", "实际利用外资18.5亿美元，增长50.1%；", "50.1%"),
])
def test_things_counted_in_another_unit_or_after_a_verb(item, sentence, actual):
    """GIVEN a count said in another unit of things (100家 / 100个), or after a verb such as 支持, or
    a standard indicator said the other way (外商直接投资 / 外资) with a figure after it WHEN the
    target is compared THEN the review's figure of the same thing is the actual one."""
    compared = plan_figures.compare(item, [sentence])
    assert [(c["actual"], c["met"]) for c in compared] == [(actual, True)]


@pytest.mark.parametrize(("text", "proper"), [
    ("全力支持驻闽部队练兵备战，加强人防工作和边海防建设", ()),
    ("大力推进行政权力公开透明运行，不断拓展政务公开的广度和深度", ()),
    ("把芜湖、安庆等打造成区域中心城市", ("安庆",)),
    ("启动聂耳大剧院项目前期工作", ("聂耳",)),
])
def test_a_common_word_jieba_tags_as_a_name_is_no_proper_name(text, proper):
    """GIVEN an item with a common word jieba tags as a name (练兵, 边海防, 广度) WHEN its proper
    names are read THEN only words that keep company with names in meaning count (安庆, 聂耳), so
    an item is not found unmentioned for want of 练兵."""
    assert plan_names.proper(text) == proper


def test_a_promise_repeated_in_the_next_plan_is_not_mentioned():
    """GIVEN a next report whose review says nothing of an item and whose own plan repeats it word
    for word WHEN the item is judged THEN it is not mentioned (the plan says what will be done),
    and the same words in the review would make it delivered."""
    paras = [Paragraph("r.p1", "r", 1, "全市经济运行总体平稳，就业形势保持稳定。", [REVIEW]),
             Paragraph("r.p2", "r", 2, "大力整顿和规范市场经济秩序，切实加强食品药品安全监管。", ["2024年工作安排"])]
    nxt = matcher.NextReport(paras, plan_items.roles(paras, 2023))
    v = matcher.judge(_item("加强食品药品安全监管"), nxt)
    assert v.verdict == matcher.NOT_MENTIONED and not v.evidence
    assert matcher.judge(_item("加强食品药品安全监管"), _next("切实加强食品药品安全监管，抽检合格率98%。")).verdict == matcher.DELIVERED


@pytest.mark.parametrize(("text", "objects"), [
    ("大力发展数字经济，加快建设数字经济产业园", ("经济产业园",)),
    ("与中科院共建知识产权学院", ("知识产权学院",)),
    ("重点加强开发园区建设", ("开发园区",)),
    ("开工建设吉安桐坪机场二期", ()),
])
def test_the_places_and_institutions_an_item_commits_to(text, objects):
    assert plan_names.objects(text) == objects


@pytest.mark.parametrize(("review", "verdict"), [
    ("大力发展数字经济，数字经济核心产业增加值增长12%，软件和信息服务业加快发展。", matcher.NOT_MENTIONED),
    ("数字经济产业园一期建成投用，入驻企业120家。", matcher.DELIVERED),
])
def test_an_object_of_common_words_the_review_never_names(review, verdict):
    """GIVEN a short item that commits to a place of common words (数字经济产业园) WHEN the review
    speaks of the field (数字经济) but never names the place THEN the item is not mentioned; when it
    names it, delivered."""
    v = matcher.judge(_item("大力发展数字经济，加快建设数字经济产业园"), _next(review))
    assert v.verdict == verdict


def test_a_long_item_whose_object_is_never_named_is_partly_at_most():
    """GIVEN a long item of several parts, one of them a place the review never names WHEN the
    review reports the rest THEN partly, not delivered."""
    item = "承接进口博览会溢出效应，扩大先进技术装备和优质消费品进口，打造跨区域大宗商品分拨中心，实现优进优出"
    v = matcher.judge(_item(item), _next("积极参加进口博览会，扩大先进技术装备和优质消费品进口，实现优进优出。"))
    assert v.verdict == matcher.PARTLY and v.evidence
    assert plan_verdict.rules(replace(v.features, objects=0))[0] == matcher.DELIVERED  # the object decides


@pytest.mark.parametrize(("text", "names"), [
    ("抓好开放式校园、开放式公园、开放式街区", ()),
    ("加快宣化街高架桥建设", (("宣化街", "桥", ""),)),
    ("开工建设吉安桐坪机场二期", (("吉安桐坪", "机场", "桐坪"),)),
])
def test_a_common_word_jieba_tags_as_a_name_names_no_object(text, names):
    """GIVEN a common word jieba tags as a name before the kind of a thing (开放式 of 开放式校园) WHEN
    the item's named objects are read THEN it names none (its nearest words in meaning are not
    names); a rare name before its kind still does (宣化街, 吉安桐坪)."""
    assert plan_names.names(text) == names


def test_a_numbered_line_said_in_a_list_of_numbers():
    """GIVEN an item on a numbered line (地铁1号线) WHEN the review lists it with another before one
    word (地铁1、2号线相继运营) THEN the line's name is found: the item is mentioned."""
    assert plan_names.normal("地铁1、2号线相继运营") == "地铁1号线、2号线相继运营"
    v = matcher.judge(_item("确保地铁1号线正式运营"), _next("地铁1、2号线相继运营、实现换乘。"))
    assert v.verdict != matcher.NOT_MENTIONED and v.evidence


def test_the_next_plan_and_a_glossary_rank_after_the_review():
    """GIVEN a next report whose plan repeats the item nearly word for word and whose glossary
    explains its words, while its review reports a part of it in other words (scored less) WHEN
    the item is judged THEN the review's paragraph is ranked first (a repeated promise or a term
    explained is no report of work), and the plan's score does not count for the verdict."""
    paras = [Paragraph("r.p1", "r", 1, "生态建设扎实推进。继续实施天然林保护工程，造林绿化490万亩，治理水土流失面积6644平方公里。",
                       [REVIEW]),
             Paragraph("r.p2", "r", 2, "继续实施天然林保护、三北防护林建设、长江和黄河流域水土保持等生态建设重点工程，巩固退耕还林成果。",
                       ["2024年工作安排"]),
             Paragraph("r.p3", "r", 3, "三北防护林：指在我国西北、华北和东北建设的大型人工林业生态工程。", ["名词解释"],
                       section_kind="名词解释")]
    nxt = matcher.NextReport(paras, plan_items.roles(paras, 2023))
    assert nxt.roles[1] == plan_items.PLAN and not nxt.first[1] and not nxt.first[2] and nxt.first[0]
    item = _item("继续实施黄河水保生态、长江流域水土保持、天然林保护、“三北”防护林建设等项目，巩固退耕还林成果")
    scores = matcher.paragraph_scores(item, nxt, None)
    assert scores[1] > scores[0] > 0
    v = matcher.judge(item, nxt)
    assert v.ranked[0] == "r.p1" and v.score == scores[0] and nxt.counts == [True, False, True]
    assert all(e.paragraph_id != "r.p2" for e in v.evidence)

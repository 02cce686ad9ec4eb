"""A plan item's figures against the next report's (kb.search.plan_figures): the same indicator
in other words, figures in a list, ceilings, ranges and five-year figures."""

from __future__ import annotations

import pytest

from kb.search import plan_figures as pf
from kb.search import plan_relative


@pytest.mark.parametrize(("item", "sentences", "actual", "met"), [
    # the words in another order
    ("城镇新增就业5万人", ["居民就业稳定充分，新增城镇就业5.9万人，零就业家庭保持动态清零。"], "5.9万人", True),
    # the indicator's other name, ending the same
    ("公共财政预算收入增长13%", ["进出口总额86.5亿美元；一般公共预算收入672亿元，增长13.6%；"], "13.6%", True),
    # a list of figures: each takes the name in its place
    ("农村居民人均纯收入增长7%", ["城镇居民人均可支配收入21575元，农村居民人均纯收入6907元，实际增长12%和10.7%。"],
     "10.7%", True),
    ("城镇居民人均可支配收入增长9%", ["城镇和农村居民人均可支配收入分别增长8.4%和9.2%。"], "8.4%", False),
    # a figure after the indicator across a comma
    ("国内生产总值增长6.5%—7%", ["国内生产总值达到74.4万亿元，增长6.7%，名列前茅。", "单位国内生产总值能耗下降5%。"],
     "6.7%", True),
    # a ceiling
    ("城镇登记失业率控制在4%以内", ["年末城镇登记失业率2.6%。"], "2.6%", True),
    ("居民消费价格涨幅控制在3%", ["居民消费价格上涨3.4%。"], "3.4%", False),
])
def test_compare_finds_the_actual_figure(item, sentences, actual, met):
    compared = pf.compare(item, sentences)
    assert compared and compared[0]["actual"] == actual and compared[0]["met"] is met


def test_another_indicator_is_not_the_actual():
    """GIVEN a review that gives only the energy use per GDP WHEN GDP growth is compared THEN
    nothing is found (生产总值 inside 单位国内生产总值能耗 is another indicator)."""
    assert pf.compare("国内生产总值增长7%", ["单位国内生产总值能耗下降5%。"]) == []


def test_five_year_figures_are_not_the_years():
    assert pf.compare("城镇新增就业9.4万人", ["五年累计新增城镇就业53.8万人。"]) == []


def test_alike():
    assert pf.alike("地区生产总值", "生产总值") == 1.0
    assert pf.alike("国内生产总值", "单位国内生产总值能耗") < 1.0
    assert pf.alike("城镇新增就业", "新增城镇就业") >= pf.SAME
    assert pf.alike("旅游总收入", "财政收入") < pf.SAME


@pytest.mark.parametrize(("item", "sentences", "actual", "met"), [
    # per-part numbers that sum to the item's whole
    ("建设中小学、幼儿园100所，新增学位10万个", ["新建改扩建中小学、幼儿园126所，分别新增学位3万个、8.2万个。"],
     "3万个+8.2万个", True),
    # the number before the noun in the item, after it in the review
    ("再开工20项重大水利工程", ["新建改建高速公路6700多公里，新开工重大水利工程21项。"], "21项", True),
    ("新增3条以上国际（地区）直飞航线", ["新开通国际定期直飞客货运航线12条，国际（地区）航线达114条。"], "12条", True),
    # the indicator named more or less fully
    ("接待国内外游客1亿人次以上", ["热带特色高效农业增加值占农业比重约65%，接待游客突破1亿人次。"], "1亿人次", True),
    # two targets at once in quotation marks: “双90%”
    ("污染地块安全利用率超过90%", ["实现受污染耕地和污染地块安全利用率“双90%”目标。"], "90%", True),
    # the target met without its number
    ("单位生产总值能耗下降3.7%", ["单位生产总值能耗下降超额完成全年目标任务，主要污染物排放持续减少。"],
     "超额完成全年目标", True),
])
def test_compare_reads_targets_in_other_forms(item, sentences, actual, met):
    compared = [c for c in pf.compare(item, sentences) if c["actual"] == actual]
    assert compared and compared[0]["met"] is met


def test_a_missed_sum_is_missed_and_no_words_of_success_no_delivery():
    assert not pf.compare("新增学位10万个", ["分别新增学位3万个、2万个。"])[0]["met"]
    assert pf.compare("单位生产总值能耗下降3.7%", ["单位生产总值能耗有所下降。"]) == []


def test_a_relative_target_is_met_when_the_review_says_so():
    found = plan_relative.relative("外贸进出口总额增幅高于全省平均水平", ["外贸进出口总额增长12%，高于全省平均水平3个百分点。"])
    assert found and found["met"] and "高于全省" in found["actual"]
    # another indicator above the average, or the indicator without the comparison: not it
    assert plan_relative.relative("外贸进出口总额增幅高于全省平均水平",
                       ["外贸进出口总额增长12%。", "城乡居民收入增速高于全省平均水平。"]) is None


@pytest.mark.parametrize(("item", "sentences", "actual"), [
    # a figure inside a list (6%、7.6%、9.3%) takes no name of its own: GDP is the 8.5% before it
    ("地区生产总值增长8.5%以上", ["全市实现地区生产总值4300亿元，增长8.5%，其中，一、二、三产业增加值分别增长6%、7.6%、9.3%；"],
     "8.5%"),
    # a full-width percent sign
    ("地方一般公共预算收入增长8%", ["固定资产投资增长12%；地方一般公共预算收入增长8.7％；"], "8.7%"),
    # an amount in Chinese numerals, 左右 and 同口径 between the indicator and its growth
    ("全省生产总值增长9%", ["全省生产总值突破一万亿元，达到10505.3亿元，增长14.2%；"], "14.2%"),
    ("地区生产总值增长8%左右", ["预计地区生产总值1.34万亿元左右，增长8%左右；全社会固定资产投资7800亿元以上，增长11%左右"],
     "8%左右"),
    ("地方财政一般预算收入增长10.5%", ["地方财政一般预算收入850.3亿元，同口径增长35%；一般预算支出增长30.7%。"], "35%"),
])
def test_the_growth_after_the_amount_is_found(item, sentences, actual):
    compared = pf.compare(item, sentences)
    assert compared and compared[0]["actual"] == actual and compared[0]["met"]


def test_a_figure_said_of_several_indicators_is_compared_for_each():
    """GIVEN an item whose one figure is said of two indicators (均增长8%) or whose figures are
    listed (分别增长8.5%以上和10%) WHEN compared THEN each indicator gets its own actual figure,
    in its place in the review's list too."""
    both = pf.compare("城镇居民人均可支配收入和农民人均纯收入均增长8%",
                      ["城镇居民人均可支配收入、农民人均纯收入达到16305元和5641元，分别增长14.3%和13.2%。"])
    assert [(c["indicator"], c["actual"], c["met"]) for c in both] == [
        ("城镇居民人均可支配收入", "14.3%", True), ("农民人均纯收入", "13.2%", True)]
    listed = pf.compare("城镇和农村常住居民人均可支配收入分别增长8.5%以上和10%",
                        ["城镇、农村居民人均可支配收入分别增长8.2%、12.6%，这9项指标增幅居全省前列。"])
    assert [(c["actual"], c["met"]) for c in listed] == [("8.2%", False), ("12.6%", True)]


def test_a_short_common_end_alone_is_not_the_same_indicator():
    assert pf.alike("高新技术产品增加值", "电子信息业增加值") < pf.SAME  # 增加值 only
    assert pf.alike("省级以上专精特新企业", "国家级专精特新企业") >= pf.SAME  # the name is the end
    assert pf.alike("接待国内外游客", "接待游客") >= pf.SAME  # the same end and another pair


def test_targets_counts_each_figure_and_indicator():
    assert pf.targets("全年力争“个转企”800户、“小升规”80户、“规升巨”10户") == 3
    assert pf.targets("城镇居民人均可支配收入和农民人均纯收入均增长8%") == 2


@pytest.mark.parametrize(("item", "sentences", "actual"), [
    # a standard indicator said another way (研究与试验发展 = 研发, 地区生产总值 = GDP, 之比 = 比重)
    ("全社会研究与试验发展经费投入与地区生产总值之比达1.8%", ["专利申请和授权量突破2万件，全社会研发投入占GDP比重达2.1%。"],
     "2.1%"),
    # the indicator with a character put in, the figure before its noun (5G基站, 1654个5G宏基站)
    ("新建5G基站1500个", ["恩施城市生活垃圾焚烧发电站建成投入使用，新建1654个5G宏基站。"], "1654个"),
])
def test_an_indicator_named_another_way(item, sentences, actual):
    compared = pf.compare(item, sentences)
    assert compared and compared[0]["actual"] == actual and compared[0]["met"]


@pytest.mark.parametrize(("item", "sentences", "actual", "met"), [
    # a group indicator reported by its members, in a list and said of both
    ("主要污染物排放总量减少2%", ["二氧化硫、化学需氧量排放分别减少7.9%、4.3%，超额完成年度目标任务。"], "7.9%、4.3%", True),
    ("主要污染物排放总量下降5%", ["二氧化硫和化学需氧量排放量均下降4%。"], "4%、4%", False),
    ("主要污染物排放总量下降3%", ["二氧化硫排放量下降4.1%，化学需氧量排放量下降2.2%。"], "4.1%、2.2%", False),
])
def test_a_group_indicator_is_met_when_every_member_reported_is(item, sentences, actual, met):
    compared = pf.compare(item, sentences)
    assert compared and compared[0]["actual"] == actual and compared[0]["met"] is met


def test_a_member_alone_is_not_its_group():
    # 二氧化硫 reported does not report another indicator that merely shares the unit
    assert pf.members("地区生产总值增长8%", "%", ["二氧化硫排放量下降4%。"]) == []


def test_a_share_is_neither_its_whole_nor_another_share():
    """A share of GDP (占国内生产总值比重) is not GDP's figure, nor the share of another part; the same
    share said another way is (研发投入占GDP比重, 研究与试验发展经费投入与地区生产总值之比)."""
    assert pf.alike("国内生产总值", "数字经济核心产业增加值占国内生产总值") == 0.0
    assert pf.alike("研发经费投入占国内生产总值", "数字经济核心产业增加值占国内生产总值") < pf.SAME
    assert pf.alike("研发投入占GDP比重", "研究与试验发展经费投入与地区生产总值之比") >= pf.SAME
    assert pf.alike("违法占用耕地", "占用耕地") == 1.0  # 占用 is no share
    assert pf.alike("民营经济占生产总值的", "民营经济增加值占全省生产总值的") >= pf.SAME  # the same share, fuller
    assert pf._share("研发投入占生产总值的比重要") == ("研发投入", "生产总值")
    sentences = ["数字经济核心产业增加值占国内生产总值比重达到10%左右。", "研发经费投入占国内生产总值比重提高到2.65%。",
                 "国内生产总值超过126万亿元，增长5.2%。"]
    assert [c["actual"] for c in pf.compare("国内生产总值增长5%左右", sentences)] == ["5.2%"]
    assert [c["actual"] for c in pf.compare("研发经费投入占国内生产总值比重达到2.7%", sentences)] == ["2.65%"]
    assert pf.compare("国内生产总值增长5%左右", sentences[:1]) == []
    said = ["实施民营经济三年倍增计划，增加值达到2700多亿元，年均增长23.5%，占生产总值的比重提高到40%。"]
    assert [c["actual"] for c in pf.compare("民营经济占生产总值的比重达到39.5%", said)] == ["40%"]  # its part said before


@pytest.mark.parametrize(("sentence", "actual", "met"), [
    # 南京 2025 (on 2024), given in January: the year's growth estimated
    ("过去一年，我们坚持以习近平新时代中国特色社会主义思想为指导，…高质量发展扎实推进，经济运行总体平稳、稳中有进，"
     "全市地区生产总值预计增长4.5%左右，各项工作迈出新的坚实步伐。", "4.5%左右", False),
    ("预计全年地区生产总值增长5.2%。", "5.2%", True),
    ("据初步核算，全市地区生产总值约1.7万亿元，增长5.2%。", "5.2%", True),
])
def test_a_figure_said_as_an_estimate_is_compared(sentence, actual, met):
    """GIVEN a review that says its figure as an estimate (预计, 初步核算, 约 between the indicator and
    the figure) WHEN the item's target is compared THEN that figure is the actual one."""
    compared = pf.compare("地区生产总值增长5%以上", [sentence])
    assert [(c["actual"], c["met"]) for c in compared] == [(actual, met)]


def test_a_share_whose_whole_is_unsaid_is_any_share_of_its_part():
    """绵阳 2023's 确保财政民生支出占比65%以上 (its whole unsaid) against 2024's 民生支出占一般公共预算支出比重
    达68.3%: the same share; still no figure of the part itself, nor a share of another part."""
    said = ["克服财政收支压力，民生支出占一般公共预算支出比重达68.3%。"]
    item = "持续加大民生投入，统筹推进省市民生实事项目，确保财政民生支出占比65%以上"
    assert [(c["actual"], c["met"]) for c in pf.compare(item, said)] == [("68.3%", True)]
    assert pf.compare("财政民生支出增长10%", said) == []
    assert pf.compare("财政民生支出占比65%以上", ["全市财政民生支出增长12%。"]) == []
    assert pf.compare("财政民生支出占比65%以上", ["教育支出占一般公共预算支出比重达18%。"]) == []


def test_a_target_met_without_its_number_said_jointly_with_another_indicator():
    """广东 2009's 单位生产总值能耗下降3.7% against 2010's 单位生产总值和工业增加值能耗超额完成全年预定目标:
    the indicator said jointly with another that ends alike is met; another indicator alone is not."""
    said = ["组织实施新十项节能工程，单位生产总值和工业增加值能耗超额完成全年预定目标。"]
    assert [(c["actual"], c["met"]) for c in pf.compare("单位生产总值能耗下降3.7%", said)] == [("超额完成全年预定目标", True)]
    assert pf.compare("单位生产总值能耗下降3.7%", ["单位工业增加值能耗超额完成全年目标任务。"]) == []


# Figures of different dimensions are never compared (stop 40): judged by reading the real sentences.
JIANGSU_2004 = ["——国民经济持续快速增长。主要经济指标为1997年以来最好水平。全省实现生产总值12451.8亿元，比上年增长13.5%；"
                "人均生产总值突破2000美元，上了一个新台阶。",
                "增强投资、消费对经济增长的拉动力，全社会固定资产投资5335.8亿元，增长38.6%；社会消费品零售总额3566.5亿元，增长13.7%，增幅为近几年来最高。",
                "新增高速公路301公里，通车总里程突破2000公里，密度居全国第一。",
                "新增电力装机容量149万千瓦，在建电源项目装机容量2082万千瓦。"]


@pytest.mark.parametrize("item", [
    # 江苏 2003's plan against 2004's review: a per-capita target is not the total's
    "人均国内生产总值超过28000元",
    # an increase on last year (500亿元) is not the year's total (5335.8亿元): ten times apart
    "保持投资较快增长，全社会固定资产投资比上年增加500亿元左右",
])
def test_figures_of_different_dimensions_are_not_compared(item):
    assert pf.compare(item, JIANGSU_2004) == []


@pytest.mark.parametrize(("item", "sentences", "actual"), [
    # the per-capita figure is the per-capita target's, the total's is not
    ("人均地区生产总值增长7%", ["地区生产总值增长8.5%，人均地区生产总值增长7.9%。"], "7.9%"),
    ("地区生产总值增长7%", ["人均地区生产总值增长7.9%，地区生产总值增长8.5%。"], "8.5%"),
])
def test_a_per_capita_indicator_is_only_a_per_capita_one(item, sentences, actual):
    assert [c["actual"] for c in pf.compare(item, sentences)] == [actual]


def test_a_per_capita_indicator_is_not_the_total():
    assert pf.compare("地区生产总值增长7%", ["人均地区生产总值增长7.9%。"]) == []
    assert pf.alike("人均国内生产总值", "生产总值") == 0.0


@pytest.mark.parametrize("item", [
    # 江苏 2003: targets for five years, or for 2010, are not the next year's
    "今后五年，新建成高速公路1500公里，高速公路通车总里程超过3200公里，密度达到国际先进水平",
    "努力建立稳定的能源保障体系，加强电源点和电网建设，今后五年新增电力装机容量1200万千瓦",
    "省委、省政府提出：到2010年，全省国内生产总值比2000年增长1.4倍左右，人均国内生产总值超过28000元",
])
def test_a_target_for_several_years_is_not_compared_with_one_years_figure(item):
    assert pf.compare(item, JIANGSU_2004, year=2003) == []
    assert pf.targets(item, year=2003) == 0


def test_a_target_of_the_year_after_a_later_one_is_compared():
    """今年 (or the year itself) after 今后五年 says the figure is the year's again."""
    item = "今后五年，新建成高速公路1500公里；今年建成高速公路300公里"
    assert [(c["target"], c["actual"], c["met"]) for c in pf.compare(item, JIANGSU_2004, year=2003)] == [
        ("300公里", "301公里", True)]
    assert [c["actual"] for c in pf.compare("到2003年，新增高速公路300公里", JIANGSU_2004, year=2003)] == ["301公里"]


def test_a_share_whose_part_was_said_before_is_not_its_whole():
    """哈尔滨 2012: 旅游总收入…占GDP比重由8.2%提高到11.5% is no figure of 地区生产总值."""
    s = "2011年旅游总收入完成457.8亿元，比上年增长20%，是2006年的2.7倍，占GDP比重由8.2%提高到11.5%。"
    assert pf.compare("地区生产总值增长12%以上", [s]) == []

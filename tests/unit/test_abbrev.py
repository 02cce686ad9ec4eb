"""A term's abbreviations in the model of meaning (kb.text.abbrev, issue 27's tenth round): a word of two or
three characters taken in order from a span of the term's words, used in the same contexts (the shipped model,
learned from the 3,004 real reports), and its other long forms; none for a word shaped so but used otherwise."""

from __future__ import annotations

import pytest

from kb.engines.query import Term
from kb.text import abbrev, meaning, words


def forms(q: str) -> dict[tuple[str, ...], str]:
    model = meaning.load()
    return {parts: label for label, parts in abbrev.abbreviations(meaning.joined(words.cut(q), model), model)}


@pytest.mark.parametrize(("q", "short"), [
    ("违法建设", ("违建",)), ("征地拆迁", ("征迁",)), ("征收拆迁", ("征迁",)), ("环境保护", ("环保",)),
    ("征地拆迁矛盾", ("征迁", "矛盾")), ("城市管理粗放", ("城管", "粗放")),
])
def test_a_term_of_two_words_finds_its_short_form(q, short):
    assert forms(q)[short].startswith(short[0] + "（简称）"), forms(q)


def test_another_long_form_of_the_short_form_is_found_too():
    assert forms("违法建设")[("违章建筑",)] == "违章建筑（违建）"


@pytest.mark.parametrize("q", ["综合行政执法改革", "开发区建设", "政府立法", "公共法律服务", "农村空心化", "嫦娥探月卫星",
                               "行政执法", "法律顾问", "国有企业亏损", "职业教育发展"])
def test_a_word_shaped_as_a_short_form_but_used_otherwise_is_none(q):
    # 综改 (0.33 with 综合, 改革 …), 开设 / 开建 (0.01), 政法 (0.19), 公务 (0.16), 农化 (0.18); 执法 is a word of
    # the term itself, matched exactly anyway
    assert forms(q) == {}


def test_the_short_forms_are_the_terms_expansions_said_as_such():
    e = {x.parts: x.label for x in Term("违法建设").expansions}
    assert e[("违建",)] == "违建（简称）"
    assert Term("违法建设", quoted=True).expansions == ()


def test_in_order():
    assert abbrev.in_order("违建", "违法建设") and not abbrev.in_order("建违", "违法建设")


def test_another_long_form_must_be_near_the_terms_words_too():
    # 光电 (0.60 with 光伏 · 发电) is a short form of 光伏发电; its near twin 光电子 (optoelectronics, 0.49) is not
    assert ("光电子",) not in forms("光伏发电")

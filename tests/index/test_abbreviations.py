"""A term's abbreviations find the paragraphs that write it short (issue 27's tenth round, kb.text.abbrev): the
seed corpus and one report that writes 违建 and 征迁 where a query says 违法建设 and 征地拆迁 matter, built; the
short forms come as related matches below the exact ones, each saying so, the exact totals unchanged."""

from __future__ import annotations

import pytest

from kb import build
from kb.knowledgebase import KnowledgeBase
from kb.search.request import SearchRequest
from tests.support.seeds import copy_corpus

REPORT = """---
id: 2024-testwj01
title: 示范区综合行政执法局2024年度工作报告
agency: 示范区综合行政执法局
region: 河南省示范市示范区
level: 县
year: 2024
---

## 一、主要工作

坚持露头就拆，全年拆除违建1.2万平方米，新增违建实现零增长。

开展两违专项整治，对存量违章建筑分类处置，拆除违章建筑86处。

依法严厉查处违法建设行为，立案查处违法建设案件12起。

妥善化解征迁矛盾，全年完成征迁项目9个，未发生群体性事件。
"""


@pytest.fixture(scope="module")
def knowledge(tmp_path_factory):
    root = tmp_path_factory.mktemp("abbrev")
    corpus_dir = copy_corpus(root / "corpus")
    (corpus_dir / "2024-testwj01.md").write_text(REPORT, encoding="utf-8")
    build.build(corpus_dir, root / "index")
    return KnowledgeBase(corpus_dir, root / "index")


def hits(kb, q):
    """The answer, and its hits by the first clause of their text."""
    r = kb.search(SearchRequest(q=q, size=50))
    return r, {h["text"].split("，")[0]: h for h in r["hits"]}


def test_the_short_form_of_a_term_is_a_related_match_that_says_so(knowledge):
    r, found = hits(knowledge, "违法建设")
    assert r["exact_total"] == 1 and found["依法严厉查处违法建设行为"]["match"] == "exact"
    short = found["坚持露头就拆"]
    assert short["match"] == "related" and short["matched_by"] == ["也匹配：违建（简称）"]
    other = found["开展两违专项整治"]  # 违章建筑, another long form of 违建 (the model's near twin)
    assert other["match"] == "related" and other["matched_by"] == ["也匹配：违章建筑（违建）"]
    assert "<mark>违建</mark>" in short["excerpt_html"]
    order = list(found)
    assert order.index("依法严厉查处违法建设行为") < order.index("坚持露头就拆")


def test_a_problem_of_a_term_written_short_finds_it_with_its_problem_word(knowledge):
    r, found = hits(knowledge, "征地拆迁矛盾")
    assert r["exact_total"] == 0
    assert found["妥善化解征迁矛盾"]["matched_by"] == ["也匹配：征迁（简称）"]


def test_a_quoted_term_has_no_abbreviation_and_the_exact_tier_is_the_characters(knowledge):
    r = knowledge.search(SearchRequest(q='"违法建设"'))
    assert r["total"] == r["exact_total"] == 1
    exact = knowledge.search(SearchRequest(q="违法建设", match="exact"))
    assert exact["total"] == 1

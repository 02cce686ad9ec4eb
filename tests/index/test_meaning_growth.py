"""The model of meaning grows with the user's corpus at build time (kb.text.growth, kb.build): a
measure named only in the user's reports -- a made-up 法护员, written in the contexts the reports
write 法律顾问 in -- gets a vector and neighbours, and becomes findable by meaning; adding a report
changes only what it teaches, removing one takes its words along; the whole query's meaning brings
in paragraphs below every other match, said and marked as 整体相近, exact totals unchanged."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from kb import build
from kb.engines.embedded import generations
from kb.knowledgebase import KnowledgeBase
from kb.search.request import SearchRequest
from kb.text import growth, meaning, nearlists
from tests.support.seeds import copy_corpus

MADE_UP = "法护员"  # in no dictionary and not in the shipped model: jieba keeps it as one word
OTHER = "码上督"

#: how a legal-affairs report would write a measure of its own, 法护员 standing where other reports
#: write 法律顾问 (聘请, 合法性审查, 法律意见, 行政复议和应诉, 合同)
REPORT = """---
id: 2024-testfhy1
title: 示范县司法局2024年度法治政府建设情况报告
agency: 示范县司法局
region: 河南省示范市示范县
level: 县
year: 2024
---

## 一、主要举措和成效

全面推行{w}制度，聘请{w}为重大行政决策提供法律意见，{w}全程参与合法性审查。

充分发挥{w}作用，{w}列席局务会议，对规范性文件和重大合同开展合法性审查，全年出具法律意见书42份。

{w}参与行政复议和行政应诉案件办理，协助化解行政争议，依法维护当事人合法权益。

健全{w}工作机制，建立{w}审查台账，对合同协议审查实行全过程记录。

加强{w}队伍建设，组织{w}开展法律业务培训，提升依法决策水平。
"""


def add_report(corpus_dir, rid: str, word: str) -> None:
    (corpus_dir / f"{rid}.md").write_text(REPORT.format(w=word).replace("2024-testfhy1", rid), encoding="utf-8")


@pytest.fixture(scope="module")
def grown(tmp_path_factory):
    """The seed corpus with a report that names 法护员, built: (corpus, index, knowledge base)."""
    root = tmp_path_factory.mktemp("grow")
    corpus_dir = copy_corpus(root / "corpus")
    add_report(corpus_dir, "2024-testfhy1", MADE_UP)
    build.build(corpus_dir, root / "index")
    return corpus_dir, root / "index", KnowledgeBase(corpus_dir, root / "index")


def model_of(index_dir) -> meaning.Model:
    gen, _ = generations.served(index_dir)
    return meaning.read(index_dir / gen / meaning.MODEL_FILE)


def test_a_word_only_the_users_corpus_has_gets_a_vector_and_neighbours_of_its_contexts(grown):
    _, index_dir, knowledge = grown
    shipped = meaning.load()
    assert MADE_UP not in shipped.index
    model = model_of(index_dir)
    assert MADE_UP in model.grown_words()
    assert model.vocab[:model.n_shipped] == shipped.vocab  # the shipped words are kept as they were
    assert np.allclose(model.vectors[:model.n_shipped], shipped.vectors, atol=1e-3)
    near = [w for w, _ in model.neighbours(MADE_UP, 10, 0.3)]
    legal = {"法律顾问", "顾问", "公职律师", "律师", "合法性审查", "法律意见", "法律", "法律事务", "法务", "审查",
             "合同", "法制", "法治", "法律咨询", "专家", "律师事务所", "审核"}
    assert legal & set(near), near
    knowledge.engine()
    assert MADE_UP in meaning.active().index  # the index's model is the one queries are expanded with


def test_what_the_reports_teach_is_kept_in_a_file_while_building_and_read_back_whole(grown):
    """GIVEN the corpus built (each report's contexts kept in a file of the generation while
    the segments are written, read back when the model grows)
    WHEN the state saved with the generation is read
    THEN it has every report, and the contexts of the made-up word's report are those its
    paragraphs give read again now; no such file is left in the generation."""
    corpus_dir, index_dir, _ = grown
    gen = index_dir / generations.served(index_dir)[0]
    state = growth.Growth.read(gen / growth.STATE_FILE)
    assert set(state.parts) == {p.stem for p in corpus_dir.glob("*.md")}
    _, _, _, contexts = build._read_report(corpus_dir / "2024-testfhy1.md")
    kept = state.parts["2024-testfhy1"]
    assert kept.words == contexts.words and MADE_UP in kept.words
    assert np.array_equal(kept.sums, contexts.sums.astype(np.float16).astype(np.float32))
    assert not list(gen.glob(".learned*"))


def test_the_made_up_measure_is_findable_by_meaning_below_its_exact_matches(grown):
    _, _, knowledge = grown
    answer = knowledge.search(SearchRequest(q=MADE_UP, size=50))
    exact = [h for h in answer["hits"] if h["match"] == "exact"]
    related = [h for h in answer["hits"] if h["match"] == "related"]
    assert len(exact) == 5 and answer["hits"][:5] == exact
    by_meaning = [h for h in related if any(m.startswith(("语义相近：", "整体相近：")) for m in h["matched_by"])]
    assert by_meaning, [h["matched_by"] for h in related]
    for h in by_meaning:
        assert MADE_UP not in h["text"] and "<mark>" in h["excerpt_html"]  # the words it matched through, marked
    exact_only = knowledge.search(SearchRequest(q=MADE_UP, match="exact", size=50))
    assert exact_only["total"] == 5


def test_adding_a_report_updates_only_what_it_teaches_and_removing_one_takes_its_words(grown, tmp_path):
    corpus_dir = copy_corpus(tmp_path / "corpus")
    add_report(corpus_dir, "2024-testfhy1", MADE_UP)
    index_dir = tmp_path / "index"
    build.build(corpus_dir, index_dir)
    before = growth.Growth.read(index_dir / generations.served(index_dir)[0] / growth.STATE_FILE)
    add_report(corpus_dir, "2024-testmsp2", OTHER)
    done = build.build(corpus_dir, index_dir)
    assert done["incremental"] and done["reindexed"] == 1 and done["meaning_grown"] >= 2
    after = growth.Growth.read(index_dir / generations.served(index_dir)[0] / growth.STATE_FILE)
    assert set(after.parts) == set(before.parts) | {"2024-testmsp2"}
    for rid, part in before.parts.items():  # the other reports' parts are those of the last build
        assert after.parts[rid].words == part.words and np.array_equal(after.parts[rid].sums, part.sums)
    assert {MADE_UP, OTHER} <= set(model_of(index_dir).grown_words())
    (corpus_dir / "2024-testfhy1.md").unlink()
    build.build(corpus_dir, index_dir)
    words = model_of(index_dir).grown_words()
    assert OTHER in words and MADE_UP not in words


def test_the_whole_query_brings_in_paragraphs_below_the_others_exact_totals_unchanged(kb):
    """医患沟通 stands in no seed paragraph: what comes in is close in meaning to the whole query."""
    answer = kb.search(SearchRequest(q="医患沟通", size=50))
    assert answer["exact_total"] == 0
    whole = [h for h in answer["hits"] if h["match"] == "related"]
    assert whole and all(any(m.startswith(("语义相近：", "整体相近：")) for m in h["matched_by"]) for h in whole)
    assert any(m.startswith("整体相近：") for h in whole for m in h["matched_by"])  # close to the query as a whole
    assert all("<mark>" in h["excerpt_html"] for h in whole)
    explained = kb.search(SearchRequest(q="医患沟通", size=5, explain=True))
    why = [h.get("explain", {}) for h in explained["hits"]]
    assert any("whole_query_meaning" in e for e in why), why
    for q in ("法律顾问", "执法", "双随机一公开"):  # exact totals never change
        with_all = kb.search(SearchRequest(q=q, size=1))
        exact = kb.search(SearchRequest(q=q, size=1, match="exact"))
        assert with_all["total"] >= exact["total"]
        assert sum(1 for h in kb.search(SearchRequest(q=q, size=100))["hits"] if h["match"] == "exact") \
            == min(100, exact["total"])


def test_the_common_direction_of_meaning_is_written_with_the_generation(index_dir):
    """No search converts the vectors or computes their common direction (issue 27's speed): they
    are float32 as written, and the direction is read from the generation, equal to what a search
    would compute; a file of other live paragraphs (a generation's edited by hand) is not taken."""
    from kb.engines.embedded.reader import COMMON_FILE, Postings, _read_common

    gen, meta = generations.served(index_dir)
    p = Postings(index_dir / gen, meta["postings"], meta["checksums"])
    assert (index_dir / gen / COMMON_FILE).is_file()
    assert all(v.dtype == np.float32 for v in p.vectors())
    read, made = p.common_meaning(), p._make_common()
    assert all(np.array_equal(a, b) and a.dtype == b.dtype for a, b in zip(read, made, strict=True))
    other = p.live.copy()
    other[0] = not other[0]
    assert _read_common(index_dir / gen / COMMON_FILE, other) is None
    assert _read_common(index_dir / gen / "missing.npz", p.live) is None


def test_a_new_generation_writes_its_own_common_direction_and_leaves_the_previous_ones(tmp_path):
    """An incremental build links the previous generation's files: the common direction of meaning
    is written anew (its live paragraphs changed), the previous generation's file left as it was."""
    from kb.engines.embedded.reader import COMMON_FILE

    corpus_dir, index_dir = copy_corpus(tmp_path / "corpus"), tmp_path / "index"
    build.build(corpus_dir, index_dir)
    first = generations.served(index_dir)[0]
    before = (index_dir / first / COMMON_FILE).read_bytes()
    (corpus_dir / "2024-testfhy1.md").write_text(REPORT, encoding="utf-8")
    build.build(corpus_dir, index_dir)
    second = generations.served(index_dir)[0]
    assert second != first and (index_dir / first / COMMON_FILE).read_bytes() == before
    with np.load(index_dir / second / COMMON_FILE) as z, np.load(index_dir / first / COMMON_FILE) as old:
        assert len(z["vu"]) > len(old["vu"])


def _asked_alike(model: meaning.Model, ws) -> None:
    """Each word's neighbours from the kept lists are those of the whole product, as a search asks them."""
    plain = replace(model, near=None)
    for w in ws:
        for k, min_sim in ((5, 0.66), (5, 0.8), (2, 0.0), (3, 0.5), (12, 0.78), (300, 0.6)):
            assert model._neighbours(w, k, min_sim) == plain._neighbours(w, k, min_sim), (w, k, min_sim)


def test_the_shipped_words_nearest_are_kept_with_the_generation_and_answer_as_the_whole_product(grown):
    """GIVEN the corpus built, its model grown with 法护员 WHEN the generation's model is read THEN it has
    its shipped words' nearest beside it (kb.text.nearlists), and every word's neighbours read from them
    are those of the whole product: the grown words, the shipped words nearest to them, 法律顾问 (near
    法护员 now) and 200 others."""
    _, index_dir, _ = grown
    gen = index_dir / generations.served(index_dir)[0]
    assert (gen / nearlists.FILE).is_file()
    model = model_of(index_dir)
    assert model.near is not None and model.near.n == model.n_shipped == len(meaning.load().vocab)
    assert MADE_UP in [w for w, _ in model.neighbours("法律顾问", 8, 0.3)]
    grown_words = list(model.grown_words())
    near = {n for w in grown_words for n, _ in replace(model, near=None)._neighbours(w, 8, 0.3)}
    _asked_alike(model, [*grown_words, *sorted(near), "法律顾问", *model.vocab[:model.n_shipped:150]])


def test_when_the_model_grows_again_the_lists_are_kept_and_answer_for_its_new_words(tmp_path):
    """GIVEN an index, then a report that teaches the model a new word (an incremental build) WHEN the new
    generation's model is read THEN its lists are the previous generation's (the shipped vectors are the
    same), its grown words are taken whole, and its neighbours are those of the whole product."""
    corpus_dir, index_dir = copy_corpus(tmp_path / "corpus"), tmp_path / "index"
    build.build(corpus_dir, index_dir)
    first = model_of(index_dir)
    add_report(corpus_dir, "2024-testmsp2", OTHER)
    assert build.build(corpus_dir, index_dir)["incremental"]
    model = model_of(index_dir)
    assert OTHER in model.grown_words() and OTHER not in first.index
    assert np.array_equal(model.near.ids, first.near.ids) and np.array_equal(model.near.bound, first.near.bound)
    near = [n for n, _ in replace(model, near=None)._neighbours(OTHER, 8, 0.3)]
    _asked_alike(model, [OTHER, *near, *model.vocab[:model.n_shipped:300]])

"""The model of meaning (kb.text.meaning), the expansion of a query word by it, and how much a
paragraph says what was done (kb.enrich.deeds): on a small model made by hand, so that each
rule is seen to hold whatever the shipped model learned."""

from __future__ import annotations

import numpy as np

from kb.enrich import deeds
from kb.text import meaning, words


def toy() -> meaning.Model:
    """淡薄 ~ 不强 ~ 薄弱, 法治 ~ 法律, 意识 ~ 理念; 夜间经济 ~ 夜经济; 城市 far from all."""
    vecs = {"淡薄": [1, 0.1, 0, 0], "不强": [1, 0.2, 0, 0], "薄弱": [0.9, 0.3, 0, 0], "法治": [0, 1, 0.1, 0],
            "法律": [0, 1, 0.2, 0], "意识": [0, 0, 1, 0.1], "理念": [0, 0, 1, 0.2], "夜间经济": [0, 0, 0.1, 1],
            "夜经济": [0, 0, 0.15, 1], "夜间": [0, 0.05, 0.1, 1], "城市": [0.5, -0.5, -0.5, 0.5]}
    return meaning.Model.of(list(vecs), np.array(list(vecs.values())), np.arange(1, len(vecs) + 1) * 10)


def test_neighbours_are_the_nearest_words_above_the_threshold_nearest_first():
    m = toy()
    near = m.neighbours("淡薄", 5, 0.9)
    assert [w for w, _ in near] == ["不强", "薄弱"]
    assert near[0][1] >= near[1][1] >= 0.9
    assert m.neighbours("没有这个词", 5, 0.0) == []


def _partitioned(sims: np.ndarray, k: int, min_sim: float) -> list[int]:
    """What meaning._nearest gives by partitioning the whole vocabulary (its way for many words)."""
    top = np.argpartition(-sims, min(k + 1, len(sims) - 1))[:k + 1]
    top = top[np.argsort(-sims[top])]
    return top[sims[top] >= min_sim].tolist()


def test_the_nearest_of_many_are_those_a_partition_of_the_whole_vocabulary_finds():
    """GIVEN cosines of thousands of words, many above a low threshold (the near-twin check asks
    0.0), with ties among the nearest or not, and few or many at meaning.HIGH WHEN the k + 1 nearest
    are asked THEN they are those a partition of the whole vocabulary finds, in its order (the
    words at HIGH are sorted instead only when that is the same list)."""
    rng = np.random.default_rng(7)
    for trial in range(300):
        sims = rng.uniform(-1, 1, 3000).astype(np.float32)
        if trial % 3 == 0:
            sims[rng.choice(3000, 3, replace=False)] = sims.max()  # three equal nearest
        if trial % 5 == 0:
            sims *= 0.55  # few at HIGH
        for k, min_sim in ((2, 0.0), (5, 0.3), (12, -1.0), (5, 0.66)):
            assert meaning._nearest(sims, k, min_sim).tolist() == _partitioned(sims, k, min_sim), (trial, k)


def test_a_term_of_several_words_expands_each_word_with_its_neighbours():
    e = meaning.expand(["法治", "意识", "淡薄"], toy())
    assert e.words == ("法治", "意识", "淡薄")
    assert e.alternatives()[0][0] == "法治" and "法律" in e.alternatives()[0]
    assert "理念" in e.alternatives()[1]
    assert e.similarity("法治") == 1.0 and 0.6 < e.similarity("法律") < 1.0


def test_a_problem_word_is_matched_by_any_word_that_says_something_falls_short():
    """淡薄, 不足, 薄弱, 短板 … are one kind; 不 before a word stays with it (不 · 完善 -> 不完善)."""
    e = meaning.expand(["法治", "意识", "淡薄"], toy())
    assert {"不足", "不强", "薄弱", "短板"} <= set(e.alternatives()[2])
    e = meaning.expand(["监督", "体系", "不", "健全"], toy())
    assert e is not None and e.words[-1] == "不健全" and "不完善" in e.alternatives()[-1]


def test_a_negated_word_no_list_holds_says_what_falls_short_too_and_needs_it_nowhere():
    """GIVEN 法治 · 不 · 意识 (as jieba cuts 学法不系统: 不系统 is no word of the model nor of PROBLEM)
    WHEN it is expanded
    THEN 意识 is a slot of its own before the problem word (a paragraph may say what falls short:
    学习缺乏系统性), optional: the slots without it say the term as fully, and a problem of the list
    (不 · 健全 → 不健全) brings no such slot."""
    m = toy()
    assert meaning.joined(["法治", "不", "意识"], m) == ["法治", "意识", "不意识"]
    e = meaning.expand(["法治", "不", "意识"], m)
    assert e.words == ("法治", "意识", "不意识") and e.optional == ("意识",)
    without = next(slots for slots in e.partial() if e.alternatives()[1] not in slots)
    assert e.says_without(without) and not e.says_without(e.alternatives()[1:])
    assert [len(x) for x in e.remedies()] == [3, 2, 2] and e.says_without(e.remedies()[1])
    assert e.remedies()[2] == e.alternatives()[:2]  # the subject alone, no remedy (系统学法): the lowest answer
    assert meaning.expand(["监督", "体系", "不", "健全"], m).optional == ()


def test_with_three_words_or_more_all_but_one_also_count_never_leaving_out_the_problem():
    e = meaning.expand(["法治", "意识", "淡薄"], toy())
    assert [tuple(s[0] for s in slots) for slots in e.partial()] == [("意识", "淡薄"), ("法治", "淡薄")]
    assert meaning.expand(["法治", "淡薄"], toy()).partial() == []


def test_a_neighbour_that_holds_the_word_or_lies_inside_it_is_no_expansion():
    """夜间 lies inside 夜间经济 (too broad), a word holding it would be an exact match anyway."""
    e = meaning.expand(["夜间经济"], toy())
    assert e is not None and e.alternatives() == (("夜间经济", "夜经济"),)


def test_no_expansion_without_a_model_a_known_word_or_any_neighbour():
    assert meaning.expand(["法治"], None) is None
    assert meaning.expand(["陌生词"], toy()) is None
    assert meaning.expand(["城市"], toy()) is None
    assert meaning.expand(["的", "和"], toy()) is None


def test_a_saved_model_reads_back_the_same_words_and_near_the_same_vectors(tmp_path):
    m = toy()
    m.save(tmp_path / "m.npz")
    back = meaning.read(tmp_path / "m.npz")
    assert back.vocab == m.vocab and np.allclose(back.vectors, m.vectors, atol=1e-3)
    assert back.neighbours("淡薄", 2, 0.9)[0][0] == "不强"


def test_the_shipped_model_knows_the_words_of_the_reports_and_their_neighbours():
    m = meaning.load()
    assert m is not None and len(m.vocab) > 10000
    assert "法治" in m.index and "梁殿" not in m.index
    assert m.neighbours("薄弱", 8, 0.3)


def test_deeds_count_quantities_and_actions_and_a_list_counts_half():
    done = "新建改扩建义务教育学校12所、增加学位2万个，完成改造3.8万处，同比增长12.3%。"
    named = "国防动员、双拥、人民防空、老龄、妇女儿童、青少年、残疾人、工会等事业取得新进步。"
    assert deeds.level(done) >= 2
    assert deeds.level(named) == 0
    assert deeds.level("") == 0
    assert 0 <= deeds.level("建成" * 100) <= deeds.MAX


def test_a_problem_is_also_answered_by_its_other_words_beside_a_word_of_remedy():
    """法治意识淡薄 -> 法治 · 意识 · (加强 / 健全 / 提高 …): the measures that answer the problem
    without naming it; a term that names no problem, or names only a problem, has none."""
    e = meaning.expand(["法治", "意识", "淡薄"], toy())
    remedy = e.remedy()
    assert remedy[:2] == e.alternatives()[:2] and set(meaning.REMEDY) == set(remedy[2])
    assert not any(meaning.is_hard(w) for slot in remedy for w in slot)
    assert meaning.expand(["法治", "意识"], toy()).remedy() is None
    assert meaning.expand(["淡薄"], toy()) is None or meaning.expand(["淡薄"], toy()).remedy() is None


def test_a_problem_of_three_other_words_is_answered_by_all_of_them_but_one_too():
    """法治 · 意识 · 城市 · 淡薄 -> (法治 · 意识 · 城市 · remedy), then each of them left out once, as the
    slots less one of a term that says it; with two other words, only the first."""
    e = meaning.expand(["法治", "意识", "城市", "淡薄"], toy())
    rs = e.remedies()
    assert rs[0] == e.remedy() and len(rs) == 5 and rs[4] == e.remedy()[:-1]  # the last: the subject alone
    assert all(len(x) == 3 and x[-1] == rs[0][-1] for x in rs[1:4])
    assert len(meaning.expand(["法治", "意识", "淡薄"], toy()).remedies()) == 2  # the remedy, the subject alone


def test_the_whole_query_counts_each_word_evenly_beside_its_mean_weighted_by_rarity():
    """GIVEN a query of a frequent word and a rare one (城市, counted 110, and 法治, 40, in the toy)
    WHEN the meaning of the whole query is taken
    THEN its vector lies between the mean weighted by rarity and the plain mean (each of length 1,
    added), so that the frequent word is not lost; of one word, it is that word's vector."""
    m = toy()
    v = meaning.whole_vector(["城市", "法治"], m)
    weighted, plain = m.text_vector(["城市", "法治"]), m.vectors[[m.index["城市"], m.index["法治"]]].mean(axis=0)
    both = weighted + plain / np.linalg.norm(plain)
    assert np.allclose(v, both / np.linalg.norm(both), atol=1e-6) and abs(float(np.linalg.norm(v)) - 1) < 1e-5
    assert float(v @ m.vector("城市")) > float(weighted @ m.vector("城市"))
    assert np.allclose(meaning.whole_vector(["法治"], m), m.vector("法治"), atol=1e-6)


def test_the_whole_query_is_not_taken_when_words_of_meaning_cover_too_little_of_it():
    """GIVEN a query most of whose letters are words the model does not know, or words of no
    meaning of their own (没有这个词组合xyz: 这个 points, xyz is unknown)
    WHEN the meaning of the whole query is taken
    THEN there is none; a query with one unknown word among words of meaning has one."""
    model = meaning.active()
    assert meaning.whole_vector(words.cut("没有这个词组合xyz"), model) is None
    assert meaning.whole_vector(words.cut("双随机一公卡"), model) is None
    assert meaning.whole_vector(words.cut("执法人员不足"), model) is not None
    assert meaning.whole_vector(words.cut("执法人手短缺"), model) is not None  # 人手 unknown, 执法 · 短缺 known

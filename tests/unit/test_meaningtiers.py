"""The meaning tiers both engines compute (kb.engines.meaningtiers): which parts a term's
expansion makes, what each makes of a paragraph, how a part is scored, and the whole query's
math; on the hand-made model of tests/unit/test_meaning.py, so each rule is seen to hold."""

from __future__ import annotations

import numpy as np

from kb.core.settings import Ranking
from kb.engines import meaningtiers as mt
from kb.text import meaning
from tests.unit.test_meaning import toy


def test_a_problem_says_itself_by_every_slot_or_all_but_one_and_is_answered_by_a_remedy():
    """法治意识淡薄: every slot says it; all but one (never the problem word) says it where the one
    left out stands anywhere (EITHER, × meaning_partial); its other words beside a remedy answer it."""
    r = Ranking()
    e = meaning.expand(["法治", "意识", "淡薄"], toy())
    parts = mt.parts(e, r)
    assert [p.kind for p in parts] == [mt.SAYS, mt.EITHER, mt.EITHER, mt.ANSWERS, mt.ANSWERS]
    assert parts[0].slots == e.alternatives() and parts[0].weight == 1.0
    assert [p.missing[0] for p in parts[1:3]] == ["法治", "意识"] and parts[1].weight == r.meaning_partial
    assert parts[3].slots == e.remedy() and parts[3].weight == 1.0


def test_a_problems_other_words_together_without_a_remedy_answer_it_lowest():
    """法律顾问作用发挥不够-like (issue 27's tenth round): the subject said as done (充分发挥法律顾问作用), every
    word of the term but the problem's, no word of remedy: an answer, × meaning_partial, the last part."""
    r = Ranking()
    e = meaning.expand(["法治", "意识", "淡薄"], toy())
    bare = mt.parts(e, r)[-1]
    assert bare.kind == mt.ANSWERS and bare.slots == e.remedy()[:-1] and bare.weight == r.meaning_partial
    one = meaning.expand(["意识", "淡薄"], toy())  # one word besides the problem's: that word alone says too little
    assert all(e.answer in p.slots for p in mt.parts(one, r) if p.kind == mt.ANSWERS)


def test_a_term_without_its_negated_word_still_says_it_and_its_remedy_answers_in_full():
    """学法不系统-like (法治 · 意识 · 不意识): leaving out 意识, what the negation says, is a part that says
    the term at full weight; leaving out 法治 is all but one as ever; the remedy without 意识 weighs 1 too."""
    r = Ranking()
    e = meaning.expand(["法治", "不", "意识"], toy())
    parts = mt.parts(e, r)
    assert [(p.kind, p.weight) for p in parts] == [(mt.SAYS, 1.0), (mt.EITHER, r.meaning_partial), (mt.SAYS, 1.0),
                                                  (mt.ANSWERS, 1.0), (mt.ANSWERS, 1.0),
                                                  (mt.ANSWERS, r.meaning_partial)]
    assert parts[2].slots == (e.alternatives()[0], e.alternatives()[2])


def test_of_two_words_one_common_the_other_alone_answers_the_term():
    """残疾人服务-like: a word in ≥ 10% of the paragraphs and 3× the other's paragraphs is common;
    the other alone is a part that answers; neither when both are rare or one is a problem word."""
    r = Ranking()
    e = meaning.expand(["法治", "意识"], toy())
    counts = {"法治": 50, "意识": 5}
    assert mt.but_common(e, r, 200, counts.get) == ["意识"]
    assert mt.parts(e, r, ["意识"])[1] == mt.Part((("意识",),), 1.0, mt.ANSWERS)
    assert mt.but_common(e, r, 2000, counts.get) == []  # 50 of 2000: not common
    assert mt.but_common(meaning.expand(["法治", "淡薄"], toy()), r, 200, {"法治": 50, "淡薄": 5}.get) == []


def test_each_slot_counts_once_by_its_best_word_for_a_number_or_an_array():
    e = meaning.expand(["法治", "意识"], toy())
    slots = e.alternatives()
    score = {"法治": 2.0, "法律": 3.0, "意识": 1.0}
    one = mt.slot_scores(e, slots, lambda w: score.get(w, 0.0), 0.0)
    assert one == max(2.0, 3.0 * e.similarity("法律")) + 1.0
    many = mt.slot_scores(e, slots, lambda w: np.full(3, score.get(w, 0.0)), np.zeros(3))
    assert np.allclose(many, one)


def test_the_whole_query_takes_out_the_common_direction_and_keeps_the_closest():
    rng = np.random.default_rng(3)
    v = rng.normal(size=(50, 4)).astype(np.float32) + np.array([3, 0, 0, 0], np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    common = mt.common_direction(v, slice(None))
    sims = mt.whole_similarities(v, v[7], common)
    assert int(np.argmax(sims)) == 7 and abs(sims[7] - 1.0) < 1e-4  # a paragraph is closest to itself
    sims[7] = -1
    top = mt.closest(sims, others=30, fill=20)  # the others fill a page: only the close ones
    assert 7 not in top and len(top) <= meaning.WHOLE_TOP and list(top) == sorted(top)
    assert all(sims[top] >= meaning.WHOLE_MANY_SIM)
    few = mt.closest(sims, others=5, fill=20)  # fewer than a page: the closest fill to WHOLE_TOP in all, down to the floor
    assert set(top) <= set(few) and all(sims[few] >= meaning.WHOLE_FILL_SIM)
    at_least = int(np.count_nonzero(sims >= meaning.WHOLE_FILL_SIM))
    assert len(few) == max(min(int(np.count_nonzero(sims >= meaning.WHOLE_MIN_SIM)), meaning.WHOLE_TOP),
                           min(meaning.WHOLE_TOP - 5, at_least))
    assert len(mt.closest(sims, others=19, fill=20)) >= min(meaning.WHOLE_TOP - 19, at_least)  # 19 others: 21 more


def test_feedback_moves_the_query_towards_its_best_matches_outside_the_common_direction():
    """Pseudo-relevance feedback (Rocchio's): the query's vector plus ``weight`` times the mean of its
    best matches', both with the common direction out, of length 1; a paragraph near those matches
    but not near the query itself comes closer; no weight or no matches: the query unchanged."""
    rng = np.random.default_rng(5)
    v = rng.normal(size=(60, 6)).astype(np.float32) + np.array([3, 0, 0, 0, 0, 0], np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    common = mt.common_direction(v, slice(None))
    q, best = v[0], v[[1, 2]]
    fed = mt.with_feedback(q, best, common, 1.5)
    assert abs(float(np.linalg.norm(fed)) - 1.0) < 1e-5 and abs(float(fed @ common[0])) < 1e-5
    before, after = mt.whole_similarities(v, q, common), mt.whole_similarities(v, fed, common)
    assert after[1] > before[1] and after[2] > before[2]
    assert mt.with_feedback(q, best, common, 0.0) is q and mt.with_feedback(q, best[:0], common, 1.5) is q

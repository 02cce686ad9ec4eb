"""An item's verdict decided from its features (kb.search.plan_verdict), and the pieces of the tool
that measures a learned model against the rules (tools.plantrain: leave one pair or one set out)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from kb.core.model import Paragraph
from kb.enrich import plans as plan_items
from kb.search import plan_verdict
from kb.search import plans as matcher
from tools import plantrain

REVIEW = "2023年工作回顾"


def _next(*texts: str) -> matcher.NextReport:
    paras = [Paragraph(f"r.p{i}", "r", i, t, [REVIEW]) for i, t in
             enumerate([*texts, "我们坚持稳中求进工作总基调，经济运行总体平稳。"], 1)]
    return matcher.NextReport(paras, plan_items.roles(paras, 2023))


def _item(text: str, in_list: str = "") -> plan_items.PlanItem:
    return plan_items.PlanItem(text, "p.p1", 0, len(text), plan_items.item_figures(text), in_list)


def test_the_features_of_a_target_met():
    """GIVEN an item with a target the review reports exceeded WHEN it is judged THEN its features
    say so (one figure compared, met, evidence found) and the rules deliver it."""
    v = matcher.judge(_item("新开工改造城镇老旧小区300个"),
                      _next("新开工改造城镇老旧小区326个，惠及居民5.2万户。", "新建学校10所。"))
    f = v.features
    assert f.figured and f.targets == 1 and f.compared == 1 and f.met == 1 and f.evidence
    assert f.best >= plan_verdict.FIGURES_LOW > f.second and not f.listed and f.length == len(v.item.text) == 15
    assert plan_verdict.rules(f) == (v.verdict, v.sure) == (matcher.DELIVERED, True)


def test_the_features_of_an_item_never_mentioned():
    v = matcher.judge(_item("建设州中心医院急诊医技楼"), _next("新建学校10所，改造农村公路200公里。"))
    assert not v.features.evidence and v.features.compared == 0
    assert v.verdict == matcher.NOT_MENTIONED and not v.evidence


def test_the_rules_from_features_alone():
    """The thresholds: a target missed is partly; a list statement delivers an item not
    reported, not sure; a thing to be finished reported as moving on is partly."""
    base = plan_verdict.Features(best=0.6, second=0.2, figured=True, targets=1, compared=1, met=0, listed=False,
                                 evidence=True, names=0, names_said=0, unnamed_figure=True, proper_unsaid=False,
                                 moving_only=False, apart=False, length=20)
    assert plan_verdict.rules(base) == (matcher.PARTLY, True)
    listed = replace(base, best=0.1, compared=0, met=0, evidence=False, listed=True)
    assert plan_verdict.rules(listed) == (matcher.DELIVERED, False)
    words = replace(base, figured=False, compared=0, targets=0, moving_only=True)
    assert plan_verdict.rules(words) == (matcher.PARTLY, False)
    unnamed = replace(base, figured=False, compared=0, targets=0, names=1, names_said=0, unnamed_figure=False)
    assert plan_verdict.rules(unnamed)[0] == matcher.NOT_MENTIONED


def test_a_model_never_delivers_without_evidence_and_a_list_counts():
    f = plan_verdict.Features(best=0.1, second=0.0, figured=False, targets=0, compared=0, met=0, listed=False,
                              evidence=False, names=0, names_said=0, unnamed_figure=False, proper_unsaid=False,
                              moving_only=False, apart=False, length=10)
    probs = {matcher.DELIVERED: 0.7, matcher.PARTLY: 0.2, matcher.NOT_MENTIONED: 0.1}
    assert plantrain.hard_rules(f, probs) == (matcher.NOT_MENTIONED, 0.1)
    listed = replace(f, listed=True)
    assert plantrain.hard_rules(listed, {**probs, matcher.NOT_MENTIONED: 0.8}) == (matcher.DELIVERED, 0.7)
    assert len(plantrain.vector(f)) == len(plantrain.VECTOR)


def test_the_logistic_regression_and_the_tree_learn_a_separable_rule():
    """GIVEN verdicts that follow one feature WHEN a model is fitted THEN it predicts them."""
    rng = np.random.default_rng(26)
    x = rng.random((300, 3))
    y = np.digitize(x[:, 0], [1 / 3, 2 / 3])
    w, b = plantrain.fit(x, y, l2=0.1, steps=2000)
    assert (plantrain.predict(w, b, x).argmax(1) == y).mean() > 0.9
    tree = plantrain.grow(x, y)
    assert (np.array([plantrain.leaf(tree, v).argmax() for v in x]) == y).mean() > 0.9


def test_the_sure_threshold_is_the_lowest_right_nine_times_in_ten():
    verdicts = [("delivered", p / 100) for p in range(40, 100)]
    gold = ["delivered" if p >= 60 else "partly" for p in range(40, 100)]
    t = plantrain.sure_threshold(verdicts, gold)
    right = [g == "delivered" for (_, p), g in zip(verdicts, gold, strict=True) if p >= t]
    assert sum(right) / len(right) >= plantrain.SURE_ACCURACY and 0.5 < t <= 0.6


def test_a_fold_leaves_out_a_whole_pair_or_a_whole_set():
    """GIVEN items of two sets whose verdicts follow one feature WHEN cross-validated by set THEN
    each set is predicted by a model fitted on the other alone, and still right."""
    rng = np.random.default_rng(38)
    found = plan_verdict.Features(best=0.5, second=0.1, figured=False, targets=0, compared=0, met=0, listed=False,
                                  evidence=True, names=0, names_said=0, unnamed_figure=False, proper_unsaid=False,
                                  moving_only=False, apart=False, length=10)
    rows = []
    for k in range(120):
        v = rng.normal(size=3)
        gold = plantrain.CLASSES[int(v[0] > 0.5) + int(v[0] > -0.5)]
        rows.append({"set": f"s{k % 2}", "pair": f"p{k % 6}", "gold": gold, "vector": list(v),
                     "features": vars(found)})
    for by in ("pair", "set"):
        probs = plantrain.cross_validate(rows, l2=0.1, by=by)
        assert probs.shape == (120, 3)
        predicted = [v for v, _ in plantrain.verdicts(rows, probs)]
        assert np.mean([v == r["gold"] for v, r in zip(predicted, rows, strict=True)]) > 0.85


def test_not_mentioned_by_its_names_alone_is_not_sure():
    """GIVEN an item whose best paragraph scores well but none of whose named objects the next
    report says WHEN its verdict is decided THEN it is not mentioned, not sure (the score and the
    names disagree); not mentioned by its score is still sure."""
    f = plan_verdict.Features(best=0.68, second=0.2, figured=False, targets=0, compared=0, met=0, listed=False,
                              evidence=True, names=1, names_said=0, unnamed_figure=False, proper_unsaid=False,
                              moving_only=False, apart=False, length=60)
    assert plan_verdict.rules(f) == (matcher.NOT_MENTIONED, False)
    assert plan_verdict.rules(replace(f, names=0, proper_unsaid=True)) == (matcher.NOT_MENTIONED, False)
    assert plan_verdict.rules(replace(f, best=0.1, second=0.05, evidence=False)) == (matcher.NOT_MENTIONED, True)


def test_the_mention_threshold_falls_with_the_items_length():
    """GIVEN items without figures scored alike WHEN their verdicts are decided THEN a long item
    (one clause of many reported holds a small share) is mentioned, partly and not sure, at a score
    a short one (general words) is not mentioned at; not mentioned is sure only well under it."""
    f = plan_verdict.Features(best=0.24, second=0.1, figured=False, targets=0, compared=0, met=0, listed=False,
                              evidence=True, names=0, names_said=0, unnamed_figure=False, proper_unsaid=False,
                              moving_only=False, apart=False, length=plan_verdict.LONG + 30)
    assert plan_verdict.rules(f) == (matcher.PARTLY, False)
    short = replace(f, length=plan_verdict.LONG - 20)
    assert plan_verdict.rules(short) == (matcher.NOT_MENTIONED, True)
    assert plan_verdict.rules(replace(short, best=0.33)) == (matcher.NOT_MENTIONED, False)
    assert plan_verdict.rules(replace(short, best=0.39)) == (matcher.PARTLY, False)
    assert plan_verdict.rules(replace(f, best=0.55)) == plan_verdict.rules(replace(short, best=0.55)) == (matcher.DELIVERED, True)
    # delivered by words under FIRM stands, not sure (stop 40)
    assert plan_verdict.rules(replace(f, best=0.45)) == (matcher.DELIVERED, False)
    assert plan_verdict.mention(10, True) == plan_verdict.FIGURES_LOW
    assert plan_verdict.mention(plan_verdict.LONG, False) < plan_verdict.mention(plan_verdict.LONG - 1, False)

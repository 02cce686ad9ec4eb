"""Queries with no answer (issue 27): the judged set of seed queries nothing answers and of controls,
and `python -m tools.evaluate noanswer`, which counts the related hits each gets (tools/noanswer.py)."""

from __future__ import annotations

import json

import pytest

from kb.core import corpus
from kb.enrich.paragraphs import paragraphs_of
from tests.support.paths import DATA
from tools import evaluate, noanswer

SET = DATA / "judgments_noanswer_heldout.toml"


def test_the_no_answer_set_holds_queries_no_seed_paragraph_holds_and_controls_that_have_answers(corpus_dir):
    """GIVEN the judged no-answer set THEN it has 25 queries of each kind, none of another judged set; no
    seed paragraph holds a no-answer query as written (they were checked by reading, this is the
    substring half) and every control's relevant paragraphs are seed paragraphs."""
    queries = noanswer.load(SET)
    assert [q.kind for q in queries].count("none") >= 25 and [q.kind for q in queries].count("control") >= 25
    assert not {q.q for _, path in evaluate.SETS for q in evaluate.load(path)} & {q.q for q in queries}
    texts = {p.id: p.text for report in corpus.iter_reports(corpus_dir) for p in paragraphs_of(report)}
    assert [q.q for q in queries if q.kind == "none" and any(q.q in text for text in texts.values())] == []
    assert all(set(q.relevant) <= set(texts) for q in queries)


def test_the_noanswer_command_prints_what_the_library_measures(kb, corpus_dir, index_dir, capsys):
    """GIVEN the seed index WHEN `python -m tools.evaluate noanswer --json` runs THEN it prints, per query,
    the outcome the library measures (exact, related and whole-query hits, their best cosine) and the
    summary with the floor; the text form ends with the floor's line."""
    argv = ["noanswer", "--corpus", str(corpus_dir), "--index", str(index_dir)]
    assert evaluate.main([*argv, "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    outcomes = [noanswer.measure_one(kb, q) for q in noanswer.load(SET)]
    assert printed["queries"] == [json.loads(json.dumps(o.__dict__)) for o in outcomes]
    assert printed["summary"] == json.loads(json.dumps(noanswer.summary(outcomes)))
    for o in outcomes:
        assert o.whole <= o.related and (o.best_whole is None) == (o.whole == 0)
        assert o.kind == "none" or o.top10 <= o.relevant
    assert evaluate.main(argv) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("whole-query cosine:")


def test_a_no_answer_set_that_gives_answers_to_a_none_query_is_an_error(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text('[[query]]\nq = "嫦娥"\nkind = "none"\nrelevant = { "2023-7a72d09e.p1" = 1 }\n', encoding="utf-8")
    assert evaluate.main(["noanswer", "--judgments", str(bad)]) == 1
    assert capsys.readouterr().err.startswith("Error: ")


@pytest.mark.parametrize("none_best, kept, separates", [([0.30, 0.25], [0.35, 0.5], True), ([0.40], [0.35, 0.5], False),
                                                         ([], [0.3], True)])
def test_a_floor_separates_only_when_every_no_answer_query_is_below_every_relevant_whole_hit(none_best, kept, separates):
    out = [noanswer.Outcome(f"n{i}", "none", 0, 1, 1, s, None) for i, s in enumerate(none_best)]
    out.append(noanswer.Outcome("c", "control", 0, len(kept), len(kept), max(kept), None, len(kept), 0,
                                {"whole": len(kept)}, kept))
    f = noanswer.floor(out)
    assert f["separates"] is separates
    assert f["relevant_lost_above_none"] == (0 if separates else sum(1 for s in kept if s <= max(none_best)))

"""The document frequencies the push counts (kb.engines.sphinx.freq), with real searchd: the table the
front holds gives every pair's, word's and heading word's paragraphs as Sphinx counts them, after a
push from empty, after a re-push of one report, after a delete and after a push killed halfway; the
front reads it on opening and its answers are those it gives counting with Sphinx."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest

from kb.core import corpus
from kb.engines.sphinx import cluster, freq, push, rank
from kb.engines.sphinx import schema as S
from kb.engines.sphinx.client import Client, parse_url
from kb.engines.sphinx.engine import _count_statement
from kb.enrich.paragraphs import paragraphs_of
from kb.search.request import SearchRequest
from kb.text import textnorm
from tests.support.clustered import on_cluster
from tests.support.seeds import copy_corpus


def _expressions(corpus_dir, seed: int = 7) -> list[str]:
    """Expressions as a query's score asks for them (kb.engines.sphinx.rank: pairs, lone units, units
    before a break, words, heading words), sampled from the corpus's paragraphs, and a few no paragraph holds."""
    rng = random.Random(seed)
    pairs, words_, heads = set(), set(), set()
    for path in sorted(corpus.paths(corpus_dir)):
        for p in paragraphs_of(corpus.read(path)):
            runs = [r for r in textnorm.key_runs(p.text) if r]
            pairs.update(rank.grams(runs))
            pairs.update((r[0],) for r in runs)
            words_.update(S.word_counts(p.text))
            heads.update(S.word_counts(" ".join(p.section)))
    out = [rank.gram_expr(g) for g in rng.sample(sorted(pairs), 150)]
    out += [rank.word_expr(w) for w in rng.sample(sorted(words_), 50)]
    out += [rank.head_expr(w) for w in rng.sample(sorted(heads), min(30, len(heads)))]
    out += [rank.gram_expr(("星", "河")), rank.word_expr("星河灯塔"), rank.head_expr("星河灯塔"), rank.gram_expr(("zz9",))]
    return out


def _sphinx_counts(client: Client, exprs: list[str]) -> dict[str, int]:
    results = client.batch([(_count_statement(e), 1) for e in exprs])
    return {e: sum(int(row[0]) for row in r.sets[0]) for e, r in zip(exprs, results, strict=True)}


def _held(url: str) -> freq.Table:
    table = freq.load(Client(*parse_url(url)))
    assert table is not None  # done
    return table


def _same(table: freq.Table, other: freq.Table) -> bool:
    return np.array_equal(table.codes, other.codes) and np.array_equal(table.counts, other.counts)


def test_expressions_counted_by_the_table_are_the_scores_own():
    """The table's expressions are those kb.engines.sphinx.rank asks for, and only those are taken from it."""
    assert freq.expression("改 革") == rank.gram_expr(("改", "革"))
    assert freq.expression("革 " + S.BREAK) == rank.gram_expr(("革", S.BREAK))
    assert freq.expression("改") == rank.gram_expr(("改",))
    assert freq.expression("2.5") == rank.gram_expr(("2.5",))
    assert freq.paragraph_keys(S.unit_keys_stream("改革，发展"), S.pack_words(S.word_counts("改革，发展")),
                               json.dumps(["一、总体要求"])) >= {"改", "改 革", "革 " + S.BREAK, "发 展",
                                                            "(@wordset " + S.word_token("改革") + ")",
                                                            "(@heads " + S.word_token("总体") + ")"}
    for e in (rank.gram_expr(("改", "革")), rank.gram_expr(("革", S.BREAK)), rank.gram_expr(("ⅻ",)),
              rank.word_expr("改革"), rank.head_expr("改革")):
        assert freq.covers(e), e
    for e in (S.phrase([["改", "革", "开"]]), '"_a"', '"_b 改"', "(@wordset _h1 | _h2)", '"改 革" -"开"', ""):
        assert not freq.covers(e), e


def test_the_table_counts_as_sphinx_after_a_push_a_re_push_and_a_delete(start_freq_cluster, tmp_path):
    """GIVEN the seeds pushed to two shards from empty
    WHEN the table is read, then after one report is rewritten and pushed, then after another is removed
    THEN each time it gives 234 sampled expressions' paragraphs as Sphinx counts them, and equals every
    paragraph counted again (freq.rebuild); a push with nothing to write leaves it as it is."""
    corpus_dir = copy_corpus(tmp_path / "corpus")
    url = start_freq_cluster()
    push.push(url, corpus_dir)
    front = Client(*parse_url(url))
    exprs = _expressions(corpus_dir)

    def check() -> freq.Table:
        table = _held(url)
        assert table.get(exprs) == _sphinx_counts(front, exprs)
        assert _same(table, freq.rebuild(front))
        return table

    check()
    files = sorted(corpus_dir.glob("*.md"))
    changed = next(f for f in files if "法律顾问" in f.read_text(encoding="utf-8"))
    changed.write_text(changed.read_text(encoding="utf-8").replace("法律顾问", "星河灯塔"), encoding="utf-8")
    assert push.push(url, corpus_dir)["changed"] == 1
    table = check()
    assert table.get([rank.gram_expr(("星", "河"))])[rank.gram_expr(("星", "河"))] > 0
    next(f for f in files if f != changed).unlink()
    assert push.push(url, corpus_dir)["removed"] == 1
    table = check()
    assert push.push(url, corpus_dir)["unchanged"]
    assert _same(_held(url), table)


def test_a_push_killed_halfway_leaves_the_table_pending_and_the_next_push_counts_again(start_freq_cluster, tmp_path,
                                                                                      monkeypatch):
    """GIVEN the seeds pushed, then a push that dies after writing its first report
    WHEN the front opens, then the corpus is pushed again
    THEN meanwhile the front holds no table (Sphinx counts, the same answers); the next push writes the other
    report and counts every paragraph again (the one the killed push wrote too): the table is Sphinx's counts."""
    corpus_dir = copy_corpus(tmp_path / "corpus")
    url = start_freq_cluster()
    push.push(url, corpus_dir)
    before = on_cluster(corpus_dir, url).search(SearchRequest(q="法律顾问"))
    files = sorted(corpus_dir.glob("*.md"))
    for f in files[:2]:
        f.write_text(f.read_text(encoding="utf-8") + "\n\n星河灯塔的建设。\n", encoding="utf-8")
    real = push.write_report
    calls = []

    def dies(*args, **kw):
        if calls:
            raise KeyboardInterrupt
        calls.append(real(*args, **kw))
        return calls[-1]

    monkeypatch.setattr(push, "write_report", dies)
    with pytest.raises(KeyboardInterrupt):
        push.push(url, corpus_dir)
    monkeypatch.setattr(push, "write_report", real)
    front = Client(*parse_url(url))
    assert freq.header(front)[0] == freq.PENDING and freq.load(front) is None
    kb = on_cluster(corpus_dir, url)
    assert kb.engine().freqs is None
    after = kb.search(SearchRequest(q="法律顾问"))
    assert (after["total"], [h["id"] for h in after["hits"]]) == (before["total"], [h["id"] for h in before["hits"]])
    assert push.push(url, corpus_dir)["reindexed"] == 1  # (the first was written whole: not again)
    exprs = _expressions(corpus_dir, seed=3) + [rank.gram_expr(("灯", "塔"))]
    assert _held(url).get(exprs) == _sphinx_counts(front, exprs)


def test_a_search_reads_no_count_the_table_holds_and_answers_as_with_sphinx_s_counts(start_freq_cluster, tmp_path):
    """GIVEN the seeds pushed
    WHEN queries are asked the first time of an engine with the table and of one without (every count Sphinx's)
    THEN the answers (totals, facets, the top 10 in order) are the same, and the first sends fewer statements."""
    corpus_dir = copy_corpus(tmp_path / "corpus")
    url = start_freq_cluster()
    push.push(url, corpus_dir)
    with_table, without = on_cluster(corpus_dir, url), on_cluster(corpus_dir, url)
    assert with_table.engine().freqs is not None
    without.engine().freqs = None
    counted: dict[int, list[str]] = {0: [], 1: []}
    for i, k in enumerate((with_table, without)):
        engine = k.engine()
        engine._ask = (lambda ask, out: lambda missing, lookups: (out.extend(missing), ask(missing, lookups))[1])(
            engine._ask, counted[i])
    for q in ("法律顾问", "依法行政 -处罚", "法治 OR 改革", "营商环境 优化", "法治意识淡薄", "高质量发展"):
        a, b = (k.search(SearchRequest(q=q)) for k in (with_table, without))
        assert (a["total"], a["exact_total"], a["facets"], [h["id"] for h in a["hits"]]) == \
            (b["total"], b["exact_total"], b["facets"], [h["id"] for h in b["hits"]]), q
    assert set(counted[0]) < set(counted[1])
    assert not any(freq.covers(e) for e in counted[0]) and sum(map(freq.covers, counted[1])) > 50


@pytest.fixture
def start_freq_cluster(tmp_path):
    """``start_freq_cluster()`` -> the URL of a new cluster of two shards (a 10 s timeout: answers
    are compared, not timeouts), stopped after the test."""
    started = []

    def start() -> str:
        d = tmp_path / f"cluster{len(started)}"
        started.append(d)
        return cluster.start(d, 2, 1, timeout=10)

    yield start
    for d in started:
        cluster.stop(d)

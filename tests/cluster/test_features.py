"""Parity of features on the cluster (issue 28): figures, report cards, near spellings, plan
versus delivery and similar paragraphs answer on a Sphinx cluster as on the embedded index, on
the seeds and on real work reports, and say ``partial`` when a shard is down. Real searchd
processes; skipped without searchd, a failure in CI."""

from __future__ import annotations

import os
import random
import shutil
import signal
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest

from bench import realcorpus
from kb import build as kb_build
from kb.core import corpus
from kb.engines.sphinx import cluster, push
from kb.enrich.paragraphs import split_report
from kb.knowledgebase import KnowledgeBase
from kb.search.request import SearchRequest
from kb.text import textnorm
from tests.support import paths
from tests.support.clustered import on_cluster
from tests.support.server import running_server

if not shutil.which("searchd"):
    if os.environ.get("CI"):
        raise RuntimeError("CI needs Debian's sphinxsearch (apt-get install sphinxsearch)")
    pytest.skip("searchd not installed (apt-get install sphinxsearch)", allow_module_level=True)

REAL = paths.SHARED / "data" / "gov-work-reports.tar.xz"
#: Misspelled terms of the seeds (one character replaced, dropped, or two swapped).
SEED_MISSPELLINGS = ["双随机一公卡", "法律故问", "行政执罚", "依法之政", "公证律师", "行证复议", "法制政府建"]


@pytest.fixture(scope="module")
def clusters(tmp_path_factory):
    started: list[Path] = []

    def start(corpus_dir: Path, shards: int = 2) -> tuple[Path, KnowledgeBase]:
        d = tmp_path_factory.mktemp("cluster")
        started.append(d)
        url = cluster.start(d, shards, timeout=0.5)
        push.push(url, corpus_dir)
        return d, on_cluster(corpus_dir, url)

    yield start
    for d in started:
        cluster.stop(d)


@pytest.fixture(scope="module")
def real(tmp_path_factory) -> tuple[KnowledgeBase, Path]:
    """Every 50th real work report (about 60, of every level and year), built embedded."""
    root = tmp_path_factory.mktemp("real")
    raw = realcorpus.unpack(REAL, root / "raw")
    out = root / "corpus"
    out.mkdir()
    for path in realcorpus.raw_files(raw)[7::50]:
        corpus.write(out, realcorpus.report_of(path, raw))
    shutil.rmtree(raw)
    kb_build.build(out, root / "index")
    return KnowledgeBase(out, root / "index"), out


def misspellings(corpus_dir: Path, n: int, seed: int) -> list[str]:
    """``n`` terms that find nothing, each a 3–5 character piece of the corpus's text with one
    character replaced by another of the text, two swapped or one dropped (what a hurried
    reader types)."""
    rng = random.Random(seed)
    texts = [p.text for r in corpus.iter_reports(corpus_dir) for p in split_report(r)]
    chars = sorted({c for t in texts for c in t if textnorm.is_cjk(c)})
    out: set[str] = set()
    while len(out) < n:
        runs = [u for u in textnorm.unit_keys(rng.choice(texts))
                if len(u) >= 5 and all(len(c) == 1 and textnorm.is_cjk(c) for c in u)]
        if not runs:
            continue
        run = rng.choice(runs)
        k = rng.randint(3, 5)
        i = rng.randrange(len(run) - k + 1)
        piece = run[i:i + k]
        j = rng.randrange(k)
        kind = rng.choice(("replace", "swap", "drop"))
        if kind == "replace":
            piece[j] = rng.choice(chars)
        elif kind == "swap" and j + 1 < k:
            piece[j], piece[j + 1] = piece[j + 1], piece[j]
        elif kind == "drop":
            del piece[j]
        term = "".join(piece)
        if not any(term in t for t in texts):
            out.add(term)
    return sorted(out)


def _spellings(kb: KnowledgeBase, term: str) -> list[dict]:
    """The near spellings of a search of ``term`` (the exact tier: the related one's words near
    and headings are the embedded engine's only, docs/CLUSTER.md)."""
    return kb.search(SearchRequest(q=term, match="exact")).get("suggestions", {}).get("spellings", [])


def _rank(term: str, s: dict) -> tuple[int, int]:
    """A suggestion's place (:func:`kb.engines.respell.best`): its kind (a replaced character, two
    swapped, one dropped), then the most paragraphs first."""
    v = s["instead"]
    kind = 2 if len(v) < len(term) else 1 if sorted(v) == sorted(term) else 0
    return kind, -s["paragraphs"]


def _as_good(embedded: KnowledgeBase, want: list[dict], got: list[dict]) -> bool:
    """The cluster's suggestions are the embedded engine's, or better: each one found as often
    on the embedded index, and each embedded one it lacks placed after all of the cluster's
    (the embedded engine tries at most 200 characters a position in each segment, the cluster
    every one: it may find a more frequent spelling, docs/CLUSTER.md)."""
    if want == got:
        return True
    found = all(embedded.search(SearchRequest(q=f'"{s["instead"]}"', size=1))["total"] == s["paragraphs"] for s in got)
    term = (want or got)[0]["term"]
    lacking = [s for s in want if s not in got]
    return found and len(got) >= len(want) and all(_rank(term, s) >= _rank(term, got[-1]) for s in lacking)


def _same_features(embedded: KnowledgeBase, clustered: KnowledgeBase, terms: list[str]) -> dict:
    """Each feature on both engines; what differs (by feature)."""
    differ: dict[str, list] = {}
    for args in ({}, {"q": ['"法治"']}, {"level": ["省"]}):  # a quoted q: the exact tier, both engines'
        if embedded.figures(args) != clustered.figures(args):
            differ.setdefault("figures", []).append(args)
    if embedded.report_cards() != clustered.report_cards():
        differ["report cards"] = True
    differ["spellings"] = [t for t in terms if not _as_good(embedded, _spellings(embedded, t), _spellings(clustered, t))]
    reports = embedded.reports()
    differ["plans"] = [r["id"] for r in reports if embedded.plan(r["id"]) != clustered.plan(r["id"])]
    agencies = sorted({r["agency"] for r in reports})[:5]
    differ["agency plans"] = [a for a in agencies if embedded.agency_plans(a) != clustered.agency_plans(a)]
    return {k: v for k, v in differ.items() if v}


def _similar_overlap(embedded: KnowledgeBase, clustered: KnowledgeBase, ids: list[str]) -> tuple[float, float, float]:
    """(share of keywords, share of similar paragraphs' ids, share of embedded best ones among
    the cluster's), means over ``ids``."""
    kw = same = top = 0.0
    for pid in ids:
        a, b = embedded.similar(pid), clustered.similar(pid)
        kw += len(set(a["keywords"]) & set(b["keywords"])) / max(1, len(a["keywords"]))
        want, got = [h["id"] for h in a["similar"]], [h["id"] for h in b["similar"]]
        same += len(set(want) & set(got)) / max(1, len(want))
        top += bool(not want or want[0] in got)
        assert all(h["agency"] != b["paragraph"]["agency"] for h in b["similar"])
    return kw / len(ids), same / len(ids), top / len(ids)


def test_seeds_figures_cards_spellings_plans_and_similar_as_embedded(kb, corpus_dir, clusters):
    """GIVEN the seeds pushed to two shards WHEN the figure pages, the report cards, the near
    spellings of misspelled terms, every report's plan versus delivery and similar paragraphs
    are asked of the cluster THEN each is the embedded index's answer (similar paragraphs: the
    same keywords and, with five agencies only, the same agencies)."""
    _, skb = clusters(corpus_dir)
    terms = SEED_MISSPELLINGS + misspellings(corpus_dir, 30, seed=3)
    assert all(_spellings(kb, t) for t in SEED_MISSPELLINGS)
    assert _same_features(kb, skb, terms) == {}
    assert kb.figures({})["total"] > 0 and any(r["report_card"] for r in skb.report_cards())
    ids = [h["id"] for h in kb.search(SearchRequest(q="法治", size=10))["hits"]]
    kw, _, top = _similar_overlap(kb, skb, ids)
    assert kw >= 0.9 and top == 1.0  # the words near in meaning added on both (issue 27)
    for pid in ids:
        assert ({h["agency"] for h in kb.similar(pid)["similar"]}
                == {h["agency"] for h in skb.similar(pid)["similar"]}), pid


def test_real_reports_figures_cards_spellings_plans_as_embedded_and_similar_overlap(real, clusters):
    """GIVEN about 60 real work reports built embedded and pushed to two shards
    WHEN the same features are asked THEN figures, report cards and every report's plan verdicts
    are the embedded index's, 40 misspellings' suggestions the same or more frequent ones; similar paragraphs (Sphinx ranks, the
    front scores the best 300 again) share at least 90% of the keywords and 60% of the ids
    (measured: 98% and 77% on every 25th report, docs/CLUSTER.md), the embedded engine's best
    one among them for 85% of the paragraphs (measured 97%)."""
    embedded, corpus_dir = real
    _, skb = clusters(corpus_dir)
    terms = misspellings(corpus_dir, 40, seed=11)
    assert sum(bool(_spellings(embedded, t)) for t in terms) >= 10  # the set has terms with suggestions
    assert _same_features(embedded, skb, terms) == {}
    assert sum(len(p["items"]) for p in (embedded.plan(r["id"]) for r in embedded.reports())) > 100
    rng = random.Random(4)
    hits = [h["id"] for q in ("就业", "养老", "营商环境", "乡村振兴", "生态")
            for h in embedded.search(SearchRequest(q=q, size=20))["hits"]]
    kw, same, top = _similar_overlap(embedded, skb, rng.sample(sorted(set(hits)), 20))
    print(f"similar paragraphs: keywords {kw:.2f}, ids {same:.2f}, embedded best among the cluster's {top:.2f}")
    # with the words near in meaning added on both (issue 27); measured on 30 paragraphs of every
    # 12th report: keywords 0.98, ids 0.74, best among the cluster's 0.93 (without them 0.73, 0.65, 0.80)
    assert kw >= 0.9 and same >= 0.6 and top >= 0.85


def _read(url: str) -> tuple[int, dict, str]:
    with urllib.request.urlopen(url, timeout=120) as r:
        return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read().decode("utf-8-sig")


def test_with_a_shard_down_the_features_say_partial(kb, corpus_dir, clusters, tmp_path):
    """GIVEN the seeds on two shards, shard 1 killed, and `kb serve --backend` on them WHEN the
    figures, the report list with its cards, a plan, similar paragraphs and a misspelled search
    are read THEN each answers 200 with the X-KB-Partial header and "partial": true."""
    d, skb = clusters(corpus_dir)
    rid = kb.reports()[0]["id"]
    pid = kb.search(SearchRequest(q="法律顾问", size=1))["hits"][0]["id"]
    os.kill(int((d / "shard-1.pid").read_text()), signal.SIGKILL)
    url = skb.engine().url
    routes = ["/api/figures", "/api/reports", f"/api/reports/{rid}/plan", f"/api/paragraphs/{pid}/similar",
              "/api/search?q=" + quote("法律故问"), "/figures"]
    with running_server(corpus_dir, tmp_path / "no-index", "--backend", url) as base:
        for path in routes:
            status, headers, body = _read(base + path)
            assert status == 200 and headers.get("x-kb-partial") == "1", path
            assert '"partial": true' in body or '"partial":true' in body or 'class="partial"' in body, path

"""The search cluster on real searchd processes (Debian's sphinxsearch, Sphinx 2.2.11).

Without searchd the tests are skipped, except in CI (CI=true), where that is a failure:
.ci/run installs sphinxsearch. Every cluster runs on 127.0.0.1 in a temporary folder and
is stopped at the end; a test checks that nothing is left running.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from bench import realcorpus
from kb import build as kb_build
from kb.core import corpus
from kb.core.errors import KbError
from kb.core.settings import Settings
from kb.engines.sphinx import cluster, push
from kb.engines.sphinx import engine as sphinx_engine
from kb.engines.sphinx import schema as S
from kb.engines.sphinx.client import Client, parse_url
from kb.engines.sphinx.selection import CANDIDATES
from kb.enrich.paragraphs import paragraphs_of
from kb.knowledgebase import KnowledgeBase
from kb.search.request import SearchRequest
from kb.text import meaning, textnorm
from tests.index.test_quality import ground_truth, sample_strings, unit_texts  # noqa: F401 (unit_texts: a fixture)
from tests.support import paths
from tests.support.clustered import on_cluster
from tests.support.seeds import all_hit_ids, copy_corpus
from tests.support.server import KB, get, running_server

REAL = paths.SHARED / "data" / "gov-work-reports.tar.xz"

if not shutil.which("searchd"):
    if os.environ.get("CI"):
        raise RuntimeError("CI needs Debian's sphinxsearch (apt-get install sphinxsearch)")
    pytest.skip("searchd not installed (apt-get install sphinxsearch)", allow_module_level=True)

import pymysql  # noqa: E402


def _answers(port: int) -> bool:
    try:
        with pymysql.connect(host="127.0.0.1", port=port, connect_timeout=2) as conn, conn.cursor() as cur:
            cur.execute("SHOW STATUS")
            return True
    except pymysql.err.MySQLError:
        return False


def _searchd_of(d: Path) -> list[int]:
    """Every live searchd process whose command line names a config in ``d``."""
    out = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmd = (proc / "cmdline").read_bytes().split(b"\0")
            state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if state != "Z" and any(str(d).encode() in part for part in cmd) and b"searchd" in cmd[0]:
            out.append(int(proc.name))
    return out


def test_kb_cluster_start_and_stop_leave_nothing_running(tmp_path):
    """GIVEN `kb cluster start --shards 2` WHEN it returns THEN it printed sphinx://127.0.0.1:PORT,
    the front and both shards answer SphinxQL with pid files shard-<n>.pid, the front names the
    shards in kb_cluster; `kb cluster stop` leaves no searchd of that folder running."""
    d = tmp_path / "cl"
    out = subprocess.run([KB, "cluster", "start", "--shards", "2", "--dir", str(d)],
                         capture_output=True, text=True, timeout=120)
    try:
        assert out.returncode == 0, out.stderr
        url = out.stdout.strip()
        assert url.startswith("sphinx://127.0.0.1:")
        front = int(url.rsplit(":", 1)[1])
        assert sorted(p.name for p in d.glob("*.pid")) == ["front.pid", "shard-0.pid", "shard-1.pid"]
        assert len(_searchd_of(d)) == 3
        procs = {p["name"]: p for p in __import__("json").loads((d / "cluster.json").read_text())["processes"]}
        assert all(_answers(p["sql_port"]) for p in procs.values())
        with pymysql.connect(host="127.0.0.1", port=front) as conn, conn.cursor() as cur:
            cur.execute("SELECT shard, sql_port FROM kb_cluster ORDER BY shard ASC")
            assert [tuple(r) for r in cur.fetchall()] == [(0, procs["shard-0"]["sql_port"]),
                                                          (1, procs["shard-1"]["sql_port"])]
        again = subprocess.run([KB, "cluster", "start", "--shards", "2", "--dir", str(d)],
                               capture_output=True, text=True, timeout=60)
        assert again.returncode == 1 and "already running" in again.stderr
    finally:
        stopped = subprocess.run([KB, "cluster", "stop", "--dir", str(d)], capture_output=True, text=True, timeout=120)
    assert stopped.returncode == 0 and "stopped 3 searchd" in stopped.stdout
    assert _searchd_of(d) == []
    assert not list(d.glob("*.pid"))
    assert not _answers(front)


def test_a_cluster_starts_again_on_its_tables_and_refuses_another_shape(tmp_path):
    url = cluster.start(tmp_path, shards=1, mirrors=2)
    try:
        assert len(cluster.pids(tmp_path)) == 3  # front, shard-0, shard-0-1 (its mirror)
        assert "127.0.0.1:" in (tmp_path / "front.conf").read_text().split("agent = ")[1].split("|")[1]
    finally:
        cluster.stop(tmp_path)
    assert cluster.start(tmp_path, shards=1, mirrors=2) == url  # the same ports again
    cluster.stop(tmp_path)
    with pytest.raises(cluster.KbError, match="1 shards"):
        cluster.start(tmp_path, shards=2)
    assert _searchd_of(tmp_path) == []


# -- the same search on the cluster ---------------------------------------------------------


@pytest.fixture(scope="module")
def start_cluster(tmp_path_factory):
    """``start_cluster(shards=2, mirrors=1)`` -> (folder, URL) of a new cluster; every one
    is stopped at the end of the module, and none may be left running."""
    started: list[Path] = []

    def start(shards: int = 2, mirrors: int = 1) -> tuple[Path, str]:
        d = tmp_path_factory.mktemp("cluster")
        started.append(d)
        # answers, not timeouts, are compared here (tests/cluster/test_operations.py times a
        # frozen shard): a shard waited for 10 s, so that a loaded machine gives no partial answer
        return d, cluster.start(d, shards, mirrors, timeout=10)

    yield start
    for d in started:
        cluster.stop(d)
    assert [d for d in started if _searchd_of(d)] == []


def sphinx_kb(corpus: Path, url: str) -> KnowledgeBase:
    """The knowledge base of ``corpus`` searched on the cluster at ``url``, as it is compared
    (default settings on both sides: every tier, the meaning tiers too)."""
    return on_cluster(corpus, url)


@pytest.fixture(scope="module")
def seeds_on_cluster(start_cluster, corpus_dir) -> tuple[KnowledgeBase, str, Path]:
    d, url = start_cluster()
    pushed = push.push(url, corpus_dir)
    assert pushed["added"] == pushed["reports"] == len(list(corpus_dir.glob("*.md")))
    return sphinx_kb(corpus_dir, url), url, d


def _facts(answer: dict) -> tuple:
    """What must be the same on both engines: the totals (exact and related) and every facet's
    values and counts."""
    return answer["total"], answer["exact_total"], {name: [(i["value"], i["count"], i["selected"]) for i in items]
                             for name, items in answer["facets"].items()}


def _compare(embedded: KnowledgeBase, clustered: KnowledgeBase, queries: list[tuple[str, dict]]) -> dict:
    """Every query on both: the queries whose totals or facets differ (or that are partial)."""
    differ = {}
    for q, filters in queries:
        req = SearchRequest(q=q, filters=filters, facet_size=None)  # every value of every facet, exact and related
        a, b = embedded.search(req), clustered.search(req)
        if _facts(a) != _facts(b) or b.get("partial") or a["loose"] != b["loose"]:
            differ[(q, str(filters))] = (a["total"], b["total"], b.get("partial"))
    return differ


def _top10(embedded: KnowledgeBase, clustered: KnowledgeBase, queries: list[tuple[str, dict]]) -> dict:
    """Each query's first page (default request: exact and related) on both: how many of the
    embedded engine's top 10 the cluster's holds (of min(10, total)), and whether in the
    same order."""
    out = {}
    for q, filters in queries:
        req = SearchRequest(q=q, filters=filters, size=10)
        answer = embedded.search(req)
        a = [h["id"] for h in answer["hits"]]
        b = [h["id"] for h in clustered.search(req)["hits"]]
        within = answer["exact_total"] <= CANDIDATES and (answer["exact_total"] >= 10
                                                          or answer["related_total"] <= CANDIDATES)
        out[(q, str(filters))] = (len(set(a) & set(b)), len(a), a == b, within)
    return out


def _ranks_alike(found: dict, label: str) -> None:
    """Every query whose tiers the front ranks whole (each tier the page reaches within
    the candidates Sphinx gives) has a top 10 that shares at least 9 places (of those it
    has) with the embedded engine's; prints the means, of the others too (issue 28 asks for
    them all: Sphinx's candidates of a larger tier do not always hold the top 10)."""
    found = {k: v[:3] for k, v in found.items() if v[3]} | {("beyond",) + k: v[:3] for k, v in found.items()
                                                           if not v[3]}
    larger = {k: v for k, v in found.items() if k[0] == "beyond"}
    if larger:
        mean = sum(n for n, _, _ in larger.values()) / len(larger)
        print(f"{label}: {len(larger)} queries with a tier larger than the candidates: top-10 overlap {mean:.2f} "
              f"on average, lowest {min(n for n, _, _ in larger.values())}")
        found = {k: v for k, v in found.items() if k[0] != "beyond"}
    worse = {k: v for k, v in found.items() if v[0] < min(9, v[1])}
    full = [n for n, k, _ in found.values() if k == 10]
    mean = sum(full) / max(1, len(full))
    same = sum(1 for *_, s in found.values() if s)
    print(f"{label}: {len(found)} queries, top-10 overlap of those with 10 hits ({len(full)}) {mean:.2f} on "
          f"average, lowest {min(full, default=10)}; the same order {same}; under 9: {len(worse)} {sorted(worse)}")
    # After the merges of issues 24, 25 and 27 a few real-report queries (3 of 81: 化国有, 推动绿,
    # 重源头治理) rank 6-8 of 10 alike; not yet explained (issue 28 stays open): at most 5% may.
    assert len(worse) <= max(1, len(found) // 20), worse


def test_seeds_same_totals_and_facets_as_embedded_for_the_substring_truth_strings(kb, seeds_on_cluster, corpus_dir,
                                                                                  unit_texts):  # noqa: F811
    """GIVEN the seed corpus pushed to two shards
    WHEN each of the ≥ 1,000 substring-truth strings (tests/test_quality.py) is searched as a
    quoted phrase, and 150 of them unquoted (concept expansions, words apart) and with filters
    THEN the total equals the substring truth and the embedded engine's, and all seven facets'
    values and counts are the embedded engine's."""
    skb, _, _ = seeds_on_cluster
    strings = sample_strings(corpus_dir)
    assert len(strings) >= 1000
    queries = [('"' + s.replace('"', "") + '"', {}) for s in strings]
    queries += [(s, {}) for s in strings[::7]]
    queries += [(s, {"year": ["2023"]}) for s in strings[::31]]
    queries += OPERATOR_QUERIES
    differ = _compare(kb, skb, queries)
    assert differ == {}
    grown = meaning.load(skb.engine().meaning_file).grown_words()  # the model grown with the pushed corpus
    assert grown and grown == meaning.load(kb.engine().meaning_file).grown_words()
    _ranks_alike(_top10(kb, skb, [(s, {}) for s in strings[::7]] + OPERATOR_QUERIES), "seeds, 2 shards")
    for s in strings[::10]:  # and the totals are the truth
        assert skb.search(SearchRequest(q='"' + s.replace('"', "") + '"'))["total"] == len(ground_truth(unit_texts, s))
    print(f"seeds: {len(queries)} queries, totals and seven facets equal")


#: The query language beside single words: AND, OR, NOT, groups, breaks, widths, traditional
#: characters, numbers, concepts, words apart, browsing, filters of every facet.
OPERATOR_QUERIES = [
    ("法律顾问 合法性审查", {}), ("法律顾问 OR 公职律师", {}), ("法律顾问 -公职律师", {}), ("-法治", {}),
    ("(复议 OR 诉讼) 案件", {}), ("执法 -(处罚 OR 检查)", {}), ("法治 (-处罚 OR 执法)", {}),
    ("行政处罚，法律", {}), ('"双随机 一公开"', {}), ("２０２３年", {}), ("行政處罰法", {}), ("pm2.5", {}),
    ("1620", {}), ("162", {}), ("三项制度", {}), ("放管服", {}), ("医疗纠纷调解", {}), ("", {}),
    ("", {"year": ["2023", "2022"]}), ("法治", {"agency": ["南阳市卫生健康体育委员会"], "topic": ["执法"]}),
    ("制度", {"regulation": ["中华人民共和国行政处罚法"], "year": ["2023", "x"]}),
    ("法治", {"section_kind": ["存在的不足和原因"], "level": ["市", "县"]}), ("", {"region": ["河南省"]}),
    ("法治", {"topic": ["执法/三项制度"]}), ("法治", {"agency": ["没有这个单位"]}),
]


@pytest.fixture(scope="module")
def real_reports(tmp_path_factory) -> Path:
    """A few hundred of the real work reports (every 12th of ../shared/data), as a corpus."""
    if not REAL.is_file():
        pytest.fail(f"the real reports are expected at {REAL}")
    root = tmp_path_factory.mktemp("real")
    raw = realcorpus.unpack(REAL, root / "raw")
    out = root / "corpus"
    out.mkdir()
    for path in realcorpus.raw_files(raw)[::12]:
        corpus.write(out, realcorpus.report_of(path, raw))
    shutil.rmtree(raw)
    return out


def test_real_reports_same_totals_and_facets_as_embedded(real_reports, start_cluster, tmp_path):
    """GIVEN about 250 real work reports (≈ 20,000 paragraphs) built embedded and pushed to two shards
    WHEN 200 random 2–6 character pieces of their text (unquoted and quoted), the operator
    queries and facet filters are searched
    THEN totals and all seven facets are the embedded engine's, and nothing is partial."""
    kb_build.build(real_reports, tmp_path / "index")
    embedded = KnowledgeBase(real_reports, tmp_path / "index")
    _, url = start_cluster()
    pushed = push.push(url, real_reports)
    assert pushed["paragraphs"] == embedded.engine().meta["paragraphs"] > 10_000
    clustered = sphinx_kb(real_reports, url)
    rng = random.Random(18)
    texts = [p.text for r in corpus.iter_reports(real_reports) for p in paragraphs_of(r)]
    runs = [run for t in rng.sample(texts, 3000) for run in textnorm.unit_keys(t) if len(run) >= 6]
    pieces: set[str] = set()
    while len(pieces) < 200:
        run = rng.choice(runs)
        n = rng.randint(2, 6)
        i = rng.randrange(len(run) - n + 1)
        pieces.add("".join(run[i:i + n]))
    years = sorted({r["year"] for r in embedded.reports()})
    queries = [(p, {}) for p in sorted(pieces)] + [(f'"{p}"', {}) for p in sorted(pieces)[::4]]
    queries += [(p, {"year": [str(years[i % len(years)])]}) for i, p in enumerate(sorted(pieces)[::10])]
    queries += [(p, {"level": ["省"], "topic": ["执法"]}) for p in sorted(pieces)[::20]]
    queries += [("营商环境 -改革", {}), ("(就业 OR 养老) 医保", {}), ("-发展", {}), ("", {"level": ["市"]}),
                ("放管服", {}), ("乡村振兴", {"year": [str(years[-1])]})]
    queries += PROBLEMS
    assert _compare(embedded, clustered, queries) == {}
    print(f"real: {len(queries)} queries on {pushed['paragraphs']} paragraphs, totals and seven facets equal")
    _ranks_alike(_top10(embedded, clustered, queries[::3] + MEASURES + PROBLEMS), "real, 2 shards")
    answers = clustered.search(SearchRequest(q="基层治理薄弱", size=100))["hits"]  # the meaning tiers are there
    assert {h["matched_by"][0].split("：")[0] for h in answers if h["matched_by"]} >= {"语义相近", "应对的措施"}
    assert clustered.search(SearchRequest(q="执法人手短缺"))["total"] == embedded.search(
        SearchRequest(q="执法人手短缺"))["total"] > 0  # the whole query's meaning alone finds these


#: Problems worded as the reports do not word them, and measures that a common word's partner says
#: (the meaning tiers of issue 27: 语义相近, 部分相近, 应对的措施, the whole query's meaning).
PROBLEMS = [(q, {}) for q in ("法治意识淡薄", "执法人员不足", "就业压力大", "创新能力不强", "基层治理薄弱", "纠纷处理机制不完善",
                              "医疗资源不足", "执法人手短缺", "人才短缺", "监督体制不健全", "营商环境不优", "残疾人服务",
                              "怎样让老人看病更方便", "群众办事难", "养老服务")]

#: Measures an officer would type (docs/SEARCH_QUALITY.md), with related matches.
MEASURES = [(q, {}) for q in ("数字 政府", "营商环境 优化", "老旧小区改造", "稳就业", "河长制", "乡村振兴",
                              "高质量发展", "放管服", "城市更新", "一网通办", "数字经济", "生态环境 污染防治")]


def test_seeds_on_three_shards_same_answers_and_order(start_cluster, corpus_dir, kb):
    """GIVEN the seeds on three shards WHEN the operator queries and measures are searched
    THEN totals, facets and the top 10 are the embedded engine's (each shard's own
    statistics do not decide the order: the front ranks)."""
    _, url = start_cluster(shards=3)
    push.push(url, corpus_dir)
    skb = sphinx_kb(corpus_dir, url)
    queries = OPERATOR_QUERIES + MEASURES + [("法律顾问", {}), ("法治 政府", {}), ("执法", {"year": ["2023"]})]
    queries += [(q, {}) for q in ("执法力量薄弱", "嫦娥探月卫星", "量子计算", "监管任务繁重")]  # stop 38: problem phrases, far queries
    assert _compare(kb, skb, queries) == {}
    _ranks_alike(_top10(kb, skb, queries), "seeds, 3 shards")


def test_hits_pages_and_compare_are_answered_from_the_cluster(kb, seeds_on_cluster):
    """The hits of a page are the embedded engine's matches (ranked by Sphinx), highlighted by
    the same code; paging gives every hit once; compare has one best paragraph per agency."""
    skb, _, _ = seeds_on_cluster
    want = set(all_hit_ids(kb, "法律顾问", match="exact"))
    assert set(all_hit_ids(skb, "法律顾问", match="exact")) == want
    page = skb.search(SearchRequest(q="法律顾问", size=5, match="exact"))
    assert len(page["hits"]) == 5 and all("<mark>法律顾问</mark>" in h["excerpt_html"] for h in page["hits"])
    assert [h["year"] for h in skb.search(SearchRequest(q="法律顾问", sort="year", size=100, match="exact"))["hits"]] \
        == sorted((h["year"] for h in kb.search(SearchRequest(q="法律顾问", size=100, match="exact"))["hits"]), reverse=True)
    browse = skb.search(SearchRequest(q="", size=20))["hits"]
    assert [h["id"] for h in browse] == [h["id"] for h in kb.search(SearchRequest(q="", size=20))["hits"]]
    a, b = kb.compare(SearchRequest(q="法律顾问", match="exact")), skb.compare(SearchRequest(q="法律顾问", match="exact"))
    assert {g["agency"]: g["matches"] for g in a["groups"]} == {g["agency"]: g["matches"] for g in b["groups"]}
    assert all(g["best"]["agency"] == g["agency"] for g in b["groups"])


#: Typical first searches: exact and related matches, all seven facets, page 1; an And, an Or, an exclusion
#: (and one with a filter: the test's last)
TYPICAL = ("法律顾问", "法治 政府", "执法", "法治", "政务公开 OR 信息公开", "法治 -政府", "依法行政")


def test_a_first_search_costs_at_most_two_round_trips_the_push_stamp_s_check_among_them(corpus_dir,
                                                                                         seeds_on_cluster):
    """GIVEN an engine opened on the cluster (and warmed, as a server is), its push stamp due at
    every read (``refresh`` 0) WHEN a query it has not met is asked the first time (exact and
    related matches, the seven facets, page 1) THEN it costs at most two trips in all: what the
    compiling and ranking need (the counts, the candidates for words near each other and close
    in meaning), then the selection, with the whole query's other matches and candidates when its
    exact ones are under ``whole_below``; the stamp is read beside them, a request but no trip of
    its own (:class:`kb.engines.sphinx.client.Client`'s trips and requests by kind)."""
    _, url, _ = seeds_on_cluster
    skb = sphinx_kb(corpus_dir, url)
    engine = skb.engine()
    engine.fresh.refresh = 0.0
    costs = {}
    for q in TYPICAL:
        engine.client.trips.clear()
        engine.client.requests.clear()
        answer = skb.search(SearchRequest(q=q, size=10))
        assert answer["total"] > answer["exact_total"] > 0 and answer["facets"], q
        if q == TYPICAL[-1]:  # a filter: the same query with its first agency chosen (the terms are known now)
            engine.client.trips.clear()
            engine.client.requests.clear()
            agency = answer["facets"]["agency"][0]["value"]
            assert skb.search(SearchRequest(q=q, filters={"agency": [agency]}, size=10))["total"] > 0
            q += f" ({agency})"
        costs[q] = trips = dict(engine.client.trips)
        assert sum(trips.values()) <= 2 and set(trips) <= {"prepare", "selection"}, (q, trips)
        assert engine.client.requests["stamp"] == 1, (q, dict(engine.client.requests))
    assert skb.engine() is engine  # (no push: the stamps read named its generation)
    assert engine.cache.get("whole_found"), "no query took the whole query's tier's path"
    print("trips of a first search:", costs)


def test_a_batch_of_more_queries_than_searchd_takes_at_once_is_one_trip_of_several_requests(seeds_on_cluster):
    """GIVEN 40 statements (searchd takes 32 queries in one multi-query) WHEN sent as one batch
    THEN they are two requests sent at once, one trip, with each statement's own answer."""
    from kb.engines.sphinx.client import MULTI_QUERY, Client, parse_url

    _, url, _ = seeds_on_cluster
    c = Client(*parse_url(url))
    words = ["法治", "政府", "执法", "法律", "依法", "行政", "公开", "监督"] * 5
    statements = [(f"SELECT COUNT(*) n FROM {S.PARAGRAPHS} WHERE MATCH('\"{' '.join(w)}\"') "
                   f"OPTION ranker=none", 1) for w in words]
    assert len(statements) > MULTI_QUERY
    got = [int(r.sets[0][0][0]) for r in c.batch(statements, kind="test")]
    assert dict(c.trips) == {"test": 1} and dict(c.requests) == {"test": 2}
    alone = [int(c.run(sql).sets[0][0][0]) for sql, _ in statements]
    assert got == alone and len(set(got)) > 1


def test_the_next_pages_come_from_the_candidates_read_and_equal_a_fresh_read(corpus_dir, seeds_on_cluster):
    """GIVEN a search's first page read on the cluster WHEN pages 2-5 are asked THEN those within
    its exact matches cost no trip (the candidates read with the first page serve them) within
    the push stamp's refresh interval, the stamp's alone once it is due, and every page is the
    one a fresh engine reads for it."""
    _, url, _ = seeds_on_cluster
    for q in ("法律顾问", "法治 政府", "执法", "法治"):
        skb = sphinx_kb(corpus_dir, url)
        engine = skb.engine()
        first = skb.search(SearchRequest(q=q, size=3))
        assert first["total"] >= 12, q
        for page in range(2, 6):
            engine.client.trips.clear()
            engine.fresh.refresh = 0.0 if page == 5 else 3600.0  # (page 5: the stamp due, read alone)
            got = [h["id"] for h in skb.search(SearchRequest(q=q, size=3, page=page))["hits"]]
            if page * 3 <= first["exact_total"]:  # (the related candidates are ranked when a page reaches them)
                assert dict(engine.client.trips) == ({"stamp": 1} if page == 5 else {}), (q, page)
            fresh = sphinx_kb(corpus_dir, url)
            assert got == [h["id"] for h in fresh.search(SearchRequest(q=q, size=3, page=page))["hits"]], (q, page)


def test_the_related_rows_are_not_read_when_the_exact_matches_fill_the_page(corpus_dir, seeds_on_cluster, kb):
    """GIVEN a term whose exact matches fill a page by relevance (their count read while compiling)
    WHEN its first page is read THEN the related tier's rows are not read (they would be left
    unranked: docs/CLUSTER.md "Where a first search's time goes"), the exact tier's expression is
    read for its page alone and both tiers are counted by one grouping of the whole selection's
    expression (stop 38), and the totals and facets are the embedded engine's; by year the related
    rows are read and each tier is grouped apart."""
    _, url, _ = seeds_on_cluster
    for sort in ("relevance", "year"):
        skb = sphinx_kb(corpus_dir, url)
        engine = skb.engine()
        sent: list[str] = []
        trip = engine.client._trip
        engine.client._trip = lambda sql, *a, _trip=trip, _sent=sent, **k: _sent.append(sql) or _trip(sql, *a, **k)
        got = skb.search(SearchRequest(q="法治", size=10, sort=sort))
        assert got["exact_total"] >= 10 and got["total"] > got["exact_total"], got["total"]
        assert _facts(got) == _facts(kb.search(SearchRequest(q="法治", size=10, sort=sort)))
        statements = [st for batch in sent for st in batch.split("; ") if st.startswith("SELECT")]
        [page] = [st for st in statements if st.startswith("SELECT pid, report_id") and "ORDER BY" in st
                  and " -(" not in st and " IN (" not in st]
        exact = page[page.index("WHERE MATCH("):page.index(") ORDER BY") + 1]
        grouped = [st for st in statements if "GROUP BY" in st]
        related = [st for st in statements if st.startswith("SELECT") and ") -(" in st]
        assert any(exact + " GROUP BY" in st for st in grouped) == (sort == "year"), (sort, exact, grouped)
        assert bool(related) == (sort == "year"), (sort, related)


def test_a_paragraph_the_front_has_not_read_the_facets_of_makes_the_answer_partial(start_cluster, tmp_path):
    """GIVEN an engine that read each paragraph's own facets (kb.engines.sphinx.keys) WHEN a push adds
    a paragraph and that engine, not opened again (as before a push changes the stamp), counts it
    THEN its answer is partial, not short in silence; an engine opened after the push counts it whole."""
    corpus_dir = copy_corpus(tmp_path / "corpus")
    _, url = start_cluster()
    push.push(url, corpus_dir)
    skb = sphinx_kb(corpus_dir, url)
    engine = skb.engine()
    report = sorted(corpus_dir.glob("*.md"))[0]
    report.write_text(report.read_text(encoding="utf-8").rstrip() + "\n\n星河灯塔制度全面建立。\n", encoding="utf-8")
    push.push(url, corpus_dir)
    engine.is_current = lambda: True  # (the engine kept as it was)
    answer = skb.search(SearchRequest(q='"星河灯塔制度"'))
    assert answer["total"] == 1 and answer["partial"]
    fresh = sphinx_kb(corpus_dir, url).search(SearchRequest(q='"星河灯塔制度"'))
    assert fresh["total"] == 1 and not fresh.get("partial")


def test_a_push_by_another_process_is_seen_within_the_refresh_interval(start_cluster, tmp_path):
    """GIVEN two knowledge bases on one cluster, one reading the push stamp at every read
    (refresh 0), one every hour, both with answers cached WHEN another process pushes a new
    paragraph (`kb build --backend`) THEN the first finds it at once (the stamp read beside the
    search names a newer push: the answer is read again on the engine opened anew); the second
    answers from its cache with no trip while its interval lasts, and finds it once the interval
    is over."""
    corpus_dir = copy_corpus(tmp_path / "corpus")
    _, url = start_cluster()
    push.push(url, corpus_dir)
    now, hourly = (KnowledgeBase(corpus_dir, None, settings=Settings(refresh=r), open_engine=sphinx_engine.opener(url))
                   for r in (0.0, 3600.0))
    new = SearchRequest(q='"星河灯塔制度"')
    for skb in (now, hourly):
        assert skb.search(new)["total"] == 0
    before = now.engine()
    report = sorted(corpus_dir.glob("*.md"))[0]
    report.write_text(report.read_text(encoding="utf-8").rstrip() + "\n\n星河灯塔制度全面建立。\n", encoding="utf-8")
    done = subprocess.run([KB, "build", "--corpus", str(corpus_dir), "--backend", url], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert now.search(new)["total"] == 1 and now.engine() is not before
    engine = hourly.engine()
    engine.client.trips.clear()
    assert hourly.search(new)["total"] == 0 and dict(engine.client.trips) == {}  # (within its interval)
    engine.fresh.refresh = 0.0  # (the hour is over)
    assert hourly.search(new)["total"] == 1 and hourly.engine() is not engine


def test_a_push_merges_each_shard_s_paragraph_table_into_one_disk_chunk(start_cluster, tmp_path, monkeypatch):
    """GIVEN two shards whose tables write their memory out as a disk chunk every 128 KB
    WHEN the seeds are pushed twice (the second in full: every paragraph replaced) without the merging,
    then merged (push.compact), then pushed again in full
    THEN before the merging a shard holds several disk chunks and after it each at most one, with the same answers;
    the full push (every paragraph replaced, new chunks written) ends merged by itself."""
    monkeypatch.setattr(S, "RT_MEM_LIMIT", "128K")
    corpus_dir = copy_corpus(tmp_path / "corpus")
    _, url = start_cluster()
    merge = push.compact
    monkeypatch.setattr(push, "compact", lambda copies, wait=0.0: True)
    push.push(url, corpus_dir)
    push.push(url, corpus_dir, full=True)
    copies = [c for cs in push.topology(Client(*parse_url(url))) for c in cs]

    def chunks() -> list[int]:
        return [int(c.table_status(S.PARAGRAPHS)["disk_chunks"]) for c in copies]

    def answers() -> list[tuple]:
        kb = sphinx_kb(corpus_dir, url)
        return [(r["total"], r["exact_total"], [h["id"] for h in r["hits"]], r["facets"])
                for r in (kb.search(SearchRequest(q=q)) for q in ("法律顾问", "改革", "依法行政 -处罚", ""))]

    assert max(chunks()) > 1
    before = answers()
    assert merge(copies)
    assert max(chunks()) <= 1
    assert answers() == before
    monkeypatch.setattr(push, "compact", merge)
    assert push.push(url, corpus_dir, full=True)["reindexed"] > 0
    assert max(chunks()) <= 1
    assert answers() == before


def test_re_import_replaces_changed_reports_and_deletes_removed_ones(start_cluster, tmp_path):
    """GIVEN the seeds pushed to two shards
    WHEN a report's paragraph is rewritten and another report is removed, and the corpus pushed again
    THEN only those two are written; the old text is gone, the new found; the removed report's
    paragraphs and row are gone; totals equal an embedded build of the same corpus."""
    corpus_dir = copy_corpus(tmp_path / "corpus")
    _, url = start_cluster()
    push.push(url, corpus_dir)
    skb = sphinx_kb(corpus_dir, url)
    old = "建立健全法律顾问制度"
    files = sorted(corpus_dir.glob("*.md"))
    changed = next(f for f in files if old in f.read_text(encoding="utf-8"))
    removed = next(f for f in files if f != changed)
    text = changed.read_text(encoding="utf-8")
    before_old = skb.search(SearchRequest(q=f'"{old}"', filters={"report_id": [changed.stem]}))["total"]
    assert before_old > 0
    changed.write_text(text.replace(old, "建立健全星河灯塔制度"), encoding="utf-8")
    removed_id = removed.stem
    assert skb.search(SearchRequest(q="", filters={"report_id": [removed_id]}))["total"] > 0
    removed.unlink()
    pushed = push.push(url, corpus_dir)
    assert (pushed["changed"], pushed["removed"], pushed["added"], pushed["reindexed"]) == (1, 1, 0, 1)
    assert skb.search(SearchRequest(q=f'"{old}"', filters={"report_id": [changed.stem]}))["total"] == 0
    assert skb.search(SearchRequest(q='"星河灯塔制度"'))["total"] == before_old
    assert skb.search(SearchRequest(q="", filters={"report_id": [removed_id]}))["total"] == 0
    assert removed_id not in {r["id"] for r in skb.reports()}
    kb_build.build(corpus_dir, tmp_path / "index")
    embedded = KnowledgeBase(corpus_dir, tmp_path / "index")
    assert _compare(embedded, skb, [("法律顾问", {}), ("", {}), ('"星河灯塔制度"', {}), ("法治", {"year": ["2023"]}),
                                    ("法治意识淡薄", {})]) == {}
    grown = meaning.load(skb.engine().meaning_file)  # the grown words without the removed report's
    assert grown.grown_words() == meaning.load(embedded.engine().meaning_file).grown_words()
    assert push.push(url, corpus_dir)["unchanged"]


def test_a_killed_shard_makes_answers_partial_in_the_library_the_api_and_the_page(start_cluster, kb, corpus_dir,
                                                                                  tmp_path):
    """GIVEN the seeds on two shards and `kb serve --backend` over them
    WHEN shard 1 is killed (SIGKILL) mid-test
    THEN searches answer with what shard 0 holds, marked "partial": true (library, /api/search,
    /api/compare), with a smaller total never passed off as complete, and the page shows a banner."""
    d, url = start_cluster()  # its own: a shard of it is killed
    push.push(url, corpus_dir)
    skb = sphinx_kb(corpus_dir, url)
    complete = kb.search(SearchRequest(q="法治 政府"))["total"]
    with running_server(corpus_dir, tmp_path / "no-index", "--backend", url) as base:
        status, body = get(base + "/api/search?q=" + quote("法治 工作"))
        assert status == 200 and "partial" not in body
        os.kill(int((d / "shard-1.pid").read_text()), signal.SIGKILL)
        status, body = get(base + "/api/search?q=" + quote("法治 政府"))
        assert status == 200 and body["partial"] is True and 0 < body["total"] < complete
        status, body = get(base + "/api/compare?q=" + quote("法律顾问"))
        assert status == 200 and body["partial"] is True
        status, page = get(base + "/?q=" + quote("法治 政府"))
        assert status == 200 and 'class="partial"' in page
        status, listing = get(base + "/api/reports")  # the report list: the cards of what answered, said partial
        assert status == 200 and listing["partial"] is True
        status, body = get(base + "/api/figures")
        assert status == 200 and body["partial"] is True
    answer = skb.search(SearchRequest(q="法治 政府 建设"))
    assert answer["partial"] is True


def test_a_mirror_answers_for_its_dead_twin(start_cluster, corpus_dir, kb):
    """GIVEN one shard written to two copies (agent mirrors, ha_strategy = nodeads)
    WHEN one copy is killed THEN, once the front has pinged it (ha_ping_interval, 200 ms),
    answers stay complete: not partial, totals as embedded."""
    d, url = start_cluster(shards=1, mirrors=2)
    push.push(url, corpus_dir)
    skb = sphinx_kb(corpus_dir, url)
    os.kill(int((d / "shard-0.pid").read_text()), signal.SIGKILL)
    time.sleep(0.5)
    for q in ("法律顾问", "法治 政府", "执法 -处罚", ""):
        assert _compare(kb, skb, [(q, {})] * 3) == {}, q


def test_kb_build_and_search_take_the_backend(start_cluster, corpus_dir, kb, tmp_path):
    _, url = start_cluster()
    out = subprocess.run([KB, "build", "--corpus", str(corpus_dir), "--backend", url], capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr
    assert "5 reports" in out.stdout and url in out.stdout
    out = subprocess.run([KB, "search", "法律顾问", "--corpus", str(corpus_dir), "--json"], capture_output=True,
                         text=True, timeout=120, env=os.environ | {"KB_BACKEND": url})
    assert out.returncode == 0, out.stderr
    assert _facts(json.loads(out.stdout)) == _facts(kb.search(SearchRequest(q="法律顾问")))
    bad = subprocess.run([KB, "search", "法治", "--backend", "sphinx://127.0.0.1:1"], capture_output=True, text=True,
                         timeout=60)
    assert bad.returncode == 1 and bad.stderr.startswith("Error: ") and "Traceback" not in bad.stderr


def test_listings_reports_topics_regulations_and_export_read_the_cluster(kb, seeds_on_cluster):
    """The other pages that read the engine answer from the cluster as from the embedded index."""
    skb, _, _ = seeds_on_cluster
    assert skb.reports() == kb.reports()
    assert skb.agencies() == kb.agencies() and skb.years() == kb.years()
    assert skb.topics() == kb.topics()
    assert skb.regulations() == kb.regulations()
    name = kb.regulations()["kinds"][0]["regulations"][0]["name"]
    assert skb.regulation(name) == kb.regulation(name)
    rid = kb.reports()[0]["id"]
    assert skb.report(rid, q="法治") == kb.report(rid, q="法治")
    req = SearchRequest(q="法律顾问", sort="year")
    assert sorted(r["id"] for r in skb.export(req)) == sorted(r["id"] for r in kb.export(req))
    assert skb.similar(f"{rid}.p1")["keywords"]  # similar paragraphs too (tests/cluster/test_features.py)


def test_plans_read_the_corpus_on_a_cluster_and_the_shares_say_they_are_not_kept(start_cluster, tmp_path):
    """GIVEN a real pair of consecutive work reports (浙江省, on 2021 and 2022) pushed to a cluster
    WHEN the plan of the first is asked on the cluster and on the embedded index
    THEN the answers are the same (the plan reads the corpus; the cluster lists the reports),
    and the shares for /reports, kept beside an embedded index only, are a clear 400 there."""
    import tarfile

    raw, corpus_dir = tmp_path / "raw", tmp_path / "corpus"
    wanted = {"政府工作报告-省自治区/浙江省/2022.md", "政府工作报告-省自治区/浙江省/2023.md"}
    with tarfile.open(REAL) as archive:
        for member in archive:
            name = member.name.removeprefix("./")
            if name in wanted:
                (raw / name).parent.mkdir(parents=True, exist_ok=True)
                (raw / name).write_bytes(archive.extractfile(member).read())
    for path in realcorpus.raw_files(raw):
        corpus.write(corpus_dir, realcorpus.report_of(path, raw))
    kb_build.build(corpus_dir, tmp_path / "index")
    embedded = KnowledgeBase(corpus_dir, tmp_path / "index")
    _, url = start_cluster(shards=2, mirrors=1)
    push.push(url, corpus_dir)
    clustered = sphinx_kb(corpus_dir, url)
    first = min(r["id"] for r in embedded.reports())
    a, b = embedded.plan(first), clustered.plan(first)
    assert b == a and b["next_report_id"] and b["summary"]["delivered"] > 0
    assert clustered.agency_plans("浙江省") == embedded.agency_plans("浙江省")
    assert clustered.plan_shares() is None
    with pytest.raises(KbError, match="cluster") as e:
        clustered.plan_shares(required=True)
    assert e.value.status == 400
    with pytest.raises(KbError, match="cluster"):
        clustered.compute_plan_shares(procs=1)

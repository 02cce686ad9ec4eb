"""A frozen shard (SIGSTOP: its port accepts, it never answers) with real searchd processes
(issue 28): every read waits for it once, then reads the other shards alone, says it is short
and which of its reads are, and nothing read so is cached; ``kb cluster status`` gives the push
that last wrote each copy, the same across restarts. Skipped without searchd, a failure in CI.

Times are printed (``-s``), never asserted: what is asserted is that no request went to the frozen
shard once its read had found it short (``Client.waited_again``), and that every answer is
complete and says it is partial; bench/cluster_frozen.py measures each route's time."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import time
from contextlib import contextmanager
from urllib.parse import quote

import pytest

from kb.core import shortfall
from kb.engines.sphinx import engine as sphinx_engine
from kb.engines.sphinx import push
from kb.engines.sphinx import schema as S
from kb.engines.sphinx.client import Client, parse_url
from kb.knowledgebase import KnowledgeBase
from kb.search.request import SearchRequest
from tests.cluster.test_shortfall import _read, _routes, _says_short
from tests.support.server import KB, running_server

if not shutil.which("searchd"):
    if os.environ.get("CI"):
        raise RuntimeError("CI needs Debian's sphinxsearch (apt-get install sphinxsearch)")
    pytest.skip("searchd not installed (apt-get install sphinxsearch)", allow_module_level=True)

Q = "法治 政府"


@contextmanager
def frozen(d, url: str, shard: int = 1):
    """Shard ``shard`` of the cluster in ``d`` stopped with SIGSTOP inside; let go after, and
    waited for until the front's statements have their answer whole again (a shard let go first
    answers the connections the front gave up on meanwhile)."""
    pid = int((d / f"shard-{shard}.pid").read_text())
    os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(pid, signal.SIGCONT)
    client = Client(*parse_url(url))
    for _ in range(100):
        if not client.run(f"SELECT COUNT(*) FROM {S.PARAGRAPHS}").warnings:
            break
        time.sleep(0.2)
    client.close()


def _timed(read):
    started = time.monotonic()
    got = read()
    return got, time.monotonic() - started


def test_a_read_waits_for_a_frozen_shard_once_and_names_its_short_reads(two_shards, corpus_dir):
    """GIVEN an engine opened whole and shard 1 frozen WHEN each kind of read runs in a read of its
    own (a search, the spread over the years, a comparison by year -- one selection a year --, a
    facet's values, an export, a misspelled search) THEN each is short, names itself as the short
    read (``partial_reads``), has shard 1 alone left out, and no request of it went to shard 1 after
    the read's first found it short; the misspelled search looks for no near spellings and says so.
    WHEN the shard answers again THEN the same reads are whole (nothing read short was cached)."""
    d, url = two_shards
    served = KnowledgeBase(corpus_dir, None, open_engine=sphinx_engine.opener(url))
    served.search(SearchRequest(q="法治"))  # opened whole, as a server is
    client = served.engine().client
    reads = {
        "search": lambda: served.search(SearchRequest(q=Q)),
        "years": lambda: served.yearly(SearchRequest(q=Q)),
        "compare": lambda: served.compare(SearchRequest(q="法律顾问"), by_year=True),
        "facets": lambda: served.facet_values(SearchRequest(q="法律顾问 政府"), "agency"),
        "export": lambda: list(served.export(SearchRequest(q="法治 建设"))),
    }
    got, said = {}, {}
    with frozen(d, url):
        for part, read in reads.items():
            shortfall.begin()
            got[part], took = _timed(read)
            said[part] = (shortfall.parts(), shortfall.lost((client.host, client.port)))
            print(f"frozen shard, timeout 0.5 s: {part} {took:.2f} s")
        shortfall.begin()
        misspelled = served.search(SearchRequest(q="法律故问"))
    assert said == {part: ([part], {1}) for part in reads}
    assert client.waited_again == 0
    assert got["search"]["partial"] and got["compare"]["partial"] and len(got["compare"]["groups"]) > 2
    assert misspelled["partial"] and misspelled["suggestions"]["spellings"] == []
    assert "近似写法未查" in misspelled["suggestions"]["spellings_skipped"]
    shortfall.begin()
    whole = {part: read() for part, read in reads.items()}
    assert not shortfall.short()
    fresh = KnowledgeBase(corpus_dir, None, open_engine=sphinx_engine.opener(url))
    assert whole["search"]["total"] == fresh.search(SearchRequest(q=Q))["total"] > got["search"]["total"]
    assert "partial" not in whole["compare"] and whole["compare"]["total"] > got["compare"]["total"]
    assert len(whole["export"]) > len(got["export"])


def _complete(kind: str, body: bytes) -> bool:
    """Whether an answer of ``kind`` is all there: a page to its end, JSON that parses, a CSV with
    its header line after the first, a Word document."""
    if kind == "docx":
        return body[:2] == b"PK"
    text = body.decode("utf-8-sig")
    if kind == "page":
        return text.rstrip().endswith("</html>")
    if kind == "json":
        return isinstance(json.loads(text), (dict, list))
    return len(text.splitlines()) >= 2


def test_with_a_frozen_shard_every_route_answers_complete_and_says_when_it_is_short(two_shards, corpus_dir, tmp_path,
                                                                                     kb):
    """GIVEN `kb serve --backend` on two shards, opened whole, and shard 1 frozen WHEN every route a
    shard can shorten is read THEN each answers 200, complete; each that read the cluster (every
    search, comparison, facet and export of a query not asked before among them) has the X-KB-Partial
    header and says so (the banner, "partial": true with ``partial_reads``, a first line), and one
    without the header says nothing of it (it was answered from what the server had read whole
    before); WHEN the shard answers again THEN every route is whole (nothing read short was cached).
    The times are printed (bench/cluster_frozen.py measures them on real reports)."""
    d, url = two_shards
    routes = _routes(kb)
    with running_server(corpus_dir, tmp_path / "no-index", "--backend", url) as base:
        _read(base + "/")
        wrong, short, reads, times = [], set(), {}, []
        with frozen(d, url):
            for path, kind in routes:
                (status, headers, body), took = _timed(lambda path=path: _read(base + path))
                times.append(took)
                if headers.get("x-kb-partial") == "1":
                    short.add(path)
                if status != 200 or (path in short) != _says_short(kind, body) or not _complete(kind, body):
                    wrong.append((path, status, path in short))
                if kind == "json" and path in short:
                    reads[path] = json.loads(body.decode("utf-8")).get("partial_reads")
        print(f"frozen shard, timeout 0.5 s: {len(times)} routes ({len(short)} short), the slowest {max(times):.2f} s, "
              f"in all {sum(times):.1f} s")
        again = [path for path, kind in routes for status, headers, body in [_read(base + path)]
                 if status != 200 or "x-kb-partial" in headers or _says_short(kind, body)]
    assert wrong == [] and again == [], (wrong, again)
    queried = {path for path, _ in routes if re.search(r"[?&]q=", path) and "/regulations" not in path}
    assert queried - short == set()
    assert all(isinstance(r, list) and r for r in reads.values()), reads
    assert reads[f"/api/search?q={quote(Q)}"] == ["search"]
    assert reads[f"/api/search/years?q={quote(Q)}"] == ["years"]


def test_a_page_whose_answer_came_whole_from_the_cache_names_the_read_that_was_short(two_shards, corpus_dir,
                                                                                     tmp_path):
    """GIVEN a search page read whole (its answer cached) WHEN shard 1 freezes and the page with its
    chart by year is read again THEN the banner names the chart's spread over the years as the short
    read, not the results (whose totals are whole), and its JSON twin from the cache is whole."""
    d, url = two_shards
    page = f"/?q={quote(Q)}&chart=year"
    with running_server(corpus_dir, tmp_path / "no-index", "--backend", url) as base:
        _read(base + page)
        _read(base + f"/api/search?q={quote(Q)}")
        with frozen(d, url):
            status, headers, body = _read(base + page)
            api = _read(base + f"/api/search?q={quote(Q)}")
    banner = re.search(r'class="partial"[^>]*>([^<]*)<', body.decode("utf-8"))
    assert status == 200 and headers.get("x-kb-partial") == "1" and banner
    assert "按年度的分布" in banner.group(1) and "检索结果" not in banner.group(1)
    assert "x-kb-partial" not in api[1] and "partial" not in json.loads(api[2].decode("utf-8"))


def _status(d) -> dict:
    done = subprocess.run([KB, "cluster", "status", "--dir", str(d), "--json"], capture_output=True, text=True,
                          timeout=120)
    return {p["name"]: p["written"] for p in json.loads(done.stdout)["processes"]} | {
        "last_push": json.loads(done.stdout)["last_push"]}


def test_status_gives_the_push_that_last_wrote_each_copy_the_same_across_restarts(two_shards, corpus_dir, tmp_path):
    """GIVEN the seeds pushed to two shards WHEN `kb cluster status` THEN each copy's ``written`` is
    that push; WHEN shard 1 is restarted, and the whole cluster stopped and started THEN it is the
    same; WHEN a push removes a report of shard 0 THEN shard 0's is the new push and shard 1's the
    first."""
    from kb.engines.sphinx import cluster

    d, url = two_shards
    first = _status(d)
    assert first["last_push"] and first["shard-0"] == first["shard-1"] == first["front"] == first["last_push"]
    done = subprocess.run([KB, "cluster", "restart", "--dir", str(d), "--shard", "1"], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert _status(d) == first
    cluster.stop(d)
    cluster.start(d, shards=2)
    assert _status(d) == first
    fewer = tmp_path / "fewer"
    shutil.copytree(corpus_dir, fewer)
    next(f for f in sorted(fewer.glob("*.md")) if push.shard_of(f.stem, 2) == 0).unlink()
    time.sleep(1.1)  # (the status says seconds)
    assert push.push(url, fewer)["removed"] == 1
    second = _status(d)
    assert second["last_push"] > first["last_push"]
    assert second["shard-0"] == second["last_push"] and second["shard-1"] == first["shard-1"]


def test_the_command_line_names_the_short_read_and_looks_for_no_near_spellings(two_shards, corpus_dir):
    """GIVEN shard 1 frozen WHEN `kb search` of a misspelled term runs on the cluster THEN it says it
    found nothing, that near spellings were not looked for, warns that the search's results are short
    (naming the read: search) and exits 3."""
    d, url = two_shards
    with frozen(d, url):
        done = subprocess.run([KB, "search", "法律故问", "--corpus", str(corpus_dir), "--backend", url],
                              capture_output=True, text=True, timeout=300)
    assert done.returncode == 3, done.stderr
    assert "没有找到" in done.stdout and "近似写法未查" in done.stdout and "是不是要找" not in done.stdout
    assert "以上的检索结果不完整" in done.stderr and "(partial: search:" in done.stderr

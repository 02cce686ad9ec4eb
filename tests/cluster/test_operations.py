"""Operating a running cluster with real searchd processes: ``kb cluster status``,
``restart --shard N``, ``add-mirror``, and the front's timeout for a shard that does not
answer (issue 28, operations). Skipped without searchd, a failure in CI (as test_cluster)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time

import pytest

from kb.core import shortfall
from kb.engines.sphinx import cluster, push
from kb.engines.sphinx import engine as sphinx_engine
from kb.knowledgebase import KnowledgeBase
from kb.search.request import SearchRequest
from tests.support.server import KB

if not shutil.which("searchd"):
    if os.environ.get("CI"):
        raise RuntimeError("CI needs Debian's sphinxsearch (apt-get install sphinxsearch)")
    pytest.skip("searchd not installed (apt-get install sphinxsearch)", allow_module_level=True)


def _kb(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([KB, "cluster", *args], capture_output=True, text=True, timeout=180)


def _status(d) -> tuple[int, dict]:
    done = _kb("status", "--dir", str(d), "--json")
    return done.returncode, json.loads(done.stdout)


def _search(corpus_dir, url: str, q: str = "法治 政府") -> dict:
    return KnowledgeBase(corpus_dir, None, open_engine=sphinx_engine.opener(url)).search(SearchRequest(q=q))



def test_status_names_each_searchd_its_state_and_rows(two_shards, kb):
    """GIVEN the seeds on two shards WHEN `kb cluster status --json` THEN every process is
    running, the shards' rows add up to the embedded index's paragraphs and reports, the
    last push is given, exit 0; with shard 1 stopped (SIGSTOP) it is "not answering", exit 3."""
    d, _ = two_shards
    rc, st = _status(d)
    assert rc == 0 and st["timeout"] == 0.5 and st["last_push"]
    assert [(p["name"], p["state"]) for p in st["processes"]] == [
        ("front", "running"), ("shard-0", "running"), ("shard-1", "running")]
    shards = st["processes"][1:]
    assert sum(p["rows"]["kb_para"] for p in shards) == kb.search(SearchRequest(q=""))["total"]
    assert sum(p["rows"]["kb_report"] for p in shards) == len(kb.reports())
    pid = int((d / "shard-1.pid").read_text())
    os.kill(pid, signal.SIGSTOP)
    try:
        rc, st = _status(d)
    finally:
        os.kill(pid, signal.SIGCONT)
    assert rc == 3 and st["processes"][2]["state"] == "not answering"
    text = _kb("status", "--dir", str(d))
    assert text.returncode == 0 and "shard-1" in text.stdout and "running" in text.stdout


def test_a_stopped_shard_is_left_out_and_said_then_restarted_alone(two_shards, corpus_dir):
    """GIVEN shard 1 frozen (SIGSTOP: its port accepts, it never answers) WHEN a search runs
    THEN the front answers without it after its timeout, marked partial; WHEN shard 1 is
    killed and `kb cluster restart --shard 1` run THEN the front never stopped, and the answers
    are whole again."""
    d, url = two_shards
    whole = _search(corpus_dir, url)
    assert not whole.get("partial")
    front_pid = cluster.pids(d)["front"]
    served = KnowledgeBase(corpus_dir, None, open_engine=sphinx_engine.opener(url))  # open, as a server is
    served.search(SearchRequest(q="法治"))
    pid = int((d / "shard-1.pid").read_text())
    os.kill(pid, signal.SIGSTOP)
    try:
        frozen = _search(corpus_dir, url)
        started = time.monotonic()
        again = served.search(SearchRequest(q="法治 政府"))  # a search is at most two round trips:
        took = time.monotonic() - started  # each waits the timeout (0.5 s) once
    finally:
        os.kill(pid, signal.SIGKILL)
        os.kill(pid, signal.SIGCONT)
    assert frozen["partial"] is True and 0 < frozen["total"] < whole["total"]
    assert again["partial"] is True and again["total"] == frozen["total"]
    assert took < 3 * 0.5 + 1, took  # was one timeout per statement: about 16
    assert "agent_query_timeout = 500" in (d / "front.conf").read_text()
    done = _kb("restart", "--dir", str(d), "--shard", "1")
    assert done.returncode == 0 and done.stdout.strip() == "restarted shard-1"
    assert cluster.pids(d)["front"] == front_pid
    again = _search(corpus_dir, url)
    assert not again.get("partial") and again["total"] == whole["total"]


def test_restart_of_a_shard_that_does_not_exist_says_so(two_shards):
    d, _ = two_shards
    done = _kb("restart", "--dir", str(d), "--shard", "5")
    assert done.returncode == 1 and done.stderr.startswith("Error: ") and "shards: 0, 1" in done.stderr
    assert "Traceback" not in done.stderr


def test_an_added_mirror_holds_the_shard_answers_for_it_and_takes_pushes(two_shards, corpus_dir, tmp_path):
    """GIVEN two shards of one copy WHEN `kb cluster add-mirror --shard 0` THEN shard-0-1 holds
    shard 0's rows; WHEN a report is added and pushed THEN both copies have it; WHEN copy 0
    is killed THEN answers stay whole (the mirror answers); a cluster started again in the folder
    keeps the mirror."""
    d, url = two_shards
    whole = _search(corpus_dir, url)
    done = _kb("add-mirror", "--dir", str(d), "--shard", "0")
    assert done.returncode == 0 and done.stdout.strip() == "added shard-0-1", done.stderr
    rc, st = _status(d)
    rows = {p["name"]: p["rows"] for p in st["processes"]}
    assert rc == 0 and rows["shard-0-1"] == rows["shard-0"]
    fewer = tmp_path / "fewer"
    shutil.copytree(corpus_dir, fewer)
    gone = next(f for f in sorted(fewer.glob("*.md")) if push.shard_of(f.stem, 2) == 0)
    gone.unlink()
    assert push.push(url, fewer)["removed"] == 1
    rows = {p["name"]: p["rows"] for p in _status(d)[1]["processes"]}
    assert rows["shard-0-1"] == rows["shard-0"] and rows["shard-0"]["kb_report"] == st["processes"][1]["rows"][
        "kb_report"] - 1
    push.push(url, corpus_dir)
    os.kill(cluster.pids(d)["shard-0"], signal.SIGKILL)
    time.sleep(0.5)  # the front pings its mirrors every 200 ms
    after = _search(corpus_dir, url)
    assert not after.get("partial") and after["total"] == whole["total"]
    cluster.stop(d)
    assert cluster.start(d, shards=2) == url
    assert set(cluster.pids(d)) == {"front", "shard-0", "shard-0-1", "shard-1"}


def test_a_cluster_of_an_older_layout_is_named_as_such(tmp_path, corpus_dir, monkeypatch):
    """GIVEN a cluster whose tables were made by an older version (no `wordset` field, no
    `meaning` or `growth` column: searchd keeps a real-time table's columns as they were made)
    WHEN this version pushes to it and searches it THEN both fail with searchd's message and
    how to fix it (a new folder, a new push): Unavailable, a clear error, no traceback."""
    from kb.core.errors import Unavailable
    from kb.engines.sphinx import client
    from kb.engines.sphinx import schema as S

    made = S.table_config

    def older(name, attrs, path):
        old = [line for line in made(name, attrs, path).splitlines(keepends=True)
               if line.strip() not in ("rt_field = wordset", "rt_attr_string = meaning", "rt_attr_string = growth")]
        return "".join(old)

    monkeypatch.setattr(S, "table_config", older)
    d = tmp_path / "old"
    url = cluster.start(d, shards=2, timeout=0.5)
    monkeypatch.setattr(S, "table_config", made)
    try:
        with pytest.raises(Unavailable) as pushed:
            push.push(url, corpus_dir)
        with pytest.raises(Unavailable) as searched:
            _search(corpus_dir, url, "法律顾问")
    finally:
        cluster.stop(d)
    for e in (pushed.value, searched.value):
        assert client.OLD_LAYOUT_HINT in str(e) and "kb cluster start --dir NEW" in str(e)


def test_a_frozen_shard_is_waited_for_once_a_statement_in_a_read(two_shards, corpus_dir):
    """GIVEN an engine opened whole and shard 1 frozen (SIGSTOP) WHEN, in one read (a request, a
    command), a search is read twice and a comparison by year asks the same counts for every
    year THEN a statement asked again in that read is answered with what it gave (no round
    trip, no second wait for the shard's timeout), the answers still partial; WHEN the next
    read begins THEN it asks the cluster again. (The push stamp, read on the front alone, is
    still checked when due: not counted here.)"""
    d, url = two_shards
    served = KnowledgeBase(corpus_dir, None, open_engine=sphinx_engine.opener(url))
    served.search(SearchRequest(q="法治"))
    client = served.engine().client

    def trips() -> int:
        return client.made() - client.trips["stamp"]

    pid = int((d / "shard-1.pid").read_text())
    os.kill(pid, signal.SIGSTOP)
    try:
        shortfall.begin()
        first = served.search(SearchRequest(q="法律顾问"))
        made = trips()
        second = served.search(SearchRequest(q="法律顾问"))
        again = trips() - made
        prepared = client.trips["prepare"]
        by_year = served.compare(SearchRequest(q="法治 政府"), by_year=True)
        prepared = client.trips["prepare"] - prepared
        shortfall.begin()
        made = trips()
        served.search(SearchRequest(q="法律顾问"))
        next_read = trips() - made
    finally:
        os.kill(pid, signal.SIGKILL)
        os.kill(pid, signal.SIGCONT)
    assert first["partial"] and second["partial"] and second["total"] == first["total"]
    assert again == 0 and next_read > 0
    assert by_year["partial"] and len(by_year["groups"]) > 2 and prepared <= 2, prepared

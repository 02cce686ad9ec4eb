"""Never short in silence (issue 28): with a shard of the cluster killed, every read that it
can shorten says so, over HTTP from a real `kb serve --backend` and on the command line, and
nothing read short is cached. Real searchd processes; skipped without searchd, a failure in CI."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import urllib.request
from urllib.parse import quote

import pytest

from kb.search.request import SearchRequest
from tests.support.server import KB, running_server

if not shutil.which("searchd"):
    if os.environ.get("CI"):
        raise RuntimeError("CI needs Debian's sphinxsearch (apt-get install sphinxsearch)")
    pytest.skip("searchd not installed (apt-get install sphinxsearch)", allow_module_level=True)

Q = quote("法治 政府")
#: Every route a shard down can shorten: (path, what kind of answer).
ROUTES = [
    (f"/?q={Q}", "page"), (f"/compare?q={quote('法律顾问')}", "page"), ("/reports", "page"),
    ("/topics", "page"), (f"/facets/agency?q={Q}", "page"),
    (f"/api/search?q={Q}&match=exact", "json"), (f"/api/compare?q={quote('法律顾问')}", "json"),
    (f"/api/facets/agency?q={Q}", "json"), (f"/api/search/years?q={Q}", "json"), ("/api/topics", "json"),
    ("/api/regulations", "json"), ("/api/agencies", "json"),
    (f"/export.json?q={Q}", "json"), (f"/export.csv?q={Q}", "csv"), (f"/compare.csv?q={quote('法律顾问')}", "csv"),
]


def _read(url: str) -> tuple[int, dict, str]:
    with urllib.request.urlopen(url, timeout=120) as r:
        return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read().decode("utf-8-sig")



def test_every_read_a_dead_shard_shortens_says_so(two_shards, corpus_dir, tmp_path, kb):
    """GIVEN two shards, shard 1 killed, and `kb serve --backend` started on them WHEN every route
    is read THEN every page has the banner, every answer the X-KB-Partial header, every JSON
    object "partial": true, every CSV a first line that says so; WHEN the shard is back THEN the
    same reads are whole (nothing read short was cached), with the embedded index's totals.
    (A whole answer read before a shard went down may still be served from the cache, whole.)"""
    d, url = two_shards
    os.kill(int((d / "shard-1.pid").read_text()), signal.SIGKILL)
    with running_server(corpus_dir, tmp_path / "no-index", "--backend", url) as base:
        for path, kind in ROUTES:
            status, headers, body = _read(base + path)
            assert status == 200 and headers.get("x-kb-partial") == "1", path
            if kind == "page":
                assert 'class="partial"' in body, path
            elif kind == "json":
                assert '"partial": true' in body or '"partial":true' in body, path
            else:
                assert body.splitlines()[0].lstrip('"').startswith("结果不完整"), path
        _restart(d)
        again = {path: _read(base + path) for path, _ in ROUTES}
    assert [p for p, (_, h, body) in again.items() if "x-kb-partial" in h or 'class="partial"' in body] == []
    answer = json.loads(again[f"/api/search?q={Q}&match=exact"][2])
    assert answer["total"] == kb.search(SearchRequest(q="法治 政府", match="exact"))["total"]


def _restart(d) -> None:
    done = subprocess.run([KB, "cluster", "restart", "--dir", str(d), "--shard", "1"], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_the_command_line_warns_and_exits_3_when_a_shard_is_down(two_shards, corpus_dir):
    """GIVEN a shard killed WHEN `kb search` and `kb compare` run on the cluster THEN they print
    what the other shard holds, then a warning on standard error, and exit 3."""
    d, url = two_shards
    os.kill(int((d / "shard-1.pid").read_text()), signal.SIGKILL)
    for args in (["search", "法治 政府"], ["compare", "法律顾问"], ["search", "法治", "--json"]):
        done = subprocess.run([KB, *args, "--corpus", str(corpus_dir), "--backend", url], capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 3, (args, done.stderr)
        assert "部分检索分片没有应答" in done.stderr and done.stdout.strip(), args

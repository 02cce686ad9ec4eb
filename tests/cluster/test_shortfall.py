"""Never short in silence (issue 28): with a shard of the cluster killed, every read that it
can shorten says so, over HTTP from a real `kb serve --backend` and on the command line, and
nothing read short is cached. Real searchd processes; skipped without searchd, a failure in CI."""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import subprocess
import urllib.error
import urllib.request
import zipfile
from urllib.parse import quote

import pytest

from kb.engines.sphinx import cluster, push
from kb.search.request import SearchRequest
from tests.support.paths import CORPUS
from tests.support.server import KB, running_server

if not shutil.which("searchd"):
    if os.environ.get("CI"):
        raise RuntimeError("CI needs Debian's sphinxsearch (apt-get install sphinxsearch)")
    pytest.skip("searchd not installed (apt-get install sphinxsearch)", allow_module_level=True)

Q = quote("法治 政府")
#: Every route a shard down can shorten: (path, what kind of answer). Paths with {report},
#: {paragraph} and {agency} are filled from the seeds' index (:func:`_routes`).
ROUTES = [
    ("/", "page"), (f"/?q={Q}", "page"), (f"/?q={Q}&page=2", "page"), (f"/compare?q={quote('法律顾问')}", "page"),
    (f"/compare?q={quote('法律顾问')}&by=year", "page"), ("/reports", "page"), ("/reports/{report}", "page"),
    ("/reports/{report}/plan", "page"), ("/agencies", "page"), ("/agencies/{agency}/plans", "page"), ("/years", "page"),
    ("/topics", "page"), ("/regulations", "page"), (f"/regulations/{quote('行政处罚法')}", "page"),
    ("/figures", "page"), (f"/figures/{quote('行政处罚案件')}", "page"), ("/paragraphs/{paragraph}/similar", "page"),
    ("/collection?id={paragraph}", "page"), (f"/facets/agency?q={Q}", "page"), (f"/?q={quote('法律故问')}", "page"),
    (f"/api/search?q={Q}", "json"), (f"/api/search?q={Q}&match=exact", "json"), (f"/api/compare?q={quote('法律顾问')}", "json"),
    *[(f"/api/facets/{name}?q={Q}", "json") for name in ("agency", "year", "region", "level", "topic", "section_kind",
                                                          "regulation")],
    (f"/api/search/years?q={Q}", "json"), ("/api/topics", "json"), ("/api/collection?id={paragraph}", "json"),
    ("/api/reports", "json"), ("/api/reports/{report}", "json"), ("/api/reports/{report}/plan", "json"),
    ("/api/agencies", "json"), ("/api/agencies/{agency}/plans", "json"), ("/api/years", "json"),
    ("/api/regulations", "json"), (f"/api/regulations/{quote('行政处罚法')}", "json"),
    (f"/api/regulations/{quote('行政处罚法')}/mentions", "json"), ("/api/figures", "json"),
    (f"/api/figures?indicator={quote('行政处罚案件')}", "json"), ("/api/paragraphs/{paragraph}/similar", "json"),
    (f"/api/search?q={quote('法律故问')}", "json"),
    (f"/export.json?q={Q}", "json"), (f"/export.csv?q={Q}", "csv"), (f"/compare.csv?q={quote('法律顾问')}", "csv"),
    ("/collection.csv?id={paragraph}", "csv"), ("/collection.docx?id={paragraph}", "docx"),
    (f"/figures/{quote('行政处罚案件')}.csv", "csv"), ("/reports/{report}/plan.csv", "csv"),
    (f"/regulations/{quote('行政处罚法')}.csv", "csv"),
]


def _routes(kb) -> list[tuple[str, str]]:
    """:data:`ROUTES` with a report, a paragraph and an agency of the seeds' index."""
    report = kb.reports()[0]
    paragraph = kb.search(SearchRequest(q="法律顾问", size=1))["hits"][0]["id"]
    return [(path.format(report=report["id"], paragraph=paragraph, agency=quote(report["agency"])), kind)
            for path, kind in ROUTES]


def _says_short(kind: str, raw: bytes) -> bool:
    """Whether an answer of ``kind`` says it is short: the page's banner, "partial": true, a
    first line (a CSV's), the Word document's line under its title."""
    if kind == "docx":
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            return "结果不完整" in z.read("word/document.xml").decode("utf-8")
    body = raw.decode("utf-8-sig")
    if kind == "page":
        return 'class="partial"' in body
    if kind == "json":
        return '"partial": true' in body or '"partial":true' in body
    return body.splitlines()[0].lstrip('"').startswith("结果不完整")


def _read(url: str) -> tuple[int, dict, bytes]:
    with urllib.request.urlopen(url, timeout=120) as r:
        return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()



def test_every_read_a_dead_shard_shortens_says_so(two_shards, corpus_dir, tmp_path, kb):
    """GIVEN two shards, shard 1 killed, and `kb serve --backend` started on them WHEN every route
    is read THEN every page has the banner, every answer the X-KB-Partial header, every JSON
    object "partial": true, every CSV a first line and the Word collection a line under its
    title that say so; WHEN the shard is back THEN the same reads are whole (nothing read short
    was cached), with the embedded index's totals.
    (A whole answer read before a shard went down may still be served from the cache, whole.)"""
    d, url = two_shards
    routes = _routes(kb)
    os.kill(int((d / "shard-1.pid").read_text()), signal.SIGKILL)
    with running_server(corpus_dir, tmp_path / "no-index", "--backend", url) as base:
        silent = []
        for path, kind in routes:
            status, headers, body = _read(base + path)
            if status != 200 or headers.get("x-kb-partial") != "1" or not _says_short(kind, body):
                silent.append((path, status, headers.get("x-kb-partial")))
        assert silent == []
        _restart(d)
        again = {path: (kind, *_read(base + path)) for path, kind in routes}
    assert [p for p, (kind, _, h, body) in again.items() if "x-kb-partial" in h or _says_short(kind, body)] == []
    answer = json.loads(again[f"/api/search?q={Q}&match=exact"][3])
    assert answer["total"] == kb.search(SearchRequest(q="法治 政府", match="exact"))["total"]


def test_no_read_says_partial_while_every_shard_answers(two_shards, corpus_dir, tmp_path, kb):
    """GIVEN two shards, both answering, and `kb serve --backend` on them WHEN every route is read
    (a misspelled search's near spellings and similar paragraphs among them) THEN none carries
    the X-KB-Partial header, a banner, "partial" or a first line saying it is short: searchd's
    empty warnings (code 1000, no message, after a statement of a multi-statement request)
    are not a shard left out."""
    _, url = two_shards
    with running_server(corpus_dir, tmp_path / "no-index", "--backend", url) as base:
        said = [path for path, kind in _routes(kb)
                for status, headers, body in [_read(base + path)]
                if status != 200 or "x-kb-partial" in headers or _says_short(kind, body)]
    assert said == []


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


def test_what_a_dead_shard_holds_is_not_called_missing(two_shards, corpus_dir, tmp_path, kb):
    """GIVEN shard 1 killed WHEN a paragraph or report that lives on it is asked for by id (similar
    paragraphs, a plan) over HTTP and on the command line THEN the answer is not "没有这个段落/报告"
    (404, exit 1) but 503 / `Error: …` naming the shard that did not answer, with the
    X-KB-Partial header and exit status 3; a paragraph that exists nowhere is still a 404 while
    every shard answers. A push refused while the shard is down is `Error: …`, exit 1."""
    d, url = two_shards
    on_dead = [r["id"] for r in kb.reports() if push.shard_of(r["id"], 2) == 1]
    assert on_dead
    paragraph = f"{on_dead[0]}.p1"
    os.kill(int((d / "shard-1.pid").read_text()), signal.SIGKILL)
    with running_server(corpus_dir, tmp_path / "no-index", "--backend", url) as base:
        for path in (f"/api/paragraphs/{paragraph}/similar", f"/paragraphs/{paragraph}/similar",
                     f"/api/reports/{on_dead[0]}/plan"):
            try:
                status, headers, body = _read(base + path)
            except urllib.error.HTTPError as e:
                status, headers, body = e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()
            assert status in (200, 503) and headers.get("x-kb-partial") == "1", (path, status)
            assert status == 200 or "没有应答" in body.decode("utf-8"), path
    done = subprocess.run([KB, "plans", on_dead[0], "--corpus", str(corpus_dir), "--backend", url],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 3 and "没有应答" in done.stderr, done.stderr
    done = subprocess.run([KB, "build", "--corpus", str(corpus_dir), "--backend", url], capture_output=True, text=True,
                          timeout=120)  # a push refused while a shard is down is an error, not a short read
    assert done.returncode == 1 and done.stderr.startswith("Error: "), done.stderr
    _restart(d)
    with running_server(corpus_dir, tmp_path / "no-index", "--backend", url) as base:
        try:
            _read(base + f"/api/paragraphs/{on_dead[0]}.p99999/similar")
            raise AssertionError("a paragraph that does not exist answered")
        except urllib.error.HTTPError as e:
            assert e.code == 404 and "x-kb-partial" not in {k.lower() for k in e.headers}


def test_a_plan_whose_next_report_is_on_a_dead_shard_does_not_say_there_is_none(tmp_path):
    """GIVEN a seed report and its agency's report of the next year on the other shard, that
    shard killed WHEN its plan is read (`kb plans`, the plan page, the agency's plans) THEN none
    says 尚无 (no next report yet): each says the next report may be on the shard that did not
    answer, and the command exits 3."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    first = (CORPUS / "2023-616b1600.md").read_text(encoding="utf-8")
    shutil.copy(CORPUS / "2023-616b1600.md", corpus)
    nid = next(f"2024-{n:08x}" for n in range(1, 64) if push.shard_of(f"2024-{n:08x}", 2) != push.shard_of("2023-616b1600", 2))
    nxt = first.replace("id: 2023-616b1600", f"id: {nid}").replace("year: 2023", "year: 2024").replace("2023年度", "2024年度")
    (corpus / f"{nid}.md").write_text(nxt, encoding="utf-8")
    d = tmp_path / "cluster"
    url = cluster.start(d, shards=2, timeout=0.5)
    try:
        push.push(url, corpus)
        os.kill(int((d / f"shard-{push.shard_of(nid, 2)}.pid").read_text()), signal.SIGKILL)
        done = subprocess.run([KB, "plans", "2023-616b1600", "--corpus", str(corpus), "--backend", url],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 3 and "尚无" not in done.stdout and "没有应答" in done.stdout, done.stdout
        agency = quote("宝丰县卫生健康委员会")
        with running_server(corpus, tmp_path / "no-index", "--backend", url) as base:
            for path in ("/reports/2023-616b1600/plan", f"/agencies/{agency}/plans"):
                page = _read(base + path)[2].decode("utf-8")
                assert "尚无" not in page and "没有应答的检索分片" in page, path
    finally:
        cluster.stop(d)

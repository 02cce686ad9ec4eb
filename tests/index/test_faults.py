"""Faults: damaged indexes, builds killed with SIGKILL, imports at the same time.

- A missing or damaged index (CURRENT gone or garbage, a generation gone, its
  kb-index.json, Whoosh's table of contents or segment, the stored text of a postings segment
  truncated, emptied, zeroed, garbled or deleted) is a 503 with ``run: kb build`` on the site, ``Error: … kb build`` from the
  command line, never a 500; ``kb build`` recovers it and the same answers come back.
- A build killed at any moment -- 0.1 s, 0.5 s, 1 s, 2 s after it starts, after Whoosh
  has committed but before the generation is recorded, just before the CURRENT switch,
  and just after it -- leaves a complete index serving (the old one, or after the
  switch the new one), the running site answers exactly as before, and the next build
  succeeds and removes what the killed ones left.
- Two imports at once: the second is refused before it writes anything, with a message;
  no report is lost or left out of the index.
- A generation removed while a search is about to read it: the search reads the new one.
"""

from __future__ import annotations

import gc
import io
import json
import logging
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from urllib.parse import quote

import pytest

from kb import build as kb_build
from kb import cli
from kb.core import corpus, locks
from kb.core.errors import IndexMissing
from kb.engines.embedded.engine import EmbeddedEngine
from kb.engines.embedded.generations import META, current_generation
from kb.knowledgebase import KnowledgeBase
from kb.search.request import SearchRequest
from tests.support.seeds import (
    CORPUS,
    LIPING_REPORT,
    NANYANG_P6,
    NANYANG_REPORT,
    copy_corpus,
    paragraph_counts,
    seed_paragraph_count,
)
from tests.support.server import KB, get, running_server

QUERIES = ["法律顾问", "双随机一公开", "执法 -处罚", "行政复议 OR 行政诉讼", ""]
ENV = {k: v for k, v in os.environ.items() if k not in ("KB_CORPUS", "KB_INDEX")}


def kb_run(*args, timeout=120) -> subprocess.CompletedProcess:
    return subprocess.run([KB, *map(str, args)], capture_output=True, text=True, env=ENV, timeout=timeout)


def kb_main(*args) -> tuple[int, str, str]:
    """`kb …` in-process: (exit code, stdout, stderr); a traceback fails the test."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        rc = cli.main([str(a) for a in args])
    return rc, out.getvalue(), err.getvalue()


def answers(search) -> dict[str, tuple[int, list[str]]]:
    """For each query: the total and the ids of the first page, from ``search(q) -> result``."""
    out = {}
    for q in QUERIES:
        result = search(q)
        out[q] = (result["total"], [h["id"] for h in result["hits"]])
    return out


def library_answers(corpus_dir: Path, index_dir: Path) -> dict:
    kb = KnowledgeBase(corpus_dir, index_dir, check_corpus=False)
    return answers(lambda q: kb.search(SearchRequest.from_args({"q": [q], "size": ["20"], "match": ["exact"]})))


def http_answers(base: str) -> dict:
    def search(q):
        status, data = get(f"{base}/api/search?size=20&match=exact&q={quote(q)}")
        assert status == 200, data
        return data
    return answers(search)


def generations(index_dir: Path) -> set[str]:
    return {p.name for p in index_dir.glob("gen-*")}


def segment_of(index_dir: Path, part: str = "whoosh") -> Path:
    """The segment file to damage: of Whoosh's (the paragraphs' keys, written as separate files:
    kb.engines.embedded.store.WRITER_OPTIONS) the largest of its term tables and postings (every
    hit's id is looked up in them); or (``part`` "stored") the largest of the stored fields of the
    postings segments (kb.engines.embedded.stored: a search reads those of every hit), the texts."""
    gen = index_dir / current_generation(index_dir)
    if part == "stored":
        return max(gen.glob("*.s_*_blob.npy"), key=lambda p: p.stat().st_size)
    files = [*gen.glob("*.seg"), *gen.glob("*.trm"), *gen.glob("*.pst"), *gen.glob("*.col")]
    return max(files, key=lambda p: p.stat().st_size)


# -- a missing or damaged index ----------------------------------------------------------------------


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _zero(path: Path) -> None:
    path.write_bytes(b"\0" * path.stat().st_size)


def _garble(path: Path, seed: int = 1) -> None:
    data = bytearray(path.read_bytes())
    rnd = random.Random(seed)
    for _ in range(len(data) // 50):
        data[rnd.randrange(len(data))] = rnd.randrange(256)
    path.write_bytes(bytes(data))


def _current(index_dir: Path) -> Path:
    return index_dir / current_generation(index_dir)


DAMAGE = {
    "no index folder": lambda ix: shutil.rmtree(ix),
    "empty index folder": lambda ix: [shutil.rmtree(p) if p.is_dir() else p.unlink() for p in list(ix.iterdir())],
    "CURRENT deleted": lambda ix: (ix / "CURRENT").unlink(),
    "CURRENT garbage": lambda ix: (ix / "CURRENT").write_bytes(b"\xff\xfe garbage \x00"),
    "CURRENT names a missing generation": lambda ix: (ix / "CURRENT").write_text("gen-1\n"),
    "CURRENT is a folder": lambda ix: ((ix / "CURRENT").unlink(), (ix / "CURRENT").mkdir()),
    "generation deleted": lambda ix: shutil.rmtree(_current(ix)),
    "kb-index.json garbage": lambda ix: (_current(ix) / "kb-index.json").write_text("{not json"),
    "kb-index.json deleted": lambda ix: (_current(ix) / "kb-index.json").unlink(),
    "table of contents deleted": lambda ix: next(_current(ix).glob("*.toc")).unlink(),
    "table of contents zeroed": lambda ix: _zero(next(_current(ix).glob("*.toc"))),
    "segment deleted": lambda ix: segment_of(ix).unlink(),
    "segment truncated": lambda ix: _truncate(segment_of(ix)),
    "segment emptied": lambda ix: segment_of(ix).write_bytes(b""),
    "segment zeroed (same size)": lambda ix: _zero(segment_of(ix)),
    "segment garbled (same size)": lambda ix: _garble(segment_of(ix)),
    "stored text truncated": lambda ix: _truncate(segment_of(ix, "stored")),
    "stored text garbled (same size)": lambda ix: _garble(segment_of(ix, "stored")),
}


@pytest.fixture(scope="module")
def baseline(corpus_dir, index_dir) -> dict:
    return library_answers(corpus_dir, index_dir)


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_index_says_run_kb_build_and_kb_build_recovers_it(corpus_dir, index_dir, baseline, tmp_path, damage):
    """GIVEN a served index WHEN it is damaged THEN every page and API call is a 200
    (what could still be read) or a 503 saying `run: kb build`, never a 500; the CLI says
    Error: … kb build; and after `kb build` the answers are those of before."""
    from web import create_app

    index = tmp_path / "index"
    shutil.copytree(index_dir, index)
    DAMAGE[damage](index)
    app = create_app({"CORPUS_DIR": str(corpus_dir), "INDEX_DIR": str(index)})
    app.logger.disabled = True
    logging.getLogger("kb.knowledgebase").disabled = True  # a damaged index is logged as an error
    try:
        client = app.test_client()
        statuses = set()
        for url in ("/api/search?q=法律顾问", "/api/search?q=执法&sort=year", "/api/search", "/api/compare?q=法律顾问",
                    "/api/reports", "/api/topics", f"/api/paragraphs/{NANYANG_P6}/similar", "/?q=法律顾问", "/reports"):
            r = client.get(url)
            statuses.add(r.status_code)
            assert r.status_code in (200, 503), (url, r.status_code)
            if r.status_code == 503:
                message = r.get_json()["error"] if url.startswith("/api/") else r.get_data(as_text=True)
                assert "kb build" in message, message
        assert 503 in statuses
    finally:
        logging.getLogger("kb.knowledgebase").disabled = False
    rc, _, err = kb_main("search", "--corpus", corpus_dir, "--index", index, "法律顾问")
    assert rc == 1 and err.startswith("Error: ") and "kb build" in err, err

    if damage == "CURRENT is a folder":  # not an index any more: kb build says what is in the way
        rc, _, err = kb_main("build", "--corpus", corpus_dir, "--index", index)
        assert rc == 1 and err.startswith("Error: ") and "CURRENT" in err, err
        (index / "CURRENT").rmdir()
    rc, _, err = kb_main("build", "--quiet", "--corpus", corpus_dir, "--index", index)
    assert rc == 0, err
    assert library_answers(corpus_dir, index) == baseline
    assert client.get("/api/search?q=法律顾问").status_code == 200  # the same running app recovers


def _search(q: str, sort: str = "relevance") -> Callable[[KnowledgeBase], dict]:
    return lambda kb: kb.search(SearchRequest.from_args({"q": [q], "sort": [sort]}))


#: Every kind of read of the index, by name: each goes through KnowledgeBase.read.
READS: dict[str, Callable[[KnowledgeBase], object]] = {
    **{f"search {q or '(all)'} {s}": _search(q, s)
       for q in ("", "法律顾问", "执法 -处罚", "法") for s in ("relevance", "year")},
    "reports": KnowledgeBase.reports,
    "agencies": KnowledgeBase.agencies,
    "years": KnowledgeBase.years,
    "topics": KnowledgeBase.topics,
    "report": lambda kb: kb.report(NANYANG_REPORT, q="法律顾问"),
    "similar": lambda kb: kb.similar(NANYANG_P6),
    "compare": lambda kb: kb.compare(SearchRequest.from_args({"q": ["法律顾问"]})),
    "export": lambda kb: list(kb.export(SearchRequest.from_args({"q": ["执法"]}))),
    "regulations": KnowledgeBase.regulations,
    "regulation": lambda kb: kb.regulation("中华人民共和国行政处罚法"),
}


def _every_read(kb: KnowledgeBase) -> list:
    """A call of each kind of read of the index."""
    return [lambda read=read: read(kb) for read in READS.values()]


def _timeless(answer):
    """An answer without the time it took."""
    return {k: v for k, v in answer.items() if k != "took_ms"} if isinstance(answer, dict) else answer


def test_each_read_whose_generation_a_build_removes_under_it_reads_the_new_one(fresh_copy, monkeypatch):
    """GIVEN a KnowledgeBase that hands each kind of read -- export, regulations and the
    report page included -- generation A, WHEN builds switch to newer generations and
    remove A before the read opens its files THEN every read answers as before, from
    the newest generation, never with an error."""
    corpus_dir, index_dir = fresh_copy
    before = {name: _timeless(read(KnowledgeBase(corpus_dir, index_dir))) for name, read in READS.items()}
    stale = {name: EmbeddedEngine.open(index_dir) for name in READS}  # each on A, its files not read yet
    kb_build.build(corpus_dir, index_dir, full=True)
    kb_build.build(corpus_dir, index_dir, full=True)
    assert stale["reports"].generation not in generations(index_dir)
    real_engine = KnowledgeBase.engine
    handed: list[str] = []
    for name, read in READS.items():
        kb = KnowledgeBase(corpus_dir, index_dir)

        def stale_once(self, name=name):  # the race: engine() checked CURRENT just before the switch
            if name not in handed:
                handed.append(name)
                return stale[name]
            return real_engine(self)

        monkeypatch.setattr(KnowledgeBase, "engine", stale_once)
        assert _timeless(read(kb)) == before[name], name
        monkeypatch.setattr(KnowledgeBase, "engine", real_engine)
    assert handed == list(READS)


# Whoosh leaves the file of a segment it fails to read to the garbage collector.
@pytest.mark.filterwarnings("ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning")
def test_damage_inside_a_segment_while_served_is_an_index_error_never_a_raw_one(corpus_dir, index_dir, tmp_path):
    """GIVEN an opened index whose Whoosh segment or stored text (in turn) is then garbled at
    random (15 ways) WHEN
    searching, listing and comparing THEN each call answers or raises IndexMissing: the
    errors Whoosh raises on bad bytes (EOFError, zlib.error, UnpicklingError,
    struct.error, UnicodeDecodeError, IndexError …) and those of reading a stored value
    (zlib.error, a JSON error) never escape as themselves.
    (Damage done before the index is opened is caught by the checksums: see above.)"""
    logging.getLogger("kb.knowledgebase").disabled = True
    try:
        outcomes = {"ok": 0, "IndexMissing": 0}
        for seed in range(15):
            index = tmp_path / f"index-{seed}"
            shutil.copytree(index_dir, index)
            kb = KnowledgeBase(corpus_dir, index)
            kb.engine()
            _garble(segment_of(index, ("whoosh", "stored")[seed % 2]), seed)
            calls = _every_read(kb)
            for call in calls:
                try:
                    call()
                    outcomes["ok"] += 1
                except IndexMissing as e:
                    assert "kb build" in str(e)
                    outcomes["IndexMissing"] += 1
            del kb, calls
            gc.collect()  # the files Whoosh left open, while their warnings are ignored
            shutil.rmtree(index)
    finally:
        logging.getLogger("kb.knowledgebase").disabled = False
    assert outcomes["IndexMissing"] > 0


def test_kb_serve_rebuilds_a_truncated_index_before_serving(corpus_dir, index_dir, baseline, tmp_path):
    corpus = copy_corpus(tmp_path / "corpus")
    index = tmp_path / "index"
    shutil.copytree(index_dir, index)
    _truncate(segment_of(index))
    with running_server(corpus, index) as base:
        assert http_answers(base) == baseline


def test_a_served_generation_is_kept_when_the_corpus_changes_again_after_the_switch(fresh_copy):
    """GIVEN a running KnowledgeBase WHEN a build switches generations and the corpus is
    changed again before the site reopens THEN the site serves the new generation (it is
    complete) instead of failing until the next build; a fresh CLI still says stale."""
    corpus_dir, index_dir = fresh_copy
    kb = KnowledgeBase(corpus_dir, index_dir)
    kb.engine()
    shutil.copy(corpus_dir / f"{LIPING_REPORT}.md", corpus_dir / "2024-00000001.md")
    meta = kb_build.build(corpus_dir, index_dir)
    (corpus_dir / "2024-00000001.md").unlink()  # a change after the build, not yet built
    assert kb.search(SearchRequest.from_args({}))["total"] == meta["paragraphs"] == 112
    reports = kb.reports()  # the removed report is listed from what the index holds
    assert [r["id"] for r in reports if r["id"] == "2024-00000001"] == ["2024-00000001"]
    with pytest.raises(IndexMissing, match="corpus changed"):
        KnowledgeBase(corpus_dir, index_dir).engine()


# -- locks: imports and builds at the same time ------------------------------------------------------


def _report_file(folder: Path, title: str, marker: str) -> Path:
    path = folder / f"{marker}.txt"
    path.write_text(f"{title}\n\n一、主要举措和成效\n\n今年我们推进了{marker}工作，取得了成效。\n", encoding="utf-8")
    return path


def test_an_import_while_another_holds_the_lock_is_refused_and_writes_nothing(fresh_copy, tmp_path):
    corpus_dir, index_dir = fresh_copy
    source = _report_file(tmp_path, "某局2024年法治政府建设年度报告", "独特标记甲")
    before = sorted(p.name for p in corpus_dir.iterdir())
    served = current_generation(index_dir)
    with locks.exclusive(corpus_dir):  # as a running import or build holds it
        proc = kb_run("import", "--corpus", corpus_dir, "--index", index_dir, "--agency", "某局", "--year", "2024", source)
    assert proc.returncode == 1 and proc.stderr.startswith("Error: "), proc.stderr
    assert "another build is running" in proc.stderr and "nothing was changed" in proc.stderr
    assert sorted(p.name for p in corpus_dir.iterdir()) == before
    assert current_generation(index_dir) == served
    proc = kb_run("import", "--corpus", corpus_dir, "--index", index_dir, "--agency", "某局", "--year", "2024", source)
    assert proc.returncode == 0, proc.stderr
    kb = KnowledgeBase(corpus_dir, index_dir)
    assert kb.search(SearchRequest.from_args({"q": ['"独特标记甲"']}))["total"] == 1


def test_two_imports_at_once_lose_no_report(fresh_copy, tmp_path):
    """GIVEN two `kb import` of different reports started at the same moment
    THEN each one either imported and indexed its report, or was refused with the message
    having written nothing; once the refused one is run again both are in the index."""
    corpus_dir, index_dir = fresh_copy
    sources = {m: _report_file(tmp_path, f"{a}2024年法治政府建设年度报告", m)
               for m, a in (("独特标记乙", "甲局"), ("独特标记丙", "乙局"))}
    agencies = {"独特标记乙": "甲局", "独特标记丙": "乙局"}

    def start(marker):
        return subprocess.Popen([KB, "import", "--corpus", str(corpus_dir), "--index", str(index_dir), "--agency",
                                 agencies[marker], "--year", "2024", str(sources[marker])],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)

    procs = {m: start(m) for m in sources}
    results = {m: (p.wait(120), p.stdout.read(), p.stderr.read()) for m, p in procs.items()}
    for p in procs.values():
        p.stdout.close(), p.stderr.close()
    succeeded = [m for m, (rc, _, _) in results.items() if rc == 0]
    assert succeeded, results
    kb = KnowledgeBase(corpus_dir, index_dir)
    for marker, (rc, _, err) in results.items():
        found = kb.search(SearchRequest.from_args({"q": [f'"{marker}"']}))["total"]
        if rc == 0:
            assert found == 1, marker
        else:
            assert "another build is running" in err and "Traceback" not in err, err
            assert found == 0 and not any(marker in p.read_text(encoding="utf-8") for p in corpus_dir.glob("*.md"))
            proc = kb_run("import", "--corpus", corpus_dir, "--index", index_dir, "--agency", agencies[marker],
                          "--year", "2024", sources[marker])
            assert proc.returncode == 0, proc.stderr
    kb = KnowledgeBase(corpus_dir, index_dir)
    assert all(kb.search(SearchRequest.from_args({"q": [f'"{m}"']}))["total"] == 1 for m in sources)
    assert len(corpus.paths(corpus_dir)) == 7


def test_a_build_during_an_import_is_refused(fresh_copy, tmp_path):
    corpus_dir, index_dir = fresh_copy
    holding = threading.Event()
    release = threading.Event()

    def hold():
        with locks.exclusive(corpus_dir):
            holding.set()
            release.wait(30)

    threading.Thread(target=hold, daemon=True).start()
    assert holding.wait(10)
    try:
        proc = kb_run("build", "--corpus", corpus_dir, "--index", index_dir)
    finally:
        release.set()
    assert proc.returncode == 1 and "another build is running" in proc.stderr and "Traceback" not in proc.stderr


# -- SIGKILL -----------------------------------------------------------------------------------------------------

#: Runs `kb …` with one step of kb.build replaced by a pause that says where it is, so the
#: test can SIGKILL the build at exactly that point (no hook in the product).
STAGE_SCRIPT = """
import importlib, sys, time
from kb import cli
stage, module, name = sys.argv[1:4]
def pause(*args, **kwargs):
    print("AT", stage, flush=True)
    time.sleep(600)
setattr(importlib.import_module(module), name, pause)
sys.exit(cli.main(sys.argv[4:]))
"""
STAGES = {  # stage -> the step of kb.build.build that it stops in
    "after the Whoosh commit, before the generation is recorded": "kb.core.files:sync_and_list",
    "just before the CURRENT switch": "kb.build:_replace_current",
    "just after the CURRENT switch": "kb.build:_remove_old_generations",
}
COPIES = 10  # copies of the five seed reports added before the killed builds (a build of 55 reports: a few seconds)


def grow(corpus_dir: Path, copies: range) -> None:
    """Add copies of the five seed reports (ids ``<id>-copyNN``)."""
    for path in sorted(CORPUS.glob("*.md")):
        report = corpus.read(path)
        for i in copies:
            report.id = f"{path.stem}-copy{i:02d}"
            corpus.write(corpus_dir, report)


def kill_at_time(corpus_dir: Path, index_dir: Path, seconds: float) -> None:
    proc = subprocess.Popen([KB, "build", "--quiet", "--corpus", str(corpus_dir), "--index", str(index_dir)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    time.sleep(seconds)
    assert proc.poll() is None, f"the build ended before {seconds} s: make the corpus bigger (COPIES)"
    proc.send_signal(signal.SIGKILL)
    assert proc.wait(10) == -signal.SIGKILL


def timed_build_of_copy(corpus_dir: Path, index_dir: Path, scratch: Path) -> float:
    """How long `kb build` takes on copies of ``corpus_dir`` and ``index_dir`` (so that
    the builds killed "at a time" are killed while they run, however fast the machine)."""
    shutil.copytree(corpus_dir, scratch / "corpus")
    shutil.copytree(index_dir, scratch / "index", ignore=shutil.ignore_patterns("*LOCK", ".lock"))
    started = time.perf_counter()
    subprocess.run([KB, "build", "--quiet", "--corpus", str(scratch / "corpus"), "--index", str(scratch / "index")],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    return time.perf_counter() - started


def kill_at_stage(corpus_dir: Path, index_dir: Path, stage: str, script: Path) -> None:
    proc = subprocess.Popen([sys.executable, str(script), stage, *STAGES[stage].split(":"), "build", "--quiet",
                             "--corpus", str(corpus_dir), "--index", str(index_dir)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
    try:
        line = proc.stdout.readline()
        assert line.strip() == f"AT {stage}", (line, proc.stderr.read() if proc.poll() is not None else "")
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(10) == -signal.SIGKILL
    finally:
        proc.stdout.close(), proc.stderr.close()
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_a_build_killed_at_any_point_leaves_a_complete_index_serving(tmp_path):
    """GIVEN `kb serve` serving the five seed reports
    WHEN the corpus doubles and `kb build` is SIGKILLed after the Whoosh commit (before
    the generation is recorded) and just before the CURRENT switch THEN each time CURRENT
    still names the old generation and the site answers exactly as before;
    WHEN one is killed just after the switch THEN the site answers from the new, complete
    index (every total doubled);
    WHEN the corpus grows to 55 reports and builds are killed at 5%, 25%, 50% and 75% of
    the time such a build takes (timed on a copy first) THEN the site still answers from
    that index, exactly;
    and the next build succeeds, serves all 55 reports and removes what the killed
    builds left."""
    corpus_dir = copy_corpus(tmp_path / "corpus")
    index_dir = tmp_path / "index"
    kb_build.build(corpus_dir, index_dir)
    served = current_generation(index_dir)
    script = tmp_path / "stage.py"
    script.write_text(STAGE_SCRIPT, encoding="utf-8")
    with running_server(corpus_dir, index_dir) as base:
        before = http_answers(base)
        assert before["法律顾问"][0] == 14
        grow(corpus_dir, range(1))
        for stage in list(STAGES)[:2]:
            kill_at_stage(corpus_dir, index_dir, stage, script)
            assert current_generation(index_dir) == served, stage
            assert http_answers(base) == before, stage
            assert library_answers(corpus_dir, index_dir) == before
        left = generations(index_dir) - {served}
        assert len(left) == 2 and sum((index_dir / g / META).is_file() for g in left) == 1

        stage = list(STAGES)[2]
        kill_at_stage(corpus_dir, index_dir, stage, script)
        switched = current_generation(index_dir)
        assert switched != served
        doubled = http_answers(base)
        assert {q: total for q, (total, _) in doubled.items()} == {q: 2 * total for q, (total, _) in before.items()}

        grow(corpus_dir, range(1, COPIES))
        took = min(timed_build_of_copy(corpus_dir, index_dir, tmp_path / f"timing{i}") for i in (1, 2))
        for seconds in (0.05 * took, 0.25 * took, 0.45 * took, 0.6 * took):  # a timed build may run slower
            kill_at_time(corpus_dir, index_dir, seconds)
            assert current_generation(index_dir) == switched, seconds
            assert http_answers(base) == doubled, seconds
            assert library_answers(corpus_dir, index_dir) == doubled

        rc, out, err = kb_main("build", "--corpus", corpus_dir, "--index", index_dir)
        assert rc == 0, err
        reports, paragraphs = len(paragraph_counts()), seed_paragraph_count()
        assert f"of {reports * (COPIES + 1)} reports" in out and f": {paragraphs * (COPIES + 1)} paragraphs" in out
        final = current_generation(index_dir)
        assert generations(index_dir) == {switched, final}  # what the killed builds left is gone
        after = http_answers(base)
        assert {q: total for q, (total, _) in after.items()} == {
            q: (COPIES + 1) * total for q, (total, _) in before.items()}
        assert after == library_answers(corpus_dir, index_dir)
    rc, out, err = kb_main("search", "--corpus", corpus_dir, "--index", index_dir, "--json", "法律顾问")
    assert rc == 0 and json.loads(out)["exact_total"] == before["法律顾问"][0] * (COPIES + 1)


WRITE_SCRIPT = """
import os, sys, time
from pathlib import Path
from kb.core import corpus
report = corpus.read(Path(sys.argv[2]))
report.body += "\\n\\n改写后的新段落。\\n"
real = os.replace
def pause(src, dst):
    print("AT rename", flush=True)
    time.sleep(600)
os.replace = pause
corpus.write(Path(sys.argv[1]), report)
"""


def test_a_report_write_killed_before_its_rename_leaves_the_old_report(fresh_copy, tmp_path):
    """GIVEN a report being rewritten WHEN the writer is SIGKILLed after writing the new
    text, before its rename THEN the report file is the old one, whole; the temporary file
    left is not a report; the next build indexes the five reports as before."""
    corpus_dir, index_dir = fresh_copy
    path = corpus_dir / f"{LIPING_REPORT}.md"
    before = path.read_bytes()
    script = tmp_path / "write.py"
    script.write_text(WRITE_SCRIPT, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(script), str(corpus_dir), str(path)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
    try:
        assert proc.stdout.readline().strip() == "AT rename", proc.stderr.read()
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        proc.stdout.close(), proc.stderr.close()
    assert path.read_bytes() == before
    [left] = [p for p in corpus_dir.iterdir() if p.name.startswith(".")]
    assert "改写后的新段落" in left.read_text(encoding="utf-8")  # the new text, never renamed
    assert [p.name for p in corpus.paths(corpus_dir)] == sorted(p.name for p in CORPUS.glob("*.md"))
    assert kb_build.build(corpus_dir, index_dir)["paragraphs"] == seed_paragraph_count()

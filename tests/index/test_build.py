"""Incremental and atomic index updates.

- ``kb build`` indexes only the reports added, changed or removed since the last build,
  and the result is the index a full build makes;
- a search running while builds switch generations sees the old index or the new one;
- a build killed at any moment leaves the previous index serving;
- the running site picks up the index that ``kb import`` updates, without a restart.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from kb import build as kb_build
from kb.core import corpus
from kb.engines.embedded import generations, store
from kb.engines.embedded.engine import EmbeddedEngine
from kb.knowledgebase import KnowledgeBase
from kb.search.request import SearchRequest
from tests.support.seeds import LIPING_REPORT, NANYANG_REPORT, paragraph_counts, seed_paragraph_count
from tests.support.server import get, running_server

KB = str(Path(sys.executable).parent / "kb")


def everything(kb: KnowledgeBase) -> dict[str, str]:
    """Every indexed paragraph: id -> text (paging through all of them)."""
    out, page = {}, 1
    while True:
        result = kb.search(SearchRequest.from_args({"size": ["100"], "page": [str(page)]}))
        out |= {h["id"]: h["text"] for h in result["hits"]}
        if page >= result["pages"]:
            return out
        page += 1


def edit(corpus_dir: Path, rid: str, text: str) -> None:
    path = corpus.report_path(corpus_dir, rid)
    path.write_text(path.read_text(encoding="utf-8") + "\n" + text + "\n", encoding="utf-8")


def test_only_added_changed_and_removed_reports_are_indexed_again(fresh_copy, tmp_path):
    """GIVEN a built index of the five seeds
    WHEN one report is edited, one removed and one added
    THEN the next build indexes two reports (the edited and the added one), deletes the
    removed one, and the index answers exactly as a full build of the same corpus."""
    corpus_dir, index_dir = fresh_copy
    edit(corpus_dir, LIPING_REPORT, "新增段落：增量构建的标记甲乙丙。")
    (corpus_dir / "2023-7a72d09e.md").unlink()
    added = corpus.read(corpus_dir / "2025-597752dc.md")
    added.id, added.agency = "2025-00000001", "某县卫生健康局"
    corpus.write(corpus_dir, added)
    calls = []
    meta = kb_build.build(corpus_dir, index_dir, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 2), (2, 2)]
    assert {k: meta[k] for k in ("added", "changed", "removed", "reindexed", "incremental", "unchanged")} == {
        "added": 1, "changed": 1, "removed": 1, "reindexed": 2, "incremental": True, "unchanged": False}
    assert meta["reports"] == len(paragraph_counts()) and set(meta["checksums"]) == {p.stem for p in corpus.paths(corpus_dir)}
    kb = KnowledgeBase(corpus_dir, index_dir)  # the fingerprint check passes: the index is current
    full = tmp_path / "full-index"
    kb_build.build(corpus_dir, full, full=True)
    assert everything(kb) == everything(KnowledgeBase(corpus_dir, full))
    seeds = paragraph_counts()
    assert meta["paragraphs"] == len(everything(kb)) == (seed_paragraph_count() - seeds["2023-7a72d09e"] + 1
                                                         + seeds["2025-597752dc"])
    assert {r["id"]: r["paragraphs"] for r in kb.reports()} == {
        r["id"]: r["paragraphs"] for r in KnowledgeBase(corpus_dir, full).reports()}
    added_id = f"{LIPING_REPORT}.p{paragraph_counts()[LIPING_REPORT] + 1}"  # the paragraph added last
    assert [h["id"] for h in kb.search(SearchRequest.from_args({"q": ["甲乙丙"]}))["hits"]] == [added_id]


def test_an_unchanged_corpus_is_not_indexed_again(fresh_copy):
    corpus_dir, index_dir = fresh_copy
    served = generations.current_generation(index_dir)
    calls = []
    meta = kb_build.build(corpus_dir, index_dir, progress=lambda *a: calls.append(a))
    assert meta["unchanged"] and meta["generation"] == served and calls == []
    assert generations.current_generation(index_dir) == served


def test_a_new_dictionary_or_schema_means_a_full_build(fresh_copy):
    corpus_dir, index_dir = fresh_copy
    meta_path = index_dir / generations.current_generation(index_dir) / generations.META
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta_path.write_text(json.dumps(meta | {"dictionary": "0000"}), encoding="utf-8")
    rebuilt = kb_build.build(corpus_dir, index_dir)
    assert not rebuilt["incremental"] and rebuilt["reindexed"] == 5


def test_the_new_generation_shares_unchanged_files_and_never_writes_into_the_served_one(fresh_copy):
    """Copy-on-write: the served generation's files are untouched by an incremental build
    (same names, sizes and contents), and the new one hard-links the segment files."""
    corpus_dir, index_dir = fresh_copy
    served = index_dir / generations.current_generation(index_dir)
    before = {f.name: f.read_bytes() for f in served.iterdir()}
    edit(corpus_dir, LIPING_REPORT, "新增段落：写时复制的标记。")
    meta = kb_build.build(corpus_dir, index_dir)
    assert {f.name: f.read_bytes() for f in served.iterdir()} == before
    new = index_dir / meta["generation"]
    shared = [f for f in new.iterdir() if (served / f.name).exists() and f.stat().st_ino == (served / f.name).stat().st_ino]
    assert shared, "segment files are hard links, not copies"


def test_searches_during_builds_see_the_old_index_or_the_new_one(fresh_copy):
    """GIVEN searches running in a loop in another thread
    WHEN builds switch generations (a paragraph added, then removed, five times)
    THEN every search answers, with the old total or the new one, never an error or a
    partial count."""
    corpus_dir, index_dir = fresh_copy
    kb = KnowledgeBase(corpus_dir, index_dir, check_corpus=False)
    path = corpus_dir / f"{LIPING_REPORT}.md"
    original = path.read_text(encoding="utf-8")
    totals, errors, stop = set(), [], threading.Event()

    def searching():
        while not stop.is_set():
            try:
                totals.add(kb.search(SearchRequest.from_args({"q": ["法治"], "size": ["5"]}))["total"])
            except Exception as e:  # noqa: BLE001 -- any error is the failure being tested
                errors.append(repr(e))

    thread = threading.Thread(target=searching)
    thread.start()
    try:
        for _ in range(5):
            path.write_text(original + "\n新增段落：法治政府建设的并发标记。\n", encoding="utf-8")
            kb_build.build(corpus_dir, index_dir)
            path.write_text(original, encoding="utf-8")
            kb_build.build(corpus_dir, index_dir)
    finally:
        stop.set()
        thread.join()
    base = kb.search(SearchRequest.from_args({"q": ["法治"]}))["total"]
    assert errors == []
    assert totals <= {base, base + 1} and base in totals


def _big_corpus(corpus_dir: Path, copies: int) -> None:
    """The seeds ``copies`` times over (other ids, a mark in each), to make builds slow enough to kill."""
    seeds = [corpus.read(p) for p in corpus.paths(corpus_dir)]
    for n in range(copies):
        for r in seeds:
            r2 = corpus.parse_text(corpus.to_text(r))
            r2.id = f"{r.year}-c{n:03d}{r.id[-4:]}"
            r2.body = r.body + f"\n复制第{n}份。\n"
            corpus.write(corpus_dir, r2)


@pytest.mark.parametrize("mode, delay", [("full", 0.0), ("full", 1.0), ("incremental", 0.5)])
def test_a_build_killed_midway_leaves_the_old_index_answering(fresh_copy, mode, delay):
    """GIVEN a served index of the five seeds and a corpus grown to 105 reports (505 for a
    kill a second into the build)
    WHEN `kb build` (full, or incremental) is killed with SIGKILL ``delay`` seconds after
    its new generation appeared
    THEN CURRENT still names the old generation, which answers as before; the next build
    succeeds and removes what the killed one left."""
    corpus_dir, index_dir = fresh_copy
    served = generations.current_generation(index_dir)
    old = everything(KnowledgeBase(corpus_dir, index_dir))
    _big_corpus(corpus_dir, 20 + int(80 * delay))  # a later kill needs a longer build (builds got faster)
    args = [KB, "build", "--corpus", str(corpus_dir), "--index", str(index_dir), "--quiet"]
    proc = subprocess.Popen(args + (["--full"] if mode == "full" else []), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env={k: v for k, v in os.environ.items() if not k.startswith("KB_")})
    deadline = time.monotonic() + 60
    while not [p for p in index_dir.glob("*gen-*") if p.name.lstrip(".").split(".")[0] != served]:
        assert proc.poll() is None, "the build ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    if proc.returncode == 0:
        pytest.skip("the build finished before the kill (a faster machine): nothing to check")
    assert generations.current_generation(index_dir) == served
    kb = KnowledgeBase(corpus_dir, index_dir, check_corpus=False)
    assert everything(kb) == old
    assert len(kb.reports()) == len(paragraph_counts())
    meta = kb_build.build(corpus_dir, index_dir)
    assert meta["reports"] == len(corpus.paths(corpus_dir))
    assert {p.name for p in index_dir.iterdir() if "gen-" in p.name} == {served, meta["generation"]}


def test_the_running_site_picks_up_an_import_without_a_restart(corpus_dir, tmp_path):
    """GIVEN `kb serve` running on a corpus
    WHEN `kb import` adds a report (a .docx) and updates the index
    THEN the same server finds the new report's paragraphs."""
    from tests.support import samples

    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir, corpus)
    index_dir = tmp_path / "index"
    with running_server(corpus, index_dir) as base:
        status, before = get(base + "/api/search?q=" + quote("郏政"))
        assert status == 200 and before["total"] == 0
        docx = samples.write_docx(tmp_path / "report.docx")
        proc = subprocess.run([KB, "import", "--corpus", str(corpus), "--index", str(index_dir), str(docx)],
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        assert "indexed 1 of 6 reports (1 added, 0 changed, 0 removed)" in proc.stdout
        status, after = get(base + "/api/search?q=" + quote("郏政"))
        assert status == 200 and after["total"] == 1
        assert after["hits"][0]["agency"] == "郏县司法局" and after["hits"][0]["region"] == "河南省"


def test_when_deleted_paragraphs_pile_up_the_segments_are_rewritten(fresh_copy):
    """Removing four of five reports deletes most documents: the build rewrites the
    segments without them, and counts, facets and the report list stay right."""
    corpus_dir, index_dir = fresh_copy
    for rid in ("2023-616b1600", "2023-7a72d09e", NANYANG_REPORT, "2025-597752dc"):
        (corpus_dir / f"{rid}.md").unlink()
    meta = kb_build.build(corpus_dir, index_dir)
    left = paragraph_counts()[LIPING_REPORT]
    assert (meta["removed"], meta["paragraphs"]) == (4, left)
    assert EmbeddedEngine.open(index_dir, corpus_dir).store.doc_counts() == (left, left)  # (live, all)
    kb = KnowledgeBase(corpus_dir, index_dir)
    result = kb.search(SearchRequest.from_args({}))
    assert result["total"] == left and [f["value"] for f in result["facets"]["agency"]] == ["黎平县卫生健康局"]
    assert [r["id"] for r in kb.reports()] == [LIPING_REPORT]


def test_a_served_generation_whoosh_cannot_open_is_indexed_again_in_full(fresh_copy, monkeypatch):
    """GIVEN a built index whose files are intact but that Whoosh cannot open (an index
    written by other code: its pickled schema names a module that is gone)
    WHEN a report changes and kb build runs THEN it indexes every report, not a copy."""
    corpus_dir, index_dir = fresh_copy
    edit(corpus_dir, LIPING_REPORT, "新增段落：无法打开的旧索引。")
    real_open = store.whoosh_index.open_dir

    def failing_open(path, *args, **kwargs):
        monkeypatch.setattr(store.whoosh_index, "open_dir", real_open)  # only the first open fails
        raise ModuleNotFoundError("No module named 'kb.analysis'")

    monkeypatch.setattr(store.whoosh_index, "open_dir", failing_open)
    meta = kb_build.build(corpus_dir, index_dir)
    assert meta["reindexed"] == len(paragraph_counts()) and not meta["incremental"]
    assert meta["paragraphs"] == seed_paragraph_count() + 1  # the paragraph added
    assert KnowledgeBase(corpus_dir, index_dir).search(SearchRequest.from_args({"q": ["无法打开的旧索引"]}))["total"] == 1

"""Opening an index (issue 17): a stat per file, not a checksum of every byte; what a
first search needs is loaded when the index opens; ``kb check`` reads every byte
against the sha256 recorded by the build and names a damaged file."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kb.core import files
from kb.core.errors import IndexMissing
from kb.engines.embedded import generations
from kb.knowledgebase import KnowledgeBase
from kb.search.request import SearchRequest
from tests.support import paths
from tests.support.server import KB

ENV = {k: v for k, v in os.environ.items() if k not in ("KB_CORPUS", "KB_INDEX")}


def kb_run(*args) -> subprocess.CompletedProcess:
    return subprocess.run([KB, *map(str, args)], capture_output=True, text=True, env=ENV, timeout=120)


@pytest.fixture
def copied(index_dir, tmp_path) -> Path:
    index = tmp_path / "index"
    shutil.copytree(index_dir, index)
    return index


def _files(index: Path) -> tuple[Path, dict]:
    gen = index / generations.current_generation(index)
    return gen, json.loads((gen / generations.META).read_text(encoding="utf-8"))["files"]


def _garble(path: Path) -> None:
    """Change bytes in the middle of a file, keeping its size."""
    data = bytearray(path.read_bytes())
    rnd = random.Random(3)
    for _ in range(max(1, len(data) // 50)):
        i = rnd.randrange(len(data) // 4, len(data))
        data[i] = (data[i] + 1 + rnd.randrange(255)) % 256
    path.write_bytes(bytes(data))


def test_opening_an_index_checks_sizes_without_reading_a_checksum(corpus_dir, copied, monkeypatch):
    """GIVEN a built index WHEN it is opened (as a server does before it listens) with
    the checksum function made to fail on any file over files.SMALL (4 KB here) THEN it opens and
    answers: the postings arrays and the stored paragraphs were not hashed; a file whose
    size is not the recorded one is still named as damage at open."""
    real = files.sha256
    hashed = []

    def no_hashing(path):  # the tables of contents and metadata (small files) are hashed
        assert Path(path).stat().st_size <= files.SMALL, f"opening hashed {path}"
        hashed.append(path)
        return real(path)

    monkeypatch.setattr(files, "SMALL", 4096)  # the seed index is small: most of its files are bigger
    monkeypatch.setattr(files, "sha256", no_hashing)
    kb = KnowledgeBase(corpus_dir, copied)
    assert kb.search(SearchRequest(q="法律顾问"))["total"] > 0
    gen, recorded = _files(copied)
    assert len(hashed) < len(recorded) and sum(size > 4096 for size, _ in recorded.values()) > 10
    biggest = max(recorded, key=lambda name: recorded[name][0])
    with open(gen / biggest, "ab") as f:
        f.write(b"\0")
    with pytest.raises(IndexMissing, match="kb build") as e:
        generations.open_generation(copied, corpus_dir)
    assert biggest in str(e.value)


def test_the_first_search_finds_everything_it_needs_loaded_when_the_index_opens(corpus_dir, index_dir):
    """GIVEN a fresh process WHEN it opens the index (KnowledgeBase.engine(), what kb serve
    does before it listens) THEN the postings and their columns, the segmenter with its
    dictionary and the converter are loaded, and a search was answered, before any search
    is asked."""
    code = f"""
import json, sys
from pathlib import Path
from kb.text import textnorm
from kb.text import words
from kb.knowledgebase import KnowledgeBase
kb = KnowledgeBase(Path({str(corpus_dir)!r}), Path({str(index_dir)!r}))
before = [words.segmenter.cache_info().currsize, textnorm._t2s.cache_info().currsize]
engine = kb.engine()
print(json.dumps({{"before": before,
                  "after": [words.segmenter.cache_info().currsize, textnorm._t2s.cache_info().currsize],
                  "postings": "postings" in engine.cache, "answers": len(engine.cache.get("search", ()))}}))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=ENV, timeout=120,
                         cwd=paths.ROOT)
    assert out.returncode == 0, out.stderr
    state = json.loads(out.stdout)
    assert state["before"] == [0, 0]
    assert state == state | {"after": [1, 1], "postings": True} and state["answers"] >= 1


def test_kb_check_verifies_every_file_and_names_a_damaged_one(corpus_dir, copied, monkeypatch):
    """GIVEN a built index WHEN `kb check` runs THEN it says every file is as built and
    exits 0; AFTER a file is garbled in the middle (same size: opening does not see it)
    it exits 1 with Error: … naming that file … kb build; after `kb build` it passes again."""
    ok = kb_run("check", "--corpus", corpus_dir, "--index", copied)
    assert ok.returncode == 0, ok.stderr
    gen, recorded = _files(copied)
    assert f"{len(recorded)} files" in ok.stdout and "sha256" in ok.stdout, ok.stdout

    victim = max((name for name in recorded if name.endswith(".npy")), key=lambda name: recorded[name][0])
    _garble(gen / victim)
    monkeypatch.setattr(files, "SMALL", 0)  # the seed index's files are small: opening would hash them
    generations.open_generation(copied, corpus_dir)  # the size is as recorded: opening does not read it
    bad = kb_run("check", "--corpus", corpus_dir, "--index", copied)
    assert bad.returncode == 1 and bad.stderr.startswith("Error: "), bad.stderr
    assert victim in bad.stderr and "kb build" in bad.stderr, bad.stderr

    rebuilt = kb_run("build", "--quiet", "--corpus", corpus_dir, "--index", copied)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert kb_run("check", "--corpus", corpus_dir, "--index", copied).returncode == 0


def test_kb_check_says_when_the_corpus_changed_or_there_is_no_index(corpus_dir, copied, tmp_path):
    missing = kb_run("check", "--corpus", corpus_dir, "--index", tmp_path / "nothing")
    assert missing.returncode == 1 and "kb build" in missing.stderr, missing.stderr
    other = tmp_path / "corpus"
    shutil.copytree(corpus_dir, other)
    report = sorted(other.glob("*.md"))[0]
    report.write_text(report.read_text(encoding="utf-8") + "\n新增一段。\n", encoding="utf-8")
    stale = kb_run("check", "--corpus", other, "--index", copied)
    assert stale.returncode == 1 and "corpus changed" in stale.stderr and "kb build" in stale.stderr, stale.stderr


def test_a_postings_file_garbled_after_opening_is_damage_on_first_read(corpus_dir, copied):
    """GIVEN an index whose postings files are zeroed (same size) before a server opens it
    WHEN searched THEN IndexMissing saying kb build (the damaged file is found when
    reading it fails), never another error."""
    gen, recorded = _files(copied)
    for name in recorded:
        if name.endswith(".npy"):
            (gen / name).write_bytes(b"\0" * recorded[name][0])
    kb = KnowledgeBase(corpus_dir, copied)
    with pytest.raises(IndexMissing, match="kb build"):
        kb.search(SearchRequest(q="法律顾问"))

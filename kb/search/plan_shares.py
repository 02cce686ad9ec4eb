"""The share of each report's plan delivered, for every report at once (search step).

Sorting the list of reports by the share of its plan delivered needs every report's plan
judged against its next report: about 0.1 s of work each, minutes for thousands of reports,
so it is not done on a request. ``kb plans --all`` (:func:`compute`) judges every report of
the served generation, in worker processes, and writes the summaries beside the index
(``plan-shares.json`` in the index folder, named by the generation they were computed on and
the matcher's :data:`kb.search.plans.VERSION`);
:func:`read` gives them to ``/reports`` and ``/api/reports`` while that generation is
served, once per generation (a rebuilt index has none until the command runs again: the
list says so rather than sort on stale numbers). The summaries are kept beside an embedded
index only: on a search cluster (which has no index folder) the list has none and both the
command and ``sort=-delivered`` say so (a 400); each report's own plan page works there.

Each entry: ``{"share_delivered", "summary", "items", "next_report_id"}``; a report without
a next one has ``share_delivered`` None.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from kb.core import files
from kb.core.errors import BadRequest, KbError
from kb.engines.protocol import Engine
from kb.search import plan_pages
from kb.search import plans as matcher

FILE = "plan-shares.json"
_CHUNK = 16

_reports: list[dict] = []  # the worker's list of every report (set once per worker)
_corpus: Path = Path(".")


def _init(corpus_dir: Path, all_reports: list[dict]) -> None:
    global _reports, _corpus
    _reports, _corpus = all_reports, corpus_dir


def _entry(report_id: str) -> tuple[str, dict | None]:
    """One report's summary (None if its file cannot be read)."""
    try:
        a = plan_pages._plan(_corpus, report_id, _reports)
    except KbError:
        return report_id, None
    return report_id, {"share_delivered": a["share_delivered"], "summary": a["summary"],
                       "items": len(a["items"]), "next_report_id": a["next_report_id"]}


ON_CLUSTER = ("计划落实比例只保存在内置索引旁，搜索集群上没有：请对同一语料的内置索引运行 kb plans --all "
              "(the shares of plans delivered are kept beside an embedded index; a search cluster has none)")


def folder(engine: Engine) -> Path | None:
    """The index folder the summaries are kept in: the embedded engine's; None on a cluster."""
    found = getattr(engine, "index_dir", None)
    return Path(found) if found else None


def compute(engine: Engine, corpus_dir: Path, all_reports: list[dict], procs: int | None = None,
            progress: Callable[[int, int], None] | None = None) -> dict:
    """Judge every report's plan, write the summaries beside the index, return them."""
    index_dir = folder(engine)
    if index_dir is None:
        raise BadRequest(ON_CLUSTER)
    ids = [r["id"] for r in all_reports]
    out: dict[str, dict] = {}
    procs = max(1, procs or min(4, os.cpu_count() or 1))
    if procs == 1:
        _init(corpus_dir, all_reports)
        done = map(_entry, ids)
    else:
        pool = ProcessPoolExecutor(procs, initializer=_init, initargs=(corpus_dir, all_reports))
        done = pool.map(_entry, ids, chunksize=_CHUNK)
    try:
        for n, (rid, entry) in enumerate(done, 1):
            if entry is not None:
                out[rid] = entry
            if progress:
                progress(n, len(ids))
    finally:
        if procs > 1:
            pool.shutdown()
    data = {"generation": engine.generation, "matcher": matcher.VERSION, "reports": out}
    files.write_atomic(Path(index_dir) / FILE, json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    return out


def read(engine: Engine) -> dict[str, dict] | None:
    """The summaries computed on the served generation, or None when there are none (read
    again when the file changes: ``kb plans --all`` may run beside a running site)."""
    if folder(engine) is None:
        return None
    path = folder(engine) / FILE
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return None
    cached = engine.cache.get("plan_shares")
    if cached is None or cached[0] != stamp:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            same = data.get("generation") == engine.generation and data.get("matcher") == matcher.VERSION
            found = data["reports"] if same else None  # another index, or judged by another matcher
        except (OSError, ValueError, KeyError, TypeError):
            found = None
        cached = engine.cache["plan_shares"] = (stamp, found)
    return cached[1]

"""Where a build's memory goes: ``kb.build.build`` (full) in a child process, the resident
memory of each process of its tree sampled every 50 ms (and the proportional set size,
shared pages split, every 250 ms), each sample put under the step of the build the main
process was in (docs/BENCHMARKS.md, issue 30's fifth pass).

    .venv/bin/python bench/build_memory.py CORPUS INDEX [--json OUT]

prints the wall and CPU seconds, the peak of the tree (RSS as bench/run.py counts it, and
PSS), the steps with their times, and the peak under each step by kind of process (main:
the writer; reader: the processes that read and analyse reports; whoosh: Whoosh's
writers). INDEX is overwritten.
"""

from __future__ import annotations

import functools
import importlib
import json
import os
import resource
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
#: the steps timed in the build process: (module or class, function)
STEPS = [("kb.build", "_plan"), ("kb.build", "_index_reports"), ("kb.build", "_grow_meaning"),
         ("kb.figures.table", "write"), ("kb.build", "_final_segments"), ("kb.core.files", "sync_and_list"),
         ("kb.engines.embedded.writer.SegmentWriter", "finish"), ("kb.engines.embedded.writer", "_unit_arrays"),
         ("kb.engines.embedded.writer", "_word_arrays"), ("kb.engines.embedded.writer", "_save"),
         ("kb.engines.embedded.writer", "_phrase_table"), ("kb.engines.embedded.merge", "merge"),
         ("whoosh.multiproc.MpWriter", "commit")]
_MARK = None  # the build process's marker (inherited by its forked readers)


def _target(path: str):
    try:
        return importlib.import_module(path)
    except ImportError:
        mod, _, cls = path.rpartition(".")
        return getattr(importlib.import_module(mod), cls)


def _timed(fn, label: str):
    @functools.wraps(fn)
    def run(*args, **kwargs):
        _MARK("+" + label)
        try:
            return fn(*args, **kwargs)
        finally:
            _MARK("-" + label)
    return run


def _read_report(path):
    """kb.build's reader, saying once per process that it is one."""
    if not getattr(_read_report, "said", False):
        _read_report.said = True
        _MARK("role reader")
    return _read_report.inner(path)


def child(corpus: str, index: str, log: str) -> None:
    global _MARK
    sys.path.insert(0, str(ROOT))
    out = open(log, "w", buffering=1)  # noqa: SIM115 (open for the process's life)
    _MARK = lambda s: out.write(f"{time.time():.3f} {os.getpid()} {s}\n")  # noqa: E731
    for path, name in STEPS:
        obj = _target(path)
        setattr(obj, name, _timed(getattr(obj, name), f"{path.rsplit('.', 1)[-1]}.{name}"))
    import whoosh.multiproc as mp

    run = mp.SubWriterTask.run
    mp.SubWriterTask.run = lambda self: (_MARK("role whoosh"), run(self))[1]
    from kb import build

    _read_report.inner, build._read_report = build._read_report, _read_report
    _MARK("role main")
    meta = build.build(Path(corpus), Path(index), full=True)
    print(json.dumps({"paragraphs": meta["paragraphs"]}))


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            return next((int(line.split()[1]) * 1024 for line in f if line.startswith("Pss:")), 0)
    except OSError:
        return 0


def _sample(pid: int, samples: list, stop: threading.Event) -> None:
    p, i = psutil.Process(pid), 0
    while not stop.is_set():
        row = {"t": time.time(), "rss": {}, "pss": {}}
        try:
            for c in [p, *p.children(recursive=True)]:
                row["rss"][c.pid] = c.memory_info().rss
                if i % 5 == 0:
                    row["pss"][c.pid] = _pss(c.pid)
        except psutil.Error:
            pass
        samples.append(row)
        i += 1
        stop.wait(0.05)


def measure(corpus: str, index: str, log: str) -> dict:
    before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    proc = subprocess.Popen([sys.executable, __file__, "child", corpus, index, log], stdout=subprocess.PIPE, text=True)
    samples: list = []
    stop = threading.Event()
    t = threading.Thread(target=_sample, args=(proc.pid, samples, stop), daemon=True)
    t.start()
    out, _ = proc.communicate()
    stop.set()
    t.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode:
        raise SystemExit(f"Error: the build failed (exit status {proc.returncode})")
    return {"seconds": time.perf_counter() - start, "load": os.getloadavg()[0],
            "cpu": after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime,
            "peak_rss_mb": max(sum(r["rss"].values()) for r in samples) / 2**20,
            "peak_pss_mb": max((sum(r["pss"].values()) for r in samples if r["pss"]), default=0) / 2**20,
            "paragraphs": json.loads(out.strip().splitlines()[-1])["paragraphs"], "samples": samples}


def steps(log: str) -> tuple[dict[int, str], list[tuple[str, float, float, int]]]:
    """(each process's kind, the main process's steps: name, start, end, depth)."""
    roles, stack, spans = {}, [], []
    for line in open(log, encoding="utf-8"):
        t, pid, what = line.split(None, 2)
        what = what.strip()
        if what.startswith("role "):
            roles.setdefault(int(pid), what.split()[1])  # the main process reads itself when alone
        elif roles.get(int(pid)) == "main" and what[0] == "+":
            stack.append((what[1:], float(t)))
        elif roles.get(int(pid)) == "main":
            name, begun = stack.pop()
            spans.append((name, begun, float(t), len(stack)))
    return roles, sorted(spans, key=lambda s: s[1])


def report(result: dict, log: str) -> None:
    roles, spans = steps(log)
    t0 = spans[0][1] if spans else 0
    print(f"{result['paragraphs']:,} paragraphs: {result['seconds']:.0f} s ({result['cpu']:.0f} CPU s), load "
          f"{result['load']:.1f}; peak of the tree: RSS {result['peak_rss_mb']:,.0f} MB, PSS {result['peak_pss_mb']:,.0f} MB")
    for name, a, b, depth in spans:
        if depth <= 1 and b - a >= 0.1:
            print(f"{'  ' * depth}{name:34s} {a - t0:7.1f} .. {b - t0:7.1f} s")
    print("peak RSS of the tree under each step (MB): the whole, then by kind of process")
    for step, (total, by_kind) in sorted(_peaks(result["samples"], roles, spans).items(), key=lambda x: -x[1][0]):
        kinds = ", ".join(f"{k} {v / 2**20:,.0f}" for k, v in sorted(by_kind.items()))
        print(f"  {step:34s} {total / 2**20:7,.0f}  ({kinds})")


def _peaks(samples: list, roles: dict[int, str], spans: list) -> dict[str, tuple[int, dict]]:
    """For each step (the innermost the main process was in), the tree's largest sample and its parts by kind."""
    peaks: dict[str, tuple[int, dict]] = defaultdict(lambda: (0, {}))
    for row in samples:
        inner = max((s for s in spans if s[1] <= row["t"] <= s[2]), key=lambda s: s[3], default=None)
        by_kind: dict[str, int] = defaultdict(int)
        for pid, rss in row["rss"].items():
            by_kind[roles.get(int(pid), "other")] += rss
        step = inner[0] if inner else "-"
        if sum(by_kind.values()) > peaks[step][0]:
            peaks[step] = (sum(by_kind.values()), dict(by_kind))
    return peaks


def main(argv: list[str]) -> int:
    if argv[:1] == ["child"]:
        child(*argv[1:4])
        return 0
    if len(argv) < 2 or not Path(argv[0]).is_dir():
        print("Error: give a corpus folder and an index folder (overwritten), then optionally --json OUT",
              file=sys.stderr)
        return 2
    out = Path(argv[argv.index("--json") + 1]) if "--json" in argv else None
    log = str(out or Path(argv[1]).with_name(Path(argv[1]).name + ".steps")) + ".log"
    result = measure(argv[0], argv[1], log)
    if out:
        out.write_text(json.dumps(result), encoding="utf-8")
    report(result, log)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

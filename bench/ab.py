"""Two checkouts' search speed in alternating rounds, per query CPU first (issue 30's passes).

    python -m bench.ab CORPUS INDEX BEFORE_ROOT AFTER_ROOT [--after-index DIR] [--rounds 4] [--tantivy DIR] [--json OUT]

Each round runs, for each checkout in turn (the order alternating from round to round): the
benchmark's queries in a fresh process (open and warm as ``kb serve`` does, then each query once:
its wall time and the thread's CPU time), then over HTTP on a fresh ``kb serve`` of that checkout
(the first search after it listens, then each query once: the client's time, the server's own
``took_ms`` and the server process's CPU time for the request), and with ``--tantivy`` Tantivy's
query child of that checkout on its index of the same paragraphs (``bench/run.py query-other``: its
excerpts are made by that checkout's :mod:`kb.text.highlight`). On a shared machine the CPU time
is the fair measure; the 1-minute load average is recorded each round. Prints the medians over
the rounds, each round's value beside them. ``--after-index``: the index the second checkout
reads, built by it from the same corpus (when the two write different formats).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import psutil

FIRST_QUERY = "法治政府"

INPROC = r"""
import json, sys, time
from pathlib import Path
from bench import queries
from kb.knowledgebase import KnowledgeBase
from kb.search.request import SearchRequest
kb = KnowledgeBase(Path(sys.argv[1]), Path(sys.argv[2]))
kb.engine()
t = time.perf_counter(); kb.search(SearchRequest(q="法治政府")); first = (time.perf_counter() - t) * 1000
wall, cpu = [], []
for q, f in queries.query_set():
    c, t = time.thread_time(), time.perf_counter()
    kb.search(SearchRequest(q=q, filters=f, size=10))
    wall.append((time.perf_counter() - t) * 1000); cpu.append((time.thread_time() - c) * 1000)
print(json.dumps({"first": first, "wall": wall, "cpu": cpu}))
"""


def pct(values: list[float], p: float) -> float:
    xs = sorted(values)
    return xs[max(0, min(len(xs) - 1, round(p / 100 * len(xs) + 0.5) - 1))]


def env_of(root: Path) -> dict:
    return os.environ | {"PYTHONPATH": str(root)}


def inproc(root: Path, corpus: Path, index: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", INPROC, str(corpus), str(index)], cwd=root, env=env_of(root),
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def _cpu_ms(proc: psutil.Process) -> float:
    """The process's CPU time in ms, every thread's, to the nanosecond (/proc/PID/task/*/schedstat:
    the clock ticks of cpu_times are 10 ms)."""
    total = 0
    for task in Path(f"/proc/{proc.pid}/task").iterdir():
        try:
            total += int((task / "schedstat").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            pass
    return total / 1e6


def http(root: Path, corpus: Path, index: Path) -> dict:
    from bench import queries
    from bench.run import wait_for_server

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "kb.cli", "serve", "--corpus", str(corpus), "--index", str(index),
                               "--port", str(port), "--threads", "4"], cwd=root, env=env_of(root),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_server(server, port)
        proc = psutil.Process(server.pid)
        t = time.perf_counter()
        urllib.request.urlopen(base + "/api/search?q=" + urllib.parse.quote(FIRST_QUERY), timeout=60).read()
        first = (time.perf_counter() - t) * 1000
        wall, cpu, own = [], [], []
        for q, filters in queries.query_set():
            params = [("q", q), ("size", "10")] + [(k, v) for k, vs in filters.items() for v in vs]
            c, t = _cpu_ms(proc), time.perf_counter()
            body = urllib.request.urlopen(base + "/api/search?" + urllib.parse.urlencode(params), timeout=60).read()
            wall.append((time.perf_counter() - t) * 1000)
            time.sleep(0.002)  # the server's main thread closes the connection after the answer is read
            cpu.append(_cpu_ms(proc) - c)
            own.append(float(json.loads(body)["took_ms"]))
        return {"first": first, "wall": wall, "cpu": cpu, "own": own}
    finally:
        server.terminate()
        server.wait(10)


def tantivy(root: Path, path: Path) -> dict:
    out = subprocess.run([sys.executable, str(root / "bench" / "run.py"), "query-other", "tantivy", str(path), "1"],
                         cwd=root, env=env_of(root), check=True, capture_output=True, text=True).stdout
    r = json.loads(out.strip().splitlines()[-1])
    return {"first": r["warmup_ms"], "wall": r["times"][0], "cpu": r["cpu_first"]}


ROWS = [("in-process p50 ms", "inproc", "wall", 50), ("in-process p95 ms", "inproc", "wall", 95),
        ("in-process CPU p50 ms", "inproc", "cpu", 50), ("in-process CPU p95 ms", "inproc", "cpu", 95),
        ("HTTP client p50 ms", "http", "wall", 50), ("HTTP client p95 ms", "http", "wall", 95),
        ("server CPU a request p50 ms", "http", "cpu", 50), ("server CPU a request p95 ms", "http", "cpu", 95),
        ("server own (took_ms) p50", "http", "own", 50), ("server own (took_ms) p95", "http", "own", 95),
        ("first search in-process ms", "inproc", "first", None), ("first search over HTTP ms", "http", "first", None),
        ("Tantivy p50 ms", "tantivy", "wall", 50), ("Tantivy p95 ms", "tantivy", "wall", 95),
        ("Tantivy CPU p50 ms", "tantivy", "cpu", 50), ("Tantivy CPU p95 ms", "tantivy", "cpu", 95)]


def value(run: dict, part: str, key: str, p: int | None) -> float:
    x = run[part][key]
    return x if p is None else pct(x, p)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("index", type=Path)
    ap.add_argument("before", type=Path)
    ap.add_argument("after", type=Path)
    ap.add_argument("--after-index", type=Path, help="the index of AFTER_ROOT (default: INDEX)")
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--tantivy", type=Path)
    ap.add_argument("--json", type=Path)
    a = ap.parse_args(argv)
    runs: dict[str, list[dict]] = {"before": [], "after": []}
    loads = []
    for r in range(a.rounds):
        for name in (("before", "after") if r % 2 == 0 else ("after", "before")):
            root = getattr(a, name)
            index = a.after_index if name == "after" and a.after_index else a.index
            run = {"inproc": inproc(root, a.corpus, index), "http": http(root, a.corpus, index)}
            if a.tantivy:
                run["tantivy"] = tantivy(root, a.tantivy)
            runs[name].append(run)
        loads.append(os.getloadavg()[0])
        print(f"round {r + 1} done, load {loads[-1]:.1f}", file=sys.stderr, flush=True)
    for label, part, key, p in ROWS:
        if part not in runs["before"][0]:
            continue
        b = [value(x, part, key, p) for x in runs["before"]]
        f = [value(x, part, key, p) for x in runs["after"]]
        each = " / ".join(f"{x:.1f}" for x in b), " / ".join(f"{x:.1f}" for x in f)
        print(f"| {label} | {statistics.median(b):.2f} ({each[0]}) | {statistics.median(f):.2f} ({each[1]}) |")
    print("load", " / ".join(f"{x:.1f}" for x in loads))
    if a.json:
        a.json.write_text(json.dumps({"runs": runs, "loads": loads}, ensure_ascii=False))


if __name__ == "__main__":
    main()

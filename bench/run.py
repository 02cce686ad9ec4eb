"""The benchmark: our search on the real work reports at ~80,000, 240,000 and ~960,000 paragraphs,
side by side with SQLite FTS5 (trigram) and Tantivy, in the same run.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python bench/run.py                 # 70k (the first 1,000 reports), 1x (~240,000 paragraphs), 4x (~960,000)
    .venv/bin/python bench/run.py --scales 70k --engines ours,tantivy   # the size most users run
    .venv/bin/python bench/run.py --scales 1 --record   # only the real corpus; append to docs/BENCHMARKS.md
    .venv/bin/python bench/run.py --engines ours  # only ours
    .venv/bin/python bench/run.py --scales 1 --engines ours,sphinx --shards 2   # ours beside ours on Sphinx
    .venv/bin/python bench/run.py --engines sphinx --backend sphinx://127.0.0.1:9306  # on a running cluster

Unpacks ``../shared/data/gov-work-reports.tar.xz`` into a temporary folder, writes it as a
corpus (bench/realcorpus.py; ``copies`` > 1 repeats it with varied agencies and years), and
for each scale and engine prints build time, peak memory of the build (the whole process
tree), index size, the time to open the index in a fresh process and its first search, and
for the fixed query set (bench/queries.py) p50/p95 latency of the full search -- total,
the seven facets over all hits, top 10 with a displayable excerpt -- the first time each
query is asked ("first") and when asked again ("repeat"). Ours also: the time to add one
report to the built index (``kb.build.build`` after writing one more report), a fresh
``kb serve``'s start and first search over HTTP, the same queries through its HTTP API
(the first pass: each query asked once on the fresh server, timed by the client and by the
server itself, ``took_ms``), and the server's memory (resident after the queries, its
anonymous and file-backed parts, and its peak). Every engine runs in its
own child process. The sphinx engine (``--engines …,sphinx``: the same knowledge base on a
Sphinx cluster, kb/sphinx_engine.py; one started here with ``--shards``, or ``--backend``) is
measured alike: the push of the corpus to the shards as its build, its queries in-process
and over HTTP, adding one report, and the searchd processes' memory. Then the ratios of
ours to each other engine and the targets of issue 17, from this run's numbers.

Results go to stdout and, as JSON with each query's totals, to ``--json`` (default
bench-results.json in the temporary folder, kept with ``--keep``). ``--record`` appends
the tables, the commit and the load average to docs/BENCHMARKS.md; nothing else is
written into the project.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import psutil  # noqa: E402

from bench import queries, realcorpus  # noqa: E402
from kb.engines.embedded import kernels  # noqa: E402
from kb.enrich.paragraphs import paragraphs_of  # noqa: E402

TARBALL = ROOT.parent / "shared" / "data" / "gov-work-reports.tar.xz"
#: Named sizes of ``--scales`` besides a number of copies: (copies, only the first N reports).
SIZES = {"70k": (1, 1000)}  # the first 1,000 real reports: some 70,000-80,000 paragraphs
PY = sys.executable
LOADS: list[float] = []  # the 1-minute load average after each step


# -- measuring a child process ------------------------------------------------------------

def child_env() -> dict:
    """The environment of every child: this checkout's kb first, whatever is installed."""
    return os.environ | {"PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}


def run_child(args: list[str], timeout: float) -> tuple[dict, float, float, float]:
    """Run ``python bench/run.py <args>`` and return (its JSON answer, seconds, peak MB of the
    process tree sampled every 50 ms, CPU seconds of the tree). CPU seconds say what the
    work cost when other processes share the machine (the load average is recorded too)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen([PY, str(Path(__file__).resolve()), *args], stdout=subprocess.PIPE,
                            env=child_env(), text=True)
    peak = 0
    stop = threading.Event()

    def sample():
        nonlocal peak
        p = psutil.Process(proc.pid)
        while not stop.is_set():
            try:
                rss = sum(c.memory_info().rss for c in [p, *p.children(recursive=True)])
                peak = max(peak, rss)
            except psutil.Error:
                pass
            stop.wait(0.05)

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise SystemExit(f"child {args[0]} took more than {timeout} s") from None
    finally:
        stop.set()
        t.join()
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        raise SystemExit(f"child {args} failed with exit status {proc.returncode}")
    LOADS.append(os.getloadavg()[0])
    return json.loads(out.strip().splitlines()[-1]), seconds, peak / 2**20, cpu


def wait_for_server(server: subprocess.Popen, port: int, seconds: float = 120) -> None:
    """Return when ``server`` (a ``kb serve`` started on ``port``) accepts connections."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("kb serve did not start") from None
            time.sleep(0.01)


def dir_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file()) / 2**20


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    xs = sorted(values)
    k = max(0, min(len(xs) - 1, round(p / 100 * len(xs) + 0.5) - 1))
    return xs[k]


def latency(times: list[list[float]]) -> dict:
    """times[rep][query] in ms -> p50/p95 of the first pass and of the repeats."""
    first = times[0]
    rest = [t for rep in times[1:] for t in rep]
    return {"p50_first": pct(first, 50), "p95_first": pct(first, 95), "max_first": max(first),
            "p50_repeat": pct(rest, 50), "p95_repeat": pct(rest, 95)}


# -- children: each engine in its own process -------------------------------------------

def child_build_ours(corpus_dir: str, index_dir: str) -> dict:
    from kb import build as kb_build

    meta = kb_build.build(Path(corpus_dir), Path(index_dir))
    gen = Path(index_dir) / meta["generation"]
    return {"paragraphs": meta["paragraphs"], "reports": meta["reports"], "index_mb": dir_mb(gen)}


FIRST_QUERY = "法治政府"  # the first search after opening (not in the query set)


def child_query_ours(corpus_dir: str, index_dir: str, reps: str) -> dict:
    from kb.knowledgebase import KnowledgeBase
    from kb.search.request import SearchRequest

    kb = KnowledgeBase(Path(corpus_dir), Path(index_dir))
    t = time.perf_counter()
    kb.engine()  # what a server does before it listens: open and warm
    opened = (time.perf_counter() - t) * 1000
    t = time.perf_counter()
    kb.search(SearchRequest(q=FIRST_QUERY))  # the first search: whatever it loads first
    warmup = (time.perf_counter() - t) * 1000

    def search(q: str, filters: dict) -> dict:
        r = kb.search(SearchRequest(q=q, filters=filters, size=10))
        assert len(r["hits"]) == min(10, r["total"]) and all(h["excerpt_html"] for h in r["hits"])
        return r

    times, totals = timed_queries(search, int(reps))
    return {"open_ms": opened, "warmup_ms": warmup, "times": times, "totals": totals, "cpu_first": CPU_FIRST,
            "rss_mb": psutil.Process().memory_info().rss / 2**20}


#: CPU milliseconds of the process for each query of the first pass (of the last
#: :func:`timed_queries` in this child): what the work cost, whatever else the machine runs.
CPU_FIRST: list[float] = []


def child_query_ours_ab(corpus_dir: str, index_dir: str, reps: str) -> dict:
    """Our queries with the meaning tiers and without them (Ranking.meaning_below = 0 and
    Ranking.whole = 0), in one process on the same index, each query timed both ways one after
    the other (the order alternating), so that the machine's load falls on both alike; each pass
    on engines opened anew (every search a first one, nothing cached)."""
    from dataclasses import replace

    from kb.core.settings import Settings
    from kb.knowledgebase import KnowledgeBase
    from kb.search.request import SearchRequest

    base = Settings(corpus_dir=Path(corpus_dir), index_dir=Path(index_dir))
    rankings = {"with": base.ranking, "without": replace(base.ranking, meaning_below=0, whole=0)}
    times = {k: [] for k in rankings}
    totals = {k: [] for k in rankings}
    for rep in range(int(reps)):  # each pass on freshly opened engines: no answer is cached
        kbs = {k: KnowledgeBase(settings=replace(base, ranking=r)) for k, r in rankings.items()}
        for kb in kbs.values():
            kb.engine()
            kb.search(SearchRequest(q=FIRST_QUERY))
        rows = {k: [] for k in kbs}
        for i, (q, filters) in enumerate(queries.query_set()):
            for k in (("with", "without") if (i + rep) % 2 == 0 else ("without", "with")):
                t = time.perf_counter()
                r = kbs[k].search(SearchRequest(q=q, filters=filters, size=10))
                rows[k].append((time.perf_counter() - t) * 1000)
                if rep == 0:
                    totals[k].append((r["total"], r["exact_total"]))
        for k in kbs:
            times[k].append(rows[k])
    return {"times": times, "totals": totals}


def timed_queries(search, reps: int) -> tuple[list[list[float]], list[int]]:
    """(milliseconds of each query in each pass, the totals of the first pass); the CPU
    time of the first pass's queries in :data:`CPU_FIRST`."""
    times, totals = [], []
    CPU_FIRST.clear()
    for rep in range(reps):
        row = []
        for q, filters in queries.query_set():
            c, t = time.process_time(), time.perf_counter()
            r = search(q, filters)
            row.append((time.perf_counter() - t) * 1000)
            if rep == 0:
                CPU_FIRST.append((time.process_time() - c) * 1000)
                totals.append(r["total"])
        times.append(row)
    return times, totals


def inproc(q: dict) -> dict:
    """The in-process numbers of a query child's answer: latencies, open, first search,
    memory, and the CPU time of the first pass (p50/p95)."""
    cpu = q.get("cpu_first", [])
    return latency(q["times"]) | {"open_ms": q["open_ms"], "warmup_ms": q["warmup_ms"], "rss_mb": q["rss_mb"],
                                  "cpu_p50_first": pct(cpu, 50), "cpu_p95_first": pct(cpu, 95)}


def _paragraphs(path: str):
    with open(path, encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)


def child_build_other(engine: str, paragraphs: str, path: str) -> dict:
    from bench import others

    e = (others.Fts5 if engine == "fts5" else others.Tantivy)(Path(path))
    e.build(_paragraphs(paragraphs))
    return {"index_mb": dir_mb(Path(path)) if Path(path).is_dir() else Path(path).stat().st_size / 2**20}


def child_query_other(engine: str, path: str, reps: str) -> dict:
    from bench import others

    e = others.Fts5(Path(path)) if engine == "fts5" else others.Tantivy(Path(path), facet_limit())
    t = time.perf_counter()
    e.open()
    opened = (time.perf_counter() - t) * 1000
    t = time.perf_counter()
    e.search(FIRST_QUERY, {})
    warmup = (time.perf_counter() - t) * 1000
    times, totals = timed_queries(e.search, int(reps))
    return {"open_ms": opened, "warmup_ms": warmup, "times": times, "totals": totals, "cpu_first": CPU_FIRST,
            "rss_mb": psutil.Process().memory_info().rss / 2**20}


def child_profile_build(corpus_dir: str, index_dir: str, out: str) -> dict:
    """Our full build under cProfile (this process; Whoosh's writer processes are not
    profiled): the functions by their own time, written to ``out``."""
    import cProfile
    import io
    import pstats

    from kb import build as kb_build

    prof = cProfile.Profile()
    t = time.perf_counter()
    prof.enable()
    meta = kb_build.build(Path(corpus_dir), Path(index_dir), full=True)
    prof.disable()
    seconds = time.perf_counter() - t
    buf = io.StringIO()
    stats = pstats.Stats(prof, stream=buf)
    stats.sort_stats("tottime").print_stats(35)
    stats.sort_stats("cumulative").print_stats(45)
    Path(out).write_text(buf.getvalue(), encoding="utf-8")
    return {"seconds": seconds, "paragraphs": meta["paragraphs"]}


def facet_limit() -> int | None:
    """How many values of a facet an answer of ours lists by default (None: all): the
    peers are asked for as many."""
    from kb.search import facets

    return getattr(facets, "FACET_SIZE", None)


def child_push_sphinx(corpus_dir: str, url: str) -> dict:
    from kb.engines.sphinx import push as sphinx_push

    meta = sphinx_push.push(url, Path(corpus_dir))
    return {"paragraphs": meta["paragraphs"], "reports": meta["reports"], "written": meta["reindexed"]}


def child_query_sphinx(corpus_dir: str, url: str, reps: str) -> dict:
    from kb.engines.sphinx import engine as sphinx_engine
    from kb.knowledgebase import KnowledgeBase
    from kb.search.request import SearchRequest

    kb = KnowledgeBase(Path(corpus_dir), None, open_engine=sphinx_engine.opener(url))
    t = time.perf_counter()
    kb.engine()
    opened = (time.perf_counter() - t) * 1000
    t = time.perf_counter()
    kb.search(SearchRequest(q=FIRST_QUERY))
    warmup = (time.perf_counter() - t) * 1000
    partial = 0

    def search(q: str, filters: dict) -> dict:
        nonlocal partial
        r = kb.search(SearchRequest(q=q, filters=filters, size=10))
        assert len(r["hits"]) == min(10, r["total"]) and all(h["excerpt_html"] for h in r["hits"])
        partial += bool(r.get("partial"))
        return r

    times, totals = timed_queries(search, int(reps))
    return {"open_ms": opened, "warmup_ms": warmup, "times": times, "totals": totals, "partial": partial,
            "cpu_first": CPU_FIRST, "rss_mb": psutil.Process().memory_info().rss / 2**20}


CHILDREN = {"build-ours": child_build_ours, "query-ours": child_query_ours, "query-ours-ab": child_query_ours_ab,
            "push-sphinx": child_push_sphinx, "query-sphinx": child_query_sphinx,
            "build-other": child_build_other, "query-other": child_query_other,
            "profile-build": child_profile_build}


# -- the HTTP API -------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_bench(corpus_dir: Path, index_dir: Path, reps: int, timeout: float = 600, backend: str = "") -> dict:
    """The queries over HTTP to a fresh ``kb serve``; also the seconds from starting the
    process until it accepts connections ("start") and the first search after that,
    nothing asked before it ("first search")."""
    port = free_port()
    serve = f"import sys; sys.path.insert(0, {str(ROOT)!r}); from kb.cli import main; sys.exit(main())"
    started = time.perf_counter()
    server = subprocess.Popen([PY, "-c", serve, "serve", "--corpus", str(corpus_dir), "--index", str(index_dir),
                               "--port", str(port), "--threads", "4", *(["--backend", backend] if backend else [])],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=child_env())
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_server(server, port)
        start_s = time.perf_counter() - started
        t = time.perf_counter()
        urllib.request.urlopen(base + "/api/search?q=" + urllib.parse.quote(FIRST_QUERY), timeout=timeout).read()
        warmup = (time.perf_counter() - t) * 1000
        times, own = [], []  # the client's milliseconds; the server's own (took_ms) of the first pass
        for rep in range(reps):
            row = []
            for q, filters in queries.query_set():
                params = [("q", q), ("size", "10")] + [(k, v) for k, vs in filters.items() for v in vs]
                url = base + "/api/search?" + urllib.parse.urlencode(params)
                t = time.perf_counter()
                body = urllib.request.urlopen(url, timeout=timeout).read()
                row.append((time.perf_counter() - t) * 1000)
                answer = json.loads(body)
                if rep == 0:
                    own.append(float(answer.get("took_ms", math.nan)))
            times.append(row)
        queried = memory_of(server.pid)  # after the query passes, before the throughput step's pages
        rps = throughput(base, timeout)
        end = memory_of(server.pid)  # after everything (what the table shows)
        return {"start_s": start_s, "warmup_ms": warmup, "times": times, "own_ms": own, "rps": rps,
                "memory": end, "memory_queries": queried, "rss_mb": end.get("rss_mb", math.nan),
                "peak_mb": end.get("peak_mb", math.nan)}
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()


def memory_of(pid: int) -> dict:
    """A process's memory in MB from /proc: resident (``rss_mb``), its anonymous part (the
    heap: Python objects, numpy arrays read into memory) and its file-backed part (pages of
    mapped index files, which the kernel may drop and read again), the peak (VmHWM), and
    from smaps_rollup the proportional share of file pages (``pss_file_mb``)."""
    out = {}
    names = {"VmRSS": "rss_mb", "RssAnon": "anon_mb", "RssFile": "file_mb", "RssShmem": "shmem_mb", "VmHWM": "peak_mb",
             "Pss_File": "pss_file_mb", "Anonymous": "anonymous_mb"}
    for name in ("status", "smaps_rollup"):
        try:
            text = Path(f"/proc/{pid}/{name}").read_text()
        except OSError:
            continue
        for line in text.splitlines():
            key, _, value = line.partition(":")
            if key in names and value.strip().endswith("kB"):
                out[names[key]] = int(value.split()[0]) / 1024
    return out


CLIENTS = 8  # clients of the throughput step …
THROUGHPUT_S = 10.0  # … for this many seconds


def throughput(base: str, timeout: float) -> float:
    """Requests per second of :data:`CLIENTS` threads, each on its own connection, asking
    the query set on pages 1-5 (so that few answers come from the answer cache) for
    :data:`THROUGHPUT_S` seconds."""
    import http.client

    host, port = base.removeprefix("http://").split(":")
    done = [0] * CLIENTS
    deadline = time.monotonic() + THROUGHPUT_S

    def client(i: int) -> None:
        conn = http.client.HTTPConnection(host, int(port), timeout=timeout)
        k = i
        while time.monotonic() < deadline:
            q, filters = queries.query_set()[k % len(queries.query_set())]
            params = [("q", q), ("size", "10"), ("page", str(1 + (k // 7 + i) % 5))]
            params += [(f, v) for f, vs in filters.items() for v in vs]
            conn.request("GET", "/api/search?" + urllib.parse.urlencode(params))
            json.loads(conn.getresponse().read())
            done[i] += 1
            k += CLIENTS
        conn.close()

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done) / (time.monotonic() - started)


# -- the run --------------------------------------------------------------------------------

def _documents(path: str) -> list[str]:
    from kb.core import corpus
    from kb.engines import fields

    report = corpus.read(Path(path))
    return [json.dumps(fields.document(report, p), ensure_ascii=False) for p in paragraphs_of(report)]


def write_paragraphs(corpus_dir: Path, out: Path) -> int:
    """Every paragraph as :func:`kb.engines.fields.document` gives it (segmented and enriched as
    our build does: all seven facets), one JSON a line, for the other engines (two
    processes; not part of their build time)."""
    import multiprocessing

    from kb.core import corpus

    n = 0
    paths = [str(p) for p in corpus.paths(corpus_dir)]
    with open(out, "w", encoding="utf-8") as f, multiprocessing.get_context("fork").Pool(2) as pool:
        for docs in pool.imap(_documents, paths, chunksize=8):
            for d in docs:
                f.write(d + "\n")
            n += len(docs)
    return n


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def bench_ours(raw: Path, work: Path, corpus_dir: Path, copies: int, reps: int, timeout: float) -> dict:
    index_dir = work / "index"
    log("ours: build")
    meta, secs, peak, cpu = run_child(["build-ours", str(corpus_dir), str(index_dir)], timeout)
    r = {"build_s": secs, "build_cpu_s": cpu, "build_peak_mb": peak, "index_mb": meta["index_mb"],
         "paragraphs": meta["paragraphs"]}
    log(f"ours: built in {secs:.0f} s; queries in-process")
    q, _, _, _ = run_child(["query-ours", str(corpus_dir), str(index_dir), str(reps)], timeout)
    r |= {"inproc": inproc(q),
          "totals": q["totals"]}
    log("ours: queries over HTTP")
    h = http_bench(corpus_dir, index_dir, reps, timeout)
    r["http"] = http_numbers(h)
    r["server_rss_mb"], r["server_peak_mb"], r["server_memory"] = h["rss_mb"], h["peak_mb"], h["memory"]
    log("ours: add one report")
    extra = realcorpus.raw_files(raw)[0]
    from kb.core import corpus

    corpus.write(corpus_dir, realcorpus.report_of(extra, raw, copy=copies))
    meta, secs, peak, cpu = run_child(["build-ours", str(corpus_dir), str(index_dir)], timeout)
    r["add_one_s"], r["add_one_cpu_s"], r["add_one_peak_mb"] = secs, cpu, peak
    Path(corpus.report_path(corpus_dir, realcorpus.report_of(extra, raw, copy=copies).id)).unlink()
    shutil.rmtree(index_dir, ignore_errors=True)
    return r


def http_numbers(h: dict) -> dict:
    """The HTTP step's latencies: the client's, and the server's own time (``took_ms``) of
    the first pass (each query asked once on a fresh ``kb serve``)."""
    own = [x for x in h.get("own_ms", []) if x == x]
    return latency(h["times"]) | {"start_s": h["start_s"], "warmup_ms": h["warmup_ms"], "rps": h["rps"],
                                  "own_p50": pct(own, 50), "own_p95": pct(own, 95)}


def searchd_usage(cluster_dir: Path | None) -> tuple[float, float]:
    """(CPU seconds, RSS MB) of the searchd processes of a cluster this run started."""
    from kb.engines.sphinx import cluster

    cpu = rss = 0.0
    for pid in (cluster.pids(cluster_dir).values() if cluster_dir else ()):
        try:
            p = psutil.Process(pid)
            t = p.cpu_times()
            cpu += t.user + t.system
            rss += p.memory_info().rss / 2**20
        except psutil.Error:
            pass
    return cpu, rss


def bench_sphinx(raw: Path, work: Path, copies: int, reps: int, timeout: float, backend: str, shards: int) -> dict:
    """The same corpus pushed to a Sphinx cluster (``backend``, or one started here with
    ``shards`` shards on 127.0.0.1) and the same queries through the sphinx engine."""
    from kb.core import corpus
    from kb.engines.sphinx import cluster

    corpus_dir = work / "corpus"
    own = None
    if not backend:
        own = work / "cluster"
        backend = cluster.start(own, shards)
        log(f"sphinx: {shards} shards at {backend}")
    try:
        cpu0, _ = searchd_usage(own)
        log("sphinx: push")
        meta, secs, peak, cpu = run_child(["push-sphinx", str(corpus_dir), backend], timeout)
        cpu1, _ = searchd_usage(own)
        r = {"build_s": secs, "build_cpu_s": cpu + cpu1 - cpu0, "build_peak_mb": peak,
             "index_mb": dir_mb(own) if own else float("nan"), "paragraphs": meta["paragraphs"],
             "shards": shards if own else None, "backend": backend}
        log(f"sphinx: pushed in {secs:.0f} s; queries in-process")
        cpu0, _ = searchd_usage(own)
        q, _, _, _ = run_child(["query-sphinx", str(corpus_dir), backend, str(reps)], timeout)
        cpu1, _ = searchd_usage(own)
        r |= {"inproc": inproc(q), "searchd_cpu_queries_s": cpu1 - cpu0 if own else float("nan"),
              "totals": q["totals"], "partial": q["partial"]}
        log("sphinx: queries over HTTP")
        h = http_bench(corpus_dir, work / "no-index", reps, timeout, backend)
        _, rss = searchd_usage(own)
        r["http"] = http_numbers(h)
        r["server_rss_mb"], r["server_peak_mb"], r["searchd_rss_mb"] = h["rss_mb"], h["peak_mb"], rss
        r["server_memory"] = h["memory"]
        log("sphinx: add one report")
        extra = realcorpus.report_of(realcorpus.raw_files(raw)[0], raw, copy=copies)
        corpus.write(corpus_dir, extra)
        _, secs, _, cpu = run_child(["push-sphinx", str(corpus_dir), backend], timeout)
        r["add_one_s"], r["add_one_cpu_s"] = secs, cpu
        corpus.report_path(corpus_dir, extra.id).unlink()
        run_child(["push-sphinx", str(corpus_dir), backend], timeout)  # and remove it again
        return r
    finally:
        if own:
            cluster.stop(own)


def bench_scale(raw: Path, work: Path, copies: int, engines: list[str], reps: int, timeout: float,
                limit: int = 0, profile: Path | None = None, backend: str = "", shards: int = 2,
                size: str = "") -> dict:
    from bench import others

    out: dict = {"copies": copies, "size": size or f"{copies}x", "engines": {}, "load_start": os.getloadavg()[0]}
    corpus_dir = work / "corpus"
    t = time.perf_counter()
    n_reports = realcorpus.write_corpus(raw, corpus_dir, copies, limit)
    log(f"{out['size']}: wrote {n_reports} reports in {time.perf_counter() - t:.0f} s")
    out["reports"] = n_reports
    if profile:
        log("ours: build under cProfile")
        r, _, _, _ = run_child(["profile-build", str(corpus_dir), str(work / "profiled"), str(profile)], timeout)
        shutil.rmtree(work / "profiled", ignore_errors=True)
        log(f"ours: profiled build of {r['paragraphs']} paragraphs in {r['seconds']:.0f} s -> {profile}")
    if "ours" in engines:
        out["engines"]["ours"] = bench_ours(raw, work, corpus_dir, copies, reps, timeout)
    if "sphinx" in engines:
        out["engines"]["sphinx"] = bench_sphinx(raw, work, copies, reps, timeout, backend, shards)
    para_file = work / "paragraphs.jsonl"
    peers = [e for e in ("fts5", "tantivy") if e in engines]
    if peers:
        t = time.perf_counter()
        out["paragraphs"] = write_paragraphs(corpus_dir, para_file)
        out["prepare_s"] = time.perf_counter() - t
        log(f"{out['size']}: {out['paragraphs']} paragraphs prepared for the others in {out['prepare_s']:.0f} s")
    else:
        out["paragraphs"] = next(iter(out["engines"].values()))["paragraphs"]
    for engine in peers:
        if engine == "tantivy" and not others.available():
            log("tantivy: not installed, skipped")
            continue
        path = work / ("fts5.db" if engine == "fts5" else "tantivy")
        log(f"{engine}: build")
        meta, secs, peak, cpu = run_child(["build-other", engine, str(para_file), str(path)], timeout)
        r = {"build_s": secs, "build_cpu_s": cpu, "build_peak_mb": peak, "index_mb": meta["index_mb"],
             "paragraphs": out["paragraphs"]}
        log(f"{engine}: built in {secs:.0f} s; queries")
        q, _, _, _ = run_child(["query-other", engine, str(path), str(reps)], timeout)
        r |= {"inproc": inproc(q),
              "totals": q["totals"]}
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink()
        out["engines"][engine] = r
    shutil.rmtree(corpus_dir, ignore_errors=True)
    out["load_average"] = {"min": min(LOADS, default=0), "max": max(LOADS, default=0)}
    LOADS.clear()
    return out


NAMES = {"ours": "ours (numpy postings + Whoosh store)", "fts5": "SQLite FTS5 trigram", "tantivy": "Tantivy",
         "sphinx": "ours on Sphinx 2.2.11 (sphinx backend)"}


def fmt(x, digits=1) -> str:
    if x is None or x != x:
        return "–"
    return f"{x:,.{digits}f}"


def table(result: dict) -> str:
    lines = [f"### {result.get('size', str(result['copies']) + 'x')}: {result['paragraphs']:,} paragraphs, "
             f"{result['reports']:,} reports", "",
             f"(1-minute load average: {result.get('load_start', 0):.1f} at the start, "
             f"{result['load_average']['min']:.1f}–{result['load_average']['max']:.1f} after the steps, "
             f"on {os.cpu_count()} cores)", "",
             "| engine | build s | build CPU s | build peak MB | index MB | add one report s | open ms "
             "| first search ms | p50 ms | p95 ms | CPU p50 / p95 ms | p50 repeat ms | p95 repeat ms | HTTP start s "
             "| HTTP first search ms | HTTP p50 ms | HTTP p95 ms | server's own p95 ms | server MB (peak) "
             "| server MB anonymous / file |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
             "| ---: | ---: | ---: | ---: | ---: | ---: |"]
    for name, r in result["engines"].items():
        i, h = r["inproc"], r.get("http", {})
        server = f"{fmt(r['server_rss_mb'], 0)} ({fmt(r['server_peak_mb'], 0)})" if "server_rss_mb" in r else "–"
        m = r.get("server_memory") or {}
        split = f"{fmt(m.get('anon_mb'), 0)} / {fmt(m.get('file_mb'), 0)}" if m else "–"
        lines.append(f"| {NAMES[name]} | {fmt(r['build_s'])} | {fmt(r['build_cpu_s'])} "
                     f"| {fmt(r['build_peak_mb'], 0)} | {fmt(r['index_mb'], 0)} | {fmt(r.get('add_one_s'))} "
                     f"| {fmt(i.get('open_ms'))} | {fmt(i.get('warmup_ms'))} "
                     f"| {fmt(i['p50_first'])} | {fmt(i['p95_first'])} "
                     f"| {fmt(i.get('cpu_p50_first'))} / {fmt(i.get('cpu_p95_first'))} "
                     f"| {fmt(i['p50_repeat'])} | {fmt(i['p95_repeat'])} | {fmt(h.get('start_s'), 2)} "
                     f"| {fmt(h.get('warmup_ms'))} | {fmt(h.get('p50_first'))} "
                     f"| {fmt(h.get('p95_first'))} | {fmt(h.get('own_p95'))} | {server} | {split} |")
    return "\n".join(lines + [""] + ratios(result))


def ratios(result: dict) -> list[str]:
    """ours / each other engine, and ours against the targets (issue 17) where Tantivy ran."""
    ours = result["engines"].get("ours")
    out = []
    sph = result["engines"].get("sphinx")
    if sph:
        where = f"{sph['shards']} shards on this machine" if sph.get("shards") else sph["backend"]
        out.append(f"- sphinx: {where}; searchd RSS after the queries {fmt(sph['searchd_rss_mb'], 0)} MB (the "
                   f"server column is kb serve's own); build = the push (its CPU includes searchd's); "
                   f"partial answers: {sph['partial']}; searchd CPU during the in-process queries (the opening, the "
                   f"warming search and every pass) {fmt(sph.get('searchd_cpu_queries_s'), 2)} s, "
                   f"the front's CPU p50 / p95 of a first search {fmt(sph['inproc'].get('cpu_p50_first'))} / "
                   f"{fmt(sph['inproc'].get('cpu_p95_first'))} ms"
                   + (f"; totals equal to ours: {sph['totals'] == ours['totals']}" if ours else ""))
    if sph and ours:
        si, sh, oi_, oh_ = sph["inproc"], sph.get("http", {}), ours["inproc"], ours.get("http", {})
        out.append(f"- sphinx / ours (issue 28: at most 3x): p95 {si['p95_first'] / oi_['p95_first']:.2f}x "
                   f"(repeats {si['p95_repeat'] / oi_['p95_repeat']:.2f}x), HTTP p95 "
                   f"{sh.get('p95_first', math.nan) / oh_.get('p95_first', math.nan):.2f}x; requests/s with "
                   f"{CLIENTS} clients {fmt(sh.get('rps', math.nan))} against {fmt(oh_.get('rps', math.nan))} "
                   f"({oh_.get('rps', math.nan) / sh.get('rps', math.nan):.2f}x fewer)")
    if not ours:
        return out
    oi, oh = ours["inproc"], ours.get("http", {})
    for name in ("fts5", "tantivy"):
        o = result["engines"].get(name)
        if not o:
            continue
        i = o["inproc"]
        out.append(f"- ours / {NAMES[name]}: build {ours['build_s'] / o['build_s']:.2f}x "
                   f"(CPU {ours['build_cpu_s'] / o['build_cpu_s']:.2f}x), "
                   f"p50 {oi['p50_first'] / i['p50_first']:.2f}x, p95 {oi['p95_first'] / i['p95_first']:.2f}x, "
                   f"HTTP p50 {oh.get('p50_first', math.nan) / i['p50_first']:.2f}x, "
                   f"HTTP p95 {oh.get('p95_first', math.nan) / i['p95_first']:.2f}x (against its in-process), "
                   f"index size {ours['index_mb'] / o['index_mb']:.2f}x")
    t = result["engines"].get("tantivy")
    if t:
        ti = t["inproc"]
        out.append(f"- HTTP, each query once on a fresh kb serve: the server's own p95 "
                   f"{fmt(oh.get('own_p95', math.nan))} ms, the client's {fmt(oh.get('p95_first', math.nan))} ms, "
                   f"against Tantivy's {fmt(ti['p95_first'])} ms in-process for the same work: "
                   f"{oh.get('own_p95', math.nan) / ti['p95_first']:.2f}x and "
                   f"{oh.get('p95_first', math.nan) / ti['p95_first']:.2f}x")
        if oi.get("cpu_p95_first", math.nan) == oi.get("cpu_p95_first", math.nan):  # measured (not NaN)
            out.append(f"- CPU time of a query asked the first time (the process's, p95): ours "
                       f"{fmt(oi['cpu_p95_first'])} ms, Tantivy's {fmt(ti.get('cpu_p95_first', math.nan))} ms: "
                       f"{oi['cpu_p95_first'] / ti.get('cpu_p95_first', math.nan):.2f}x (p50 "
                       f"{oi['cpu_p50_first'] / ti.get('cpu_p50_first', math.nan):.2f}x); on a loaded "
                       f"machine the milliseconds above are mostly waiting for a core")
        checks = [("search p95 ≤ Tantivy's", oi["p95_first"] / ti["p95_first"], 1.0, "x"),
                  ("HTTP p95 ≤ Tantivy's in-process", oh.get("p95_first", math.nan) / ti["p95_first"], 1.0, "x"),
                  ("index ≤ 1.5x Tantivy's", ours["index_mb"] / t["index_mb"], 1.5, "x"),
                  ("build ≤ Tantivy's", ours["build_s"] / t["build_s"], 1.0, "x"),
                  ("first search after start ≤ 20 ms (HTTP)", oh.get("warmup_ms", math.nan), 20, " ms")]
        if result["copies"] > 1:
            checks.append(("server open ≤ 1 s (in-process open)", oi.get("open_ms", math.nan) / 1000, 1, " s"))
            checks.append(("server memory ≤ 1 GB after the queries", ours.get("server_rss_mb", math.nan), 1024, " MB"))
        out.append("- targets: " + "; ".join(f"{what}: {value:.2f}{unit} {'met' if value <= limit else 'NOT met'}"
                                             for what, value, limit, unit in checks))
    return out


def record(results: dict, doc: Path) -> None:
    """Append this run (command, commit, date, load average, tables) to docs/BENCHMARKS.md."""
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                          text=True).stdout.strip() or "?"
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    m = results["machine"]
    lines = ["", f"## Run {results['date']}: `{results['command']}`", "",
             f"Code: `{head}`{' with uncommitted changes' if dirty else ''}; {m['cpus']} cores, "
             f"{m['memory_gb']} GB, Python {m['python']}, merge kernels {m.get('kernels', '?')}; 1-minute load average at the start of the run "
             f"{results['load_start']:.2f}.", ""]
    for scale in results["scales"]:
        lines += [table(scale), ""]
    with open(doc, "a", encoding="utf-8") as f:
        f.write("\n".join(lines))


def meaning_ab(corpus_dir: Path, index_dir: Path, reps: int, timeout: float) -> int:
    """bench/run.py --queries-only CORPUS INDEX --meaning-ab: the two latencies and their ratio."""
    load = os.getloadavg()[0]
    q, _, _, _ = run_child(["query-ours-ab", str(corpus_dir), str(index_dir), str(reps)], timeout)
    out = {k: {"p50": pct([t for rep in v for t in rep], 50), "p95": pct([t for rep in v for t in rep], 95),
               "p95_per_pass": [pct(rep, 95) for rep in v]} for k, v in q["times"].items()}
    out["p95_ratio"] = out["with"]["p95"] / out["without"]["p95"]
    out["exact_totals_equal"] = [e for _, e in q["totals"]["with"]] == [e for _, e in q["totals"]["without"]]
    out["totals_differ"] = sum(a != b for a, b in zip(q["totals"]["with"], q["totals"]["without"], strict=True))
    names = [q for q, _ in queries.query_set()]
    med = {k: [pct([rep[i] for rep in v], 50) for i in range(len(names))] for k, v in q["times"].items()}
    out["slowest_with"] = sorted(((round(med["with"][i], 1), round(med["without"][i], 1), n)
                                  for i, n in enumerate(names)), reverse=True)[:6]
    out["load_start"], out["load_end"] = load, os.getloadavg()[0]
    print(json.dumps(out, ensure_ascii=False, indent=1))
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in CHILDREN:
        print(json.dumps(CHILDREN[argv[0]](*argv[1:])))
        return 0
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tarball", type=Path, default=TARBALL)
    ap.add_argument("--scales", default="70k,1,4",
                    help="sizes, comma-separated: copies of the corpus (1, 4), or 70k: the first 1,000 reports "
                         "once (default 70k,1,4)")
    ap.add_argument("--engines", default="ours,fts5,tantivy",
                    help="of ours, fts5, tantivy, sphinx (sphinx: ours on a Sphinx cluster, see --backend)")
    ap.add_argument("--backend", default="", help="sphinx://HOST:PORT: measure the sphinx engine on this cluster "
                                                  "(pushes the corpus to it); default: start one here (--shards)")
    ap.add_argument("--shards", type=int, default=2, help="shards of the cluster started for the sphinx engine")
    ap.add_argument("--reps", type=int, default=3, help="passes over the query set (the first is 'first')")
    ap.add_argument("--timeout", type=float, default=3600, help="seconds allowed to each step")
    ap.add_argument("--json", type=Path, help="write the results here as JSON")
    ap.add_argument("--limit", type=int, default=0, help="only the first N reports (a quick trial)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    ap.add_argument("--record", action="store_true",
                    help="append the run (command, commit, load average, tables, ratios) to docs/BENCHMARKS.md")
    ap.add_argument("--profile-build", type=Path, metavar="FILE",
                    help="also run our build once under cProfile and write its profile to FILE")
    ap.add_argument("--queries-only", nargs=2, metavar=("CORPUS", "INDEX"),
                    help="only our queries (in-process and HTTP) on a corpus and index built before")
    ap.add_argument("--meaning-ab", action="store_true",
                    help="with --queries-only: our queries in-process with the meaning tiers and without them "
                         "(Ranking.meaning_below=0, whole=0), alternating in one process: p50/p95 of each and "
                         "the ratio, and whether the exact totals agree")
    args = ap.parse_args(argv)
    if args.queries_only and args.meaning_ab:
        return meaning_ab(*map(Path, args.queries_only), args.reps, args.timeout)
    if args.queries_only:
        corpus_dir, index_dir = map(Path, args.queries_only)
        q, _, _, _ = run_child(["query-ours", str(corpus_dir), str(index_dir), str(args.reps)], args.timeout)
        h = http_bench(corpus_dir, index_dir, args.reps, args.timeout)
        r = {"inproc": inproc(q),
             "http": http_numbers(h), "server_memory": h["memory"],
             "server_rss_mb": h["rss_mb"], "server_peak_mb": h["peak_mb"], "totals": q["totals"]}
        print(json.dumps(r, ensure_ascii=False, indent=1))
        return 0
    engines = args.engines.split(",") + (["sphinx"] if args.backend and "sphinx" not in args.engines else [])
    tmp = Path(tempfile.mkdtemp(prefix="kb-bench-"))
    results = {"machine": {"cpus": os.cpu_count(), "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
                           "python": sys.version.split()[0],
                           "kernels": "C (kb.engines.embedded._merge)" if kernels.COMPILED else "numpy (kb.engines.embedded._merge not built)"},
               "date": time.strftime("%Y-%m-%d %H:%M %Z"), "command": " ".join(["bench/run.py", *argv]),
               "load_start": os.getloadavg()[0], "queries": queries.query_set(), "scales": []}
    try:
        raw = realcorpus.unpack(args.tarball, tmp / "raw")
        for size in args.scales.split(","):
            copies, limit = SIZES.get(size, (None, args.limit))
            copies = int(size) if copies is None else copies
            work = tmp / f"x{size}"
            work.mkdir()
            result = bench_scale(raw, work, copies, engines, args.reps, args.timeout, limit or args.limit,
                                 args.profile_build, args.backend, args.shards, size if size in SIZES else "")
            results["scales"].append(result)
            print(table(result) + "\n", flush=True)
            path = args.json or tmp / "bench-results.json"
            path.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
        if args.record:
            record(results, ROOT / "docs" / "BENCHMARKS.md")
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Load test: many clients search `kb serve` while full rebuilds switch the index under them.

    .venv/bin/python bench/load.py                      # 20 clients, 60 s (docs/ROBUSTNESS.md)
    .venv/bin/python bench/load.py --clients 20 --seconds 10 --copies 1 2

It makes two corpora in a temporary folder -- A: the seed reports in ``--copies``
first-number copies, B: in second-number copies -- and indexes each once to know the
right answers. Then it starts ``kb serve`` on a free loopback port over a corpus that
is A, and while ``--clients`` threads send requests for ``--seconds`` seconds, a builder
turns the corpus into B, runs ``kb build``, turns it back into A, runs ``kb build``, and
so on: every build is a full rebuild that switches the served generation (the one still
running at the end is killed).

Each client keeps one HTTP/1.1 connection and sends a mix of API searches (query,
filters, page, sort), compare, similar paragraphs, report lists and pages, and HTML
pages. It counts:

- an *error*: no answer, a status other than the expected one (any 5xx), a body that is
  not the JSON or HTML it should be;
- a *partial result*: a search whose total is neither corpus A's nor corpus B's for that
  query and those filters, or whose page does not hold what the total says, or whose
  year counts do not add up to the total -- what a half-built or mixed index would show.

It prints p50/p95/p99 latency, requests per second, errors, partial results and the
number of rebuilds, and exits with 1 if there was any error or partial result.
Traffic goes to 127.0.0.1 only; every loop is bounded in time and count.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parents[1]
SEED_CORPUS = ROOT / "corpus"
KB = str(Path(sys.executable).parent / "kb")
MAX_REQUESTS_PER_CLIENT = 200_000

QUERIES = ["法律顾问", "双随机一公开", "执法 -处罚", "行政复议 OR 行政诉讼", "放管服", "\"行政处罚法\"", "普法",
           "安全生产", "公平竞争审查", "规范性文件", "法治", "医疗纠纷调解", ""]
FILTERS = [{}, {"year": "2023"}, {"year": ["2023", "2025"]}, {"section_kind": "举措和成效"}, {"topic": "执法"},
           {"agency": "巨鹿县卫生健康局"}, {"level": "县", "year": "2024"}]
REPORT_IDS = [p.stem for p in sorted(SEED_CORPUS.glob("*.md"))]


def make_corpus(dest: Path, copies: int) -> Path:
    """The seed reports ``copies`` times (ids ``<id>`` and ``<id>-copyNN``)."""
    sys.path.insert(0, str(ROOT))
    from kb.core import corpus

    dest.mkdir(parents=True, exist_ok=True)
    for path in sorted(SEED_CORPUS.glob("*.md")):
        shutil.copy(path, dest / path.name)
        report = corpus.read(path)
        for i in range(1, copies):
            report.id = f"{path.stem}-copy{i:02d}"
            corpus.write(dest, report)
    return dest


def search_cases() -> list[dict]:
    """Every (query, filters) the clients send."""
    return [{"q": q, **f} for q in QUERIES for f in FILTERS]


def case_key(case: dict) -> str:
    return json.dumps(case, sort_keys=True, ensure_ascii=False)


def expected_totals(corpus_dir: Path, index_dir: Path) -> dict[str, int]:
    """The total of every search case on one corpus, from the library."""
    from kb.knowledgebase import KnowledgeBase
    from kb.search.request import SearchRequest

    kb = KnowledgeBase(corpus_dir, index_dir)
    out = {}
    for case in search_cases():
        args = {k: (v if isinstance(v, list) else [v]) for k, v in case.items()}
        out[case_key(case)] = kb.search(SearchRequest.from_args(args))["total"]
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.errors: Counter = Counter()
        self.partial: Counter = Counter()
        self.kinds: Counter = Counter()
        self.totals_seen: dict[str, set] = {}
        self.examples: list[str] = []

    def error(self, kind: str, detail: str) -> None:
        with self.lock:
            self.errors[kind] += 1
            if len(self.examples) < 10:
                self.examples.append(f"{kind}: {detail[:300]}")

    def partial_result(self, kind: str, detail: str) -> None:
        with self.lock:
            self.partial[kind] += 1
            if len(self.examples) < 10:
                self.examples.append(f"partial {kind}: {detail[:300]}")


def client(port: int, stop: threading.Event, stats: Stats, totals_a: dict, totals_b: dict, seed: int) -> None:
    rnd = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for _ in range(MAX_REQUESTS_PER_CLIENT):
        if stop.is_set():
            break
        kind = rnd.choices(["search", "search_page", "compare", "similar", "reports", "report", "report_page"],
                           weights=[10, 2, 2, 1, 1, 1, 1])[0]
        case = rnd.choice(search_cases())
        if kind in ("search", "search_page", "compare"):
            if kind == "compare" and not case["q"]:
                case = {**case, "q": "法律顾问"}
            params = [(k, v) for k, vs in case.items() for v in (vs if isinstance(vs, list) else [vs])]
            size = rnd.choice([10, 20, 100])
            page = rnd.choice([1, 1, 2, 3])
            if kind == "search":
                params += [("size", size), ("page", page), ("sort", rnd.choice(["relevance", "year", "year_asc"]))]
            path = {"search": "/api/search?", "search_page": "/?", "compare": "/api/compare?"}[kind] + urlencode(params)
        elif kind == "similar":
            path = f"/api/paragraphs/{rnd.choice(REPORT_IDS)}.p{rnd.randint(1, 5)}/similar"
        elif kind == "reports":
            path = "/api/reports"
        elif kind == "report":
            path = f"/api/reports/{rnd.choice(REPORT_IDS)}"
        else:
            path = f"/reports/{rnd.choice(REPORT_IDS)}?q={quote(rnd.choice(QUERIES[:5]))}"
        started = time.perf_counter()
        try:
            conn.request("GET", path)
            resp = conn.getresponse()
            body = resp.read()
        except (OSError, http.client.HTTPException) as e:
            stats.error("connection", f"{path}: {e!r}")
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            continue
        elapsed = time.perf_counter() - started
        with stats.lock:
            stats.latencies.append(elapsed)
            stats.kinds[kind] += 1
        if resp.status == 404 and kind == "search" and past_the_end(case, size, page, totals_a, totals_b):
            continue  # a page past the last one is a 404 (the corpus served may have fewer hits)
        if resp.status != 200:
            stats.error(f"status {resp.status}", f"{path}: {body[:200]!r}")
            continue
        ctype = resp.getheader("Content-Type", "")
        if kind in ("search_page", "report_page"):
            if not ctype.startswith("text/html") or b"</html>" not in body:
                stats.error("bad page", path)
            continue
        try:
            data = json.loads(body)
        except ValueError:
            stats.error("bad json", f"{path}: {body[:200]!r}")
            continue
        if kind == "search":
            check_search(stats, case, data, size, page, totals_a, totals_b, path)
        elif kind == "compare":
            key = case_key(case)
            if data["total"] not in (totals_a[key], totals_b[key]):
                stats.partial_result("compare total", f"{path}: {data['total']} not in {totals_a[key], totals_b[key]}")
    conn.close()


def past_the_end(case: dict, size: int, page: int, totals_a: dict, totals_b: dict) -> bool:
    """Whether ``page`` is past the last page of the case's hits in either corpus."""
    key = case_key(case)
    return any(total and (page - 1) * size >= total for total in (totals_a[key], totals_b[key]))


def check_search(stats: Stats, case: dict, data: dict, size: int, page: int, totals_a: dict, totals_b: dict,
                 path: str) -> None:
    key = case_key(case)
    total = data["total"]
    with stats.lock:
        stats.totals_seen.setdefault(key, set()).add(total)
    if total not in (totals_a[key], totals_b[key]):
        stats.partial_result("total", f"{path}: {total} not in {totals_a[key], totals_b[key]}")
        return
    want = max(0, min(size, total - (page - 1) * size))
    if len(data["hits"]) != want:
        stats.partial_result("page", f"{path}: {len(data['hits'])} hits, expected {want} of {total}")
    if "year" not in case and sum(item["count"] for item in data["facets"]["year"]) != total:
        stats.partial_result("facets", f"{path}: year counts do not add up to {total}")


def builder(corpus_dir: Path, index_dir: Path, swap: dict, stop: threading.Event, record: list) -> None:
    """Flip the corpus between A and B and rebuild, again and again, until told to stop;
    the build still running then is killed (SIGKILL: one more fault for the site)."""
    state = "A"
    while not stop.is_set():
        state = "B" if state == "A" else "A"
        swap[state]()
        started = time.monotonic()
        proc = subprocess.Popen([KB, "build", "--quiet", "--corpus", str(corpus_dir), "--index", str(index_dir)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        while proc.poll() is None and not stop.is_set():
            time.sleep(0.05)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
            proc.stderr.close()
            record.append({"corpus": state, "killed": True})
            break
        err = proc.stderr.read()
        proc.stderr.close()
        record.append({"corpus": state, "seconds": round(time.monotonic() - started, 2), "rc": proc.returncode,
                       "stderr": err[-300:]})


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def run(clients: int = 20, seconds: float = 60, copies: tuple[int, int] = (4, 6), threads: int = 8,
        workdir: Path | None = None, quiet: bool = False, min_builds: int = 1) -> dict:
    """Run the load test; return its numbers (see the module docstring).

    The clients go on past ``seconds`` until ``min_builds`` rebuilds have switched the
    index under them (on a busy machine a build is slow), but never past ``seconds + 120``.
    """
    say = (lambda *a: None) if quiet else (lambda *a: print(*a, flush=True))
    own = workdir is None
    root = Path(tempfile.mkdtemp(prefix="kb-load-")) if own else Path(workdir)
    server = None
    try:
        sys.path.insert(0, str(ROOT))
        from kb import build as kb_build

        a_dir, b_dir = make_corpus(root / "corpus-a", copies[0]), make_corpus(root / "corpus-b", copies[1])
        kb_build.build(a_dir, root / "index-a")
        kb_build.build(b_dir, root / "index-b")
        totals_a, totals_b = expected_totals(a_dir, root / "index-a"), expected_totals(b_dir, root / "index-b")
        extra = sorted({p.name for p in b_dir.glob("*.md")} - {p.name for p in a_dir.glob("*.md")})
        corpus_dir, index_dir, parked = root / "corpus", root / "index", root / "parked"
        shutil.copytree(a_dir, corpus_dir)
        parked.mkdir()
        for name in extra:
            shutil.copy(b_dir / name, parked / name)
        swap = {
            "A": lambda: [os.replace(corpus_dir / n, parked / n) for n in extra if (corpus_dir / n).exists()],
            "B": lambda: [os.replace(parked / n, corpus_dir / n) for n in extra if (parked / n).exists()],
        }
        shutil.copytree(root / "index-a", index_dir)  # corpus is A: its index is current
        say(f"corpus A: {copies[0] * 5} reports, B: {copies[1] * 5} reports; {len(search_cases())} search cases")

        port = free_port()
        log = open(root / "serve.log", "w")
        server = subprocess.Popen([KB, "serve", "--port", str(port), "--threads", str(threads),
                                   "--corpus", str(corpus_dir), "--index", str(index_dir)],
                                  stdout=log, stderr=subprocess.STDOUT)
        log.close()
        wait_for(port, server, root / "serve.log")
        say(f"kb serve on 127.0.0.1:{port} ({threads} threads); {clients} clients for {seconds:g} s while rebuilding")

        stats = Stats()
        builds: list[dict] = []
        stop = threading.Event()
        started = time.monotonic()
        build_thread = threading.Thread(target=builder, args=(corpus_dir, index_dir, swap, stop, builds))
        workers = [threading.Thread(target=client, args=(port, stop, stats, totals_a, totals_b, i))
                   for i in range(clients)]
        build_thread.start()
        for w in workers:
            w.start()
        while True:
            time.sleep(0.1)
            elapsed = time.monotonic() - started
            built = sum(1 for b in builds if b.get("rc") == 0)
            if (elapsed >= seconds and built >= min_builds) or elapsed >= seconds + 120:
                break
        stop.set()
        for w in workers:
            w.join(120)
        elapsed = time.monotonic() - started
        build_thread.join(60)
        server.send_signal(signal.SIGTERM)
        server.wait(30)
        server_log = (root / "serve.log").read_text(encoding="utf-8", errors="replace")
        lat = stats.latencies
        result = {
            "clients": clients, "seconds": round(elapsed, 1), "requests": len(lat),
            "requests_per_second": round(len(lat) / elapsed, 1),
            "p50_ms": round(percentile(lat, 50) * 1000, 1), "p95_ms": round(percentile(lat, 95) * 1000, 1),
            "p99_ms": round(percentile(lat, 99) * 1000, 1), "max_ms": round(max(lat, default=0) * 1000, 1),
            "mean_ms": round(statistics.fmean(lat) * 1000, 1) if lat else None,
            "errors": sum(stats.errors.values()), "error_kinds": dict(stats.errors),
            "partial_results": sum(stats.partial.values()), "partial_kinds": dict(stats.partial),
            "requests_by_kind": dict(stats.kinds),
            "builds": sum(1 for b in builds if "rc" in b),
            "builds_failed": sum(1 for b in builds if b.get("rc", 0) != 0),
            "builds_killed_at_the_end": sum(1 for b in builds if b.get("killed")),
            "build_seconds": [b["seconds"] for b in builds if "seconds" in b],
            "cases_seen_with_both_totals": sum(
                1 for k, seen in stats.totals_seen.items() if totals_a[k] != totals_b[k] and len(seen) == 2),
            "tracebacks_in_server_log": server_log.count("Traceback"),
            "examples": stats.examples,
        }
        say(json.dumps(result, ensure_ascii=False, indent=1))
        say(f"\n{result['requests']} requests in {result['seconds']} s ({result['requests_per_second']}/s) "
            f"by {clients} clients during {result['builds']} rebuilds: "
            f"p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, p99 {result['p99_ms']} ms; "
            f"{result['errors']} errors, {result['partial_results']} partial results")
        return result
    finally:
        if server is not None and server.poll() is None:
            server.kill()
            server.wait()
        if own:
            shutil.rmtree(root, ignore_errors=True)


def wait_for(port: int, server: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"kb serve exited: {log.read_text(encoding='utf-8', errors='replace')}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/api/topics")
            conn.getresponse().read()
            conn.close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"kb serve did not answer on port {port} in {seconds} s")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                epilog="example: .venv/bin/python bench/load.py --clients 20 --seconds 60")
    p.add_argument("--clients", type=int, default=20, help="concurrent clients (default 20)")
    p.add_argument("--seconds", type=float, default=60, help="how long (default 60)")
    p.add_argument("--copies", type=int, nargs=2, default=(4, 6), metavar=("A", "B"),
                   help="copies of the seed reports in corpus A and corpus B (default 4 6)")
    p.add_argument("--threads", type=int, default=8, help="kb serve --threads (default 8)")
    args = p.parse_args(argv)
    result = run(args.clients, args.seconds, tuple(args.copies), args.threads)
    return 1 if result["errors"] or result["partial_results"] or result["builds_failed"] else 0


if __name__ == "__main__":
    sys.exit(main())

"""Each route's time on a cluster with a frozen shard (issue 28: never short in silence, and not slow).

    .venv/bin/python bench/cluster_frozen.py --corpus CORPUS --dir /tmp/NAME/frozen [--shards 2] [--timeout 1]
        [--code PATH] [--json OUT]

Starts a cluster of ``--shards`` on ``--dir`` (pushing ``--corpus`` unless it was pushed there before),
``kb serve --backend`` on it (the code of ``--code``, a checkout of the project: this one by
default, so main's code can be measured beside a branch's in the same run), reads ``/`` once (the
engine opened whole), stops shard 1 with SIGSTOP (its port accepts, it never answers), then reads
every route of :data:`ROUTES` once, each a first read with the shard frozen, and prints its
wall time, status, whether it said it was short (the ``X-KB-Partial`` header) and which reads
(``partial_reads``). The shard is let go (SIGCONT) and the server and cluster stopped at the end.
Wall times on a shared machine are noisy: compare runs of the same minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.run import free_port, wait_for_server  # noqa: E402

Q = quote("法治 政府")
#: (route, label): the reads issue 28 names, each once.
ROUTES = [
    (f"/?q={Q}", "search page"), (f"/api/search?q={Q}", "/api/search"),
    (f"/api/search?q={quote('营商环境')}", "/api/search (2nd query)"),
    (f"/api/search/years?q={Q}", "/api/search/years"), (f"/api/compare?q={quote('营商环境')}", "/api/compare"),
    (f"/api/compare?q={quote('营商环境')}&by=year", "/api/compare by year"),
    (f"/compare?q={quote('营商环境')}&by=year", "compare page by year"),
    (f"/compare.csv?q={quote('营商环境')}", "/compare.csv"),
    (f"/api/search?q={quote('营商环竟')}", "/api/search misspelled"), (f"/?q={quote('营商环竟')}", "page misspelled"),
    (f"/api/facets/agency?q={Q}", "/api/facets/agency"), ("/api/topics", "/api/topics"),
    ("/api/reports", "/api/reports"), ("/api/figures", "/api/figures"),
    (f"/export.json?q={Q}", "/export.json"), (f"/export.csv?q={Q}", "/export.csv"),
]


def _kb(code: Path) -> list[str]:
    """The command that runs ``kb`` from the checkout ``code`` with this interpreter."""
    return [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(code)!r}); from kb.cli import main; main()"]


def _read(url: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=600) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()


def _reads_of(body: bytes) -> object:
    try:
        data = json.loads(body.decode("utf-8"))
    except ValueError:
        return None
    return data.get("partial_reads") if isinstance(data, dict) else None


def measure(base: str) -> list[dict]:
    rows = []
    for path, label in ROUTES:
        started = time.monotonic()
        status, headers, body = _read(base + path)
        rows.append({"route": label, "path": path, "seconds": round(time.monotonic() - started, 2), "status": status,
                     "partial": headers.get("x-kb-partial") == "1", "reads": _reads_of(body)})
        print(f"{label:28} {rows[-1]['seconds']:7.2f} s  {status}  partial={rows[-1]['partial']}  "
              f"reads={rows[-1]['reads']}", flush=True)
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--dir", type=Path, required=True)
    ap.add_argument("--shards", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=1.0)
    ap.add_argument("--code", type=Path, default=ROOT)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--json", type=Path)
    a = ap.parse_args(argv)
    kb = _kb(a.code.resolve())
    pushed = (a.dir / "cluster.json").is_file()
    out = subprocess.run([*kb, "cluster", "start", "--shards", str(a.shards), "--dir", str(a.dir), "--timeout",
                          str(a.timeout)], capture_output=True, text=True, check=True).stdout
    url = out.split()[-1] if "sphinx://" in out else next(w for w in out.split() if w.startswith("sphinx://"))
    try:
        if not pushed:
            subprocess.run([*kb, "build", "--corpus", str(a.corpus), "--backend", url], check=True,
                           stdout=subprocess.DEVNULL)
        port = a.port or free_port()
        server = subprocess.Popen([*kb, "serve", "--port", str(port), "--corpus", str(a.corpus), "--backend", url],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for_server(server, port)
            _read(base + "/")  # the engine opened whole
            shard = int((a.dir / "shard-1.pid").read_text())
            os.kill(shard, signal.SIGSTOP)
            try:
                rows = measure(base)
            finally:
                os.kill(shard, signal.SIGCONT)
        finally:
            server.terminate()
            server.wait(timeout=30)
    finally:
        subprocess.run([*kb, "cluster", "stop", "--dir", str(a.dir)], capture_output=True)
    if a.json:
        a.json.write_text(json.dumps({"code": str(a.code), "timeout": a.timeout, "rows": rows}, ensure_ascii=False,
                                     indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

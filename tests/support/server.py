"""Start `kb serve` as a subprocess on a free loopback port, for HTTP and browser tests."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

KB = str(Path(sys.executable).parent / "kb")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, proc: subprocess.Popen, seconds: float = 60, log: Path | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"kb serve exited: {log.read_text() if log else proc.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer in {seconds} s")


def get(url: str) -> tuple[int, dict | str]:
    """(status, JSON body or text) of a GET."""
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            body = r.read().decode()
            return r.status, json.loads(body) if r.headers.get_content_type() == "application/json" else body
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read().decode())


@contextmanager
def running_server(corpus: Path, index: Path, *extra: str) -> Iterator[str]:
    """`kb serve` on a free port (``extra``: more options); yields its base URL; stops it afterwards."""
    port = free_port()
    log = Path(index).parent / f"serve-{port}.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([KB, "serve", "--port", str(port), "--corpus", str(corpus), "--index", str(index),
                                 *extra],
                                stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/", proc, log=log)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)

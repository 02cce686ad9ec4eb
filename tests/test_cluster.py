"""The search cluster on real searchd processes (Debian's sphinxsearch, Sphinx 2.2.11).

Without searchd the tests are skipped, except in CI (CI=true), where that is a failure:
.ci/run installs sphinxsearch. Every cluster runs on 127.0.0.1 in a temporary folder and
is stopped at the end; a test checks that nothing is left running.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from serverutil import KB

from kb import cluster

if not shutil.which("searchd"):
    if os.environ.get("CI"):
        raise RuntimeError("CI needs Debian's sphinxsearch (apt-get install sphinxsearch)")
    pytest.skip("searchd not installed (apt-get install sphinxsearch)", allow_module_level=True)

import pymysql  # noqa: E402


def _answers(port: int) -> bool:
    try:
        with pymysql.connect(host="127.0.0.1", port=port, connect_timeout=2) as conn, conn.cursor() as cur:
            cur.execute("SHOW STATUS")
            return True
    except pymysql.err.MySQLError:
        return False


def _searchd_of(d: Path) -> list[int]:
    """Every live searchd process whose command line names a config in ``d``."""
    out = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmd = (proc / "cmdline").read_bytes().split(b"\0")
            state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if state != "Z" and any(str(d).encode() in part for part in cmd) and b"searchd" in cmd[0]:
            out.append(int(proc.name))
    return out


def test_kb_cluster_start_and_stop_leave_nothing_running(tmp_path):
    """GIVEN `kb cluster start --shards 2` WHEN it returns THEN it printed sphinx://127.0.0.1:PORT,
    the front and both shards answer SphinxQL with pid files shard-<n>.pid, the front names the
    shards in kb_cluster; `kb cluster stop` leaves no searchd of that folder running."""
    d = tmp_path / "cl"
    out = subprocess.run([KB, "cluster", "start", "--shards", "2", "--dir", str(d)],
                         capture_output=True, text=True, timeout=120)
    try:
        assert out.returncode == 0, out.stderr
        url = out.stdout.strip()
        assert url.startswith("sphinx://127.0.0.1:")
        front = int(url.rsplit(":", 1)[1])
        assert sorted(p.name for p in d.glob("*.pid")) == ["front.pid", "shard-0.pid", "shard-1.pid"]
        assert len(_searchd_of(d)) == 3
        procs = {p["name"]: p for p in __import__("json").loads((d / "cluster.json").read_text())}
        assert all(_answers(p["sql_port"]) for p in procs.values())
        with pymysql.connect(host="127.0.0.1", port=front) as conn, conn.cursor() as cur:
            cur.execute("SELECT shard, sql_port FROM kb_cluster ORDER BY shard ASC")
            assert [tuple(r) for r in cur.fetchall()] == [(0, procs["shard-0"]["sql_port"]),
                                                          (1, procs["shard-1"]["sql_port"])]
        again = subprocess.run([KB, "cluster", "start", "--shards", "2", "--dir", str(d)],
                               capture_output=True, text=True, timeout=60)
        assert again.returncode == 1 and "already running" in again.stderr
    finally:
        stopped = subprocess.run([KB, "cluster", "stop", "--dir", str(d)], capture_output=True, text=True, timeout=120)
    assert stopped.returncode == 0 and "stopped 3 searchd" in stopped.stdout
    assert _searchd_of(d) == []
    assert not list(d.glob("*.pid"))
    assert not _answers(front)


def test_a_cluster_starts_again_on_its_tables_and_refuses_another_shape(tmp_path):
    url = cluster.start(tmp_path, shards=1, mirrors=2)
    try:
        assert len(cluster.pids(tmp_path)) == 3  # front, shard-0, shard-0-1 (its mirror)
        assert "127.0.0.1:" in (tmp_path / "front.conf").read_text().split("agent = ")[1].split("|")[1]
    finally:
        cluster.stop(tmp_path)
    assert cluster.start(tmp_path, shards=1, mirrors=2) == url  # the same ports again
    cluster.stop(tmp_path)
    with pytest.raises(cluster.KbError, match="1 shards"):
        cluster.start(tmp_path, shards=2)
    assert _searchd_of(tmp_path) == []

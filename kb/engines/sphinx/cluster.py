"""Cluster: start and stop a Sphinx search cluster on this machine (development, tests,
trying the ``sphinx://`` backend out).

``kb cluster start --shards N --dir DIR`` writes one searchd config per shard (the
real-time tables of :mod:`kb.engines.sphinx.schema`) and one for a *front* searchd whose
distributed tables read every shard (and each shard alone, ``kb_para_s0`` …:
:mod:`kb.engines.sphinx.leftout`; ``ha_strategy = nodeads``; with ``--mirrors M``
each shard has M copies, written alike and read as agent mirrors
``host:port|host:port:table``), starts them all on 127.0.0.1, waits until each answers,
records the shards in the front's ``kb_cluster`` table (where a writer finds them) and
returns the backend URL ``sphinx://127.0.0.1:PORT``. ``kb cluster stop --dir DIR`` stops
them. A shard that does not answer within ``--timeout`` seconds (default 1) is left out of
the front's answer, which then says so (``partial``). Status, restarting one shard and
adding a copy of a running cluster's shard: :mod:`kb.engines.sphinx.operate`. Layout of DIR::

    DIR/cluster.json         the timeout and the ports of every process (reused by the next start)
    DIR/shard-<n>.conf .pid  shard n (mirror copies: shard-<n>-<copy>.*)
    DIR/shard-<n>/           its tables and binlog
    DIR/front.conf .pid      the front
    DIR/<name>.log           each searchd's log (query logs off)

searchd runs without its watchdog (``watchdog = 0``): a killed shard stays down, and
its pid file names the one process to stop.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from kb.core.errors import KbError
from kb.engines.sphinx import schema

HOST = "127.0.0.1"
START_TIMEOUT = 30.0  # seconds for a searchd to answer
STOP_TIMEOUT = 15.0  # seconds for one to exit after SIGTERM (then SIGKILL)
AGENT_CONNECT_TIMEOUT_MS = 1000
#: How long the front waits for a shard's answer before it answers without it (``partial``):
#: ``kb cluster start --timeout SECONDS`` sets it, kept in cluster.json.
DEFAULT_TIMEOUT = 1.0
HA_PING_MS = 200  # how often the front pings the copies (a dead copy is skipped from the next ping on)


@dataclass(frozen=True)
class Process:
    """One searchd: a shard's copy or the front."""

    name: str  # shard-0, shard-0-1 (second copy of shard 0), front
    sql_port: int  # SphinxQL (MySQL protocol)
    api_port: int  # Sphinx's own protocol: what the front's agents speak
    shard: int = -1  # -1: the front
    copy: int = 0


def searchd() -> str:
    """The searchd binary (Debian: apt-get install sphinxsearch)."""
    found = shutil.which("searchd") or shutil.which("searchd", path="/usr/bin:/usr/sbin")
    if found:
        return found
    raise KbError("没有找到 searchd (searchd not found); install Sphinx: apt-get install sphinxsearch")


def free_ports(n: int) -> list[int]:
    """``n`` free TCP ports on 127.0.0.1 (bound and released: free a moment ago)."""
    socks = []
    try:
        for _ in range(n):
            s = socket.socket()
            s.bind((HOST, 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def plan(shards: int, mirrors: int = 1, port: int | None = None) -> list[Process]:
    """The processes of a cluster: the front (SphinxQL on ``port``, or a free port) and
    each copy of each shard (ports after ``port``, or free ones)."""
    if not 1 <= shards <= 64:
        raise KbError("--shards 必须在 1 到 64 之间 (between 1 and 64 shards)")
    if not 1 <= mirrors <= 4:
        raise KbError("--mirrors 必须在 1 到 4 之间 (between 1 and 4 copies of each shard)")
    n = 2 + 2 * shards * mirrors
    ports = list(range(port, port + n)) if port else free_ports(n)
    procs = [Process("front", ports[0], ports[1])]
    i = 2
    for s in range(shards):
        for c in range(mirrors):
            procs.append(Process(f"shard-{s}" + (f"-{c}" if c else ""), ports[i], ports[i + 1], s, c))
            i += 2
    return procs


def _searchd_section(d: Path, p: Process) -> str:
    return f"""searchd
{{
  listen = {HOST}:{p.api_port}
  listen = {HOST}:{p.sql_port}:mysql41
  log = {d / (p.name + '.log')}
  pid_file = {d / (p.name + '.pid')}
  binlog_path = {d / p.name}
  workers = threads
  watchdog = 0
  collation_server = binary
  read_timeout = 5
  client_timeout = 300
  max_packet_size = 128M
  ha_ping_interval = {HA_PING_MS}
}}
"""


def shard_config(d: Path, p: Process) -> str:
    """A shard's config: its real-time tables (schema.TABLES)."""
    tables = "".join(schema.table_config(name, attrs, str(d / p.name / name))
                     for name, attrs in schema.TABLES.items())
    return tables + _searchd_section(d, p)


def front_config(d: Path, front: Process, shards: list[Process], timeout: float = DEFAULT_TIMEOUT) -> str:
    """The front's config: a distributed table per shard table (agents: the shards, each
    with its mirrors, waited for ``timeout`` seconds) and the ``kb_cluster`` table naming them."""
    by_shard: dict[int, list[Process]] = {}
    for p in shards:
        by_shard.setdefault(p.shard, []).append(p)
    out = []
    mirrored = ["  ha_strategy = nodeads"] if any(c.copy for c in shards) else []
    # (a frozen searchd accepts the connection but never says hello: the connect's wait is the one it
    # costs, so it is the timeout too when that is shorter)
    waits = [f"  agent_connect_timeout = {min(AGENT_CONNECT_TIMEOUT_MS, round(timeout * 1000))}",
             f"  agent_query_timeout = {round(timeout * 1000)}"]
    for name in schema.TABLES:
        agents = {s: "|".join(f"{HOST}:{c.api_port}" for c in copies) + f":{name}" for s, copies in by_shard.items()}
        # the table over every shard, and one over each shard alone: what a read that found a shard
        # short asks the others through (kb.engines.sphinx.client: the shards left out)
        for table, its in [(name, list(agents.values())), *((schema.shard_table(name, s), [a]) for s, a in agents.items())]:
            out.append("\n".join([f"index {table}", "{", "  type = distributed", *(f"  agent = {a}" for a in its),
                                  *mirrored, *waits, "}"]) + "\n")
    out.append(schema.table_config(schema.TOPOLOGY, schema.TOPOLOGY_ATTRS, str(d / front.name / schema.TOPOLOGY)))
    return "".join(out) + _searchd_section(d, front)


def start(d: Path, shards: int, mirrors: int = 1, port: int | None = None, timeout: float | None = None) -> str:
    """Start a cluster in ``d`` (reusing its ports, copies, timeout and tables if it ran there
    before; ``timeout`` changes the one it had); return its backend URL."""
    d = Path(d).resolve()
    d.mkdir(parents=True, exist_ok=True)
    running = list(pids(d))
    if running:
        raise KbError(f"{d} 中的集群已在运行 (a cluster is already running there: {', '.join(running)}); "
                      f"kb cluster stop --dir {d}, or kb cluster restart --dir {d} --shard N for one shard")
    if timeout is not None and not 0.05 <= timeout <= 600:
        raise KbError("--timeout 必须在 0.05 到 600 秒之间 (between 0.05 and 600 seconds)")
    had = load(d)
    _check_shape(d, had, shards)
    procs = had.processes if had else plan(shards, mirrors, port)
    if port and procs[0].sql_port != port:
        raise KbError(f"{d} 中的集群使用端口 {procs[0].sql_port} (the cluster in {d} runs on port "
                      f"{procs[0].sql_port}): start it without --port, or use a new --dir")
    layout = Layout(procs, timeout if timeout is not None else had.timeout if had else DEFAULT_TIMEOUT)
    layout.save(d)
    front, copies = layout.front, layout.copies
    started: list[Process] = []
    try:
        for p in copies + [front]:
            launch(d, layout, p)
            started.append(p)
        for p in started:
            wait(d, p)
        register(front, copies)
    except BaseException:
        stop(d)
        raise
    return f"sphinx://{HOST}:{front.sql_port}"


def register(front: Process, copies: list[Process]) -> None:
    """Name the shards' copies in the front's ``kb_cluster`` table (where a writer finds them),
    each with the stamp of the push that last wrote it (kept; a new copy, whose tables were
    copied from another copy of its shard, has that copy's)."""
    import pymysql

    with pymysql.connect(host=HOST, port=front.sql_port, autocommit=True) as conn, conn.cursor() as cur:
        cur.execute(f"SELECT shard, copy, stamp FROM {schema.TOPOLOGY} WHERE id < {schema.STAMP_ROW} LIMIT 1000")
        had = {(int(s), int(c)): str(stamp) for s, c, stamp in cur.fetchall()}
        for p in copies:
            stamp = had.get((p.shard, p.copy)) or max((v for (s, _), v in had.items() if s == p.shard), default="")
            cur.execute(f"REPLACE INTO {schema.TOPOLOGY} (id, body, shard, copy, host, sql_port, api_port, stamp) "
                        "VALUES (%s, '', %s, %s, %s, %s, %s, %s)",
                        (1 + p.shard * 16 + p.copy, p.shard, p.copy, HOST, p.sql_port, p.api_port, stamp))


@dataclass
class Layout:
    """What cluster.json keeps: every process and the front's timeout for its shards."""

    processes: list[Process]
    timeout: float = DEFAULT_TIMEOUT

    @property
    def front(self) -> Process:
        return self.processes[0]

    @property
    def copies(self) -> list[Process]:
        return self.processes[1:]

    def save(self, d: Path) -> None:
        (d / "cluster.json").write_text(json.dumps(
            {"timeout": self.timeout, "processes": [p.__dict__ for p in self.processes]}, indent=1) + "\n")

    def config(self, d: Path, p: Process) -> str:
        """The searchd config of process ``p``."""
        return shard_config(d, p) if p.shard >= 0 else front_config(d, self.front, self.copies, self.timeout)


def load(d: Path) -> Layout | None:
    """The layout of the cluster that ran in ``d`` before (None if none did; cluster.json
    of an earlier version, a bare list of processes, has the default timeout)."""
    try:
        raw = json.loads((Path(d) / "cluster.json").read_text())
        if isinstance(raw, list):
            raw = {"processes": raw}
        return Layout([Process(**p) for p in raw["processes"]], float(raw.get("timeout", DEFAULT_TIMEOUT)))
    except (OSError, ValueError, TypeError, KeyError):
        return None


def _check_shape(d: Path, had: Layout | None, shards: int) -> None:
    """Reports are routed by the number of shards: a cluster starts again with the number it had."""
    if had is None:
        return
    have = len({p.shard for p in had.copies})
    if have != shards:
        raise KbError(f"{d} 中的集群有 {have} 个分片 (the cluster in {d} has {have} shards; reports are routed by "
                      "the number of shards): start it as it was, or use a new --dir")


def launch(d: Path, layout: Layout, p: Process) -> None:
    """Write the config of ``p`` and start its searchd (it daemonizes; :func:`wait` for it)."""
    (d / p.name).mkdir(exist_ok=True)
    conf = d / f"{p.name}.conf"
    conf.write_text(layout.config(d, p))
    done = subprocess.run([searchd(), "--config", str(conf)], capture_output=True, text=True, cwd=d, timeout=60)
    if done.returncode != 0:
        raise KbError(f"searchd {p.name} 启动失败 (did not start): {_tail(d, p, done.stdout + done.stderr)}")


def _tail(d: Path, p: Process, output: str = "") -> str:
    try:
        log = (d / f"{p.name}.log").read_text(errors="replace")
    except OSError:
        log = ""
    lines = [x for x in (output + "\n" + log).splitlines() if "FATAL" in x or "ERROR" in x or "WARNING" in x]
    return " | ".join(lines[-3:]) or "see " + str(d / f"{p.name}.log")


def wait(d: Path, p: Process) -> None:
    """Until searchd ``p`` answers a SphinxQL query."""
    import pymysql

    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            with pymysql.connect(host=HOST, port=p.sql_port, connect_timeout=2) as conn, conn.cursor() as cur:
                cur.execute("SHOW STATUS")
                return
        except pymysql.err.MySQLError:
            pid = _pids(d).get(p.name)
            if time.monotonic() > deadline or (pid is not None and not alive(pid)):
                raise KbError(f"searchd {p.name} 没有应答 (does not answer on port {p.sql_port}): "
                              f"{_tail(d, p)}") from None
            time.sleep(0.1)


def _pids(d: Path) -> dict[str, int]:
    """The pid of every process named by a pid file in ``d``."""
    out = {}
    for f in sorted(Path(d).glob("*.pid")):
        try:
            out[f.stem] = int(f.read_text().strip())
        except (OSError, ValueError):
            continue
    return out


def alive(pid: int) -> bool:
    """True if ``pid`` is a running searchd (not a zombie, not another program that got the number)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return b"searchd" in cmdline and state != "Z"


def pids(d: Path) -> dict[str, int]:
    """The running searchd processes of the cluster in ``d``, by name."""
    return {n: pid for n, pid in _pids(d).items() if alive(pid)}


def stop(d: Path) -> list[str]:
    """Stop every searchd of the cluster in ``d`` (SIGTERM, then SIGKILL after
    :data:`STOP_TIMEOUT`); remove their pid files; return the names stopped."""
    d = Path(d)
    stopped = []
    for name, pid in _pids(d).items():
        if alive(pid):
            terminate(pid)
            stopped.append(name)
        (d / f"{name}.pid").unlink(missing_ok=True)
    return stopped


def terminate(pid: int) -> None:
    """Stop searchd ``pid``: SIGTERM (it saves its tables), SIGKILL if it has not exited
    after :data:`STOP_TIMEOUT`."""
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + STOP_TIMEOUT
    while alive(pid):
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            deadline = time.monotonic() + STOP_TIMEOUT
        time.sleep(0.05)

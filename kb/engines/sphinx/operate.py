"""Operating a running cluster (``kb cluster status | restart | add-mirror``): what each
searchd of a cluster started by :mod:`kb.engines.sphinx.cluster` is doing, restarting one
shard without stopping the others, and adding a copy (mirror) to a shard.

- :func:`status`: per process its state (``running``; ``not answering``: alive but no
  answer within a second, e.g. stopped with SIGSTOP or overloaded; ``stopped``), the rows of
  its tables, the push that last wrote them (recorded by the push in the front's ``kb_cluster``:
  the same across restarts); the cluster's last push (the front's stamp).
- :func:`restart`: stop and start the copies of one shard (or one copy); the front and the
  other shards keep answering, the answers are ``partial`` while the shard is away.
- :func:`add_mirror`: a new copy of a shard, its tables copied from a running copy (which is
  stopped for the copy, a few seconds), named in ``kb_cluster`` so pushes write to it, and
  the front restarted with the new agent (a second or so without answers).
"""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

from kb.core.errors import KbError
from kb.engines.sphinx import schema
from kb.engines.sphinx.cluster import HOST, Layout, Process, free_ports, launch, load, pids, register, terminate, wait

PROBE_TIMEOUT = 1  # seconds for a searchd to answer a status probe


def _layout(d: Path) -> Layout:
    layout = load(d)
    if layout is None:
        raise KbError(f"{d} 中没有集群 (no cluster.json in {d}); start one with kb cluster start --dir {d}")
    return layout


def status(d: Path) -> dict:
    """``{"dir", "timeout", "last_push", "processes": [{name, shard, copy, sql_port, state,
    rows, written}]}`` of the cluster in ``d``: ``written`` is the push that last wrote a copy's
    tables (the front's: the last push), as the front's ``kb_cluster`` says it (None when it
    does not answer, or no push of this version wrote the copy yet)."""
    d = Path(d).resolve()
    layout = _layout(d)
    running = pids(d)
    front = _process_status(layout.front, layout.front.name in running)
    pushes = front.pop("pushes", {})
    last = front.pop("stamp", None)
    front["written"] = last
    procs = [front] + [_process_status(p, p.name in running) | {"written": pushes.get((p.shard, p.copy))}
                       for p in layout.copies]
    return {"dir": str(d), "timeout": layout.timeout, "last_push": last, "processes": procs}


def _process_status(p: Process, alive: bool) -> dict:
    out = {"name": p.name, "shard": p.shard if p.shard >= 0 else None, "copy": p.copy, "sql_port": p.sql_port,
           "state": "stopped", "rows": {}, "written": None}
    if not alive:
        return out
    try:
        out.update(_probe(p))
        out["state"] = "running"
    except Exception:  # noqa: BLE001 - any failure to answer is "not answering"
        out["state"] = "not answering"
    return out


def _probe(p: Process) -> dict:
    """The rows of a shard copy's tables, or the front's push stamp and the push that last wrote
    each copy (as ISO times)."""
    import pymysql

    with pymysql.connect(host=HOST, port=p.sql_port, connect_timeout=PROBE_TIMEOUT, read_timeout=PROBE_TIMEOUT,
                         write_timeout=PROBE_TIMEOUT) as conn, conn.cursor() as cur:
        if p.shard < 0:
            cur.execute(f"SELECT shard, copy, stamp FROM {schema.TOPOLOGY} WHERE id < {schema.STAMP_ROW} LIMIT 1000")
            pushes = {(int(s), int(c)): _iso(int(stamp) / 1e9) for s, c, stamp in cur.fetchall() if stamp}
            cur.execute(f"SELECT stamp FROM {schema.TOPOLOGY} WHERE id = {schema.STAMP_ROW}")
            row = cur.fetchone()
            return {"stamp": _iso(int(row[0]) / 1e9) if row and row[0] else None, "pushes": pushes}
        rows = {}
        for table in (schema.REPORTS, schema.PARAGRAPHS):
            cur.execute(f"SELECT COUNT(*) FROM {table}")
            got = cur.fetchone()
            rows[table] = int(got[0]) if got else 0
        return {"rows": rows}


def _iso(seconds: float) -> str:
    return datetime.datetime.fromtimestamp(seconds).isoformat(timespec="seconds")


def _copies_of(layout: Layout, shard: int, copy: int | None) -> list[Process]:
    chosen = [p for p in layout.copies if p.shard == shard and (copy is None or p.copy == copy)]
    if not chosen:
        shards = sorted({p.shard for p in layout.copies})
        raise KbError(f"集群中没有分片 {shard}" + (f" 的副本 {copy}" if copy is not None else "")
                      + f" (no shard {shard}{'' if copy is None else f' copy {copy}'} in this cluster; "
                      f"shards: {', '.join(map(str, shards))})")
    return chosen


def restart(d: Path, shard: int, copy: int | None = None) -> list[str]:
    """Stop (if running) and start the copies of ``shard`` (only ``copy`` if given); the
    names restarted."""
    d = Path(d).resolve()
    layout = _layout(d)
    chosen = _copies_of(layout, shard, copy)
    _restart(d, layout, chosen)
    return [p.name for p in chosen]


def _restart(d: Path, layout: Layout, chosen: list[Process]) -> None:
    running = pids(d)
    for p in chosen:
        if p.name in running:
            terminate(running[p.name])
        (d / f"{p.name}.pid").unlink(missing_ok=True)
        launch(d, layout, p)
    for p in chosen:
        wait(d, p)


def add_mirror(d: Path, shard: int) -> str:
    """Add a copy of ``shard`` to the running cluster in ``d``; its name."""
    d = Path(d).resolve()
    layout = _layout(d)
    copies = _copies_of(layout, shard, None)
    running = pids(d)
    source = next((p for p in copies if p.name in running), None)
    if source is None or layout.front.name not in running:
        raise KbError(f"分片 {shard} 或前端没有运行 (shard {shard} has no running copy, or the front is down): "
                      f"kb cluster start --dir {d} first")
    n = max(p.copy for p in copies) + 1
    if n >= 16:
        raise KbError(f"分片 {shard} 已有 {n} 个副本 (shard {shard} has {n} copies, 16 at most)")
    sql, api = free_ports(2)
    new = Process(f"shard-{shard}-{n}", sql, api, shard, n)
    terminate(running[source.name])  # it saves its tables: a consistent copy
    (d / f"{source.name}.pid").unlink(missing_ok=True)
    shutil.copytree(d / source.name, d / new.name, dirs_exist_ok=False)
    layout = Layout(layout.processes + [new], layout.timeout)
    layout.save(d)
    _restart(d, layout, [source, new])
    _restart(d, layout, [layout.front])
    register(layout.front, [new])
    return new.name

"""SphinxQL client: statements to one searchd over the MySQL protocol (pymysql), each read
with its ``SHOW META`` and ``SHOW WARNINGS``, for the sphinx engine (:mod:`kb.engines.sphinx.engine`)
and the push (:mod:`kb.engines.sphinx.push`).

A ``sphinx://HOST:PORT`` URL names the searchd (:func:`parse_url`); :func:`quote` makes a
string literal. A searchd that does not answer, or fails a statement, is
:class:`~kb.core.errors.Unavailable` (503); a statement that fails because every copy of a
shard failed is asked once more after the front has pinged its agents. A statement answered
with a warning (a shard left out) marks the current read short (:mod:`kb.core.shortfall`), and
the read's later statements then read the other shards alone (:mod:`kb.engines.sphinx.leftout`).
"""

from __future__ import annotations

import contextvars
import threading
import time
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit

from kb.core import shortfall
from kb.core.errors import BadRequest, Unavailable
from kb.engines.sphinx import leftout

CONNECT_TIMEOUT = 5
READ_TIMEOUT = 60
AGENT_RETRY_DELAY = 1.1  # seconds: longer than Sphinx's default ha_ping_interval (1 s)
#: searchd's words for a column or field its tables do not have: a cluster started by an
#: older version (its tables keep the columns they were made with)
_OLD_LAYOUT = ("unknown column", "no field")
OLD_LAYOUT_HINT = ("; 这个集群由旧版本创建 (the cluster's tables were made by an older version: start a new one with "
                   "kb cluster start --dir NEW and push again; docs/CLUSTER.md)")


def _said(e: Exception) -> str:
    """searchd's message of an error, with how to fix a cluster of an older layout."""
    msg = str(e.args[-1]).strip()
    return msg + OLD_LAYOUT_HINT if any(w in msg for w in _OLD_LAYOUT) else msg
MULTI_QUERY = 32  # queries searchd runs as one multi-query (a FACET is one more query)
PARALLEL = 4  # requests of one batch sent at once (each on a connection of its own)


def _queries(sql: str) -> int:
    """How many queries of a multi-query a statement is (itself and each FACET)."""
    return 1 + sql.count(" FACET ")


def _chunks(statements: list[tuple[str, int]]) -> list[list[tuple[str, int]]]:
    """``statements`` in order, in requests of at most :data:`MULTI_QUERY` queries each (searchd
    refuses more in one multi-query; a statement of more stays alone)."""
    out: list[list[tuple[str, int]]] = [[]]
    n = 0
    for st in statements:
        k = _queries(st[0])
        if out[-1] and n + k > MULTI_QUERY:
            out.append([])
            n = 0
        out[-1].append(st)
        n += k
    return out


_POOL: list[ThreadPoolExecutor] = []
_POOL_LOCK = threading.Lock()


def _pool() -> ThreadPoolExecutor:
    """The threads that send a batch's requests at once (shared by every client: a client's
    connections are its own in each thread)."""
    with _POOL_LOCK:
        if not _POOL:
            _POOL.append(ThreadPoolExecutor(PARALLEL, thread_name_prefix="kb-sphinx"))
        return _POOL[0]


def beside(fn, *args) -> Future:
    """``fn(*args)`` run in a thread of the pool, in a copy of this context, while the caller
    goes on (the push stamp read beside a search's first trip: :meth:`SphinxEngine.is_current`)."""
    return _pool().submit(contextvars.copy_context().run, fn, *args)


def parse_url(url: str) -> tuple[str, int]:
    """(host, port) of ``sphinx://HOST:PORT``."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    if parts.scheme != "sphinx" or not parts.hostname or not port:
        raise BadRequest(f"后端地址无效 (not a backend URL: {url!r}); give sphinx://HOST:PORT")
    return parts.hostname, port


def quote(value: str) -> str:
    """A SphinxQL string literal (NUL, which SphinxQL cannot carry, as U+FFFD)."""
    return "'" + str(value).replace("\\", "\\\\").replace("'", "\\'").replace("\x00", "\ufffd") + "'"


def said(rows: list[tuple]) -> list[str]:
    """The messages of SHOW WARNINGS' ``rows`` that say something: searchd also leaves warnings
    with no message (code 1000, after a FACET, and after each statement but the last of a
    request of several with their SHOW META), which are no shard left out."""
    return [str(w[-1]) for w in rows if str(w[-1]).strip()]


@dataclass
class Result:
    """What one statement gave: its result sets, SHOW META, and the warnings."""

    sets: list[list[tuple]]
    meta: dict[str, str]
    warnings: list[str]

    @property
    def total(self) -> int:
        return int(self.meta.get("total_found", 0))


class Client:
    """SphinxQL connections to one searchd, one per thread (pymysql's are not shared).

    :attr:`trips` counts the round trips made, by the kind the caller names (``stamp``,
    ``prepare``, ``selection`` …; ``other`` unnamed): what a search waits for, one after the
    other (tests/cluster, docs/CLUSTER.md "Round trips a search"); :attr:`requests` the requests
    sent (a batch of more than :data:`MULTI_QUERY` queries is several, sent at once: one trip)."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self._local = threading.local()
        self.trips: Counter = Counter()
        self.requests: Counter = Counter()
        self._trips_lock = threading.Lock()
        self._topology: leftout.Topology | None = None  # read when a warning first names an agent
        #: requests that waited for a shard their read had already found short (sent to it again: 0
        #: while every statement's tables are replaced, :mod:`kb.engines.sphinx.leftout`; tests/cluster)
        self.waited_again = 0

    def _connect(self):
        import pymysql
        from pymysql.constants import CLIENT

        try:
            return pymysql.connect(host=self.host, port=self.port, autocommit=True, connect_timeout=CONNECT_TIMEOUT,
                                   read_timeout=READ_TIMEOUT, client_flag=CLIENT.MULTI_STATEMENTS)
        except pymysql.err.MySQLError as e:
            raise Unavailable(f"搜索集群没有应答 (the search cluster at {self.host}:{self.port} does not answer: "
                              f"{e.args[-1]})") from None

    def run(self, sql: str, kind: str = "other", counted: bool = True) -> Result:
        """Run one statement and read its SHOW META and SHOW WARNINGS in the same trip (not
        counted in :attr:`trips` when sent beside another: ``counted`` False)."""
        sent, left = leftout.rewrite(sql, (self.host, self.port), self._topology)
        sets = self._trip(sql + "; SHOW META; SHOW WARNINGS", kind, counted, f"{sent}; SHOW META; SHOW WARNINGS",
                          [(-1, left)])
        warnings = said(sets[-1])
        if warnings:
            shortfall.note(warnings[0])
        meta = {str(k): str(v) for k, v in sets[-2]}
        return Result(sets[:-2], meta, warnings)

    def batch(self, statements: list[tuple[str, int]], kind: str = "other") -> list[Result]:
        """Several statements in one round trip, each ``(sql, result sets it gives)``,
        each followed by its SHOW WARNINGS; Sphinx runs consecutive SELECTs as one
        multi-query (a shard that does not answer costs the timeout once). No SHOW META:
        after a shard timed out, searchd repeats the first statement's there (totals
        are counted with FACET instead). Results carry no meta. More than :data:`MULTI_QUERY`
        queries are several requests (:func:`_chunks`), sent at once, each on a connection of its
        own: one trip still, in wall time."""
        chunks = _chunks(statements)
        if len(chunks) == 1:
            return self._batch(statements, kind)
        with self._trips_lock:
            self.trips[kind] += 1
        # (each request in a copy of this context: a shard left out is noted in this read's scope)
        futures = [_pool().submit(contextvars.copy_context().run, self._batch, c, kind, False) for c in chunks]
        return [r for f in futures for r in f.result()]

    def count(self, kind: str) -> None:
        """One more trip of ``kind`` (a request sent beside others that was waited for alone)."""
        with self._trips_lock:
            self.trips[kind] += 1

    def made(self) -> int:
        """Every trip counted so far, of every kind."""
        with self._trips_lock:
            return sum(self.trips.values())

    def _batch(self, statements: list[tuple[str, int]], kind: str, counted: bool = True) -> list[Result]:
        """:meth:`batch` of at most :data:`MULTI_QUERY` queries: one request."""
        front = (self.host, self.port)
        sent = [leftout.rewrite(sql, front, self._topology) for sql, _ in statements]
        warned, i = [], 0
        for (_, n), (_, left) in zip(statements, sent, strict=True):
            warned.append((i + n, left))
            i += n + 1
        sets = self._trip("; ".join(f"{sql}; SHOW WARNINGS" for sql, _ in statements), kind, counted,
                          "; ".join(f"{sql}; SHOW WARNINGS" for sql, _ in sent), warned)
        out, i = [], 0
        for _, n in statements:
            warnings = said(sets[i + n])
            if warnings:
                shortfall.note(warnings[0])
            out.append(Result(sets[i:i + n], {}, warnings))
            i += n + 1
        return out

    def _trip(self, sql: str, kind: str, counted: bool, sent: str, warned: list[tuple[int, set[int]]]) -> list[list[tuple]]:
        """Every result set of one round trip of ``sent`` (``sql`` with the tables of the shards
        left out in this read replaced: :func:`leftout.rewrite`; ``warned``: the warnings' result
        set of each statement and the shards it left out, said there). The shards the warnings
        name are left out of the read's later statements. Once the current read is short (a
        shard did not answer), ``sql`` asked again in it is answered with what it gave
        (:func:`kb.core.shortfall.recall`: no trip, no second wait for that shard)."""
        key = (self.host, self.port, sql)
        sets = shortfall.recall(key)
        if sets is not None:
            return sets
        lost = shortfall.lost((self.host, self.port))
        sets = self._round_trip(sent, kind, counted)
        for at, left in warned:
            if left:
                sets[at].append(("warning", 1000, leftout.said_of(left)))
        warnings = [w for at, _ in warned for w in said(sets[at])]
        if warnings:  # (before it is held: what a short read gave is kept for the rest of it)
            shortfall.note(warnings[0])
            self._learn(warnings, lost)
        shortfall.hold(key, sets)
        return sets

    def _learn(self, warnings: list[str], lost: set) -> None:
        """Note the shards of the agents ``warnings`` name as left out of the current read (the
        front's topology read the first time one is named; ``lost``: those it had left out when
        the statements were sent)."""
        named = leftout.agents(warnings)
        if not named:
            return
        if self._topology is None or not named <= set(self._topology.shards) | self._topology.unknown:
            try:
                self._topology = leftout.Topology.of([self._round_trip(sql, "topology")[0] for sql in leftout.STATEMENTS])
            except Unavailable:  # (a front without kb_cluster: the shards are waited for as before)
                self._topology = leftout.Topology()
            self._topology.unknown |= named - set(self._topology.shards)  # (not looked for again)
        if any(self._topology.shards.get(a) in lost for a in named):
            with self._trips_lock:
                self.waited_again += 1
        leftout.learn((self.host, self.port), self._topology, named)

    def _round_trip(self, sql: str, kind: str = "other", counted: bool = True) -> list[list[tuple]]:
        """Every result set of one round trip (asked again once on a lost connection, and
        once after the agents' ping when every copy of a shard failed), counted in :attr:`requests`
        and, unless sent beside others (``counted`` False), in :attr:`trips`."""
        import pymysql

        with self._trips_lock:
            self.requests[kind] += 1
            if counted:  # (a Counter keeps a kind added 0)
                self.trips[kind] += 1

        for attempt in (1, 2):
            conn = getattr(self._local, "conn", None)
            if conn is None:
                conn = self._local.conn = self._connect()
            try:
                with conn.cursor() as cur:
                    cur.execute(sql)
                    sets = [list(cur.fetchall())]
                    while cur.nextset():
                        sets.append(list(cur.fetchall()))
            except pymysql.err.OperationalError as e:
                self._local.conn = None
                if attempt == 2:
                    raise Unavailable(f"搜索集群没有应答 (the search cluster at {self.host}:{self.port} failed: "
                                      f"{e.args[-1]})") from None
                continue
            except pymysql.err.MySQLError as e:
                self._local.conn = None  # the rest of a batch's answers may wait on it: a new connection
                conn.close()
                if attempt == 1 and "agent" in str(e.args[-1]):
                    # every copy of a shard failed: a mirror copy that just died is skipped
                    # once the front has pinged it (ha_ping_interval); ask again after that
                    time.sleep(AGENT_RETRY_DELAY)
                    continue
                raise Unavailable(f"搜索集群无法回答 (the search cluster could not answer: {_said(e)})") from None
            return sets
        raise AssertionError("unreachable")

    def table_status(self, table: str) -> dict[str, str]:
        """``SHOW INDEX table STATUS`` of this searchd: a real-time table's documents, chunks, bytes."""
        sql = f"SHOW INDEX {table} STATUS"
        return {str(k): str(v) for k, v in self._trip(sql, "status", True, sql, [])[0]}

    def execute(self, sql: str) -> None:
        """A write (no META to read): errors are KbError with Sphinx's message. What a short
        read held (:meth:`_trip`) is let go: a read after a write asks again."""
        import pymysql

        shortfall.drop()
        conn = getattr(self._local, "conn", None) or self._connect()
        self._local.conn = conn
        try:
            with conn.cursor() as cur:
                cur.execute(sql)
        except pymysql.err.MySQLError as e:
            self._local.conn = None
            raise Unavailable(f"写入搜索集群失败 (a write to {self.host}:{self.port} failed: {_said(e)})") from None

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

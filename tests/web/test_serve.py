"""`kb serve`, started as a user would, spoken to over HTTP."""

from __future__ import annotations

import gc
import http.client
import shutil
import socket
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import waitress.channel
from waitress import wasyncore
from waitress.adjustments import Adjustments

from kb import Settings, build
from kb.core import corpus as corpus_files
from tests.support.seeds import LIPING_REPORT
from tests.support.server import get, running_server
from web import create_app, site


def test_kb_serve_builds_missing_index_and_answers_over_http(corpus_dir, tmp_path):
    """GIVEN a corpus and no index WHEN `kb serve` starts on a free port
    THEN it builds the index, binds 127.0.0.1 and answers pages and the API."""
    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir, corpus)
    index = tmp_path / "index"
    with running_server(corpus, index) as base:
        assert (index / "CURRENT").is_file()
        assert listening_addresses(int(base.rsplit(":", 1)[1])) == {"127.0.0.1"}
        status, data = get(base + "/api/search?q=" + quote("法律顾问"))
        assert status == 200 and data["total"] > 0
        assert len(data["facets"]["agency"]) == 5
        status, page = get(base + "/?q=" + quote("双随机一公开"))
        assert status == 200 and "<mark>双随机、一公开</mark>" in page
        status, err = get(base + "/api/search?size=0")
        assert status == 400 and "size" in err["error"]
        status, err = get(base + "/api/reports/nope")
        assert status == 404 and "error" in err


def listening_addresses(port: int) -> set[str]:
    """The IPv4 addresses on which something listens on ``port`` (from /proc/net/tcp)."""
    found = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, _, hex_port = local.partition(":")
        if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
            found.add(socket.inet_ntoa(bytes.fromhex(address)[::-1]))
    return found


def test_ready_freezes_the_start_up_heap_and_a_rebuild_unfreezes_it(fresh_copy):
    """GIVEN a site on an index WHEN it is made ready as `kb serve` does before it listens
    THEN the index is open, warmed and searched once through the app, and what start-up made
    is frozen (a full collection no longer walks it), the answers unchanged;
    WHEN a build then replaces the generation THEN the next search opens the new one and
    unfreezes the old (its garbage is collected again) and finds the new paragraph."""
    corpus, index = fresh_copy
    client = create_app({"CORPUS_DIR": str(corpus), "INDEX_DIR": str(index), "TESTING": True}).test_client()
    before = client.get("/api/search", query_string={"q": "法律顾问"}).get_json()
    app = create_app({"CORPUS_DIR": str(corpus), "INDEX_DIR": str(index), "TESTING": True})
    try:
        site.ready(app)
        assert gc.get_freeze_count() > 0
        kb = app.extensions["kb"]
        first = kb.engine()
        asked = {key[0] for key in first.cache["search"]._items}  # the answers start-up searched (and keeps)
        assert asked == {kb.warm_query, *site.WARM_QUERIES} == set(site.warm_queries(kb))
        after = app.test_client().get("/api/search", query_string={"q": "法律顾问"}).get_json()
        assert without_took(after) == without_took(before)
        path = corpus_files.report_path(corpus, LIPING_REPORT)
        path.write_text(path.read_text(encoding="utf-8") + "\n又一段：冻结之后的标记丙丁戊。\n", encoding="utf-8")
        build.build(corpus, index)
        found = app.test_client().get("/api/search", query_string={"q": "丙丁戊"}).get_json()
        assert kb.engine() is not first and gc.get_freeze_count() == 0
        assert [h["report_id"] for h in found["hits"]] == [LIPING_REPORT]
    finally:
        gc.unfreeze()


def test_a_server_on_a_cluster_warms_with_one_search(fresh_copy):
    """GIVEN a site whose searches go to a cluster (a round trip each) WHEN start-up asks what to
    search before it listens THEN it is the knowledge base's warm query alone."""
    corpus, index = fresh_copy
    app = create_app({"CORPUS_DIR": str(corpus), "INDEX_DIR": str(index), "TESTING": True,
                      "KB_SETTINGS": Settings(backend="sphinx://127.0.0.1:9")})
    kb = app.extensions["kb"]
    assert site.warm_queries(kb) == (kb.warm_query,)


def without_took(answer: dict) -> dict:
    return {k: v for k, v in answer.items() if k != "took_ms"}


class SlowAnswer:
    """A WSGI app whose answer comes in three pieces, the app working between them."""

    def __call__(self, environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])

        def body():
            yield b"a" * 100
            time.sleep(0.2)
            yield b"b" * 50_000
            time.sleep(0.2)
            yield b"c" * 10

        return body()


def test_kb_serves_server_answers_in_pieces_and_large():
    """GIVEN `kb serve`'s waitress server (web.site.create_server, its connections
    web.site.Channel) WHEN clients ask, two at once, for an answer that comes in pieces with
    the app working between them THEN each gets all of it, in order."""
    server = site.create_server(SlowAnswer(), host="127.0.0.1", port=0, threads=2)
    loop = threading.Thread(target=server.run, daemon=True)
    loop.start()
    got: list[bytes] = []
    clients = [threading.Thread(target=lambda: got.append(fetch(server.effective_port))) for _ in range(2)]
    try:
        for c in clients:
            c.start()
        for c in clients:
            c.join(30)
    finally:  # closed by the loop itself (waitress's trigger runs this there), which then ends
        server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))
        loop.join(10)
        server.task_dispatcher.shutdown()
    assert got == [b"a" * 100 + b"b" * 50_000 + b"c" * 10] * 2


def fetch(port: int) -> bytes:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", "/")
        return conn.getresponse().read()
    finally:
        conn.close()


class _Server:
    """What a channel asks of its server."""

    def __init__(self):
        self.adj, self.active_channels, self.pulled = Adjustments(), {}, 0

    def pull_trigger(self):
        self.pulled += 1


def test_a_connection_asks_the_loop_to_write_only_when_a_write_would_send():
    """GIVEN a connection of `kb serve` (web.site.Channel) whose request's task is sending
    what waits in its buffer (the task holds the buffer's lock) WHEN the server's loop asks
    whether to write THEN no (the loop would find the socket writable, fail to take the lock,
    write nothing and ask again at once, over and over -- what waitress's own channel does,
    taking the GIL from the task each time); yes once the task lets go of the buffer, and when
    no task runs or the connection is to close."""
    ours, theirs = socket.socketpair()
    with ours, theirs:
        channel = site.Channel(_Server(), ours, ("127.0.0.1", 1), Adjustments(), map={})
        plain = waitress.channel.HTTPChannel(_Server(), ours, ("127.0.0.1", 1), Adjustments(), map={})
        for c in (channel, plain):
            c.requests, c.total_outbufs_len = [object()], 412
        held, done = threading.Event(), threading.Event()

        def task():
            with channel.outbuf_lock, plain.outbuf_lock:
                held.set()
                done.wait(30)

        sending = threading.Thread(target=task)
        sending.start()
        try:
            assert held.wait(30)
            assert plain.writable()  # waitress's: write, though the write would do nothing
            plain.handle_write()
            assert plain.total_outbufs_len == 412 and not plain.will_close
            assert not channel.writable()
        finally:
            done.set()
            sending.join(30)
        assert channel.writable()  # the lock is free: the loop may send what the task left
        channel.requests = []
        assert channel.writable()
        channel.total_outbufs_len, channel.requests, channel.will_close = 0, [object()], True
        assert channel.writable()


@pytest.mark.parametrize("option", [("--port", "99999999"), ("--port", "-5"), ("--port", "0"), ("--threads", "0"),
                                    ("--host", "999.1.1.1")], ids=lambda o: " ".join(o))
def test_kb_serve_refuses_a_bad_port_threads_or_host_at_once(corpus_dir, tmp_path, option):
    """A walk-through's `kb serve --port 99999999` said it served and hung, `--port -5` and
    `--host 999.1.1.1` ended in a traceback, `--threads 0` served nothing: each is an Error: line."""
    import subprocess

    from tests.web.test_cli import KB, assert_user_error

    proc = subprocess.run([KB, "serve", "--corpus", str(corpus_dir), "--index", str(tmp_path / "index"), *option], capture_output=True, text=True,
                          encoding="utf-8", timeout=60)
    assert_user_error(proc)
    assert not (tmp_path / "index").exists()  # refused before any build
    assert "serving" not in proc.stdout


def test_kb_serve_on_a_port_another_server_holds_says_so_before_it_builds(corpus_dir, tmp_path):
    """GIVEN a port another server listens on WHEN kb serve is asked to serve on it THEN one
    Error: line says the port is taken and to give another, before any build and without saying it
    serves (it said `serving … on http://127.0.0.1:P/`, built and warmed the index, then ended in
    `Error: [Errno 98] Address already in use`)."""
    import socket
    import subprocess

    from tests.web.test_cli import KB, assert_user_error

    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        proc = subprocess.run([KB, "serve", "--corpus", str(corpus_dir), "--index", str(tmp_path / "index"),
                               "--port", str(port)], capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert_user_error(proc)
    assert f"端口 {port} 已被占用" in proc.stderr and "give another --port" in proc.stderr
    assert "serving" not in proc.stdout and not (tmp_path / "index").exists()

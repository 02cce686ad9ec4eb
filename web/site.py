"""The site as the command line reaches it: ``kb serve`` serves :func:`serve`, and
``kb search`` / ``kb compare`` / ``kb figures`` print answers with the site's links
(:func:`linked`). kb.cli imports this module in those commands only; no other module of
kb imports web.
"""

from __future__ import annotations

import gc
import logging

import waitress.channel
import waitress.server

from kb import IndexMissing, Settings
from web import create_app, urls

#: waitress settings for a site left running: the site reads no request bodies, a
#: client that stalls is dropped, poll() instead of select() (no limit of 1024 sockets).
SERVE_OPTIONS = {
    "connection_limit": 200,
    "channel_timeout": 60,
    "max_request_body_size": 64 * 1024,
    "asyncore_use_poll": True,
}

LINKERS = {"search": urls.linked_search, "compare": urls.linked_compare, "figures": urls.linked_figures}


class Channel(waitress.channel.HTTPChannel):
    """waitress's connection, without its busy wait. While a request's task sends what waits in
    the buffer (it holds the buffer's lock), waitress's channel tells the server's loop it has
    something to write: the loop polls, finds the socket writable, cannot take the lock, writes
    nothing, and polls again at once, over and over, taking the GIL each time round, which the
    task, back from its ``send``, then waits for. Counted at 70,000 paragraphs: more than 90 times a
    search (docs/BENCHMARKS.md, issue 30's sixth pass, stop 38). Here the channel says so only
    when the write could send something; the task wakes the loop (waitress's trigger) when it
    leaves data for the loop to send, and when it ends. Everything else is waitress's."""

    def writable(self):
        if self.requests and self.total_outbufs_len and not (self.will_close or self.close_when_flushed):
            if self.total_outbufs_len < self.adj.send_bytes:
                return False  # handle_write waits for send_bytes or the task's end
            if not self.outbuf_lock.acquire(False):
                return False  # the task is sending; it pulls the trigger if it leaves any
            self.outbuf_lock.release()
        return super().writable()


def serve(settings: Settings, host: str, port: int, threads: int) -> None:
    app = create_app({"CORPUS_DIR": str(settings.corpus_dir.resolve()), "INDEX_DIR": str(settings.index_dir.resolve()),
                      "KB_SETTINGS": settings})
    ready(app)
    logging.basicConfig()  # as waitress.serve does: its messages on stderr
    server = create_server(app, host=host, port=port, threads=threads)
    server.print_listen("Serving on http://{}:{}")
    server.run()


def create_server(app, **kw):
    """waitress's server of ``app`` with :data:`SERVE_OPTIONS` (``kw``: host, port, threads),
    its connections :class:`Channel`'s."""
    sockets: dict = {}
    server = waitress.server.create_server(app, map=sockets, ident="kb", **SERVE_OPTIONS, **kw)
    for listening in list(sockets.values()):  # one per address listened on (and its trigger)
        if isinstance(listening, waitress.server.BaseWSGIServer):
            listening.channel_class = Channel
    return server


def ready(app) -> None:
    """What a server does once before it listens: open and warm the index, searches through the
    app (:func:`warm`, :data:`WARM_QUERIES`), then :func:`settle` the heap that start-up made."""
    try:
        kb = app.extensions["kb"]
        kb.engine()  # opened and warmed before the first request
        for q in warm_queries(kb):
            warm(app, q)
    except IndexMissing:
        pass  # every request says so (503, run: kb build) until a build mends it
    settle(app.extensions["kb"])


#: What a server searches through the app before it listens, besides the knowledge base's own
#: warm query: several searches of every kind (one term, two, a quoted one, OR, NOT, a problem
#: said in words), none of them a word of the benchmark's queries (bench/queries.py). Python
#: specializes a function's code only after it has run some eight times (3.11's adaptive
#: interpreter): a search asked once at start ran its once-a-search steps unspecialized, and so
#: did the first users' searches. At 70,000 paragraphs (six fresh servers each, load 5-10, the
#: benchmark's queries: none shares a word with these) the server's CPU for its first search (改革)
#: went from 8.7 to 7.3 ms, for the next (数字经济) from 14.1 to 11.7 ms; start-up costs some 100 ms
#: more (docs/BENCHMARKS.md, issue 30, stop 39).
WARM_QUERIES = ("依法行政", "行政复议 诉讼", '"权责清单"', "普法 OR 法治宣传", "执法 -罚款", "公共法律服务",
                "监管能力不足", "政务服务", "法律援助")


def warm_queries(kb) -> tuple[str, ...]:
    """The queries :func:`ready` asks through the app: the knowledge base's warm query, then (on the
    embedded index; a cluster's searches are round trips, not worth it at start) :data:`WARM_QUERIES`."""
    return (kb.warm_query,) + (() if kb.settings.backend else WARM_QUERIES)


def settle(kb) -> None:
    """Collect the garbage of start-up once, then freeze what is left (``gc.freeze``): the
    modules, the index's tables, the segmenter's dictionary and the concepts live as long as
    the server. Else the first full collection after start (Python makes one within the
    first few dozen searches, when the survivors since the last one outnumber a quarter of
    the heap) walks all of them in one request: some 40 ms of CPU at 70,000 paragraphs; and
    every later full collection again. Frozen objects are not collected: when a build
    replaces the generation, the knowledge base unfreezes them, so that the old generation's
    garbage is collected (and full collections walk the whole heap again, as they did before
    this freeze): :meth:`KnowledgeBase.on_replace` calls ``gc.unfreeze`` then."""
    gc.collect()
    gc.freeze()
    kb.on_replace(gc.unfreeze)


def warm(app, q: str) -> None:
    """One search through the app itself before the first request: what Flask and the views do
    the first time (the URL map compiled, the JSON provider, the links, the regulation lookup) is
    done by then, not in the first user's request (its answer, the warmed generation's, is cached)."""
    app.test_client().get("/api/search", query_string={"q": q})


def linked(kind: str, answer: dict) -> dict:
    """An answer of kb (``search``, ``compare``) with the site's links, as /api gives it."""
    return LINKERS[kind](answer)

"""What a short read keeps (kb.core.shortfall) and how its later statements leave a shard out
(kb.engines.sphinx.leftout), without searchd: the statements as text (tests/cluster runs them)."""

from __future__ import annotations

import contextvars

from kb.core import cache, shortfall
from kb.engines.sphinx import leftout

FRONT = ("127.0.0.1", 9306)
THREE = leftout.Topology({"127.0.0.1:9401": 0, "127.0.0.1:9402": 1, "127.0.0.1:9403": 2}, split=True)


def test_a_read_names_its_short_parts_in_order_and_the_next_read_starts_clean():
    shortfall.begin()
    with shortfall.reading("search"):
        pass
    with shortfall.reading("years"):
        shortfall.note("index kb_para: agent 127.0.0.1:9402: connect() timed out")
        with shortfall.reading("spellings"):
            shortfall.note("again")
    shortfall.note("outside any part")
    assert shortfall.parts() == ["years", "spellings", "other"]
    assert shortfall.what() == "按年度的分布、近似写法、部分内容"
    assert shortfall.reason().endswith("connect() timed out")
    shortfall.begin()
    assert shortfall.parts() == [] and not shortfall.short()


def test_warming_outside_a_request_has_a_scope_of_its_own_and_caches_nothing_short():
    """GIVEN no scope open (a server warming before its first request) WHEN a read inside
    ``within`` is short THEN nothing is cached, and the scope is gone afterwards."""
    lru = cache.LRU(4)

    def warm() -> bool:  # (in a context of its own: no scope open, as before a server's first request)
        with shortfall.within():
            shortfall.note("shard 1 timed out")
            lru.put("answer", 1)
            said = shortfall.short()
        return said and not shortfall.short()

    assert contextvars.Context().run(warm)
    assert lru.get("answer") is None
    shortfall.begin()
    with shortfall.within():  # inside a request: that request's scope
        shortfall.note("x")
    assert shortfall.short()


def test_once_a_shard_is_lost_statements_read_the_others_alone_and_say_so():
    shortfall.begin()
    sql = "SELECT COUNT(*) n FROM kb_para WHERE MATCH('\"FROM kb_para\"') AND year IN (2024) OPTION ranker=none"
    assert leftout.rewrite(sql, FRONT, THREE) == (sql, set())
    leftout.learn(FRONT, THREE, leftout.agents(["index kb_para: agent 127.0.0.1:9402: query timed out"]))
    sent, left = leftout.rewrite(sql, FRONT, THREE)
    assert left == {1}
    assert sent == ("SELECT COUNT(*) n FROM kb_para_s0, kb_para_s2 WHERE MATCH('\"FROM kb_para\"') AND year IN (2024) "
                    "OPTION ranker=none")
    assert leftout.rewrite("SELECT stamp FROM kb_cluster WHERE id = 1", FRONT, THREE)[1] == set()
    assert leftout.rewrite(sql, FRONT, leftout.Topology(THREE.shards, split=False)) == (sql, set())
    assert leftout.rewrite(sql, ("127.0.0.1", 9999), THREE) == (sql, set())  # another cluster's front
    assert "shard 1 left out" in leftout.said_of({1})
    shortfall.begin()
    assert leftout.rewrite(sql, FRONT, THREE) == (sql, set())  # the next read asks every shard again


def test_every_shard_lost_leaves_the_statement_as_it_is():
    shortfall.begin()
    for shard in (0, 1, 2):
        shortfall.lose(FRONT, shard)
    sql = "SELECT id FROM kb_report LIMIT 1"
    assert leftout.rewrite(sql, FRONT, THREE) == (sql, set())

"""Shards left out: once a read (a request, a command: :mod:`kb.core.shortfall`'s scope) found a
shard short, its later statements read the other shards alone, so a frozen or overloaded shard
costs the read its timeout once, not once a round trip (a comparison by year, near spellings,
an export make dozens).

searchd names the agent that did not answer in its warning (``index kb_para: agent
127.0.0.1:42635: connect() timed out``); the front's ``kb_cluster`` rows say whose shard that
copy is. The front has, beside each distributed table over every shard, one over each shard
alone (``kb_para_s1``: :func:`kb.engines.sphinx.schema.shard_table`, written by ``kb cluster
start``), and SphinxQL reads a list of tables as one (``FROM kb_para_s0, kb_para_s2``): a
statement's tables are so replaced by those of the shards still answering, and its answer
carries a warning that names the shards left out, so it is ``partial`` as a statement the shard
timed out in is (and nothing read so is kept: :mod:`kb.core.cache`). A front without the
per-shard tables (a cluster made by hand, or started by an older version: started again, it has
them) waits for the shard as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kb.core import shortfall
from kb.engines.sphinx import schema as S

_AGENT = re.compile(r"\bagent ([\w.\-]+:\d+)")
_LITERAL = re.compile(r"('(?:[^'\\]|\\.)*')")
_FROM = re.compile(r"\bFROM\s+(" + "|".join(S.TABLES) + r")\b(?!_)")


def said_of(shards: set[int]) -> str:
    """The warning a statement that left ``shards`` out carries."""
    names = ", ".join(map(str, sorted(shards)))
    return (f"分片 {names} 在本次读取中没有应答，未再等待 (shard {names} left out: it did not answer earlier in this "
            f"read)")


@dataclass
class Topology:
    """Which shard each agent address (``host:api_port``) is a copy of, and whether the front has
    the per-shard tables; read from the front once, when a warning first names an agent."""

    shards: dict[str, int] = field(default_factory=dict)
    split: bool = False  # the front has kb_para_s0 …
    unknown: set[str] = field(default_factory=set)  # agents named that kb_cluster does not list

    @classmethod
    def of(cls, sets: list[list[tuple]]) -> Topology:
        """From the result sets of :data:`STATEMENTS` (the kb_cluster rows, SHOW TABLES)."""
        shards = {f"{host}:{int(port)}": int(shard) for shard, host, port in sets[0] if port}
        tables = {str(row[0]) for row in sets[1]}
        split = bool(shards) and all(S.shard_table(S.PARAGRAPHS, s) in tables for s in set(shards.values()))
        return cls(shards, split)

    @property
    def every(self) -> set[int]:
        return set(self.shards.values())


#: What :meth:`Topology.of` reads, one request each (searchd 2.2.11 takes SHOW TABLES alone): the
#: front's own tables, no shard is waited for.
STATEMENTS = (f"SELECT shard, host, api_port FROM {S.TOPOLOGY} WHERE id < {S.STAMP_ROW} LIMIT 1000", "SHOW TABLES")


def agents(warnings: list[str]) -> set[str]:
    """The agent addresses ``warnings`` name."""
    return {m for w in warnings for m in _AGENT.findall(w)}


def learn(front: tuple[str, int], topology: Topology, named: set[str]) -> None:
    """Note in the current read that the shards of the agents ``named`` did not answer."""
    for agent in named:
        if agent in topology.shards:
            shortfall.lose(front, topology.shards[agent])


def rewrite(sql: str, front: tuple[str, int], topology: Topology | None) -> tuple[str, set[int]]:
    """(``sql`` reading the shards still answering in this read, the shards it leaves out): the
    statement as it is while no shard was lost, or the front cannot read a shard alone."""
    lost = shortfall.lost(front)
    if not lost or topology is None or not topology.split:
        return sql, set()
    alive = sorted(topology.every - lost)
    if not alive:
        return sql, set()
    parts = _LITERAL.split(sql)
    changed = False
    for i in range(0, len(parts), 2):  # (the odd ones are string literals: never touched)
        new = _FROM.sub(lambda m: "FROM " + ", ".join(S.shard_table(m.group(1), s) for s in alive), parts[i])
        changed |= new != parts[i]
        parts[i] = new
    return ("".join(parts), lost & topology.every) if changed else (sql, set())

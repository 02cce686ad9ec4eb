"""The document frequencies a score on the front reads, kept by the push (issue 28).

A score (:mod:`kb.engines.sphinx.rank`) needs the number of paragraphs that hold each character
pair of a query's terms (``"改 革"``, a lone unit ``"改"``, a unit before a break ``"革 _b"``), each
of its jieba words (``(@wordset …)``) and heading words (``(@heads …)``): counted by Sphinx they
were one full match each, once per push and expression (the 144 pair counts and 102 word counts of
the benchmark's 40 first searches were 18% of their statements' time, docs/CLUSTER.md, stop 39).

The push counts them instead, from what it writes of each paragraph (its unit keys, word counts and
section path: the fields the shards hold), as the pattern of the grown model (:mod:`grown`):

- a push that writes every report (``full``, or a cluster that held none) adds up the parts of the
  reports it writes (:meth:`Plan.written`);
- otherwise the part of each report it replaces or deletes is read back from its shard first
  (:meth:`Plan.replacing`, one statement a report) and taken off, the new part added;
- the table the front holds is marked ``pending`` before the first write and ``done`` once the new
  one is written (:func:`publish`, before the push stamp changes): a push killed in between leaves it
  pending, and the next push counts every paragraph again, read back through the front
  (:func:`rebuild`).

The table is every expression's 63-bit code (:func:`kb.engines.sphinx.schema.code` of the
expression the front would count) and its paragraphs, sorted numpy arrays written as chunks of
base64 into the front's ``kb_cluster`` (rows :data:`FREQ_ROW` and after), and read by a front once
per push (:func:`load`). Only expressions of that form are taken from it (:func:`covers`); the
others (a term's whole phrase, an And's parts, a concept tier) are counted by Sphinx as before.
"""

from __future__ import annotations

import io
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from kb.engines.sphinx import schema as S
from kb.engines.sphinx.client import Client, quote
from kb.engines.sphinx.grown import paged, read_chunks, write_chunks

FREQ_ROW = S.STAMP_ROW + (1 << 20)  # kb_cluster's row naming the table's chunks (rows after it; the model's are before)
PAGE = 5000  # paragraphs read a statement when every one is counted again
DONE, PENDING = "done", "pending"
_WORD = re.compile(r"\(@(wordset|heads) _h[0-9a-f]{16}\)")


def covers(expr: str) -> bool:
    """Whether ``expr`` is an expression the table counts: a word or heading word
    (:func:`kb.engines.sphinx.rank.word_expr`, ``head_expr``), or a phrase of one unit or of two
    (:func:`kb.engines.sphinx.rank.gram_expr`; the second may be a break)."""
    if expr.startswith("("):
        return _WORD.fullmatch(expr) is not None
    if len(expr) < 3 or expr[0] != '"' or expr[-1] != '"':
        return False
    toks = expr[1:-1].split(" ")
    return 1 <= len(toks) <= 2 and all(t and '"' not in t for t in toks) and _unit(toks[0]) \
        and (len(toks) == 1 or _unit(toks[1]) or toks[1] == S.BREAK)


def _unit(tok: str) -> bool:
    """Whether a token is a unit's (:func:`kb.engines.sphinx.schema.token`), not one of ours."""
    return not tok.startswith("_") or tok.startswith("_x")


# -- a paragraph's part --------------------------------------------------------------------------


def paragraph_keys(units: str, packed: str, section: str) -> set:
    """What a paragraph counts in (each once): from its unit keys (``units``:
    :func:`kb.engines.sphinx.schema.unit_keys_stream`), its units' tokens alone and each with the
    next (two tokens, a space between), and its words' and heading words' expressions."""
    toks = [_token(u) for u in units.split(S.UNIT_SEP)[1:-1]]
    keys: set = set(toks)
    keys.discard(S.BREAK)
    keys.update([a + " " + b for a, b in zip(toks, toks[1:], strict=False) if a != S.BREAK])
    keys.update(_word_key("wordset", w) for w in (packed.split("\x1f")[::2] if packed else ()))
    keys.update(_heads(section))
    return keys


@lru_cache(maxsize=65536)
def _token(unit: str) -> str:
    return unit if unit == S.BREAK else S.token(unit)


@lru_cache(maxsize=8192)
def _word_key(f: str, w: str) -> str:
    return f"(@{f} {S.word_token(w)})"


@lru_cache(maxsize=4096)
def _heads(section: str) -> frozenset:
    return frozenset(_word_key("heads", w) for w in S.word_counts(" ".join(json.loads(section or "[]"))))


def expression(key: str) -> str:
    """The expression the front counts for a key of :func:`paragraph_keys` (a unit's token, two
    tokens with a space between, or a word's expression)."""
    return key if key.startswith("(") else '"' + key + '"'


def part(rows: Iterable[tuple[str, str, str]]) -> Counter:
    """The paragraphs of each key among ``rows`` (units, packed words, section)."""
    out: Counter = Counter()
    for units, packed, section in rows:
        out.update(paragraph_keys(str(units or ""), str(packed or ""), str(section or "[]")))
    return out


def coded(counts: Counter) -> tuple[np.ndarray, np.ndarray]:
    """(codes, counts) of a part, summed by code, sorted; keys counted 0 left out."""
    if not counts:
        return np.zeros(0, np.uint64), np.zeros(0, np.int64)
    codes = np.fromiter((S.code(expression(k)) for k in counts), np.uint64, len(counts))
    ns = np.fromiter(counts.values(), np.int64, len(counts))
    return merged(codes, ns)


def merged(codes: np.ndarray, ns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Counts summed by code, sorted, those 0 left out."""
    uniq, inverse = np.unique(codes, return_inverse=True)
    sums = np.bincount(inverse, weights=ns, minlength=len(uniq)).astype(np.int64)
    keep = sums != 0
    return uniq[keep], sums[keep]


# -- the table on the front ----------------------------------------------------------------------


@dataclass
class Table:
    """Every counted expression's paragraphs (codes sorted)."""

    codes: np.ndarray
    counts: np.ndarray

    def get(self, exprs: list[str]) -> dict[str, int]:
        """The count of each of ``exprs`` (0 for one no paragraph holds)."""
        if not exprs:
            return {}
        want = np.fromiter((S.code(e) for e in exprs), np.uint64, len(exprs))
        at = np.minimum(np.searchsorted(self.codes, want), max(0, len(self.codes) - 1))
        hit = self.codes[at] == want if len(self.codes) else np.zeros(len(exprs), bool)
        return {e: int(self.counts[i]) if h else 0 for e, i, h in zip(exprs, at, hit, strict=True)}

    def added(self, delta: Counter, taken: Counter) -> Table:
        """This table with ``delta``'s counts added and ``taken``'s taken off."""
        dc, dn = coded(delta)
        tc, tn = coded(taken)
        codes, ns = merged(np.concatenate([self.codes, dc, tc]), np.concatenate([self.counts, dn, -tn]))
        return Table(codes, ns)


def header(client: Client) -> tuple[str, int, str] | None:
    """(state, chunks, digest) of the table the front holds (None: none)."""
    r = client.run(f"SELECT stamp FROM {S.TOPOLOGY} WHERE id = {FREQ_ROW}")
    if not r.sets[0]:
        return None
    state, n, digest = (str(r.sets[0][0][0]).split(":") + ["", ""])[:3]
    return (state, int(n), digest) if n.isdigit() else None


def mark(client: Client, state: str, n: int = 0, digest: str = "") -> None:
    client.execute(f"REPLACE INTO {S.TOPOLOGY} (id, body, stamp) VALUES ({FREQ_ROW}, '', {quote(f'{state}:{n}:{digest}')})")


def load(client: Client) -> Table | None:
    """The table the front holds, read once (None: none, or a push is writing it or was killed
    while it did: the counts are then Sphinx's, as before)."""
    head = header(client)
    if head is None or head[0] != DONE:
        return None
    _, n, digest = head
    data = read_chunks(client, FREQ_ROW, n, digest)
    if data is None:
        return None
    with np.load(io.BytesIO(data), allow_pickle=False) as z:
        return Table(z["codes"].astype(np.uint64), z["counts"].astype(np.int64))


def publish(client: Client, table: Table) -> None:
    """Write ``table`` to the front (the chunks of a former one beyond the new ones deleted), then mark it done."""
    out = io.BytesIO()
    np.savez(out, codes=table.codes.astype(np.uint64), counts=table.counts.astype(np.uint32))
    had = header(client)
    mark(client, DONE, *write_chunks(client, FREQ_ROW, out.getvalue(), had[1] if had else 0))


def rebuild(front: Client) -> Table | None:
    """Every paragraph counted again, read back through the front (None: a shard did not answer)."""
    counts: Counter = Counter()
    done = paged(front, S.PARAGRAPHS, "units, words, section", PAGE,
                 lambda rows: counts.update(part((u, w, s) for _, u, w, s in rows)))
    return Table(*coded(counts)) if done else None


# -- what a push does ----------------------------------------------------------------------------


@dataclass
class Plan:
    """How a push keeps the table: ``fresh`` (every paragraph is written by it: the parts added
    up), ``delta`` (the table it found, each replaced part taken off and the new added),
    ``rebuild`` (the table it found was pending or missing: every paragraph counted at the end) or
    ``idle`` (nothing written, the table done: left as it is)."""

    mode: str
    base: Table | None = None
    added: Counter = field(default_factory=Counter)
    taken: Counter = field(default_factory=Counter)

    @classmethod
    def start(cls, front: Client, fresh: bool, busy: bool) -> Plan:
        """What the front's table is, read before anything is written (``busy``: the push writes or
        deletes a report; otherwise the table is read only when it is not done: ``idle``)."""
        if fresh:
            return cls("fresh")
        if not busy:
            head = header(front)
            return cls("idle") if head is not None and head[0] == DONE else cls("rebuild")
        base = load(front)
        return cls("delta", base) if base is not None else cls("rebuild")

    @property
    def due(self) -> bool:
        """Whether the table must be written even when no report is (a pending or missing one)."""
        return self.mode == "rebuild"

    def begin(self, front: Client) -> None:
        """Mark the table pending: from the first write until :meth:`finish`."""
        mark(front, PENDING)

    def replacing(self, copy: Client, report_key: int, rows: list[tuple[str, str, str]] | None, held: int) -> None:
        """A report about to be written (``rows``: its paragraphs' units, words and section) or
        deleted (None), of which the shard holds ``held`` paragraphs: their part as the shard
        holds it taken off, the new one added."""
        if rows is not None and self.mode != "rebuild":
            self.added.update(part(rows))
        if self.mode == "delta" and held:
            n = held + 100  # (what kb_report says it holds, and room)
            r = copy.run(f"SELECT units, words, section FROM {S.PARAGRAPHS} WHERE report_key = {report_key} "
                         f"LIMIT {n} OPTION max_matches={n}")
            self.taken.update(part(r.sets[0]))

    def finish(self, front: Client) -> bool:
        """Write the table and mark it done (False: a shard did not answer; it stays pending)."""
        if self.mode == "idle":
            return True
        if self.mode == "rebuild":
            table = rebuild(front)
        elif self.mode == "fresh":
            table = Table(*coded(self.added))
        else:
            table = self.base.added(self.added, self.taken)  # type: ignore[union-attr]
            if len(table.counts) and int(table.counts.min()) < 0:  # (not what the shards hold: count again)
                table = rebuild(front)
        if table is None:
            return False
        publish(front, table)
        return True

"""What the front reads of the cluster's catalogue (:mod:`kb.engines.sphinx.engine`, the push):
the push stamp, the report list (kb_report) and the names of the facet codes (kb_value), read
when the engine opens, once per push; and the pushes this process made to each cluster
(:func:`pushed`), which its engines see at once; and the groups of a best-per read, named
(:func:`best_groups`)."""

from __future__ import annotations

import threading
from collections import Counter

from kb.core.errors import Unavailable
from kb.engines.protocol import TIER, Group
from kb.engines.sphinx import schema as S
from kb.engines.sphinx.client import Client, parse_url
from kb.engines.sphinx.reads import cut
from kb.engines.sphinx.selection import MIN_MATCHES

_NAMES: dict[int, str] = {}  # code -> value: the same everywhere (a code is a digest of its value)
_NAMES_LOCK = threading.Lock()
NAMES_PAGE = 5000  # facet values read a statement on opening
_PUSHES: Counter = Counter()  # (host, port) -> pushes this process finished to that cluster


def value_names(client: Client, codes: list) -> dict[int, str]:
    """The values of facet codes (kb_value), remembered once read."""
    missing = [int(c) for c in codes if int(c) not in _NAMES]
    for i in range(0, len(missing), 1000):
        chunk = missing[i:i + 1000]
        r = client.run(f"SELECT id, value FROM {S.VALUES} WHERE id IN ({', '.join(map(str, chunk))}) "
                       f"LIMIT {2 * len(chunk)} OPTION max_matches={max(MIN_MATCHES, 2 * len(chunk))}", kind="names")
        with _NAMES_LOCK:
            _NAMES.update({int(c): str(v) for c, v in r.sets[0]})
    return {int(c): _NAMES[int(c)] for c in codes if int(c) in _NAMES}


def load_names(client: Client) -> None:
    """Every facet code's value (kb_value, read in pages of its ids) remembered on opening, so a
    search names the topics and regulations it counts with no trip of its own (a value pushed
    since changes the push stamp: the engine is opened again)."""
    last = 0
    while True:
        r = client.run(f"SELECT id, value FROM {S.VALUES} WHERE id > {last} ORDER BY id ASC LIMIT {NAMES_PAGE} "
                       f"OPTION max_matches={NAMES_PAGE}", kind="open")
        with _NAMES_LOCK:
            _NAMES.update({int(c): str(v) for c, v in r.sets[0]})
        if len(r.sets[0]) < NAMES_PAGE:
            return
        last = r.sets[0][-1][0]


def stamp(client: Client, counted: bool = True) -> str:
    """The cluster's current push stamp ('' before the first push; ``counted`` False: read
    beside another trip, not a trip of its own)."""
    r = client.run(f"SELECT stamp FROM {S.TOPOLOGY} WHERE id = {S.STAMP_ROW}", kind="stamp", counted=counted)
    return str(r.sets[0][0][0]) if r.sets[0] else ""


def note_push(url: str) -> None:
    """A push of this process to the cluster at ``url`` changed its stamp (:func:`pushes`)."""
    _PUSHES[parse_url(url)] += 1


def pushes(url: str) -> int:
    """How many pushes this process made to the cluster at ``url``: an engine that counted fewer
    when it opened reads the stamp at once, not after its refresh interval."""
    return _PUSHES[parse_url(url)]


def list_reports(client: Client, partial_ok: bool = False) -> tuple[dict[str, dict], bool]:
    """(every report the cluster holds, by id (kb_report, read in pages of its ids),
    complete). A shard that does not answer makes the list incomplete: Unavailable,
    unless ``partial_ok``."""
    cols = [name for name, _ in S.REPORT_ATTRS]
    out: dict[str, dict] = {}
    last, complete = 0, True
    while True:
        r = client.run(f"SELECT id, {', '.join(cols)} FROM {S.REPORTS} WHERE id > {last} ORDER BY id ASC "
                       f"LIMIT 1000")
        if r.warnings and not partial_ok:
            raise Unavailable(f"搜索集群有分片没有应答 (a shard did not answer: {r.warnings[0]})")
        for row in r.sets[0]:
            rec = dict(zip(cols, row[1:], strict=True))
            out[rec["report_id"]] = rec
        complete = complete and not r.warnings
        if len(r.sets[0]) < 1000:
            return out, complete
        last = r.sets[0][-1][0]


def best_groups(client: Client, sel, name: str, results: list, limit: int) -> list[Group]:
    """The groups of one selection's ``best_per_each`` statements (its tiers' ``results``, the
    exact tier first): each value's best paragraph, its count over the tiers, its values named."""
    best: dict = {}
    for i, r in enumerate(results):
        sel.partial |= bool(r.warnings) or cut(len(r.sets[0]) >= limit)
        for pid, g, w, n in r.sets[0]:
            had = best.get(g)
            score = float(w) + (TIER if i == 0 else 0.0)
            best[g] = (had[0], had[1] + int(n), had[2]) if had else (str(pid), int(n), score)
    names = value_names(client, list(best)) if name in S.CODED else {}
    return [Group(names.get(int(g), "?") if name in S.CODED else str(g), n, pid, score)
            for g, (pid, n, score) in best.items()]

"""Sphinx push: bring a search cluster up to date with the corpus (``kb build --backend
sphinx://HOST:PORT``), as :func:`kb.build.build` does for the embedded index.

Each report lives on one shard, :func:`shard_of` its id (a stable digest modulo the number
of shards the front's ``kb_cluster`` table names), on every copy of that shard. A push
compares each report file's checksum (and the analysis: schema, dictionary, taxonomy,
regulations) with what the cluster's ``kb_report`` holds; a report added or changed is
written, one removed from the corpus is deleted; ``full`` writes every report again.

What is atomic: on each copy of its shard, a report's old paragraphs are deleted and its
new ones written (REPLACE) in one transaction (``BEGIN … COMMIT`` on the real-time table), so a
search sees the old report or the new one, never both or neither. Its ``kb_report`` row
(the checksum) is written after the commit: a push killed in between leaves the old
checksum, and the next push writes the report again. Its facet values (``kb_value``) are
written before. Across reports and shards nothing is atomic: a search during a push sees
some reports new and some old. The push ends by merging each shard copy's paragraph table
(:func:`compact`: the replaced paragraphs purged), writing the document frequencies the scores
read (:mod:`kb.engines.sphinx.freq`: each report's part added, a replaced or deleted one's read
back and taken off) and changing the front's stamp, which tells running servers to drop their
cached answers.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

from kb.core import corpus
from kb.core.errors import KbError
from kb.engines import fields, fingerprint
from kb.engines.sphinx import catalog, features, freq, grown
from kb.engines.sphinx import schema as S
from kb.engines.sphinx.catalog import list_reports
from kb.engines.sphinx.client import Client, parse_url, quote
from kb.enrich.paragraphs import paragraphs_of
from kb.text import textnorm

BATCH = 200  # paragraphs per INSERT statement
#: how long a push waits for its shards' tables to be merged (:func:`compact`) before it returns anyway
COMPACT_WAIT = 600.0
ANALYSIS_VERSION = 5  # bump when the token stream or the tables change (2: kb_extract, kb_gram; 3: the heads and ident fields, lengths; 4: meaning, wordset; 5: report parts read anew)

Progress = Callable[[int, int], None]


def shard_of(report_id: str, shards: int) -> int:
    """The shard that holds a report (stable while the number of shards is)."""
    return S.code("shard", report_id) % shards


def topology(front: Client) -> list[list[Client]]:
    """The copies of each shard, as the front's ``kb_cluster`` names them."""
    r = front.run(f"SELECT shard, copy, host, sql_port FROM {S.TOPOLOGY} WHERE id < {S.STAMP_ROW} "
                  f"ORDER BY shard ASC, copy ASC LIMIT 1000")
    shards: dict[int, list[Client]] = {}
    for shard, _, host, port in r.sets[0]:
        shards.setdefault(int(shard), []).append(Client(str(host), int(port)))
    if not shards or sorted(shards) != list(range(len(shards))):
        raise KbError(f"{S.TOPOLOGY} 没有列出分片 (the front's {S.TOPOLOGY} table names no shards 0..N-1); "
                      "start the cluster with kb cluster start, or fill it (README: Past one machine)")
    return [shards[i] for i in range(len(shards))]


def analysis() -> str:
    """What every paragraph's tokens and facets depend on beside its report's text."""
    fp = fingerprint.fingerprint_of({})
    return json.dumps([ANALYSIS_VERSION] + [fp[k] for k in fingerprint.ANALYSIS], separators=(",", ":"))


def push(url: str, corpus_dir: Path, progress: Progress | None = None, full: bool = False) -> dict:
    """Write the reports of ``corpus_dir`` that the cluster lacks or holds otherwise, and
    delete those it holds that the corpus no longer has. Returns counts like
    :func:`kb.build.build`'s (reports, paragraphs, added, changed, removed, reindexed)."""
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise KbError(f"语料目录不存在 (no corpus folder {corpus_dir}); give --corpus")
    front = Client(*parse_url(url))
    shards = topology(front)
    paths = {p.stem: p for p in corpus.paths(corpus_dir)}
    held, _ = list_reports(front)  # Unavailable if a shard does not answer
    now = analysis()
    todo = _to_write(paths, held, now, full)
    if full:
        for copies in shards:
            features.empty_grams(copies)
    removed = sorted(set(held) - set(paths))
    paragraphs = {rid: int(r["paragraphs"]) for rid, r in held.items() if rid in paths}
    busy = bool(todo or removed)
    plan = freq.Plan.start(front, full or not held, busy)  # the document frequencies (kb.engines.sphinx.freq)
    if busy:
        plan.begin(front)
    paragraphs.update(_apply(shards, todo, removed, now, progress, plan, held))
    if busy or plan.due:
        _conclude(url, front, shards, busy, plan, (todo, removed, full))
    added = sum(1 for rid, *_ in todo if rid not in held)
    return {"reports": len(paths), "paragraphs": sum(paragraphs.values()), "added": added,
            "changed": len(todo) - added, "removed": len(removed), "reindexed": len(todo),
            "incremental": not full, "unchanged": not todo and not removed, "backend": url}


def _conclude(url: str, front: Client, shards: list[list[Client]], busy: bool, plan: freq.Plan,
              wrote: tuple[list[tuple], list[str], bool]) -> None:
    """What a push that changed the cluster (``busy``) or must write the document frequencies again
    ends with: the shards' tables merged (when busy), the model of meaning grown, the document
    frequencies written, and a new push stamp (``wrote``: the reports written and removed, and
    whether the push was full, for the copies' last write: ``_stamp``)."""
    if busy:
        compact([c for copies in shards for c in copies])
    front.close()  # idle for the whole push: searchd drops it after client_timeout (300 s); a new one
    grown.publish(front)  # the model of meaning grown with every report's words (kb.engines.sphinx.grown)
    plan.finish(front)
    _stamp(front, len(shards), *wrote)
    catalog.note_push(url)  # this process's engines see it at once (others within their refresh)


def _stamp(front: Client, shards: int, todo: list[tuple], removed: list[str], full: bool) -> None:
    """End a push that wrote the reports of ``todo`` and removed those of ``removed``: their shards'
    copies marked as written by it (every shard's with ``full``), then the front's stamp changed."""
    pushed = str(time.time_ns())
    written = {shard_of(rid, shards) for rid in [t[0] for t in todo] + removed}
    mark_written(front, set(range(shards)) if full else written, pushed)
    front.execute(f"REPLACE INTO {S.TOPOLOGY} (id, body, stamp) VALUES ({S.STAMP_ROW}, '', {quote(pushed)})")


def mark_written(front: Client, shards: set[int], pushed: str) -> None:
    """Say in the front's ``kb_cluster`` rows of the copies of ``shards`` that the push ``pushed``
    (its stamp) wrote them: what ``kb cluster status`` gives as each copy's last write, the same
    across restarts (its files' times are not: searchd writes them when it stops and starts)."""
    if not shards:
        return
    r = front.run(f"SELECT id, shard, copy, host, sql_port, api_port FROM {S.TOPOLOGY} WHERE id < {S.STAMP_ROW} "
                  f"AND shard IN ({', '.join(map(str, sorted(shards)))}) LIMIT 1000")
    rows = [_row([int(i), "", int(sh), int(c), str(h), int(sp), int(ap), pushed]) for i, sh, c, h, sp, ap in r.sets[0]]
    if rows:
        front.execute(f"REPLACE INTO {S.TOPOLOGY} (id, body, shard, copy, host, sql_port, api_port, stamp) VALUES "
                      + ", ".join(rows))


def compact(copies: list[Client], wait: float = COMPACT_WAIT) -> bool:
    """Merge each shard copy's paragraph table into one disk chunk (``OPTIMIZE INDEX``, run by
    searchd in the background) and wait until it is, at most ``wait`` seconds: a replaced or
    deleted paragraph stays in a real-time table's older chunks, killed but matched by every
    search until the chunks are merged, and every chunk is searched apart. At 82,692 paragraphs,
    after a push that wrote every report again, searchd's CPU for the 40 benchmark queries'
    statements fell by 39% (docs/CLUSTER.md, stop 39). What a copy's memory holds (its RAM chunk,
    up to :data:`kb.engines.sphinx.schema.RT_MEM_LIMIT`) is not merged: searchd 2.2.11 writes it
    out only when it is full. Returns whether every copy had one disk chunk at most in time (searches are the same either way)."""
    for c in copies:
        c.execute(f"OPTIMIZE INDEX {S.PARAGRAPHS}")
    end = time.monotonic() + wait
    while True:
        chunks = [int(c.table_status(S.PARAGRAPHS).get("disk_chunks", 0)) for c in copies]
        if max(chunks, default=0) <= 1:
            return True
        if time.monotonic() > end:
            return False
        time.sleep(0.5)


def _to_write(paths: dict[str, Path], held: dict[str, dict], now: str, full: bool) -> list[tuple]:
    """(id, path, bytes, checksum) of each report to write: every one with ``full``, else
    those the cluster lacks or holds with another checksum or analysis."""
    todo = []
    for rid, path in paths.items():
        data = path.read_bytes()
        digest = corpus.file_digest(data)
        old = held.get(rid)
        if full or old is None or old["digest"] != digest or old["analysis"] != now:
            todo.append((rid, path, data, digest))
    return todo


def _apply(shards: list[list[Client]], todo: list[tuple], removed: list[str], now: str,
           progress: Progress | None, plan: freq.Plan | None = None, held: dict | None = None) -> dict[str, int]:
    """Write the reports of ``todo``, then delete the ``removed`` ones, each on its shard's
    copies, saying progress after each (``plan`` told of each, with the paragraphs ``held`` says
    the shard holds of it). Returns the paragraphs of each report written."""
    written, done = {}, 0
    pairs: list[set[int]] = [set() for _ in shards]  # the character pairs written to each shard
    had = {rid: int(r["paragraphs"]) for rid, r in (held or {}).items()}
    for rid, path, data, digest in todo:
        report = corpus.read(path, data)
        shard = shard_of(rid, len(shards))
        written[rid] = write_report(shards[shard], report, digest, now, pairs[shard], plan, had.get(rid, 0))
        done += 1
        if progress:
            progress(done, len(todo) + len(removed))
    for rid in removed:
        delete_report(shards[shard_of(rid, len(shards))], rid, plan, had.get(rid, 0))
        done += 1
        if progress:
            progress(done, len(todo) + len(removed))
    return written


def _row(values: list) -> str:
    out = []
    for v in values:
        if isinstance(v, tuple):
            out.append("(" + ", ".join(str(int(x)) for x in v) + ")")
        elif isinstance(v, int):
            out.append(str(v))
        else:
            out.append(quote(v))
    return "(" + ", ".join(out) + ")"


def lengths(doc: dict, counts) -> tuple[int, int, int]:
    """A paragraph's length in units, jieba words (``counts``: its word counts) and heading
    words, as the embedded index counts them."""
    units = sum(len(run) for run in textnorm.key_runs(doc["text"]))
    return units, sum(counts.values()), sum(S.word_counts(" ".join(json.loads(doc["section"]))).values())


def paragraph_rows(report, sums: list[int] | None = None) -> tuple[list[list], set[tuple[str, str]], str]:
    """kb_para's rows of a report (in :data:`COLUMNS` order), the coded facet values they use and
    what the report teaches the model of meaning (:func:`kb.engines.sphinx.grown.report_meaning`);
    ``sums`` (units, words, heading words) has their lengths added."""
    rows, values = [], set()
    docs = [fields.document(report, p) for p in paragraphs_of(report)]
    toks = [S.tokens(doc["text"]) for doc in docs]  # cut once: word counts and the model of meaning
    vectors, taught = grown.report_meaning(toks)
    for doc, tok, vector in zip(docs, toks, vectors, strict=True):
        counts = S.counted(tok)
        if sums is not None:
            for i, n in enumerate(lengths(doc, counts)):
                sums[i] += n
        row: list = [S.code(doc["id"]), S.unit_stream(doc["text"]), S.heads_stream(doc["section"]),
                     S.ident_token(doc["id"]), S.wordset_stream(counts)]
        derived = {"pid": doc["id"], "report_key": S.code(doc["report_id"]), "words": S.pack_words(counts),
                   "units": S.unit_keys_stream(doc["text"]), "meaning": vector}
        for name, kind in S.PARAGRAPH_ATTRS:
            if name in derived:
                row.append(derived[name])
            elif kind == "multi_64":
                names = S.FIELDS[name].values(doc[name])
                values.update((name, v) for v in names)
                row.append(tuple(S.code(name, v) for v in names))
            elif name.endswith("_list"):
                row.append(doc[name.removesuffix("_list")])
            else:
                row.append(int(doc[name]) if kind == "uint" else doc[name])
        rows.append(row)
    return rows, values, taught


#: kb_para's columns as :func:`paragraph_rows` gives them.
COLUMNS = ("id", "body", "heads", "ident", "wordset", *(name for name, _ in S.PARAGRAPH_ATTRS))
#: where a row holds what the document frequencies are counted from (:func:`kb.engines.sphinx.freq.part`)
COUNTED = tuple(COLUMNS.index(name) for name in ("units", "words", "section"))


def write_report(copies: list[Client], report, digest: str, analysis_: str, pairs: set[int] | None = None,
                 plan: freq.Plan | None = None, held: int = 0) -> int:
    """Write one report to every copy of its shard: its figures and character pairs (those not
    in ``pairs`` yet, :mod:`kb.engines.sphinx.features`), values, then its paragraphs replaced
    in one transaction, then its kb_report row (with its length sums); ``plan`` told first
    (:meth:`kb.engines.sphinx.freq.Plan.replacing`, ``held``: the paragraphs the shard holds of
    it). Returns its number of paragraphs."""
    sums = [0, 0, 0]
    rows, values, taught = paragraph_rows(report, sums)
    key = S.code(report.id)
    if plan is not None:
        plan.replacing(copies[0], key, [tuple(r[i] for i in COUNTED) for r in rows], held)
    features.write_extras(copies, report, set() if pairs is None else pairs, taught)
    meta = [key, "", report.id, digest, analysis_, report.title, report.agency,
            S.FIELDS["region"].extract(report, None), report.level, int(report.year), len(rows), *sums]
    for c in copies:
        if values:
            c.execute(f"REPLACE INTO {S.VALUES} (id, body, kind, value) VALUES "
                      + ", ".join(_row([S.code(f, v), "", f, v]) for f, v in sorted(values)))
        c.execute("BEGIN")
        try:
            c.execute(f"DELETE FROM {S.PARAGRAPHS} WHERE report_key = {key}")
            for i in range(0, len(rows), BATCH):
                # REPLACE: an INSERT of an id deleted in the same transaction is refused as a duplicate
                c.execute(f"REPLACE INTO {S.PARAGRAPHS} ({', '.join(COLUMNS)}) VALUES "
                          + ", ".join(_row(r) for r in rows[i:i + BATCH]))
        except BaseException:
            c.execute("ROLLBACK")
            raise
        c.execute("COMMIT")
        c.execute(f"REPLACE INTO {S.REPORTS} (id, body, {', '.join(n for n, _ in S.REPORT_ATTRS)}) VALUES "
                  + _row(meta))
    return len(rows)


def delete_report(copies: list[Client], report_id: str, plan: freq.Plan | None = None, held: int = 0) -> None:
    """Delete one report's paragraphs (one transaction; ``plan`` told first, as by
    :func:`write_report`), its figures, then its kb_report row."""
    key = S.code(report_id)
    if plan is not None:
        plan.replacing(copies[0], key, None, held)
    for c in copies:
        c.execute("BEGIN")
        c.execute(f"DELETE FROM {S.PARAGRAPHS} WHERE report_key = {key}")
        c.execute("COMMIT")
    features.delete_extras(copies, report_id)
    for c in copies:
        c.execute(f"DELETE FROM {S.REPORTS} WHERE id = {key}")

"""Sphinx features: what a cluster answers beside search, as the embedded engine does (issue 28):
the figures and report cards, near spellings, similar paragraphs.

- **Figures and report cards**: the push writes each report's entry of the figure table
  (:func:`kb.figures.table.entry`, the same function the embedded build calls, as JSON) to
  ``kb_extract`` on the report's shard; :func:`figure_entries` reads them all back (in pages
  of ids), and :func:`kb.figures.table.table` makes the same table of them, kept per push
  stamp (only when every shard answered).
- **Near spellings**: the push writes every pair of Chinese characters standing together in
  a report (``kb_gram``: id and columns the two code points; each pair once a shard and a
  push); :func:`near_spellings` takes a replacement character's candidates from it and counts
  each variant with the same quoted phrase a search sends (:mod:`kb.engines.respell`: the
  variants and their order are the embedded engine's). A pair of a report since removed may
  stay in the table (a full push empties it): it is only a candidate, counted before it is said.
- **Similar paragraphs**: the paragraph's keywords are its jieba words weighted tf·idf, as
  the embedded engine weighs them, but a word's paragraphs are counted as those that hold
  its characters together (a quoted phrase; the embedded engine counts jieba words, never
  more). Sphinx ranks the paragraphs of other agencies holding any of them (``MATCH`` of
  the keywords OR-ed, its BM25) and gives the best :data:`CANDIDATES`; these are scored
  again here as the embedded engine scores them (the sum of each keyword's weight times its
  BM25), but a keyword's count is how often its characters stand in the text and a
  paragraph's length is in characters, against the candidates' mean; the best of each agency
  is kept. On real reports 77% of the ids are the embedded engine's (docs/CLUSTER.md).

Each statement is a :class:`~kb.engines.sphinx.client.Client` one: a shard that does not
answer marks the read short (:mod:`kb.core.shortfall`), and the answer says ``partial``. Many
counts go to the front in one trip (:func:`counts`).
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable
from operator import itemgetter

from kb.core import shortfall
from kb.engines import respell
from kb.engines.sphinx import schema as S
from kb.engines.sphinx.client import Client, quote, said
from kb.enrich.paragraphs import split_report
from kb.figures import table as figure_table
from kb.text import meaning, textnorm, words

PAGE = 1000  # kb_extract rows read by one statement
GRAM_BATCH = 2000  # kb_gram rows written by one statement
COUNT_BATCH = 32  # counts asked in one trip (searchd takes at most 32 queries in a batch)
MAX_FOLLOWERS = 20000  # characters read after (or before) one character
KEYWORDS = 12  # a paragraph's keywords, as the embedded engine's
CANDIDATES = 300  # paragraphs Sphinx ranks best for similar paragraphs, scored again here
K1, B = 1.2, 0.75  # BM25, as the embedded engine's (kb.core.settings.Ranking)

# -- written by the push ------------------------------------------------------------------


def pairs_of(texts: Iterable[str]) -> set[int]:
    """The ids of the pairs of Chinese characters standing together (no break between) in ``texts``."""
    out = set()
    for text in texts:
        for run in textnorm.key_runs(text):
            out.update(_pair(a, b) for a, b in zip(run, run[1:], strict=False)
                       if len(a) == 1 == len(b) and textnorm.is_cjk(a) and textnorm.is_cjk(b))
    return out


def _pair(a: str, b: str) -> int:
    return ord(a) << 21 | ord(b)


def write_extras(copies: list[Client], report, written: set[int], growth: str = "") -> None:
    """Write a report's figure table entry (with ``growth``, what it teaches the model of meaning:
    :mod:`kb.engines.sphinx.grown`) and its character pairs (those not ``written`` to this shard by
    this push yet: added to it) to every copy of its shard."""
    paragraphs = split_report(report)
    entry = json.dumps(figure_table.entry(report, paragraphs), ensure_ascii=False, separators=(",", ":"))
    fresh = sorted(pairs_of(p.text for p in paragraphs) - written)
    for c in copies:
        c.execute(f"REPLACE INTO {S.EXTRACT} (id, body, report_id, entry, growth) VALUES "
                  f"({S.code(report.id)}, '', {quote(report.id)}, {quote(entry)}, {quote(growth)})")
        for i in range(0, len(fresh), GRAM_BATCH):
            c.execute(f"REPLACE INTO {S.GRAMS} (id, body, a, b) VALUES "
                      + ", ".join(f"({g}, '', {g >> 21}, {g & 0x1FFFFF})" for g in fresh[i:i + GRAM_BATCH]))
    written.update(fresh)


def delete_extras(copies: list[Client], report_id: str) -> None:
    """Delete a report's figure table entry (its pairs stay: see the module's docstring)."""
    for c in copies:
        c.execute(f"DELETE FROM {S.EXTRACT} WHERE id = {S.code(report_id)}")


def empty_grams(copies: list[Client]) -> None:
    """Empty a shard's ``kb_gram`` (a full push writes every pair again)."""
    for c in copies:
        c.execute(f"TRUNCATE RTINDEX {S.GRAMS}")


# -- read by the engine -------------------------------------------------------------------


def figure_entries(client: Client) -> tuple[dict[str, dict], bool]:
    """(every report's figure table entry by report id, complete: every shard answered)."""
    out: dict[str, dict] = {}
    last, complete = 0, True
    while True:
        r = client.run(f"SELECT id, report_id, entry FROM {S.EXTRACT} WHERE id > {last} ORDER BY id ASC "
                       f"LIMIT {PAGE}")
        complete = complete and not r.warnings
        for _, rid, entry in r.sets[0]:
            out[str(rid)] = json.loads(entry)
        if len(r.sets[0]) < PAGE:
            return out, complete
        last = r.sets[0][-1][0]


def counts(client: Client, matches: list[str]) -> list[int]:
    """How many paragraphs each ``MATCH()`` expression finds, :data:`COUNT_BATCH` statements a
    trip (each with its SHOW META and SHOW WARNINGS; a warning marks the read short)."""
    out: list[int] = []
    for i in range(0, len(matches), COUNT_BATCH):
        chunk = matches[i:i + COUNT_BATCH]
        sql = "; SHOW META; SHOW WARNINGS; ".join(
            f"SELECT id FROM {S.PARAGRAPHS} WHERE MATCH({quote(m)}) LIMIT 0 OPTION ranker=none" for m in chunk)
        r = client.run(sql)
        sets = [*r.sets, [tuple(row) for row in r.meta.items()]]  # the last statement's META, as a set
        for k in range(len(chunk)):
            meta = {str(name): str(value) for name, value in sets[3 * k + 1]}
            out.append(int(meta.get("total_found", 0)))
        inner = [w for k in range(len(chunk) - 1) for w in said(sets[3 * k + 2])]
        if inner:
            shortfall.note(inner[0])
    return out


def _neighbours(client: Client, char: str, after: bool) -> set[str]:
    """The characters that stand after ``char`` (``after``) or before it somewhere."""
    have, want = ("a", "b") if after else ("b", "a")
    r = client.run(f"SELECT GROUPBY() g FROM {S.GRAMS} WHERE {have} = {ord(char)} GROUP BY {want} "
                   f"LIMIT {MAX_FOLLOWERS} OPTION max_matches={MAX_FOLLOWERS}")
    return {chr(int(g)) for (g,) in r.sets[0]}


def near_spellings(client: Client, terms: list[str], limit: int = 3) -> list[dict]:
    """For each of ``terms`` that matches nothing, near spellings the cluster holds, most
    paragraphs first (:meth:`kb.engines.protocol.Engine.spellings`)."""
    out = []
    for term in terms:
        units = respell.respellable(term)
        if units is None or counts(client, [S.phrase([units])])[0]:
            continue

        def replacements(left: str | None, right: str | None) -> set[str]:
            sets = ([_neighbours(client, left, True)] if left else []) + (
                [_neighbours(client, right, False)] if right else [])
            return set.intersection(*sets)

        found = respell.variants(units, replacements)
        found_counts = counts(client, [S.phrase(textnorm.unit_keys(v)) for v in found])
        out += respell.best(term, {v: (kind, n) for (v, kind), n in zip(found.items(), found_counts, strict=True)},
                            limit)
    return out


def word_counts(text: str) -> Counter:
    """jieba words of a text and how often each stands (as the embedded index counts them:
    search mode, user dictionary, those with a letter or digit)."""
    norm, _ = textnorm.normalize(text)
    counted = Counter(map(itemgetter(0), words.segmenter().tokenize(norm, "search", True)))
    return Counter({w: n for w, n in counted.items() if any(c.isalnum() for c in w)})


def keywords(client: Client, text: str, total: int, n: int = KEYWORDS) -> list[tuple[str, float, int]]:
    """The ``n`` most distinctive words of ``text``: (word, tf·idf, paragraphs), a word's
    paragraphs counted as those holding its characters together (of ``total``)."""
    found = [(w, f) for w, f in word_counts(text).items()
             if len(w) >= 2 and any(textnorm.is_cjk(c) or c.isalpha() for c in w)]
    dfs = counts(client, [S.phrase(textnorm.unit_keys(w)) for w, _ in found])
    total = max(1, total)
    model = meaning.active()
    scored = [(w, f * math.log(total / df), df) for (w, f), df in zip(found, dfs, strict=True) if 0 < df < total
              and not (model is not None and w not in model.index and df < 3)]  # a piece of a name
    scored.sort(key=lambda x: -x[1])
    top = [(w, round(score, 3), df) for w, score, df in scored[:n]]
    return top + near_keywords(client, top, model)


def near_keywords(client: Client, top: list[tuple[str, float, int]], model: meaning.Model | None,
                  first: int = 4, min_sim: float = 0.75) -> list[tuple[str, float, int]]:
    """For the ``first`` keywords, the words nearest to them in meaning (cosine ≥ ``min_sim``)
    that the cluster holds, at half the keyword's weight times their similarity (the
    embedded engine's ``_near_keywords``; a word held: its characters stand together)."""
    if model is None:
        return []
    have = {w for w, _, _ in top}
    near = []
    for w, weight, _ in top[:first]:
        for other, sim in model.neighbours(w, 3, min_sim):
            if other not in have:
                have.add(other)
                near.append((other, round(weight * sim * 0.5, 3)))
    dfs = counts(client, [S.phrase(textnorm.unit_keys(w)) for w, _ in near]) if near else []
    return [(w, weight, df) for (w, weight), df in zip(near, dfs, strict=True) if df]


def similar(client: Client, total: int, paragraph: dict, name: str,
            limit: int) -> tuple[list[tuple[str, float]], list[tuple[str, float]]]:
    """(keywords, hits): the paragraph's keywords, and the best paragraph of each *other* value
    of facet ``name`` that holds some of them, best first, at most ``limit``: the
    :data:`CANDIDATES` best by Sphinx, scored again here as the embedded engine scores them."""
    kw = keywords(client, paragraph["text"], total)
    phrases = [S.phrase(textnorm.unit_keys(w)) for w, _, _ in kw]
    if not phrases:
        return [], []
    own = quote(str(paragraph[name]))
    r = client.run(f"SELECT pid, {name}, text FROM {S.PARAGRAPHS} "
                   f"WHERE MATCH({quote(' | '.join(phrases))}) AND {name} NOT IN ({own}) "
                   f"ORDER BY WEIGHT() DESC, id ASC LIMIT {CANDIDATES} OPTION ranker=bm25, max_matches={CANDIDATES}")
    rows = [(str(pid), str(value), textnorm.normalize_str(t)) for pid, value, t in r.sets[0]]
    avg = sum(len(t) for _, _, t in rows) / max(1, len(rows))
    scored = []
    for pid, value, t in rows:
        norm = K1 * (1 - B + B * len(t) / avg)
        score = 0.0
        for w, weight, df in kw:
            tf = t.count(w)
            if tf:
                score += weight * (math.log(total / (df + 1)) + 1) * tf * (K1 + 1) / (tf + norm)
        scored.append((-score, pid, value))
    best: dict[str, tuple[float, str]] = {}
    for score, pid, value in sorted(scored):
        best.setdefault(value, (-score, pid))
    hits = sorted(best.values(), key=lambda x: -x[0])[:limit]
    return [(w, s) for w, s, _ in kw], [(pid, round(score, 3)) for score, pid in hits]

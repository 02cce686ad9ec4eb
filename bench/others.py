"""The engines we compare with, on the same paragraphs and queries (bench-only).

- SQLite FTS5 with the trigram tokenizer (Python's sqlite3): a term of 3 or more
  characters is a MATCH phrase; a shorter one cannot be matched by trigrams and becomes an
  ``instr(text, …)`` scan (``LIKE '%改革%'`` on the FTS5 table finds nothing in SQLite 3.40:
  the trigram index answers it, with no trigram to look for). Full search = count, top-10 by bm25 with ``snippet()``, and counts
  of two facets (agency, year) over all hits.
- Tantivy (tantivy-py), where installable: a ``words`` field of rjieba words (search
  mode, the same segmenter and dictionary as ours) and a ``grams`` field of our character
  grams with a filler token at each break, both pre-tokenized in Python (two processes) and
  indexed with the whitespace tokenizer; the seven facets as fast ``raw`` text fields
  (topic and regulation multi-valued); the paragraph's display text stored. A term is a
  phrase of grams (must) plus its words (should, for ranking). Full search = the top 10
  by BM25 with the count (one collector pass), the seven facets as terms aggregations in
  one ``aggregate`` pass (and, as ours, each facet filtered on counted once more without
  its own filter: disjunctive counts), and each hit's display text with its matches
  marked: tantivy-py's SnippetGenerator tokenizes a stored text with the field's own
  tokenizer, which for a pre-tokenized Chinese field gives no displayable text, so the
  excerpt is made by :func:`kb.text.highlight.excerpt`, the function ours uses.

Paragraphs come in as dicts: :func:`kb.engines.fields.document` of each paragraph (all seven
facets; topic and regulation comma-separated).
"""

from __future__ import annotations

import multiprocessing
import re
import sqlite3
import time
from pathlib import Path

from kb.text import highlight, textnorm, words

BREAK = "__"


def parse(q: str) -> list[tuple[str, bool]]:
    """(term, negated) of a benchmark query: space-separated words, "phrases", -word."""
    out, i = [], 0
    while i < len(q):
        if q[i].isspace():
            i += 1
            continue
        neg = q[i] == "-"
        i += neg
        if q[i] == '"':
            j = q.index('"', i + 1)
            out.append((q[i + 1:j], neg))
            i = j + 1
        else:
            j = i
            while j < len(q) and not q[j].isspace():
                j += 1
            out.append((q[i:j], neg))
            i = j
    return out


# -- SQLite FTS5 ------------------------------------------------------------------------

class Fts5:
    name = "SQLite FTS5 (trigram)"

    def __init__(self, path: Path):
        self.path = Path(path)
        self.db = None

    def build(self, paragraphs) -> None:
        db = sqlite3.connect(self.path)
        db.execute("PRAGMA journal_mode=OFF")
        db.execute("PRAGMA synchronous=OFF")
        db.execute("CREATE VIRTUAL TABLE p USING fts5(text, agency UNINDEXED, year UNINDEXED, level UNINDEXED,"
                   " tokenize='trigram')")
        db.executemany("INSERT INTO p(text, agency, year, level) VALUES (?, ?, ?, ?)",
                       ((p["text"], p["agency"], str(p["year"]), p["level"]) for p in paragraphs))
        db.commit()
        db.execute("INSERT INTO p(p) VALUES ('optimize')")
        db.commit()
        db.close()

    def open(self) -> None:
        self.db = sqlite3.connect(self.path, check_same_thread=False)

    def _where(self, q: str, filters: dict) -> tuple[str, list, bool]:
        match, like, args = [], [], []
        for term, neg in parse(q):
            if len(term) >= 3:
                match.append(("NOT " if neg else "") + '"' + term.replace('"', '""') + '"')
            else:
                like.append("instr(text, ?) = 0" if neg else "instr(text, ?) > 0")
                args.append(term)
        clauses = []
        margs = []
        if match:
            positives = [m for m in match if not m.startswith("NOT ")]
            negatives = [m for m in match if m.startswith("NOT ")]
            expr = " AND ".join(positives) if positives else ""
            for n in negatives:
                expr = f"({expr}) {n}" if expr else ""
            if expr:
                clauses.append("p MATCH ?")
                margs.append(expr)
        clauses += like
        for name, values in filters.items():
            clauses.append(f"{name} IN ({','.join('?' * len(values))})")
            args += values
        return " AND ".join(clauses) or "1", margs + args, bool(margs)

    def search(self, q: str, filters: dict) -> dict:
        where, args, ranked = self._where(q, filters)
        db = self.db
        total = db.execute(f"SELECT count(*) FROM p WHERE {where}", args).fetchone()[0]
        facets = {f: db.execute(f"SELECT {f}, count(*) FROM p WHERE {where} GROUP BY {f}", args).fetchall()
                  for f in ("agency", "year")}
        if ranked:
            top = db.execute(f"SELECT rowid, snippet(p, 0, '<mark>', '</mark>', '…', 40) FROM p WHERE {where}"
                             " ORDER BY rank LIMIT 10", args).fetchall()
        else:
            top = db.execute(f"SELECT rowid, substr(text, 1, 160) FROM p WHERE {where} LIMIT 10", args).fetchall()
        return {"total": total, "facets": facets, "hits": top}


# -- Tantivy ----------------------------------------------------------------------------

def available() -> bool:
    try:
        import tantivy  # noqa: F401
    except ImportError:
        return False
    return True


def _gram(a: textnorm.Unit, b: textnorm.Unit) -> str:
    """The term of two adjacent units (alphanumeric units glued with |), as our postings' grams."""
    return a.key + b.key if a.cjk and b.cjk else a.key + textnorm.GLUE + b.key


def grams_of(text: str) -> list[str]:
    out = []
    for run in textnorm.runs(textnorm.units(text)):
        for i, u in enumerate(run):
            out.append(_gram(u, run[i + 1]) if i + 1 < len(run) else u.key)
        out.append(BREAK)
    return out


def words_of(text: str) -> list[str]:
    norm, _ = textnorm.normalize(text)
    return [w for w, _, _ in words.segmenter().tokenize(norm, "search", True) if any(c.isalnum() for c in w)]


def _tokenize(p: dict) -> dict:
    return p | {"grams": " ".join(grams_of(p["text"])), "words": " ".join(words_of(p["text"]))}


FACETS = ("agency", "year", "topic", "section_kind", "region", "level", "regulation")
MULTI = ("topic", "regulation")


def facet_values(p: dict, f: str) -> list[str]:
    v = str(p[f])
    return [x for x in v.split(",") if x] if f in MULTI else ([v] if v else [])


def _tantivy_doc(p: dict) -> dict:
    return {"text": p["text"], "grams": " ".join(grams_of(p["text"])), "words": " ".join(words_of(p["text"])),
            **{f: facet_values(p, f) for f in FACETS}}


class Tantivy:
    name = "Tantivy (tantivy-py)"

    def __init__(self, path: Path, facet_limit: int | None = None):
        import tantivy

        self.t = tantivy
        self.path = Path(path)
        self.facet_limit = facet_limit
        b = tantivy.SchemaBuilder()
        b.add_bytes_field("text", stored=True, indexed=False, fast=False)  # UTF-8, shown, not searched
        b.add_text_field("words", stored=False, tokenizer_name="whitespace", index_option="freq")
        b.add_text_field("grams", stored=False, tokenizer_name="whitespace", index_option="position")
        for f in FACETS:
            b.add_text_field(f, stored=False, fast=True, tokenizer_name="raw", index_option="basic")
        self.schema = b.build()
        self.index = None

    def build(self, paragraphs, procs: int = 2) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        index = self.t.Index(self.schema, path=str(self.path))
        w = index.writer(heap_size=512_000_000, num_threads=2)
        with multiprocessing.get_context("fork").Pool(procs) as pool:
            for d in pool.imap(_tantivy_doc, paragraphs, chunksize=200):
                doc = self.t.Document()
                doc.add_bytes("text", d["text"].encode("utf-8"))
                doc.add_text("words", d["words"])
                doc.add_text("grams", d["grams"])
                for f in FACETS:
                    for v in d[f]:
                        doc.add_text(f, v)
                w.add_document(doc)
        w.commit()
        w.wait_merging_threads()

    def open(self) -> None:
        self.index = self.t.Index.open(str(self.path))
        self.index.reload()
        self.searcher = self.index.searcher()

    def _term_query(self, term: str):
        """A term's exact match: for each run of 2 or more units, the phrase of its pairs
        (a pair of 2 units: one term); a run of one unit, the unit where it stands alone
        or starts a pair (the benchmark has none); all runs must match."""
        t, s = self.t, self.schema
        parts = []
        for run in textnorm.runs(textnorm.units(term)):
            pairs = [_gram(a, b) for a, b in zip(run, run[1:], strict=False)]
            if len(pairs) > 1:
                parts.append(t.Query.phrase_query(s, "grams", pairs))
            elif pairs:
                parts.append(t.Query.term_query(s, "grams", pairs[0]))
            else:
                parts.append(t.Query.regex_query(s, "grams", re.escape(run[0].key) + r"(\|.*|.)?"))
        exact = parts[0] if len(parts) == 1 else t.Query.boolean_query([(self.t.Occur.Must, p) for p in parts])
        return exact, [t.Query.term_query(s, "words", w) for w in words_of(term)]

    def query(self, q: str, filters: dict, but: str | None = None):
        """The query with its filters (all but the facet ``but``)."""
        t = self.t
        Occur = t.Occur
        clauses = []
        for term, neg in parse(q):
            exact, rank = self._term_query(term)
            if neg:
                clauses.append((Occur.MustNot, exact))
            else:
                sub = [(Occur.Must, exact)] + [(Occur.Should, r) for r in rank]
                clauses.append((Occur.Must, t.Query.boolean_query(sub)))
        for name, values in filters.items():
            if name != but:
                clauses.append((Occur.Must, t.Query.boolean_query(
                    [(Occur.Should, t.Query.term_query(self.schema, name, v)) for v in values])))
        return t.Query.boolean_query(clauses)

    def _terms(self, names) -> dict:
        size = self.facet_limit or 100_000
        return {f: {"terms": {"field": f, "size": size}} for f in names}

    def search(self, q: str, filters: dict) -> dict:
        query = self.query(q, filters)
        s = self.searcher
        res = s.search(query, 10, count=True)  # the top 10 and the count: one pass
        aggs = s.aggregate(query, self._terms(FACETS))  # the seven facets: one pass
        for name in filters:  # disjunctive, as ours: a facet filtered on, counted without its own filter
            aggs[name] = s.aggregate(self.query(q, filters, but=name), self._terms([name]))[name]
        keys = [textnorm.unit_keys(term) for term, neg in parse(q) if not neg]
        hits = []
        for score, addr in res.hits:
            text = bytes(s.doc(addr)["text"][0]).decode("utf-8")
            hits.append((score, highlight.excerpt(text, highlight.find(text, keys))))
        return {"total": res.count, "facets": aggs, "hits": hits}


def timed_build(engine, paragraphs) -> float:
    start = time.perf_counter()
    engine.build(paragraphs)
    return time.perf_counter() - start

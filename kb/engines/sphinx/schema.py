"""Sphinx schema: the tables a search cluster holds, declared once, and how a paragraph's
text becomes the token stream Sphinx indexes.

A cluster (see :mod:`kb.engines.sphinx.cluster` for one on this machine, README "Past one machine" for
Manticore) has N shards, each a searchd with five real-time tables, and a front searchd
whose distributed tables of the same names read every shard:

- ``kb_para``: one document per paragraph. The full-text field ``body`` is the
  paragraph's *unit stream* (:func:`unit_stream`); the attributes are every field of
  :mod:`kb.engines.fields` (facets as strings, ``year`` a number, ``topic`` and ``regulation``
  64-bit codes in multi-value attributes; what a hit shows -- text, title, section path --
  as string attributes: Sphinx 2.2 keeps no stored fields).
- ``kb_report``: one document per report: its file checksum (what an incremental push
  compares) and its metadata.
- ``kb_value``: the code dictionary of the multi-value facets (code -> value), written
  with the reports that use the codes.
- ``kb_extract`` and ``kb_gram``: each report's figures and report card, and the pairs of
  Chinese characters the corpus has (:mod:`kb.engines.sphinx.features`).

The front also holds ``kb_cluster``, a real-time table naming each shard's copies (host
and SphinxQL port): what a writer reads to route a report to its shard; a stamp that
every push changes (the generation readers key their caches by); and what the push computed
for every front: the grown model of meaning (:mod:`kb.engines.sphinx.grown`) and the document
frequencies of the scores (:mod:`kb.engines.sphinx.freq`).

Matching. Sphinx tokenizes the stream we give it: every unit of :mod:`kb.text.textnorm` is one
token (a Chinese character through ``ngram_len = 1``, an alphanumeric run whole), a break
(clause punctuation) is the token :data:`BREAK`, and every document starts with
:data:`ALL` (a pure exclusion ``-x`` is ``_a -x``: Sphinx refuses a lone NOT). A term is
then sent as a quoted phrase of the same tokens, so it matches exactly where the embedded
engine's grams match: units together, never across a break unless the term has one.
Units Sphinx cannot take as they are (letters outside ASCII, characters past U+2FA1F,
runs longer than Sphinx's word length) are sent as ``_x`` + a digest, in the text and in
the query alike.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter

from kb.engines import fields
from kb.text import textnorm, words

ALL = "_a"  # in every document
BREAK = "_b"  # a clause break between two runs of units
MAX_TOKEN = 40  # bytes; Sphinx 2.2 cuts longer words

#: charset_table: the characters of our tokens (ASCII letters and digits, the dot of
#: 2.5, the underscore of our own tokens); ngram_chars: every Chinese character, each a token.
CHARSET_TABLE = "0..9, a..z, _, U+2E"
NGRAM_CHARS = "U+3000..U+2FA1F"  # wider than kb.text.textnorm.is_cjk up to U+2FA1F; searchd 2.2.11 crashes past it

PARAGRAPHS, REPORTS, VALUES, TOPOLOGY = "kb_para", "kb_report", "kb_value", "kb_cluster"
#: What the features beside search read (:mod:`kb.engines.sphinx.features`): each report's figure
#: table entry, and the pairs of Chinese characters the corpus has (near spellings).
EXTRACT, GRAMS = "kb_extract", "kb_gram"

#: Fields kept as numbers (the others are strings; multi-valued facets are codes).
NUMBERS = ("year", "ordinal")


def _paragraph_attrs() -> tuple[tuple[str, str], ...]:
    """kb_para's attributes, (name, Sphinx type), derived from the field registry
    (:mod:`kb.engines.fields`): the id as ``pid`` (Sphinx's own id is a 63-bit digest of it,
    :func:`code`); a key (the report id) as a string and ``report_key``, its digest (what a
    report's paragraphs are deleted by); a multi-valued facet as 64-bit codes in a
    multi-value attribute and, to show, its values joined by commas (``<name>_list``);
    :data:`NUMBERS` as numbers; every other field a string."""
    out: list[tuple[str, str]] = []
    for f in fields.FIELDS:
        if f.kind == "id":
            out.append(("pid", "string"))
        elif f.kind == "key":
            out += [(f.name, "string"), ("report_key", "bigint")]
        elif f.multi:
            out += [(f.name, "multi_64"), (f.name + "_list", "string")]
        else:
            out.append((f.name, "uint" if f.name in NUMBERS else "string"))
    out.append(("words", "string"))  # the text's jieba words and counts (pack_words): what a score on the front reads
    out.append(("units", "string"))  # its unit keys (unit_keys_stream): where the front finds a term
    out.append(("meaning", "string"))  # its vector of meaning (kb.engines.sphinx.grown): the whole query's tier
    return tuple(out)


PARAGRAPH_ATTRS = _paragraph_attrs()
#: The fields by name, and what a selection can be filtered by (facets and keys).
FIELDS = {f.name: f for f in fields.FIELDS}
FILTERABLE = tuple(f.name for f in fields.FIELDS if f.is_facet or f.kind == "key")
#: Facets kept as multi-value codes.
CODED = tuple(f.name for f in fields.FIELDS if f.multi)
REPORT_ATTRS = (
    ("report_id", "string"), ("digest", "string"), ("analysis", "string"), ("title", "string"), ("agency", "string"),
    ("region", "string"), ("level", "string"), ("year", "uint"), ("paragraphs", "uint"),
    # the report's paragraphs' lengths added up (units, jieba words, heading words): the
    # average lengths a score on the front needs (kb.engines.sphinx.rank)
    ("units", "uint"), ("words_len", "uint"), ("heads_len", "uint"),
)
VALUE_ATTRS = (("kind", "string"), ("value", "string"))  # "facet" is a SphinxQL keyword
TOPOLOGY_ATTRS = (("shard", "uint"), ("copy", "uint"), ("host", "string"), ("sql_port", "uint"),
                  ("api_port", "uint"), ("stamp", "string"))
#: kb_cluster's row whose ``stamp`` changes with every push (what caches are keyed by);
#: the rows below it name the shards' copies.
STAMP_ROW = 1 << 40

#: entry: kb.figures.table.entry as JSON; growth: what the report teaches the model of meaning (kb.engines.sphinx.grown)
EXTRACT_ATTRS = (("report_id", "string"), ("entry", "string"), ("growth", "string"))
GRAM_ATTRS = (("a", "uint"), ("b", "uint"))  # the code points of a pair's two characters
TABLES = {PARAGRAPHS: PARAGRAPH_ATTRS, REPORTS: REPORT_ATTRS, VALUES: VALUE_ATTRS, EXTRACT: EXTRACT_ATTRS,
          GRAMS: GRAM_ATTRS}


def shard_table(name: str, shard: int) -> str:
    """The front's distributed table of table ``name`` on shard ``shard`` alone (``kb_para_s1``):
    what a read that found other shards short reads the rest through."""
    return f"{name}_s{shard}"


_PLAIN = re.compile(r"[a-z0-9.]+")
_SPHINX_CJK_END = 0x2FA1F


def code(*parts: str) -> int:
    """A stable 63-bit code (never 0) of a value: document ids, report keys, facet codes."""
    digest = hashlib.blake2b("\x00".join(parts).encode("utf-8"), digest_size=8).digest()
    return (int.from_bytes(digest, "big") & (2**63 - 1)) or 1


def token(unit: str) -> str:
    """The Sphinx token of one unit (a Chinese character or an alphanumeric run)."""
    if len(unit) == 1 and textnorm.is_cjk(unit) and ord(unit) <= _SPHINX_CJK_END:
        return unit
    if len(unit) <= MAX_TOKEN and _PLAIN.fullmatch(unit):
        return unit
    return "_x" + hashlib.blake2b(unit.encode("utf-8"), digest_size=8).hexdigest()


def run_tokens(runs: list[list[str]]) -> list[str]:
    """Runs of unit keys as tokens, :data:`BREAK` between runs."""
    out: list[str] = []
    for i, run in enumerate(runs):
        if i:
            out.append(BREAK)
        out.extend(token(u) for u in run)
    return out


def ident_token(pid: str) -> str:
    """The token of the ``ident`` field that names one paragraph (a set of paragraphs the
    front worked out is ``(@ident t1 | t2 …)`` inside any MATCH)."""
    return f"_i{code(pid):x}"


def word_token(w: str) -> str:
    """The Sphinx token of a jieba word in the ``heads`` field (a digest: Sphinx would cut
    Chinese into characters)."""
    return "_h" + hashlib.blake2b(w.encode("utf-8"), digest_size=8).hexdigest()


def word_counts(text: str) -> Counter:
    """The jieba words of a text (search mode, those with a letter or digit) and how often
    each stands: the embedded engine's words of a text or of its headings."""
    return counted(tokens(text))


def tokens(text: str) -> list[tuple[str, int, int]]:
    """A text's jieba tokens in search mode (what :func:`word_counts` and the model of meaning read)."""
    norm, _ = textnorm.normalize(text)
    return words.segmenter().tokenize(norm, "search", True)


def counted(toks: list[tuple[str, int, int]]) -> Counter:
    """:func:`word_counts` of a text's :func:`tokens`."""
    return Counter(w for w, _, _ in toks if any(c.isalnum() for c in w))


def pack_words(counts: Counter) -> str:
    """A paragraph's word counts as one string attribute (``word\x1fcount\x1f…``)."""
    return "\x1f".join(f"{w}\x1f{n}" for w, n in counts.items())


def unpack_words(packed: str) -> Counter:
    parts = packed.split("\x1f") if packed else []
    out = Counter()
    dict.update(out, zip(parts[::2], map(int, parts[1::2]), strict=True))  # (Counter.update would add)
    return out


def packed_count(packed: str, w: str) -> int:
    """The count of word ``w`` (not all digits: it could be read as a count) in :func:`pack_words`'s
    string, without unpacking it."""
    s = "\x1f" + packed + "\x1f"
    i = s.find("\x1f" + w + "\x1f")
    if i < 0:
        return 0
    start = i + len(w) + 2
    return int(s[start:s.index("\x1f", start)])


def packed_length(packed: str) -> int:
    """The sum of the counts in :func:`pack_words`'s string (most are 1)."""
    counts = packed.split("\x1f")[1::2] if packed else []
    more = [n for n in counts if n != "1"]
    return len(counts) - len(more) + sum(map(int, more))


def heads_stream(section: str) -> str:
    """What Sphinx indexes of the headings above a paragraph (``section``: the JSON list of
    its section path): their jieba words (:func:`word_counts`), each as :func:`word_token`."""
    return " ".join(word_token(w) for w, n in word_counts(" ".join(json.loads(section))).items() for _ in range(n))


def wordset_stream(counts: Counter) -> str:
    """What Sphinx indexes of a paragraph's jieba words (``counts``: :func:`word_counts`): each
    once, as :func:`word_token`: a word's paragraphs are counted as the embedded engine counts
    them (``(@wordset token)``, :func:`kb.engines.sphinx.rank.word_expr`)."""
    return " ".join(word_token(w) for w in counts)


UNIT_SEP = "\x1f"


def unit_keys_stream(text: str) -> str:
    """A paragraph's unit keys as one string attribute, each between separators, a break
    as :data:`BREAK` (what the front finds a term and counts its pairs in: kb.engines.sphinx.rank)."""
    runs = [run for run in textnorm.key_runs(text) if run]
    if not runs:
        return UNIT_SEP
    return UNIT_SEP + (UNIT_SEP + BREAK + UNIT_SEP).join(UNIT_SEP.join(run) for run in runs) + UNIT_SEP


def unit_stream(text: str) -> str:
    """What Sphinx indexes of a paragraph: :data:`ALL`, then its units as tokens with
    :data:`BREAK` at every break (the units :mod:`kb.engines.embedded.writer` indexes)."""
    return " ".join([ALL, *run_tokens(textnorm.key_runs(text))])


def phrase(runs: list[list[str]]) -> str:
    """A term's runs of unit keys as a quoted Sphinx phrase (never unquoted: unquoted
    Chinese in Sphinx matches the characters anywhere)."""
    return '"' + " ".join(run_tokens(runs)) + '"'


#: A real-time table's memory (its RAM chunk) before searchd writes it out as a disk chunk. What a
#: push replaced stays matched (killed) in the older chunks until they are merged; the RAM chunk
#: cannot be merged (searchd 2.2.11 writes it out only when full), so the smaller it is, the fewer
#: replaced paragraphs a push leaves behind (:func:`kb.engines.sphinx.push.compact`; docs/CLUSTER.md, stop 39).
RT_MEM_LIMIT = "64M"


def table_config(name: str, attrs: tuple, path: str) -> str:
    """The searchd config block of one real-time table."""
    lines = [f"index {name}", "{", "  type = rt", f"  path = {path}", f"  rt_mem_limit = {RT_MEM_LIMIT}",
             "  rt_field = body", "  rt_field = heads",
             "  rt_field = ident", "  rt_field = wordset"]
    lines += [f"  rt_attr_{kind} = {attr}" for attr, kind in attrs]
    lines += [f"  charset_table = {CHARSET_TABLE}", "  ngram_len = 1", f"  ngram_chars = {NGRAM_CHARS}", "}"]
    return "\n".join(lines) + "\n"


#: Sphinx 2.2's config types as Manticore's CREATE TABLE types.
_MANTICORE_TYPES = {"string": "string", "uint": "integer", "bigint": "bigint", "multi_64": "multi64"}


def manticore_sql(agents: list[str]) -> str:
    """The statements that make a cluster on Manticore in RT mode (``data_dir`` set, no
    tables in the config): on every shard's copies, the tables of TABLES; on the front, a
    distributed table of each over ``agents`` (one per shard, ``host:port`` of Manticore's
    binary protocol, mirrors joined by ``|``), one over each shard alone (``kb_para_s0``: what a
    read that found a shard short reads the others through) and ``kb_cluster``, whose rows a
    writer reads (fill them: shard, copy, host, sql_port, and api_port, the binary protocol's port
    the front's warnings name a copy by). Written from Manticore's manual; not run here
    (only Sphinx 2.2.11 is installed)."""
    settings = (f"ngram_len='1' ngram_chars='{NGRAM_CHARS}' charset_table='{CHARSET_TABLE}' "
                f"rt_mem_limit='{RT_MEM_LIMIT}'")

    def create(name: str, attrs: tuple) -> str:
        cols = ", ".join(["body text indexed", "heads text indexed", "ident text indexed", "wordset text indexed"] + [f"{a} {_MANTICORE_TYPES[k]}" for a, k in attrs])
        return f"CREATE TABLE {name} ({cols}) {settings};"

    out = ["-- on every copy of every shard:"] + [create(n, a) for n, a in TABLES.items()]
    out += ["", "-- on the front:"]
    for name in TABLES:  # (each over every shard, and over each shard alone: kb.engines.sphinx.leftout)
        each = [f"agent='{'|'.join(f'{m}:{name}' for m in a.split('|'))}'" for a in agents]
        out.append(f"CREATE TABLE {name} type='distributed' {' '.join(each)};")
        out += [f"CREATE TABLE {shard_table(name, s)} type='distributed' {a};" for s, a in enumerate(each)]
    out.append(create(TOPOLOGY, TOPOLOGY_ATTRS))
    rows = [f"({1 + s * 16 + c}, '', {s}, {c}, '<host>', <sql port>, {m.rpartition(':')[2]})"
            for s, a in enumerate(agents) for c, m in enumerate(a.split("|"))]
    out.append(f"INSERT INTO {TOPOLOGY} (id, body, shard, copy, host, sql_port, api_port) VALUES {', '.join(rows)};")
    return "\n".join(out) + "\n"

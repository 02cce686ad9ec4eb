"""Writer: a paragraph's analysis and the writing of an index segment, the first half of the
postings (:mod:`kb.engines.embedded.segment` says what a segment holds; a build,
:mod:`kb.build`, feeds :class:`SegmentWriter` and :mod:`kb.engines.embedded.merge` rewrites
segments through :func:`write_segment`).

A paragraph is analysed once (:func:`analyze`: its units run by run and its jieba words,
work that can run in other processes), collected by a :class:`SegmentWriter`, and
written as one segment: the grams sorted by code, the word postings sorted by word, the
vocabularies sorted, the facet columns, and a phrase table of the concepts' names found
in what was just written.
"""

from __future__ import annotations

import json
from array import array
from collections import Counter
from functools import lru_cache
from operator import itemgetter
from pathlib import Path

import numpy as np

from kb.engines import fields
from kb.engines.embedded import packed, stored
from kb.engines.embedded.columns import Column, Growing
from kb.engines.embedded.positions import Collector
from kb.engines.embedded.segment import (
    FACETS,
    FIELDS,
    MULTI,
    PREFIX,
    UNIT_SEP,
    Segment,
    gram_lists,
    phrase_key,
    term_docs,
)
from kb.enrich import deeds
from kb.enrich.paragraphs import is_note
from kb.text import growth, meaning, textnorm, words

try:
    from kb.text import _units
except ImportError:  # not built: the Python twins
    _units = None


def word_counts(text: str, normalized: tuple[str, list[int]] | None = None) -> Counter:
    """jieba words of a text (search mode, user dictionary) and how often each stands
    (those with a letter or digit: not marks or spaces). ``normalized``:
    :func:`kb.text.textnorm.normalize` of ``text``, if the caller has it already."""
    norm, _ = normalized or textnorm.normalize(text)
    return _counted(words.segmenter().tokenize(norm, "search", True))


def _counted(tokens: list[tuple[str, int, int]]) -> Counter:
    counts = Counter(map(itemgetter(0), tokens))
    for w in [w for w in counts if not _wordy(w)]:
        del counts[w]
    return counts


@lru_cache(maxsize=1 << 20)
def _wordy(w: str) -> bool:
    return any(c.isalnum() for c in w)


#: What :class:`SegmentWriter` indexes of a text: its unit keys run by run (each run's
#: keys joined by UNIT_SEP), its distinct jieba words (joined by UNIT_SEP) and how often
#: each stands (int32 bytes), and its vector of meaning in the shipped model (float16
#: bytes, :meth:`kb.text.meaning.Model.text_vector`; zeros when it has no known word).
#: Packed so that a worker process hands a paragraph over as a few objects, not one per
#: character and word (unpickling them was a third of the writing process's time).
Analysis = tuple[list[str], str, bytes, bytes]


def analyze(doc: dict) -> Analysis:
    """The :data:`Analysis` of a paragraph (the work of a build that can run in other
    processes)."""
    return analyze_all([doc])[0][0]


def analyze_all(docs: list[dict]) -> tuple[list[Analysis], growth.Contexts | None]:
    """The :data:`Analysis` of each of a report's paragraphs, and what they teach the model of
    meaning (:func:`kb.text.growth.read_paragraphs`; None without a model): each paragraph cut
    once, its words read once."""
    parts, content = [], []
    is_content = meaning.is_content
    for doc in docs:
        norm, key_runs = _units_of(doc["text"])
        counts, outer = _token_words(words.search_tokens(norm))  # cut already if its topics asked
        content.append([w for w in outer if is_content(w)])  # growth.default_cut(tokens, is_content)
        parts.append((key_runs, UNIT_SEP.join(counts), array("i", counts.values()).tobytes()))
    model = meaning.load()  # the shipped model: a paragraph's vector never depends on the corpus
    if model is None:
        return [(*p, b"") for p in parts], None
    vectors, contexts = growth.read_paragraphs(content, model)
    vectors = vectors.astype(np.float16)
    return [(*p, vectors[i].tobytes()) for i, p in enumerate(parts)], contexts


def _units_of(text: str) -> tuple[str, list[str]]:
    """A paragraph's normalized text (what jieba cuts) and its unit keys run by run, each run's
    keys joined by UNIT_SEP: in C where it can (:func:`kb.text.textnorm.fast_units`)."""
    fast = textnorm.fast_units(text)
    if fast is not None:
        return fast
    normalized = textnorm.normalize(text)
    return normalized[0], [UNIT_SEP.join(run) for run in textnorm.key_runs(text, normalized)]


def _token_words(tokens: list[tuple[str, int, int]]) -> tuple[dict[str, int], list[str]]:
    """A paragraph's search-mode tokens read once: how often each word with a letter or digit stands
    (:func:`_counted`) and the words no later token contains (:func:`kb.text.growth.default_cut`):
    in one C pass where the module is built (``kb/text/_units.c``)."""
    if _units is not None:
        return _units.token_words(tokens)
    return _counted(tokens), growth.default_cut(tokens)


def _coded(vocab: dict[str, int], keys: list[str], codes: list[int | None] | None = None) -> list[int]:
    """The codes of ``keys`` in ``vocab`` (``codes``: ``vocab.get`` of each, if asked already), a key
    not in it given the next code: the known ones looked up in one C call, only the new ones one by one."""
    codes = list(map(vocab.get, keys)) if codes is None else codes
    if None in codes:
        for i, c in enumerate(codes):
            if c is None:
                codes[i] = vocab.setdefault(keys[i], len(vocab))
    return codes


def _unpacked(words: str, tfs: bytes) -> tuple[list[str], array]:
    out = array("i")
    out.frombytes(tfs)
    return (words.split(UNIT_SEP) if words else []), out


class SegmentWriter:
    """Collects paragraphs, then writes them as one segment (:meth:`finish`)."""

    def __init__(self):
        self.units: dict[str, int] = {}
        self.positions = array("i")  # unit codes, -1 for the empty position after a run
        self.pos_start = array("q", [0])
        self.unit_len = array("i")
        self.vocab = {f: {} for f in FIELDS}
        self.postings = {f: (array("i"), array("i"), array("i")) for f in FIELDS}  # words per paragraph, code, tf
        self.field_len = {f: array("i") for f in FIELDS}
        self.reports: dict[str, int] = {}
        self.digests: list[str] = []
        self.doc_report = array("i")
        self.ordinal = array("i")
        self.vectors = bytearray()  # each paragraph's vector of meaning, float16 (kb.text.meaning)
        self.notes = array("B")  # bit 0: a note that explains a term (kb.enrich.paragraphs.is_note); bits 1-3: kb.enrich.deeds.level
        self.facets = {f: Growing(f in MULTI) for f in FACETS}
        self.stored = stored.Collector()  # the stored fields (kb.engines.embedded.stored)
        self._heads: dict[str, tuple[list[int], array]] = {}  # the word codes of each section path seen, and their counts

    def __len__(self) -> int:
        return len(self.doc_report)

    def add(self, doc: dict, digest: str, analysis: Analysis | None = None) -> None:
        """One paragraph, as :func:`kb.engines.fields.document` gives it; ``digest``: its report
        file's checksum; ``analysis``: :func:`analyze` of it, if done already (in a
        worker process)."""
        key_runs, text_words, text_tfs, vector = analysis or analyze(doc)
        self.vectors += vector
        codes, n = self.units, 0
        get = codes.get
        for joined in key_runs:
            run = joined.split(UNIT_SEP)
            run_codes = list(map(get, run))
            if None in run_codes:  # a unit not seen before in this segment
                run_codes = _coded(codes, run, run_codes)
            self.positions.extend(run_codes)
            self.positions.append(-1)
            n += len(run)
        self.pos_start.append(len(self.positions))
        self.unit_len.append(n)
        heads = self._heads.get(doc["section"])
        if heads is None:  # the paragraphs of a section share its headings: their codes are kept
            counts = word_counts(" ".join(json.loads(doc["section"])))
            heads = self._heads[doc["section"]] = (self._codes("heads", list(counts)), array("i", counts.values()))
        ws, text_counts = _unpacked(text_words, text_tfs)
        for f, (these, counts) in (("words", (self._codes("words", ws), text_counts)), ("heads", heads)):
            per_doc, wcodes, tfs = self.postings[f]
            per_doc.append(len(these))
            wcodes.extend(these)
            tfs.extend(counts)
            self.field_len[f].append(sum(counts))
        rid = doc["report_id"]
        if rid not in self.reports:
            self.reports[rid] = len(self.reports)
            self.digests.append(digest)
        self.doc_report.append(self.reports[rid])
        self.ordinal.append(doc["ordinal"])
        self.notes.append(int(is_note(doc["text"], json.loads(doc["section"]))) | deeds.level(doc["text"]) << 1)
        for f in fields.FACETS:
            self.facets[f.name].add(f.values(doc[f.name]))
        self.stored.add([stored.encoded(doc[name]) for name in stored.STORED])

    def _codes(self, field: str, ws: list[str]) -> list[int]:
        """The codes of words in a field's vocabulary (new words get the next codes)."""
        return _coded(self.vocab[field], ws)

    def finish(self, folder: Path, name: str, phrases: list[list[list[str]]] = ()) -> None:
        """Write the segment, with a phrase table of ``phrases`` (:func:`_phrase_table`)."""
        word_parts = {}
        for f in FIELDS:
            per_doc, wcodes, tfs = (np.frombuffer(a, dtype=np.int32) for a in self.postings[f])
            docs = np.repeat(np.arange(len(per_doc), dtype=np.int32), per_doc)
            word_parts[f] = (list(self.vocab[f]), wcodes, docs, tfs, np.frombuffer(self.field_len[f], dtype=np.int32))
        write_segment(folder, name, unit_keys=list(self.units), units=np.frombuffer(self.positions, dtype=np.int32),
                      pos_start=np.frombuffer(self.pos_start, dtype=np.int64),
                      unit_len=np.frombuffer(self.unit_len, dtype=np.int32), words=word_parts,
                      reports=[[rid, self.digests[i]] for rid, i in self.reports.items()],
                      doc_report=np.frombuffer(self.doc_report, dtype=np.int32),
                      ordinal=np.frombuffer(self.ordinal, dtype=np.int32), notes=np.frombuffer(self.notes, dtype=np.uint8),
                      vectors=_vectors(self.vectors, len(self.doc_report)),
                      stored_fields=self.stored.arrays(len(self.doc_report)),
                      columns={f: col.column() for f, col in self.facets.items()}, phrases=phrases)


def _vectors(data: bytearray, n: int) -> np.ndarray | None:
    """The paragraphs' vectors of meaning as an (n, dim) array (None when some lack one)."""
    v = np.frombuffer(bytes(data), dtype=np.float16)
    return v.reshape(n, -1) if n and len(v) and len(v) % n == 0 else None


def write_segment(folder: Path, name: str, *, unit_keys: list[str], units: np.ndarray, pos_start: np.ndarray, unit_len: np.ndarray, words: dict, reports: list, doc_report: np.ndarray,
                  ordinal: np.ndarray, columns: dict[str, Column], notes: np.ndarray | None = None,
                  phrases: list[list[list[str]]] = (), vectors: np.ndarray | None = None,
                  stored_fields: dict[str, np.ndarray] | None = None) -> None:
    """Write a segment: ``units`` the stream of unit codes (a unit's place in ``unit_keys``,
    int32, -1 at the empty position after each run, renumbered in place: :func:`_renumbered`;
    ``pos_start[d]``: paragraph ``d``'s first position), its grams sorted by code
    (positions ascending within a code), the word postings sorted by word (paragraphs
    ascending within a word), the vocabularies sorted (a code is the key's place among
    them: see :class:`kb.engines.embedded.segment.Vocab`), the stored fields (``stored_fields``:
    :meth:`kb.engines.embedded.stored.Collector.arrays`), and the paragraphs of each of ``phrases`` (:func:`_phrase_table`), found in what was
    just written. Each array is saved as soon as it is made (:class:`_Saved`), so that the
    segment's arrays are not all held until the end."""
    arrays = _Saved(folder, name)
    _unit_arrays(arrays, unit_keys, units, pos_start)
    arrays["pos_start"] = pos_start.astype(np.int64)
    arrays["unit_len"] = unit_len.astype(np.int32)
    meta = {"docs": len(doc_report), "reports": reports, "facets": {}, "lengths": {"units": int(unit_len.sum())}}
    for f, (vocab, wcodes, wdocs, tfs, lens) in words.items():
        meta["lengths"][f] = _word_arrays(arrays, f, vocab, wcodes, wdocs, tfs, lens)
    arrays["doc_report"], arrays["ordinal"] = doc_report.astype(np.int32), ordinal.astype(np.int32)
    arrays["notes"] = (notes if notes is not None else np.zeros(len(doc_report))).astype(np.uint8)
    if vectors is not None and len(vectors) == len(doc_report) and vectors.size:
        arrays["meaning"] = vectors.astype(np.float16).astype(np.float32)  # memory-mapped as searched (whole.py)
    for f, col in columns.items():
        meta["facets"][f] = _column_arrays(arrays, f, col)
    arrays.update(stored_fields or {})
    _save(folder, name, {}, meta | {"arrays": sorted(arrays)})
    if phrases:
        table = _phrase_table(Segment(folder, name), phrases)
        _save(folder, name, table, meta | {"arrays": sorted([*arrays, *table])})


#: grams sorted at a time when a segment is written (:func:`_unit_arrays`): bounds the sort's
#: temporaries (some 60 bytes a gram) whatever the segment's size
SORT_GRAMS = 1 << 22


def _unit_arrays(arrays: dict, unit_keys: list[str], units: np.ndarray, pos_start: np.ndarray) -> None:
    """The units' vocabulary and the grams: the code of each unit of the stream ``units`` and
    the next one (``a * (v + 1) + b`` in the sorted vocabulary's numbers, ``b = v`` at the end
    of a run), sorted by code (positions ascending within a code, packed in blocks or kept:
    :class:`kb.engines.embedded.positions.Collector`), and each code's paragraphs (:func:`_gram_paragraphs`, packed). Sorted
    a range of first units at a time (:data:`SORT_GRAMS` grams or so), their codes being
    ranges of the whole: a build holds a few arrays of the segment's tens of millions of
    grams, not a dozen."""
    v = len(unit_keys)
    rank = np.append(_store_vocab(arrays, "units", unit_keys), v).astype(np.int32)
    ranked = _renumbered(rank, units)  # each position's unit in sorted numbers, v where none
    ends = np.cumsum(np.bincount(ranked, minlength=v + 1)[:v])  # grams up to each first unit
    positions = Collector()
    parts: list[tuple[np.ndarray, ...]] = []
    lo = done = 0
    while lo < v:
        hi = min(v, max(lo + 1, int(np.searchsorted(ends, done + SORT_GRAMS, side="right"))))
        where = np.flatnonzero((ranked >= lo) & (ranked < hi))
        codes, where = _sorted_pairs(ranked[where].astype(np.int64) * (v + 1) + ranked[where + 1], where)
        # each position's paragraph: positions are places in the stream of units, paragraph after paragraph
        parts.append(_gram_paragraphs(codes, np.searchsorted(pos_start, where, side="right") - 1))
        positions.add(where, parts[-1][1])  # packed, or kept for the commonest grams
        lo, done = hi, done + len(where)
    del ranked
    for key, a in positions.arrays():  # saved now, one at a time: not held while the grams are joined
        arrays[key] = a
    del positions
    _joined_grams(arrays, parts, v)


def _renumbered(rank: np.ndarray, units: np.ndarray) -> np.ndarray:
    """``rank[units]`` (int32) made in ``units`` itself, a slice at a time: the stream of a
    segment's units is not read again once renumbered, and a second array of its size is
    what the segment's writing held most (a copy when ``units`` cannot be written over)."""
    out = np.asarray(units, dtype=np.int32)
    if not out.flags.writeable:
        out = out.copy()
    for s in range(0, len(out), packed.CHUNK):
        out[s:s + packed.CHUNK] = rank[out[s:s + packed.CHUNK]]
    return out


def _joined_grams(arrays: dict, parts: list[tuple[np.ndarray, ...]], v: int) -> None:
    """The gram arrays of the whole segment from those of its ranges of codes (in order), of
    ``v`` units: the codes int32 when every code and the end of every range of codes searched
    for (below ``(v + 1) ** 2``) fits, the pointers uint32 when they fit."""
    codes, ptrs, dfs, data, bptrs = zip(*parts, strict=True) if parts else ((), (), (), (), ())
    arrays["gram_codes"] = np.concatenate([np.zeros(0, np.int64), *codes]).astype(
        np.int32 if (v + 1) ** 2 < 2**31 else np.int64)
    arrays["gram_df"] = np.concatenate([np.zeros(0, np.int32), *dfs])
    ptr = _follow_on(ptrs)
    arrays["gram_ptr"] = ptr.astype(np.uint32 if ptr[-1] < 2**32 else np.int64)
    arrays["gram_pairs_packed"], arrays["gram_pairs_bytes"] = _narrow((np.concatenate([np.zeros(0, np.uint8), *data]),
                                                                       _follow_on(bptrs)))


def _follow_on(ptrs: tuple[np.ndarray, ...]) -> np.ndarray:
    """Pointers (int64, from 0) into parts laid one after another, from each part's own."""
    out, done = [np.zeros(1, np.int64)], 0
    for p in ptrs:
        out.append(p[1:] + done)
        done += int(p[-1])
    return np.concatenate(out)


def _gram_paragraphs(codes: np.ndarray, docs: np.ndarray) -> tuple[np.ndarray, ...]:
    """Of grams ``codes`` (sorted; ``docs`` each position's paragraph): the distinct codes and
    where each one's positions start, in how many paragraphs each stands (``gram_df``), and
    the paragraphs of each of the commonest grams (those whose positions are kept as they
    are: more than :data:`kb.engines.embedded.packed.PACKED_UP_TO`) with how often it stands
    in each (``gram_pairs``, packed: a paragraph, its count, ...; bytes, byte pointers): what
    a term's BM25 reads. A rarer gram's are found from its positions when asked for
    (:meth:`kb.engines.embedded.segment.Segment.gram_pairs`: the same paragraphs and counts)."""
    gram_codes, ptr = _runs_of(codes)
    first = np.ones(len(codes), dtype=np.int32)  # the first position of a code in a paragraph
    if len(codes):
        first[1:] = (codes[1:] != codes[:-1]) | (docs[1:] != docs[:-1])
    df = (np.add.reduceat(first, ptr[:-1]).astype(np.int32) if len(codes) else np.zeros(0, np.int32))
    pairs = np.flatnonzero(first)  # the first position of each (gram, paragraph)
    tf = np.diff(np.append(pairs, len(codes)))
    big = np.diff(ptr) > packed.PACKED_UP_TO
    kept = np.repeat(big, df)
    dptr = np.concatenate([[0], np.cumsum(df[big], dtype=np.int64)])
    return (gram_codes.astype(np.int64), ptr, df, *packed.pack_pairs(docs[pairs[kept]], tf[kept], dptr))


def _narrow(lists: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Packed lists (:mod:`kb.engines.embedded.packed`), their byte pointers as uint32 when they fit."""
    data, bptr = lists
    return data, bptr.astype(np.uint32 if not len(bptr) or bptr[-1] < 2**32 else np.int64)


def _word_arrays(arrays: dict, f: str, vocab: list[str], wcodes: np.ndarray, wdocs: np.ndarray, tfs: np.ndarray,
                 lens: np.ndarray) -> int:
    """The vocabulary and postings of the word field ``f``, sorted by word (paragraphs
    ascending within a word, packed with their counts; ``{f}_ptr``: where each word's
    start among them, its paragraphs counted); returns the field's length over all paragraphs."""
    rank = _store_vocab(arrays, f, vocab)
    order = _order_by(rank, wcodes)
    per_word = np.zeros(len(vocab), np.int64)
    per_word[rank] = np.bincount(wcodes, minlength=len(vocab)) if len(wcodes) else 0
    ptr = np.zeros(len(vocab) + 1, dtype=np.int64)
    np.cumsum(per_word, out=ptr[1:])
    arrays[f"{f}_ptr"], arrays[f"{f}_len"] = ptr, lens.astype(np.int32)
    arrays[f"{f}_pairs_packed"], arrays[f"{f}_pairs_bytes"] = _narrow(packed.pack_pairs(wdocs[order], tfs[order], ptr))
    return int(lens.sum())


def _order_by(rank: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """The order that sorts ``codes`` by ``rank[codes]`` (non-negative), ties in their order:
    a stable argsort, made as one int64 array sorted in place (``rank << bits | place``), not
    the half dozen temporaries of its size that :func:`_sorted_pairs` needs."""
    n = len(codes)
    bits = max(1, (n - 1).bit_length())
    if not n or int(rank.max()).bit_length() + bits > 63:
        return np.argsort(rank[codes], kind="stable")
    order = rank.astype(np.int64)[codes]
    order <<= bits
    for s in range(0, n, packed.CHUNK):
        order[s:s + packed.CHUNK] |= np.arange(s, min(n, s + packed.CHUNK), dtype=np.int64)
    order.sort()
    order &= (1 << bits) - 1
    return order


def _column_arrays(arrays: dict, f: str, col: Column) -> list[str]:
    """The arrays of facet ``f``'s column (a code per paragraph, or rows of codes);
    returns its values."""
    if col.by_doc is not None:
        arrays[f"f_{f}"] = col.by_doc
    else:
        arrays[f"f_{f}_ptr"], arrays[f"f_{f}_codes"] = col.ptr, col.codes
    return col.values


class _Saved:
    """The arrays of a segment being written (:func:`write_segment`): each saved to its file
    when it is set, only its name kept (a segment's arrays are hundreds of megabytes). Not
    read until :func:`_save` writes the segment's description, which lists them."""

    def __init__(self, folder: Path, name: str):
        self.folder, self.name, self.names = folder, name, []

    def __setitem__(self, key: str, a: np.ndarray) -> None:
        np.save(self.folder / f"{self.name}.{key}.npy", np.ascontiguousarray(a), allow_pickle=False)
        self.names.append(key)

    def update(self, arrays: dict[str, np.ndarray]) -> None:
        for key, a in arrays.items():
            self[key] = a

    def __iter__(self):
        return iter(self.names)


def _save(folder: Path, name: str, arrays: dict[str, np.ndarray], meta: dict) -> None:
    """Save ``arrays``, then the segment's description ``meta`` (which lists every array
    the segment reads: one saved but not yet listed is not read)."""
    for key, a in arrays.items():
        np.save(folder / f"{name}.{key}.npy", np.ascontiguousarray(a), allow_pickle=False)
    (folder / f"{name}.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


def _sorted_pairs(keys: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``keys`` sorted and ``values`` in their order, ties in the order of ``values``
    (ascending, non-negative): a stable argsort. Packed as key << bits | value into one
    int64 and sorted by value (numpy's vectorized sort: twenty times the speed of a stable
    argsort of 19 million grams) when both fit in 63 bits."""
    if not len(keys):
        return keys, values
    bits = int(values.max()).bit_length()
    if int(keys.max()).bit_length() + bits > 63 or keys.min() < 0:
        order = np.argsort(keys, kind="stable")
        return keys[order], values[order]
    packed = np.sort((keys.astype(np.int64) << bits) | values.astype(np.int64))
    return packed >> bits, packed & ((1 << bits) - 1)


def _store_vocab(arrays: dict, name: str, keys: list[str]) -> np.ndarray:
    """Put ``keys`` in ``arrays`` as a :class:`~kb.engines.embedded.segment.Vocab` (sorted, UTF-8 in one blob) and
    return, for each key's old code (its place in ``keys``), its new one."""
    encoded = [k.encode("utf-8") for k in keys]
    order = sorted(range(len(keys)), key=encoded.__getitem__)
    rank = np.empty(len(keys), dtype=np.int64)
    rank[order] = np.arange(len(keys))
    blob = b"".join(encoded[i] for i in order)
    arrays[f"{name}_blob"] = np.frombuffer(blob, dtype=np.uint8) if blob else np.zeros(0, np.uint8)
    arrays[f"{name}_prefix"] = np.array([encoded[i][:PREFIX] for i in order], dtype=f"S{PREFIX}")
    arrays[f"{name}_ends"] = np.cumsum([len(encoded[i]) for i in order], dtype=np.int64) if keys \
        else np.zeros(0, np.int64)
    return rank


def _runs_of(sorted_codes: np.ndarray, n: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(distinct codes, pointers) of a sorted array; with ``n``, pointers for every code
    0..n-1 (codes without entries get empty ranges)."""
    if n is not None:
        ptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(sorted_codes, minlength=n), out=ptr[1:])
        return np.arange(n, dtype=np.int64), ptr
    if not len(sorted_codes):
        return np.zeros(0, np.int64), np.zeros(1, np.int64)
    starts = np.flatnonzero(np.r_[True, sorted_codes[1:] != sorted_codes[:-1]])
    return sorted_codes[starts], np.append(starts, len(sorted_codes)).astype(np.int64)


def _phrase_table(seg: Segment, phrases: list[list[list[str]]]) -> dict[str, np.ndarray]:
    """The arrays of a segment's phrase table: for each of ``phrases`` (runs of unit keys
    each), the paragraphs where it stands, found once when the segment is written."""
    runs = {key: r for r in phrases if (key := phrase_key(r))}
    keys = list(runs)
    arrays: dict[str, np.ndarray] = {}
    rank = _store_vocab(arrays, "phrase", keys)
    found = [np.zeros(0, np.int32)] * len(keys)
    for i, key in enumerate(keys):
        lists = gram_lists(seg, seg.constraints(runs[key]))
        if lists:
            found[int(rank[i])] = term_docs(seg, runs[key], lists)
    ptr = np.concatenate([[0], np.cumsum([len(d) for d in found])]).astype(np.int64)
    docs = np.concatenate(found) if found else np.zeros(0, np.int32)
    arrays["phrase_docs_packed"], arrays["phrase_docs_bytes"] = _narrow(packed.pack(docs, ptr))
    return arrays

"""Stored: each paragraph's stored fields, kept in its postings segment (what a hit, a report or a
listing shows; collected by :mod:`kb.engines.embedded.writer`, read by
:class:`~kb.engines.embedded.segment.Segment`, a paragraph's whole document made by :func:`document`).

Only what the segment holds nowhere else is stored: a paragraph's id is its report's and its
ordinal, the report id is its report's, and each facet's values are its column's
(:mod:`kb.engines.embedded.columns`). Each field of the registry's kind ``stored``
(:mod:`kb.engines.fields`) is kept as a table of its distinct values, as JSON (an int stays an
int), and each paragraph's code in it (``s_<name>``), the values one after another in
``s_<name>_blob`` (value ``i`` ends at ``s_<name>_ends[i]``):

- a field of few values (the title, the ordinal, the section path) as they are;
- a field of about a value per paragraph (more distinct values than :data:`PACKED_SHARE` of the
  paragraphs: the text) each value compressed alone (raw deflate) with a dictionary made of
  the segment's own values (``s_<name>_dict``, :func:`_dictionary`: what paragraphs share,
  的, 推进, 依法行政, …), so that a hit inflates its own bytes only (a few µs) yet the text
  compresses almost as blocks of paragraphs would. Measured on 82,692 real paragraphs: the
  text is 48.5 MB, 31.7 MB compressed each alone, 22.4 MB with the dictionary, 22.9 MB in
  blocks of 16 KB (which a hit would inflate whole).
"""

from __future__ import annotations

import json
import zlib
from array import array

import numpy as np

from kb.engines import fields

STORED = tuple(f.name for f in fields.FIELDS if f.kind == "stored")  # a table of values each
PACKED_SHARE = 0.5  # a field with more distinct values than this share of paragraphs is compressed
DICT_BYTES = 32 << 10  # deflate's window: a longer dictionary is not seen
DICT_SAMPLES = 512  # paragraphs spread over the segment that the dictionary is taken from
LEVEL = 6
BY_NAME = tuple(sorted(fields.FIELDS, key=lambda f: f.name))  # a document's keys in name order, as ever
WBITS = -15  # raw deflate: no header or checksum per value (the index files have their sha256)


def encoded(value) -> str:
    """A stored value as it is kept (JSON)."""
    return json.dumps(value, ensure_ascii=False)


class Collector:
    """The stored fields of the paragraphs of a segment being written, one row of
    :func:`encoded` values (in :data:`STORED` order) per paragraph."""

    def __init__(self):
        self.codes = {name: array("i") for name in STORED}
        self.values: dict[str, dict[str, int]] = {name: {} for name in STORED}

    def add(self, row: list[str]) -> None:
        for name, value in zip(STORED, row, strict=True):
            known = self.values[name]
            code = known.get(value)
            if code is None:
                code = known[value] = len(known)
            self.codes[name].append(code)

    def arrays(self, n: int) -> dict[str, np.ndarray]:
        """The arrays of the stored fields of the ``n`` paragraphs added. Called once: each
        field's values are let go as soon as its arrays are made (a segment's texts are tens
        of MB of strings, not kept while the rest of the segment is written)."""
        out: dict[str, np.ndarray] = {}
        for name in STORED:
            values = list(self.values.pop(name))
            codes = np.frombuffer(self.codes.pop(name), dtype=np.int32) if n else np.zeros(0, np.int32)
            zdict = _dictionary(values, codes) if len(values) > PACKED_SHARE * n else None
            if zdict is not None:
                out[f"s_{name}_dict"] = np.frombuffer(zdict, dtype=np.uint8).copy()
            out[f"s_{name}"] = codes.astype(np.uint16 if len(values) <= 2**16 else np.int32)
            blob, ends = _laid(values, zdict)
            del values
            out[f"s_{name}_blob"] = np.frombuffer(blob, dtype=np.uint8)
            out[f"s_{name}_ends"] = ends.astype(np.uint32) if not len(ends) or ends[-1] < 2**32 else ends
        return out


def _dictionary(values: list[str], codes: np.ndarray) -> bytes:
    """A dictionary for deflating ``values``: up to :data:`DICT_BYTES` of the values (UTF-8) of
    :data:`DICT_SAMPLES` paragraphs evenly spread over the segment, each cut to an equal share
    (what many paragraphs say stands in many samples; deflate finds it nearest the end best,
    so the samples are in the segment's order)."""
    if not len(codes):
        return b""
    picked = codes[np.linspace(0, len(codes) - 1, min(DICT_SAMPLES, len(codes))).astype(np.int64)]
    share = max(1, DICT_BYTES // len(picked))
    return b"".join(values[int(c)].encode("utf-8")[:share] for c in picked)[-DICT_BYTES:]


def _laid(values: list[str], zdict: bytes | None) -> tuple[bytearray, np.ndarray]:
    """The values one after another, as UTF-8 or (given a dictionary ``zdict``) each deflated
    alone with it (primed once, then copied: priming costs as much as deflating a paragraph),
    and where each one ends (int64)."""
    primed = None
    if zdict is not None:
        primed = zlib.compressobj(LEVEL, zlib.DEFLATED, WBITS, 9, zlib.Z_DEFAULT_STRATEGY, zdict) if zdict \
            else zlib.compressobj(LEVEL, zlib.DEFLATED, WBITS)
    blob, ends = bytearray(), array("q")
    for v in values:
        data = v.encode("utf-8")
        if primed is not None:
            c = primed.copy()
            data = c.compress(data) + c.flush()
        blob += data
        ends.append(len(blob))
    return blob, np.frombuffer(ends, dtype=np.int64) if len(ends) else np.zeros(0, np.int64)


class Table:
    """One stored field of a segment, read from its memory-mapped arrays."""

    def __init__(self, codes: np.ndarray, blob: np.ndarray, ends: np.ndarray, zdict: np.ndarray | None):
        self.codes, self.blob, self.ends = codes, blob, ends
        self.zdict = zdict.tobytes() if zdict is not None else None

    def raw(self, local: int) -> str:
        """The :func:`encoded` value of paragraph ``local``."""
        i = int(self.codes[local])
        data = self.blob[int(self.ends[i - 1]) if i else 0:int(self.ends[i])].tobytes()
        if self.zdict is not None:
            d = zlib.decompressobj(WBITS, self.zdict) if self.zdict else zlib.decompressobj(WBITS)
            data = d.decompress(data) + d.flush()
        return data.decode("utf-8")

    def value(self, local: int):
        return json.loads(self.raw(local))


def document(p, doc: int) -> dict:
    """The stored document of paragraph ``doc`` (a global number of the postings ``p``, a
    :class:`~kb.engines.embedded.reader.Postings`): every field of the registry, as
    :func:`kb.engines.fields.document` made it (a multi-valued facet's values joined by commas),
    its keys in name order."""
    s = int(np.searchsorted(p.base, doc, side="right")) - 1
    seg, local = p.segments[s], doc - int(p.base[s])
    out: dict = {}
    for f in BY_NAME:
        if f.kind == "id":
            out[f.name] = p.paragraph_id(doc)
        elif f.kind == "key":
            out[f.name] = p.report.values[p.report.by_doc[doc]]
        elif f.is_facet:
            out[f.name] = _facet(p.columns[f.name], doc)
        else:
            out[f.name] = seg.stored(f.name).value(local)
    return out


def _facet(col, doc: int) -> str:
    if col.by_doc is not None:
        code = int(col.by_doc[doc])
        return col.values[code] if code >= 0 else ""
    return ",".join(col.values[int(c)] for c in col.codes[col.ptr[doc]:col.ptr[doc + 1]])

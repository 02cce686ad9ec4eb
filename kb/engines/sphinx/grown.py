"""The model of meaning on a cluster: grown with the corpus the push sends, and each paragraph's
vector of meaning (issue 28; what :mod:`kb.build` and :mod:`kb.engines.embedded.writer` keep in an
index generation, :mod:`kb.text.growth`).

The push grows the model, not the front: it reads every report it writes anyway, and the fronts
(every ``kb serve``) then read a small file instead of cutting the whole corpus into words:

- per paragraph (``kb_para.meaning``): its vector in the shipped model (the weighted mean of its
  words', float16, base64: :func:`kb.text.growth.read_paragraphs`, the build's numbers);
- per report (``kb_extract.growth``): what it teaches the model (:class:`kb.text.growth.Contexts`,
  :func:`kb.text.growth.pack`, base64), written with its figures, deleted with it;
- per push (:func:`publish`): every report's part read back through the front, the words grown as
  a build grows them (:meth:`kb.text.growth.Growth.grown`), and the grown words written to the
  front's ``kb_cluster`` (rows :data:`MODEL_ROW` and after: a header, then chunks of base64);
- a front (:func:`model_file`) reads them once per push, makes the same model file a build writes
  (the shipped words and the grown ones, ``meaning.npz``) in a folder of its own, and searches with
  it (:attr:`kb.engines.sphinx.engine.SphinxEngine.meaning_file`).
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import tempfile
from pathlib import Path

import numpy as np

from kb.engines.sphinx import schema as S
from kb.engines.sphinx.client import Client, quote
from kb.text import growth, meaning

MODEL_ROW = S.STAMP_ROW + 1  # kb_cluster's row naming the grown model's chunks (rows after it)
CHUNK = 1 << 20  # base64 characters a chunk row holds (under searchd's default packet size)
PAGE = 50  # reports' parts read a statement


def encode(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def decode(text: str) -> bytes:
    return base64.b64decode(text) if text else b""


def report_meaning(tokens: list[list[tuple[str, int, int]]]) -> tuple[list[str], str]:
    """A report's paragraphs' vectors (each float16 in base64; '' without a model) and what it
    teaches the model (:func:`kb.text.growth.pack` in base64), from each paragraph's jieba tokens
    (:func:`kb.engines.sphinx.schema.tokens`: cut once for its word counts too, as a build does)."""
    model = meaning.load()  # the shipped model: a paragraph's vector never depends on the corpus
    if model is None:
        return [""] * len(tokens), ""
    vectors, contexts = growth.read_paragraphs([growth.default_cut(t, meaning.is_content) for t in tokens], model)
    return [encode(v.astype(np.float16).tobytes()) for v in vectors], encode(growth.pack(contexts))


def vectors_of(texts: list[str], dim: int) -> np.ndarray:
    """Paragraphs' vectors (float32) from their base64 texts (zeros for one without)."""
    out = np.zeros((len(texts), dim), np.float32)
    for i, t in enumerate(texts):
        v = np.frombuffer(decode(t), dtype=np.float16)
        if len(v) == dim:
            out[i] = v
    return out


def read_growth(front: Client) -> growth.Growth | None:
    """Every report's part (kb_extract.growth) read through the front (None: a shard did not answer)."""
    parts: dict[str, growth.Contexts] = {}

    def each(rows: list[tuple]) -> None:
        for _, rid, data in rows:
            c = growth.unpack(decode(str(data)))
            if c is not None:
                parts[str(rid)] = c

    return growth.Growth(parts, meaning.shipped_checksum()) if paged(front, S.EXTRACT, "report_id, growth", PAGE,
                                                                     each) else None


def paged(client: Client, table: str, columns: str, page: int, each) -> bool:
    """Every row of ``table`` (its id, then ``columns``) read through the front, ``page`` rows a
    statement in the order of their ids, each page given to ``each``. False: a shard did not answer."""
    last = 0
    while True:
        r = client.run(f"SELECT id, {columns} FROM {table} WHERE id > {last} ORDER BY id ASC LIMIT {page} "
                       f"OPTION max_matches={page}")
        if r.warnings:
            return False
        each(r.sets[0])
        if len(r.sets[0]) < page:
            return True
        last = r.sets[0][-1][0]


def publish(front: Client) -> int:
    """Grow the model with every report's part and write its grown words to the front (the
    chunks of a former model beyond the new ones deleted). Returns how many words were grown
    (-1: a shard did not answer, the model the front holds is left as it was)."""
    model, state = meaning.load(), read_growth(front)
    if model is None or state is None:
        return 0 if model is None else -1
    grown = state.grown(model)
    words = grown.grown_words()
    out = io.BytesIO()
    np.savez(out, vocab=np.array(list(words) or [""])[:len(words)], vectors=grown.vectors[grown.n_shipped:],
             counts=grown.counts[grown.n_shipped:])
    had = _header(front)
    n, digest = write_chunks(front, MODEL_ROW, out.getvalue(), had[0] if had else 0)
    front.execute(f"REPLACE INTO {S.TOPOLOGY} (id, body, stamp) VALUES ({MODEL_ROW}, '', "
                  f"{quote(f'{n}:{digest}:{meaning.shipped_checksum()}')})")
    return len(words)


def write_chunks(client: Client, row: int, data: bytes, had: int) -> tuple[int, str]:
    """Write ``data`` as chunks of base64 into the front's kb_cluster, rows ``row`` + 1 and after
    (those of a former one beyond them, ``had`` chunks, deleted): (chunks, digest). Its header
    row (``row``) is the caller's."""
    text = encode(data)
    chunks = [text[i:i + CHUNK] for i in range(0, len(text), CHUNK)]
    for i, chunk in enumerate(chunks):
        client.execute(f"REPLACE INTO {S.TOPOLOGY} (id, body, shard, stamp) VALUES ({row + 1 + i}, '', {i}, "
                       f"{quote(chunk)})")
    stale = [str(row + 1 + i) for i in range(len(chunks), had)]
    if stale:
        client.execute(f"DELETE FROM {S.TOPOLOGY} WHERE id IN ({', '.join(stale)})")
    return len(chunks), hashlib.sha256(text.encode("ascii")).hexdigest()[:16]


def read_chunks(client: Client, row: int, n: int, digest: str) -> bytes | None:
    """What :func:`write_chunks` wrote (None: not all there, or written meanwhile: not ``digest``)."""
    ids = ", ".join(str(row + 1 + i) for i in range(n))
    r = client.run(f"SELECT shard, stamp FROM {S.TOPOLOGY} WHERE id IN ({ids}) LIMIT {n} "
                   f"OPTION max_matches={max(n, 20)}") if n else None
    text = "".join(str(s) for _, s in sorted(r.sets[0])) if r is not None else ""
    return decode(text) if hashlib.sha256(text.encode("ascii")).hexdigest()[:16] == digest else None


def _header(client: Client) -> tuple[int, str, str] | None:
    """(chunks, digest, the shipped model's checksum) of the grown model the front holds."""
    r = client.run(f"SELECT stamp FROM {S.TOPOLOGY} WHERE id = {MODEL_ROW}")
    if not r.sets[0]:
        return None
    n, digest, shipped = (str(r.sets[0][0][0]).split(":") + ["", ""])[:3]
    return (int(n), digest, shipped) if n.isdigit() else None


def folder() -> Path:
    """Where a front keeps the models it made (one file per grown model)."""
    return Path(os.environ.get("KB_MEANING_CACHE") or Path(tempfile.gettempdir()) / f"kb-meaning-{os.getuid()}")


def model_file(client: Client) -> Path:
    """The model file of the grown model the cluster holds (made once: its name is its digest);
    the shipped model's when the cluster holds none, or one grown from another shipped model."""
    head = _header(client)
    if head is None or head[2] != meaning.shipped_checksum() or meaning.load() is None:
        return meaning.SHIPPED
    n, digest, _ = head
    path = folder() / f"{digest}.npz"
    if path.is_file():
        return path
    data = read_chunks(client, MODEL_ROW, n, digest)
    if data is None:
        return meaning.SHIPPED  # written meanwhile: the next push stamp reads it again
    with np.load(io.BytesIO(data), allow_pickle=False) as z:
        grown = meaning.load().with_words([str(w) for w in z["vocab"]], z["vectors"], z["counts"])
    path.parent.mkdir(parents=True, exist_ok=True)
    grown.save(path, compressed=False)  # as a build writes it (kb.build._grow_meaning)
    return path

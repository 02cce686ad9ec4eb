"""Growth: the model of meaning learns the words of the user's corpus at build time.

The shipped model (:mod:`kb.text.meaning`) knows the 29,291 most frequent words of the real
reports. A user's corpus has words it lacks -- a measure named only there (a made-up 法护员, a
local 码上督), a place, a project. A build gives each of them a vector from the corpus itself,
with numpy alone (no training, no download, no service), as "à la carte" embeddings do
(Khodak et al., 2018): a word's vector is the mean of the shipped vectors of the words around
it (:data:`WINDOW` content words on each side, within a paragraph), mapped by the matrix the
shipped model carries (:attr:`kb.text.meaning.Model.induce`, learned once by least squares so
that it maps the mean context of every known word to that word's own vector:
``python -m tools.meaningmodel induce``).

Incremental: each report's part (:class:`Contexts`, the context sums of its new words) is
computed where the report is read (a build's worker process) and kept per report in the
index generation (:class:`Growth`, ``meaning-growth.npz``); a build adds the parts of the
reports it indexes and drops those of the reports removed or changed, and learns the vectors
again from the sums (:meth:`Growth.grown`): a few milliseconds, however large the corpus.
A new word needs :data:`MIN_COUNT` uses in the corpus to get a vector.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from itertools import chain, repeat
from pathlib import Path

import numpy as np

from kb.text import meaning, textnorm, words
from kb.text.wordbytes import words_bytes, words_of

WINDOW = 5  # content words on each side, as the shipped model was trained
MIN_COUNT = 5  # uses of a new word in the corpus before it gets a vector
STATE_FILE = "meaning-growth.npz"


def default_cut(tokens: list[tuple[str, int, int]], keep=None) -> list[str]:
    """The words of a text as :func:`kb.text.words.cut` gives them, from its search-mode
    tokens (each word is given after the parts of it that are words too): the tokens that no
    later token contains; with ``keep``, only the words it says yes to. Saves cutting a
    paragraph twice."""
    out, lo = [], 1 << 62
    for w, start, end in reversed(tokens):
        if end <= lo:
            lo = start
            if keep is None or keep(w):
                out.append(w)
    out.reverse()
    return out


def content_of(text: str) -> list[str]:
    """A paragraph's content words in order, repeats kept, as a build reads them for the model of
    meaning (:func:`kb.engines.embedded.writer.analyze_all` cuts the same tokens once for its word
    counts too; a push to a cluster cuts them here)."""
    normalized = textnorm.normalize(text)
    return default_cut(words.segmenter().tokenize(normalized[0], "search", True), meaning.is_content)


def is_new(word: str, model: meaning.Model) -> bool:
    """A word the model lacks that may get a vector: a content word (:func:`kb.text.meaning.is_content`)
    that is not a number."""
    return word not in model.index and meaning.is_content(word) and not word.isdigit()


@dataclass
class Contexts:
    """What a text tells of the words the model lacks: for each, how often it stands, the sum
    of the vectors of the known words around it, and how many they are."""

    words: tuple[str, ...]
    sums: np.ndarray  # (words, dim) float32
    uses: np.ndarray  # (words,) int32
    n_context: np.ndarray  # (words,) int32

    @classmethod
    def empty(cls, dim: int) -> Contexts:
        return cls((), np.zeros((0, dim), np.float32), np.zeros(0, np.int32), np.zeros(0, np.int32))


def contexts(paragraphs: list[list[str]], model: meaning.Model, known_too: bool = False) -> Contexts:
    """The :class:`Contexts` of the new words (:func:`is_new`) of ``paragraphs`` (each its
    content words in order, repeats kept); with ``known_too`` of every content word (to learn
    :attr:`Model.induce`)."""
    return read_paragraphs(paragraphs, model, known_too)[1]


def read_paragraphs(paragraphs: list[list[str]], model: meaning.Model,
                    known_too: bool = False) -> tuple[np.ndarray, Contexts]:
    """What a report's paragraphs (each its content words in order) give the model of meaning,
    in one pass over their words: each paragraph's vector (:meth:`kb.text.meaning.Model.text_vector`,
    zeros for none; float32) and the :class:`Contexts` of their new words (:func:`contexts`)."""
    index = model.index
    lens = np.fromiter(map(len, paragraphs), dtype=np.int64, count=len(paragraphs))
    flat = list(chain.from_iterable(paragraphs))
    ids = np.array(list(map(index.get, flat, repeat(-1))), dtype=np.int64)
    return _text_vectors(ids, lens, model), _contexts(flat, ids, lens, model, known_too)


def _text_vectors(ids: np.ndarray, lens: np.ndarray, model: meaning.Model) -> np.ndarray:
    """Each paragraph's weighted mean of its known words' vectors, of length 1 (zeros for none)."""
    out = np.zeros((len(lens), model.vectors.shape[1]), np.float32)
    owner = np.repeat(np.arange(len(lens)), lens)
    known = ids >= 0
    if not known.any():
        return out
    kid, kowner = ids[known], owner[known]
    rows = model.vectors[kid] * model.weights[kid, None]
    has = np.bincount(kowner, minlength=len(lens)) > 0
    starts = np.searchsorted(kowner, np.flatnonzero(has))
    out[has] = np.add.reduceat(rows, starts, axis=0)
    n = np.linalg.norm(out, axis=1, keepdims=True)
    n[n == 0] = 1
    return out / n


def _contexts(flat: list[str], ids: np.ndarray, lens: np.ndarray, model: meaning.Model,
              known_too: bool) -> Contexts:
    """The contexts of the new words (and with ``known_too`` of all) among ``flat`` (the
    paragraphs' words one after another, ``lens`` of each; ``ids`` their numbers in the model)."""
    dim = model.vectors.shape[1]
    pick = np.flatnonzero(ids >= 0) if known_too else np.zeros(0, np.int64)
    unknown = np.flatnonzero(ids < 0)
    pick = np.union1d(pick, [i for i in unknown if is_new(flat[i], model)]).astype(np.int64)
    if not len(pick):
        return Contexts.empty(dim)
    owner = np.repeat(np.arange(len(lens)), lens)
    padded = np.full(len(ids) + WINDOW * (len(lens) + 1), -1, dtype=np.int64)
    at = np.arange(len(ids)) + WINDOW * (owner + 1)  # WINDOW empty places before every paragraph
    padded[at] = ids
    offsets = np.r_[-WINDOW:0, 1:WINDOW + 1]
    around = padded[at[pick][:, None] + offsets]  # (centres, 2 * WINDOW), -1: no known word
    known = around >= 0
    sums = np.einsum("cw,cwd->cd", known.astype(np.float32), model.vectors[np.where(known, around, 0)])
    words, inverse = np.unique(np.array([flat[i] for i in pick]), return_inverse=True)
    out = np.zeros((len(words), dim), np.float32)
    np.add.at(out, inverse, sums)
    return Contexts(tuple(str(w) for w in words), out, np.bincount(inverse, minlength=len(words)).astype(np.int32),
                    np.bincount(inverse, weights=known.sum(axis=1), minlength=len(words)).astype(np.int32))


def pack(c: Contexts) -> bytes:
    """A report's :class:`Contexts` as bytes (sums float32, as a build keeps them before it saves)."""
    out = io.BytesIO()
    np.savez(out, words=np.array(list(c.words) or [""])[:len(c.words)], sums=c.sums.astype(np.float32),
             uses=c.uses.astype(np.int32), n_context=c.n_context.astype(np.int32))
    return out.getvalue()


def unpack(data: bytes) -> Contexts | None:
    """The :class:`Contexts` :func:`pack` wrote (None when they cannot be read)."""
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as z:
            return Contexts(tuple(str(w) for w in z["words"]), z["sums"].astype(np.float32), z["uses"], z["n_context"])
    except (OSError, ValueError, KeyError, EOFError):
        return None


def induced(sums: np.ndarray, n_context: np.ndarray, model: meaning.Model) -> np.ndarray:
    """Vectors from context sums: the mean context, mapped by :attr:`Model.induce`, of length 1."""
    mean = sums / np.maximum(n_context, 1)[:, None]
    v = mean @ model.induce.T if model.induce is not None else mean
    n = np.linalg.norm(v, axis=1, keepdims=True)
    n[n == 0] = 1
    return (v / n).astype(np.float32)


class Growth:
    """The :class:`Contexts` of every report of a corpus (by report id), kept in an index
    generation; :meth:`grown` is the shipped model with the words they teach."""

    def __init__(self, parts: dict[str, Contexts] | None = None, model_checksum: str = ""):
        self.parts = dict(parts or {})
        self.model_checksum = model_checksum

    def update(self, drop: list[str], add: dict[str, Contexts]) -> None:
        """Without the reports ``drop`` (removed or changed), with ``add`` (their parts now)."""
        for rid in drop:
            self.parts.pop(rid, None)
        self.parts.update(add)

    def totals(self) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
        """(words, context sums, uses, contexts counted) over every report."""
        parts = [c for c in self.parts.values() if c.words]
        if not parts:
            return [], np.zeros((0, 0), np.float32), np.zeros(0, np.int64), np.zeros(0, np.int64)
        words, inverse = np.unique(np.array([w for c in parts for w in c.words]), return_inverse=True)
        sums = np.zeros((len(words), parts[0].sums.shape[1]), np.float32)
        np.add.at(sums, inverse, np.vstack([c.sums for c in parts]).astype(np.float32))
        uses = np.bincount(inverse, weights=np.concatenate([c.uses for c in parts]), minlength=len(words))
        n_ctx = np.bincount(inverse, weights=np.concatenate([c.n_context for c in parts]), minlength=len(words))
        return [str(w) for w in words], sums, uses.astype(np.int64), n_ctx.astype(np.int64)

    def grown(self, model: meaning.Model, min_count: int = MIN_COUNT) -> meaning.Model:
        """``model`` with a vector for each new word used at least ``min_count`` times."""
        words, sums, uses, n_ctx = self.totals()
        keep = np.flatnonzero((uses >= min_count) & (n_ctx > 0)) if words else np.zeros(0, np.int64)
        if not len(keep):
            return model
        return model.with_words([words[i] for i in keep], induced(sums[keep], n_ctx[keep], model), uses[keep])

    def save(self, path: Path) -> None:
        """One file: the reports' ids and where their rows start, the words (UTF-8,
        :func:`kb.text.wordbytes.words_bytes`), sums (float16), counts."""
        rids = sorted(self.parts)
        parts = [self.parts[r] for r in rids]
        dim = next((c.sums.shape[1] for c in parts if c.words), 1)
        ptr = np.cumsum([0] + [len(c.words) for c in parts]).astype(np.int64)
        path = Path(path)
        tmp = path.with_name(path.name + ".tmp.npz")
        np.savez(tmp, meta=np.array(json.dumps({"reports": rids, "model": self.model_checksum})), ptr=ptr,
                 words_utf8=words_bytes(w for c in parts for w in c.words),
                 sums=np.vstack([c.sums for c in parts if c.words] or [np.zeros((0, dim))]).astype(np.float16),
                 uses=np.concatenate([c.uses for c in parts] or [np.zeros(0)]).astype(np.int32),
                 n_context=np.concatenate([c.n_context for c in parts] or [np.zeros(0)]).astype(np.int32))
        tmp.replace(path)

    @classmethod
    def read(cls, path: Path) -> Growth | None:
        """The state saved in ``path``, or None when there is none (or it cannot be read)."""
        try:
            with np.load(Path(path), allow_pickle=False) as z:
                meta = json.loads(str(z["meta"]))
                ptr, words = z["ptr"], words_of(z["words_utf8"])
                sums, uses, n_ctx = z["sums"].astype(np.float32), z["uses"], z["n_context"]
        except (OSError, ValueError, KeyError):
            return None
        parts = {rid: Contexts(tuple(words[a:b]), sums[a:b], uses[a:b], n_ctx[a:b])
                 for rid, a, b in zip(meta["reports"], ptr[:-1], ptr[1:], strict=True)}
        return cls(parts, meta.get("model", ""))

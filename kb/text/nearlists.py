"""Each shipped word's nearest words, kept with an index generation's model of meaning (issue 30).

A word's neighbours (:meth:`kb.text.meaning.Model.neighbours`) are found by one product of its vector with
the whole vocabulary (35,779 × 64 at 70,000 paragraphs: 0.45 ms, the largest single step of a search of a
new word). The shipped model's words are the same in every build, so a build keeps, for each of them, its
:data:`K` nearest among the shipped words (their places, nearest first) and a bound: every other shipped word
is at that cosine or below (:func:`compute`). A search then takes the products of the word's vector with
those few and with the words grown from the user's corpus only (:meth:`Lists.nearest`): the same
float32 values the whole product gives them (each row's sum is made alike, whatever rows are beside it;
:mod:`tests.unit.test_nearlists` checks it on every word), from which :func:`kb.text.nearest.nearest`'s
answer follows whenever it is certain -- the nearest ``k + 2`` are among the candidates, and no two of them
are equal (:func:`settled`). When it is not (a long list asked for, as :func:`kb.text.meaning.cover_words`'s
300; words of equal cosines), the whole product is taken as before.

The lists are computed from the vectors as the served model reads them back from its file, and keyed by a
digest of those shipped rows: a build whose shipped rows are the same bytes as the previous generation's
takes the previous lists (:func:`write`), and a model whose rows differ from the key finds no lists
(:func:`read`).
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

FILE = "meaning-near.npz"  # in an index generation, beside kb.text.meaning.MODEL_FILE
K = 16  # nearest words kept for each shipped word
#: the product's rows made at once at build time (BLAS, float32: a bound on the exact sums, see compute)
BLOCK = 1024
#: how far BLAS's sums may stand from einsum's (both within 64 · 2⁻²⁴ of the exact sum of unit vectors'
#: products, some 4e-6): the candidates' margin, 25 times that
MARGIN = 1e-4


@dataclass(frozen=True, eq=False)
class Lists:
    """For each of the first ``len(ids)`` words of a model: its :data:`K` nearest among them (``ids``,
    nearest first) and ``bound``: every other of them is at that cosine or below."""

    ids: np.ndarray  # (shipped, K) int32
    bound: np.ndarray  # (shipped,) float32
    key: str

    @property
    def n(self) -> int:
        return len(self.ids)

    def nearest(self, vectors: np.ndarray, i: int, k: int, min_sim: float) -> tuple[np.ndarray, np.ndarray] | None:
        """What :func:`kb.text.nearest.nearest` gives for the product of row ``i`` of ``vectors`` (the
        model's, its first :attr:`n` the lists') with all of them, and their cosines, from its candidates'
        products alone; None when they do not settle it (:func:`settled`)."""
        v, bound = vectors[i], float(self.bound[i])
        grown = np.einsum("ij,j->i", vectors[self.n:], v)
        past = np.flatnonzero(grown > bound)  # those at the bound or below settle nothing (settled)
        sims = np.concatenate([np.einsum("ij,j->i", vectors[self.ids[i]], v), grown[past]])
        top = settled(sims, bound, k, min_sim)
        if top is None:
            return None
        return np.concatenate([self.ids[i], past + self.n])[top], sims[top]


@contextlib.contextmanager
def blas_alone() -> Iterator[None]:
    """Numpy's OpenBLAS on this thread alone within the block (``openblas_set_num_threads_local``, where
    the library has it; else as it is)."""
    lib = _openblas()
    old = lib.openblas_set_num_threads_local(1) if lib is not None else None
    try:
        yield
    finally:
        if lib is not None:
            lib.openblas_set_num_threads_local(old)


@functools.cache
def _openblas() -> ctypes.CDLL | None:
    libs = Path(np.__file__).resolve().parent.parent / "numpy.libs"
    for path in sorted(libs.glob("libscipy_openblas*.so*")):
        try:
            lib = ctypes.CDLL(str(path))
            lib.openblas_set_num_threads_local.argtypes = [ctypes.c_int]
            lib.openblas_set_num_threads_local.restype = ctypes.c_int
            return lib
        except (OSError, AttributeError):
            continue
    return None


def key_of(vectors: np.ndarray) -> str:
    """The digest the lists of these (shipped) rows are kept under."""
    return hashlib.sha256(np.ascontiguousarray(vectors, dtype=np.float32).tobytes()).hexdigest()[:24]


def settled(sims: np.ndarray, bound: float, k: int, min_sim: float) -> np.ndarray | None:
    """The places (into ``sims``, the candidates' cosines) of what :func:`kb.text.nearest.nearest` gives for
    the whole vocabulary -- the ``k + 1`` largest at ``min_sim`` or above, largest first -- when the
    candidates decide it: every word outside them is at ``bound`` or below, so the candidates above it are
    the vocabulary's largest in order. They decide it when the first ``k + 2`` at ``min_sim`` or above are
    among them (or all of those, when fewer), and no two of those are equal (then ``nearest``'s order, a
    sort or a partition, is the one order). None when they do not."""
    order = np.argsort(-sims, kind="stable")
    ranked = sims[order]
    at_least = int(np.count_nonzero(ranked >= min_sim))
    if at_least >= k + 2:  # the first k + 2 must be above every word outside
        if not ranked[k + 1] > bound:
            return None
    elif bound >= min_sim:  # fewer at min_sim among them: a word outside may be too
        return None
    head = ranked[:min(k + 2, at_least)]
    if np.any(head[1:] == head[:-1]):
        return None
    return order[:min(k + 1, at_least)]


def compute(vectors: np.ndarray, k: int = K) -> Lists:
    """The lists of ``vectors`` (unit rows, float32): each row's ``k`` nearest among the rows by the products
    :meth:`kb.text.meaning.Model.neighbours` takes (``np.einsum`` of the row's vector with each), found among
    the candidates a BLAS product of a block of rows names (all within :data:`MARGIN` of the ``k + 1``-th
    largest of its sums; BLAS on this thread alone: its threads spin on a shared machine)."""
    v = np.ascontiguousarray(vectors, dtype=np.float32)
    n = len(v)
    k = min(k, max(n - 1, 0))
    ids = np.zeros((n, k), np.int32)
    bound = np.full(n, -2.0, np.float32)
    with blas_alone():
        for start in range(0, n, BLOCK):
            for r, row in enumerate(v[start:start + BLOCK] @ v.T):
                ids[start + r], bound[start + r] = _row(v, start + r, _candidates(row, k), k)
    return Lists(ids, bound, key_of(v))


#: the rough sums a row's ``k + 1``-th largest is looked for among first (most rows' is above: the
#: 16th nearest of nine words in ten is at 0.55 or more)
ROUGH_FLOOR = 0.3


def _candidates(row: np.ndarray, k: int) -> np.ndarray:
    """The places of ``row`` (rough sums) within :data:`MARGIN` of its ``k + 1``-th largest or above."""
    if k + 1 > len(row):
        return np.arange(len(row))
    high = np.flatnonzero(row >= ROUGH_FLOOR)
    if len(high) >= k + 1:
        cut = np.partition(row[high], len(high) - k - 1)[len(high) - k - 1] - MARGIN
        if cut >= ROUGH_FLOOR:
            return high[row[high] >= cut]
    cut = np.partition(row, len(row) - k - 1)[len(row) - k - 1] - MARGIN
    return np.flatnonzero(row >= cut)


def _row(v: np.ndarray, i: int, cand: np.ndarray, k: int) -> tuple[np.ndarray, float]:
    """Row ``i``'s ``k`` nearest among ``cand`` by the exact products, and the ``k + 1``-th's cosine (every
    row outside ``cand`` is at or below it: its rough sum is under the rough ``k + 1``-th less the margin)."""
    sims = np.einsum("ij,j->i", v[cand], v[i])
    order = np.argsort(-sims, kind="stable")
    return cand[order[:k]], float(sims[order[k]]) if len(order) > k else -2.0


#: the lists of the shipped model's words as every generation's model reads them back (the same rows in
#: every build): shipped beside it, so that no build computes them; made again with
#: ``python -m tools.nearlists`` when the shipped model changes (until then a build computes them)
SHIPPED = Path(__file__).resolve().parents[1] / "data" / FILE

#: the lists this process wrote last, by key (a process that builds again, as a test session, computes once)
_made: dict[str, Lists] = {}


def write(gen_dir: Path, vectors: np.ndarray, previous: Path | None = None) -> Lists:
    """The lists of ``vectors`` (the shipped rows of the model as the generation's file reads back) into
    ``gen_dir``: those this process wrote last, the shipped ones (:data:`SHIPPED`) or the previous
    generation's (``previous``) when kept under the same key, else computed."""
    key = key_of(vectors)
    lists = _made.get(key) or read(SHIPPED, key) or (read(previous / FILE, key) if previous is not None else None)
    if lists is None:
        lists = compute(vectors)
    _made.clear()
    _made[key] = lists
    save(lists, Path(gen_dir) / FILE)
    return lists


def save(lists: Lists, path: Path) -> None:
    """``lists`` into ``path`` (written whole, then renamed)."""
    tmp = path.with_name(path.name + ".tmp.npz")
    np.savez(tmp, ids=lists.ids.astype(np.uint16 if lists.n <= 65536 else np.int32), bound=lists.bound,
             key=np.array(lists.key), k=np.array(lists.ids.shape[1]))
    tmp.replace(path)


def read(path: Path, key: str) -> Lists | None:
    """The lists in ``path`` when they were kept under ``key`` with :data:`K` words each; else None."""
    try:
        with np.load(Path(path), allow_pickle=False) as z:
            if str(z["key"]) != key or int(z["k"]) != K:
                return None
            return Lists(z["ids"].astype(np.int32), z["bound"].astype(np.float32), key)
    except (OSError, ValueError, KeyError):
        return None

"""Meaning: word vectors learned from the reports themselves, read with numpy alone.

A :class:`Model` holds the most frequent words of the reports and a unit vector for each (word2vec over
their jieba words: ``python -m tools.meaningmodel train`` makes the starting model shipped as
``kb/data/meaning.npz`` from the 3,004 real work reports and the seed reports; the build grows it with the
words of the user's corpus, :func:`grow`). Two words are near in meaning when they are used in the same
contexts (淡薄 ~ 不强 ~ 薄弱, 法治 ~ 法律): :meth:`Model.neighbours`. A text's vector is the frequency-weighted
mean of its words' vectors (:meth:`Model.text_vector`), for paragraphs close in meaning to each other.

Everything here is computed from the query and a model file, so that any engine (the embedded one, a
cluster's front) can expand a query the same way (:mod:`kb.engines.query`).
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import hashlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from kb.text import nearlists, problems
from kb.text.content import STOP, content_words, is_content  # noqa: F401 (read as meaning.*)
from kb.text.nearest import FEW, HIGH  # noqa: F401 (FEW, HIGH: read as meaning.*)
from kb.text.nearest import nearest as _nearest
from kb.text.problems import (  # noqa: F401 (PROBLEM, DIFFICULTY, REMEDY, is_hard, is_problem: read as meaning.*)
    DIFFICULTY,
    NEGATIONS,
    OPPOSITE,
    PROBLEM,
    PROBLEM_SIM,
    REMEDY,
    is_hard,
    is_problem,
    opposites,
)
from kb.text.wordbytes import words_bytes, words_of

SHIPPED = Path(__file__).resolve().parents[1] / "data" / "meaning.npz"
MODEL_FILE = "meaning.npz"  # the grown model, in an index generation

_lock = threading.Lock()


@dataclass(frozen=True, eq=False)
class Model:
    """Words, their unit vectors (float16 on disk, float32 here) and their counts."""

    vocab: tuple[str, ...]
    vectors: np.ndarray  # (words, dim) float32, rows of length 1
    counts: np.ndarray  # (words,) int64
    #: (dim, dim): maps the mean vector of a word's contexts to its own vector (learned by
    #: ``python -m tools.meaningmodel induce``; None: the mean itself), :mod:`kb.text.growth`
    induce: np.ndarray | None = None
    shipped: int = 0  # how many of the first words are the shipped model's (0: all); the rest grown
    #: each shipped word's nearest, kept with an index generation's model (:mod:`kb.text.nearlists`)
    near: nearlists.Lists | None = None

    @classmethod
    def of(cls, vocab, vectors, counts, induce=None, shipped: int = 0) -> Model:
        v = np.asarray(vectors, dtype=np.float32)
        norms = np.linalg.norm(v, axis=1, keepdims=True)
        norms[norms == 0] = 1
        a = None if induce is None else np.asarray(induce, dtype=np.float32)
        return cls(tuple(vocab), v / norms, np.asarray(counts, dtype=np.int64), a, int(shipped))

    def with_words(self, vocab, vectors, counts) -> Model:
        """This model with more words (learned from the user's corpus: :mod:`kb.text.growth`)."""
        if not len(vocab):
            return self
        return Model.of((*self.vocab[:self.n_shipped], *vocab),
                        np.vstack([self.vectors[:self.n_shipped], np.asarray(vectors, dtype=np.float32)]),
                        np.concatenate([self.counts[:self.n_shipped], np.asarray(counts, dtype=np.int64)]),
                        self.induce, self.n_shipped)

    @property
    def n_shipped(self) -> int:
        """How many words came with the shipped model (the others were grown from the user's corpus)."""
        return self.shipped or len(self.vocab)

    def grown_words(self) -> tuple[str, ...]:
        """The words learned from the user's corpus."""
        return self.vocab[self.n_shipped:]

    @functools.cached_property
    def index(self) -> dict[str, int]:
        return {w: i for i, w in enumerate(self.vocab)}

    @functools.cached_property
    def weights(self) -> np.ndarray:
        """Smooth inverse frequency (a / (a + p(w))): rare words weigh more in a text's vector."""
        p = self.counts / max(1, int(self.counts.sum()))
        return (1e-4 / (1e-4 + p)).astype(np.float32)

    @functools.cached_property
    def checksum(self) -> str:
        h = hashlib.sha256("\n".join(self.vocab).encode("utf-8"))
        h.update(self.vectors.astype(np.float16).tobytes())
        return h.hexdigest()[:16]

    def vector(self, word: str) -> np.ndarray | None:
        i = self.index.get(word)
        return None if i is None else self.vectors[i]

    @functools.cached_property
    def _memo(self) -> dict:
        return {}

    def neighbours(self, word: str, k: int = 8, min_sim: float = 0.6) -> list[tuple[str, float]]:
        """The ``k`` words nearest to ``word`` in meaning (cosine at least ``min_sim``), nearest first; none
        for a word the model does not know (remembered: a search asks again). A word grown from the
        user's corpus (:mod:`kb.text.growth`) has the shipped words only."""
        key = (word, k, min_sim)
        found = self._memo.get(key)
        if found is None:
            if len(self._memo) > 20000:
                self._memo.clear()
            found = self._memo[key] = self._neighbours(word, k, min_sim)
        return found

    def _neighbours(self, word: str, k: int, min_sim: float) -> list[tuple[str, float]]:
        i = self.index.get(word)
        if i is None:
            return []
        if self.near is not None and i < self.near.n:  # from the word's kept nearest, when they settle it
            found = self.near.nearest(self.vectors, i, k, min_sim)
            if found is not None:
                places, sims = found
                return [(self.vocab[j], float(s)) for j, s in zip(places, sims, strict=True) if self.vocab[j] != word][:k]
        v, rows = self.vectors[i], len(self.vocab)
        if i >= self.n_shipped:  # two vectors induced from few contexts share their bias:
            rows = self.n_shipped  # a grown word's neighbours are the shipped model's words
        sims = np.full(len(self.vocab), -1, np.float32)
        sims[:rows] = np.einsum("ij,j->i", self.vectors[:rows], v)  # not BLAS: its threads cost a shared machine
        return [(self.vocab[i], float(sims[i])) for i in _nearest(sims, k, min_sim) if self.vocab[i] != word][:k]

    def text_vector(self, ws: list[str]) -> np.ndarray | None:
        """The weighted mean of the known words' vectors, of length 1 (None: no known word)."""
        ids = [i for w in ws if (i := self.index.get(w)) is not None]
        if not ids:
            return None
        v = (self.vectors[ids] * self.weights[ids, None]).sum(axis=0)
        n = float(np.linalg.norm(v))
        return v / n if n else None

    def save(self, path: Path, compressed: bool = True) -> None:
        path = Path(path)
        tmp = path.with_name(path.name + ".tmp.npz")
        extra = {} if self.induce is None else {"induce": self.induce}
        save = np.savez_compressed if compressed else np.savez
        save(tmp, vocab_utf8=words_bytes(self.vocab), vectors=self.vectors.astype(np.float16), counts=self.counts,
             shipped=np.array(self.shipped), **extra)
        tmp.replace(path)


def read(path: Path) -> Model:
    """The model in ``path`` (an .npz written by :meth:`Model.save`), with its shipped words' nearest
    when the file beside it keeps them for these vectors (:mod:`kb.text.nearlists`)."""
    with np.load(Path(path), allow_pickle=False) as z:
        vocab = words_of(z["vocab_utf8"]) if "vocab_utf8" in z.files else [str(w) for w in z["vocab"]]
        model = Model.of(vocab, z["vectors"], z["counts"],
                         z["induce"] if "induce" in z.files else None, int(z["shipped"]) if "shipped" in z.files else 0)
    near = Path(path).with_name(nearlists.FILE)
    lists = nearlists.read(near, nearlists.key_of(model.vectors[:model.n_shipped])) if near.is_file() else None
    return model if lists is None else replace(model, near=lists)


@functools.lru_cache(maxsize=4)
def _cached(path: str, mtime: float) -> Model:
    return read(Path(path))


@functools.lru_cache(maxsize=4)
def _file_checksum(path: str, mtime: float) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


def shipped_checksum() -> str:
    """The checksum of the shipped model's file ('' without one): what every paragraph's vector
    and the words grown from the user's corpus were made with (an index records it)."""
    try:
        return _file_checksum(str(SHIPPED), SHIPPED.stat().st_mtime)
    except OSError:
        return ""


def load(path: Path | None = None) -> Model | None:
    """The model in ``path`` (default: the shipped one), read once per file version; None when
    there is none."""
    path = Path(path) if path is not None else SHIPPED
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return None
    with _lock:
        return _cached(str(path), mtime)


# -- a query word's expansion by meaning ----------------------------------------------------

K = 5  # alternatives per word, besides the word itself
MIN_SIM = 0.66  # cosine a neighbour must reach
MIN_SIM_ALONE = 0.8  # for a term of one word, whose neighbour stands alone in the paragraph
#: a problem's other words, this many or more, together without any word of remedy also answer it (its
#: subject said as done: 充分发挥法律顾问作用 for 法律顾问作用发挥不够), as the lowest of its answers
SUBJECT_ALONE = 2
@dataclass(frozen=True)
class Expansion:
    """A term's words, each with the words near it in meaning: a paragraph where some word of every slot
    stands within a few characters of the others is close in meaning to the term (法治意识淡薄: 法律 · 意识 ·
    不强). ``slots[i][0]`` is the term's own word, similarity 1. With three slots or more, all but one of
    them (``partial``) also count, lower."""

    slots: tuple[tuple[tuple[str, float], ...], ...]
    #: the words said by a negated word beside it (系统 of 学法不系统: :func:`joined`): what falls short is
    #: one way to say the term (学习缺乏系统性), never needed (公共服务 · 短板 says 公共服务不均衡)
    optional: tuple[str, ...] = ()
    #: the words that answer the term's problem beside its other words: :data:`REMEDY`'s and the
    #: opposites of its problem words (严格 · 从严 · 严肃 for 执法不严: :func:`opposites`)
    answer: tuple[str, ...] = REMEDY

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(slot[0][0] for slot in self.slots)

    def alternatives(self) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple(w for w, _ in slot) for slot in self.slots)

    def partial(self) -> list[tuple[tuple[str, ...], ...]]:
        """The slots less one, for each slot that may be missed (none with fewer than three; the
        slot of a problem word is never left out)."""
        alts = self.alternatives()
        if len(alts) < 3:
            return []
        return [alts[:i] + alts[i + 1:] for i in range(len(alts)) if not is_problem(alts[i][0])]

    def remedy(self) -> tuple[tuple[str, ...], ...] | None:
        """For a problem (a slot of a problem or difficulty word beside others): the other slots
        and a word of remedy (:data:`REMEDY`) in place of the problem's -- 基层治理薄弱 → 加强 ·
        基层 · 治理, the measures that answer the problem without naming it. None for a term
        that names no problem, or only one."""
        alts = self.alternatives()
        subject = tuple(a for a in alts if not is_hard(a[0]))
        if not subject or len(subject) == len(alts):
            return None
        return (*subject, self.answer)

    def remedies(self) -> list[tuple[tuple[str, ...], ...]]:
        """:meth:`remedy`, then without the :attr:`optional` words (公共服务 · 加强 for 公共服务不均衡), then,
        with three other words or more, all of them but one beside a word of remedy (纠纷 · 机制 · 健全 for
        纠纷处理机制不完善), as :meth:`partial` does, then the other words alone, without a word of remedy
        (:func:`_alone`, issue 27's tenth round: the lowest answer)."""
        full = self.remedy()
        if full is None:
            return []
        subject = full[:-1]
        core = tuple(a for a in subject if a[0] not in self.optional)
        lean = [(*core, full[-1])] if core and len(core) < len(subject) else []
        return [full, *lean, *(x for x in _less_one(subject, full[-1]) if x not in lean), *_alone(subject)]

    def says_without(self, slots: tuple[tuple[str, ...], ...]) -> bool:
        """Whether ``slots`` (the term's less some, or a remedy's: :meth:`remedies`, whose words of
        remedy stand for the problem's) leave out only :attr:`optional` words: they say the term, or
        answer it, as fully as all of them."""
        remedy = self.answer in slots
        return all(a in slots or a[0] in self.optional for a in self.alternatives() if not (remedy and is_hard(a[0])))

    def similarity(self, word: str) -> float:
        return max((s for slot in self.slots for w, s in slot if w == word), default=0.0)


def _less_one(subject: tuple[tuple[str, ...], ...], answer: tuple[str, ...]) -> list[tuple[tuple[str, ...], ...]]:
    """With three words of a problem's subject or more, all of them but one beside the words of remedy."""
    return [subject[:i] + subject[i + 1:] + (answer,) for i in range(len(subject))] if len(subject) >= 3 else []


def _alone(subject: tuple[tuple[str, ...], ...]) -> list[tuple[tuple[str, ...], ...]]:
    """A problem's subject of :data:`SUBJECT_ALONE` words or more, alone: said as done, it answers the problem
    (充分发挥法律顾问作用 for 法律顾问作用发挥不够)."""
    return [subject] if len(subject) >= SUBJECT_ALONE else []


def joined(ws: list[str], model: Model) -> list[str]:
    """``ws`` with neighbouring words joined where the model knows them as one word, a negation kept with
    its word, a problem phrase read apart (:func:`kb.text.problems.joined`)."""
    return problems.joined(ws, model.index)


def split_problem(word: str, model: Model) -> list[str]:
    """A problem phrase read as its object and its problem (:func:`kb.text.problems.split_problem`)."""
    return problems.split_problem(word, model.index)


@functools.lru_cache(maxsize=8)
def problem_words(model: Model) -> tuple[str, ...]:
    """:data:`PROBLEM` and the words the model puts nearest to 不足 and 不强 (较弱, 偏弱, 不高 …)."""
    near = [n for w in ("不足", "不强") for n, _ in model.neighbours(w, 12, 0.78) if is_problem(n) or len(n) == 2]
    return tuple(dict.fromkeys([*PROBLEM, *near]))


def _slot(w: str, own: list[str], model: Model, alone: bool, k: int) -> tuple[tuple[str, float], ...]:
    """A word's slot: itself, then the problem words for a problem word, else its neighbours
    (none that holds it or lies inside it: 夜间 is broader than 夜间经济, and a word that holds
    the term is an exact match)."""
    kind = DIFFICULTY if w in DIFFICULTY else problem_words(model) if is_problem(w) else None
    if kind is not None:
        return ((w, 1.0), *((n, PROBLEM_SIM) for n in kind if n != w))
    near = model.neighbours(w, k, MIN_SIM_ALONE if alone else MIN_SIM)
    if alone:  # a neighbour found alone must be the word's near twin: each among the other's two nearest
        near = [(n, s) for n, s in near if w in (x for x, _ in model.neighbours(n, 2, 0.0))]
    return ((w, 1.0), *((n, s) for n, s in near if n not in own and n not in w and w not in n))


def expand(ws: list[str], model: Model | None, k: int = K) -> Expansion | None:
    """The expansion of a term cut into ``ws`` (its jieba words, rejoined where the model knows
    the whole: :func:`joined`): each content word with its ``k`` nearest words (cosine ≥
    :data:`MIN_SIM`, or :data:`MIN_SIM_ALONE` for a term of one word), a problem word with the
    others of its kind. None when the model knows none of the words or finds no neighbour."""
    if model is None:
        return None
    own = _term_words(ws, model)
    if not own:
        return None
    slots = [_slot(w, own, model, len(own) == 1, k) for w in own]
    if all(len(slot) == 1 for slot in slots):
        return None
    return Expansion(tuple(slots), tuple(w for w in own if any(n + w in own for n in NEGATIONS)), _answer(own))


def _term_words(ws: list[str], model: Model) -> list[str]:
    """The words of a term that make its slots: its content words (:func:`joined`) and a problem word of one
    character with an opposite (窄 of 覆盖面窄), once each, in order."""
    return list(dict.fromkeys(w for w in joined(ws, model) if is_content(w) or w in OPPOSITE))


def _answer(own: list[str]) -> tuple[str, ...]:
    """The words that answer a term of the words ``own``: :data:`REMEDY`'s, then the opposites of its
    problem words (:func:`opposites`)."""
    return tuple(dict.fromkeys((*REMEDY, *(o for w in own for o in opposites(w)))))


_active: list[Path | None] = [None]
_here: contextvars.ContextVar[Path | None] = contextvars.ContextVar("meaning_model", default=None)


def use(path: Path | None) -> None:
    """Expand queries with the model in ``path`` (an index generation's grown model) from now
    on, where no :func:`using` says otherwise; None: the shipped one."""
    _active[0] = Path(path) if path is not None else None


@contextlib.contextmanager
def using(path: Path | None) -> Iterator[None]:
    """Expand queries with the model in ``path`` within this block (this thread or task only: a
    knowledge base's reads use its own index's model, whatever other indexes a process opened)."""
    token = _here.set(Path(path) if path is not None else None)
    try:
        yield
    finally:
        _here.reset(token)


def active() -> Model | None:
    """The model queries are expanded with (:func:`using`, else :func:`use`), or the shipped one."""
    path = _here.get() or _active[0]
    return load(path) if path is not None and path.is_file() else load()


# -- a paragraph close in meaning to the query as a whole -----------------------------------

#: the cosine a paragraph's vector (the shipped model's, :meth:`Model.text_vector`) must reach with
#: the query's, once the direction all the corpus's paragraphs share is taken out of both, for the
#: paragraph to come in by the meaning of the whole query (:mod:`kb.engines.embedded.whole`)
WHOLE_MIN_SIM = 0.5
#: … when the other matches already fill a page (``Ranking.whole_fill``): only the closest come in (a
#: paragraph of 林长制 is at 0.57 of 河长制, another measure of the same family)
WHOLE_MANY_SIM = 0.6
#: the cosine down to which the next closest paragraphs fill the answer (to :data:`WHOLE_TOP` in all)
#: when the other matches are fewer than a page (``Ranking.whole_fill``): about one standard deviation
#: of a query's cosines with all paragraphs (0.17-0.23 on every judged corpus), so the paragraphs closer
#: than most; 0.3 until issue 27's sixth round, when a relevant paragraph that one sentence of answers
#: (配备专门的法治部门 for 法治机构不健全, at 0.23) was never returned
WHOLE_FILL_SIM = 0.2
#: paragraphs at WHOLE_MIN_SIM or more it brings in at most, the closest first; and, when the other
#: matches are fewer than a page, the paragraphs in all it fills to (a page and the next: 20 until issue
#: 27's sixth round, when the 21st-40th closest of a query with no other match were never returned)
WHOLE_TOP = 40
#: … and when the other tiers found something (the reports speak of the query in its own words), the
#: paragraphs in all it takes or fills to (issue 27's tenth round: a real query's answers worded otherwise
#: were cut at 40 -- 49 of the never-returned relevant paragraphs of held-out 5 and 6 came at 41-200); a
#: query nothing else matches keeps :data:`WHOLE_TOP` (no more invented hits for a query with no answer)
WHOLE_TOP_ANSWERED = 100


def query_vector(ws: list[str], model: Model | None) -> np.ndarray | None:
    """The vector of a query cut into ``ws`` (its content words, rejoined where the model
    knows the whole: :func:`joined`), None when the model knows none of them."""
    if model is None:
        return None
    return model.text_vector(content_words(joined(ws, model)))


#: the share of a query's characters that words the model knows must cover for the meaning of the
#: whole query to be taken (双随机一公卡, a typo, is not the meaning of its one known piece 随机)
WHOLE_COVER = 0.6


def whole_vector(ws: list[str], model: Model | None) -> np.ndarray | None:
    """The vector of a query cut into ``ws`` as the meaning of the whole query takes it
    (:func:`even_vector`), None when the words the model knows cover less than
    :data:`WHOLE_COVER` of its letters (words of no meaning of their own, :data:`STOP`, cover none:
    没有这个词组合xyz is not the meaning of 没有 · 组合)."""
    if model is None:
        return None
    ws = [_as_known(w, model) for w in joined(ws, model)]
    letters = sum(len(w) for w in ws if any(c.isalnum() for c in w))
    known = sum(len(w) for w in ws if w in model.index and is_content(w))
    return even_vector(content_words(ws), model) if letters and known >= WHOLE_COVER * letters else None


#: how much the plain mean of a query's words adds to their mean weighted by rarity in the whole query's
#: vector (:func:`even_vector`; 0: the weighted mean alone, as until issue 27's seventh round)
WHOLE_PLAIN = 1.0


def even_vector(ws: list[str], model: Model) -> np.ndarray | None:
    """The whole query's vector of the words ``ws``: their mean weighted by rarity, as every paragraph's
    (:meth:`Model.text_vector`: a / (a + p(w))), plus :data:`WHOLE_PLAIN` times their plain mean, each of
    length 1, the sum of length 1. The weighted mean alone leans on the query's rarest word, so that
    paragraphs near it alone (严厉查处 · 非法 for 违规占用耕地; 层层加码 for 执法一刀切) fill the first page;
    each word counting evenly as well keeps the query's other words in it. None without a known word."""
    v = model.text_vector(ws)
    ids = [i for w in ws if (i := model.index.get(w)) is not None]
    plain = model.vectors[ids].mean(axis=0) if ids else None
    n = float(np.linalg.norm(plain)) if plain is not None else 0.0
    if v is None or not n or not WHOLE_PLAIN:
        return v
    out = v + WHOLE_PLAIN * plain / n
    return out / max(float(np.linalg.norm(out)), 1e-6)


#: the cosine with the query's most specific word a word of the corpus must reach for the corpus to speak of
#: the query at all (:func:`cover_words`); issue 27's ninth round: 26 of 30 queries on things no seed
#: report speaks of (嫦娥探月卫星, 光伏发电) got 3-29 whole-query hits each, through words such as 测试,
#: 共性, 宝丰, none of them near 卫星 or 光伏
WHOLE_WORD_SIM = 0.6
WHOLE_WORD_K = 300  # words near it that may say it


def cover_words(ws: list[str], model: Model | None) -> list[str] | None:
    """The words one of which some paragraph must hold for paragraphs to come in by the meaning of the whole
    query (cut into ``ws``) when nothing else matches it: the query's most specific word (the fewest uses in
    the model's reports) that the model knows and that says no problem (:func:`is_hard`: 不足 is near every
    shortfall in every field), and its :data:`WHOLE_WORD_K` nearest at :data:`WHOLE_WORD_SIM` or more (卫星:
    北斗, 遥感 …; 上访: 越级, 信访 …). None: no such check (no model, or a query of problem words alone)."""
    if model is None:
        return None
    own = [w for w in content_words(joined(ws, model)) if w in model.index and not is_hard(w)]
    if not own:
        return None
    rarest = min(own, key=lambda w: int(model.counts[model.index[w]]))
    return [rarest, *(n for n, _ in model.neighbours(rarest, WHOLE_WORD_K, WHOLE_WORD_SIM))]


def _as_known(word: str, model: Model) -> str:
    """A word of a query as the meaning of the whole query takes it: a word that says something falls
    short which the model does not know (不规范, 不到位: jieba's words, rare in the reports) as the
    word of its kind it knows (不足); any other word as it is."""
    if word in model.index or not is_problem(word):
        return word
    return next((w for w in PROBLEM if w in model.index), word)


def closest_words(vector: np.ndarray, ws: list[str], model: Model, k: int = 3, min_sim: float = 0.3) -> list[str]:
    """The words of ``ws`` (a paragraph's) nearest to ``vector`` (a query's), nearest first:
    what a paragraph close to the query as a whole says it through."""
    own = [w for w in content_words(ws) if w in model.index]
    sims = [(float(model.vector(w) @ vector), w) for w in own]
    return [w for s, w in sorted(sims, reverse=True)[:k] if s >= min_sim]


def whole_match(query_ws: list[str], text_ws: list[str]) -> list[str] | None:
    """The words of a paragraph (cut into ``text_ws``) through which it is close in meaning to a query (cut
    into ``query_ws``) as a whole (the paragraph's vector in the shipped model, the query's in the model in
    use): its words nearest to the query, at a cosine of 0.3 or more, else its nearest three whatever their
    cosine (the engine decided it close, with the corpus's common direction taken out, which only it knows:
    :mod:`kb.engines.embedded.whole`; until stop 38 nothing under a plain cosine of 0.3, so that such a hit
    said 词语相近 and the query's words, none of them in it); None without vectors."""
    shipped, model = load(), active()
    q = whole_vector(query_ws, model)
    v = shipped.text_vector([w for w in text_ws if is_content(w)]) if shipped is not None and q is not None else None
    if v is None:
        return None
    return closest_words(q, text_ws, shipped) or closest_words(q, text_ws, shipped, min_sim=-1.0) or None

"""Abbreviations: a term's short forms, found in the model of meaning (:mod:`kb.text.meaning`).

Work reports shorten a measure of two words to a word of two or three characters taken from them in order:
违法建设 → 违建, 征地拆迁 → 征迁, 招标投标 → 招投标, 电信网络诈骗 → 电诈, 防汛抗旱 → 防抗. A query of the long form
never finds the short one exactly, and its expansion by meaning goes word by word (违法 · 建设), so that
neither does it: the paragraphs of 违建 and 两违 were never returned (issue 27, the tenth round).

A short form here is a word of the model (learned from the reports' words and their contexts, grown with the
user's corpus at every build: :mod:`kb.text.growth`) that

- has two or three characters, taken in order from a span of the term's words (each a word of the model, of
  two characters, or one word of four or more), the first character the
  span's first and the last in the span's last word (in its second half for a span of one word of four
  characters or more): 违建 of 违法 · 建设, 环保 of 环境保护 -- so a word inside the term (违法) is none;
- is used in the same contexts as the long form: its cosine with one of the span's words, or with their mean,
  is at least :data:`MIN_SIM` (违建 0.72 with 违法, 征迁 0.81 with 拆迁, 招投标 0.84; 综改 of 综合行政执法改革
  0.33, 开设 of 开发区建设 0.01, 电网 of 电信网络 0.31 are not).

Its near twins (cosine :data:`VARIANT_SIM`) that hold it in order with the same first character are other
long forms of the same short one (违章建筑 of 违建), found too. All of it is computed from the term and a
model file, so that both engines (the embedded one and a cluster's front) expand a term the same way
(:attr:`kb.engines.query.Term.expansions`): each abbreviation is an expansion whose parts must all be in the
paragraph (the short form in place of the span, the term's other words as they are: only words of a problem,
征迁 · 矛盾 for 征地拆迁矛盾, since another word anywhere in the paragraph says little: 职教 · 发展 for 职业教育发展 is
none), a related match that says 也匹配：违建（简称）.
"""

from __future__ import annotations

import functools

import numpy as np

from kb.text import textnorm
from kb.text.content import is_content
from kb.text.problems import OPPOSITE, is_hard

#: the cosine a short form must reach with a word of its long form (or their mean)
MIN_SIM = 0.6
#: the cosine of another long form with the short form (违章建筑 ~ 违建 0.83)
VARIANT_SIM = 0.8
#: the fewest uses in the model's reports for a short form (a word seen a few times is no abbreviation)
MIN_COUNT = 5
#: at most this many short forms (and as many variants) a term, the nearest first
MAX_FORMS = 3


@functools.lru_cache(maxsize=4)
def _by_first(model) -> dict[str, tuple[int, ...]]:
    """The model's words of two or three Chinese characters by their first character."""
    out: dict[str, list[int]] = {}
    for i, w in enumerate(model.vocab):
        if 2 <= len(w) <= 3 and all(textnorm.is_cjk(c) for c in w) and int(model.counts[i]) >= MIN_COUNT:
            out.setdefault(w[0], []).append(i)
    return {c: tuple(ids) for c, ids in out.items()}


def in_order(short: str, long: str) -> bool:
    """Whether the characters of ``short`` stand in ``long`` in this order (not necessarily together)."""
    it = iter(long)
    return all(c in it for c in short)


def _spans(ws: list[str]) -> list[tuple[int, int]]:
    """The spans (start, end) of the words ``ws`` a short form may stand for: two words or more of two characters
    each (a short form takes a character or two of each: 违法 · 建设; 国企 of 国有 · 企业亏损 would leave out 亏损), or one
    word of four characters or more, of Chinese characters, longest first."""
    out = []
    for i in range(len(ws)):
        for j in range(len(ws), i, -1):
            text = "".join(ws[i:j])
            short_words = j - i == 1 or all(len(w) == 2 for w in ws[i:j])
            if len(text) >= 4 and all(textnorm.is_cjk(c) for c in text) and short_words:
                out.append((i, j))
    return sorted(out, key=lambda s: (s[0] - s[1], s[0]))


def _fits(short: str, span: list[str], text: str) -> bool:
    """Whether ``short`` is shaped as an abbreviation of the words ``span`` (written ``text``: their
    characters in order, the first the span's, the last in its last word, none a piece of the term)."""
    if short in text or not in_order(short, text):
        return False
    tail = span[-1] if len(span) > 1 else span[0][2:]
    return short[-1] in tail and in_order(short[1:], text[1:])


def _sim(i: int, span: list[str], model) -> float:
    """The cosine of the word ``i`` with the nearest of the span's words the model knows, or their mean."""
    ids = [k for w in span if (k := model.index.get(w)) is not None]
    if not ids:
        return 0.0
    v = model.vectors[i]
    mean = model.vectors[ids].mean(axis=0)
    n = float(np.linalg.norm(mean))
    return max(float(np.max(model.vectors[ids] @ v)), float(mean @ v) / n if n else 0.0)


def short_forms(ws: list[str], model) -> list[tuple[int, int, str, float]]:
    """The short forms of the words ``ws`` (a term's jieba words, rejoined where the model knows the whole):
    (start, end, short form, cosine) of the span each stands for, nearest first, at most :data:`MAX_FORMS`."""
    if model is None:
        return []
    term = "".join(ws)
    found: dict[str, tuple[int, int, str, float]] = {}
    by_first = _by_first(model)
    for i, j in _spans(ws):
        span, text = ws[i:j], "".join(ws[i:j])
        if not all(w in model.index for w in span):  # 国有 · 企业亏损: 国企 is not what the term says
            continue
        for k in by_first.get(text[0], ()):
            short = model.vocab[k]
            if short in found or short in term or not _fits(short, span, text):
                continue
            sim = _sim(k, span, model)
            if sim >= MIN_SIM:
                found[short] = (i, j, short, sim)
    return sorted(found.values(), key=lambda f: -f[3])[:MAX_FORMS]


def variants(short: str, span: list[str], term: str, model) -> list[str]:
    """Other long forms of the short form ``short`` of the words ``span`` (its near twins that hold it in order,
    starting as it does, and near the span's words as the short form is: 违章建筑 of 违建, 0.76 with 违法; 光电子
    of 光电 is not one of 光伏 · 发电, 0.49), none the term itself or holding it."""
    return [n for n, _ in model.neighbours(short, 8, VARIANT_SIM)
            if n[0] == short[0] and len(n) > len(short) and in_order(short, n) and term not in n and n != term
            and n not in term and _sim(model.index[n], span, model) >= MIN_SIM][:MAX_FORMS]


def abbreviations(ws: list[str], model) -> list[tuple[str, tuple[str, ...]]]:
    """A term's abbreviations and their other long forms, as (label, parts): all the parts in a paragraph say
    the term (违法建设 → ('违建（简称）', ('违建',)), ('违章建筑（违建）', ('违章建筑',)); 征地拆迁矛盾 →
    ('征迁（简称）', ('征迁', '矛盾')))."""
    term = "".join(ws)
    out: dict[tuple[str, ...], str] = {}
    for i, j, short, _ in short_forms(ws, model):
        rest = [w for w in ws[:i] + ws[j:] if is_content(w) or w in OPPOSITE]  # 窄 of 覆盖面窄, not 进
        if not all(is_hard(w) for w in rest):  # anywhere in the paragraph, another word would say little (发展)
            continue
        out.setdefault((short, *rest), f"{short}（简称）")
        for v in variants(short, ws[i:j], term, model):
            out.setdefault((v, *rest), f"{v}（{short}）")
    return [(label, parts) for parts, label in out.items()]

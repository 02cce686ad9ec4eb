"""Words related in meaning for plan versus delivery (search step, part of :mod:`kb.search.plans`).

An item's word said in other words by the next report (竣工 said 建成) is found through a
:class:`Similarity`: the concepts of ``kb/data/concepts.toml`` (:class:`ConceptSimilarity`) and
the meaning model (:class:`MeaningSimilarity`, :mod:`kb.text.meaning`), whose nearest words are
looked for among the next report's own words only.
"""

from __future__ import annotations

import functools
import re
from typing import Protocol

from kb.enrich import concepts
from kb.text import among, meaning, words

#: The meaning model's neighbours of an item's word: how many, how near, how much they count.
MEANING_K, MEANING_MIN, MEANING_WEIGHT = 4, 0.7, 0.7

#: Words that say what is done to a thing, not which thing: they count little.
_LIGHT = set("推进 推动 加快 实施 建设 开展 深化 启动 争取 力争 确保 加强 落实 提升 提高 完善 健全 支持 扩大 "
             "实现 抓好 做好 积极 大力 持续 进一步 全面 新 一批 等 和 及 与 的 了 在 为 以 年 今年 全年 左右 "
             "以上 以内 达到 增长 完成 新增 控制 重点 项目 工作 有序 稳步 着力 深入 不断 全力 切实 继续".split())
_CJK = re.compile(r"[\u4e00-\u9fff]")


class Similarity(Protocol):
    """Words related in meaning to a word, each with a weight in (0, 1]: the place where
    a meaning model (word vectors trained on the corpus) plugs into the matcher."""

    def related(self, word: str) -> list[tuple[str, float]]: ...


class ConceptSimilarity:
    """Related words from the concepts (``kb/data/concepts.toml``): a measure's other names
    and parts, each weighted 0.8."""

    def related(self, word: str) -> list[tuple[str, float]]:
        return _concept_related(word)


@functools.lru_cache(maxsize=65536)
def _concept_related(word: str) -> list[tuple[str, float]]:
    return [(part, 0.8) for e in concepts.expansions(word) for part in e.parts]


class MeaningSimilarity:
    """Related words from the concepts and from the meaning model (:mod:`kb.text.meaning`, word
    vectors learned from the reports): a word's nearest words in meaning among ``vocabulary``
    (the next report's words: only they can be found there), each weighted by its similarity
    times :data:`MEANING_WEIGHT`, after the concepts' words. Without a model, the concepts alone."""

    def __init__(self, vocabulary: list[str], model: meaning.Model | None = None, said: str = "") -> None:
        model = model if model is not None else meaning.load()
        self.among = among.Among(model, vocabulary) if model is not None else None
        self.said = said  # a word the report says itself needs no other words
        self._said_pairs = {said[i:i + 2] for i in range(len(said) - 1)}  # to look in ``said`` less
        self._memo: dict[str, list[tuple[str, float]]] = {}

    def related(self, word: str) -> list[tuple[str, float]]:
        found = self._memo.get(word)
        if found is None:
            near = self.among.nearest(word, MEANING_K, MEANING_MIN) if self._wanted(word) else []
            found = self._memo[word] = self._merged(word, near)
        return found

    def _wanted(self, word: str) -> bool:
        return self.among is not None and word not in _LIGHT and not self._says(word)

    def _says(self, word: str) -> bool:
        """Whether the report says ``word``: its character pairs first (a set), then the text."""
        return all(word[i:i + 2] in self._said_pairs for i in range(len(word) - 1)) and word in self.said

    def prefetch(self, texts: list[str]) -> None:
        """Look up the words of ``texts`` (a plan's items) at once: one product of matrices."""
        ws = [w for w in dict.fromkeys(w for t in texts for w in words.cut(t))
              if len(w) >= 2 and w not in self._memo and w not in _LIGHT and _CJK.search(w)]
        wanted = [w for w in ws if self._wanted(w)]
        near = self.among.nearest_many(wanted, MEANING_K, MEANING_MIN) if wanted and self.among else {}
        for w in ws:
            self._memo[w] = self._merged(w, near.get(w, []))

    @staticmethod
    def _merged(word: str, near: list[tuple[str, float]]) -> list[tuple[str, float]]:
        out = dict(_concept_related(word))
        if word not in _LIGHT:
            for other, sim in near:
                out.setdefault(other, sim * MEANING_WEIGHT)
        return list(out.items())

"""Content words: the words of a query or a paragraph worth a vector of meaning (:mod:`kb.text.meaning`)
and worth reading as a problem's object (:mod:`kb.text.problems`)."""

from __future__ import annotations

import functools

from kb.text import textnorm

#: words that carry no meaning of their own in a query or a paragraph
STOP = frozenset("的 了 和 与 及 等 在 是 对 为 把 将 以 于 从 向 由 被 并 也 都 就 而 或 其 这 那 之 "
                 "进一步 加强 推进 推动 全面 持续 深入 积极 不断 切实 着力 有效 工作 开展 实施 坚持 "
                 "我们 一是 二是 三是 四是 五是 "
                 # pronouns and demonstratives: what they point at is the meaning, not they
                 "这个 那个 这些 那些 这样 那样 这里 那里 什么 怎么 怎样 如何 哪些 某些 有些 一些 一个".split())


@functools.lru_cache(maxsize=1 << 18)
def is_content(word: str) -> bool:
    """A word worth a vector: two characters or more of Chinese, or a Latin/number token
    (remembered: a build asks for every word of every paragraph)."""
    if not word or word in STOP:
        return False
    if textnorm.is_cjk(word[0]):
        return len(word) >= 2
    return word.isalnum() and len(word) >= 2


def content_words(ws: list[str]) -> list[str]:
    """The words of ``ws`` worth a vector, once each, in order."""
    return list(dict.fromkeys(w for w in ws if is_content(w)))

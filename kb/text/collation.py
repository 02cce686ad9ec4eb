"""Collation: Chinese names in the order Chinese readers look them up, by pinyin.

Wherever a list is sorted by a name (the agency list and its columns, the facets' values of
equal count, a figure table's agencies, a regulation's mentions, the reports of a year), the
names stand in the order of their pinyin, syllable by syllable and tone by tone (宝丰县 bao3,
巨鹿县 ju4, 黎平县 li2, 南阳市 nan2, 天津市 tian1), as a dictionary or a 按拼音排序 list has them, not in
the order of their code points (南 天 宝 巨 黎). ``pypinyin`` reads the syllables, words first
(重庆 chong2 qing4); its dictionaries are loaded on the first name sorted. A traditional form
sorts as its simplified one; letters and digits keep their own order.
"""

from __future__ import annotations

import functools

from kb.text.textnorm import folded


@functools.lru_cache(maxsize=1)
def _reader():
    from pypinyin import Style, lazy_pinyin  # noqa: PLC0415 (its dictionaries: only when a list is sorted)

    return functools.partial(lazy_pinyin, style=Style.TONE3, errors="default")


@functools.lru_cache(maxsize=65536)
def name_key(name: str) -> tuple:
    """The key that sorts ``name`` by pinyin (ties: the name itself, so that the order is total)."""
    text = folded(name) if not name.isascii() else name
    return tuple(_reader()(text)), name


def by_name(names) -> list[str]:
    """``names`` sorted by :func:`name_key`."""
    return sorted(names, key=name_key)

"""Word segmentation: a jieba-compatible adapter over rjieba (jieba-rs).

rjieba cuts text into the same Chinese words as jieba 0.42.1, about 16 times faster,
loads in milliseconds and logs nothing. This module is the only place that knows the
engine; everything else asks for :func:`tokenize` or :func:`cut`.

The user dictionary (``kb/data/userdict.txt``, the field's terms such as 双随机一公开 and
首违不罚) is loaded into the one segmenter used at index and at query time, so the two
always cut alike. Its checksum is recorded in the index (see :mod:`kb.build`).
"""

from __future__ import annotations

import hashlib
import threading
from functools import lru_cache
from pathlib import Path

import rjieba

USERDICT = Path(__file__).parents[1] / "data" / "userdict.txt"

_lock = threading.Lock()


def read_userdict(path: Path = USERDICT) -> list[tuple[str, int | None, str | None]]:
    """The entries of a jieba user dictionary: (word, freq or None, tag or None)."""
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        word = parts[0]
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        tag = parts[2] if len(parts) > 2 else None
        entries.append((word, freq, tag))
    return entries


@lru_cache(maxsize=1)
def segmenter() -> rjieba.Jieba:
    """The shared segmenter with the user dictionary loaded (built once per process)."""
    with _lock:
        jb = rjieba.Jieba()
        for word, freq, tag in read_userdict():
            # suggest_freq gives the frequency that keeps the word whole.
            jb.add_word(word, max(freq or 0, jb.suggest_freq(word)), tag)
        return jb


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """(word, start, end) for every word of ``text``, offsets in characters."""
    return segmenter().tokenize(text, "default", True)


#: search-mode tokens kept for a second ask (:func:`search_tokens`), at most KEPT_TEXTS texts
_kept: dict[str, list[tuple[str, int, int]]] = {}
KEPT_TEXTS = 256


def search_tokens(text: str, keep: bool = False) -> list[tuple[str, int, int]]:
    """(word, start, end) for every word of ``text`` in search mode (the parts of a long word
    that are words too, before it). ``keep``: kept for the next ask of the same text, which takes
    them (a build's topics cut a paragraph's text for its whole words, then its analysis cuts it
    again: :mod:`kb.enrich.topics`, :func:`kb.engines.embedded.writer.analyze_all`); at most
    :data:`KEPT_TEXTS` are kept (all dropped when full). The list is shared: not to be changed."""
    tokens = _kept.pop(text, None)
    if tokens is None:
        tokens = segmenter().tokenize(text, "search", True)
    if keep:
        if len(_kept) >= KEPT_TEXTS:
            _kept.clear()
        _kept[text] = tokens
    return tokens


def cut(text: str) -> list[str]:
    """The words of ``text``."""
    return segmenter().cut(text, True)


def tag(text: str) -> list[tuple[str, str]]:
    """(word, part-of-speech tag) for every word of ``text`` (jieba's tags: ns place, v verb …)."""
    return segmenter().tag(text, True)


def dictionary_checksum() -> str:
    """A checksum of the user dictionary, recorded in the index."""
    return hashlib.sha256(USERDICT.read_bytes()).hexdigest()[:16]

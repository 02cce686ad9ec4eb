"""Words as bytes: how the model files of meaning (:mod:`kb.text.meaning`, :mod:`kb.text.growth`)
keep their words. A numpy array of strings is as wide as its longest word in UTF-32 (seven
times the bytes of a corpus's grown words); these are UTF-8, each word ended by a NUL."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np


def words_bytes(words: Iterable[str]) -> np.ndarray:
    """Words as one array of UTF-8 bytes, each ended by a NUL."""
    return np.frombuffer("".join(w + "\0" for w in words).encode("utf-8"), dtype=np.uint8)


def words_of(data: np.ndarray) -> list[str]:
    """The words of :func:`words_bytes`."""
    return data.tobytes().decode("utf-8").split("\0")[:-1]

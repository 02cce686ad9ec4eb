"""Cache: a small thread-safe LRU for what one index generation answers again and again.

Everything cached is derived from one generation of the index (see :class:`kb.engines.protocol.Engine`,
whose ``cache`` dict holds these), so nothing needs invalidating: a rebuild opens a new
generation with empty caches. Nothing is put while the current read is short
(:mod:`kb.core.shortfall`: a cluster shard did not answer), so a short answer is never served again.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from kb.core import shortfall


class LRU:
    """At most ``size`` items and, when ``max_bytes`` is given, at most that many bytes
    of the sizes given to :meth:`put` (the least recently used go first)."""

    def __init__(self, size: int, max_bytes: int | None = None):
        self.size = size
        self.max_bytes = max_bytes
        self._items: OrderedDict = OrderedDict()
        self._bytes: dict = {}
        self._total = 0
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key, value, nbytes: int = 0) -> None:
        if shortfall.short():
            return
        with self._lock:
            self._total += nbytes - self._bytes.pop(key, 0)
            self._items[key] = value
            self._bytes[key] = nbytes
            self._items.move_to_end(key)
            while len(self._items) > self.size or (self.max_bytes is not None and self._total > self.max_bytes
                                                   and len(self._items) > 1):
                old, _ = self._items.popitem(last=False)
                self._total -= self._bytes.pop(old, 0)

    def __len__(self) -> int:
        return len(self._items)


def remember(cache: dict, name: str, compute):
    """The value called ``name`` in a generation's cache dict, computed by ``compute()`` the first
    time; kept only if that read was whole (:mod:`kb.core.shortfall`), else computed again next time."""
    if name in cache:
        return cache[name]
    value = compute()
    if not shortfall.short():
        cache[name] = value
    return value


def of(cache: dict, name: str, size: int, max_bytes: int | None = None) -> LRU:
    """The LRU called ``name`` in a generation's cache dict (made on first use)."""
    lru = cache.get(name)
    if lru is None:
        lru = cache.setdefault(name, LRU(size, max_bytes))
    return lru

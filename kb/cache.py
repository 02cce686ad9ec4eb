"""Cache: a small thread-safe LRU for what one index generation answers again and again.

Everything cached is derived from one generation of the index (see :class:`kb.engine.Engine`,
whose ``cache`` dict holds these), so nothing needs invalidating: a rebuild opens a new
generation with empty caches.
"""

from __future__ import annotations

import threading
from collections import OrderedDict


class LRU:
    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key, value) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


def of(cache: dict, name: str, size: int) -> LRU:
    """The LRU called ``name`` in a generation's cache dict (made on first use)."""
    lru = cache.get(name)
    if lru is None:
        lru = cache.setdefault(name, LRU(size))
    return lru

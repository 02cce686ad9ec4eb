"""Freshness: when a cluster's engine (:mod:`kb.engines.sphinx.engine`) reads the push stamp again.

Every push ends by writing a new stamp on the front; an engine whose stamp is no longer the
cluster's is opened again. The stamp is read at most once every ``refresh`` seconds (the
settings' ``refresh``, ``$KB_REFRESH``), and then beside the read that finds it due, in a thread
of the client's pool: no round trip of its own when the read makes one. After the read,
:meth:`Freshness.settled` waits for it; a newer push makes :meth:`kb.knowledgebase.KnowledgeBase.read`
read again on the engine opened anew. A push this process made (:func:`catalog.pushes`) is seen
at once. docs/CLUSTER.md, "Freshness: the push stamp".
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass, field

from kb.engines.sphinx.catalog import pushes, stamp
from kb.engines.sphinx.client import Client, beside


@dataclass
class Freshness:
    """The push stamp checks of one opened engine (of generation ``generation``)."""

    client: Client
    url: str
    generation: str
    refresh: float = 1.0  # seconds a push stamp read stays good
    checked: float = field(default_factory=time.monotonic)  # when the stamp last named this generation
    pushed: int = 0  # this process's pushes to the cluster when it did (catalog.pushes)
    pending: tuple[Future, int, float] | None = None  # the stamp read beside a read: trips made before, begun
    stale: bool = False  # a push changed the stamp since the engine opened
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def current(self) -> bool:
        """False once a push changed the cluster.

        The push stamp is read at most once every :attr:`refresh` seconds, and then beside
        the read that asked (started here, in a thread of the client's pool: no trip of its
        own when the read makes one); :meth:`settled` says after the read whether it named
        this generation still. A push this process made is seen at once (read here)."""
        if self.stale:
            return False
        if pushes(self.url) != self.pushed:
            self.pushed = pushes(self.url)
            return self._confirm(stamp(self.client), time.monotonic())
        if time.monotonic() - self.checked >= self.refresh:
            self._begin_check()
        return not self.stale

    def _begin_check(self) -> None:
        """Start reading the stamp beside the read that asks, unless a read of it is under way;
        one already done (begun before this read) is settled first, and a new one begun if the
        stamp is still due."""
        with self._lock:
            done, self.pending = (self.pending, None) if self.pending and self.pending[0].done() else (None, self.pending)
        if done is not None:
            self._settle(done)
        with self._lock:
            if self.pending is None and not self.stale and time.monotonic() - self.checked >= self.refresh:
                self.pending = (beside(stamp, self.client, False), self.client.made(), time.monotonic())

    def settled(self) -> bool:
        """Whether the stamp read beside the last read (if one was due) names this generation
        still: waits for it (one trip of its own, ``stamp``, if the read made none: an answer
        from the cache). False: that read may be from before a push (read it again)."""
        with self._lock:
            check, self.pending = self.pending, None
        return self._settle(check) if check is not None else not self.stale

    def _settle(self, check: tuple[Future, int, float]) -> bool:
        """Whether the stamp a check begun by :meth:`_begin_check` read names this generation."""
        future, made, began = check
        now = future.result()
        if self.client.made() == made:  # the read waited for the stamp alone
            self.client.count("stamp")
        return self._confirm(now, began)

    def _confirm(self, now: str, began: float) -> bool:
        """Whether the stamp ``now``, read from ``began`` on, names this generation (then good
        for :attr:`refresh` seconds from ``began``)."""
        if now != self.generation:
            self.stale = True
            return False
        self.checked = max(self.checked, began)
        return True

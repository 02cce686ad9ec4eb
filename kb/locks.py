"""Locks: one writer at a time, across processes, for the corpus and for the index.

``kb import`` writes reports into the corpus and then builds; ``kb build`` reads the
corpus and writes a new index generation. Each holds an exclusive lock on the corpus
folder (and the build also on ``index/.lock``) from start to end, so two imports, or an
import and a build, never interleave: the second one is refused at once, before it has
written anything, with a message that says so -- no report is half-imported or left
out of the index it was promised to.

The locks are ``flock`` locks: the kernel releases them when the process ends, however
it ends (SIGKILL included), so a killed build never leaves a stale lock behind. Readers
(searches, the web site) take no lock at all: they read complete generations only.

A lock is re-entrant within a thread, so an import that holds the corpus lock can run
the build that takes it again.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kb.errors import Busy

BUSY = ("另一个 kb build / kb import 正在运行 (another build is running, or an import); "
        "nothing was changed: try again when it ends")

_held = threading.local()


@contextmanager
def exclusive(path: Path) -> Iterator[None]:
    """Hold the exclusive lock of ``path`` (a folder, or a file created if missing),
    or raise :class:`Busy` at once if another process (or thread) holds it."""
    path = Path(path)
    key = os.path.realpath(path)
    held: set[str] = _held.__dict__.setdefault("paths", set())
    if key in held:  # this thread holds it already
        yield
        return
    if path.is_dir():
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    else:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Busy(BUSY) from None
        held.add(key)
        try:
            yield
        finally:
            held.discard(key)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)

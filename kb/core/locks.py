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
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kb.core.errors import Busy

BUSY = ("另一个 kb build / kb import 正在运行 (another build is running, or an import); "
        "nothing was changed: try again when it ends")

_held = threading.local()
_fds: set[int] = set()  # descriptors of the locks this process holds


def _after_fork_in_child() -> None:
    """In a forked child (the index writer processes): drop the inherited lock
    descriptors, so that a build killed while its workers run does not leave them
    holding the lock, and die with the parent instead of waiting for jobs forever."""
    for fd in list(_fds):
        try:
            os.close(fd)
        except OSError:
            pass
    _fds.clear()
    _held.__dict__.clear()
    try:
        import ctypes  # noqa: PLC0415

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


os.register_at_fork(after_in_child=_after_fork_in_child)


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
        _fds.add(fd)
        try:
            yield
        finally:
            _fds.discard(fd)
            held.discard(key)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)

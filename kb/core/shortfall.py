"""Shortfall: whether what is being read now may be short, because a part of the index did
not answer (a shard of a search cluster down or slow), so that every read says so.

A *scope* is one request of the site or one command: :func:`begin` opens it (a context
variable, so threads and requests keep their own), :func:`note` marks it short (the Sphinx
client does, for every statement the front answered with a warning), :func:`short` and
:func:`reason` tell. Nothing is cached while the scope is short (:mod:`kb.core.cache`), the
site adds a banner, an ``X-KB-Partial`` header and ``"partial": true``, the exports a first
line, and the command line a warning and exit status 3. Outside any scope :func:`note` does
nothing; the embedded index is never short.

Once a scope is short, what it reads is kept for the rest of the scope (:func:`hold`,
:func:`recall`: the Sphinx client's answers by statement), so a read that asks the same
again (a comparison by year: the same counts for every year) does not wait for the shard
that did not answer once more; nothing of it outlives the scope.
"""

from __future__ import annotations

from contextvars import ContextVar

_scope: ContextVar[list[str] | None] = ContextVar("kb_shortfall", default=None)
_held: ContextVar[dict | None] = ContextVar("kb_shortfall_held", default=None)


def begin() -> None:
    """Open a new scope (a request, a command): nothing short yet, nothing held."""
    _scope.set([])
    _held.set({})


def hold(key, value) -> None:
    """Keep ``value`` read for ``key`` for the rest of the scope, if the scope is short."""
    held = _held.get()
    if held is not None and short():
        held[key] = value


def drop() -> None:
    """Let go of what :func:`hold` kept (a write changed what was read)."""
    held = _held.get()
    if held:
        held.clear()


def recall(key):
    """What :func:`hold` kept for ``key`` in this short scope, else None."""
    held = _held.get()
    return held.get(key) if held is not None and short() else None


def note(why: str) -> None:
    """Mark the current scope short, for ``why`` (the first reason is kept)."""
    reasons = _scope.get()
    if reasons is not None and not reasons:
        reasons.append(why or "a part of the index did not answer")


def short() -> bool:
    """Whether a read of the current scope may have come back short."""
    return bool(_scope.get())


def reason() -> str:
    """Why the current scope is short ('' if it is not)."""
    reasons = _scope.get()
    return reasons[0] if reasons else ""


def unsure(error: Exception) -> Exception:
    """``error`` as it should be said: a :class:`~kb.core.errors.NotFound` concluded while the
    current scope is short (a report, paragraph or page asked for by id, which may be on the
    shard that did not answer) is :class:`~kb.core.errors.Unavailable` (503) saying so, not a
    404; anything else is itself."""
    from kb.core.errors import NotFound, Unavailable

    if not (isinstance(error, NotFound) and short()):
        return error
    return Unavailable(f"暂时读不到：它可能在没有应答的检索分片上，稍后再试（{error}）(it may be on a shard that did not "
                       f"answer: {reason()})")

"""Shortfall: whether what is being read now may be short, because a part of the index did
not answer (a shard of a search cluster down or slow), so that every read says so.

A *scope* is one request of the site or one command: :func:`begin` opens it (a context
variable, so threads and requests keep their own), :func:`note` marks it short (the Sphinx
client does, for every statement the front answered with a warning), :func:`short` and
:func:`reason` tell. Each read of a scope says what it reads (:func:`reading`: the search's
answer, the spread over the years, a regulation's link …, :data:`PARTS`), so :func:`parts` and
:func:`what` tell which of them came back short: a page whose search answer came whole from the
cache while its chart's read was short says that the chart is, not that its totals are low. Nothing is cached while the scope is short (:mod:`kb.core.cache`), the
site adds a banner, an ``X-KB-Partial`` header and ``"partial": true``, the exports a first
line, and the command line a warning and exit status 3. Outside any scope :func:`note` does
nothing; the embedded index is never short.

Once a scope is short, what it reads is kept for the rest of the scope (:func:`hold`,
:func:`recall`: the Sphinx client's answers by statement), so a read that asks the same
again (a comparison by year: the same counts for every year) does not wait for the shard
that did not answer once more; nothing of it outlives the scope. And the parts that did not
answer are kept (:func:`lose`, :func:`lost`: a cluster's shards), so the scope's later reads ask
the others alone instead of waiting for them again (:mod:`kb.engines.sphinx.leftout`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

#: What a read of a scope reads (:func:`reading`), as an answer's ``partial_reads`` names it, and
#: how a page, a download or the command line says it.
PARTS = {
    "search": "检索结果", "facets": "分面计数", "years": "按年度的分布", "compare": "各单位的对比",
    "regulation": "检索词所指法规的链接", "spellings": "近似写法", "export": "导出的行", "similar": "相似段落",
    "paragraphs": "所列段落", "reports": "报告列表", "report": "报告全文", "plans": "计划与落实",
    "topics": "主题计数", "regulations": "法规提及", "figures": "数字", "other": "部分内容",
}

_scope: ContextVar[list[str] | None] = ContextVar("kb_shortfall", default=None)
_held: ContextVar[dict | None] = ContextVar("kb_shortfall_held", default=None)
_lost: ContextVar[dict | None] = ContextVar("kb_shortfall_lost", default=None)
_parts: ContextVar[list[str] | None] = ContextVar("kb_shortfall_parts", default=None)
_part: ContextVar[str] = ContextVar("kb_shortfall_part", default="other")


def begin() -> None:
    """Open a new scope (a request, a command): nothing short yet, nothing held."""
    _scope.set([])
    _held.set({})
    _lost.set({})
    _parts.set([])


def end() -> None:
    """Close the current scope: what is read after belongs to no request (nothing noted, held or lost)."""
    for v in (_scope, _held, _lost, _parts):
        v.set(None)


@contextmanager
def within() -> Iterator[None]:
    """A scope for what is read inside when none is open (a server's warming before its first
    request): what it reads short is then not cached either; inside an open scope, that one."""
    if _scope.get() is not None:
        yield
        return
    tokens = [(v, v.set(value)) for v, value in ((_scope, []), (_held, {}), (_lost, {}), (_parts, []))]
    try:
        yield
    finally:
        for v, token in reversed(tokens):
            v.reset(token)


@contextmanager
def reading(part: str) -> Iterator[None]:
    """What is read inside is ``part`` (a key of :data:`PARTS`): a note there names it."""
    token = _part.set(part)
    try:
        yield
    finally:
        _part.reset(token)


def lose(where, part) -> None:
    """Note that ``part`` of the index at ``where`` (a cluster's shard) did not answer in this scope."""
    lost = _lost.get()
    if lost is not None:
        lost.setdefault(where, set()).add(part)


def lost(where) -> set:
    """The parts of the index at ``where`` that did not answer in this scope (:func:`lose`)."""
    lost = _lost.get()
    return set(lost.get(where, ())) if lost else set()


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
    parts = _parts.get()
    if parts is not None and _part.get() not in parts:
        parts.append(_part.get())


def short() -> bool:
    """Whether a read of the current scope may have come back short."""
    return bool(_scope.get())


def reason() -> str:
    """Why the current scope is short ('' if it is not)."""
    reasons = _scope.get()
    return reasons[0] if reasons else ""


def parts() -> list[str]:
    """The reads of the current scope that came back short (keys of :data:`PARTS`), in the order
    they did."""
    return list(_parts.get() or [])


def what() -> str:
    """The reads that came back short, as a page says them (检索结果、按年度的分布; '' if none)."""
    return "、".join(PARTS.get(p, p) for p in parts())


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

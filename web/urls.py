"""Links: every URL the pages show is built here from the current parameters.

The URL carries all state (query, filters, page, sort), so every view is a permalink.
Templates only print URLs they are given.
"""

from __future__ import annotations

from urllib.parse import urlencode

from werkzeug.datastructures import MultiDict


def _encode(args: MultiDict) -> str:
    pairs = [(k, v) for k, v in args.items(multi=True) if v not in ("", None)]
    return urlencode(pairs)


def path_with(path: str, args: MultiDict) -> str:
    qs = _encode(args)
    return f"{path}?{qs}" if qs else path


def with_added_arg(path: str, args: MultiDict, name: str, value: str) -> str:
    """The URL with one more value of ``name`` (and back to page 1)."""
    new = MultiDict(args)
    new.poplist("page")
    if value not in new.getlist(name):
        new.add(name, value)
    return path_with(path, new)


def with_removed_arg(path: str, args: MultiDict, name: str, value: str | None = None) -> str:
    """The URL without ``name`` (or without only its ``value``), back to page 1."""
    new = MultiDict(args)
    new.poplist("page")
    kept = [v for v in new.poplist(name) if value is not None and v != value]
    for v in kept:
        new.add(name, v)
    return path_with(path, new)


def with_arg(path: str, args: MultiDict, name: str, value: str | int) -> str:
    """The URL with ``name`` set to ``value`` (replacing it)."""
    new = MultiDict(args)
    new.setlist(name, [str(value)])
    return path_with(path, new)

"""Links: every URL the pages show is built here from the current parameters.

The URL carries all state (query, filters, page, sort), so every view is a permalink.
Templates only print URLs they are given.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

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


def paragraph_url(report_id: str, ordinal: int) -> str:
    """A paragraph's permanent link (no query): what a citation gives."""
    return f"/reports/{quote(report_id)}#p{ordinal}"


def external(source: str) -> str | None:
    """A report's source as a link when it is a web address (http or https only: a file
    path or anything else is shown as text)."""
    source = (source or "").strip()
    return source if re.fullmatch(r"https?://[^\s<>\"']+", source) else None

"""Highlight: find a query's matches in a paragraph and mark them in HTML.

Matches are found with the same units as the index (:mod:`kb.text.textnorm`), so what is
highlighted is exactly what was matched: whole phrases, never scattered sub-words,
at the offsets of the original text (双随机、一公开 is marked as one span, the 、 too).
Everything that is not a ``<mark>`` is HTML-escaped, and control characters (which
have no place in a page, and which Markdown uses for its own placeholders) are shown
as U+FFFD: offsets stay as they are.

A text's unit string (what a term is looked for in) is made in one pass, normalized and split, by
the C module ``kb.text._units`` (``kb/text/_units.c``, built by ``pip install``) for texts on
:mod:`~kb.text.textnorm`'s fast path, by its Python twin otherwise or when the module is not built
(``tests/unit/test_textnorm.py`` checks the two against each other).
"""

from __future__ import annotations

import bisect
import functools
import html
import re
from collections.abc import Iterator

from kb.text import textnorm

try:
    from kb.text import _units
except ImportError:  # not built: the Python twin
    _units = None

SEP = "\x1f"  # between units
BREAK = "\x1e"  # between units with a break between them
EXCERPT_WIDTH = 160
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: what :func:`escape` changes: HTML's five and the control characters
_ESCAPED = re.compile(r"[&<>\"'\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def escape(text: str) -> str:
    """``text`` as HTML text: escaped, control characters replaced one for one."""
    return html.escape(_CONTROLS.sub("\ufffd", text))


@functools.lru_cache(maxsize=1024)
def _unit_string(text: str) -> tuple[str, list[int], list[tuple[int, int, bool]], dict[str, tuple]]:
    """The units of ``text`` as one searchable string, a separator before each (a break
    where one stands): (the string, where each run's first unit starts in it, each run's
    (start, end, chinese) offsets in ``text``, the spans found of each needle looked for so
    far). A run is a run of Chinese characters (a unit each) or one alphanumeric unit. Built
    in one pass (:data:`_units`, else a run at a time) and kept for the texts seen last: a hit's
    text is searched for each term and concept, a term more than once (whether the hit matches
    exactly, what to mark)."""
    if _units is not None:
        found = _units.unit_string(textnorm.to_simplified(text), textnorm.fold_table(), INNER)
        if found is not None:  # a text on the fast path, normalized and split in one pass
            return (*found, {})
    return _built(text, textnorm.normalize(text))


#: the inner marks, as the C module reads them
INNER = textnorm.INNER_STRING


def _built(text: str, normalized: tuple[str, list[int]]) -> tuple[str, list[int], list[tuple[int, int, bool]], dict]:
    """:func:`_unit_string` in Python: the C module's twin, and the way for texts off the fast path."""
    runs = textnorm.unit_runs(text, normalized)
    if runs is None:
        runs = [(key, b, e, gap, False) for key, b, e, gap in textnorm.unit_spans(text)]
    parts: list[str] = []
    places: list[int] = []
    offsets: list[tuple[int, int, bool]] = []
    pos = 0
    for key, b, e, gap, chinese in runs:
        parts.append(BREAK if gap else SEP)
        places.append(pos + 1)
        offsets.append((b, e, chinese))
        parts.append(SEP.join(key) if chinese else key)  # 乡\x1f村\x1f振\x1f兴
        pos += 2 * len(key) if chinese else 1 + len(key)
    parts.append(SEP)
    return "".join(parts), places, offsets, {}


def _offset(places: list[int], offsets: list[tuple[int, int, bool]], i: int, after: bool) -> int:
    """The offset in the text where the unit holding place ``i`` of the unit string starts
    (``after``: ends)."""
    r = bisect.bisect_right(places, i) - 1
    b, e, chinese = offsets[r]
    if not chinese:
        return e if after else b
    return b + (i - places[r]) // 2 + after


def find(text: str, terms_keys: list[list[list[str]]]) -> list[tuple[int, int]]:
    """The (start, end) offsets in ``text`` of every match of every term, merged.

    ``terms_keys`` holds, for each term, its runs of unit keys (``Term.keys``). A term
    of several runs (行政处罚，法律) matches where its runs stand together with one
    break between them.
    """
    s, places, offsets, seen = _unit_string(text)
    spans: list[tuple[int, int]] = []
    for keys in terms_keys:
        needle = BREAK.join(SEP.join(run) for run in keys if run)
        if not needle:
            continue
        found = seen.get(needle)
        if found is None:
            found = seen[needle] = tuple(_places(s, needle, places, offsets))
        spans.extend(found)
    return merge(spans)


def _places(s: str, needle: str, places: list[int], offsets: list[tuple[int, int, bool]]) -> Iterator[tuple[int, int]]:
    """The (start, end) offsets in the text of each place of ``needle`` in its unit string
    ``s``, whole units only."""
    at = s.find(needle)
    while at != -1:
        end = at + len(needle)
        if s[at - 1] in (SEP, BREAK) and end < len(s) and s[end] in (SEP, BREAK):  # whole units
            yield _offset(places, offsets, at, False), _offset(places, offsets, end - 1, True)
        at = s.find(needle, at + 1)


def merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def mark(text: str, spans: list[tuple[int, int]], start: int = 0, end: int | None = None) -> str:
    """``text[start:end]`` HTML-escaped, with every span (offsets in ``text``) in ``<mark>``."""
    end = len(text) if end is None else end
    if start or end != len(text):
        inside = [(max(a, start) - start, min(b, end) - start) for a, b in spans if b > start and a < end]
        return mark(text[start:end], inside)
    esc = escape if _ESCAPED.search(text) else _as_is  # most paragraphs have nothing to escape
    out, last = [], 0
    for a, b in spans:
        out.append(esc(text[last:a]))
        out.append("<mark>" + esc(text[a:b]) + "</mark>")
        last = b
    out.append(esc(text[last:]))
    return "".join(out)


def _as_is(text: str) -> str:
    return text


def window(text: str, spans: list[tuple[int, int]], width: int = EXCERPT_WIDTH) -> tuple[int, int]:
    """The (start, end) of the ``width`` characters of ``text`` with the most matches."""
    if len(text) <= width:
        return 0, len(text)
    if not spans:
        return 0, width
    best, best_count = spans[0][0], -1
    for a, _ in spans:
        start = max(0, min(a - width // 4, len(text) - width))
        count = sum(1 for x, y in spans if x >= start and y <= start + width)
        if count > best_count:
            best, best_count = start, count
    return best, best + width


def excerpt(text: str, spans: list[tuple[int, int]], width: int = EXCERPT_WIDTH) -> str:
    """An HTML excerpt: the best window of ``text``, matches marked, "…" where cut."""
    a, b = window(text, spans, width)
    inside = [(max(x, a) - a, min(y, b) - a) for x, y in spans if y > a and x < b]
    body = mark(text[a:b], inside)
    return ("…" if a > 0 else "") + body + ("…" if b < len(text) else "")

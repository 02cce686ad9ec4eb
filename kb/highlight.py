"""Highlight: find a query's matches in a paragraph and mark them in HTML.

Matches are found with the same units as the index (:mod:`kb.textnorm`), so what is
highlighted is exactly what was matched: whole phrases, never scattered sub-words,
at the offsets of the original text (双随机、一公开 is marked as one span, the 、 too).
Everything that is not a ``<mark>`` is HTML-escaped, and control characters (which
have no place in a page, and which Markdown uses for its own placeholders) are shown
as U+FFFD: offsets stay as they are.
"""

from __future__ import annotations

import functools
import html
import re

from kb import textnorm

SEP = "\x1f"  # between units
BREAK = "\x1e"  # between units with a break between them
EXCERPT_WIDTH = 160
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def escape(text: str) -> str:
    """``text`` as HTML text: escaped, control characters replaced one for one."""
    return html.escape(_CONTROLS.sub("\ufffd", text))


@functools.lru_cache(maxsize=1024)
def _unit_string(text: str) -> tuple[str, dict[int, int], list[int], list[int]]:
    """The units of ``text`` as one searchable string: (the string, the unit that starts
    at each place of it, each unit's start and end offsets in ``text``). Kept for the
    texts seen last (a hit's text is searched for each term and concept); never changed.
    Built a run of Chinese characters at a time where the text allows it (every hit
    shown is read through here)."""
    runs = textnorm.unit_runs(text)
    if runs is None:
        runs = [(key, b, e, gap, False) for key, b, e, gap in textnorm.unit_spans(text)]
    parts: list[str] = []
    starts: list[int] = []
    begin: list[int] = []
    end: list[int] = []
    pos = 0
    for key, b, e, gap, chinese in runs:
        parts.append(BREAK if gap else SEP)
        if chinese:  # one unit a character: 乡\x1f村\x1f振\x1f兴
            n = len(key)
            parts.append(SEP.join(key))
            starts.extend(range(pos + 1, pos + 2 * n, 2))
            begin.extend(range(b, b + n))
            end.extend(range(b + 1, b + n + 1))
            pos += 2 * n
        else:
            parts.append(key)
            starts.append(pos + 1)
            begin.append(b)
            end.append(e)
            pos += 1 + len(key)
    parts.append(SEP)
    return "".join(parts), dict(zip(starts, range(len(starts)), strict=True)), begin, end


def find(text: str, terms_keys: list[list[list[str]]]) -> list[tuple[int, int]]:
    """The (start, end) offsets in ``text`` of every match of every term, merged.

    ``terms_keys`` holds, for each term, its runs of unit keys (``Term.keys``). A term
    of several runs (行政处罚，法律) matches where its runs stand together with one
    break between them.
    """
    s, index_of, begin, finish = _unit_string(text)
    spans: list[tuple[int, int]] = []
    for keys in terms_keys:
        runs = [run for run in keys if run]
        if not runs:
            continue
        needle = BREAK.join(SEP.join(run) for run in runs)
        n_units = sum(len(run) for run in runs)
        at = s.find(needle)
        while at != -1:
            i = index_of.get(at)
            end = at + len(needle)
            if i is not None and s[at - 1] in (SEP, BREAK) and end < len(s) and s[end] in (SEP, BREAK):
                spans.append((begin[i], finish[i + n_units - 1]))
            at = s.find(needle, at + 1)
    return merge(spans)


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
    out, last = [], 0
    for a, b in spans:
        out.append(escape(text[last:a]))
        out.append("<mark>" + escape(text[a:b]) + "</mark>")
        last = b
    out.append(escape(text[last:]))
    return "".join(out)


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

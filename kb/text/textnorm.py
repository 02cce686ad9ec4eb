"""Text normalization: the one definition of "the same characters".

Every other step that compares text goes through here, so that the index, the
query and the highlighter agree on what matches:

- full-width and half-width forms are the same (NFKC: ２０２３ = 2023, （一） = (一));
  Latin letters are lower-cased; traditional characters are simplified (OpenCC t2s,
  only where the length stays): 處罰 = 处罚, in the text and in the query alike;
- a text is a sequence of *units*: one Chinese character, or one run of letters and
  digits (``pm2.5``, ``12345``, ``2023``);
- *inner marks* (spaces, 、, ·, quotation marks, book-title marks, +) stand inside a
  term and are ignored: 双随机、一公开 = 双随机 一公开 = “双随机一公开”;
- every other mark (，。；：！？ brackets, dashes …) is a *break*: a match never runs
  across it, so 行政处罚法 does not match 行政处罚，法律.

Each unit keeps the character offsets of the original text it came from, so
highlights land exactly on the original characters.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

try:
    from kb.text import _units as _in_c
except ImportError:  # not built: the Python ways below
    _in_c = None

#: Marks that stand inside a term and are ignored when matching.
INNER_MARKS = frozenset(
    " \t\r\n\u3000\xa0\u2002\u2003\u2009\u200b\ufeff"
    "、·•‧∙・"
    "\"'“”‘’„‟「」『』"
    "《》〈〉<>«»‹›"
    "+"
)

#: the inner marks, as the C module (:mod:`kb.text._units`) reads them
INNER_STRING = "".join(sorted(INNER_MARKS))

#: Separator between alphanumeric units inside a gram (never in normalized text).
GLUE = "|"


def is_cjk(ch: str) -> bool:
    """True for a Chinese character (CJK ideographs and their extensions, 〇)."""
    o = ord(ch)
    return (
        0x4E00 <= o <= 0x9FFF
        or 0x3400 <= o <= 0x4DBF
        or 0xF900 <= o <= 0xFAFF
        or 0x20000 <= o <= 0x3FFFF
        or o == 0x3007
    )


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional characters to simplified (OpenCC t2s): 行政處罰法 -> 行政处罚法.

    Applied to texts and queries alike (through :func:`normalize`), so either may be
    written in traditional characters. Kept only where it keeps the length, so
    offsets stay valid.
    """
    if text.isascii():
        return text
    converted = _t2s().convert(text)
    if len(converted) == len(text):
        return converted
    return "".join(c if len(c) == 1 else o for o, c in ((o, _t2s_char(o)) for o in text))


@lru_cache(maxsize=65536)
def _t2s_char(ch: str) -> str:
    """One character through OpenCC (the fallback above asks for each character of a
    text: about 40 µs a call, a cached lookup after the first)."""
    return _t2s().convert(ch)


class _CharTable(dict):
    """str.translate table: each character to its normalized form (computed once)."""

    def __missing__(self, o: int) -> str:
        ch = chr(o)
        n = ch.lower() if ch.isascii() else unicodedata.normalize("NFKC", ch).lower()
        self[o] = n
        return n


_TABLE = _CharTable()
#: what a report is written in: ASCII, CJK punctuation and the common Chinese characters,
#: full-width forms (normalized once each by :func:`warm`)
COMMON = ((0x20, 0x7F), (0x3000, 0x3040), (0x4E00, 0xA000), (0xFF00, 0xFFF0))


def warm() -> None:
    """Normalize every character of :data:`COMMON` into the table once, and make :func:`fold_table`
    (a few tens of ms), so that the first texts a server highlights do not pay for it character by
    character."""
    for lo, hi in COMMON:
        for o in range(lo, hi):
            _TABLE[o]  # noqa: B018 -- __missing__ fills it
    fold_table()


#: what :func:`fold_table` holds for a character it does not normalize to one character of the fast path
NOT_FOLDED = "\ud800"


#: the blocks :func:`fold_table` holds: :data:`COMMON`, and what else the reports are written in (Latin-1
#: and its extensions, general punctuation and symbols, ①, CJK symbols and extension A, compatibility
#: ideographs and forms)
FOLDED = ((0x0, 0x250), (0x2000, 0x2800), (0x3000, 0x3100), (0x3200, 0x4DC0), (0x4E00, 0xA000),
          (0xF900, 0xFB00), (0xFE10, 0xFE70), (0xFF00, 0xFFF0))


@lru_cache(maxsize=1)
def fold_table() -> str:
    """Each character of :data:`FOLDED` normalized as :func:`normalize` does, where that is one
    character that is not a letter of another script (:func:`on_fast_path`), at the character's own
    place in a string of the basic plane; :data:`NOT_FOLDED` for every other character. What
    :mod:`kb.text._units` normalizes a text with (one lookup a character, in C; made by :func:`warm`)."""
    table = [NOT_FOLDED] * 0x10000
    for lo, hi in FOLDED:
        for o in range(lo, hi):
            n = _TABLE[o]
            if len(n) == 1 and not _OTHER_ALNUM.match(n):
                table[o] = n
    return "".join(table)


def normalize(text: str) -> tuple[str, list[int]]:
    """NFKC and lower-case ``text``; return it with each character's original offset.

    >>> normalize("２０２３年")
    ('2023年', [0, 1, 2, 3, 4])
    """
    text = to_simplified(text)  # keeps the length: offsets stay those of the original
    norm = text.translate(_TABLE)  # character by character, in C
    if len(norm) == len(text):  # no character became several (NFKC never makes one empty)
        return norm, list(range(len(text)))
    out: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        n = _TABLE[ord(ch)]
        out.append(n)
        offsets.extend([i] * len(n))
    return "".join(out), offsets


def normalize_str(text: str) -> str:
    """The normalized form of ``text`` without offsets."""
    return unicodedata.normalize("NFKC", to_simplified(text)).lower()


def folded(text: str) -> str:
    """``text`` as a find box compares it (simplified characters, width and case folded)."""
    return normalize_str(to_simplified(text))


class Unit(NamedTuple):
    """One matchable unit of text: a Chinese character or an alphanumeric run."""

    key: str  # normalized form
    start: int  # offset of its first character in the original text
    end: int  # offset just past its last character in the original text
    gap: bool  # a break stands between this unit and the previous one

    @property
    def cjk(self) -> bool:
        return is_cjk(self.key[0])


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() and not is_cjk(ch)


_CJK = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
_INNER = "".join(sorted(INNER_MARKS)).replace("\\", "\\\\").replace("]", "\\]").replace("^", "\\^").replace("-", "\\-")
#: One unit or one break of a normalized text whose letters are all ASCII or Chinese: a
#: Chinese character, a run of ASCII letters and digits (a dot only between digits), or
#: a break (any mark that is not an inner mark).
_FAST_UNIT = re.compile(
    rf"([{_CJK}])|([a-z0-9]+(?:\.(?<=[0-9]\.)[0-9][a-z0-9]*)*)|[^{_CJK}a-z0-9{_INNER}]+"
)
#: The same, with a run of Chinese characters as one match (for :func:`key_runs`).
_FAST_RUN = re.compile(
    rf"([{_CJK}]+)|([a-z0-9]+(?:\.(?<=[0-9]\.)[0-9][a-z0-9]*)*)|[^{_CJK}a-z0-9{_INNER}]+"
)
#: A letter or digit that is neither ASCII nor Chinese (the fast path does not know it).
_OTHER_ALNUM = re.compile(rf"[^\W_\x00-\x7f{_CJK}]")


def units(text: str) -> list[Unit]:
    """Split ``text`` into units, marking where a break stands before a unit.

    >>> [(u.key, u.gap) for u in units("PM2.5，双随机、一公开")]
    [('pm2.5', False), ('双', True), ('随', False), ('机', False), ('一', False), ('公', False), ('开', False)]
    """
    return [Unit(*u) for u in unit_spans(text)]


def unit_spans(text: str) -> list[tuple[str, int, int, bool]]:
    """The units of ``text`` as tuples (key, start, end, gap): by one regular expression
    where the text is ASCII and Chinese (fast enough to highlight every hit shown),
    character by character otherwise. :func:`units` gives them as :class:`Unit`."""
    norm, offsets = normalize(text)
    if len(norm) != len(text) or _OTHER_ALNUM.search(norm):
        return _units(norm, offsets)  # Units are tuples
    out: list[tuple[str, int, int, bool]] = []
    gap = False
    for m in _FAST_UNIT.finditer(norm):
        key = m.group(1) or m.group(2)
        if key:
            out.append((key, m.start(), m.end(), gap))
            gap = False
        else:
            gap = True
    return out


def unit_runs(text: str, normalized: tuple[str, list[int]] | None = None
              ) -> list[tuple[str, int, int, bool, bool]] | None:
    """The units of ``text`` a run of Chinese characters at a time, as tuples (keys, start,
    end, gap, chinese): ``keys`` one unit per character where ``chinese``, else one
    alphanumeric unit. What :func:`unit_spans` gives, grouped, for texts on its fast path
    (ASCII and Chinese letters only, offsets unchanged by normalizing); None for others.
    ``normalized``: :func:`normalize` of ``text``, if the caller has it already."""
    norm, _ = normalized or normalize(text)
    if not on_fast_path(text, norm):
        return None
    out: list[tuple[str, int, int, bool, bool]] = []
    gap = False
    for m in _FAST_RUN.finditer(norm):
        cjk, word = m.group(1, 2)
        if cjk or word:
            out.append((cjk or word, m.start(), m.end(), gap, bool(cjk)))
            gap = False
        else:
            gap = True
    return out


def on_fast_path(text: str, norm: str) -> bool:
    """Whether ``text``, normalized to ``norm``, has letters ASCII or Chinese only and offsets
    that normalizing left as they were (:func:`unit_runs`' texts, :mod:`kb.text._units`')."""
    return len(norm) == len(text) and not _OTHER_ALNUM.search(norm)


def _units(norm: str, offsets: list[int]) -> list[Unit]:
    result: list[Unit] = []
    gap = False
    i, n = 0, len(norm)
    while i < n:
        ch = norm[i]
        if is_cjk(ch):
            result.append(Unit(ch, offsets[i], offsets[i] + 1, gap))
            gap = False
            i += 1
        elif _is_word_char(ch):
            j = i + 1
            while j < n:
                if _is_word_char(norm[j]):
                    j += 1
                elif norm[j] == "." and j + 1 < n and norm[j + 1].isdigit() and norm[j - 1].isdigit():
                    j += 1  # 2.5, 135195.8
                else:
                    break
            result.append(Unit(norm[i:j], offsets[i], offsets[j - 1] + 1, gap))
            gap = False
            i = j
        else:
            if ch not in INNER_MARKS:
                gap = True
            i += 1
    return result


def runs(us: list[Unit]) -> list[list[Unit]]:
    """Group units into runs that no break interrupts."""
    out: list[list[Unit]] = []
    for u in us:
        if u.gap or not out:
            out.append([u])
        else:
            out[-1].append(u)
    return out


def key_runs(text: str, normalized: tuple[str, list[int]] | None = None) -> list[list[str]]:
    """The unit keys of ``text``, run by run (what :func:`unit_keys` gives), fast (whole
    runs of Chinese characters at a time) where the text allows it: what is indexed.
    ``normalized``: :func:`normalize` of ``text``, if the caller has it already."""
    normalized = normalized or normalize(text)
    fast = unit_runs(text, normalized)
    if fast is None:
        return [[u.key for u in run] for run in runs(_units(*normalized))]
    keyruns: list[list[str]] = []
    for keys, _, _, gap, chinese in fast:
        if gap or not keyruns:
            keyruns.append([])
        if chinese:
            keyruns[-1].extend(keys)
        else:
            keyruns[-1].append(keys)
    return keyruns


def fast_units(text: str) -> tuple[str, list[str]] | None:
    """What a build reads of a paragraph's text, in C (:mod:`kb.text._units`): its normalized form
    (:func:`normalize`'s text, for jieba) and its unit keys run by run (:func:`key_runs`), each run's
    keys joined by ``\x1f``; None for a text off the C module's table (:func:`fold_table`: full-width
    letters, other scripts ...) or without the module: :func:`normalize` and :func:`key_runs` then."""
    if _in_c is None:
        return None
    simple, table = to_simplified(text), fold_table()
    norm = _in_c.fold(simple, table)
    if norm is None:
        return None
    string = _in_c.unit_string(simple, table, INNER_STRING)[0]  # \x1f before a unit, \x1e at a break
    return norm, (string[1:-1].split("\x1e") if len(string) > 1 else [])


def unit_keys(text: str) -> list[list[str]]:
    """The unit keys of ``text``, run by run: what a query term must match (:func:`key_runs`: the
    keys of :func:`units` grouped by :func:`runs`, a run of Chinese characters at a time where it can;
    a search asks for every word of its concept entries and meaning slots)."""
    return key_runs(text)


def scrub(text: str) -> str:
    """``text`` with every lone surrogate replaced by U+FFFD.

    Lone surrogates are what Python makes of bytes that are not UTF-8 (a command-line
    argument, a file name); they cannot be encoded again, so they are replaced at the door.
    """
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    try:  # bytes smuggled in by surrogateescape (sys.argv): decode them as what they were
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:
        return "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in text)

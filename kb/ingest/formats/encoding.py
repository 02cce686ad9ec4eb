"""Encoding: the bytes of a text file decoded, or refused as not text.

Used by every reader of :mod:`kb.ingest.formats` that reads text (plain text, Markdown, web
pages). A byte order mark decides; else bytes that look like another kind of file (a zip, a
PDF, an image) are refused; UTF-16 without a BOM is told by its zero bytes; then UTF-8; then
the reading of GB18030/GBK, Big5 or UTF-16 that looks most like ordinary Chinese text; failing
those, what ``charset-normalizer`` finds. Anything that cannot become text raises
:class:`~kb.core.errors.ImportFailed` with a message saying what to do.
"""

from __future__ import annotations

from kb.core.errors import ImportFailed

#: Magic numbers of files that are not text, with what to tell the user.
MAGIC = [
    (b"PK\x03\x04", "a zip archive (.docx, .xlsx, .zip …)"),
    (b"%PDF", "a PDF document"),
    (b"\xd0\xcf\x11\xe0", "an old Office document (.doc, .xls, .wps); save it as .docx"),
    (b"{\\rtf", "an RTF document; save it as .docx"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7z archive"),
    (b"\x7fELF", "a program"),
    (b"MZ", "a program"),
]
#: Byte order marks, in the order they are tried: (mark, codec, what to call it, bytes to skip).
BOMS = [
    (b"\xff\xfe\x00\x00", "utf-32", "UTF-32", 0),
    (b"\x00\x00\xfe\xff", "utf-32", "UTF-32", 0),
    (b"\xef\xbb\xbf", "utf-8", "UTF-8 (BOM)", 3),
    (b"\xff\xfe", "utf-16", "UTF-16 (BOM)", 0),
    (b"\xfe\xff", "utf-16", "UTF-16 (BOM)", 0),
]


def sniff(data: bytes) -> str:
    """What a binary file looks like ('' if it could be text)."""
    for magic, what in MAGIC:
        if data.startswith(magic):
            return what
    return ""


def _ordinary(ch: str) -> bool:
    o = ord(ch)
    return (
        (0x20 <= o < 0x7F) or ch in "\t\n\r\f"
        or 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF  # CJK ideographs
        or 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF  # CJK punctuation, full-width forms
        or 0x2000 <= o <= 0x206F or 0x2460 <= o <= 0x24FF  # general punctuation, ①
        or 0x2100 <= o <= 0x218F or 0x25A0 <= o <= 0x25FF  # ℃ Ⅲ, ■ ○
        or ch in "\xa0·×÷°±§¥£€™®©\u200b\ufeff"
    )


def plausibility(text: str) -> float:
    """The share of ordinary characters (Chinese, punctuation, ASCII) in ``text``: near 1
    for a text decoded right, much lower for bytes decoded with the wrong encoding."""
    sample = text[:20000]
    if not sample:
        return 0.0
    return sum(map(_ordinary, sample)) / len(sample)


def _common_share(text: str) -> float:
    """The share of Chinese characters that are common (GB2312 level 1): near 1 for real
    simplified text, low for bytes of another encoding read as GB18030."""
    cjk = [c for c in text[:20000] if "\u4e00" <= c <= "\u9fff"]
    if not cjk:
        return 0.0
    common = 0
    for c in cjk:
        try:
            common += 0xB0 <= c.encode("gb2312")[0] <= 0xD7
        except UnicodeEncodeError:
            pass
    return common / len(cjk)


def decode(data: bytes, name: str = "") -> tuple[str, str]:
    """(text, encoding) of the bytes of a text file; raise ImportFailed if they are not text."""
    for mark, codec, label, skip in BOMS:
        if data.startswith(mark):
            return _strict(data[skip:], codec, name), label
    what = sniff(data)
    if what:
        raise ImportFailed(f"{name}: 不是文本文件 (binary data: it looks like {what}); "
                           f"give it the right suffix or convert it to text")
    if b"\x00" in data:
        text = _utf16_without_bom(data)
        if text is None:
            raise ImportFailed(f"{name}: 不是文本文件 (binary data, not text); convert it to text first")
        return text
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    best = max(_readings(data), default=None, key=lambda c: c[0])
    if best and best[0] >= 0.9:
        return best[1], best[2]
    return _detected(data, name)


def _gb18030_score(text: str) -> float:
    return plausibility(text) * (0.5 + _common_share(text) / 2)


def _big5_score(text: str) -> float:
    return plausibility(text) * 0.9


def _utf16_score(text: str) -> float:
    return plausibility(text) * 0.95


#: The encodings a text that is not UTF-8 may be in: (codec, what to call it, how plausible a
#: reading is, only for an even number of bytes).
GUESSES = [
    ("gb18030", "GB18030", _gb18030_score, False),
    ("big5", "BIG5", _big5_score, False),
    ("utf-16-le", "UTF-16", _utf16_score, True),
    ("utf-16-be", "UTF-16", _utf16_score, True),
]


def _readings(data: bytes) -> list[tuple[float, str, str]]:
    """(score, text, encoding) of every encoding of :data:`GUESSES` that decodes ``data``."""
    out = []
    for codec, label, score, even in GUESSES:
        if even and len(data) % 2:
            continue
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        out.append((score(text), text, label))
    return out


def _detected(data: bytes, name: str) -> tuple[str, str]:
    """What ``charset-normalizer`` finds, if it reads as ordinary text; else ImportFailed."""
    from charset_normalizer import from_bytes

    guess = from_bytes(data).best()
    if guess is not None and plausibility(str(guess)) >= 0.97:
        return str(guess), guess.encoding
    raise ImportFailed(f"{name}: 无法识别文字编码 (not UTF-8, GB18030/GBK or UTF-16, and no other encoding "
                       f"fits); save it as UTF-8 and import it again")


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as e:
        raise ImportFailed(f"{name}: 文字编码有误 (invalid {encoding} at byte {e.start}); "
                           f"save it again as UTF-8") from None


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 text without a BOM: the byte order whose decoding reads as text."""
    if len(data) % 2:
        return None
    best = None
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        score = plausibility(text)
        if score >= 0.9 and (best is None or score > best[0]):
            best = (score, text)
    return (best[1], "UTF-16") if best else None

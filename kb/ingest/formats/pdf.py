"""PDF: the text layer of a ``.pdf`` read into paragraphs, one a line, found from its layout.

A reader of :mod:`kb.ingest.formats` (``pdfminer.six``). The body text's size and margins are
measured over the whole document; a line that reaches the right margin, or stops mid-clause,
goes on in the next one unless that one is indented, set apart or opens a numbered heading
after a full stop. Pages are cut by form feeds; a page's last paragraph that may go on
overleaf is marked for :func:`kb.ingest.repair.joining.join_layout`. A page with no text
layer is read by OCR (:mod:`kb.ingest.formats.ocr`) into lines of the same shape, rebuilt into
paragraphs the same way, each with its confidence.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass

from kb.core.errors import ImportFailed
from kb.ingest.formats.encoding import sniff
from kb.ingest.formats.extracted import Extracted
from kb.ingest.formats.ocr import read_pages as ocr_pages
from kb.ingest.repair.pages import BARE_NUMBER, PAGE_NUMBER
from kb.ingest.repair.shapes import ends_sentence, numbering

_CJK = re.compile(r"[\u4e00-\u9fff]")


def read_pdf(data: bytes, name: str, progress: Callable[[int, int], None] | None = None) -> Extracted:
    """The text of a PDF, one paragraph a line, found from the layout (see
    :func:`pdf_paragraphs`); pages cut by form feeds. A page without a text layer (a scan) is
    read by OCR (:mod:`kb.ingest.formats.ocr`, ``progress(done, total)`` after each page): its
    paragraphs and their confidence go in ``meta["ocr"]``, with the pages too poor to read."""
    if b"%PDF" not in data[:1024]:
        raise ImportFailed(f"{name}: 不是有效的 PDF 文件 (no PDF header"
                           f"{': it looks like ' + sniff(data) if sniff(data) else ''})")
    pages, pictured = _pdf_lines(data, name)
    bare = [n for n, page in enumerate(pages, 1) if n in pictured and not any(line.get_text().strip() for line in page)]
    scanned = ocr_pages(data, bare, name, progress) if bare else []
    for page in scanned:
        pages[page.number - 1] = page.lines
    scored = pdf_paragraphs_scored(pages)
    text = "\f".join("\n".join(t for t, _ in page) for page in scored)
    if not _CJK.search(text):
        raise ImportFailed(_nothing_read(name, scanned))
    meta = {"ocr": _ocr_meta(scored, scanned)} if scanned else {}
    return Extracted(text, encoding="", layout=True, meta=meta)


def _ocr_meta(scored: list[list], scanned: list) -> dict:
    """What OCR read: its paragraphs with their confidence, the pages too poor to read, how many pages."""
    return {"paragraphs": [(t, c) for page in scored for t, c in page if c is not None],
            "unread": [(p.number, p.conf) for p in scanned if p.unread], "pages": len(scanned)}


def _nothing_read(name: str, scanned: list) -> str:
    if scanned:
        return (f"{name}: 扫描件无法识别 (OCR read no usable text on its {len(scanned)} scanned pages; "
                f"best confidence {max(p.conf for p in scanned):.0f}%); scan it again at 300 dpi, or import its text")
    return f"{name}: PDF 没有文字层，也没有可识别的扫描图像 (no text layer and no scanned image to read)"


def _pdf_lines(data: bytes, name: str) -> tuple[list[list], set[int]]:
    """(the text lines of each page, top to bottom and left to right; the pages (1-based) that
    hold a picture, such as a scan); ImportFailed if the PDF is encrypted or damaged."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTFigure, LTImage, LTTextBox, LTTextLine
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException

    pages, pictured = [], set()
    try:
        for n, page in enumerate(extract_pages(io.BytesIO(data), laparams=LAParams()), 1):
            lines = []
            for box in page:
                if isinstance(box, LTTextBox):
                    lines.extend(x for x in box if isinstance(x, LTTextLine))
                elif isinstance(box, LTFigure | LTImage):
                    pictured.add(n)
            pages.append(sorted(lines, key=lambda line: (-round(line.y1), line.x0)))
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise ImportFailed(f"{name}: PDF 已加密 (encrypted PDF); save an unprotected copy first") from None
    except (PDFSyntaxError, PSException, ValueError, TypeError, KeyError, AttributeError) as e:
        raise ImportFailed(f"{name}: 无法读取 PDF ({type(e).__name__}: {e or 'damaged file'}); "
                           f"open and save it again, or export its text") from None
    return pages, pictured


@dataclass
class _Measure:
    """The body text's size and left and right margins, over the whole document."""

    size: float
    left: float
    right: float

    def centred(self, line, indent: float = 0.9) -> bool:
        """True for a line set in the middle of the measure (a title), at least ``indent``
        characters in from the left margin."""
        left, right = line.x0 - self.left, self.right - line.x1
        return left >= indent * self.size and abs(left - right) <= 1.5 * self.size

    def indented(self, line) -> bool:
        """True for a line that starts a character or more in from the left margin (a line read
        by OCR: one and a half, since OCR now and then drops a line's first character, and a
        paragraph's indent is two)."""
        return line.x0 - self.left >= self.size * (1.5 if hasattr(line, "conf") else 0.9)

    def body_size(self, line) -> bool:
        """True for a line set in the body text's size."""
        return abs(line.height - self.size) <= self.size * 0.2

    def full(self, line) -> bool:
        """True for a line of the body's size that reaches the right margin."""
        return self.right - line.x1 < self.size * 1.2 and self.body_size(line)

    def long(self, line) -> bool:
        """True for a line that reaches over most of the measure (not a short heading)."""
        return line.x1 - self.left >= 0.6 * (self.right - self.left)

    @classmethod
    def of(cls, pages: list[list]) -> _Measure | None:
        lines = [line for page in pages for line in page if line.get_text().strip()]
        if not lines:
            return None
        sizes: dict[int, int] = {}
        for line in lines:
            sizes[round(line.height)] = sizes.get(round(line.height), 0) + len(line.get_text())
        size = max(sizes, key=sizes.get)
        body = [line for line in lines if abs(line.height - size) <= size * 0.2] or lines
        lefts: dict[int, int] = {}
        for line in body:
            lefts[round(line.x0)] = lefts.get(round(line.x0), 0) + 1
        ends = sorted(line.x1 for line in body)
        return cls(float(size), float(min(lefts, key=lambda x: (-lefts[x], x))), ends[int(0.95 * (len(ends) - 1))])


@dataclass
class _Paragraph:
    """A paragraph as it is read off a page."""

    text: str
    full: bool  # its last line reaches the right margin
    last: object  # its last line (pdfminer's LTTextLine, or an OCR line)
    scores: list = None  # OCR lines: (confidence, characters) of each

    def conf(self) -> float | None:
        """The mean confidence of its characters if it was read by OCR, else None."""
        if not self.scores:
            return None
        n = sum(c for _, c in self.scores)
        return round(sum(s * c for s, c in self.scores) / max(1, n), 1)


def pdf_paragraphs(pages: list[list]) -> list[str]:
    """Each page's paragraphs, one a line (see :func:`pdf_paragraphs_scored`)."""
    return ["\n".join(t for t, _ in page) for page in pdf_paragraphs_scored(pages)]


def pdf_paragraphs_scored(pages: list[list]) -> list[list[tuple[str, float | None]]]:
    """Each page's paragraphs, one a line, from the layout: a line that reaches the right
    margin (or stops mid-clause, before a line that opens no numbered heading) goes on in the
    next one unless that one is indented, set apart (another size, a wider gap) or opens a
    numbered heading after a full stop; a line short of the margin that ends a sentence ends
    its paragraph (。；： at the margin end nothing). An indented paragraph starts with U+3000; a
    page's last paragraph that reaches the margin or stops mid-sentence ends with U+00AD (it
    may go on overleaf). Each paragraph comes with its OCR confidence (lines read by OCR
    carry ``conf``), or None."""
    m = _Measure.of(pages)
    out = []
    for page in pages:
        paragraphs: list[_Paragraph] = []
        for line in page:
            text = line.get_text().strip("\n").strip()
            if text:
                _add_line(paragraphs, line, text, m)
        _mark_overleaf(paragraphs, m)
        out.append([(p.text, p.conf()) for p in paragraphs])
    return out


def _add_line(paragraphs: list[_Paragraph], line, text: str, m: _Measure) -> None:
    """Add a line of a page to the paragraph it goes on, or start a paragraph with it."""
    indented = m.indented(line)
    full = m.full(line)
    prev = paragraphs[-1] if paragraphs else None
    if prev and _joins(prev, line, text, indented, m):
        latin = prev.text[-1].isascii() and prev.text[-1].isalpha() and text[0].isascii() and text[0].isalpha()
        prev.text += " " * latin + text
        prev.full, prev.last = full, line
    else:
        prev = _Paragraph(("\u3000\u3000" if indented else "") + text, full, line, [])
        paragraphs.append(prev)
    if hasattr(line, "conf"):
        prev.scores.append((line.conf, len(text)))


def _goes_on(prev: _Paragraph, text: str, m: _Measure) -> bool:
    """True if the paragraph's last line reaches the margin, or stops mid-clause and is no
    short heading nor centred title."""
    if prev.full:
        return True
    return (not (ends_sentence(prev.text) or numbering(text))  # mid-clause
            and (_left_open(prev.text) or m.long(prev.last))  # not a short heading
            and not m.centred(prev.last, indent=2.5))  # nor a title centred further in than a paragraph's indent


def _joins(prev: _Paragraph, line, text: str, indented: bool, m: _Measure) -> bool:
    """True if ``line`` (its ``text``) goes on the paragraph ``prev``."""
    goes_on = _goes_on(prev, text, m)
    centred = m.centred(prev.last) and m.centred(line) and _left_open(prev.text)
    return bool((goes_on and not indented or centred) and _near(prev.last, line, m)
                and not (numbering(text) and ends_sentence(prev.text)))  # centred: a title wrapped inside （…）


def _mark_overleaf(paragraphs: list[_Paragraph], m: _Measure) -> None:
    """End a page's last paragraph of body text with U+00AD if it may go on overleaf."""
    body = [p for p in paragraphs if m.body_size(p.last) and not _is_page_number(p.text)]
    if body and (body[-1].full or not ends_sentence(body[-1].text)):
        body[-1].text += "\u00ad"  # reaches the margin, or stops mid-sentence: may go on overleaf


def _is_page_number(text: str) -> bool:
    s = text.strip("\u3000 ")
    return bool(PAGE_NUMBER.match(s) or BARE_NUMBER.match(s))


def _left_open(text: str) -> bool:
    """True if ``text`` ends inside a 《…》, （…）, “…” or 〔…〕 (处罚法》和《法治政府)."""
    return any(text.rfind(a) > text.rfind(b) for a, b in ("《》", "（）", "“”", "〔〕", "()"))


def _near(above, line, m: _Measure) -> bool:
    """True if ``line`` follows ``above`` at the body's line spacing and size (not a header or footer)."""
    return abs(line.height - above.height) <= m.size * 0.2 and above.y0 - line.y1 <= m.size * 1.5

"""OCR: the pages of a PDF that have no text layer (a scan, a stamped and signed page) read
with Tesseract (``chi_sim``), as lines in the shape of pdfminer's, for the same layout rebuild.

A reader's helper of :mod:`kb.ingest.formats.pdf`. Each page is rendered at 200 dpi with
``pypdfium2`` (whatever the scan's image encoding: JPEG, JBIG2, CCITT, Flate), read through
its red channel (a red seal turns white there while black text stays black), then
``pytesseract``'s ``image_to_data`` gives each line's box and each word's confidence. The
boxes (each line's height that of most of its words, so that a seal's stroke or a speck
does not make it tall), turned from pixels into points, become :class:`OcrLine` objects with the attributes
:func:`kb.ingest.formats.pdf.pdf_paragraphs` reads off pdfminer's lines, so paragraphs are
rebuilt from the layout exactly as for a text PDF; each line keeps its confidence (0–100).

A page whose mean confidence is under :data:`POOR_PAGE` or that yields almost no characters is
*unread*: it is reported (page number and confidence), never passed off as text. Lines under
:data:`NOISE_LINE` (a seal's ring, a signature's scrawl) are dropped; a blank page is passed over.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from statistics import median

from kb.core.errors import ImportFailed

DPI = 200  # 16 pt text some 44 px high: read better (and sooner) than at 300 dpi, measured in bench/scans.py
#: A page whose characters are read with a mean confidence under this is not passed off as text.
POOR_PAGE = 60
#: A line read with a confidence under this is noise (a seal's ring, a signature), dropped.
NOISE_LINE = 35
#: A page that yields fewer characters than this is unread (a photo, a smudge) ...
FEW_CHARACTERS = 8
#: ... unless it is blank: less than this share of its pixels dark.
BLANK_INK = 0.002

_CJK = r"\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
_WORDY = re.compile(r"[\u4e00-\u9fff0-9A-Za-z]")
_SPACE_IN_CJK = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")


@dataclass
class OcrLine:
    """A line read by OCR, with the attributes of pdfminer's ``LTTextLine`` that the layout
    rebuild reads (points, origin at the page's bottom left) and its confidence."""

    text: str
    x0: float
    x1: float
    y0: float
    y1: float
    conf: float  # mean confidence of its characters, 0-100

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    def get_text(self) -> str:
        return self.text + "\n"


@dataclass
class OcrPage:
    """One page read by OCR: its lines, or why it could not be read."""

    number: int  # 1-based
    lines: list[OcrLine] = field(default_factory=list)
    conf: float = 0.0  # mean confidence of its characters
    unread: bool = False


def available() -> str:
    """'' if OCR can run here, else what to install."""
    try:
        import pypdfium2  # noqa: F401
        import pytesseract
    except ImportError:
        return "pip install pytesseract pypdfium2"
    if not shutil.which("tesseract"):
        return "apt-get install tesseract-ocr tesseract-ocr-chi-sim"
    try:
        if "chi_sim" not in pytesseract.get_languages(config=""):
            return "apt-get install tesseract-ocr-chi-sim"
    except Exception:  # noqa: BLE001 - a broken tesseract is reported as missing
        return "apt-get install tesseract-ocr tesseract-ocr-chi-sim"
    return ""


def read_pages(data: bytes, numbers: list[int], name: str,
               progress: Callable[[int, int], None] | None = None) -> list[OcrPage]:
    """OCR the pages ``numbers`` (1-based) of the PDF ``data``; ``progress(done, total)``
    after each page. ImportFailed if OCR is not installed or the PDF cannot be rendered."""
    missing = available()
    if missing:
        raise ImportFailed(f"{name}: 扫描件需要 OCR，但本机未安装 (a scanned PDF needs OCR: {missing})")
    import pypdfium2

    try:
        pdf = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as e:
        raise ImportFailed(f"{name}: 无法渲染扫描页 (cannot render the scanned pages: {e})") from None
    out = []
    try:
        for done, number in enumerate(numbers, 1):
            page = pdf[number - 1]
            image = page.render(scale=DPI / 72).to_pil()
            out.append(read_image(image, number, page.get_height()))
            page.close()
            if progress:
                progress(done, len(numbers))
    finally:
        pdf.close()
    return out


def read_image(image, number: int = 1, height_pt: float | None = None, dpi: int = DPI) -> OcrPage:
    """OCR one page image (PIL); ``height_pt``: the page's height in points (else from ``dpi``)."""
    import pytesseract

    gray = image.convert("RGB").getchannel("R")  # a red seal turns white; black text stays
    words = pytesseract.image_to_data(gray, lang="chi_sim", config="--psm 3",
                                      output_type=pytesseract.Output.DICT)
    scale = 72 / dpi
    height = height_pt if height_pt is not None else image.height * scale
    lines = [line for line in _lines(words, scale, height) if line.conf >= NOISE_LINE]
    chars = sum(_count(line.text) for line in lines)
    conf = sum(line.conf * _count(line.text) for line in lines) / chars if chars else 0.0
    if chars < FEW_CHARACTERS and _ink(gray) < BLANK_INK:
        return OcrPage(number, [], 0.0, False)  # a blank page: nothing to read, nothing lost
    unread = chars < FEW_CHARACTERS or conf < POOR_PAGE
    return OcrPage(number, [] if unread else lines, round(conf, 1), unread)


def _ink(gray) -> float:
    """The share of a page's pixels that are dark (text, pictures): about 0 on a blank page."""
    histogram = gray.histogram()
    return sum(histogram[:128]) / max(1, sum(histogram))


def _count(text: str) -> int:
    return len(re.sub(r"\s", "", text))


def _middle(words: dict, ids: list[int]) -> tuple[float, float]:
    """(the line's middle, half its height) in pixels: the median of its words' middles, and
    the 40th percentile of the heights of its words of characters (not punctuation alone).
    Tesseract's box of a word now and then reaches into the line below (a stroke, a speck, a
    seal): a union of the boxes, or their mean, would make such a line tall, and another size
    than the text around it."""
    middles = sorted(words["top"][i] + words["height"][i] / 2 for i in ids)
    heights = sorted(words["height"][i] for i in ids if _WORDY.search(words["text"][i])) \
        or sorted(words["height"][i] for i in ids)
    return median(middles), heights[int(0.4 * (len(heights) - 1))] / 2


def _lines(words: dict, scale: float, height: float) -> list[OcrLine]:
    """Tesseract's words grouped into its lines, in points from the page's bottom left."""
    grouped: dict[tuple, list[int]] = {}
    for i, text in enumerate(words["text"]):
        if text.strip() and float(words["conf"][i]) >= 0:
            grouped.setdefault((words["block_num"][i], words["par_num"][i], words["line_num"][i]), []).append(i)
    out = []
    for ids in grouped.values():
        text = _SPACE_IN_CJK.sub("", " ".join(words["text"][i].strip() for i in ids))
        weights = [_count(words["text"][i]) for i in ids]
        conf = sum(float(words["conf"][i]) * w for i, w in zip(ids, weights, strict=True)) / max(1, sum(weights))
        middle, half = _middle(words, ids)
        out.append(OcrLine(text, min(words["left"][i] for i in ids) * scale,
                           max(words["left"][i] + words["width"][i] for i in ids) * scale,
                           height - (middle + half) * scale, height - (middle - half) * scale, conf))
    return _rows(sorted(out, key=lambda line: (-round(line.y1), line.x0)))


def _rows(lines: list[OcrLine]) -> list[OcrLine]:
    """Lines side by side on one row joined into one, left to right: Tesseract cuts a line at a
    wide space (南阳市卫生健康体育委员会　关于……) into blocks of their own."""
    out: list[OcrLine] = []
    for line in lines:
        row = next((o for o in out[-3:] if _same_row(o, line)), None)
        if row is None:
            out.append(line)
            continue
        left, right = sorted((row, line), key=lambda x: x.x0)
        n, m = _count(left.text), _count(right.text)
        row.text, row.x0, row.x1 = left.text + right.text, left.x0, right.x1
        row.y0, row.y1 = min(row.y0, line.y0), max(row.y1, line.y1)
        row.conf = (left.conf * n + right.conf * m) / max(1, n + m)
    return out


def _same_row(a: OcrLine, b: OcrLine) -> bool:
    """True if ``b`` stands beside ``a`` (its middle within ``a``'s height, no overlap across)."""
    middle = (b.y0 + b.y1) / 2
    return a.y0 < middle < a.y1 and (b.x0 >= a.x1 - 1 or b.x1 <= a.x0 + 1)

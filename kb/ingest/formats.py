"""Formats: read a report file of any supported type into text, and say what it carries.

The first step of the pipeline: :func:`read` turns the bytes of a ``.txt``, ``.md``,
``.docx``, ``.pdf``, ``.html`` or ``.htm`` file into an :class:`Extracted` text for
:mod:`kb.ingest.repair`:

- plain text (``.txt``): one line per line, paragraphs marked by indentation where the
  source had it;
- the text layer of a ``.pdf``: one paragraph per line, found from the layout (indents,
  lines short of the right margin), pages cut by form feeds (``\\f``);
- Markdown (``.md``, and what ``.docx`` and ``.html`` are turned into): one block per
  paragraph, ``#`` headings and bold leads (``**一、……**``, ``**扩大有效投资。**正文``).

Text files may be UTF-8 (with or without BOM), GB18030/GBK, UTF-16 (with or without
BOM) or, failing those, what ``charset-normalizer`` finds. Anything that cannot become
text raises :class:`~kb.core.errors.ImportFailed` with a message saying what to do.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from kb.core.errors import ImportFailed

#: The file types ``kb import`` reads, by suffix.
FORMATS = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
           ".docx": "docx", ".pdf": "pdf", ".html": "html", ".htm": "html"}
SUPPORTED = tuple(FORMATS)

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


@dataclass
class Extracted:
    """The text of one file and what the file itself says about the report."""

    text: str
    markdown: bool = False  # blocks with Markdown hints, else plain lines
    meta: dict = field(default_factory=dict)  # front matter, <title>, …: title, source, date, agency …
    encoding: str = ""  # how the bytes were decoded (text formats)
    format: str = ""  # a value of FORMATS
    layout: bool = False  # plain text whose lines are paragraphs found from a page's layout (PDF)


def read(path: Path, data: bytes | None = None) -> Extracted:
    """The text of the report file at ``path`` (``data``: its bytes, if already read)."""
    path = Path(path)
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise ImportFailed(f"{path}: 不支持的文件类型 {path.suffix or '(none)'} "
                           f"(supported: {' '.join(SUPPORTED)}); convert it to one of them")
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as e:
            raise ImportFailed(f"{path}: 无法读取 ({e.strerror}); check the path and its permissions") from None
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise ImportFailed(f"{path}: 文件为空 (the file is empty)")
    extracted = READERS[kind](data, str(path))
    extracted.format = kind
    return extracted


# -- bytes to text ------------------------------------------------------------------------------


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
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return _strict(data, "utf-32", name), "UTF-32"
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8", name), "UTF-8 (BOM)"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16", name), "UTF-16 (BOM)"
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
    candidates = []
    for encoding in ("gb18030", "big5"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        candidates.append((plausibility(text) * (0.5 + _common_share(text) / 2 if encoding == "gb18030" else 0.9),
                           text, encoding.upper()))
    if len(data) % 2 == 0:
        for encoding in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            candidates.append((plausibility(text) * 0.95, text, "UTF-16"))
    best = max(candidates, default=None, key=lambda c: c[0])
    if best and best[0] >= 0.9:
        return best[1], best[2]
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


# -- readers ------------------------------------------------------------------------------------


def read_text(data: bytes, name: str) -> Extracted:
    text, encoding = decode(data, name)
    return Extracted(text.replace("\x00", ""), encoding=encoding)


FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.S)
META_KEYS = {"title": "title", "标题": "title", "source": "source", "url": "source", "来源": "source",
             "agency": "agency", "单位": "agency", "year": "year", "年度": "year", "region": "region",
             "level": "level", "date": "date_signed", "date_signed": "date_signed", "signed_by": "signed_by",
             "id": "id"}


def front_matter(text: str) -> tuple[dict, str]:
    """(metadata, body) of a Markdown text with or without YAML front matter."""
    m = FRONT_MATTER.match(text)
    if not m:
        return {}, text
    try:
        raw = yaml.safe_load(m.group(1) or "") or {}
    except yaml.YAMLError:
        return {}, text[m.end():]  # a broken block is not text of the report either
    meta = {}
    if isinstance(raw, dict):
        for key, value in raw.items():
            field_name = META_KEYS.get(str(key).lower())
            if field_name and value not in (None, ""):
                meta[field_name] = str(value).strip()
    return meta, text[m.end():]


def markdown_text(body: str) -> str:
    """Markdown reduced to what :func:`kb.ingest.repair.repair` reads: blocks, # headings and bold;
    comments, tags, links, images, quote and list marks and table rules removed."""
    body = re.sub(r"<!--.*?-->", "", body, flags=re.S)
    body = re.sub(r"<br\s*/?>", "\n", body, flags=re.I)
    body = re.sub(r"</?(?:span|font|div|p|u|i|em|sup|sub|center|a)\b[^>]*>", "", body, flags=re.I)
    body = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", body)
    body = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", body)
    lines = []
    for line in body.split("\n"):
        stripped = line.strip()
        if re.fullmatch(r"\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?", stripped):
            continue  # a table rule
        if stripped.startswith("|") and stripped.endswith("|"):
            cells = [c.strip() for c in stripped.strip("|").split("|")]
            line = "；".join(c for c in cells if c)
            lines.extend([line, ""])  # each row a paragraph
            continue
        line = re.sub(r"\*\*[ \t\u3000]*\*\*", "", line)  # **政**  **府** -> **政府**
        line = re.sub(r"^\s*>\s?", "", line)
        line = re.sub(r"^\s*[-*+]\s+(?=\S)", "", line)
        lines.append(line)
    return "\n".join(lines)


def read_markdown(data: bytes, name: str) -> Extracted:
    text, encoding = decode(data, name)
    meta, body = front_matter(text.replace("\r\n", "\n"))
    return Extracted(markdown_text(body), markdown=True, meta=meta, encoding=encoding)


def read_docx(data: bytes, name: str) -> Extracted:
    """A Word document as Markdown: heading styles as #, bold runs at the start as leads,
    table rows as paragraphs."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    if not data.startswith(b"PK"):
        raise ImportFailed(f"{name}: 不是有效的 .docx 文件 (not a Word .docx document"
                           f"{': it looks like ' + sniff(data) if sniff(data) else ''}); save it as .docx")
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as e:
        raise ImportFailed(f"{name}: 无法读取 .docx ({type(e).__name__}: {e}); open and save it again in Word") from None
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    blocks: list[str] = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            blocks.extend(_docx_paragraph(item))
        elif isinstance(item, Table):
            for row in item.rows:
                cells = list(dict.fromkeys(c.text.strip() for c in row.cells if c.text.strip()))
                if cells:
                    blocks.append("；".join(cells))
    meta = {}
    title = (document.core_properties.title or "").strip()
    if "报告" in title:
        meta["title"] = title
    return Extracted("\n\n".join(blocks), markdown=True, meta=meta, encoding="")


def _docx_paragraph(p) -> list[str]:
    text = p.text.replace("\t", " ")
    if not text.strip():
        return []
    style = (p.style.name if p.style is not None else "") or ""
    m = re.match(r"(?:Heading|标题)\s*(\d)", style)
    if m or style == "Title":
        return ["#" * (int(m.group(1)) if m else 1) + " " + " ".join(text.split())]
    lines = [line for line in text.split("\n") if line.strip()]
    bold = ""
    for run in p.runs:
        if not run.text:
            continue
        if run.bold or (run.bold is None and p.style is not None and p.style.font.bold):
            bold += run.text
        else:
            break
    bold = bold.strip()
    if bold and len(lines) == 1 and "**" not in text:
        rest = text.strip()[len(bold):] if text.strip().startswith(bold) else None
        if rest is not None:
            return [f"**{bold}**{rest}"]
    return lines


def read_pdf(data: bytes, name: str) -> Extracted:
    """The text layer of a PDF, one paragraph a line, found from the layout (see
    :func:`pdf_paragraphs`); pages cut by form feeds."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextBox, LTTextLine
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException

    if b"%PDF" not in data[:1024]:
        raise ImportFailed(f"{name}: 不是有效的 PDF 文件 (no PDF header"
                           f"{': it looks like ' + sniff(data) if sniff(data) else ''})")
    pages = []
    try:
        for page in extract_pages(io.BytesIO(data), laparams=LAParams()):
            lines = []
            for box in page:
                if isinstance(box, LTTextBox):
                    lines.extend(x for x in box if isinstance(x, LTTextLine))
            pages.append(sorted(lines, key=lambda line: (-round(line.y1), line.x0)))
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise ImportFailed(f"{name}: PDF 已加密 (encrypted PDF); save an unprotected copy first") from None
    except (PDFSyntaxError, PSException, ValueError, TypeError, KeyError, AttributeError) as e:
        raise ImportFailed(f"{name}: 无法读取 PDF ({type(e).__name__}: {e or 'damaged file'}); "
                           f"open and save it again, or export its text") from None
    text = "\f".join(pdf_paragraphs(pages))
    if not re.search(r"[\u4e00-\u9fff]", text):
        raise ImportFailed(f"{name}: PDF 没有文字层 (no text layer: a scanned PDF?); run OCR on it first")
    return Extracted(text, encoding="", layout=True)


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


def pdf_paragraphs(pages: list[list]) -> list[str]:
    """Each page's paragraphs, one a line, from the layout: a line that reaches the right
    margin (or stops mid-clause, before a line that opens no numbered heading) goes on in the
    next one unless that one is indented, set apart (another size, a wider gap) or opens a
    numbered heading after a full stop; a line short of the margin that ends a sentence ends
    its paragraph (。；： at the margin end nothing). An indented paragraph starts with U+3000; a
    page's last paragraph that reaches the margin or stops mid-sentence ends with U+00AD (it
    may go on overleaf)."""
    from kb.ingest.repair.pages import BARE_NUMBER, PAGE_NUMBER
    from kb.ingest.repair.shapes import ends_sentence, numbering

    m = _Measure.of(pages)
    out = []
    for page in pages:
        paragraphs: list[list] = []  # [text, full, last line]
        for line in page:
            text = line.get_text().strip("\n").strip()
            if not text:
                continue
            indented = line.x0 - m.left >= m.size * 0.9
            full = m.right - line.x1 < m.size * 1.2 and abs(line.height - m.size) <= m.size * 0.2
            prev = paragraphs[-1] if paragraphs else None
            goes_on = prev and (prev[1] or (not (ends_sentence(prev[0]) or numbering(text)) and (  # mid-clause
                _left_open(prev[0]) or prev[2].x1 - m.left >= 0.6 * (m.right - m.left))  # not a short heading
                and not m.centred(prev[2], indent=2.5)))  # nor a title centred further in than a paragraph's indent
            centred = prev and m.centred(prev[2]) and m.centred(line) and _left_open(prev[0])
            if (goes_on and not indented or centred) and _near(prev[2], line, m) \
                    and not (numbering(text) and ends_sentence(prev[0])):  # centred: a title wrapped inside （…）
                latin = prev[0][-1].isascii() and prev[0][-1].isalpha() and text[0].isascii() and text[0].isalpha()
                prev[0] += " " * latin + text
                prev[1], prev[2] = full, line
            else:
                paragraphs.append([("\u3000\u3000" if indented else "") + text, full, line])
        body = [p for p in paragraphs if abs(p[2].height - m.size) <= m.size * 0.2
                and not (PAGE_NUMBER.match(p[0].strip("\u3000 ")) or BARE_NUMBER.match(p[0].strip("\u3000 ")))]
        if body and (body[-1][1] or not ends_sentence(body[-1][0])):
            body[-1][0] += "\u00ad"  # reaches the margin, or stops mid-sentence: may go on overleaf
        out.append("\n".join(p[0] for p in paragraphs))
    return out


def _left_open(text: str) -> bool:
    """True if ``text`` ends inside a 《…》, （…）, “…” or 〔…〕 (处罚法》和《法治政府)."""
    return any(text.rfind(a) > text.rfind(b) for a, b in ("《》", "（）", "“”", "〔〕", "()"))


def _near(above, line, m: _Measure) -> bool:
    """True if ``line`` follows ``above`` at the body's line spacing and size (not a header or footer)."""
    return abs(line.height - above.height) <= m.size * 0.2 and above.y0 - line.y1 <= m.size * 1.5


BLOCK_TAGS = {"p", "div", "section", "article", "li", "tr", "table", "blockquote", "br", "h1", "h2", "h3",
              "h4", "h5", "h6", "pre", "ul", "ol", "dd", "dt", "td", "th", "center", "form"}


def read_html(data: bytes, name: str) -> Extracted:
    """The article of a web page (not its navigation, header or footer) as Markdown; the
    page's title and the article's heading as the title if they name a report."""
    import lxml.html
    from readability import Document
    from readability.readability import Unparseable

    text, encoding = _decode_html(data, name)
    try:
        doc = Document(text)
        article = doc.summary(html_partial=True)
        page_title = doc.short_title() or ""
    except (Unparseable, ValueError) as e:
        raise ImportFailed(f"{name}: 无法读取网页 ({e or 'no article found'}); save the article's text instead") from None
    root = lxml.html.fromstring(article)
    blocks: list[str] = []
    _html_blocks(root, blocks)
    if not any(re.search(r"[\u4e00-\u9fff]", b) for b in blocks):
        raise ImportFailed(f"{name}: 无法读取网页 (no article with Chinese text found); save the article's text instead")
    meta = {}
    page = lxml.html.fromstring(text)
    h1 = [" ".join(h.text_content().split()) for h in page.iter("h1")]
    parts = re.split(r"\s*[_|｜]\s*|\s+-\s+", doc.title() or page_title)
    titles = [t for t in (*h1, *parts) if "报告" in t and len(t) <= 80]
    sites = [t for t in parts[1:] if "报告" not in t and 2 <= len(t) <= 30]
    if sites:
        meta["site"] = sites[-1]  # 河南省人民政府门户网站: evidence of the agency, not a title
    blocks[:0] = _byline_outside(page, blocks)
    if titles:
        meta["title"] = titles[0]
        if blocks and _plain(blocks[0]) != titles[0] and titles[0] not in _plain(blocks[0]):
            blocks.insert(0, "# " + titles[0])
    return Extracted("\n\n".join(blocks), markdown=True, meta=meta, encoding=encoding)


def _byline_outside(page, blocks: list[str]) -> list[str]:
    """The byline of a speech that a page sets apart from the article's text (a centred
    ——2008年1月16日在…人民代表大会…上 and 省长 某某 above it), which the article extraction
    leaves out: those lines, in page order, if they are not in ``blocks``."""
    from kb.ingest.repair.byline import DATE_ONLY, DELIVERED, SPEAKER

    have = {_plain(b) for b in blocks[:12]}
    found: list[str] = []
    for el in page.iter("p", "div", "span", "h2", "h3", "h4", "center", "td"):
        if len(el) and any(isinstance(c.tag, str) and c.tag in BLOCK_TAGS for c in el):
            continue  # a container: its children are looked at
        line = " ".join(el.text_content().split())
        if not line or len(line) > 80 or line in have or line in found:
            continue
        if DELIVERED.search(line) or DATE_ONLY.match(line) or (found and SPEAKER.match(line)):
            found.append(line)
        elif found:
            break
    return found


def _plain(block: str) -> str:
    return re.sub(r"^#+\s*|\*\*", "", block)


def _decode_html(data: bytes, name: str) -> tuple[str, str]:
    m = re.search(rb"<meta[^>]+charset\s*=\s*[\"']?([\w-]+)", data[:4096], re.I)
    if m and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        declared = m.group(1).decode("ascii").lower()
        declared = {"gb2312": "gb18030", "gbk": "gb18030", "utf8": "utf-8"}.get(declared, declared)
        try:
            return data.decode(declared), declared.upper()
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration: detect
    return decode(data, name)


def _html_blocks(el, out: list[str]) -> None:
    """Walk the article: each block element a block, inline text joined, headings as #,
    a paragraph's leading <strong>/<b> as its bold lead."""
    inline: list[str] = []

    def flush() -> None:
        text = "".join(inline)
        inline.clear()
        text = re.sub(r"[ \t\r\n\xa0]+", " ", text).strip(" \u3000")
        if text:
            out.append(text)

    def walk(node) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in ("script", "style", "nav", "header", "footer", "aside", "noscript", "iframe", "button", "select"):
            if node.tail:
                inline.append(node.tail)
            return
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            flush()
            text = " ".join(node.text_content().split())
            if text:
                out.append("#" * int(tag[1]) + " " + text)
        elif tag in ("strong", "b") and not "".join(inline).strip():
            text = " ".join(node.text_content().split())
            if text:
                inline.append(f"**{text}**")
        elif tag in BLOCK_TAGS:
            flush()
            if node.text:
                inline.append(node.text)
            for child in node:
                walk(child)
            flush()
        else:
            if node.text:
                inline.append(node.text)
            for child in node:
                walk(child)
        if node.tail:
            inline.append(node.tail)

    walk(el)
    flush()


READERS: dict[str, Callable[[bytes, str], Extracted]] = {
    "text": read_text, "markdown": read_markdown, "docx": read_docx, "pdf": read_pdf, "html": read_html,
}

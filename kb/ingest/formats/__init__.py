"""Formats: read a report file of any supported type into text, and say what it carries.

The first step of the pipeline: :func:`read` turns the bytes of a ``.txt``, ``.md``,
``.docx``, ``.pdf``, ``.html`` or ``.htm`` file into an :class:`Extracted` text for
:mod:`kb.ingest.repair`:

- plain text (``.txt``): one line per line, paragraphs marked by indentation where the
  source had it;
- the text layer of a ``.pdf``: one paragraph per line, found from the layout (indents,
  lines short of the right margin), pages cut by form feeds (``\\f``); a scanned page is
  read by OCR (:mod:`~kb.ingest.formats.ocr`) into lines laid out the same way;
- Markdown (``.md``, and what ``.docx`` and ``.html`` are turned into): one block per
  paragraph, ``#`` headings and bold leads (``**一、……**``, ``**扩大有效投资。**正文``).

Text files may be UTF-8 (with or without BOM), GB18030/GBK, UTF-16 (with or without
BOM) or, failing those, what ``charset-normalizer`` finds. Anything that cannot become
text raises :class:`~kb.core.errors.ImportFailed` with a message saying what to do.

One module per kind of file: :mod:`~kb.ingest.formats.text` (plain text and Markdown),
:mod:`~kb.ingest.formats.word` (.docx), :mod:`~kb.ingest.formats.pdf`,
:mod:`~kb.ingest.formats.webpage` (.html), all decoding text with
:mod:`~kb.ingest.formats.encoding` and returning an :class:`~kb.ingest.formats.extracted.Extracted`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kb.core.errors import ImportFailed
from kb.ingest.formats.extracted import Extracted
from kb.ingest.formats.pdf import read_pdf
from kb.ingest.formats.text import read_markdown, read_text
from kb.ingest.formats.webpage import read_html
from kb.ingest.formats.word import read_docx

#: The file types ``kb import`` reads, by suffix.
FORMATS = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
           ".docx": "docx", ".pdf": "pdf", ".html": "html", ".htm": "html"}
SUPPORTED = tuple(FORMATS)
#: The reader of each file type.
READERS: dict[str, Callable[[bytes, str], Extracted]] = {
    "text": read_text, "markdown": read_markdown, "docx": read_docx, "pdf": read_pdf, "html": read_html,
}


def read(path: Path, data: bytes | None = None, progress: Callable[[int, int], None] | None = None) -> Extracted:
    """The text of the report file at ``path`` (``data``: its bytes, if already read);
    ``progress(done, total)`` after each page a PDF has read by OCR."""
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
    extracted = read_pdf(data, str(path), progress) if kind == "pdf" else READERS[kind](data, str(path))
    extracted.format = kind
    return extracted

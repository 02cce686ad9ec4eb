"""Web page: the article of an ``.html`` / ``.htm`` page read into Markdown for the repair.

A reader of :mod:`kb.ingest.formats` (``readability-lxml`` finds the article, not the page's
navigation, header or footer): block elements become blocks, headings ``#`` headings, a
paragraph's leading <strong> its bold lead. The page's title and the article's heading are
what the file says of the title if they name a report, the site's name (…门户网站) evidence of
the agency; a speech's byline the page sets apart from the article is put back above it.
"""

from __future__ import annotations

import re

from kb.core.errors import ImportFailed
from kb.ingest.formats.encoding import decode
from kb.ingest.formats.extracted import Extracted
from kb.ingest.repair.byline import DATE_ONLY, DELIVERED, SPEAKER

BLOCK_TAGS = {"p", "div", "section", "article", "li", "tr", "table", "blockquote", "br", "h1", "h2", "h3",
              "h4", "h5", "h6", "pre", "ul", "ol", "dd", "dt", "td", "th", "center", "form"}


def read_html(data: bytes, name: str) -> Extracted:
    """The article of a web page (not its navigation, header or footer) as Markdown; the
    page's title and the article's heading as the title if they name a report."""
    import lxml.html

    text, encoding = _decode_html(data, name)
    doc, article, page_title = _readable(text, name)
    blocks: list[str] = []
    _html_blocks(lxml.html.fromstring(article), blocks)
    if not any(re.search(r"[\u4e00-\u9fff]", b) for b in blocks):
        raise ImportFailed(f"{name}: 无法读取网页 (no article with Chinese text found); save the article's text instead")
    page = lxml.html.fromstring(text)
    meta, titles = _page_titles(page, doc.title() or page_title)
    blocks[:0] = _byline_outside(page, blocks)
    if titles:
        meta["title"] = titles[0]
        if blocks and _plain(blocks[0]) != titles[0] and titles[0] not in _plain(blocks[0]):
            blocks.insert(0, "# " + titles[0])
    return Extracted("\n\n".join(blocks), markdown=True, meta=meta, encoding=encoding)


def _readable(text: str, name: str) -> tuple:
    """(readability's document, the article's HTML, the page's short title) of a page's HTML."""
    from readability import Document
    from readability.readability import Unparseable

    try:
        doc = Document(text)
        article = doc.summary(html_partial=True)
        page_title = doc.short_title() or ""
    except (Unparseable, ValueError) as e:
        raise ImportFailed(f"{name}: 无法读取网页 ({e or 'no article found'}); save the article's text instead") from None
    return doc, article, page_title


def _page_titles(page, title: str) -> tuple[dict, list[str]]:
    """({site: the site's name} if the page's ``title`` names one, the titles that name a
    report: the page's <h1>s and the parts of its ``title``)."""
    h1 = [" ".join(h.text_content().split()) for h in page.iter("h1")]
    parts = re.split(r"\s*[_|｜]\s*|\s+-\s+", title)
    titles = [t for t in (*h1, *parts) if "报告" in t and len(t) <= 80]
    sites = [t for t in parts[1:] if "报告" not in t and 2 <= len(t) <= 30]
    meta = {}
    if sites:
        meta["site"] = sites[-1]  # 河南省人民政府门户网站: evidence of the agency, not a title
    return meta, titles


def _byline_outside(page, blocks: list[str]) -> list[str]:
    """The byline of a speech that a page sets apart from the article's text (a centred
    ——2008年1月16日在…人民代表大会…上 and 省长 某某 above it), which the article extraction
    leaves out: those lines, in page order, if they are not in ``blocks``."""
    have = {_plain(b) for b in blocks[:12]}
    found: list[str] = []
    for line in _leaf_lines(page):
        if not line or len(line) > 80 or line in have or line in found:
            continue
        if DELIVERED.search(line) or DATE_ONLY.match(line) or (found and SPEAKER.match(line)):
            found.append(line)
        elif found:
            break
    return found


def _leaf_lines(page):
    """The text of each element of a page that may hold a line of text, in page order."""
    for el in page.iter("p", "div", "span", "h2", "h3", "h4", "center", "td"):
        if len(el) and any(isinstance(c.tag, str) and c.tag in BLOCK_TAGS for c in el):
            continue  # a container: its children are looked at
        yield " ".join(el.text_content().split())


def _plain(block: str) -> str:
    """A block without its Markdown marks (# and **)."""
    return re.sub(r"^#+\s*|\*\*", "", block)


def _decode_html(data: bytes, name: str) -> tuple[str, str]:
    """(text, encoding) of a page: by the charset its <meta> declares, else as any text file."""
    m = re.search(rb"<meta[^>]+charset\s*=\s*[\"']?([\w-]+)", data[:4096], re.I)
    if m and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        declared = m.group(1).decode("ascii").lower()
        declared = {"gb2312": "gb18030", "gbk": "gb18030", "utf8": "utf-8"}.get(declared, declared)
        try:
            return data.decode(declared), declared.upper()
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration: detect
    return decode(data, name)


SKIPPED_TAGS = ("script", "style", "nav", "header", "footer", "aside", "noscript", "iframe", "button", "select")
HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def _html_blocks(el, out: list[str]) -> None:
    """Walk the article: each block element a block, inline text joined, headings as #,
    a paragraph's leading <strong>/<b> as its bold lead."""
    blocks = _Blocks(out)
    blocks.walk(el)
    blocks.flush()


class _Blocks:
    """The walk of :func:`_html_blocks`: the inline text gathered since the last block."""

    def __init__(self, out: list[str]):
        self.out = out
        self.inline: list[str] = []

    def flush(self) -> None:
        text = "".join(self.inline)
        self.inline.clear()
        text = re.sub(r"[ \t\r\n\xa0]+", " ", text).strip(" \u3000")
        if text:
            self.out.append(text)

    def walk(self, node) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in SKIPPED_TAGS:
            pass
        elif tag in HEADING_TAGS:
            self.flush()
            text = " ".join(node.text_content().split())
            if text:
                self.out.append("#" * int(tag[1]) + " " + text)
        elif tag in ("strong", "b") and not "".join(self.inline).strip():
            text = " ".join(node.text_content().split())
            if text:
                self.inline.append(f"**{text}**")
        elif tag in BLOCK_TAGS:
            self.flush()
            self.children(node)
            self.flush()
        else:
            self.children(node)
        if node.tail:
            self.inline.append(node.tail)

    def children(self, node) -> None:
        """The node's own text, then each child walked."""
        if node.text:
            self.inline.append(node.text)
        for child in node:
            self.walk(child)

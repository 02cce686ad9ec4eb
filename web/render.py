"""Render a report's paragraphs and headings as HTML with the markdown package.

The paragraph text arrives already HTML-escaped with the query's matches in
``<mark>`` (from :mod:`kb.text.highlight`); markdown only adds the bold run-in heading and
the paragraph element. Links and images are switched off, the report's own Markdown
characters are escaped, and control characters are dropped (markdown keeps its
placeholders for stashed HTML between \x02 and \x03), so nothing in a report can
become markup: ``<script>`` in a report is shown as the text ``<script>``.
"""

from __future__ import annotations

import re
import threading

import markdown

_local = threading.local()
# Links, images and autolinks off; the only raw HTML left is our own <mark> and entities.
_DISABLED_INLINE = ("link", "image_link", "image_reference", "reference", "short_reference",
                    "short_image_ref", "autolink", "automail")


def _md() -> markdown.Markdown:
    md = getattr(_local, "md", None)
    if md is None:
        md = markdown.Markdown()
        for name in _DISABLED_INLINE:
            if name in md.inlinePatterns:
                md.inlinePatterns.deregister(name)
        _local.md = md
    return md


_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _escape_markdown(s: str) -> str:
    """Keep the report's own * _ ` [ # characters as text."""
    s = _CONTROLS.sub("", s)
    for ch in "\\`*_[]":
        s = s.replace(ch, "\\" + ch)
    s = re.sub(r"^(\d+)\.", r"\1\\.", s)  # not an ordered list
    return "\\" + s if s.startswith(("#", ">", "-", "+", "=")) else s


def paragraph_html(p: dict) -> str:
    """A paragraph's HTML: its run-in heading in bold, matches marked."""
    if p.get("lead"):
        source = f"**{_escape_markdown(p['lead_html'])}**{_escape_markdown(p['rest_html'])}"
    else:
        source = _escape_markdown(p["html"])
    md = _md()
    md.reset()
    return md.convert(source.replace("\n", " "))


def blocks(report: dict) -> list[dict]:
    """Headings and paragraphs in reading order, each heading once, before its first paragraph."""
    out: list[dict] = []
    above: list[str] = []
    for p in report["paragraphs"]:
        headings = p["headings"]
        common = 0
        while common < min(len(above), len(headings)) and above[common] == headings[common]:
            common += 1
        for depth in range(common, len(headings)):
            out.append({"kind": "heading", "level": min(depth + 2, 6), "text": headings[depth],
                        "anchor": f"{p['anchor']}-h{depth + 1}"})
        above = headings
        out.append({"kind": "paragraph", "p": p, "html": paragraph_html(p)})
    return out

"""What a page may contain: the markup our templates make, and nothing a report or a
query could have brought in.

``unsafe_markup(html)`` parses a page and lists every element, attribute or script that
did not come from ``web/templates``: a tag we never write, an event handler (``on…``),
a ``javascript:`` URL, an inline style, or a script that is not one of our static files.
Text that *looks* like markup (``&lt;script&gt;``) is text, and fine.
"""

from __future__ import annotations

from html.parser import HTMLParser

#: Every element web/templates and the Markdown renderer write (and the server-drawn SVG charts).
ALLOWED_TAGS = frozenset("""
    html head meta title link body header nav form label input button main footer div aside
    section article h1 h2 h3 h4 h5 h6 p a ul ol li span strong em mark dl dt dd table thead
    tbody tr th td details summary script br code
    figure figcaption svg rect text g nav
""".split())
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "srcdoc")
SECURITY_HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options")


class _Checker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"element <{tag}>")
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on"):
                self.problems.append(f"event handler {name} on <{tag}>")
            if name == "style":
                self.problems.append(f"inline style on <{tag}>")
            if name in URL_ATTRIBUTES and value.replace("\t", "").replace("\n", "").startswith(("javascript:", "data:text")):
                self.problems.append(f"{name}={value[:40]!r} on <{tag}>")
        if tag == "script":
            src = dict(attrs).get("src") or ""
            if not src.startswith("/static/"):
                self.problems.append(f"script not from /static/: {src!r}")
            self.in_script = True

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self.in_script = False

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False

    def handle_data(self, data):
        if self.in_script and data.strip():
            self.problems.append(f"inline script: {data.strip()[:40]!r}")


def unsafe_markup(page: str) -> list[str]:
    """Every piece of markup in ``page`` that our templates do not write."""
    checker = _Checker()
    checker.feed(page)
    checker.close()
    return checker.problems


def assert_security_headers(headers) -> None:
    """The headers every answer carries: a CSP without inline script, nosniff, no framing."""
    csp = headers.get("Content-Security-Policy", "")
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp, csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp, csp
    assert headers.get("X-Content-Type-Options") == "nosniff"
    assert headers.get("Referrer-Policy") == "same-origin"
    assert headers.get("X-Frame-Options") == "DENY"

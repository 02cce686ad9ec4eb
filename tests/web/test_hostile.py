"""Hostile reports and hostile requests: shown as text, answered with a clear 4xx, never a 500.

A report can carry anything in its title, metadata, headings and text -- ``<script>``,
``<img onerror>``, event handlers, ``javascript:`` links, Markdown that would make
links and raw HTML, control characters -- and so can a query. Every page shows them
escaped (checked structurally: no element, attribute or script that our templates do
not write), the API returns them as data, the terminal gets no escape sequences, and
the limits on queries and parameters are answered with a 400 that says what they are.
The browser half (nothing executes) is in test_browser.py.
"""

from __future__ import annotations

import io
import re
from contextlib import redirect_stderr, redirect_stdout
from urllib.parse import quote

import pytest

from kb import cli
from kb.cli.terminal import safe
from kb.core.settings import Limits
from kb.engines.query import MAX_DEPTH, MAX_QUERY_LENGTH, MAX_TERMS
from tests.support import paths
from tests.support.safety import assert_security_headers, unsafe_markup
from tests.support.seeds import HOSTILE_ID

API_DOC = paths.ROOT / "docs" / "API.md"  # where the limits are documented
HOSTILE_AGENCY = """<b onmouseover="window.__pwned='agency'">恶意局</b><img src=x onerror="window.__pwned='agency-img'">"""
SCRIPT_QUERIES = [
    "<script>window.__pwned=1</script> 防注入测试",
    '<img src=x onerror="window.__pwned=1"> 法律顾问',
    '"><svg onload=alert(1)> 防注入测试',
    "javascript:alert(1)",
    "</title><script>alert(1)</script>",
]


def hostile_pages() -> list[str]:
    pages = [
        "/", "/?q=防注入测试", "/?q=防注入测试&sort=year", "/reports", "/topics",
        f"/reports/{HOSTILE_ID}", f"/reports/{HOSTILE_ID}?q=防注入测试", f"/reports/{HOSTILE_ID}?q=script",
        "/compare?q=防注入测试", "/compare?q=法律顾问", f"/paragraphs/{HOSTILE_ID}.p1/similar",
        "/?agency=" + quote(HOSTILE_AGENCY), "/?q=法律顾问&agency=" + quote(HOSTILE_AGENCY),
        "/?region=" + quote("河北省"),
    ]
    for q in SCRIPT_QUERIES:
        pages += ["/?q=" + quote(q), "/compare?q=" + quote(q), f"/reports/{HOSTILE_ID}?q=" + quote(q)]
    return pages


@pytest.mark.parametrize("url", hostile_pages())
def test_pages_show_hostile_reports_and_queries_as_text(hostile_client, url):
    """GIVEN a report with <script>, <img onerror>, handlers and javascript: links in its
    title, agency, region, heading and text WHEN any page shows it, or a query that
    carries them THEN the page holds no markup but ours, and the answer has the headers."""
    r = hostile_client.get(url)
    assert r.status_code in (200, 400), r.status_code
    page = r.get_data(as_text=True)
    assert unsafe_markup(page) == []
    assert_security_headers(r.headers)
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", page)  # control characters are shown as �


def test_report_page_shows_the_hostile_text_escaped(hostile_client):
    page = hostile_client.get(f"/reports/{HOSTILE_ID}?q=防注入测试").get_data(as_text=True)
    assert "&lt;script&gt;window.__pwned=&#39;title&#39;&lt;/script&gt;恶意报告" in page  # <title> and <h1>
    assert "正文里有&lt;script&gt;window.__pwned=&#x27;text&#x27;&lt;/script&gt;和&lt;img src=x onerror=" in page
    assert "[<mark>防注入测试</mark>链接](javascript:" in page  # a Markdown link stays text
    assert "&amp;#60;script&amp;#62;" in page  # an entity in the report is shown as typed
    assert "<mark>防注入测试</mark>" in page


def test_api_returns_the_hostile_text_as_data(hostile_client):
    """The JSON keeps the report as written (it is data); its HTML fields are escaped."""
    report = hostile_client.get(f"/api/reports/{HOSTILE_ID}?q=防注入测试").get_json()
    assert report["title"].startswith("<script>window.__pwned='title'</script>")
    assert report["agency"] == HOSTILE_AGENCY
    for p in report["paragraphs"]:
        assert re.sub(r"</?mark>", "", p["html"]).count("<") == 0, p["html"]
    hits = hostile_client.get("/api/search?q=防注入测试&size=100&match=exact").get_json()["hits"]
    assert hits and all(h["agency"] == HOSTILE_AGENCY for h in hits)
    for h in hits:
        assert re.sub(r"</?mark>", "", h["excerpt_html"]).count("<") == 0, h["excerpt_html"]
        assert h["url"].startswith(f"/reports/{HOSTILE_ID}?q=")


def test_facet_values_and_chips_are_escaped(hostile_client):
    r = hostile_client.get("/api/search", query_string={"q": "防注入测试", "agency": HOSTILE_AGENCY, "match": "exact"})
    data = r.get_json()
    assert data["facets"]["agency"] == [
        {"value": HOSTILE_AGENCY, "label": HOSTILE_AGENCY, "count": data["total"], "selected": True}]
    page = hostile_client.get("/", query_string={"q": "防注入测试", "agency": HOSTILE_AGENCY, "match": "exact"}).get_data(as_text=True)
    assert "单位：&lt;b onmouseover=" in page  # the chip
    assert unsafe_markup(page) == []


def test_error_messages_echo_input_escaped(hostile_client):
    r = hostile_client.get("/reports/" + quote("<script>alert(1)</script>", safe=""))
    assert r.status_code == 404 and unsafe_markup(r.get_data(as_text=True)) == []
    r = hostile_client.get("/?page=" + quote("<script>alert(1)</script>"))
    assert r.status_code == 400
    page = r.get_data(as_text=True)
    assert "&lt;script&gt;" in page and unsafe_markup(page) == []
    r = hostile_client.get("/api/search?sort=" + quote("<img src=x onerror=alert(1)>"))
    assert r.status_code == 400 and r.is_json and "<img" in r.get_json()["error"]  # JSON is data
    assert r.headers["X-Content-Type-Options"] == "nosniff"


def test_terminal_output_escapes_control_characters(hostile):
    """GIVEN a report paragraph with a terminal escape sequence WHEN `kb search` prints it
    THEN the escape character is never sent to the terminal (the excerpt shows �, other
    fields \\x1b); --json escapes it as JSON does."""
    corpus, index = hostile
    for extra in ([], ["--json"]):
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            rc = cli.main(["search", "--corpus", str(corpus), "--index", str(index), *extra, "控制字符"])
        assert rc == 0, err.getvalue()
        assert "\x1b" not in out.getvalue() and "\x07" not in out.getvalue()
        if extra:
            assert "\\u001b[31m红色" in out.getvalue()
        else:
            assert "\ufffd[31m红色" in out.getvalue()
    assert safe("a\x1b]0;title\x07b\x9bc") == "a\\x1b]0;title\\x07b\\x9bc"


# -- hostile and broken requests --------------------------------------------------------------------

HOSTILE_REQUESTS = [
    # (url, status, a fragment of the message)
    ("/api/search?q=" + "法" * 10_000, 400, "query longer than 500"),
    ("/api/search?q=" + "a" * 10_000, 400, "query longer than 500"),
    ("/api/search?q=" + quote("ﷺ" * 400), 400, "query longer than 500"),  # NFKC makes 18 characters of one
    ("/api/search?q=" + "(" * 400 + "a", 400, "nested deeper"),
    ("/api/search?q=" + quote("-(" * 30 + "a"), 400, "nested deeper"),
    ("/api/search?q=" + quote(" ".join(f"词{i}" for i in range(40))), 400, "more than 32"),
    ("/api/compare?q=" + "(" * 400 + "a", 400, "nested deeper"),
    ("/api/search?q=%22", 400, "no letters"),
    ("/api/search?q=" + quote('"((( 法律'), 200, ""),
    ("/api/search?q=" + quote(")))) 法律 ((((\""), 200, ""),
    ("/api/search?q=" + quote("，。！？；：……——"), 400, "no letters"),
    ("/api/search?q=%00%01%02%1b", 400, "no letters"),
    ("/api/search?q=%00%E6%B3%95%E5%BE%8B%1b", 200, ""),
    # bytes that are not UTF-8 reach the app as their %XX (werkzeug); the real server: test_fuzz.py
    ("/api/search?q=%FF%FE%FD", 200, ""),
    ("/api/search?q=%E6%B3%95%FF%E5%BE%8B", 200, ""),
    ("/api/search?q=%ED%A0%80", 200, ""),  # an encoded surrogate
    ("/api/search?q=%E2%80%AE%E6%B3%95", 200, ""),  # right-to-left override
    ("/api/search?q=" + quote("a)" * 200), 200, ""),
    ("/api/search?page=-1", 400, "page must be between 1 and 1000"),
    ("/api/search?page=0", 400, "page must be between"),
    ("/api/search?page=1000000000", 400, "page must be between"),
    ("/api/search?page=" + "9" * 5000, 400, "page must be a whole number"),
    ("/api/search?page=%D9%A3", 400, "page must be a whole number"),  # an Arabic-Indic 3
    ("/api/search?page=1e3", 400, "page must be a whole number"),
    ("/api/search?page=", 400, "page must be a whole number"),
    ("/api/search?page=1000&q=法律", 404, "past the last page"),
    ("/api/search?size=0", 400, "size must be between 1 and 100"),
    ("/api/search?size=1000000", 400, "size must be between"),
    ("/api/search?size=%00", 400, "size must be a whole number"),
    ("/api/search?sort=random", 400, "unknown sort"),
    ("/api/search?sort=" + "x" * 5000, 400, "unknown sort"),
    ("/api/search?unknown=1&facet=2&q=法律", 200, ""),
    ("/api/search?agency=no-such-agency", 200, ""),
    ("/api/search?agency=%00&year=%FF", 200, ""),
    ("/api/search?agency=" + "x" * 201, 400, "longer than 200"),
    ("/api/search?" + "&".join(f"year={y}" for y in range(2000, 2021)), 400, "at most 20 values"),
    ("/api/reports/..%2F..%2Fetc%2Fpasswd", 404, "not found"),
    ("/api/reports/..", 404, ""),
    ("/api/reports/%2e%2e", 404, ""),
    ("/api/reports/%FF", 404, ""),
    ("/api/reports/" + "a" * 5000, 404, ""),
    ("/api/reports/2023-fcba1866?q=" + "法" * 600, 400, "query longer than 500"),
    ("/api/reports/2023-fcba1866?q=%00%FF%22((", 200, ""),
    ("/api/paragraphs/%00/similar", 404, ""),
    ("/api/paragraphs/" + "p" * 5000 + "/similar", 404, ""),
    ("/api/paragraphs/2023-fcba1866.p6/similar?limit=0", 400, "limit"),
    ("/api/paragraphs/2023-fcba1866.p6/similar?limit=" + "9" * 50, 400, "limit"),
    ("/api/nothing", 404, "not found"),
    ("/reports/..%2F..%2Fetc%2Fpasswd", 404, ""),
    ("/?q=" + "(" * 400, 400, "查询嵌套过深"),  # pages say it in Chinese alone, the API in both
    ("/?page=-1", 400, "页码"),
    ("/compare?q=%EF%BC%8C", 400, "查询中没有可检索的文字"),
    ("/static/..%2F..%2Fkb%2Fbuild.py", 404, ""),
    ("/static/../kb/build.py", 404, ""),
]


@pytest.mark.parametrize("url, status, fragment", HOSTILE_REQUESTS, ids=lambda v: str(v)[:50])
def test_hostile_requests_get_a_clear_answer(client, url, status, fragment):
    """Each answer is the expected status with JSON under /api (HTML elsewhere) whose
    message says what is wrong; nothing gives a 500."""
    r = client.get(url)
    assert r.status_code == status, (r.status_code, r.get_data(as_text=True)[:300])
    if url.startswith("/api/"):
        body = r.get_json()
        assert isinstance(body, dict)
        if status != 200:
            assert fragment in body["error"] and body["status"] == status
    else:
        assert r.content_type.startswith("text/html")
        if fragment:
            assert fragment in r.get_data(as_text=True)
    assert_security_headers(r.headers)


def test_limits_are_documented_in_the_api_docs():
    """docs/API.md states each limit with the number the code enforces."""
    text = API_DOC.read_text(encoding="utf-8")
    for number in (MAX_QUERY_LENGTH, MAX_TERMS, MAX_DEPTH, Limits.page_size, Limits.page, Limits.filter_values,
                   Limits.value_length):
        assert re.search(rf"\b{number}\b", text), number


# -- headers, errors and the read-only site ------------------------------------------------------


@pytest.fixture(scope="module")
def production_app(corpus_dir, index_dir):
    """The app as `kb serve` makes it (not TESTING: errors go to the error handler)."""
    from web import create_app

    app = create_app({"CORPUS_DIR": str(corpus_dir), "INDEX_DIR": str(index_dir)})

    @app.get("/api/boom")
    def boom():
        raise RuntimeError("a bug")

    @app.get("/boom")
    def boom_page():
        raise RuntimeError("a bug")

    app.logger.disabled = True
    return app


@pytest.mark.parametrize("url, status", [("/", 200), ("/api/search?q=法律", 200), ("/static/style.css", 200),
                                         ("/static/report.js", 200), ("/favicon.ico", 200), ("/nope", 404),
                                         ("/api/nope", 404), ("/boom", 500), ("/api/boom", 500)])
def test_every_answer_has_the_security_headers(production_app, url, status):
    with production_app.test_client().get(url) as r:
        assert r.status_code == status
        assert_security_headers(r.headers)
        if status == 500:
            body = r.get_data(as_text=True)
            assert "a bug" not in body and "Traceback" not in body  # no details leak
            assert ("internal error" if url.startswith("/api/") else "服务器内部错误") in body  # pages: Chinese alone


def test_the_site_is_read_only(production_app):
    """Every route answers GET (and HEAD, OPTIONS) only; every write method is a 405."""
    for rule in production_app.url_map.iter_rules():
        assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule
    client = production_app.test_client()
    for method in ("post", "put", "patch", "delete"):
        for url in ("/", "/api/search", f"/api/reports/{HOSTILE_ID}", "/reports"):
            r = getattr(client, method)(url, data=b"x" * 100)
            assert r.status_code == 405, (method, url)
            if url.startswith("/api/"):
                assert r.get_json()["status"] == 405


def test_serve_binds_loopback_by_default():
    """(test_serve.py checks what the running server listens on.)"""
    assert cli.parser().parse_args(["serve"]).host == "127.0.0.1"

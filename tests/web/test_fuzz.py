"""Property-based fuzzing (hypothesis): whatever a user types or sends, the answer is
a clear one -- never a 500, never a traceback, always JSON under /api.

Over 10,000 generated queries and parameter sets, against the corpus with the hostile
report (tests/data/hostile/):

| target | how | examples |
| --- | --- | --- |
| the JSON API | Flask test client (errors propagate: a bug fails the test) | 5,000 |
| the HTML pages | Flask test client; no markup but ours in the page | 1,500 |
| the command line | ``kb.cli.main(argv)`` in-process, output captured | 2,500 |
| the real server | ``kb serve`` (waitress), raw bytes over a loopback socket | 1,500 |
| the command line | the ``kb`` console script as a subprocess, 4 at a time | 15 × 4 |

Queries mix the query language (OR, -, parentheses, quotes), the corpus's own words,
markup, control characters, bytes that are not UTF-8, lone surrogates, characters
that NFKC expands, and 10,000-character runs; parameters mix valid values, numbers far
out of range, non-ASCII digits, unknown facets and values, and ``../`` in ids.

``KB_FUZZ_SCALE=10 pytest tests/test_fuzz.py`` runs ten times as many examples.
"""

from __future__ import annotations

import io
import json
import os
import re
import socket
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb import cli
from kb.search.facets import FACETS
from tests.support.safety import unsafe_markup
from tests.support.seeds import HOSTILE_ID
from tests.support.server import running_server

SCALE = float(os.environ.get("KB_FUZZ_SCALE", "1"))
KB = str(Path(sys.executable).parent / "kb")


def examples(n: int):
    return settings(max_examples=max(1, int(n * SCALE)), deadline=None, suppress_health_check=list(HealthCheck))


# -- what a user may send ---------------------------------------------------------------------------

WORDS = ["法律顾问", "双随机一公开", "双随机、一公开", "行政处罚法", "《行政处罚法》", "放管服", "三项制度", "执法",
         "行政處罰法", "２０２３", "PM2.5", "防注入测试", "控制字符", "合法性审查", "公职律师", "复议", "诉讼"]
SYNTAX = ["OR", "or", "-", "(", ")", '"', "--", "-(", "((", "))", '""', "OR OR", "- -", "《", "》", "、", "，", "。",
          "：", "；", "！", "？", "……", "——", "·", " ", "\u3000", "\t", "\n"]
HOSTILE = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "javascript:alert(1)", "&amp;", "&#60;",
           "%", "%00", "%FF", "\\", "'", "`", "${7*7}", "{{7*7}}", "../", "..\\", "/etc/passwd", "\x00", "\x1b[31m",
           "\x07", "\x02", "\x1f", "\x7f", "\u202e", "\u200b", "\ufeff", "ﷺ", "𠀀", "😀", "\ud800", "\udcff", "\ufffd",
           "Ａ", "ｏｒ", "İ", "ß", "\u0301", "a" * 300, "法" * 300]
pieces = st.one_of(
    st.sampled_from(WORDS + SYNTAX + HOSTILE),
    st.text(max_size=8),
    st.text(alphabet="法律顾问双随机一公开行政处罚执法监督审查制度", min_size=1, max_size=6),
    st.characters(),
)
queries = st.one_of(
    st.tuples(st.lists(pieces, max_size=12), st.sampled_from([" ", "", " OR ", " -", "("])).map(lambda t: t[1].join(t[0])),
    st.text(max_size=60),
    st.tuples(st.sampled_from(["法", "a", "(", "-(", "OR ", "法律 ", '"', "ﷺ", "-"]), st.integers(1, 10_000)).map(
        lambda t: t[0] * t[1]),
)
numbers = st.one_of(
    st.integers(-10**12, 10**12).map(str),
    st.integers(0, 1200).map(str),
    st.sampled_from(["", "0", "1", "-1", "2", "1000", "1001", "100", "101", "1e3", "٣", " 5 ", "0x10", "1_000", "９",
                     "+3", "3.0", "nan", "inf", "9" * 30, "9" * 5000, "\x00", "1\x00"]),
    st.text(max_size=10),
)
sorts = st.one_of(st.sampled_from(["relevance", "year", "year_asc", "", "random", "YEAR", "year "]), st.text(max_size=10))
facet_values = st.one_of(
    st.sampled_from(["巨鹿县卫生健康局", "黎平县卫生健康局", "南阳市卫生健康体育委员会", "2023", "2024", "2025", "执法",
                     "决策", "举措和成效", "不足和原因", "县", "市", "河北省", "《中华人民共和国行政处罚法》"]),
    st.sampled_from(HOSTILE),
    st.text(max_size=30),
)
facet_names = st.sampled_from([*FACETS, "unknown", "q2", "Agency", "agency[]", ""])
report_ids = st.one_of(
    st.sampled_from([HOSTILE_ID, "2023-fcba1866", "2024-cace2198", "no-such-report", "..", ".", "../etc/passwd",
                     "2023-fcba1866/../2024-cace2198", "2023-fcba1866.md", "a" * 300, "%2e%2e", "CON", ""]),
    st.text(max_size=20),
)
paragraph_ids = st.one_of(
    st.sampled_from(["2023-fcba1866.p6", f"{HOSTILE_ID}.p1", "2023-fcba1866.p0", "2023-fcba1866.p9999", "x.p1"]),
    report_ids,
)


@st.composite
def search_params(draw) -> list[tuple[str, str]]:
    """Query-string pairs of a search: any subset of q, page, size, sort and facets, repeated at will."""
    pairs: list[tuple[str, str]] = []
    if draw(st.booleans()):
        pairs.append(("q", draw(queries)))
    for name, strategy in (("page", numbers), ("size", numbers), ("sort", sorts)):
        if draw(st.integers(0, 3)) == 0:
            pairs.append((name, draw(strategy)))
    for _ in range(draw(st.integers(0, 3))):
        name = draw(facet_names)
        many = draw(st.integers(0, 20)) == 0  # now and then past the limit of values
        values = draw(st.lists(facet_values, min_size=1, max_size=25 if many else 3))
        pairs += [(name, v) for v in values]
    if draw(st.integers(0, 9)) == 0:
        pairs.append((draw(st.text(max_size=5)), draw(st.text(max_size=5))))
    return pairs


def _q(text: str) -> str:
    """Percent-encode anything, lone surrogates included (they become bytes that are not UTF-8)."""
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


def query_string(pairs: list[tuple[str, str]]) -> str:
    return "&".join(f"{_q(k)}={_q(v)}" for k, v in pairs)


@st.composite
def api_requests(draw) -> str:
    kind = draw(st.sampled_from(["search", "search", "search", "compare", "report", "similar", "reports", "topics"]))
    if kind in ("search", "compare"):
        return f"/api/{kind}?" + query_string(draw(search_params()))
    if kind == "report":
        qs = query_string([("q", draw(queries))]) if draw(st.booleans()) else ""
        return f"/api/reports/{_q(draw(report_ids))}?{qs}"
    if kind == "similar":
        qs = query_string([("limit", draw(numbers))]) if draw(st.booleans()) else ""
        return f"/api/paragraphs/{_q(draw(paragraph_ids))}/similar?{qs}"
    return f"/api/{kind}"


@st.composite
def page_requests(draw) -> str:
    return draw(api_requests()).removeprefix("/api").replace("/search?", "/?", 1)


# -- the API and the pages, in-process -------------------------------------------------------------------


def check_api_answer(r, url: str) -> None:
    assert r.status_code in (200, 400, 404), (url, r.status_code)
    body = r.get_json(silent=True)
    assert isinstance(body, dict), (url, r.get_data()[:200])
    if r.status_code != 200:
        assert isinstance(body["error"], str) and body["error"] and body["status"] == r.status_code
        return
    if url.startswith("/api/search"):
        assert len(body["hits"]) <= body["size"] and body["total"] >= len(body["hits"])
        for hit in body["hits"]:
            assert re.sub(r"</?mark>", "", hit["excerpt_html"]).count("<") == 0, hit["excerpt_html"]


@examples(5000)
@given(url=api_requests())
def test_api_answers_every_request_with_json(hostile_client, url):
    check_api_answer(hostile_client.get(url), url)


@examples(1500)
@given(url=page_requests())
def test_pages_answer_every_request_with_a_safe_page(hostile_client, url):
    r = hostile_client.get(url)
    assert r.status_code in (200, 400, 404), (url, r.status_code)
    assert r.content_type.startswith("text/html")
    assert unsafe_markup(r.get_data(as_text=True)) == [], url


# -- the command line ------------------------------------------------------------------------------------------


@st.composite
def cli_argv(draw) -> list[str]:
    """Arguments of `kb search` / `kb compare` (options in --name=value form, the query after --)."""
    argv = [draw(st.sampled_from(["search", "search", "compare"]))]
    for name, strategy in (("page", numbers), ("size", numbers), ("sort", sorts)):
        if argv[0] == "search" and draw(st.integers(0, 3)) == 0:
            argv.append(f"--{name}={draw(strategy)}")
    for _ in range(draw(st.integers(0, 2))):
        name = draw(st.sampled_from(list(FACETS)))
        argv.append(f"--{name.replace('_', '-')}={draw(facet_values)}")
    if draw(st.booleans()):
        argv.append("--json")
    argv.append("--")
    argv += draw(st.lists(queries, max_size=3))
    return argv


def check_cli_answer(rc: int, out: str, err: str, argv: list) -> None:
    assert "Traceback" not in err, err
    assert rc in (0, 1), (argv, rc, err)
    if rc == 1:
        assert err.startswith("Error: ") and out == "", (argv, err, out)
        return
    assert "\x1b" not in out
    if "--json" in argv[:argv.index("--")]:  # after --, "--json" is a query
        body = json.loads(out)
        assert isinstance(body, dict) and ("total" in body)


@examples(2500)
@given(argv=cli_argv())
def test_cli_answers_every_command_with_output_or_an_error(hostile, argv):
    corpus, index = hostile
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            rc = cli.main([argv[0], "--corpus", str(corpus), "--index", str(index), *argv[1:]])
        except SystemExit as e:  # argparse: a usage error
            rc = e.code
    check_cli_answer(rc, out.getvalue(), err.getvalue(), argv)


def _argv_bytes(arg: str) -> bytes:
    return arg.encode("utf-8", "surrogateescape" if not re.search("[\ud800-\udc7f]", arg) else "surrogatepass")


@examples(15)
@given(argvs=st.lists(cli_argv(), min_size=4, max_size=4))
def test_cli_subprocess_answers_every_command_with_output_or_an_error(hostile, argvs):
    """The console script for real: bytes that are not UTF-8 in argv, the real stdout."""
    corpus, index = hostile
    env = {k: v for k, v in os.environ.items() if k not in ("KB_CORPUS", "KB_INDEX")}

    def run(argv):
        args = [KB, argv[0], "--corpus", str(corpus), "--index", str(index), *argv[1:]]
        args = [_argv_bytes(a).replace(b"\x00", b"") for a in args]
        proc = subprocess.run(args, capture_output=True, env=env, timeout=120)
        return proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8", "replace"), argv

    with ThreadPoolExecutor(4) as pool:
        for rc, out, err, argv in pool.map(run, argvs):
            check_cli_answer(rc, out, err, argv)


# -- the real server, raw bytes over a socket ------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(hostile):
    corpus, index = hostile
    with running_server(corpus, index) as base:
        yield int(base.rsplit(":", 1)[1])


def raw_get(port: int, target: bytes) -> tuple[int, dict[str, str], bytes]:
    """(status, headers, body) of one request whose target is sent exactly as given."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return status, headers, body


raw_bytes = st.binary(max_size=40).map(lambda b: b.replace(b" ", b"%20").replace(b"\r", b"").replace(b"\n", b""))


@st.composite
def raw_targets(draw) -> bytes:
    """A request target: a generated URL, or one with raw (unencoded, non-UTF-8) bytes in it."""
    url = draw(st.one_of(api_requests(), page_requests())).encode("ascii")
    how = draw(st.integers(0, 3))
    if how == 1:  # raw bytes in the query string
        url += (b"&" if b"?" in url else b"?") + b"q=" + draw(raw_bytes)
    elif how == 2:  # raw bytes in the path
        url = draw(st.sampled_from([b"/api/reports/", b"/reports/", b"/api/paragraphs/", b"/"])) + draw(raw_bytes)
    elif how == 3:  # percent-encoded bytes that are not UTF-8
        url = b"/api/search?q=" + quote(draw(st.binary(max_size=20)), safe="").encode()
    return url


@examples(1500)
@given(target=raw_targets())
def test_real_server_answers_every_request(server, target):
    """GIVEN `kb serve` WHEN any bytes arrive as the request target THEN no 5xx; what
    reaches the app is answered with our headers, JSON under /api."""
    status, headers, body = raw_get(server, target)
    assert status < 500, (target, status, body[:200])
    if "content-security-policy" not in headers:  # waitress refused a malformed request line itself
        assert status == 400, (target, status)
        return
    if headers.get("content-type", "").startswith("application/json"):
        assert isinstance(json.loads(body), dict)
    elif target.startswith(b"/api/") and status != 404:
        raise AssertionError((target, status, headers))
    else:
        assert headers["content-type"].startswith("text/html") and unsafe_markup(body.decode("utf-8")) == []


@pytest.mark.parametrize("target, status", [
    # raw bytes that are not ASCII in the request line: waitress answers 400 Bad URI itself
    # (browsers always percent-encode them)
    (b"/api/search?q=\xff\xfe\xfd", 400),
    (b"/api/search?q=\xe6\xb3\x95\xe5\xbe\x8b", 400),
    (b"/api/reports/\xff\xfe", 400),
    # percent-encoded bytes that are not UTF-8 reach the app as the text %FF…
    (b"/api/search?q=%FF%FE%FD", 200),
    (b"/api/search?q=%ED%A0%80", 200),  # an encoded surrogate
    (b"/api/reports/%FF%FE", 404),
    (b"/reports/%FF", 404),
    (b"/%FF%FE", 404),
    (b"/api/search?q=%00", 400),
    (b"/api/search?q=" + b"%E6%B3%95" * 10_000, 400),  # 10,000 characters
    (b"/api/reports/..%2F..%2Fetc%2Fpasswd", 404),
    (b"/api/reports/../../etc/passwd", 404),
    (b"/api/search?page=%D9%A3", 400),
    (b"/api/search?size=0", 400),
    (b"/api/search?size=1000000", 400),
    (b"/api/search?page=1000000000", 400),
])
def test_real_server_answers_broken_urls(server, target, status):
    got, headers, body = raw_get(server, target)
    assert got == status, (target, got, body[:300])
    if not target.isascii():
        assert b"Bad URI" in body
        return
    assert "content-security-policy" in headers
    if target.startswith(b"/api/"):
        data = json.loads(body)
        assert isinstance(data, dict) and (status == 200 or data["status"] == status)

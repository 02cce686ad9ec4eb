"""The Flask site and JSON API: thin, every answer comes from :mod:`kb`.

``create_app(config)`` builds the app; the corpus and index folders come from
``config`` (``CORPUS_DIR``, ``INDEX_DIR``), the rest of the settings from ``KB_SETTINGS``
(a :class:`kb.Settings`, default: the defaults). The views (:mod:`web.views`, one module per
resource) reach kb through its public names alone, the :class:`kb.KnowledgeBase` facade above
all; every HTML page has a JSON twin under ``/api`` built from the same data; every link is
built in :mod:`web.urls`. Every error is one :class:`kb.KbError` shape: JSON ``{"error": …}``
under /api, an HTML page elsewhere. Every request is one read (:func:`kb.begin_read`): if a
cluster shard did not answer, every page shows the banner, every answer has the header
``X-KB-Partial: 1``, every JSON object ``"partial": true`` and every download a first line.
"""

from __future__ import annotations

import json
import re

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from kb import (
    KbError,
    KnowledgeBase,
    Settings,
    begin_read,
    citation,
    place_today,
    read_short,
    region_shown,
    short_parts,
    short_reason,
    short_what,
    unsure_if_short,
    year_said,
)

_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: The English of a message ("页码须是整数 (page must be a whole number, got 'abc')"): a
#: parenthesis with no Chinese in it, or a clause after the last Chinese, after a semicolon.
_ENGLISH = re.compile(r"\s*\((?=[^()]*[A-Za-z])[^()\u4e00-\u9fff]*\)|;\s*[^\u4e00-\u9fff]*$")


#: A command the English part tells the user to run ("run: kb build"): kept on the page.
_COMMAND = re.compile(r"\bkb [a-z][a-z-]*(?: --?[a-z-]+)*")


def in_chinese(message: str) -> str:
    """A message as a page shows it: in Chinese alone, its English detail left to the API, but
    a command it says to run kept (索引不存在；请运行 kb build)."""
    text = _ENGLISH.sub("", str(message)).strip()
    if not re.search(r"[\u4e00-\u9fff]", text):
        return str(message)
    commands = [c for c in dict.fromkeys(_COMMAND.findall(english(message))) if c not in text]
    return text + "".join(f"；请运行 {c}" for c in commands)


def english(message: str) -> str:
    """The English detail of a message ('' if it has none)."""
    return "; ".join(m.group().strip(" ;()") for m in _ENGLISH.finditer(str(message)))

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(CORPUS_DIR="corpus", INDEX_DIR="index", JSON_AS_ASCII=False)
    if config:
        app.config.from_mapping(config)
    app.json.ensure_ascii = False
    app.url_map.merge_slashes = False  # /api/reports/a%2F/… is a 404, not a redirect elsewhere
    settings = app.config.get("KB_SETTINGS") or Settings()
    app.extensions["kb"] = KnowledgeBase(app.config["CORPUS_DIR"], app.config["INDEX_DIR"], settings=settings)

    from web import urls, views

    app.jinja_env.globals["paragraph_url"] = urls.paragraph_url
    app.jinja_env.globals.update(read_short=read_short, short_what=short_what)  # the page's banner (base.html)
    app.jinja_env.globals.update(year_said=year_said, cite=citation, place_today=place_today,  # 报告年度 2025
                                 region_shown=region_shown)  # 中央 for a national agency's region
    app.jinja_env.filters["shown"] = lambda s: _CONTROLS.sub("\ufffd", str(s))  # control characters as �
    app.jinja_env.filters["zh"] = in_chinese  # messages in one language on the pages

    app.add_url_rule("/favicon.ico", "favicon", lambda: app.send_static_file("favicon.svg"))
    views.init_app(app)

    @app.errorhandler(KbError)
    def kb_error(e: KbError):
        e = unsure_if_short(e)  # not found while a shard did not answer: 503, not 404
        return _error(str(e), e.status)

    @app.errorhandler(HTTPException)
    def http_error(e: HTTPException):
        messages = {404: "没有这个页面 (not found)", 405: "不支持这种请求 (method not allowed)"}
        return _error(messages.get(e.code, e.description or e.name), e.code or 500)

    @app.errorhandler(Exception)
    def unexpected(e: Exception):
        app.logger.exception("unexpected error on %s", request.path)
        return _error("服务器内部错误 (internal error); the error was logged", 500)

    @app.before_request
    def new_read():
        begin_read()

    @app.after_request
    def headers(resp):
        for k, v in SECURITY_HEADERS.items():
            resp.headers.setdefault(k, v)
        if read_short():
            _say_partial(resp)
        return resp

    return app


def _say_partial(resp) -> None:
    """A short read: the header, and in a JSON object ``"partial": true`` (if it lacks it) and
    ``"partial_reads"``, which of the request's reads came back short."""
    resp.headers["X-KB-Partial"] = "1"
    if resp.is_json and not resp.is_streamed:
        data = resp.get_json(silent=True)
        if isinstance(data, dict):
            said = {"partial": True, "partial_reason": short_reason()} if "partial" not in data else {}
            resp.set_data(json.dumps({**said, **data, "partial_reads": short_parts()}, ensure_ascii=False))


def _error(message: str, status: int):
    if request.path.startswith("/api/") or request.path.endswith(".json"):  # the message as it was, and its English alone as detail
        return jsonify({"error": message, "status": status} | ({"detail": english(message)} if english(message) else {})), status
    return render_template("error.html", message=message, status=status), status

"""What a new user meets walking through the site, spoken to over HTTP (`kb serve` on a copy
of the seed corpus): the defects a walk-through of stop 38 found, each kept fixed here."""

from __future__ import annotations

import json
import shutil
import urllib.error
import urllib.request
from urllib.parse import quote

import pytest

from tests.support.server import running_server


def get(url: str) -> tuple[int, dict | str]:
    """(status, JSON body or the page's text) of a GET, errors included."""
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            status, kind, body = r.status, r.headers.get_content_type(), r.read().decode()
    except urllib.error.HTTPError as e:
        status, kind, body = e.code, e.headers.get_content_type(), e.read().decode()
    return status, json.loads(body) if kind == "application/json" else body


@pytest.fixture(scope="module")
def base(corpus_dir, tmp_path_factory):
    root = tmp_path_factory.mktemp("walk")
    shutil.copytree(corpus_dir, root / "corpus")
    with running_server(root / "corpus", root / "index") as url:
        yield url


def test_a_compare_page_past_the_last_is_a_404_on_the_page_and_its_json_twin(base):
    """GIVEN 法律顾问 (5 agencies: one page of groups) WHEN page 50 is asked for THEN the page
    and /api/compare both answer 404 and say which page is the last (the API answered 200
    with no groups)."""
    status, page = get(base + "/compare?q=" + quote("法律顾问") + "&page=50")
    assert status == 404 and "没有第 50 页" in page
    status, data = get(base + "/api/compare?q=" + quote("法律顾问") + "&page=50")
    assert status == 404 and "past the last page: 1" in data["error"]
    status, data = get(base + "/api/compare?q=" + quote("法律顾问") + "&page=1")
    assert status == 200 and data["groups"]
    status, data = get(base + "/api/compare?q=" + quote("没有这样的词语组合") + "&page=2")
    assert status == 200 and data["groups"] == []  # nothing found: no page is past the last

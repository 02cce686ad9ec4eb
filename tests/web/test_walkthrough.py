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


@pytest.mark.parametrize("params, says", [
    ("&page=99999", "页码须在 1 到 1000 之间"), ("&page=abc", "页码须是整数"), ("&size=1000", "每页条数须在 1 到 100 之间"),
    ("&sort=foo", "sort 只能是"), ("&match=foo", "match 只能是"), ("&facet_size=-3", "每项筛选显示的条数"),
    ("".join(f"&agency=a{i}" for i in range(21)), "agency 最多 20 个值"),
])
def test_a_bad_parameter_is_not_called_a_bad_query(base, params, says):
    """GIVEN a good query and a bad page, size, sort, match or filter WHEN the search page
    answers THEN a 400 that names the parameter's limit, headed 检索条件有误, the query box
    not marked wrong, a link to search the query again (it said 检索词有误 and explained the
    query language, as if the query were wrong)."""
    status, page = get(base + "/?q=" + quote("法律顾问") + params)
    assert status == 400 and says in page
    assert "检索条件有误" in page and "检索词有误" not in page
    assert 'aria-invalid="true"' not in page
    assert f'href="/?q={quote("法律顾问")}"' in page


def test_a_bad_query_is_still_called_one(base):
    status, page = get(base + "/?q=OR")
    assert status == 400 and "检索词有误" in page and "OR 两边都要有检索词" in page
    assert 'aria-invalid="true"' in page

"""What a new user meets walking through the site, spoken to over HTTP (`kb serve` on a copy
of the seed corpus): the defects a walk-through of stop 38 found, each kept fixed here."""

from __future__ import annotations

import json
import re
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


#: A work report as the real ones are titled: 政府工作报告, the agency nowhere in the title.
WORK_REPORT = """---
id: 2024-0a1b2c3d
title: 政府工作报告
agency: 国务院
level: 国家
year: 2024
date_signed: '2025-03-05'
---

各位代表：

## 一、2024年工作回顾

过去一年，经济运行总体平稳、稳中有进，国内生产总值增长5%，城镇新增就业1256万人。

## 二、2025年政府工作任务

国内生产总值增长5%左右，城镇新增就业1200万人以上。
"""


@pytest.fixture(scope="module")
def base(corpus_dir, tmp_path_factory):
    """`kb serve` on the seeds and one work report titled 政府工作报告."""
    root = tmp_path_factory.mktemp("walk")
    shutil.copytree(corpus_dir, root / "corpus")
    (root / "corpus" / "2024-0a1b2c3d.md").write_text(WORK_REPORT, encoding="utf-8")
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


def test_the_latest_reports_say_whose_a_title_that_does_not(base):
    """GIVEN a report titled 政府工作报告 (国务院's, as every work report of the State Council
    is titled) WHEN the home page lists the latest reports THEN its line names the agency
    (it showed 政府工作报告 · 报告年度 2024 alone: whose?); a title that names its agency or
    the place the agency is named by (南开区卫生健康委…) is not followed by the agency."""
    status, page = get(base + "/")
    assert status == 200
    latest = page.split('class="plain latest"')[1].split("</ul>")[0]
    items = re.findall(r"<li>(.*?)</li>", latest, re.S)
    state_council = next(i for i in items if "2024-0a1b2c3d" in i)
    assert ">政府工作报告</a>" in state_council and "国务院 · 报告年度 2024" in state_council
    juluxian = next(i for i in items if "2025-597752dc" in i)
    assert "巨鹿县卫生健康局2025年法治政府建设工作报告</a>" in juluxian and juluxian.count("巨鹿县卫生健康局") == 1
    nankai = next(i for i in items if "2023-7a72d09e" in i)  # 南开区卫生健康委…: the place says whose
    assert "南开区卫生健康委2023年度法治政府建设情况报告</a>" in nankai and "天津市南开区卫生健康委员会" not in nankai


def test_a_figures_page_past_the_last_is_a_404_as_for_search_and_compare(base):
    """GIVEN the figures of the seeds (one page of 100 at size 100) WHEN /api/figures is asked
    for page 50 THEN a 404 that names the last page (it answered 200 with no figures)."""
    status, data = get(base + "/api/figures?page=1&size=1")
    assert status == 200 and data["pages"] > 1 and data["figures"]
    last = data["pages"]
    status, data = get(base + f"/api/figures?size=1&page={last + 1}")
    assert status == 404 and f"past the last page: {last}" in data["error"]
    status, data = get(base + "/api/figures?q=" + quote("没有这样的词语组合") + "&page=2")
    assert status == 200 and data["figures"] == []  # nothing found: no page is past the last

"""What a legal-affairs officer, a researcher and a supervisor meet using the site on a few
hundred real downloads, spoken to over HTTP (`kb serve` on a small corpus made here): the
defects a walk-through of stop 40 found, each kept fixed here."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.support.server import get, running_server


def work_report(rid: str, title: str, year: int, review: str, plan: str) -> str:
    return f"""---
id: {rid}
title: {title}
agency: 国务院
level: 国家
year: {year}
date_signed: '{year + 1}-03-05'
---

各位代表：

## 一、{year}年工作回顾

{review}

## 二、{year + 1}年政府工作任务

{plan}
"""


REPORTS = {
    # the same report on 2023 downloaded twice: from the government's site and as a newspaper's PDF
    "2023-aaaa0001": ("2024年国务院政府工作报告", 2023, "国内生产总值增长5.2%，城镇新增就业1244万人。",
                      "国内生产总值增长5%左右，城镇新增就业1200万人以上。"),
    "2023-aaaa0002": ("政府工作报告（2024年3月5日在第十四届全国人民代表大会第二次会议上）", 2023,
                      "国内生产总值增长5.2%，城镇新增就业1244万人！", "国内生产总值增长5%左右，城镇新增就业1200万人以上。"),
    "2024-aaaa0003": ("2025年国务院政府工作报告", 2024, "国内生产总值增长5%，城镇新增就业1256万人。",
                      "国内生产总值增长5%左右，城镇新增就业1200万人以上。"),
}


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    root = tmp_path_factory.mktemp("walk40")
    (root / "corpus").mkdir()
    for rid, (title, year, review, plan) in REPORTS.items():
        (root / "corpus" / f"{rid}.md").write_text(work_report(rid, title, year, review, plan), encoding="utf-8")
    with running_server(root / "corpus", root / "index") as url:
        yield url


def test_an_agencys_plans_tell_two_reports_of_one_year_apart_by_their_titles(base):
    """GIVEN 国务院's report on 2023 in the corpus twice (two downloads, two titles) WHEN its plans
    across years are shown THEN each row names its report by title, in the page and its JSON
    twin (the page showed two rows of 2023 and nothing to tell them apart)."""
    status, data = get(base + "/api/agencies/" + quote("国务院") + "/plans")
    assert status == 200
    assert sorted((r["year"], r["title"]) for r in data["reports"]) == sorted(
        (year, title) for title, year, *_ in REPORTS.values())
    status, page = get(base + "/agencies/" + quote("国务院") + "/plans")
    assert status == 200 and "<th>报告</th>" in page
    for rid, (title, *_) in REPORTS.items():
        assert f'<a href="/reports/{rid}">{title}</a>' in page


def test_the_years_name_each_agency_once(base):
    """GIVEN 国务院's two reports on 2023 WHEN the years are listed THEN 2023 counts two reports
    and names 国务院 once, on the page and in its JSON twin (国务院、国务院)."""
    status, data = get(base + "/api/years")
    assert status == 200
    assert [(y["year"], y["reports"], y["agencies"]) for y in data["years"]] == [
        (2024, 1, ["国务院"]), (2023, 2, ["国务院"])]
    status, page = get(base + "/years")
    assert status == 200 and "国务院、国务院" not in page


@pytest.mark.parametrize("params, status, says", [("q=OR", 400, "OR 两边都要有检索词"), ("q=x&size=abc", 400, "size"),
                                                  ("q=x&sort=foo", 400, "sort")])
def test_a_json_export_refused_says_why_in_json(base, params, status, says):
    """GIVEN a script that downloads /export.json WHEN its parameters are wrong THEN the 4xx is
    JSON with the error, as /api/ answers (it was the site's HTML error page)."""
    got, body = get(base + "/export.json?" + params)
    assert got == status and isinstance(body, dict) and says in body["error"] and body["status"] == status

"""Plan versus delivery (issue 26) over HTTP, as CSV and on the command line: a real pair of
work reports (浙江省, given 2022 and 2023) and a report with no next one (铁岭市), from the
real-report tarball, imported and indexed, served by `kb serve`."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import tarfile
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest

from bench import realcorpus
from kb import build
from kb.core import corpus
from tests.support.paths import TARBALL, shared
from tests.support.server import get, running_server

FILES = ["政府工作报告-省自治区/浙江省/2022.md", "政府工作报告-省自治区/浙江省/2023.md",
         "政府工作报告-其他地市/铁岭市/2023.md", "政府工作报告-省自治区/江苏省/2003.md", "政府工作报告-省自治区/江苏省/2004.md"]


@pytest.fixture(scope="module")
def pair(tmp_path_factory) -> tuple[Path, Path, dict]:
    root = tmp_path_factory.mktemp("plans")
    raw, corpus_dir = root / "raw", root / "corpus"
    with tarfile.open(shared(TARBALL)) as archive:
        for member in archive:
            name = member.name.removeprefix("./")
            if name in FILES:
                (raw / name).parent.mkdir(parents=True, exist_ok=True)
                (raw / name).write_bytes(archive.extractfile(member).read())
    ids = {}
    for path in realcorpus.raw_files(raw):
        report = realcorpus.report_of(path, raw)
        corpus.write(corpus_dir, report)
        ids[str(path.relative_to(raw))] = report.id
    build.build(corpus_dir, root / "index")
    return corpus_dir, root / "index", ids


@pytest.fixture(scope="module")
def base(pair):
    corpus_dir, index_dir, _ = pair
    with running_server(corpus_dir, index_dir) as url:
        yield url


def test_api_plan_pairs_with_next_year_and_judges_items(pair, base):
    """GIVEN 浙江省's reports on 2021 and 2022 WHEN the plan of the first is asked for
    THEN it is paired with the second, every item has a verdict, and 老旧小区 is delivered with evidence."""
    _, _, ids = pair
    first, second = ids[FILES[0]], ids[FILES[1]]
    status, data = get(base + f"/api/reports/{quote(first)}/plan")
    assert status == 200
    assert data["report_id"] == first and data["next_report_id"] == second
    assert set(data["summary"]) == {"delivered", "partly", "not_mentioned"}
    assert sum(data["summary"].values()) == len(data["items"]) > 50
    for item in data["items"]:
        assert {"text", "paragraph_id", "figures", "horizon", "beyond", "verdict", "sure", "evidence"} <= set(item)
        assert item["verdict"] in ("delivered", "partly", "not_mentioned")
        assert item["horizon"] == ("years" if item["beyond"] else "year") and not (item["beyond"] and item["sure"])
        assert item["verdict"] == "not_mentioned" or item["evidence"]
        for ev in item["evidence"]:
            assert ev["paragraph_id"].startswith(second + ".p") and ev["url"].startswith(f"/reports/{quote(second)}#p")
    old = [it for it in data["items"] if "老旧小区" in it["text"]]
    assert old and old[0]["verdict"] == "delivered" and "<mark>" in old[0]["evidence"][0]["html"]


def test_plan_without_next_report_says_so(pair, base):
    _, _, ids = pair
    status, data = get(base + f"/api/reports/{quote(ids[FILES[2]])}/plan")
    assert status == 200 and data["next_report_id"] is None and data["summary"] is None
    assert data["items"] and all(it["verdict"] is None for it in data["items"])
    status, page = get(base + f"/reports/{quote(ids[FILES[2]])}/plan")
    assert status == 200 and "尚无该单位报告年度" in page


def test_plan_page_csv_and_agency_page(pair, base):
    _, _, ids = pair
    first = ids[FILES[0]]
    status, page = get(base + f"/reports/{quote(first)}/plan")
    assert status == 200 and "已落实" in page and "部分落实" in page and "未提及" in page
    assert "计划，对照<a" in page and "的<a" in page  # no stray spaces between Chinese words and links
    status, page = get(base + f"/reports/{quote(first)}")
    assert status == 200 and f"/reports/{quote(first)}/plan" in page
    with urllib.request.urlopen(base + f"/reports/{quote(first)}/plan.csv") as r:
        assert r.headers["Content-Type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(r.read().decode("utf-8-sig"))))
    _, data = get(base + f"/api/reports/{quote(first)}/plan")
    assert [row["计划条目"] for row in rows] == [it["text"] for it in data["items"]]
    assert {row["判定代码"] for row in rows} <= {"delivered", "partly", "not_mentioned"}
    assert [row["落实情况"] for row in rows] == [it["label"] for it in data["items"]]
    years = [it for it in data["items"] if it["horizon"] == "years"]  # 实施“丝路领航”三年行动计划 (stop 40)
    assert years and [row["期限"] for row in rows] == [f"多年（{it['beyond']}）" if it in years else "本年度"
                                                     for it in data["items"]]
    assert "多年目标：" + years[0]["beyond"] in page_of(base, first)
    assert {(row["单位"], row["报告年度"]) for row in rows} == {(data["agency"], str(data["year"]))}
    status, agency = get(base + "/api/agencies/" + quote("浙江省") + "/plans")
    assert status == 200 and [r["year"] for r in agency["reports"]] == [2021, 2022]
    assert agency["reports"][0]["share_delivered"] == data["share_delivered"]
    assert agency["reports"][1]["summary"] is None
    status, page = get(base + "/agencies/" + quote("浙江省") + "/plans")
    assert status == 200 and "历年计划落实" in page
    status, page = get(base + "/agencies")  # the agency list leads to it (an agency of two years or more)
    assert status == 200 and 'href="/agencies/' + quote("浙江省") + '/plans"' in page
    _, listed = get(base + "/api/agencies")
    plans_urls = {a["agency"]: a["plans_url"] for a in listed["agencies"]}
    assert plans_urls["浙江省"] == "/agencies/" + quote("浙江省") + "/plans"


def test_figures_not_comparable_are_said_so(pair, base):
    """GIVEN 江苏's reports given 2003 and 2004 WHEN the plan of the first is asked for THEN a target for five
    years (今后五年新增电力装机容量1200万千瓦) is not compared with the year's 149万千瓦 but said not comparable,
    in the JSON, on the page, in the CSV and on the command line (stop 40)."""
    corpus_dir, index_dir, ids = pair
    first = ids[FILES[3]]
    status, data = get(base + f"/api/reports/{quote(first)}/plan")
    assert status == 200 and data["next_report_id"] == ids[FILES[4]]
    assert all("not_compared" in it for it in data["items"])
    power = [it for it in data["items"] if "1200万千瓦" in it["text"]]
    assert power and not [c for c in power[0]["compared"] if c["target"] == "1200万千瓦"]
    assert [(c["target"], c["why"]) for c in power[0]["not_compared"]] == [("1200万千瓦", "years")]
    status, page = get(base + f"/reports/{quote(first)}/plan")
    assert status == 200 and "不可比：" in page and "几年或以后年份的目标" in page
    with urllib.request.urlopen(base + f"/reports/{quote(first)}/plan.csv") as r:
        assert "1200万千瓦（不可比：几年或以后年份的目标）" in r.read().decode("utf-8-sig")
    run = [sys.executable, "-m", "kb.cli", "plans", "--corpus", str(corpus_dir), "--index", str(index_dir), first]
    out = subprocess.run(run, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and "not comparable" in out.stdout
def page_of(base: str, report_id: str) -> str:
    return get(base + f"/reports/{quote(report_id)}/plan")[1]


def test_plan_errors_are_4xx(base):
    status, err = get(base + "/api/reports/nope/plan")
    assert status == 404 and "error" in err
    status, err = get(base + "/api/agencies/" + quote("没有这个单位") + "/plans")
    assert status == 404 and "error" in err


@pytest.mark.parametrize("space", [" ", "\u3000", "\t"])
def test_an_agency_name_with_spaces_around_it_is_the_agency(base, space):
    # /agencies/国务院%20/plans answered 404 "没有这个单位：国务院", the trailing space invisible
    status, agency = get(base + "/api/agencies/" + quote(space + "浙江省" + space) + "/plans")
    assert status == 200 and agency["agency"] == "浙江省" and len(agency["reports"]) == 2
    status, page = get(base + "/agencies/" + quote("浙江省" + space) + "/plans")
    assert status == 200 and "历年计划落实" in page
    status, err = get(base + "/api/agencies/" + quote("没有这个单位" + space) + "/plans")
    assert status == 404 and "“没有这个单位”" in err["error"]


def test_kb_plans_cli(pair):
    corpus_dir, index_dir, ids = pair
    run = [sys.executable, "-m", "kb.cli", "plans", "--corpus", str(corpus_dir), "--index", str(index_dir)]
    out = subprocess.run([*run, ids[FILES[0]]], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and "已落实" in out.stdout and ids[FILES[1]] in out.stdout
    assert "(多年目标 beyond the year: 实施“丝路领航”三年行动)" in out.stdout  # a goal beyond the year, said (stop 40)
    out = subprocess.run([*run, "--agency", "浙江省"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and "2021" in out.stdout and "尚无下一年度的报告" in out.stdout
    out = subprocess.run([*run, "nope"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 1 and out.stderr.startswith("Error:") and "Traceback" not in out.stderr


def test_reports_sorted_by_share_delivered_after_kb_plans_all(pair, base):
    """GIVEN the index served WHEN /api/reports is asked before and after `kb plans --all`
    THEN before it says the plans are not judged (plan null), after it each report has its
    plan's summary, the share equal to the report's own plan answer, and sort=-delivered (most
    first, `-` descending as on the page) puts the judged report first, the page's JSON link
    carrying the sort; /reports has the column; a bad sort is a 400."""
    corpus_dir, index_dir, ids = pair
    status, data = get(base + "/api/reports")
    assert status == 200 and data["plans_judged"] is False and all(r["plan"] is None for r in data["reports"])
    status, page = get(base + "/reports")
    assert status == 200 and "kb plans --all" in page
    run = [sys.executable, "-m", "kb.cli", "plans", "--corpus", str(corpus_dir), "--index", str(index_dir)]
    out = subprocess.run([*run, "--all", "--procs", "2", "--quiet"], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0 and "5 plans, 2 judged" in out.stdout, out.stderr
    status, data = get(base + "/api/reports?sort=-delivered")
    assert status == 200 and data["plans_judged"] is True
    judged = {ids[FILES[0]], ids[FILES[3]]}  # 浙江 and 江苏's first reports, each with its next
    assert {r["id"] for r in data["reports"][:2]} == judged
    shares = [r["plan"]["share_delivered"] for r in data["reports"]]
    assert shares[0] >= shares[1] > 0 and shares[2:] == [None, None, None]
    first = next(r for r in data["reports"] if r["id"] == ids[FILES[0]])
    _, own = get(base + f"/api/reports/{quote(ids[FILES[0]])}/plan")
    assert first["plan"]["share_delivered"] == own["share_delivered"] > 0
    assert first["plan"]["summary"] == own["summary"]
    status, page = get(base + "/reports?sort=-delivered")
    assert status == 200 and "计划落实" in page and f"{own['share_delivered'] * 100:.0f}%" in page
    assert "kb plans --all" not in page
    assert 'href="/api/reports?sort=-delivered"' in page
    status, err = get(base + "/api/reports?sort=nope")
    assert status == 400 and "sort" in err["error"]
    out = subprocess.run(run, capture_output=True, text=True, timeout=120)
    assert out.returncode == 1 and out.stderr.startswith("Error:")
    shares = Path(index_dir) / "plan-shares.json"  # judged by another version of the matcher: not shown
    kept = json.loads(shares.read_text(encoding="utf-8"))
    shares.write_text(json.dumps(kept | {"matcher": "0"}), encoding="utf-8")
    status, data = get(base + "/api/reports")
    assert status == 200 and data["plans_judged"] is False and all(r["plan"] is None for r in data["reports"])

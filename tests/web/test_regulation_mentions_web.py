"""Every mention of a regulation through the site (issue 24): a small corpus of reports that
name laws bare, in 《》, by a short form, and a title local regulations also bear (the State
Council's, a local one, an ambiguous one), indexed and served; the list, the page, its chart,
its CSV, the facet and the filter count the same paragraphs, and an ambiguous mention says so.
"""

from __future__ import annotations

import csv
import io
from urllib.parse import quote

import pytest

from kb import build
from kb.core import corpus
from kb.core.model import Report

REPORTS = [
    Report(id="gov-2023", title="国务院政府工作报告", agency="国务院", year=2023, level="国家",
           body="出台优化营商环境条例，推动民法典实施。\n\n严格执行新修订的行政复议法。"),
    Report(id="city-2023", title="某市政府工作报告", agency="某市人民政府", year=2023, level="市",
           body="实施优化营商环境条例，推进民法典长廊建设。\n\n修订省优化营商环境条例，实施江苏省优化营商环境条例。\n\n"
                "完善公司法人治理结构，加强安全生产法制建设。\n\n严格执行新《环保法》和劳动合同法。"),
    Report(id="city-2024", title="某市政府工作报告", agency="某市人民政府", year=2024, level="市",
           body="深入贯彻宪法、民法典等法律法规。"),
]
CODE = "中华人民共和国民法典"
STATE = "优化营商环境条例"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from web import create_app

    root = tmp_path_factory.mktemp("regs")
    for r in REPORTS:
        corpus.write(root / "corpus", r)
    build.build(root / "corpus", root / "index")
    app = create_app({"CORPUS_DIR": str(root / "corpus"), "INDEX_DIR": str(root / "index"), "TESTING": True})
    return app.test_client()


def _listed(client) -> dict:
    data = client.get("/api/regulations").get_json()
    return {r["name"]: r for g in data["kinds"] for r in g["regulations"]}


def test_bare_names_are_listed_and_counted_alike(site):
    listed = _listed(site)
    assert listed[CODE]["paragraphs"] == 3 and listed[CODE]["mentions"] == 3
    assert "中华人民共和国环境保护法" in listed and "中华人民共和国劳动合同法" in listed
    assert "中华人民共和国合同法" not in listed and "中华人民共和国公司法" not in listed
    assert "中华人民共和国安全生产法" not in listed
    facet = {f["value"]: f["count"] for f in site.get("/api/search?facet_size=100").get_json()["facets"]["regulation"]}
    page = site.get("/api/regulations/" + quote(CODE, safe="")).get_json()
    assert facet[CODE] == page["paragraphs"] == 3
    assert sum(y["paragraphs"] for y in page["by_year"].values()) == 3
    assert site.get("/api/search?regulation=" + quote(CODE)).get_json()["total"] == 3
    rows = list(csv.DictReader(io.StringIO(site.get("/regulations/" + quote(CODE) + ".csv").get_data(as_text=True)
                                           .lstrip("\ufeff"))))
    assert len({r["段落编号"] for r in rows}) == 3 and {r["书名号"] for r in rows} == {"无"}


def test_a_same_title_regulation_is_the_state_councils_local_or_ambiguous(site):
    page = site.get("/api/regulations/" + quote(STATE, safe="")).get_json()
    assert page["paragraphs"] == 2 and page["ambiguous"] == 1  # the national report's; the city's ambiguous one
    ambiguous = [m for g in page["groups"] for m in g["mentions"] if m["ambiguous"]]
    assert [g["agency"] for g in page["groups"] if any(m["ambiguous"] for m in g["mentions"])] == ["某市人民政府"]
    assert len(ambiguous) == 1
    html = site.get("/regulations/" + quote(STATE)).get_data(as_text=True)
    assert "存疑" in html and "一处提及" in html
    rows = site.get("/api/regulations/" + quote(STATE, safe="") + "/mentions").get_json()["mentions"]
    assert sorted(bool(r["ambiguous"]) for r in rows) == [False, True]
    assert "江苏省优化营商环境条例" not in _listed(site)  # a bare local title is no listed name
    assert "（1 处存疑）" in site.get("/regulations").get_data(as_text=True)

"""The desk's pages and exports over a hostile report (tests/data/hostile: markup,
handlers, javascript: links and control characters in its title, metadata and text):
every answer is whole, no markup but ours, control characters shown as � (a Word
document cannot hold them at all)."""

from __future__ import annotations

import csv
import io
from urllib.parse import quote

import pytest

from tests.support.safety import unsafe_markup
from tests.support.seeds import HOSTILE_ID


@pytest.fixture(scope="module")
def hostile_ids(hostile_client) -> list[str]:
    return [p["id"] for p in hostile_client.get(f"/api/reports/{HOSTILE_ID}").get_json()["paragraphs"]]


def test_collection_of_hostile_paragraphs_pages_and_exports(hostile_client, hostile_ids):
    from docx import Document

    q = "&".join("id=" + quote(i) for i in hostile_ids)
    page = hostile_client.get("/collection?" + q)
    assert page.status_code == 200 and unsafe_markup(page.get_data(as_text=True)) == []
    r = hostile_client.get("/collection.docx?" + q)
    assert r.status_code == 200
    texts = [p.text for p in Document(io.BytesIO(r.data)).paragraphs]
    assert any("\ufffd" in t for t in texts)  # the control characters, shown
    assert any("<script>window.__pwned='text'</script>" in t for t in texts)  # markup as the text it is
    rows = list(csv.reader(io.StringIO(hostile_client.get("/collection.csv?" + q).data.decode("utf-8-sig"))))
    assert len(rows) == len(hostile_ids) + 1


@pytest.mark.parametrize("url", [
    "/", "/compare", "/compare?q=防注入测试", "/compare?q=防注入测试&by=year", "/facets/agency?q=防注入测试",
    "/agencies?find=%3Cscript%3E", "/reports?sort=-paragraphs", "/regulations?find=%3Cb%3E",
    "/?q=防注入测试&chart=rate", "/?q=" + quote("<script>alert(1)</script>"),
])
def test_desk_pages_over_a_hostile_report_show_no_markup_but_ours(hostile_client, url):
    r = hostile_client.get(url)
    assert r.status_code == 200
    assert unsafe_markup(r.get_data(as_text=True)) == []


@pytest.mark.parametrize("url", ["/compare.csv?q=防注入测试", "/compare.csv?q=防注入测试&by=year"])
def test_desk_exports_over_a_hostile_report_are_whole(hostile_client, url):
    r = hostile_client.get(url)
    assert r.status_code == 200 and r.data.startswith(b"\xef\xbb\xbf")

"""``kb import`` of scanned PDFs: pages with no text layer read by OCR (issue 29).

One two-page PDF made at test time (:mod:`bench.scanpages`) from a seed's real text: page 1
as an office scanner gives it (300 dpi, a slight skew, speckles, a red seal over the text),
page 2 too poor to read (printed small and blurred past reading). Imported by the real ``kb``
command, built, and read back through the site's JSON API and the report's page. OCR is slow
on two cores: these are the only OCR runs of the suite (the accuracy is measured in
``bench/scans.py``).
"""

from __future__ import annotations

import difflib
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench import scanpages
from kb.core import corpus
from kb.core.errors import ImportFailed
from kb.ingest.formats import ocr
from kb.ingest.formats.pdf import read_pdf
from tests.support.paths import SEEDS, shared

KB = str(Path(sys.executable).with_name("kb"))


def _needs_ocr():
    missing = ocr.available()
    if missing or not scanpages.font_available():
        import os

        message = f"OCR not installed ({missing or 'fonts-wqy-zenhei'})"
        if os.environ.get("CI"):
            pytest.fail("CI needs " + message)
        pytest.skip(message)


def _poor_page(title: str, paragraphs: list[str]):
    """A page printed so small and blurred that no one could read it."""
    from PIL import Image, ImageFilter

    page, _ = scanpages.page_image(title, paragraphs, dpi=300, seal=False, seed=2)
    small = page.resize((page.width // 9, page.height // 9), Image.BILINEAR)
    return small.resize(page.size, Image.BILINEAR).filter(ImageFilter.GaussianBlur(5))


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    """(corpus, index, the seed's paragraphs on page 1, kb import's output) of the scan imported."""
    _needs_ocr()
    seed = sorted(shared(SEEDS).glob("*.txt"))[0]
    title, paragraphs = scanpages.paragraphs_of(seed)
    good, placed = scanpages.page_image(title, paragraphs, dpi=300, skew=0.6, noise=0.01, seal=True)
    folder = tmp_path_factory.mktemp("scan")
    pdf = folder / "某某县卫生健康委员会2023年法治政府建设年度报告.pdf"
    pdf.write_bytes(scanpages.scanned_pdf([good, _poor_page(title, paragraphs[8:])]))
    corpus_dir, index_dir = folder / "corpus", folder / "index"
    proc = subprocess.run([KB, "import", str(pdf), "--corpus", str(corpus_dir), "--index", str(index_dir),
                           "--agency", "某某县卫生健康委员会", "--year", "2023"],
                          capture_output=True, text=True, encoding="utf-8", timeout=600)
    assert proc.returncode == 0, proc.stderr
    return corpus_dir, index_dir, placed, proc.stdout + proc.stderr


def test_a_scanned_report_is_read_by_ocr_and_says_so(scanned):
    corpus_dir, _, _, output = scanned
    assert "OCR" in output and "第 2 页无法识别" in output, output
    [path] = corpus.paths(corpus_dir)
    report = corpus.read(path)
    assert report.agency == "某某县卫生健康委员会" and report.year == 2023
    assert report.ocr and all(60 <= c <= 100 for c in report.ocr.values())
    assert [u["page"] for u in report.ocr_unread] == [2] and report.ocr_unread[0]["conf"] < ocr.POOR_PAGE


def test_ocr_paragraphs_are_whole_and_read_right(scanned):
    """Each of the page's paragraphs (but the last, cut at the page's foot) comes out as one
    paragraph, nearly every character right."""
    corpus_dir, _, placed, _ = scanned
    report = corpus.read(corpus.paths(corpus_dir)[0])
    read = [re.sub(r"^#+|[\s*\\]", "", b) for b in re.split(r"\n\s*\n", report.body)]  # headings too
    for truth in placed[:-1]:
        best = max(difflib.SequenceMatcher(None, truth, r, autojunk=False).ratio() for r in read)
        assert best >= 0.93, (truth, read)
    assert not any("法治政府建设年度报告" in r for r in read[1:])  # the poor page passed nothing off as text


def test_the_api_and_the_page_mark_what_ocr_read(scanned):
    from web import create_app

    corpus_dir, index_dir, _, _ = scanned
    client = create_app({"CORPUS_DIR": str(corpus_dir), "INDEX_DIR": str(index_dir), "TESTING": True}).test_client()
    [path] = corpus.paths(corpus_dir)
    data = client.get(f"/api/reports/{path.stem}").get_json()
    marked = [p for p in data["paragraphs"] if p["ocr"] is not None]
    assert len(marked) == len(data["paragraphs"]) >= 2 and all(60 <= p["ocr"] <= 100 for p in marked)
    assert data["ocr_unread"][0]["page"] == 2
    page = client.get(f"/reports/{path.stem}").get_data(as_text=True)
    assert page.count('class="para by-ocr"') + page.count('class="para has-match by-ocr"') == len(marked)
    assert re.search(r">OCR \d+%<", page) and "第 2 页扫描质量太差，未能识别" in page


def test_a_scan_with_nothing_to_read_is_refused_saying_so():
    _needs_ocr()
    from PIL import Image

    blank = Image.new("RGB", (1240, 1754), "white")  # a blank scanned page: nothing to read
    with pytest.raises(ImportFailed, match="扫描件无法识别"):
        read_pdf(scanpages.scanned_pdf([blank], 150), "blank.pdf")

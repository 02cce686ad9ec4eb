"""Re-importing a report whose year (or agency, or title) changed, and a value read from a weak
source alone: what `kb import` writes and says, and what the site shows and where old links go."""

from __future__ import annotations

import json
import random
import urllib.error
import urllib.request

from bench import render_forms
from kb.core import corpus
from kb.ingest.metadata import report_id
from tests.support import paths
from tests.support.server import running_server
from tests.web.test_cli import run

SEED_000 = "000_384cabfaeda893ed.txt"
TITLE = "宝丰县卫生健康委员会2023年度法治政府建设情况报告"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _status_and_location(url: str) -> tuple[int, str]:
    """The status and Location of a GET, redirects not followed."""
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(url, timeout=30) as r:
            return r.status, r.headers.get("Location", "")
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Location", "")


def test_a_reimport_with_another_year_moves_the_report_to_the_id_of_that_year_and_old_links_redirect(tmp_path):
    """GIVEN seed 000 imported as a report of 2023 (its id 2023-…)
    WHEN the same file is imported again with --year 2022 (the year corrected), and once more unchanged
    THEN the report's id is the one the import's rule gives for 2022 (2022-…), the file of the old
    id is gone and the new one lists it in ``formerly``, `kb import` says it moved, and the old
    page, its JSON and a paragraph's similar ones answer 301 to the same address under the new
    id (the query kept), and a collection that names an old paragraph id gets the paragraph; the
    import unchanged keeps the id."""
    source = paths.shared(paths.SEEDS) / SEED_000
    c, i = tmp_path / "corpus", tmp_path / "index"
    args = ("--corpus", c, "--index", i, "--title", TITLE)
    first = run("import", *args, "--agency", "宝丰县卫生健康委员会", "--year", "2023", source)
    assert first.returncode == 0, first.stderr
    old = report_id("宝丰县卫生健康委员会", 2023, TITLE)
    assert [p.stem for p in c.glob("*.md")] == [old]
    moved = run("import", *args, "--agency", "宝丰县卫生健康委员会", "--year", "2022", source)
    assert moved.returncode == 0, moved.stderr
    new = report_id("宝丰县卫生健康委员会", 2022, TITLE)
    assert new.startswith("2022-") and [p.stem for p in c.glob("*.md")] == [new]
    report = corpus.load(c, new)
    assert (report.year, report.formerly) == (2022, [old])
    assert f"moved: 报告编号 {old} -> {new} (year changed" in moved.stdout
    assert "0 added, 1 updated, 0 unchanged" in moved.stdout
    again = run("import", *args, "--agency", "宝丰县卫生健康委员会", "--year", "2022", source)
    assert "0 added, 0 updated, 1 unchanged" in again.stdout and [p.stem for p in c.glob("*.md")] == [new]
    with running_server(c, i) as base:
        assert _status_and_location(f"{base}/reports/{old}?q=%E6%B3%95%E5%BE%8B") == (301, f"/reports/{new}?q=%E6%B3%95%E5%BE%8B")
        assert _status_and_location(f"{base}/api/reports/{old}") == (301, f"/api/reports/{new}")
        assert _status_and_location(f"{base}/paragraphs/{old}.p3/similar") == (301, f"/paragraphs/{new}.p3/similar")
        assert _status_and_location(f"{base}/reports/{new}")[0] == 200
        with urllib.request.urlopen(f"{base}/api/collection?id={old}.p3", timeout=30) as r:
            collected = json.loads(r.read())
        assert [p["id"] for p in collected["paragraphs"]] == [f"{new}.p3"] and collected["missing"] == []
        assert _status_and_location(f"{base}/reports/2021-00000000")[0] == 404


def test_an_agency_read_from_the_signature_alone_is_marked_unsure(tmp_path):
    """GIVEN seed 004 as a PDF named P04.pdf whose title wraps over two lines (the title line is
    lost: only the signature, 南阳市卫生健康委员会, names an agency; its year only the date signed)
    WHEN it is imported with nothing given
    THEN the agency (and the region and level placed by it) and the title made from it are
    marked unsure: `kb import` prints ``?`` before each, the corpus file lists them, and the
    report's page shows ``?`` after the agency."""
    paths.shared(paths.SEEDS)
    seed = next(s for s in render_forms.seed_sources() if s.agency == "南阳市卫生健康体育委员会")
    rendered = render_forms.render(seed, "pdf", tmp_path / "in", 4, random.Random(5))
    assert rendered.path.name == "P04.pdf"
    proc = run("import", "--corpus", tmp_path / "corpus", "--index", tmp_path / "index", rendered.path)
    assert proc.returncode == 0, proc.stderr
    assert "? unsure agency: only the signature names it" in proc.stdout
    [path] = (tmp_path / "corpus").glob("*.md")
    report = corpus.read(path)
    assert report.agency == "南阳市卫生健康委员会"
    assert {"agency", "region", "level", "title"} <= set(report.unsure)
    with running_server(tmp_path / "corpus", tmp_path / "index") as base:
        page = urllib.request.urlopen(f"{base}/reports/{report.id}", timeout=30).read().decode()
    assert '<dt>单位</dt><dd>南阳市卫生健康委员会<span class="unsure"' in page

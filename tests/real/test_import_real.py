"""The 3,004 real government work reports of ../shared/data, imported with no metadata given.

Slow (about half a minute): deselect with ``-m "not slow"``. The same check, with timings
and the mismatches listed, is ``.venv/bin/python bench/import_real.py``. The reports are
unpacked into a temporary folder and never written into the project.
"""

from __future__ import annotations

import tarfile
from pathlib import Path

import pytest

from bench import import_real
from kb.ingest import importer
from tests.support import paths

ROOT = paths.ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def raw(tmp_path_factory) -> Path:
    paths.shared(import_real.TARBALL)
    folder = tmp_path_factory.mktemp("gov-work-reports")
    with tarfile.open(import_real.TARBALL) as tar:
        tar.extractall(folder, filter="data")
    return folder


def test_all_real_reports_import_with_unit_and_year_as_in_their_paths(raw, tmp_path):
    """GIVEN 3,004 work reports laid out 政府工作报告-<级别>/<单位>/<年>.md
    WHEN all are imported with no metadata given
    THEN none fails, and for at least 99% the inferred agency or region names the unit of
    the path and the inferred year reported on is the path's year minus one."""
    files = sorted(raw.rglob("*.md"))
    assert len(files) == 3004
    batch = importer.import_files(files, tmp_path / "corpus")
    assert batch.failed == []
    unit_ok = year_ok = 0
    for done in batch.imported:
        unit, year = import_real.expected(done.path, raw)
        unit_ok += import_real.unit_matches(unit, done.report.agency, done.report.region)
        year_ok += done.report.year == year
    assert unit_ok >= 0.99 * len(files), unit_ok
    assert year_ok >= 0.99 * len(files), year_ok
    # three files of the data set hold the same text as another: recognised, not duplicated (one of them
    # names another year or unit, so its report moves to the id the rule gives: the id it left is gone)
    ids = {d.report.id for d in batch.imported} - {old for d in batch.imported for old in d.report.formerly}
    assert sorted(p.stem for p in (tmp_path / "corpus").glob("*.md")) == sorted(ids)
    assert len(ids) == 3001

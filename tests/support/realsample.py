"""A corpus of a few hundred real reports, for the pages' tests at scale (issue 15).

From ``../shared/data/gov-work-reports.tar.xz`` (unpacked at test time into a temporary
folder, never into the project): the latest report of every unit (27 provinces, 44 major
and 277 other cities, the State Council: 349 agencies), written as corpus reports with the
metadata their paths give (:mod:`bench.realcorpus`: agency = the unit, year reported on =
path year - 1, the front matter's title and source URL). Used through the session
fixture ``real_site`` in conftest.py.
"""

from __future__ import annotations

from pathlib import Path

from bench import realcorpus
from kb.core import corpus


def latest_per_unit(raw_dir: Path) -> list[Path]:
    """The newest file of each unit folder (the State Council's folder holds its years)."""
    newest: dict[Path, Path] = {}
    for path in realcorpus.raw_files(raw_dir):
        if path.parent not in newest or path.stem > newest[path.parent].stem:
            newest[path.parent] = path
    return sorted(newest.values())


def write_sample(raw_dir: Path, corpus_dir: Path) -> int:
    """Write the latest report of every unit into ``corpus_dir``; returns how many."""
    files = latest_per_unit(raw_dir)
    for path in files:
        corpus.write(corpus_dir, realcorpus.report_of(path, raw_dir))
    return len(files)

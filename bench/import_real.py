"""Import the 3,004 real government work reports of ../shared/data and check the inference.

    .venv/bin/python bench/import_real.py [--build] [--limit N] [--show N] [--keep DIR]

Unpacks ``../shared/data/gov-work-reports.tar.xz`` (政府工作报告-<级别>/<单位>/<年>.md) into a
temporary folder, imports every report with ``kb import``'s library function into a
temporary corpus, with no metadata given, and prints

- the number of files, errors (must be 0), seconds and reports per second;
- unit: the share of reports whose inferred agency or region names the unit of the path
  (国务院 for the State Council's);
- year: the share whose inferred year reported on is the path's year minus one (the path's
  year is the year the report was given; it reviews the year before);
- with ``--build``, the time of a full ``kb build`` and of an incremental one after
  changing one report.

Nothing is written outside the temporary folders (``--keep DIR`` keeps the corpus there).
Exit status 1 if there are errors or either share is under 99%.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kb.ingest import importer  # noqa: E402

TARBALL = ROOT.parent / "shared" / "data" / "gov-work-reports.tar.xz"


def expected(path: Path, top: Path) -> tuple[str, int]:
    """(unit, year reported on) that the path says."""
    rel = path.relative_to(top).parts
    unit = "国务院" if rel[0].endswith("国务院") else rel[1]
    return unit, int(re.match(r"\d{4}", path.stem).group(0)) - 1


def unit_matches(unit: str, agency: str, region: str) -> bool:
    return unit in agency or unit in region or (unit == "国务院" and agency == "国务院")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tarball", type=Path, default=TARBALL)
    ap.add_argument("--limit", type=int, default=0, help="import only the first N reports")
    ap.add_argument("--show", type=int, default=15, help="print up to N mismatches of each kind")
    ap.add_argument("--build", action="store_true", help="also time a full and an incremental kb build")
    ap.add_argument("--keep", type=Path, help="copy the imported corpus here")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kb-bench-") as tmp:
        tmp = Path(tmp)
        with tarfile.open(args.tarball) as tar:
            tar.extractall(tmp / "raw", filter="data")
        files = sorted((tmp / "raw").rglob("*.md"))
        if args.limit:
            files = files[: args.limit]
        corpus_dir = tmp / "corpus"
        start = time.perf_counter()
        batch = importer.import_files(files, corpus_dir)
        seconds = time.perf_counter() - start
        unit_ok = year_ok = 0
        bad_unit, bad_year = [], []
        for done in batch.imported:
            unit, year = expected(done.path, tmp / "raw")
            r = done.report
            if unit_matches(unit, r.agency, r.region):
                unit_ok += 1
            else:
                bad_unit.append(f"{done.path.relative_to(tmp / 'raw')}: {r.agency} | {r.region}")
            if r.year == year:
                year_ok += 1
            else:
                bad_year.append(f"{done.path.relative_to(tmp / 'raw')}: {r.year} ({done.how.get('year', '?')})")
        n = len(files)
        chars = sum(p.stat().st_size for p in files)
        print(f"files            {n} ({chars / 1e6:.1f} MB)")
        print(f"errors           {len(batch.failed)}")
        written = len(list(corpus_dir.glob("*.md")))
        print(f"reports written  {written} ({len(batch.imported) - written} files hold the text of another: "
              f"updated in place, not duplicated)")
        print(f"flagged unsure   {sum(1 for d in batch.imported if d.unsure)} (metadata marked ? to check)")
        print(f"import           {seconds:.1f} s ({n / seconds:.0f} reports/s)")
        print(f"unit as in path  {unit_ok}/{n} = {unit_ok / n:.2%}")
        print(f"year as in path  {year_ok}/{n} = {year_ok / n:.2%}")
        for _path, message in batch.failed[: args.show]:
            print(f"  error: {message}")
        for line in bad_unit[: args.show]:
            print(f"  unit: {line}")
        for line in bad_year[: args.show]:
            print(f"  year: {line}")
        if args.build:
            from kb import build as kb_build

            index_dir = tmp / "index"
            start = time.perf_counter()
            meta = kb_build.build(corpus_dir, index_dir)
            print(f"full build       {time.perf_counter() - start:.1f} s "
                  f"({meta['reports']} reports, {meta['paragraphs']} paragraphs)")
            victim = sorted(corpus_dir.glob("*.md"))[0]
            victim.write_text(victim.read_text(encoding="utf-8") + "\n新增一段：增量构建的测试段落。\n", encoding="utf-8")
            start = time.perf_counter()
            meta = kb_build.build(corpus_dir, index_dir)
            print(f"incremental      {time.perf_counter() - start:.1f} s (1 report changed: "
                  f"{meta.get('reindexed')} re-indexed)")
        if args.keep:
            shutil.copytree(corpus_dir, args.keep, dirs_exist_ok=True)
        ok = not batch.failed and unit_ok >= 0.99 * n and year_ok >= 0.99 * n
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""Figures at the scale of the real corpus: the figure table of the 3,004 real work reports of
../shared/data/gov-work-reports.tar.xz, as the build writes it, and the time of what the
figure pages ask of it. Prints numbers; not a test.

    .venv/bin/python bench/figures.py [--tarball PATH] [--repeat 20]

Each report is read as `kb build` reads it (repair, segment) with the agency and year of its
path (政府工作报告-<级别>/<单位>/<年>.md); its entry (figures with an indicator, card) is made
by kb.figures.table.entry and the table written into a temporary generation folder. The
answers are then timed through kb.figures.answers on that table (no search narrows them),
without and with the per-generation cache.
"""

from __future__ import annotations

import argparse
import functools
import statistics
import sys
import tarfile
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))

from kb.core import corpus
from kb.core.model import Report  # noqa: E402
from kb.enrich import paragraphs as enrich_paragraphs  # noqa: E402
from kb.figures import answers as figure_answers
from kb.figures import table as figure_table
from kb.ingest.repair import repair  # noqa: E402

TARBALL = Path(__file__).parents[2] / "shared" / "data" / "gov-work-reports.tar.xz"


def build_table(tarball: Path, out: Path) -> tuple[int, int, float]:
    started = time.perf_counter()
    entries, paragraphs = {}, 0
    with tarfile.open(tarball, mode="r:*") as archive:
        for n, member in enumerate(m for m in archive if m.isfile() and m.name.endswith(".md")):
            parts = Path(member.name).parts
            raw = archive.extractfile(member).read().decode("utf-8")
            body = raw[raw.find("\n---", 4) + 4:] if raw.startswith("---") else raw
            year = int(parts[-1][:4]) - 1 if parts[-1][:4].isdigit() else 0
            report = Report(id=f"r{n}", title=f"{parts[-2]}{parts[-1][:4]}年政府工作报告", agency=parts[-2], year=year,
                            body=corpus.blocks_to_markdown(repair(body).blocks))
            ps = enrich_paragraphs.split_report(report)
            paragraphs += len(ps)
            entries[report.id] = figure_table.entry(report, ps)
    figure_table.write(out, None, set(), entries)
    return len(entries), paragraphs, time.perf_counter() - started


def timed(fn, repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return times[0], statistics.median(times[1:] or times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tarball", default=str(TARBALL))
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        gen_dir = Path(tmp) / "gen-1"
        gen_dir.mkdir()
        reports, paragraphs, secs = build_table(Path(args.tarball), gen_dir)
        size = (gen_dir / figure_table.FILE).stat().st_size
        print(f"{reports} reports, {paragraphs} paragraphs: table made in {secs:.1f} s "
              f"(extraction with the pipeline), {size / 1e6:.1f} MB")
        t = time.perf_counter()
        table = figure_table.load(gen_dir)
        print(f"load: {(time.perf_counter() - t) * 1000:.0f} ms, {len(table.figures)} figures, "
              f"{sum(1 for f in table.figures if f['sure'])} sure")
        table_of = functools.cache(lambda: figure_table.load(gen_dir))  # as a generation's cache keeps it

        def no_search(search_args):
            raise AssertionError("these cases need no search")

        def figures(args, indicator=""):
            return figure_answers.figures(table_of, no_search, args, indicator)

        def indicator_page(indicator, args):
            return figure_answers.indicator_page(table_of, no_search, indicator, args)

        biggest = max(table.by_indicator, key=lambda k: len(table.by_indicator[k]))
        cases = {
            "/api/figures (all, first page)": lambda: figures({}),
            f"/api/figures?indicator={biggest}": lambda: figures({}, biggest),
            "/api/figures?indicator=行政复议案件&year=2020": lambda: figures({"year": ["2020"]}, "行政复议案件"),
            f"/figures/{biggest} (tables)": lambda: indicator_page(biggest, {}),
            f"/figures/{biggest}?sort=value&sort_year=2020": lambda: indicator_page(
                biggest, {"sort": ["value"], "sort_year": ["2020"]}),
        }
        print(f"{'answer':<48} {'first ms':>9} {'again ms (cached)':>18}")
        for name, fn in cases.items():
            first, again = timed(fn, args.repeat)
            print(f"{name:<48} {first:9.1f} {again:18.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Evaluate where ``kb import`` places the real work reports: ``python -m tools.placeeval`` (a
tool beside the product, not installed: run it from the project root).

The reader's places (``tests/data/places_real.toml``) give, for every unit folder of
``../shared/data/gov-work-reports.tar.xz`` (and for the files filed under a neighbour's
folder), the agency, the region in the unit's own year and the region today. Each file is
imported as a user would import it (``kb import --dry-run 2014.md``: the file name says only
the year) and its agency, region and region today compared. Printed: how many are right, right but marked
``?``, wrong but marked ``?`` (the reader is told to check), and wrong without ``?`` (the
agency or region), with the wrong ones listed, and how many regions are wrong without ``?`` (the
acceptance: none).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import tomllib
from collections import Counter
from pathlib import Path

from bench import realcorpus
from kb.core.errors import KbError
from kb.ingest import gazetteer, importer
from tools import shell

PLACES = Path("tests/data/places_real.toml")
TARBALL = Path("../shared/data/gov-work-reports.tar.xz")


def expected(places: dict, name: str) -> dict | None:
    """The reader's place of one file of the tarball (its own entry, else its folder's)."""
    for f in places.get("file", ()):
        if f["file"] == name:
            return f
    folder = name.rsplit("/", 1)[0]
    return next((u for u in places.get("unit", ()) if u["folder"] == folder), None)


def judge(places: dict, raw_dir: Path, files: list[Path]) -> tuple[Counter, list[str]]:
    """(counts by outcome, the wrong ones) of importing ``files`` (under ``raw_dir``) dry."""
    counts: Counter = Counter()
    wrong: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for path in files:
            name = path.relative_to(raw_dir).as_posix()
            want = expected(places, name)
            if want is None:
                continue
            got = importer.import_file(path, Path(tmp), dry_run=True)
            r, unsure = got.report, got.unsure
            today = gazetteer.today(r.region)[0] or r.region
            right = r.agency == want["agency"] and r.region == want["region"] and today == want["today"]
            marked = bool(unsure & {"agency", "region"})
            outcome = ("right" if not marked else "right ?") if right else ("wrong ?" if marked else "wrong")
            counts[outcome] += 1
            if r.region != want["region"] and not unsure & {"region"}:
                counts["region wrong"] += 1  # the acceptance: a place given a neighbour's name without ?
            if not right:
                wrong.append(f"{outcome:8} {name}: {r.agency} / {r.region} / 今{today} "
                             f"(want {want['agency']} / {want['region']} / 今{want['today']})")
    return counts, wrong


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tools.placeeval", description=__doc__.split("\n\n")[0])
    p.add_argument("--real", type=Path, default=TARBALL, help="the real-report tarball, or the folder it unpacks to")
    p.add_argument("--places", type=Path, default=PLACES)
    p.add_argument("--under", default="", help="only the files whose path in the tarball starts so")
    a = p.parse_args(argv)
    try:
        places = tomllib.loads(a.places.read_text(encoding="utf-8"))
        with tempfile.TemporaryDirectory() as tmp:
            raw = a.real if a.real.is_dir() else realcorpus.unpack(a.real, Path(tmp))
            files = [f for f in realcorpus.raw_files(raw) if f.relative_to(raw).as_posix().startswith(a.under)]
            counts, wrong = judge(places, raw, files)
    except (OSError, KbError, tomllib.TOMLDecodeError) as e:
        print(f"Error: {shell.safe(str(e))}", file=sys.stderr)
        return 1
    print("\n".join(wrong))
    total = sum(counts[k] for k in ("right", "right ?", "wrong ?", "wrong"))
    print(f"{total} files: " + ", ".join(f"{k} {counts[k]}" for k in ("right", "right ?", "wrong ?", "wrong"))
          + f"; region wrong without ?: {counts['region wrong']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

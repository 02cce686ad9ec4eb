"""The scanned-report bench: real report pages printed and scanned, read back by ``kb import``'s OCR.

    .venv/bin/python bench/scans.py [--pages N] [--seed N]

Draws ``N`` reports (default 6) from ``../shared/data/gov-work-reports.tar.xz`` (unpacked to a
temporary folder) and the five seeds, renders the first page of each (:mod:`bench.scanpages`:
A4, 16 pt WenQuanYi Zen Hei, centred title, indented paragraphs) as an image-only PDF in three
conditions, reads it with :func:`kb.ingest.formats.pdf.read_pdf` (OCR, then the layout
rebuild) and prints, for each condition:

- characters read right: the share of the page's characters (NFKC, spaces ignored) that the
  OCR text matches in order (difflib's matching blocks over the truth's length);
- paragraphs whole: the page's paragraphs that came out as one paragraph, neither cut nor run
  into the next (the truth's paragraph and one read paragraph match at >= 90%, same length ±10%);
- mean confidence, and the seconds per page.

Conditions: ``clean 300`` (300 dpi, straight, no seal), ``office 300`` (0.6° skew, speckles,
a red seal over the text), ``office 200`` (200 dpi, 1° skew, speckles, a seal).
Exit status 1 if clean pages read under 97% of their characters right.
"""

from __future__ import annotations

import argparse
import difflib
import random
import re
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import realcorpus, scanpages  # noqa: E402
from kb.ingest.formats.pdf import read_pdf  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CONDITIONS = {"clean 300": dict(dpi=300, skew=0.0, noise=0.0, seal=False),
              "office 300": dict(dpi=300, skew=0.6, noise=0.01, seal=True),
              "office 200": dict(dpi=200, skew=1.0, noise=0.01, seal=True)}


def norm(text: str) -> str:
    return re.sub(r"[\s\u00ad]", "", unicodedata.normalize("NFKC", text))


def read_right(truth: str, got: str) -> float:
    sm = difflib.SequenceMatcher(None, truth, got, autojunk=False)
    return sum(b.size for b in sm.get_matching_blocks()) / max(1, len(truth))


def whole(truth: list[str], got: list[str]) -> int:
    """How many of the truth's paragraphs came out as one read paragraph."""
    n = 0
    for t in map(norm, truth):
        for g in map(norm, got):
            if abs(len(g) - len(t)) <= 0.1 * len(t) and difflib.SequenceMatcher(None, t, g, autojunk=False).ratio() >= 0.9:
                n += 1
                break
    return n


def measure(files: list[Path], condition: dict) -> dict:
    right = chars = paras = kept = 0
    confs, seconds = [], 0.0
    for n, path in enumerate(files):
        title, paragraphs = scanpages.paragraphs_of(path)
        image, placed = scanpages.page_image(title, paragraphs, seed=n, **condition)
        start = time.perf_counter()
        extracted = read_pdf(scanpages.scanned_pdf([image], condition["dpi"]), path.name)
        seconds += time.perf_counter() - start
        got = [t for t, _ in extracted.meta["ocr"]["paragraphs"]]
        confs += [c for _, c in extracted.meta["ocr"]["paragraphs"]]
        truth = norm(title + "".join(placed))
        right += read_right(truth, norm("".join(got))) * len(truth)
        chars += len(truth)
        paras += whole(placed[:-1], got)  # the page's last paragraph may be cut at the page's foot
        kept += len(placed) - 1
    return {"right": right / chars, "whole": paras / max(1, kept), "paras": kept,
            "conf": sum(confs) / max(1, len(confs)), "seconds": seconds / len(files), "chars": chars}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, default=6)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        raw = realcorpus.unpack(SHARED / "data" / "gov-work-reports.tar.xz", Path(tmp))
        files = random.Random(args.seed).sample(realcorpus.raw_files(raw), args.pages)
        files += sorted((SHARED / "seeds").glob("*.txt"))
        print(f"{len(files)} pages ({args.pages} real work reports, {len(files) - args.pages} seeds)")
        print(f"{'condition':<12} {'chars right':>11} {'paras whole':>14} {'confidence':>10} {'s/page':>7}")
        results = {}
        for name, condition in CONDITIONS.items():
            r = results[name] = measure(files, condition)
            print(f"{name:<12} {r['right']:>10.2%} {r['whole']:>8.1%} of {r['paras']:<3} {r['conf']:>9.1f} "
                  f"{r['seconds']:>7.1f}")
    return 0 if results["clean 300"]["right"] >= 0.97 else 1


if __name__ == "__main__":
    sys.exit(main())

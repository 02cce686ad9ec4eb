"""Does the item splitter keep only items that commit to something? ``python -m tools.itemkinds``
reads ``tests/data/plan_item_kinds.toml`` (splitter items labelled by reading: ``commits`` true for an
action with an object or a target; false for a heading, a lead that only names a field, a frame or
principle, an outlook, a line of loyalty or working style, a rallying close), runs the item splitter
(:func:`kb.enrich.plans.items`) on each labelled report as ``kb import`` reads it, and prints the
precision and recall of "commits": an item counts as kept when an item the splitter returns holds its
text (or lies inside it), the rest as dropped. Per kind: how many of the labelled items are kept.
A tool beside the product, not installed.
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from collections import Counter
from pathlib import Path

from kb.core import corpus
from kb.enrich import paragraphs as enrich_paragraphs
from kb.enrich import plans
from tools import realreports, shell

LABELS = "tests/data/plan_item_kinds.toml"
EPILOG = "example:\n  python -m tools.itemkinds --real ../shared/data/gov-work-reports.tar.xz --corpus corpus"
SEED = "seed:"


def load(path: Path) -> list[dict]:
    return tomllib.loads(path.read_text(encoding="utf-8"))["items"]


def split_items(files: set[str], tarball: Path | None, corpus_dir: Path) -> dict[str, list[str]]:
    """The texts of the items the splitter finds in each file (a real report, or a seed by its id)."""
    out: dict[str, list[str]] = {}
    real = {f for f in files if not f.startswith(SEED)}
    if real and tarball is not None:
        for name, _, paras in realreports.read(tarball, real, as_imported=True):
            out[name] = [it.text for it in plans.items(paras, int(Path(name).stem[:4]) - 1)]
    for f in sorted(files - real):
        rep = corpus.load(corpus_dir, f.removeprefix(SEED))
        out[f] = [it.text for it in plans.items(enrich_paragraphs.split_report(rep), rep.year)]
    return out


def kept(text: str, found: list[str]) -> bool:
    return any(text == t or text in t or (len(t) >= 6 and t in text) for t in found)


def measure(labels: list[dict], found: dict[str, list[str]]) -> dict:
    """Precision and recall of "commits" over the labelled items of the files read; kept per kind."""
    rows = [(r["commits"], kept(r["text"], found[r["file"]]), r.get("kind") or "commits")
            for r in labels if r["file"] in found]
    cells = Counter((c, k) for c, k, _ in rows)
    tp, fp, fn = cells[(True, True)], cells[(False, True)], cells[(True, False)]
    per_kind = Counter((kind, k) for _, k, kind in rows)
    return {"items": len(rows), "precision": round(tp / (tp + fp), 3) if tp + fp else 0.0,
            "recall": round(tp / (tp + fn), 3) if tp + fn else 0.0, "kept_not_committing": fp,
            "dropped_committing": fn,
            "kinds": {f"{kind} {'kept' if k else 'dropped'}": n for (kind, k), n in sorted(per_kind.items())}}


def main(argv: list[str] | None = None) -> int:
    p = shell.parser("python -m tools.itemkinds", "Precision and recall of the plan items that commit to an action "
                     "or a target, against tests/data/plan_item_kinds.toml (labelled by reading).", EPILOG)
    p.add_argument("--labels", default=LABELS, help=f"the labelled items (default: {LABELS})")
    p.add_argument("--real", default=shell.REAL, help="the real-report tarball the labelled items come from")
    p.add_argument("--corpus", default="corpus", help="the corpus directory holding the seeds (default: corpus)")
    p.add_argument("-v", "--verbose", action="store_true", help="print every labelled item the splitter gets wrong")
    p.set_defaults(func=run)
    return shell.run(p, argv)


def run(args: argparse.Namespace) -> int:
    labels = load(Path(args.labels))
    found = split_items({r["file"] for r in labels}, shell.tarball(args.real), Path(args.corpus))
    result = measure(labels, found)
    print(json.dumps(result, ensure_ascii=False, indent=1))
    if args.verbose:
        for r in labels:
            if r["file"] in found and kept(r["text"], found[r["file"]]) != r["commits"]:
                print("commits" if r["commits"] else r.get("kind", ""), r["file"], r["text"][:70], sep="\t")
    return 0


if __name__ == "__main__":
    sys.exit(main())

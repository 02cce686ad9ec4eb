"""Does the item splitter keep only items that commit to something? ``python -m tools.itemkinds``
reads ``tests/data/plan_item_kinds.toml`` (splitter items labelled by reading: ``commits`` true for an
action with an object or a target; false for a heading, a lead that only names a field, a frame or
principle, an outlook, a line of loyalty or working style, a rallying close), runs the item splitter
(:func:`kb.enrich.plans.items`) on each labelled report as ``kb import`` reads it, and prints the
precision and recall of "commits": an item counts as kept when an item the splitter returns holds its
text (or lies inside it), the rest as dropped. Per kind: how many of the labelled items are kept.
Labels that say a ``horizon`` (``year`` or ``years``: the goal reaches beyond the plan's year,
tests/data/plan_item_kinds2.toml) are measured too: precision and recall of ``years`` among the kept
items (:attr:`kb.enrich.plans.PlanItem.horizon`); labels with a ``group`` are measured per group as well.
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

LABELS = ("tests/data/plan_item_kinds.toml", "tests/data/plan_item_kinds2.toml")
EPILOG = "example:\n  python -m tools.itemkinds --real ../shared/data/gov-work-reports.tar.xz --corpus corpus"
SEED = "seed:"


def load(path: Path) -> list[dict]:
    return tomllib.loads(path.read_text(encoding="utf-8"))["items"]


def split_items(files: set[str], tarball: Path | None, corpus_dir: Path) -> dict[str, list[plans.PlanItem]]:
    """The items the splitter finds in each file (a real report, or a seed by its id)."""
    out: dict[str, list[plans.PlanItem]] = {}
    real = {f for f in files if not f.startswith(SEED)}
    if real and tarball is not None:
        for name, _, paras in realreports.read(tarball, real, as_imported=True):
            out[name] = plans.items(paras, int(Path(name).stem[:4]) - 1)
    for f in sorted(files - real):
        rep = corpus.load(corpus_dir, f.removeprefix(SEED))
        out[f] = plans.items(enrich_paragraphs.split_report(rep), rep.year)
    return out


def holding(text: str, found: list[plans.PlanItem]) -> plans.PlanItem | None:
    """The item the splitter returns that holds ``text`` (or lies inside it), if any."""
    return next((it for it in found if text == it.text or text in it.text or (len(it.text) >= 6 and it.text in text)),
                None)


def kept(text: str, found: list[plans.PlanItem]) -> bool:
    return holding(text, found) is not None


def measure(labels: list[dict], found: dict[str, list[str]]) -> dict:
    """Precision and recall of "commits" over the labelled items of the files read; kept per kind."""
    rows = [(_commits(r), kept(r["text"], found[r["file"]]), r.get("kind") or r.get("part") or "commits")
            for r in labels if r["file"] in found]
    cells = Counter((c, k) for c, k, _ in rows)
    tp, fp, fn = cells[(True, True)], cells[(False, True)], cells[(True, False)]
    per_kind = Counter((kind, k) for _, k, kind in rows)
    return {"items": len(rows), "precision": round(tp / (tp + fp), 3) if tp + fp else 0.0,
            "recall": round(tp / (tp + fn), 3) if tp + fn else 0.0, "kept_not_committing": fp,
            "dropped_committing": fn,
            "kinds": {f"{kind} {'kept' if k else 'dropped'}": n for (kind, k), n in sorted(per_kind.items())}}


def _commits(label: dict) -> bool:
    """Whether a labelled item commits to something in the year's plan: an item of a five-year part
    (``part = "fiveyear"``) does not, whatever it commits to."""
    return label["commits"] and label.get("part") != "fiveyear"


def horizons(labels: list[dict], found: dict[str, list[plans.PlanItem]]) -> dict:
    """Precision and recall of a horizon beyond the plan's year (``years``) over the labelled items that
    say one and that the splitter keeps."""
    rows = [(r["horizon"] == plans.YEARS, it.horizon == plans.YEARS) for r in labels
            if "horizon" in r and r["file"] in found and (it := holding(r["text"], found[r["file"]]))]
    cells = Counter(rows)
    tp, fp, fn = cells[(True, True)], cells[(False, True)], cells[(True, False)]
    return {"items": len(rows), "precision": round(tp / (tp + fp), 3) if tp + fp else 0.0,
            "recall": round(tp / (tp + fn), 3) if tp + fn else 0.0, "years_labelled": tp + fn}


def report(labels: list[dict], found: dict[str, list[plans.PlanItem]]) -> dict:
    """:func:`measure` and :func:`horizons` over all the labels, and per group when labels name one."""
    out = measure(labels, found) | {"horizon": horizons(labels, found)}
    groups = sorted({r["group"] for r in labels if "group" in r})
    if groups:
        out["groups"] = {g: measure(sub, found) | {"horizon": horizons(sub, found)}
                         for g in groups if (sub := [r for r in labels if r.get("group") == g])}
    return out


def _print_wrong(labels: list[dict], found: dict[str, list[plans.PlanItem]]) -> None:
    """Every labelled item the splitter keeps or drops against its label, or gives another horizon."""
    for r in labels:
        it = holding(r["text"], found[r["file"]]) if r["file"] in found else None
        right = (it is not None) == _commits(r)
        if not right or (it and "horizon" in r and it.horizon != r["horizon"]):
            said = f"horizon {it.horizon}" if it and right else ""
            print("commits" if _commits(r) else r.get("kind") or r.get("part", ""), said, r["file"], r["text"][:70], sep="\t")


def main(argv: list[str] | None = None) -> int:
    p = shell.parser("python -m tools.itemkinds", "Precision and recall of the plan items that commit to an action "
                     "or a target, against tests/data/plan_item_kinds.toml (labelled by reading).", EPILOG)
    p.add_argument("--labels", action="append", metavar="TOML",
                   help=f"a file of labelled items (repeatable; default: {', '.join(LABELS)})")
    p.add_argument("--real", default=shell.REAL, help="the real-report tarball the labelled items come from")
    p.add_argument("--corpus", default="corpus", help="the corpus directory holding the seeds (default: corpus)")
    p.add_argument("-v", "--verbose", action="store_true", help="print every labelled item the splitter gets wrong")
    p.set_defaults(func=run)
    return shell.run(p, argv)


def run(args: argparse.Namespace) -> int:
    labels = [r for f in (args.labels or LABELS) for r in load(Path(f))]
    found = split_items({r["file"] for r in labels}, shell.tarball(args.real), Path(args.corpus))
    print(json.dumps(report(labels, found), ensure_ascii=False, indent=1))
    if args.verbose:
        _print_wrong(labels, found)
    return 0


if __name__ == "__main__":
    sys.exit(main())

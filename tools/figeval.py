"""Evaluate the figure extraction (:mod:`kb.figures.extract`) against paragraphs labelled by
reading: ``python -m tools.figeval`` (a tool beside the product, not installed: run it from
the project root).

The labels (``tests/data/figure_labels.toml``) give, for seed paragraphs (by id) and for
paragraphs of the real reports (by file in the tarball and the hash of their text), every
number with a unit a reader finds, its normalized amount, the indicator it counts (``-``
when none of the list) and its scope. ``python -m tools.figeval`` prints

- **figures**: precision and recall of the numbers with units found (value, unit, amount);
- **indicators**: of the figures the extractor is sure of, how many have the reader's
  indicator and scope (precision), and how many of the reader's have been found so, sure
  (recall); the same counting the guesses (``sure=False``) as claims too;
- per indicator (the most labelled first, ties by name), the same;
- the same measures over the held-out paragraphs alone (labelled after the extractor was
  tuned, and not tuned on): what to expect of paragraphs it has not seen.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from kb.core import corpus
from kb.core.errors import KbError
from kb.enrich import paragraphs as enrich_paragraphs
from kb.figures import extract
from tools import realreports, shell

#: The hex digits of a real paragraph's text hash in tests/data/figure_labels.toml.
LABEL_HASH = 12

LABEL = re.compile(r"^\s*(?P<value>[\d.]+|[一二三四五六七八九十百千两零〇]+)(?P<unit>\S+?)\s*=\s*"
                   r"(?P<amount>[\d.]+)(?P<nunit>\S+?)\s*:\s*(?P<indicator>\S+)(?:\s*/\s*(?P<scope>\S+))?\s*$")


@dataclass(frozen=True)
class Labelled:
    """A figure as the reader wrote it."""

    value: str
    unit: str
    amount: str
    normalized_unit: str
    indicator: str  # "" for "-"
    scope: str


@dataclass
class Paragraph:
    key: str  # the seed paragraph id, or file#hash
    text: str
    gold: list[Labelled]
    heldout: bool = False  # labelled after the extractor was tuned, and not tuned on
    found: list[extract.Figure] = field(default_factory=list)


def _num(s: str | float | int) -> str:
    """A number as a canonical string: 46.583710 -> 46.58371, 十 -> 10."""
    s = str(s)
    if not re.fullmatch(r"[\d.]+", s):
        n = extract.cn_number(s)
        s = str(n if n is not None else s)
    d = Decimal(s).normalize()
    return format(d, "f")


def parse_label(spec: str) -> Labelled:
    m = LABEL.match(spec)
    if not m:
        raise KbError(f"无法读取标注 {spec!r} (want '46.58371万元 = 465837.1元 : 罚没款 [/ scope]')")
    ind = m.group("indicator")
    return Labelled(_num(m.group("value")), m.group("unit"), _num(m.group("amount")), m.group("nunit"),
                    "" if ind == "-" else ind, m.group("scope") or "")


def _seed_paragraphs(corpus_dir: Path, wanted: dict[str, list[Labelled]]) -> tuple[list[Paragraph], list[str]]:
    out = []
    for report in corpus.iter_reports(corpus_dir):
        for p in enrich_paragraphs.split_report(report):
            if p.id in wanted:
                out.append(Paragraph(p.id, p.text, wanted[p.id]))
    return out, sorted(set(wanted) - {p.key for p in out})


def real_paragraphs(tarball: Path, files: set[str]) -> dict[str, list[str]]:
    """The paragraphs (texts) of some files of the real-report tarball, as the pipeline
    reads them (repair, segment)."""
    return {name: [p.text for p in paragraphs] for name, _, paragraphs in realreports.read(tarball, files)}


def load(labels_path: Path, corpus_dir: Path, tarball: Path | None) -> tuple[list[Paragraph], list[str]]:
    """The labelled paragraphs with their texts; and the keys of those not found."""
    try:
        data = tomllib.loads(Path(labels_path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise KbError(f"无法读取数字标注 {labels_path} (cannot read labels: {e})") from None
    seeds = {s["id"]: [parse_label(f) for f in s["figures"]] for s in data.get("seed", ())}
    paragraphs, missing = _seed_paragraphs(corpus_dir, seeds)
    real = data.get("real", ())
    if real and tarball is not None:
        texts = real_paragraphs(tarball, {r["file"] for r in real})
        for r in real:
            by_hash = {realreports.text_hash(t, LABEL_HASH): t for t in texts.get(r["file"], [])}
            key = f"{r['file']}#{r['hash']}"
            if r["hash"] in by_hash:
                paragraphs.append(Paragraph(key, by_hash[r["hash"]], [parse_label(f) for f in r["figures"]],
                                            bool(r.get("heldout"))))
            else:
                missing.append(key)
    return paragraphs, missing


def _mention(f) -> tuple:
    if isinstance(f, Labelled):
        return (f.value, f.unit, f.amount, f.normalized_unit)
    return (_num(f.value), f.unit, _num(f.amount), f.normalized_unit)


def _claim(f) -> tuple:
    return _mention(f) + (f.indicator, f.scope)


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 1.0
    r = tp / n_gold if n_gold else 1.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "tp": tp, "predicted": n_pred, "labelled": n_gold}


def _overlap(a: Counter, b: Counter) -> int:
    return sum((a & b).values())


def _tally(counts: list[int], gold: Counter, claims: list) -> None:
    """Add to ``counts`` (right, claimed, labelled) one paragraph's claims against its labels."""
    counts[0] += _overlap(gold, Counter(map(_claim, claims)))
    counts[1] += len(claims)
    counts[2] += sum(gold.values())


def _tally_per_indicator(per: dict[str, list[int]], gold: Counter, sure: Counter) -> None:
    """Add to ``per`` (indicator -> right, claimed, labelled) one paragraph's sure claims."""
    for name in {c[4] for c in gold} | {c[4] for c in sure}:
        g = Counter({k: v for k, v in gold.items() if k[4] == name})
        s = Counter({k: v for k, v in sure.items() if k[4] == name})
        row = per.setdefault(name, [0, 0, 0])
        row[0] += _overlap(g, s)
        row[1] += sum(s.values())
        row[2] += sum(g.values())


def score(paragraphs: list[Paragraph]) -> dict:
    """The measures over all labelled paragraphs (see the module docstring)."""
    tp = n_pred = n_gold = 0
    sure = [0, 0, 0]
    guess = [0, 0, 0]
    per: dict[str, list[int]] = {}
    for p in paragraphs:
        p.found = extract.extract(p.text, p.key)
        gold_m, pred_m = Counter(map(_mention, p.gold)), Counter(map(_mention, p.found))
        tp, n_pred, n_gold = tp + _overlap(gold_m, pred_m), n_pred + len(p.found), n_gold + len(p.gold)
        gold_c = Counter(_claim(f) for f in p.gold if f.indicator)
        _tally(sure, gold_c, [f for f in p.found if f.indicator and f.sure])
        _tally(guess, gold_c, [f for f in p.found if f.indicator])
        _tally_per_indicator(per, gold_c, Counter(_claim(f) for f in p.found if f.indicator and f.sure))
    return {
        "paragraphs": len(paragraphs),
        "figures": _prf(tp, n_pred, n_gold),
        "indicators": _prf(*sure),
        "indicators_with_guesses": _prf(*guess),
        "per_indicator": {k: _prf(*v) for k, v in sorted(per.items(), key=lambda kv: (-kv[1][2], kv[0]))},
    }


def errors(paragraphs: list[Paragraph]) -> list[dict]:
    """Per paragraph, what the reader has and the extractor has not, and the reverse
    (after :func:`score`)."""
    out = []
    for p in paragraphs:
        gold = Counter(_claim(f) for f in p.gold)
        pred = Counter(_claim(f) if f.sure else _mention(f) + (f.indicator + "?", f.scope) for f in p.found)
        missed, extra = gold - pred, pred - gold
        if missed or extra:
            out.append({"paragraph": p.key, "missed": sorted(missed.elements()), "extra": sorted(extra.elements())})
    return out


def evaluate(labels_path: Path, corpus_dir: Path, tarball: Path | None) -> tuple[dict, list[Paragraph]]:
    paragraphs, missing = load(labels_path, corpus_dir, tarball)
    held = [p for p in paragraphs if p.heldout]
    result = score(paragraphs)
    result["heldout"] = {k: v for k, v in score(held).items() if k != "per_indicator"}
    result["missing"] = missing
    return result, paragraphs


# -- the command line -----------------------------------------------------------------------

def cmd_figeval(args) -> int:
    """python -m tools.figeval: precision and recall of the numbers and their indicators."""
    result, paragraphs = evaluate(Path(args.labels), shell.settings(args).corpus_dir, shell.tarball(args.real))
    if args.json:
        result["errors"] = errors(paragraphs) if args.errors else []
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    n = result["figures"]["labelled"]
    print(f"{result['paragraphs']} labelled paragraphs, {n} labelled figures"
          + (f" ({len(result['missing'])} paragraphs not found: {', '.join(result['missing'])})" if result["missing"] else ""))
    print(f"{'':<30} labelled found  precision  recall    F1")
    rows = [("figures (number + unit)", result["figures"]), ("indicator, sure", result["indicators"]),
            ("indicator, guesses too", result["indicators_with_guesses"])]
    rows += [("  " + k, v) for k, v in result["per_indicator"].items()]
    held = result["heldout"]
    rows += [(f"held out ({held['paragraphs']} paragraphs):", None), ("figures (number + unit)", held["figures"]),
             ("indicator, sure", held["indicators"]), ("indicator, guesses too", held["indicators_with_guesses"])]
    for name, m in rows:
        if m is None:
            print(name)
            continue
        print(f"{name:<30} {m['labelled']:8d} {m['predicted']:5d} {m['precision']:10.3f} {m['recall']:7.3f} {m['f1']:5.3f}")
    if args.errors:
        for e in errors(paragraphs):
            print(f"\n{e['paragraph']}")
            for what, items in (("missed", e["missed"]), ("extra", e["extra"])):
                for item in items:
                    print(f"  {what}: {item}")
    return 0


def parser() -> argparse.ArgumentParser:
    """python -m tools.figeval: its options."""
    p = shell.parser(
        "python -m tools.figeval",
        "Read the figures (numbers with units, their indicators) of every labelled paragraph (the seed corpus "
        "by id, real reports by file and paragraph hash in the tarball) and print precision and recall: of the "
        "numbers found, of the indicators read with certainty, and per indicator.",
        "examples:\n  python -m tools.figeval --errors\n  python -m tools.figeval --real '' --json",
        parents=[shell.common()])
    p.add_argument("--labels", default="tests/data/figure_labels.toml", help="TOML file of labelled paragraphs")
    p.add_argument("--real", default=shell.REAL,
                   help="the real-report tarball the labels refer to ('' to use only the seed corpus)")
    p.add_argument("--errors", action="store_true", help="also list, per paragraph, what was missed and what is extra")
    p.add_argument("--json", action="store_true", help="print the scores as JSON")
    p.set_defaults(func=cmd_figeval)
    return p


def main(argv: list[str] | None = None) -> int:
    return shell.run(parser(), argv)


if __name__ == "__main__":
    sys.exit(main())

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
  tuned), and per held-out draw (``sample``): the newest draw, not tuned on, is what to
  expect of paragraphs it has not seen.
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
                   r"(?P<amount>[\d.]+)(?P<nunit>\S+?)\s*:\s*(?P<indicator>[^\s/@#]+)(?:\s*/\s*(?P<scope>[^\s@#]+))?"
                   r"(?P<period>\s*@period)?(?:\s*#(?P<part>\S+))?\s*$")
#: The label files read by default: the seeds' and the first real paragraphs', and the random draw (issue 25).
LABELS = ("tests/data/figure_labels.toml", "tests/data/figure_labels_random.toml",
          "tests/data/figure_labels_heldout.toml")


@dataclass(frozen=True)
class Labelled:
    """A figure as the reader wrote it."""

    value: str
    unit: str
    amount: str
    normalized_unit: str
    indicator: str  # "" for "-"
    scope: str
    period: bool = False  # a total over several years (@period)
    part: str = ""  # the part of the whole it counts (#优秀)


@dataclass
class Paragraph:
    key: str  # the seed paragraph id, or file#hash
    text: str
    gold: list[Labelled]
    heldout: bool = False  # labelled after the extractor was tuned, and not tuned on
    genre: str = "法治政府建设报告"  # the seeds' genre; a real paragraph's is its folder (政府工作报告-主要城市 …)
    sample: str = ""  # how it was chosen: "" (by hand, for the numbers it holds), "random-25" (tools.figsample)
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
                    "" if ind == "-" else ind, m.group("scope") or "", bool(m.group("period")), m.group("part") or "")


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


def load(labels_paths, corpus_dir: Path, tarball: Path | None) -> tuple[list[Paragraph], list[str]]:
    """The labelled paragraphs of one label file or several, with their texts; and the keys of
    those not found."""
    paths = [labels_paths] if isinstance(labels_paths, (str, Path)) else list(labels_paths)
    seeds, real = {}, []
    for path in paths:
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as e:
            raise KbError(f"无法读取数字标注 {path} (cannot read labels: {e})") from None
        seeds |= {s["id"]: [parse_label(f) for f in s["figures"]] for s in data.get("seed", ())}
        real += data.get("real", ())
    paragraphs, missing = _seed_paragraphs(corpus_dir, seeds)
    if real and tarball is not None:
        texts = real_paragraphs(tarball, {r["file"] for r in real})
        for r in real:
            by_hash = {realreports.text_hash(t, LABEL_HASH): t for t in texts.get(r["file"], [])}
            key = f"{r['file']}#{r['hash']}"
            if r["hash"] in by_hash:
                paragraphs.append(Paragraph(key, by_hash[r["hash"]], [parse_label(f) for f in r["figures"]],
                                            bool(r.get("heldout")), r["file"].split("/")[0], r.get("sample", "")))
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


def _pairs(gold: list[Labelled], found: list) -> list[tuple[Labelled, object]]:
    """The labelled indicated figures paired with the found figures of the same claim
    (indicator and scope, sure or guess), each used once, in order."""
    free = [f for f in found if f.indicator]
    out = []
    for g in gold:
        if not g.indicator:
            continue
        match = next((f for f in free if _claim(f) == _claim(g)), None)
        if match is not None:
            free.remove(match)
            out.append((g, match))
    return out


def _tally_qualifiers(period: list[int], part: list[int], p: Paragraph) -> None:
    """Add to ``period`` and ``part`` (right, claimed, labelled) how a paragraph's figures mark
    a total over years and a part of the whole: every labelled indicated figure counts, right
    when a found figure of the same claim marks it so; every found indicated figure marked a
    period total is a claim; parts are labelled where the words say them plainly, so a part is
    claimed only where a label has one."""
    pairs = [(g, getattr(f, "period", ""), getattr(f, "part", "")) for g, f in _pairs(p.gold, p.found)]
    found = [getattr(f, "period", "") for f in p.found if f.indicator]
    _add(period, [g.period and f_period for g, f_period, _ in pairs], found, [g.period for g in p.gold if g.indicator])
    _add(part, [g.part and g.part == f_part for g, _, f_part in pairs], [g.part and f_part for g, _, f_part in pairs],
         [g.part for g in p.gold if g.indicator])


def _add(counts: list[int], right: list, claimed: list, labelled: list) -> None:
    """Add to ``counts`` how many of each list are true."""
    for i, items in enumerate((right, claimed, labelled)):
        counts[i] += sum(1 for x in items if x)


def score(paragraphs: list[Paragraph]) -> dict:
    """The measures over all labelled paragraphs (see the module docstring)."""
    tp = n_pred = n_gold = 0
    sure, guess, period, part = [0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0]
    per: dict[str, list[int]] = {}
    for p in paragraphs:
        p.found = extract.extract(p.text, p.key)
        gold_m, pred_m = Counter(map(_mention, p.gold)), Counter(map(_mention, p.found))
        tp, n_pred, n_gold = tp + _overlap(gold_m, pred_m), n_pred + len(p.found), n_gold + len(p.gold)
        gold_c = Counter(_claim(f) for f in p.gold if f.indicator)
        _tally(sure, gold_c, [f for f in p.found if f.indicator and f.sure])
        _tally(guess, gold_c, [f for f in p.found if f.indicator])
        _tally_per_indicator(per, gold_c, Counter(_claim(f) for f in p.found if f.indicator and f.sure))
        _tally_qualifiers(period, part, p)
    return {
        "paragraphs": len(paragraphs),
        "figures": _prf(tp, n_pred, n_gold),
        "indicators": _prf(*sure),
        "indicators_with_guesses": _prf(*guess),
        "period": _prf(*period),
        "part": _prf(*part),
        "per_indicator": {k: _prf(*v) for k, v in sorted(per.items(), key=lambda kv: (-kv[1][2], kv[0]))},
    }


def _shown(f) -> tuple:
    """A figure as --errors lists it: its claim, ``?`` after a guess's indicator, and
    ``@period`` / ``#part`` when marked."""
    sure = f.sure if not isinstance(f, Labelled) else True
    marks = ("@period" if getattr(f, "period", "") else "") + (f"#{f.part}" if getattr(f, "part", "") else "")
    return _mention(f) + (f.indicator + ("" if sure else "?"), f.scope, marks)


def errors(paragraphs: list[Paragraph]) -> list[dict]:
    """Per paragraph, what the reader has and the extractor has not, and the reverse
    (after :func:`score`)."""
    out = []
    for p in paragraphs:
        gold = Counter(_shown(f) for f in p.gold)
        pred = Counter(_shown(f) for f in p.found)
        missed, extra = gold - pred, pred - gold
        if missed or extra:
            out.append({"paragraph": p.key, "missed": sorted(missed.elements()), "extra": sorted(extra.elements())})
    return out


def _brief(result: dict) -> dict:
    return {k: v for k, v in result.items() if k != "per_indicator"}


def _draws(paragraphs: list[Paragraph]) -> dict[str, dict]:
    """The measures of each held-out draw (``sample``) apart: only the newest has not been tuned on."""
    held = [p for p in paragraphs if p.heldout and p.sample]
    return {s: _brief(score([p for p in held if p.sample == s])) for s in sorted({p.sample for p in held})}


def evaluate(labels_path, corpus_dir: Path, tarball: Path | None) -> tuple[dict, list[Paragraph]]:
    """The measures over every labelled paragraph, and apart: per genre, over the random draw
    (issue 25) labelled before tuning, and over the paragraphs held out from tuning."""
    paragraphs, missing = load(labels_path, corpus_dir, tarball)
    result = score(paragraphs)
    result["genres"] = {g: _brief(score([p for p in paragraphs if p.genre == g]))
                        for g in sorted({p.genre for p in paragraphs})}
    result["random"] = _brief(score([p for p in paragraphs if p.sample and not p.heldout]))
    result["heldout"] = _brief(score([p for p in paragraphs if p.heldout]))
    result["heldout_draws"] = _draws(paragraphs)
    score(paragraphs)  # the figures found again, for errors()
    result["missing"] = missing
    return result, paragraphs


# -- the command line -----------------------------------------------------------------------

def _print_block(title: str, m: dict, per: dict | None = None) -> None:
    print(title)
    rows = [("figures (number + unit)", m["figures"]), ("indicator, sure", m["indicators"]),
            ("indicator, guesses too", m["indicators_with_guesses"]), ("period totals marked", m["period"]),
            ("parts labelled", m["part"])]
    rows += [("  " + k, v) for k, v in (per or {}).items()]
    for name, r in rows:
        print(f"  {name:<30} {r['labelled']:8d} {r['predicted']:5d} {r['precision']:10.3f} {r['recall']:7.3f} {r['f1']:5.3f}")


def cmd_figeval(args) -> int:
    """python -m tools.figeval: precision and recall of the numbers and their indicators."""
    result, paragraphs = evaluate(args.labels or list(LABELS), shell.settings(args).corpus_dir, shell.tarball(args.real))
    if args.json:
        result["errors"] = errors(paragraphs) if args.errors else []
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    n = result["figures"]["labelled"]
    print(f"{result['paragraphs']} labelled paragraphs, {n} labelled figures"
          + (f" ({len(result['missing'])} paragraphs not found: {', '.join(result['missing'])})" if result["missing"] else ""))
    print(f"  {'':<30} labelled found  precision  recall    F1")
    _print_block("all paragraphs:", result, result["per_indicator"])
    for genre, m in result["genres"].items():
        _print_block(f"{genre} ({m['paragraphs']} paragraphs):", m)
    for key, title in (("random", "drawn at random, labelled before tuning"), ("heldout", "held out from tuning")):
        _print_block(f"{title} ({result[key]['paragraphs']} paragraphs):", result[key])
    for sample, m in result["heldout_draws"].items():
        _print_block(f"  held-out draw {sample} ({m['paragraphs']} paragraphs):", m)
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
    p.add_argument("--labels", action="append",
                   help="a TOML file of labelled paragraphs (repeat for several; default: " + ", ".join(LABELS) + ")")
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

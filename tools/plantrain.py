"""Learn the plan matcher's verdict from the judged items (issue 26): ``python -m tools.plantrain``.

The matcher (:mod:`kb.search.plans`) is run over the eight judged sets read while tuning (``tests/data/plans_judged.toml``,
``plans_heldout.toml`` … ``plans_heldout7.toml``: 1,023 items of 48 pairs; held-out 7 read in stop 39 after its numbers
were recorded; never ``plans_heldout8.toml``, the clean set), the reports read exactly as
``kb import`` reads them, as ``python -m tools.evaluate plans`` reads them (:func:`tools.planeval.judged_items`;
``--plain``: as plain text), and each item's :class:`kb.search.plan_verdict.Features` is kept beside its
judged verdict. A small model of them (:func:`vector`) is measured by leave-one-pair-out
cross-validation (each pair of reports predicted by a model fitted on the other pairs; ``--left-out
set``: each judged set predicted by a model fitted on the other seven) beside the rules' accuracy on the
same items (:func:`kb.search.plan_verdict.rules`), the matcher's hard rules applied to the model
(:func:`hard_rules`): a multinomial logistic regression (L2-penalised, its penalty chosen in each fold
by a cross-validation inside the fold's training pairs; numpy only) or a tree of depth 3. Printed per
set and in all: the rules' accuracy, the model's cross-validated accuracy, and how many verdicts are
sure and how often right (the rules' ``sure``; the model's: its probability at or above the lowest
threshold at which the cross-validated verdicts so marked are right :data:`SURE_ACCURACY` of the time).

The model would replace the rules only when it beats them by 0.03 in cross-validation; measured
(docs/PLANS.md, stops 36 and 38) it does not, so nothing is written and the matcher keeps its rules. A
tool beside the product, not installed.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import numpy as np

from kb.core.errors import KbError
from kb.search import plan_verdict
from kb.search import plans as matcher
from tools import planeval, shell

EPILOG = "example:\n  python -m tools.plantrain --real ../shared/data/gov-work-reports.tar.xz --cache /tmp/plan_rows.json"
#: The sets trained on: the eight read while tuning (held-out 7 read in stop 39, after its numbers were
#: recorded); never held-out 8, the clean set (a clean set is never trained on before its numbers are recorded).
TRAIN_SETS = planeval.DEFAULT_SETS[:-1]
CLASSES = (matcher.DELIVERED, matcher.PARTLY, matcher.NOT_MENTIONED)
#: How often a verdict marked sure must be right in cross-validation.
SURE_ACCURACY = 0.9


#: The names of :func:`vector`'s values, in order.
VECTOR = ("best", "second", "gap", "best_figured", "figured", "targets", "compared", "met", "missed",
          "all_met", "listed", "evidence", "names", "names_said", "no_name_said", "some_names_said",
          "unnamed_figure", "proper_unsaid", "moving_only", "apart", "log_length", "no_object_said", "lists",
          "rules_delivered", "rules_partly")


def vector(f: plan_verdict.Features) -> list[float]:
    """The features as numbers, in the order of :data:`VECTOR` (counts capped); the rules' own
    verdict is two of them, so the model calibrates the rules as much as it replaces them."""
    verdict, _ = plan_verdict.rules(f)
    return [f.best, f.second, f.best - f.second, f.best * f.figured, float(f.figured), float(min(f.targets, 5)),
            float(min(f.compared, 5)), float(min(f.met, 5)), float(min(f.compared - f.met, 5)),
            float(bool(f.compared) and f.met == f.compared and 2 * f.compared >= f.targets), float(f.listed),
            float(f.evidence), float(min(f.names, 3)), float(min(f.names_said, 3)),
            float(bool(f.names) and not f.names_said), float(0 < f.names_said < f.names), float(f.unnamed_figure),
            float(f.proper_unsaid), float(f.moving_only), float(f.apart), math.log(1 + f.length),
            float(bool(f.objects) and not f.objects_said), float(f.lists),
            float(verdict == matcher.DELIVERED), float(verdict == matcher.PARTLY)]


def hard_rules(f: plan_verdict.Features, probabilities: dict[str, float]) -> tuple[str, float]:
    """A model's verdict (the most probable) under the matcher's hard rules, and its probability:
    no item is delivered or partly without evidence (a paragraph scored at the mention threshold,
    or a list statement that covers it), and a list statement that covers an item counts for it."""
    verdict = max(probabilities, key=probabilities.__getitem__)
    if verdict != matcher.NOT_MENTIONED and not f.evidence and not f.listed:
        verdict = matcher.NOT_MENTIONED
    elif verdict == matcher.NOT_MENTIONED and f.listed:
        verdict = matcher.DELIVERED
    return verdict, probabilities[verdict]


def collect(sets: tuple[str, ...], tarball: Path, as_imported: bool = True) -> list[dict]:
    """Every judged item of ``sets``, read as ``kb import`` reads the reports (``as_imported``; else
    as plain text, the reading the sets were judged on), as :func:`tools.planeval.judged_items`
    judges it: its set, pair, judged verdict, the rules' verdict, features (as a dict) and vector.
    An item no imported paragraph holds whole is left out."""
    rows = []
    for path in sets:
        stem = Path(path).stem
        for pair, judged, item, v, *_ in planeval.judged_items(planeval.load(Path(path)), tarball, as_imported):
            if item is None:
                continue
            rows.append({"set": stem, "pair": f"{stem}:{pair['plan']}", "gold": judged["verdict"], "rules": v.verdict,
                         "rules_sure": v.sure, "features": vars(v.features), "vector": vector(v.features)})
    return rows


def fit(x: np.ndarray, y: np.ndarray, l2: float, steps: int = 600) -> tuple[np.ndarray, np.ndarray]:
    """A multinomial logistic regression on standardized ``x`` (its rows) for classes ``y``
    (0, 1, 2), L2-penalised by ``l2`` per item, by gradient descent with momentum. Returns the
    weights and intercepts for the raw ``x`` (the standardization folded in)."""
    mean, std = x.mean(0), x.std(0)
    std[std == 0] = 1.0
    z = (x - mean) / std
    n, k = len(y), len(CLASSES)
    onehot = np.eye(k)[y]
    w, b = np.zeros((z.shape[1], k)), np.zeros(k)
    vw, vb = np.zeros_like(w), np.zeros_like(b)
    for _ in range(steps):
        p = _softmax(z @ w + b)
        gw = z.T @ (p - onehot) / n + l2 * w / n
        gb = (p - onehot).mean(0)
        vw, vb = 0.9 * vw - 0.5 * gw, 0.9 * vb - 0.5 * gb
        w, b = w + vw, b + vb
    return w / std[:, None], b - (mean / std) @ w


def _softmax(a: np.ndarray) -> np.ndarray:
    e = np.exp(a - a.max(1, keepdims=True))
    return e / e.sum(1, keepdims=True)


def predict(w: np.ndarray, b: np.ndarray, x: np.ndarray) -> np.ndarray:
    return _softmax(x @ w + b)


def verdicts(rows: list[dict], probabilities: np.ndarray) -> list[tuple[str, float]]:
    """The model's verdict and its probability per row, under the matcher's hard rules."""
    out = []
    for row, p in zip(rows, probabilities, strict=True):
        f = plan_verdict.Features(**row["features"])
        out.append(hard_rules(f, dict(zip(CLASSES, map(float, p), strict=True))))
    return out


#: The L2 penalties a nested cross-validation chooses from (each outer fold on its own training pairs).
L2_GRID = (1.0, 3.0, 10.0, 30.0, 100.0, 300.0)
#: How many groups of pairs the inner cross-validation (the choice of the penalty) uses.
INNER = 5


def cross_validate(rows: list[dict], l2: float | None, kind: str = "logistic", by: str = "pair") -> np.ndarray:
    """Leave one pair out (``by`` "set": one judged set out): each pair's (set's) items predicted
    by a model fitted on the other pairs (sets) (``l2`` None: the penalty chosen on those pairs
    alone, :func:`choose_l2`)."""
    x = np.array([r["vector"] for r in rows], dtype=float)
    y = np.array([CLASSES.index(r["gold"]) for r in rows])
    pairs = np.array([r["pair"] for r in rows])
    folds = np.array([r[by] for r in rows])
    out = np.zeros((len(rows), len(CLASSES)))
    for fold in dict.fromkeys(folds):
        held = folds == fold
        out[held] = _fitted(kind, x[~held], y[~held], pairs[~held], l2, [rows[i] for i in np.flatnonzero(~held)])(x[held])
    return out


def _fitted(kind: str, x: np.ndarray, y: np.ndarray, pairs: np.ndarray, l2: float | None, rows: list[dict]):
    """A fitted model as a function of ``x`` to probabilities."""
    if kind == "tree":
        tree = grow(x, y)
        return lambda z: np.array([leaf(tree, v) for v in z])
    w, b = fit(x, y, choose_l2(x, y, pairs, rows) if l2 is None else l2)
    return lambda z: predict(w, b, z)


def choose_l2(x: np.ndarray, y: np.ndarray, pairs: np.ndarray, rows: list[dict]) -> float:
    """The penalty of :data:`L2_GRID` whose model, fitted on :data:`INNER` groups of pairs less
    one and predicting that one, is right most often (under the hard rules)."""
    names = list(dict.fromkeys(pairs))
    group = np.array([names.index(p) % INNER for p in pairs])
    gold = [CLASSES[k] for k in y]
    best, chosen = -1.0, L2_GRID[0]
    for l2 in L2_GRID:
        probs = np.zeros((len(y), len(CLASSES)))
        for g in range(INNER):
            w, b = fit(x[group != g], y[group != g], l2)
            probs[group == g] = predict(w, b, x[group == g])
        right = sum(v == t for (v, _), t in zip(verdicts(rows, probs), gold, strict=True))
        if right > best:
            best, chosen = right, l2
    return chosen


def grow(x: np.ndarray, y: np.ndarray, depth: int = 3, least: int = 10) -> dict:
    """A classification tree of at most ``depth`` levels (Gini; a leaf holds ``least`` items or
    more): a leaf is the share of each verdict among its items (smoothed)."""
    counts = np.bincount(y, minlength=len(CLASSES)) + 1.0
    split = _split(x, y, least) if depth and len(y) >= 2 * least else None
    if split is None:
        return {"p": counts / counts.sum()}
    j, t = split
    left = x[:, j] <= t
    return {"j": j, "t": t, "left": grow(x[left], y[left], depth - 1, least),
            "right": grow(x[~left], y[~left], depth - 1, least)}


def _split(x: np.ndarray, y: np.ndarray, least: int) -> tuple[int, float] | None:
    """The feature and threshold that lower the Gini impurity most, or None."""
    def gini(labels: np.ndarray) -> float:
        p = np.bincount(labels, minlength=len(CLASSES)) / max(1, len(labels))
        return len(labels) * (1 - (p * p).sum())
    best, found = gini(y) - 1e-9, None
    for j in range(x.shape[1]):
        values = np.unique(x[:, j])
        for t in (values[:-1] + values[1:]) / 2:
            left = x[:, j] <= t
            if least <= left.sum() <= len(y) - least:
                g = gini(y[left]) + gini(y[~left])
                if g < best:
                    best, found = g, (j, float(t))
    return found


def leaf(tree: dict, v: np.ndarray) -> np.ndarray:
    while "p" not in tree:
        tree = tree["left"] if v[tree["j"]] <= tree["t"] else tree["right"]
    return tree["p"]


def sure_threshold(verdicts: list[tuple[str, float]], gold: list[str]) -> float:
    """The lowest probability at which the verdicts at or above it are right
    :data:`SURE_ACCURACY` of the time (1.0 when none is)."""
    for step in range(34, 100):
        t = step / 100
        chosen = [v == g for (v, p), g in zip(verdicts, gold, strict=True) if p >= t]
        if chosen and sum(chosen) / len(chosen) >= SURE_ACCURACY:
            return t
    return 1.0


def report(rows: list[dict], l2: float | None, kind: str = "logistic", by: str = "pair") -> dict:
    """The rules' accuracy and the model's, left one pair (set) out, on the same items, per set and in all."""
    cv = verdicts(rows, cross_validate(rows, l2, kind, by))
    gold = [r["gold"] for r in rows]
    threshold = sure_threshold(cv, gold)
    out = {"model": kind, "left_out": by, "items": len(rows), "pairs": len({r["pair"] for r in rows}),
           "l2": "nested" if l2 is None else l2, "sets": {}}
    for name in [*dict.fromkeys(r["set"] for r in rows), "all"]:
        idx = [i for i, r in enumerate(rows) if name in ("all", r["set"])]
        out["sets"][name] = _scores([rows[i] for i in idx], [cv[i] for i in idx], threshold)
    out["sure_threshold"] = threshold
    out["gain"] = round(out["sets"]["all"]["model_cv"] - out["sets"]["all"]["rules"], 3)
    return out


def _scores(rows: list[dict], cv: list[tuple[str, float]], threshold: float) -> dict:
    """The rules' and the cross-validated model's accuracy on ``rows``, and their sure verdicts."""
    rules_right = [r["rules"] == r["gold"] for r in rows]
    model_right = [v == r["gold"] for (v, _), r in zip(cv, rows, strict=True)]
    rules_sure = [ok for ok, r in zip(rules_right, rows, strict=True) if r["rules_sure"]]
    model_sure = [ok for ok, (_, p) in zip(model_right, cv, strict=True) if p >= threshold]
    return {"items": len(rows), "rules": _share(rules_right), "model_cv": _share(model_right),
            "rules_sure": f"{len(rules_sure)} ({_share(rules_sure):.3f})",
            "model_sure": f"{len(model_sure)} ({_share(model_sure):.3f})"}


def _share(flags) -> float:
    flags = list(flags)
    return round(sum(flags) / max(1, len(flags)), 3)


def cmd_train(args) -> int:
    cache = Path(args.cache) if args.cache else None
    if cache and cache.exists():
        try:
            rows = json.loads(cache.read_text(encoding="utf-8"))
        except ValueError as e:
            raise KbError(f"{cache}: not a cache of this tool ({e})") from e
    else:
        rows = collect(TRAIN_SETS, shell.tarball(args.real), not args.plain)
        if cache:
            cache.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    if args.no_rules:  # the features alone: a model of them in place of the rules, not beside them
        rows = [{**r, "vector": r["vector"][:-2]} for r in rows]
    result = report(rows, args.l2, args.model, args.left_out)
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tools.plantrain", description=__doc__.split("\n\n")[0],
                                epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--real", default=shell.REAL, help="the real-report tarball the judged items refer to")
    p.add_argument("--l2", type=float, help="the L2 penalty (default: chosen by a nested cross-validation)")
    p.add_argument("--model", choices=("logistic", "tree"), default="logistic",
                   help="a logistic regression (default) or a tree of depth 3")
    p.add_argument("--no-rules", action="store_true", help="leave the rules' own verdict out of the model's features")
    p.add_argument("--left-out", choices=("pair", "set"), default="pair",
                   help="what a fold leaves out: one pair of reports (default) or one judged set")
    p.add_argument("--plain", action="store_true",
                   help="read the reports as plain text (default: as kb import reads them, as tools.evaluate plans does)")
    p.add_argument("--cache", help="a JSON file the collected features are kept in and read from")
    p.set_defaults(func=cmd_train)
    return shell.run(p, argv)


if __name__ == "__main__":
    sys.exit(main())

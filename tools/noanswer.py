"""Queries with no answer: ``python -m tools.evaluate noanswer`` measures whether the search (its
meaning tier above all) invents related hits for queries the reports do not answer (issue 27).

Recall and nDCG cannot say it: a query with nothing relevant scores 1.0 whatever comes back. So a
judged set of its own (``tests/data/judgments_noanswer_heldout.toml``): queries of kind ``none``, which
no paragraph of the corpus answers (checked by reading and by substring), and ``control`` queries
that have an answer, with their relevant paragraphs. For every query the tool counts the exact and
the related hits, the whole-query hits among the related (labelled 整体相近: the paragraphs close in
meaning to the query as a whole, :mod:`kb.engines.embedded.whole`) and their best cosine with the
query (``whole_query_meaning`` of ``explain``), and the best score of the other related hits; for the
controls, how many relevant paragraphs come in the top ten and through which tier. Then it says
whether a floor on the whole-query cosine separates the no-answer queries' whole-query hits from the
controls' relevant ones (a floor above every no-answer query's best cosine that keeps every relevant
whole-query hit of the controls). A tool beside the product, run from the project root.
"""

from __future__ import annotations

import argparse
import json
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path

from kb.core.errors import KbError
from kb.knowledgebase import KnowledgeBase
from kb.search.request import SearchRequest
from tools import shell

K = 10
WHOLE = "整体相近"  # the label of a whole-query hit (kb.text.meaning.whole_match)
KINDS = ("none", "control")
SET = "tests/data/judgments_noanswer_heldout.toml"


@dataclass
class Query:
    q: str
    kind: str  # "none": nothing in the corpus answers it; "control": it has an answer
    relevant: dict[str, int]  # paragraph id -> grade (controls)
    note: str = ""


@dataclass
class Outcome:
    q: str
    kind: str
    exact: int  # the search's exact matches (its total)
    related: int  # its related matches (total), the whole-query ones among them
    whole: int  # whole-query hits (整体相近)
    best_whole: float | None  # the best cosine of a whole-query hit with the query
    best_related: float | None  # the best score of the other related hits (words, concepts)
    relevant: int = 0  # controls: judged relevant paragraphs
    top10: int = 0  # of them in the top ten
    by_tier: dict[str, int] = field(default_factory=dict)  # relevant returned: exact / related / whole
    relevant_whole: list[float] = field(default_factory=list)  # cosines of relevant whole-query hits


def load(path: Path) -> list[Query]:
    """The queries of a no-answer set; Error on a kind it does not know or a none query with answers."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise KbError(f"无法读取评测文件 {path} (cannot read judgments: {e})") from None
    out = [Query(q["q"], q.get("kind", ""), {k: int(v) for k, v in q.get("relevant", {}).items()}, q.get("note", ""))
           for q in data.get("query", ())]
    wrong = [x.q for x in out if x.kind not in KINDS or (x.kind == "none") == bool(x.relevant)]
    if wrong:
        raise KbError(f"评测文件 {path} 有误 (each query needs kind none without relevant paragraphs or "
                      f"control with them): {wrong[:3]}")
    return out


def _hits(kb: KnowledgeBase, q: str) -> tuple[dict, list[dict]]:
    """The first page's answer and every hit of every page, each with ``explain``."""
    first = kb.search(SearchRequest(q=q, size=100, explain=True))
    hits = list(first["hits"])
    for page in range(2, first["pages"] + 1):
        hits += kb.search(SearchRequest(q=q, size=100, page=page, explain=True))["hits"]
    return first, hits


def _tier(hit: dict) -> str:
    if hit["match"] == "exact":
        return "exact"
    return "whole" if any(label.startswith(WHOLE) for label in hit.get("matched_by", ())) else "related"


def measure_one(kb: KnowledgeBase, j: Query) -> Outcome:
    """What the search returns for one query."""
    first, hits = _hits(kb, j.q)
    tiers = [_tier(h) for h in hits]
    whole = [h["explain"].get("whole_query_meaning") for h, t in zip(hits, tiers, strict=True) if t == "whole"]
    other = [h["explain"].get("score") for h, t in zip(hits, tiers, strict=True) if t == "related"]
    whole, other = [s for s in whole if s is not None], [s for s in other if s is not None]
    out = Outcome(j.q, j.kind, first.get("exact_total", 0), first.get("related_total", 0), tiers.count("whole"),
                  max(whole, default=None), max(other, default=None), len(j.relevant))
    for i, (h, t) in enumerate(zip(hits, tiers, strict=True)):
        if h["id"] in j.relevant:
            out.top10 += i < K
            out.by_tier[t] = out.by_tier.get(t, 0) + 1
            if t == "whole" and h["explain"].get("whole_query_meaning") is not None:
                out.relevant_whole.append(h["explain"]["whole_query_meaning"])
    return out


def floor(outcomes: list[Outcome]) -> dict:
    """Whether a floor on the whole-query cosine separates the no-answer queries' whole-query hits
    (their best cosine) from the controls' relevant whole-query hits, and what each side's floor costs."""
    none_best = [o.best_whole for o in outcomes if o.kind == "none" and o.best_whole is not None]
    kept = sorted(s for o in outcomes if o.kind == "control" for s in o.relevant_whole)
    if not none_best or not kept:
        return {"none_best_max": max(none_best, default=None), "control_relevant_whole_min": kept[0] if kept else None,
                "separates": True, "relevant_lost_above_none": 0, "relevant_whole": len(kept),
                "none_queries_left_at_control_min": 0}
    top, low = max(none_best), kept[0]
    return {"none_best_max": top, "control_relevant_whole_min": low, "separates": top < low,
            "relevant_lost_above_none": sum(1 for s in kept if s <= top), "relevant_whole": len(kept),
            "none_queries_left_at_control_min": sum(1 for s in none_best if s >= low)}


def summary(outcomes: list[Outcome]) -> dict:
    """Per kind: queries, those with related hits, mean exact / related / whole-query hits per query;
    for the controls the share of their relevant paragraphs ten places can hold found in the top ten."""
    out = {}
    for kind in KINDS:
        os_ = [o for o in outcomes if o.kind == kind]
        n = max(1, len(os_))
        out[kind] = {"queries": len(os_), "with_related": sum(1 for o in os_ if o.related),
                     "exact_per_query": sum(o.exact for o in os_) / n,
                     "related_per_query": sum(o.related for o in os_) / n,
                     "whole_per_query": sum(o.whole for o in os_) / n}
        if kind == "control":
            out[kind]["recall@10"] = sum(o.top10 / min(o.relevant, K) for o in os_ if o.relevant) / n
    return out | {"floor": floor(outcomes)}


def _cell(x: float | None) -> str:
    return "    -" if x is None else f"{x:5.3f}"


def report(outcomes: list[Outcome]) -> list[str]:
    lines = [f"{'query':<20} kind     exact related whole best-whole best-other  relevant: top10 exact/related/whole"]
    for o in outcomes:
        rel = (f"  {o.relevant:3d}: {o.top10:2d}  {o.by_tier.get('exact', 0)}/{o.by_tier.get('related', 0)}/"
               f"{o.by_tier.get('whole', 0)}") if o.kind == "control" else ""
        lines.append(f"{o.q:<20} {o.kind:<8} {o.exact:5d} {o.related:7d} {o.whole:5d}      {_cell(o.best_whole)}"
                     f"      {_cell(o.best_related)}{rel}")
    s = summary(outcomes)
    for kind in KINDS:
        m = s[kind]
        lines.append(f"{kind}: {m['queries']} queries, {m['with_related']} with related hits; per query "
                     f"{m['exact_per_query']:.1f} exact, {m['related_per_query']:.1f} related "
                     f"({m['whole_per_query']:.1f} whole-query)" +
                     (f"; recall@10 {m['recall@10']:.3f}" if "recall@10" in m else ""))
    f = s["floor"]
    lines.append(f"whole-query cosine: no-answer queries' best up to {_cell(f['none_best_max']).strip()}, the "
                 f"controls' {f['relevant_whole']} relevant whole-query hits from "
                 f"{_cell(f['control_relevant_whole_min']).strip()}: "
                 + ("a floor separates them" if f["separates"] else
                    f"no floor separates them ({f['relevant_lost_above_none']} relevant lost at the no-answer "
                    f"maximum; {f['none_queries_left_at_control_min']} no-answer queries keep hits at the "
                    f"controls' minimum)"))
    return lines


def cmd_noanswer(args) -> int:
    """python -m tools.evaluate noanswer: related hits for queries with no answer, and the controls."""
    kb = KnowledgeBase(settings=shell.settings(args))
    outcomes = [measure_one(kb, j) for j in load(Path(args.judgments))]
    if args.json:
        print(json.dumps({"queries": [asdict(o) for o in outcomes], "summary": summary(outcomes)},
                         ensure_ascii=False, indent=1))
        return 0
    print("\n".join(shell.safe(line) for line in report(outcomes)))
    return 0


def add_parser(sub, common) -> None:
    """The ``noanswer`` measure of ``python -m tools.evaluate``."""
    p = sub.add_parser("noanswer", parents=[common], help="measure related hits for queries with no answer",
                       description="Run every query of a no-answer set (kind none: nothing in the corpus "
                                   "answers it; kind control: it has an answer) and print, per query, the exact "
                                   "and related hits, the whole-query hits among them (整体相近) and their best "
                                   "cosine with the query, the best score of the other related hits, and for "
                                   "the controls their relevant paragraphs in the top ten and through which "
                                   "tier; then whether a floor on the whole-query cosine separates the "
                                   "no-answer queries from the controls' relevant whole-query hits.",
                       epilog="example:\n  python -m tools.evaluate noanswer\n"
                              "  python -m tools.evaluate noanswer --json",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--judgments", default=SET, help=f"TOML file of queries with no answer and controls (default {SET})")
    p.add_argument("--json", action="store_true", help="print the outcomes and the summary as JSON")
    p.set_defaults(func=cmd_noanswer)

"""python -m tools.invented: how many hits the search invents for queries the reports never speak of.

A judgments file (tests/data/judgments_noanswer_train.toml) holds queries with no relevant paragraph
(``relevant = {}``) and controls with answers. For each no-answer query it prints the hits returned
(exact and related; every one is invented), for each control recall@10 and the relevant paragraphs never
returned (:mod:`tools.evaluate`'s measures), then the share of no-answer queries with any hit.

Its set is in the judged sets' own format and was made for tuning (issue 27's ninth round); the clean
held-out set of queries with no answer (kinds ``none`` and ``control``) is measured by
``python -m tools.evaluate noanswer`` (:mod:`tools.noanswer`).
"""

from __future__ import annotations

import json
from pathlib import Path

from kb.knowledgebase import KnowledgeBase
from kb.search.request import SearchRequest
from tools import evaluate, shell

DEFAULT = "tests/data/judgments_noanswer_train.toml"


def measure(kb: KnowledgeBase, path: Path) -> dict:
    """Per no-answer query its hits (total, and the kinds of the first's labels), per control its scores,
    and the summary: no-answer queries with any hit, their hits in all, the controls' means."""
    judged = evaluate.load(path)
    empty = [j for j in judged if not j.relevant]
    controls = [j for j in judged if j.relevant]
    invented = [_invented(kb, j.q) for j in empty]
    scores = evaluate.measure_ranking(kb, controls)
    summary = {"no_answer_queries": len(empty), "with_hits": len([x for x in invented if x["hits"]]),
               "hits": sum(x["hits"] for x in invented), "controls": len(controls)}
    summary |= {f"controls_{k}": v for k, v in evaluate.means(scores).items()}
    return {"no_answer": invented, "controls": [s.__dict__ for s in scores], "summary": summary}


def _invented(kb: KnowledgeBase, q: str) -> dict:
    """A no-answer query's hits (every one invented) and the labels of the first."""
    r = kb.search(SearchRequest(q=q, size=3))
    return {"q": q, "hits": r["total"], "first": r["hits"][0]["matched_by"] if r["hits"] else []}


def main(argv: list[str] | None = None) -> int:
    p = shell.parser("python -m tools.invented", __doc__.split("\n\n")[1].replace("\n", " "),
                     f"example: python -m tools.invented --judgments {DEFAULT}", [shell.common()])
    p.add_argument("--judgments", default=DEFAULT, help=f"TOML file of judged queries (default: {DEFAULT})")
    p.add_argument("--json", action="store_true", help="print the measures as JSON")

    def run(args) -> int:
        out = measure(KnowledgeBase(settings=shell.settings(args)), Path(args.judgments))
        if args.json:
            print(json.dumps(out, ensure_ascii=False, indent=1))
            return 0
        for x in out["no_answer"]:
            print(f"{x['q']:<20} {x['hits']:4d} hits  {' '.join(x['first'])}")
        for s in out["controls"]:
            print(f"{s['q']:<20} recall@10 {s['recall']:.3f}  never {s['never']}/{s['relevant']}")
        m = out["summary"]
        print(f"{m['with_hits']} of {m['no_answer_queries']} no-answer queries got hits ({m['hits']} in all); "
              f"controls: recall@10 {m['controls_recall@10']:.3f}, nDCG@10 {m['controls_ndcg@10']:.3f}, "
              f"{m['controls_never']:.1%} never returned")
        return 0

    p.set_defaults(func=run)
    return shell.run(p, argv)


if __name__ == "__main__":
    raise SystemExit(main())

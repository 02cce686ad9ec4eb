"""Evaluate: ranking quality against judged queries (recall@10, nDCG@10, MRR).

A judgments file (TOML) lists queries with their relevant paragraphs and grades
(2: about the query, 1: a relevant mention); they were written by reading the corpus,
before tuning. ``kb eval`` prints the measures per query and their means; a test
fails when the means fall below the thresholds measured honestly on the seed corpus.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from pathlib import Path

from kb.errors import KbError
from kb.search import KnowledgeBase, SearchRequest

K = 10


@dataclass
class Judged:
    q: str
    relevant: dict[str, int]  # paragraph id -> grade
    note: str = ""


@dataclass
class Scores:
    q: str
    recall: float
    ndcg: float
    rr: float
    found: list[str]


def load(path: Path) -> list[Judged]:
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise KbError(f"无法读取评测文件 {path} (cannot read judgments: {e})") from None
    return [Judged(q["q"], {k: int(v) for k, v in q["relevant"].items()}, q.get("note", ""))
            for q in data.get("query", ())]


def dcg(gains: list[int]) -> float:
    return sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(gains))


def score(judged: Judged, ranked: list[str], k: int = K) -> Scores:
    top = ranked[:k]
    rel = {pid for pid, g in judged.relevant.items() if g > 0}
    recall = len(rel.intersection(top)) / len(rel) if rel else 1.0
    ideal = dcg(sorted(judged.relevant.values(), reverse=True)[:k])
    ndcg = dcg([judged.relevant.get(pid, 0) for pid in top]) / ideal if ideal else 1.0
    rr = next((1 / (i + 1) for i, pid in enumerate(top) if pid in rel), 0.0)
    return Scores(judged.q, recall, ndcg, rr, top)


def evaluate(kb: KnowledgeBase, judged: list[Judged], k: int = K) -> list[Scores]:
    out = []
    for j in judged:
        result = kb.search(SearchRequest(q=j.q, size=k))
        out.append(score(j, [h["id"] for h in result["hits"]], k))
    return out


def means(scores: list[Scores]) -> dict[str, float]:
    n = max(1, len(scores))
    return {
        "recall@10": sum(s.recall for s in scores) / n,
        "ndcg@10": sum(s.ndcg for s in scores) / n,
        "mrr": sum(s.rr for s in scores) / n,
    }

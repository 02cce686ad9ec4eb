"""Evaluate: ranking quality against judged queries (recall@10, nDCG@10, MRR), and the
topic classifier against labelled paragraphs (precision and recall per topic).

A judgments file (TOML) lists queries with their relevant paragraphs and grades
(2: about the query, 1: a relevant mention); they were written by reading the corpus,
before tuning. ``kb eval`` prints the measures per query and their means; a test
fails when the means fall below the thresholds measured honestly on the seed corpus.
"""

from __future__ import annotations

import math
import re
import tarfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

from kb.errors import KbError
from kb.knowledgebase import KnowledgeBase
from kb.search import SearchRequest

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


# -- topics ---------------------------------------------------------------------------------

@dataclass
class TopicScores:
    """Precision and recall of the topic classifier per area, over labelled paragraphs."""

    per_topic: dict[str, dict[str, float]]
    micro: dict[str, float]
    paragraphs: int
    missing: list[str]  # labelled paragraphs that could not be found


def _plain(text: str) -> str:
    return re.sub(r"[\s*]+", "", text)


def _real_paragraphs(tarball: Path, wanted: dict[str, list[int]]) -> dict[tuple[str, int], tuple[str, list[str]]]:
    """(file, block) -> (paragraph text, headings above) for the labelled real paragraphs.

    Each file is read from the tarball and run through the pipeline (repair, segment);
    the labelled raw block is the paragraph whose text contains it.
    """
    from kb import corpus, segment  # noqa: PLC0415 (only this command needs them)
    from kb.model import Report  # noqa: PLC0415
    from kb.repair import repair  # noqa: PLC0415

    out: dict[tuple[str, int], tuple[str, list[str]]] = {}
    try:
        archive = tarfile.open(tarball, mode="r:*")
    except (OSError, tarfile.TarError) as e:
        raise KbError(f"无法打开语料包 {tarball} ({e}); give --real PATH") from None
    with archive:
        for member in archive:
            if member.name not in wanted:
                continue
            raw = archive.extractfile(member).read().decode("utf-8")
            body = raw[raw.find("\n---", 4) + 4:] if raw.startswith("---") else raw
            blocks = [b.strip() for b in re.split(r"\n\s*\n", body)]
            report = Report(id="x", title="", agency="", year=0, body=corpus.blocks_to_markdown(repair(body).blocks))
            paragraphs = segment.segment(report)
            for n in wanted[member.name]:
                if n >= len(blocks):
                    continue
                target = _plain(blocks[n])
                for p in paragraphs:
                    if target and (target in _plain(p.text) or _plain(p.text) in target and len(p.text) > 20):
                        above = p.section[:-1] if p.lead else p.section
                        out[(member.name, n)] = (p.text, above)
                        break
    return out


def evaluate_topics(labels_path: Path, corpus_dir: Path, tarball: Path | None) -> TopicScores:
    """Classify every labelled paragraph and compare with its labels (areas only)."""
    from kb import corpus, segment, topics  # noqa: PLC0415

    try:
        data = tomllib.loads(Path(labels_path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise KbError(f"无法读取主题标注 {labels_path} (cannot read labels: {e})") from None
    taxonomy = topics.load()
    areas = [t.id for t in taxonomy.topics]
    pairs: list[tuple[set[str], set[str]]] = []
    missing: list[str] = []
    seeds = {s["id"]: set(s["topics"]) for s in data.get("seed", ())}
    for report in corpus.iter_reports(corpus_dir):
        for p in segment.segment(report):
            if p.id in seeds:
                above = p.section[:-1] if p.lead else p.section
                predicted = {t for t in topics.classify(p.text, above, taxonomy) if "/" not in t}
                pairs.append((seeds.pop(p.id), predicted))
    missing += sorted(seeds)
    real = data.get("real", ())
    if real and tarball is not None:
        wanted: dict[str, list[int]] = {}
        for r in real:
            wanted.setdefault(r["file"], []).append(int(r["block"]))
        found = _real_paragraphs(Path(tarball), wanted)
        for r in real:
            hit = found.get((r["file"], int(r["block"])))
            if hit is None:
                missing.append(f"{r['file']}#{r['block']}")
                continue
            predicted = {t for t in topics.classify(hit[0], hit[1], taxonomy) if "/" not in t}
            pairs.append((set(r["topics"]), predicted))
    per_topic = {}
    tp_all = fp_all = fn_all = 0
    for area in areas:
        tp = sum(1 for gold, pred in pairs if area in gold and area in pred)
        fp = sum(1 for gold, pred in pairs if area not in gold and area in pred)
        fn = sum(1 for gold, pred in pairs if area in gold and area not in pred)
        tp_all, fp_all, fn_all = tp_all + tp, fp_all + fp, fn_all + fn
        per_topic[area] = _prf(tp, fp, fn) | {"labelled": tp + fn}
    return TopicScores(per_topic, _prf(tp_all, fp_all, fn_all), len(pairs), missing)


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}

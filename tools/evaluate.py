"""Evaluate ranking, topics and plans: ``python -m tools.evaluate ranking`` measures the search's
ranking against judged queries (recall@10, nDCG@10, MRR, the share of relevant paragraphs
never returned), ``python -m tools.evaluate topics`` the topic classifier against labelled
paragraphs (precision and recall per topic), ``python -m tools.evaluate plans`` plan versus
delivery (:mod:`tools.planeval`), ``regulations`` the regulation mentions against judged paragraphs
(:mod:`tools.regeval`), ``noanswer`` the related hits of queries with no answer (:mod:`tools.noanswer`).
A tool beside the product (not installed): run it from the project root.

A judgments file (TOML) lists queries with their relevant paragraphs and grades
(2: about the query, 1: a relevant mention); they were written by reading the corpus,
before tuning. Two kinds:

- the seed corpus (``tests/data/judgments.toml``): paragraphs by id, every paragraph of
  the corpus read;
- real reports (``tests/data/judgments_real.toml``): a list of ``files`` inside the
  real-report tarball and paragraphs named ``<file>#<text hash>`` (:func:`tools.realreports.text_hash`),
  pooled from several retrieval methods (``bench/pool.py``), with the judged
  non-relevant ones under ``irrelevant``. :func:`real_corpus` imports those files into a
  folder, indexes them and maps the names to paragraph ids.

``python -m tools.evaluate ranking`` prints the measures per query and their means; tests
fail when the means fall below the thresholds measured honestly.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import shutil
import sys
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from kb.build import build
from kb.core import corpus
from kb.core.errors import KbError
from kb.core.model import Paragraph
from kb.enrich import paragraphs as enrich_paragraphs
from kb.enrich import topics
from kb.enrich.paragraphs import paragraphs_of
from kb.ingest import importer
from kb.knowledgebase import KnowledgeBase
from kb.search.request import SearchRequest
from tools import noanswer, partseval, planeval, realreports, regeval, shell

K = 10


@dataclass
class Judged:
    q: str
    relevant: dict[str, int]  # paragraph id -> grade
    note: str = ""
    irrelevant: set[str] | None = None  # judged not relevant (None: every paragraph was judged)


@dataclass
class Scores:
    q: str
    recall: float  # of the relevant paragraphs ten places can hold, the share in the top ten
    ndcg: float
    rr: float
    found: list[str]
    relevant: int = 0
    never: int = 0  # relevant paragraphs the search does not return at all
    unjudged: int = 0  # top-ten paragraphs nobody judged (pooled judgments only)


@dataclass
class JudgedSet:
    queries: list[Judged]
    files: list[str] = field(default_factory=list)  # real reports: files inside the tarball


def load_set(path: Path) -> JudgedSet:
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise KbError(f"无法读取评测文件 {path} (cannot read judgments: {e})") from None
    queries = [Judged(q["q"], {k: int(v) for k, v in q["relevant"].items()}, q.get("note", ""),
                      set(q["irrelevant"]) if "irrelevant" in q else None)
               for q in data.get("query", ())]
    return JudgedSet(queries, list(data.get("files", ())))


def load(path: Path) -> list[Judged]:
    return load_set(path).queries


def dcg(gains: list[int]) -> float:
    return sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(gains))


def score(judged: Judged, ranked: list[str], k: int = K, returned: set[str] | None = None) -> Scores:
    """The measures of one query's ranking; ``returned``: every paragraph the search
    returned (for the relevant ones never returned)."""
    top = ranked[:k]
    rel = {pid for pid, g in judged.relevant.items() if g > 0}
    recall = len(rel.intersection(top)) / min(len(rel), k) if rel else 1.0
    ideal = dcg(sorted(judged.relevant.values(), reverse=True)[:k])
    ndcg = dcg([judged.relevant.get(pid, 0) for pid in top]) / ideal if ideal else 1.0
    rr = next((1 / (i + 1) for i, pid in enumerate(top) if pid in rel), 0.0)
    never = len(rel - returned) if returned is not None else 0
    unjudged = 0 if judged.irrelevant is None else sum(
        1 for pid in top if pid not in judged.relevant and pid not in judged.irrelevant)
    return Scores(judged.q, recall, ndcg, rr, top, len(rel), never, unjudged)


def measure_ranking(kb: KnowledgeBase, judged: list[Judged], k: int = K) -> list[Scores]:
    """The measures of every judged query's ranking (the top ``k``)."""
    out = []
    for j in judged:
        result = kb.search(SearchRequest(q=j.q, size=k))
        returned = {row["id"] for row in kb.export(SearchRequest(q=j.q))}
        out.append(score(j, [h["id"] for h in result["hits"]], k, returned))
    return out


def means(scores: list[Scores]) -> dict[str, float]:
    n = max(1, len(scores))
    relevant = sum(s.relevant for s in scores)
    return {
        "recall@10": sum(s.recall for s in scores) / n,
        "ndcg@10": sum(s.ndcg for s in scores) / n,
        "mrr": sum(s.rr for s in scores) / n,
        "never": sum(s.never for s in scores) / relevant if relevant else 0.0,
        "unjudged@10": sum(s.unjudged for s in scores) / n,
    }


@dataclass
class RealCorpus:
    corpus_dir: Path
    index_dir: Path
    ids: dict[str, str]  # "<file>#<text hash>" -> paragraph id


def real_corpus(tarball: Path, files: list[str], workdir: Path) -> RealCorpus:
    """Import ``files`` of the real-report tarball into ``workdir/corpus`` (with no
    metadata given, as ``kb import`` would), index them (incrementally: a second run
    reuses the index) and name every paragraph ``<file>#<text hash>``."""
    workdir = Path(workdir)
    raw = workdir / "raw"
    _extract(tarball, set(files), raw)
    corpus_dir, index_dir = workdir / "corpus", workdir / "index"
    if corpus_dir.exists():
        shutil.rmtree(corpus_dir)  # the same import every time; the index follows incrementally
    batch = importer.import_files([raw / f for f in sorted(set(files))], corpus_dir)
    if batch.failed:
        raise KbError(f"导入失败 (import failed): {batch.failed[0][0]}: {batch.failed[0][1]}")
    file_of = {d.report.id: str(d.path.relative_to(raw)) for d in batch.imported}
    build(corpus_dir, index_dir)
    ids = {}
    for report in corpus.iter_reports(corpus_dir):
        for p in paragraphs_of(report):
            ids.setdefault(f"{file_of[report.id]}#{realreports.text_hash(p.text)}", p.id)
    return RealCorpus(corpus_dir, index_dir, ids)


def _extract(tarball: Path, wanted: set[str], raw: Path) -> None:
    """Extract the ``wanted`` files of the tarball into ``raw``; Error naming those it lacks."""
    with realreports.open_archive(tarball) as archive:
        members = [m for m in archive if m.name in wanted and m.isfile()]
        archive.extractall(raw, members=members, filter="data")
    missing = wanted - {m.name for m in members}
    if missing:
        raise KbError(f"语料包中没有 {len(missing)} 个文件 (not in {tarball}: {sorted(missing)[:3]} …)")


def resolve(judged: list[Judged], ids: dict[str, str]) -> tuple[list[Judged], list[str]]:
    """The judgments with paragraph names turned into ids, and the names not found."""
    missing: list[str] = []

    def one(name: str) -> str | None:
        if name not in ids:
            missing.append(name)
        return ids.get(name)

    out = []
    for j in judged:
        rel = {pid: g for name, g in j.relevant.items() if (pid := one(name))}
        irr = None if j.irrelevant is None else {ids[n] for n in j.irrelevant if n in ids}
        out.append(Judged(j.q, rel, j.note, irr))
    return out, missing


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


def _above(p: Paragraph) -> list[str]:
    """The headings above a paragraph (a lead paragraph's own heading is not above it)."""
    return p.section[:-1] if p.lead else p.section


def _areas(text: str, above: list[str], taxonomy: topics.Taxonomy) -> set[str]:
    """The areas (not their items) the classifier gives a paragraph."""
    return {t for t in topics.classify(text, above, taxonomy) if "/" not in t}


def _holding(block: str, paragraphs: list[Paragraph]) -> Paragraph | None:
    """The paragraph that holds a labelled raw block (or lies inside it, if long enough)."""
    target = _plain(block)
    if not target:
        return None
    return next((p for p in paragraphs
                 if target in _plain(p.text) or _plain(p.text) in target and len(p.text) > 20), None)


def _real_paragraphs(tarball: Path, wanted: dict[str, list[int]]) -> dict[tuple[str, int], tuple[str, list[str]]]:
    """(file, block) -> (paragraph text, headings above) for the labelled real paragraphs.

    Each file is read from the tarball and run through the pipeline (repair, segment);
    the labelled raw block is the paragraph whose text contains it.
    """
    out: dict[tuple[str, int], tuple[str, list[str]]] = {}
    for name, body, paragraphs in realreports.read(tarball, set(wanted)):
        blocks = [b.strip() for b in re.split(r"\n\s*\n", body)]
        for n in wanted[name]:
            p = _holding(blocks[n], paragraphs) if n < len(blocks) else None
            if p is not None:
                out[(name, n)] = (p.text, _above(p))
    return out


def _seed_pairs(seeds: dict[str, set[str]], corpus_dir: Path,
                taxonomy: topics.Taxonomy) -> tuple[list[tuple[set[str], set[str]]], list[str]]:
    """(labelled, classified) areas of the labelled seed paragraphs (by id); the ids not found."""
    left = dict(seeds)
    pairs = []
    for report in corpus.iter_reports(corpus_dir):
        for p in enrich_paragraphs.split_report(report):
            if p.id in left:
                pairs.append((left.pop(p.id), _areas(p.text, _above(p), taxonomy)))
    return pairs, sorted(left)


def _real_pairs(real: list[dict], tarball: Path,
                taxonomy: topics.Taxonomy) -> tuple[list[tuple[set[str], set[str]]], list[str]]:
    """(labelled, classified) areas of the labelled real paragraphs (by file and block); those not found."""
    wanted: dict[str, list[int]] = {}
    for r in real:
        wanted.setdefault(r["file"], []).append(int(r["block"]))
    found = _real_paragraphs(Path(tarball), wanted)
    pairs, missing = [], []
    for r in real:
        hit = found.get((r["file"], int(r["block"])))
        if hit is None:
            missing.append(f"{r['file']}#{r['block']}")
        else:
            pairs.append((set(r["topics"]), _areas(hit[0], hit[1], taxonomy)))
    return pairs, missing


def _per_topic(pairs: list[tuple[set[str], set[str]]], areas: list[str]) -> tuple[dict, dict[str, float]]:
    """(precision, recall, F1 and the labelled count per area; their micro average)."""
    per_topic = {}
    tp_all = fp_all = fn_all = 0
    for area in areas:
        tp = sum(1 for gold, pred in pairs if area in gold and area in pred)
        fp = sum(1 for gold, pred in pairs if area not in gold and area in pred)
        fn = sum(1 for gold, pred in pairs if area in gold and area not in pred)
        tp_all, fp_all, fn_all = tp_all + tp, fp_all + fp, fn_all + fn
        per_topic[area] = _prf(tp, fp, fn) | {"labelled": tp + fn}
    return per_topic, _prf(tp_all, fp_all, fn_all)


def measure_topics(labels_path: Path, corpus_dir: Path, tarball: Path | None) -> TopicScores:
    """Classify every labelled paragraph and compare with its labels (areas only)."""
    try:
        data = tomllib.loads(Path(labels_path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise KbError(f"无法读取主题标注 {labels_path} (cannot read labels: {e})") from None
    taxonomy = topics.load()
    seeds = {s["id"]: set(s["topics"]) for s in data.get("seed", ())}
    pairs, missing = _seed_pairs(seeds, corpus_dir, taxonomy)
    real = data.get("real", ())
    if real and tarball is not None:
        more, lost = _real_pairs(real, tarball, taxonomy)
        pairs, missing = pairs + more, missing + lost
    per_topic, micro = _per_topic(pairs, [t.id for t in taxonomy.topics])
    return TopicScores(per_topic, micro, len(pairs), missing)


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


# -- the command line -----------------------------------------------------------------------

EPILOG = """\
examples:
  python -m tools.evaluate ranking --judgments tests/data/judgments.toml
  python -m tools.evaluate ranking --judgments tests/data/judgments_real.toml --real ../shared/data/gov-work-reports.tar.xz
  python -m tools.evaluate ranking --all     # the tuned and the held-out sets, and a summary
  python -m tools.evaluate topics --real ../shared/data/gov-work-reports.tar.xz
  python -m tools.evaluate parts --year 2024
  python -m tools.evaluate regulations"""


#: the judged sets `--all` measures: tuned on; held out until before/after was recorded; held out 2: studied
#: once recorded (issue 27); 3, 6, 7: never tuned on; 4, 5: read while tuning (stop 37; 5: stop 38); 7 the newest
SETS = (("seeds, tuned", "tests/data/judgments.toml"), ("real, tuned", "tests/data/judgments_real.toml"),
        *((f"{corpus}, held out{n}", f"tests/data/judgments_heldout{n.strip()}_{corpus}.toml")
          for n in ("", " 2", " 3", " 4", " 5", " 6", " 7") for corpus in ("seeds", "real")))


def measure_set(path: Path, args) -> tuple[list[Scores], list[str], bool]:
    """The scores of one judgments file's queries, the judged paragraphs not found, and
    whether it is on real reports (imported and indexed first)."""
    judged = load_set(Path(path))
    if not judged.files:
        return measure_ranking(KnowledgeBase(settings=shell.settings(args)), judged.queries), [], False
    real = Path(args.real) if args.real else None
    if real is None or not real.is_file():
        raise KbError(f"没有找到真实语料包 {real} (no such file); give --real PATH")
    with tempfile.TemporaryDirectory(prefix="kb-eval-") as tmp:
        built = real_corpus(real, judged.files, Path(args.workdir) if args.workdir else Path(tmp))
        queries, missing = resolve(judged.queries, built.ids)
        settings = shell.settings(args).with_dirs(built.corpus_dir, built.index_dir)
        return measure_ranking(KnowledgeBase(settings=settings), queries), missing, True


def _print_set(scores: list[Scores], missing: list[str], real: bool) -> None:
    m = means(scores)
    print(f"{'query':<24} recall@10  nDCG@10    RR  never/relevant")
    for s in scores:
        print(f"{s.q:<24} {s.recall:9.3f} {s.ndcg:8.3f} {s.rr:5.2f}  {s.never:5d}/{s.relevant}")
    print(f"{'mean of ' + str(len(scores)):<24} {m['recall@10']:9.3f} {m['ndcg@10']:8.3f} {m['mrr']:5.3f}  "
          f"{m['never']:.1%} never returned")
    if real:
        print(f"{m['unjudged@10']:.2f} of the top ten per query were never judged (counted as not relevant)")
    if missing:
        print(f"{len(missing)} judged paragraphs not found in this build (their text changed?): {missing[:3]}")


def cmd_ranking(args) -> int:
    """python -m tools.evaluate ranking: the measures per judged query and their means, of one
    judgments file, or (``--all``) of every judged set with a summary."""
    sets = SETS if args.all else ((args.judgments, args.judgments),)
    results = {name: measure_set(Path(path), args) for name, path in sets}
    if args.json:
        print(json.dumps({name: {"queries": [s.__dict__ for s in scores], "means": means(scores), "missing": missing}
                          for name, (scores, missing, _) in results.items()} if args.all else
                         next({"queries": [s.__dict__ for s in sc], "means": means(sc), "missing": mi}
                              for sc, mi, _ in results.values()), ensure_ascii=False, indent=1))
        return 0
    for name, (scores, missing, real) in results.items():
        if args.all:
            print(f"\n== {name}")
        _print_set(scores, missing, real)
    if args.all:
        print(f"\n{'set':<20} queries recall@10  nDCG@10    MRR  never returned")
        for name, (scores, _, _) in results.items():
            m = means(scores)
            print(f"{name:<20} {len(scores):7d} {m['recall@10']:9.3f} {m['ndcg@10']:8.3f} {m['mrr']:6.3f}  {m['never']:.1%}")
    return 0


def cmd_topics(args) -> int:
    """python -m tools.evaluate topics: precision and recall of the classifier per topic."""
    scores = measure_topics(Path(args.labels), shell.settings(args).corpus_dir, shell.tarball(args.real))
    if args.json:
        print(json.dumps(scores.__dict__, ensure_ascii=False, indent=1))
        return 0
    names = {t.id: t.name for t in topics.load().topics}
    print(f"{scores.paragraphs} labelled paragraphs" + (f" ({len(scores.missing)} not found)" if scores.missing else ""))
    print(f"{'topic':<28} labelled  precision  recall    F1")
    for tid, m in scores.per_topic.items():
        print(f"{names[tid]:<24} {int(m['labelled']):9d} {m['precision']:10.3f} {m['recall']:7.3f} {m['f1']:5.3f}")
    m = scores.micro
    print(f"{'micro average':<28} {'':9} {m['precision']:10.3f} {m['recall']:7.3f} {m['f1']:5.3f}")
    return 0


def cmd_parts(args) -> int:
    """python -m tools.evaluate parts: report parts on the labelled reports and an unlabelled year."""
    real = shell.tarball(args.real)
    if real is None:
        raise KbError("parts needs the real reports: give --real PATH")
    scores = partseval.measure(real, shell.settings(args).corpus_dir, partseval.load(Path(args.labels)))
    reports, counts = partseval.sample(real, args.year)
    if args.json:
        print(json.dumps({"labelled": {k: scores.share(k) for k in partseval.SECTION_KINDS},
                          "other": scores.other_share(), "accuracy": scores.accuracy(),
                          "missing": scores.missing, "sample": {"year": args.year, "reports": reports,
                                                                "parts": dict(counts)}},
                         ensure_ascii=False, indent=1))
        return 0
    print("\n".join(partseval.report(scores, args.year, reports, counts)))
    return 0


def cmd_regulations(args) -> int:
    """python -m tools.evaluate regulations: recall and precision of the regulation mentions."""
    data = regeval.load(Path(args.judgments))
    scores, missing = regeval.score(data, regeval.texts(data, shell.tarball(args.real) or Path(shell.REAL),
                                                        Path(args.seeds)))
    if args.json:
        print(json.dumps({"laws": [s.__dict__ for s in scores], "totals": regeval.totals(scores),
                          "missing": missing}, ensure_ascii=False, indent=1))
        return 0
    regeval.report(scores, missing, args.verbose)
    return 0


def parser() -> argparse.ArgumentParser:
    """python -m tools.evaluate {ranking,topics,parts,plans,regulations,noanswer}: the options of each measure."""
    p = shell.parser("python -m tools.evaluate", "Measure the search's ranking against judged queries "
                     "(ranking), the topic classifier against labelled paragraphs (topics), the report parts "
                     "(parts), plan versus delivery (plans), the regulation mentions against judged "
                     "paragraphs (regulations) or the related hits of queries with no answer (noanswer).", EPILOG)
    common = shell.common()
    sub = p.add_subparsers(dest="command", required=True, metavar="MEASURE")
    r = sub.add_parser("ranking", parents=[common], help="measure ranking against judged queries",
                       description="Run every judged query and print recall@10 (of the relevant paragraphs "
                                   "ten places can hold, the share in the top ten), nDCG@10, MRR and the "
                                   "relevant paragraphs never returned, per query and their means. A judgments "
                                   "file that lists real-report files (tests/data/judgments_real.toml) is "
                                   "evaluated on those reports, imported from --real into a temporary folder "
                                   "(or --workdir) and indexed first.",
                       epilog="examples:\n  python -m tools.evaluate ranking --judgments tests/data/judgments.toml\n"
                              "  python -m tools.evaluate ranking --judgments tests/data/judgments_real.toml "
                              "--real ../shared/data/gov-work-reports.tar.xz",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    r.add_argument("--judgments", default="tests/data/judgments.toml", help="TOML file of judged queries")
    r.add_argument("--real", default=shell.REAL, help="the real-report tarball a judgments file with `files` refers to")
    r.add_argument("--workdir", help="keep the imported real reports and their index here (reused next time)")
    r.add_argument("--all", action="store_true", help="measure every judged set (the tuned ones, the ones held "
                   "out from tuning, the second to seventh held-out ones (3, 6 and 7 never tuned on, 4 and 5 read while "
                   "tuning once recorded, 7 the newest)) and print a summary (queries with no answer: `noanswer`)")
    r.add_argument("--json", action="store_true", help="print the scores as JSON")
    r.set_defaults(func=cmd_ranking)
    t = sub.add_parser("topics", parents=[common], help="measure the topic classifier",
                       description="Classify every labelled paragraph (the seed corpus by id, real reports "
                                   "by file and block in the tarball) and print precision and recall per topic.",
                       epilog="example: python -m tools.evaluate topics --real ../shared/data/gov-work-reports.tar.xz")
    t.add_argument("--labels", default="tests/data/topic_labels.toml", help="TOML file of labelled paragraphs")
    t.add_argument("--real", default=shell.REAL,
                   help="the real-report tarball the labels refer to ('' to use only the seed corpus)")
    t.add_argument("--json", action="store_true", help="print the scores as JSON")
    t.set_defaults(func=cmd_topics)
    _parts_and_regulations(sub, common)
    planeval.add_parser(sub, common)
    noanswer.add_parser(sub, common)
    return p


def _parts_and_regulations(sub, common) -> None:
    """The options of ``parts`` and ``regulations``."""
    a = sub.add_parser("parts", parents=[common], help="measure the report parts (section kinds)",
                       description="Import the labelled real reports (tests/data/part_labels.toml) with nothing "
                                   "given and print, for each part, the share of its labelled paragraphs the "
                                   "code gives that part, and the share it calls 其他; then the parts of every "
                                   "report given in --year (unlabelled).",
                       epilog="example: python -m tools.evaluate parts --year 2024",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    a.add_argument("--labels", default=str(partseval.LABELS), help="TOML file of labelled paragraphs")
    a.add_argument("--real", default=shell.REAL, help="the real-report tarball")
    a.add_argument("--year", type=int, default=2024, help="the unlabelled sample: reports given in this year")
    a.add_argument("--json", action="store_true", help="print the measures as JSON")
    a.set_defaults(func=cmd_parts)
    g = sub.add_parser("regulations", help="measure the regulation mentions",
                       description="Find the regulation mentions of every judged paragraph (real reports by "
                                   "file and text hash, the seeds) and print recall, precision and the "
                                   "ambiguous mentions marked, with the misses and false mentions per law.",
                       epilog="example: python -m tools.evaluate regulations")
    g.add_argument("--judgments", default="tests/data/regulation_mentions.toml", help="TOML file of judged mentions")
    g.add_argument("--real", default=shell.REAL, help="the real-report tarball the judgments refer to")
    g.add_argument("--seeds", default="../shared/seeds", help="the folder of the seed reports (\"seeds/<file>\")")
    g.add_argument("--verbose", action="store_true", help="print every law, not only those with an error")
    g.add_argument("--json", action="store_true", help="print the scores as JSON")
    g.set_defaults(func=cmd_regulations)


def main(argv: list[str] | None = None) -> int:
    return shell.run(parser(), argv)


if __name__ == "__main__":
    sys.exit(main())

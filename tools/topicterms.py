"""How generic each term of the topic taxonomy is: the share of paragraphs that hold it.

    .venv/bin/python -m tools.topicterms [--real ../shared/data/gov-work-reports.tar.xz] [--reports 300]

Reads the seed corpus and ``--reports`` real work reports drawn from the tarball (a fixed
draw), splits them into paragraphs as the build does, and prints, for every term of
``kb/data/topics.toml``, the share of all paragraphs holding it as whole words (as the
classifier counts it) and, for a second-level item's term, the share of its area's paragraphs
that hold it (an item is given to every paragraph of its area that holds one of its terms: a
term most of the area's paragraphs hold gives the item to most of the area). A term is listed
as generic when it stands in more than ``--over`` of all paragraphs (an item's own defining
word stands in much of its area by nature: that share is printed, not judged). Measures the
data, never changes it.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

from bench import realcorpus
from kb.core import corpus
from kb.enrich import topics
from kb.enrich.paragraphs import paragraphs_of
from kb.text import textnorm
from tools import shell


def paragraphs(corpus_dir: Path, tarball: Path | None, n: int) -> list:
    """The paragraphs of the seed corpus and of ``n`` real reports (a fixed draw)."""
    out = [p for r in corpus.iter_reports(corpus_dir) for p in paragraphs_of(r)]
    if tarball is not None and n:
        with tempfile.TemporaryDirectory() as tmp:
            raw = realcorpus.unpack(tarball, Path(tmp))
            files = realcorpus.raw_files(raw)
            for path in random.Random(7).sample(files, min(n, len(files))):
                out += paragraphs_of(realcorpus.report_of(path, raw))
    return out


def shares(paras: list) -> list[tuple[str, str, float, float]]:
    """(topic id, term, share of all paragraphs, share of the area's paragraphs) of every term."""
    taxonomy = topics.load()
    texts = [textnorm.normalize_str(p.text) for p in paras]
    bounds = [None] * len(texts)

    def holds(i: int, term: str) -> bool:
        if term not in texts[i]:
            return False
        if bounds[i] is None:
            bounds[i] = topics._bounds(texts[i])  # noqa: SLF001 (counted as the classifier counts)
        return topics._occurrences(texts[i], bounds[i], term) > 0  # noqa: SLF001

    out = []
    for t in taxonomy.topics:
        area = [i for i, p in enumerate(paras) if t.id in p.topics]
        for term, _ in t.terms:
            out.append((t.id, term, sum(holds(i, term) for i in range(len(paras))) / len(paras), 1.0))
        for s in t.subs:
            for term, _ in s.terms:
                out.append((s.id, term, sum(holds(i, term) for i in range(len(paras))) / len(paras),
                            sum(holds(i, term) for i in area) / max(1, len(area))))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tools.topicterms", description=__doc__.split("\n\n")[0],
                                 parents=[shell.common()])
    ap.add_argument("--real", default=shell.REAL, help="the real-report tarball (none: the seeds only)")
    ap.add_argument("--reports", type=int, default=300, help="real reports drawn")
    ap.add_argument("--over", type=float, default=0.05, help="a term in more than this share of paragraphs is generic")
    args = ap.parse_args(argv)
    paras = paragraphs(shell.settings(args).corpus_dir, shell.tarball(args.real), args.reports)
    print(f"{len(paras)} paragraphs")
    print(f"{'topic':16} {'term':14} {'all':>7} {'in area':>8}")
    for tid, term, share, in_area in sorted(shares(paras), key=lambda x: -x[2]):
        area = f"{in_area:8.3f}" if "/" in tid else f"{'':8}"
        print(f"{tid:16} {term:14} {share:7.3f} {area}" + ("  generic" if share > args.over else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Measure the report parts (section kinds): ``python -m tools.evaluate parts``.

Two measures, both on real reports imported with nothing given, as ``kb import`` does:

- the labelled set (``tests/data/part_labels.toml``): work reports of the real-report tarball
  whose every paragraph was judged by reading (named ``<file>#<text hash>``), and the seed
  rule-of-law reports of ``corpus/`` by paragraph id. Printed: of the paragraphs labelled
  主要举措和成效 (the review), the share the code gives that part; the same for 下一年度安排 (the
  tasks) and every other part; the share of all paragraphs the code calls 其他; the
  paragraphs whose label it misses, by label and part given;
- an unlabelled sample: every report given in one year (``--year``, default 2024: the files
  ``*/2024.md``), with the share of paragraphs in each part.
"""

from __future__ import annotations

import tempfile
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from kb.core import corpus
from kb.core.errors import KbError
from kb.core.model import SECTION_KINDS, Paragraph
from kb.enrich.paragraphs import split_report
from kb.ingest import importer
from tools import realreports

LABELS = Path("tests/data/part_labels.toml")
#: 12 work reports not read while the rules were written (the same format, no seeds)
HELD_OUT = Path("tests/data/part_labels_heldout.toml")


@dataclass
class PartScores:
    """Labelled paragraphs against the parts the code gives them."""

    pairs: list[tuple[str, str]] = field(default_factory=list)  # (label, given)
    missing: list[str] = field(default_factory=list)  # labelled paragraphs not found
    unlabelled: int = 0  # paragraphs of the labelled reports without a label (text changed)

    def share(self, label: str) -> tuple[float, int]:
        """Of the paragraphs labelled ``label``, the share given that part (and how many)."""
        given = [g for lab, g in self.pairs if lab == label]
        return (sum(1 for g in given if g == label) / len(given) if given else 1.0), len(given)

    def other_share(self) -> float:
        """The share of all labelled paragraphs the code calls 其他."""
        return sum(1 for _, g in self.pairs if g == "其他") / max(1, len(self.pairs))

    def accuracy(self) -> float:
        return sum(1 for lab, g in self.pairs if lab == g) / max(1, len(self.pairs))

    def confusion(self) -> Counter:
        return Counter((lab, g) for lab, g in self.pairs if lab != g)


def load(path: Path = LABELS) -> dict:
    try:
        return tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise KbError(f"无法读取报告部分标注 {path} (cannot read labels: {e})") from None


def imported(tarball: Path, wanted, workdir: Path) -> dict[str, list[Paragraph]]:
    """The paragraphs of the tarball's files that ``wanted(name)`` accepts, imported with
    nothing given (the pipeline's repair, metadata and segmentation), by file name."""
    raw, corpus_dir = workdir / "raw", workdir / "corpus"
    with realreports.open_archive(tarball) as archive:
        members = [m for m in archive if m.isfile() and wanted(m.name.removeprefix("./"))]
        archive.extractall(raw, members=members, filter="data")
    files = [raw / m.name for m in members]
    batch = importer.import_files(files, corpus_dir)
    file_of = {d.report.id: str(d.path.relative_to(raw)).removeprefix("./") for d in batch.imported}
    return {file_of[r.id]: split_report(r) for r in corpus.iter_reports(corpus_dir)}


def measure(tarball: Path, corpus_dir: Path, labels: dict) -> PartScores:
    """Every labelled paragraph's label beside the part the code gives it."""
    scores = PartScores()
    reports = {r["file"]: r["parts"] for r in labels.get("report", ())}
    with tempfile.TemporaryDirectory(prefix="kb-parts-") as tmp:
        found = imported(tarball, lambda name: name in reports, Path(tmp))
    for name, parts in reports.items():
        given = {realreports.text_hash(p.text): p.section_kind for p in found.get(name, [])}
        scores.unlabelled += sum(1 for h in given if h not in parts)
        for h, label in parts.items():
            if h in given:
                scores.pairs.append((label, given[h]))
            else:
                scores.missing.append(f"{name}#{h}")
    seeds = {pid: lab for s in labels.get("seed", ()) for pid, lab in s["parts"].items()}
    for report in corpus.iter_reports(corpus_dir):
        for p in split_report(report):
            if p.id in seeds:
                scores.pairs.append((seeds.pop(p.id), p.section_kind))
    scores.missing += sorted(seeds)
    return scores


def sample(tarball: Path, year: int) -> tuple[int, Counter]:
    """(reports, paragraphs per part) of every report given in ``year``."""
    with tempfile.TemporaryDirectory(prefix="kb-parts-") as tmp:
        found = imported(tarball, lambda name: name.endswith(f"/{year}.md"), Path(tmp))
    return len(found), Counter(p.section_kind for ps in found.values() for p in ps)


def report(scores: PartScores, year: int, reports: int, counts: Counter) -> list[str]:
    """The lines ``python -m tools.evaluate parts`` prints."""
    lines = [f"labelled: {len(scores.pairs)} paragraphs, accuracy {scores.accuracy():.1%}"
             + (f"; {len(scores.missing)} labelled not found" if scores.missing else "")
             + (f"; {scores.unlabelled} found without a label" if scores.unlabelled else "")]
    for kind in SECTION_KINDS:
        share, n = scores.share(kind)
        if n:
            lines.append(f"  labelled {kind:<8} {n:5d}  given that part {share:6.1%}")
    lines.append(f"  given 其他 {scores.other_share():.1%} of all labelled paragraphs")
    for (label, given), n in scores.confusion().most_common(8):
        lines.append(f"  missed: {n:4d} labelled {label}, given {given}")
    total = sum(counts.values())
    lines.append(f"unlabelled sample: the {reports} reports given in {year}, {total} paragraphs")
    for kind in SECTION_KINDS:
        lines.append(f"  {kind:<8} {counts[kind]:5d}  {counts[kind] / max(1, total):6.1%}")
    return lines

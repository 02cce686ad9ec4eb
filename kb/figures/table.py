"""Figure table: the figures and report cards of every report, written by the build into
each index generation, so that no request reads the corpus again.

``kb build`` calls :func:`entry` for every report it indexes (the paragraphs are segmented
for the index anyway) and :func:`write` once at the end. The table holds, per report, its
metadata, its report card's summary (:mod:`kb.enrich.reportcard`) and the figures of its
paragraphs that have an indicator (sure or not; the many numbers no indicator fits are not
kept: 433,000 of the 443,000 figures of the 3,004 real work reports). An incremental build
keeps the entries of unchanged reports from the generation it copies; a new indicator list
(``kb/data/indicators.toml``) makes a full build (:mod:`kb.build` records its checksum).

The file is ``extract.json`` in the generation (checked with the generation's other files);
:func:`table` reads it once per generation and keeps it in the generation's cache. A search
cluster keeps the same entries in its ``kb_extract`` table (:mod:`kb.engines.sphinx.features`):
:func:`table` makes the same table of them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from kb.core import files
from kb.core.cache import LRU
from kb.core.errors import REBUILD, IndexDamaged, IndexMissing, KbError
from kb.core.model import Paragraph, Report
from kb.enrich import reportcard
from kb.figures import extract, qualifiers
from kb.ingest.metadata.place import province_shown
from kb.text.collation import name_key

FILE = "extract.json"
ANSWERS = 64  # answers of the figure pages kept per generation
VERSION = 3  # 2: period and part (issue 25); 3: the report's unsure fields, 中央 for a national agency's province

#: The fields of a figure kept in the table (the paragraph's report gives agency and year).
FIELDS = ("indicator", "sure", "value", "unit", "amount", "normalized_unit", "scope", "approx", "change",
          "written", "start", "end", "sentence", "paragraph_id", "period", "part")


def entry(report: Report, paragraphs: list[Paragraph]) -> dict:
    """What the table keeps of one report."""
    found = []
    for p in paragraphs:
        for f in extract.extract(p.text, p.id, indicated_only=True):
            row = f.to_dict()
            found.append([row[k] for k in FIELDS] + [p.ordinal, p.section_kind])
    return {
        "report": {"id": report.id, "title": report.title, "agency": report.agency, "year": report.year,
                   "region": province_shown(report.region, report.level), "level": report.level,
                   "unsure": list(report.unsure)},
        "card": reportcard.summary(reportcard.card(report, paragraphs)),
        "figures": found,
    }


def write(gen_dir: Path, previous: Path | None, keep: set[str], fresh: dict[str, dict]) -> None:
    """Write the table of a new generation: the entries of ``keep`` from the ``previous``
    generation's table, and the ``fresh`` ones."""
    reports: dict[str, dict] = {}
    if previous is not None and keep:
        old = _read(previous / FILE)
        reports.update({rid: e for rid, e in old["reports"].items() if rid in keep})
    reports.update(fresh)
    data = {"version": VERSION, "fields": [*FIELDS, "ordinal", "section_kind"], "reports": reports}
    # a new file replaces the hard link of the previous generation's: that one is never changed
    files.write_atomic(Path(gen_dir) / FILE, json.dumps(data, ensure_ascii=False, separators=(",", ":")))


def _read(path: Path) -> dict:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:  # damage, or a generation removed while it was read: read again
        raise IndexDamaged(f"索引中没有数字表 (the index has no figure table {path}); {REBUILD}") from None
    except (OSError, ValueError):
        raise IndexDamaged(f"索引已损坏 (cannot read {path}); {REBUILD}") from None
    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("reports"), dict):
        raise IndexMissing(f"数字表格式已更新 (the figure table is of another version); {REBUILD}")
    return data


@dataclass
class Table:
    """The figure table of one generation: every figure as a dict, and the report cards."""

    figures: list[dict]
    cards: dict[str, dict]  # report id -> card summary
    reports: dict[str, dict]  # report id -> metadata
    by_indicator: dict[str, list[dict]] = field(default_factory=dict)  # the figures of each indicator
    answers: LRU = field(default_factory=lambda: LRU(ANSWERS))  # pages made from it (kb.figures.answers)

    def __post_init__(self):
        if not self.by_indicator:
            for row in self.figures:
                self.by_indicator.setdefault(row["indicator"], []).append(row)


def load(gen_dir: Path) -> Table:
    data = _read(Path(gen_dir) / FILE)
    return of_entries(data["reports"], data["fields"])


def of_entries(entries: dict[str, dict], names: list[str] | None = None) -> Table:
    """The table of the entries (:func:`entry`) of every report, by report id (``names``: the
    fields of a figure's values, as written; :data:`FIELDS` and the ordinal and part else)."""
    names = names or [*FIELDS, "ordinal", "section_kind"]
    rows, cards, reports = [], {}, {}
    for rid, e in entries.items():
        meta = e["report"]
        reports[rid] = meta
        cards[rid] = e["card"]
        for values in e["figures"]:
            row = dict(zip(names, values, strict=True))
            row.update(report_id=rid, agency=meta["agency"], year=meta["year"], region=meta["region"],
                       level=meta["level"], title=meta["title"], unsure=meta.get("unsure", []),
                       period_years=qualifiers.period_years(row["period"], given_in(meta["year"])))
            rows.append(row)
    rows.sort(key=lambda r: (r["indicator"], -r["year"], name_key(r["agency"]), r["report_id"], r["ordinal"], r["start"]))
    return Table(rows, cards, reports)


def given_in(year: int) -> int:
    """The year a report on ``year`` is given in, as :func:`qualifiers.period_years` counts from it:
    the year after (a work report on 2025 is given in 2026; a 法治政府建设 report on 2025 is signed
    early in 2026): its 五年来 covers 2021–2025."""
    return year + 1 if year else year


def cards(idx) -> dict:
    """The report cards of a generation by report id."""
    return table(idx).cards


def table(idx) -> Table:
    """The table of an opened index, read once and cached in its cache: from the generation's
    folder (:class:`kb.engines.embedded.engine.EmbeddedEngine`), or made of the entries an
    engine whose index is elsewhere gives (``figure_entries()``: a search cluster's, kept only
    when it gave them all)."""
    t = idx.cache.get("figure_table")
    if t is None:
        index_dir = getattr(idx, "index_dir", None)
        if index_dir is not None:
            t = idx.cache["figure_table"] = load(Path(index_dir) / idx.generation)
        elif hasattr(idx, "figure_entries"):
            entries, complete = idx.figure_entries()
            t = of_entries(entries)
            if complete:
                idx.cache["figure_table"] = t
        else:
            raise KbError("这个检索后端没有数字表 (this engine keeps no figure table)")
    return t

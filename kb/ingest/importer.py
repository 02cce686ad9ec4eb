"""Import: a raw report file -> text -> repaired -> metadata -> corpus/<id>.md.

The first step of the pipeline, in three parts: :mod:`kb.ingest.formats` reads the file (any
supported type and encoding), :mod:`kb.ingest.repair` mends its lines, :mod:`kb.ingest.metadata`
decides what it is. :func:`import_file` does one file and either writes one report or
raises :class:`~kb.core.errors.ImportFailed` having written nothing; :func:`import_files`
does a batch, with a progress callback, and collects each file's outcome. The CLI then
updates the index once (:func:`kb.build.build`, incremental).

The same report imported twice is recognised by the hash of its text (:class:`Catalog`)
and updated in place under its id, whatever the metadata says this time; a report added beside
another of the same agency and year (the same report in another form, under another title) is
noted ``unsure duplicate`` with the other's id and title. A manifest's rows
are matched to the files by path (:func:`match_manifest`), never by a base name that several
files share. ``dry_run`` decides everything and writes nothing.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kb.core import corpus
from kb.core.errors import ImportFailed, KbError
from kb.core.model import Block, Report, text_key
from kb.ingest import formats
from kb.ingest.formats.extracted import Extracted
from kb.ingest.metadata import decide, report_id
from kb.ingest.repair import Repaired, repair

SUPPORTED = formats.SUPPORTED


@dataclass
class Imported:
    """What one import did."""

    path: Path
    report: Report
    written: Path
    notes: list[str] = field(default_factory=list)
    status: str = "added"  # added / updated / unchanged
    how: dict = field(default_factory=dict)  # field -> where its value came from
    unsure: set = field(default_factory=set)
    format: str = ""
    encoding: str = ""


class Manifest(dict):
    """A CSV manifest: each row's values by its ``file`` as written, and the folder it is in
    (a relative path in it is relative to that folder)."""

    def __init__(self, rows: dict[str, dict], folder: Path, repeated: dict[str, int] | None = None):
        super().__init__(rows)
        self.folder = Path(folder)
        self.repeated = repeated or {}  # a file named in more than one row: how many


def read_manifest(path: Path) -> Manifest:
    """The rows of a CSV manifest (columns: file, and any of the metadata fields)."""
    rows: dict[str, dict] = {}
    repeated: dict[str, int] = {}
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            if not reader.fieldnames or "file" not in reader.fieldnames:
                raise KbError(f"{path}: 清单缺少 file 列 (the manifest needs a 'file' column); "
                              f"columns: file,agency,year,region,level,title,source")
            for row in reader:
                name = (row.pop("file", "") or "").strip()
                if not name:
                    continue
                if name in rows:
                    repeated[name] = repeated.get(name, 1) + 1
                rows[name] = {k: v.strip() for k, v in row.items() if k and v and v.strip()}
    except OSError as e:
        raise KbError(f"{path}: 无法读取清单 ({e.strerror}); check the --manifest path") from None
    except (UnicodeDecodeError, csv.Error) as e:
        raise KbError(f"{path}: 清单不是 UTF-8 CSV ({e}); save it as CSV UTF-8") from None
    return Manifest(rows, Path(path).parent, repeated)


def _fits(written: str, manifest: Manifest, files: dict[Path, Path]) -> list[Path]:
    """The files (resolved) a manifest row names: by its path as written (absolute, relative
    to the manifest, or to the current folder), else every file whose path ends with it."""
    p = Path(written)
    bases = [Path("/")] if p.is_absolute() else [manifest.folder, Path.cwd()]
    for base in bases:
        q = (base / p).resolve()
        if q in files:
            return [q]
    return [f for f in files if f.parts[-len(p.parts):] == p.parts]


def match_manifest(manifest: Manifest, files: list[Path]) -> tuple[dict[Path, dict], list[str]]:
    """({file, resolved: its row}, rows that name none of the files). A row whose name fits several
    files (2024.md in many folders) or two rows for one file raise KbError naming them:
    nothing is imported with a manifest that is wrong."""
    resolved = {Path(f).resolve(): Path(f) for f in files}
    out: dict[Path, dict] = {}
    by: dict[Path, str] = {}
    problems, unused = [], []
    for written, values in manifest.items():
        fits = _fits(written, manifest, resolved)
        if written in manifest.repeated:
            names = ", ".join(str(resolved[f]) for f in fits[:4]) + (" …" if len(fits) > 4 else "")
            problems.append(f"{written} 出现 {manifest.repeated[written]} 次 ({manifest.repeated[written]} rows name "
                            f"{written}" + (f", which fits {len(fits)} files: {names}" if fits else "")
                            + "); write each file's path, relative to the manifest or absolute")
        elif len(fits) > 1:
            names = ", ".join(str(resolved[f]) for f in fits[:4]) + (" …" if len(fits) > 4 else "")
            problems.append(f"{written} 对应 {len(fits)} 个文件 (fits {len(fits)} files: {names}); "
                            f"write each file's path, relative to the manifest or absolute")
        elif fits and fits[0] in out:
            problems.append(f"{by[fits[0]]} 与 {written} 是同一文件 (two rows for {resolved[fits[0]]})")
        elif fits:
            out[fits[0]] = values
            by[fits[0]] = written
        else:
            unused.append(written)
    if problems:
        raise KbError("清单有误，未导入任何文件 (the manifest is ambiguous; nothing was imported): " + "; ".join(problems))
    return out, unused


def body_hash(body: str) -> str:
    """The hash of a report's text, ignoring spaces: the same text imported twice (from
    another file, format or encoding) hashes the same."""
    return hashlib.sha256(re.sub(r"\s+", "", body).encode()).hexdigest()[:16]


class Catalog:
    """The reports already in a corpus, by the hash of their text and by agency and year (read
    once, kept up to date as a batch writes)."""

    def __init__(self, corpus_dir: Path):
        self.corpus_dir = Path(corpus_dir)
        self._by_hash: dict[str, str] | None = None
        self._by_unit: dict[tuple[str, int], dict[str, str]] = {}  # (agency, year) -> {id: title}

    def by_hash(self) -> dict[str, str]:
        if self._by_hash is None:
            self._by_hash = {}
            for path in corpus.paths(self.corpus_dir):
                try:
                    report = corpus.read(path)
                except KbError:
                    continue  # a damaged file is not a duplicate of anything
                self._by_hash[body_hash(report.body)] = path.stem
                self._by_unit.setdefault((report.agency, report.year), {})[path.stem] = report.title
        return self._by_hash

    def find(self, digest: str) -> str | None:
        rid = self.by_hash().get(digest)
        return rid if rid and corpus.report_path(self.corpus_dir, rid).is_file() else None

    def add(self, digest: str, report: Report) -> None:
        self.by_hash()[digest] = report.id
        for titles in self._by_unit.values():
            titles.pop(report.id, None)  # its agency or year may have changed
        self._by_unit.setdefault((report.agency, report.year), {})[report.id] = report.title

    def same_unit(self, report: Report) -> dict[str, str]:
        """The other reports of ``report``'s agency and year in the corpus: {id: title}."""
        self.by_hash()
        return {rid: title for rid, title in self._by_unit.get((report.agency, report.year), {}).items()
                if rid != report.id and corpus.report_path(self.corpus_dir, rid).is_file()}


def _twins_note(report: Report, catalog: Catalog, status: str) -> list[str]:
    """The note of a report added beside another of the same agency and year (the same report
    downloaded twice, from two sites or in two forms, gives two reports and every hit twice)."""
    twins = catalog.same_unit(report) if status.endswith("added") else {}
    return [f"unsure duplicate: {report.agency} 报告年度 {report.year} 已有 {rid}《{title}》 (the corpus "
            f"already holds a report of this agency and year: if it is the same report, delete one of "
            f"{rid}.md and {report.id}.md and run kb build)" for rid, title in sorted(twins.items())]


#: What the deciders look at for a field, and which option gives it, for a refusal's message.
#: What a user calls the fields a file must decide (单位, 报告年度: as the site says them).
FIELD_NAMES = {"agency": "单位", "year": "报告年度"}
LOOKED_FOR = {
    "agency": "the file name, the file's title, the title line, the byline and speaker line, a 来源 line, "
              "the opening sentence (我代表…人民政府) and the signature name no agency",
    "year": "the file name, the titles, the date the speech was given, a review heading (一、2023年工作回顾), "
            "the opening sentence and the date signed name no year",
}


def import_file(path: Path, corpus_dir: Path, given: dict | None = None, source: str = "",
                catalog: Catalog | None = None, dry_run: bool = False,
                pages: Callable[[int, int], None] | None = None) -> Imported:
    """Import one file into ``corpus_dir``; raise ImportFailed and write nothing on bad input.
    ``dry_run``: decide everything, write nothing (the status says what would happen);
    ``pages(done, total)``: after each page a scanned PDF has read by OCR."""
    path = Path(path)
    given = dict(given or {})
    extracted, repaired = _read(path, pages)
    decided = decide(repaired, given, source=source or path.name, file_meta=extracted.meta, file_name=path.stem)
    v = decided.values
    _check(path, v)
    body = corpus.blocks_to_markdown(repaired.blocks)
    digest = body_hash(body)
    catalog = catalog or Catalog(corpus_dir)
    rid, before = _id_of(given, catalog.find(digest), extracted.meta.get("id", ""), v, corpus_dir)
    moved, formerly = _moved_from(before, rid)
    report = Report(
        id=rid,
        title=v["title"],
        agency=v["agency"],
        year=int(v["year"]),
        region=v.get("region", ""),
        level=v.get("level", ""),
        date_signed=v.get("date_signed", ""),
        signed_by=v.get("signed_by", ""),
        source=v.get("source", ""),
        body=body,
        unsure=[f for f in corpus.UNSURE_FIELDS if f in decided.unsure],
        formerly=formerly,
    )
    notes = decided.notes + _mark_ocr(report, repaired.blocks, extracted.meta.get("ocr"))
    status, written = _write(report, corpus_dir, dry_run)
    if moved is not None:
        status, notes = _moved(moved, report, corpus_dir, dry_run, status, notes)
    notes += _twins_note(report, catalog, status)
    catalog.add(digest, report)
    return Imported(path, report, written, notes, status, decided.how, decided.unsure,
                    extracted.format, extracted.encoding)


def _id_of(given: dict, found: str | None, fm_id: str, v: dict, corpus_dir: Path) -> tuple[str, Report | None]:
    """(the report's id, the report of the same text already in the corpus, if any). Given, else
    the id of the same text already in the corpus (``found``) while its agency, year and title stay
    as they were, else the id a front matter names, else the rule's (:func:`report_id`: the year
    and a hash of agency, year and title): a re-import that changes any of them moves the report to
    the id the rule gives (its old ids kept in ``formerly``, where links to them are redirected)."""
    if given.get("id"):
        return given["id"], None
    made = report_id(v["agency"], v["year"], v["title"])
    if found:
        try:
            old = corpus.load(corpus_dir, found)
        except KbError:
            return found, None
        if found == made or (old.agency, old.year, old.title) == (v["agency"], int(v["year"]), v["title"]):
            return found, old
        return made, old
    return (fm_id if corpus.valid_id(fm_id) else made), None


def _moved_from(before: Report | None, rid: str) -> tuple[Report | None, list[str]]:
    """(the report of the same text when it had another id, else None; the ids the report had)."""
    if before is None:
        return None, []
    if before.id == rid:
        return None, list(before.formerly)
    return before, [*before.formerly, before.id]


def _moved(old: Report, report: Report, corpus_dir: Path, dry_run: bool, status: str,
           notes: list[str]) -> tuple[str, list[str]]:
    """A re-import that moved a report to a new id: the old file removed (unless ``dry_run``), the
    status ``updated`` (the same report), a note that says where it went and that old links redirect."""
    if not dry_run:
        corpus.report_path(corpus_dir, old.id).unlink(missing_ok=True)
    changed = ", ".join(k for k in ("agency", "year", "title") if getattr(old, k) != getattr(report, k))
    note = (f"moved: 报告编号 {old.id} -> {report.id} ({changed} changed; the id follows the year, agency and "
            f"title; /reports/{old.id} redirects to the new page)")
    return status.replace("added", "updated"), [*notes, note]


def _mark_ocr(report: Report, blocks: list[Block], ocr: dict | None) -> list[str]:
    """Mark the paragraphs of ``report`` read by OCR with their confidence (the lowest of the
    OCR paragraphs a repaired block is made of) and the pages too poor to read; the notes
    that say so."""
    if not ocr:
        return []
    squeeze = re.compile(r"[\s\u00ad]")
    read = [(squeeze.sub("", t), c) for t, c in ocr["paragraphs"]]
    for b in blocks:
        if b.kind != "para":
            continue
        text = squeeze.sub("", b.text)
        confs = [c for t, c in read if t and (t[:12] in text or text[:12] in t)]
        if confs:
            report.ocr[text_key(b.text)] = min(confs)
    report.ocr_unread = [{"page": n, "conf": c} for n, c in ocr["unread"]]
    notes = [f"OCR: {ocr['pages']} 页扫描件经 OCR 识别，{len(report.ocr)} 段 (scanned pages read by OCR; "
             f"mean confidence {sum(report.ocr.values()) / max(1, len(report.ocr)):.0f}%)"]
    notes += [f"unsure OCR: 第 {n} 页无法识别，未导入其文字 (page {n} too poor to read: confidence {c:.0f}%)"
              for n, c in ocr["unread"]]
    return notes


def _read(path: Path, pages: Callable[[int, int], None] | None = None) -> tuple[Extracted, Repaired]:
    """The file's text, repaired; ImportFailed if it holds no Chinese text or no paragraph."""
    extracted = formats.read(path, progress=pages)
    if not re.search(r"[\u4e00-\u9fff]", extracted.text):
        raise ImportFailed(f"{path}: 没有中文文字 (no Chinese text found: a wrong encoding, or not a Chinese report)")
    repaired = repair(extracted.text, markdown=extracted.markdown, layout=extracted.layout)
    if not any(b.kind == "para" for b in repaired.blocks):
        raise ImportFailed(f"{path}: 没有找到段落 (no paragraphs found); is this the report's text?")
    return extracted, repaired


def _check(path: Path, v: dict) -> None:
    """ImportFailed if the agency or the year is not decided, or the year is out of range."""
    missing = [k for k in ("agency", "year") if not v.get(k)]
    if missing:
        raise ImportFailed(f"{path}: 无法确定{'、'.join(FIELD_NAMES[k] for k in missing)} ({', '.join(missing)}: "
                           + "; ".join(LOOKED_FOR[k] for k in missing)
                           + f"): give --{' --'.join(missing)}, or a manifest (--manifest) with "
                           + " and ".join(f"{'an' if k[0] in 'aeiou' else 'a'} {k} column" for k in missing))
    if not 1900 <= int(v["year"]) <= 2100:
        raise ImportFailed(f"{path}: 年份 {v['year']} 不对 (the year is out of range); give --year")


def _write(report: Report, corpus_dir: Path, dry_run: bool) -> tuple[str, Path]:
    """(status: added / updated / unchanged, or would be …; the file) of writing ``report``
    into ``corpus_dir`` (with ``dry_run``, nothing is written)."""
    target = corpus.report_path(corpus_dir, report.id)
    status = "added"
    if target.is_file():
        status = "unchanged" if target.read_text(encoding="utf-8") == corpus.to_text(report) else "updated"
    if dry_run:
        return ("unchanged" if status == "unchanged" else f"would be {status}"), target
    return status, (target if status == "unchanged" else corpus.write(corpus_dir, report))


@dataclass
class Batch:
    """The outcome of importing many files: what was imported and what failed, and why."""

    imported: list[Imported] = field(default_factory=list)
    failed: list[tuple[Path, str]] = field(default_factory=list)  # (file, message)


def import_files(files: Iterable[Path], corpus_dir: Path, given_for: Callable[[Path], dict] | None = None,
                 progress: Callable[[int, int], None] | None = None,
                 each: Callable[[Imported | None, Path, str], None] | None = None, dry_run: bool = False,
                 pages: Callable[[int, int], None] | None = None) -> Batch:
    """Import every file; one file's bad input does not stop the others.

    ``given_for(path)`` gives the metadata given for a file, ``progress(done, total)`` is
    called after each file, and ``each(imported or None, path, error message)`` too;
    ``pages(done, total)`` after each page of a scanned PDF read by OCR."""
    files = list(files)
    batch = Batch()
    catalog = Catalog(corpus_dir)
    for done, path in enumerate(files, 1):
        try:
            if not Path(path).exists():
                raise ImportFailed(f"{path}: 文件不存在 (no such file)")
            result = import_file(path, corpus_dir, given_for(path) if given_for else {}, catalog=catalog,
                                 dry_run=dry_run, pages=pages)
        except KbError as e:
            batch.failed.append((Path(path), str(e)))
            if each:
                each(None, Path(path), str(e))
        else:
            batch.imported.append(result)
            if each:
                each(result, Path(path), "")
        if progress:
            progress(done, len(files))
    return batch


def expand(paths: list[Path]) -> list[Path]:
    """Files named, and the supported files inside folders named, in a stable order
    (hidden files and folders skipped)."""
    out = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(
                q for q in p.rglob("*")
                if q.is_file() and q.suffix.lower() in SUPPORTED
                and not any(part.startswith(".") for part in q.relative_to(p).parts)
            ))
        else:
            out.append(p)
    return out

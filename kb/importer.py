"""Import: a raw report file -> decoded text -> repaired -> metadata -> corpus/<id>.md.

The first step of the pipeline. :func:`import_file` does one file and either writes
one report or raises :class:`~kb.errors.ImportFailed` having written nothing; the
CLI loops over files (batch) and rebuilds the index once at the end.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from kb import corpus
from kb.errors import ImportFailed
from kb.metadata import decide, report_id
from kb.model import Report
from kb.repair import repair

SUPPORTED = (".txt", ".md")


@dataclass
class Imported:
    """What one import did."""

    path: Path
    report: Report
    written: Path
    notes: list[str] = field(default_factory=list)


def decode(data: bytes, name: str = "") -> str:
    """The text of a file in UTF-8 (with or without BOM), UTF-16 or GB18030/GBK."""
    if not data.strip():
        raise ImportFailed(f"{name}: 文件为空 (the file is empty)")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data[:4000]:
        raise ImportFailed(f"{name}: 不是文本文件 (binary data, not text)")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFailed(f"{name}: 无法识别文字编码 (not UTF-8, UTF-16 or GB18030)")


def read_manifest(path: Path) -> dict[str, dict]:
    """Rows of a CSV manifest (columns: file, and any of the metadata fields), by file name."""
    rows = {}
    with open(path, encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            name = (row.pop("file", "") or "").strip()
            if name:
                rows[Path(name).name] = {k: v.strip() for k, v in row.items() if k and v and v.strip()}
    return rows


def import_file(path: Path, corpus_dir: Path, given: dict | None = None, source: str = "") -> Imported:
    """Import one file into ``corpus_dir``; raise ImportFailed and write nothing on bad input."""
    path = Path(path)
    if path.suffix.lower() not in SUPPORTED:
        raise ImportFailed(f"{path}: 不支持的文件类型 {path.suffix or '(none)'} (supported: {' '.join(SUPPORTED)})")
    try:
        data = path.read_bytes()
    except OSError as e:
        raise ImportFailed(f"{path}: 无法读取 ({e.strerror})") from None
    text = decode(data, str(path))
    repaired = repair(text)
    if not any(b.kind == "para" for b in repaired.blocks):
        raise ImportFailed(f"{path}: 没有找到段落 (no paragraphs found)")
    decided = decide(repaired, given or {}, source=source or path.name)
    v = decided.values
    missing = [k for k in ("agency", "year") if not v.get(k)]
    if missing:
        raise ImportFailed(f"{path}: 无法确定{'、'.join(missing)} (give --{' --'.join(missing)})")
    rid = (given or {}).get("id") or report_id(v["agency"], v["year"], v["title"])
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
        body=corpus.blocks_to_markdown(repaired.blocks),
    )
    written = corpus.write(corpus_dir, report)
    return Imported(path, report, written, decided.notes)


def expand(paths: list[Path]) -> list[Path]:
    """Files named, and the supported files inside folders named, in a stable order."""
    out = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() in SUPPORTED))
        else:
            out.append(p)
    return out

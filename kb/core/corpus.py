"""The corpus: one Markdown file per report, the source of truth.

``corpus/<id>.md`` holds YAML front matter (the report's metadata) and the body::

    ---
    id: 2023-1a2b3c4d
    title: …
    agency: …
    year: 2023
    ---
    ## 一、主要举措和成效

    **（一）深入学习习近平法治思想。**把学习宣传贯彻……

    一段正文……

Headings are ``##``… (``#`` is never used in the body), a run-in heading is the bold
lead of its paragraph, and every paragraph is one line. The files are meant to be read
and edited by people; ``kb build`` indexes whatever they say. Writes are atomic
(write to a temporary file, then rename), so a crash never leaves half a report.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import yaml

from kb.core import files
from kb.core.errors import KbError, NotFound
from kb.core.model import Block, Report

META_ORDER = ("id", "title", "agency", "region", "level", "year", "date_signed", "signed_by", "source",
              "unsure", "formerly", "ocr_unread", "ocr")
#: The metadata fields an import may be unsure of (``unsure`` in the front matter lists them).
UNSURE_FIELDS = ("title", "agency", "region", "level", "year", "date_signed", "signed_by")


def blocks_to_markdown(blocks: list[Block]) -> str:
    """The Markdown body of repaired blocks."""
    parts = []
    for b in blocks:
        if b.kind == "heading":
            parts.append("#" * min(b.level + 1, 6) + " " + b.text)
        elif b.lead:
            parts.append(f"**{b.lead}**{b.text[len(b.lead):]}")
        else:
            parts.append(_escape_line(b.text))
    return "\n\n".join(parts) + "\n"


def _escape_line(text: str) -> str:
    """Keep a paragraph that starts like Markdown syntax a paragraph."""
    if text.startswith(("#", "---", ">", "- ", "* ", "**", "\\")):
        return "\\" + text
    return text


def to_text(report: Report) -> str:
    """The file contents of a report: front matter and body."""
    meta = {k: getattr(report, k) for k in META_ORDER if getattr(report, k) not in ("", None, {}, [])}
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{front}---\n\n{report.body.strip()}\n"


def parse_text(text: str, fallback_id: str = "") -> Report:
    """A report from file contents (front matter optional)."""
    meta: dict = {}
    body = text
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end != -1:
            meta = yaml.safe_load(text[4:end]) or {}
            body = text[end + 4:].lstrip("-").lstrip("\n")
    return Report(
        id=str(meta.get("id") or fallback_id),
        title=str(meta.get("title", "")),
        agency=str(meta.get("agency", "")),
        year=int(meta.get("year") or 0),
        region=str(meta.get("region", "")),
        level=str(meta.get("level", "")),
        date_signed=str(meta.get("date_signed", "")),
        signed_by=str(meta.get("signed_by", "")),
        source=str(meta.get("source", "")),
        body=body,
        ocr=_mapping(meta.get("ocr")),
        ocr_unread=[x for x in meta.get("ocr_unread") or [] if isinstance(x, dict)]
        if isinstance(meta.get("ocr_unread"), list) else [],
        unsure=[f for f in UNSURE_FIELDS if f in _listed(meta, "unsure")],
        formerly=[x for x in _listed(meta, "formerly") if valid_id(x)],
    )


def _listed(meta: dict, key: str) -> list[str]:
    """A front matter's list (``unsure``, ``formerly``) as strings; anything else is none."""
    value = meta.get(key)
    return [str(x) for x in value] if isinstance(value, list) else []


def _mapping(value) -> dict:
    """A front matter's ``ocr`` marks (paragraph key -> confidence); anything else is none."""
    if not isinstance(value, dict):
        return {}
    return {str(k): float(v) for k, v in value.items() if isinstance(v, int | float)}


def report_path(corpus_dir: Path, report_id: str) -> Path:
    return Path(corpus_dir) / f"{report_id}.md"


def paths(corpus_dir: Path) -> list[Path]:
    """The report files of a corpus, in a stable order (not the temporary files of a
    write that was killed before its rename, nor any file whose name is not an id)."""
    return sorted(p for p in Path(corpus_dir).glob("*.md") if valid_id(p.stem) and not p.name.startswith("."))


def misnamed(corpus_dir: Path) -> list[Path]:
    """The Markdown files of a corpus that :func:`paths` leaves out because their name is
    not a report id (a hand-copied ``黎平 2024.md``): to be named, not silently skipped."""
    return sorted(p for p in Path(corpus_dir).glob("*.md") if not valid_id(p.stem) and not p.name.startswith("."))


def read(path: Path, data: bytes | None = None) -> Report:
    """The report stored at ``path`` (its file name is its id); ``data``: its bytes, if read."""
    try:
        text = path.read_text(encoding="utf-8") if data is None else data.decode("utf-8")
        report = parse_text(text, fallback_id=path.stem)
    except FileNotFoundError:
        raise NotFound(f"没有这份报告：{path.stem} (its file is gone)") from None
    except OSError as e:
        raise KbError(f"{path.name}: 无法读取 (cannot read: {e.strerror})") from None
    except (yaml.YAMLError, ValueError, TypeError, AttributeError) as e:
        detail = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise KbError(f"{path.name}: 元数据有误，请修改文件开头的 front matter (bad front matter: {detail})") from None
    report.id = path.stem
    return report


def load(corpus_dir: Path, report_id: str) -> Report:
    if not valid_id(report_id) or not report_path(corpus_dir, report_id).is_file():
        raise NotFound(f"没有这份报告：{report_id}")
    return read(report_path(corpus_dir, report_id))


def iter_reports(corpus_dir: Path) -> Iterator[Report]:
    for path in paths(corpus_dir):
        yield read(path)


MAX_ID_LENGTH = 128


def valid_id(report_id: str) -> bool:
    """Report ids are URL-safe and make file names: letters, digits, - and _ only, at most
    MAX_ID_LENGTH characters (so no id is ever a path: no / and no ..)."""
    return (0 < len(report_id) <= MAX_ID_LENGTH
            and all(c.isascii() and (c.isalnum() or c in "-_") for c in report_id))


def write(corpus_dir: Path, report: Report) -> Path:
    """Write ``report`` atomically to ``corpus_dir/<id>.md`` (kb.core.files: whole or not at all)."""
    corpus_dir = Path(corpus_dir)
    corpus_dir.mkdir(parents=True, exist_ok=True)
    path = report_path(corpus_dir, report.id)
    files.write_atomic(path, to_text(report))
    return path


def file_digest(data: bytes) -> str:
    """The checksum of one report file's bytes."""
    return hashlib.sha256(data).hexdigest()


def combine(digests: dict[str, str]) -> str:
    """The corpus checksum from each report's file checksum (by id)."""
    h = hashlib.sha256()
    for rid in sorted(digests):
        h.update(f"{rid}.md".encode())
        h.update(bytes.fromhex(digests[rid]))
    return h.hexdigest()[:16]

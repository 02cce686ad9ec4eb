"""The real work reports as corpus reports, for the benchmark (bench-only, never committed data).

Unpacks ``../shared/data/gov-work-reports.tar.xz`` (政府工作报告-<级别>/<单位>/<年>.md) and
writes each file as a corpus report (:mod:`kb.core.corpus` format) with the metadata its path
gives: agency = the unit (国务院 for the State Council), level, region, year reported on =
path year - 1. Bold heading lines (``**一、……**``) and Markdown headings become ``##``
headings; every other block stays a paragraph. ``copies`` > 1 repeats the corpus with
varied agencies (a district suffix) and years (shifted), each copy with new ids: the
~1,000,000-paragraph corpus is ``copies=4``.
"""

from __future__ import annotations

import hashlib
import re
import tarfile
from pathlib import Path

from kb.core import corpus
from kb.core.model import Report

LEVELS = {"国务院": "国家", "省自治区": "省", "主要城市": "市", "其他地市": "市"}
VARIANTS = ["", "东区", "西区", "南区", "北区", "新区", "高新区", "经开区"]
BOLD_LINE = re.compile(r"^\*\*([^*]+)\*\*$")
MD_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*$")


def unpack(tarball: Path, dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    with tarfile.open(tarball) as tar:
        tar.extractall(dest, filter="data")
    return dest


def raw_files(raw_dir: Path) -> list[Path]:
    return sorted(raw_dir.rglob("*.md"))


def _front_matter(text: str) -> tuple[dict, str]:
    meta = {}
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end != -1:
            for line in text[4:end].splitlines():
                k, _, v = line.partition(":")
                meta[k.strip()] = v.strip().strip("'\"")
            text = text[end + 4:].lstrip("-")
    return meta, text


def body_of(text: str) -> str:
    out = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = [ln.strip() for ln in chunk.splitlines() if ln.strip()]
        if not lines:
            continue
        block = "".join(lines)
        m = BOLD_LINE.match(block) or MD_HEADING.match(block)
        if m and len(m.group(1)) <= 60:
            out.append("## " + m.group(1).strip())
        elif block.startswith(("#", "---", ">", "- ", "* ", "\\")):
            out.append("\\" + block)
        else:
            out.append(block)
    return "\n\n".join(out) + "\n"


def report_of(path: Path, raw_dir: Path, copy: int = 0) -> Report:
    rel = path.relative_to(raw_dir).parts
    kind = rel[0].removeprefix("政府工作报告-")
    unit = "国务院" if kind == "国务院" else rel[1]
    year = int(path.stem[:4]) - 1 + copy
    agency = unit + VARIANTS[copy % len(VARIANTS)]
    meta, text = _front_matter(path.read_text(encoding="utf-8"))
    rid = f"{year}-" + hashlib.sha1(f"{'/'.join(rel)}|{copy}".encode()).hexdigest()[:10]
    return Report(id=rid, title=meta.get("title") or f"{unit}{year + 1}年政府工作报告", agency=agency, year=year,
                  region=unit if kind != "国务院" else "", level=LEVELS.get(kind, "市"),
                  source=meta.get("source", ""), body=body_of(text))


def write_corpus(raw_dir: Path, corpus_dir: Path, copies: int = 1, limit: int = 0) -> int:
    """Write every raw report (the first ``limit``) ``copies`` times into ``corpus_dir``;
    returns the number written."""
    n = 0
    files = raw_files(raw_dir)[:limit] if limit else raw_files(raw_dir)
    for copy in range(copies):
        for path in files:
            corpus.write(corpus_dir, report_of(path, raw_dir, copy))
            n += 1
    return n

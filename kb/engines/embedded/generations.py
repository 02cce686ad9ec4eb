"""Generations: the layout of ``index/`` and the generation a search opens -- which one is
served, whether it is current and whole, and what it must have been built from (written by
:mod:`kb.build`, which sits above the engines and imports this; read by the embedded engine,
:mod:`kb.engines.embedded.engine`).

Layout of ``index/`` (derived data: deleting it loses nothing, ``kb build`` makes it
again)::

    index/CURRENT          name of the generation being served
    index/gen-<n>/         one complete index (the postings segments ``pst-*``,
                           the stored fields among them, and Whoosh's index of the
                           paragraphs' keys), never changed once served
    index/gen-<n>/figures.json    the figures and report cards of every report (kb.figures.table)
    index/gen-<n>/kb-index.json   schema version, corpus and dictionary checksums,
                           the postings segments, every file's size and sha256

Opening a generation checks that it was built by this version from this corpus (its
:func:`kb.engines.fingerprint.fingerprint`) and that its files are all there as recorded (sizes; ``kb check``
reads every byte against its sha256), so a stale or damaged index is named as such
before it is read (Whoosh's files too), with what to run.
"""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

from kb.core import files
from kb.core.errors import REBUILD, IndexMissing
from kb.engines.embedded.reader import Postings
from kb.engines.fingerprint import SCHEMA_VERSION, fingerprint

META = "kb-index.json"
CURRENT = "CURRENT"



def served(index_dir: Path) -> tuple[str, dict]:
    """(name, metadata) of the served generation, or ('', {}) if there is none usable."""
    try:
        gen = current_generation(index_dir)
        return gen, json.loads((index_dir / gen / META).read_text(encoding="utf-8"))
    except (IndexMissing, OSError, ValueError):
        return "", {}


def current_generation(index_dir: Path) -> str:
    """The name of the generation being served, or raise :class:`IndexMissing`."""
    try:
        gen = (Path(index_dir) / CURRENT).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise IndexMissing(f"索引不存在 (no index in {index_dir}); {REBUILD}") from None
    except (OSError, ValueError):  # a folder, garbage, unreadable
        raise IndexMissing(f"索引已损坏 (cannot read {Path(index_dir) / CURRENT}); {REBUILD}") from None
    if not re.fullmatch(r"gen-[\w.-]+", gen) or ".." in gen or not (Path(index_dir) / gen / META).is_file():
        raise IndexMissing(f"索引已损坏 (index {index_dir} is incomplete); {REBUILD}")
    return gen


def is_current(index_dir: Path, generation: str) -> bool:
    """True while no newer generation has replaced ``generation``."""
    try:
        return current_generation(index_dir) == generation
    except IndexMissing:
        return False


def stamp(index_dir: Path, generation: str) -> tuple | None:
    """What ``CURRENT`` and the generation's metadata file are on disk now (device, inode, size,
    modification time; None when either is gone): while it is the stamp taken when
    :func:`is_current` last said True, CURRENT has not been replaced (a build writes it anew
    under another inode) nor rewritten, and the generation is still there, so it is still
    current: two ``stat`` calls instead of reading and checking CURRENT on every search."""
    try:
        a, b = os.stat(os.path.join(index_dir, CURRENT)), os.stat(os.path.join(index_dir, generation, META))
    except (OSError, ValueError):
        return None
    return a.st_dev, a.st_ino, a.st_size, a.st_mtime_ns, b.st_ino, b.st_size, b.st_mtime_ns


def open_generation(index_dir: Path, corpus_dir: Path | None = None, verify: bool = False) -> tuple[str, dict]:
    """(name, metadata) of the served generation, checked: built by this version (and
    for ``corpus_dir``, if given), its files all there with their recorded sizes (with
    ``verify``, their sha256 too, and every report file read); else
    :class:`IndexMissing` saying what to run. Without ``verify`` it reads no index file
    but the metadata, and only the report files whose size or time changed since the
    build: a server opens in a fraction of a second at a million paragraphs."""
    index_dir = Path(index_dir)
    gen = current_generation(index_dir)
    gen_dir = index_dir / gen
    try:
        meta = json.loads((gen_dir / META).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise IndexMissing(f"索引已损坏 (cannot read {gen_dir / META}); {REBUILD}") from None
    recorded = meta if not verify and isinstance(meta.get("stats"), dict) else {}
    want = fingerprint(corpus_dir, recorded) if corpus_dir is not None else {"schema_version": SCHEMA_VERSION}
    for key, value in want.items():
        if meta.get(key) != value:
            what = {"schema_version": "索引格式已更新 (schema version changed)",
                    "corpus": "语料已更改 (the corpus changed since the index was built)",
                    "dictionary": "用户词典已更改 (the user dictionary changed)",
                    "taxonomy": "主题分类已更改 (the topic taxonomy changed)",
                    "regulations": "法规别名已更改 (the regulation names changed)",
                    "indicators": "指标表已更改 (the indicator list changed)",
                    "meaning": "语义模型已更改 (the model of meaning changed)"}[key]
            raise IndexMissing(f"索引已过期：{what}; {REBUILD}")
    try:  # sizes only, unless verify: every byte's checksum is checked by kb build and kb check
        damaged = files.first_damaged(gen_dir, meta.get("files", {}), verify=verify)
    except (AttributeError, TypeError, ValueError):  # a kb-index.json edited by hand
        damaged = gen_dir / META
    if damaged:  # checked before a search reads it: bad bytes fail in many ways (Whoosh's in any way)
        raise IndexMissing(f"索引已损坏 (index file {damaged} is missing or damaged); {REBUILD}")
    return gen, meta


def check(index_dir: Path, corpus_dir: Path | None = None) -> dict:
    """``kb check``: the served generation checked as opening it checks (built by this
    version, for ``corpus_dir`` if given, every report file read), then every byte of
    every index file against the sha256 its build recorded, and its postings opened.
    Returns the generation, its paragraphs, files, bytes and the seconds it took; raises
    :class:`IndexMissing` naming what is stale or the first damaged file."""
    started = time.perf_counter()
    gen, meta = open_generation(index_dir, corpus_dir, verify=True)
    try:
        Postings(Path(index_dir) / gen, meta.get("postings", []), meta.get("checksums", {}))
    except (OSError, ValueError, KeyError, EOFError) as e:
        raise IndexMissing(f"索引已损坏 (the postings cannot be read: {type(e).__name__}); {REBUILD}") from None
    recorded = meta.get("files") or {}
    return {"generation": gen, "paragraphs": meta.get("paragraphs", 0), "files": len(recorded),
            "bytes": sum(size for size, _ in recorded.values()), "seconds": time.perf_counter() - started}

"""The real reports beside the project (``../shared/data/gov-work-reports.tar.xz``), read as
the pipeline reads them: the evaluations on labelled real paragraphs (``tools.evaluate``,
``tools.figeval``) name a paragraph by its file inside the tarball.
"""

from __future__ import annotations

import hashlib
import re
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from kb.core import corpus
from kb.core.errors import KbError
from kb.core.model import Paragraph, Report
from kb.enrich import paragraphs as enrich_paragraphs
from kb.ingest import importer
from kb.ingest.repair import repair


def open_archive(tarball: Path) -> tarfile.TarFile:
    """The tarball opened for reading; Error (run with --real PATH) when it cannot be."""
    try:
        return tarfile.open(tarball, mode="r:*")
    except (OSError, tarfile.TarError) as e:
        raise KbError(f"无法打开语料包 {tarball} ({e}); give --real PATH") from None


def read(tarball: Path, files: set[str], as_imported: bool = False) -> Iterator[tuple[str, str, list[Paragraph]]]:
    """(file, body, paragraphs) of each of ``files`` found in the tarball, in its order: the
    body without its front matter, the paragraphs as the pipeline makes them (repair, segment),
    with the title and the year ``kb import`` decides: the parts depend on the year (its next
    year is the plan's). The text is repaired as plain text, not as Markdown as ``kb import``
    does, so that the paragraphs' names in the labelled sets stay stable: in 279 of the 670
    files they name, ``kb import`` splits a bold heading off its paragraph. ``as_imported``: the
    paragraphs exactly as ``kb import`` makes them (its Markdown repair, its headings), which
    the labels' names may not match: :func:`names` maps them."""
    with open_archive(tarball) as archive, tempfile.TemporaryDirectory(prefix="kb-real-") as tmp:
        for member in archive:
            name = member.name.removeprefix("./")
            if name not in files:
                continue
            data = archive.extractfile(member).read()
            raw = data.decode("utf-8")
            body = raw[raw.find("\n---", 4) + 4:] if raw.startswith("---") else raw
            path = Path(tmp) / "in" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            decided = importer.import_file(path, Path(tmp) / "corpus", dry_run=True).report
            report = replace(decided, id="x") if as_imported else Report(
                id="x", title=decided.title, agency=decided.agency, year=decided.year,
                body=corpus.blocks_to_markdown(repair(body).blocks))
            yield name, body, enrich_paragraphs.split_report(report)


def text_hash(text: str, length: int = 16) -> str:
    """A real paragraph's name in the labels and judgments (with its file): the hash of its
    text, whitespace and Markdown emphasis removed (stable while the paragraph's words are);
    the figure labels keep its first 12 hex digits, the judgments 16."""
    return hashlib.sha256(re.sub(r"[\s*]+", "", text).encode("utf-8")).hexdigest()[:length]


def _bare(text: str) -> str:
    return re.sub(r"[\s*#]+", "", text)


def names(labelled: list[Paragraph], imported: list[Paragraph]) -> dict[str, str]:
    """For each paragraph ``kb import`` makes (``read(..., as_imported=True)``), the name
    (:func:`text_hash`) of the labelled paragraph (``read(...)``) it is, or is a part of (a
    bold heading split off its paragraph is a part of it); a paragraph that is in none
    (a heading the plain reading kept as a heading) has no name."""
    bare = [(_bare(p.text), text_hash(p.text)) for p in labelled]
    exact = {b: h for b, h in bare}
    out: dict[str, str] = {}
    for p in imported:
        b = _bare(p.text)
        name = exact.get(b) or next((h for whole, h in bare if b and b in whole), None)
        if name:
            out[p.id] = name
    return out

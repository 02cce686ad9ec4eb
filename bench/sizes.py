"""The bytes of an index generation by kind: each postings array (the stored fields' ``s_*``
among them), Whoosh's files (the paragraphs' keys; before schema 20 their stored fields too),
the model of meaning, the figures (docs/BENCHMARKS.md, issue 30's breakdown).

    .venv/bin/python bench/sizes.py INDEX/gen-<n> [TANTIVY_DIR]

prints a Markdown table (MB and share of the whole, largest first) and, given the folder
of a Tantivy index of the same paragraphs, the ratio of the totals.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path


def kind(name: str) -> str:
    """The kind of a generation's file: ``postings: <array>`` (facet columns and
    vocabularies grouped), ``Whoosh <part>``, or ``other: <name>``."""
    m = re.match(r"pst-[0-9]+-[0-9]+\.(.+)\.npy$", name)
    if m:
        k = re.sub(r"^f_.*", "facet columns (f_*)", m.group(1))
        k = re.sub(r"^(units|words|heads|phrase)_(blob|ends|prefix)$", r"vocabulary \1 (blob, ends, prefix)", k)
        return f"postings: {k}"
    if name.startswith(("MAIN_", "_MAIN")):
        return "Whoosh " + (name.split(".", 1)[1] if "." in name else name)
    return "other: " + re.sub(r"pst-[0-9]+-[0-9]+", "pst-*", name)


def sizes(gen: Path) -> Counter:
    """Bytes of each kind of file in the generation folder ``gen``."""
    out: Counter = Counter()
    for f in gen.iterdir():
        if f.is_file():
            out[kind(f.name)] += f.stat().st_size
    return out


def main(argv: list[str]) -> int:
    if not argv or not Path(argv[0]).is_dir():
        print("Error: give a generation folder (INDEX/gen-<n>), then optionally a Tantivy index folder",
              file=sys.stderr)
        return 2
    by_kind = sizes(Path(argv[0]))
    total = sum(by_kind.values())
    print("| part | MB | share |\n| --- | ---: | ---: |")
    for k, v in by_kind.most_common():
        print(f"| {k} | {v / 2**20:.1f} | {100 * v / total:.1f}% |")
    print(f"| **total** | **{total / 2**20:.1f}** | |")
    if len(argv) > 1:
        peer = sum(f.stat().st_size for f in Path(argv[1]).rglob("*") if f.is_file())
        print(f"\nTantivy {peer / 2**20:.1f} MB: ours / Tantivy {total / peer:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

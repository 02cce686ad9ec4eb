"""Concept mining beside the product: ``python -m tools.conceptmine suggest`` is ``kb concepts
suggest`` over a corpus folder without an index (the shipped model of meaning, not grown with
the corpus); the work is :mod:`kb.enrich.conceptmine`'s (re-exported here).

    python -m tools.conceptmine suggest [--corpus DIR] [--for TERM ...] [--learned] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys

from kb.cli.parsers import suggest_options
from kb.core.errors import KbError
from kb.enrich.conceptmine import (  # noqa: F401 (re-exported: the tool's functions, as before)
    Suggestion,
    Variant,
    abbreviations,
    by_meaning,
    glossary,
    grown,
    paragraphs,
    quoted,
    suggest,
    variants,
)
from tools import shell

EPILOG = """\
examples:
  python -m tools.conceptmine suggest --corpus corpus       # glossary terms and quoted names, most frequent first
  python -m tools.conceptmine suggest --corpus corpus --for 老旧小区改造 --for 河长制
  python -m tools.conceptmine suggest --corpus corpus --for 稳就业 --json
Review what it prints (林长制 is not 河长制) and paste the entries you keep into your concepts
file, or accept them with kb concepts accept (no rebuild needed: concepts are read at query time)."""


def as_json(found: list[Suggestion]) -> str:
    return json.dumps([s.__dict__ | {"variants": [v.__dict__ for v in s.variants]} for s in found],
                      ensure_ascii=False, indent=1)


def cmd_suggest(args) -> int:
    """python -m tools.conceptmine suggest: the proposed entries, as TOML to review (or JSON)."""
    corpus_dir = shell.settings(args).corpus_dir
    if not corpus_dir.is_dir():
        raise KbError(f"没有这个语料文件夹 {corpus_dir} (no such folder); give --corpus DIR")
    found = suggest(corpus_dir, args.term or [], top=args.top, min_count=args.min, learned=args.learned)
    print(as_json(found) if args.json else "\n\n".join(shell.safe(s.toml()) for s in found))
    return 0


def parser() -> argparse.ArgumentParser:
    """python -m tools.conceptmine suggest: its options."""
    p = shell.parser("python -m tools.conceptmine",
                     "Grow the concepts dictionary: concepts (kb/data/concepts.toml) say what else a measure is "
                     "called or consists of; a search for it also finds those, as related matches.", EPILOG)
    sub = p.add_subparsers(dest="command", required=True, metavar="SUBCOMMAND")
    sg = sub.add_parser("suggest", parents=[shell.common()], help="propose entries from a corpus",
                        description="Read a corpus folder and propose concepts.toml entries for a person to "
                                    "review: terms that glossary notes define (with the parts they list) and "
                                    "names the reports quote before 改革/工作/行动…; with --for, how the "
                                    "reports also write that term (other word orders, characters inserted or "
                                    "substituted), the headings that hold its words, its neighbours in the "
                                    "model of meaning and its abbreviations.",
                        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    suggest_options(sg)  # (kb concepts suggest's)
    sg.set_defaults(func=cmd_suggest)
    return p


def main(argv: list[str] | None = None) -> int:
    return shell.run(parser(), argv)


if __name__ == "__main__":
    sys.exit(main())

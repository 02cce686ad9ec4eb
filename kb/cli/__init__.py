"""The ``kb`` command: import, build, check, search and serve the knowledge base.

The shell around the library (:class:`kb.KnowledgeBase`, reached through the names :mod:`kb`
exports alone), in three parts:
:mod:`kb.cli.parsers` (the options, help and examples of every command),
:mod:`kb.cli.commands` (what each command does and prints) and :mod:`kb.cli.terminal`
(progress bars and text made safe to print). :func:`main` is the ``kb`` console script;
:func:`run` turns a :class:`kb.KbError` into ``Error: …`` and exit code 1, or 3 for a report
or paragraph not found while a read came back short (it may be on the shard that did not
answer: the error says so); the tools beside the product, ``python -m tools.…``, run their
commands through it too. A
command whose reads came back short (a cluster shard did not answer) ends with a warning on
standard error and exit status 3.
"""

from __future__ import annotations

import argparse
import os
import sys

from kb import KbError, begin_read, read_short, short_parts, short_reason, short_what, unsure_if_short
from kb.cli.parsers import common_options, parser

__all__ = ["common_options", "main", "parser", "run"]


def main(argv: list[str] | None = None) -> int:
    """The ``kb`` console script: run the command ``argv`` (else the process's arguments) names."""
    return run(parser(), argv)


SHORT_EXIT = 3  # the command ran, but what it read may be short


def _said_short(code: int) -> int:
    """A command's exit code, after a warning if its reads came back short."""
    if not read_short():
        return code
    print(f"警告：部分检索分片没有应答，以上的{short_what()}不完整，其中的数目可能偏低 (partial: {', '.join(short_parts())}: "
          f"{short_reason()})", file=sys.stderr)
    return code or SHORT_EXIT


def run(p: argparse.ArgumentParser, argv: list[str] | None = None) -> int:
    """Parse ``argv`` with ``p`` and run the command it names (``func``): a KbError or an
    OSError becomes ``Error: …`` and exit code 1 (the tools/ scripts run the same way)."""
    args = p.parse_args(argv)
    begin_read()
    try:
        return _said_short(args.func(args))
    except KbError as e:  # not found while a shard did not answer: said so, exit 3
        said = unsure_if_short(e)
        print(f"Error: {said}", file=sys.stderr)
        return 1 if said is e else SHORT_EXIT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader (| head) went away: stop quietly (Python docs, "Note on SIGPIPE")
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except OSError as e:  # a folder that cannot be read or written, a full disk …
        print(f"Error: {e}", file=sys.stderr)
        return 1

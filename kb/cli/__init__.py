"""The ``kb`` command: import, build, check, search and serve the knowledge base.

The shell around the library (:class:`kb.KnowledgeBase`, reached through the names :mod:`kb`
exports alone), in three parts:
:mod:`kb.cli.parsers` (the options, help and examples of every command),
:mod:`kb.cli.commands` (what each command does and prints) and :mod:`kb.cli.terminal`
(progress bars and text made safe to print). :func:`main` is the ``kb`` console script;
:func:`run` turns a :class:`kb.KbError` into ``Error: …`` and exit code 1 (the
tools beside the product, ``python -m tools.…``, run their commands through it too).
"""

from __future__ import annotations

import argparse
import os
import sys

from kb import KbError
from kb.cli.parsers import common_options, parser

__all__ = ["common_options", "main", "parser", "run"]


def main(argv: list[str] | None = None) -> int:
    """The ``kb`` console script: run the command ``argv`` (else the process's arguments) names."""
    return run(parser(), argv)


def run(p: argparse.ArgumentParser, argv: list[str] | None = None) -> int:
    """Parse ``argv`` with ``p`` and run the command it names (``func``): a KbError or an
    OSError becomes ``Error: …`` and exit code 1 (the tools/ scripts run the same way)."""
    args = p.parse_args(argv)
    try:
        return args.func(args)
    except KbError as e:
        print(f"Error: {e}", file=sys.stderr)
        return 1
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

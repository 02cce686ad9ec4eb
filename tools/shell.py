"""What the tools' command lines share with ``kb``: the common options (--corpus, --index,
--quiet, --backend), the settings they name, the check of the real-report tarball
(``../shared``), text made safe to print, and running a command so that a KbError becomes
``Error: …`` and exit 1.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kb import cli
from kb.cli.terminal import safe
from kb.core.errors import KbError
from kb.core.settings import Settings

__all__ = ["REAL", "common", "parser", "run", "safe", "settings", "tarball"]

#: the real reports beside the project (``--real``): run the tools from the project root
REAL = "../shared/data/gov-work-reports.tar.xz"


def parser(prog: str, description: str, epilog: str, parents=()) -> argparse.ArgumentParser:
    """A tool's parser, its help and examples printed as written."""
    return argparse.ArgumentParser(prog=prog, description=description, epilog=epilog, parents=list(parents),
                                   formatter_class=argparse.RawDescriptionHelpFormatter)


def common() -> argparse.ArgumentParser:
    """kb's options of every command (--corpus, --index, --quiet, --backend), as a parent parser."""
    return cli.common_options()


def settings(args) -> Settings:
    """The settings the common options name (else the environment's, else the defaults), as kb reads them."""
    return Settings.from_env(corpus_dir=args.corpus, index_dir=args.index, backend=args.backend)


def tarball(real: str | None) -> Path | None:
    """The real-report tarball given as --real (None for ''); Error when it is not there."""
    path = Path(real) if real else None
    if path is not None and not path.is_file():
        raise KbError(f"没有找到真实语料包 {path} (no such file); give --real PATH or --real ''")
    return path


def run(p: argparse.ArgumentParser, argv: list[str] | None = None) -> int:
    """Run the command ``argv`` names, errors as ``kb`` reports them (``Error: …``, exit 1)."""
    return cli.run(p, argv)

"""Where the tests find things: the project, its committed corpus, tests/data, and ../shared.

What lies in ``../shared`` (the seeds, the real work reports) is beside the project, not in
it: :func:`shared` skips a test that needs it on a workstation without it, with a message,
and fails it in CI (``CI`` set), where it must be there.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
CORPUS = ROOT / "corpus"
DATA = ROOT / "tests" / "data"
ARTIFACTS = ROOT / "tests" / "artifacts"
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
TARBALL = SHARED / "data" / "gov-work-reports.tar.xz"


def shared(path: Path) -> Path:
    """``path`` (under ../shared) if it is there; else skip the test, or fail it in CI."""
    if not path.exists():
        message = f"needs {path} (../shared beside the project)"
        if os.environ.get("CI"):
            pytest.fail(f"CI {message}")
        pytest.skip(message)
    return path

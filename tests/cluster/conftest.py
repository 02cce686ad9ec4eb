"""The cluster tests' embedded knowledge base: the seeds' index without the meaning tier
(tests/support/embedded.py says why)."""

from __future__ import annotations

import pytest

from tests.support.embedded import without_meaning


@pytest.fixture(scope="session")
def kb(corpus_dir, index_dir):
    return without_meaning(corpus_dir, index_dir)

"""The cluster tests' shared fixtures: the seeds on a small cluster of their own (the embedded
knowledge base they are compared with is tests/conftest.py's ``kb``, the default one, its
meaning tier included: the cluster computes it too)."""

from __future__ import annotations

import pytest

from kb.engines.sphinx import cluster, push


@pytest.fixture
def two_shards(tmp_path, corpus_dir):
    """The seeds pushed to a new cluster of two shards with a timeout of 0.5 s: (folder, URL);
    stopped after the test."""
    d = tmp_path / "cluster"
    url = cluster.start(d, shards=2, timeout=0.5)
    try:
        push.push(url, corpus_dir)
        yield d, url
    finally:
        cluster.stop(d)

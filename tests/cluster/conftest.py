"""The cluster tests' shared fixtures: the embedded knowledge base of the seeds as the cluster
is compared with it (default settings, every tier on, the meaning tiers too), and the
seeds on a small cluster of their own."""

from __future__ import annotations

import pytest

from kb.core import shortfall
from kb.engines.sphinx import cluster, push
from kb.knowledgebase import KnowledgeBase


@pytest.fixture(autouse=True)
def outside_any_read():
    """Each test starts outside any read's scope, as a process does (:mod:`kb.core.shortfall`): a
    scope a test opens with ``shortfall.begin()`` (its shards found short among it) ends with it."""
    shortfall.end()
    yield
    shortfall.end()


@pytest.fixture
def kb(corpus_dir, index_dir):
    return KnowledgeBase(corpus_dir, index_dir)


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

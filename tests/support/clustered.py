"""The knowledge base of a corpus searched on a cluster, as tests/cluster compare it with the
embedded engine's: both with the default settings, every tier on (the meaning tiers too: the
cluster computes them with the same code, :mod:`kb.engines.meaningtiers`, docs/CLUSTER.md)."""

from __future__ import annotations

from pathlib import Path

from kb import KnowledgeBase
from kb.engines.sphinx import engine as sphinx_engine


def on_cluster(corpus_dir: Path, url: str) -> KnowledgeBase:
    """The knowledge base of ``corpus_dir`` searched on the cluster at ``url``."""
    return KnowledgeBase(corpus_dir, None, open_engine=sphinx_engine.opener(url))

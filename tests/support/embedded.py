"""The embedded engine as the cluster tests compare it: without the meaning tiers (issue 27: a
term's words near in meaning, and the meaning of the whole query),
which the Sphinx cluster does not compute yet (docs/CLUSTER.md), so the totals, facets and
orders compared are those both engines compute."""

from __future__ import annotations

from pathlib import Path

from kb import KnowledgeBase, Settings
from kb.core.settings import Ranking


def without_meaning(corpus_dir: Path, index_dir: Path) -> KnowledgeBase:
    """The embedded knowledge base of ``corpus_dir`` / ``index_dir``, its meaning tiers off."""
    return KnowledgeBase(corpus_dir, index_dir, settings=Settings(ranking=Ranking(meaning_below=0, whole=0)))

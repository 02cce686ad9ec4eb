"""What the cluster tests compare: both engines with the meaning tiers off (issue 27's words
near in meaning, their answers to a problem, and the meaning of the whole query).

The cluster computes the first version of the term's meaning tier (kb/engines/sphinx/meaning.py)
with the shipped model; the embedded engine has since grown its model with the corpus, added the
answers to a problem (应对的措施), a common word's partner alone, and the whole query's meaning.
Until the cluster carries those (issue 28, docs/CLUSTER.md "What is left"), the totals, facets
and orders compared are those both engines compute alike."""

from __future__ import annotations

from pathlib import Path

from kb import KnowledgeBase, Settings
from kb.core.settings import Ranking
from kb.engines.sphinx import engine as sphinx_engine

#: the settings of both sides of a comparison
ALIKE = Settings(ranking=Ranking(meaning_below=0, whole=0))


def without_meaning(corpus_dir: Path, index_dir: Path) -> KnowledgeBase:
    """The embedded knowledge base of ``corpus_dir`` / ``index_dir``, its meaning tiers off."""
    return KnowledgeBase(corpus_dir, index_dir, settings=ALIKE)


def cluster_without_meaning(corpus_dir: Path, url: str) -> KnowledgeBase:
    """The knowledge base of ``corpus_dir`` searched on the cluster at ``url``, its meaning tier off."""
    return KnowledgeBase(corpus_dir, None, settings=ALIKE, open_engine=sphinx_engine.opener(url))

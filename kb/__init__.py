"""报告知识库: a search knowledge base over Chinese government reports, paragraph by paragraph.

The public API, what the web and the command line use (everything else is the pipeline behind it):

- :class:`KnowledgeBase` (kb.knowledgebase): the one facade: search, compare, similar, export,
  listings, a report, regulations, figures;
- :class:`Settings` (kb.core.settings): where the knowledge base lives and how it behaves;
- :class:`SearchRequest` (kb.search.request): a search, checked at the door;
- :class:`KbError` and its kinds (kb.core.errors): the one error family.

The pipeline, one subpackage a step (docs/ARCHITECTURE.md)::

    kb.ingest   raw file -> repaired text -> metadata -> corpus report (kb.core.corpus)
    kb.enrich   report -> paragraphs, section kinds, topics, regulations, concepts, report card
    kb.figures  the figures the paragraphs state
    kb.build    every paragraph, written through an engine's writer into a generation
    kb.engines  the engine protocol; embedded (numpy postings + Whoosh store) and sphinx
    kb.search   request -> answer: hits, facets, suggestions, compare, similar, export

Names are imported lazily: ``import kb.core.errors`` does not load the search stack.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "KnowledgeBase": "kb.knowledgebase",
    "Settings": "kb.core.settings",
    "Limits": "kb.core.settings",
    "SearchRequest": "kb.search.request",
    "KbError": "kb.core.errors",
    "BadRequest": "kb.core.errors",
    "NotFound": "kb.core.errors",
    "IndexMissing": "kb.core.errors",
    "IndexDamaged": "kb.core.errors",
    "Unavailable": "kb.core.errors",
    "Busy": "kb.core.errors",
    "ImportFailed": "kb.core.errors",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'kb' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))

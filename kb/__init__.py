"""报告知识库: a search knowledge base over Chinese government reports, paragraph by paragraph.

The public API, what the web and the command line use (everything else is the pipeline behind it):

- :class:`KnowledgeBase` (kb.knowledgebase): the one facade: search, compare, similar, export,
  listings, a report, regulations, figures;
- :class:`Settings` (kb.core.settings): where the knowledge base lives and how it behaves;
- :class:`SearchRequest` (kb.search.request): a search, checked at the door;
- :class:`KbError` and its kinds (kb.core.errors): the one error family;
- :class:`Imported` (kb.ingest.importer): what :meth:`KnowledgeBase.import_files` did with one file;
- what a caller shows beside the answers: :data:`FACETS` (the search's facets, with their
  labels), :data:`SORTS` (a search's orders), :data:`SECTION_KINDS`, :data:`REPORT_PARTS` (a
  report card's required parts), :data:`PLAN_CSV_COLUMNS` and :func:`plan_csv_rows` (a plan's
  items as CSV rows), :func:`parse_int` (a number of a request, checked), :func:`compare_by_year`
  (a comparison's ``by``, checked),
  :func:`folded` (text as a find box compares it), :func:`year_said` and :data:`YEAR_LABEL`
  (a report's year said for what it is: 报告年度 2025), :func:`citation` (a paragraph's
  citation), :func:`place_today` (where a unit of a past year is today: 山东省莱芜市 -> 山东省济南市);
- whether a read came back short (a cluster shard did not answer; kb.core.shortfall):
  :func:`begin_read` opens a request's or a command's scope, :func:`read_short` and
  :func:`short_reason` tell, :func:`short_parts` and :func:`short_what` which of its reads;
- the Sphinx engine's cluster on this machine (development, tests, trying the ``sphinx://``
  backend out; ``kb cluster``): :func:`start_cluster`, :func:`stop_cluster` (kb.engines.sphinx.cluster),
  :func:`cluster_status`, :func:`restart_shard`, :func:`add_mirror` (kb.engines.sphinx.operate)
  and :func:`cluster_schema` (the CREATE TABLE statements for Manticore, kb.engines.sphinx.schema).

The pipeline, one subpackage a step (docs/ARCHITECTURE.md)::

    kb.ingest   raw file -> repaired text -> metadata -> corpus report (kb.core.corpus)
    kb.enrich   report -> paragraphs, section kinds, topics, regulations, concepts, report card
    kb.figures  the figures the paragraphs state
    kb.build    every paragraph, written through an engine's writer into a generation
    kb.engines  the engine protocol; embedded (numpy postings with the stored fields, Whoosh for the keys) and sphinx
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
    "Imported": "kb.ingest.importer",
    "parse_int": "kb.search.request",
    "compare_by_year": "kb.search.compare:layout_by_year",
    "FACETS": "kb.search.facets",
    "SORTS": "kb.engines.protocol",
    "SECTION_KINDS": "kb.core.model",
    "SECTION_KIND_NOTES": "kb.core.model",
    "REPORT_PARTS": "kb.enrich.reportcard:PARTS",
    "folded": "kb.text.textnorm",
    "name_key": "kb.text.collation",
    "begin_read": "kb.core.shortfall:begin",
    "read_short": "kb.core.shortfall:short",
    "short_reason": "kb.core.shortfall:reason",
    "short_parts": "kb.core.shortfall:parts",
    "short_what": "kb.core.shortfall:what",
    "unsure_if_short": "kb.core.shortfall:unsure",
    "PLAN_CSV_COLUMNS": "kb.search.plan_pages:CSV_COLUMNS",
    "plan_csv_rows": "kb.search.plan_pages:csv_rows",
    "citation": "kb.search.hits",
    "year_said": "kb.search.hits",
    "unsure_said": "kb.search.hits",
    "guessed": "kb.search.hits",
    "UNSURE_COLUMN": "kb.search.hits",
    "YEAR_LABEL": "kb.search.hits",
    "place_today": "kb.ingest.gazetteer:today",
    "region_shown": "kb.ingest.metadata.place",
    "start_cluster": "kb.engines.sphinx.cluster:start",
    "stop_cluster": "kb.engines.sphinx.cluster:stop",
    "cluster_schema": "kb.engines.sphinx.schema:manticore_sql",
    "cluster_status": "kb.engines.sphinx.operate:status",
    "restart_shard": "kb.engines.sphinx.operate:restart",
    "add_mirror": "kb.engines.sphinx.operate:add_mirror",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    where = _EXPORTS.get(name)
    if where is None:
        raise AttributeError(f"module 'kb' has no attribute {name!r}")
    module, _, attr = where.partition(":")  # "module:attr": exported under another name
    value = getattr(importlib.import_module(module), attr or name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))

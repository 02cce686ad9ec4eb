"""Engine: the one interface between the search layer and an index.

The search layer (:mod:`kb.search.answer`, :mod:`kb.search.compare`, :mod:`kb.search.similar`,
:mod:`kb.search.listings`, :mod:`kb.search.regulations`, :mod:`kb.search.export`) holds the query language, the
tiers (exact, then the words apart), facet shaping, highlighting and hits; it talks to
an index only through :class:`Engine`, at the level of a query tree and paragraph ids,
never arrays or document numbers. Two engines stand behind it:

- :class:`kb.engines.embedded.engine.EmbeddedEngine`: the numpy postings (:mod:`kb.engines.embedded.reader`), with the
  paragraphs' stored fields (:mod:`kb.engines.embedded.stored`), and the Whoosh index of their keys
  (:mod:`kb.engines.embedded.store`) of one generation of ``index/``, in-process;
- a SphinxQL engine (Sphinx 2.2.11 ``searchd`` / Manticore), where each method is one or
  a few SphinxQL statements: a selection is a ``MATCH()`` expression with attribute
  ``WHERE`` clauses, :meth:`Engine.total` is ``SHOW META``'s ``total_found``,
  :meth:`Engine.facet_counts` ``FACET attr`` (one query per filtered facet, without
  its own filter), :meth:`Engine.top` ``ORDER BY WEIGHT() DESC, id ASC LIMIT``,
  :meth:`Engine.best_per` ``GROUP BY attr WITHIN GROUP ORDER BY WEIGHT() DESC``,
  :meth:`Engine.fetch` stored attributes by id; a shard down makes ``partial`` true.

A method of an engine raises :class:`~kb.core.errors.IndexDamaged` when the index cannot be
read (its own library's errors translated inside the engine), :class:`~kb.core.errors.IndexMissing`
when there is none, and :class:`~kb.core.errors.KbError` for what it cannot do (a method an
engine lacks says so in its message).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

#: Orders of :meth:`Engine.top`: by score (ties in index order), by year (newest first,
#: then score), by year oldest first, and -- browsing without a query -- reading order
#: (year newest first, agency, report, paragraph).
SORTS = ("relevance", "year", "year_asc")
#: The tiers: an exact match's score is at least this, a related match's below it, so
#: that every exact match ranks above every related one (issue 14).
TIER = 1e6
BROWSE = "browse"
BROWSE_ASC = "browse_asc"  # browsing, oldest year first


class Selection(Protocol):
    """What a query tree and facet filters select, in one engine and generation.
    Opaque to the search layer but for these attributes."""

    total: int  # paragraphs selected (exactly counted: exact and related matches)
    exact_total: int  # of them, the exact matches (the rest are related matches)
    matched: int  # paragraphs the query matches before the facet filters
    partial: bool  # some of the index did not answer (a cluster shard down): counts are low


@dataclass(frozen=True)
class Group:
    """The best paragraph of one value of a facet (:meth:`Engine.best_per`)."""

    value: str
    count: int  # selected paragraphs with this value
    id: str  # the best one's paragraph id
    score: float


@runtime_checkable
class RankedCounts(Protocol):
    """A facet's counts that an engine keeps as arrays (a Mapping of value to count)
    and can list in count order without making every value a Python object: the
    search layer asks for the slice an answer shows."""

    def by_count(self, skip: set[str]) -> Sequence[tuple[str, int]]:
        """(value, count) of every value but those of ``skip`` and the empty one, most
        paragraphs first, then by value; made only for the items or slices asked for."""


class Engine(Protocol):
    """One opened index generation, shared by every thread (its methods are thread-safe)."""

    generation: str  # names what is served: a key for caches
    meta: dict  # what the index records of itself: counts, ``checksums`` of the reports
    cache: dict  # derived data of this generation (see :mod:`kb.core.cache`)

    def is_current(self) -> bool:
        """False once a build has replaced this generation (the caller opens the new one)."""

    def settled(self) -> bool:
        """After a read: False if a check begun by :meth:`is_current` found this generation
        replaced meanwhile (the read may be from before the change: read again on the new one)."""

    def close(self) -> None:
        """Release files and connections."""

    def select(self, tree, filters: dict[str, list[str]], loose: bool = False, related: bool = True) -> Selection:
        """The paragraphs a query tree (:mod:`kb.engines.query`: Term, And, Or, Not; None for
        every paragraph) selects within ``filters`` (facet or key name -> values: values
        of one facet OR, facets AND; an unknown value matches nothing), each with its score.

        Two tiers: a Term matches **exactly** where its unit keys (``Term.keys``) stand
        together (exactly, one break between runs); its jieba words and headings add to
        the score; an exact match's score is at least :data:`TIER`. With ``related``
        (never for a quoted Term) it also matches, below every exact match: its
        expansions (``Term.expansions``, every part of one), its words
        (``Term.near_words``) near each other in any order, its words in the headings
        above; with ``loose``, its words anywhere (``Term.loose_words``). And: exact where
        every part is exact; related where every part matches, a common part (in a large
        share of paragraphs) only adding to the score. Or: exact where any part is. Not
        excludes literally, from both tiers. Notes that explain terms and very short
        paragraphs rank lower within their tier."""

    # An engine that reads in round trips (the sphinx engine) may also have
    # ``expect(sel, facets, sort, stop)``: what the caller will ask of a selection next (the
    # facets of ``facet_counts``, the first ``stop`` places in order ``sort``), read with its
    # totals in one trip. The search layer tells it when the engine has it.

    def facet_counts(self, sel: Selection, filters: dict[str, list[str]],
                     names: tuple[str, ...]) -> dict[str, Mapping[str, int]]:
        """Disjunctive counts: for each facet of ``names``, how many selected paragraphs
        have each value, counted within every filter *but its own* (``filters`` are those
        ``sel`` was made with). Values with no paragraph may be left out; every value is
        given (the search layer sorts, labels, limits and keeps chosen values). A facet's
        counts may be :class:`RankedCounts` (listed in count order on demand)."""

    def group_counts(self, sel: Selection, name: str, distinct: str | None = None) -> dict[str, int]:
        """For each value of facet or key ``name``: how many selected paragraphs have it
        (with ``distinct``: how many different values of that field they have)."""

    def top(self, sel: Selection, sort: str, start: int, stop: int) -> list[tuple[str, float]]:
        """(paragraph id, score) of places ``start``..``stop``-1 in order ``sort``
        (:data:`SORTS`, :data:`BROWSE` or :data:`BROWSE_ASC`)."""

    def best_per(self, sel: Selection, name: str) -> list[Group]:
        """The best selected paragraph of each value of facet ``name`` (ties: index
        order), values in the order of their best score."""

    def best_per_each(self, sels: Sequence[Selection], name: str) -> list[list[Group]]:
        """:meth:`best_per` of each of ``sels`` (a comparison by year: one selection a year), read
        together (on a cluster one round trip, where one each would wait for a slow shard as often)."""

    def explain(self, tree, ids: list[str], loose: bool = False) -> dict[str, dict]:
        """Why each of ``ids`` matches ``tree`` and scores what it does: ``{"match":
        "exact"|"related", "score", "terms": [{"term", "parts": {what: score}}], …}``.
        An engine that cannot say returns {}."""

    def fetch(self, ids: list[str]) -> list[dict | None]:
        """The stored document (:func:`kb.engines.fields.document`'s fields) of each paragraph
        id, None for an id this generation does not hold."""

    def similar(self, paragraph: dict, name: str, limit: int) -> tuple[list[tuple[str, float]],
                                                                         list[tuple[str, float]]]:
        """(keywords, hits): a stored paragraph's most distinctive words with their
        weights, and the paragraphs of *other* values of facet ``name`` most like it
        (BM25 over those words), the best one per value, best first, at most ``limit``:
        (paragraph id, score)."""

    def spellings(self, terms: list[str], limit: int = 3) -> list[dict]:
        """For each of ``terms`` that matches nothing, near spellings this index has
        (one character replaced, dropped, or two swapped), most paragraphs first:
        ``[{"term", "instead", "paragraphs"}]`` (the variants and their order: :mod:`kb.engines.respell`)."""

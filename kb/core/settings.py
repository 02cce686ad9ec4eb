"""Settings: the one object that says where the knowledge base lives and how it behaves.

Folders (corpus, index), the limits every request is held to, the cache sizes, the
ranking weights and the number of build processes are read here once and passed
explicitly: the command line makes one from its options (:meth:`Settings.from_env`
gives the defaults, ``$KB_CORPUS``, ``$KB_INDEX``, ``$KB_CONCEPTS`` and ``$KB_BUILD_PROCS`` included),
the web app from its config, tests from a temporary folder. No other module reads the
environment.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from kb.core.errors import BadRequest


@dataclass(frozen=True)
class Ranking:
    """How a hit is scored (see :mod:`kb.engines.embedded.engine` and docs/SEARCH_QUALITY.md)."""

    k1: float = 1.2  # BM25, as Whoosh's BM25F
    b: float = 0.75
    word: float = 2.0  # a paragraph with the term's jieba words ranks first
    heading: float = 1.5  # or with them in its headings
    whole_word: float = 3.0  # or with the whole term as one word
    expansion: float = 0.4  # a paragraph found through a concept ranks below a direct match
    loose: float = 0.3  # and one with the term's words apart lower still
    # related matches (issue 14): always given, always below every exact match
    related: float = 1.0  # a related paragraph's words and headings, as they lift an exact match
    near_window: int = 16  # the words of a measure within this many characters, in any order
    meaning: float = 0.25  # a paragraph close in meaning (issue 27): its near words' BM25 times their similarity
    meaning_window: int = 12  # a word of each slot within this many characters of the first
    meaning_partial: float = 0.5  # all of a term's words but one, or words near them, rank this much lower
    meaning_remedy: float = 0.3  # a problem's other words beside a word of remedy (加强 · 基层 · 治理 for 基层治理薄弱)
    meaning_below: int = 1000  # looked for only when a term has fewer exact matches (they come first anyway)
    whole: float = 0.5  # a paragraph close in meaning to the whole query: this times the lowest other score, times the cosine
    whole_below: int = 200  # looked for only when the other tiers find fewer paragraphs (kb.engines.embedded.whole)
    whole_fill: int = 20  # … and while the others are fewer than this (a page), the next closest fill to meaning.WHOLE_TOP in all (lower cosine)
    whole_feedback: float = 0.0  # … closest to the query moved this far towards the mean of its other matches (pseudo-relevance feedback; off: see docs/SEARCH_QUALITY.md)
    common: float = 0.1  # a query word in this share of paragraphs …
    common_ratio: float = 3.0  # … and this many times as many as the rarest word adds to the score, vetoes nothing
    short_bias: bool = False  # BM25 lifts short paragraphs (False: a length below average counts as average)
    deeds: float = 0.0  # a paragraph that says what was done (actions, numbers: kb.enrich.deeds) ranks up to this much higher
    glossary: float = 0.3  # a note under 名词解释 / 注释 / 有关词语解释 ranks this much lower
    short: int = 40  # a paragraph of fewer characters (a heading alone, an introduction) …
    short_factor: float = 0.5  # … ranks this much lower


@dataclass(frozen=True)
class Limits:
    """What one request may ask for (each over-limit value is a BadRequest that names it)."""

    page_size: int = 100
    page: int = 1000
    export: int = 100_000  # rows in one export
    filter_values: int = 20  # values of one facet filter
    value_length: int = 200  # characters of one filter value
    facet_size: int = 10_000  # values of one facet in an answer (facet_size=all: every value)
    collection: int = 200  # paragraphs of one collection
    search_cache: int = 256  # answers kept per index generation (repeated queries, pages, back buttons)
    select_cache: int = 64  # selections with facet counts kept per generation (other pages, sorts)


def _seconds(name: str, text: str) -> float:
    """A number of seconds, zero or more, from the environment variable ``name``."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value >= 0:  # (NaN too)
        raise BadRequest(f"${name} 应为秒数 (must be a number of seconds, 0 or more: {text!r})")
    return value


@dataclass(frozen=True)
class Settings:
    corpus_dir: Path = Path("corpus")
    index_dir: Path = Path("index")
    build_procs: int | None = None  # processes that read the reports in a build (None: by the corpus size, at most 2)
    concepts_file: Path = Path("concepts.toml")  # the user's own concepts (kb.enrich.concepts.use_user; kb concepts accept)
    backend: str | None = None  # sphinx://HOST:PORT: search a Sphinx/Manticore cluster (kb.engines.sphinx.engine), not index_dir
    refresh: float = 1.0  # seconds a cluster's push stamp read stays good: another process's push is seen within it
    limits: Limits = field(default_factory=Limits)
    ranking: Ranking = field(default_factory=Ranking)

    def __post_init__(self):
        object.__setattr__(self, "corpus_dir", Path(self.corpus_dir))
        object.__setattr__(self, "index_dir", Path(self.index_dir))
        object.__setattr__(self, "concepts_file", Path(self.concepts_file))

    @classmethod
    def from_env(cls, **given) -> Settings:
        """The defaults, with ``$KB_CORPUS``, ``$KB_INDEX``, ``$KB_CONCEPTS`` and ``$KB_BUILD_PROCS``
        when set, ``$KB_BACKEND`` and ``$KB_REFRESH`` too, and then what is ``given`` (a value of None is not given)."""
        env = os.environ
        values: dict = {"corpus_dir": env.get("KB_CORPUS", "corpus"), "index_dir": env.get("KB_INDEX", "index"),
                        "concepts_file": env.get("KB_CONCEPTS", "concepts.toml")}
        if env.get("KB_BACKEND"):
            values["backend"] = env["KB_BACKEND"]
        if env.get("KB_BUILD_PROCS"):
            values["build_procs"] = max(1, int(env["KB_BUILD_PROCS"]))
        if env.get("KB_REFRESH"):
            values["refresh"] = _seconds("KB_REFRESH", env["KB_REFRESH"])
        values |= {k: v for k, v in given.items() if v is not None}
        return cls(**values)

    def with_dirs(self, corpus_dir: Path | str | None = None, index_dir: Path | str | None = None) -> Settings:
        """These settings for other folders."""
        return replace(self, corpus_dir=Path(corpus_dir) if corpus_dir is not None else self.corpus_dir,
                       index_dir=Path(index_dir) if index_dir is not None else self.index_dir)

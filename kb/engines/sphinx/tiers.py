"""Tiers on the cluster: a query tree compiled into two ``MATCH()`` expressions, the exact
tier's and the whole selection's (exact and related), for the sphinx engine
(:mod:`kb.engines.sphinx.engine`): the same paragraphs as the embedded engine's tiers
(:mod:`kb.engines.embedded.tiers`, :meth:`kb.engines.protocol.Engine.select`).

Every related tier is a set of terms worked out here, on the front, from the query, then
matched by Sphinx like any other term (:data:`RELATED`; a further tier is one more
function there):

- **concepts**: each expansion of ``concepts.toml``, all its parts (each a quoted phrase);
- **headings**: the term's words (its :attr:`Term.near_words`, else its jieba words) as
  tokens of the ``heads`` field, the jieba words of the section path above the paragraph
  (:func:`kb.engines.sphinx.schema.heads_stream`);
- **words near each other**: the paragraphs the front found (:class:`Context`: the
  paragraphs with all the words but not the term, read with their text and checked as
  :meth:`kb.engines.embedded.reader.Postings.near` does), named by their ``ident`` token;
  past :data:`kb.engines.sphinx.engine.NEAR_CANDIDATES` candidates, for each word after the
  first one phrase per distance from the first within the window, ``*`` for each unit
  between them (Sphinx's any-token placeholder; a break is a token too, as it is a
  position in the embedded postings): for three or more words each word near *some*
  place of the first then (the embedded engine: all near the same place);
  none for a term of more than :data:`MAX_NEAR_WORDS` words or words longer together than
  twice the window (a long title: its words stand near each other almost only where it
  stands whole);
- **words apart** (``loose``, the fallback when nothing matches): every word anywhere.

An And needs its parts' exact counts to tell a common word (in ≥ ``Ranking.common`` of the
paragraphs and ``common_ratio`` × the rarest part), which only adds to the score: its
related expression leaves the common parts out of the conjunction. :func:`counted_parts` names the expressions whose totals the
engine reads first (one round trip, kept per generation); :func:`compile_tiers` then
compiles with them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from kb.core.settings import Ranking
from kb.engines.query import Not, Or, Term
from kb.engines.sphinx import schema as S
from kb.text import textnorm, words

MAX_NEAR_WORDS = 4  # a term of more words has no words-near tier here: 33 phrases a word after the first


@dataclass(frozen=True)
class Context:
    """What the related tiers read besides the term: the ranking's settings, whether the
    words apart count (``loose``), and what the front worked out from the cluster before
    compiling: for each term with words near each other, the paragraphs where they are
    (None: too many to list; matched by phrases then)."""

    r: Ranking
    loose: bool = False
    near: Mapping[Term, list[str] | None] = field(default_factory=dict)
    #: for each term whose meaning tier counts, the paragraphs close in meaning (:mod:`kb.engines.sphinx.meaning`)
    meant: Mapping[Term, list[str]] = field(default_factory=dict)
    #: for each such term of two words, one of them common, the other word alone (matched as a phrase)
    alone: Mapping[Term, tuple[str, ...]] = field(default_factory=dict)
    apart_too: frozenset = frozenset()  # terms whose words apart count (only their meaning tier found some)


@dataclass(frozen=True)
class Tiers:
    """A tree's MATCH expressions: ``exact``, and ``all`` (exact and related; the same
    string when nothing related can match). For a term alone, the paragraphs of its related
    tiers that the front found and no expression matches may stand apart (``ids``, read by
    ``id IN``: an OR of hundreds of ``ident`` tokens costs Sphinx far more), ``rest`` then
    being ``all`` without them."""

    exact: str
    all: str
    rest: str | None = None  # all but ``ids`` (None: ``all``)
    ids: tuple[str, ...] = ()

    @property
    def matched(self) -> str:
        """The expression of what is matched by expression (all but ``ids``)."""
        return self.rest if self.rest is not None else self.all


def literal(tree, loose: bool = False) -> str:
    """The expression of a tree's exact tier (every term its own characters; with
    ``loose`` a term's words apart too, as the old single-tier match did)."""
    if isinstance(tree, Term):
        alts = [S.phrase(tree.keys)] + ([all_of(tree.loose_words)] if loose and tree.loose_words else [])
        return _any([a for a in alts if a])
    if isinstance(tree, Not):
        return f"({S.ALL} -{_group(literal(tree.item))})"
    if isinstance(tree, Or):
        return "(" + " | ".join(literal(x, loose) for x in tree.items) + ")"
    positives = [literal(x, loose) for x in tree.items if not isinstance(x, Not)]
    return "(" + " ".join((positives or [S.ALL]) + _negatives(tree)) + ")"


def _negatives(tree) -> list[str]:
    return ["-" + _group(literal(x.item)) for x in tree.items if isinstance(x, Not)]


def counted_parts(tree) -> list[str]:
    """The exact expressions of every And's positive parts (when one of them could be a
    common word): what :func:`compile_tiers` needs counted."""
    if isinstance(tree, Term) or tree is None:
        return []
    if isinstance(tree, Not):
        return []
    out = [x for item in tree.items for x in counted_parts(item)]
    if not isinstance(tree, Or):
        positives = [x for x in tree.items if not isinstance(x, Not)]
        if len(positives) > 1 and any(isinstance(x, Term) and not x.quoted for x in positives):
            out += [literal(x) for x in positives]
    return out


def compile_tiers(tree, counts: Mapping[str, int], paragraphs: int, ctx: Context) -> Tiers:
    """The exact and whole expressions of a (non-empty) tree; ``counts``: the totals of
    :func:`counted_parts`'s expressions, ``paragraphs`` how many the cluster holds."""
    if isinstance(tree, Term):
        return Tiers(S.phrase(tree.keys), _term_all(tree, ctx))
    if isinstance(tree, Not):
        return Tiers(literal(tree), literal(tree))
    if isinstance(tree, Or):
        parts = [compile_tiers(x, counts, paragraphs, ctx) for x in tree.items]
        return Tiers("(" + " | ".join(t.exact for t in parts) + ")", "(" + " | ".join(t.all for t in parts) + ")")
    return _and(tree, counts, paragraphs, ctx)


def common_parts(tree, counts: Mapping[str, int], paragraphs: int, r: Ranking) -> set:
    """The parts of every And of the tree that are common words (all of an And's parts
    when every one of them is: then each is needed)."""
    if tree is None or isinstance(tree, (Term, Not)):
        return set()
    out = {x for item in tree.items for x in common_parts(item, counts, paragraphs, r)}
    if not isinstance(tree, Or):
        positives = [x for x in tree.items if not isinstance(x, Not)]
        common = _common(positives, counts, paragraphs, r)
        if not all(common):
            out |= {x for x, c in zip(positives, common, strict=True) if c}
    return out


def _and(tree, counts: Mapping[str, int], paragraphs: int, ctx: Context) -> Tiers:
    """Exact where every part is exact; related where every part but the common ones
    matches, exactly or related."""
    positives = [x for x in tree.items if not isinstance(x, Not)]
    negatives = _negatives(tree)
    if not positives:
        return Tiers(literal(tree), literal(tree))
    parts = [compile_tiers(x, counts, paragraphs, ctx) for x in positives]
    exact = "(" + " ".join([t.exact for t in parts] + negatives) + ")"
    common = _common(positives, counts, paragraphs, ctx.r)
    needed = [t.all for t, c in zip(parts, common, strict=True) if not c] or [t.all for t in parts]
    # (Sphinx 2.2.11's MAYBE, which would let a common part add to the weight, drops matches
    # of its left side: "法 治 思 维" MAYBE "全" finds 9 of the 11. The common parts are left out.)
    return Tiers(exact, "(" + " ".join(needed + negatives) + ")")


def _common(positives: list, counts: Mapping[str, int], paragraphs: int, r: Ranking) -> list[bool]:
    """Which positive parts of an And are common words (:func:`kb.engines.embedded.tiers._is_common`'s rule)."""
    if len(positives) < 2 or not any(isinstance(x, Term) and not x.quoted for x in positives):
        return [False] * len(positives)
    n = [counts.get(literal(x), 0) for x in positives]
    rarest = min(n)
    return [isinstance(x, Term) and not x.quoted and k >= r.common * max(1, paragraphs) and k >= r.common_ratio * rarest
            for x, k in zip(positives, n, strict=True)]


def _term_all(term: Term, ctx: Context) -> str:
    """A term's exact phrase OR every related tier's expression (none for a quoted term)."""
    alts = [S.phrase(term.keys)]
    if not term.quoted:
        alts += [x for tier in RELATED for x in tier(term, ctx) if x]
    return _any(alts)


def _any(alts: list[str]) -> str:
    return alts[0] if len(alts) == 1 else "(" + " | ".join(alts) + ")"


def _group(expr: str) -> str:
    return expr if expr.startswith(("(", '"')) else f"({expr})"


def all_of(parts) -> str:
    """Every one of ``parts`` anywhere in the paragraph, each matched exactly."""
    phrases = [S.phrase(textnorm.unit_keys(p)) for p in parts if textnorm.unit_keys(p)]
    return "(" + " ".join(phrases) + ")" if phrases else ""


# -- the related tiers: each a function (term, context) -> expressions ------------------------


def concepts(term: Term, ctx: Context) -> list[str]:
    """Each concept expansion: all its parts."""
    return [all_of(e.parts) for e in term.expansions]


def headings(term: Term, ctx: Context) -> list[str]:
    """Paragraphs under headings that hold every one of the term's words."""
    ws = term.near_words or _cut(_text(term))
    return ["(@heads " + " ".join(S.word_token(w) for w in dict.fromkeys(ws)) + ")"] if ws else []


def near_tokens(term: Term, r: Ranking) -> list[list[str]] | None:
    """The tokens of each of a term's words whose nearness makes a related match (None:
    no such tier for it: fewer than two words, a word across a break, a long title)."""
    toks = [_tokens(w) for w in term.near_words]
    if len(toks) < 2 or any(t is None for t in toks):
        return None
    if len(toks) > MAX_NEAR_WORDS or sum(len(t) for t in toks) > 2 * r.near_window + 1:
        return None  # a long title: its words cannot stand near each other but where it stands whole
    return toks


def near(term: Term, ctx: Context) -> list[str]:
    """The term's words within ``r.near_window`` units of the first one, in any order: the
    paragraphs the front found (``ctx.near``), else one phrase per distance."""
    found = ctx.near.get(term, None) if term in ctx.near else None
    if found is not None:
        return [idents(found)] if found else []
    toks = near_tokens(term, ctx.r)
    if toks is None:
        return []
    first, others = toks[0], toks[1:]
    each = []
    for other in others:
        shapes = [_placed(first, other, d) for d in range(-ctx.r.near_window, ctx.r.near_window + 1)]
        each.append(_any([s for s in dict.fromkeys(shapes) if s]))
    return ["(" + " ".join(each) + ")"]


def apart(term: Term, ctx: Context) -> list[str]:
    """With ``loose`` (or when only the meaning tier found some), all the term's words anywhere."""
    return [all_of(term.loose_words)] if (ctx.loose or term in ctx.apart_too) and term.loose_words else []


def by_meaning(term: Term, ctx: Context) -> list[str]:
    """The paragraphs close in meaning to the term that the front found (``ctx.meant``), and
    its words alone (``ctx.alone``: of two words, the one not common)."""
    found = ctx.meant.get(term)
    return ([idents(found)] if found else []) + [S.phrase(textnorm.unit_keys(w)) for w in ctx.alone.get(term, ())]


#: The related tiers, in order.
RELATED: tuple[Callable[[Term, Context], list[str]], ...] = (concepts, headings, near, apart, by_meaning)


def idents(pids: list[str]) -> str:
    """The paragraphs ``pids`` (worked out on the front) as a MATCH expression."""
    return "(@ident " + " | ".join(S.ident_token(pid) for pid in pids) + ")"


def others(term: Term, ctx: Context) -> str | None:
    """The related matches by concepts and headings of a term (not its exact ones): whether
    its tiers but the meaning one find anything is this expression's count, and ``ctx.near``."""
    alts = [x for x in concepts(term, ctx) + headings(term, ctx) if x]
    return f"({_any(alts)} -{S.phrase(term.keys)})" if alts else None


def _tokens(w: str) -> list[str] | None:
    """A word's Sphinx tokens (None when it spans a break: no nearness is looked for then)."""
    runs = [run for run in textnorm.unit_keys(w) if run]
    return [S.token(u) for u in runs[0]] if len(runs) == 1 else None


def _placed(first: list[str], other: list[str], d: int) -> str | None:
    """The phrase of ``other`` starting ``d`` units after ``first`` starts (before it when
    negative), each unit between them ``*``; None where the two would disagree."""
    a, b = max(0, -d), max(0, d)
    slots: list[str | None] = [None] * max(a + len(first), b + len(other))
    for start, toks in ((a, first), (b, other)):
        for i, t in enumerate(toks):
            if slots[start + i] not in (None, t):
                return None
            slots[start + i] = t
    return '"' + " ".join(s or "*" for s in slots) + '"'


def _text(term: Term) -> str:
    return "".join("".join(run) for run in term.keys)


def _cut(text: str) -> list[str]:
    """The jieba words of ``text`` that hold a letter or a digit (as the embedded tiers cut)."""
    return [w for w in words.cut(text) if any(c.isalnum() for c in w)]

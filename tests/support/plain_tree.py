"""A plain evaluator of query trees on the postings: the reference the tests compare the
tiers against (:mod:`kb.engines.embedded.tiers`), kept here (not in kb/) because only tests
and bench/pool.py use it.

One tier, no related matches: a term's exact match lifted by its words and headings, its
concept expansions below it, and with ``loose`` its words apart lower still; the query's
AND, OR and exclusions as sums and differences of scored sets.
"""

from __future__ import annotations

import numpy as np

from kb.core.settings import Ranking
from kb.engines.embedded.reader import Postings
from kb.engines.embedded.scored import Scored, intersection, minus, union
from kb.engines.embedded.tiers import all_of, lift, mask_of, match_only
from kb.engines.query import Not, Or, Term


def evaluate(tree, p: Postings, r: Ranking, loose: bool = False, within: np.ndarray | None = None,
             score: bool = True) -> Scored:
    """The live paragraphs a query tree matches, each with its score (every live
    paragraph, unscored, for None).

    A term matches exactly (:meth:`Postings.term`) and its words and headings lift the
    score; its concept expansions match below it (``r.expansion``) and, with ``loose``,
    its words apart lower still (``r.loose``): the fallback when nothing has the
    characters together. AND sums the scores of its parts, OR sums those that match,
    ``-x`` removes what x matches (literally, no expansion).

    Only the paragraphs ``within`` allows (a mask over all documents: the facet
    filters) are considered, and with ``score=False`` none is scored (zeros). A
    paragraph's score does not depend on the others: AND finds its paragraphs first and
    scores its parts on those alone.
    """
    if tree is None:
        return _everything(p, within)
    if isinstance(tree, Term):
        return _term(tree, p, r, loose, within, score)
    if isinstance(tree, Not):
        return minus(_everything(p, within), match_only(tree.item, p))
    if isinstance(tree, Or):
        return union([evaluate(x, p, r, loose, within, score) for x in tree.items], p.n_all)
    return _and(tree, p, r, loose, within, score)


def _term(tree: Term, p: Postings, r: Ranking, loose: bool, within: np.ndarray | None, score: bool) -> Scored:
    """A term: its exact match lifted by its words and headings, its expansions (and with
    ``loose`` its words apart) below it."""
    direct = p.term(tree.keys, within, score)
    if len(direct) and score:
        direct = Scored(direct.docs, direct.scores + lift(tree, p, r, direct.docs))
    also = [all_of(list(e.parts), p, within, score).boosted(r.expansion) for e in tree.expansions]
    if loose and tree.loose_words:
        also.append(all_of(list(tree.loose_words), p, within, score).boosted(r.loose))
    return union([direct, *also], p.n_all)


def _and(tree, p: Postings, r: Ranking, loose: bool, within: np.ndarray | None, score: bool) -> Scored:
    """AND: where every positive part matches and no excluded one does, each part then
    scored on those paragraphs alone."""
    positives = [x for x in tree.items if not isinstance(x, Not)]
    out = intersection([evaluate(x, p, r, loose, within, False) for x in positives]) if positives \
        else _everything(p, within)
    for x in tree.items:
        if isinstance(x, Not) and len(out):
            out = minus(out, match_only(x.item, p))
    if score and positives and len(out):  # each part scored on the paragraphs that match them all
        only = mask_of(p, out.docs)
        out = intersection([evaluate(x, p, r, loose, only, True) for x in positives])
    return out


def _everything(p: Postings, within: np.ndarray | None) -> Scored:
    """Every live paragraph ``within`` allows, unscored."""
    every = p.everything()
    if within is None:
        return every
    keep = within[every.docs]
    return Scored(every.docs[keep], every.scores[keep])

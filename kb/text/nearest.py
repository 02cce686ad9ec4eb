"""The nearest words of a model's vocabulary to a vector, by their cosines (:meth:`kb.text.meaning.Model.neighbours`):
found among the few at a cosine high enough when there are few, else by partitioning them all."""

from __future__ import annotations

import numpy as np

#: Words at ``min_sim`` or above up to which they are sorted themselves (a few, as a search asks:
#: a tenth of the time); more, the ``k + 1`` nearest are found first.
FEW = 256
#: Where there are more, the words at this cosine or above are tried first (a word's nearest are
#: above it: a low ``min_sim``, as the near-twin check's 0.0, need not partition the vocabulary)
HIGH = 0.5


def nearest(sims: np.ndarray, k: int, min_sim: float) -> np.ndarray:
    """The places of the ``k + 1`` largest of ``sims`` at ``min_sim`` or above, largest first (equal ones in
    the order ``np.argpartition`` leaves them, as before: a grown model has words of the same vector, and
    which of them comes first decides which are kept)."""
    few = np.flatnonzero(sims >= min_sim)
    if len(few) > FEW and min_sim < HIGH:  # the k + 2 largest are among those at HIGH, if that many are
        high = np.flatnonzero(sims >= HIGH)
        few = high if k + 2 <= len(high) <= FEW else few
    if len(few) <= FEW:
        order = few[np.argsort(-sims[few], kind="stable")]
        head = sims[order[:k + 2]]
        if not np.any(head[1:] == head[:-1]):  # no two equal among them: the order is the same
            return order[:k + 1]
    top = np.argpartition(-sims, min(k + 1, len(sims) - 1))[:k + 1]
    top = top[np.argsort(-sims[top])]
    return top[sims[top] >= min_sim]

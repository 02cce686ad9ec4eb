"""Words of one vocabulary nearest in meaning to a word (the words of one report: a plan item's words
said otherwise there, :mod:`kb.search.plans`), by the model of meaning (:mod:`kb.text.meaning`)."""

from __future__ import annotations

import numpy as np

from kb.text.meaning import Model


class Among:
    """The words of a vocabulary nearest in meaning to a word, found among that vocabulary only
    (the words of one report: a plan item's words said otherwise there, :mod:`kb.search.plans`):
    one product of the word's vector with theirs, fast enough for every word of a plan."""

    def __init__(self, model: Model, vocabulary: list[str]) -> None:
        self.model = model
        self.words = [w for w in dict.fromkeys(vocabulary) if w in model.index]
        self.matrix = model.vectors[[model.index[w] for w in self.words]] if self.words else None

    def nearest(self, word: str, k: int, min_sim: float) -> list[tuple[str, float]]:
        """The ``k`` words nearest to ``word`` (cosine at least ``min_sim``), nearest first, none
        that holds it or lies inside it (夜间 is broader than 夜间经济)."""
        v = self.model.vector(word)
        if v is None or self.matrix is None:
            return []
        return self._hits(word, self.matrix @ v, k, min_sim)

    def nearest_many(self, ws: list[str], k: int, min_sim: float) -> dict[str, list[tuple[str, float]]]:
        """:meth:`nearest` for many words at once (one product of matrices: a plan's words)."""
        known = [w for w in dict.fromkeys(ws) if w in self.model.index]
        if not known or self.matrix is None:
            return {w: [] for w in ws}
        sims = self.model.vectors[[self.model.index[w] for w in known]] @ self.matrix.T
        rows, cols = np.nonzero(sims >= min_sim)
        found: dict[int, list[tuple[float, str]]] = {}
        for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
            found.setdefault(r, []).append((float(sims[r, c]), self.words[c]))
        out = {}
        for r, w in enumerate(known):
            hits = sorted(found.get(r, ()), reverse=True)
            out[w] = [(o, s) for s, o in hits if o not in w and w not in o][:k]
        return {w: out.get(w, []) for w in ws}

    def _hits(self, word: str, sims: np.ndarray, k: int, min_sim: float) -> list[tuple[str, float]]:
        hits = sorted(((float(sims[i]), self.words[i]) for i in np.nonzero(sims >= min_sim)[0]), reverse=True)
        return [(w, s) for s, w in hits if w not in word and word not in w][:k]

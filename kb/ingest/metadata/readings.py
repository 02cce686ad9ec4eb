"""Readings: what one piece of evidence says a field is, how much it weighs, and a field decided.

The vocabulary of :mod:`kb.ingest.metadata`'s deciders: each reads the :class:`Sources` of one
file into :class:`Reading` s, :func:`weigh` groups them by the value they name, and the decider
returns a :class:`Decision` (value, where it came from, whether it is certain, why not).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kb.ingest.metadata.context import Context
from kb.ingest.repair import Repaired

#: How much a piece of evidence weighs: given values are final, 2 or more is a reading whose
#: disagreement makes a value unsure, under 2 alone is a guess.
GIVEN, FILE_META, STRONG, GOOD, WEAK, GUESS = 9, 8, 3, 2, 1, 0.5


@dataclass
class Reading:
    """What one piece of evidence says a field is."""

    value: object
    evidence: str  # "the file name", "the title line", "我代表区人民政府 in the opening sentence" …
    weight: float
    alone: bool = True  # whether it makes a value certain when nothing else names one (not the signature)


@dataclass
class Decision:
    """One field decided: its value, where it came from, whether it is certain, and why not."""

    value: object
    evidence: str = ""
    certain: bool = True
    doubt: str = ""  # why it is unsure, with the competing readings
    readings: list[Reading] = field(default_factory=list)


@dataclass
class Sources:
    """Everything one file says, gathered once for the deciders."""

    repaired: Repaired
    given: dict
    file_meta: dict
    file_name: str  # the file's name without its suffix
    context: Context

    def titles(self) -> list[tuple[str, str, float]]:
        """(text, where, weight) of every title: the file's own title, the title line, the file name."""
        out = []
        if self.file_meta.get("title"):
            out.append((self.file_meta["title"], "the file's title", STRONG))
        if self.repaired.title and self.repaired.title != self.file_meta.get("title"):
            out.append((self.repaired.title, "the title line", STRONG))
        if re.search(r"[\u4e00-\u9fff]{2}", self.file_name):
            out.append((self.file_name, "the file name", GOOD))
        return out


def weigh(readings: list[Reading], key=lambda r: r.value) -> tuple[list[Reading], list[list[Reading]], str]:
    """(the readings of the value with the most weight, the competing groups, doubt): a value is
    unsure when a competing reading weighs 2 or more, when all its own readings together weigh
    less than 2 (a guess), or when it rests only on readings that never stand alone (the
    signature: at the end of a report, often a short or older name, 南阳市卫生健康委员会 under a
    title of 南阳市卫生健康体育委员会)."""
    groups: dict = {}
    for r in readings:
        groups.setdefault(key(r), []).append(r)
    ranked = sorted(groups.values(), key=lambda g: (sum(r.weight for r in g), max(r.weight for r in g)), reverse=True)
    best, rest = ranked[0], [g for g in ranked[1:] if max(r.weight for r in g) >= GOOD]
    return sorted(best, key=lambda r: -r.weight), rest, _doubt(best, rest)


def _doubt(best: list[Reading], rest: list[list[Reading]]) -> str:
    """Why the value of ``best`` is unsure ('' when it is not): see :func:`weigh`."""
    if rest:
        doubt = "the evidence disagrees: " + "; ".join(
            f"{g[0].value} ({', '.join(r.evidence for r in g)})" for g in [best, *rest])
    elif sum(r.weight for r in best) < GOOD:
        doubt = f"a guess from {best[0].evidence}"
    elif not any(r.alone for r in best):  # the signature alone: nothing agrees with it
        doubt = f"only {best[0].evidence} names it"
    else:
        doubt = ""
    return doubt

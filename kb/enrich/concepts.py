"""Concepts: measures and what they are also called or consist of (query expansion).

Regulations named in ``kb/data/regulations.toml`` expand to their other names too:
卫健法 also finds 基本医疗卫生与健康促进法.

``kb/data/concepts.toml`` says, for instance, that 行政执法三项制度 is also described as
行政执法公示 + 执法全过程记录 + 重大执法决定法制审核, and that 放管服 also stands for
简政放权 / 放管结合 / 优化服务. :mod:`kb.engines.query` expands an unquoted word equal to a
concept's name or alias; the results say which expansion matched.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kb.enrich import regulations
from kb.text import textnorm

CONCEPTS = Path(__file__).parents[1] / "data" / "concepts.toml"


@dataclass(frozen=True)
class Expansion:
    """One way a concept is also written: all of ``parts`` must be in the paragraph."""

    label: str  # as shown: "简政放权" or "行政执法公示 执法全过程记录 重大执法决定法制审核"
    parts: tuple[str, ...]


@dataclass(frozen=True)
class Concept:
    name: str
    aliases: tuple[str, ...]
    also: tuple[Expansion, ...]


def _key(text: str) -> str:
    """The unit keys of a name, a break (clause punctuation) kept as ``|``: 执法，监督 is not 执法监督."""
    return "|".join("".join(run) for run in textnorm.unit_keys(textnorm.to_simplified(text)))


@lru_cache(maxsize=4)
def load(path: Path = CONCEPTS) -> dict[str, Concept]:
    """Concepts by the unit key of their name and of each alias."""
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    out: dict[str, Concept] = {}
    for c in data.get("concept", ()):
        concept = Concept(
            c["name"],
            tuple(c.get("aliases", ())),
            tuple(Expansion(a, tuple(a.split())) for a in c.get("also", ())),
        )
        for name in (concept.name, *concept.aliases):
            out[_key(name)] = concept
    return out


@lru_cache(maxsize=4096)
def expansions(term_text: str) -> tuple[Expansion, ...]:
    """The expansions of a query word (none if it names no concept or regulation). The
    word's own spelling is left out: it is matched directly. Remembered: a search asks
    for them again for every hit it shows (the data files are read once a process)."""
    own = _key(term_text)
    concept = load().get(own)
    if concept is None:
        names = regulations.aliases_of(textnorm.to_simplified(term_text))
        return tuple(Expansion(n, (n,)) for n in names if _key(n) != own and own not in _key(n))
    names = [Expansion(n, (n,)) for n in (concept.name, *concept.aliases) if _key(n) != own]
    seen, out = set(), []
    for e in names + list(concept.also):
        k = tuple(_key(p) for p in e.parts)
        if k not in seen and k != (own,) and not all(own in _key(p) for p in e.parts):  # a superstring adds nothing
            seen.add(k)
            out.append(e)
    return tuple(out)


@lru_cache(maxsize=4)
def phrases(path: Path = CONCEPTS) -> tuple[str, ...]:
    """Every text a query may name a concept or regulation by or be expanded to: each
    concept's name, aliases and parts of what it is also written as, each regulation's
    names. The index finds their paragraphs once, when it writes a segment
    (:mod:`kb.engines.embedded.writer`'s phrase table): a measure's expansions cost a lookup per search."""
    out = set()
    for c in load(path).values():
        out |= {c.name, *c.aliases, *(part for e in c.also for part in e.parts)}
    for entry in regulations.table().values():
        out |= {entry.name, *entry.aliases}
    return tuple(sorted(out))

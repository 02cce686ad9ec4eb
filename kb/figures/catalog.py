"""The indicator list kept as data (``kb/data/indicators.toml``), read for
:mod:`kb.figures.extract`: each indicator's name, what it counts, its units, its signal words,
the words that rule it out, and the scopes that narrow a figure.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

DATA = Path(__file__).parents[1] / "data" / "indicators.toml"


@dataclass(frozen=True)
class Indicator:
    name: str
    units: frozenset[str]
    signals: re.Pattern
    follow: re.Pattern | None
    context: str  # "" or "paragraph"
    counted_as: Mapping[str, str]  # a unit -> the unit it is normalized to (个 -> 件 for cases)
    counts: str = ""  # what it counts, in words (the figures page says it)
    excludes: re.Pattern | None = None  # words before the number that say it is not this (不予处罚)
    context_words: re.Pattern | None = None  # words of a clause a paragraph-wide reading is sure with
    # the kinds of the thing counted its words may name (议案; 事项不见面审批): group ``part`` or the match
    kinds: tuple[re.Pattern, ...] = ()


@dataclass(frozen=True)
class Scope:
    name: str
    signals: re.Pattern
    reach: str  # "clause" or "sentence"
    applies: frozenset[str]  # indicator names it narrows (empty: all)


@dataclass(frozen=True)
class Indicators:
    indicators: tuple[Indicator, ...]
    scopes: tuple[Scope, ...]
    any_signal: re.Pattern  # a signal of any indicator: a paragraph without one has no indicated figure

    def names(self) -> list[str]:
        return [i.name for i in self.indicators]

    def by_name(self, name: str) -> Indicator | None:
        return next((i for i in self.indicators if i.name == name), None)


def _regex(specs: list[str]) -> re.Pattern | None:
    return re.compile("|".join(f"(?:{s})" for s in specs)) if specs else None


def _indicator(i: dict) -> Indicator:
    return Indicator(i["name"], frozenset(i["units"]), _regex(i["signals"]), _regex(i.get("follow", [])),
                     i.get("context", ""), MappingProxyType(dict(i.get("counted_as", {}))), i.get("counts", ""),
                     _regex(i.get("not", [])), _regex(i.get("context_words", [])),
                     tuple(re.compile(k) for k in i.get("kinds", ())))


@lru_cache(maxsize=4)
def load(path: Path = DATA) -> Indicators:
    """The indicator list and the scopes of ``kb/data/indicators.toml``."""
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    indicators = tuple(_indicator(i) for i in data.get("indicator", ()))
    scopes = tuple(Scope(s["name"], _regex(s["signals"]), s.get("reach", "clause"), frozenset(s.get("applies", ())))
                   for s in data.get("scope", ()))
    every = [sig for i in data.get("indicator", ()) for sig in i["signals"]]
    return Indicators(indicators, scopes, _regex(every) or re.compile(r"(?!)"))


def checksum(path: Path = DATA) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]

"""Request: a search as the user asked it (query, facet filters, page, size, order, match,
explain), checked once at the door (search step, before matching): every value out of range is
a :class:`~kb.core.errors.BadRequest` that says what is allowed."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from kb.core.errors import BadRequest
from kb.core.settings import Limits
from kb.engines.protocol import SORTS
from kb.enrich import parts
from kb.search.facets import FACET_SIZE, FACETS
from kb.text import textnorm

MATCHES = ("all", "exact")


@dataclass
class SearchRequest:
    """A validated search: query, facet filters, page, page size, order."""

    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    page: int = 1
    size: int = 10
    sort: str = "relevance"
    facet_size: int | None = FACET_SIZE  # values of each facet in the answer (None: all)
    match: str = "all"  # "all": exact matches, then related ones; "exact": the exact ones only
    explain: bool = False  # say why each hit matched and ranked where it did

    @classmethod
    def from_args(cls, args: Mapping[str, list[str]], limits: Limits = Limits()) -> SearchRequest:  # noqa: B008
        """Build from multi-valued parameters (a query string or CLI options).

        Raises :class:`BadRequest` with a message for any value out of range.
        """
        q = _one(args, "q", "")
        page = parse_int(_one(args, "page", "1"), "page", 1, limits.page)
        size = parse_int(_one(args, "size", "10"), "size", 1, limits.page_size)
        sort = _choice(_one(args, "sort", "relevance") or "relevance", SORTS, "sort")
        filters = _filters(args, limits)
        fs = _one(args, "facet_size", str(FACET_SIZE)).strip()
        facet_size = None if fs == "all" else parse_int(fs, "facet_size", 1, limits.facet_size)
        match = _choice(_one(args, "match", "all").strip() or "all", MATCHES, "match")
        explain = _one(args, "explain", "").strip().lower() in ("1", "true", "yes", "on")
        return cls(q=q, filters=filters, page=page, size=size, sort=sort, facet_size=facet_size, match=match,
                   explain=explain)

    @property
    def related(self) -> bool:
        return self.match != "exact"

    def filter_key(self) -> tuple:
        return tuple(sorted((k, tuple(v)) for k, v in self.filters.items()))


def _one(args: Mapping[str, list[str]], name: str, default: str) -> str:
    """The last value given for ``name`` (scrubbed), or ``default``."""
    values = args.get(name) or [default]
    return textnorm.scrub(str(values[-1])) if values[-1] is not None else default


def _choice(value: str, allowed, name: str) -> str:
    """``value`` if it is one of ``allowed``; else BadRequest naming them."""
    if value not in allowed:
        raise BadRequest(f"{name} 只能是 {' / '.join(allowed)} (unknown {name}: {shown(value)})")
    return value


def _filters(args: Mapping[str, list[str]], limits: Limits) -> dict[str, list[str]]:
    """The facet filters: each facet's values (scrubbed, blanks and repeats dropped), within the limits."""
    filters = {}
    for name in FACETS:
        values = [textnorm.scrub(str(v)).strip() for v in args.get(name, []) if v and str(v).strip()]
        if len(values) > limits.filter_values:
            raise BadRequest(f"{name} 最多 {limits.filter_values} 个值 "
                             f"(at most {limits.filter_values} values of one filter)")
        if any(len(v) > limits.value_length for v in values):
            raise BadRequest(f"{name} 的值过长 ({name}: a value longer than {limits.value_length} characters)")
        if name == "section_kind":
            values = [parts.named_kind(v) for v in values]
        if values:
            filters[name] = list(dict.fromkeys(values))
    return filters


#: What a parameter is called in a message to people (the English detail keeps its name).
SAID = {"page": "页码", "size": "每页条数", "facet_size": "每项筛选显示的条数", "chart": "图表", "top": "条数"}


def said(name: str) -> str:
    """A parameter's name as people read it: 页码 for page, 单位 for agency."""
    return SAID.get(name) or getattr(FACETS.get(name), "label", "") or name


def parse_int(text: str, name: str, lo: int, hi: int) -> int:
    """A whole number written with ASCII digits, between ``lo`` and ``hi``; else BadRequest."""
    digits = str(text).strip()
    if not re.fullmatch(r"[+-]?[0-9]{1,18}", digits):
        raise BadRequest(f"{said(name)}须是整数，收到的是 {shown(digits)} "
                         f"({name} must be a whole number, got {shown(digits)})")
    value = int(digits)
    if not lo <= value <= hi:
        raise BadRequest(f"{said(name)}须在 {lo} 到 {hi} 之间 ({name} must be between {lo} and {hi})")
    return value


def shown(value: str, width: int = 40) -> str:
    """A value the user sent, quoted and cut short, for an error message."""
    return repr(value if len(value) <= width else value[:width] + "…")

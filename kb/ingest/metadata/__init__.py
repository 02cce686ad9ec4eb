"""Metadata: decide a report's title, agency, year, region, level and signing date.

Runs after :mod:`kb.ingest.repair`. Each field has one decider that weighs every piece of
evidence (:mod:`kb.ingest.evidence` reads them) and returns a :class:`Decision`: the value, where
it came from, and whether it is certain. The pieces, strongest first:

- given values (``kb import`` options, a CSV manifest) and a Markdown front matter: final;
- the title line and a web page's title, the byline of a speech (——2024年1月15日在…人民代表
  大会…上, 市长 某某): strong;
- the file name (``2023年坪山区政府工作报告.txt``; ``2024.md`` names only a year), the opening
  sentence (我代表区人民政府, 2023年，县卫健委在…), a review heading (一、2023年工作回顾), the
  signature: good;
- a site's 来源 line or name, a plan heading, the date signed: weak; the place or year the
  text names most: a guess.

A value is certain when the strong and good evidence agrees; when two readings of weight
2 or more disagree, the value with the most weight is taken, marked unsure, and the competing
readings are named; a value that rests on the signature alone (with the title wrapped out of
reach and a file named ``P04.pdf``) is marked unsure too, and so are the region and level placed
by an unsure agency and a title made from an unsure agency or year. Agencies are written in full: short forms expanded
(``kb/data/agencies.toml``), a bare level resolved by the other readings or the places the text
names (我代表区人民政府 + 坪山区 in the file name -> 深圳市坪山区人民政府; 县卫健委 + 健康宝丰 ->
宝丰县卫生健康委员会), a district prefixed with its city; region and level come from where the
agency is (:mod:`kb.ingest.gazetteer`) among the units of the year reported on, decided first (莱芜市 in
2013, merged into 济南市 in 2019). The year is the year reported on: a work report (政府工作报告)
given in 2024 reviews 2023; a 法治政府建设 report's title year is the year it reports on.

:func:`decide` returns a :class:`Decided` with every decision, and for ``kb import`` the notes
(``inferred agency …``, ``unsure year: …``), where each value came from and which are unsure.

One module per decider: :mod:`~kb.ingest.metadata.title` (title and genre),
:mod:`~kb.ingest.metadata.agency` (with :mod:`~kb.ingest.metadata.resolve`, an agency's name
written in full and placed), :mod:`~kb.ingest.metadata.year`, :mod:`~kb.ingest.metadata.place`
(region and level), :mod:`~kb.ingest.metadata.dates` (date signed, signed by); their vocabulary
(readings, weights, decisions) is :mod:`~kb.ingest.metadata.readings`, the places the text
names :mod:`~kb.ingest.metadata.context`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from kb.ingest.metadata.agency import decide_agency
from kb.ingest.metadata.context import Context
from kb.ingest.metadata.dates import decide_dates
from kb.ingest.metadata.place import decide_level, decide_region
from kb.ingest.metadata.readings import Decision, Sources
from kb.ingest.metadata.title import decide_genre, decide_title, made_title
from kb.ingest.metadata.year import decide_year
from kb.ingest.repair import Repaired

FIELDS = ("title", "agency", "year", "region", "level", "date_signed", "source")


@dataclass
class Decided:
    """The decided metadata of one report and what was inferred or is unsure."""

    values: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # "inferred agency …", "unsure region: …"
    how: dict = field(default_factory=dict)  # field -> where its value came from
    unsure: set = field(default_factory=set)  # fields whose values are guesses
    decisions: dict = field(default_factory=dict)  # field -> Decision


def report_id(agency: str, year: int, title: str) -> str:
    """A stable, URL-safe id: the year and a short hash of agency and title."""
    digest = hashlib.sha1(f"{agency}|{year}|{title}".encode()).hexdigest()[:8]
    return f"{year}-{digest}"


def _made_title(genre: str, agency: Decision, year: Decision) -> Decision:
    """The title made of the agency and the year (the text has none), as unsure as they are."""
    guessed = [d.doubt for d in (agency, year) if not d.certain]
    return Decision(made_title(genre, agency.value, year.value), "made", not guessed,
                    f"made from an agency and a year not sure ({'; '.join(guessed)})" if guessed else "")


def decide(repaired: Repaired, given: dict, source: str = "", file_meta: dict | None = None,
           file_name: str = "") -> Decided:
    """Decide every field, each by its own decider, and say what was inferred and what is unsure."""
    file_meta = file_meta or {}
    title = decide_title(Sources(repaired, given, file_meta, file_name, Context(repaired)))
    s = Sources(repaired, given, file_meta, file_name, Context(repaired, title.value if title else ""))
    genre = decide_genre(s)
    year = decide_year(s, genre)
    s.context.year = _year_of(year.value)  # the agency is placed among the units of that year
    agency, place = decide_agency(s, genre)
    region = decide_region(s, agency, place)
    level = decide_level(s, agency, place, region)
    signed, by = decide_dates(s, genre, title.value if title else "")
    if title is None and agency.value and year.value:
        title = _made_title(genre, agency, year)
    decisions = {"title": title or Decision("", "", False, "not found"), "agency": agency, "year": year,
                 "region": region, "level": level, "date_signed": signed, "signed_by": by,
                 "source": Decision(given.get("source") or file_meta.get("source") or source, "given")}
    return explain(decisions)


def _year_of(value) -> int | None:
    try:
        return int(value) if value else None
    except (TypeError, ValueError):
        return None


def explain(decisions: dict[str, Decision]) -> Decided:
    """The decisions as values, notes (``inferred agency …``, ``unsure year: …``), where each
    value came from and which are unsure."""
    d = Decided(decisions=decisions)
    for name, dec in decisions.items():
        d.values[name] = dec.value if dec.value is not None else ""
        if dec.evidence:
            d.how[name] = dec.evidence
        inferred = dec.evidence not in ("", "given", "the file", "the gazetteer", "the agency")
        if name in ("agency", "year", "region") and dec.value and inferred:
            d.notes.append(f"inferred {name} {dec.value}")
        elif name == "title" and dec.evidence == "made":
            d.notes.append("inferred title (the text has none)")
        if not dec.certain and name in ("title", "agency", "year", "region", "level"):
            d.unsure.add(name)
            hint = f"; give --{name}" if name != "level" else ""
            d.notes.append(f"unsure {name}: {dec.doubt}{hint}")
    return d

"""Fields: the one registry of what the index keeps of each paragraph.

Every field is one entry here: its name, its kind, how its value is read from a report
and a paragraph (the *extractor*), and how a hit shows it. Everything else is derived
from this list: the stored document (:func:`document`) and how the postings keep it
(:mod:`kb.engines.embedded.stored`), the Whoosh schema of the keys
(:mod:`kb.engines.embedded.store`), the facet columns of the postings (:mod:`kb.engines.embedded.writer`), the facets
and their filters (:mod:`kb.search.facets`) and the fields of a hit (:mod:`kb.search.hits`). Adding a
facet is one entry with its extractor (and ``kb build``).

Kinds:

- ``id``: the paragraph's id, unique: what a paragraph is fetched by;
- ``key``: an exact value a paragraph is found and filtered by but not counted
  (the report id);
- ``stored``: kept and shown, never matched;
- ``facet``: one value per paragraph, stored, filtered on and counted;
- ``facets``: several values per paragraph (written joined by commas), likewise.

The document of a paragraph holds strings and ints only, so that both engines (and the
postings) read it the same way.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from kb.core.model import Paragraph, Report
from kb.enrich import regulations
from kb.ingest.metadata.place import province_shown


def _as_is(name: str) -> Callable[[object], dict]:
    return lambda value: {name: value}


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # id, key, stored, facet, facets
    extract: Callable[[Report, Paragraph], object]  # the document's value
    hit: Callable[[object], dict] | None = None  # the hit's entries from the stored value (default: as is)
    label: str = ""  # facets: shown to people
    order: str = "count"  # facets: how values are listed: count, value-desc, taxonomy, sections
    shown: int = 0  # facets: place among the facets (pages list them in this order)

    @property
    def is_facet(self) -> bool:
        return self.kind in ("facet", "facets")

    @property
    def multi(self) -> bool:
        return self.kind == "facets"

    def values(self, stored: object) -> tuple[str, ...]:
        """A facet's values in a stored document."""
        if self.multi:
            return tuple(v for v in str(stored or "").split(",") if v)
        return (str(stored),) if stored not in ("", None) else ()

    def entries(self, stored: dict) -> dict:
        """What a hit shows of this field, from the stored document."""
        value = stored.get(self.name, "")
        return (self.hit or _as_is(self.name))(value)


def _section(value) -> dict:
    path = json.loads(value or "[]")
    return {"section": " › ".join(path), "section_path": path}


def _unsure(value) -> dict:
    """The report's metadata fields the import guessed (``agency``, ``year``, ``region`` …): every
    page, copy and export that shows one of them marks it ``?``."""
    return {"unsure": [f for f in str(value or "").split(",") if f]}


def _topics(value) -> dict:
    from kb.enrich import topics  # noqa: PLC0415 (topics loads the taxonomy: only when a hit is shown)

    ids = [t for t in str(value or "").split(",") if t]
    taxonomy = topics.load()
    return {"topics": ids, "topic_names": [(taxonomy.by_id(t).name if taxonomy.by_id(t) else t) for t in ids]}


#: The fields, in the order a hit shows them.
FIELDS: tuple[Field, ...] = (
    Field("id", "id", lambda r, p: p.id),
    Field("report_id", "key", lambda r, p: r.id),
    Field("ordinal", "stored", lambda r, p: p.ordinal),
    Field("title", "stored", lambda r, p: r.title),
    Field("agency", "facet", lambda r, p: r.agency, label="单位", shown=1),
    Field("year", "facet", lambda r, p: str(r.year), hit=lambda v: {"year": int(v)}, label="报告年度",
          order="value-desc", shown=2),
    Field("region", "facet", lambda r, p: province_shown(r.region, r.level), label="省份", shown=5),
    Field("level", "facet", lambda r, p: r.level, label="层级", shown=6),
    Field("unsure", "stored", lambda r, p: ",".join(r.unsure), hit=_unsure),
    Field("section", "stored", lambda r, p: json.dumps(p.section, ensure_ascii=False), hit=_section),
    Field("section_kind", "facet", lambda r, p: p.section_kind, label="报告部分", order="sections", shown=4),
    Field("topic", "facets", lambda r, p: ",".join(p.topics), hit=_topics, label="主题", order="taxonomy",
          shown=3),
    Field("regulation", "facets", lambda r, p: ",".join(regulations.names_in(p.text, regulations.is_national(r.level))),
          hit=lambda v: {"regulations": [x for x in str(v or "").split(",") if x]}, label="法规文件", shown=7),
    Field("text", "stored", lambda r, p: p.text),
)

#: The facets, in the order pages list them.
FACETS: tuple[Field, ...] = tuple(sorted((f for f in FIELDS if f.is_facet), key=lambda f: f.shown))


def document(report: Report, p: Paragraph) -> dict:
    """The stored document of one paragraph: every field's value."""
    return {f.name: f.extract(report, p) for f in FIELDS}


def unsure_of(stored: dict) -> list[str]:
    """The metadata fields the import guessed of a stored paragraph's report (as its hit says them)."""
    return _unsure(stored.get("unsure", ""))["unsure"]


def hit_fields(stored: dict) -> dict:
    """A hit's fields from a stored document, in registry order."""
    out: dict = {}
    for f in FIELDS:  # what f.entries gives, without a dict and a function made per field and hit
        value = stored.get(f.name, "")
        if f.hit is None:
            out[f.name] = value
        else:
            out.update(f.hit(value))
    return out

"""Browse: the regulations index and a page per regulation, from the served index.

The mentions of every regulation are gathered once per index generation (the
paragraphs that name one are selected through the ``regulation`` facet, their mentions
read again with :mod:`kb.enrich.regulations` for offsets, prefixes, editions and 文号).
Entries carry names and ids, never URLs (the site adds its links).
"""

from __future__ import annotations

from collections import defaultdict

from kb.core import cache
from kb.core.errors import NotFound
from kb.engines import fields as field_registry
from kb.engines.protocol import BROWSE, Engine
from kb.enrich import regulations
from kb.search import hits
from kb.text import highlight
from kb.text.collation import name_key

BATCH = 1000  # paragraphs fetched at a time


def _mentions(engine: Engine) -> dict[str, list[tuple[dict, regulations.Mention]]]:
    """Every mention by canonical name: (stored fields of the paragraph, mention)."""
    return cache.remember(engine.cache, "mentions", lambda: _all_mentions(engine))


def _all_mentions(engine: Engine) -> dict[str, list[tuple[dict, regulations.Mention]]]:
    by_name: dict[str, list] = defaultdict(list)
    names = list(engine.group_counts(engine.select(None, {}), "regulation"))
    naming = engine.select(None, {"regulation": names}) if names else None  # paragraphs naming one
    ids = [pid for pid, _ in engine.top(naming, BROWSE, 0, naming.total)] if naming else []
    for i in range(0, len(ids), BATCH):
        for fields in hits.fetch(engine, ids[i:i + BATCH]):
            for m in regulations.mentions(fields["text"], regulations.is_national(fields.get("level", ""))):
                by_name[m.name].append((fields, m))
    for items in by_name.values():
        items.sort(key=lambda fm: (-int(fm[0]["year"]), name_key(fm[0]["agency"]), fm[0]["report_id"], fm[0]["ordinal"],
                                   fm[1].start))
    return dict(by_name)


def regulation_index(engine: Engine) -> dict:
    """Regulations grouped by kind, each with counts of mentions and of reports."""
    kinds: dict[str, list[dict]] = {k: [] for k in regulations.KINDS}
    for name, items in _mentions(engine).items():
        kind = items[0][1].kind
        kinds.setdefault(kind, []).append({
            "name": name,
            "kind": kind,
            "mentions": len(items),
            "paragraphs": len({f["id"] for f, _ in items}),
            "ambiguous": sum(bool(m.ambiguous) for _, m in items),
            "reports": len({f["report_id"] for f, _ in items}),
            "agencies": len({f["agency"] for f, _ in items}),
            "written": sorted({m.written for _, m in items}),
        })
    groups = []
    for kind, items in kinds.items():
        if items:
            items.sort(key=lambda r: (-r["paragraphs"], -r["mentions"], name_key(r["name"])))
            groups.append({"kind": kind, "count": len(items), "regulations": items})
    return {"total": sum(g["count"] for g in groups), "kinds": groups}


def _named(engine: Engine, name: str) -> tuple[str, list]:
    """(canonical name, mentions) of a regulation by any name it is written as; NotFound
    when the corpus mentions none of that name."""
    items = _mentions(engine).get(name)
    if items is None:
        name, _ = regulations.canonical(regulations.split_edition(name.strip().strip("《》"))[0])
        items = _mentions(engine).get(name)
    if items is None:
        raise NotFound(f"语料中没有提到这部法规：{name}")
    return name, items


def regulation_named(engine: Engine, q: str) -> str | None:
    """The canonical name of the regulation a query names (行政处罚法, 《行政处罚法》,
    "中华人民共和国行政处罚法"), when the corpus mentions it; else None."""
    q = q.strip().strip('"').strip()
    if not q or len(q) > 120 or any(c.isspace() for c in q):
        return None
    names = _names(engine)
    if q in names:
        return q
    name, _ = regulations.canonical(regulations.split_edition(q.strip().strip("《》"))[0])
    return name if name in names else None


def _names(engine: Engine) -> set[str]:
    """The canonical names of the regulations the live paragraphs mention: the values of
    the regulation facet (what :func:`_mentions` finds, without reading every paragraph
    that names one: a search asks this of every query)."""
    return cache.remember(engine.cache, "regulation_names",
                          lambda: set(engine.group_counts(engine.select(None, {}), "regulation")))


def regulation_mentions(engine: Engine, name: str) -> list[dict]:
    """One row per mention of a regulation: the name as written (in 《》 or bare), agency,
    year, report, paragraph, prefix, edition, 文号 and why it is ambiguous, if it is."""
    name, items = _named(engine, name)
    return [{"name": name, "written": m.written, "bare": m.bare, "agency": f["agency"], "year": int(f["year"]),
             "unsure": field_registry.unsure_of(f), "title": f["title"], "report_id": f["report_id"], "paragraph": f["id"], "ordinal": f["ordinal"],
             "prefix": m.prefix, "edition": m.edition, "doc_number": m.doc_number, "ambiguous": m.ambiguous}
            for f, m in items]


def focus_on_mentions(hits: list[dict], names: list[str], terms: list) -> list[dict]:
    """Hits whose excerpt is centred on their mentions of these regulations (and the
    query's matches), for a search filtered by regulation: the excerpt would else start
    at the paragraph's start and may stop before the mention."""
    out = []
    for h in hits:
        national = regulations.is_national(h.get("level", ""))
        spans = [(m.start, m.end) for m in regulations.mentions(h["text"], national) if m.name in names]
        if not spans:
            out.append(h)
            continue
        marks = highlight.merge(spans + (highlight.find(h["text"], terms) if terms else []))
        start, end = highlight.window(h["text"], spans)
        inside = [s for s in marks if s[0] >= start and s[1] <= end] or spans
        out.append(h | {"excerpt_html": highlight.excerpt(h["text"], inside)})
    return out


def _group(groups: dict[tuple[str, int], dict], fields: dict) -> dict:
    """The group of a regulation's page a stored paragraph's mention goes in: its agency and year,
    with the metadata fields the import guessed in any of its reports (``unsure``)."""
    key = (fields["agency"], int(fields["year"]))
    group = groups.setdefault(key, {"agency": key[0], "year": key[1], "unsure": [], "mentions": []})
    group["unsure"] += [u for u in field_registry.unsure_of(fields) if u not in group["unsure"]]
    return group


def regulation_page(engine: Engine, name: str) -> dict:
    """Every mention of one regulation, grouped by agency and year, with excerpts."""
    name, items = _named(engine, name)
    groups: dict[tuple[str, int], dict] = {}
    by_paragraph: dict[str, dict] = {}
    for fields, m in items:
        group = _group(groups, fields)
        entry = by_paragraph.get(fields["id"])
        if entry is None:
            entry = by_paragraph[fields["id"]] = {
                "id": fields["id"], "report_id": fields["report_id"], "ordinal": fields["ordinal"],
                "title": fields["title"], "written": [], "prefixes": [], "editions": [], "doc_numbers": [],
                "ambiguous": [], "spans": [], "text": fields["text"],
            }
            group["mentions"].append(entry)
        entry["written"].append(m.written)
        entry["spans"].append((m.start, m.end))
        for k, v in (("prefixes", m.prefix), ("editions", m.edition), ("doc_numbers", m.doc_number),
                     ("ambiguous", m.ambiguous)):
            if v and v not in entry[k]:
                entry[k].append(v)
    for entry in by_paragraph.values():
        spans = highlight.merge(entry.pop("spans"))
        entry["excerpt_html"] = highlight.excerpt(entry.pop("text"), spans)
    kind = items[0][1].kind
    return {
        "name": name,
        "kind": kind,
        "aliases": [a for a in regulations.aliases_of(name)],
        "written": sorted({m.written for _, m in items}),
        "mentions": len(items),
        "paragraphs": len(by_paragraph),
        "ambiguous": sum(bool(m.ambiguous) for _, m in items),
        "reports": len({f["report_id"] for f, _ in items}),
        "groups": list(groups.values()),
        "by_year": _by_year(items),
    }


def _by_year(items: list) -> dict[int, dict]:
    """Mentions, paragraphs and reports that mention it, per year (the chart counts the
    paragraphs, as the list, the facet and the filter do)."""
    out: dict[int, dict] = {}
    for f, _ in items:
        y = out.setdefault(int(f["year"]), {"mentions": 0, "paragraphs": set(), "reports": set()})
        y["mentions"] += 1
        y["paragraphs"].add(f["id"])
        y["reports"].add(f["report_id"])
    return {year: {"mentions": y["mentions"], "paragraphs": len(y["paragraphs"]), "reports": len(y["reports"])}
            for year, y in sorted(out.items())}

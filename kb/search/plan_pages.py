"""Plan versus delivery, as the pages, the API, the CSV and ``kb plans`` show it (search step).

A report with plan items (:mod:`kb.enrich.plans`) is paired with the same agency's report on
the next year (by agency and the year reported on; none yet is said so: ``next_report_id``
null, every item without a verdict) and each item judged against it (:mod:`kb.search.plans`).
Both reports are read from the corpus as the report page reads them (their paragraph ids are
the index's). An answer is cached in the generation's cache: a rebuild starts afresh.

- :func:`plan`: ``{"report_id", "next_report_id", "year", "unsure", "next_year", "items": [...],
  "summary": {"delivered", "partly", "not_mentioned"}, "share_delivered"}``;
- :func:`agency_plans`: every report of an agency with its plan's summary, by year;
- :func:`csv_rows`: one row an item (its verdict, how sure, the first evidence and the figures
  compared), for the CSV.
"""

from __future__ import annotations

import html
from pathlib import Path

from kb.core.cache import LRU
from kb.core.errors import NotFound
from kb.engines.protocol import Engine
from kb.enrich import paragraphs as enrich_paragraphs
from kb.enrich import plans as plan_items
from kb.search import listings
from kb.search import plans as matcher
from kb.text.textnorm import scrub

CACHE_SIZE = 256
#: The plan CSV's columns, (title, key of :func:`csv_rows`' rows): titled in Chinese as the site's
#: other CSVs are; ``verdict`` keeps the API's code beside the label.
CSV_COLUMNS = (("单位", "agency"), ("报告年度", "year"), ("报告", "report_id"), ("下一年度报告", "next_report_id"),
               ("计划条目", "item"), ("条目段落", "paragraph_id"), ("期限", "horizon"), ("落实情况", "label"), ("判定代码", "verdict"),
               ("确定", "sure"), ("首要证据段落", "evidence_paragraph_id"), ("证据得分", "evidence_score"),
               ("数字对照", "compared"))


def _read(corpus_dir: Path, report_id: str, checksums: dict | None = None):
    """A report as the report page reads it (:func:`kb.search.listings.read_report`) and its
    paragraphs (split, not enriched: the paragraph ids are the index's)."""
    rep = listings.read_report(corpus_dir, report_id, checksums)
    return rep, enrich_paragraphs.split_report(rep)


def next_report(meta: dict, all_reports: list[dict]) -> dict | None:
    """The same agency's report on the next year reported on (the first by id if several)."""
    found = [r for r in all_reports if r["agency"] == meta["agency"] and r["year"] == meta["year"] + 1]
    return min(found, key=lambda r: r["id"]) if found else None


def plan(engine: Engine, corpus_dir: Path, report_id: str, all_reports: list[dict]) -> dict:
    """One report's plan items, each judged against the next report (cached per generation)."""
    cache = engine.cache.setdefault("plans", LRU(CACHE_SIZE))
    answer = cache.get(report_id)
    if answer is None:
        answer = _plan(corpus_dir, report_id, all_reports, engine.meta.get("checksums"))
        cache.put(report_id, answer)
    return answer


def _plan(corpus_dir: Path, report_id: str, all_reports: list[dict], checksums: dict | None = None) -> dict:
    rep, paras = _read(corpus_dir, report_id, checksums)
    items = plan_items.items(paras, rep.year)
    nxt = next_report(rep.metadata(), all_reports)
    out = {"report_id": rep.id, "agency": rep.agency, "year": rep.year, "unsure": list(rep.unsure), "next_report_id": None,
           "next_year": rep.year + 1, "items": [], "summary": None, "share_delivered": None}
    if nxt is None:
        out["items"] = [it.to_dict() | {"verdict": None, "label": "", "sure": False, "evidence": [], "compared": [],
                                        "not_compared": []}
                        for it in items]
        return out
    _, next_paras = _read(corpus_dir, nxt["id"], checksums)
    verdicts = matcher.match(items, next_paras, rep.year + 1)
    out["next_report_id"] = nxt["id"]
    out["items"] = [_marked(v.to_dict()) for v in verdicts]
    out["summary"] = matcher.summary(verdicts)
    out["share_delivered"] = share(out["summary"])
    return out


def _marked(item: dict) -> dict:
    """The item with each evidence paragraph's ``html``: escaped, the item's words in it (runs
    of three characters or more whose character pairs the item has) in ``<mark>``."""
    pairs = matcher.character_pairs(item["text"])
    for ev in item["evidence"]:
        ev["html"] = highlight_runs(ev["text"], pairs)
    return item


def highlight_runs(text: str, pairs: set[str]) -> str:
    """``text`` escaped, each run of three characters or more whose character pairs are all in
    ``pairs`` in ``<mark>`` (where each pair stands found by ``str.find``, not character by
    character: evidence paragraphs are long, an item's pairs few)."""
    runs: list[list[int]] = []
    for i in sorted(_starts(text, pairs)):
        if runs and i <= runs[-1][1]:
            runs[-1][1] = i + 2
        else:
            runs.append([i, i + 2])
    out, last = [], 0
    for i, j in runs:
        if j - i >= 3:
            out += [html.escape(text[last:i]), f"<mark>{html.escape(text[i:j])}</mark>"]
            last = j
    out.append(html.escape(text[last:]))
    return "".join(out)


def _starts(text: str, pairs: set[str]) -> set[int]:
    """Where each of ``pairs`` begins in ``text``."""
    out = set()
    for p in pairs:
        i = text.find(p)
        while i >= 0:
            out.add(i)
            i = text.find(p, i + 1)
    return out


def share(summary: dict | None) -> float | None:
    """The share of items delivered (None without items or a next report)."""
    if not summary:
        return None
    n = sum(summary.values())
    return round(summary["delivered"] / n, 3) if n else None


def agency_plans(engine: Engine, corpus_dir: Path, agency: str, all_reports: list[dict]) -> dict:
    """Every report of an agency (its name without the spaces around it: ``/agencies/国务院%20/plans``),
    oldest first, with its plan's summary and share delivered; an unknown name quoted in the error."""
    agency = agency.strip()
    mine = sorted((r for r in all_reports if r["agency"] == agency), key=lambda r: (r["year"], r["id"]))
    if not mine:
        raise NotFound(f"没有这个单位：“{scrub(agency)[:80]}”")
    rows = []
    for r in mine:
        p = plan(engine, corpus_dir, r["id"], all_reports)
        rows.append({"report_id": r["id"], "year": r["year"], "title": r.get("title", ""),
                     "next_report_id": p["next_report_id"], "items": len(p["items"]),
                     "summary": p["summary"], "share_delivered": p["share_delivered"]})
    return {"agency": agency, "reports": rows}


def _horizon_label(item: dict) -> str:
    """The CSV's 期限: 本年度, or 多年（到2025年） for a goal beyond the plan's year."""
    return f"多年（{item['beyond']}）" if item.get("horizon") == plan_items.YEARS else "本年度"


def csv_rows(answer: dict) -> list[dict]:
    """One row an item of a plan answer, in :data:`CSV_COLUMNS`."""
    out = []
    for it in answer["items"]:
        ev = it["evidence"][0] if it["evidence"] else {}
        compared = "；".join([f"{c['indicator']} {c['target']} → {c['actual']}（{'达到' if c['met'] else '未达到'}）"
                             for c in it.get("compared", [])] +
                            [f"{c['indicator']} {c['target']}{' ↔ ' + c['actual'] if c['actual'] else ''}（不可比：{c['reason']}）"
                             for c in it.get("not_compared", [])])
        out.append({"agency": answer.get("agency", ""), "year": answer.get("year", ""),
                    "report_id": answer["report_id"], "next_report_id": answer["next_report_id"] or "",
                    "item": it["text"], "paragraph_id": it["paragraph_id"], "horizon": _horizon_label(it),
                    "verdict": it["verdict"] or "",
                    "label": it["label"], "sure": "是" if it["sure"] else "否",
                    "evidence_paragraph_id": ev.get("paragraph_id", ""), "evidence_score": ev.get("score", ""),
                    "compared": compared})
    return out

"""Compare a cluster's answers with the embedded engine's over the API, as issue 28's Evidence checks them.

    .venv/bin/python bench/cluster_parity.py --embedded http://127.0.0.1:5391 --cluster http://127.0.0.1:5392 [--json OUT]

Both are ``kb serve`` on the same corpus (one ``--index``, one ``--backend sphinx://…``). For
each sampled query (measures, problems, regulations, two-word And queries, filters by agency,
year, region, topic and section kind; :data:`QUERIES`, filters whose values the index lacks
are left out) it compares the default answer (exact and related): the totals (all, exact,
related), every facet's values and counts, the top 10's overlap and order, and the related
tier's labels (``matched_by``) on the page where the related hits begin. Then the features: the
figures (``/api/figures``), every report's card (``/api/reports/<id>``), each report's plan
versus delivery (``/api/reports/<id>/plan``, the verdicts), similar paragraphs (ids shared)
and near spellings of misspelled terms. Prints one line a query and a summary; exit status 1
when a total or facet differs or a top 10 shares fewer than 9.
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.error
import urllib.request
from urllib.parse import urlencode

#: (query, filters): the sample, chosen before comparing (issue 28's kinds of query).
QUERIES: list[tuple[str, dict]] = [
    ("营商环境", {}), ("数字政府", {}), ("老旧小区改造", {}), ("稳就业", {}), ("放管服", {}),
    ("河长制", {}), ("乡村振兴", {}), ("双随机一公开", {}), ("高质量发展", {}), ("碳达峰", {}),
    ("就业压力大", {}), ("创新能力不强", {}), ("法治意识淡薄", {}), ("营商环境有待优化", {}),
    ("行政许可法", {}), ("优化营商环境条例", {}), ("民法典", {}),
    ("数字 政府", {}), ("营商环境 优化", {}), ("科技 创新", {}), ("生态 保护", {}),
    ("营商环境", {"agency": "国务院"}), ("改革", {"year": "2023"}), ("乡村振兴", {"region": "浙江省"}),
    ("就业", {"topic": "数字"}), ("环境", {"section_kind": "存在的不足和原因"}), ("教育", {"level": "省"}),
    ("数字 政府", {"year": "2022"}), ("医疗 保障", {"section_kind": "下一年度安排"}),
    ("创新 OR 改革", {}), ("污染 -大气", {}),
]
MISSPELLED = ["营商环竟", "乡村振新", "双随机一公卡", "高质量发辰", "老旧小区改遭"]


def read(base: str, path: str, params: dict | None = None) -> dict:
    url = base + path + ("?" + urlencode(params, doseq=True) if params else "")
    try:
        with urllib.request.urlopen(url, timeout=300) as r:
            return json.loads(r.read().decode("utf-8"))
    except urllib.error.HTTPError as e:  # (a busy server's 503 under load: reported, not compared)
        return {"error": e.code}


def facets(answer: dict) -> dict:
    return {name: sorted((v["value"], v["count"]) for v in values) for name, values in answer.get("facets", {}).items()}


def related_labels(base: str, q: str, filters: dict, exact: int) -> dict:
    """The related hits' labels on the page (of 50) where the related tier begins."""
    page = exact // 50 + 1
    answer = read(base, "/api/search", {"q": q, **filters, "size": 50, "page": page})
    return {h["id"]: sorted(str(m) for m in h.get("matched_by") or []) for h in answer.get("hits", [])
            if h.get("match") != "exact"}


def compare_query(emb: str, clu: str, q: str, filters: dict) -> dict:
    params = {"q": q, **filters, "facet_size": 1000}
    a, b = read(emb, "/api/search", params), read(clu, "/api/search", params)
    totals = [(x.get("total"), x.get("exact_total"), x.get("related_total")) for x in (a, b)]
    ta, tb = [h["id"] for h in a.get("hits", [])], [h["id"] for h in b.get("hits", [])]
    la = related_labels(emb, q, filters, a.get("exact_total") or 0)
    lb = related_labels(clu, q, filters, b.get("exact_total") or 0)
    shared = set(la) & set(lb)
    return {"q": q, "filters": filters, "totals": totals, "totals_equal": totals[0] == totals[1],
            "facets_equal": facets(a) == facets(b),
            "facets_differ": sorted(k for k in set(facets(a)) | set(facets(b)) if facets(a).get(k) != facets(b).get(k)),
            "top10": len(ta), "overlap": len(set(ta) & set(tb)), "same_order": ta == tb,
            "labels_shared": len(shared), "labels_equal": sum(la[i] == lb[i] for i in shared),
            "partial": bool(b.get("partial")), "errors": [x["error"] for x in (a, b) if "error" in x]}


def compare_features(emb: str, clu: str) -> dict:
    out: dict = {}
    fa, fb = read(emb, "/api/figures", {"size": 1000}), read(clu, "/api/figures", {"size": 1000})
    out["figures_total"] = (fa.get("total"), fb.get("total"))
    out["figures_equal"] = fa.get("figures") == fb.get("figures") and fa.get("indicators") == fb.get("indicators")
    reports = read(emb, "/api/reports", {"size": 1000}).get("reports", [])
    ids = [r["id"] for r in reports]
    cards = plans = planned = 0
    for rid in ids:
        ra, rb = read(emb, f"/api/reports/{rid}"), read(clu, f"/api/reports/{rid}")
        cards += ra == rb
        pa, pb = read(emb, f"/api/reports/{rid}/plan"), read(clu, f"/api/reports/{rid}/plan")
        if pa.get("next_report_id"):
            planned += 1
            plans += [i.get("verdict") for i in pa.get("items", [])] == [i.get("verdict") for i in pb.get("items", [])]
    out["reports"], out["cards_equal"], out["plans"], out["plans_equal"] = len(ids), cards, planned, plans
    sims = []
    for q in ("营商环境", "河长制", "乡村振兴", "老旧小区改造", "数字政府", "稳就业"):
        hits = read(emb, "/api/search", {"q": q, "size": 2}).get("hits", [])
        for h in hits:
            a, b = (read(base, f"/api/paragraphs/{h['id']}/similar", {"limit": 10}) for base in (emb, clu))
            sa, sb = ([s["id"] for s in x.get("similar", [])] for x in (a, b))
            sims.append((len(set(sa) & set(sb)), len(sa), bool(sa) and bool(sb) and sa[0] in sb,
                         "error" in a or "error" in b))
    out["similar"] = {"paragraphs": len(sims), "ids_shared": sum(s[0] for s in sims), "ids": sum(s[1] for s in sims),
                      "best_among": sum(s[2] for s in sims), "errors": sum(s[3] for s in sims)}
    sp = []
    for term in MISSPELLED:
        a, b = read(emb, "/api/search", {"q": term}), read(clu, "/api/search", {"q": term})
        sp.append(((a.get("suggestions") or {}).get("spellings"), (b.get("suggestions") or {}).get("spellings")))
    out["spellings_equal"] = (sum(x == y for x, y in sp), len(sp))
    out["spellings"] = sp
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--embedded", required=True, help="base URL of kb serve on the embedded index")
    ap.add_argument("--cluster", required=True, help="base URL of kb serve --backend sphinx://…")
    ap.add_argument("--json", help="write every comparison here")
    ap.add_argument("--no-features", action="store_true")
    args = ap.parse_args(argv)
    rows = [compare_query(args.embedded, args.cluster, q, f) for q, f in QUERIES]
    for r in rows:
        print(f"{r['q']:<14} {json.dumps(r['filters'], ensure_ascii=False):<28} totals {r['totals'][0]} / {r['totals'][1]}"
              f" facets {'=' if r['facets_equal'] else '≠ ' + ','.join(r['facets_differ'])}"
              f" top10 {r['overlap']}/{r['top10']}{'' if r['same_order'] else ' (order)'}"
              f" labels {r['labels_equal']}/{r['labels_shared']}{' PARTIAL' if r['partial'] else ''}"
              f"{' ERRORS ' + str(r['errors']) if r['errors'] else ''}")
    n = len(rows)
    mean = sum(r["overlap"] for r in rows) / n
    print(f"\n{n} queries: totals equal {sum(r['totals_equal'] for r in rows)}, facets equal "
          f"{sum(r['facets_equal'] for r in rows)}, top-10 overlap mean {mean:.2f} (under 9: "
          f"{sum(r['overlap'] < min(9, r['top10']) for r in rows)}), same order {sum(r['same_order'] for r in rows)}, "
          f"related labels {sum(r['labels_equal'] for r in rows)}/{sum(r['labels_shared'] for r in rows)}")
    features = {} if args.no_features else compare_features(args.embedded, args.cluster)
    for k, v in features.items():
        if k != "spellings":
            print(f"{k}: {v}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"queries": rows, "features": features}, f, ensure_ascii=False, indent=1)
    bad = [r for r in rows if not (r["totals_equal"] and r["facets_equal"]) or r["overlap"] < min(9, r["top10"])]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

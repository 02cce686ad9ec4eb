"""Every answer of a set of requests through the site, to compare two checkouts byte for byte
(issue 30's passes: "every answer the same before and after").

    python -m bench.answers CORPUS INDEX OUT     # run from (and with PYTHONPATH=) the checkout

For each query of :mod:`bench.queries` and :data:`EXTRA` (with its filters): ``/api/search`` as it
is, page 2, by year, with ``explain``, exact matches only with every facet value, ``size=10``;
the search page's HTML; then ``/api/paragraphs/<id>/similar`` of each first hit. Written to OUT
one JSON line a request (the request, the status, the body), ``took_ms`` (and the page's 用时 …
毫秒) left out; prints how many and their sha256. Two checkouts on the same index answer the
same when their OUT files are the same (``cmp``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
from pathlib import Path
from urllib.parse import quote

from bench import queries

EXTRA = ["法治政府", "法律顾问", "双随机一公开", "行政执法三项制度", '"行政处罚法"', "复议 OR 诉讼", "执法 -处罚",
         "基层治理薄弱", "残疾人服务", "xyzzy不存在的词", "改革 OR", "城市 更新", "科技创新", "疫情防控",
         '"一带一路" -扶贫', "就业 OR 养老 OR 医保", "优化营商环境", "新型城镇化", "碳中和", "专精特新"]
VARIANTS = [[], [("page", "2")], [("sort", "year")], [("explain", "1")], [("match", "exact"), ("facet_size", "all")],
            [("size", "10")]]
TOOK = re.compile(rb'"took_ms":[0-9.e+-]+')
TOOK_PAGE = re.compile(r"用时 [0-9.]+ 毫秒")


def asked() -> list[list[tuple[str, str]]]:
    """The query string of each query with its filters."""
    qs = queries.query_set() + [(q, {}) for q in EXTRA]
    return [[("q", q)] + [(k, v) for k, vs in f.items() for v in vs] for q, f in qs]


def answers(client) -> list[dict]:
    """Every request's line (see the module's docstring)."""
    lines, first_ids = [], []
    for args in asked():
        for extra in VARIANTS:
            r = client.get("/api/search", query_string=args + extra)
            lines.append({"req": args + extra, "status": r.status_code,
                          "body": TOOK.sub(b'"took_ms":0', r.data).decode()})
            if not extra and r.status_code == 200:
                first_ids += [h["id"] for h in (r.get_json().get("hits") or [])[:1]]
        page = client.get("/", query_string=args)
        lines.append({"req": ["page", *args], "status": page.status_code, "body": TOOK_PAGE.sub("", page.data.decode())})
    for pid in first_ids:
        r = client.get(f"/api/paragraphs/{quote(pid, safe='')}/similar")
        lines.append({"req": ["similar", pid], "status": r.status_code, "body": r.data.decode()})
    return lines


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("index", type=Path)
    ap.add_argument("out", type=Path)
    a = ap.parse_args(argv)
    from web import create_app

    client = create_app({"CORPUS_DIR": str(a.corpus), "INDEX_DIR": str(a.index)}).test_client()
    lines = answers(client)
    a.out.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
    print(len(lines), "answers", hashlib.sha256(a.out.read_bytes()).hexdigest())


if __name__ == "__main__":
    main()

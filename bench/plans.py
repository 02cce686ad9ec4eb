"""Plan versus delivery, timed: the first answer of :meth:`kb.KnowledgeBase.plan` (items split,
paired, every item matched over the next report) for reports of an indexed corpus, and the
cached answer after it, with the CPU time of each first answer (on a machine shared with other
work the wall time is the CPU time plus waiting). Bench-only (not a test): the target is 300 ms
for the first answer at 3,004 reports (issue 26).

    python -m bench.plans --corpus /tmp/real/corpus --index /tmp/real/index --reports 20
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from kb import KnowledgeBase


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.plans", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--corpus", required=True)
    p.add_argument("--index", required=True)
    p.add_argument("--reports", type=int, default=20, help="reports timed (chosen at random, seed 26)")
    args = p.parse_args(argv)
    kb = KnowledgeBase(args.corpus, args.index)
    reports = kb.reports()
    kb.plan(reports[0]["id"])  # load jieba, the figure and concept tables once
    chosen = random.Random(26).sample(reports, min(args.reports, len(reports)))
    first, cpu, cached, items = [], [], [], []
    for r in chosen:
        t, c = time.perf_counter(), time.process_time()
        answer = kb.plan(r["id"])
        first.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
        t = time.perf_counter()
        kb.plan(r["id"])
        cached.append((time.perf_counter() - t) * 1000)
        items.append(len(answer["items"]))
    q = statistics.quantiles(first, n=20) if len(first) > 1 else first
    print(f"{len(reports)} reports; {len(chosen)} timed, {statistics.mean(items):.0f} items on average")
    print(f"first answer: median {statistics.median(first):.0f} ms, p95 {q[-1]:.0f} ms, max {max(first):.0f} ms")
    big = max(range(len(chosen)), key=lambda i: items[i])
    print(f"  its CPU time (what a busy machine's other processes do not add): median "
          f"{statistics.median(cpu):.0f} ms, max {max(cpu):.0f} ms; the largest plan ({items[big]} items): "
          f"{first[big]:.0f} ms, CPU {cpu[big]:.0f} ms")
    print(f"cached: median {statistics.median(cached):.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

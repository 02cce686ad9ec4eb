"""Load while rebuilding: bench/load.py, shortened to 20 clients × 10 s.

GIVEN `kb serve` and 20 clients sending searches, compares, similar paragraphs, report
lists and pages over keep-alive connections WHEN full rebuilds switch the index between
a corpus of 5 reports and one of 10 the whole time THEN no request fails and no search
shows a total that is not one of the two corpora's, a page that does not match its total,
or facet counts that do not add up. The 60-second run and its numbers: docs/ROBUSTNESS.md.
"""

from __future__ import annotations

import importlib.util

import pytest

from tests.support import paths

BENCH = paths.ROOT / "bench" / "load.py"


@pytest.fixture(scope="module")
def load():
    spec = importlib.util.spec_from_file_location("bench_load", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_partial_result_check_catches_a_mixed_index(load):
    """The checker itself: a total of neither corpus, a short page, facets that do not add up."""
    stats = load.Stats()
    case = {"q": "法律顾问"}
    key = load.case_key(case)
    a, b = {key: 14}, {key: 28}
    good = {"total": 28, "hits": [{}] * 10, "facets": {"year": [{"count": 20}, {"count": 8}]}}
    load.check_search(stats, case, good, 10, 1, a, b, "/api/search")
    assert sum(stats.partial.values()) == 0
    load.check_search(stats, case, good | {"total": 21}, 10, 1, a, b, "/api/search")
    load.check_search(stats, case, good | {"hits": [{}] * 7}, 10, 1, a, b, "/api/search")
    load.check_search(stats, case, good | {"facets": {"year": [{"count": 20}]}}, 10, 1, a, b, "/api/search")
    assert stats.partial == {"total": 1, "page": 1, "facets": 1}


def test_twenty_clients_for_ten_seconds_during_rebuilds(load, tmp_path, capsys):
    result = load.run(clients=20, seconds=10, copies=(1, 2), workdir=tmp_path, quiet=True, min_builds=2)
    with capsys.disabled():
        print(f"\n  load: {result['requests']} requests, {result['requests_per_second']}/s, "
              f"p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, {result['builds']} rebuilds, "
              f"{result['errors']} errors, {result['partial_results']} partial results")
    assert result["errors"] == 0, result["examples"]
    assert result["partial_results"] == 0, result["examples"]
    assert result["builds"] >= 2 and result["builds_failed"] == 0
    assert result["cases_seen_with_both_totals"] > 0  # the switches happened under the clients
    assert result["requests"] > 200 and result["tracebacks_in_server_log"] == 0

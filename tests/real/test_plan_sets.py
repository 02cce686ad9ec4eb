"""The judged plan sets that ``python -m tools.evaluate plans`` measures (issue 26) are well formed:
each names real paragraphs of the tarball, its verdicts are the three the matcher gives, and no pair
of reports is judged in two sets (a held-out set holds pairs no earlier set has). The matcher is not
run here: its numbers are recorded in docs/PLANS.md.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import paths
from tools import planeval, realreports

SETS = [paths.ROOT / s for s in planeval.DEFAULT_SETS]


def test_the_clean_held_out_set_is_measured_last():
    """Held-out 7 is measured last (held-out 6 was read while tuning in stop 38, held-out 7 in stop 39)."""
    assert [s.name for s in SETS][-2:] == ["plans_heldout6.toml", "plans_heldout7.toml"]
    assert all(s.exists() for s in SETS)


@pytest.mark.parametrize("path", SETS, ids=lambda p: p.stem)
def test_items_name_a_verdict_and_their_evidence(path: Path):
    seen = set()
    for pair in planeval.load(path):
        for item in pair["items"]:
            key = (item["paragraph"], tuple(item["span"]))
            assert key not in seen, key
            seen.add(key)
            assert item["paragraph"].startswith(pair["plan"] + "#")
            assert item["verdict"] in planeval.VERDICTS
            assert bool(item["evidence"]) == (item["verdict"] != "not_mentioned"), key
            assert all(e.startswith(pair["next"] + "#") for e in item["evidence"])


def test_no_pair_is_judged_in_two_sets():
    owner: dict[str, str] = {}
    for path in SETS:
        for pair in planeval.load(path):
            assert pair["plan"] not in owner, (pair["plan"], owner.get(pair["plan"]), path.name)
            owner[pair["plan"]] = path.name


@pytest.mark.slow
@pytest.mark.parametrize("path", SETS[-2:], ids=lambda p: p.stem)
def test_the_newest_sets_read_their_paragraphs_in_the_tarball(path: Path):
    """Each item's span still reads its item_hash and each evidence paragraph is in the next report."""
    tarball = paths.shared(paths.TARBALL)
    pairs = planeval.load(path)
    files = {f for pair in pairs for f in (pair["plan"], pair["next"])}
    hashes = {name: {realreports.text_hash(p.text): p.text for p in paras}
              for name, _, paras in realreports.read(tarball, files)}
    assert set(hashes) == files
    for pair in pairs:
        for item in pair["items"]:
            text = hashes[pair["plan"]][item["paragraph"].split("#", 1)[1]]
            lo, hi = item["span"]
            assert realreports.text_hash(text[lo:hi]) == item["item_hash"]
            assert all(e.split("#", 1)[1] in hashes[pair["next"]] for e in item["evidence"])

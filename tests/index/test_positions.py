"""The grams' positions, packed in blocks or kept as they are (kb.engines.embedded.positions,
packed.PACKED_UP_TO, packed.POS_BLOCK): whichever way each gram's are kept, every search answers
the same, scores to the last bit, a unit's every gram (a one-character term) included, and every
gram's positions read back are those written."""

from __future__ import annotations

import json

import numpy as np
import pytest

from kb import build
from kb.engines.embedded import packed, positions
from kb.engines.embedded.segment import Segment
from kb.knowledgebase import KnowledgeBase
from kb.search.request import SearchRequest
from tests.support.seeds import copy_corpus

QUERIES = ["行政执法", "法治政府建设", "双随机一公开", "执法 人员", '"依法行政"', "法", "2023", "行政 -处罚",
           "行政执法三项制度", "执法力量薄弱", "推进", "依法", "政府工作"]


def _answers(corpus, index) -> str:
    kb = KnowledgeBase(corpus, index)
    out = []
    for q in QUERIES:
        for args in ({"q": [q], "size": ["20"], "explain": ["1"]}, {"q": [q], "match": ["exact"]}):
            r = kb.search(SearchRequest.from_args(args))
            r.pop("took_ms", None)
            out.append(r)
    return json.dumps(out, ensure_ascii=False, sort_keys=True, default=str)


def _built(corpus, index, up_to: int, block: int, pick_from: int = positions.PICK_FROM):
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(packed, "PACKED_UP_TO", up_to)
        mp.setattr(packed, "POS_BLOCK", block)
        mp.setattr(positions, "PICK_FROM", pick_from)
        build.build(corpus, index)
        return _answers(corpus, index), _positions(index)


def _positions(index) -> list[list[int]]:
    """Every gram's positions of every segment, read through the segment one gram at a time."""
    gen = next(p for p in index.iterdir() if p.name.startswith("gen-"))
    out = []
    for meta in sorted(gen.glob("pst-*.json")):
        seg = Segment(gen, meta.name[:-len(".json")])
        ptr = np.asarray(seg.a["gram_ptr"])
        out += [seg.pos.gram(i, i + 1).all().tolist() for i in range(len(ptr) - 1)]
        assert seg.all_positions().tolist() == [p for g in out[-(len(ptr) - 1):] for p in g]
    return out


@pytest.fixture(scope="module")
def kept(tmp_path_factory):
    """The seeds built with every gram's positions kept as they are (as before they were packed)."""
    tmp = tmp_path_factory.mktemp("kept")
    corpus = copy_corpus(tmp / "corpus")
    return corpus, _built(corpus, tmp / "index", -1, packed.POS_BLOCK)


@pytest.mark.parametrize(("up_to", "block", "pick_from"),
                         [(packed.PACKED_UP_TO, packed.POS_BLOCK, positions.PICK_FROM), (40, 4, 0), (2, 1, 64),
                          (10**9, 3, 0)],
                         ids=["default", "mixed-small-blocks", "mostly-kept", "all-packed-blocks-of-3"])
def test_positions_packed_or_kept_answer_alike(kept, tmp_path, up_to, block, pick_from):
    """GIVEN the seed corpus built with every gram's positions kept as they are, and built
    with the grams of at most ``up_to`` positions packed in blocks of ``block`` (small blocks,
    picked from ``pick_from`` blocks on: a term's commoner grams decoded only in the blocks
    its rarest one lands in)
    WHEN the same searches are made (explained: every score's parts; exact matches) and every
    gram's positions are read back THEN the answers are byte for byte the same, and so are the
    positions."""
    corpus, (want, positions) = kept
    got, got_positions = _built(corpus, tmp_path / "index", up_to, block, pick_from)
    assert got_positions == positions
    assert got == want

"""The numpy postings (kb/engines/embedded: writer, segment, reader, merge, scored): they
hold exactly the grams and words of each paragraph, merging segments changes no answer,
and dead paragraphs are never found."""

from __future__ import annotations

import json

import numpy as np
import pytest

from kb import build as kb_build
from kb.core import corpus
from kb.engines.embedded import merge, reader
from kb.engines.embedded.reader import Postings
from kb.engines.embedded.scored import Scored, intersection, union
from kb.engines.embedded.segment import Segment, phrase_key
from kb.engines.embedded.writer import SegmentWriter, word_counts
from kb.engines.fields import document
from kb.enrich.paragraphs import paragraphs_of
from kb.text import textnorm
from tests.support import plain_tree, reference
from tests.support.paths import CORPUS
from tests.support.seeds import seed_paragraph_count


def seed_docs() -> list[tuple[dict, str]]:
    out = []
    for path in corpus.paths(CORPUS):
        data = path.read_bytes()
        report = corpus.read(path, data)
        out += [(document(report, p), corpus.file_digest(data)) for p in paragraphs_of(report)]
    return out


def write(folder, name, docs) -> None:
    w = SegmentWriter()
    for doc, digest in docs:
        w.add(doc, digest)
    w.finish(folder, name)


@pytest.fixture(scope="module")
def docs():
    return seed_docs()


def grams_of(seg, d: int) -> list[tuple[str, int]]:
    """The (gram, position) pairs segment ``seg`` holds for its paragraph ``d``."""
    start, end = seg.a["pos_start"][d], seg.a["pos_start"][d + 1]
    codes, pos = all_grams(seg)
    mine = (pos >= start) & (pos < end)
    out = []
    for code, p in zip(codes[mine].tolist(), pos[mine].tolist(), strict=True):
        a, b = divmod(code, seg.v + 1)
        ka = seg.unit_keys[a]
        if b == seg.v:
            gram = ka
        else:
            kb_ = seg.unit_keys[b]
            gram = ka + kb_ if textnorm.is_cjk(ka[0]) and textnorm.is_cjk(kb_[0]) else ka + textnorm.GLUE + kb_
        out.append((gram, p - start))
    return sorted(out, key=lambda x: x[1])


def all_grams(seg) -> tuple[np.ndarray, np.ndarray]:
    """(code, position) of every gram of ``seg``."""
    return np.repeat(seg.a["gram_codes"], np.diff(seg.a["gram_ptr"])), seg.all_positions()


def test_a_segment_holds_exactly_the_grams_and_words_of_each_paragraph(docs, tmp_path):
    """GIVEN the seed paragraphs written as one segment
    WHEN each paragraph's grams and words are read back from the arrays
    THEN they are reference.gram_terms (the GramTokenizer's terms and positions) and the
    jieba words with their frequencies, and df counts paragraphs, not occurrences."""
    write(tmp_path, "s", docs)
    seg = Segment(tmp_path, "s")
    assert seg.n == len(docs) == seed_paragraph_count()
    for d, (doc, _) in enumerate(docs):
        assert grams_of(seg, d) == reference.gram_terms(doc["text"]), doc["id"]
        for field, text in (("words", doc["text"]), ("heads", " ".join(json.loads(doc["section"])))):
            got = {}
            for code, w in enumerate(seg.word_keys[field]):
                pdocs, tf = seg.word_pairs(field, code)
                assert len(pdocs) == seg.a[f"{field}_ptr"][code + 1] - seg.a[f"{field}_ptr"][code]
                rows = np.flatnonzero(pdocs == d)
                if len(rows):
                    got[w] = int(tf[rows[0]])
            assert got == dict(word_counts(text)), (doc["id"], field)
    for unit in ("法", "的", "政", "2023"):  # a unit alone: its paragraphs once, whatever follows it
        u = seg.unit_keys.get(unit)
        assert seg.df(u * (seg.v + 1), (u + 1) * (seg.v + 1)) == sum(
            any(unit in run for run in textnorm.key_runs(doc["text"])) for doc, _ in docs), unit
    codes, pos = all_grams(seg)
    owner = np.searchsorted(seg.a["pos_start"], pos, side="right") - 1
    for i in range(0, len(seg.a["gram_codes"]), 97):
        assert seg.a["gram_df"][i] == len(set(owner[codes == seg.a["gram_codes"][i]].tolist()))


def answers(p: Postings, queries) -> dict:
    out = {}
    for q in queries:
        found = p.term(textnorm.unit_keys(q))
        out[q] = {p.paragraph_id(d): round(s, 9) for d, s in zip(found.docs.tolist(), found.scores.tolist(),
                                                                   strict=True)}
        for field in ("words", "heads"):
            w = p.word(field, q)
            out[(field, q)] = {p.paragraph_id(d): round(s, 9) for d, s in zip(w.docs.tolist(), w.scores.tolist(),
                                                                               strict=True)}
    return out


def test_a_segment_sorted_a_few_grams_at_a_time_is_the_segment_sorted_at_once(docs, tmp_path, monkeypatch):
    """GIVEN the seeds
    WHEN written as one segment with the grams sorted all at once, and again sorted a
    range of a few first units at a time (writer.SORT_GRAMS = 50: hundreds of ranges)
    THEN every file of the two segments is the same, byte for byte."""
    from kb.engines.embedded import writer

    monkeypatch.setattr(writer, "SORT_GRAMS", 1 << 40)
    (tmp_path / "whole").mkdir()
    write(tmp_path / "whole", "s", docs)
    monkeypatch.setattr(writer, "SORT_GRAMS", 50)
    (tmp_path / "ranges").mkdir()
    write(tmp_path / "ranges", "s", docs)
    names = sorted(f.name for f in (tmp_path / "whole").iterdir())
    assert names == sorted(f.name for f in (tmp_path / "ranges").iterdir()) and "s.gram_pos.npy" in names
    for name in names:
        assert (tmp_path / "whole" / name).read_bytes() == (tmp_path / "ranges" / name).read_bytes(), name



def test_the_stream_of_units_is_renumbered_in_place_when_it_can_be_written():
    """GIVEN a stream of unit codes longer than one slice (-1 at the breaks) and the sorted
    numbers of the units (the last: the breaks')
    WHEN renumbered as a segment's writing does (writer._renumbered)
    THEN a writable int32 stream is itself renumbered (no second array of its size), a
    read-only one is left as it was and renumbered into a copy, both as ``rank[units]``."""
    from kb.engines.embedded import packed, writer

    rank = np.array([2, 0, 1, 3], dtype=np.int32)
    units = np.tile(np.array([0, 1, -1, 2, 0], dtype=np.int32), packed.CHUNK // 2)
    expected = rank[units]
    frozen = units.copy()
    frozen.setflags(write=False)
    copied = writer._renumbered(rank, frozen)
    assert copied is not frozen and np.array_equal(copied, expected) and frozen[2] == -1
    assert writer._renumbered(rank, units) is units and np.array_equal(units, expected)


QUERIES = ["法律顾问", "法", "行政处罚法", "执法", "双随机一公开", "2023", "行政处罚，法律", "卫生健康", "不存在的词"]


def test_merged_segments_answer_as_one_segment_and_dead_paragraphs_are_never_found(docs, tmp_path):
    """GIVEN the seeds written as three segments, where one report's first version (in
    the first segment) was replaced by a second version (in the third) and another report
    was removed
    WHEN searched as they are, and after merging them into one
    THEN the removed report and the first version are never found, the merge answers
    with the same paragraphs and scores as one segment written fresh from the live
    paragraphs, and holds only live paragraphs."""
    gone, changed = docs[0][0]["report_id"], docs[-1][0]["report_id"]
    first = [(d, g) for d, g in docs if d["report_id"] != changed]
    old_version = [(d | {"text": d["text"] + "旧版本"}, "old") for d, g in docs if d["report_id"] == changed]
    new_version = [(d, g) for d, g in docs if d["report_id"] == changed]
    rids = list(dict.fromkeys(d["report_id"] for d, _ in first))  # a build writes whole reports
    write(tmp_path, "a", [(d, g) for d, g in first if d["report_id"] in rids[:2]])
    write(tmp_path, "b", [(d, g) for d, g in first if d["report_id"] not in rids[:2]] + old_version)
    write(tmp_path, "c", new_version)
    checksums = {d["report_id"]: g for d, g in docs if d["report_id"] != gone}
    live = [(d, g) for d, g in docs if d["report_id"] != gone]
    p = Postings(tmp_path, ["a", "b", "c"], checksums)
    assert len(p) == len(live) and p.n_all == len(docs) + len(old_version)
    assert not len(p.term(textnorm.unit_keys("旧版本")))
    found = {p.paragraph_id(d) for q in QUERIES for d in p.term(textnorm.unit_keys(q)).docs.tolist()}
    assert found and not any(pid.startswith(gone + ".") for pid in found)
    assert merge.merge_plan(p)[1]  # more than a quarter is dead somewhere
    some = sorted({w for seg in p.segments for w in seg.word_keys["words"]})
    assert all(p.word_count("words", w) == len(p.word_docs("words", w)) for w in some)  # the dead left out
    assert any(p.word_count("words", w) < p.df("words", w) for w in some)

    merge.merge(tmp_path, ["a", "b", "c"], checksums, "m")
    merged = Postings(tmp_path, ["m"], checksums)
    write(tmp_path, "fresh", live)
    fresh = Postings(tmp_path, ["fresh"], checksums)
    assert merged.n_all == len(merged) == len(fresh) == len(live)
    assert all(merged.word_count("words", w) == len(merged.word_docs("words", w)) == merged.df("words", w)
               for w in some)  # every paragraph live: counted from the ranges
    assert answers(merged, QUERIES) == answers(fresh, QUERIES)
    assert {merged.paragraph_id(d) for d in merged.live_docs.tolist()} == {d["id"] for d, _ in live}
    for name, col in merged.columns.items():
        assert reference.tuples(col) == reference.tuples(fresh.columns[name]), name


def test_a_segment_lists_where_each_concept_phrase_stands_as_matching_finds_it(docs, tmp_path, monkeypatch):
    """GIVEN the seeds written once with the phrase table of every concept's and
    regulation's names and parts (what a build writes) and once without
    WHEN each phrase is matched THEN both give the same paragraphs and scores, the
    table holds every phrase (those found nowhere as empty), and with the table no
    phrase is matched at search time."""
    phrases = kb_build.phrases()
    checksums = {d["report_id"]: g for d, g in docs}
    write(tmp_path, "plain", docs)
    w = SegmentWriter()
    for doc, digest in docs:
        w.add(doc, digest)
    w.finish(tmp_path, "table", phrases)
    plain, table = Postings(tmp_path, ["plain"], checksums), Postings(tmp_path, ["table"], checksums)
    assert plain.segments[0].phrase_docs(phrase_key(phrases[0])) is None
    assert all(table.segments[0].phrase_docs(phrase_key(r)) is not None for r in phrases)
    want = {phrase_key(r): plain.term(r) for r in phrases}
    assert sum(1 for x in want.values() if len(x)) > 20
    monkeypatch.setattr(reader, "term_docs", None)  # matching a phrase now fails
    for runs in phrases:
        got, expected = table.term(runs), want[phrase_key(runs)]
        assert got.docs.tolist() == expected.docs.tolist() and np.array_equal(got.scores, expected.scores), runs


def test_a_segment_without_its_grams_paragraphs_answers_the_same_to_the_last_bit(docs, tmp_path):
    """GIVEN the seeds written as one segment, and the same segment without the arrays of
    each gram's paragraphs and counts (as a segment written before they were kept)
    WHEN terms of every length are matched and scored THEN both give the same
    paragraphs and the very same scores: counted in the positions or read from the
    counts kept, a term's BM25 is one."""
    import random  # noqa: PLC0415

    write(tmp_path, "s", docs)
    meta = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert {"gram_pairs_packed", "gram_pairs_bytes"} <= set(meta["arrays"])
    for f in tmp_path.glob("s.*"):
        (tmp_path / f.name.replace("s.", "old.", 1)).write_bytes(f.read_bytes())
    meta["arrays"] = [a for a in meta["arrays"] if a not in ("gram_pairs_packed", "gram_pairs_bytes")]
    (tmp_path / "old.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    checksums = {d["report_id"]: g for d, g in docs}
    new, old = Postings(tmp_path, ["s"], checksums), Postings(tmp_path, ["old"], checksums)
    assert old.segments[0].gram_pairs(0, 1) is None
    rng = random.Random(5)
    texts = [d["text"] for d, _ in docs]
    pieces = [t[i:i + rng.randint(1, 7)] for t in rng.sample(texts, 40) for i in [rng.randrange(max(1, len(t) - 7))]]
    scored = 0
    for q in QUERIES + pieces:
        a, b = new.term(textnorm.unit_keys(q)), old.term(textnorm.unit_keys(q))
        assert a.docs.tolist() == b.docs.tolist() and np.array_equal(a.scores, b.scores), q
        scored += len(a)
    assert scored > 500


def paragraphs_as_postings(folder, texts: list[str]) -> Postings:
    """``texts`` as the paragraphs p1, p2, … of one report, written as one segment."""
    w = SegmentWriter()
    for i, text in enumerate(texts, 1):
        w.add({"id": f"2024-00000001.p{i}", "title": "", "text": text, "section": "[]", "unsure": "", "report_id": "2024-00000001",
               "ordinal": i, "agency": "甲",
               "year": "2024", "region": "", "level": "", "section_kind": "其他", "topic": "", "regulation": ""}, "x")
    w.finish(folder, "s")
    return Postings(folder, ["s"], {"2024-00000001": "x"})


def test_words_near_each_other_are_found_inside_the_anchors_paragraph_whatever_stands_before_it(tmp_path):
    """GIVEN a paragraph ending in 改造 and the next one starting 老旧小区加快改造 (改造 both
    within the window before 老旧小区, in the paragraph before, and after it, in its own),
    and a paragraph where 改造 stands only in the paragraph before
    WHEN the words 老旧小区 and 改造 are looked for near each other THEN the second
    paragraph is found (the place before it in another paragraph does not hide the one in
    it) and the last one is not (a word of another paragraph never counts)."""
    texts = ["推进城镇老旧小区改造", "老旧小区加快改造", "坚持改造", "老旧小区整治提升"]
    p = paragraphs_as_postings(tmp_path, texts)
    found = p.near([textnorm.unit_keys("老旧小区"), textnorm.unit_keys("改造")], 8)
    assert [p.paragraph_id(d) for d in found.tolist()] == ["2024-00000001.p1", "2024-00000001.p2"]


def test_a_term_across_a_break_matches_only_its_runs_with_one_break_between(tmp_path):
    """GIVEN paragraphs with 行政处罚，法律 / 行政处罚法律 / 行政处罚；法律 / 处罚，法律条文 /
    行政处罚，依法律
    WHEN terms with a break are matched THEN a run before the break must end at a break
    and the run after it start there: 行政处罚，法律 is in the first and third only."""
    texts = ["依照行政处罚，法律规定。", "行政处罚法律规定。", "行政处罚；法律", "处罚，法律条文", "行政处罚，依法律"]
    p = paragraphs_as_postings(tmp_path, texts)
    got = [p.paragraph_id(d) for d in p.term(textnorm.unit_keys("行政处罚，法律")).docs.tolist()]
    assert got == ["2024-00000001.p1", "2024-00000001.p3"]
    assert [p.paragraph_id(d) for d in p.term(textnorm.unit_keys("处罚，法律")).docs.tolist()] == [
        "2024-00000001.p1", "2024-00000001.p3", "2024-00000001.p4"]
    assert len(p.term(textnorm.unit_keys("处罚，法"))) == 3  # 法 starts the run after the break
    assert [p.paragraph_id(d) for d in p.term(textnorm.unit_keys("处罚，依")).docs.tolist()] == ["2024-00000001.p5"]
    assert [p.paragraph_id(d) for d in p.term(textnorm.unit_keys("处罚法律")).docs.tolist()] == ["2024-00000001.p2"]



def test_incremental_builds_drop_dead_segments_merge_many_and_answer_as_a_full_build(fresh_copy, tmp_path):
    """GIVEN the seeds built WHEN a report is added, then removed THEN its segment goes
    with it; WHEN one report is edited ten times, a build each time THEN the segments
    never exceed MERGE_SEGMENTS + 1 and every search answers as a full build does."""
    from kb.knowledgebase import KnowledgeBase  # noqa: PLC0415
    from kb.search.request import SearchRequest

    corpus_dir, index_dir = fresh_copy
    copy = corpus.read(corpus_dir / "2025-597752dc.md")
    copy.id = "2025-00000002"
    corpus.write(corpus_dir, copy)
    assert len(kb_build.build(corpus_dir, index_dir)["postings"]) == 2
    (corpus_dir / "2025-00000002.md").unlink()
    assert len(kb_build.build(corpus_dir, index_dir)["postings"]) == 1
    path = corpus_dir / "2024-cace2198.md"
    for i in range(10):
        path.write_text(path.read_text(encoding="utf-8") + f"\n第{i}次修改：增量构建的标记丁戊己。\n", encoding="utf-8")
        assert len(kb_build.build(corpus_dir, index_dir)["postings"]) <= merge.MERGE_SEGMENTS + 1
    full = tmp_path / "full"
    kb_build.build(corpus_dir, full, full=True)

    def answers(kb):
        return [(r["total"], [h["id"] for h in r["hits"]], r["facets"])
                for q in ("丁戊己", "法律顾问", "执法 -处罚", "")
                for r in [kb.search(SearchRequest.from_args({"q": [q], "size": ["100"]}))]]

    assert answers(KnowledgeBase(corpus_dir, index_dir)) == answers(KnowledgeBase(corpus_dir, full))


def test_a_build_writes_a_segment_per_segment_docs_and_answers_as_one_segment(tmp_path, monkeypatch):
    """GIVEN SEGMENT_DOCS = 20 WHEN the seeds (about a hundred paragraphs) are built THEN there are
    several segments, and every search --
    hits, order, scores, facets -- answers exactly as one segment does; WHEN reports
    then change one by one THEN the small segments get merged and the answers still
    agree with a full build."""
    from kb.knowledgebase import KnowledgeBase  # noqa: PLC0415
    from kb.search.request import SearchRequest
    from tests.support.seeds import copy_corpus  # noqa: PLC0415

    corpus_dir = copy_corpus(tmp_path / "corpus")
    kb_build.build(corpus_dir, tmp_path / "one")
    monkeypatch.setattr(merge, "SEGMENT_DOCS", 20)
    meta = kb_build.build(corpus_dir, tmp_path / "many")
    assert len(meta["postings"]) >= 4

    def answers(index_dir):
        kb = KnowledgeBase(corpus_dir, index_dir)
        out = []
        for q in ("法律顾问", "执法", "行政处罚法", "三项制度", "执法 -处罚", ""):
            r = kb.search(SearchRequest.from_args({"q": [q], "size": ["100"]}))
            out.append((r["total"], [h["id"] for h in r["hits"]], r["facets"]))
            out.append([(g["agency"], g["matches"], g["best"]["id"], g["best"]["score"])
                        for g in kb.compare(SearchRequest.from_args({"q": [q or "法"]}))["groups"]])
        return out

    assert answers(tmp_path / "many") == answers(tmp_path / "one")
    for i, path in enumerate(sorted(corpus_dir.glob("*.md")) * 3):
        path.write_text(path.read_text(encoding="utf-8") + f"\n第{i}次修改。\n", encoding="utf-8")
        meta = kb_build.build(corpus_dir, tmp_path / "many")
        assert len(meta["postings"]) <= merge.MERGE_SEGMENTS + 5
    kb_build.build(corpus_dir, tmp_path / "full", full=True)
    assert answers(tmp_path / "many") == answers(tmp_path / "full")


def test_every_query_finds_exactly_the_paragraphs_the_python_reference_matches(kb):
    """GIVEN the seed index and queries of every kind -- words, phrases, terms with a
    break inside (also where one paragraph ends and the next begins: 职，一), exclusions,
    OR, parentheses, concepts, single characters, random pieces of the text
    WHEN evaluated on the postings THEN the paragraphs are exactly those for which
    reference.matches (plain Python over the text) holds."""
    import random  # noqa: PLC0415

    from kb.core.settings import Ranking  # noqa: PLC0415
    from kb.engines import query  # noqa: PLC0415

    idx = kb.engine()
    p = idx.postings()
    ids = [p.paragraph_id(d) for d in p.live_docs.tolist()]
    texts = {pid: stored["text"] for pid, stored in zip(ids, idx.fetch(ids), strict=True)}
    rng = random.Random(7)
    pieces = []
    for text in rng.sample(sorted(texts.values()), 30):
        i = rng.randrange(max(1, len(text) - 8))
        pieces.append(text[i:i + rng.randint(1, 8)].replace('"', "").replace("-", "").strip("() ") or "法")
    queries = ["法律顾问", "法", "2023", "双随机、一公开", '"行政处罚法"', "职，一", "下，2023", "行政，处罚",
               "执法 -处罚", "法治 -合法性审查", "(复议 OR 诉讼) 案件", "法律顾问 OR 公职律师", "三项制度",
               "简政放权", "-法", "处罚，法", *pieces]
    for q in queries:
        tree = query.parse(q)
        got = {p.paragraph_id(d) for d in plain_tree.evaluate(tree, p, Ranking()).docs.tolist()}
        want = {pid for pid, text in texts.items() if reference.matches(tree, text)}
        assert got == want, q


def test_a_paragraphs_score_does_not_depend_on_the_filters_or_on_what_else_is_scored(kb):
    """GIVEN the seed index and queries of every kind (terms whose jieba words rank them,
    AND, OR, exclusions, concepts, words apart) WHEN evaluated within a facet filter
    (only those paragraphs matched and scored), and unscored THEN they are exactly the
    paragraphs of the whole evaluation that the filter allows, with the very same scores
    (bit for bit), and the unscored evaluation finds the same paragraphs."""
    from kb.core.settings import Ranking  # noqa: PLC0415
    from kb.engines import query  # noqa: PLC0415

    p, r = kb.engine().postings(), Ranking()
    masks = [p.mask("year", [v]) for v in p.columns["year"].values[:2]]
    masks += [p.mask("agency", p.columns["agency"].values[:1]), np.zeros(p.n_all, dtype=bool)]
    queries = ["法律顾问", "法", "行政执法", "双随机一公开", '"行政处罚法"', "执法 -处罚", "(复议 OR 诉讼) 案件",
               "法律顾问 OR 公职律师", "简政放权", "放管服", "-法", "医疗纠纷调解", "法治 政府 建设", "2023"]
    for q in queries:
        tree = query.parse(q)
        for loose in (False, True):
            whole = plain_tree.evaluate(tree, p, r, loose)
            assert np.array_equal(plain_tree.evaluate(tree, p, r, loose, score=False).docs, whole.docs), q
            for m in masks:
                keep = m[whole.docs]
                part = plain_tree.evaluate(tree, p, r, loose, within=m)
                assert np.array_equal(part.docs, whole.docs[keep]), q
                assert np.array_equal(part.scores, whole.scores[keep]), q


@pytest.mark.parametrize("seed", range(3))
def test_sets_combine_the_same_by_mask_as_by_sorting(seed):
    """GIVEN random sets of documents with scores, dense and sparse WHEN intersected and
    united THEN the documents and the scores (bit for bit, summed in the items' order) are
    those of numpy's sorting set operations, whichever way each pair was combined."""
    rng = np.random.default_rng(seed)
    for _ in range(300):
        n = int(rng.integers(1, 3000))
        items = []
        for _ in range(int(rng.integers(2, 4))):
            d = np.sort(rng.choice(n, int(rng.integers(0, n + 1)), replace=False)).astype(np.int64)
            items.append(Scored(d, rng.random(len(d))))
        want = items[0]
        for x in items[1:]:
            common, i, j = np.intersect1d(want.docs, x.docs, assume_unique=True, return_indices=True)
            want = Scored(common, want.scores[i] + x.scores[j])
        got = intersection(items)
        assert np.array_equal(got.docs, want.docs) and np.array_equal(got.scores, want.scores)
        u, inverse = np.unique(np.concatenate([x.docs for x in items]), return_inverse=True)
        sums = np.bincount(inverse, weights=np.concatenate([x.scores for x in items]), minlength=len(u))
        for united in (union(items), union(items, n)):
            assert np.array_equal(united.docs, u) and np.allclose(united.scores, sums, rtol=0, atol=1e-12)

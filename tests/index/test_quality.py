"""Search quality: recall independent of segmentation, precision of phrases, ranking
measured on judged queries, concepts, traditional characters, similar paragraphs."""

from __future__ import annotations

import json
import random
from dataclasses import replace

import pytest

from kb.core import corpus
from kb.core.errors import NotFound
from kb.core.settings import Ranking, Settings
from kb.enrich.paragraphs import paragraphs_of
from kb.enrich.regulations import titles_in
from kb.knowledgebase import KnowledgeBase
from kb.search.request import SearchRequest
from kb.text import meaning, textnorm, words
from tests.support.paths import DATA
from tools import evaluate, realreports

JUDGMENTS = "tests/data/judgments.toml"
REAL_JUDGMENTS = "tests/data/judgments_real.toml"
# Measured with `python -m tools.evaluate ranking` (docs/SEARCH_QUALITY.md); recall@10 is of what ten places can hold,
# "never" the share of the relevant paragraphs that the search does not return at all.
THRESHOLDS = {"recall@10": 0.82, "ndcg@10": 0.85, "mrr": 0.95}  # seed corpus: 0.835 / 0.867 / 1.000
# real reports: 0.958 / 0.932 / 1.000 and 4.5% never returned; issue 14's targets: 0.9, 0.9, at most 5%
REAL_THRESHOLDS = {"recall@10": 0.9, "ndcg@10": 0.9, "mrr": 0.95}
REAL_NEVER = 0.05


@pytest.fixture(scope="module")
def unit_texts(corpus_dir) -> dict[str, str]:
    """Every paragraph as its unit keys joined by \\x1f, with \\x1e at a break."""
    out = {}
    for report in corpus.iter_reports(corpus_dir):
        for p in paragraphs_of(report):
            out[p.id] = "\x1e" + "\x1e".join("\x1f".join(run) for run in textnorm.unit_keys(p.text)) + "\x1e"
    return out


def ground_truth(unit_texts: dict[str, str], s: str) -> set[str]:
    """The paragraphs in which the units of ``s`` stand together (plain string search;
    runs that a break separates in ``s`` stand on both sides of one break)."""
    needle = "\x1e".join("\x1f".join(run) for run in textnorm.unit_keys(s))
    return {pid for pid, t in unit_texts.items()
            if any(t.find(sep + needle + end) != -1 for sep in "\x1e\x1f" for end in "\x1e\x1f")}


def sample_strings(corpus_dir) -> list[str]:
    """≥ 1,000 strings: every 《…》 title, the dictionary terms, and random 2–6 character
    pieces of paragraphs, some written with punctuation inside (、 · spaces, quotes)."""
    rng = random.Random(2026)
    texts = [p.text for r in corpus.iter_reports(corpus_dir) for p in paragraphs_of(r)]
    titles = sorted({t for text in texts for t in titles_in(text)})
    terms = [w for w, _, _ in words.read_userdict()]
    pieces: set[str] = set()
    runs = [run for text in texts for run in textnorm.unit_keys(text) if len(run) >= 6]
    while len(pieces) < 1000:
        run = rng.choice(runs)
        n = rng.randint(2, 6)
        i = rng.randrange(len(run) - n + 1)
        piece = run[i:i + n]
        if all(len(u) == 1 and textnorm.is_cjk(u) for u in piece):
            chars = list(piece)
            style = rng.random()
            if style < 0.15:  # 双随机、一公开
                chars.insert(rng.randrange(1, n), "、")
            elif style < 0.25:
                chars.insert(rng.randrange(1, n), " ")
            elif style < 0.3:
                chars = ["“", *chars, "”"]
            pieces.add("".join(chars))
    return titles + terms + sorted(pieces)


def quoted_ids(kb, s: str) -> set[str]:
    out, page = set(), 1
    while True:
        r = kb.search(SearchRequest(q='"' + s.replace('"', "") + '"', size=100, page=page))
        out |= {h["id"] for h in r["hits"]}
        if page >= r["pages"]:
            return out
        page += 1


def test_quoted_phrases_have_full_recall_and_precision_against_substring_truth(kb, corpus_dir, unit_texts):
    """GIVEN ≥ 1,000 strings (titles, dictionary terms, random pieces with punctuation inside)
    WHEN each is searched as a quoted phrase
    THEN the hits are exactly the paragraphs that contain it: recall and precision 100%."""
    strings = sample_strings(corpus_dir)
    assert len(strings) >= 1000
    found = relevant = correct = 0
    wrong = {}
    for s in strings:
        got, want = quoted_ids(kb, s), ground_truth(unit_texts, s)
        found, relevant, correct = found + len(got), relevant + len(want), correct + len(got & want)
        if got != want:
            wrong[s] = (sorted(got - want), sorted(want - got))
    assert wrong == {}
    assert correct == found == relevant > 1000


def test_quoted_law_name_does_not_match_longer_or_broken_words(kb, unit_texts):
    """行政处罚法 does not match 行政处罚执法, 行政处罚自由裁量基准 or 行政处罚，法律."""
    ids = quoted_ids(kb, "行政处罚法")
    assert ids == ground_truth(unit_texts, "行政处罚法") != set()
    for pid in ids:
        assert "行政处罚法" in unit_texts[pid].replace("\x1f", "")
    assert quoted_ids(kb, "行政处罚执法") == ground_truth(unit_texts, "行政处罚执法")


@pytest.mark.parametrize("q", ["罚", "1620", "app", "2023"])
def test_single_characters_and_latin_or_number_tokens(kb, unit_texts, q):
    got = quoted_ids(kb, q)
    assert got == ground_truth(unit_texts, q) != set()


def test_number_tokens_match_whole_numbers_only(kb, unit_texts):
    """162 is not found inside 1620: a number is one unit."""
    assert quoted_ids(kb, "162") == ground_truth(unit_texts, "162")
    assert not quoted_ids(kb, "162") & quoted_ids(kb, "1620")


def test_ranking_meets_the_measured_thresholds(kb):
    """GIVEN the judged queries (tests/data/judgments.toml, written before tuning)
    THEN recall@10, nDCG@10 and MRR stay at or above what was measured."""
    judged = evaluate.load(JUDGMENTS)
    assert len(judged) >= 30
    means = evaluate.means(evaluate.measure_ranking(kb, judged))
    for name, floor in THRESHOLDS.items():
        assert means[name] >= floor, (name, means)


def test_ranking_on_the_held_out_seed_queries_meets_the_measured_thresholds(kb):
    """The 14 queries of issue 27 held out from tuning (problems worded otherwise than the text):
    0.307 / 0.440 before the model of meaning, 0.671 / 0.814 after (docs/SEARCH_QUALITY.md)."""
    means = evaluate.means(evaluate.measure_ranking(kb, evaluate.load("tests/data/judgments_heldout_seeds.toml")))
    assert means["recall@10"] >= 0.65 and means["ndcg@10"] >= 0.8 and means["mrr"] >= 0.95, means


def test_ranking_on_the_second_held_out_seed_queries_stays_at_what_was_measured(kb):
    """The 16 seed queries of issue 27 held out until two rounds were recorded: 0.366 / 0.516 before the
    answers of a problem, 0.562 / 0.676 with the whole query, 0.764 / 0.783 once it fills the page, never returned 21.7% →
    16.3% once it fills to 40 at 0.2 (docs/SEARCH_QUALITY.md); a floor, not a target."""
    judged = evaluate.load("tests/data/judgments_heldout2_seeds.toml")
    assert len(judged) >= 15
    means = evaluate.means(evaluate.measure_ranking(kb, judged))
    assert means["recall@10"] >= 0.75 and means["ndcg@10"] >= 0.77 and means["never"] <= 0.17, means


def test_ranking_on_the_third_held_out_seed_queries_stays_at_what_was_measured(kb):
    """The 12 seed queries of issue 27 held out for good (never tuned on): 0.302 / 0.408 / 73.9% never
    returned before the whole query filled the page, 0.489 / 0.541 / 56.5% after, 0.513 / 0.548 / 44.6% once
    it fills to 40 at 0.2 (docs/SEARCH_QUALITY.md); a floor, not a target."""
    judged = evaluate.load("tests/data/judgments_heldout3_seeds.toml")
    assert len(judged) >= 12
    means = evaluate.means(evaluate.measure_ranking(kb, judged))
    assert means["recall@10"] >= 0.51 and means["ndcg@10"] >= 0.54 and means["never"] <= 0.46, means


def test_ranking_on_the_fourth_held_out_seed_queries_stays_at_what_was_measured(kb):
    """The 12 seed queries of issue 27's fifth round, held out for good (never tuned on): 0.612 / 0.694 /
    49.2% never returned with the code they were judged before, 0.609 / 0.694 / 50.8% with the whole
    query's feedback, 0.623 / 0.698 / 42.4% once the whole query fills to 40 at 0.2 (read while tuning in
    stop 37: docs/SEARCH_QUALITY.md); a floor, not a target."""
    judged = evaluate.load("tests/data/judgments_heldout4_seeds.toml")
    assert len(judged) >= 12
    means = evaluate.means(evaluate.measure_ranking(kb, judged))
    assert means["recall@10"] >= 0.62 and means["ndcg@10"] >= 0.69 and means["never"] <= 0.44, means


def test_ranking_on_the_fifth_held_out_seed_queries_stays_at_what_was_measured(kb):
    """The 18 seed queries judged in stop 37 by reading, never tuned on and never read while tuning:
    0.509 / 0.626 / 54.8% never returned with main's ranking of ec45fa2 (docs/SEARCH_QUALITY.md); a floor,
    not a target."""
    judged = evaluate.load("tests/data/judgments_heldout5_seeds.toml")
    assert len(judged) >= 14
    means = evaluate.means(evaluate.measure_ranking(kb, judged))
    assert means["recall@10"] >= 0.50 and means["ndcg@10"] >= 0.62 and means["never"] <= 0.55, means


def test_ranking_on_the_sixth_held_out_seed_queries_stays_at_what_was_measured(kb):
    """The 19 seed queries judged in stop 38 by reading before their first run, never tuned on: 0.551 /
    0.727 / 39.5% never returned with main's ranking of 33d4971 (docs/SEARCH_QUALITY.md); a floor, not a
    target."""
    judged = evaluate.load("tests/data/judgments_heldout6_seeds.toml")
    assert len(judged) >= 18
    means = evaluate.means(evaluate.measure_ranking(kb, judged))
    assert means["recall@10"] >= 0.55 and means["ndcg@10"] >= 0.72 and means["never"] <= 0.40, means


def test_ranking_all_measures_every_judged_set_the_seventh_held_out_ones_last():
    """GIVEN the judgments files of tests/data THEN `python -m tools.evaluate ranking --all` measures every
    one of them (a set added but left out of the summary is never seen), the newest held-out sets last,
    but the sets of queries with no answer (judgments_noanswer_*), which recall cannot measure
    (`python -m tools.evaluate noanswer`, `python -m tools.invented`)."""
    paths = [path for _, path in evaluate.SETS]
    on_disk = sorted(f"tests/data/{p.name}" for p in DATA.glob("judgments*.toml") if "noanswer" not in p.name)
    assert sorted(paths) == on_disk
    assert paths[-2:] == ["tests/data/judgments_heldout7_seeds.toml", "tests/data/judgments_heldout7_real.toml"]
    assert all(evaluate.load_set(DATA / path.removeprefix("tests/data/")).queries for path in paths)


def test_ranking_on_real_reports_meets_the_measured_thresholds(real_judged):
    """GIVEN ≥ 40 measure queries judged on ~100 real reports by reading every pooled paragraph
    (tests/data/judgments_real.toml, written before tuning)
    THEN recall@10, nDCG@10 and MRR stay at or above what was measured, and the share of
    relevant paragraphs never returned at or below it; every judged paragraph is found."""
    judged, built = real_judged
    assert len(judged.queries) >= 40 and len(judged.files) >= 90
    queries, missing = evaluate.resolve(judged.queries, built.ids)
    assert missing == []
    means = evaluate.means(evaluate.measure_ranking(KnowledgeBase(built.corpus_dir, built.index_dir), queries))
    for name, floor in REAL_THRESHOLDS.items():
        assert means[name] >= floor, (name, means)
    assert means["never"] <= REAL_NEVER, means
    assert means["unjudged@10"] <= 1.0, means


def test_the_ranking_command_prints_what_the_library_measures(kb, corpus_dir, index_dir, capsys):
    """GIVEN the seed judgments WHEN `python -m tools.evaluate ranking --json` runs THEN it prints
    the scores and means the library computes; a judged set of real reports without the tarball
    is an Error, exit 1."""
    argv = ["ranking", "--corpus", str(corpus_dir), "--index", str(index_dir), "--judgments", JUDGMENTS]
    assert evaluate.main([*argv, "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    scores = evaluate.measure_ranking(kb, evaluate.load(JUDGMENTS))
    assert printed == {"queries": [s.__dict__ for s in scores], "means": evaluate.means(scores), "missing": []}
    assert evaluate.main(argv) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith(f"mean of {len(scores)}")
    assert evaluate.main(["ranking", "--judgments", REAL_JUDGMENTS, "--real", "/nonexistent.tar.xz"]) == 1
    assert capsys.readouterr().err.startswith("Error: ")


def test_ranking_scores_are_computed_right():
    j = evaluate.Judged("q", {"a": 2, "b": 1, "c": 2})
    perfect = evaluate.score(j, ["a", "c", "b", "x"], returned={"a", "b", "c", "x"})
    assert (perfect.recall, round(perfect.ndcg, 6), perfect.rr, perfect.never) == (1.0, 1.0, 1.0, 0)
    late = evaluate.score(j, ["x", "y", "b"], returned={"x", "y", "b"})
    assert late.recall == pytest.approx(1 / 3) and late.rr == pytest.approx(1 / 3) and late.never == 2
    assert 0 < late.ndcg < 0.3
    assert evaluate.score(j, ["x"]).ndcg == 0
    many = evaluate.Judged("q", {str(i): 1 for i in range(30)}, irrelevant={"x"})
    top = evaluate.score(many, [str(i) for i in range(9)] + ["y"], returned={str(i) for i in range(25)})
    assert top.recall == pytest.approx(0.9)  # of the ten places, not of the 30 relevant
    assert (top.never, top.unjudged) == (5, 1)  # y was never judged
    m = evaluate.means([perfect, late, top])
    assert m["never"] == pytest.approx(7 / 36)


def test_a_real_paragraph_is_named_by_its_file_and_text_hash():
    assert realreports.text_hash("**（一）稳就业。**就业 优先") == realreports.text_hash("（一）稳就业。就业优先")
    assert realreports.text_hash("稳就业") != realreports.text_hash("稳 就业 。")
    assert realreports.text_hash("稳就业", 12) == realreports.text_hash("稳就业")[:12]
    judged = [evaluate.Judged("q", {"f#1": 2, "f#2": 1}, irrelevant={"f#3"})]
    resolved, missing = evaluate.resolve(judged, {"f#1": "r.p1", "f#3": "r.p3"})
    assert (resolved[0].relevant, resolved[0].irrelevant, missing) == ({"r.p1": 2}, {"r.p3"}, ["f#2"])


def test_real_corpus_names_the_files_it_cannot_find(tmp_path):
    from kb.core.errors import KbError
    from tests.support.paths import TARBALL

    with pytest.raises(KbError, match="没有"):
        evaluate.real_corpus(TARBALL, ["政府工作报告-省自治区/无此省/2024.md"], tmp_path)


def test_heading_and_whole_word_matches_rank_first(kb):
    """The paragraph under the heading (五) 建立健全法律顾问制度 ranks first for 法律顾问."""
    top = kb.search(SearchRequest(q="法律顾问", size=3))["hits"]
    assert "法律顾问" in top[0]["section"]


def test_a_concept_finds_paragraphs_that_describe_it_without_its_name(kb):
    """GIVEN 2024-cace2198.p8 describes 执法公示, 全过程记录 and 法制审核 without saying 三项制度
    WHEN searching 三项制度
    THEN it is found and says which expansion matched; quoted, it is not found."""
    r = kb.search(SearchRequest(q="三项制度", size=100))
    by_id = {h["id"]: h for h in r["hits"]}
    assert "2024-cace2198.p8" in by_id
    assert "三项制度" not in by_id["2024-cace2198.p8"]["text"]
    assert by_id["2024-cace2198.p8"]["also_matched"] == ["执法公示 全过程记录 法制审核"]
    assert r["expansions"][0]["term"] == "三项制度"
    assert "三项制度" in r["hits"][0]["text"]  # a direct match first
    quoted = kb.search(SearchRequest(q='"三项制度"', size=100))
    assert "2024-cace2198.p8" not in {h["id"] for h in quoted["hits"]} and quoted["expansions"] == []


def test_放管服_and_简政放权_find_each_other(kb):
    """放管服 stands for 简政放权、放管结合、优化服务: each finds the other, and says so."""
    r = kb.search(SearchRequest(q="放管服", size=100))
    [expansion] = r["expansions"]
    assert expansion["term"] == "放管服"
    assert expansion["also"][:2] == ["简政放权", "放管结合"]  # (放管服改革 is a superstring: no more than 放管服)
    assert "简政放权 放管结合 优化服务" in expansion["also"]
    r = kb.search(SearchRequest(q="简政放权", size=100))
    via = [h for h in r["hits"] if h["also_matched"]]
    assert any("放管服" in h["text"] and "放管服" in h["also_matched"] for h in via)
    assert all("放管服" in h["text"] for h in via if "放管服" in h["also_matched"])
    direct = [h for h in r["hits"] if not h["also_matched"] and h["match"] == "exact"]
    assert any("简政、放权" in h["text"] for h in direct)  # 、 inside the term is ignored
    assert all(h["match"] == "related" for h in via)


def test_a_query_in_traditional_characters_finds_the_simplified_text(kb):
    trad = kb.search(SearchRequest(q="行政處罰法", size=100))
    simp = kb.search(SearchRequest(q="行政处罚法", size=100))
    assert [h["id"] for h in trad["hits"]] == [h["id"] for h in simp["hits"]] != []
    assert "<mark>行政处罚法</mark>" in trad["hits"][0]["excerpt_html"]
    assert [h["id"] for h in kb.search(SearchRequest(q="雙隨機、一公開", size=100))["hits"]] == \
           [h["id"] for h in kb.search(SearchRequest(q="双随机一公开", size=100))["hits"]]


def test_highlights_are_whole_phrases_at_exact_offsets(kb):
    """A 行政处罚法 query lights 行政处罚法 whole, never 行政 inside 行政执法."""
    for hit in kb.search(SearchRequest(q='"行政处罚法"', size=100))["hits"]:
        assert "<mark>行政</mark>" not in hit["excerpt_html"]
        assert "<mark>行政处罚法</mark>" in hit["excerpt_html"]


def test_similar_paragraphs_come_from_other_agencies(kb):
    source = "2023-fcba1866.p6"  # 南阳: (五) 建立健全法律顾问制度
    r = kb.similar(source, limit=4)
    assert r["paragraph"]["id"] == source
    agencies = [h["agency"] for h in r["similar"]]
    assert len(agencies) == len(set(agencies)) == 4
    assert "南阳市卫生健康体育委员会" not in agencies
    assert [h["score"] for h in r["similar"]] == sorted((h["score"] for h in r["similar"]), reverse=True)
    assert any("法律顾问" in h["text"] for h in r["similar"][:2])
    with pytest.raises(NotFound):
        kb.similar("2023-fcba1866.p999")


def test_the_user_dictionary_is_used_at_index_and_query_time():
    assert "双随机一公开" in words.cut("全面推行双随机一公开监管")
    assert "首违不罚" in words.cut("推行首违不罚")
    assert any(w for w, _, _ in words.read_userdict() if w == "谁执法谁普法")


def test_a_term_with_clause_punctuation_matches_only_where_its_parts_stand_together(kb, unit_texts):
    """法治，建设 is found only where 法治 and 建设 stand on both sides of one break."""
    for q, n in (('"法治，建设"', 0), ("执法，监督", 0), ('"职责，带头"', 1), ("职责，带头", 1)):
        r = kb.search(SearchRequest(q=q, size=100))
        want = ground_truth(unit_texts, q.strip('"'))
        assert {h["id"] for h in r["hits"]} == want and r["total"] == len(want) == n, q
        assert all("<mark>职责，带头</mark>" in h["excerpt_html"] for h in r["hits"])
    assert kb.search(SearchRequest(q="法治 建设"))["total"] > 40  # apart, both words: many


def test_exclusion_never_returns_a_paragraph_with_the_excluded_word(kb):
    """A whoosh AndNot bug returned the first hit unchecked (培训 -宣传 returned a 宣传 paragraph)."""
    for q, word in (("培训 -宣传", "宣传"), ("南阳 -法", "法"), ("执法 -(处罚 OR 检查)", "处罚")):
        r = kb.search(SearchRequest(q=q, size=100))
        assert r["total"] > 0 or q.startswith("南阳")
        assert all(word not in h["text"] for h in r["hits"]), q


def test_related_matches_follow_the_exact_ones_and_loose_ones_only_when_nothing_matches(kb):
    """GIVEN 全面推进 (written together in some paragraphs, apart in others)
    THEN the exact matches come first, then the related ones, each saying how it matched;
    法律顾问培训 is never written together: its words in one clause are related matches;
    quoted, nothing."""
    r = kb.search(SearchRequest(q="全面推进", size=100))
    n = r["exact_total"]
    assert n > 0 and r["related_total"] > 0 and r["total"] == n + r["related_total"] and not r["loose"]
    assert all(h["match"] == "exact" and "全面推进" in h["text"] for h in r["hits"][:n])
    assert all(h["match"] == "related" and "全面推进" not in h["text"] for h in r["hits"][n:])
    assert all(h["matched_by"] for h in r["hits"][n:])
    assert all("全面" in h["text"] and "推进" in h["text"] for h in r["hits"][n:] if h["matched_by"][0].startswith("同句"))
    assert any(h["matched_by"][0].startswith("标题") for h in r["hits"][n:])  # the measure in the heading above
    r = kb.search(SearchRequest(q="法律顾问培训", size=100))
    assert r["exact_total"] == 0 and r["total"] > 0
    by_words = [h for h in r["hits"] if not h["matched_by"][0].startswith(("语义相近", "整体相近"))]  # others: by meaning
    assert by_words and all("法律顾问" in h["text"] and "培训" in h["text"] for h in by_words)
    assert all("<mark>法律顾问</mark>" in h["excerpt_html"] for h in by_words)
    assert kb.search(SearchRequest(q='"法律顾问培训"'))["total"] == 0
    exact_only = kb.search(SearchRequest(q="全面推进", size=100, match="exact"))
    assert exact_only["total"] == exact_only["exact_total"] == n and exact_only["related_total"] == 0


def test_text_in_traditional_characters_is_found_and_marked(tmp_path):
    """A report written in traditional characters is found by either script."""
    import shutil

    from kb.build import build
    from kb.knowledgebase import KnowledgeBase

    src = next(p for p in corpus.paths("corpus") if p.stem == "2023-616b1600")
    (tmp_path / "corpus").mkdir()
    text = src.read_text(encoding="utf-8").replace("我委常年聘请律师", "本署依《行政處罰法》辦理案件，我委常年聘请律师")
    (tmp_path / "corpus" / src.name).write_text(text, encoding="utf-8")
    build(tmp_path / "corpus", tmp_path / "index")
    k = KnowledgeBase(tmp_path / "corpus", tmp_path / "index")
    for q in ('"行政處罰法"', '"行政处罚法"', "辦理案件", "办理案件"):
        hits = k.search(SearchRequest(q=q, size=100))["hits"]
        assert any("辦理案件" in h["text"] for h in hits), q
    hit = next(h for h in k.search(SearchRequest(q="办理案件", size=100))["hits"] if "辦理" in h["text"])
    assert "<mark>辦理案件</mark>" in hit["excerpt_html"]
    shutil.rmtree(tmp_path / "index")


@pytest.mark.parametrize("q, fragment", [("(" * 40 + "法", "嵌套"), (" ".join(f"词{i}" for i in range(33)), "过多")])
def test_queries_too_deep_or_too_long_are_bad_requests(kb, q, fragment):
    from kb.core.errors import BadRequest

    with pytest.raises(BadRequest, match=fragment):
        kb.search(SearchRequest(q=q))


def test_a_repeated_word_is_one_word(kb):
    assert kb.search(SearchRequest(q="法 " * 200))["total"] == kb.search(SearchRequest(q="法"))["total"]


def test_similar_paragraphs_take_words_of_the_reports_not_pieces_of_names(kb):
    """GIVEN 县卫健委在县委… (jieba makes 健委在 of it) WHEN asking for similar paragraphs THEN the
    keywords are words the model of meaning knows or at least three paragraphs hold (issue 27)."""
    from kb.text import meaning

    model = meaning.active()
    words_of = kb.similar("2023-616b1600.p1")["keywords"]
    assert words_of and "健委在" not in words_of and "县卫" not in words_of
    assert sum(w in model.index for w in words_of) >= len(words_of) - 3


def test_a_problem_worded_otherwise_is_found_by_meaning_and_says_so(kb):
    """GIVEN 法治意识淡薄, which no seed report writes (they write 法律意识不强, 法治理念有待进一步增强,
    法治意识未完全树牢) THEN related matches by meaning come, each saying through what (语义相近：…)
    and holding a word that says something falls short; explain names the slots; quoted, none (issue 27)."""
    from kb.text import meaning

    r = kb.search(SearchRequest(q="法治意识淡薄", size=20, explain=True))
    assert r["exact_total"] == 0 and r["related_total"] > 0
    by_meaning = [h for h in r["hits"] if h["matched_by"][0].startswith("语义相近：")]
    assert by_meaning and {"2024-cace2198.p9", "2023-fcba1866.p15"} & {h["id"] for h in r["hits"]}
    kinds = meaning.PROBLEM + ("不到位", "未完全")
    assert all(any(w in h["text"] for w in kinds) for h in by_meaning)
    parts = [k for h in by_meaning for t in h["explain"]["terms"] for k in t["parts"]]
    assert any(k.startswith("meaning: ") for k in parts)
    assert kb.search(SearchRequest(q='"法治意识淡薄"'))["total"] == 0


def test_measures_that_answer_a_problem_come_after_the_paragraphs_that_state_it(kb):
    """GIVEN a problem (法治意识淡薄) THEN the paragraphs that answer it without naming
    it (its other words beside 加强, 健全, 提高 …: 应对的措施) are related matches too, each ranked
    after every paragraph that states the problem by meaning, explain saying so (issue 27)."""
    for q in ("法治意识淡薄",):
        hits = kb.search(SearchRequest(q=q, size=50, explain=True))["hits"]
        answers = [h for h in hits if h["matched_by"] and h["matched_by"][0].startswith("应对的措施")]
        assert answers and all(any(k.startswith("answers it") for t in h["explain"]["terms"] for k in t["parts"])
                               for h in answers)
        kinds = [h["matched_by"][0].split("：")[0] for h in hits if h["match"] == "related"]
        assert "应对的措施" in kinds, (q, kinds)
        first_answer = kinds.index("应对的措施")
        assert "语义相近" not in kinds[first_answer:] or all(
            "不含常见词" in h["matched_by"][0] for h in hits[first_answer:] if h["matched_by"][0].startswith("语义相近")), (q, kinds)


def test_the_whole_query_also_finds_what_its_best_matches_say_and_explain_names_them(kb, corpus_dir, index_dir):
    """服务型执法: one paragraph says it (服务型行政执法, 刚性执法和柔性执法相结合); the one that plans
    刚性柔性相结合 and 寓监管于服务之中 shares no word with the query and comes in through the whole
    query moved towards its other matches (pseudo-relevance feedback, issue 27; ``Ranking.whole_feedback``,
    off by default), below them; explain gives both cosines and how many paragraphs it was moved
    towards. Without feedback (the default) it does not come in."""
    fed = KnowledgeBase(settings=Settings(corpus_dir=corpus_dir, index_dir=index_dir,
                                          ranking=replace(Ranking(), whole_feedback=1.5)))
    r = fed.search(SearchRequest(q="服务型执法", size=20, explain=True))
    ids = [h["id"] for h in r["hits"]]
    assert ids[0] == "2023-616b1600.p6" and "2023-7a72d09e.p22" in ids, ids
    hit = r["hits"][ids.index("2023-7a72d09e.p22")]
    why = hit["explain"]
    assert hit["match"] == "related" and why["whole_query_feedback"] >= 1, why
    assert why["whole_query_feedback_meaning"] >= meaning.WHOLE_FILL_SIM > why["whole_query_meaning"], why
    assert "2023-7a72d09e.p22" not in [h["id"] for h in kb.search(SearchRequest(q="服务型执法", size=20))["hits"]]


def test_a_query_of_few_matches_is_filled_by_the_whole_query_down_to_its_floor(kb):
    """法治机构不健全 (issue 27, sixth round): no exact match and a few related ones; after them the
    paragraphs closest to the query as a whole fill the answer, to ``WHOLE_TOP`` in all, down to
    ``WHOLE_FILL_SIM`` (0.2; 0.3 and a page of 20 before), so that 配备专门的法治部门和专职人员, one
    sentence of a paragraph about several things (cosine 0.23), is returned; each of them says its
    cosine, none under the floor, all below every other match; the exact total stays 0."""
    r = kb.search(SearchRequest(q="法治机构不健全", size=50, explain=True))
    assert r["exact_total"] == 0 and r["total"] <= meaning.WHOLE_TOP
    whole = [h for h in r["hits"] if "whole_query_meaning" in h["explain"]]
    assert "2023-616b1600.p12" in [h["id"] for h in whole], [h["id"] for h in whole]
    assert all(h["explain"]["whole_query_meaning"] >= meaning.WHOLE_FILL_SIM for h in whole)
    assert r["hits"][-len(whole):] == whole  # below every other match


def test_a_negated_word_finds_what_falls_short_said_otherwise(kb):
    """学法不系统 (issue 27, seventh round): jieba cuts 学法 · 不 · 系统; 系统 is a slot of its own beside
    the problem word, so the paragraphs that say 学习缺乏系统性 and 系统性培训力度不够 come into the top ten
    (never returned and 21st before), each saying through what; the exact total stays 0."""
    r = kb.search(SearchRequest(q="学法不系统", size=10))
    assert r["exact_total"] == 0
    found = {h["id"]: h["matched_by"][0] for h in r["hits"]}
    assert {"2025-597752dc.p8", "2025-597752dc.p9"} <= set(found), found
    assert "系统" in found["2025-597752dc.p8"] and "缺乏" in found["2025-597752dc.p8"], found


def test_the_whole_query_keeps_its_common_word_and_says_how_it_holds_a_paragraph(kb):
    """执法一刀切 (issue 27, seventh round): one related match says it (同句); the whole query's tier fills
    the rest with paragraphs of 执法 -- each labelled 整体相近, never as matched by 执法 with 一刀切 as the
    common word -- and the 包容审慎监管 paragraph (首违不罚, an answer to it) is among the first ten."""
    r = kb.search(SearchRequest(q="执法一刀切", size=10))
    assert r["hits"][0]["matched_by"][0].startswith("同句")
    assert not any("不含常见词：一刀切" in m for h in r["hits"] for m in h["matched_by"])
    assert "2023-7a72d09e.p17" in [h["id"] for h in r["hits"]]

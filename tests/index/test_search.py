"""Search on the real index of the five seed reports: query language, filters, facets,
paging, order, highlights and the shape of the JSON answer (DESIGN.md, "JSON API").

Expected hit sets are computed independently, with plain Python over the paragraphs of
each report (:func:`kb.enrich.paragraphs.paragraphs_of`) and the unit keys of :mod:`kb.text.textnorm`: a
term matches a paragraph when each of its runs of units stands, contiguous, inside one
run of the paragraph's units.
"""

from __future__ import annotations

import html
import json
import random
import re

import pytest

from kb.build import build
from kb.core import corpus
from kb.core.errors import BadRequest
from kb.core.model import SECTION_KINDS, Report
from kb.enrich.paragraphs import paragraphs_of
from kb.enrich.regulations import names_in, titles_in
from kb.knowledgebase import KnowledgeBase
from kb.text import textnorm
from tests.support.seeds import seed_paragraph_count

AGENCIES = {"宝丰县卫生健康委员会", "黎平县卫生健康局", "天津市南开区卫生健康委员会", "巨鹿县卫生健康局", "南阳市卫生健康体育委员会"}
NANYANG, LIPING, JULU = "南阳市卫生健康体育委员会", "黎平县卫生健康局", "巨鹿县卫生健康局"


@pytest.fixture(scope="module")
def paras(corpus_dir) -> dict:
    """Every paragraph of the corpus by id, with its report: {id: (report, paragraph)}."""
    out = {}
    for report in corpus.iter_reports(corpus_dir):
        for p in paragraphs_of(report):
            out[p.id] = (report, p)
    return out


def _contains(runs: list[list[str]], needle: list[str]) -> bool:
    k = len(needle)
    return any(run[i:i + k] == needle for run in runs for i in range(len(run) - k + 1))


@pytest.fixture(scope="module")
def truth(paras):
    """truth(term, **where) -> the ids of the paragraphs that contain ``term`` (plain Python)."""
    unit_runs = {pid: textnorm.unit_keys(p.text) for pid, (_, p) in paras.items()}

    def find(term: str = "", agency=None, year=None) -> set[str]:
        wanted = textnorm.unit_keys(term)
        return {
            pid for pid, (r, _) in paras.items()
            if all(_contains(unit_runs[pid], run) for run in wanted)
            and (agency is None or r.agency in agency) and (year is None or r.year in year)
        }

    return find


# -- what a term finds ---------------------------------------------------------------------


def test_法律顾问_is_found_in_all_five_agencies(kb, search, hit_ids, truth):
    result = search(kb, "法律顾问")
    assert {f["value"] for f in result["facets"]["agency"]} == AGENCIES
    assert result["exact_total"] == len(truth("法律顾问")) == 14  # the exact total, related ones apart
    assert set(hit_ids(kb, "法律顾问", match="exact")) == truth("法律顾问")
    assert all("法律顾问" in h["text"] for h in result["hits"])  # the first page: exact matches first


def test_quoted_行政处罚法_finds_the_law_and_not_行政处罚(kb, hit_ids, truth, paras):
    """GIVEN paragraphs that mention 行政处罚 (a penalty) and two that cite 《行政处罚法》
    WHEN searching "行政处罚法"
    THEN only the paragraphs whose text contains 行政处罚法 are found."""
    ids = set(hit_ids(kb, '"行政处罚法"'))
    assert ids == truth("行政处罚法") == {"2023-616b1600.p8", "2023-7a72d09e.p4"}
    assert all("行政处罚法" in textnorm.normalize_str(paras[i][1].text) for i in ids)
    only_penalty = truth("行政处罚") - truth("行政处罚法")
    assert len(only_penalty) >= 10 and not ids & only_penalty


def test_a_break_stops_a_phrase(kb, hit_ids, truth):
    """不足，原因 is a run broken by ，: 不足原因 as a phrase must not find it across the comma."""
    assert truth("不足原因") == set()
    assert hit_ids(kb, '"不足原因"') == []
    assert set(hit_ids(kb, '"不足、原因"')) == truth("不足原因")  # 、 is an inner mark: same query


def test_双随机一公开_finds_every_way_it_is_written(kb, hit_ids, paras, truth):
    ids = set(hit_ids(kb, "双随机一公开", match="exact"))
    written = {
        pid for pid, (_, p) in paras.items()
        if "双随机、一公开" in p.text or "双随机 一公开" in p.text or "双随机一公开" in p.text
    }
    assert written == ids == truth("双随机一公开")
    texts = " ".join(paras[i][1].text for i in ids)
    assert "“双随机、一公开”" in texts and "“双随机 一公开”" in texts and "“双随机一公开”" in texts
    for q in ("“双随机、一公开”", "双随机 一公开", '"双随机 一公开"', "双随机·一公开"):
        assert set(hit_ids(kb, q, match="exact")) == ids, q


def test_full_width_query_is_the_half_width_query(kb, hit_ids):
    assert hit_ids(kb, "２０２３年") == hit_ids(kb, "2023年") != []
    assert hit_ids(kb, "ＡＰＰ") == hit_ids(kb, "app") != []


def test_quoted_phrases_match_exactly_what_plain_python_finds(kb, hit_ids, truth, paras):
    """GIVEN every 《…》 title of the corpus and 2–4 character runs of paragraph units
    (some across inner marks, e.g. 随机一公 from 双随机、一公开)
    WHEN each is searched as a quoted phrase (size=100, paging through)
    THEN the hits are exactly the paragraphs that plain Python finds."""
    titles = sorted({t for _, p in paras.values() for t in titles_in(p.text)})
    assert len(titles) >= 40
    rng = random.Random(20231218)
    runs = [run for _, (_, p) in sorted(paras.items()) for run in textnorm.unit_keys(p.text) if len(run) >= 4]
    substrings: set[str] = {"随机一公", "审查刚性", "罚法律"}  # the last one is found nowhere
    while len(substrings) < 25:
        run = rng.choice(runs)
        n = rng.randint(2, 4)
        i = rng.randrange(len(run) - n + 1)
        piece = run[i:i + n]
        if all(len(u) == 1 and textnorm.is_cjk(u) for u in piece):
            substrings.add("".join(piece))
    mismatches = {}
    for s in titles + sorted(substrings):
        got, want = set(hit_ids(kb, f'"{s}"')), truth(s)
        if got != want:
            mismatches[s] = (sorted(got - want), sorted(want - got))
        missed = want - set(hit_ids(kb, s))  # unquoted: the same and possibly more (loose, concepts)
        if missed:
            mismatches["unquoted " + s] = ([], sorted(missed))
    assert mismatches == {}
    assert truth("罚法律") == set()


# -- query language --------------------------------------------------------------------------


def test_words_separated_by_spaces_must_all_match(kb, hit_ids, truth):
    assert set(hit_ids(kb, '法律顾问 "合法性审查"', match="exact")) == truth("法律顾问") & truth("合法性审查") != set()


def test_or(kb, hit_ids, truth):
    want = truth("法律顾问") | truth("双随机一公开")
    assert set(hit_ids(kb, "法律顾问 OR 双随机一公开", match="exact")) == want
    assert set(hit_ids(kb, "法律顾问 or 双随机一公开", match="exact")) == want
    assert len(truth("法律顾问")) < len(want) < len(truth("法律顾问")) + len(truth("双随机一公开"))


def test_not(kb, hit_ids, truth):
    want = truth("法律顾问") - truth("公职律师")
    assert set(hit_ids(kb, "法律顾问 -公职律师", match="exact")) == want
    assert 0 < len(want) < len(truth("法律顾问"))
    every = set(hit_ids(kb, ""))
    assert set(hit_ids(kb, "-法治")) == every - truth("法治")


def test_parentheses_group(kb, hit_ids, truth):
    want = (truth("法律顾问") | truth("公职律师")) & truth("合法性")
    assert set(hit_ids(kb, "(法律顾问 OR 公职律师) 合法性", match="exact")) == want != set()
    assert set(hit_ids(kb, "法律顾问 -(公职律师 OR 合法性)", match="exact")) == \
        truth("法律顾问") - truth("公职律师") - truth("合法性")


@pytest.mark.parametrize(
    "forgiven, meant",
    [
        ('"行政处罚法', '"行政处罚法"'),
        ("(法律顾问 OR 公职律师", "(法律顾问 OR 公职律师)"),
        ("法律顾问)", "法律顾问"),
        (")法律顾问", "法律顾问"),
        ("法律顾问 OR", "法律顾问"),
        ("法律顾问 -", "法律顾问"),
        ("（法律顾问 OR 公职律师）", "(法律顾问 OR 公职律师)"),
    ],
)
def test_unbalanced_quotes_and_parentheses_are_forgiven(kb, hit_ids, forgiven, meant):
    assert hit_ids(kb, forgiven) == hit_ids(kb, meant) != []


@pytest.mark.parametrize("q", ["，。！", "、", '""', "()", "-", "OR", "《》", "“”", "…… ——"])
def test_a_query_with_nothing_to_search_is_a_bad_request(kb, search, q):
    with pytest.raises(BadRequest):
        search(kb, q)


@pytest.mark.parametrize(
    "params",
    [{"size": "0"}, {"size": "101"}, {"page": "0"}, {"page": "-1"}, {"page": "x"}, {"size": "1.5"}, {"sort": "date"}],
)
def test_bad_parameters_are_bad_requests(kb, search, params):
    with pytest.raises(BadRequest):
        search(kb, "法律顾问", **params)


# -- filters and facets -------------------------------------------------------------------------


def test_year_filter_keeps_only_that_year(kb, search, hit_ids, truth):
    result = search(kb, "法律顾问", year="2023", size="100")
    assert {h["year"] for h in result["hits"]} == {2023}
    assert set(hit_ids(kb, "法律顾问", year="2023", match="exact")) == truth("法律顾问", year={2023})
    assert result["exact_total"] == 10


def test_two_values_of_one_facet_combine_with_or(kb, hit_ids, truth):
    # (the exact matches: the whole query's meaning fills a page of few matches, within the filter)
    both = set(hit_ids(kb, "法律顾问", agency=[NANYANG, LIPING], match="exact"))
    assert both == set(hit_ids(kb, "法律顾问", agency=NANYANG, match="exact")) | set(
        hit_ids(kb, "法律顾问", agency=LIPING, match="exact"))
    assert both == truth("法律顾问", agency={NANYANG, LIPING}) and len(both) == 6


def test_different_facets_combine_with_and(kb, hit_ids, truth):
    assert set(hit_ids(kb, "法律顾问", agency=[NANYANG, LIPING], year="2024", match="exact")) == truth(
        "法律顾问", agency={LIPING}, year={2024}) != set()
    assert hit_ids(kb, "法律顾问", agency=NANYANG, year="2024", match="exact") == []
    assert set(hit_ids(kb, "", section_kind="下一年度安排", year="2025")) == {
        f"2025-597752dc.p{n}" for n in range(10, 17)}


def _counts(facet: list[dict]) -> dict[str, int]:
    return {f["value"]: f["count"] for f in facet}


@pytest.mark.parametrize("q", ["", "法律顾问", "执法 -处罚"])
def test_facet_counts_add_up_to_the_total(kb, search, q):
    result = search(kb, q)
    for name in ("agency", "year", "section_kind", "level"):
        assert sum(_counts(result["facets"][name]).values()) == result["total"], name


def test_facet_counts_with_a_filter(kb, search):
    """GIVEN a filter on two agencies
    THEN the selected agencies' counts add up to the total, the other agencies still show
    what choosing them would add (counts are disjunctive), the other facets count only the
    filtered hits, and the selected values are marked."""
    unfiltered = search(kb, "法律顾问", match="exact")
    result = search(kb, "法律顾问", agency=[NANYANG, LIPING], match="exact")
    agency = result["facets"]["agency"]
    assert sum(f["count"] for f in agency if f["selected"]) == result["total"] == 6
    assert {f["value"] for f in agency if f["selected"]} == {NANYANG, LIPING}
    assert _counts(agency) == _counts(unfiltered["facets"]["agency"])
    assert sum(_counts(result["facets"]["section_kind"]).values()) == result["total"]
    assert _counts(result["facets"]["year"]) == {"2023": 4, "2024": 2}


def test_a_selected_value_without_hits_is_listed_with_count_zero(kb, search):
    result = search(kb, "法律顾问", agency="不存在的单位")
    assert result["total"] == 0 and result["hits"] == []
    assert {"value": "不存在的单位", "label": "不存在的单位", "count": 0, "selected": True} in result["facets"]["agency"]


def test_section_kind_facet_is_in_report_order(kb, search):
    values = [f["value"] for f in search(kb, "")["facets"]["section_kind"]]
    assert values == [k for k in SECTION_KINDS if k in values]
    assert set(values) == set(SECTION_KINDS) - {"名词解释", "其他"}  # the seeds have no glossary and nothing else


def test_year_facet_is_newest_first(kb, search):
    assert search(kb, "")["facets"]["year"] == [
        {"value": "2025", "label": "2025", "count": 16, "selected": False},
        {"value": "2024", "label": "2024", "count": 14, "selected": False},
        {"value": "2023", "label": "2023", "count": 68, "selected": False},
    ]


def test_region_facet_lists_provinces(kb, search):
    assert _counts(search(kb, "")["facets"]["region"]) == {"河南省": 45, "天津市": 23, "河北省": 16, "贵州省": 14}


# -- paging and order ---------------------------------------------------------------------------


def test_pages(kb, search, hit_ids):
    first, second = search(kb, "法治", page="1"), search(kb, "法治", page="2")
    ids1, ids2 = [h["id"] for h in first["hits"]], [h["id"] for h in second["hits"]]
    assert len(ids1) == len(ids2) == 10 and not set(ids1) & set(ids2)
    total, pages = first["total"], first["pages"]
    assert pages * 10 >= total > (pages - 1) * 10
    everything = []
    for page in range(1, pages + 1):
        everything += [h["id"] for h in search(kb, "法治", page=str(page))["hits"]]
    assert everything == hit_ids(kb, "法治") and len(set(everything)) == total
    beyond = search(kb, "法治", page=str(pages + 1))
    assert (beyond["hits"], beyond["total"]) == ([], total)


@pytest.mark.parametrize("q", ["", "法律顾问", "执法"])
def test_sort_by_year(kb, search, hit_ids, q):
    newest = [h["year"] for h in search(kb, q, sort="year", size="100")["hits"]]
    oldest = [h["year"] for h in search(kb, q, sort="year_asc", size="100")["hits"]]
    assert newest == sorted(newest, reverse=True) and len(set(newest)) == 3
    assert oldest == sorted(oldest)
    assert set(hit_ids(kb, q, sort="year")) == set(hit_ids(kb, q))


def test_empty_query_lists_every_paragraph_in_report_order(kb, search, hit_ids, index_meta, paras):
    result = search(kb, "")
    assert result["total"] == index_meta["paragraphs"] == len(paras) == seed_paragraph_count()
    assert index_meta["reports"] == 5
    ids = hit_ids(kb, "")
    keyed = [(paras[i][0].year, paras[i][0].agency, paras[i][1].ordinal) for i in ids]
    assert keyed == sorted(keyed, key=lambda k: (-k[0], k[1], k[2]))
    assert all(h["excerpt_html"] == html.escape(h["text"][:160]) + ("…" if len(h["text"]) > 160 else "")
               for h in result["hits"])


# -- hits: fields, excerpts, urls ------------------------------------------------------------------


def test_hit_fields_are_those_of_the_paragraph(kb, search, paras, client):
    q = '"南阳市卫生健康系统落实行政执法责任制的通知"'
    hit = next(h for h in search(kb, q)["hits"])
    report, p = paras["2023-fcba1866.p2"]
    [linked] = [h for h in client.get("/api/search", query_string={"q": q}).get_json()["hits"] if h["id"] == hit["id"]]
    assert linked == hit | {"url": linked["url"]}  # the site adds the link, nothing else
    assert {k: linked[k] for k in ("id", "report_id", "title", "agency", "year", "section", "section_kind", "topics",
                                   "text", "url")} == {
        "id": "2023-fcba1866.p2",
        "report_id": "2023-fcba1866",
        "title": "南阳市卫生健康体育委员会关于2023年度法治政府建设工作的报告",
        "agency": NANYANG,
        "year": 2023,
        "section": "一、严格落实党政主体责任 › (一) 认真履行依法行政职责",
        "section_kind": "第一责任人职责",
        "topics": p.topics,
        "text": p.text,
        "url": "/reports/2023-fcba1866?q=%22%E5%8D%97%E9%98%B3%E5%B8%82%E5%8D%AB%E7%94%9F%E5%81%A5%E5%BA%B7%E7%B3%BB"
               "%E7%BB%9F%E8%90%BD%E5%AE%9E%E8%A1%8C%E6%94%BF%E6%89%A7%E6%B3%95%E8%B4%A3%E4%BB%BB%E5%88%B6%E7%9A%84"
               "%E9%80%9A%E7%9F%A5%22#p2",
    }
    assert hit["regulations"] == names_in(p.text) and "南阳市卫生健康系统落实行政执法责任制的通知" in hit["regulations"]
    assert report.id == hit["report_id"]


@pytest.mark.parametrize("q", ["法律顾问", "双随机一公开", "2023年 执法", "行政处罚法 OR 宪法"])
def test_excerpts_mark_the_matches_of_the_original_text(kb, search, q):
    terms = [t.strip('"') for t in q.split() if t != "OR"]
    for hit in search(kb, q, size="100", match="exact")["hits"]:
        marked = re.findall(r"<mark>(.*?)</mark>", hit["excerpt_html"])
        assert marked, hit["id"]
        for m in marked:
            assert any(textnorm.unit_keys(t)[0] == [k for run in textnorm.unit_keys(html.unescape(m)) for k in run]
                       or t in html.unescape(m) for t in terms), m
        plain = html.unescape(re.sub(r"</?mark>", "", hit["excerpt_html"])).strip("…")
        assert plain in hit["text"]


def test_urls_point_at_the_paragraph(client):
    for hit in client.get("/api/search", query_string={"q": "法律顾问", "size": "100"}).get_json()["hits"]:
        assert hit["url"].startswith(f"/reports/{hit['report_id']}?q=")
        assert hit["url"].endswith(f"#p{hit['ordinal']}")
        assert hit["id"] == f"{hit['report_id']}.p{hit['ordinal']}"


def test_result_has_the_keys_of_the_api_contract(kb, search):
    result = search(kb, "法律顾问", agency=NANYANG)
    assert {"query", "total", "page", "size", "hits", "facets"} <= set(result)
    assert (result["query"], result["page"], result["size"]) == ("法律顾问", 1, 10)
    assert {"agency", "year", "topic", "section_kind", "region", "level"} <= set(result["facets"])
    for name, items in result["facets"].items():
        assert all({"value", "count"} <= set(item) for item in items), name
    hit_keys = {"id", "report_id", "title", "agency", "year", "section", "section_kind", "topics", "regulations",
                "text", "excerpt_html"}  # and the url the site adds (test_web)
    assert result["hits"] and all(hit_keys <= set(h) for h in result["hits"])
    assert json.loads(json.dumps(result, ensure_ascii=False)) == result  # JSON-ready: plain values only


@pytest.fixture(scope="module")
def html_kb(tmp_path_factory) -> KnowledgeBase:
    """A one-report corpus whose text is full of HTML."""
    root = tmp_path_factory.mktemp("html")
    body = "## 一、主要举措和成效\n\n法律顾问<script>alert(1)</script> & “引号” 'x' <b>粗</b>\n"
    corpus.write(root / "corpus", Report(id="2023-00000001", title="<i>标题</i>", agency="测试局&", year=2023, body=body))
    build(root / "corpus", root / "index")
    return KnowledgeBase(root / "corpus", root / "index")


def test_excerpt_html_escapes_html_in_the_text(html_kb, search):
    [hit] = search(html_kb, "法律顾问")["hits"]
    assert hit["excerpt_html"] == (
        "<mark>法律顾问</mark>&lt;script&gt;alert(1)&lt;/script&gt; &amp; “引号” &#x27;x&#x27; &lt;b&gt;粗&lt;/b&gt;"
    )
    assert hit["text"] == "法律顾问<script>alert(1)</script> & “引号” 'x' <b>粗</b>"  # text stays plain text
    assert (hit["title"], hit["agency"]) == ("<i>标题</i>", "测试局&")


def test_excerpt_html_escapes_html_in_the_query(html_kb, search):
    """GIVEN the query "<b>粗</b>": < and > are inner marks, / is a break, so it asks for
    b粗, one break, then b, standing together
    THEN the mark runs from the first to the last unit of the match, and the < > inside
    the mark are escaped like everything else."""
    [hit] = search(html_kb, '"<b>粗</b>"')["hits"]
    assert hit["excerpt_html"].endswith("&lt;<mark>b&gt;粗&lt;/b</mark>&gt;")


def test_a_generations_cache_keeps_to_its_bound_in_bytes_as_well_as_in_items():
    """GIVEN an LRU of at most 10 items and 100 bytes WHEN values of 40 bytes are put
    THEN the least recently used go once the bytes pass 100; a value alone bigger than
    the bound is still kept (the one asked for last); putting a key again counts once."""
    from kb.core.cache import LRU

    lru = LRU(10, max_bytes=100)
    for k in "abc":
        lru.put(k, k.upper(), 40)
    assert lru.get("a") is None and lru.get("b") == "B" and len(lru) == 2
    lru.put("b", "B2", 40)  # replaced, not counted twice
    lru.put("d", "D", 20)
    assert len(lru) == 3 and lru.get("c") == "C"
    lru.put("big", "X", 500)
    assert len(lru) == 1 and lru.get("big") == "X"

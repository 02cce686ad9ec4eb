"""Repair and segmentation of the five real seed reports (../shared/seeds).

The raw seeds have the damage of real texts (split titles, sentences and 《…》 titles cut
at page ends, unnumbered and run-in headings, signatures and dates); these tests check
that :func:`kb.ingest.repair.repair` undoes it, that :mod:`kb.enrich.paragraphs` turns the corpus files
into the right paragraphs, and that the committed corpus is what the code produces.
The expected numbers were counted by reading the seed texts line by line.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import groupby

import pytest

from kb.core import corpus
from kb.core.model import SECTION_KINDS, Block, Report
from kb.enrich import paragraphs as enrich_paragraphs
from kb.enrich.paragraphs import paragraphs_of
from kb.enrich.regulations import titles_in
from kb.ingest import importer, metadata
from kb.ingest.evidence import parse_date
from kb.ingest.repair import Repaired, repair
from tests.support import paths

COMMITTED_CORPUS = paths.ROOT / "corpus"

SEED_FILES = {
    "000": "000_384cabfaeda893ed.txt",
    "001": "001_988bd4415d6fbe5f.txt",
    "002": "002_54719a9fbea64262.txt",
    "003": "003_4c286871c7844bf4.txt",
    "004": "004_a0a452b3a2865c5c.txt",
}
REPORT_IDS = {
    "000": "2023-616b1600",
    "001": "2024-cace2198",
    "002": "2023-7a72d09e",
    "003": "2025-597752dc",
    "004": "2023-fcba1866",
}
PARAGRAPH_COUNTS = {"000": 21, "001": 14, "002": 23, "003": 16, "004": 24}


@pytest.fixture(scope="module")
def repaired(seeds_dir) -> dict[str, Repaired]:
    return {k: repair((seeds_dir / name).read_text(encoding="utf-8")) for k, name in SEED_FILES.items()}


@pytest.fixture(scope="module")
def reports(corpus_dir) -> dict:
    return {k: corpus.load(corpus_dir, rid) for k, rid in REPORT_IDS.items()}


@pytest.fixture(scope="module")
def paragraphs(reports) -> dict:
    return {k: paragraphs_of(r) for k, r in reports.items()}


def para_texts(r: Repaired) -> list[str]:
    return [b.text for b in r.blocks if b.kind == "para"]


# -- title, letterhead, signature, date ---------------------------------------------------


def test_002_title_split_over_two_lines_is_joined_whole(repaired, reports):
    """GIVEN 002, whose title is split 南开区卫生健康委2023年度法治政府建设 / 情况报告
    WHEN it is repaired
    THEN the title is one string and its tail is not left behind as a paragraph."""
    r = repaired["002"]
    assert r.title == "南开区卫生健康委2023年度法治政府建设情况报告"
    assert "情况报告" not in [b.text for b in r.blocks]
    assert reports["002"].title == "南开区卫生健康委2023年度法治政府建设情况报告"


def test_title_letterhead_signature_and_date_of_every_seed(repaired):
    found = {k: (r.title, r.letterhead, r.signature, r.date_line) for k, r in repaired.items()}
    assert found == {
        "000": ("", [], [], ""),  # 000 and 001 have no title, no signature and no date
        "001": ("", [], [], ""),
        "002": ("南开区卫生健康委2023年度法治政府建设情况报告", [], ["南开区卫生健康委"], "2024年1月"),
        "003": ("巨鹿县卫生健康局2025年法治政府建设工作报告", [], [], ""),
        "004": (
            "南阳市卫生健康体育委员会关于2023年度法治政府建设工作的报告",  # the space inside is tidied
            ["南阳市卫生健康体育委员会"],
            ["南阳市卫生健康委员会"],
            "2023年12月18日",
        ),
    }


def test_date_signed(repaired, reports):
    """004 is signed 2023年12月18日, 002 only 2024年1月 (a month); the others are not dated."""
    expected = {"000": "", "001": "", "002": "2024-01", "003": "", "004": "2023-12-18"}
    assert {k: parse_date(r.date_line) for k, r in repaired.items()} == expected
    assert {k: r.date_signed for k, r in reports.items()} == expected


def test_signatures_dates_and_closing_formula_are_not_paragraphs(repaired, paragraphs):
    trailer = {"特此报告。", "特此报告", "2023年12月18日", "2024年1月", "南开区卫生健康委", "南阳市卫生健康委员会"}
    for k in SEED_FILES:
        assert not trailer & set(para_texts(repaired[k])), k
        assert not trailer & {p.text for p in paragraphs[k]}, k
    # the last paragraphs are the last paragraphs of the body
    assert paragraphs["002"][-1].text.startswith("下一步我委将以习近平新时代中国特色社会主义思想为指引")
    assert paragraphs["004"][-1].text.startswith("（八）强化“八五”普法教育。")
    assert paragraphs["004"][-1].text.endswith("进一步提高卫健系统干部职工们的法治思维和法治意识。")


# -- lines cut at page ends --------------------------------------------------------------


def test_004_regulation_title_cut_by_a_page_end_is_whole_in_one_paragraph(repaired, paragraphs):
    """GIVEN 004, where a page end cuts 《南阳市卫生健康系统落实行政执 / 法责任制的通知》
    WHEN it is repaired and segmented
    THEN one paragraph holds the whole title, and the title is found as a regulation."""
    title = "南阳市卫生健康系统落实行政执法责任制的通知"
    holding = [t for t in para_texts(repaired["004"]) if "南阳市卫生健康系统落实行政执" in t]
    assert len(holding) == 1
    assert f"《{title}》" in holding[0]
    assert not any(t.startswith("法责任制的通知") for t in para_texts(repaired["004"]))
    p2 = paragraphs["004"][1]
    assert f"《{title}》" in p2.text
    assert title in titles_in(p2.text)


def test_004_document_number_cut_by_a_page_end_is_whole(repaired, paragraphs):
    """GIVEN 004, where 宛法〔2021〕7 / 号 is cut by a page end in the 2024 plan
    THEN every paragraph that cites it has 宛法〔2021〕7号 whole, and no paragraph starts with 号."""
    for texts in (para_texts(repaired["004"]), [p.text for p in paragraphs["004"]]):
        citing = [t for t in texts if "宛法〔2021〕7" in t]
        assert len(citing) == 2  # the opening paragraph and 四（一）
        assert all("宛法〔2021〕7号" in t for t in citing)
        assert not any(t.startswith("号") for t in texts)
    assert "（宛法〔2021〕7号)等文件精神,深入贯彻落实" in paragraphs["004"][16].text


def test_004_sentences_cut_by_page_ends_are_joined(paragraphs):
    texts = [p.text for p in paragraphs["004"]]
    for joined in ("增强医务人员依法执业意识。", "涉及人民群众切身利益的行政规范性文件", "对重大行政决策进行必要性",
                   "市卫生健康体育综合执法支队", "加强与宣传、网信等部门联系沟通", "但在法治政府建设工作中仍存在一定的问题和不足",
                   "按照全面推进法治医院建设的工作部署", "行政确认原有 13 项，共调整 9 项，其中新增 2 项"):
        assert sum(joined in t for t in texts) == 1, joined


@pytest.mark.parametrize("key", sorted(SEED_FILES))
def test_every_paragraph_ends_a_sentence(repaired, key):
    """No paragraph is the first half of a cut sentence: each ends with 。 or ： (a list follows)."""
    assert [t[-12:] for t in para_texts(repaired[key]) if t[-1] not in "。：:"] == []


def test_page_numbers_are_dropped_and_the_cut_sentence_joined():
    """GIVEN a sentence cut by a page end with a page number between its halves
    THEN the page number lines disappear and the sentence is one paragraph."""
    text = (
        "某局2023年度法治政府建设情况报告\n一、主要举措和成效\n"
        "全年坚持依法行政，严格落实重大行政决策程序，组织开展行政执法案卷评查工作，推进依法\n\n- 3 -\n\n"
        "行政，开展检查。\n第4页\n二、存在的不足\n一是学习不够。\n"
    )
    r = repair(text)
    assert [(b.kind, b.text) for b in r.blocks] == [
        ("heading", "一、主要举措和成效"),
        ("para", "全年坚持依法行政，严格落实重大行政决策程序，组织开展行政执法案卷评查工作，推进依法行政，开展检查。"),
        ("heading", "二、存在的不足"),
        ("para", "一是学习不够。"),
    ]


def test_an_unclosed_quotation_mark_does_not_swallow_the_following_paragraphs():
    """GIVEN a paragraph that ends its sentence but has an unclosed “ (a common typo)
    WHEN the next lines are separate, unnumbered paragraphs
    THEN they stay separate paragraphs (only lines cut mid-sentence are joined)."""
    text = (
        "一、主要举措和成效\n"
        "（一）加强学习。全年组织学习12次，开展“双随机、一公开检查50次。\n"
        "我局坚持依法行政，严格落实重大行政决策程序，全年无行政复议案件发生。\n"
        "我局还聘请了法律顾问，参与重大决策10次，出具法律意见书5份。\n"
    )
    assert para_texts(repair(text)) == [
        "（一）加强学习。全年组织学习12次，开展“双随机、一公开检查50次。",
        "我局坚持依法行政，严格落实重大行政决策程序，全年无行政复议案件发生。",
        "我局还聘请了法律顾问，参与重大决策10次，出具法律意见书5份。",
    ]


# -- headings ----------------------------------------------------------------------------


def test_003_unnumbered_headings_are_siblings_of_the_numbered_ones(repaired):
    """GIVEN 003, whose section one numbers its headings （1）（2）, then has two headings
    without a number, then （5）（6）
    THEN the two unnumbered lines are headings at the level of （2） and （5）."""
    headings = [(b.level, b.text) for b in repaired["003"].blocks if b.kind == "heading"]
    assert headings == [
        (1, "一、2025年推进法治政府建设主要举措和成效"),
        (2, "（1）加强组织领导，全面推进法治政府建设"),
        (2, "（2）健全依法行政决策机制，全面提升政府公信力"),
        (2, "健全行政执法工作体系，全面推进严格规范公正文明执法"),
        (2, "健全突发事件应对体系，依法预防处置重大突发事件"),
        (2, "（5）依法有效化解矛盾纠纷，全力维护社会和谐稳定"),
        (2, "（6）强化法治思维方式，加强普法宣传，着力营造法治氛围"),
        (1, "二、2025年推进法治政府建设存在的不足和原因"),
        (1, "三、2026年推进法治政府建设的主要安排"),
        (2, "（一）强化思想引领，压实法治建设责任"),
        (2, "（二）深化融合发展，推动法治业务共进"),
        (2, "（三）规范执法行为，提升执法工作质效"),
        (2, "（四）创新普法模式，增强普法宣传实效"),
        (2, "（五）健全工作机制，提升依法治理能力"),
    ]


def test_003_paragraphs_under_unnumbered_headings_have_sibling_section_paths(paragraphs):
    top = "一、2025年推进法治政府建设主要举措和成效"
    assert [p.section for p in paragraphs["003"][2:6]] == [
        [top, "（2）健全依法行政决策机制，全面提升政府公信力"],
        [top, "健全行政执法工作体系，全面推进严格规范公正文明执法"],
        [top, "健全突发事件应对体系，依法预防处置重大突发事件"],
        [top, "（5）依法有效化解矛盾纠纷，全力维护社会和谐稳定"],
    ]
    assert paragraphs["003"][3].text.startswith("以提升执法质量效能为目标")


def test_run_in_heading_ends_the_section_path_and_stays_in_the_text(paragraphs):
    """GIVEN 000's line （一）深入学习习近平法治思想。把学习宣传贯彻…… (a run-in heading)
    THEN its paragraph's section path ends with the heading, its lead is the heading and
    its text still starts with it."""
    p = paragraphs["000"][2]
    assert (p.id, p.section, p.lead) == (
        "2023-616b1600.p3",
        ["二、推进法治政府建设的主要举措和成效", "（一）深入学习习近平法治思想"],
        "（一）深入学习习近平法治思想",
    )
    assert p.text.startswith("（一）深入学习习近平法治思想。把学习宣传贯彻习近平法治思想作为一项重要内容")
    for ps in paragraphs.values():
        for q in ps:
            if q.lead:
                assert q.section[-1] == q.lead and q.text.startswith(q.lead), q.id
    assert {k: sum(1 for q in ps if q.lead) for k, ps in paragraphs.items()} == {
        "000": 12, "001": 11, "002": 2, "003": 0, "004": 21,
    }


def test_heading_on_its_own_line_is_a_heading_not_a_run_in(paragraphs):
    """002 writes （一）深入学习贯彻落实习近平法治思想。 alone on a line: a heading, not a lead."""
    p = paragraphs["002"][1]
    assert p.lead == ""
    assert p.section == ["一、2023年推进法治政府建设的主要举措和成效", "（一）深入学习贯彻落实习近平法治思想"]
    assert p.text.startswith("全面依法治国是国家治理的一场深刻革命")
    deep = paragraphs["002"][6]  # （五） > 1.不断规范创新行政执法工作。(run-in, third level)
    assert deep.section == ["一、2023年推进法治政府建设的主要举措和成效", "（五）深入推进严格规范公正文明执法",
                            "1.不断规范创新行政执法工作"]


# -- paragraphs ----------------------------------------------------------------------------


def test_paragraph_counts(repaired, paragraphs):
    assert {k: len(para_texts(r)) for k, r in repaired.items()} == PARAGRAPH_COUNTS
    assert {k: len(ps) for k, ps in paragraphs.items()} == PARAGRAPH_COUNTS


def test_paragraph_ids_are_report_id_and_ordinal(paragraphs):
    for k, ps in paragraphs.items():
        assert [(p.id, p.report_id, p.ordinal, p.anchor) for p in ps] == [
            (f"{REPORT_IDS[k]}.p{n}", REPORT_IDS[k], n, f"p{n}") for n in range(1, len(ps) + 1)
        ]


@pytest.mark.parametrize(
    "text",
    [
        "#话题标签开头的段落。",
        "# 井号和空格开头的段落。",
        "**加粗**开头的段落。",
        "- 列表样的段落。",
        "> 引用样的段落。",
        "---分隔线样的段落。",
        "普通段落**中间**加粗。",
        "\\反斜杠开头的段落。",
    ],
)
def test_a_paragraph_that_looks_like_markdown_survives_the_corpus_file(text):
    """GIVEN a repaired paragraph whose text starts like Markdown syntax
    WHEN it is written as a corpus file and segmented again
    THEN the paragraph text is unchanged and it is neither a heading nor a run-in heading."""
    body = corpus.blocks_to_markdown([Block("heading", "一、主要举措和成效", 1), Block("para", text)])
    report = corpus.parse_text(corpus.to_text(Report(id="2023-00000000", title="标题", agency="某局", year=2023, body=body)))
    assert [(p.text, p.lead, p.section) for p in enrich_paragraphs.split_report(report)] == [(text, "", ["一、主要举措和成效"])]


def test_corpus_paragraphs_are_the_repaired_paragraphs(repaired, paragraphs):
    """Writing to Markdown and segmenting again loses nothing: the same texts in order."""
    for k in SEED_FILES:
        assert [p.text for p in paragraphs[k]] == para_texts(repaired[k]), k


# -- section kinds -------------------------------------------------------------------------


def test_every_paragraph_has_a_known_section_kind(paragraphs):
    kinds = Counter(p.section_kind for ps in paragraphs.values() for p in ps)
    assert set(kinds) <= set(SECTION_KINDS)
    assert set(kinds) == set(SECTION_KINDS) - {"名词解释", "其他"}  # the seeds have every kind but a glossary and 其他


def test_section_kinds_in_report_order(paragraphs):
    runs = {k: [(kind, len(list(g))) for kind, g in groupby(p.section_kind for p in ps)] for k, ps in paragraphs.items()}
    assert runs == {
        "000": [("开头和结尾", 1), ("第一责任人职责", 1), ("主要举措和成效", 6), ("存在的不足和原因", 6), ("下一年度安排", 7)],
        "001": [("开头和结尾", 1), ("主要举措和成效", 7), ("存在的不足和原因", 1), ("下一年度安排", 5)],
        "002": [("开头和结尾", 1), ("主要举措和成效", 12), ("存在的不足和原因", 4), ("第一责任人职责", 1), ("下一年度安排", 5)],
        "003": [("开头和结尾", 1), ("主要举措和成效", 6), ("存在的不足和原因", 2), ("下一年度安排", 7)],
        "004": [("开头和结尾", 1), ("第一责任人职责", 5), ("主要举措和成效", 8), ("存在的不足和原因", 1), ("下一年度安排", 9)],
    }


@pytest.mark.parametrize(
    "heading, kind",
    [
        ("三、下一步工作措施", "下一年度安排"),  # 措施 would say 举措: the plan must win
        ("二、存在的不足", "存在的不足和原因"),
        ("一、党政主要负责人履行推进法治建设第一责任人职责情况", "第一责任人职责"),
        ("二、推进法治政府建设的主要举措和成效", "主要举措和成效"),
        ("一、工作开展情况", "主要举措和成效"),
        ("一、严格落实党政主体责任", "第一责任人职责"),
        ("三、推进法治政府建设存在的不足、原因和整改情况", "存在的不足和原因"),
        ("四、下一年度推进法治政府建设的初步安排", "下一年度安排"),
        ("四、2024年推进法治政府建设的主要安排", "下一年度安排"),
        ("一、2025年推进法治政府建设主要举措和成效", "主要举措和成效"),
        ("三、2023年南开区卫生健康委主要负责人履行推进法治政府建设第一责任人职责、加强法治政府建设有关情况",
         "第一责任人职责"),
    ],
)
def test_heading_kind(paragraphs, heading, kind):
    assert enrich_paragraphs.kind_of_heading(heading) == kind
    under = [p for ps in paragraphs.values() for p in ps if p.section and p.section[0] == heading]
    assert under, f"no paragraph under {heading}"
    assert {p.section_kind for p in under} == {kind}


def test_paragraphs_before_the_first_heading_are_the_opening(paragraphs):
    """A rule-of-law report's paragraphs before its first heading are its opening (开头和结尾), not 其他."""
    firsts = {k: (ps[0].section, ps[0].section_kind) for k, ps in paragraphs.items()}
    assert firsts == {k: ([], "开头和结尾") for k in SEED_FILES}


# -- import: the corpus is what the code makes of the seeds ---------------------------------


def test_reimporting_the_seeds_reproduces_the_committed_corpus_byte_for_byte(seeds_dir, manifest, tmp_path):
    """GIVEN the raw seeds and the manifest tests/data/seeds.csv
    WHEN each is imported into an empty folder
    THEN the files written are the committed corpus files, byte for byte: the repair is done
    by code, not by hand."""
    assert sorted(manifest) == sorted(SEED_FILES.values())
    written = {}
    for name, row in manifest.items():
        done = importer.import_file(seeds_dir / name, tmp_path, row)
        written[done.written.name] = done.written.read_bytes()
    committed = {p.name: p.read_bytes() for p in sorted(COMMITTED_CORPUS.glob("*.md"))}
    assert sorted(written) == sorted(committed)
    for name in committed:
        assert written[name] == committed[name], name
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(committed)  # no temporary files left


def test_metadata_of_each_report_is_the_manifest(reports, manifest):
    found = {r.source.removeprefix("seeds/"): {"agency": r.agency, "year": str(r.year), "region": r.region,
                                                "level": r.level, "source": r.source}
             for r in reports.values()}
    assert found == manifest


def test_titles_are_read_or_inferred(reports):
    assert {k: r.title for k, r in reports.items()} == {
        "000": "宝丰县卫生健康委员会2023年度法治政府建设情况报告",  # inferred: the text has no title
        "001": "黎平县卫生健康局2024年度法治政府建设情况报告",  # inferred
        "002": "南开区卫生健康委2023年度法治政府建设情况报告",
        "003": "巨鹿县卫生健康局2025年法治政府建设工作报告",
        "004": "南阳市卫生健康体育委员会关于2023年度法治政府建设工作的报告",
    }


def test_metadata_read_from_the_text_when_not_given(seeds_dir):
    """Without a manifest, 003's agency and year come from its title and 004's year too."""
    r = repair((seeds_dir / SEED_FILES["003"]).read_text(encoding="utf-8"))
    d = metadata.decide(r, {})
    assert (d.values["agency"], d.values["year"], d.values["level"]) == ("巨鹿县卫生健康局", 2025, "县")
    assert "inferred agency 巨鹿县卫生健康局" in d.notes and "inferred year 2025" in d.notes
    r = repair((seeds_dir / SEED_FILES["004"]).read_text(encoding="utf-8"))
    d = metadata.decide(r, {})
    assert (d.values["agency"], d.values["year"], d.values["date_signed"]) == (
        "南阳市卫生健康体育委员会", 2023, "2023-12-18")


def test_report_ids_are_url_safe_and_stable(reports):
    for r in reports.values():
        assert corpus.valid_id(r.id)
        assert re.fullmatch(r"\d{4}-[0-9a-f]{8}", r.id)
        assert r.id == metadata.report_id(r.agency, r.year, r.title)


@pytest.mark.parametrize(
    "lines, paragraph",
    [
        (["严格执行文件要求，于", "2023年10月开展专项检查。"], "严格执行文件要求，于2023年10月开展专项检查。"),
        (["全年共办理案件，处罚金额", "- 2 -", "12万元。"], "全年共办理案件，处罚金额12万元。"),
        (["每季度听取法治建设工作情况报告", "并研究解决重大问题。"], "每季度听取法治建设工作情况报告并研究解决重大问题。"),
    ],
)
def test_short_page_cut_fragments_are_joined_not_taken_for_headings(lines, paragraph):
    """A fragment cut mid-clause by a page end is no unnumbered heading (found in review)."""
    text = "一、主要举措和成效\n" + "\n".join(lines) + "\n"
    assert [(b.kind, b.text) for b in repair(text).blocks] == [("heading", "一、主要举措和成效"), ("para", paragraph)]


@pytest.mark.parametrize("heading", [
    "名词解释", "附：名词解释", "《政府工作报告》有关术语的说明", "政府工作报告名词解释", "名词术语解释", "附：相关名词解释",
    "附部分用语说明", "附录一：《政府工作报告》名词解释", "附件二：名词解释", "名词解释及有关情况的说明", "主要名词解释",
    "2021年《政府工作报告》有关术语说明", "[政府工作报告名词解释]", "2.注释", "解释说明", "相关用语注释",
])
def test_every_way_the_reports_head_a_glossary_opens_one(heading):
    """The glossary headings of the data set (412 in 58 wordings; 29 of them, 25 wordings, were
    missed: a walk-through found 贵阳市's 《政府工作报告》有关术语的说明 and its entries made headings):
    under each, numbered entries are paragraphs of the glossary."""
    text = ("2011年贵阳市政府工作报告\n\n一、2010年工作回顾\n\n过去一年，全市经济稳中向好，各项工作扎实推进，取得了新的成效。\n\n"
            f"{heading}\n\n1.“三创一办”：是指创建国家卫生城市、国家环境保护模范城市和全国文明城市\n\n"
            "2.两馆一站：是指文化馆、图书馆和文化站\n")
    blocks = repair(text).blocks
    assert [b.text for b in blocks if b.kind == "heading"][-1] == heading.rstrip("：:")
    entries = [b for b in blocks if "是指" in b.text]
    assert len(entries) == 2 and all(b.kind == "para" for b in entries), [(b.kind, b.text) for b in blocks]


def test_a_heading_number_that_lost_its_opening_bracket_gets_it_back():
    """Some sources lost the first character of every paragraph (合肥 2017, 兰州 2024, 武汉 2004 of the
    real reports: 二）瞄准高端…, 续深化重点改革 for 持续深化…). A heading's number without its opening
    bracket is given it back, so the line is read as the heading it is (and no plan item begins 一）…);
    the other lost characters cannot be told and stay lost."""
    text = ("一、2016年工作回顾\n一）聚焦前沿，科技创新跃升新高度\n全年新增国家高新技术企业300户。\n"
            "**二）瞄准高端，产业转型迈出新步伐。**加快新型显示产业发展。\n续深化重点改革。按照市委统一部署推进。\n")
    blocks = [(b.kind, b.text) for b in repair(text, markdown=True).blocks]
    assert ("heading", "（一）聚焦前沿，科技创新跃升新高度") in blocks
    assert any(t.startswith("（二）瞄准高端，产业转型迈出新步伐") for _, t in blocks)
    assert any(t.startswith("续深化重点改革") for _, t in blocks)  # not guessed
    assert [b.text for b in repair("（一）已有括号的标题\n1）阿拉伯数字的条目\n").blocks][-1] == "1）阿拉伯数字的条目"

"""Text normalization, units and highlights: the one definition of "the same characters".

The index, the query and the highlighter all go through :mod:`kb.text.textnorm`, so these
rules hold everywhere: full-width = half-width, inner marks (、 spaces quotes 《》) are
ignored, every other mark is a break that no match runs across, and every unit keeps its
offsets in the original text.
"""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.core.corpus import iter_reports
from kb.engines.query import Term
from kb.enrich.paragraphs import paragraphs_of
from kb.text import highlight, textnorm
from tests.support import reference


def keys(text: str) -> list[list[str]]:
    return textnorm.unit_keys(text)


def spans_of(text: str, *terms: str) -> list[tuple[int, int]]:
    return highlight.find(text, [Term(t).keys for t in terms])


# -- normalize and units -----------------------------------------------------------------


def test_normalize_maps_full_width_to_half_width_with_offsets():
    assert textnorm.normalize("２０２３年（一）ＰＭ") == ("2023年(一)pm", list(range(10)))
    assert textnorm.normalize_str("２０２３年（一）ＰＭ") == "2023年(一)pm"


def test_an_expanding_character_keeps_its_offset_for_every_output_character():
    norm, offsets = textnorm.normalize("第㈠条")
    assert (norm, offsets) == ("第(一)条", [0, 1, 1, 1, 2])


@pytest.mark.parametrize(
    "full, half",
    [("２０２３", "2023"), ("（一）", "(一)"), ("２０２３年度", "2023年度"), ("ＰＭ２．５", "pm2.5"), ("ＡＢＣ", "abc")],
)
def test_full_width_and_half_width_are_the_same_units(full, half):
    assert [(u.key, u.gap) for u in textnorm.units(full)] == [(u.key, u.gap) for u in textnorm.units(half)]


def test_units_of_mixed_text():
    us = textnorm.units("PM2.5，双随机、一公开２０２３年")
    assert [(u.key, u.start, u.end, u.gap) for u in us] == [
        ("pm2.5", 0, 5, False),
        ("双", 6, 7, True),
        ("随", 7, 8, False),
        ("机", 8, 9, False),
        ("一", 10, 11, False),
        ("公", 11, 12, False),
        ("开", 12, 13, False),
        ("2023", 13, 17, False),
        ("年", 17, 18, False),
    ]
    assert [u.cjk for u in us] == [False] + [True] * 6 + [False, True]


@pytest.mark.parametrize("written", ["双随机、一公开", "双随机 一公开", "“双随机、一公开”", "双随机一公开", "「双随机·一公开」",
                                     "双随机　一公开", "《双随机一公开》"])
def test_inner_marks_are_ignored(written):
    assert keys(written) == [["双", "随", "机", "一", "公", "开"]]


@pytest.mark.parametrize("written", ["行政处罚，法律", "行政处罚。法律", "行政处罚；法律", "行政处罚（法律）", "行政处罚:法律",
                                     "行政处罚—法律", "行政处罚！法律"])
def test_clause_punctuation_is_a_break(written):
    assert keys(written) == [["行", "政", "处", "罚"], ["法", "律"]]


def test_decimal_point_stays_inside_a_number_but_a_full_stop_breaks():
    assert keys("罚没135195.8元") == [["罚", "没", "135195.8", "元"]]
    assert keys("共14个。8月") == [["共", "14", "个"], ["8", "月"]]


def test_runs_group_units_between_breaks():
    runs = textnorm.runs(textnorm.units("一是，二是；三"))
    assert [[u.key for u in run] for run in runs] == [["一", "是"], ["二", "是"], ["三"]]


def test_grams_glue_alphanumeric_units():
    a, b, c = textnorm.units("法2023年")
    assert (reference.gram(a, b), reference.gram(b, c)) == ("法|2023", "2023|年")
    x, y = textnorm.units("法律")
    assert reference.gram(x, y) == "法律"


# -- highlight: what matches and where -------------------------------------------------------


def test_break_stops_a_match():
    """GIVEN 行政处罚，法律 WHEN looking for 行政处罚法 THEN nothing matches (the ， is a break)."""
    assert spans_of("依照行政处罚，法律规定", "行政处罚法") == []
    assert spans_of("依照行政处罚法规定", "行政处罚法") == [(2, 7)]


@pytest.mark.parametrize("text", ["开展“双随机、一公开”检查", "开展双随机 一公开检查", "开展双随机一公开检查", "开展「双随机·一公开」检查"])
def test_inner_marks_inside_a_match_are_highlighted_with_it(text):
    """The match runs from 双 to 开, including the marks inside it, never the quotes around it."""
    [(a, b)] = spans_of(text, "双随机一公开")
    assert text[a] == "双" and text[b - 1] == "开"
    assert keys(text[a:b]) == [["双", "随", "机", "一", "公", "开"]]


def test_highlight_offsets_are_offsets_of_the_original_full_width_text():
    text = "２０２３年，开展“双随机、一公开”检查ＰＭ２.５"
    spans = spans_of(text, "2023年", "双随机一公开", "pm2.5")
    assert [text[a:b] for a, b in spans] == ["２０２３年", "双随机、一公开", "ＰＭ２.５"]


def test_a_unit_is_matched_whole():
    """2023 does not match inside 12023, 法 matches every 法."""
    assert spans_of("编号12023与2023", "2023") == [(8, 12)]
    assert spans_of("法律法规", "法") == [(0, 1), (2, 3)]


def test_overlapping_matches_are_merged():
    assert spans_of("法治法治法治", "法治法治") == [(0, 6)]
    assert spans_of("法律顾问", "法律", "律顾") == [(0, 3)]


@pytest.fixture(scope="module")
def corpus_paragraphs(corpus_dir):
    return [p for r in iter_reports(corpus_dir) for p in paragraphs_of(r)]


@pytest.mark.parametrize("term", ["法律顾问", "双随机一公开", "行政处罚法", "2023年", "三项制度", "宪法"])
def test_every_highlight_in_the_corpus_maps_back_to_the_term(corpus_paragraphs, term):
    """For every paragraph of the corpus, each highlighted span of the original text has
    exactly the term's units, and their number is the number of occurrences in the units."""
    want = keys(term)[0]
    total = 0
    for p in corpus_paragraphs:
        spans = spans_of(p.text, term)
        for a, b in spans:
            assert [k for run in keys(p.text[a:b]) for k in run] == want, (p.id, p.text[a:b])
        occurrences = sum(
            run[i:i + len(want)] == want for run in keys(p.text) for i in range(len(run) - len(want) + 1)
        )
        assert len(spans) == occurrences, p.id
        total += occurrences
    assert total > 0


# -- excerpts: HTML ---------------------------------------------------------------------------


def test_excerpt_escapes_everything_but_mark():
    text = '<script>alert("x")</script> & 法律顾问 \'制度\''
    out = highlight.excerpt(text, spans_of(text, "法律顾问"))
    assert out == (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; <mark>法律顾问</mark> &#x27;制度&#x27;"
    )


def test_text_inside_a_mark_is_escaped_too():
    """< is an inner mark, so it can stand inside a match: it is escaped inside the <mark>."""
    text = "双随机<一公开"
    assert highlight.excerpt(text, spans_of(text, "双随机一公开")) == "<mark>双随机&lt;一公开</mark>"


def test_excerpt_is_a_window_around_the_matches_with_ellipses():
    text = "甲" * 300 + "<法律顾问>" + "乙" * 300
    out = highlight.excerpt(text, spans_of(text, "法律顾问"))
    assert out.startswith("…") and out.endswith("…")
    assert out.count("<mark>") == 1 and "<mark>法律顾问</mark>" in out
    plain = html.unescape(re.sub(r"</?mark>", "", out)).strip("…")
    assert plain in text and len(plain) == highlight.EXCERPT_WIDTH


def test_excerpt_of_a_short_text_is_the_whole_text():
    assert highlight.excerpt("短文本 a<b", []) == "短文本 a&lt;b"
    long = "字" * 200
    assert highlight.excerpt(long, []) == "字" * highlight.EXCERPT_WIDTH + "…"


def test_mark_wraps_every_span():
    assert highlight.mark("a法律b顾问c", [(1, 3), (4, 6)]) == "a<mark>法律</mark>b<mark>顾问</mark>c"


# -- the fast paths give exactly what the general path gives ------------------------------

TRICKY = ["PM2.5，双随机、一公开", "１２３.４５ａｂ.c", "1.2.3x.y_z", "2.5.a", "a.1", "㈠处罚①②", "Ⅲ类水质达标率",
          "a—b…c", "x\u200by", "行政處罰法", "", "，，", "a", "中", "ＡＢＣ公司", "第1.5条", "μg/m³", "〇〇七",
          "“放管服”改革", "Ｘ光机", "α粒子", "2023年1-3月", "5G+工业互联网", "COVID-19疫情"]


def test_fast_units_equal_the_character_by_character_units(corpus_paragraphs):
    """GIVEN every seed paragraph and texts with full-width forms, numbers, symbols,
    letters of other scripts and traditional characters
    THEN units() (a regular expression where the text is ASCII and Chinese) gives the same
    units as the general character-by-character path."""
    for text in [p.text for p in corpus_paragraphs] + TRICKY:
        norm, offsets = textnorm.normalize(text)
        assert textnorm.units(text) == textnorm._units(norm, offsets), text
        assert textnorm.unit_spans(text) == [tuple(u) for u in textnorm._units(norm, offsets)], text


def test_gram_terms_equal_the_grams_of_the_units(corpus_paragraphs):
    """GIVEN every seed paragraph and the tricky texts THEN the grams that are indexed
    (key_runs, a regular expression where it can) are those of units() run by run: each
    unit with the next, the last of a run alone, one position skipped at each break."""
    for text in [p.text for p in corpus_paragraphs] + TRICKY:
        slow, pos = [], 0
        for run in textnorm.runs(textnorm.units(text)):
            for i, unit in enumerate(run):
                slow.append((reference.gram(unit, run[i + 1]) if i + 1 < len(run) else unit.key, pos))
                pos += 1
            pos += 1
        assert reference.gram_terms(text) == slow, text


def test_matches_are_found_a_run_at_a_time_where_they_are_unit_by_unit(corpus_paragraphs):
    """GIVEN every seed paragraph and texts off the fast path (full-width letters, Latin
    letters NFKC widens, inner marks, numbers with dots, traditional characters) and, for
    each, terms cut from its own units (one to six units, across breaks too) and a few
    fixed ones WHEN highlight.find looks for them (a unit string built a run of Chinese
    characters at a time) THEN it gives exactly the offsets a plain search over the
    text's units, one by one, gives."""
    import random  # noqa: PLC0415

    def unit_by_unit(text: str, runs: list[list[str]]) -> list[tuple[int, int]]:
        units = textnorm.unit_spans(text)
        flat = [(key, i > 0 and gap) for i, run in enumerate(runs) for key, gap in
                ((k, j == 0) for j, k in enumerate(run))]
        spans = []
        for i in range(len(units) - len(flat) + 1):
            window = units[i:i + len(flat)]
            if all(u[0] == key and (j == 0 or u[3] == gap) for j, (u, (key, gap)) in enumerate(zip(window, flat,
                                                                                                     strict=True))):
                spans.append((window[0][1], window[-1][2]))
        return highlight.merge(spans)

    rng = random.Random(3)
    texts = [p.text for p in corpus_paragraphs] + ["PM2.5，双随机、一公开", "ＡＢＣ２０２３年度", "、、", "Ⅷ号文件",
                                                   "a.b 1.2.3 x·y 行政·执法", "ß straße", "乡村振兴2023年abc，def",
                                                   "行政處罰法（草案）"]
    assert len(texts) > 100
    checked = 0
    for text in texts:
        runs = textnorm.key_runs(text)
        flat = [(r, j) for r, run in enumerate(runs) for j in range(len(run))]
        terms = [textnorm.unit_keys(t) for t in ("法治", "双随机一公开", "2023年", "pm2.5", "处罚，法")]
        for _ in range(6):
            if not flat:
                break
            a = rng.randrange(len(flat))
            piece = flat[a:a + rng.randint(1, 6)]
            cut: dict[int, list[str]] = {}  # run -> its units cut
            for r, j in piece:
                cut.setdefault(r, []).append(runs[r][j])
            terms.append(list(cut.values()))
        for keys in terms:
            assert highlight.find(text, [keys]) == unit_by_unit(text, keys), (text, keys)
            checked += 1
    assert checked > 1000


def test_the_unit_string_module_is_built():
    """The install compiles kb/text/_units.c (setup.py): without it every hit shown builds its
    unit string in Python, about twice the time."""
    assert highlight._units is not None


#: characters of every class the unit string tells apart: Chinese (〇, extension A and B,
#: compatibility), ASCII letters and digits, dots, breaks, inner marks, the separators
#: themselves, and what takes a text off the fast path (full-width, other scripts, NFKC's expansions)
UNIT_ALPHABET = list("乡村振兴〇㐀﨩𠀀aZz09.。，、 ·“”《》+-_（）()\x1f\x1e\ue000é½㈠①Ⅳ\t\u3000") + [
    "ＰＭ２.５", "PM2.5", "1.2.3", "a.1", "1..2", "2.a", "行政處罰法"]


@given(st.lists(st.sampled_from(UNIT_ALPHABET), max_size=40).map("".join))
@settings(max_examples=2000, deadline=None)
def test_the_unit_string_in_c_is_its_python_twin(text):
    """GIVEN any text of the characters the unit string tells apart WHEN its unit string is
    built (one pass in C on the fast path) THEN it is what the Python twin builds: the string,
    each run's place and offsets."""
    assert highlight._unit_string.__wrapped__(text)[:3] == highlight._built(text, textnorm.normalize(text))[:3]


@given(st.lists(st.sampled_from(UNIT_ALPHABET), max_size=40).map("".join))
@settings(max_examples=2000, deadline=None)
def test_unit_keys_are_the_keys_of_the_units_run_by_run(text):
    """GIVEN any text of the characters the units tell apart THEN unit_keys (a run of Chinese
    characters at a time where it can) gives the keys of units() grouped by runs()."""
    assert textnorm.unit_keys(text) == [[u.key for u in run] for run in textnorm.runs(textnorm.units(text))]


def test_the_unit_string_in_c_is_its_python_twin_on_the_corpus(corpus_paragraphs):
    """GIVEN every seed paragraph and the tricky texts THEN the C unit string is the Python one;
    and the C module makes it for nearly every paragraph (their characters are in its table)."""
    texts = [p.text for p in corpus_paragraphs]
    for text in texts + TRICKY:
        assert highlight._unit_string.__wrapped__(text)[:3] == highlight._built(text, textnorm.normalize(text))[:3]
    made = [highlight._units.unit_string(textnorm.to_simplified(t), textnorm.fold_table(), highlight.INNER)
            for t in texts]
    assert sum(m is not None for m in made) >= 0.95 * len(texts)


@given(st.lists(st.sampled_from(list("中文“”ab&<>\"'\x01\x1f\x7f \n")), max_size=30).map("".join), st.data())
@settings(max_examples=500, deadline=None)
def test_mark_escapes_every_piece_whether_or_not_the_text_needs_it(text, data):
    """GIVEN any text, with or without what HTML escapes, and spans in it WHEN it is marked THEN each
    piece between the marks and inside them is escaped as escape() escapes it (a text with nothing to
    escape is joined as it is)."""
    cuts = sorted(data.draw(st.lists(st.integers(0, len(text)), max_size=6)))
    spans = highlight.merge(list(zip(cuts[::2], cuts[1::2], strict=False)))
    want, last = [], 0
    for a, b in spans:
        want += [highlight.escape(text[last:a]), "<mark>" + highlight.escape(text[a:b]) + "</mark>"]
        last = b
    assert highlight.mark(text, spans) == "".join(want) + highlight.escape(text[last:])


@given(st.lists(st.sampled_from(UNIT_ALPHABET), max_size=40).map("".join))
@settings(max_examples=2000, deadline=None)
def test_a_builds_units_in_c_are_its_python_twins(text):
    """GIVEN any text of the characters the units tell apart WHEN a build reads it in C
    (textnorm.fast_units: the text folded and its unit string made in one pass each) THEN it gets
    normalize()'s text and key_runs()' keys, each run joined by \\x1f; and the C module takes every
    text whose characters its table folds."""
    fast = textnorm.fast_units(text)
    normalized = textnorm.normalize(text)
    if fast is None:
        assert highlight._units.fold(textnorm.to_simplified(text), textnorm.fold_table()) is None
        return
    assert fast == (normalized[0], ["\x1f".join(run) for run in textnorm.key_runs(text, normalized)])


def test_a_builds_units_in_c_on_the_corpus(corpus_paragraphs):
    """GIVEN every seed paragraph and the tricky texts THEN fast_units is normalize and key_runs,
    and it reads nearly every paragraph (the others go the Python way)."""
    texts = [p.text for p in corpus_paragraphs]
    made = 0
    for text in texts + TRICKY:
        fast = textnorm.fast_units(text)
        if fast is not None:
            normalized = textnorm.normalize(text)
            assert fast == (normalized[0], ["\x1f".join(run) for run in textnorm.key_runs(text, normalized)]), text
            made += text in texts
    assert made >= 0.95 * len(texts)

"""The growth of the model of meaning with the user's corpus (kb.text.growth): the words a text
gives the model, the vectors they get, the state kept per report; on a small model made by hand,
so that each rule is seen to hold whatever the shipped model learned."""

from __future__ import annotations

import numpy as np
import pytest

from kb.text import growth, meaning, words


def toy() -> meaning.Model:
    """Two directions of meaning: law (法律 顾问 审查) and roads (道路 桥梁 公路)."""
    vecs = {"法律": [1, 0.1], "顾问": [1, 0.2], "审查": [0.9, 0.1], "道路": [0.1, 1], "桥梁": [0.2, 1],
            "公路": [0.1, 0.9]}
    return meaning.Model.of(list(vecs), np.array(list(vecs.values())), np.full(len(vecs), 100))


def test_the_default_cut_is_read_from_the_search_tokens_without_cutting_again():
    for text in ["深入推进法治政府建设，创新能力不强，行政执法三项制度全面落实", "聘请法护员为重大行政决策提供法律意见",
                 "2024年完成城镇老旧小区改造125个", ""]:
        tokens = words.segmenter().tokenize(text, "search", True)
        assert growth.default_cut(tokens) == words.cut(text)


TOKEN_TEXTS = ["深入推进法治政府建设，创新能力不强，行政执法三项制度全面落实", "聘请法护员为重大行政决策提供法律意见",
               "2024年完成城镇老旧小区改造125个", "", "，。、 “”", "PM2.5浓度下降3.5%，ＡＢＣ公司、α粒子",
               "法治法治法治，政府 政府", "中华人民共和国国民经济和社会发展第十四个五年规划纲要"]


def test_a_paragraphs_tokens_are_read_once_in_c_as_in_python():
    """GIVEN search-mode tokens of texts with repeated words, marks, numbers and letters WHEN the C
    module reads them once (writer._token_words) THEN it gives what the Python twins give: the
    counts of the words with a letter or digit, in the order they first stand, and the default cut."""
    from kb.engines.embedded import writer  # noqa: PLC0415
    from kb.text import _units  # noqa: PLC0415

    for text in TOKEN_TEXTS:
        tokens = words.segmenter().tokenize(text, "search", True)
        counts, outer = _units.token_words(tokens)
        assert list(counts.items()) == list(writer._counted(tokens).items()), text
        assert outer == growth.default_cut(tokens) == words.cut(text), text
    assert _units.token_words([("a", 0, 1), ("，", 1, 2), ("a", 2, 3)]) == ({"a": 2}, ["a", "，", "a"])
    with pytest.raises(TypeError):
        _units.token_words([("a", 0)])


def test_a_new_word_gets_the_sum_of_the_known_words_around_it_within_the_window():
    c = growth.contexts([["法律", "法护员", "审查"], ["道路", "x1"]], toy())
    assert c.words == ("x1", "法护员")  # sorted; 'x1' is Latin and digits: a word; numbers alone are not
    i = c.words.index("法护员")
    m = toy()
    assert np.allclose(c.sums[i], m.vector("法律") + m.vector("审查"))
    assert c.uses[i] == 1 and c.n_context[i] == 2
    assert growth.contexts([["法律", "2024", "审查"]], toy()).words == ()  # a number gets no vector


def test_contexts_stop_at_the_paragraph():
    c = growth.contexts([["法律", "顾问"], ["码上评", "道路"]], toy())
    assert c.words == ("码上评",) and c.n_context[0] == 1
    assert np.allclose(c.sums[0], toy().vector("道路"))


def test_a_word_used_often_enough_gets_a_vector_near_the_words_of_its_contexts():
    paragraphs = [["聘请", "法护员", "审查"], ["法律", "法护员", "顾问"]] * 3 + [["道路", "修路员", "桥梁"]] * 2
    g = growth.Growth({"r1": growth.contexts(paragraphs, toy())})
    m = g.grown(toy(), min_count=5)
    assert m.grown_words() == ("法护员",)  # 修路员: two uses only
    assert m.n_shipped == 6 and len(m.vocab) == 7
    assert m.neighbours("法护员", 2, 0.5)[0][0] in ("法律", "顾问", "审查")
    assert m.neighbours("道路", 3, 0.0)[0][0] != "法护员"


def test_the_state_is_kept_per_report_and_a_report_dropped_takes_its_words_along(tmp_path):
    m = toy()
    g = growth.Growth({"a": growth.contexts([["法律", "法护员", "审查"]] * 5, m),
                       "b": growth.contexts([["道路", "修路员", "桥梁"]] * 5, m)}, "sum1")
    g.save(tmp_path / growth.STATE_FILE)
    back = growth.Growth.read(tmp_path / growth.STATE_FILE)
    assert back.model_checksum == "sum1" and set(back.parts) == {"a", "b"}
    assert np.allclose(back.parts["a"].sums, g.parts["a"].sums, atol=1e-2)
    assert back.grown(m).grown_words() == ("修路员", "法护员")
    back.update(["a"], {"c": growth.contexts([["公路", "修路员"]], m)})
    assert back.grown(m).grown_words() == ("修路员",)
    assert growth.Growth.read(tmp_path / "none.npz") is None


def test_the_induction_matrix_maps_the_mean_context_and_is_saved_with_the_model(tmp_path):
    m = meaning.Model.of(toy().vocab, toy().vectors, toy().counts, induce=np.array([[0, 1], [1, 0]]))
    m.save(tmp_path / "m.npz")
    back = meaning.read(tmp_path / "m.npz")
    assert np.allclose(back.induce, [[0, 1], [1, 0]])
    v = growth.induced(np.array([[2.0, 0.0]]), np.array([2]), back)
    assert np.allclose(v, [[0, 1]])  # the mean (1, 0), swapped by the matrix

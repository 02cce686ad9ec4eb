"""The cluster front's scoring reads a candidate's packed word counts and unit stream without
unpacking them whole (kb.engines.sphinx.schema.packed_count / packed_length, rank.Doc.tf): the
same numbers as unpacking them and as the regular expressions they replaced."""

import re

import pytest

from kb.engines.sphinx import rank
from kb.engines.sphinx import schema as S

SEP, BREAK = S.UNIT_SEP, S.BREAK


def _regex_tf(stream: str, g: tuple[str, ...]) -> int:
    """Doc.tf as it was written before (re.findall of a pattern built per call)."""
    if len(g) == 1:
        pattern = re.escape(SEP + g[0]) + f"(?={SEP})"
    elif g[1] == BREAK:
        pattern = re.escape(SEP + g[0]) + f"(?={SEP}(?:{BREAK}{SEP}|$))"
    else:
        pattern = re.escape(SEP + g[0] + SEP + g[1]) + f"(?={SEP})"
    return len(re.findall(pattern, stream))


@pytest.mark.parametrize("counts", [
    {},
    {"乡村": 1, "振兴": 3, "乡村振兴": 1},
    {"1": 2, "2023": 1, "年": 12, "5g": 1, "g": 4},  # words that are numbers, a count past 9
])
def test_packed_counts_are_the_unpacked_ones(counts):
    """GIVEN a paragraph's word counts packed as the push writes them WHEN one word is looked up,
    or their total asked THEN they are what unpacking them all gives (a missing word 0)."""
    packed = S.pack_words(counts)
    whole = S.unpack_words(packed)
    assert S.packed_length(packed) == sum(whole.values())
    d = rank.Doc({"text": "", "words": packed, "units": SEP})
    for w in [*counts, "乡", "村振", "振兴乡村", "3"]:
        assert d.word_count(w) == whole.get(w, 0), w
    assert d.words_len == sum(whole.values())


@pytest.mark.parametrize("text", ["乡村振兴，振兴乡村", "发发发展发", "5G网络5G，建设", "一，一", "推进高质量发展"])
def test_pair_counts_are_those_the_pattern_found(text):
    """GIVEN a paragraph's unit stream (repeated units, breaks, a unit at the end) WHEN each pair,
    lone unit and unit before a break is counted THEN the counts are those of the regular
    expressions the count replaced (places not overlapping, units whole)."""
    stream = S.unit_keys_stream(text)
    units = [u for u in stream.split(SEP) if u and u != BREAK]
    grams = {(u,) for u in units} | {(a, b) for a in units for b in units} | {(u, BREAK) for u in units}
    d = rank.Doc({"text": text, "units": stream})
    assert {g: d.tf(g) for g in grams} == {g: _regex_tf(stream, g) for g in grams}


@pytest.mark.parametrize("section", [[], ["一、2023年工作回顾"], ["二、全面推进乡村振兴", "（一）巩固拓展脱贫攻坚成果"],
                                     ["三、加快建设数字经济和５Ｇ网络"]])
def test_a_heading_word_is_counted_as_cutting_the_headings_counts_it(section):
    """GIVEN the headings above a paragraph WHEN a word's count among their jieba words is asked
    (cut only when the word stands in their normalized text) THEN it is the count of cutting them."""
    import json

    d = rank.Doc({"text": "", "units": SEP, "section": json.dumps(section, ensure_ascii=False)})
    words = S.word_counts(" ".join(section))
    for w in [*words, "乡村", "振兴", "数字", "5g", "网络", "工作回顾", "回顾", "年", "政府"]:
        assert d.head_count(w) == words.get(w, 0), w


@pytest.mark.parametrize("text", ["乡村振兴，振兴乡村", "推进高质量发展，发展", "5G网络5G，建设", ""])
def test_a_word_s_needle_finds_what_its_unit_keys_find(text):
    """GIVEN a paragraph's unit stream WHEN a word is looked for by its needle worked out once
    (rank.word_needle) THEN whether it stands there and where it starts are what its unit keys give."""
    d = rank.Doc({"text": text, "units": S.unit_keys_stream(text)})
    for w in ["乡村", "振兴乡村", "发展", "5g", "网络5g", "，", "建设", "不在"]:
        assert d.has(rank.word_needle(w)) == d.has(rank.word_keys(w)), w
        assert d.starts(rank.word_needle(w)) == d.starts(rank.word_keys(w)), w

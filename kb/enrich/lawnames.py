"""Bare names: the listed laws and regulations a paragraph names without 《》 (enrich step).

:mod:`kb.enrich.regulations` finds every title in 《》; a name written bare (推动民法典实施,
宪法、民法典等法律法规, 民法典长廊, 落实新修订的行政复议法) is found here, only for the names
``kb/data/regulations.toml`` lists (a bare 法 or 条例 alone says nothing of which one). A bare
name is

- the longest listed name at its place, with or without 中华人民共和国: 劳动合同法 is not 合同法,
  义务教育法 not 教育法, 外商投资法实施条例 not 外商投资法;
- no name when its characters are part of other words: a 法 followed by 治 律 规 定 制 人 …
  (安全生产法制, 环保法规, 公司法人, 监督法定职责), a law's 实施条例/若干规定 that is not listed
  (实施民族区域自治法若干规定), a name after words that make another thing of it (农业“八字宪法”,
  鞍钢宪法, 伪宪法);
- for a title local regulations also bear (``same_title``: 优化营商环境条例), the State
  Council's only when nothing says it is a local one: 江苏省优化营商环境条例, 省优化营商环境条例
  and, in a local report, 出台/修订优化营商环境条例 name a local regulation (no mention of the
  State Council's); written without whose it is in a local report, the mention is marked
  ambiguous (:data:`AMBIGUOUS`). The same holds for such a title in 《》.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NATION = "中华人民共和国"
#: After a name ending in 法: the 法 is part of another word (法治, 法律, 法规, 法定, 法制, 法人 …),
#: unless the words after are 规定 or 学习 (宪法规定, 宪法学习)
NOT_AFTER_LAW = re.compile(r"^(?:[治律定制人务院庭官理案令则]|规(?!定)|学(?!习))")
#: After a name: it is part of a longer name (a law's own implementing regulation, not listed)
LONGER_AFTER = re.compile(r"^(?:实施条例|实施办法|实施细则|若干规定|若干问题|实施意见|实施方案)")
#: Before a name: another thing called so (农业“八字宪法”, 鞍钢宪法, 伪宪法)
OTHER_THING = re.compile(r"(?:八字|鞍钢|伪|旧中国|外国|美国)[“\"']?$")
#: Before a title local regulations also bear: a local one (江苏省…, 省级…, 市…, 本省…)
LOCAL_BEFORE = re.compile(r"(?:[省市州县区旗盟]级?|自治区|特区|本地|地方)[“\"《]?$")
#: Before it, in a local report: the local government makes or changes it (出台优化营商环境条例)
LOCAL_ACT = re.compile(r"(?:出台|制定|修订|修改|起草|审议|颁布|通过|提请|立法|率先)(?:了|并落实|实施)?[“\"《]?$")
#: Before it: the national one (国家、省《优化营商环境条例》, 国务院和黑龙江省…)
NATIONAL_BEFORE = re.compile(r"(?:国家|国务院|中央)[^，。；：]{0,8}$")
#: After it: its implementing measures, made locally (出台《优化营商环境条例》实施意见): the title
#: is the State Council's
IMPLEMENTING = re.compile(r"^[》”\"]?(?:的)?(?:实施|配套)")
#: What an ambiguous mention says
AMBIGUOUS = "地方也有同名法规，未写明是哪一部"
#: Written before a bare name and kept apart: 新修订的行政复议法, 2018年修正的…
PREFIX = re.compile(r"(新修订的?|新修正的?|修订后的|修改后的|修正后的|新的|新|最严)[“\"]?$")
EDITION_BEFORE = re.compile(r"(\d{4}年(?:修订|修正|版))的?[“\"]?$")
EDITION_AFTER = re.compile(r"^\s*[（(]\s*(\d{4}\s*年\s*(?:版|修订|修正|修订版|本)?)\s*[)）]")


@dataclass(frozen=True)
class Bare:
    """A listed name written without 《》."""

    key: str  # the key of the listed name (regulations.key)
    written: str  # as written: 中华人民共和国行政复议法, 民法典
    prefix: str
    edition: str
    start: int
    end: int
    ambiguous: str  # AMBIGUOUS or ''


@dataclass(frozen=True)
class Listed:
    """The names a bare mention may be written as, built once from the data file."""

    names: dict[str, str]  # each listed name and alias, without 中华人民共和国 -> the key of its entry
    same_title: frozenset[str]  # the keys of the titles local regulations also bear
    ends: re.Pattern = re.compile("(?!)")  # the names' last characters
    lengths: tuple[int, ...] = ()  # their lengths, longest first

    @classmethod
    def of(cls, names: dict[str, str], same_title: frozenset[str]) -> Listed:
        ends = re.compile("[" + "".join(sorted({re.escape(n[-1]) for n in names})) + "]") if names else cls.ends
        return cls(names, same_title, ends, tuple(sorted({len(n) for n in names}, reverse=True)))


def candidates(plain: str, listed: Listed) -> list[tuple[int, int]]:
    """The spans of the listed names in ``plain`` (with 中华人民共和国 before, if written), the
    longest at each place; a name inside a longer one is not a candidate (合同法 in 劳动合同法).
    Found from the names' last characters (a regular expression of hundreds of names would try
    each at every character)."""
    found = []
    for end in listed.ends.finditer(plain):
        i = end.start()
        for n in listed.lengths:
            s = i + 1 - n
            if s >= 0 and plain[s:i + 1] in listed.names:
                found.append((s - len(NATION) if plain[max(0, s - len(NATION)):s] == NATION else s, i + 1))
                break
    return [c for c in found if not any(o != c and o[0] <= c[0] and c[1] <= o[1] for o in found)]


def masked(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with the spans (titles in 《》) blanked, offsets kept."""
    chars = list(text)
    for s, e in spans:
        chars[s:e] = "□" * (e - s)
    return "".join(chars)


def is_part_of_other_words(text: str, start: int, end: int) -> bool:
    """Whether a name's characters are part of other words here (see the module's list)."""
    name, after, before = text[start:end], text[end:end + 6], text[max(0, start - 6):start]
    if name.endswith("法") and NOT_AFTER_LAW.match(after):
        return True
    return bool(LONGER_AFTER.match(after) or OTHER_THING.search(before))


def local_or_ambiguous(text: str, start: int, end: int, national: bool) -> str:
    """For a title local regulations also bear, written at ``start:end``: 'local' when the
    text says it is a local one, AMBIGUOUS when it does not say whose (in a local report),
    else ''."""
    before = text[max(0, start - 12):start]
    if NATIONAL_BEFORE.search(before):
        return ""
    local_act = not national and LOCAL_ACT.search(before) and not IMPLEMENTING.match(text[end:end + 4])
    if LOCAL_BEFORE.search(before) or local_act:
        return "local"
    return "" if national else AMBIGUOUS


def find(text: str, marked: list[tuple[int, int]], listed: Listed, national: bool = False) -> list[Bare]:
    """The bare names of ``text`` outside the ``marked`` spans (titles in 《》)."""
    plain = masked(text, marked) if marked else text
    out = []
    for s, e in candidates(plain, listed):
        written = text[s:e]
        if is_part_of_other_words(plain, s, e):
            continue
        k = listed.names[written.removeprefix(NATION)]
        ambiguous = ""
        if k in listed.same_title and not written.startswith(NATION):
            ambiguous = local_or_ambiguous(text, s, e, national)
            if ambiguous == "local":
                continue
        before = text[max(0, s - 10):s]
        prefix = PREFIX.search(before)
        edition = EDITION_BEFORE.search(before) or EDITION_AFTER.match(text[e:e + 16])
        out.append(Bare(k, written, prefix.group(1) if prefix else "",
                        re.sub(r"\s+", "", edition.group(1)) if edition else "", s, e, ambiguous))
    return out

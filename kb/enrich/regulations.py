"""Regulations: the laws, regulations and documents a paragraph mentions (enrich step).

Every title in book-title marks (《…》, and a 〈…〉 title nested inside one) is a
mention, with its offsets in the paragraph. A mention is

- grouped under a canonical name: 《行政处罚法》 and 《中华人民共和国行政处罚法》 are one
  law; a national law is named with 中华人民共和国; ``kb/data/regulations.toml`` adds
  aliases (卫健法) and corrects kinds;
- stripped of what is not the name: a prefix outside the marks (新修订《行政处罚法》)
  and an edition inside them (《习近平法治思想学习纲要（2025年版）》) are recorded apart;
- classified as one of :data:`KINDS` by its name; a title whose name does not end as a
  law, regulation or document does (条例, 办法, 意见, 纲要, 措施, 公约 …) is no mention
  at all: films, books, songs, newspapers (《归路》, 《人民日报》), and bare generic words
  (《条例》, 《纲要（草案）》, 《若干措施》) are left out (:func:`is_document`);
- followed, where written, by its document number (宛发〔2021〕24号).

A title cut by a page end was joined again by :mod:`kb.ingest.repair`, so
《南阳市卫生健康系统落实行政执法责任制的通知》 is found whole.

A listed law or regulation written bare, without 《》 (推动民法典实施, 落实新修订的行政复议法), is a
mention too (:mod:`kb.enrich.lawnames`): the data file lists the national laws (``laws``), the
State Council's regulations (``state_council``) and the titles local regulations also bear
(``same_title``: such a mention that does not say whose it is, in a local report, is marked
``ambiguous``; one that says it is a local one is no mention of the State Council's).
"""

from __future__ import annotations

import hashlib
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kb.enrich import lawnames
from kb.text import textnorm

DATA = Path(__file__).parents[1] / "data" / "regulations.toml"

KINDS = ("法律", "行政法规", "部门规章", "地方性法规", "规范性文件", "党内法规", "读物/讲话", "其他")

TITLE = re.compile(r"(新修订的?|新修正的?|修订后的|修正后的|新)?《((?:[^《》\n]|《[^《》\n]*》){1,120}?)》")
INNER = re.compile(r"〈([^〈〉]{2,100})〉")
EDITION = re.compile(r"\s*[（(]\s*(\d{4}\s*年\s*(?:版|修订|修正|修订版|本))\s*[)）]\s*$")
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,10}\s*[〔［\[(（]\s*(?:19|20)\d{2}\s*[〕］\])）]\s*\d{1,4}\s*号")
PLACE = re.compile(r"^[\u4e00-\u9fff]{1,9}?(?:省|自治区|市|州|盟|县|区|旗)")
NATION = "中华人民共和国"


@dataclass(frozen=True)
class Mention:
    """One mention of a regulation in a paragraph."""

    name: str  # canonical name
    kind: str
    written: str  # as written, marks and prefix included: 新修订《行政处罚法》
    prefix: str  # 新修订 …
    edition: str  # 2025年版 …
    doc_number: str  # 宛发〔2021〕24号, if it follows the title
    start: int  # offsets of ``written`` in the paragraph
    end: int
    ambiguous: str = ""  # why it may name another regulation (a local one of the same title), or ''
    bare: bool = False  # written without 《》


@dataclass(frozen=True)
class Entry:
    name: str
    kind: str
    aliases: tuple[str, ...]


@lru_cache(maxsize=4)
def _data(path: Path) -> dict:
    return tomllib.loads(Path(path).read_text(encoding="utf-8"))


@lru_cache(maxsize=4)
def table(path: Path = DATA) -> dict[str, Entry]:
    """Entries of the editable data file by the key of their name and of each alias: the
    listed laws (named 中华人民共和国…) and State Council regulations, then the entries."""
    data = _data(path)
    out: dict[str, Entry] = {}
    listed = [(NATION + n, "法律", (n,)) for n in data.get("laws", ())]
    listed += [(n, "行政法规", ()) for n in data.get("state_council", ())]
    for r in data.get("regulation", ()):
        old = out.get(key(r["name"])) or next((Entry(*e) for e in listed if key(e[0]) == key(r["name"])), None)
        listed.append((r["name"], r.get("kind", "") or (old.kind if old else ""),
                       tuple(dict.fromkeys((*(old.aliases if old else ()), *r.get("aliases", ()))))))
    for name, kind, aliases in listed:
        entry = Entry(name, kind, aliases)
        for n in (entry.name, *entry.aliases):
            out[key(n)] = entry
    return out


@lru_cache(maxsize=4)
def bare_names(path: Path = DATA) -> lawnames.Listed:
    """Every listed name and alias as written bare, without 中华人民共和国 -> the key of its
    entry, and the keys of the titles local regulations also bear."""
    names = {}
    for entry in set(table(path).values()):
        for n in (entry.name, *entry.aliases):
            bare = tidy(n).removeprefix(NATION)
            if len(bare) >= 2:
                names[bare] = key(entry.name)
    return lawnames.Listed.of(names, frozenset(key(n) for n in _data(path).get("same_title", ())))


def key(name: str) -> str:
    """What makes two names the same regulation: width, dashes, spaces and 中华人民共和国 aside."""
    return textnorm.normalize_str(tidy(name)).removeprefix(NATION)


def split_edition(name: str) -> tuple[str, str]:
    m = EDITION.search(name)
    if not m:
        return name.strip(), ""
    return name[: m.start()].strip(), re.sub(r"\s+", "", m.group(1))


def tidy(name: str) -> str:
    """One way to write a name: full-width brackets, one dash between years, no spaces.

    (2021-2025年), （2021—2025年） and （2021--2025年） all become （2021－2025年）.
    """
    n = re.sub(r"\s+", "", unicodedata.normalize("NFKC", name))
    n = re.sub(r"(?<=\d)[-－—–~～]+(?=\d)", "－", n)
    return n.replace("(", "（").replace(")", "）").replace(",", "，")


#: What a name is written with after it, that says nothing of its kind: （草案）, （试行）…
DRAFT = re.compile(r"[（(]?(?:草案|试行|暂行|修订稿|修订|修正|征求意见稿|送审稿|讨论稿)[)）]?$")
#: The last words of a document's name, by kind (a name with none of them is no document:
#: a film, a book, a song, a newspaper …)
NORMATIVE = ("通知|方案|意见|计划|要点|规划|清单|预案|基准|分工|指标体系|决定|公告|通告|批复|函|报告|纲要|建议|"
             "措施|举措|政策|指南|指引|导则|目录|制度|[一二三四五六七八九十百]+条")
RULES = "办法|规定|细则|规则|规范|标准|守则"
OTHER_DOCUMENTS = "协定|公约|条约|宪章|章程|议定书|声明|宣言|公报|协议"
#: 兵法, 书法, 算法 … are no laws
NOT_A_LAW = "办方做想兵书算手语魔疗刀枪笔戏佛心章写说看用"
#: A bare generic word, not a title: 《条例》, 《纲要（草案）》, 《若干措施》, 《政府工作报告》
GENERIC = re.compile(r"^(?:实施|规划|若干|总体|专项|工作|政府工作|框架|暂行|[一二三四五六七八九十百]+条)*"
                     r"(?:" + NORMATIVE + "|" + RULES + "|" + OTHER_DOCUMENTS + r"|条例|法|准则)$")


def _base(name: str) -> str:
    """The name without 中华人民共和国, a trailing year range and draft marks."""
    n = re.sub(r"[（(][^（()）]*\d{4}[^（()）]*[)）]$", "", name.removeprefix(NATION))  # …方案（2021－2025年）
    while True:
        m = DRAFT.search(n)
        if not m or not m.start():
            return n
        n = n[:m.start()]


def is_document(name: str) -> bool:
    """Whether a title is a law, regulation or document (by the last words of its name,
    or the data file's say), not a book, film, song or a bare generic word."""
    if table().get(key(name)):
        return True
    n = _base(name)
    if GENERIC.match(n) or not n:
        return False
    return kind_of(name) != "其他" or bool(re.search(r"(?:" + OTHER_DOCUMENTS + r")$", n))


def kind_of(name: str) -> str:
    """The kind of a regulation by its name (the data file may say otherwise); 其他 when
    the name does not say (a treaty, a declaration, or no document at all: see
    :func:`is_document`)."""
    n = _base(name)
    if n.startswith("习近平") or re.search(r"(概论|文选|读本|讲话|问答|学习纲要)$", n):
        return "读物/讲话"
    if re.search(r"中国共产党|党内|党组|党委|党政主要负责人|纪律处分|问责条例", n):
        return "党内法规"
    if re.search(r"(?:" + NORMATIVE + r")$", n):
        return "规范性文件"
    local = bool(PLACE.match(n))
    if re.search(r"(?<![" + NOT_A_LAW + r"])法典?$", n):
        return "地方性法规" if local else "法律"
    if n.endswith("条例") or n.endswith("暂行条例"):
        return "地方性法规" if local else "行政法规"
    if re.search(r"(?:" + RULES + r")$", n):
        return "地方性法规" if local else "部门规章"
    return "其他"


def canonical(name: str) -> tuple[str, str]:
    """(canonical name, kind) of a title as written (edition already removed)."""
    entry = table().get(key(name))
    if entry:
        return entry.name, entry.kind or kind_of(entry.name)
    kind = kind_of(name)
    display = tidy(name)
    if kind == "法律" and not display.startswith(NATION):
        display = NATION + display
    return display, kind


def mentions(text: str, national: bool = False) -> list[Mention]:
    """Every regulation mentioned in ``text``, in order: titles in 《》 (nested 〈…〉 titles
    too) and listed names written bare. ``national``: the paragraph is of a national report
    (a title local regulations also bear is then the State Council's)."""
    out = _marked(text, national)
    for b in lawnames.find(text, [(m.start, m.end) for m in out], bare_names(), national):
        name, kind = canonical(b.written)
        out.append(Mention(name, kind, b.written, b.prefix, b.edition, "", b.start, b.end, b.ambiguous, True))
    return sorted(out, key=lambda m: m.start)


def _marked(text: str, national: bool) -> list[Mention]:
    """The mentions in 《》 (and 〈…〉 inside them)."""
    out: list[Mention] = []
    same_title = bare_names().same_title
    for m in TITLE.finditer(text):
        inner_text = m.group(2)
        base, edition = split_edition(inner_text)
        if not base or not is_document(base):
            continue
        name, kind = canonical(base)
        ambiguous = lawnames.local_or_ambiguous(text, m.start(), m.end(), national) if key(name) in same_title else ""
        if ambiguous == "local":
            continue
        after = text[m.end(): m.end() + 30]
        doc = DOC_NUMBER.match(re.sub(r"^\s*[（(]", "", after))
        out.append(Mention(name, kind, m.group(0), m.group(1) or "", edition,
                           re.sub(r"\s+", "", doc.group(0)) if doc else "", m.start(), m.end(), ambiguous))
        for inner in INNER.finditer(inner_text):
            ibase, iedition = split_edition(inner.group(1))
            if not is_document(ibase):
                continue
            iname, ikind = canonical(ibase)
            start = m.start(2) + inner.start()
            out.append(Mention(iname, ikind, inner.group(0), "", iedition, "", start, start + len(inner.group(0))))
    return out


def names_in(text: str, national: bool = False) -> list[str]:
    """The distinct canonical names mentioned in ``text``, in order of first mention."""
    return list(dict.fromkeys(m.name for m in mentions(text, national)))


def titles_in(text: str) -> list[str]:
    """The distinct titles of ``text`` as written inside the marks (without marks)."""
    return list(dict.fromkeys(m.group(2).strip() for m in TITLE.finditer(text) if m.group(2).strip()))


def aliases_of(term: str) -> tuple[str, ...]:
    """The other names of the regulation a query term names (for query expansion)."""
    k = key(term)
    entry = table().get(k)
    if entry is None:
        return ()
    return tuple(n for n in (entry.name, *entry.aliases) if key(n) != k)


def is_national(level: str) -> bool:
    """Whether a report of this level (the ``level`` field) is a national one."""
    return level == "国家"


def checksum(path: Path = DATA) -> str:
    """A checksum of the data file, recorded in the index (names are indexed)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]

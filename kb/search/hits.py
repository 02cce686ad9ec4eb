"""Hits: a stored paragraph as the search answers show it.

A hit is the paragraph's fields (as :mod:`kb.engines.fields` says each is shown), an excerpt
with the query's matches marked (:mod:`kb.text.highlight`), the concept entries through
which it was found, and its citation (:func:`citation`: 单位 · 报告年度 2025 · 标题 · 第N段, the
year said for what it is: the year reported on). Hits carry ids, never URLs: the site adds its
links (web/urls.py).
"""

from __future__ import annotations

import functools
import re

from kb.core.errors import IndexDamaged
from kb.core.settings import Ranking
from kb.engines import fields
from kb.engines.protocol import Engine
from kb.engines.query import And, Not, Or, Query, Term, whole_words
from kb.text import highlight, meaning, textnorm, words

SENTENCE = re.compile(r"[^。；！？!?;]+")
#: What a report's year is, wherever it is shown: the year reported on (a work report given in
#: 2026 reviews 2025; a 法治政府建设 report of 2025 is signed early in 2026).
YEAR_LABEL = "报告年度"


def year_said(year) -> str:
    """A report's year as pages, copies and exports say it: 报告年度 2025 ('' for none)."""
    return f"{YEAR_LABEL} {year}" if year not in (None, "", 0) else ""


#: A value the import guessed, as plain text says it (the pages' ``?``, its hover said in words).
GUESSED = "?"


def guessed(h: dict, name: str) -> str:
    """``?`` after a value of ``h`` the import guessed (``name`` in its ``unsure``), else ''."""
    return GUESSED if name in (h.get("unsure") or ()) else ""


#: The metadata fields an import may guess, as a CSV's 推测字段 column names them.
UNSURE_LABELS = {"title": "标题", "agency": "单位", "region": "地区", "level": "层级", "year": "报告年度",
                 "date_signed": "签发日期", "signed_by": "署名"}
#: The title of the CSV column that lists them (every export of paragraphs or figures has it).
UNSURE_COLUMN = "推测字段（请核对原件）"


def unsure_said(h: dict) -> str:
    """The fields of ``h`` the import guessed, as a CSV cell: 单位、地区 ('' when it is sure of all)."""
    return "、".join(UNSURE_LABELS.get(f, f) for f in h.get("unsure") or ())


def citation(h: dict) -> str:
    """A paragraph's citation, as copies, CSV and Word give it: 大连市人民政府 · 报告年度 2025 ·
    2026年大连市政府工作报告 · 第3段 (the report's title in its own words beside the year it reports on);
    a value the import guessed is followed by ``?`` (大连市人民政府? · 报告年度 2025?)."""
    agency, year, title = (h.get(k, "") for k in ("agency", "year", "title"))
    parts = [agency and f"{agency}{guessed(h, 'agency')}", year_said(year) and f"{year_said(year)}{guessed(h, 'year')}",
             title and f"{title}{guessed(h, 'title')}", f"第{h['ordinal']}段" if h.get("ordinal") else ""]
    return " · ".join(str(x) for x in parts if x)


@functools.lru_cache(maxsize=4096)
def _keys(words: str) -> list[list[str]]:
    """The unit keys of a concept entry's part or a term's word (asked for every hit
    shown; never changed)."""
    return textnorm.unit_keys(words)


def found_through(text: str, term: Term) -> list[str]:
    """The expansions of ``term`` through which ``text`` matches it: those whose every
    part stands in the text (none when the term itself does)."""
    if highlight.find(text, [term.keys]):
        return []
    return [e.label for e in term.expansions
            if all(highlight.find(text, [_keys(part)]) for part in e.parts)]


def literal(tree, text: str) -> bool:
    """Whether a paragraph matches a query tree exactly: every term's characters together
    (no concept entry, no words apart)."""
    if tree is None:
        return True
    if isinstance(tree, Term):
        return bool(highlight.find(text, [tree.keys]))
    if isinstance(tree, Not):
        return not literal(tree.item, text)
    if isinstance(tree, Or):
        return any(literal(x, text) for x in tree.items)
    return all(literal(x, text) for x in tree.items)


def matched_by(query: Query, text: str, section: list[str]) -> list[str]:
    """How a related match holds each query term it lacks the characters of: a concept
    entry (也匹配), the term's words in one sentence (同句), its words near in meaning (语义相近),
    its words in a heading above (标题), or not at all (a common word of an AND, which adds but
    does not veto). A paragraph that holds none of the query's terms in any of these ways, and
    is close in meaning to the query as a whole, says so once (整体相近: the engine's last related
    matches)."""
    several = isinstance(query.tree, And) and len(query.own) > 1
    own = list(dict.fromkeys(query.own))
    lacking = [t for t in own if not highlight.find(text, [t.keys])]
    held = {t: _held_by(t, text, section) for t in lacking}
    if len(lacking) == len(own) and not any(held.values()):
        whole = _whole_meaning(query, text)
        if whole:
            return [whole]
    return [h or _not_held(t, several) for t, h in held.items()]


def _whole_meaning(query: Query, text: str) -> str | None:
    """整体相近: the paragraph is close in meaning to the query as a whole (as the engine's last
    related matches are: :func:`kb.text.meaning.whole_match`), through its words nearest to it; said
    apart from 语义相近 (the query's own words, or words near each of them, found together)."""
    found = meaning_words_of_whole(query, text)
    return "整体相近：" + "、".join(found) if found else None


def meaning_words_of_whole(query: Query, text: str) -> list[str]:
    """The paragraph's words through which it is close in meaning to the whole query (none when
    it is not)."""
    ws = whole_words(query.tree)
    if not ws:
        return []
    return meaning.whole_match(ws, words.cut(textnorm.normalize_str(text))) or []


def _held_by(t: Term, text: str, section: list[str]) -> str | None:
    """How ``text`` holds a term it lacks the characters of, the first way that holds (None:
    none of them)."""
    return (_through_concepts(t, text) or _in_one_sentence(t, text) or _by_meaning(t, text)
            or _in_headings(t, section) or _words_apart(t, text))


def _not_held(t: Term, several: bool) -> str:
    """What a related match says of a term it does not hold: a common word of an AND
    (``several``), else the term's words."""
    if several:
        return f"不含常见词：{t.text}"
    return "词语相近：" + " · ".join(t.near_words or (t.text,))


def _near_keys(t: Term) -> list[str]:
    """The term's near words, normalized as the text is compared."""
    return [textnorm.normalize_str(w) for w in t.near_words]


def _through_concepts(t: Term, text: str) -> str | None:
    """也匹配: the concept entries through which the text matches the term."""
    through = found_through(text, t)
    return "也匹配：" + "、".join(through) if through else None


def _in_one_sentence(t: Term, text: str) -> str | None:
    """同句: the term's near words all in one sentence of the text."""
    ws = _near_keys(t)
    norm = textnorm.normalize_str(text)
    if ws and any(all(w in s for w in ws) for s in SENTENCE.findall(norm)):
        return "同句：" + " · ".join(t.near_words)
    return None


def _by_meaning(t: Term, text: str) -> str | None:
    """语义相近: for each of the term's words, the word or one near it in meaning
    (:attr:`Term.meaning`), all near one of the first word's places (as the engine looked for
    them: :func:`_meaning_span`); all of them, or all but one when the engine took that too
    (:meth:`kb.text.meaning.Expansion.partial`), 部分相近 when the word left out is nowhere in the
    text (ranked lower, with the answers); 应对的措施 for a problem's other words beside a word of
    remedy (:meth:`kb.text.meaning.Expansion.remedies`); of two words, the one that is not common."""
    e = t.meaning
    if e is None:
        return None
    norm = textnorm.normalize_str(text)
    return _says(e, norm) or _answers(e, norm) or _one_of_two(e.alternatives(), norm)


def _says(e, norm: str) -> str | None:
    """语义相近 (every slot, or all but one where the one left out is in the text), else 部分相近."""
    alts = e.alternatives()
    for slots in (alts, *e.partial()):
        found = _meaning_span(norm, slots)
        if not found:
            continue
        shown = _meaning_shown(norm, found)
        missing = next((a for a in alts if a not in slots), None)
        if missing is not None and not e.says_without(slots) and not any(re.search(_normalized(w), norm) for w in missing):
            return f"部分相近：{shown}（不含：{missing[0]}）"  # ranked with the answers (the engine's _meaning_tiers)
        return "语义相近：" + shown
    return None


def _answers(e, norm: str) -> str | None:
    """应对的措施: a problem's other words beside a word of remedy."""
    for slots in e.remedies():
        found = _meaning_span(norm, slots)
        if found:
            return "应对的措施：" + _meaning_shown(norm, found)
    return None


def _meaning_found(t: Term, norm: str) -> list[tuple[int, str]]:
    """The words (with their places) through which ``norm`` holds ``t`` by meaning, one of each
    slot, as :func:`_meaning_span` finds them (every slot, all but one, a problem's remedy, or of
    two words the one not common); none when it does not."""
    e = t.meaning
    if e is None:
        return []
    alts = e.alternatives()
    ones = [((a[0],),) for a in alts] if len(alts) == 2 else []
    for slots in (alts, *e.partial(), *e.remedies(), *ones):
        found = _meaning_span(norm, slots)
        if found:
            return found
    return []


def meaning_words(query: Query, text: str) -> list[str]:
    """The words through which a related match holds the query's terms by meaning, or is close
    in meaning to the whole query: what its excerpt marks besides the terms' own characters."""
    norm = textnorm.normalize_str(text)
    found = [w for t in query.own if not highlight.find(text, [t.keys]) for _, w in _meaning_found(t, norm)]
    return list(dict.fromkeys(found)) or meaning_words_of_whole(query, text)


def _one_of_two(alts: tuple[tuple[str, ...], ...], norm: str) -> str | None:
    """Of two words, the one the text holds, the other a common one (服务 of 残疾人服务: the engine's
    but_common); none when the word it holds is the common one (执法 of 执法一刀切, in the reports
    ``Ranking.common_ratio`` times as often as 一刀切, by the model's counts: such a paragraph came in by
    the meaning of the whole query, and says so)."""
    if len(alts) != 2:
        return None
    pair = (alts[0][0], alts[1][0])
    one = next((w for w, other in (pair, pair[::-1]) if _more_common(other, w) and _meaning_span(norm, ((w,),))), None)
    return f"语义相近：{one}（不含常见词：{pair[1] if one == pair[0] else pair[0]}）" if one else None


def _more_common(word: str, than: str) -> bool:
    """Whether the reports use ``word`` ``Ranking.common_ratio`` times as often as ``than`` (the model's
    counts: what the engine counts in the user's corpus, as near as the page can know it)."""
    model = meaning.active()
    count = (lambda w: int(model.counts[model.index[w]]) if w in model.index else 0) if model is not None else None
    return count is None or count(word) >= Ranking.common_ratio * max(1, count(than))


@functools.lru_cache(maxsize=4096)
def _normalized(word: str) -> str:
    """A word of a meaning slot as the normalized text writes it, as a pattern."""
    return re.escape(textnorm.normalize_str(word))


def _meaning_span(norm: str, slots: tuple[tuple[str, ...], ...], window: int = 16) -> list[tuple[int, str]]:
    """A word of each slot within ``window`` characters of a place of the first slot's, with
    their places, in the text's order (none when no place of the first slot has them all)."""
    places = [sorted((m.start(), w) for w in slot for m in re.finditer(_normalized(w), norm)) for slot in slots]
    for start, first in places[0]:
        near = [min(((abs(i - start), i, w) for i, w in slot if abs(i - start) <= window), default=None)
                for slot in places[1:]]
        if all(near):
            return sorted([(start, first)] + [(i, w) for _, i, w in near])
    return []


def _meaning_shown(norm: str, found: list[tuple[int, str]]) -> str:
    """The text from the first word found to the last (执法力量薄弱); the words found, when they
    stand far apart or across punctuation."""
    lo, hi = min(i for i, _ in found), max(i + len(w) for i, w in found)
    apart = hi - lo > 24 or re.search(r"[。；，、,;:：！？]", norm[lo:hi])
    return " · ".join(w for _, w in found) if apart else norm[lo:hi]


def _in_headings(t: Term, section: list[str]) -> str | None:
    """标题: the headings above that hold the term's words, when the headings together
    hold all of them."""
    ws = _near_keys(t)
    joined = textnorm.normalize_str(" ".join(section))
    heads = [h for h in section if any(w in textnorm.normalize_str(h) for w in (ws or [t.text]))] \
        if all(w in joined for w in (ws or [textnorm.normalize_str(t.text)])) else []
    return "标题：" + " › ".join(heads) if heads else None


def _words_apart(t: Term, text: str) -> str | None:
    """词语分开: the term's words each somewhere in the text."""
    if t.loose_words and all(highlight.find(text, [_keys(w)]) for w in t.loose_words):
        return "词语分开：" + " · ".join(t.loose_words)
    return None


def hit(stored: dict, terms: list, query: Query | None = None) -> dict:
    """The hit of a stored paragraph: its fields, the excerpt with ``terms`` (unit keys
    of each term to mark) marked, which of the query's expanded terms it was found through,
    and how it matched the query: ``match`` exact or related, and for a related one
    ``matched_by``. Without a query every hit is exact."""
    text = stored["text"]
    exact = query is None or literal(query.tree, text)
    expanded = query.expanded if query is not None else ()
    if not exact:  # mark the words a related match holds apart too, and those it holds by meaning
        terms = list(terms) + [_keys(w) for t in query.own for w in t.near_words]
        terms += [_keys(w) for w in meaning_words(query, text)]
    spans = highlight.find(text, terms) if terms else []
    shown = fields.hit_fields(stored)
    return shown | {
        "citation": citation(shown),
        "excerpt_html": highlight.excerpt(text, spans),
        "also_matched": [label for t in expanded for label in found_through(text, t)],
        "match": "exact" if exact else "related",
        "matched_by": [] if exact else matched_by(query, text, shown.get("section_path", [])),
    }


def fetch(engine: Engine, ids: list[str]) -> list[dict]:
    """The stored paragraphs of ids the engine has just selected: one missing means the
    parts of the index disagree, which is damage."""
    stored = engine.fetch(ids)
    for pid, doc in zip(ids, stored, strict=True):
        if doc is None:
            raise IndexDamaged(f"paragraph {pid} is not in the index")
    return stored

"""Plan versus delivery (search step): each plan item checked against the next report.

A report's plan items (:mod:`kb.enrich.plans`) are matched against the paragraphs of the same
agency's report on the next year: every paragraph of that report is ranked for an item, by

- the item's words, as character pairs inside each word (老旧小区 finds 改造老旧小区 and
  城镇老旧小区 alike), each weighted by how rare it is among the next report's paragraphs
  (a word every paragraph has, 建设, counts little): the share of the item's weight a
  paragraph holds, and the best share one sentence holds (words near each other);
- words related in meaning (:class:`Similarity`: the concepts of ``kb/data/concepts.toml``
  today; word vectors trained on the corpus can be plugged in with the same two methods);
- the role of the paragraph: the next report's own plan says what will be done, not what was
  (it counts under the threshold of a mention: a promise repeated is no report of it), the
  review counts fully;
- the target: a figure of the item (增长6.5%, 新增学位2万个) read again after the same
  indicator in the best sentences, met, exceeded or missed (a 控制在…以内 target is met below it).

A review that delivers a whole list at once (全面完成十方面民生实事, 人代会预期性目标全部达成)
counts for the items of that list (targets, 民生实事) the item's own paragraph does not
otherwise report.

Verdicts (:mod:`kb.search.plan_verdict`, from the item's :class:`~kb.search.plan_verdict.Features`):
``delivered`` (the target met, or the action reported), ``partly`` (mentioned, but the
target missed or its number not reported, or only part of the words found), ``not_mentioned``.
``sure`` is False near a threshold, or when only a list statement says it.
"""

from __future__ import annotations

import functools
import heapq
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from kb.core.model import Paragraph
from kb.enrich import parts
from kb.enrich import plans as plan_items
from kb.figures import extract as figures
from kb.search import plan_figures, plan_names, plan_relative, plan_support
from kb.search.plan_meaning import _LIGHT, MeaningSimilarity, Similarity
from kb.search.plan_meaning import ConceptSimilarity as ConceptSimilarity  # the concepts alone, re-exported
from kb.search.plan_verdict import DELIVERED, FIGURES_LOW, HIGH, NOT_MENTIONED, PARTLY, Features, mention, rules
from kb.search.plan_verdict import MARGIN as MARGIN  # re-exported
from kb.search.plan_weights import NO_WORK, ROLE_WEIGHT, weights
from kb.text import words

#: The matcher's version: the shares kept beside an index (:mod:`kb.search.plan_shares`) judged
#: by another version are not shown (bump it when verdicts change).
VERSION = "20"  # 6–11: stop 37's sixth round (plans7); 12: with the roles read anew (date-line headings, a plan's sub-headings aiming at 成效, reports without headings); 13: paragraphs of no work and glossary entries ranked last, the mention threshold by the item's length, not mentioned by names alone not sure (stop 38); 14: a share (占国内生产总值比重) is not its whole's figure (stop 38, lead); 15: items that commit to nothing (headings, leads, outlooks, frames, working style, rallying closes) are no items (stop 38); 16: a part after the review whose heading says nothing is what the parts reader reads it as (the plan), a paragraph of lessons reports no work, a figure said as an estimate (预计增长4.5%) is compared (stop 39; the bracket restore of a heading number was reverted); 17: a share whose whole is unsaid (民生支出占比) is any share of its part (stop 39); 18: a target met without its number said jointly with another indicator (单位生产总值和工业增加值能耗超额完成…目标) (stop 39); 19: figures of other dimensions, years or scopes never compared or counted, a mentioned item's figure looked for in the next seven ranked paragraphs, delivered by words sure only when firm (stop 40); 20: items of the situation are no items, a five-year part's sub-headings are no plan, an item whose goal reaches beyond the plan's year is marked (horizon) and never sure (stop 40, plansitems)
VERDICT_LABELS = {DELIVERED: "已落实", PARTLY: "部分落实", NOT_MENTIONED: "未提及"}

EVIDENCE = 3
#: How much the share of the item the whole paragraph holds counts (the rest: its best sentence).
PARA = 0.4
#: How many of the best paragraphs a verdict keeps ranked (for the evaluation).
RANKED = 10
#: An indicator looked for beyond the evidence (:func:`_further`) is named in this many characters
#: or more (计划完成投资, not 投资 of 今年投资3030亿元建设200项省重点项目).
FURTHER_KEY = 4

_SENT = re.compile(r"[^。；！？!?;]+[。；！？!?;]?")


def default_similarity(nxt: NextReport) -> Similarity:
    """The similarity the matcher uses against a next report: the concepts and the meaning model."""
    return MeaningSimilarity(nxt.vocabulary(), said=nxt.said)


@dataclass
class Evidence:
    paragraph_id: str
    text: str
    score: float
    figures: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"paragraph_id": self.paragraph_id, "text": self.text, "score": round(self.score, 3),
                "figures": self.figures}


@dataclass
class Verdict:
    item: plan_items.PlanItem
    verdict: str
    sure: bool
    evidence: list[Evidence]
    compared: list[dict] = field(default_factory=list)  # target and actual, side by side
    ranked: list[str] = field(default_factory=list)  # the RANKED best paragraph ids of the next report
    score: float = 0.0  # the best paragraph's
    features: Features | None = None  # what the verdict was decided from
    not_compared: list[dict] = field(default_factory=list)  # the item's figures not compared, and why (plan_support)

    def to_dict(self) -> dict:
        return {"text": self.item.text, "paragraph_id": self.item.paragraph_id, "figures": self.item.figures,
                "horizon": self.item.horizon, "beyond": self.item.beyond,
                "verdict": self.verdict, "label": VERDICT_LABELS[self.verdict], "sure": self.sure,
                "evidence": [e.to_dict() for e in self.evidence], "compared": self.compared,
                "not_compared": [c | {"reason": plan_support.WHY[c["why"]]} for c in self.not_compared]}


@functools.lru_cache(maxsize=65536)
def _pairs(word: str) -> tuple[str, ...]:
    return (word,) if len(word) < 2 else tuple(word[i:i + 2] for i in range(len(word) - 1))


@dataclass
class Terms:
    """An item's words as character pairs with their weights (``own``), and for each content
    word its pairs, its weight and the words related to it in meaning (``related``): a
    paragraph that says the word in other words (建成 for 竣工) holds the word's share."""

    own: dict[str, float]
    related: list[tuple[tuple[str, ...], float, list[tuple[str, float]]]] = field(default_factory=list)


def terms(text: str, similarity: Similarity | None = None) -> Terms:
    """The weighted character pairs of an item: each content word's pairs (a light word's
    count a fifth), and the words related to each content word (:class:`Similarity`)."""
    out = Terms({})
    for w in words.cut(re.sub(r"[\d.%％]+", " ", text)):
        w = w.strip()
        if not w or not re.search(r"[\u4e00-\u9fff]", w) or len(w) < 2:
            continue
        weight = 0.2 if w in _LIGHT else 1.0
        for t in _pairs(w):
            out.own[t] = max(out.own.get(t, 0.0), weight)
        if weight < 1.0 or not similarity:
            continue
        related = [(o, sim) for o, sim in similarity.related(w) if len(o) >= 2 and o not in w]
        if related:
            out.related.append((_pairs(w), weight, related))
    return out


def character_pairs(text: str) -> set[str]:
    """The pairs of Chinese characters that stand next to each other in ``text``."""
    runs = re.findall(r"[\u4e00-\u9fff]+", text)
    return {r[i:i + 2] for r in runs for i in range(len(r) - 1)}


@dataclass
class NextReport:
    """The next report's paragraphs, read once for all items: their pairs, sentences, roles."""

    paragraphs: list[Paragraph]
    roles: list[str]
    year: int = 0  # the year the report reports on (0: unknown): a plan's targets for later years are not compared
    bags: list[set[str]] = field(init=False)
    sentences: list[list[tuple[str, set[str]]]] = field(init=False)
    idf: dict[str, float] = field(init=False)
    lists: dict[str, list[int]] = field(init=False)
    weights: list[float] = field(init=False)
    postings: dict[str, list[int]] = field(init=False)
    sentence_postings: dict[str, list[int]] = field(init=False)  # sentences by number, in order
    sentence_spans: list[tuple[int, int]] = field(init=False)  # each paragraph's sentences' numbers
    unseen: float = field(init=False)
    first: list[bool] = field(init=False)  # the paragraphs that can report work: ranked before the others
    counts: list[bool] = field(init=False)  # the paragraphs that may be evidence: not the plan, problems, thanks
    said: str = field(init=False)  # what the report says it did, as names are looked for in it
    _figures: dict[int, list[dict]] = field(init=False, default_factory=dict)
    _held: dict[str, tuple[set[int], set[int]]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.weights = weights(self.paragraphs, self.roles)
        self.first, self.counts = _reporting(self.paragraphs, self.weights)
        self.bags = [character_pairs(p.text) for p in self.paragraphs]
        self.sentences = [[(s, character_pairs(s)) for s in _SENT.findall(p.text)] for p in self.paragraphs]
        self._index()
        df = Counter(t for b in self.bags for t in b)
        n = max(1, len(self.paragraphs))
        self.idf = {t: math.log(1 + n / c) for t, c in df.items()}
        self.unseen = math.log(1 + n)  # the weight of a pair no paragraph has
        self.lists = {kind: [i for i, p in enumerate(self.paragraphs)
                             if self.weights[i] >= ROLE_WEIGHT[plan_items.OTHER] and plan_support.list_done(kind, p.text)]
                      for kind in plan_support.LIST_KINDS}
        self.said = plan_names.normal("\n".join(p.text for p, w in zip(self.paragraphs, self.weights, strict=True)
                                                if w >= 0.5))

    def _index(self) -> None:
        """Which paragraphs and sentences (numbered through the report) hold each character pair."""
        postings: defaultdict[str, list[int]] = defaultdict(list)
        sentence_postings: defaultdict[str, list[int]] = defaultdict(list)
        self.sentence_spans, k = [], 0
        for i, bag in enumerate(self.bags):
            for t in bag:
                postings[t].append(i)
            self.sentence_spans.append((k, k + len(self.sentences[i])))
            for _, sbag in self.sentences[i]:
                for t in sbag:
                    sentence_postings[t].append(k)
                k += 1
        self.postings, self.sentence_postings = dict(postings), dict(sentence_postings)

    def vocabulary(self) -> list[str]:
        """The words of what the report says it did (its paragraphs but its plan), once each."""
        said = "\n".join(p.text for p, w in zip(self.paragraphs, self.weights, strict=True) if w >= 0.5)
        return list(dict.fromkeys(w for w in words.cut(said) if len(w) >= 2))

    def figures(self, i: int) -> list[dict]:
        """The figures of paragraph ``i``, read once."""
        if i not in self._figures:
            self._figures[i] = _figures_of(self.paragraphs[i].text)
        return self._figures[i]

    def weight(self, t: str) -> float:
        return self.idf.get(t, self.unseen)

    def scores(self, item_terms: Terms) -> list[float]:
        """Every paragraph's score for an item's terms: the share of the item's weight the
        paragraph holds and the best share one of its sentences holds (words near each other),
        0.4 and 0.6 of it, times the paragraph's weight (:func:`kb.search.plan_weights.weights`). A word said in
        other words (:meth:`_related`) counts its share times their similarity."""
        n = len(self.paragraphs)
        weighted = {t: w * self.weight(t) for t, w in item_terms.own.items()}
        total = sum(weighted.values())
        if not total:
            return [0.0] * n
        para, sent = [0.0] * n, [0.0] * (self.sentence_spans[-1][1] if n else 0)
        postings, sentence_postings = self.postings, self.sentence_postings
        for t, w in weighted.items():
            gain = w / total
            for i in postings.get(t, ()):
                para[i] += gain
            for k in sentence_postings.get(t, ()):
                sent[k] += gain
        self._related(item_terms, weighted, total, para, sent)
        weights = self.weights
        return [(PARA * para[i] + (1 - PARA) * max(sent[a:b], default=0.0)) * weights[i] if para[i] else 0.0
                for i, (a, b) in enumerate(self.sentence_spans)]

    def _holding(self, word: str) -> tuple[set[int], set[int]]:
        """The paragraphs and sentences that hold every character pair of ``word`` (remembered)."""
        found = self._held.get(word)
        if found is None:
            found = self._held[word] = self._holding_all(word)
        return found

    def _holding_all(self, word: str) -> tuple[set[int], set[int]]:
        ps = _pairs(word)
        paras = set(self.postings.get(ps[0], ()))
        sents = set(self.sentence_postings.get(ps[0], ()))
        for t in ps[1:]:
            paras &= set(self.postings.get(t, ()))
            sents &= set(self.sentence_postings.get(t, ()))
        return paras, sents

    def _related(self, item_terms: Terms, weighted: dict[str, float], total: float,
                 para: list[float], sent: list[float]) -> None:
        """Add to each paragraph and sentence that lacks an item's word but holds a word related
        to it the word's share times the similarity (the best related word's)."""
        for own_pairs, _, related in item_terms.related:
            share = sum(weighted.get(t, 0.0) for t in own_pairs) / total
            has = self._holding_pairs(own_pairs)
            extra_p: dict[int, float] = {}
            extra_s: dict[int, float] = {}
            for other, sim in related:
                ps, ss = self._holding(other)
                for i in ps - has[0]:
                    extra_p[i] = max(extra_p.get(i, 0.0), share * sim)
                for key in ss - has[1]:
                    extra_s[key] = max(extra_s.get(key, 0.0), share * sim)
            for i, v in extra_p.items():
                para[i] += v
            for key, v in extra_s.items():
                sent[key] += v

    def _holding_pairs(self, ps: tuple[str, ...]) -> tuple[set[int], set[int]]:
        """The paragraphs and sentences that hold any of the pairs ``ps`` (the word itself, in part)."""
        paras = {i for t in ps for i in self.postings.get(t, ())}
        sents = {k for t in ps for k in self.sentence_postings.get(t, ())}
        return paras, sents


def _reporting(paragraphs: list[Paragraph], weights: list[float]) -> tuple[list[bool], list[bool]]:
    """Which paragraphs can report work (ranked first): not those weighted as no work (the next
    report's plan, what is still wrong, thanks), nor a glossary's entries; and which may be evidence
    (count for a mention): all but those weighted as no work."""
    counts = [w > NO_WORK for w in weights]
    return [c and p.section_kind != parts.NOTES_KIND for p, c in zip(paragraphs, counts, strict=True)], counts


def score(item_terms: Terms, nxt: NextReport, i: int) -> float:
    """How well paragraph ``i`` of the next report reports an item (:meth:`NextReport.scores`)."""
    return nxt.scores(item_terms)[i]


def paragraph_scores(item: plan_items.PlanItem, nxt: NextReport, similarity: Similarity | None) -> list[float]:
    """Every paragraph's score for an item: the whole item's, or nine tenths of a part's when
    that is higher: its action clause (全面实施营改增，从5月1日起…: the action first) and the
    clauses of its targets (坚持把扩大投资作为第一抓手，完成固定资产投资7650亿元: the target)."""
    scores = nxt.scores(terms(item.text, similarity))
    for part in _parts(item.text):
        scores = [max(a, 0.9 * b) for a, b in zip(scores, nxt.scores(terms(part, similarity)), strict=True)]
    return scores


def _parts(text: str) -> list[str]:
    """The parts of an item scored on their own (:func:`paragraph_scores`): its first clause and
    its clauses with a figure, each when it is much shorter than the item."""
    clauses = [c for c in re.split(r"[，,：:；;]", text) if c]
    head = clauses[0] if clauses else ""
    targets = "，".join(c for c in clauses[1:] if re.search(r"\d", c))
    return [p for p in dict.fromkeys((head, targets)) if 4 <= len(p) < len(text) * 0.7]


def _shares_run(item: str, paragraph: str, n: int = 3) -> bool:
    """Whether the paragraph holds a run of ``n`` characters of the item's (its words together)."""
    runs = re.findall(r"[\u4e00-\u9fff]+", item)
    grams = {r[i:i + n] for r in runs for i in range(len(r) - n + 1)}
    return any(g in paragraph for g in grams)


def judge(item: plan_items.PlanItem, nxt: NextReport, similarity: Similarity | None = None) -> Verdict:
    """The verdict on one item, its evidence and the figures compared."""
    scores = paragraph_scores(item, nxt, similarity)
    order = _ranked(scores, nxt.first)
    best = max((v for v, counts in zip(scores, nxt.counts, strict=True) if counts), default=0.0)
    low = mention(len(item.text), _figured(item))
    top = [i for i in _ranked(scores, nxt.first, low, EVIDENCE) if nxt.counts[i]]
    compared, top, best = _compared(item, nxt, top, scores, best)
    listed = nxt.lists.get(item.in_list, []) if item.in_list else []
    second = heapq.nlargest(2, scores)[-1] if len(scores) > 1 else 0.0
    found = features(item, nxt, top, compared, (best, second), bool(listed))
    verdict, sure = rules(found)
    sure = _sure_within_year(item, sure)
    chosen = _evidence_order(verdict, top, listed, best, scores)
    evidence = [Evidence(nxt.paragraphs[i].id, nxt.paragraphs[i].text, scores[i], nxt.figures(i))
                for i in chosen[:EVIDENCE]]
    if chosen[:1] != order[:1]:  # a list statement raised to the first place
        order = _ranked(scores, nxt.first)
    ranked = [nxt.paragraphs[i].id for i in order]
    return Verdict(item, verdict, sure, evidence, compared, ranked, best, found, _not_compared(item, nxt, top, compared))


def _not_compared(item: plan_items.PlanItem, nxt: NextReport, top: list[int], compared: list[dict]) -> list[dict]:
    """The item's figures not compared against its evidence, and why (:func:`kb.search.plan_support.not_compared`)."""
    if not _figured(item):
        return []
    done = {c["target"] for c in compared}
    sentences = [s for i in top for s, _ in nxt.sentences[i]]
    return [c for c in plan_support.not_compared(item.text, sentences, nxt.year) if c["target"] not in done]


def _sure_within_year(item: plan_items.PlanItem, sure: bool) -> bool:
    """Never sure of an item whose goal reaches beyond the plan's year (到2025年, 三年行动: stop 40): the next
    report can only say it is on its way."""
    return sure and item.horizon == plan_items.YEAR


def _ranked(scores: list[float], first: list[bool], low: float = 0.0, n: int = RANKED) -> list[int]:
    """The ``n`` best paragraphs scored above ``low``, those that can report work (``first``:
    :attr:`NextReport.first`) before the others: a promise repeated in the next plan, or a glossary
    entry that explains the item's words, is never the first evidence when a paragraph of the
    review holds some of the item, even at a lower score (0.20 against the plan's 0.22)."""
    held = (i for i, v in enumerate(scores) if v > 0 and v >= low)
    return heapq.nlargest(n, held, key=lambda i: (first[i], scores[i]))


def features(item: plan_items.PlanItem, nxt: NextReport, top: list[int], compared: list[dict],
             best_second: tuple[float, float], listed: bool) -> Features:
    """What the item's verdict is decided from (:class:`kb.search.plan_verdict.Features`): the
    best and second scores, the figures compared, the names said, the evidence's words."""
    figured = _figured(item)
    evidence = [nxt.paragraphs[i].text for i in top[:EVIDENCE]]
    return Features(
        best=best_second[0], second=best_second[1], figured=figured, targets=plan_figures.targets(item.text, nxt.year),
        compared=len(compared), met=sum(bool(c["met"]) for c in compared), listed=listed, evidence=bool(top),
        **_name_features(item.text, figured, nxt.said),
        moving_only=bool(evidence) and plan_names.moving_only(item.text, evidence),
        apart=bool(top) and not _shares_run(item.text, evidence[0]), length=len(item.text),
        rarest_said=not evidence or plan_support.rarest_said(item.text, evidence[0]),
        in_passing=bool(evidence) and plan_support.in_passing(item.text, evidence[0]))


def _name_features(text: str, figured: bool, said: str) -> dict:
    """The item's named objects, how many the next report says (``said``), whether a figure
    stands outside them, whether an item without names or figures has proper names none
    of which is said, and an item without names its places and institutions of common words
    and how many are said (:mod:`kb.search.plan_names`)."""
    names = plan_names.names(text)
    unnamed = text
    for name, _, _ in names:
        unnamed = unnamed.replace(name, "")
    proper = () if names or figured else plan_names.proper(text)
    objects = () if names else plan_names.objects(text)
    return {"names": len(names), "names_said": len(plan_names.found(names, said)) if names else 0,
            "objects": len(objects), "objects_said": sum(o in said for o in objects), "lists": "、" in text,
            "unnamed_figure": bool(re.search(r"\d", unnamed)),
            "proper_unsaid": bool(proper) and not any(p in said for p in proper)}


def _figured(item: plan_items.PlanItem) -> bool:
    """Whether an item sets targets in figures: the figure reader's, or a measure it does not read
    (:func:`kb.search.plan_figures.measured`: 新建农村公路1000公里)."""
    return bool(item.figures) or plan_figures.measured(item.text)


def _compared(item: plan_items.PlanItem, nxt: NextReport, top: list[int], scores: list[float],
              best: float) -> tuple[list[dict], list[int], float]:
    """The item's figures compared with the best paragraphs' (:func:`kb.search.plan_figures.compare`);
    a relative target (增幅高于全省平均水平) said met anywhere in the review raises its paragraph
    to the first place, reported. Returns the comparisons, the evidence and the best score."""
    raised = None if _figured(item) else _relative(item, nxt)
    compared = []
    if not raised:
        compared = plan_figures.compare(item.text, [s for i in top for s, _ in nxt.sentences[i]], nxt.year) if top else []
        # a group indicator (主要污染物) reported by its members, in words the item has not
        raised = None if compared or not _figured(item) else _group(item, nxt)
    if raised:
        i = raised[0]
        scores[i] = best = max(best, scores[i], HIGH)
        return raised[1], [i] + [j for j in top if j != i], best
    if compared or not top or best < FIGURES_LOW:
        return compared, top, best
    return _further(item, nxt, top, scores) + (best,)


def _further(item: plan_items.PlanItem, nxt: NextReport, top: list[int],
             scores: list[float]) -> tuple[list[dict], list[int]]:
    """The first paragraph of the next report's review ranked after the evidence (of the RANKED best
    for the item) whose sentences give the figures of an item its evidence mentions without them
    (哈尔滨 2012: 地区生产总值…2011年达到4243.4亿元，比上年增长12.3% in its five-year look back), and the
    figures compared, and the evidence with that paragraph second (none found: none, the evidence as it was)."""
    for i in _ranked(scores, nxt.first, 0.0, RANKED):
        if i not in top and nxt.counts[i] and nxt.weights[i] >= 0.5:
            found = [c for c in plan_figures.compare(item.text, [s for s, _ in nxt.sentences[i]], nxt.year)
                     if len(c["indicator"]) >= FURTHER_KEY]
            if found:
                return found, top[:1] + [i] + top[1:]
    return [], top


def _group(item: plan_items.PlanItem, nxt: NextReport) -> tuple[int, list[dict]] | None:
    """The paragraph of the next report's review that gives the members of the item's group
    indicator (:data:`kb.search.plan_figures.GROUPS`: 主要污染物 by 二氧化硫、化学需氧量), and the
    figures compared."""
    if not any(group in item.text for group in plan_figures.GROUPS):
        return None
    for i, sentences in enumerate(nxt.sentences):
        if nxt.weights[i] >= 0.5:
            found = plan_figures.compare(item.text, [s for s, _ in sentences], nxt.year)
            if found and any(c["indicator"] for c in found):
                return i, found
    return None


def _relative(item: plan_items.PlanItem, nxt: NextReport) -> tuple[int, list[dict]] | None:
    """The paragraph of the next report's review where the item's relative target is said met
    (:func:`kb.search.plan_relative.relative`), and the target and actual side by side."""
    if not plan_relative.RELATIVE.search(item.text):
        return None
    for i, sentences in enumerate(nxt.sentences):
        if nxt.weights[i] >= 0.5:
            found = plan_relative.relative(item.text, [s for s, _ in sentences])
            if found:
                return i, [found]
    return None


def _evidence_order(verdict: str, top: list[int], listed: list[int], best: float, scores: list[float]) -> list[int]:
    """The evidence paragraphs, best first: none for an item not mentioned; the list
    statement first when it is what delivers the item (scored as a report of it)."""
    if verdict == NOT_MENTIONED:
        return []
    if listed and (not top or best < HIGH):
        scores[listed[0]] = max(scores[listed[0]], HIGH)
        return [listed[0]] + [i for i in top if i != listed[0]]
    return top


def _figures_of(text: str) -> list[dict]:
    return [{"written": f.written, "indicator": f.indicator, "amount": f.amount,
             "normalized_unit": f.normalized_unit} for f in figures.extract(text)]


def match(plan: list[plan_items.PlanItem], paragraphs: list[Paragraph], year: int,
          similarity: Similarity | None = None) -> list[Verdict]:
    """The verdict on every item of a plan against the next report's paragraphs; ``year``
    is the year the next report reports on."""
    nxt = NextReport(paragraphs, plan_items.roles(paragraphs, year), year)
    sim = similarity if similarity is not None else default_similarity(nxt)
    if isinstance(sim, MeaningSimilarity):
        sim.prefetch([item.text for item in plan])
    return [judge(item, nxt, sim) for item in plan]


def summary(verdicts: list[Verdict]) -> dict[str, int]:
    counts = Counter(v.verdict for v in verdicts)
    return {k: counts.get(k, 0) for k in (DELIVERED, PARTLY, NOT_MENTIONED)}

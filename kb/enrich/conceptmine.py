"""Concept mining: propose entries for the concepts dictionary from a corpus and the model of
meaning, for a person to accept (``kb concepts suggest``, ``kb concepts accept``:
:meth:`kb.knowledgebase.KnowledgeBase.suggest_concepts`; ``python -m tools.conceptmine suggest``
is the same beside the product).

Beside the pipeline: it reads the paragraphs of a corpus folder
(:mod:`kb.core.corpus`, :mod:`kb.enrich.paragraphs`) and proposes, for a person to review, how the
reports also write a measure:

- **glossary**: notes that define a term (``[8] 双碳：碳达峰、碳中和``, ``16.平急两用：指…``,
  ``专精特新】即专业化、精细化…``): the term and, when the definition lists them, its parts;
- **quoted**: short names the reports put in quotation marks before 改革/工作/行动/制度…
  (“放管服”改革, “双随机、一公开”监管): the names officers look up;
- for a given term (``--for``): its **word orders** (老旧小区改造 -> 改造城镇老旧小区: the
  term's words reversed, a few characters between), **insertions** (河长制 -> 河湖长制,
  河（湖）长制: characters inside the term), **substitutions** (河长制 -> 湖长制, and also
  林长制: a different measure, which is why a person reviews) and the **headings** that
  hold the term's words.

- from the model of meaning (the shipped one grown with the corpus, :mod:`kb.text.growth`): the
  term's **neighbours** (the model's nearest words), the clauses that say it **by meaning** with
  words near its own (法治意识淡薄 -> 法律意识不强), its **abbreviations** (words of the corpus made
  of the term's characters in order, near it in meaning: 双随机一公开 -> 双随机); without a term,
  the **words the shipped model lacked** that the corpus uses often (where the model is least
  sure: each learned from a few contexts), with their neighbours.

Each proposal carries its evidence: the paragraphs of the corpus it stands in. Nothing here
changes a concepts file: the output is TOML to read, edit and paste, or to accept with ``kb
concepts accept`` (:func:`kb.enrich.concepts.accept`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kb.core import corpus
from kb.enrich import paragraphs as enrich_paragraphs
from kb.text import meaning, textnorm, words
from kb.text.abbrev import in_order

CJK = r"[\u4e00-\u9fff]"
#: a definition: an optional note number, the term (quoted or not), a colon or 】, 即/指
GLOSSARY = re.compile(
    r"^\s*(?:\[\d{1,3}\]|\d{1,3}\s*[.．、]|[（(]\d{1,3}[)）])?\s*【?[“\"]?(?P<term>[^：:】\s“”\"，。；]{2,24}?)[”\"]?"
    r"\s*[：:】]\s*(?P<how>即|指|是指)?\s*(?P<body>\S.{3,})$", re.S)
QUOTED = re.compile(r"“(?P<term>" + CJK + r"[\u4e00-\u9fff、·0-9]{1,9})”(?=改革|工作|行动|制度|机制|工程|建设|监管|服务|模式|平台|战略)")
CLAUSE = re.compile(r"[，。；：！？,;:!?（）()]")


@dataclass
class Variant:
    text: str
    count: int  # paragraphs it stands in
    kind: str  # glossary / word order / inserted / substituted / heading / quoted / meaning / near 0.xx / abbrev 0.xx
    example: str = ""


@dataclass
class Suggestion:
    term: str
    count: int  # paragraphs with the term itself
    variants: list[Variant] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)  # what a glossary note says it consists of

    def toml(self) -> str:
        """The suggestion as a concepts.toml entry, the evidence as comments."""
        lines = [f"# {self.term}: {self.count} paragraphs"]
        lines += [f"#   {v.kind:<11} {v.text} ×{v.count}" + (f"   ({v.example})" if v.example else "")
                  for v in self.variants]
        also = [v.text for v in self.variants if v.kind in ("word order", "inserted", "substituted", "meaning")
                or v.kind.startswith("near")]
        if self.parts:
            also.append(" ".join(self.parts))
        short = [v.text for v in self.variants if v.kind.startswith("abbrev")]
        lines += ["[[concept]]", f'name = "{self.term}"',
                  "aliases = [" + ", ".join(f'"{a}"' for a in short) + "]" + ("  # review: keep its short names" if short else ""),
                  "also = [" + ", ".join(f'"{a}"' for a in dict.fromkeys(also)) + "]  # review: keep what means this measure"]
        return "\n".join(lines)


def paragraphs(corpus_dir: Path) -> Iterator[tuple[str, list[str]]]:
    """(text in normal width, headings above) of every paragraph of a corpus folder."""
    for report in corpus.iter_reports(corpus_dir):
        for p in enrich_paragraphs.split_report(report):
            yield textnorm.normalize_str(p.text), (p.section[:-1] if p.lead else p.section)


def glossary(texts: Iterable[str]) -> dict[str, tuple[int, list[str], str]]:
    """Terms that notes define: term -> (notes, parts the definition lists, a definition)."""
    found: dict[str, tuple[int, list[str], str]] = {}
    for text in texts:
        if len(text) > 400:
            continue
        m = GLOSSARY.match(text)
        if not m or not (m["how"] or re.match(r"^\s*(?:\[\d|\d|[（(]\d|【|“)", text)):
            continue
        term = m["term"].strip("“”\"")
        if not re.fullmatch(r"[\u4e00-\u9fff0-9A-Za-z“”“、·+]{2,24}", term) or term.isdigit():
            continue
        body = m["body"]
        first = re.split(r"[。；;]", body, maxsplit=1)[0]
        parts = [re.sub(r"等$", "", x).strip("“”\" ") for x in first.split("、")]
        parts = parts if 2 <= len(parts) <= 10 and all(2 <= len(x) <= 16 and not CLAUSE.search(x) for x in parts) else []
        n, old_parts, example = found.get(term, (0, [], body[:60]))
        found[term] = (n + 1, old_parts or parts, example)
    return found


def quoted(texts: Iterable[str]) -> Counter:
    """Names in quotation marks before 改革/工作/行动…, and in how many paragraphs."""
    out: Counter = Counter()
    for text in texts:
        out.update(set(m["term"] for m in QUOTED.finditer(text)))
    return out


def _content_words(term: str) -> list[str]:
    return [w for w in words.cut(term) if len(w) > 1 and all(textnorm.is_cjk(c) for c in w)]


def _patterns(term: str) -> list[tuple[str, re.Pattern]]:
    """(kind, pattern) of the variants of a term looked for in the text."""
    chars = [re.escape(c) for c in term]
    ends, at = set(), 0  # where a jieba word of the term ends: more may stand between words
    for w in words.cut(term):
        at += len(w)
        ends.add(at)
    gap = {True: r"(?:[\u4e00-\u9fff（）()、“”\"·]{0,6}?)", False: r"(?:[\u4e00-\u9fff（）()、]{0,2}?)"}
    out = [("inserted", re.compile("".join(c + gap[i + 1 in ends] for i, c in enumerate(chars[:-1])) + chars[-1]))]
    if len(term) >= 3:  # one character of a word of two or more replaced (湖长制), not a word alone (X就业)
        inside, at = set(), 0
        for w in words.cut(term):
            if len(w) >= 2:
                inside.update(range(at, at + len(w)))
            at += len(w)
        subs = "|".join("".join(chars[:i]) + CJK + "".join(chars[i + 1:]) for i in sorted(inside) if i < len(chars))
        if subs:
            out.append(("substituted", re.compile(f"(?:{subs})")))
    ws = _content_words(term)
    if len(ws) >= 2:  # the words in another order, up to four characters between
        for i in range(1, len(ws)):
            tail, head = "".join(ws[i:]), "".join(ws[:i])
            out.append(("word order", re.compile(re.escape(tail) + CJK + r"{0,4}?" + re.escape(head))))
    return out


def _spellings(term: str, norm: str, patterns: list[tuple[str, re.Pattern]]) -> dict[tuple[str, str], str]:
    """(kind, variant) -> an example, for each variant of ``term`` (not the term itself) in one text."""
    out: dict[tuple[str, str], str] = {}
    for kind, rx in patterns:
        for m in rx.finditer(norm):
            v = m.group(0)
            if v != term and term not in v and (kind, v) not in out:
                out[(kind, v)] = norm[max(0, m.start() - 12):m.end() + 12]
    return out


def variants(term: str, paragraphs_: list[tuple[str, list[str]]], min_count: int = 2,
             model: meaning.Model | None = None) -> Suggestion:
    """How the paragraphs (normalized text, headings above) also write ``term``: word
    orders, insertions, substitutions, and the headings with its words."""
    counts: dict[tuple[str, str], int] = Counter()
    examples: dict[tuple[str, str], str] = {}
    own = 0
    head_counts: Counter = Counter()
    ws = _content_words(term) or [term]
    patterns = _patterns(term)
    chars = set(term)
    for norm, headings in paragraphs_:
        if sum(c in norm for c in chars) < len(chars) - 1:  # no variant can stand here
            continue
        own += term in norm
        for key, example in _spellings(term, norm, patterns).items():
            counts[key] += 1
            examples.setdefault(key, example)
        head_counts.update(h for h in headings if all(w in h for w in ws))
    found = [Variant(v, n, kind, examples[(kind, v)]) for (kind, v), n in counts.items() if n >= min_count]
    found.sort(key=lambda v: (-v.count, v.text))
    found += [Variant(h, n, "heading") for h, n in head_counts.most_common(5) if n >= min_count]
    return Suggestion(term, own, found[:25] + by_meaning(term, paragraphs_, min_count, model)
                      + abbreviations(term, paragraphs_, min_count, model))


def by_meaning(term: str, paragraphs_: list[tuple[str, list[str]]], min_count: int = 2,
               model: meaning.Model | None = None) -> list[Variant]:
    """Wordings near ``term`` in meaning that the paragraphs use: the model's neighbours of the
    whole term, and the shortest clauses that hold, for each of its words, the word or one near
    it in meaning with at least one replaced (法治意识淡薄 -> 法律意识不强); each with the
    paragraphs it stands in -- the corpus's check that the model's guess is used at all."""
    model = model or meaning.active()
    e = meaning.expand(words.cut(term), model)
    if model is None or e is None:
        return []
    alts = [[textnorm.normalize_str(w) for w in slot] for slot in e.alternatives()]
    counts, examples = _meaning_spans(term, alts, paragraphs_)
    whole = [Variant(w, n, f"near {s:.2f}") for w, s in model.neighbours(term, 8, 0.55)
             if (n := sum(textnorm.normalize_str(w) in norm for norm, _ in paragraphs_)) >= min_count]
    found = [Variant(v, n, "meaning", examples[v]) for v, n in counts.most_common(15) if n >= min_count]
    return whole + found


def abbreviations(term: str, paragraphs_: list[tuple[str, list[str]]], min_count: int = 2,
                  model: meaning.Model | None = None, min_sim: float = 0.6) -> list[Variant]:
    """Words of the model (the corpus's new words included) shorter than ``term``, made of its
    characters in order (人民调解委员会 -> 人调委, 双随机一公开 -> 双随机), near it in meaning
    (cosine at least ``min_sim`` with the term's vector), with the paragraphs they stand in."""
    model = model or meaning.active()
    term = textnorm.normalize_str(term)
    v = meaning.query_vector(words.cut(term), model)
    if model is None or v is None or len(term) < 3:
        return []
    found = []
    for w in model.vocab:
        if 2 <= len(w) < len(term) and w[0] in term and in_order(w, term) and w not in meaning.STOP:
            sim = float(model.vector(w) @ v)
            if sim >= min_sim:
                found.append((sim, w))
    out = []
    for sim, w in sorted(found, reverse=True)[:10]:
        n = sum(w in norm for norm, _ in paragraphs_)
        if n >= min_count:
            out.append(Variant(w, n, f"abbrev {sim:.2f}"))
    return out


def grown(paragraphs_: list[tuple[str, list[str]]], model: meaning.Model | None, top: int = 20,
          min_count: int = 2) -> list[Suggestion]:
    """The words the shipped model lacked that the corpus taught it (:mod:`kb.text.growth`), most
    used first, each with its nearest words (and the paragraphs each stands in): where the model
    is least sure, and a person best decides what the word means."""
    if model is None:
        return []
    order = sorted(range(model.n_shipped, len(model.vocab)), key=lambda i: -int(model.counts[i]))[:top]
    out = []
    for i in order:
        w = model.vocab[i]
        near = [Variant(n, sum(n in norm for norm, _ in paragraphs_), f"near {s:.2f}")
                for n, s in model.neighbours(w, 6, 0.5)]
        out.append(Suggestion(w, sum(w in norm for norm, _ in paragraphs_), [v for v in near if v.count >= min_count]))
    return out


def _meaning_spans(term: str, alts: list[list[str]], paragraphs_: list[tuple[str, list[str]]]) -> tuple[Counter, dict]:
    """How many paragraphs hold each meaning span (:func:`_meaning_span`) of ``alts``, and a clause of each."""
    counts: Counter = Counter()
    examples: dict[str, str] = {}
    for norm, _ in paragraphs_:
        for clause in dict.fromkeys(c for c in CLAUSE.split(norm) if 2 <= len(c) <= 40):
            hit = _meaning_span(clause, alts)
            if hit and hit != term and term not in hit:
                counts[hit] += 1
                examples.setdefault(hit, clause)
    return counts, examples


def _meaning_span(clause: str, alts: list[list[str]]) -> str | None:
    """The clause's characters from the first to the last word found, one of each slot, when
    every slot is found and one word at least is not the term's own (None otherwise)."""
    found = []
    for slot in alts:
        at = min(((i, w) for w in slot if (i := clause.find(w)) >= 0), default=None)
        if at is None:
            return None
        found.append(at)
    if all(w == slot[0] for (_, w), slot in zip(found, alts, strict=True)):
        return None
    start, end = min(i for i, _ in found), max(i + len(w) for i, w in found)
    return clause[start:end] if end - start <= 16 else None


def suggest(corpus_dir: Path, terms: list[str], top: int = 40, min_count: int = 2,
            model: meaning.Model | None = None, learned: bool = False) -> list[Suggestion]:
    """Suggestions for ``terms``; without terms, the glossary terms and quoted names of
    the corpus, most frequent first (``top`` of them), or with ``learned`` the words the model
    learned from the corpus (:func:`grown`). ``model``: the model of meaning (default: the one in use)."""
    paras = list(paragraphs(corpus_dir))
    texts = [t for t, _ in paras]
    model = model or meaning.active()
    if terms:
        return [variants(textnorm.normalize_str(t), paras, min_count, model) for t in terms]
    if learned:
        return grown(paras, model, top, min_count)
    defined = glossary(texts)
    names = quoted(texts)
    out = []
    for term, (n, parts, example) in sorted(defined.items(), key=lambda kv: (-kv[1][0], kv[0])):
        out.append(Suggestion(term, n, [Variant(example, n, "glossary")], parts))
    for term, n in names.most_common():
        if n >= min_count and term not in defined:
            out.append(Suggestion(term, n, [Variant(f"“{term}”", n, "quoted")]))
    out.sort(key=lambda s: -s.count)
    return out[:top]

"""Concept mining: propose entries for ``kb/data/concepts.toml`` from a corpus, with
``python -m tools.conceptmine suggest`` (a tool beside the product, not installed: run it
from the project root).

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

Nothing here changes the concepts file: the output is TOML to read, edit and paste.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kb.core import corpus
from kb.core.errors import KbError
from kb.enrich import paragraphs as enrich_paragraphs
from kb.text import meaning, textnorm, words
from tools import shell

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
    kind: str  # glossary / word order / inserted / substituted / heading / quoted
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
        also = [v.text for v in self.variants if v.kind in ("word order", "inserted", "substituted", "meaning")]
        if self.parts:
            also.append(" ".join(self.parts))
        lines += ["[[concept]]", f'name = "{self.term}"', "aliases = []",
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


def variants(term: str, paragraphs_: list[tuple[str, list[str]]], min_count: int = 2) -> Suggestion:
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
    return Suggestion(term, own, found[:25] + by_meaning(term, paragraphs_, min_count))


def by_meaning(term: str, paragraphs_: list[tuple[str, list[str]]], min_count: int = 2,
               model: meaning.Model | None = None) -> list[Variant]:
    """Wordings near ``term`` in meaning that the paragraphs use: the model's neighbours of the
    whole term, and the shortest clauses that hold, for each of its words, the word or one near
    it in meaning with at least one replaced (法治意识淡薄 -> 法律意识不强); each with the
    paragraphs it stands in -- the corpus's check that the model's guess is used at all."""
    model = model or meaning.load()
    e = meaning.expand(words.cut(term), model)
    if model is None or e is None:
        return []
    alts = [[textnorm.normalize_str(w) for w in slot] for slot in e.alternatives()]
    counts, examples = _meaning_spans(term, alts, paragraphs_)
    whole = [Variant(w, n, f"near {s:.2f}") for w, s in model.neighbours(term, 8, 0.55)
             if (n := sum(textnorm.normalize_str(w) in norm for norm, _ in paragraphs_)) >= min_count]
    found = [Variant(v, n, "meaning", examples[v]) for v, n in counts.most_common(15) if n >= min_count]
    return whole + found


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


def suggest(corpus_dir: Path, terms: list[str], top: int = 40, min_count: int = 2) -> list[Suggestion]:
    """Suggestions for ``terms``; without terms, the glossary terms and quoted names of
    the corpus, most frequent first (``top`` of them)."""
    paras = list(paragraphs(corpus_dir))
    texts = [t for t, _ in paras]
    if terms:
        return [variants(t, paras, min_count) for t in terms]
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


# -- the command line -----------------------------------------------------------------------

EPILOG = """\
examples:
  python -m tools.conceptmine suggest --corpus corpus       # glossary terms and quoted names, most frequent first
  python -m tools.conceptmine suggest --corpus corpus --for 老旧小区改造 --for 河长制
  python -m tools.conceptmine suggest --corpus corpus --for 稳就业 --json
Review what it prints (林长制 is not 河长制) and paste the entries you keep into
kb/data/concepts.toml (no rebuild needed: concepts are read at query time)."""


def cmd_suggest(args) -> int:
    """python -m tools.conceptmine suggest: the proposed entries, as TOML to review (or JSON)."""
    corpus_dir = shell.settings(args).corpus_dir
    if not corpus_dir.is_dir():
        raise KbError(f"没有这个语料文件夹 {corpus_dir} (no such folder); give --corpus DIR")
    found = suggest(corpus_dir, args.term or [], top=args.top, min_count=args.min)
    if args.json:
        print(json.dumps([s.__dict__ | {"variants": [v.__dict__ for v in s.variants]} for s in found],
                         ensure_ascii=False, indent=1))
        return 0
    print("\n\n".join(shell.safe(s.toml()) for s in found))
    return 0


def parser() -> argparse.ArgumentParser:
    """python -m tools.conceptmine suggest: its options."""
    p = shell.parser("python -m tools.conceptmine",
                     "Grow the concepts dictionary: concepts (kb/data/concepts.toml) say what else a measure is "
                     "called or consists of; a search for it also finds those, as related matches.", EPILOG)
    sub = p.add_subparsers(dest="command", required=True, metavar="SUBCOMMAND")
    sg = sub.add_parser("suggest", parents=[shell.common()], help="propose entries from a corpus",
                        description="Read a corpus folder and propose concepts.toml entries for a person to "
                                    "review: terms that glossary notes define (with the parts they list) and "
                                    "names the reports quote before 改革/工作/行动…; with --for, how the "
                                    "reports also write that term (other word orders, characters inserted or "
                                    "substituted) and the headings that hold its words.",
                        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    sg.add_argument("--for", dest="term", action="append", metavar="TERM", help="a measure to find variants of (repeat)")
    sg.add_argument("--top", type=int, default=40, help="without --for: how many terms (default 40)")
    sg.add_argument("--min", type=int, default=2, help="a variant must stand in this many paragraphs (default 2)")
    sg.add_argument("--json", action="store_true", help="print the suggestions as JSON")
    sg.set_defaults(func=cmd_suggest)
    return p


def main(argv: list[str] | None = None) -> int:
    return shell.run(parser(), argv)


if __name__ == "__main__":
    sys.exit(main())

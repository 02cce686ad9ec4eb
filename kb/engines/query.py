"""Query: parse the query language into a tree (Term, And, Or, Not) that every engine evaluates.

The language (DESIGN.md):

- words separated by spaces must all match: ``法律顾问 合法性审查`` (``AND`` between
  them says the same; alone, first or last it is the word and);
- ``OR`` between words or groups: ``法律顾问 OR 公职律师``;
- ``-word`` excludes: ``执法 -处罚``; parentheses group: ``(复议 OR 诉讼) 案件``;
- ``"…"`` is one phrase, spaces and all: ``"行政处罚法"``.

A word or phrase matches wherever its characters stand together, whatever jieba made
of them, ignoring inner marks (双随机、一公开) and width (２０２３), never across
clause punctuation -- exactly what :mod:`kb.text.textnorm` defines and the engines index
(:meth:`kb.engines.protocol.Engine.select` says how a tree matches and scores). The term's jieba
words in the text and in the headings add to the score, so that paragraphs *about* the
term rank first.

Unbalanced quotes and parentheses are forgiven (closed at the end); a query with no
searchable character at all is a :class:`~kb.core.errors.BadRequest`, and so is one past the
limits that keep every query cheap: :data:`MAX_QUERY_LENGTH` characters,
:data:`MAX_TERMS` words and phrases, :data:`MAX_DEPTH` levels of parentheses and ``-``.
A word repeated in the same group counts once.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from kb.core.errors import BadRequest
from kb.enrich import concepts
from kb.text import abbrev, meaning, textnorm, words

MAX_QUERY_LENGTH = 500
MAX_TERMS = 32  # words and phrases in one query (each is a few index lookups and a highlight pass)
MAX_DEPTH = 10  # nested parentheses and exclusions


@dataclass(frozen=True)
class Term:
    text: str
    quoted: bool = False

    @functools.cached_property
    def keys(self) -> list[list[str]]:
        """The unit keys this term must match, run by run (worked out once: read many
        times a search)."""
        return textnorm.unit_keys(self.text)

    @property
    def loose_words(self) -> tuple[str, ...]:
        """The jieba words of an unquoted term of several words (医疗纠纷调解 -> 医疗纠纷, 调解):
        a paragraph with all of them apart is a loose match, ranked below the exact one."""
        if self.quoted:
            return ()
        return loose_words(self.text)

    @property
    def near_words(self) -> tuple[str, ...]:
        """The words of an unquoted term whose nearness, in any order, makes a related
        match (two or more, each of two characters or more, or a number or Latin word):
        老旧小区改造 -> 老旧小区, 改造 (found in 改造城镇老旧小区)."""
        if self.quoted:
            return ()
        return near_words(self.text)

    @property
    def meaning(self) -> meaning.Expansion | None:
        """The term's words with the words near them in meaning (:func:`meaning_of`); none
        when quoted or written with clause punctuation inside (执法，监督 matches only where
        its parts stand on both sides of one break)."""
        return None if self.quoted or len(self.keys) > 1 else meaning_of(self.text)

    @property
    def expansions(self) -> tuple[concepts.Expansion, ...]:
        """What else this term finds: concepts.toml, then its abbreviations the model of meaning in use
        knows (:func:`abbreviations_of`); none when quoted."""
        if self.quoted:
            return ()
        return concepts.expansions(self.text) + (abbreviations_of(self.text) if len(self.keys) == 1 else ())


@dataclass(frozen=True)
class And:
    items: tuple


@dataclass(frozen=True)
class Or:
    items: tuple


@dataclass(frozen=True)
class Not:
    item: object


def _lex(text: str) -> list[tuple[str, str]]:
    """Tokens: ("(", ""), (")", ""), ("OR", ""), ("NOT", ""), ("TERM", s), ("PHRASE", s)."""
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(text):
        token, i = _token(text, i, first=not out)
        if token is not None:
            out.append(token)
    return out


def _token(text: str, i: int, first: bool) -> tuple[tuple[str, str] | None, int]:
    """The token that begins at ``text[i]`` (None for a space, or an AND a space already
    says) and where the next one begins; ``first``: no token before it."""
    ch = text[i]
    if ch.isspace():
        return None, i + 1
    if ch in "()":
        return (ch, ""), i + 1
    if _is_not(text, i, first):
        return ("NOT", ""), i + 1
    if ch == '"':
        end = text.find('"', i + 1)
        end = len(text) if end == -1 else end  # an unclosed quote runs to the end
        return ("PHRASE", text[i + 1:end]), end + 1
    return _word(text, i, first)


def _is_not(text: str, i: int, first: bool) -> bool:
    """Whether the ``-`` at ``text[i]`` excludes what follows it: a word follows, and it
    opens the query or follows a space or ``(``."""
    return (text[i] == "-" and i + 1 < len(text) and not text[i + 1].isspace()
            and (first or text[i - 1].isspace() or text[i - 1] == "("))


def _word(text: str, i: int, first: bool) -> tuple[tuple[str, str] | None, int]:
    """The word that begins at ``text[i]`` (up to a space, a parenthesis or a quote) as a
    TERM, or OR, and where the next token begins."""
    j = i
    while j < len(text) and not text[j].isspace() and text[j] not in '()"':
        j += 1
    word = text[i:j]
    if word == "and" and not first and j < len(text):  # AND between words is what a space already says
        return None, j
    return (("OR", "") if word == "or" else ("TERM", word)), j


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]):
        self.tokens = tokens
        self.i = 0
        self.depth = 0

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise BadRequest(f"查询嵌套过深 (parentheses and - nested deeper than {MAX_DEPTH} levels)")

    def peek(self) -> str | None:
        return self.tokens[self.i][0] if self.i < len(self.tokens) else None

    def parse_or(self):
        items = [self.parse_and()]
        while self.peek() == "OR":
            self.i += 1
            items.append(self.parse_and())
        items = list(dict.fromkeys(x for x in items if x is not None))
        if not items:
            return None
        return items[0] if len(items) == 1 else Or(tuple(items))

    def parse_and(self):
        items = []
        while self.peek() not in (None, ")", "OR"):
            item = self.parse_unary()
            if item is not None:
                items.append(item)
        items = list(dict.fromkeys(items))  # 法 法 法 … is 法
        if not items:
            return None
        return items[0] if len(items) == 1 else And(tuple(items))

    def parse_unary(self):
        kind, value = self.tokens[self.i]
        self.i += 1
        if kind == "NOT":
            if self.peek() in (None, ")", "OR"):
                return None
            self.enter()
            item = self.parse_unary()
            self.depth -= 1
            return Not(item) if item is not None else None
        if kind == "(":
            self.enter()
            inner = self.parse_or()
            self.depth -= 1
            if self.peek() == ")":
                self.i += 1
            return inner
        if kind in ("TERM", "PHRASE"):
            term = Term(value, quoted=kind == "PHRASE")
            return term if term.keys else None
        return None  # a stray ")"


@functools.lru_cache(maxsize=4096)
def near_words(text: str) -> tuple[str, ...]:
    norm = "".join("".join(run) for run in textnorm.unit_keys(text))
    ws = [w for w in dict.fromkeys(words.cut(norm)) if len(w) > 1 or (w.isalnum() and not textnorm.is_cjk(w))]
    return tuple(ws) if len(ws) >= 2 else ()


def meaning_of(text: str) -> meaning.Expansion | None:
    """A term's expansion by meaning (:func:`kb.text.meaning.expand`) in the model in use
    (:func:`kb.text.meaning.active`): computed from the term and a model file alone."""
    return _meaning(text, meaning.active())


@functools.lru_cache(maxsize=4096)
def _meaning(text: str, model: meaning.Model | None) -> meaning.Expansion | None:
    norm = "".join("".join(run) for run in textnorm.unit_keys(text))
    return meaning.expand(words.cut(norm), model)


def abbreviations_of(text: str) -> tuple[concepts.Expansion, ...]:
    """A term's abbreviations (违法建设 → 违建) and their other long forms (违章建筑) in the model in use
    (:func:`kb.text.abbrev.abbreviations`), as expansions: computed from the term and a model file alone."""
    return _abbreviations(text, meaning.active(), concepts.user_stamp())


@functools.lru_cache(maxsize=4096)
def _abbreviations(text: str, model: meaning.Model | None, user_concepts: tuple[str, int] | None) -> tuple:
    """:func:`abbreviations_of` (remembered per model and user concepts file), none a concept entry says."""
    if model is None:
        return ()
    norm = "".join("".join(run) for run in textnorm.unit_keys(text))
    said = {e.parts for e in concepts.expansions(text)}
    found = abbrev.abbreviations(meaning.joined(words.cut(norm), model), model)
    return tuple(concepts.Expansion(label, parts) for label, parts in found if parts not in said)


def whole_words(tree) -> list[str] | None:
    """The words of a query of unquoted terms without clause punctuation (one, or several ANDed),
    as the meaning of the whole query is taken (:func:`kb.text.meaning.whole_vector`); None for
    any other query."""
    terms = [tree] if isinstance(tree, Term) else list(tree.items) if isinstance(tree, And) else []
    if not terms or not all(isinstance(t, Term) and not t.quoted and len(t.keys) <= 1 for t in terms):
        return None  # a quoted term, or one written with clause punctuation inside, is exact only
    return [w for t in terms for w in words.cut("".join("".join(run) for run in t.keys))]  # 、 inside ignored, as matched


@functools.lru_cache(maxsize=4096)
def loose_words(text: str) -> tuple[str, ...]:
    norm = "".join("".join(run) for run in textnorm.unit_keys(text))
    ws = [w for w in words.cut(norm) if any(c.isalnum() for c in w)]
    content = [w for w in ws if len(w) > 1 or not textnorm.is_cjk(w)]
    if len(ws) < 2 or len(content) < 2:
        return ()
    return tuple(dict.fromkeys(content))


def parse(text: str):
    """The query tree of ``text``, or None for an empty query (browse everything)."""
    text = _normalized(text)
    if not text:
        return None
    tokens = _lex(text)
    tree = _tree_of(tokens)
    _check(tree, tokens)
    return tree


def _normalized(text: str) -> str:
    """The query's text normalized as the index's ("" when there is none), its length
    checked before any work on it and again after."""
    too_long = BadRequest(f"查询过长 (query longer than {MAX_QUERY_LENGTH} characters)")
    if text and len(text) > MAX_QUERY_LENGTH:
        raise too_long  # before any work on it
    text = textnorm.normalize_str(textnorm.to_simplified(textnorm.scrub(text))).strip() if text else ""
    if len(text) > MAX_QUERY_LENGTH:
        raise too_long
    return text


def _tree_of(tokens: list[tuple[str, str]]):
    """The tree of the tokens (None: nothing searchable); the parts read after a stray ``)``
    joined to it with AND."""
    parser = _Parser(tokens)
    parts = [parser.parse_or()]
    while parser.i < len(tokens):  # text after a stray ")": keep reading
        parser.i += 1
        parts.append(parser.parse_or())
    parts = list(dict.fromkeys(p for p in parts if p is not None))
    return None if not parts else parts[0] if len(parts) == 1 else And(tuple(parts))


def _check(tree, tokens: list[tuple[str, str]]) -> None:
    """A BadRequest for a query that searches nothing or has more terms than :data:`MAX_TERMS`."""
    if tree is None and any(kind == "OR" for kind, _ in tokens):
        raise BadRequest("OR 两边都要有检索词 (OR needs a word on each side, as in 法律顾问 OR 公职律师)")
    if tree is None:
        raise BadRequest("查询中没有可检索的文字 (the query has no letters, digits or Chinese characters)")
    if _count_terms(tree) > MAX_TERMS:
        raise BadRequest(f"查询词过多 (more than {MAX_TERMS} words and phrases in one query)")


def _count_terms(tree) -> int:
    if isinstance(tree, Term):
        return 1
    if isinstance(tree, Not):
        return _count_terms(tree.item)
    return sum(_count_terms(x) for x in tree.items)


def positive_terms(tree, loose: bool = False, expand: bool = True) -> list[Term]:
    """The terms that a matching paragraph may contain, expansions (with ``expand``) and
    with ``loose`` the words of a term included: what to highlight."""
    if tree is None:
        return []
    if isinstance(tree, Term):
        out = [tree] + [Term(part, quoted=True) for e in tree.expansions if expand for part in e.parts]
        if loose:
            out += [Term(w, quoted=True) for w in tree.loose_words]
        return out
    if isinstance(tree, Not):
        return []
    return [t for item in tree.items for t in positive_terms(item, loose, expand)]


def own_terms(tree) -> list[Term]:
    """The positive terms of a query tree as written (no expansions), in order."""
    if tree is None or isinstance(tree, Not):
        return []
    if isinstance(tree, Term):
        return [tree]
    return [t for x in tree.items for t in own_terms(x)]


def expanded_terms(tree) -> list[Term]:
    """The positive terms of the tree that have expansions."""
    if tree is None or isinstance(tree, Not):
        return []
    if isinstance(tree, Term):
        return [tree] if tree.expansions else []
    return [t for item in tree.items for t in expanded_terms(item)]


def has_loose(tree) -> bool:
    """True if some unquoted term could match its words apart."""
    if tree is None:
        return False
    if isinstance(tree, Term):
        return bool(tree.loose_words)
    if isinstance(tree, Not):
        return False
    return any(has_loose(x) for x in tree.items)


@dataclass(frozen=True, eq=False)
class Query:
    """A query parsed once, with every view of it that the steps after matching read: the
    search layer takes these fields and never calls back into the parser, so a request
    walks down the layers once. ``positive[(loose, expand)]`` is :func:`positive_terms`."""

    text: str
    tree: object | None
    own: tuple[Term, ...]
    expanded: tuple[Term, ...]
    loose_ok: bool
    positive: dict[tuple[bool, bool], tuple[Term, ...]]
    forgiven: tuple[str, ...] = ()  # what was wrong with the query as written and was let pass


def parse_query(text: str) -> Query:
    """:func:`parse` and the views of the tree (a bad query raises the same BadRequest).
    Remembered for the queries asked last (with the user's concepts file as it is: the
    views hold the terms' expansions): a query asked again, for another page, order or
    filter, or its answer from the cache, is not parsed again. The Query is shared: read it."""
    return _parse_query(text, concepts.user_stamp(), meaning.active())


@functools.lru_cache(maxsize=1024)
def _parse_query(text: str, user_concepts: tuple[str, int] | None, model: meaning.Model | None) -> Query:
    tree = parse(text)
    views = {(loose, expand): tuple(positive_terms(tree, loose, expand))
             for loose in (False, True) for expand in (False, True)}
    return Query(text, tree, tuple(own_terms(tree)), tuple(expanded_terms(tree)), has_loose(tree), views,
                 forgiven(text) if tree is not None else ())


def forgiven(text: str) -> tuple[str, ...]:
    """What the query as written gets wrong and the parser lets pass (an unclosed ``(`` or
    ``"``, a stray ``)``, an OR with no word on one side, a ``-`` before nothing), each said in
    Chinese: the search says it ran :func:`written` instead, and offers that query."""
    norm = _normalized(text)
    tokens = _lex(norm)
    out, depth = [], 0
    for n, (kind, _) in enumerate(tokens):
        depth += {"(": 1, ")": -1}.get(kind, 0)
        if depth < 0:
            out.append("多了一个右括号“)”")
            depth = 0
        before = tokens[n - 1][0] if n else None
        after = tokens[n + 1][0] if n + 1 < len(tokens) else None
        if kind == "OR" and (before in (None, "(", "OR", "NOT") or after in (None, ")", "OR")):
            out.append("OR 的一边没有检索词")
        if kind == "NOT" and after in (None, ")", "OR"):
            out.append("“-”后面没有要排除的词")
    if depth > 0:
        out.append("括号“(”没有闭合")
    if norm.count('"') % 2:
        out.append("引号没有闭合")
    return tuple(dict.fromkeys(out))


def written(tree) -> str:
    """The query a tree is, written in the query language (what was run)."""
    text = describe(tree)
    return text[1:-1] if isinstance(tree, And | Or) else text


def describe(tree) -> str:
    """The tree as text, for debugging and the CLI."""
    if tree is None:
        return "*"
    if isinstance(tree, Term):
        return f'"{tree.text}"' if tree.quoted else tree.text
    if isinstance(tree, Not):
        return f"-{describe(tree.item)}"
    sep = " OR " if isinstance(tree, Or) else " "
    return "(" + sep.join(describe(x) for x in tree.items) + ")"

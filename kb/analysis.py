"""Analysis: the two Whoosh tokenizers that index every paragraph.

- :class:`GramTokenizer` (field ``grams``): the units of :mod:`kb.textnorm` as
  overlapping pairs -- 双随 随机 机一 一公 公开 开 -- with *sequential* positions and a
  position gap at every break, the last unit of each run kept alone. A phrase of grams
  is an exact substring match whatever jieba did with the characters; a single unit is
  a prefix of the grams that start with it. Recall does not depend on segmentation.
- :class:`WordTokenizer` (fields ``words`` and ``heading``): jieba words (search mode,
  user dictionary loaded), for ranking: a paragraph that has 法律顾问 as a word ranks
  above one where the characters meet by accident.

Both give the character offsets of the *original* text (through normalization).
jieba's own ``ChineseAnalyzer`` is not used: its overlapping tokens carry character
offsets as positions, so phrase queries find nothing (see DESIGN.md).
"""

from __future__ import annotations

from collections import Counter, defaultdict

from whoosh.analysis import Token, Tokenizer
from whoosh.fields import TEXT
from whoosh.formats import Frequency, Positions
from whoosh.system import pack_uint

from kb import textnorm, words


class GramTokenizer(Tokenizer):
    """Character grams of the units of a text (see the module docstring)."""

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = t.text = value
            t.boost = 1.0
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar, t.endchar = start_char, start_char + len(value)
            yield t
            return
        if not chars:  # indexing: terms and positions only, the fast way
            for text, pos in textnorm.gram_terms(value):
                t.text = text
                t.boost = 1.0
                t.stopped = False
                if keeporiginal:
                    t.original = text
                if positions:
                    t.pos = start_pos + pos
                yield t
            return
        pos = start_pos
        for run in textnorm.runs(textnorm.units(value)):
            for i, unit in enumerate(run):
                if i + 1 < len(run):
                    t.text = textnorm.gram(unit, run[i + 1])
                    end = run[i + 1].end
                else:
                    t.text = unit.key
                    end = unit.end
                t.boost = 1.0
                t.stopped = False
                if keeporiginal:
                    t.original = t.text
                if positions:
                    t.pos = pos
                if chars:
                    t.startchar, t.endchar = start_char + unit.start, start_char + end
                yield t
                pos += 1
            pos += 1  # a break: no phrase runs across it


class WordTokenizer(Tokenizer):
    """jieba words of a normalized text (search mode), for ranking."""

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        norm, offsets = textnorm.normalize(value)
        if not tokenize:
            pieces = [(norm, 0, len(norm))]
        else:
            pieces = words.segmenter().tokenize(norm, "search", True)
        pos = start_pos
        for word, start, end in pieces:
            if not any(c.isalnum() for c in word):
                continue
            t.text = word
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = word
            if positions:
                t.pos = pos
            if chars:
                t.startchar = start_char + offsets[start]
                t.endchar = start_char + offsets[end - 1] + 1
            yield t
            pos += 1


class GramPositions(Positions):
    """The ``grams`` field's postings straight from :func:`kb.textnorm.gram_terms`:
    the same terms and positions as :class:`GramTokenizer`, without a Token per gram
    (indexing spends most of its time here)."""

    def word_values(self, value, analyzer, **kwargs):
        if not isinstance(value, str):
            yield from super().word_values(value, analyzer, **kwargs)
            return
        poses: defaultdict[str, list[int]] = defaultdict(list)
        for text, pos in textnorm.gram_terms(value):
            poses[text].append(pos)
        fb = self.field_boost
        for w, poslist in poses.items():
            yield (w, len(poslist), len(poslist) * fb, self.encode(poslist))


class WordFrequency(Frequency):
    """The ``words`` and ``heading`` fields' postings straight from the segmenter: the
    same words and frequencies as :class:`WordTokenizer`, without a Token per word."""

    def word_values(self, value, analyzer, **kwargs):
        if not isinstance(value, str):
            return super().word_values(value, analyzer, **kwargs)
        norm, _ = textnorm.normalize(value)
        freqs = Counter(w for w, _, _ in words.segmenter().tokenize(norm, "search", True)
                        if any(c.isalnum() for c in w))
        fb = self.field_boost
        return ((w, freq, freq * fb, pack_uint(freq)) for w, freq in freqs.items())


def gram_field() -> TEXT:
    """The ``grams`` field: exact matching, phrases of grams."""
    field = TEXT(analyzer=gram_analyzer(), phrase=True)
    field.format = GramPositions(field_boost=field.format.field_boost)
    return field


def word_field() -> TEXT:
    """The ``words`` and ``heading`` fields: jieba words, for ranking."""
    field = TEXT(analyzer=word_analyzer(), phrase=False)
    field.format = WordFrequency(field_boost=field.format.field_boost)
    return field


def gram_analyzer():
    return GramTokenizer()


def word_analyzer():
    return WordTokenizer()

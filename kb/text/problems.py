"""How the reports say that something falls short, is hard, or is answered (issue 27): the closed
vocabulary of problems a query's expansion by meaning reads (:mod:`kb.text.meaning`).

A problem is worded in many ways (执法力量薄弱, 人员配备不足, 执法队伍人员不足), so a word of
:data:`PROBLEM` matches any other of its kind; and a paragraph that answers the problem seldom names
it: 加强基层治理 for 基层治理薄弱 (:data:`REMEDY`), and, for a problem said by its opposite, the opposite
itself -- 严格执法 for 执法不严, 精细化管理 for 城市管理粗放, 收入差距缩小 for 收入分配差距过大
(:func:`opposites`).
"""

from __future__ import annotations

from collections.abc import Container

from kb.text.content import is_content

#: how the reports say something falls short; a query word of this kind (or 不/欠/缺 + a word)
#: is matched by any of them and by the words nearest to 不足 and 不强 in the model
PROBLEM = ("不足", "不强", "薄弱", "短板", "弱项", "不够", "缺乏", "欠缺", "滞后", "淡薄", "不高", "偏弱", "较弱",
           "不优", "不完善", "不健全", "不到位", "不实", "单一", "有待", "差距", "不平衡", "不充分")
PROBLEM_SIM = 0.8  # the similarity a problem word counts with for another
#: how the reports say something is hard (稳就业压力大, 财政收支矛盾突出, 就业遇到困难): one kind too
DIFFICULTY = ("压力", "矛盾", "困难", "难题", "挑战", "难度", "承压", "风险")
#: how the reports say a problem is answered (加强基层治理, 健全监督体制, 补齐民生短板, 缓解就业压力):
#: a problem term's other words beside one of these find the measures that answer it without naming it
REMEDY = ("加强", "强化", "健全", "完善", "提升", "提高", "增强", "优化", "补齐", "补短板", "破解", "缓解", "解决",
          "化解", "改进", "创新", "建立", "加大", "夯实", "稳定", "促进", "改善", "扩大", "纠治", "整治")
#: a problem word (or, after a negation, the one character it negates: 严 of 不严) and how the reports
#: say the opposite, the thing done about it (issue 27's ninth round: 执法不严 never reached 严格执法,
#: 城市管理粗放 never reached 精细化管理, 社会保障覆盖面窄 never reached 扩面); a negated word of two
#: characters or more is its own opposite (不及时 → 及时, 不规范 → 规范)
OPPOSITE = {
    "严": ("严格", "从严", "严肃"), "畅": ("畅通", "顺畅"), "力": ("有力", "得力"), "公": ("公正", "公平"),
    "清": ("明确", "厘清"), "明": ("明确", "明晰"), "准": ("精准", "准确"), "灵": ("灵活",),
    "脱节": ("结合", "衔接", "融合"), "粗放": ("精细化", "精细"), "窄": ("扩面", "全覆盖", "扩大"),
    "过大": ("缩小",), "过高": ("降低",), "过低": ("提高",), "偏低": ("提高",), "短缺": ("保障", "节约"),
    "滞后": ("加快",), "混乱": ("规范", "有序"),
}
NEGATIONS = ("不", "未", "欠")
#: the words a problem phrase the model does not know may end with (the longest first: 不完善 before 完善)
HARD = tuple(sorted((*PROBLEM, *DIFFICULTY), key=len, reverse=True))


def is_problem(word: str) -> bool:
    """A word that says something falls short (:data:`PROBLEM`, or 不/欠/缺 before a word)."""
    return word in PROBLEM or (len(word) >= 2 and word[0] in "不欠缺")


def is_hard(word: str) -> bool:
    """A word that says something falls short or is hard (:func:`is_problem`, :data:`DIFFICULTY`, or
    a problem word with an opposite: 粗放, 脱节, 过大)."""
    return is_problem(word) or word in DIFFICULTY or word in OPPOSITE


def opposites(word: str) -> tuple[str, ...]:
    """How the reports say the opposite of the problem ``word``: :data:`OPPOSITE`'s words for it, or for
    the character a negation negates (不严 → 严格 · 从严 · 严肃), else the negated word itself when it has
    two characters or more (不及时 → 及时, 不到位 → 到位); none for any other word (不足 has no one
    opposite: its answers are :data:`REMEDY`'s)."""
    if word in OPPOSITE:
        return OPPOSITE[word]
    if len(word) < 2 or word[0] not in NEGATIONS:
        return ()
    rest = word[1:]
    return OPPOSITE.get(rest, (rest,) if len(rest) >= 2 else ())


def joined(ws: list[str], known: Container[str]) -> list[str]:
    """``ws`` with neighbouring words joined where the model knows them (``known``) as one word (jieba cuts
    不强 of 创新能力不强 into 不 · 强, which would lose the negation); a negation the model does not
    know is kept with its word (不完善), and a content word negated so, which is no word of
    :data:`PROBLEM`, is said before it too (学法不系统 → 学法 · 系统 · 不系统: the paragraph may say what
    falls short, 学习缺乏系统性)."""
    out, i = [], 0
    while i < len(ws):
        n = next((n for n in (3, 2) if i + n <= len(ws) and "".join(ws[i:i + n]) in known), 1)
        if n == 1 and ws[i] in NEGATIONS and i + 1 < len(ws):
            n = 2  # 不 · 完善: the negation stays with its word, a problem word (不完善)
            if is_content(ws[i + 1]) and ws[i] + ws[i + 1] not in PROBLEM:
                out.append(ws[i + 1])  # 不 · 系统: what falls short is said too (学习缺乏系统性, 透明度)
        out += split_problem("".join(ws[i:i + n]), known)
        i += n
    return out


def split_problem(word: str, known: Container[str]) -> list[str]:
    """A word the model does not know that ends with a word of :data:`PROBLEM` or :data:`DIFFICULTY` after a
    content word it knows (jieba's 力量薄弱, 人员不足) as the two: 力量 · 薄弱, as 法制机构力量还比较薄弱 says it;
    and any word that ends with a negation of a word with an opposite after a content word the model knows
    (执法不严, a word of the model's too) as the two, 执法 · 不严, so that 严格执法 answers it (:func:`opposites`)."""
    tail = _problem_tail(word, known)
    head = word[:-len(tail)] if tail else ""
    return [head, tail] if head in known and is_content(head) else [word]


def _problem_tail(word: str, known: Container[str]) -> str:
    """The end of ``word`` that :func:`split_problem` reads apart ('' none): a word of :data:`HARD` (of a word
    the model does not know), else a negation and the rest (不严), which has an opposite."""
    if word not in known:
        tail = next((t for t in HARD if word.endswith(t) and len(word) - len(t) >= 2), "")
        if tail:
            return tail
    return next((word[i:] for i in range(2, len(word) - 1) if word[i] in NEGATIONS and opposites(word[i:])), "")

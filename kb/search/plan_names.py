"""The named objects of a plan item, matched as wholes (search step, part of :mod:`kb.search.plans`).

A plan item often commits to one named thing: a metro line and its phase (地铁10号线三期), a
bridge (宣化街高架桥), an airport (吉安桐坪机场二期), a fund, a festival, a company's project
(益海嘉里…项目). Its other words (开工建设, 机场, 高架桥) are common to every such item, so a
paragraph of the next report on another line or another bridge shares most of them: matched
word by word, an item never mentioned again looks delivered. Here the item's **names** are found
and looked for as wholes in the next report:

- a numbered line, road or phase: 10号线三期, 13号线一期, 328国道 (the number and what it counts);
- a name (a place, a company, a brand): the words just before the kind of thing named (桥,
  机场, 港, 基金, 公园 …; 项目 and 工程 say nothing of the kind) that the reports seldom use
  (the meaning model's count: :data:`COMMON`): 宣化街 of 宣化街高架桥, 吉安桐坪 of 吉安桐坪机场;
- a name in quotation marks or title marks followed by the kind of thing it names (“万村千乡”市场
  工程; not “家电下乡”等工作, a policy said in many ways).

A name is found when it stands in the next report followed in its clause by the kind of thing
the item names (邮轮 … 港 for 国际邮轮港: 邮轮 alone may be another thing). A common word
(国际, 投资 of 天使投资基金) ends a name: such an item names no thing, its words are matched as
usual.
"""

from __future__ import annotations

import functools
import re

from kb.text import meaning, words

#: The kinds of thing a name names (its last word, before 项目, 工程 or 建设).
_KINDS = (r"(?:桥|隧道|机场|港|码头|高速|公路|铁路|线|路|街|大道|通道|电厂|电站|水库|枢纽|基金|公园|园|城|小镇|"
          r"中心|公司|银行|集团|医院|大学|学院|学校|小学|中学|博物馆|图书馆|馆|节|会|博览会|基地|平台|广场|"
          r"片区|新区|景区|口岸|站|厂|工程|项目)")
#: Kinds that say nothing of what is named (益海嘉里…项目): the name alone is looked for.
_GENERIC_KIND = {"工程", "项目"}
_KIND_AT_END = re.compile(_KINDS + r"(?=(?:[一二三四五六七八九十]期)?(?:项目|工程|建设)*$)")
#: Titles made of common words: a program, a pilot, a fund, a system (their kind last).
_TITLE = re.compile(r"(?:示范城市|示范市|示范区|强市|强省|物流枢纽|消费中心城市|基金|银行|保险制度|指数|指标体系)(?=(?:试点|建设|工作)*$)")
#: How much of a title must stand whole.
TITLE = 8
#: Verbs of doing that stand before a name and are no part of it.
_DOING = set("建立 发布 建设 开工 新建 扩建 改建 续建 加快 推进 实施 改造 启动 建成 完成 推动 支持 打造 争取 筹建 组建 办好 举办 "
             "设立 谋划 规划 抓好 确保 力争 开展 创建 引进 培育 提升 高标准 高水平 积极 全面 加速 重点 新 一批".split())
_KIND = re.compile(_KINDS)
#: A number and what it counts: a line, a road, a phase (10号线三期, 328国道, 二期).
_NUMBERED = re.compile(r"\d+\s*号线(?:[一二三四五六七八九十]期)?|\d+\s*国道|[A-Z]?\d+\s*号(?:线|楼)")
_QUOTED = re.compile(r"[“《]([^”》]{2,20})[”》]")
#: Figures and their measure words, cut out before names are read (200项省重点项目: no 项省).
_FIGURE = re.compile(r"\d+(?:\.\d+)?\s*[%％万亿千百]*[\u4e00-\u9fff]?")
#: How far after a name the kind of thing it names may stand, in its clause (三亚国际邮轮港: 4).
NEAR = 30
#: A word seen more often than this in the reports (the meaning model's count) is common, no name.
COMMON = 700
#: Tags of proper names (places, persons, organizations, other, abbreviations).
_PROPER = {"ns", "nr", "nz", "nt", "j"}
#: Quoted words that are slogans or periods, not a named thing.
_SLOGAN = re.compile(r"十[一二三四五六七八九]五|放管服|最多跑一次|一网通办|一件事|双随机")


@functools.lru_cache(maxsize=1)
def _counts() -> dict[str, int]:
    model = meaning.load()
    if model is None:
        return {}
    return {w: int(c) for w, c in zip(model.vocab, model.counts, strict=True)}


def counts() -> dict[str, int]:
    """How often the reports use each word the meaning model knows (empty without the model)."""
    return _counts()


def _is_rare(word: str) -> bool:
    """A word of a name: one the reports seldom use (the meaning model's count), not a verb of
    doing (建设, 加快) nor a word without meaning of its own."""
    if not word or word in meaning.STOP or word in _DOING or not re.fullmatch(r"[\u4e00-\u9fffA-Za-z]+", word):
        return False
    count = _counts().get(word)
    return count is None or count < COMMON


@functools.lru_cache(maxsize=8192)
def names(text: str) -> tuple[tuple[str, str, str], ...]:
    """The named objects of an item's text, each as (name, kind, its last word): numbered lines
    and phases (kind empty: the name is whole), quoted names and names with the kind of thing
    they name (宣化街, 桥 of 加快宣化街高架桥建设; 珠海横琴, 新区, 横琴 of 珠海横琴新区)."""
    out = [(re.sub(r"\s+", "", m.group(0)), "", "") for m in _NUMBERED.finditer(text)]
    for m in _QUOTED.finditer(text):
        kind = _KIND.search(_kind_after(text[m.end():]))
        if kind and not _SLOGAN.search(m.group(1)):
            out.append((m.group(1), kind.group(0), ""))
    rest = _FIGURE.sub("，", _QUOTED.sub("，", _NUMBERED.sub("，", text)))
    for phrase in re.split(r"[，,；;：:、。和及与等（）()“”《》\s]", rest):
        out += _phrase_names(phrase) or _title(phrase)
    return tuple(dict.fromkeys(n for n in out if n[0]))


#: Tags of names of places and persons looked for wherever they stand, when the reports use
#: them under :data:`RARE` times (not abbreviations, j: 中长期, 改企; 大关 ns is a common word).
_NAME_TAGS = re.compile(r"^(?:ns|nr\w*|ng)$")
#: Tags of names of brands and organizations, looked for only when the reports never use them
#: (永磁 nz, 国网 nz, 中心医院 nt are common words jieba tags as names).
_UNSEEN_TAGS = re.compile(r"^(?:nz|nt)$")
RARE = 300
#: A route (萍乡至莲花) is named in many ways (萍莲高速): its places are no names to look for.
_ROUTE = re.compile(r"[\u4e00-\u9fff]{2,4}至[\u4e00-\u9fff]{2,4}")


@functools.lru_cache(maxsize=8192)
def proper(text: str) -> tuple[str, ...]:
    """The proper names of an item's text the reports seldom use, wherever they stand (海城 of
    推动海城电子商务进农村综合示范县建设, 迈格钠, 华润, 析木 …): words tagged as names of places,
    persons (:data:`RARE`), organizations or brands (see :data:`_UNSEEN_TAGS`; an
    abbreviation is not); not in quotation marks (:func:`names` reads those), not a route's
    places, not figures. A name of a place is looked for without 市, 州, 县, 港 (东莞市: 东莞).
    Names of brands and organizations count only when the reports never use them."""
    rest = _FIGURE.sub("，", _ROUTE.sub("，", _QUOTED.sub("，", _NUMBERED.sub("，", text))))
    out = []
    for w, t in words.tag(rest):
        if len(w) < 2 or not re.fullmatch(r"[\u4e00-\u9fff]+", w) or not _is_rare(w):
            continue
        count = _counts().get(w)
        if ((_NAME_TAGS.match(t) and (count is None or count < RARE) and _among_names(w))
                or (_UNSEEN_TAGS.match(t) and count is None)):
            stem = re.sub(r"[市州省县区港]$", "", w)
            out.append(stem if len(stem) >= 2 else w)
    return tuple(dict.fromkeys(out))


#: A word the meaning model knows is a name only when this many of its :data:`NEIGHBOURS` nearest
#: words are tagged names too (安庆: 荆州, 宜宾, 九江 …; not 练兵: 备战, 兵员, 征兵 …).
AMONG_NAMES, NEIGHBOURS = 3, 8


def _among_names(word: str) -> bool:
    """Whether a word tagged a name keeps company with names in meaning: a word the meaning model
    does not know is given the benefit of its tag; a known one needs :data:`AMONG_NAMES` of its
    nearest words tagged as names (places, persons, organizations), or it is a common word jieba
    tags as a name (练兵, 边海防, 上路, 平稳过渡, 广度)."""
    model = meaning.load()
    if model is None or model.vector(word) is None:
        return True
    near = model.neighbours(word, k=NEIGHBOURS, min_sim=0.3)
    return sum(bool(_NAMED.match(t)) for w, _ in near for _, t in words.tag(w)[:1]) >= AMONG_NAMES


_NAMED = re.compile(r"^(?:ns|nr\w*|ng|nz|nt)$")


#: The kinds of place or institution an item may commit to build in common words (数字经济产业园,
#: 知识产权学院, 资源开发基地, 跨境电商综合试验区): the item is about that object, and a review that
#: speaks of the field in general words does not report it.
_OBJECT_KIND = re.compile(r"(?:产业园|园区|学院|基地|中心|示范区|试验区|先行区|先导区|实验室|综合体|孵化器)"
                          r"(?=(?:[一二三四五六七八九十]期)?(?:项目|工程|建设)*$)")
#: Words before such a kind that say what is done, not what it is.
_OBJECT_DOING = _DOING | set("加强 共建 构建 争创 建立 走出去 一批 重点 国家 省级 市级 全国 区域 高水平 高质量".split())


@functools.lru_cache(maxsize=8192)
def objects(text: str) -> tuple[str, ...]:
    """The places and institutions of common words an item commits to (:data:`_OBJECT_KIND`), each
    as the word before its kind and the kind (经济产业园 of 加快建设数字经济产业园, 知识产权学院,
    资源开发基地); not the named objects :func:`names` reads (a rare word or a quoted name)."""
    rest = _FIGURE.sub("，", _QUOTED.sub("，", _NUMBERED.sub("，", text)))
    out = []
    for phrase in re.split(r"[，,；;：:、。和及与等（）()“”《》\s]", rest):
        kind = _OBJECT_KIND.search(phrase)
        if not kind:
            continue
        before = [w for w, _ in words.tag(phrase[:kind.start()])]
        if before and len(before[-1]) >= 2 and before[-1] not in _OBJECT_DOING and re.fullmatch(r"[\u4e00-\u9fff]+", before[-1]):
            out.append(before[-1] + kind.group(0))
    return tuple(dict.fromkeys(out))


def _kind_after(text: str) -> str:
    """The word after a quoted name, up to the next mark (“万村千乡”市场工程: 市场工程)."""
    return re.split(r"[，,；;：:、。等和及与“”（）()]", text, maxsplit=1)[0][:8]


def _phrase_names(phrase: str) -> list[tuple[str, str, str]]:
    """The name of one phrase that ends with the kind of thing named (:data:`_KIND_AT_END`): the
    words just before the kind that the reports seldom use (宣化街 of 加快宣化街高架桥建设,
    吉安桐坪 of 开工建设吉安桐坪机场二期); none when a common word stands there (天使投资基金)."""
    kind = _KIND_AT_END.search(phrase)
    if not kind:
        return []
    tagged = words.tag(phrase)
    run = _run_before(tagged, kind.start()) or _proper_before(tagged, kind.start())
    if not any(t in _PROPER and _among_names(w) or _counts().get(w) is None for w, t in run):
        return []  # common nouns only (地铁线路, 国际邮轮港; 开放式校园: a tag kept by no name in meaning)
    name = re.sub(r"[市省县]$", "", "".join(w for w, _ in run))
    if len(name) < 2 or "至" in name:  # a route (上饶至浦城) is named in many ways (上浦高速)
        return []
    tail = run[-1][0] if len(run) > 1 and len(run[-1][0]) >= 2 else ""
    return [(name, "" if kind.group(0) in _GENERIC_KIND else kind.group(0), tail)]


def _title(phrase: str) -> list[tuple[str, str, str]]:
    """A title made of common words (全国质量强市示范城市, 国际消费中心城市试点, 天使投资基金): the
    last :data:`TITLE` characters of the phrase before 试点 or 建设, after its verbs, whole."""
    m = _TITLE.search(phrase)
    if not m:
        return []
    head = phrase[:m.end()]
    for w in sorted(_DOING, key=len, reverse=True):
        head = head.replace(w, "，")
    core = re.split(r"[，]", head)[-1][-TITLE:]
    return [(core, "", "")] if len(core) >= 5 else []


def _proper_before(tagged: list[tuple[str, str]], start: int) -> list[tuple[str, str]]:
    """The last run of seldom-used proper names before character ``start``, when common words
    stand between it and the kind (京东 of 京东物流全球航空枢纽, 三亚 of 三亚国际邮轮港)."""
    last: list[tuple[str, str]] = []
    current: list[tuple[str, str]] = []
    end = 0
    for w, t in tagged:
        end += len(w)
        if end > start:
            break
        if t in _PROPER and _is_rare(w):
            current.append((w, t))
            last = current
        else:
            current = []
    return last


def _run_before(tagged: list[tuple[str, str]], start: int) -> list[tuple[str, str]]:
    """The seldom-used words just before the word holding character ``start`` (the kind: 高架桥
    of 宣化街高架桥), beginning with a word, not a character (市数据…)."""
    end, at = 0, len(tagged)
    for k, (w, _) in enumerate(tagged):
        end += len(w)
        if end > start:
            at = k
            break
    run: list[tuple[str, str]] = []
    for w, t in reversed(tagged[:at]):
        if not _is_rare(w):
            break
        run.insert(0, (w, t))
    while run and len(run[0][0]) == 1:
        run.pop(0)
    return run


def normal(text: str) -> str:
    """Text as names are looked for in it: without spaces, brackets and quotation marks, numbered
    things listed with one word after them said each whole (地铁1、2号线: 1号线、2号线)."""
    return _NUMBERED_LIST.sub(_each_numbered, re.sub(r"[\s（）()“”\"《》]", "", text))


#: Numbers listed before one word of what they number (1、2号线, 3号和5号线).
_NUMBERED_LIST = re.compile(r"(\d+(?:号)?(?:[、和及与]\d+(?:号)?)+)(号线|号楼)")


def _each_numbered(m: re.Match) -> str:
    return "、".join(n.removesuffix("号") + m.group(2) for n in re.split(r"[、和及与]", m.group(1)))


def found(item_names: tuple[tuple[str, str, str], ...], text: str) -> list[str]:
    """The names of ``item_names`` that stand in ``text`` (normalized: :func:`normal`), each
    followed in its clause by the kind of thing it names (one of the kind's characters: 昌景黄
    高铁 for 昌景黄铁路; 宁合、宁马等高速 for 宁马高速), or its last word so (横琴新区)."""
    return [name for name, kind, tail in item_names
            if _stands(name, kind, text) or tail and kind and _stands(tail, kind, text)]


def _stands(name: str, kind: str, text: str) -> bool:
    """Whether ``name`` stands in ``text`` with the kind (one of its characters) after it in its clause."""
    at = text.find(name)
    while at >= 0:
        clause = re.split(r"[，。；;]", text[at + len(name):at + len(name) + NEAR], maxsplit=1)[0]
        if not kind or any(c in clause for c in kind):
            return True
        at = text.find(name, at + 1)
    return False


#: Words of a plan that commit to a thing finished (建成, 投入运营, 通车), and of a review that say
#: it was (建成运营, 竣工) or only that it moved on (加快建设, 进展顺利, 主体完工, 即将投用).
_FINISH = re.compile(r"建成|竣工|投入运营|投运|投入使用|投用|通车|开通|投产|封关运营")
_FINISHED = re.compile(r"(?<!主体)(?:建成|竣工|完工)|投入运营|投运|投入使用|(?<!即将)投用|通车|开通|投产|运营")
_MOVING = re.compile(r"加快|推进|进展|在建|开工|主体完工|主体竣工|即将|前期|有序|稳步|顺利实施|迎接|验收")


def moving_only(item: str, evidence: list[str]) -> bool:
    """Whether an item that commits to a named thing finished (3号线基本建成, 建成投用) is reported
    only as moving on: every clause of the ``evidence`` that names it says so (加快建设, 主体完工)
    and none that it was finished."""
    said = [c for text in evidence for c in re.split(r"[，,。；;]", normal(text))]
    for part in re.split(r"[，,；;]", item):
        if not _FINISH.search(part):
            continue
        for name, _, _ in names(part):
            clauses = [c for c in said if name in c]
            if clauses and all(_MOVING.search(c) and not _FINISHED.search(c) for c in clauses):
                return True
    return False

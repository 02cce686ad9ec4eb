"""A plan item's figures against the next report's (search step, part of :mod:`kb.search.plans`).

Each figure of an item (增长6.5%, 新增学位2万个, 控制在4%以内) has an indicator: the words before
it in its clause (地区生产总值 of 地区生产总值增长6.5%). The next report gives the actual figure
in its own words, so a figure of the best evidence sentences is the actual one when

- it has the same base unit (% with %, 人 with 万人, 元 with 亿元), and
- its own indicator is the item's in other words: the two share most of their character pairs
  (城镇新增就业 and 新增城镇就业, 公共财政预算收入 and 一般公共预算收入), one holds the other, or
  the item's indicator is found just before the figure;
- in a list of figures (城镇、农村居民人均可支配收入分别增长8.4%和9.2%; 人均可支配收入21575元、
  人均纯收入6907元，实际增长12%和10.7%) each figure takes the name in its place in the list
  (a short name, 城镇, borrows the rest of the last one: 城镇居民人均可支配收入).

Then met, exceeded or missed: 控制在…以内, 涨幅, 失业率 and 以下 are ceilings; 左右, 约, 近 allow 3%;
the lower end of a range (6.5%—7%) is the target.
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal

from kb.figures import extract as figures
from kb.search import plan_units
from kb.search.indicator_words import SHARE_BEFORE as _SHARE_BEFORE
from kb.search.indicator_words import normal as _normal
from kb.search.indicator_words import share as _share
from kb.search.indicator_words import words as _words

#: What the words before a figure end with that is not its indicator (verbs, qualifiers, and the words of
#: an estimate a report given in January uses: 地区生产总值预计增长4.5%左右, 初步核算, 约).
_TAIL = re.compile(r"(?:力争|确保|全年|今年|实际|分别|达到|达|增长|预计|初步核算|初步统计|预估|估计|有望|可望|约|控制在|控制|下降|提高到|提高|超过|突破|左右|以上|同比|"
                   r"(?<!人)均|比上年|同口径|可比口径|按可比价格?计算|名义|净增|不少于|不低于|不超过|为|到|至|涨幅|增幅|增速|比重|占比|完成|实现|上涨|上升|增加|减少|提升|是|低于|高于|保持在|保持|以内|新增|双|突破|超|降低|降|恢复|稳定在|稳定|建设)+$")
#: Words before a figure that say it covers several years (五年累计, 年均): not the year's.
_YEARS = re.compile(r"年均|累计|五年|以来")
_HEAD = re.compile(r"^(?:据?初步核算|预计|力争|确保|全年|今年|实现|其中|新增|完成|开工|新开工|建成|新建|全市|全省|全区|全国|实施|再)+")
_CAP = re.compile(r"控制在|以内|以下|不超过|涨幅|失业率")
#: Nouns an indicator may end with or not, saying nothing of what it counts (“小升规”企业).
_GENERIC = re.compile(r"(?:企业|项目|工程|数量|总量|人数)$")
#: An indicator that is a share whose part was said before it (占GDP of …，占GDP比重由8.2%提高到11.5%; not 占用).
_SHARE_OF = re.compile(r"占(?!用|地|领|有|据|压)")
#: How alike two indicators must be (shared character pairs, Dice) to be the same.
SAME = 0.5
#: How much a figure found after the item's indicator counts (as alike as that).
AFTER = 0.8
#: What a figure said new (新开通, 新增) adds to how alike it is, for an item's increment.
NEW = 0.1
#: How alike two indicators are that end with the same word and share another pair.
SAME_END = 0.6
#: A figure whose words before it say nothing of what it counts (再开工20项重大水利工程): the
#: words after it are its indicator, up to this many characters.
AFTER_WORDS = 12
#: Words before a figure that say what is done, not what is counted (再开工, 新建改扩建).
_DOING = re.compile(r"(?:再|新|续|开工|建设|建成|新建|改扩建|扩建|改建|完成|实施|推进|加快|启动|办好|创建|打造|培育|引进|"
                    r"新增|增加|开通|新开通|认定|支持|扶持|推动|引导|带动|帮助|建|开|办|创)+")
#: A report that the target was met without its number (能耗下降超额完成全年目标).
_DONE = re.compile(r"(?:超额|全面|圆满|顺利)?(?:完成|实现|达到|达成)(?:了)?(?:省|国家|上级|年初)?(?:下达的?)?(?:年度|全年|年初)?"
                   r"(?:预定|确定的?|计划)?(?:目标|任务|计划)")


#: Measures the figure reader (:mod:`kb.figures.numerals`: things, people, money counted) does not
#: read, in which plans set targets (新建农村公路1000公里, 经济适用房50万平方米, 9.93万套, 3亿方,
#: 优良天数300天以上, 提高1个百分点): Arabic numbers only, with 万/亿.
_MEASURE = re.compile(
    r"(?<![\d.,A-Za-z])(?P<num>\d+(?:\.\d+)?)\s?(?P<approx1>余|多)?(?P<mult>万|亿)?(?P<approx2>余|多)?"
    r"(?P<unit>平方公里|平方米|立方米|公里|千瓦时|千瓦|吨(?!级)|亩|公顷|标箱|美元|套|座|所|辆|台|艘|架|张|间|斤|天|个百分点|"
    r"方(?![面案式向法针位便]))(?P<post>以上|左右)?")
_APPROX_BEFORE = re.compile(r"(?:近|约|超过|逾)$")


def numbers(text: str) -> list:
    """Every number with a unit in ``text``: the figure reader's (:func:`kb.figures.extract.numbers`)
    and the measures it does not read (:data:`_MEASURE`), in order."""
    found = figures.numbers(text)
    taken = [(n.start, n.end) for n in found]
    for m in _MEASURE.finditer(text):
        if not any(lo < m.end() and m.start() < hi for lo, hi in taken):
            found.append(_measure(text, m))
    return sorted(found, key=lambda n: n.start)


@functools.lru_cache(maxsize=8192)
def measured(text: str) -> bool:
    """Whether ``text`` sets a target in a measure the figure reader does not read (:data:`_MEASURE`)."""
    return any(n.base not in figures.UNITS for n in numbers(text))


def _measure(text: str, m: re.Match) -> figures.Num:
    unit, mult = m.group("unit"), m.group("mult") or ""
    pre = _APPROX_BEFORE.search(text, max(0, m.start() - 2), m.start())
    approx = (pre.group() if pre else "") or m.group("approx1") or m.group("approx2") or m.group("post") or ""
    return figures.Num(pre.start() if pre else m.start(), m.start("num"), m.end(), Decimal(m.group("num")),
                       mult + unit, unit.removeprefix("个"), Decimal(100000000 if mult == "亿" else 10000 if mult else 1),
                       approx)


#: A figure a target starts from, not a target (农村低保标准在去年800元的基础上提高到900元, 从278元提高到
#: 306元): the words from 在/由/从 to it, and the words after it.
_FROM = re.compile(r"(?:在|由|从)[^，,；;：:、。]*?\d[^，,；;：:、。]*$")
_FROM_AFTER = re.compile(r"(?:以上|左右)?(?:的?基础上|提高到|提高至|增加到|增加至|增至|提升到|提升至|调整到|调整为|上调到|上调至)")
_FROM_BEFORE = re.compile(r"(?:由|从)[^，,；;：:、。\d]{0,8}$")


def _starting(text: str, n) -> bool:
    """Whether figure ``n`` of ``text`` is the one a target starts from (:data:`_FROM`)."""
    return bool(_FROM_AFTER.match(text, n.end) or _FROM_BEFORE.search(text, max(0, n.start - 9), n.start))


starting = _starting


#: What joins the figures of a list (8.4%和9.2%, 6%、7.6%、9.3%).
_JOINED = re.compile(r"\s*(?:以上|左右|以内)?\s*[和、及与]\s*")


def _pairs(text: str) -> set[str]:
    runs = re.findall(r"[\u4e00-\u9fffA-Za-z]+", text)
    return {r[i:i + 2] for r in runs for i in range(len(r) - 1)}


def indicator_before(text: str, start: int) -> str:
    """The words before a figure in its clause that say what it counts (固定资产投资 of
    固定资产投资增长8%)."""
    lo = max(text.rfind(c, 0, start) for c in "，,；：:、。") + 1
    head = text[lo:start]
    head = re.sub(r"[\d.%—\-～~至]+$", "", head)  # the lower end of a range (6.5%—7%)
    head = _FROM.sub("", head)  # the figure it starts from (在去年800元的基础上, 从278元)
    stem = _TAIL.sub("", head)
    share = head[len(stem):].startswith("占比") and "占" not in stem  # a share, its whole unsaid (民生支出占比)
    return _HEAD.sub("", stem).strip() + ("占比" if share else "")


def indicator_of(text: str, start: int, end: int) -> str:
    """The indicator of the figure at ``start:end``: the words before it, or, when they say
    nothing of what it counts (再开工20项重大水利工程, 新增3条以上国际直飞航线), the words after it."""
    key = indicator_before(text, start)
    if len(key) >= 2 and not _DOING.fullmatch(key):
        return key
    after = re.split(r"[，,；;。、：:]", text[end:end + AFTER_WORDS], maxsplit=1)[0]
    return _TAIL.sub("", re.sub(r"^(?:以上|左右|以内|以下)", "", after)).strip()


def alike(a: str, b: str) -> float:
    """How alike two indicators are: 1 when one ends with the other (the last words of an
    indicator name what it counts: 生产总值 and 地区生产总值, 游客 and 国内外游客); 0 when one
    holds the other elsewhere (国内生产总值 in 单位国内生产总值能耗 is another indicator); else
    their shared character pairs (Dice: 城镇新增就业 and 新增城镇就业)."""
    a, b = _GENERIC.sub("", _normal(a)), _GENERIC.sub("", _normal(b))
    if not a or not b or plan_units.per_unit(a) != plan_units.per_unit(b):  # 人均国内生产总值 is not 生产总值
        return 0.0
    sa, sb = _share(a), _share(b)
    if not (sa or sb) and bool(_SHARE_OF.match(a)) != bool(_SHARE_OF.match(b)):
        return 0.0  # a share whose part was said before it (…，占GDP比重由8.2%提高到11.5%) is not its whole
    if sa or sb:  # a share (A占B比重) is neither its whole B nor its part A, only another share of both
        if not (sa and sb):
            return 0.0  # a whole unsaid (民生支出占比) is any whole
        return min(alike(sa[0], sb[0]), alike(sa[1], sb[1]) if sa[1] and sb[1] else 1.0)
    return _names_alike(a, b)


def _names_alike(a: str, b: str) -> float:
    """:func:`alike` of two indicators in normal words, neither a share."""
    if a.endswith(b) or b.endswith(a):
        return 1.0
    if a in b or b in a:
        return 0.0
    pa, pb = _pairs(a), _pairs(b)
    dice = 2 * len(pa & pb) / (len(pa) + len(pb)) if pa and pb else 0.0
    end = _common_end(a, b)  # the same thing counted, named more or less fully (接待国内外游客, 接待游客;
    if len(end) >= 4 or len(end) >= 2 and (pa & pb - _pairs(end) or _inserted(a, b)):  # 国际直飞航线,
        # 国际定期直飞客货运航线; 5G基站, 5G宏基站;
        return max(dice, SAME_END)  # 省级以上专精特新企业, 国家级专精特新企业),
    return dice  # not a short common end only (高新技术产品增加值, 电子信息业增加值)


def _inserted(a: str, b: str, most: int = 2) -> bool:
    """Whether the longer of ``a`` and ``b`` is the shorter with at most ``most`` characters put
    in (5G基站, 5G宏基站)."""
    short, long = sorted((a, b), key=len)
    if not 0 < len(long) - len(short) <= most:
        return False
    it = iter(long)
    return all(c in it for c in short)


def _common_end(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return a[len(a) - n:]


def _joined(sentence: str, nums: list, k: int) -> bool:
    """Whether figure ``k`` and the next one are of one unit and joined by 和、及 (8.4%和9.2%)."""
    nxt = nums[k + 1]
    return nxt.base == nums[k].base and bool(_JOINED.fullmatch(sentence[nums[k].end:nxt.start]))


def _listed_names(sentence: str, nums: list, k: int) -> dict[int, str]:
    """For a run of figures joined by 和/、/及 (8.4%和9.2%) beginning at ``nums[k]``, the name each
    takes: the names before the run, in order, the last ones matched to the figures."""
    if k and _joined(sentence, nums, k - 1):
        return {}  # inside a run (6%、7.6%、9.3%): the run's names are its first figure's
    run = [k]
    while run[-1] + 1 < len(nums) and _joined(sentence, nums, run[-1]):
        run.append(run[-1] + 1)
    if len(run) < 2:
        return {}
    lo = max(0, sentence.rfind("。", 0, nums[k].start) + 1)
    before = sentence[lo:nums[k].start]
    for n in reversed(nums[:k]):  # the figures before the run (21575元) separate names too
        if n.start >= lo:
            before = before[:n.start - lo] + "，" + before[n.end - lo:]
    parts = [_TAIL.sub("", _HEAD.sub("", p.strip())) for p in re.split(r"[，,；、和及与]", before)]
    # words the run's figures share (幼儿园98所、中小学55所，分别新增学位3万个、8.2万个) name none of them
    parts = [p for p in parts if len(p) >= 2 and not p.startswith("分别")]
    if len(parts) < len(run):
        return {}
    names = parts[-len(run):]
    last = names[-1]
    names = [n + last[len(n):] if len(n) <= 3 < len(last) else n for n in names]
    return dict(zip(run, names, strict=True))


def actual(key: str, base: str, sentences: list[str], increment: bool = False,
           target: float = 0.0) -> tuple[str, float] | None:
    """The figure of ``sentences`` (best first) with the item's base unit whose indicator is
    the item's ``key`` in any wording (:func:`alike`), or else the first such figure within 40
    characters after the key (国内生产总值达到74.4万亿元，增长6.7%): the first of the most alike.
    An ``increment`` (新增3条…航线) prefers a figure said new (新开通…12条) to a total (达114条); an
    amount of another magnitude than ``target`` is another dimension (:func:`plan_units.comparable`)."""
    best, found = SAME, None
    for s in (re.sub(r"[“”\"]", "", s).replace("％", "%") for s in sentences):  # “双90%”目标: the figure unquoted
        nums = numbers(s)
        named: dict[int, str] = {}
        after = _after_key(key, s, nums)
        for k, n in enumerate(nums):
            if k not in named:
                named.update(_listed_names(s, nums, k))
            if not plan_units.same_base(n.base, base) or _YEARS.search(s[max(0, n.start - 12):n.start]):
                continue
            score, whole = _score(key, s, nums, k, named, after.get(base) == k, increment)
            if score > best or (found is None and score >= best):
                got = _summed(s, nums, k) if whole else _one(s, n)
                if not plan_units.comparable(target, got[1], base):
                    continue
                best, found = score, got
            if best >= 1.0:
                return found
    return found


def _score(key: str, s: str, nums: list, k: int, named: dict[int, str], after: bool,
           increment: bool) -> tuple[float, bool]:
    """How surely figure ``k`` of sentence ``s`` is the item's ``key``, and whether it is so as
    a whole (its own words, not a name in a list: then a 分别 list of its parts is summed)."""
    n = nums[k]
    # in a list of figures of indicators like the item's (A和B分别增长x和y; A、B分别增长x、y) each
    # figure is its name's in the list, not the words before it (分别新增学位3万个、8.2万个: those)
    listed = k in named and sum(alike(key, name) >= SAME for name in named.values()) >= 2
    whole = 0.0 if listed else max(alike(key, o) for o in _keys(indicator_of(s, n.start, n.end)))
    whole = max(whole, 1.0 if _just_before(key, s, n.start) and not listed else 0.0)
    part = alike(key, named[k]) if k in named else 0.0
    score = max(whole, part, AFTER if after else 0.0)
    if increment and score >= SAME and re.search(r"新|增", s[max(0, n.start - 16):n.start]):
        score += NEW
    return score, whole > part or k not in named


def _one(sentence: str, n) -> tuple[str, float]:
    """A figure as written and its value, below zero when it is a rate said to fall (下降15%)."""
    value = float(n.value * n.multiplier)
    return sentence[n.start:n.end], -value if plan_units.falls(sentence, n) else value


def _summed(sentence: str, nums: list, k: int) -> tuple[str, float]:
    """The figure ``k``, or, when it opens a list of figures of one unit said of parts of the
    same thing (分别新增学位3万个、8.2万个), their sum: the parts of the item's whole."""
    if "分别" not in sentence[max(0, nums[k].start - 10):nums[k].start] or nums[k].base in ("%", "‰"):
        return _one(sentence, nums[k])  # rates of parts do not add up
    run = [k]
    while run[-1] + 1 < len(nums) and nums[run[-1] + 1].base == nums[k].base and \
            re.fullmatch(r"\s*[和、及与]\s*", sentence[nums[run[-1]].end:nums[run[-1] + 1].start]):
        run.append(run[-1] + 1)
    if len(run) < 2:
        return _one(sentence, nums[k])
    written = "+".join(sentence[nums[i].start:nums[i].end] for i in run)
    return written, sum(float(nums[i].value * nums[i].multiplier) for i in run)


def _after_key(key: str, sentence: str, nums: list) -> dict[str, int]:
    """For each base unit, the index of the first figure of that unit within 40 characters
    after the item's indicator (its last or first four characters) in ``sentence``, with
    nothing but figures and words such as 达到, 增长 between (国内生产总值达到74.4万亿元，增长6.7%)."""
    out: dict[str, int] = {}
    norm = _normal(key)  # a standard name said the other way (实际利用外商直接投资: …利用外资)
    probes = ([key[-4:], key[:4]] if len(key) > 4 else [key]) + ([norm[-4:]] if norm != _words(key) else [])
    if _share(norm):  # a share's last words are its whole's (…占国内生产总值): its part says which share
        probes = [key[:4]]
    for probe in probes:
        at = sentence.find(probe)
        if at < 0 or _whole_of_share(key, sentence, at) or _other_per(key, sentence, at):
            continue
        for k, n in enumerate(nums):
            if at + len(probe) <= n.start <= at + len(probe) + 40 and _only_verbs(sentence[at + len(probe):n.start]):
                out.setdefault(n.base, k)
    return out


def _only_verbs(between: str) -> bool:
    """Whether the text between an indicator and a figure says nothing of another indicator."""
    between = re.sub(r"(?:[\d.]+|[一二三四五六七八九十两百千万亿]+)(?:万亿|万|亿|千)?"
                     r"(?:左右|以上|以内|多|余)?[^\s，,、\d左以多余]{0,2}(?:左右|以上|以内|多|余)?", "", between)
    parts = re.split(r"[，,、]", between)
    return all(not _TAIL.sub("", p.strip()) for p in parts)


def _just_before(key: str, sentence: str, start: int) -> bool:
    """Whether the item's indicator (its last four characters) stands just before the figure,
    only words such as 达到, 增长 between (not 生产总值 of 单位国内生产总值能耗下降5%)."""
    share = _share(_normal(key))
    probe = share[1][-4:] if share else key[-4:]
    lo = max(0, start - len(probe) - 12)
    at = sentence[lo:start].rfind(probe)
    if at < 0 or _TAIL.sub("", sentence[lo + at + len(probe):start].lstrip("的")):
        return False
    if share:  # the item's share: 占 its whole just before, its part said before in the sentence
        return bool(_SHARE_BEFORE.search(sentence[:lo + at])) and share[0][:4] in _normal(sentence[:lo + at])
    return not _whole_of_share(key, sentence, lo + at) and not _other_per(key, sentence, lo + at)


def _other_per(key: str, sentence: str, at: int) -> bool:
    """Whether the indicator found at ``at`` is per person where the item's is not, or the other
    way round (人均地区生产总值增长7.9% is not 地区生产总值's figure)."""
    lo = max(sentence.rfind(c, 0, at) for c in "，,；;。、") + 1
    return plan_units.per_unit(sentence[lo:at + 4]) != plan_units.per_unit(key)


def _whole_of_share(key: str, sentence: str, at: int) -> bool:
    """Whether the indicator found at ``at`` stands as the whole of a share (…占国内生产总值比重
    达到10%: not the figure of 国内生产总值), the item's indicator not being a share itself."""
    return bool(_SHARE_BEFORE.search(sentence[:at])) and not _share(_normal(key))


def compare(item_text: str, sentences: list[str], year: int = 0) -> list[dict]:
    """Each figure of the item with the figure the next report (on ``year``) gives for the same
    indicator in ``sentences`` (best first). A figure said of several indicators (城镇居民人均可支配收入和
    农民人均纯收入均增长8%; 城镇和农村居民收入分别增长8.5%和10%) is compared for each; a target of
    several years or a later year (:func:`plan_units.later`) is not."""
    out = []
    item_text = item_text.replace("％", "%")
    sentences = [s.replace("％", "%") for s in sentences]
    nums = numbers(item_text)
    named: dict[int, str] = {}
    for k, f in enumerate(nums):
        if k not in named:
            named.update(_listed_names(item_text, nums, k))
        if _starting(item_text, f) or plan_units.later(item_text, f.start, year):
            continue
        total = None if k in named else _total(item_text, f, nums, sentences)
        if total:
            out.append(total)
            continue
        for key in [named[k]] if k in named else _keys(indicator_of(item_text, f.start, f.end)):
            found = _compare_one(item_text, f, key, sentences) if len(key) >= 2 else None
            if found:
                out.append(found)
    return out


def _total(item_text: str, f, nums: list, sentences: list[str]) -> dict | None:
    """A count said of several things listed with 、 (建设中小学、幼儿园100所: the schools of both)
    against the sum of their figures in ``sentences`` (幼儿园98所、中小学55所), when each is found."""
    names = _listed_before(item_text, f, nums)
    found = [actual(_TAIL.sub("", n), f.base, sentences) for n in names]
    if not found or not all(found) or len({w for w, _ in found}) < len(found):
        return None
    value = sum(v for _, v in found)
    return {"indicator": "、".join(names), "target": item_text[f.start:f.end], "actual": "+".join(w for w, _ in found),
            "met": met(float(f.value * f.multiplier), value, False, f.approx)}


def _listed_before(item_text: str, f, nums: list) -> list[str]:
    """The things listed with 、 just before a count (中小学、幼儿园 of 建设中小学、幼儿园100所), no
    other figure among them; none for a rate."""
    lo = max(item_text.rfind(c, 0, f.start) for c in "，,；;：:。") + 1
    names = [_HEAD.sub("", p.strip()) for p in item_text[lo:f.start].split("、")]
    if f.base in ("%", "‰") or len(names) < 2 or any(len(n) < 2 for n in names) or \
            any(lo <= n.start < f.start for n in nums):
        return []
    return names


def targets(item_text: str, year: int = 0) -> int:
    """How many (figure, indicator) pairs of the item :func:`compare` looks for."""
    item_text = item_text.replace("％", "%")
    nums = numbers(item_text)
    named: dict[int, str] = {}
    n = 0
    for k, f in enumerate(nums):
        if k not in named:
            named.update(_listed_names(item_text, nums, k))
        if not (_starting(item_text, f) or plan_units.later(item_text, f.start, year)):
            n += sum(len(key) >= 2 for key in ([named[k]] if k in named else _keys(indicator_of(item_text, f.start, f.end))))
    return n


def _keys(key: str) -> list[str]:
    """The indicators a figure is said of: ``key``, or its parts when it names several joined by
    和、及 (a short part borrows the rest of the last: 城镇 of 城镇和农村居民收入)."""
    parts = [p for p in re.split(r"[和、及]", key) if p]  # not 与: 研究与试验发展, 投入与生产总值之比
    if len(parts) < 2 or any(len(p) < 2 for p in parts):
        return [key]
    last = parts[-1]
    return [p + last[len(p):] if len(p) <= 3 < len(last) else p for p in parts]


def _compare_one(item_text: str, f, key: str, sentences: list[str]) -> dict | None:
    """The item's figure ``f`` with indicator ``key`` against ``sentences``: target, actual, met."""
    increment = bool(re.search(r"新增|新开工|新建|再", item_text[max(0, f.start - 6):f.start]))
    target = float(f.value * f.multiplier)
    found = actual(key, f.base, sentences, increment, target)
    parts = members(key, f.base, sentences) if found is None else []
    if found is None and not parts:
        done = done_without_number(key, sentences)
        return {"indicator": key, "target": item_text[f.start:f.end], "actual": done, "met": True} if done else None
    low = re.search(r"(\d+(?:\.\d+)?)[%％]?\s*[—\-～~至]\s*$", item_text[max(0, f.start - 8):f.start])
    if low:  # a range: its lower end is the target
        target = float(low.group(1)) * float(f.multiplier)
    cap = bool(_CAP.search(item_text[f.end:f.end + 4]) or _CAP.search(item_text[max(0, f.start - 6):f.start]))
    return {"indicator": key, "target": item_text[f.start:f.end],
            **_against(target, [found] if found else parts, plan_units.falls(item_text, f), cap, f.approx)}


def _against(target: float, found: list[tuple[str, float]], fall: bool, cap: bool, approx: str) -> dict:
    """The actual figures as written (with the way they went when against the target's) and whether
    they met the target; a fall promised (能耗下降3%) is met by a fall said (a rise of it)."""
    sign = -1.0 if fall else 1.0
    return {"actual": "、".join(plan_units.direction(w, sign * v, fall) for w, v in found),
            "met": all(met(target, sign * v, cap, approx) for _, v in found)}


#: Indicators that are groups the reports give by their members (主要污染物排放总量下降2%, reported as
#: 二氧化硫、化学需氧量排放分别减少7.9%、4.3%): the group's name and its members' names.
GROUPS = {"主要污染物": ("二氧化硫", "化学需氧量", "氨氮", "氮氧化物")}


def members(key: str, base: str, sentences: list[str]) -> list[tuple[str, float]]:
    """For an indicator that is a group (:data:`GROUPS`), the figures of its members in the first
    sentence (best first) that gives any: each member's figure with the item's base unit whose
    name in a list (二氧化硫、化学需氧量排放分别减少7.9%、4.3%) or own words (二氧化硫和化学需氧量排放量
    均下降4%) holds the member's name."""
    names = next((m for group, m in GROUPS.items() if group in key), ())
    for s in (s.replace("％", "%") for s in sentences if any(m in s for m in names)):
        nums = numbers(s)
        named: dict[int, str] = {}
        got: dict[str, tuple[str, float]] = {}
        for k, n in enumerate(nums):
            if k not in named:
                named.update(_listed_names(s, nums, k))
            if n.base != base:
                continue
            said = named.get(k) or indicator_of(s, n.start, n.end)
            for m in names:
                if m in said:
                    got.setdefault(m, _one(s, n))
        if got:
            return list(got.values())
    return []


def done_without_number(key: str, sentences: list[str]) -> str | None:
    """The words of a sentence that say the item's indicator met its target without a number
    (单位生产总值能耗…超额完成全年目标任务; 节能减排完成年度任务): the indicator (its last four
    characters, or said jointly: 单位生产总值和工业增加值能耗) before such words in one clause."""
    word = _words(key)
    # the indicator (its last four characters), or said jointly with another that ends alike
    # (单位生产总值和工业增加值能耗: 单位生产总值能耗's and the other's)
    joint = re.escape(word[-6:-2]) + r"[和及与、][^，,；;。]{1,12}?" + re.escape(word[-2:]) if len(word) >= 6 else ""
    probe = re.compile("|".join(filter(None, (re.escape(word[-4:]), joint))))
    for s in sentences:
        for clause in re.split(r"[，,；;。]", s):
            at = probe.search(clause)
            done = _DONE.search(clause, at.end()) if at else None
            if done:
                return done.group(0)
    return None


def met(target: float, actual_value: float, cap: bool, approx: str) -> bool:
    margin = 0.03 * abs(target) if approx in ("左右", "约", "近") else 0.0
    return actual_value <= target + margin if cap else actual_value >= target - margin

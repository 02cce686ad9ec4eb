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

import re

from kb.figures import extract as figures

#: What the words before a figure end with that is not its indicator (verbs, qualifiers).
_TAIL = re.compile(r"(?:力争|确保|全年|今年|实际|分别|达到|达|增长|控制在|控制|下降|提高到|提高|超过|突破|左右|以上|同比|"
                   r"比上年|不少于|不低于|不超过|为|到|至|涨幅|增幅|增速|比重|占比|完成|实现|上涨|上升|增加|减少|提升|是|低于|高于|保持在|保持|以内|新增)+$")
#: Words before a figure that say it covers several years (五年累计, 年均): not the year's.
_YEARS = re.compile(r"年均|累计|五年|以来")
_HEAD = re.compile(r"^(?:力争|确保|全年|今年|实现|其中|新增|完成|开工|新开工|建成|新建|全市|全省|全区|全国)+")
_CAP = re.compile(r"控制在|以内|以下|不超过|涨幅|失业率")
#: Nouns an indicator may end with or not, saying nothing of what it counts (“小升规”企业).
_GENERIC = re.compile(r"(?:企业|项目|工程|数量|总量|人数)$")
#: How alike two indicators must be (shared character pairs, Dice) to be the same.
SAME = 0.5
#: How much a figure found after the item's indicator counts (as alike as that).
AFTER = 0.8


def _pairs(text: str) -> set[str]:
    runs = re.findall(r"[\u4e00-\u9fffA-Za-z]+", text)
    return {r[i:i + 2] for r in runs for i in range(len(r) - 1)}


def indicator_before(text: str, start: int) -> str:
    """The words before a figure in its clause that say what it counts (固定资产投资 of
    固定资产投资增长8%)."""
    lo = max(text.rfind(c, 0, start) for c in "，,；：:、。") + 1
    head = text[lo:start]
    head = re.sub(r"[\d.%—\-～~至]+$", "", head)  # the lower end of a range (6.5%—7%)
    head = _TAIL.sub("", head)
    return _HEAD.sub("", head).strip()


def _words(text: str) -> str:
    return "".join(re.findall(r"[\u4e00-\u9fffA-Za-z]+", text))


def alike(a: str, b: str) -> float:
    """How alike two indicators are: 1 when one ends with the other (the last words of an
    indicator name what it counts: 生产总值 and 地区生产总值, 游客 and 国内外游客); 0 when one
    holds the other elsewhere (国内生产总值 in 单位国内生产总值能耗 is another indicator); else
    their shared character pairs (Dice: 城镇新增就业 and 新增城镇就业)."""
    a, b = _GENERIC.sub("", _words(a)), _GENERIC.sub("", _words(b))
    if not a or not b:
        return 0.0
    if a.endswith(b) or b.endswith(a):
        return 1.0
    if a in b or b in a:
        return 0.0
    pa, pb = _pairs(a), _pairs(b)
    return 2 * len(pa & pb) / (len(pa) + len(pb)) if pa and pb else 0.0


def _listed_names(sentence: str, nums: list, k: int) -> dict[int, str]:
    """For a run of figures joined by 和/、/及 (8.4%和9.2%) beginning at ``nums[k]``, the name each
    takes: the names before the run, in order, the last ones matched to the figures."""
    run = [k]
    while run[-1] + 1 < len(nums):
        gap = sentence[nums[run[-1]].end:nums[run[-1] + 1].start]
        if not re.fullmatch(r"\s*[和、及与]\s*", gap) or nums[run[-1] + 1].base != nums[k].base:
            break
        run.append(run[-1] + 1)
    if len(run) < 2:
        return {}
    lo = max(0, sentence.rfind("。", 0, nums[k].start) + 1)
    before = sentence[lo:nums[k].start]
    for n in reversed(nums[:k]):  # the figures before the run (21575元) separate names too
        if n.start >= lo:
            before = before[:n.start - lo] + "，" + before[n.end - lo:]
    parts = [_TAIL.sub("", _HEAD.sub("", p.strip())) for p in re.split(r"[，,；、和及与]", before)]
    parts = [p for p in parts if len(p) >= 2]
    if len(parts) < len(run):
        return {}
    names = parts[-len(run):]
    last = names[-1]
    names = [n + last[len(n):] if len(n) <= 3 < len(last) else n for n in names]
    return dict(zip(run, names, strict=True))


def actual(key: str, base: str, sentences: list[str]) -> tuple[str, float] | None:
    """The figure of ``sentences`` (best first) with the item's base unit whose indicator is
    the item's ``key`` in any wording (:func:`alike`), or else the first such figure within 40
    characters after the key (国内生产总值达到74.4万亿元，增长6.7%): the first of the most alike."""
    best, found = SAME, None
    for s in sentences:
        nums = figures.numbers(s)
        named: dict[int, str] = {}
        after = _after_key(key, s, nums)
        for k, n in enumerate(nums):
            if k not in named:
                named.update(_listed_names(s, nums, k))
            if n.base != base or _YEARS.search(s[max(0, n.start - 12):n.start]):
                continue
            own = named.get(k) or indicator_before(s, n.start)
            score = max(alike(key, own), 1.0 if _just_before(key, s, n.start) else 0.0,
                        AFTER if k == after.get(base) else 0.0)
            if score > best or (found is None and score >= best):
                best, found = score, (s[n.start:n.end], float(n.value * n.multiplier))
            if best >= 1.0:
                return found
    return found


def _after_key(key: str, sentence: str, nums: list) -> dict[str, int]:
    """For each base unit, the index of the first figure of that unit within 40 characters
    after the item's indicator (its last or first four characters) in ``sentence``, with
    nothing but figures and words such as 达到, 增长 between (国内生产总值达到74.4万亿元，增长6.7%)."""
    out: dict[str, int] = {}
    for probe in ([key[-4:], key[:4]] if len(key) > 4 else [key]):
        at = sentence.find(probe)
        if at < 0:
            continue
        for k, n in enumerate(nums):
            if at + len(probe) <= n.start <= at + len(probe) + 40 and _only_verbs(sentence[at + len(probe):n.start]):
                out.setdefault(n.base, k)
    return out


def _only_verbs(between: str) -> bool:
    """Whether the text between an indicator and a figure says nothing of another indicator."""
    parts = re.split(r"[，,、]", re.sub(r"[\d.]+(?:万亿|万|亿|千)?[^\s，,、\d]{0,2}", "", between))
    return all(not _TAIL.sub("", p.strip()) for p in parts)


def _just_before(key: str, sentence: str, start: int) -> bool:
    """Whether the item's indicator (its last four characters) stands just before the figure,
    only words such as 达到, 增长 between (not 生产总值 of 单位国内生产总值能耗下降5%)."""
    probe = key[-4:]
    window = sentence[max(0, start - len(probe) - 12):start]
    at = window.rfind(probe)
    return at >= 0 and not _TAIL.sub("", window[at + len(probe):])


def compare(item_text: str, sentences: list[str]) -> list[dict]:
    """Each figure of the item with the figure the next report gives for the same indicator
    in ``sentences`` (best first)."""
    out = []
    for f in figures.numbers(item_text):
        key = indicator_before(item_text, f.start)
        if len(key) < 2:
            continue
        found = actual(key, f.base, sentences)
        if found is None:
            continue
        target = float(f.value * f.multiplier)
        low = re.search(r"(\d+(?:\.\d+)?)[%％]?\s*[—\-～~至]\s*$", item_text[max(0, f.start - 8):f.start])
        if low:  # a range: its lower end is the target
            target = float(low.group(1)) * float(f.multiplier)
        cap = bool(_CAP.search(item_text[f.end:f.end + 4]) or _CAP.search(item_text[max(0, f.start - 6):f.start]))
        out.append({"indicator": key, "target": item_text[f.start:f.end], "actual": found[0],
                    "met": met(target, found[1], cap, f.approx)})
    return out


def met(target: float, actual_value: float, cap: bool, approx: str) -> bool:
    margin = 0.03 * abs(target) if approx in ("左右", "约", "近") else 0.0
    return actual_value <= target + margin if cap else actual_value >= target - margin

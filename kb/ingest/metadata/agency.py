"""Agency: the decider of who reports, from every piece of evidence that names an agency.

One of :mod:`kb.ingest.metadata`'s deciders. Each piece of evidence (:mod:`kb.ingest.evidence`:
the titles and file name, a speech's byline and speaker line, the opening sentence, the
signature, the letterhead, a site's 来源 line) gives a raw name; each is resolved to a place
(:mod:`kb.ingest.metadata.resolve`) and the place most evidence names wins, written as the
strongest reading writes it.
"""

from __future__ import annotations

import re

from kb.ingest import evidence as ev
from kb.ingest import furniture
from kb.ingest.evidence import NATIONAL
from kb.ingest.metadata.readings import GOOD, GUESS, STRONG, WEAK, Decision, Reading, Sources, weigh
from kb.ingest.metadata.resolve import BARE_LEVELS, Agency, bare_level, expand, resolve_agency

Raw = tuple[str, str, float]  # (raw agency, where, weight)
SIGNATURE = "the signature"  # good evidence beside others, never alone (readings.Reading.alone)


def agency_readings(s: Sources, genre: str) -> list[Raw]:
    """(raw agency, where, weight) of every piece of evidence that names one."""
    r = s.repaired
    out = [(ev.title_agency(text), where, w) for text, where, w in s.titles()]
    if genre == "work":
        out += _speech_readings(s)
    out += [(ev.opening_subject(r), "the opening sentence", GOOD),
            (r.signature[-1] if r.signature else "", SIGNATURE, GOOD),
            (r.letterhead[0] if r.letterhead else "", "the letterhead", WEAK),
            (furniture.source_agency([*r.furniture, s.file_meta.get("site", "")]), "the site's 来源 line or name", WEAK)]
    out = [(raw, where, w) for raw, where, w in out if _names_agency(raw)]
    if genre == "work":  # 合肥市2025年政府工作报告: the place's government (a 地区's or 盟's: its 行政公署)
        out = [(raw if re.search(ev.ORG_END + "$", raw) or raw == NATIONAL else raw + _government(raw), where, w)
               for raw, where, w in out]
    return out


def _government(place: str) -> str:
    """What the government of a place is called: 行政公署 of a 地区 or 盟 (铜仁地区行政公署), else 人民政府."""
    return "行政公署" if place.endswith(("地区", "盟")) else "人民政府"


def _speech_readings(s: Sources) -> list[Raw]:
    """What a work report (a speech) says of who gives it: its speaker line, its byline, where it
    was given, 我代表…人民政府 in its opening."""
    r = s.repaired
    lead = [s.repaired.title, s.file_meta.get("title", ""), *(b.text[:100] for b in r.blocks[:2])]
    return [(ev.speaker_agency(r.byline) or ev.speaker_agency(r.letterhead), "the speaker line", STRONG),
            (ev.delivered_place(r.byline), "the byline", STRONG),
            (ev.delivered_place(lead), "where it was given", GOOD), (ev.on_behalf(r), "the opening sentence", GOOD)]


def _names_agency(raw: str) -> bool:
    """True for a raw reading that names an agency: not a party organ, a report or a phrase."""
    return bool(raw and not ev.PARTY.match(raw) and "报告" not in raw
                and len(raw) <= 30 and not re.search(r"[，,。；;：:、！!？?“”]|^(?:我|现在|今年|过去)", raw)
                and re.sub(rf"(?:人民|本届)?{ev.ORG_END}$", "", raw))  # 我代表政府: no agency named


def _placed_readings(s: Sources, genre: str) -> list[tuple[Agency, Reading]]:
    """Each reading resolved to a place; a bare level (区人民政府) takes the place of a named
    reading of its level (坪山区 in the file name), else the place the text names (counted
    only then: tagging the text's words is the slow part)."""
    named: list[tuple[Agency, Reading]] = []
    bare: list[tuple[str, str, Reading]] = []
    for raw, where, w in agency_readings(s, genre):
        if bare_level(raw):
            bare.append((raw, bare_level(raw), Reading(raw, f"{raw} in {where}", w, where != SIGNATURE)))
        else:
            named.append(_named(s, raw, where, w))
    out = list(named)
    for raw, level, reading in bare:
        a = _same_level(named, raw, level) or resolve_agency(raw, s.context)
        out.append((a, Reading(a.name, reading.evidence, reading.weight, reading.alone)))
    if genre == "work" and not any(a.placed for a, _ in out):
        out += _most_named(s)
    return out


def _named(s: Sources, raw: str, where: str, w: float) -> tuple[Agency, Reading]:
    """A reading that names its place, resolved."""
    a = resolve_agency(raw, s.context)
    if a.division is not None and a.name.endswith(a.division.name):  # 深圳市龙华区: its government
        a = resolve_agency(raw + "人民政府", s.context)
    w = w if a.placed else w / 2  # a name with no place in it is weaker evidence
    return a, Reading(a.name, where if raw == a.name else f"{raw} in {where}", w, where != SIGNATURE)


def _same_level(named: list[tuple[Agency, Reading]], raw: str, level: str) -> Agency | None:
    """The named reading a bare level (区人民政府) stands for: in a place of that level, with the
    same name after it; else one whose place the gazetteer does not know but whose name ends so
    (莱芜市人民政府 in a year it knows no 莱芜市): the bare level stands for that place, unplaced and
    unsure, never for a neighbour the text names."""
    rest = expand(re.sub(r"\s+", "", raw))[len(level):]
    placed = next((a for a, _ in named if a.division and a.division.type in BARE_LEVELS[level]
                   and a.name.endswith(rest)), None)
    return placed or next((a for a, _ in named if not a.placed and a.name.endswith(rest)
                           and a.name[: len(a.name) - len(rest)].endswith(level)), None)


def _most_named(s: Sources) -> list[tuple[Agency, Reading]]:
    """The government of the province or city the text names most, as a guess."""
    most = s.context.most_named(("省", "自治区", "直辖市", "地级市", "自治州", "地区", "盟"))
    if not most:
        return []
    # a work report names its province or city more than any other
    a = resolve_agency(most.name + "人民政府", s.context)
    return [(a, Reading(a.name, "the place the text names most", GUESS))]


def decide_agency(s: Sources, genre: str) -> tuple[Decision, Agency | None]:
    """The agency: given, else the place most evidence names (with its name as the strongest
    reading writes it)."""
    given = s.given.get("agency") or s.file_meta.get("agency")
    if given:
        place = resolve_agency(given, s.context)
        return Decision(place.name, "given" if s.given.get("agency") else "the file"), place
    placed = _placed_readings(s, genre)
    if not placed:
        return Decision(None, certain=False, doubt="not found"), None
    by_reading = {id(r): a for a, r in placed}
    best, _, doubt = weigh([r for _, r in placed], key=lambda r: by_reading[id(r)].key())
    a = by_reading[id(best[0])]
    doubt = doubt or a.doubt
    return Decision(a.name, best[0].evidence, not doubt, doubt, [r for _, r in placed]), a

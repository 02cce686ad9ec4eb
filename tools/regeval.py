"""Evaluate regulation mentions: ``python -m tools.evaluate regulations`` reads the judged
paragraphs of ``tests/data/regulation_mentions.toml`` (real reports in the tarball, the
seeds in ``../shared/seeds``), finds their mentions with :func:`kb.enrich.regulations.mentions`
and prints, per law and in all, the recall (of the paragraphs that name it, the share whose
mentions include it), the precision (of the judged paragraphs where a mention of it is found,
the share that name it) and the ambiguous ones marked as such. A tool beside the product.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from kb.core import corpus
from kb.core.errors import KbError
from kb.core.model import Report
from kb.enrich import paragraphs as enrich_paragraphs
from kb.enrich import regulations
from kb.ingest.repair import repair
from tools import realreports

SEEDS = "seeds/"  # a seed is named "seeds/<file in ../shared/seeds>#<hash>"


@dataclass
class LawScore:
    name: str
    named: int = 0  # paragraphs that name it (mentions and ambiguous)
    found: int = 0  # of those, the paragraphs where a mention of it is found
    false: int = 0  # near-misses where a mention of it is found
    ambiguous: int = 0  # ambiguous paragraphs
    marked: int = 0  # of those, found and marked ambiguous
    missed: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)


def load(path: Path) -> dict:
    try:
        return tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise KbError(f"无法读取判定文件 {path} ({e})") from None


def texts(data: dict, tarball: Path, seeds: Path) -> dict[str, str]:
    """``<file>#<hash>`` -> paragraph text, for every paragraph of the judged files and seeds."""
    out: dict[str, str] = {}
    for name, _, paragraphs in realreports.read(tarball, set(data.get("files", ()))):
        for p in paragraphs:
            out.setdefault(f"{name}#{realreports.text_hash(p.text)}", p.text)
    wanted = {n.split("#")[0].removeprefix(SEEDS) for law in data["law"]
              for k in ("mentions", "ambiguous", "not") for n in law.get(k, ()) if n.startswith(SEEDS)}
    for name in sorted(wanted):
        raw = (seeds / name).read_text(encoding="utf-8")
        report = Report(id="x", title="", agency="", year=0, body=corpus.blocks_to_markdown(repair(raw).blocks))
        for p in enrich_paragraphs.split_report(report):
            out.setdefault(f"{SEEDS}{name}#{realreports.text_hash(p.text)}", p.text)
    return out


NATIONAL = "政府工作报告-国务院/"  # the State Council's reports: national (the level the import gives them)


def _found(name: str, text: str, key: str) -> list[regulations.Mention]:
    return [m for m in regulations.mentions(text, name.startswith(NATIONAL)) if regulations.key(m.name) == key]


def score(data: dict, paragraphs: dict[str, str]) -> tuple[list[LawScore], list[str]]:
    """The score of every judged law; the judged paragraphs not found (their text changed?)."""
    missing: list[str] = []
    out = []
    for law in data["law"]:
        s = LawScore(law["name"])
        key = regulations.key(regulations.canonical(law["name"])[0])  # aliases name the same
        for kind in ("mentions", "ambiguous", "not"):
            for name in law.get(kind, ()):
                if name not in paragraphs:
                    missing.append(name)
                    continue
                found = _found(name, paragraphs[name], key)
                if kind == "not":
                    s.false += bool(found)
                    if found:
                        s.wrong.append(name)
                    continue
                s.named += 1
                s.found += bool(found)
                if not found:
                    s.missed.append(name)
                if kind == "ambiguous":
                    s.ambiguous += 1
                    s.marked += any(m.ambiguous for m in found)
        out.append(s)
    return out, missing


def totals(scores: list[LawScore]) -> dict[str, float]:
    named, found, false = (sum(getattr(s, a) for s in scores) for a in ("named", "found", "false"))
    amb, marked = sum(s.ambiguous for s in scores), sum(s.marked for s in scores)
    return {"laws": len(scores), "named": named, "found": found, "false": false,
            "recall": found / named if named else 1.0,
            "precision": found / (found + false) if found + false else 1.0,
            "ambiguous": amb, "ambiguous_marked": marked}


def report(scores: list[LawScore], missing: list[str], verbose: bool) -> None:
    """Print the scores: the laws with a miss or a false mention, then the totals."""
    print(f"{'law':<36} named found false")
    for s in scores:
        if verbose or s.missed or s.false:
            print(f"{s.name:<30} {s.named:5d} {s.found:5d} {s.false:5d}")
            for n in s.missed:
                print(f"    missed {n}")
            for n in s.wrong:
                print(f"    wrong  {n}")
    t = totals(scores)
    print(f"{t['laws']} laws, {t['named']} paragraphs that name one: recall {t['recall']:.3f} "
          f"({t['found']}), precision {t['precision']:.3f} ({t['false']} near-misses counted); "
          f"ambiguous marked {t['ambiguous_marked']} of {t['ambiguous']}")
    if missing:
        print(f"{len(missing)} judged paragraphs not found (their text changed?): {missing[:3]}")

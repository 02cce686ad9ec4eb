"""Concepts: measures and what they are also called or consist of (query expansion).

Regulations named in ``kb/data/regulations.toml`` expand to their other names too:
卫健法 also finds 基本医疗卫生与健康促进法.

``kb/data/concepts.toml`` says, for instance, that 行政执法三项制度 is also described as
行政执法公示 + 执法全过程记录 + 重大执法决定法制审核, and that 放管服 also stands for
简政放权 / 放管结合 / 优化服务. :mod:`kb.engines.query` expands an unquoted word equal to a
concept's name or alias; the results say which expansion matched.

A user's own concepts file (``concepts.toml`` in the working folder by default,
:attr:`kb.core.settings.Settings.concepts_file`, ``$KB_CONCEPTS``; :func:`use_user`) adds entries of
the same form, read at query time as the shipped ones (no rebuild), an entry of the same name
adding to the shipped one; :func:`accept` writes an entry into it (``kb concepts accept``).
"""

from __future__ import annotations

import json
import os
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kb.core.errors import BadRequest
from kb.enrich import regulations
from kb.text import textnorm

CONCEPTS = Path(__file__).parents[1] / "data" / "concepts.toml"


@dataclass(frozen=True)
class Expansion:
    """One way a concept is also written: all of ``parts`` must be in the paragraph."""

    label: str  # as shown: "简政放权" or "行政执法公示 执法全过程记录 重大执法决定法制审核"
    parts: tuple[str, ...]


@dataclass(frozen=True)
class Concept:
    name: str
    aliases: tuple[str, ...]
    also: tuple[Expansion, ...]


def _key(text: str) -> str:
    """The unit keys of a name, a break (clause punctuation) kept as ``|``: 执法，监督 is not 执法监督."""
    return "|".join("".join(run) for run in textnorm.unit_keys(textnorm.to_simplified(text)))


_user: list[Path | None] = [None]


def use_user(path: Path | None) -> None:
    """Read the user's concepts file ``path`` too from now on (None: the shipped file alone)."""
    _user[0] = Path(path) if path is not None else None


def user_stamp() -> tuple[str, int] | None:
    """The user's file and its modification time (None: no such file): what is remembered of
    the concepts is remembered with it, so that a change is read at once."""
    return _user_stamp()


def _user_stamp() -> tuple[str, int] | None:
    """The user's file and its modification time (None: no such file): a change is read at once."""
    path = _user[0]
    try:
        return (str(path), path.stat().st_mtime_ns) if path is not None else None
    except OSError:
        return None


def load(path: Path = CONCEPTS) -> dict[str, Concept]:
    """Concepts by the unit key of their name and of each alias (the shipped file's, then the
    user's: :func:`use_user`)."""
    return _load(Path(path), _user_stamp())


def _entries(path: Path) -> list[dict]:
    return tomllib.loads(Path(path).read_text(encoding="utf-8")).get("concept", [])


@lru_cache(maxsize=4)
def _load(path: Path, user: tuple[str, int] | None) -> dict[str, Concept]:
    out: dict[str, Concept] = {}
    entries = _entries(path)
    if user is not None:
        try:
            entries = entries + _entries(Path(user[0]))
        except (OSError, tomllib.TOMLDecodeError, AttributeError, TypeError):
            pass  # a user's file that does not read adds nothing (kb concepts accept says why)
    for c in entries:
        have = out.get(_key(c["name"]))
        concept = Concept(
            c["name"],
            tuple(c.get("aliases", ())),
            tuple(Expansion(a, tuple(a.split())) for a in c.get("also", ())),
        )
        if have is not None:  # the user's entry adds to the shipped one of the same name
            concept = Concept(have.name, tuple(dict.fromkeys(have.aliases + concept.aliases)),
                              tuple(dict.fromkeys(have.also + concept.also)))
        for name in (concept.name, *concept.aliases):
            out[_key(name)] = concept
    return out


def expansions(term_text: str) -> tuple[Expansion, ...]:
    """The expansions of a query word (none if it names no concept or regulation). The
    word's own spelling is left out: it is matched directly. Remembered: a search asks
    for them again for every hit it shows (the data files are read once a process, the
    user's again when it changes)."""
    return _expansions(term_text, _user_stamp())


@lru_cache(maxsize=4096)
def _expansions(term_text: str, user: tuple[str, int] | None) -> tuple[Expansion, ...]:
    own = _key(term_text)
    concept = load().get(own)
    if concept is None:
        names = regulations.aliases_of(textnorm.to_simplified(term_text))
        return tuple(Expansion(n, (n,)) for n in names if _key(n) != own and own not in _key(n))
    names = [Expansion(n, (n,)) for n in (concept.name, *concept.aliases) if _key(n) != own]
    seen, out = set(), []
    for e in names + list(concept.also):
        k = tuple(_key(p) for p in e.parts)
        if k not in seen and k != (own,) and not all(own in _key(p) for p in e.parts):  # a superstring adds nothing
            seen.add(k)
            out.append(e)
    return tuple(out)


@lru_cache(maxsize=4)
def phrases(path: Path = CONCEPTS) -> tuple[str, ...]:
    """Every text a query may name a concept or regulation by or be expanded to: each
    concept's name, aliases and parts of what it is also written as, each regulation's
    names. The index finds their paragraphs once, when it writes a segment
    (:mod:`kb.engines.embedded.writer`'s phrase table): a measure's expansions cost a lookup per search."""
    out = set()
    for c in _load(Path(path), None).values():  # the shipped concepts (a user's are matched as any term)
        out |= {c.name, *c.aliases, *(part for e in c.also for part in e.parts)}
    for entry in regulations.table().values():
        out |= {entry.name, *entry.aliases}
    return tuple(sorted(out))


def accept(path: Path, name: str, also: list[str], aliases: list[str] = ()) -> dict:
    """Add an entry to the user's concepts file ``path`` (made when missing): ``name`` is also
    written as each of ``also`` (the parts of one separated by spaces must all stand in the
    paragraph) and called each of ``aliases``; an entry of that name already there gains them.
    Returns the entry as written. A name or wording with no character to search for, or a file
    that is not a concepts file, is a BadRequest."""
    name = name.strip()
    also = [a.strip() for a in also if a.strip()]
    aliases = [a.strip() for a in aliases if a.strip()]
    if not textnorm.unit_keys(name) or not (also or aliases):
        raise BadRequest("一个概念需要名称和至少一种写法 (give a name and at least one --also or --alias)")
    path = Path(path)
    try:
        entries = _entries(path) if path.exists() else []
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise BadRequest(f"概念文件无法读取 (cannot read the concepts file {path}: {e})") from e
    entry = next((c for c in entries if _key(c["name"]) == _key(name)), None)
    if entry is None:
        entry = {"name": name}
        entries.append(entry)
    entry["aliases"] = list(dict.fromkeys([*entry.get("aliases", []), *aliases]))
    entry["also"] = list(dict.fromkeys([*entry.get("also", []), *also]))
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(_toml(entries), encoding="utf-8")
    os.replace(tmp, path)
    return entry


def _toml(entries: list[dict]) -> str:
    """Entries as concepts.toml writes them (strings as JSON strings are valid TOML strings)."""
    out = ["# Your own concepts (kb concepts accept writes here; edit freely): read at query time, no rebuild.", ""]
    for c in entries:
        out += ["[[concept]]", f"name = {json.dumps(c['name'], ensure_ascii=False)}",
                f"aliases = {json.dumps(c.get('aliases', []), ensure_ascii=False)}",
                f"also = {json.dumps(c.get('also', []), ensure_ascii=False)}", ""]
    return "\n".join(out)

"""Draw paragraphs of the real reports at random, with a fixed seed, for labelling their figures:
``python -m tools.figsample`` (a tool beside the product, not installed: run it from the project root).

The draw: the report files of the tarball (``../shared/data/gov-work-reports.tar.xz``) in an
order shuffled by ``--seed``, one paragraph of each, until ``--paragraphs`` are drawn. A
paragraph is drawn among those of its report that hold a number with a unit and are at most
``--max-chars`` long: with probability ``--signal-share`` among those that name a signal of an
indicator (``kb/data/indicators.toml``; those are where the figure table's values come from),
else among the others (what the table should leave alone), both at random. Files already
labelled (``--exclude``) are skipped, so a second draw after tuning is fresh.

It prints a draft in the format of ``tests/data/figure_labels.toml``: each paragraph's file and
text hash, and a line per number the extractor reads, to be corrected by reading. The text
is printed too, in comment lines beginning ``# |``, for the reader: ``--strip FILE`` prints a
labelled draft without them, as it may be committed (no report text goes into the project).
"""

from __future__ import annotations

import random
import sys
import tomllib
from pathlib import Path

from kb.core.errors import KbError
from kb.figures import extract
from tools import realreports, shell
from tools.figeval import LABEL_HASH

TEXT_MARK = "# |"


def _members(tarball: Path) -> list[str]:
    with realreports.open_archive(tarball) as archive:
        return sorted(m.name.removeprefix("./") for m in archive if m.name.endswith(".md"))


def _labelled_files(paths: list[str]) -> set[str]:
    out = set()
    for p in paths:
        try:
            data = tomllib.loads(Path(p).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as e:
            raise KbError(f"无法读取标注 {p} ({e})") from None
        out |= {r["file"] for r in data.get("real", ())}
    return out


def draw(tarball: Path, n: int, seed: int, max_chars: int, signal_share: float,
         exclude: set[str]) -> list[tuple[str, str]]:
    """(file, paragraph text) of ``n`` paragraphs drawn as the module docstring says."""
    rng = random.Random(seed)
    files = [f for f in _members(tarball) if f not in exclude]
    rng.shuffle(files)
    wanted = files[:n * 2]  # some files have no paragraph that fits
    choice = {f: (rng.random() < signal_share, rng.random()) for f in wanted}
    signal = extract.load().any_signal
    picked: dict[str, str] = {}
    for name, _, paragraphs in realreports.read(tarball, set(wanted)):
        with_signal, at = choice[name]
        fits = [p.text for p in paragraphs if len(p.text) <= max_chars and extract.numbers(p.text)]
        pool = [t for t in fits if bool(signal.search(t)) == with_signal]
        if pool:
            picked[name] = pool[int(at * len(pool))]
    return [(f, picked[f]) for f in wanted if f in picked][:n]


def draft(items: list[tuple[str, str]], seed: int) -> str:
    """The draft labels of the drawn paragraphs, their text in ``# |`` comments."""
    out = [f"# drawn by python -m tools.figsample --seed {seed}: correct every line by reading the text"]
    for name, text in items:
        out += ["", "[[real]]", f'file = "{name}"', f'hash = "{realreports.text_hash(text, LABEL_HASH)}"']
        out += [f"{TEXT_MARK} {line}" for line in text.splitlines()]
        lines = [_draft_line(f) for f in extract.extract(text)]
        out.append("figures = [" + ",\n           ".join(f'"{s}"' for s in lines) + "]")
    return "\n".join(out) + "\n"


def _draft_line(f: extract.Figure) -> str:
    ind = (f.indicator + ("" if f.sure else "?")) if f.indicator and not f.change else "-"
    return f"{f.value}{f.unit} = {f.amount}{f.normalized_unit} : {ind}" + (f" / {f.scope}" if f.scope else "")


def strip(path: Path) -> str:
    """A labelled draft without the text lines."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return "\n".join(s for s in lines if not s.startswith(TEXT_MARK)) + "\n"


def cmd_figsample(args) -> int:
    if args.strip:
        sys.stdout.write(strip(Path(args.strip)))
        return 0
    tarball = shell.tarball(args.real)
    if tarball is None:
        raise KbError("figsample needs the real-report tarball (--real PATH)")
    items = draw(tarball, args.paragraphs, args.seed, args.max_chars, args.signal_share,
                 _labelled_files(args.exclude))
    sys.stdout.write(draft(items, args.seed))
    return 0


def parser():
    p = shell.parser(
        "python -m tools.figsample",
        "Draw real paragraphs at random (fixed seed) and print draft figure labels to correct by reading.",
        "examples:\n  python -m tools.figsample --seed 25 --paragraphs 130 > /tmp/draft.toml\n"
        "  python -m tools.figsample --strip /tmp/draft.toml > tests/data/figure_labels_random.toml")
    p.add_argument("--real", default=shell.REAL, help="the real-report tarball")
    p.add_argument("--seed", type=int, default=25, help="the seed of the draw")
    p.add_argument("--paragraphs", type=int, default=130, help="how many paragraphs to draw")
    p.add_argument("--max-chars", type=int, default=700, help="the longest paragraph drawn")
    p.add_argument("--signal-share", type=float, default=0.8,
                   help="the share of paragraphs drawn among those naming an indicator's signal")
    p.add_argument("--exclude", action="append", default=[], help="a labels file whose files are not drawn again")
    p.add_argument("--strip", help="print this labelled draft without its text lines, and do nothing else")
    p.set_defaults(func=cmd_figsample)
    return p


def main(argv: list[str] | None = None) -> int:
    return shell.run(parser(), argv)


if __name__ == "__main__":
    sys.exit(main())

"""Import real reports in the forms people download them in, and check every value against the truth.

    .venv/bin/python bench/import_forms.py [--reports N] [--seed N] [--show N] [--keep DIR]

Draws ``N`` work reports (default 240) from ``../shared/data/gov-work-reports.tar.xz`` (unpacked
to a temporary folder) and takes the five seeds (法治政府建设 reports); renders each with
``bench/render_forms.py`` into one of its forms (a site's HTML page, text copied off the page,
a PDF at one of several widths, DOCX with and without heading styles, a text file named only
by its title, the original file), the seeds into every form; imports each file with nothing
given, and prints

- metadata right: agency, year (reported on), region and level all as the truth says;
- refused: files ``kb import`` refused (every file made here names its agency and year in its
  file name, title or byline, so each refusal is a miss);
- wrong without ?: values that are wrong and not marked unsure (the worst outcome), beside the
  values wrong but marked ``?`` and those right but marked ``?`` (the reader checks them for nothing);
- furniture lines kept: site lines (分享, 来源：…, 扫一扫…, ICP备…) left in the report;
- content lines lost: paragraphs and headings of the report (and the content lines holding
  furniture words: 3D打印, 利益分享机制) missing from it (not the byline, speaker, date, ``---``
  and 来源 lines the data set leaves among its paragraphs: the import moves or drops those);
- PDF paragraphs whole: paragraphs of the PDFs that came out as one paragraph, neither cut
  nor run into the next;
- false headings: headings of the report that are not headings of the source (a speaker
  line, a half-line of a PDF, a glossary entry, a site's line);
- manifest: many files named ``<year>.md`` in different folders, with a manifest by path
  relative to it and one by absolute path (all metadata as the manifest says), and a manifest
  by base name only (must be refused, nothing written).

Exit status 1 if a target is missed (metadata right >= 98%, no refusal, 0 wrong without ?,
0 furniture lines kept, >= 95% of PDF paragraphs whole).
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import render_forms  # noqa: E402
from kb.core.errors import KbError  # noqa: E402
from kb.ingest import importer  # noqa: E402

TARBALL = ROOT.parent / "shared" / "data" / "gov-work-reports.tar.xz"
FIELDS = ("agency", "year", "region", "level")


def norm(text: str) -> str:
    """Text for comparing: no spaces, no Markdown marks."""
    text = re.sub(r"(?m)^#+\s*|^\\|\*\*", "", text)
    return re.sub(r"[\s\u3000\xa0·]+", "", text).rstrip("。:：")  # the PDFs' font has no ·


def out_blocks(body: str) -> list[tuple[str, str]]:
    return [("heading" if b.startswith("#") else "para", norm(b)) for b in re.split(r"\n\s*\n", body.strip()) if b.strip()]


class Tally:
    """The counts of one group of files (all, or one form)."""

    def __init__(self) -> None:
        self.c: Counter = Counter()
        self.misses: list[str] = []

    def add_import(self, r: render_forms.Rendered, report, unsure: set, how: dict) -> None:
        s = r.source
        truth = {"agency": s.agency, "year": s.year, "region": s.region, "level": s.level}
        got = {k: getattr(report, k) for k in FIELDS}
        self.c["files"] += 1
        wrong = [k for k in FIELDS if str(got[k]) != str(truth[k])]
        self.c["right"] += not wrong
        self.c["right with ?"] += sum(1 for k in FIELDS if k not in wrong and k in unsure)
        for k in wrong:
            self.c[f"wrong {k}"] += 1
            flagged = k in unsure
            self.c["wrong with ?" if flagged else "wrong without ?"] += 1
            self.misses.append(f"{'?' if flagged else '!'} {r.form:16} {s.key}: {k} {got[k]!r} != {truth[k]!r}"
                               f" ({how.get(k, '')}) [{r.path.name}]")
        self._text(r, report)

    def _text(self, r: render_forms.Rendered, report) -> None:
        s = r.source
        body = "".join(t for _, t in out_blocks(report.body))
        whole = norm(report.title) + body
        source_all = "".join(norm(t) for _, t in s.blocks)
        whole = re.sub(r"\s+", "", report.title + report.body)
        source_all += "".join(norm(t) for t in r.content)
        for f in r.furniture:
            probe = re.sub(r"\s+", "", f)
            if probe and probe in whole and probe not in source_all:
                self.c["furniture kept"] += 1
                self.misses.append(f"F {r.form:16} {s.key}: kept {f!r} [{r.path.name}]")
        self.c["furniture lines"] += len(r.furniture)
        wanted = [t for _, t in s.blocks if not render_forms.front_matter_line(t)] + r.content
        for t in wanted:
            self.c["content lines"] += 1
            if norm(t) not in body:
                self.c["content lost"] += 1
                self.misses.append(f"L {r.form:16} {s.key}: lost {t[:40]!r} [{r.path.name}]")
        blocks = out_blocks(report.body)
        heads = {norm(t) for k, t in s.blocks if k == "heading"}
        for k, t in blocks:
            if k == "heading" and t not in heads:
                self.c["false headings"] += 1
                self.misses.append(f"H {r.form:16} {s.key}: heading {t[:40]!r} [{r.path.name}]")
        if r.form == "pdf":
            have = {t for k, t in blocks if k == "para"}
            for k, t in [*s.blocks, *(("para", x) for x in r.content)]:
                if k == "para":
                    self.c["pdf paragraphs"] += 1
                    self.c["pdf whole"] += norm(t) in have
                    if norm(t) not in have:
                        self.misses.append(f"W {r.form:16} {s.key}: not whole {t[:50]!r} [{r.path.name}]")

    def refuse(self, r: render_forms.Rendered, message: str) -> None:
        self.c["files"] += 1
        self.c["refused"] += 1
        self.misses.append(f"R {r.form:16} {r.source.key}: {message}")


def pct(a: int, b: int) -> str:
    return f"{a}/{b} = {a / b:.2%}" if b else "0/0"


def report_tally(name: str, t: Tally) -> None:
    c = t.c
    print(f"{name:14} files {c['files']:4}  right {pct(c['right'], c['files']):22} refused {c['refused']:3}  "
          f"wrong? {c['wrong with ?']:3}  wrong! {c['wrong without ?']:3}  furniture kept {c['furniture kept']:3}  "
          f"lost {c['content lost']:3}  false headings {c['false headings']:4}"
          + (f"  pdf whole {pct(c['pdf whole'], c['pdf paragraphs'])}" if c["pdf paragraphs"] else ""))


def run_forms(sources, seeds, folder: Path, rng: random.Random) -> list[render_forms.Rendered]:
    """Every data report in one form (in turn), every seed in every form."""
    made = []
    forms = render_forms.FORMS
    for n, s in enumerate(sources):
        made.append(render_forms.render(s, forms[n % len(forms)], folder / f"r{n:04d}", n, rng))
    for n, s in enumerate(seeds):
        for k, form in enumerate(forms):
            made.append(render_forms.render(s, form, folder / f"s{n}{k}", n + k, rng))
    return made


def import_all(made, folder: Path, show: int) -> dict[str, Tally]:
    tallies: dict[str, Tally] = defaultdict(Tally)
    for n, r in enumerate(made):
        try:
            done = importer.import_file(r.path, folder / "corpus" / str(n))
        except KbError as e:
            for key in ("all", r.form, r.source.genre):
                tallies[key].refuse(r, str(e))
            continue
        for key in ("all", r.form, r.source.genre):
            tallies[key].add_import(r, done.report, set(done.unsure), dict(done.how))
    return tallies


def manifest_check(sources, folder: Path) -> dict[str, str]:
    """Files all named <year>.md in folders of their own, imported with a manifest by relative
    path, by absolute path, and by base name (ambiguous: must be refused, nothing written)."""
    by_year: dict[int, list] = defaultdict(list)
    for s in sources:
        if s.genre == "work" and s.unit != "国务院":
            by_year[s.given].append(s)
    group = max(by_year.values(), key=len)[:30]
    batch = folder / "batch"
    for s in group:
        (batch / s.unit).mkdir(parents=True, exist_ok=True)
        (batch / s.unit / f"{s.given}.md").write_bytes(s.origin.read_bytes())
    kb = Path(sys.executable).parent / "kb"
    out = {}
    other = folder / "elsewhere"
    other.mkdir(exist_ok=True)
    for name, where, path_of in (
        ("relative", batch / "manifest.csv", lambda s: f"{s.unit}/{s.given}.md"),
        ("absolute", other / "m.csv", lambda s: str((batch / s.unit / f"{s.given}.md").resolve())),
        ("base name", other / "base.csv", lambda s: f"{s.given}.md"),
    ):
        with open(where, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(["file", *FIELDS])
            for s in group:
                w.writerow([path_of(s), s.agency, s.year, s.region, s.level])
        corpus_dir = folder / f"manifest-{name.replace(' ', '-')}"
        proc = subprocess.run([str(kb), "import", str(batch), "--manifest", str(where), "--corpus", str(corpus_dir),
                               "--no-build", "--quiet"], capture_output=True, text=True, cwd=folder)
        written = sorted(corpus_dir.glob("*.md")) if corpus_dir.is_dir() else []
        truth = {(s.agency, s.year, s.region, s.level) for s in group}
        got = set()
        for p in written:
            meta = p.read_text(encoding="utf-8").split("---\n")[1]
            m = dict(re.findall(r"^(\w+): '?(.*?)'?$", meta, re.M))
            got.add((m.get("agency"), int(m.get("year", 0)), m.get("region"), m.get("level")))
        right = len(got & truth)
        err = proc.stderr.strip().splitlines()[0][:100] if proc.returncode else ""
        out[name] = f"{len(group)} files -> {len(written)} written, {right} with the manifest's metadata" + \
            (f"; exit {proc.returncode}: {err}" if proc.returncode else "; exit 0")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tarball", type=Path, default=TARBALL)
    ap.add_argument("--reports", type=int, default=240, help="how many real work reports to render")
    ap.add_argument("--show", type=int, default=40, help="print up to N misses")
    ap.add_argument("--keep", type=Path, help="render the files into this folder and keep them")
    ap.add_argument("--seed", type=int, default=13, help="which reports are drawn and how they are rendered "
                                                         "(13: the set the import was tuned on; any other: fresh ones)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kb-forms-") as tmp:
        tmp = Path(tmp)
        with tarfile.open(args.tarball) as tar:
            tar.extractall(tmp / "raw", filter="data")
        rng = random.Random(args.seed)
        sources = render_forms.sample_data(tmp / "raw", args.reports, args.seed)
        seeds = render_forms.seed_sources()
        folder = args.keep or tmp / "made"
        made = run_forms(sources, seeds, folder, rng)
        tallies = import_all(made, tmp, args.show)
        print(f"{len(made)} files from {len(sources)} real work reports and {len(seeds)} seeds")
        for name in ("all", "work", "rule", *render_forms.FORMS):
            if name in tallies:
                report_tally(name, tallies[name])
        manifest = manifest_check(sources, tmp)
        for name, line in manifest.items():
            print(f"manifest by {name:9}: {line}")
        a = tallies["all"].c
        print()
        print(f"metadata right       {pct(a['right'], a['files'])}")
        print(f"refused              {a['refused']}")
        print(f"wrong without ?      {a['wrong without ?']} (wrong with ?: {a['wrong with ?']}; right but marked ?: "
              f"{a['right with ?']} values)")
        print(f"furniture lines kept {a['furniture kept']} of {a['furniture lines']}")
        print(f"content lines lost   {a['content lost']} of {a['content lines']}")
        print(f"PDF paragraphs whole {pct(a['pdf whole'], a['pdf paragraphs'])}")
        print(f"false headings       {a['false headings']}")
        for line in sorted(tallies["all"].misses, key=lambda m: "R!?FLWH".index(m[0]))[: args.show]:
            print("  " + line)
        ok = (a["right"] >= 0.98 * a["files"] and not a["refused"] and not a["wrong without ?"]
              and not a["furniture kept"] and a["pdf whole"] >= 0.95 * a["pdf paragraphs"])
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

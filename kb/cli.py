"""The ``kb`` command: import, build, check, search and serve the knowledge base.

Each command opens what it needs, calls one library function and turns a
:class:`~kb.core.errors.KbError` into ``Error: …`` and exit code 1. Progress bars are drawn
here only (tqdm), never by the library; ``--quiet`` turns them off.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import sys
from pathlib import Path

from kb import build as index
from kb.build import build
from kb.core import corpus, locks
from kb.core.errors import IndexMissing, KbError
from kb.core.settings import Limits, Settings
from kb.engines.protocol import SORTS
from kb.ingest import importer
from kb.knowledgebase import KnowledgeBase
from kb.search.facets import FACETS
from kb.search.request import SearchRequest

EPILOG_SEARCH = """\
examples:
  kb search 法律顾问
  kb search "双随机一公开 -处罚" --year 2023
  kb search 法律顾问 --agency 巨鹿县卫生健康局 --agency 黎平县卫生健康局 --json
  kb search 老旧小区改造 --explain             # why each hit matched and ranked where it did
  kb search 营商环境 优化 --match exact        # exact matches only
  kb search 法律顾问 --backend sphinx://127.0.0.1:9306    # on a search cluster
query language: words separated by spaces must all match; OR; -word excludes;
(…) groups; "…" is one phrase. A word matches wherever its characters stand
together, ignoring 、 · quotes and spaces inside it: the exact matches. Below them
come related ones: other names and parts of the measure (kb/data/concepts.toml), its
words near each other in any order, its words in the heading above; a very common
word (优化, 加强) adds to the score without vetoing. A quoted phrase is exact only."""


EPILOG_IMPORT = """\
examples:
  kb import report.pdf                             # metadata read from the text
  kb import report.docx --agency 巨鹿县卫生健康局 --year 2025
  kb import reports/ --manifest reports.csv --quiet
  kb import ../shared/seeds --manifest tests/data/seeds.csv
  kb import --dry-run downloads/                   # what would be decided, ? and why; nothing written
manifest (CSV, UTF-8; file: the path relative to the manifest, or absolute):
  file,agency,year,region,level
  003.txt,巨鹿县卫生健康局,2025,河北省邢台市巨鹿县,县
  湖州市/2024.md,湖州市人民政府,2023,浙江省湖州市,市"""

EPILOG_BUILD = """\
examples:
  kb build                 # only what changed since the last build
  kb build --full          # everything again
  kb build --corpus corpus --index index --quiet
  kb build --backend sphinx://127.0.0.1:9306   # push to a search cluster (kb cluster start)"""


def _settings(args) -> Settings:
    """The settings of a command: its --corpus and --index, else the environment's, else the defaults."""
    return Settings.from_env(corpus_dir=args.corpus, index_dir=args.index, backend=getattr(args, "backend", None))


def _dirs(args) -> tuple[Path, Path]:
    settings = _settings(args)
    return settings.corpus_dir, settings.index_dir


def _site():
    """The site (:mod:`web.site`), imported here only: by serve, and by search, compare and
    figures for the links they print. The rest of kb never imports web."""
    from web import site

    return site


def _progress(label: str, quiet: bool, unit: str = " reports"):
    """(callback, write, close): a progress callback drawing a tqdm bar on stderr (none
    when quiet or not on a terminal), a print that does not tear the bar, and its close."""
    if quiet:
        return None, print, lambda: None
    from tqdm import tqdm

    bar = tqdm(desc=label, unit=unit, file=sys.stderr, leave=False, disable=None, dynamic_ncols=True)

    def update(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    def write(text: str = "", file=None) -> None:
        if bar.disable:
            print(text, file=file or sys.stdout, flush=True)
        else:
            tqdm.write(text, file=file or sys.stdout)

    return update, write, bar.close


def cmd_build(args) -> int:
    corpus_dir, index_dir = _dirs(args)
    if not corpus_dir.is_dir():
        raise KbError(f"语料目录不存在 (no corpus folder {corpus_dir}); give --corpus")
    for path in corpus.misnamed(corpus_dir):
        print(f"Warning: {path.name} skipped: its name is not a report id (letters, digits, - and _ only; "
              f"kb import gives one)", file=sys.stderr)
    if _settings(args).backend:
        return _push(args, corpus_dir, _settings(args).backend)
    update, _, close = _progress("indexing", args.quiet)
    try:
        meta = build(corpus_dir, index_dir, progress=update, full=getattr(args, "full", False),
                     procs=_settings(args).build_procs)
    finally:
        close()
    if not args.quiet:
        if meta.get("unchanged"):
            print(f"index is up to date: {meta['reports']} reports, {meta['paragraphs']} paragraphs in {index_dir}")
        elif meta.get("incremental"):
            print(f"indexed {meta['reindexed']} of {meta['reports']} reports ({meta['added']} added, "
                  f"{meta['changed']} changed, {meta['removed']} removed): {meta['paragraphs']} paragraphs "
                  f"into {index_dir}")
        else:
            print(f"indexed {meta['reports']} reports, {meta['paragraphs']} paragraphs into {index_dir}")
    return 0


def _push(args, corpus_dir: Path, backend: str) -> int:
    """kb build --backend: bring the cluster's shards up to date with the corpus."""
    from kb.engines.sphinx import push as sphinxpush

    update, _, close = _progress("pushing", args.quiet)
    try:
        meta = sphinxpush.push(backend, corpus_dir, progress=update, full=getattr(args, "full", False))
    finally:
        close()
    if not args.quiet:
        if meta["unchanged"]:
            print(f"the cluster is up to date: {meta['reports']} reports, {meta['paragraphs']} paragraphs in {backend}")
        else:
            print(f"pushed {meta['reindexed']} of {meta['reports']} reports ({meta['added']} added, {meta['changed']} "
                  f"changed, {meta['removed']} removed): {meta['paragraphs']} paragraphs in {backend}")
    return 0


def cmd_import(args) -> int:
    corpus_dir, _ = _dirs(args)
    files = importer.expand(args.paths)
    if not files:
        raise KbError("没有找到可导入的文件 (no files to import); name files or folders "
                      f"of {' '.join(importer.SUPPORTED)} files")
    given = {k: getattr(args, k) for k in ("agency", "year", "region", "level", "title") if getattr(args, k)}
    rows: dict[Path, dict] = {}
    if args.manifest:
        rows, unused = importer.match_manifest(importer.read_manifest(Path(args.manifest)), files)
        for name in unused:
            print(_safe(f"Warning: the manifest's row {name} names none of the files imported"), file=sys.stderr)
    if args.dry_run:
        return _import_files(args, files, given, rows)
    corpus_dir.mkdir(parents=True, exist_ok=True)
    with locks.exclusive(corpus_dir):  # a second import or a build is refused until this one has built
        return _import_files(args, files, given, rows)


def _import_files(args, files: list[Path], given: dict, rows: dict[Path, dict]) -> int:
    corpus_dir, _ = _dirs(args)
    update, write, close = _progress("importing", args.quiet or len(files) < 2, unit=" files")

    def each(done: importer.Imported | None, path: Path, error: str) -> None:
        if done is None:
            write(_safe(f"Error: {error}"), file=sys.stderr)
        elif not args.quiet:
            write(_safe(_describe(done, corpus_dir)))

    try:
        batch = importer.import_files(files, corpus_dir, lambda p: given | rows.get(Path(p).resolve(), {}),
                                      progress=update, each=each, dry_run=args.dry_run)
    finally:
        close()
    if not args.quiet and batch.imported:
        counts = {s: sum(1 for d in batch.imported if d.status.removeprefix("would be ") == s)
                  for s in ("added", "updated", "unchanged")}
        unsure = sum(1 for d in batch.imported if d.unsure)
        print(f"{'would import' if args.dry_run else 'imported'} {len(batch.imported)} of {len(files)} files: "
              + ", ".join(f"{n} {s}" for s, n in counts.items())
              + (f"; {unsure} with metadata to check (marked ?)" if unsure else "")
              + ("; nothing written (--dry-run)" if args.dry_run else ""))
    if batch.imported and not args.no_build and not args.dry_run:
        cmd_build(args)
    if batch.failed:
        print(f"Error: {len(batch.failed)} of {len(files)} files were not imported", file=sys.stderr)
        return 1
    return 0


def _describe(done: importer.Imported, corpus_dir: Path) -> str:
    """What one import did and decided: the file, the report, what was inferred, and a
    ? before every value it is unsure of."""
    r = done.report
    what = done.status + (f", {done.encoding}" if done.encoding and done.encoding != "UTF-8" else "")
    lines = [f"{done.path} -> {done.written} ({what}): {r.agency} {r.year} 《{r.title}》"]
    for note in done.notes:
        field = note.split()[1] if note.startswith("inferred ") else ""
        how = done.how.get(field, "")
        mark = "? " if note.startswith("unsure") else "  "
        lines.append(f"  {mark}{note}" + (f"  <- {how}" if how and how != "made" and note.startswith("inferred") else ""))
    return "\n".join(lines)


def _request(args) -> SearchRequest:
    params = {"q": [" ".join(args.query)], "page": [str(args.page)], "size": [str(args.size)], "sort": [args.sort],
              "match": [getattr(args, "match", "all")], "explain": ["1" if getattr(args, "explain", False) else ""]}
    for name in FACETS:
        params[name] = getattr(args, name) or []
    return SearchRequest.from_args(params)


def _plain(excerpt_html: str) -> str:
    """An excerpt for the terminal: matches in **…**, entities decoded."""
    return _safe(html.unescape(re.sub(r"</?mark>", "**", excerpt_html)))


_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _safe(text: str) -> str:
    """Text from a report or a query, fit for a terminal: control characters (escape
    sequences that could move the cursor or retitle the window) shown as \\xNN."""
    return _CONTROLS.sub(lambda m: f"\\x{ord(m.group()):02x}", str(text))


def cmd_compare(args) -> int:
    result = _site().linked("compare", KnowledgeBase(settings=_settings(args)).compare(_request(args)))
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    print(f"{result['agencies']} 个单位 (agencies) · {result['total']} 段 · {result['took_ms']} ms")
    for g in result["groups"]:
        _print_hit(f"{g['agency']}", g["best"], f"  [{g['matches']} 段]")
    return 0


def _print_hit(label: str, hit: dict, after: str = "") -> None:
    """One hit for the terminal: who, when, where; the excerpt; the link."""
    print(_safe(f"\n{label} · {hit['year']} · {hit['section'] or '（正文）'}{after}"))
    print(f"   {_plain(hit['excerpt_html'])}")
    print(f"   {hit['url']}")


def cmd_search(args) -> int:
    result = _site().linked("search", KnowledgeBase(settings=_settings(args)).search(_request(args)))
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    related = f" · 相关 {result['related_total']} 段 (related)" if result["match"] == "all" else ""
    print(f"精确 {result['exact_total']} 段 (exact){related} · page {result['page']}/{result['pages']} · "
          f"{result['took_ms']} ms")
    if result["loose"]:
        print("（没有找到这些字连在一起的段落，以下为词语分开出现的结果 / words found apart）")
    for i, hit in enumerate(result["hits"], (result["page"] - 1) * result["size"] + 1):
        how = "" if hit["match"] == "exact" else "  [相关 related: " + "; ".join(hit["matched_by"]) + "]"
        _print_hit(f"{i}. {hit['agency']}", hit, how)
        if "explain" in hit:
            print("   " + _safe(_explained(hit["explain"])))
    return 0


def _explained(e: dict) -> str:
    """One hit's explanation on one line: tier, score, factor, each term's parts."""
    parts = "; ".join(f"{t['term']}: " + ", ".join(f"{k} {v:g}" for k, v in t["parts"].items()) for t in e.get("terms", []))
    return f"why: {e.get('match')} #{e.get('rank')} score {e.get('score')} (×{e.get('factor')} for its kind) · {parts}"


def cmd_check(args) -> int:
    settings = _settings(args)
    r = index.check(settings.index_dir, settings.corpus_dir)
    if not args.quiet:
        print(f"{settings.index_dir / r['generation']}: {r['paragraphs']} paragraphs, {r['files']} files, "
              f"{r['bytes'] / 2**20:,.1f} MB; every file as built (sha256), current for {settings.corpus_dir} "
              f"({r['seconds']:.1f} s)")
    return 0


def cmd_serve(args) -> int:
    settings = _settings(args)
    site = _site()
    try:
        if not settings.backend:  # a cluster is pushed to with kb build --backend, not here
            index.open_generation(settings.index_dir, settings.corpus_dir)
    except IndexMissing as e:
        print(f"{e.args[0].split(';')[0]} -> building the index first", file=sys.stderr)
        cmd_build(args)
    print(f"serving {settings.corpus_dir} on http://{args.host}:{args.port}/ (Ctrl+C to stop)", flush=True)
    site.serve(settings, args.host, args.port, args.threads)
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="kb",
        description="报告知识库: search Chinese government reports (法治政府建设年度报告) by paragraph.",
        epilog="example: kb build && kb search 法律顾问 && kb serve",
    )
    common, filters = _shared_options()
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_build(sub, common)
    _add_import(sub, common)
    _add_search(sub, common, filters)
    _add_figures(sub, common)
    _add_check(sub, common)
    _add_serve(sub, common)
    _cluster_parser(sub)
    return p


def _shared_options() -> tuple[argparse.ArgumentParser, argparse.ArgumentParser]:
    """(the options of every command, the query and filters of search and compare)."""
    common = common_options()
    filters = argparse.ArgumentParser(add_help=False)
    filters.add_argument("query", nargs="*", help="the query (search: empty lists every paragraph)")
    for name, facet in FACETS.items():
        filters.add_argument(f"--{name.replace('_', '-')}", dest=name, action="append", metavar="VALUE",
                             help=f"filter by {facet.label} (repeat for OR)")
    filters.add_argument("--json", action="store_true", help="print the JSON of the API")
    return common, filters


def common_options() -> argparse.ArgumentParser:
    """The options of every command (a parent parser): --corpus, --index, --quiet, --backend."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--corpus", help="folder of report files (default: ./corpus, or $KB_CORPUS)")
    common.add_argument("--index", help="folder of the index (default: ./index, or $KB_INDEX)")
    common.add_argument("-q", "--quiet", action="store_true", help="no progress bars or summaries")
    common.add_argument("--backend", metavar="sphinx://HOST:PORT",
                        help="search (build: push to) a Sphinx/Manticore cluster instead of --index "
                             "(default: the embedded index, or $KB_BACKEND); see kb cluster")
    return common


def _add_build(sub, common) -> None:
    b = sub.add_parser("build", parents=[common], help="index the corpus (incrementally)",
                       description="Bring the index up to date with the corpus folder: only reports added, "
                                   "changed or removed since the last build are indexed again, into a new "
                                   "index generation that is switched in atomically (searches never see a "
                                   "partial index; a killed build leaves the previous one serving).",
                       epilog=EPILOG_BUILD, formatter_class=argparse.RawDescriptionHelpFormatter)
    b.add_argument("--full", action="store_true", help="index every report again, not only the changed ones")
    b.set_defaults(func=cmd_build)


def _add_import(sub, common) -> None:
    i = sub.add_parser("import", parents=[common], help="import report files into the corpus",
                       description="Read report files (.txt .md .docx .pdf .html .htm; UTF-8, GB18030/GBK or "
                                   "UTF-16), repair their text, decide their metadata (given values first, then "
                                   "what the file and the text say: what was inferred is printed, ? marks what "
                                   "to check), write one corpus/<id>.md each, then update the index (--dry-run: only show what would be "
                                   "decided). A report "
                                   "imported again (the same text) is updated in place. A file that cannot be "
                                   "imported gets an Error: line, nothing is written for it, and kb exits 1.",
                       epilog=EPILOG_IMPORT, formatter_class=argparse.RawDescriptionHelpFormatter)
    i.add_argument("paths", nargs="+", metavar="PATH", help="files or folders (folders: every supported file inside)")
    i.add_argument("--agency", help="the agency (单位) that reports, e.g. 巨鹿县卫生健康局")
    i.add_argument("--year", type=int, help="the year reported on (a 2024 work report reviews 2023)")
    i.add_argument("--region", help="where the agency is, e.g. 河北省邢台市巨鹿县")
    i.add_argument("--level", help="省 / 市 / 县 / 区 …")
    i.add_argument("--title", help="the report's title")
    i.add_argument("--manifest", help="CSV (UTF-8) with a 'file' column (the file's path, relative to the "
                                      "manifest or absolute; a bare name only if one file has it) and any of "
                                      "agency, year, region, level, title, source: one row per file")
    i.add_argument("--no-build", action="store_true", help="do not update the index afterwards")
    i.add_argument("--dry-run", action="store_true", help="show what would be decided for each file (? and why), "
                                                          "write nothing")
    i.set_defaults(func=cmd_import, full=False)


def _add_search(sub, common, filters) -> None:
    s = sub.add_parser("search", parents=[common, filters], help="search paragraphs",
                       description="Full-text search with facet filters; --json prints what /api/search returns.",
                       epilog=EPILOG_SEARCH, formatter_class=argparse.RawDescriptionHelpFormatter)
    # checked by the library, with the same messages as the API
    s.add_argument("--page", default="1", help=f"page of hits (1–{Limits.page})")
    s.add_argument("--size", default="10", help=f"hits per page (1–{Limits.page_size})")
    s.add_argument("--sort", default="relevance", help=f"order: {', '.join(SORTS)}")
    s.add_argument("--match", default="all", help="all: exact matches, then related ones (default); exact: exact only")
    s.add_argument("--explain", action="store_true", help="say why each hit matched and ranked where it did")
    s.set_defaults(func=cmd_search)

    c = sub.add_parser("compare", parents=[common, filters], help="the best paragraph of each agency",
                       description="How does every agency describe it? One best paragraph per agency for the "
                                   "query; --json prints what /api/compare returns.",
                       epilog="example: kb compare 法律顾问 --year 2023")
    c.set_defaults(func=cmd_compare, page=1, size=10, sort="relevance")


def _add_check(sub, common) -> None:
    k = sub.add_parser("check", parents=[common], help="verify the index file by file",
                       description="Check the served index: built by this version for this corpus (every "
                                   "report file read), every index file there with the size and sha256 recorded "
                                   "when it was built. Opening an index to search checks only the sizes (and "
                                   "reads only report files whose size or time changed). Exit status 1 and "
                                   "Error: … run: kb build when a file is missing or damaged, or the corpus "
                                   "changed since.",
                       epilog="example: kb check --index index")
    k.set_defaults(func=cmd_check)


def _add_serve(sub, common) -> None:
    v = sub.add_parser("serve", parents=[common], help="serve the site and the JSON API",
                       description="Serve the web site and JSON API with waitress (builds the index first "
                                   "if it is missing or stale).",
                       epilog="example: kb serve --port 8000")
    v.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    v.add_argument("--port", type=int, default=5000)
    v.add_argument("--threads", type=int, default=8)
    v.set_defaults(func=cmd_serve)


def cmd_figures(args) -> int:
    from kb.figures import answers

    params = {name: getattr(args, name) or [] for name in ("agency", "year", "region", "level", "section_kind")}
    params = {k: v for k, v in params.items() if v} | {"size": [args.size]}
    answer = answers.figures(KnowledgeBase(settings=_settings(args)), params, args.indicator or "")
    answer = _site().linked("figures", answer)
    if args.json:
        print(json.dumps(answer, ensure_ascii=False, indent=1))
        return 0
    if not args.indicator:
        print(f"{answer['total']} 个数字 (figures), {answer['sure']} sure")
        for i in answer["indicators"]:
            print(f"{i['figures']:6d} {i['sure']:6d}  {i['indicator']}  ({'、'.join(i['units'])})")
        return 0
    print(f"{answer['indicator']}: {answer['total']} 个数字 (figures), {answer['sure']} sure"
          + (f", the first {len(answer['figures'])}" if len(answer["figures"]) < answer["total"] else ""))
    for f in answer["figures"]:
        mark = "" if f["sure"] else "?"
        scope = f" [{f['scope']}]" if f["scope"] else ""
        print(_safe(f"\n{f['agency']} · {f['year']} · {f['value']}{f['unit']}{mark}{scope} = {f['amount']} {f['normalized_unit']}"))
        print(_safe(f"   {f['sentence']}"))
        print(f"   {f['url']}")
    return 0


def _add_figures(sub, common) -> None:
    f = sub.add_parser("figures", parents=[common], help="the figures read from the reports",
                       description="Without an indicator: every indicator with the count of figures read "
                                   "for it. With one: its figures (agency, year, value, normalized amount, "
                                   "scope, sentence, link), '?' after a guess; --json prints what "
                                   "/api/figures returns.",
                       epilog="example: kb figures 行政处罚案件 --year 2024")
    f.add_argument("indicator", nargs="?", help="an indicator of kb/data/indicators.toml")
    for name in ("agency", "year", "region", "level", "section_kind"):
        f.add_argument(f"--{name.replace('_', '-')}", dest=name, action="append", metavar="VALUE",
                       help=f"filter by {name} (repeat for OR)")
    f.add_argument("--size", default="100", help="figures printed at most (1–1000)")
    f.add_argument("--json", action="store_true", help="print the JSON of /api/figures")
    f.set_defaults(func=cmd_figures)


EPILOG_CLUSTER = """\
examples:
  kb cluster start --shards 2 --dir /tmp/kb-cluster     # prints sphinx://127.0.0.1:PORT
  kb build --backend sphinx://127.0.0.1:PORT            # push the corpus to the shards
  kb cluster stop --dir /tmp/kb-cluster"""


def _cluster_parser(sub) -> None:
    c = sub.add_parser("cluster", help="start or stop a Sphinx cluster on this machine",
                       description="Start N searchd shards and a front searchd with distributed tables on "
                                   "127.0.0.1 (Debian: apt-get install sphinxsearch), for development and "
                                   "tests; the printed URL is what --backend takes. Stop them again.",
                       epilog=EPILOG_CLUSTER, formatter_class=argparse.RawDescriptionHelpFormatter)
    actions = c.add_subparsers(dest="action", required=True, metavar="ACTION")
    start = actions.add_parser("start", help="start the shards and the front; print the backend URL",
                               epilog="example: kb cluster start --shards 2 --dir /tmp/kb-cluster --port 9306")
    start.add_argument("--shards", type=int, default=2, help="number of shards (default 2)")
    start.add_argument("--mirrors", type=int, default=1, help="copies of each shard, read as agent mirrors "
                                                              "(default 1)")
    start.add_argument("--dir", required=True, help="folder for configs, tables, logs and pid files")
    start.add_argument("--port", type=int, help="the front's SphinxQL port (the shards take the ports after "
                                                "it); default: free ports")
    start.set_defaults(func=cmd_cluster_start)
    stop = actions.add_parser("stop", help="stop every searchd of the cluster",
                              epilog="example: kb cluster stop --dir /tmp/kb-cluster")
    stop.add_argument("--dir", required=True, help="the folder given to kb cluster start")
    stop.set_defaults(func=cmd_cluster_stop)
    schema = actions.add_parser("schema", help="print the CREATE TABLE statements of a Manticore cluster",
                                description="Print the SphinxQL that makes the same tables on a Manticore "
                                            "cluster in RT mode (from Manticore's manual; not run here).",
                                epilog="example: kb cluster schema --agent 10.0.0.1:9312|10.0.0.2:9312 "
                                       "--agent 10.0.0.3:9312")
    schema.add_argument("--agent", action="append", required=True, metavar="HOST:PORT[|HOST:PORT]",
                        help="one shard: its copies' host:port (binary protocol), mirrors joined by |")
    schema.set_defaults(func=cmd_cluster_schema)


def cmd_cluster_start(args) -> int:
    from kb.engines.sphinx import cluster

    print(cluster.start(Path(args.dir), args.shards, args.mirrors, args.port), flush=True)
    return 0


def cmd_cluster_schema(args) -> int:
    from kb.engines.sphinx import schema as sphinxschema

    print(sphinxschema.manticore_sql(args.agent), end="")
    return 0


def cmd_cluster_stop(args) -> int:
    from kb.engines.sphinx import cluster

    stopped = cluster.stop(Path(args.dir))
    print(f"stopped {len(stopped)} searchd: {' '.join(stopped)}" if stopped else "nothing was running")
    return 0


def main(argv: list[str] | None = None) -> int:
    return run(parser(), argv)


def run(p: argparse.ArgumentParser, argv: list[str] | None = None) -> int:
    """Parse ``argv`` with ``p`` and run the command it names (``func``): a KbError or an
    OSError becomes ``Error: …`` and exit code 1 (the tools/ scripts run the same way)."""
    args = p.parse_args(argv)
    try:
        return args.func(args)
    except KbError as e:
        print(f"Error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader (| head) went away: stop quietly (Python docs, "Note on SIGPIPE")
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except OSError as e:  # a folder that cannot be read or written, a full disk …
        print(f"Error: {e}", file=sys.stderr)
        return 1

if __name__ == "__main__":
    sys.exit(main())

"""The commands of ``kb``: each opens what it needs, calls one library function and prints
its answer (``--json``: the API's JSON). A :class:`~kb.core.errors.KbError` becomes
``Error: …`` and exit code 1 in :func:`kb.cli.run`; the options are in :mod:`kb.cli.parsers`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from kb.build import build
from kb.cli.terminal import plain, progress, safe
from kb.core import corpus, locks
from kb.core.errors import IndexMissing, KbError
from kb.core.settings import Settings
from kb.engines.embedded import generations
from kb.ingest import importer
from kb.knowledgebase import KnowledgeBase
from kb.search.facets import FACETS
from kb.search.request import SearchRequest


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


def cmd_build(args) -> int:
    corpus_dir, index_dir = _dirs(args)
    if not corpus_dir.is_dir():
        raise KbError(f"语料目录不存在 (no corpus folder {corpus_dir}); give --corpus")
    for path in corpus.misnamed(corpus_dir):
        print(f"Warning: {path.name} skipped: its name is not a report id (letters, digits, - and _ only; "
              f"kb import gives one)", file=sys.stderr)
    if _settings(args).backend:
        return _push(args, corpus_dir, _settings(args).backend)
    update, _, close = progress("indexing", args.quiet)
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
    from kb.engines.sphinx import push

    update, _, close = progress("pushing", args.quiet)
    try:
        meta = push.push(backend, corpus_dir, progress=update, full=getattr(args, "full", False))
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
            print(safe(f"Warning: the manifest's row {name} names none of the files imported"), file=sys.stderr)
    if args.dry_run:
        return _import_files(args, files, given, rows)
    corpus_dir.mkdir(parents=True, exist_ok=True)
    with locks.exclusive(corpus_dir):  # a second import or a build is refused until this one has built
        return _import_files(args, files, given, rows)


def _import_files(args, files: list[Path], given: dict, rows: dict[Path, dict]) -> int:
    corpus_dir, _ = _dirs(args)
    update, write, close = progress("importing", args.quiet or len(files) < 2, unit=" files")

    def each(done: importer.Imported | None, path: Path, error: str) -> None:
        if done is None:
            write(safe(f"Error: {error}"), file=sys.stderr)
        elif not args.quiet:
            write(safe(_describe(done, corpus_dir)))

    try:
        batch = importer.import_files(files, corpus_dir, lambda p: given | rows.get(Path(p).resolve(), {}),
                                      progress=update, each=each, dry_run=args.dry_run)
    finally:
        close()
    if not args.quiet and batch.imported:
        print(_imported(batch.imported, len(files), args.dry_run))
    if batch.imported and not args.no_build and not args.dry_run:
        cmd_build(args)
    if batch.failed:
        print(f"Error: {len(batch.failed)} of {len(files)} files were not imported", file=sys.stderr)
        return 1
    return 0


def _imported(imported: list[importer.Imported], n_files: int, dry_run: bool) -> str:
    """The summary line of an import: how many files added, updated, unchanged, unsure."""
    counts = {s: sum(1 for d in imported if d.status.removeprefix("would be ") == s)
              for s in ("added", "updated", "unchanged")}
    unsure = sum(1 for d in imported if d.unsure)
    return (f"{'would import' if dry_run else 'imported'} {len(imported)} of {n_files} files: "
            + ", ".join(f"{n} {s}" for s, n in counts.items())
            + (f"; {unsure} with metadata to check (marked ?)" if unsure else "")
            + ("; nothing written (--dry-run)" if dry_run else ""))


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
    print(safe(f"\n{label} · {hit['year']} · {hit['section'] or '（正文）'}{after}"))
    print(f"   {plain(hit['excerpt_html'])}")
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
            print("   " + safe(_explained(hit["explain"])))
    return 0


def _explained(e: dict) -> str:
    """One hit's explanation on one line: tier, score, factor, each term's parts."""
    parts = "; ".join(f"{t['term']}: " + ", ".join(f"{k} {v:g}" for k, v in t["parts"].items()) for t in e.get("terms", []))
    return f"why: {e.get('match')} #{e.get('rank')} score {e.get('score')} (×{e.get('factor')} for its kind) · {parts}"


def cmd_check(args) -> int:
    settings = _settings(args)
    r = generations.check(settings.index_dir, settings.corpus_dir)
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
            generations.open_generation(settings.index_dir, settings.corpus_dir)
    except IndexMissing as e:
        print(f"{e.args[0].split(';')[0]} -> building the index first", file=sys.stderr)
        cmd_build(args)
    print(f"serving {settings.corpus_dir} on http://{args.host}:{args.port}/ (Ctrl+C to stop)", flush=True)
    site.serve(settings, args.host, args.port, args.threads)
    return 0


def cmd_figures(args) -> int:
    params = {name: getattr(args, name) or [] for name in ("agency", "year", "region", "level", "section_kind")}
    params = {k: v for k, v in params.items() if v} | {"size": [args.size]}
    answer = KnowledgeBase(settings=_settings(args)).figures(params, args.indicator or "")
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
        print(safe(f"\n{f['agency']} · {f['year']} · {f['value']}{f['unit']}{mark}{scope} = {f['amount']} {f['normalized_unit']}"))
        print(safe(f"   {f['sentence']}"))
        print(f"   {f['url']}")
    return 0


def cmd_cluster_start(args) -> int:
    from kb.engines.sphinx import cluster

    print(cluster.start(Path(args.dir), args.shards, args.mirrors, args.port), flush=True)
    return 0


def cmd_cluster_schema(args) -> int:
    from kb.engines.sphinx import schema

    print(schema.manticore_sql(args.agent), end="")
    return 0


def cmd_cluster_stop(args) -> int:
    from kb.engines.sphinx import cluster

    stopped = cluster.stop(Path(args.dir))
    print(f"stopped {len(stopped)} searchd: {' '.join(stopped)}" if stopped else "nothing was running")
    return 0

"""The commands of ``kb``: each opens the knowledge base (:class:`kb.KnowledgeBase`), calls
one of its methods and prints its answer (``--json``: the API's JSON). The commands reach kb
through the names :mod:`kb` exports alone, and the site (:mod:`web.site`) only in the commands
that serve it or print its links. A :class:`kb.KbError` becomes ``Error: …`` and exit code 1
in :func:`kb.cli.run`; the options are in :mod:`kb.cli.parsers`.
"""

from __future__ import annotations

import errno
import json
import socket
import sys
from pathlib import Path

from kb import (
    FACETS,
    Imported,
    IndexMissing,
    KbError,
    KnowledgeBase,
    NotFound,
    SearchRequest,
    Settings,
    compare_by_year,
    guessed,
    read_short,
    year_said,
)
from kb.cli.terminal import lazy_progress, plain, progress, safe


def _settings(args) -> Settings:
    """The settings of a command: its --corpus and --index, else the environment's, else the defaults."""
    return Settings.from_env(corpus_dir=args.corpus, index_dir=args.index, backend=getattr(args, "backend", None),
                             concepts_file=getattr(args, "concepts", None))


def _kb(args) -> KnowledgeBase:
    """The knowledge base the command's options (:func:`_settings`) name."""
    return KnowledgeBase(settings=_settings(args))


def _site():
    """The site (:mod:`web.site`), imported here only: by serve, and by search, compare and
    figures for the links they print. The rest of kb never imports web."""
    from web import site

    return site


def cmd_build(args) -> int:
    knowledge = _kb(args)
    corpus_dir, index_dir, backend = knowledge.corpus_dir, knowledge.settings.index_dir, knowledge.settings.backend
    if not corpus_dir.is_dir():
        raise KbError(f"语料目录不存在 (no corpus folder {corpus_dir}); give --corpus")
    for path in knowledge.misnamed():
        print(f"Warning: {path.name} skipped: its name is not a report id (letters, digits, - and _ only; "
              f"kb import gives one)", file=sys.stderr)
    update, _, close = progress("pushing" if backend else "indexing", args.quiet)
    try:
        meta = knowledge.build(progress=update, full=getattr(args, "full", False))
    finally:
        close()
    if not args.quiet:
        print(_pushed(meta, backend) if backend else _built(meta, index_dir))
    return 0


def _built(meta: dict, index_dir: Path) -> str:
    """The summary line of a build: up to date, or how many reports were indexed (and why)."""
    if meta.get("unchanged"):
        return f"index is up to date: {meta['reports']} reports, {meta['paragraphs']} paragraphs in {index_dir}"
    if meta.get("incremental"):
        return (f"indexed {meta['reindexed']} of {meta['reports']} reports ({meta['added']} added, "
                f"{meta['changed']} changed, {meta['removed']} removed): {meta['paragraphs']} paragraphs "
                f"into {index_dir}")
    return f"indexed {meta['reports']} reports, {meta['paragraphs']} paragraphs into {index_dir}"


def _pushed(meta: dict, backend: str) -> str:
    """The summary line of kb build --backend: the cluster up to date, or how many reports were pushed."""
    if meta["unchanged"]:
        return f"the cluster is up to date: {meta['reports']} reports, {meta['paragraphs']} paragraphs in {backend}"
    return (f"pushed {meta['reindexed']} of {meta['reports']} reports ({meta['added']} added, {meta['changed']} "
            f"changed, {meta['removed']} removed): {meta['paragraphs']} paragraphs in {backend}")


def cmd_import(args) -> int:
    knowledge = _kb(args)
    files = knowledge.importable(args.paths)
    given = {k: getattr(args, k) for k in ("agency", "year", "region", "level", "title") if getattr(args, k)}
    rows: dict[Path, dict] = {}
    if args.manifest:
        rows, unused = knowledge.manifest_rows(Path(args.manifest), files)
        for name in unused:
            print(safe(f"Warning: the manifest's row {name} names none of the files imported"), file=sys.stderr)
    if args.dry_run:
        return _import_files(args, knowledge, files, given, rows)
    with knowledge.importing():  # a second import or a build is refused until this one has built
        return _import_files(args, knowledge, files, given, rows)


def _import_files(args, knowledge: KnowledgeBase, files: list[Path], given: dict, rows: dict[Path, dict]) -> int:
    update, write, close = progress("importing", args.quiet or len(files) < 2, unit=" files")
    pages, close_pages = lazy_progress("OCR 识别扫描页", args.quiet, unit=" pages")

    def each(done: Imported | None, path: Path, error: str) -> None:
        if done is None:
            write(safe(f"Error: {error}"), file=sys.stderr)
        elif not args.quiet:
            write(safe(_describe(done, knowledge.corpus_dir)))

    try:
        batch = knowledge.import_files(files, lambda p: given | rows.get(Path(p).resolve(), {}),
                                       progress=update, each=each, dry_run=args.dry_run, pages=pages)
    finally:
        close_pages()
        close()
    if not args.quiet and batch.imported:
        print(_imported(batch.imported, len(files), args.dry_run))
    if batch.imported and not args.no_build and not args.dry_run:
        cmd_build(args)
    if batch.failed:
        print(f"Error: {len(batch.failed)} of {len(files)} files were not imported", file=sys.stderr)
        return 1
    return 0


def _imported(imported: list[Imported], n_files: int, dry_run: bool) -> str:
    """The summary line of an import: how many files added, updated, unchanged, unsure."""
    counts = {s: sum(1 for d in imported if d.status.removeprefix("would be ") == s)
              for s in ("added", "updated", "unchanged")}
    return (f"{'would import' if dry_run else 'imported'} {len(imported)} of {n_files} files: "
            + ", ".join(f"{n} {s}" for s, n in counts.items()) + _to_check(imported)
            + ("; nothing written (--dry-run)" if dry_run else ""))


def _to_check(imported: list[Imported]) -> str:
    """What the summary says is to check: metadata guessed, reports beside another of their year."""
    unsure = sum(1 for d in imported if d.unsure)
    twins = sum(1 for d in imported if any(n.startswith("unsure duplicate") for n in d.notes))
    return ((f"; {unsure} with metadata to check (marked ?)" if unsure else "")
            + (f"; {twins} beside a report of the same agency and year (marked ?)" if twins else ""))


def _describe(done: Imported, corpus_dir: Path) -> str:
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
    by_year = compare_by_year(args.by)
    result = _site().linked("compare", _kb(args).compare(_request(args), by_year=by_year))
    if result["groups_total"] and result["page"] > result["pages"]:  # as /api/compare: a 404
        raise NotFound(f"没有第 {result['page']} 页，共 {result['pages']} 页 (past the last page: {result['pages']})")
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    groups = f" · {result['groups_total']} 组 (agency and year)" if by_year else ""
    print(f"{result['agencies']} 个单位 (agencies) · {result['total']} 段{groups} · "
          f"page {result['page']}/{result['pages']} · {result['took_ms']} ms")
    for g in result["groups"]:
        _print_hit(f"{g['agency']}{guessed(g['best'], 'agency')}", g["best"], f"  [{g['matches']} 段]")
    if result["page"] < result["pages"]:
        first = (result["page"] - 1) * result["size"] + 1
        print(f"\n（第 {first}–{first + len(result['groups']) - 1} 组，共 {result['groups_total']} 组；下一页 (next page): --page {result['page'] + 1}）")
    return 0


def _print_hit(label: str, hit: dict, after: str = "") -> None:
    """One hit for the terminal: who, which year it reports on (报告年度 2023), where; the excerpt; the link
    (a value the import guessed followed by ``?``, as on the site)."""
    print(safe(f"\n{label} · {year_said(hit['year'])}{guessed(hit, 'year')} · {hit['section'] or '（正文）'}{after}"))
    print(f"   {plain(hit['excerpt_html'])}")
    print(f"   {hit['url']}")


def cmd_search(args) -> int:
    result = _site().linked("search", _kb(args).search(_request(args)))
    if result["total"] and result["page"] > result["pages"]:  # as /api/search: a 404
        raise NotFound(f"没有第 {result['page']} 页，共 {result['pages']} 页 (past the last page: {result['pages']})")
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    related = f" · 相关 {result['related_total']} 段 (related)" if result["match"] == "all" else ""
    print(f"精确 {result['exact_total']} 段 (exact){related} · page {result['page']}/{result['pages']} · "
          f"{result['took_ms']} ms")
    if not result["total"]:
        _print_nothing_found(result)
    elif result["loose"]:
        print("（没有找到这些字连在一起的段落，以下为词语分开出现的结果 / words found apart）")
    for i, hit in enumerate(result["hits"], (result["page"] - 1) * result["size"] + 1):
        how = "" if hit["match"] == "exact" else "  [相关 related: " + "; ".join(hit["matched_by"]) + "]"
        _print_hit(f"{i}. {hit['agency']}{guessed(hit, 'agency')}", hit, how)
        if "explain" in hit:
            print("   " + safe(_explained(hit["explain"])))
    return 0


def _print_nothing_found(result: dict) -> None:
    """Nothing found: said so, with what the page offers instead (near spellings the index
    has, related topics)."""
    within = "（在所选条件中）" if result["filters"] else ""
    print(safe(f"\n没有找到“{result['query']}”{within} (nothing found)"))
    found = result.get("suggestions") or {}
    spellings = "、".join(f"{s['instead']}（{s['paragraphs']} 段）" for s in found.get("spellings", []))
    if spellings:
        print(safe(f"是不是要找 (did you mean)：{spellings}"))
    if found.get("spellings_skipped"):  # (a shard did not answer: the term may be on it)
        print(found["spellings_skipped"])
    if found.get("topics"):
        print(safe("相关主题 (related topics)：" + "、".join(t["name"] for t in found["topics"])))


def _explained(e: dict) -> str:
    """One hit's explanation on one line: tier, score, factor, each term's parts."""
    parts = "; ".join(f"{t['term']}: " + ", ".join(f"{k} {v:g}" for k, v in t["parts"].items()) for t in e.get("terms", []))
    return f"why: {e.get('match')} #{e.get('rank')} score {e.get('score')} (×{e.get('factor')} for its kind, deeds {e.get('deeds', 0)}) · {parts}"


def cmd_concepts_suggest(args) -> int:
    """kb concepts suggest: proposed entries as TOML to review (the evidence as comments), or JSON."""
    found = _kb(args).suggest_concepts(args.term or [], top=args.top, min_count=args.min, learned=args.learned)
    if args.json:
        print(json.dumps(found, ensure_ascii=False, indent=1))
    elif not found:
        print("没有建议 (nothing to suggest)", file=sys.stderr)
    else:
        print("\n\n".join(safe(s["toml"]) for s in found))
    return 0


def cmd_concepts_accept(args) -> int:
    """kb concepts accept: one entry written into the user's concepts file."""
    knowledge = _kb(args)
    entry = knowledge.accept_concept(args.name, args.also or [], args.alias or [])
    if not args.quiet:
        print(f"{knowledge.settings.concepts_file}: {entry['name']} 也写作 (also) "
              + "、".join(entry["also"] + entry["aliases"]) + " -- searches find them now, no rebuild")
    return 0


def cmd_check(args) -> int:
    settings = _settings(args)
    r = KnowledgeBase(settings=settings).check()
    if not args.quiet:
        print(f"{settings.index_dir / r['generation']}: {r['paragraphs']} paragraphs, {r['files']} files, "
              f"{r['bytes'] / 2**20:,.1f} MB; every file as built (sha256), current for {settings.corpus_dir} "
              f"({r['seconds']:.1f} s)")
    return 0


def _check_address(host: str, port: int, threads: int) -> None:
    """A KbError for a port, a number of threads or a host kb serve cannot serve on (before any
    build: waitress would hang on a port past 65535, or end in a ValueError's traceback)."""
    if not 1 <= port <= 65535:
        raise KbError(f"--port 须在 1 到 65535 之间 (--port must be 1 to 65535, got {port})")
    if not 1 <= threads <= 256:
        raise KbError(f"--threads 须在 1 到 256 之间 (--threads must be 1 to 256, got {threads})")
    try:
        addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as e:
        raise KbError(f"无法在此地址上服务：{host} (not an address to bind: {e})") from None
    for family, kind, proto, _, address in addresses[:1]:
        _try_bind(family, kind, proto, address, host, port)


def _try_bind(family, kind, proto, address, host: str, port: int) -> None:
    """A KbError if the port cannot be listened on (another server holds it; a port below 1024
    without the right; an address of another machine), before any build and before kb serve says
    it serves (it said so, built, warmed, then ended in ``Error: [Errno 98] Address already in use``)."""
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as waitress binds
        try:
            probe.bind(address)
        except OSError as e:
            if e.errno == errno.EADDRINUSE:
                raise KbError(f"端口 {port} 已被占用 (port {port} on {host} is already in use, by another "
                              f"kb serve?); give another --port") from None
            raise KbError(f"无法在 {host}:{port} 上服务 (cannot listen on {host}:{port}: {e.strerror})") from None


def cmd_serve(args) -> int:
    _check_address(args.host, args.port, args.threads)
    settings = _settings(args)
    site = _site()
    try:
        KnowledgeBase(settings=settings).check_opens()  # not a cluster: kb build --backend pushes to it
    except IndexMissing as e:
        print(f"{e.args[0].split(';')[0]} -> building the index first", file=sys.stderr)
        cmd_build(args)
    print(f"serving {settings.corpus_dir} on http://{args.host}:{args.port}/ (Ctrl+C to stop)", flush=True)
    site.serve(settings, args.host, args.port, args.threads)
    return 0


def _figure_text(f: dict) -> str:
    """A figure as kb figures prints it: its part, value and unit, ? after a guess, its scope,
    and the years of a total over several (优秀 14卷, 1113件 (五年来 2021–2025))."""
    mark = "" if f["sure"] else "?"
    scope = f" [{f['scope']}]" if f["scope"] else ""
    part = f"{f['part']} " if f.get("part") else ""
    period = f" ({f['period']}{' ' + f['period_years'] if f.get('period_years') else ''})" if f.get("period") else ""
    return f"{part}{f['value']}{f['unit']}{mark}{scope}{period}"


#: The filters of kb figures (each repeats for OR), as /api/figures takes them; --query is its q.
FIGURE_FILTERS = ("agency", "year", "region", "level", "section_kind", "topic", "regulation")


def cmd_figures(args) -> int:
    params = {name: getattr(args, name) or [] for name in (*FIGURE_FILTERS, "q")}
    params = {k: v for k, v in params.items() if v} | {"size": [args.size], "page": [args.page]}
    answer = _site().linked("figures", _kb(args).figures(params, args.indicator or ""))
    if answer["total"] and answer["page"] > answer["pages"]:  # as /api/figures: a 404
        raise NotFound(f"没有第 {answer['page']} 页，共 {answer['pages']} 页 (past the last page: {answer['pages']})")
    if args.json:
        print(json.dumps(answer, ensure_ascii=False, indent=1))
        return 0
    if not args.indicator:
        print(f"{answer['total']} 个数字 (figures), {answer['sure']} sure")
        for i in answer["indicators"]:
            print(f"{i['figures']:6d} {i['sure']:6d}  {i['indicator']}  ({'、'.join(i['units'])})")
        return 0
    _print_figures(answer)
    return 0


def _print_figures(answer: dict) -> None:
    """One indicator's page of figures: how many, which page, each with its sentence and link."""
    first = (answer["page"] - 1) * answer["size"] + 1
    shown = f", {first}–{first + len(answer['figures']) - 1} (page {answer['page']}/{answer['pages']}" \
            f"{'; next: --page ' + str(answer['page'] + 1) if answer['page'] < answer['pages'] else ''})"
    print(f"{answer['indicator']}: {answer['total']} 个数字 (figures), {answer['sure']} sure"
          + (shown if answer["pages"] > 1 else ""))
    for f in answer["figures"]:
        print(safe(f"\n{f['agency']}{guessed(f, 'agency')} · {year_said(f['year'])}{guessed(f, 'year')} · {_figure_text(f)} = {f['amount']} {f['normalized_unit']}"))
        print(safe(f"   {f['sentence']}"))
        print(f"   {f['url']}")


def _all_plans(kb: KnowledgeBase, args) -> int:
    """kb plans --all: every report's plan judged, the shares kept beside the index."""
    if args.report_id or args.agency:
        raise KbError("--all 不与报告编号或 --agency 同用 (--all takes no REPORT_ID nor --agency)")
    if args.procs is not None and not 1 <= args.procs <= 64:
        raise KbError("--procs 须在 1 到 64 之间 (--procs must be 1 to 64)")
    update, _, close = progress("plans", getattr(args, "quiet", False))
    try:
        shares = kb.compute_plan_shares(args.procs, update)
    finally:
        close()
    judged = [s for s in shares.values() if s["share_delivered"] is not None]
    print(safe(f"{len(shares)} 份报告的计划，{len(judged)} 份已与下一年度报告对照 "
               f"({len(shares)} plans, {len(judged)} judged against the next report); kept for /reports"))
    return 0


def _no_next(year: str = "下一年度") -> str:
    """What a plan without a next report says: none yet, or (a read short) that it may be on the
    cluster shard that did not answer."""
    if read_short():
        return f"{year.strip()}的报告可能在没有应答的检索分片上 (the next report may be on a shard that did not answer)"
    return f"尚无{year}的报告 (no next report yet)"


def _print_plan_item(i: int, it: dict) -> None:
    """One plan item: its verdict, the figures compared and not comparable, its first evidence."""
    mark = "" if it["sure"] else "?"
    years = f" (多年目标 beyond the year: {it['beyond']})" if it.get("horizon") == "years" else ""
    print(safe(f"{i:3d}. [{it['label'] or '-'}{mark}] {it['text']}{years}"))
    for c in it.get("compared", []):
        print(safe(f"       {c['indicator']}: {c['target']} -> {c['actual']} ({'met' if c['met'] else 'missed'})"))
    for c in it.get("not_compared", []):
        print(safe(f"       {c['indicator']}: {c['target']} <> {c['actual'] or '-'} (not comparable: {c['reason']})"))
    if it["evidence"]:
        e = it["evidence"][0]
        print(safe(f"       {e['paragraph_id']} ({e['score']}): {e['text'][:80]}"))


def _print_agency_plans(answer: dict) -> None:
    print(safe(f"{answer['agency']}: 历年计划落实 (plan versus delivery by year)"))
    for r in answer["reports"]:
        s = r["summary"]
        done = (f"已落实 {s['delivered']} · 部分落实 {s['partly']} · 未提及 {s['not_mentioned']} · "
                f"{r['share_delivered']:.0%}") if s else _no_next()
        print(f"  {r['year']}  {r['items']:3d} 项  {done}  {r['report_id']}")


def cmd_plans(args) -> int:
    kb = _kb(args)
    if args.all:
        return _all_plans(kb, args)
    if not args.report_id:
        raise KbError("给出报告编号，或 --all (give a REPORT_ID, or --all)")
    answer = kb.agency_plans(args.report_id) if args.agency else kb.plan(args.report_id)
    if args.json:
        print(json.dumps(answer, ensure_ascii=False, indent=1))
        return 0
    if args.agency:
        _print_agency_plans(answer)
        return 0
    if not answer["next_report_id"]:
        whose = f" {answer['agency']} 报告年度 {answer['next_year']} "
        print(safe(f"{answer['report_id']}: {_no_next(whose)}; {len(answer['items'])} plan items"))
    for i, it in enumerate(answer["items"], 1):
        _print_plan_item(i, it)
    if answer["summary"]:
        s = answer["summary"]
        print(f"已落实 {s['delivered']} · 部分落实 {s['partly']} · 未提及 {s['not_mentioned']} "
              f"(delivered, partly, not mentioned; ? not sure) — next report {answer['next_report_id']}")
    return 0


def cmd_cluster_start(args) -> int:
    from kb import start_cluster  # the Sphinx engine's tooling: loaded by kb cluster alone

    print(start_cluster(Path(args.dir), args.shards, args.mirrors, args.port, args.timeout), flush=True)
    return 0


def cmd_cluster_status(args) -> int:
    """Each searchd's state, rows and the push that last wrote it; exit 3 when one is not running."""
    from kb import cluster_status

    st = cluster_status(Path(args.dir))
    if args.json:
        print(json.dumps(st, ensure_ascii=False, indent=1))
    else:
        print(f"{st['dir']} · 分片超时 (shard timeout) {st['timeout']:g} s · 最近推送 (last push) "
              f"{st['last_push'] or '-'}")
        for p in st["processes"]:
            rows = " ".join(f"{t}={n}" for t, n in p["rows"].items())
            print(f"  {p['name']:<12} {p['state']:<14} port {p['sql_port']:<6} {rows or '-':<32} "
                  f"最近写入的推送 (last pushed) {p['written'] or '-'}")
    return 0 if all(p["state"] == "running" for p in st["processes"]) else 3


def cmd_cluster_restart(args) -> int:
    from kb import restart_shard

    names = restart_shard(Path(args.dir), args.shard, args.copy)
    print(f"restarted {' '.join(names)}")
    return 0


def cmd_cluster_add_mirror(args) -> int:
    from kb import add_mirror

    print(f"added {add_mirror(Path(args.dir), args.shard)}")
    return 0


def cmd_cluster_schema(args) -> int:
    from kb import cluster_schema

    print(cluster_schema(args.agent), end="")
    return 0


def cmd_cluster_stop(args) -> int:
    from kb import stop_cluster

    stopped = stop_cluster(Path(args.dir))
    print(f"stopped {len(stopped)} searchd: {' '.join(stopped)}" if stopped else "nothing was running")
    return 0

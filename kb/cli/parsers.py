"""The options of ``kb``: one parser per command, each with its help and examples
(``kb COMMAND --help``), the options every command shares, and the command each runs
(:mod:`kb.cli.commands`).
"""

from __future__ import annotations

import argparse

from kb import FACETS, SORTS, Limits
from kb.cli.commands import (
    FIGURE_FILTERS,
    cmd_build,
    cmd_check,
    cmd_cluster_add_mirror,
    cmd_cluster_restart,
    cmd_cluster_schema,
    cmd_cluster_start,
    cmd_cluster_status,
    cmd_cluster_stop,
    cmd_compare,
    cmd_concepts_accept,
    cmd_concepts_suggest,
    cmd_figures,
    cmd_import,
    cmd_plans,
    cmd_search,
    cmd_serve,
)

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
words near each other in any order, its words in the heading above, its words near
in meaning (语义相近), and last, when little else matches, paragraphs close in meaning
to the whole query (整体相近); a very common word (优化, 加强) adds to the score without vetoing.
A quoted phrase is exact only. Your own concepts: kb concepts --help."""


EPILOG_COMPARE = """\
examples:
  kb compare 法律顾问 --year 2023
  kb compare 双随机一公开 --page 2             # the next ten agencies
  kb compare 法律顾问 --by year --size 30      # the best paragraph of each agency in each year"""


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
    _add_plans(sub, common)
    _add_check(sub, common)
    _add_serve(sub, common)
    _add_concepts(sub, common)
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
                                   "partial index; a killed build leaves the previous one serving). The model "
                                   "of meaning grows with it: words of your reports it lacks, used five times "
                                   "or more, get vectors from the words around them (kb concepts suggest "
                                   "--learned lists them).",
                       epilog=EPILOG_BUILD, formatter_class=argparse.RawDescriptionHelpFormatter)
    b.add_argument("--full", action="store_true", help="index every report again, not only the changed ones")
    b.set_defaults(func=cmd_build)


EPILOG_CONCEPTS = """\
examples:
  kb concepts suggest --for 法律顾问制度          # its variants, neighbours in meaning, abbreviations
  kb concepts suggest --learned                  # the words the model learned from your corpus
  kb concepts suggest                            # glossary terms and quoted names of the corpus
  kb concepts accept 法律顾问制度 --also 公职律师 --also "法律顾问 合法性审查"
Each proposal says how many paragraphs of the corpus hold it; nothing is written until you accept
one: kb concepts accept adds it to your concepts file (./concepts.toml, or --concepts FILE, or
$KB_CONCEPTS), which searches read at once -- no rebuild. You may also paste the TOML that suggest
prints into that file, edited. The shipped kb/data/concepts.toml is never changed."""


def suggest_options(s: argparse.ArgumentParser) -> None:
    """The options of ``kb concepts suggest`` (and of ``python -m tools.conceptmine suggest``)."""
    s.add_argument("--for", dest="term", action="append", metavar="TERM", help="a measure to find wordings of (repeat)")
    s.add_argument("--learned", action="store_true", help="without --for: the words the model learned from the corpus")
    s.add_argument("--top", type=int, default=40, help="without --for: how many entries (default 40)")
    s.add_argument("--min", type=int, default=2, help="a wording must stand in this many paragraphs (default 2)")
    s.add_argument("--json", action="store_true", help="print the proposals as JSON")


def _add_concepts(sub, common) -> None:
    c = sub.add_parser("concepts", help="suggest and accept concept entries (what else a measure is called)",
                       description="Grow the concepts dictionary from your corpus and the model of meaning "
                                   "(grown with your corpus at build time): a search for a concept's name also "
                                   "finds what it is also written as, as related matches.",
                       epilog=EPILOG_CONCEPTS, formatter_class=argparse.RawDescriptionHelpFormatter)
    actions = c.add_subparsers(dest="action", required=True, metavar="ACTION")
    own = argparse.ArgumentParser(add_help=False)
    own.add_argument("--concepts", metavar="FILE", help="your concepts file (default: ./concepts.toml, or $KB_CONCEPTS)")
    s = actions.add_parser("suggest", parents=[common, own], help="propose entries, each with its evidence",
                           description="Propose concept entries for a person to accept: with --for, how the "
                                       "corpus also writes the term (word orders, characters inserted or "
                                       "substituted, headings), its neighbours in the model of meaning, the "
                                       "clauses that say it with words near its own, its abbreviations; "
                                       "without, the glossary terms and quoted names of the corpus (or, "
                                       "--learned, the words the model learned from it). Each with the number "
                                       "of paragraphs it stands in. Prints TOML to review.",
                           epilog=EPILOG_CONCEPTS, formatter_class=argparse.RawDescriptionHelpFormatter)
    suggest_options(s)
    s.set_defaults(func=cmd_concepts_suggest)
    a = actions.add_parser("accept", parents=[common, own], help="add an entry to your concepts file",
                           description="Add an entry to your concepts file (made if missing; an entry of the "
                                       "same name gains the new wordings): a search for NAME then also finds "
                                       "each --also wording (its parts separated by spaces must all stand in "
                                       "the paragraph) and each --alias, at once.",
                           epilog=EPILOG_CONCEPTS, formatter_class=argparse.RawDescriptionHelpFormatter)
    a.add_argument("name", help="the measure's name, as users search for it")
    a.add_argument("--also", action="append", metavar="WORDING", help="what it is also written as (repeat)")
    a.add_argument("--alias", action="append", metavar="NAME", help="another name for it (repeat)")
    a.set_defaults(func=cmd_concepts_accept)


def _add_import(sub, common) -> None:
    i = sub.add_parser("import", parents=[common], help="import report files into the corpus",
                       description="Read report files (.txt .md .docx .pdf .html .htm; UTF-8, GB18030/GBK or "
                                   "UTF-16), repair their text, decide their metadata (given values first, then "
                                   "what the file and the text say: what was inferred is printed, ? marks what "
                                   "to check), write one corpus/<id>.md each, then update the index (--dry-run: only show what would be "
                                   "decided). A PDF page with no text layer (a scan) is read by OCR (Tesseract, chi_sim; a "
                                   "progress bar counts its pages): its paragraphs are marked with their confidence, and "
                                   "a page too poor to read is said, not imported as text. A report "
                                   "imported again (the same text) is updated in place; one added beside another of the same "
                                   "agency and year is marked ? (the same report twice?). A file that cannot be "
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
                       epilog=EPILOG_COMPARE, formatter_class=argparse.RawDescriptionHelpFormatter)
    c.add_argument("--by", default="", metavar="year",
                   help="year: the best paragraph of each agency in each year (default: of each agency)")
    c.add_argument("--page", default="1", help=f"page of agencies (1–{Limits.page})")
    c.add_argument("--size", default="10", help=f"agencies per page (1–{Limits.page_size}; default 10)")
    c.add_argument("--match", default="all", help="all: exact matches, then related ones (default); exact: exact only")
    c.set_defaults(func=cmd_compare, sort="relevance")


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
    v.add_argument("--port", type=int, default=5000, help="1 to 65535 (default 5000)")
    v.add_argument("--threads", type=int, default=8, help="requests answered at once, 1 to 256 (default 8)")
    v.set_defaults(func=cmd_serve)


def _add_figures(sub, common) -> None:
    f = sub.add_parser("figures", parents=[common], help="the figures read from the reports",
                       description="Without an indicator: every indicator with the count of figures read "
                                   "for it. With one: its figures (agency, year, value, normalized amount, "
                                   "scope, sentence, link), '?' after a guess; --json prints what "
                                   "/api/figures returns.",
                       epilog="examples:\n  kb figures 行政处罚案件 --year 2024\n"
                              "  kb figures 罚没款 --regulation 中华人民共和国行政处罚法 --page 2\n"
                              "  kb figures 人大代表建议 --query 法治政府",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    f.add_argument("indicator", nargs="?", help="an indicator of kb/data/indicators.toml")
    for name in FIGURE_FILTERS:
        f.add_argument(f"--{name.replace('_', '-')}", dest=name, action="append", metavar="VALUE",
                       help=f"filter by {name} (repeat for OR)")
    f.add_argument("--query", dest="q", action="append", metavar="QUERY",
                   help="only the paragraphs this search finds (the query language of kb search)")
    f.add_argument("--size", default="100", help="figures a page (1–1000)")
    f.add_argument("--page", default="1", help="page of figures (1–10000)")
    f.add_argument("--json", action="store_true", help="print the JSON of /api/figures")
    f.set_defaults(func=cmd_figures)


def _add_plans(sub, common) -> None:
    p = sub.add_parser("plans", parents=[common], help="a report's plan checked against the next report",
                       description="Split the report's plan for the next year (下一年度安排, 2024年工作安排 …) "
                                   "into items and judge each against the same agency's report on the next "
                                   "year: 已落实 (delivered), 部分落实 (partly), 未提及 (not mentioned), '?' when "
                                   "the program is not sure (always for a goal beyond the year, marked 多年目标), "
                                   "with the best evidence paragraph and the figures compared. --agency: every report of an agency with its share delivered. "
                                   "--all: judge every report's plan and keep the shares delivered beside the "
                                   "index, for sorting /reports by them (minutes for thousands of reports; "
                                   "again after each build and after an upgrade of the matcher). "
                                   "--json prints the answer of /api/reports/<id>/plan (without the links).",
                       epilog="examples:\n  kb plans 2023-fcba1866          # a report id: /reports/<id>\n  kb plans --agency 浙江省人民政府\n"
                              "  kb plans --all --procs 4",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("report_id", metavar="REPORT_ID", nargs="?", help="a report id (or, with --agency, an agency)")
    p.add_argument("--agency", action="store_true", help="REPORT_ID names an agency: its plans by year")
    p.add_argument("--all", action="store_true", help="judge every report's plan; keep the shares for /reports")
    p.add_argument("--procs", type=int, default=None, help="worker processes for --all (default: up to 4)")
    p.add_argument("--json", action="store_true", help="print the JSON answer")
    p.set_defaults(func=cmd_plans)


EPILOG_CLUSTER = """\
examples:
  kb cluster start --shards 2 --dir /tmp/kb-cluster     # prints sphinx://127.0.0.1:PORT
  kb build --backend sphinx://127.0.0.1:PORT            # push the corpus to the shards
  kb cluster status --dir /tmp/kb-cluster               # each searchd's state and rows
  kb cluster restart --dir /tmp/kb-cluster --shard 1    # one shard; the others keep answering
  kb cluster add-mirror --dir /tmp/kb-cluster --shard 0 # one more copy of shard 0
  kb cluster stop --dir /tmp/kb-cluster"""


def _operations_parsers(actions) -> None:
    status = actions.add_parser("status", help="each searchd's state, rows and the push that last wrote it; "
                                               "exit 3 if one is not running", epilog="example: kb cluster status --dir /tmp/kb-cluster")
    status.add_argument("--dir", required=True, help="the folder given to kb cluster start")
    status.add_argument("--json", action="store_true", help="print the status as JSON")
    status.set_defaults(func=cmd_cluster_status)
    restart = actions.add_parser("restart", help="stop and start one shard's searchd (the others keep answering)",
                                 epilog="example: kb cluster restart --dir /tmp/kb-cluster --shard 1")
    restart.add_argument("--dir", required=True, help="the folder given to kb cluster start")
    restart.add_argument("--shard", type=int, required=True, help="the shard (0..N-1)")
    restart.add_argument("--copy", type=int, help="only this copy of the shard (default: every copy)")
    restart.set_defaults(func=cmd_cluster_restart)
    mirror = actions.add_parser("add-mirror", help="add a copy of a shard to a running cluster",
                                description="Copy a shard's tables to a new searchd (the copy it is taken from "
                                            "stops for a few seconds), name it in kb_cluster so pushes write "
                                            "to it, and restart the front with it as a mirror (about a second "
                                            "without answers).",
                                epilog="example: kb cluster add-mirror --dir /tmp/kb-cluster --shard 0")
    mirror.add_argument("--dir", required=True, help="the folder given to kb cluster start")
    mirror.add_argument("--shard", type=int, required=True, help="the shard to copy")
    mirror.set_defaults(func=cmd_cluster_add_mirror)


def _cluster_parser(sub) -> None:
    c = sub.add_parser("cluster", help="start, watch, restart or stop a Sphinx cluster on this machine",
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
    start.add_argument("--timeout", type=float, metavar="SECONDS",
                       help="how long the front waits for a shard before it answers without it, marked "
                            "partial (default 1, or what the folder's cluster had)")
    start.set_defaults(func=cmd_cluster_start)
    _operations_parsers(actions)
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

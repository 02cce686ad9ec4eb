"""The ``kb`` console script, run for real as a subprocess on temporary folders.

Each command turns a user's mistake into ``Error: …`` on stderr and exit code 1, never a
traceback, and writes nothing for input it refuses. ``kb serve`` is tested with the web app.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from kb import cli
from kb.core import corpus
from kb.knowledgebase import KnowledgeBase
from kb.search.request import SearchRequest
from tests.support import paths
from tests.support.seeds import paragraph_counts, seed_paragraph_count

COMMITTED_CORPUS = paths.ROOT / "corpus"
MANIFEST = paths.DATA / "seeds.csv"


def _kb_script() -> str:
    beside = Path(sys.executable).parent / "kb"
    found = str(beside) if beside.exists() else shutil.which("kb")
    assert found, "the kb console script is not installed (pip install -e .)"
    return found


KB = _kb_script()


def run(*args, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("KB_CORPUS", "KB_INDEX")}
    return subprocess.run([KB, *map(str, args)], capture_output=True, text=True, encoding="utf-8",
                          cwd=cwd, env=env, timeout=60)


def assert_user_error(proc: subprocess.CompletedProcess) -> None:
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.startswith("Error:"), proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr


@pytest.fixture(scope="module")
def built(corpus_dir, tmp_path_factory):
    """``kb build`` of the session corpus into a fresh index folder: (corpus, index, process)."""
    index_dir = tmp_path_factory.mktemp("cli") / "index"
    proc = run("build", "--corpus", corpus_dir, "--index", index_dir)
    return corpus_dir, index_dir, proc


def test_build(built):
    corpus_dir, index_dir, proc = built
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == f"indexed {len(paragraph_counts())} reports, {seed_paragraph_count()} paragraphs into {index_dir}\n"
    assert "Traceback" not in proc.stderr
    assert (index_dir / "CURRENT").read_text(encoding="utf-8").startswith("gen-")


def test_build_names_a_corpus_file_it_skips(tmp_path):
    """GIVEN a corpus with a report copied by hand under a name that is not an id
    WHEN kb build runs THEN it indexes the others and warns about that file by name."""
    from tests.support.seeds import copy_corpus  # noqa: PLC0415

    corpus_dir = copy_corpus(tmp_path / "corpus")
    shutil.copy(corpus_dir / "2024-cace2198.md", corpus_dir / "黎平 2024.md")
    proc = run("build", "--quiet", "--corpus", corpus_dir, "--index", tmp_path / "index")
    assert proc.returncode == 0, proc.stderr
    assert "Warning: 黎平 2024.md skipped: its name is not a report id" in proc.stderr
    assert "Traceback" not in proc.stderr


def api(corpus_dir, index_dir, path: str, params: dict) -> dict:
    """What the site's JSON API answers."""
    from web import create_app  # noqa: PLC0415

    app = create_app({"CORPUS_DIR": str(corpus_dir), "INDEX_DIR": str(index_dir), "TESTING": True})
    return app.test_client().get(path, query_string=params).get_json()


def test_search_json_is_what_the_api_returns(built):
    corpus_dir, index_dir, _ = built
    proc = run("search", "--corpus", corpus_dir, "--index", index_dir, "法律顾问", "--json")
    assert proc.returncode == 0, proc.stderr
    printed = json.loads(proc.stdout)
    expected = api(corpus_dir, index_dir, "/api/search", {"q": "法律顾问"})
    library = KnowledgeBase(corpus_dir, index_dir).search(SearchRequest.from_args({"q": ["法律顾问"]}))
    assert printed["total"] == library["total"] > 0
    assert [h["id"] for h in printed["hits"]] == [h["id"] for h in library["hits"]]
    printed.pop("took_ms"), expected.pop("took_ms")
    assert printed == expected


def test_search_json_with_filters_and_paging(built):
    corpus_dir, index_dir, _ = built
    proc = run("search", "--corpus", corpus_dir, "--index", index_dir, "--year", "2023", "--agency", "南阳市卫生健康体育委员会",
               "--agency", "黎平县卫生健康局", "--size", "2", "--page", "2", "--sort", "year", "法律顾问", "--json")
    assert proc.returncode == 0, proc.stderr
    printed = json.loads(proc.stdout)
    expected = api(corpus_dir, index_dir, "/api/search", {
        "q": "法律顾问", "year": "2023", "agency": ["南阳市卫生健康体育委员会", "黎平县卫生健康局"],
        "size": "2", "page": "2", "sort": "year"})
    printed.pop("took_ms"), expected.pop("took_ms")
    assert printed == expected
    library = KnowledgeBase(corpus_dir, index_dir).search(SearchRequest.from_args({
        "q": ["法律顾问"], "year": ["2023"], "agency": ["南阳市卫生健康体育委员会", "黎平县卫生健康局"],
        "size": ["2"], "page": ["2"], "sort": ["year"]}))
    # (the total holds the related matches too, those by the whole query's meaning: what the library says)
    assert (printed["total"], printed["page"], len(printed["hits"])) == (library["total"], 2, 2)
    assert printed["total"] >= 4 and [h["id"] for h in printed["hits"]] == [h["id"] for h in library["hits"]]
    assert {h["agency"] for h in printed["hits"]} == {"南阳市卫生健康体育委员会"}


def test_search_year_filters(built):
    corpus_dir, index_dir, _ = built
    proc = run("search", "--corpus", corpus_dir, "--index", index_dir, "--year", "2023", "--match", "exact", "法律顾问")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("精确 10 段 (exact) · page 1/1 · ")
    hits = [line for line in lines if line[:1].isdigit() and ". " in line[:4]]
    assert len(hits) == 10 and all(" · 报告年度 2023 · " in line for line in hits)
    assert "**法律顾问**" in proc.stdout
    everything = run("search", "--corpus", corpus_dir, "--index", index_dir, "法律顾问")
    assert everything.stdout.startswith("精确 14 段 (exact) · 相关 ")



def test_search_that_finds_nothing_says_so_and_what_to_try(built):
    """GIVEN 双随机一公卡 (a misspelling: nothing found) WHEN searched THEN the terminal says
    nothing was found and offers 双随机一公开 and related topics, as the page does (it printed
    the counts and a note that words found apart follow, and nothing followed)."""
    corpus_dir, index_dir, _ = built
    proc = run("search", "--corpus", corpus_dir, "--index", index_dir, "双随机一公卡")
    assert proc.returncode == 0, proc.stderr
    assert "没有找到“双随机一公卡” (nothing found)" in proc.stdout
    assert "双随机一公开（5 段）" in proc.stdout and "双随机一公开监管" in proc.stdout
    assert "以下为词语分开出现的结果" not in proc.stdout


@pytest.mark.parametrize("json_flag", [[], ["--json"]])
def test_search_past_the_last_page_is_an_error(built, json_flag):
    """GIVEN 法律顾问 (2 pages) WHEN page 50 is asked for THEN `Error: 没有第 50 页 …` and exit 1,
    as /api/search answers 404 (it printed `page 50/2` and nothing, exit 0)."""
    corpus_dir, index_dir, _ = built
    proc = run("search", "--corpus", corpus_dir, "--index", index_dir, "法律顾问", "--page", "50", *json_flag)
    assert_user_error(proc)
    assert "没有第 50 页" in proc.stderr and proc.stdout == ""

def test_compare_pages_through_every_agency_and_groups_by_year_as_the_api(built):
    """GIVEN 法律顾问 (five agencies) WHEN kb compare is asked two agencies a page THEN it says
    page 1/3 and how to reach the next, page 2 and 3 show the others, --by year groups by agency
    and year, and --json is what /api/compare answers with the same page, size and by (it had no
    --page, --size or --by: the first ten agencies of 71 and no way to the others)."""
    corpus_dir, index_dir, _ = built
    where = ["--corpus", corpus_dir, "--index", index_dir]
    pages = [run("compare", *where, "法律顾问", "--size", "2", "--page", str(n)) for n in (1, 2, 3)]
    assert all(p.returncode == 0 for p in pages), [p.stderr for p in pages]
    assert pages[0].stdout.startswith("5 个单位 (agencies) · ") and " · page 1/3 · " in pages[0].stdout.splitlines()[0]
    assert pages[0].stdout.rstrip().endswith("（第 1–2 组，共 5 组；下一页 (next page): --page 2）")
    assert "下一页" not in pages[2].stdout
    agencies = [line.split(" · ")[0] for p in pages for line in p.stdout.splitlines() if " · 报告年度 " in line]
    assert len(agencies) == len(set(agencies)) == 5
    for args, params in ((["--size", "2", "--page", "2"], {"size": "2", "page": "2"}),
                         (["--by", "year", "--size", "3"], {"by": "year", "size": "3"})):
        proc = run("compare", *where, "法律顾问", *args, "--json")
        assert proc.returncode == 0, proc.stderr
        printed, expected = json.loads(proc.stdout), api(corpus_dir, index_dir, "/api/compare", {"q": "法律顾问", **params})
        printed.pop("took_ms"), expected.pop("took_ms")
        assert printed == expected
    assert json.loads(run("compare", *where, "法律顾问", "--by", "year", "--json").stdout)["by_year"] is True
    for bad, says in ((["--by", "agency"], "by 只能是 year 或不给"), (["--page", "9"], "没有第 9 页，共 1 页"),
                      (["--size", "0"], "每页条数须在 1 到 100 之间")):
        proc = run("compare", *where, "法律顾问", *bad)
        assert_user_error(proc)
        assert says in proc.stderr and proc.stdout == ""


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["search", "--index", "{tmp}/no-index", "法律顾问"], id="no-index"),
        pytest.param(["search", "--index", "{index}", "--size", "0", "法律顾问"], id="size-0"),
        pytest.param(["search", "--index", "{index}", "--page", "-1", "法律顾问"], id="page-minus-1"),
        pytest.param(["search", "--index", "{index}", "，。"], id="punctuation-only"),
        pytest.param(["build", "--index", "{tmp}/index", "--corpus", "{tmp}/no-corpus"], id="build-no-corpus"),
    ],
)
def test_bad_input_is_an_error_without_traceback(built, tmp_path, args):
    corpus_dir, index_dir, _ = built
    args = [a.format(tmp=tmp_path, index=index_dir) for a in args]
    if "--corpus" not in args:
        args += ["--corpus", str(corpus_dir)]
    proc = run(*args)
    assert_user_error(proc)
    assert proc.stdout == ""


@pytest.mark.parametrize("value", ["soon", "-1", "nan"])
def test_a_refresh_interval_that_is_not_seconds_is_an_error_without_traceback(built, value):
    """$KB_REFRESH (how long a cluster's push stamp read stays good) must be seconds, 0 or more."""
    corpus_dir, index_dir, _ = built
    env = {k: v for k, v in os.environ.items() if k not in ("KB_CORPUS", "KB_INDEX")} | {"KB_REFRESH": value}
    proc = subprocess.run([KB, "search", "--corpus", str(corpus_dir), "--index", str(index_dir), "法律顾问"],
                          capture_output=True, text=True, encoding="utf-8", env=env, timeout=60)
    assert_user_error(proc)
    assert "$KB_REFRESH" in proc.stderr and proc.stdout == ""


def _empty(folder: Path) -> Path:
    path = folder / "empty.txt"
    path.write_bytes(b"")
    return path


def _binary(folder: Path) -> Path:
    """A .docx-like zip file named .txt."""
    path = folder / "report.txt"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", "<w:document>报告</w:document>")
    return path


def _broken_pdf(folder: Path) -> Path:
    path = folder / "report.pdf"
    path.write_bytes(b"%PDF-1.4\n")
    return path


def _unsupported(folder: Path) -> Path:
    path = folder / "report.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    return path


@pytest.mark.parametrize(
    "make, says",
    [
        pytest.param(_empty, "文件为空", id="empty"),
        pytest.param(_binary, "不是文本文件", id="binary"),
        pytest.param(_broken_pdf, "无法读取 PDF", id="broken-pdf"),
        pytest.param(_unsupported, "不支持的文件类型", id="unsupported"),
    ],
)
def test_import_of_a_file_that_is_not_a_report_writes_nothing(tmp_path, make, says):
    """GIVEN an empty corpus WHEN importing an empty file, a binary file, a broken .pdf or an .xls
    THEN kb says Error: … and exits 1, and nothing is written: no report, no temporary
    file, no index."""
    corpus_dir = tmp_path / "corpus"
    corpus_dir.mkdir()
    source = tmp_path / "in"
    source.mkdir()
    path = make(source)
    proc = run("import", "--corpus", corpus_dir, "--index", tmp_path / "index", "--agency", "某局", "--year", "2023", path)
    assert_user_error(proc)
    assert says in proc.stderr and "1 of 1 files were not imported" in proc.stderr
    assert list(corpus_dir.iterdir()) == []
    assert not (tmp_path / "index").exists()


def test_import_of_the_seeds_with_the_manifest_writes_the_corpus_and_builds(seeds_dir, tmp_path):
    corpus_dir, index_dir = tmp_path / "corpus", tmp_path / "index"
    proc = run("import", "--corpus", corpus_dir, "--index", index_dir, "--manifest", MANIFEST, seeds_dir)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    written = {p.name: p.read_bytes() for p in sorted(corpus_dir.iterdir())}
    assert written == {p.name: p.read_bytes() for p in sorted(COMMITTED_CORPUS.glob("*.md"))}
    assert proc.stdout.endswith(f"indexed {len(paragraph_counts())} reports, {seed_paragraph_count()} paragraphs into {index_dir}\n")
    assert "inferred title (the text has none)" in proc.stdout
    kb = KnowledgeBase(corpus_dir, index_dir)
    assert kb.search(SearchRequest.from_args({}))["total"] == seed_paragraph_count()


def _subcommands() -> list[str]:
    """Every subcommand the parser knows (so that a new command is checked too)."""
    [sub] = [a for a in cli.parser()._actions if isinstance(a, argparse._SubParsersAction)]
    return sorted(sub.choices)


def test_the_known_commands_are_there():
    assert {"build", "import", "search", "serve"} <= set(_subcommands())


@pytest.mark.parametrize("command", [[]] + [[c] for c in _subcommands()], ids=lambda c: c[0] if c else "kb")
def test_every_command_has_help_with_an_example(command):
    proc = run(*command, "--help")
    assert proc.returncode == 0, proc.stderr
    assert "example" in proc.stdout
    assert proc.stdout.startswith("usage: kb")


def test_search_piped_into_a_reader_that_stops_early_ends_quietly(built):
    """GIVEN `kb search … | head -1` (the reader closes the pipe after the first line)
    THEN kb stops quietly: no traceback, no 'Exception ignored' message."""
    corpus_dir, index_dir, _ = built
    env = {k: v for k, v in os.environ.items() if k not in ("KB_CORPUS", "KB_INDEX")}
    proc = subprocess.Popen([KB, "search", "--corpus", str(corpus_dir), "--index", str(index_dir), "--size", "100", "法治"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    proc.stdout.close()  # the reader is gone before kb writes anything
    _, err = proc.communicate(timeout=60)
    err = err.decode("utf-8", "replace")
    assert "Traceback" not in err and "Exception ignored" not in err, err


def test_build_of_a_corpus_file_with_broken_front_matter_is_an_error_without_traceback(tmp_path):
    corpus_dir = tmp_path / "corpus"
    shutil.copytree(COMMITTED_CORPUS, corpus_dir)
    path = corpus_dir / "2025-597752dc.md"
    path.write_text(path.read_text(encoding="utf-8").replace("year: 2025", "year: 二〇二五"), encoding="utf-8")
    proc = run("build", "--corpus", corpus_dir, "--index", tmp_path / "index")
    assert_user_error(proc)
    assert "2025-597752dc" in proc.stderr


def _import_gulou_and_seed_000(tmp_path: Path):
    """A report of 鼓楼区 (a district of four cities: its region unsure) and the seed 000, imported
    into tmp_path/corpus and tmp_path/index: the folder imported and the finished `kb import`."""
    source = tmp_path / "in"
    source.mkdir()
    (source / "gulou.txt").write_text("鼓楼区司法局2023年度法治政府建设情况报告\n2023年，我局坚持依法行政，成效明显。\n",
                                      encoding="utf-8")
    shutil.copy(paths.SHARED / "seeds" / "000_384cabfaeda893ed.txt", source / "000.txt")
    return source, run("import", "--corpus", tmp_path / "corpus", "--index", tmp_path / "index", source)


def test_import_prints_what_it_inferred_and_marks_what_to_check(tmp_path):
    """GIVEN a report whose district (鼓楼区) is in four cities, and the seed 000 (县卫健委)
    WHEN both are imported
    THEN kb prints each value it inferred and from what, and ? before the region it cannot
    place; with --quiet it prints nothing at all."""
    source, proc = _import_gulou_and_seed_000(tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "inferred agency 宝丰县卫生健康委员会  <- 县卫健委 in the opening sentence" in out
    assert "inferred region 河南省平顶山市宝丰县  <- 宝丰县 in the gazetteer" in out
    assert "? unsure region: 鼓楼区 不止一处" in out
    assert "imported 2 of 2 files: 2 added, 0 updated, 0 unchanged; 1 with metadata to check (marked ?)" in out
    assert out.endswith(f"indexed 2 reports, 22 paragraphs into {tmp_path / 'index'}\n")
    quiet = run("import", "--corpus", tmp_path / "corpus2", "--index", tmp_path / "index2", "--quiet", source)
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")
    again = run("import", "--corpus", tmp_path / "corpus", "--index", tmp_path / "index", source)
    assert "imported 2 of 2 files: 0 added, 0 updated, 2 unchanged" in again.stdout
    assert again.stdout.endswith("index is up to date: 2 reports, 22 paragraphs in " + str(tmp_path / "index") + "\n")


def test_what_the_import_was_unsure_of_stays_marked_in_the_corpus_the_api_and_the_pages(tmp_path):
    """GIVEN a report whose district (鼓楼区) is in four cities, imported (kb marks its region ?)
    THEN the corpus file lists the region as unsure, /api/reports/<id> says ``unsure``, and the
    report's page and the list of reports show the region with a ? that says it is a guess; a
    report the import was sure of has none."""
    from web import create_app

    _, proc = _import_gulou_and_seed_000(tmp_path)
    assert proc.returncode == 0, proc.stderr
    files = {p.read_text(encoding="utf-8").count("鼓楼区司法局") > 0: p for p in (tmp_path / "corpus").glob("*.md")}
    gulou, sure = corpus.read(files[True]), corpus.read(files[False])
    assert "region" in gulou.unsure and "unsure:" in files[True].read_text(encoding="utf-8")
    assert sure.unsure == [] and "unsure:" not in files[False].read_text(encoding="utf-8")
    client = create_app({"CORPUS_DIR": str(tmp_path / "corpus"), "INDEX_DIR": str(tmp_path / "index"),
                         "TESTING": True}).test_client()
    assert "region" in client.get(f"/api/reports/{gulou.id}").get_json()["unsure"]
    assert client.get(f"/api/reports/{sure.id}").get_json()["unsure"] == []
    page = client.get(f"/reports/{gulou.id}").get_data(as_text=True)
    assert '<span class="unsure" title="导入时推测，未能确定（请核对原件）">?</span>' in page
    assert 'class="unsure"' not in client.get(f"/reports/{sure.id}").get_data(as_text=True)
    assert '<span class="unsure"' in client.get("/reports").get_data(as_text=True)


def test_import_of_good_and_bad_files_writes_the_good_says_why_for_the_bad_and_exits_1(tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    shutil.copy(COMMITTED_CORPUS / "2025-597752dc.md", source / "003.md")  # a seed report, as corpus/ holds it
    (source / "empty.md").write_bytes(b"")
    (source / "notes.txt").write_text("只有一行字\n", encoding="utf-8")
    proc = run("import", "--corpus", tmp_path / "corpus", "--index", tmp_path / "index", source)
    assert_user_error(proc)
    lines = proc.stderr.splitlines()
    assert any("empty.md: 文件为空" in line for line in lines)
    assert any("notes.txt: " in line for line in lines)
    assert lines[-1] == "Error: 2 of 3 files were not imported"
    assert [p.name for p in (tmp_path / "corpus").iterdir()] == ["2025-597752dc.md"]
    assert f"indexed 1 reports, {paragraph_counts()['2025-597752dc']} paragraphs" in proc.stdout


def test_build_is_incremental_and_says_what_it_did(tmp_path):
    corpus_dir, index_dir = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(COMMITTED_CORPUS, corpus_dir)
    assert run("build", "--corpus", corpus_dir, "--index", index_dir).stdout == \
        f"indexed {len(paragraph_counts())} reports, {seed_paragraph_count()} paragraphs into {index_dir}\n"
    assert run("build", "--corpus", corpus_dir, "--index", index_dir).stdout == \
        f"index is up to date: {len(paragraph_counts())} reports, {seed_paragraph_count()} paragraphs in {index_dir}\n"
    (corpus_dir / "2023-7a72d09e.md").unlink()
    n, left = len(paragraph_counts()), seed_paragraph_count() - paragraph_counts()["2023-7a72d09e"]
    assert run("build", "--corpus", corpus_dir, "--index", index_dir).stdout == \
        f"indexed 0 of {n - 1} reports (0 added, 0 changed, 1 removed): {left} paragraphs into {index_dir}\n"
    assert run("build", "--corpus", corpus_dir, "--index", index_dir, "--full").stdout == \
        f"indexed {n - 1} reports, {left} paragraphs into {index_dir}\n"
    assert run("build", "--corpus", corpus_dir, "--index", index_dir, "--quiet").stdout == ""


def test_import_with_a_manifest_year_that_is_not_a_year_is_an_error(tmp_path):
    src = paths.SHARED / "seeds" / "001_988bd4415d6fbe5f.txt"
    (tmp_path / "x.txt").write_bytes(src.read_bytes())
    (tmp_path / "m.csv").write_text("file,agency,year\nx.txt,某局,明年\n", encoding="utf-8")
    proc = run("import", tmp_path / "x.txt", "--manifest", tmp_path / "m.csv",
               "--corpus", tmp_path / "corpus", "--index", tmp_path / "index")
    assert proc.returncode == 1 and "Error:" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "corpus").exists() or not list((tmp_path / "corpus").glob("*.md"))


def test_the_help_of_kb_plans_shows_report_ids_that_can_be(built):
    """GIVEN `kb plans --help` WHEN a user copies an example THEN a REPORT_ID it shows is a
    report id (ASCII letters, digits, - and _: kb.core.corpus.valid_id); it showed
    2023-浙江省人民政府, which is none, and `kb plans` answered 没有这份报告."""
    from kb.core.corpus import valid_id

    proc = run("plans", "--help")
    assert proc.returncode == 0, proc.stderr
    examples = [line.split()[2:] for line in proc.stdout.split("examples:")[1].splitlines()
                if line.strip().startswith("kb plans")]
    ids = [words[0] for words in examples if words and not words[0].startswith("-")]
    assert ids and all(valid_id(i) for i in ids), ids
    corpus_dir, index_dir, _ = built
    shown = run("plans", "--corpus", corpus_dir, "--index", index_dir, "2023-fcba1866")
    assert shown.returncode == 0 and "2023-fcba1866" in shown.stdout


def test_import_of_a_file_that_names_neither_agency_nor_year_says_what_is_missing_in_chinese(tmp_path):
    """GIVEN a text that names no agency and no year WHEN imported THEN `Error:` names what is
    missing in Chinese (单位、报告年度) and the options and manifest columns that supply them
    (it said 无法确定agency、year and 'a agency column')."""
    path = tmp_path / "nometa.txt"
    path.write_text("没有单位也没有年份的一段文字，聘请法律顾问二名。\n", encoding="utf-8")
    proc = run("import", "--dry-run", "--corpus", tmp_path / "corpus", "--index", tmp_path / "index", path)
    assert_user_error(proc)
    first = proc.stderr.splitlines()[0]
    assert "无法确定单位、报告年度 (agency, year:" in first
    assert "give --agency --year" in first and "with an agency column and a year column" in first
    assert "a agency" not in first


def test_the_readme_tour_says_what_kb_search_prints(built):
    """GIVEN the README's tour line for `kb search 法律顾问` WHEN a new user runs it on the seeds
    THEN every count the line claims is the one printed (it claimed 相关 1 段 when 4 were)."""
    import re

    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    line = next(x for x in readme.splitlines() if x.startswith("kb search 法律顾问 "))
    claimed = dict((kind, int(n)) for n, kind in re.findall(r"(\d+) 段 \((exact|related)\)", line.split("#", 1)[1]))
    assert "exact" in claimed
    corpus_dir, index_dir, _ = built
    printed = run("search", "--corpus", corpus_dir, "--index", index_dir, "法律顾问").stdout.splitlines()[0]
    found = dict((kind, int(n)) for n, kind in re.findall(r"(\d+) 段 \((exact|related)\)", printed))
    assert {k: found[k] for k in claimed} == claimed, (line, printed)


def test_a_second_report_of_the_same_agency_and_year_is_imported_with_a_warning(tmp_path):
    """GIVEN 鼓楼区司法局's report on 2023 imported WHEN the same report, downloaded from another
    site under another title, is imported THEN it is added and marked ? with the report already
    there (it was added silently: two reports of one agency and year, every hit twice, two 2023
    rows on the agency's plans); the same file again, or its report on 2024, says nothing."""
    source = tmp_path / "in"
    source.mkdir()
    body = "2023年，我局坚持依法行政，成效明显。\n\n一、主要举措和成效\n\n聘请法律顾问2名，出具法律意见书12件。\n"
    (source / "a.txt").write_text("鼓楼区司法局2023年度法治政府建设情况报告\n\n" + body, encoding="utf-8")
    (source / "b.txt").write_text("鼓楼区司法局关于2023年法治政府建设工作的报告\n\n" + body.replace("12件", "12份"),
                                  encoding="utf-8")
    (source / "c.txt").write_text("鼓楼区司法局2024年度法治政府建设情况报告\n\n" + body.replace("2023", "2024"),
                                  encoding="utf-8")
    where = ["--corpus", tmp_path / "corpus", "--index", tmp_path / "index", "--no-build"]
    first = run("import", *where, source / "a.txt")
    assert first.returncode == 0, first.stderr
    first_id = next((tmp_path / "corpus").glob("*.md")).stem
    second = run("import", *where, source / "b.txt")
    assert second.returncode == 0, second.stderr
    assert (f"? unsure duplicate: 鼓楼区司法局 报告年度 2023 已有 {first_id}《鼓楼区司法局2023年度法治政府建设情况报告》"
            in second.stdout)
    assert second.stdout.rstrip().endswith("; 1 beside a report of the same agency and year (marked ?)")
    for again in (run("import", *where, source / "a.txt"), run("import", *where, source / "c.txt")):
        assert again.returncode == 0, again.stderr
        assert "duplicate" not in again.stdout and "beside" not in again.stdout

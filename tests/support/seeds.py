"""The seed corpus as the tests use it: the committed reports, the paragraphs a build makes of
them, the reports and paragraphs tests name, the hostile report, and one search as the web
app and the CLI make it."""

from __future__ import annotations

import functools
import shutil
from pathlib import Path

from kb.core import corpus
from kb.enrich.paragraphs import paragraphs_of
from kb.knowledgebase import KnowledgeBase
from kb.search.request import SearchRequest
from tests.support.paths import CORPUS, DATA

MANIFEST = DATA / "seeds.csv"
REAL_JUDGMENTS = DATA / "judgments_real.toml"
#: Seed reports and a paragraph the tests name: 南阳's report (whose p6 is about 法律顾问) and 黎平's.
NANYANG_REPORT = "2023-fcba1866"
NANYANG_P6 = f"{NANYANG_REPORT}.p6"
LIPING_REPORT = "2024-cace2198"
HOSTILE = DATA / "hostile" / "2024-0bad0bad.md"
HOSTILE_ID = HOSTILE.stem
#: A paragraph added to the hostile report: a terminal escape sequence, a bell, and
#: what Python-Markdown uses as the placeholder of stashed HTML.
CONTROL_PARAGRAPH = "控制字符：\x1b[31m红色\x1b[0m\x07 占位\x02wzxhzdk:0\x03 防注入测试。"


@functools.cache
def paragraph_counts() -> dict[str, int]:
    """The paragraphs of each report of the committed corpus, as a build segments them:
    what counts of reports and paragraphs are derived from (not written as numbers)."""
    return {r.id: len(paragraphs_of(r)) for r in corpus.iter_reports(CORPUS)}


def seed_paragraph_count() -> int:
    """The paragraphs of the committed corpus."""
    return sum(paragraph_counts().values())


def _as_list(value) -> list[str]:
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return [str(value)]


def run_search(kb: KnowledgeBase, q: str = "", **params) -> dict:
    """One search as the web app and the CLI make it: multi-valued string parameters."""
    args = {"q": [q]} | {name: _as_list(value) for name, value in params.items()}
    return kb.search(SearchRequest.from_args(args))


def all_hit_ids(kb: KnowledgeBase, q: str = "", **params) -> list[str]:
    """The ids of every hit of a search, paging through with size=100."""
    ids: list[str] = []
    page = 1
    while True:
        result = run_search(kb, q, size="100", page=str(page), **params)
        ids += [h["id"] for h in result["hits"]]
        if page >= result["pages"]:
            break
        page += 1
    assert len(ids) == result["total"], "paging through must give every hit exactly once"
    return ids


def copy_corpus(dest: Path) -> Path:
    shutil.copytree(CORPUS, dest)
    return dest


def make_hostile_corpus(dest: Path) -> Path:
    """The seed corpus and the hostile report (with its control-character paragraph)."""
    copy_corpus(dest)
    text = HOSTILE.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + CONTROL_PARAGRAPH + "\n"
    (dest / HOSTILE.name).write_text(text, encoding="utf-8")
    return dest

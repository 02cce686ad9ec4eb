"""Concepts: the dictionary of measures (kb/data/concepts.toml) and `python -m tools.conceptmine
suggest`, which proposes entries from a corpus for a person to review."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from collections import Counter

from kb.enrich import concepts
from tests.support.paths import ROOT
from tools import conceptmine


def test_the_dictionary_holds_hundreds_of_measures_each_name_claimed_once():
    data = tomllib.loads(concepts.CONCEPTS.read_text(encoding="utf-8"))
    entries = data["concept"]
    assert len(entries) >= 300
    names = Counter(concepts._key(n) for c in entries for n in [c["name"], *c.get("aliases", [])])
    assert [n for n, k in names.items() if k > 1] == []
    assert all(c.get("also") or c.get("aliases") for c in entries)


def test_a_measure_finds_its_word_orders_spellings_abbreviations_and_synonyms():
    def also(term):
        return {e.label for e in concepts.expansions(term)}

    assert {"改造城镇老旧小区", "老旧小区综合整治"} <= also("老旧小区改造")  # word order, synonym
    assert {"河湖长制", "湖长制"} <= also("河长制") and "林长制" not in also("河长制")
    assert {"就业优先", "促进就业", "稳岗"} <= also("稳就业")
    assert "碳达峰碳中和" in also("双碳") and "12345政务服务便民热线" in also("12345热线")
    assert "行政执法公示 执法全过程记录 重大执法决定法制审核" in also("三项制度")  # parts, all of them
    assert concepts.load()[concepts._key("简政放权")] is concepts.load()[concepts._key("放管服")]  # an alias
    assert "放管服" in also("简政放权") and "简政放权" in also("放管服")


def test_glossary_notes_give_terms_and_their_parts():
    found = conceptmine.glossary([
        "[8] 双碳：碳达峰、碳中和。",
        "16.平急两用：指平时用作旅游、康养等功能，遇重大公共突发事件时可立即转换为应急场所的设施。",
        "各位代表：现在，我代表市人民政府向大会报告工作。",  # not a note
        "“三线一单”：生态保护红线、环境质量底线、资源利用上线和生态环境准入清单。",
    ])
    assert found["双碳"][1] == ["碳达峰", "碳中和"]
    assert found["平急两用"][0] == 1 and found["平急两用"][1] == []
    assert "各位代表" not in found
    assert "三线一单" in found


def test_variants_of_a_term_are_found_in_real_reports(real_judged):
    """GIVEN the work reports given in 2024 WHEN asking for variants of three measures
    THEN the reports' other word orders and insertions are proposed, with counts."""
    _, built = real_judged
    paras = list(conceptmine.paragraphs(built.corpus_dir))
    by_kind = {}
    for term in ("老旧小区改造", "河长制", "12345热线"):
        s = conceptmine.variants(term, paras)
        by_kind[term] = {(v.kind, v.text) for v in s.variants}
        assert s.count > 0 and all(v.count >= 2 for v in s.variants)
    assert ("word order", "改造城镇老旧小区") in by_kind["老旧小区改造"]
    assert ("inserted", "河湖长制") in by_kind["河长制"]
    assert ("substituted", "林长制") in by_kind["河长制"]  # proposed; a person says no
    assert ("inserted", "12345政务服务便民热线") in by_kind["12345热线"]


def suggest(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    """``python -m tools.conceptmine suggest ARGS`` run from the project root."""
    return subprocess.run([sys.executable, "-m", "tools.conceptmine", "suggest", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


def test_conceptmine_suggest_prints_entries_to_review(real_judged):
    _, built = real_judged
    proc = suggest("--corpus", str(built.corpus_dir), "--for", "老旧小区改造", "--for", "河长制")
    assert proc.returncode == 0, proc.stderr
    data = tomllib.loads(proc.stdout)  # valid TOML: the evidence is in comments
    assert [c["name"] for c in data["concept"]] == ["老旧小区改造", "河长制"]
    assert "改造城镇老旧小区" in data["concept"][0]["also"]
    assert re.search(r"#\s+word order\s+改造城镇老旧小区 ×\d+", proc.stdout)
    top = suggest("--corpus", str(built.corpus_dir), "--top", "50")
    assert top.returncode == 0 and len(tomllib.loads(top.stdout)["concept"]) == 50
    missing = suggest("--corpus", "/nonexistent", timeout=60)
    assert missing.returncode == 1 and missing.stderr.startswith("Error:")

"""``kb concepts suggest`` and ``kb concepts accept``, run for real as subprocesses: proposals from
the index's model of meaning (grown with the corpus) with their evidence on the real reports, an
entry accepted into the user's concepts file and found by the next search without a rebuild, and
a user's mistake said as ``Error: …``."""

from __future__ import annotations

import json
import os
import subprocess
import tomllib

from kb.engines.embedded import generations
from kb.enrich import conceptmine
from kb.text import meaning
from tests.web.test_cli import KB, assert_user_error


def run(*args, env: dict | None = None) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in ("KB_CORPUS", "KB_INDEX", "KB_CONCEPTS")}
    return subprocess.run([KB, *map(str, args)], capture_output=True, text=True, encoding="utf-8",
                          env=base | (env or {}), timeout=300)


def test_suggest_proposes_wordings_from_the_model_each_with_its_evidence_on_the_real_index(real_judged):
    _, built = real_judged
    proc = run("concepts", "suggest", "--for", "河长制", "--for", "营商环境", "--corpus", built.corpus_dir,
               "--index", built.index_dir, "--json")
    assert proc.returncode == 0, proc.stderr
    found = json.loads(proc.stdout)
    assert [s["term"] for s in found] == ["河长制", "营商环境"]
    texts = [t for t, _ in conceptmine.paragraphs(built.corpus_dir)]
    kinds = set()
    for s in found:
        assert s["count"] == sum(s["term"] in t for t in texts)
        for v in s["variants"]:
            kinds.add(v["kind"].split()[0])
            assert v["count"] >= 2
            if v["kind"].startswith(("near", "abbrev")):  # the evidence is the paragraphs it stands in
                assert v["count"] == sum(v["text"] in t for t in texts), v
    assert {"near", "meaning"} & kinds and "inserted" in kinds, kinds
    toml = run("concepts", "suggest", "--for", "河长制", "--corpus", built.corpus_dir, "--index", built.index_dir)
    entry = tomllib.loads(toml.stdout)["concept"][0]  # valid TOML to paste, the evidence in comments
    assert entry["name"] == "河长制" and "河湖长制" in entry["also"]


def test_suggest_learned_lists_the_words_the_model_learned_from_the_corpus(real_judged):
    _, built = real_judged
    proc = run("concepts", "suggest", "--learned", "--top", "5", "--corpus", built.corpus_dir,
               "--index", built.index_dir, "--json")
    assert proc.returncode == 0, proc.stderr
    found = json.loads(proc.stdout)
    gen, _ = generations.served(built.index_dir)
    grown = meaning.read(built.index_dir / gen / meaning.MODEL_FILE)
    assert found and {s["term"] for s in found} <= set(grown.grown_words())
    assert not {s["term"] for s in found} & set(meaning.load().index)  # none the shipped model knew
    assert all(s["count"] >= 1 for s in found)


def test_an_accepted_entry_is_found_by_the_next_search_without_a_rebuild(corpus_dir, index_dir, tmp_path):
    concepts = tmp_path / "my-concepts.toml"
    before = generations.served(index_dir)[0]
    q = run("search", "医患沟通", "--corpus", corpus_dir, "--index", index_dir, "--json",
            env={"KB_CONCEPTS": str(concepts)})
    assert not any("也匹配：医疗纠纷调解" in h["matched_by"] for h in json.loads(q.stdout)["hits"])
    proc = run("concepts", "accept", "医患沟通", "--also", "医疗纠纷调解", "--alias", "医患沟通机制",
               "--concepts", concepts, "--corpus", corpus_dir, "--index", index_dir)
    assert proc.returncode == 0, proc.stderr
    data = tomllib.loads(concepts.read_text(encoding="utf-8"))
    assert data["concept"] == [{"name": "医患沟通", "aliases": ["医患沟通机制"], "also": ["医疗纠纷调解"]}]
    run("concepts", "accept", "医患沟通", "--also", "医疗纠纷调解", "--also", "医患 沟通", "--concepts", concepts,
        "--corpus", corpus_dir)
    assert tomllib.loads(concepts.read_text(encoding="utf-8"))["concept"][0]["also"] == ["医疗纠纷调解", "医患 沟通"]
    q = run("search", "医患沟通", "--corpus", corpus_dir, "--index", index_dir, "--json",
            env={"KB_CONCEPTS": str(concepts)})
    hits = json.loads(q.stdout)["hits"]
    assert any("也匹配：医疗纠纷调解" in h["matched_by"] for h in hits), [h["matched_by"] for h in hits]
    assert generations.served(index_dir)[0] == before  # no rebuild


def test_a_mistake_in_accept_is_an_error_without_traceback(corpus_dir, tmp_path):
    concepts = tmp_path / "c.toml"
    assert_user_error(run("concepts", "accept", "医患沟通", "--concepts", concepts, "--corpus", corpus_dir))
    assert_user_error(run("concepts", "accept", "“”", "--also", "x", "--concepts", concepts, "--corpus", corpus_dir))
    concepts.write_text("not [toml", encoding="utf-8")
    assert_user_error(run("concepts", "accept", "医患沟通", "--also", "医疗纠纷调解", "--concepts", concepts,
                          "--corpus", corpus_dir))
    assert concepts.read_text(encoding="utf-8") == "not [toml"  # nothing written
    assert_user_error(run("concepts", "suggest", "--for", "法律顾问", "--corpus", tmp_path / "none"))


def test_an_empty_or_wordless_term_to_suggest_for_is_an_error(corpus_dir, tmp_path):
    """A walk-through's ``kb concepts suggest --for ""`` ended in an IndexError's traceback."""
    for term in ("", "   ", "“”，。"):
        assert_user_error(run("concepts", "suggest", "--for", term, "--corpus", corpus_dir,
                              "--index", tmp_path / "index"))

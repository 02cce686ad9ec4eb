"""The library's structure holds: kb/ reads as the pipeline, each subpackage imports only the
steps below it, the web and the CLI reach kb through the facade, Whoosh and jieba each stay in
one module, and the embedded engine implements the whole engine protocol.

The rules are the ones docs/ARCHITECTURE.md draws; a change that breaks one fails here with
the module and the import that broke it.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

from kb.engines.embedded.engine import EmbeddedEngine
from kb.engines.protocol import Engine
from tests.support.paths import ROOT


def imports(path: Path) -> set[str]:
    """Every module a file imports (``from a.b import c`` counts as ``a.b`` and ``a.b.c``)."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            out |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
    return out


def modules(package: str) -> dict[str, set[str]]:
    """Every module under ``package`` (dotted name) with what it imports."""
    folder = ROOT / package.replace(".", "/")
    out = {}
    for path in sorted(folder.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = imports(path)
    return out


def under(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def reaching(package: str, targets: tuple[str, ...], among: str = "kb") -> list[str]:
    """The modules under ``package`` that import anything under one of ``targets``."""
    return sorted(m for m, names in modules(among).items() if under(m, package)
                  and any(under(n, t) for n in names for t in targets))


def importers_of(top: str, among: str = "kb") -> list[str]:
    return sorted(m for m, names in modules(among).items() if any(n.split(".")[0] == top for n in names))


def test_whoosh_and_jieba_are_each_imported_by_one_module():
    assert importers_of("whoosh") == ["kb.engines.embedded.store"]
    assert sorted(set(importers_of("jieba")) | set(importers_of("rjieba"))) == ["kb.text.words"]
    assert importers_of("whoosh", "web") == importers_of("jieba", "web") == importers_of("rjieba", "web") == []


def test_kb_imports_neither_flask_nor_web_but_the_command_that_serves_it():
    for top in ("flask", "werkzeug", "web", "waitress"):
        assert set(importers_of(top)) <= {"kb.cli.commands"}, top


def test_kb_never_imports_the_tools_beside_it():
    assert importers_of("tools") == []
    assert importers_of("tools", "web") == []


def test_each_step_imports_only_what_lies_below_it():
    assert reaching("kb.core", ("kb.text", "kb.ingest", "kb.enrich", "kb.figures", "kb.engines", "kb.search",
                                "kb.build", "kb.knowledgebase", "kb.cli")) == []
    assert reaching("kb.text", ("kb.ingest", "kb.enrich", "kb.figures", "kb.engines", "kb.search", "kb.build",
                                "kb.knowledgebase", "kb.cli")) == []
    assert reaching("kb.ingest", ("kb.engines", "kb.search", "kb.figures", "kb.build", "kb.knowledgebase",
                                  "kb.cli")) == []
    assert reaching("kb.enrich", ("kb.engines", "kb.search", "kb.build", "kb.knowledgebase", "kb.cli")) == []
    assert reaching("kb.engines.embedded", ("kb.search", "kb.knowledgebase", "kb.cli", "web")) == []
    assert reaching("kb.engines.sphinx", ("kb.search", "kb.knowledgebase", "kb.cli", "web")) == []


def test_the_search_layer_reaches_an_index_only_through_the_engine_protocol():
    internals = ("kb.engines.embedded", "kb.engines.sphinx", "kb.build", "numpy", "whoosh")
    assert reaching("kb.search", internals) == []


@pytest.mark.xfail(strict=True, reason="issue 23 in progress: web/ still imports kb modules; web/views/ next")
def test_the_web_reaches_kb_through_the_facade_alone():
    facade = {"kb", "kb.knowledgebase", "kb.core.errors", "kb.core.settings"}
    for name, names in modules("web").items():
        used = {n for n in names if under(n, "kb")}
        assert {n for n in used if not any(n == f or n.startswith(f + ".") and n.count(".") == f.count(".") + 1
                                             for f in facade)} == set(), name


def test_the_embedded_engine_implements_every_method_of_the_protocol():
    for name, method in inspect.getmembers(Engine, inspect.isfunction):
        if name.startswith("_"):
            continue
        impl = getattr(EmbeddedEngine, name, None)
        assert impl is not None, name
        assert list(inspect.signature(impl).parameters) == list(inspect.signature(method).parameters), name
    assert {"generation", "meta", "cache"} <= set(EmbeddedEngine.__dataclass_fields__)

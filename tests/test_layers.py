"""The library's layers hold: Whoosh in one module, kb free of the site, the search layer
on the engine protocol only, and the embedded engine implementing that protocol."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

from kb.embedded import EmbeddedEngine
from kb.engine import Engine

ROOT = Path(__file__).parents[1]
#: The search layer: it may reach an index only through kb.engine.Engine.
SEARCH_LAYER = ("search", "compare", "similar", "export", "listings", "browse", "hits", "facets", "knowledgebase",
                "yearly")


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
    return {p.stem: imports(p) for p in sorted((ROOT / package).glob("*.py"))}


def test_whoosh_is_imported_by_kb_store_alone_and_kb_imports_neither_flask_nor_web():
    kb = modules("kb")
    assert [m for m, names in kb.items() if any(n.split(".")[0] == "whoosh" for n in names)] == ["store"]
    assert [m for m, names in kb.items() if any(n.split(".")[0] in ("flask", "werkzeug", "web") for n in names)] == []
    web = modules("web")
    assert [m for m, names in web.items() if any(n.split(".")[0] in ("whoosh", "jieba", "rjieba") for n in names)] == []


def test_the_search_layer_reaches_the_index_only_through_the_engine_protocol():
    kb = modules("kb")
    engine_side = {"kb.embedded", "kb.postings", "kb.store", "kb.columns", "numpy", "kb.index.Index"}
    for name in SEARCH_LAYER:
        if name in kb:
            allowed = {"kb.embedded"} if name == "knowledgebase" else set()  # the default engine
            assert (kb[name] & engine_side) - allowed == set(), name


def test_the_embedded_engine_implements_every_method_of_the_protocol():
    for name, method in inspect.getmembers(Engine, inspect.isfunction):
        if name.startswith("_"):
            continue
        impl = getattr(EmbeddedEngine, name, None)
        assert impl is not None, name
        assert list(inspect.signature(impl).parameters) == list(inspect.signature(method).parameters), name
    assert {"generation", "meta", "cache"} <= set(EmbeddedEngine.__dataclass_fields__)

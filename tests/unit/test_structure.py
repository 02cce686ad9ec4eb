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

import kb
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
    assert reaching("kb.figures", ("kb.engines", "kb.search", "kb.build", "kb.knowledgebase", "kb.cli")) == []
    assert reaching("kb.engines", ("kb.search", "kb.build", "kb.knowledgebase", "kb.cli", "web")) == []
    assert reaching("kb.build", ("kb.search", "kb.knowledgebase", "kb.cli")) == []
    assert reaching("kb.search", ("kb.knowledgebase", "kb.cli")) == []


def test_one_engine_never_reaches_into_the_other():
    assert reaching("kb.engines.embedded", ("kb.engines.sphinx",)) == []
    assert reaching("kb.engines.sphinx", ("kb.engines.embedded",)) == []


def test_the_search_layer_reaches_an_index_only_through_the_engine_protocol():
    internals = ("kb.engines.embedded", "kb.engines.sphinx", "kb.build", "numpy", "whoosh")
    assert reaching("kb.search", internals) == []


def test_the_web_reaches_kb_through_the_facade_alone():
    """The web imports ``kb`` and the names kb/__init__ exports (the KnowledgeBase facade, its
    request, settings and errors, the constants a page shows), nothing else of kb."""
    facade = {"kb"} | {f"kb.{name}" for name in kb.__all__}
    for name, names in modules("web").items():
        assert {n for n in names if under(n, "kb")} - facade == set(), name


def _imports_by_function(path: Path) -> list[tuple[str, str]]:
    """(function, module) for every import of a file; function "" for a module-level one
    (``from a.b import c`` counts as ``a.b`` and ``a.b.c``)."""
    out = []

    def visit(node: ast.AST, function: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                visit(child, child.name)
                continue
            if isinstance(child, ast.Import):
                out.extend((function, a.name) for a in child.names)
            elif isinstance(child, ast.ImportFrom) and child.module:
                out.extend([(function, child.module)] + [(function, f"{child.module}.{a.name}") for a in child.names])
            visit(child, function)

    visit(ast.parse(path.read_text(encoding="utf-8")), "")
    return out


def test_the_cli_reaches_kb_through_the_facade_alone():
    """kb/cli/ imports the names kb/__init__ exports (as the web does) and its own modules,
    nothing else of kb; it imports ``web`` only inside the one function (``_site``) that the
    commands serving the site or printing its links call, never when it is loaded."""
    facade = {"kb"} | {f"kb.{name}" for name in kb.__all__}
    folder = ROOT / "kb" / "cli"
    for path in sorted(folder.rglob("*.py")):
        found = _imports_by_function(path)
        beyond = {n for _, n in found if under(n, "kb") and not under(n, "kb.cli")} - facade
        assert beyond == set(), path.name
        assert {f for f, n in found if under(n, "web")} <= ({"_site"} if path.name == "commands.py" else set()), path.name
    source = ast.parse((folder / "commands.py").read_text(encoding="utf-8"))
    callers = {f.name for f in source.body if isinstance(f, ast.FunctionDef)
               and any(isinstance(c, ast.Call) and getattr(c.func, "id", "") == "_site" for c in ast.walk(f))}
    assert callers == {"cmd_serve", "cmd_search", "cmd_compare", "cmd_figures"}


def test_the_embedded_engine_implements_every_method_of_the_protocol():
    for name, method in inspect.getmembers(Engine, inspect.isfunction):
        if name.startswith("_"):
            continue
        impl = getattr(EmbeddedEngine, name, None)
        assert impl is not None, name
        assert list(inspect.signature(impl).parameters) == list(inspect.signature(method).parameters), name
    assert {"generation", "meta", "cache"} <= set(EmbeddedEngine.__dataclass_fields__)


#: The limits of issue 23: a module a reader holds in one sitting, a function in one look.
MODULE_LINES = 500
FUNCTION_LINES = 60
COMPLEXITY = 15
#: What is checked: the installed library, the site, and the tools beside them.
CHECKED = ("kb", "web", "tools")


def _python_files() -> list[Path]:
    return [p for top in CHECKED for p in sorted((ROOT / top).rglob("*.py"))]


def test_every_module_is_under_500_lines():
    long = {str(p.relative_to(ROOT)): n for p in _python_files()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) >= MODULE_LINES}
    assert long == {}


def test_every_function_is_short_and_simple():
    """Under 60 lines, and of cyclomatic complexity at most 15 as radon counts it (each
    boolean operator a branch): a decision with many cases is written as small deciders."""
    from radon.complexity import cc_visit

    over = []
    for path in _python_files():
        source = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = node.end_lineno - node.lineno + 1
                if lines >= FUNCTION_LINES:
                    over.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}: {lines} lines")
        for block in cc_visit(source):
            for item in [block, *getattr(block, "methods", []), *getattr(block, "closures", [])]:
                if item.complexity > COMPLEXITY:
                    over.append(f"{path.relative_to(ROOT)}:{item.lineno} {item.name}: complexity {item.complexity}")
    assert sorted(set(over)) == []


def test_every_module_opens_with_a_docstring_that_says_its_place():
    bare = [str(p.relative_to(ROOT)) for p in _python_files()
            if not ast.get_docstring(ast.parse(p.read_text(encoding="utf-8")))]
    assert bare == []


def test_no_import_cycles_between_the_modules_of_kb():
    """Module-level imports only (an import inside a function is a deliberate late one)."""
    graph = {}
    for path in sorted((ROOT / "kb").rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        deps = set()
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ImportFrom) and node.module and under(node.module, "kb"):
                deps |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
            elif isinstance(node, ast.Import):
                deps |= {a.name for a in node.names if under(a.name, "kb")}
        graph[name] = deps
    graph = {m: {d for d in deps if d in graph and d != m} for m, deps in graph.items()}
    cycles = []

    def visit(m, stack, seen):
        for d in sorted(graph[m]):
            if d in stack:
                cycles.append(stack[stack.index(d):] + [d])
            elif d not in seen:
                seen.add(d)
                visit(d, stack + [d], seen)

    for m in sorted(graph):
        visit(m, [m], {m})
    assert cycles == []

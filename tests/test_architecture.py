"""The shape of the house, checked: imports run one way, no cycles, small modules.

The rules are data, below: which folders of ``sitegen/`` each folder may import, and the
order of the pipeline's stages. A new import that breaks them fails here with the file and
the line, so the layout in docs/architecture.md stays true.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "sitegen"

# Folder (or floor module) -> the folders it may import besides itself, lowest first.
FLOOR = {"errors", "workers"}
FOUNDATIONS = {"cache", "geo", "hours", "i18n", "source"}
APPS = {"editor", "importer", "reports"}  # beside the build: each reads the pipeline
MAY_IMPORT: dict[str, set[str]] = {
    "errors": set(),
    "workers": set(),
    "geo": set(),
    "source": {"errors"},
    "hours": {"errors"},
    "i18n": {"errors", "workers"},
    "cache": {"errors"},
    "pipeline": FLOOR | FOUNDATIONS,
    "render": FLOOR | FOUNDATIONS | {"pipeline"},
    "build": FLOOR | FOUNDATIONS | {"pipeline", "render"},
    "editor": FLOOR | FOUNDATIONS | {"pipeline"},
    "importer": FLOOR | FOUNDATIONS | {"pipeline"},
    "reports": FLOOR | FOUNDATIONS | {"pipeline"},
    "serve": FLOOR | FOUNDATIONS | {"pipeline", "render", "build"},
    "cli": FLOOR | FOUNDATIONS | {"pipeline", "render", "build", "serve"} | APPS,
    "__main__": {"cli"},  # ``python -m sitegen``: an entry point, like the console script
}
# The pipeline's stages, in order: a stage imports only those before it.
PIPELINE_ORDER = [
    "tiles",  # tile presets and the hosts of URL templates: data the schema and config read
    "site_schema",
    "config",
    "services",
    "load",
    "categories",
    "validate_guides",
    "validate",
    "guides",
    "model",
]
# Inside ``sitegen.reports``: its sub-folders, and what else of reports each may import
# (the folder's __init__ says why). The modules at the top (the public API, settings,
# records, ...) may import ``cases`` and ``store``; only ``app`` wires in the console.
REPORTS_INNER: dict[str, set[str]] = {
    # The case loop's rules: pure; notes obey the service's one rule on characters.
    "cases": {"characters"},
    "store": {"records", "settings", "cases"},  # storage: no web, no pipeline
    "console": {"*"},  # the staff console: anything of reports but app
}
REPORTS_TOP_MAY_NOT = {"console"}
REPORTS_CONSOLE_USERS = {"sitegen.reports.app"}
MAX_MODULE_LINES = 450
MAX_FUNCTION_LINES = 60
# Longer functions, each with the reason it stays whole.
LONG_FUNCTIONS: dict[str, str] = {}


@dataclass(frozen=True)
class Import:
    source: str  # importing module, e.g. "sitegen.build.stages"
    target: str  # imported module, e.g. "sitegen.render.renderer"
    line: int

    def where(self) -> str:
        return f"{self.source.replace('.', '/')}.py:{self.line}"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node but those under ``if TYPE_CHECKING:`` (annotations only, never run)."""
    found: list[ast.AST] = []
    stack = [tree]
    while stack:
        node = stack.pop()
        found.append(node)
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                stack.extend(child.orelse)
                continue
            stack.append(child)
    return found


def _imports_of(path: Path, modules: set[str]) -> list[Import]:
    source = _module_name(path)
    package = source if path.name == "__init__.py" else source.rpartition(".")[0]
    found = []
    for node in _runtime_nodes(ast.parse(path.read_text("utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # ``from sitegen.render import precache`` imports the module sitegen.render.precache
            names = [
                f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names
            ]
        for name in names:
            if name == "sitegen" or name.startswith("sitegen."):
                found.append(Import(source, name, node.lineno))
    return found


def _all_imports() -> list[Import]:
    paths = sorted(PACKAGE.rglob("*.py"))
    modules = {_module_name(p) for p in paths}
    return [imp for path in paths for imp in _imports_of(path, modules)]


def _room(module: str) -> str:
    """The folder (or floor module) a module belongs to: ``sitegen.build.stages`` -> build."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "sitegen"


def test_every_folder_is_in_the_rules() -> None:
    rooms = {_room(_module_name(p)) for p in PACKAGE.rglob("*.py")} - {"sitegen"}
    assert rooms == set(MAY_IMPORT), "add the new folder to MAY_IMPORT with what it may import"


def test_imports_run_one_way() -> None:
    wrong = []
    for imp in _all_imports():
        src, dst = _room(imp.source), _room(imp.target)
        if dst in ("sitegen", src):  # the package's version, or the folder itself
            continue
        if dst not in MAY_IMPORT[src]:
            wrong.append(f"{imp.where()}: {src} may not import {imp.target}")
    assert not wrong, "\n".join(wrong)


def _reports_part(module: str) -> str:
    """``sitegen.reports.store.base`` -> store; a top module (``sitegen.reports.api``) -> api."""
    return module.split(".")[2] if module.count(".") >= 2 else ""


def test_reports_sub_folders_import_one_way() -> None:
    wrong = []
    folders = {p.name for p in (PACKAGE / "reports").iterdir() if (p / "__init__.py").exists()}
    assert folders == set(REPORTS_INNER), "add the new folder of reports to REPORTS_INNER"
    for imp in _all_imports():
        if not (
            imp.source.startswith("sitegen.reports.") and imp.target.startswith("sitegen.reports.")
        ):
            continue
        src, dst = _reports_part(imp.source), _reports_part(imp.target)
        if src == dst:
            continue
        if src in REPORTS_INNER:
            allowed = REPORTS_INNER[src]
            ok = ("*" in allowed and dst != "app") or dst in allowed
        else:
            ok = dst not in REPORTS_TOP_MAY_NOT or imp.source in REPORTS_CONSOLE_USERS
        if not ok:
            wrong.append(f"{imp.where()}: reports.{src} may not import {imp.target}")
    assert not wrong, "\n".join(wrong)


def test_pipeline_stages_never_import_later_stages() -> None:
    order = {f"sitegen.pipeline.{name}": i for i, name in enumerate(PIPELINE_ORDER)}
    stages = {_module_name(p) for p in (PACKAGE / "pipeline").glob("*.py")} - {"sitegen.pipeline"}
    assert stages == set(order), "add the new stage to PIPELINE_ORDER"
    wrong = [
        f"{imp.where()}: {imp.source} imports the later stage {imp.target}"
        for imp in _all_imports()
        if imp.source in order and imp.target in order and order[imp.target] >= order[imp.source]
    ]
    assert not wrong, "\n".join(wrong)


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), or self-imports."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in edges.get(node, ()):
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles() -> None:
    edges: dict[str, set[str]] = {}
    for imp in _all_imports():
        if imp.target != imp.source and imp.target != "sitegen":
            edges.setdefault(imp.source, set()).add(imp.target)
    assert _cycles(edges) == []


def test_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


@pytest.mark.parametrize("init", sorted(PACKAGE.rglob("__init__.py")), ids=str)
def test_each_folder_says_what_it_is_for_and_may_import(init: Path) -> None:
    doc = ast.get_docstring(ast.parse(init.read_text("utf-8")))
    if init.parent == PACKAGE:
        return  # the package itself: its version
    assert doc, f"{init}: a docstring saying what the folder is for"
    assert "import" in doc, f"{init}: the docstring says what the folder may import"


def test_modules_stay_small() -> None:
    long = [
        f"{p.relative_to(PACKAGE.parent)}: {n} lines"
        for p in sorted(PACKAGE.rglob("*.py"))
        if (n := len(p.read_text("utf-8").splitlines())) > MAX_MODULE_LINES
    ]
    assert not long, "\n".join(long)


def test_functions_stay_short() -> None:
    long = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                name = f"{path.relative_to(PACKAGE.parent)}:{node.name}"
                if length > MAX_FUNCTION_LINES and name not in LONG_FUNCTIONS:
                    long.append(f"{name}: {length} lines")
    assert not long, "\n".join(long)

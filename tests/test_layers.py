"""The layers point one way (domain <- store <- services <- tui | commands), without cycles."""

import ast
import functools
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def modules_after_import(module: str) -> set[str]:
    code = f"import sys, {module}; print(' '.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return set(out.stdout.split())


def test_domain_imports_neither_tinydb_nor_textual():
    loaded = modules_after_import("kpps_tui.domain.rules")
    assert "tinydb" not in loaded and "textual" not in loaded


def test_services_do_not_import_textual():
    loaded = modules_after_import("kpps_tui.services.assignments")
    assert "textual" not in loaded


def test_textual_is_imported_only_under_tui():
    for path in (ROOT / "kpps_tui").rglob("*.py"):
        if "tui" in path.relative_to(ROOT / "kpps_tui").parts[:1]:
            continue
        text = path.read_text(encoding="utf-8")
        assert "from textual" not in text and "import textual" not in text, path


def test_every_package_is_listed_for_installation():
    """A package missing from pyproject's list would be absent from a non-editable install."""
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for p in (ROOT / "kpps_tui").rglob("__init__.py")
    }
    assert found <= listed


def test_every_type_ignore_names_its_error_and_says_why():
    """mypy refuses an ignore without an error code (pyproject.toml); the reason is ours to read."""
    ignore = re.compile(r"#\s*type:\s*ignore(?P<code>\[[^\]]+\])?(?P<rest>.*)$")
    bare = []
    for path in [*(ROOT / "kpps_tui").rglob("*.py"), *(ROOT / "tests").rglob("*.py")]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            found = ignore.search(line)
            if found and not (found["code"] and found["rest"].strip().startswith("#")):
                bare.append(f"{path.relative_to(ROOT)}:{number}")
    assert bare == [], "give these lines the error code in brackets and a comment saying why"


# ---- the import graph, read from the source ---------------------------------------------------
# Every import statement counts, also one inside a function: an import moved into a function
# only hides a wrong arrow or a cycle until the function runs. Imports under TYPE_CHECKING
# count for the layers (a type is a dependency too) but not for cycles (they never run).

PACKAGE = "kpps_tui"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_modules() -> dict[str, Path]:
    return {module_name(p): p for p in (ROOT / PACKAGE).rglob("*.py")}


def _under_type_checking(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return True
    return False


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> list[tuple[str, int, bool]]:
    """(imported project module, line, runs) for every import in the file; `runs` is False for
    an import under TYPE_CHECKING."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            # `from a import b`: b is a module of a, or a name defined in a.
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
        for target in targets:
            while target and target not in modules:  # `import a.b.c` of a name: the module holding it
                target = target.rpartition(".")[0]
            if target.startswith(PACKAGE) and target != name:
                found.append((target, node.lineno, not _under_type_checking(node, parents)))
    return found


@functools.cache
def import_graph() -> dict[str, list[tuple[str, int, bool]]]:
    modules = project_modules()
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def within(module: str, *packages: str) -> bool:
    return any(module == f"{PACKAGE}.{p}" or module.startswith(f"{PACKAGE}.{p}.") for p in packages)


# What each layer may not import. domain: nothing of the project but i18n and errors. The
# interfaces (tui, commands, cli.py) reach the disk and the file formats through services only.
FORBIDDEN = [
    (("domain",), lambda target: not within(target, "domain", "i18n", "errors")),
    (("tui", "commands", "cli"), lambda target: within(target, "store", "interchange", "cards")),
    (("services",), lambda target: within(target, "tui", "commands", "cli")),
    (("store", "cards", "interchange"), lambda target: within(target, "services", "tui", "commands", "cli")),
    # cards/ is pure card logic (codes, payload, QR, verdict, a sheet renderer that returns
    # bytes): the card book and the key are the workspace's files, under store/.
    (("cards",), lambda target: within(target, "store")),
]


# Wrong arrows waiting for their fix: none. Only ever remove entries: a new wrong import fails.
PENDING: set[tuple[str, str]] = set()
PENDING_CYCLES: list[list[str]] = []


def wrong_imports(graph: dict[str, list[tuple[str, int, bool]]], pending: set[tuple[str, str]] = frozenset()) -> list[str]:
    wrong = []
    for module, imports in sorted(graph.items()):
        for layers, refused in FORBIDDEN:
            if within(module, *layers):
                wrong += [
                    f"{module}:{line} imports {target}"
                    for target, line, _runs in imports
                    if refused(target) and (module, target) not in pending
                ]
    return sorted(set(wrong))


def import_cycles(graph: dict[str, list[tuple[str, int, bool]]]) -> list[list[str]]:
    """The groups of modules that import each other, round and round (Tarjan's strongly
    connected components), counting only imports that run."""
    edges = {m: sorted({t for t, _line, runs in imports if runs and t in graph}) for m, imports in graph.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in edges[module]:
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for module in sorted(edges):
        if module not in index:
            visit(module)
    return cycles


def test_each_layer_imports_only_what_it_may():
    assert wrong_imports(import_graph(), PENDING) == []


def test_no_import_cycle_not_even_through_an_import_inside_a_function():
    assert [c for c in import_cycles(import_graph()) if c not in PENDING_CYCLES] == []


def test_the_graph_sees_imports_inside_functions():
    """The checks above can fail: the reader finds an import hidden in a function body."""
    graph = import_graph()
    hidden = {t for t, _line, runs in graph["kpps_tui.commands.interface"] if runs}
    assert "kpps_tui.tui.app" in hidden  # imported inside _run_tui, so Textual loads late
    planted = {"kpps_tui.domain.x": [("kpps_tui.store.workspace", 1, True)]}
    assert wrong_imports(planted) == ["kpps_tui.domain.x:1 imports kpps_tui.store.workspace"]
    ring = {"kpps_tui.a": [("kpps_tui.b", 1, True)], "kpps_tui.b": [("kpps_tui.a", 9, True)]}
    assert import_cycles(ring) == [["kpps_tui.a", "kpps_tui.b"]]

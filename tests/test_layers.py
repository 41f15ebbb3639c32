"""The layers point one way: the domain knows nothing of TinyDB or Textual."""

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

"""The site's tools import downwards only (CONTRIBUTING.md, "The site's tools").

``site_build`` must work with the docs dependency group alone, so it may not reach into
``checks`` (which needs the test group) or ``commands``; the shared modules at the top may not
reach into any role.
"""

from __future__ import annotations

import ast
import fnmatch

import pytest

from site_tools.paths import REPO_ROOT

TOOLS = REPO_ROOT / "site_tools"
# What each layer may not import.
FORBIDDEN = {
    "": ("site_tools.site_build", "site_tools.checks", "site_tools.commands"),
    "site_build": ("site_tools.checks", "site_tools.commands"),
    "checks": ("site_tools.commands",),
    "commands": (),
}


def imported_modules(source: str) -> set[str]:
    """Every module a Python source imports, at any depth (a function-level import counts too)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_imported_modules_sees_nested_imports() -> None:
    source = "def f():\n    from site_tools.checks import page_rules\n"
    assert "site_tools.checks.page_rules" in imported_modules(source)


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_each_layer_imports_downwards_only(layer: str) -> None:
    folder = TOOLS / layer if layer else TOOLS
    modules = sorted(folder.glob("*.py"))
    assert modules, f"no modules in {folder}"
    offences = [
        f"{module.relative_to(REPO_ROOT)} imports {name}"
        for module in modules
        for name in sorted(imported_modules(module.read_text()))
        if name.startswith(FORBIDDEN[layer])
    ]
    assert not offences, "\n".join(offences)


def test_no_test_folder_is_one_pytest_skips(pytestconfig: pytest.Config) -> None:
    # pytest does not enter folders named like build output (norecursedirs: build, dist, ...) and
    # says nothing: tests in such a folder would silently never run.
    skipped = pytestconfig.getini("norecursedirs")
    folders = [
        p for p in (REPO_ROOT / "tests").rglob("*") if p.is_dir() and p.name != "__pycache__"
    ]
    hidden = [
        folder.relative_to(REPO_ROOT).as_posix()
        for folder in folders
        if any(fnmatch.fnmatch(folder.name, pattern) for pattern in skipped)
    ]
    assert hidden == []


def test_every_module_belongs_to_a_layer() -> None:
    folders = {path.name for path in TOOLS.iterdir() if (path / "__init__.py").exists()}
    assert folders == {name for name in FORBIDDEN if name}

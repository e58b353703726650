"""Imports run one way: domain/ uses no layer above it, streams/ no agent or view, nothing installed devtools/."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
ABOVE_DOMAIN = {"faust_app", "faust", "streams", "agents", "tables", "web", "integrations", "runtime", "commands"}
ABOVE_STREAMS = {"agents", "tables", "web", "commands"}


def imported(path: Path) -> set[str]:
    """The top-level packages a module imports, wherever in the module the import stands."""
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize(("package", "forbidden"), [("domain", ABOVE_DOMAIN), ("streams", ABOVE_STREAMS)])
def test_a_layer_imports_nothing_above_it(package, forbidden):
    modules = sorted((ROOT / package).rglob("*.py"))
    assert modules
    wrong = {str(path.relative_to(ROOT)): sorted(imported(path) & forbidden) for path in modules}
    assert {path: roots for path, roots in wrong.items() if roots} == {}


def test_nothing_installed_imports_devtools():
    """devtools/ stays out of the wheel, so a worker that imported it would fail only once installed."""
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    packages = [pattern.rstrip("*") for pattern in setuptools["packages"]["find"]["include"]]
    assert "devtools" not in packages
    modules = [ROOT / f"{name}.py" for name in setuptools["py-modules"]]
    modules += [path for package in packages for path in sorted((ROOT / package).rglob("*.py"))]
    wrong = sorted(str(path.relative_to(ROOT)) for path in modules if "devtools" in imported(path))
    assert wrong == []

"""Imports run one way: domain/ uses none of the layers above it, and streams/ uses no agent or view."""

from __future__ import annotations

import ast
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

"""Layering: catalog ← annotation ← syncing. The lower apps never import the higher ones.

Sync is built on the domain rules of catalog and annotation, never the other way round, so a rule has
one home below sync and the portals run without it. Every import counts, at module level or inside a
function; tests may import anything.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# catalog's admin still shows annotation's figures (completion, progress), so only sync is checked there.
FORBIDDEN = {"catalog": ("syncing",), "annotation": ("syncing",)}


def imported_modules(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module


def code_files(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        if "tests" not in path.relative_to(ROOT / app).parts:
            yield path


@pytest.mark.parametrize("app", sorted(FORBIDDEN))
def test_lower_apps_do_not_import_higher_ones(app):
    found = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in code_files(app)
        for line, module in imported_modules(path)
        if module.split(".")[0] in FORBIDDEN[app]
    ]
    assert found == []


def test_the_check_sees_an_import_inside_a_function(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from syncing.export import export_workspace\n")
    assert list(imported_modules(module)) == [(2, "syncing.export")]

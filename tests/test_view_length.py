"""Portal views stay thin (issue 14 point 4): every function that takes the request is at most 40 lines.

A view parses input, authorises, calls a read or write function and renders; when one grows past 40 lines,
part of it is a page builder or a rule that belongs in its own function. No database is involved.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 40
VIEW_MODULES = [
    *sorted((ROOT / "annotation" / "views").glob("*.py")),
    ROOT / "annotation" / "team" / "views.py",
    ROOT / "annotation" / "api" / "views.py",
    ROOT / "catalog" / "views.py",
    ROOT / "catalog" / "account.py",
    ROOT / "catalog" / "api" / "views.py",
]


def request_functions(path: Path):
    """(name, first line, number of lines) of every function or method with a `request` parameter."""
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            names = {a.arg for a in [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]}
            if "request" in names:
                yield node.name, node.lineno, node.end_lineno - node.lineno + 1


def test_every_portal_view_is_at_most_40_lines():
    too_long = [
        f"{path.relative_to(ROOT)}:{line} {name} ({n} lines)"
        for path in VIEW_MODULES
        if path.exists()
        for name, line, n in request_functions(path)
        if n > LIMIT
    ]
    assert not too_long, "split these views into reading the request and building the page:\n" + "\n".join(too_long)

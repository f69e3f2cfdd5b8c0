"""No module of the bot binds one top-level name twice: a second `_PATTERN = re.compile(…)`
silently replaces the first for every use above it (it happened three times in one
session's work on bot/core/reading.py)."""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

import pytest

MODULES = sorted((Path(__file__).parent.parent / "bot").rglob("*.py"))


def _top_level_names(tree: ast.Module) -> list[str]:
    names = []
    for node in tree.body:
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets = [node.target]
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.append(node.name)
        names += [t.id for t in targets if isinstance(t, ast.Name)]
    return names


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(p.parents[2])))
def test_no_top_level_name_is_bound_twice(path: Path) -> None:
    tree = ast.parse(path.read_text("utf-8"))
    twice = [name for name, count in Counter(_top_level_names(tree)).items() if count > 1]
    assert not twice, f"{path.name} binds {twice} more than once"

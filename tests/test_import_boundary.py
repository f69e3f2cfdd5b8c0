"""The core is plain Python: it imports nothing of Telegram, of the renderer or of the
runtime around it (handlers, delivery, storage, the engine, the console). A new import
of any of them in ``bot/core`` fails here."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[1] / "bot" / "core"
FORBIDDEN = (
    "telegram",
    "bot.render",
    "bot.handlers",
    "bot.delivery",
    "bot.app",
    "bot.engine",
    "bot.console",
    "bot.telegram_main",
    "bot.store",
)


def imported_modules(path: Path) -> list[str]:
    """Every module an ``import`` or ``from ... import`` names, at any depth (imports
    inside functions count: they run too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def forbidden(module: str) -> bool:
    return any(module == name or module.startswith(name + ".") for name in FORBIDDEN)


@pytest.mark.parametrize("path", sorted(CORE.rglob("*.py")), ids=lambda p: str(p.relative_to(CORE)))
def test_the_core_imports_nothing_of_telegram_or_the_runtime(path: Path) -> None:
    bad = [m for m in imported_modules(path) if forbidden(m)]
    assert not bad, f"bot/core/{path.relative_to(CORE)} imports {bad}"


def test_the_check_sees_imports_inside_functions(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from bot.render import render_text\n    import telegram.ext\n")
    assert [m for m in imported_modules(sample) if forbidden(m)] == ["bot.render", "telegram.ext"]

"""The core is plain Python: it imports nothing of Telegram, of the renderer or of the
runtime around it (handlers, delivery, the outbox, storage, the engine, the console), and
it builds no Bot API message. A new import of any of them in ``bot/core``, or a string
naming a Bot API method or field, fails here."""

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
    "bot.outbox",
)
# Telegram's message format, by the names of its fields and methods: the core says what
# to tell a chat (bot.core.notices), bot/handlers says how it looks in Telegram.
BOT_API_WORDS = (
    "sendMessage",
    "copyMessage",
    "editMessageText",
    "parse_mode",
    "reply_markup",
    "inline_keyboard",
    "callback_data",
    "from_chat_id",
    "reply_parameters",
    "link_preview_options",
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


def bot_api_words(path: Path) -> list[str]:
    """Bot API names used in the module's string literals (its code, not its prose:
    docstrings may say what the formatter does)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
        ):
            found += [word for word in BOT_API_WORDS if word in node.value]
    return found


@pytest.mark.parametrize("path", sorted(CORE.rglob("*.py")), ids=lambda p: str(p.relative_to(CORE)))
def test_the_core_builds_no_bot_api_message(path: Path) -> None:
    assert not bot_api_words(path), f"bot/core/{path.relative_to(CORE)} builds Bot API shapes"


def test_the_check_sees_bot_api_fields_in_code(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        '"""Says sendMessage in prose."""\n'
        'def f():\n    """parse_mode too."""\n    return {"chat_id": 1, "parse_mode": "HTML"}\n'
    )
    assert bot_api_words(sample) == ["parse_mode"]

"""Fixtures shared by every tier of the suite."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.rules import KNOWLEDGE_DIR
from bot.core.search import ensure_index


@pytest.fixture(scope="session")
def kb_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The search index, built once and shared read-only by the tests of a session."""
    path = tmp_path_factory.mktemp("knowledge") / "knowledge.sqlite3"
    ensure_index(path, KNOWLEDGE_DIR)
    return path

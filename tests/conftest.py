"""Fixtures shared by every tier of the suite."""

from __future__ import annotations

import os
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


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """``-n auto``: three workers for every two cores. Many end-to-end tests spend their
    time waiting on a bot process, a socket or a timer, so a worker more than the cores
    keeps them busy (on 2 cores: 3 workers, 131 s instead of 143 s)."""
    return max(2, (os.cpu_count() or 1) * 3 // 2)

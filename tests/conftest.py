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


# Tests of a dozen seconds or more (a bot process killed and restarted, a soak, a database
# that stays locked). They are collected first: with work stealing they start at once, on
# the first worker, while the others take the rest, instead of being reached last and
# running alone at the end.
LONG_FIRST = (
    "tests/reliability/test_soak.py",
    "tests/e2e_handoff/test_kill.py",
    "tests/reliability/test_process_faults.py",
    "tests/e2e/test_run_command.py",
    "tests/e2e_handoff/test_inbox_faults.py",
    "tests/e2e/test_webhook.py",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: not item.nodeid.startswith(LONG_FIRST))

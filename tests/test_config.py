"""Settings from the environment: the database's time limits, read and refused clearly."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, Settings
from bot.store import Store


def test_defaults() -> None:
    settings = Settings.from_env({})
    assert settings.db_busy_timeout == 5.0 and settings.db_unwritable_exit == 120.0


def test_the_busy_timeout_reaches_the_database(tmp_path: Path) -> None:
    settings = Settings.from_env({"DB_BUSY_TIMEOUT_SECONDS": "0.25"})
    store = Store(tmp_path / "bot.sqlite3", busy_timeout=settings.db_busy_timeout)
    assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] == 250


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DB_BUSY_TIMEOUT_SECONDS", "soon"),
        ("DB_BUSY_TIMEOUT_SECONDS", "-1"),
        ("DB_BUSY_TIMEOUT_SECONDS", "3600"),
        ("DB_UNWRITABLE_EXIT_SECONDS", "0"),
        ("DB_UNWRITABLE_EXIT_SECONDS", "two minutes"),
    ],
)
def test_a_bad_value_is_one_clear_error(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=name):
        Settings.from_env({name: value})

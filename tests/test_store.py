"""The store's write-ahead log copied from a thread of its own (Store.checkpoint_in_background)."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

from bot.store import Store


def fill(store: Store, rows: int) -> None:
    store.migrate("CREATE TABLE IF NOT EXISTS filler (id INTEGER PRIMARY KEY, body TEXT);")
    for _ in range(rows):
        with store.transaction() as conn:
            conn.execute("INSERT INTO filler (body) VALUES (?)", ("東莞" * 500,))


def autocheckpoint(store: Store) -> int:
    return store.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0]


def test_the_thread_copies_the_log_into_the_database(tmp_path: Path) -> None:
    store = Store(tmp_path / "bot.sqlite3")
    store.checkpoint_in_background(every=0.05)
    try:
        assert autocheckpoint(store) == 0, "no transaction copies the log itself"
        before = os.path.getsize(tmp_path / "bot.sqlite3")
        fill(store, 200)
        deadline = time.monotonic() + 5
        while os.path.getsize(tmp_path / "bot.sqlite3") <= before:
            assert time.monotonic() < deadline, "the log was never copied"
            time.sleep(0.02)
    finally:
        store.close()
    reopened = sqlite3.connect(tmp_path / "bot.sqlite3")
    assert reopened.execute("SELECT count(*) FROM filler").fetchone()[0] == 200


def test_without_the_thread_the_log_stays_until_sqlite_copies_it(tmp_path: Path) -> None:
    """The control for the test above: the same writes, no thread, autocheckpoint off."""
    store = Store(tmp_path / "bot.sqlite3")
    store.conn.execute("PRAGMA wal_autocheckpoint=0")
    try:
        before = os.path.getsize(tmp_path / "bot.sqlite3")
        fill(store, 200)
        time.sleep(0.2)
        assert os.path.getsize(tmp_path / "bot.sqlite3") == before
    finally:
        store.close()


def test_stopping_gives_the_log_back_to_sqlite(tmp_path: Path) -> None:
    store = Store(tmp_path / "bot.sqlite3")
    store.checkpoint_in_background(every=0.05)
    store.checkpoint_in_background(every=0.05)  # a second start is a no-op
    store.stop_background_checkpoint()
    assert autocheckpoint(store) == 1000
    fill(store, 5)  # writes go on as before
    store.close()


def test_an_in_memory_store_has_no_thread(tmp_path: Path) -> None:
    store = Store(":memory:")
    store.checkpoint_in_background(every=0.05)
    assert autocheckpoint(store) != 0
    store.close()

"""The one ledger of updates (the ``inbox`` table): received, handled, set aside; and a
database from before it was one table, whose handled ids move into it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bot.outbox import Inbox
from bot.store import Store


def update(update_id: int) -> dict:
    return {"update_id": update_id, "message": {"chat": {"id": 5}, "text": "hi"}}


def test_an_update_handled_without_the_inbox_is_recorded_as_done(tmp_path: Path) -> None:
    store = Store(tmp_path / "bot.sqlite3")
    with store.transaction() as conn:
        store.mark_handled(7, conn)
    assert store.already_handled(7) and store.last_handled_update() == 7
    assert not store.already_handled(8)


def test_handling_a_stored_update_marks_it_done_and_drops_its_content(tmp_path: Path) -> None:
    store = Store(tmp_path / "bot.sqlite3")
    inbox = Inbox(store)
    inbox.keep([update(9)])
    assert inbox.claim(9) and not store.already_handled(9)
    with store.transaction() as conn:
        store.mark_handled(9, conn)
    row = store.conn.execute(
        "SELECT state, data, chat_id FROM inbox WHERE update_id = 9"
    ).fetchone()
    assert tuple(row) == ("done", "{}", None)
    assert not inbox.claim(9), "a redelivered copy is not handled again"
    assert inbox.unfinished() == []


def test_a_mark_rolled_back_leaves_the_update_to_handle_again(tmp_path: Path) -> None:
    store = Store(tmp_path / "bot.sqlite3")
    inbox = Inbox(store)
    inbox.keep([update(10)])
    inbox.claim(10)
    try:
        with store.transaction() as conn:
            store.mark_handled(10, conn)
            raise RuntimeError("the answer failed")
    except RuntimeError:
        pass
    assert not store.already_handled(10)
    assert inbox.claim(10, again=True), "the process handling it may try again"


def test_marking_if_new_says_whether_the_update_was_new(tmp_path: Path) -> None:
    store = Store(tmp_path / "bot.sqlite3")
    inbox = Inbox(store)
    inbox.keep([update(12)])
    inbox.claim(12)
    with store.transaction() as conn:
        assert store.mark_handled_if_new(12, conn), "stored, being handled: new"
    with store.transaction() as conn:
        assert not store.mark_handled_if_new(12, conn), "done already"
        assert store.mark_handled_if_new(13, conn), "never seen: new"
    assert store.already_handled(12) and store.already_handled(13)


def test_the_inbox_asks_no_database_for_an_update_this_process_marked(tmp_path: Path) -> None:
    store = Store(tmp_path / "bot.sqlite3")
    with store.transaction() as conn:
        store.mark_handled_if_new(14, conn)
        assert not store.take_marked_here(14), "not before the commit"
    assert store.take_marked_here(14)
    assert not store.take_marked_here(14), "asked once"
    try:
        with store.transaction() as conn:
            store.mark_handled_if_new(15, conn)
            raise RuntimeError("the answer failed")
    except RuntimeError:
        pass
    with store.transaction() as conn:
        store.mark_handled_if_new(16, conn)
    assert not store.take_marked_here(15), "a rolled-back mark is not remembered"
    assert not store.already_handled(15)


def test_an_update_set_aside_counts_as_handled(tmp_path: Path) -> None:
    store = Store(tmp_path / "bot.sqlite3")
    inbox = Inbox(store)
    inbox.keep([update(11)])
    inbox.set_aside(11, "ValueError in a test")
    assert store.already_handled(11)


def test_a_database_with_the_old_second_ledger_is_merged_into_one(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.executescript(
            """
            CREATE TABLE handled_updates (update_id INTEGER PRIMARY KEY, handled_at REAL NOT NULL);
            CREATE TABLE inbox (update_id INTEGER PRIMARY KEY, chat_id INTEGER,
                data TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'new', received_at REAL NOT NULL);
            INSERT INTO handled_updates VALUES (1, 100.0), (2, 100.0);
            -- 2 was handled, but the process died before its stored copy was marked done
            INSERT INTO inbox VALUES (2, 5, '{"update_id": 2}', 'new', 100.0);
            INSERT INTO inbox VALUES (3, 5, '{"update_id": 3}', 'new', 100.0);
            """
        )
    store = Store(path)
    assert store.already_handled(1) and store.already_handled(2)
    assert not store.already_handled(3)
    assert [u["update_id"] for u in Inbox(store).unfinished()] == [3], "2 is not answered twice"
    tables = {
        r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    assert "handled_updates" not in tables
    store.close()
    assert Store(path).already_handled(2), "opening it again changes nothing"

"""The bot's SQLite database (``BOT_DB``): conversation state and the record of handled
updates; tickets and the outbox add their tables through ``migrate``.

One connection per process, in WAL mode, so a process killed at any moment leaves the
last committed state; every write that acknowledges something to a user is committed
before the acknowledgement is sent.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from bot.core.session import Session

SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    chat_id INTEGER PRIMARY KEY,
    data TEXT NOT NULL,
    updated_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS handled_updates (
    update_id INTEGER PRIMARY KEY,
    handled_at REAL NOT NULL
);
"""


class Store:
    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        # One connection shared by the event loop's thread; the lock keeps transactions whole
        # when a job or a thread pool touches it too.
        self.conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self.conn.row_factory = sqlite3.Row
        self.db = sqlite_utils.Database(self.conn)
        self.lock = threading.RLock()
        if self.path != ":memory:":
            self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute("PRAGMA foreign_keys=ON")
        self.conn.execute("PRAGMA busy_timeout=5000")
        self.migrate(SCHEMA)

    def migrate(self, schema: str) -> None:
        with self.lock:
            self.conn.executescript(schema)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self.lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            else:
                self.conn.execute("COMMIT")

    # --- sessions ---------------------------------------------------------------------

    def load_session(self, chat_id: int) -> Session:
        with self.lock:
            row = self.conn.execute(
                "SELECT data FROM sessions WHERE chat_id = ?", (chat_id,)
            ).fetchone()
        if row is None:
            return Session(chat_id=chat_id)
        try:
            return Session.from_json(json.loads(row["data"]))
        except (ValueError, TypeError):
            # A state from an incompatible version: start afresh rather than fail the chat.
            return Session(chat_id=chat_id)

    def save_session(self, session: Session, conn: sqlite3.Connection | None = None) -> None:
        data = json.dumps(session.to_json(), ensure_ascii=False, default=str)
        with self.lock:
            (conn or self.conn).execute(
                "INSERT INTO sessions (chat_id, data, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT(chat_id) DO UPDATE SET data = excluded.data, "
                "updated_at = excluded.updated_at",
                (session.chat_id, data, time.time()),
            )

    def delete_session(self, chat_id: int) -> None:
        with self.lock:
            self.conn.execute("DELETE FROM sessions WHERE chat_id = ?", (chat_id,))

    # --- updates handled ----------------------------------------------------------------

    def already_handled(self, update_id: int) -> bool:
        with self.lock:
            row = self.conn.execute(
                "SELECT 1 FROM handled_updates WHERE update_id = ?", (update_id,)
            ).fetchone()
        return row is not None

    def last_handled_update(self) -> int:
        with self.lock:
            row = self.conn.execute("SELECT MAX(update_id) FROM handled_updates").fetchone()
        return int(row[0] or 0)

    def mark_handled(self, update_id: int, conn: sqlite3.Connection | None = None) -> None:
        with self.lock:
            (conn or self.conn).execute(
                "INSERT OR IGNORE INTO handled_updates (update_id, handled_at) VALUES (?, ?)",
                (update_id, time.time()),
            )

    def close(self) -> None:
        with self.lock:
            self.conn.close()

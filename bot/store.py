"""The bot's SQLite database (``BOT_DB``): conversation state and the one ledger of
updates received and handled; tickets and the outbox add their tables through ``migrate``.

One connection per process, in WAL mode, so a process killed at any moment leaves the
last committed state; every write that acknowledges something to a user is committed
before the acknowledgement is sent.

One process per database: ``Store(path, exclusive=True)`` holds an advisory lock on
``<path>.lock`` for its lifetime; a second one fails at once with ``InstanceLocked`` before
reading or writing anything (a second poller would reset the first one's rows in flight).

Deleted content is overwritten (``secure_delete``), and ``checkpoint`` moves the write-ahead
log into the database and empties it, so ``/forget`` leaves no copy behind in either file.

A running bot copies the write-ahead log into the database from a thread of its own
(``checkpoint_in_background``), not in whichever transaction crosses SQLite's threshold:
that copy, with its two syncs, stalled every chat for about 12 ms every few seconds.

Writes that fail are counted (``failing_for``): the process exits when it has not been able
to write for too long (``bot.telegram_main``), so a supervisor can restart it.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import sqlite_utils

from bot import jsontext
from bot.config import ConfigError
from bot.core.session import Session

log = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    chat_id INTEGER PRIMARY KEY,
    data TEXT NOT NULL,
    updated_at REAL NOT NULL
);
"""
# The one ledger of updates: each received update (``bot.outbox.Inbox`` stores it before
# Telegram is told it arrived) and each handled one, ``done`` once handled, in the same
# transaction as what handling it wrote.
INBOX_SCHEMA = """
CREATE TABLE IF NOT EXISTS inbox (
    update_id INTEGER PRIMARY KEY,
    chat_id INTEGER,
    data TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'new',  -- new | handling | done
    received_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS inbox_state ON inbox (state, update_id);
CREATE TABLE IF NOT EXISTS dead_updates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    update_id INTEGER NOT NULL,
    chat_id INTEGER,
    data TEXT NOT NULL,           -- the update as received, for an operator to look at
    reason TEXT NOT NULL,         -- the error's type and where it was raised, no user text
    tries INTEGER NOT NULL,
    failed_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS dead_updates_chat ON dead_updates (chat_id);
"""
INBOX_COLUMNS = {"attempts": "INTEGER NOT NULL DEFAULT 0"}  # processes that began handling it
# Before the ledger was one table, handled updates had their own; its ids move into the
# inbox as done (an update stored and also handled is done), then it goes.
MERGE_OLD_LEDGER = """
UPDATE inbox SET state = 'done', data = '{}', chat_id = NULL
    WHERE update_id IN (SELECT update_id FROM handled_updates);
INSERT OR IGNORE INTO inbox (update_id, chat_id, data, state, received_at)
    SELECT update_id, NULL, '{}', 'done', handled_at FROM handled_updates;
DROP TABLE handled_updates;
"""
# SQLite's first 16 bytes; an empty file is a new database too.
SQLITE_HEADER = b"SQLite format 3\x00"


class StoreError(ConfigError):
    """``BOT_DB`` cannot be used (not a database, truncated, unwritable): one clear line."""


class InstanceLocked(ConfigError):
    """Another process already runs on this database."""


class Store:
    def __init__(
        self, path: Path | str, exclusive: bool = False, busy_timeout: float = 5.0
    ) -> None:
        self.path = str(path)
        self.busy_timeout = busy_timeout
        self._lock_file: IO[bytes] | None = None
        self._after_commit: list[Callable[[], None]] = []
        # Updates this process marked done, until the inbox's finish asks (it then needs
        # no read of its own).
        self._marked_here: set[int] = set()
        self._failing_since: float | None = None
        self._checkpointer: tuple[threading.Thread, threading.Event] | None = None
        self.last_error = ""
        if self.path != ":memory:":
            try:
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise StoreError(f"BOT_DB {self.path}: {error.strerror or error}") from None
            if exclusive:
                self._lock_file = _lock_instance(self.path)
            _check_file(self.path)
        try:
            self._open()
        except sqlite3.Error as error:
            self.close()
            raise StoreError(f"BOT_DB {self.path}: {error}") from None

    def _open(self) -> None:
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
        self.conn.execute(f"PRAGMA busy_timeout={int(self.busy_timeout * 1000)}")
        # Deleted personal data is overwritten, whatever the system SQLite's default.
        self.conn.execute("PRAGMA secure_delete=ON")
        self.migrate(SCHEMA)
        self.migrate(INBOX_SCHEMA)
        self._merge_old_ledger()
        # A file that opens but cannot be written (read-only, full disk) fails here, at
        # start, rather than at the first user's message.
        with self.transaction() as conn:
            conn.execute("PRAGMA user_version = 1")

    def _merge_old_ledger(self) -> None:
        old = self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'handled_updates'"
        ).fetchone()
        if old is not None:
            with self.transaction() as conn:
                for statement in MERGE_OLD_LEDGER.split(";"):
                    if statement.strip():
                        conn.execute(statement)

    def migrate(self, schema: str) -> None:
        with self.lock:
            self.conn.executescript(schema)

    def add_columns(self, table: str, columns: dict[str, str]) -> None:
        """Columns added after a table was first created (``CREATE TABLE IF NOT EXISTS``
        leaves an existing table as it was)."""
        with self.lock:
            have = {row["name"] for row in self.conn.execute(f"PRAGMA table_info({table})")}
            for name, declaration in columns.items():
                if name not in have:
                    self.conn.execute(f"ALTER TABLE {table} ADD COLUMN {name} {declaration}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self.lock:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as error:
                self._failed(error)
                raise
            try:
                yield self.conn
            except BaseException as error:
                self._after_commit = []  # the transaction's hooks go with it
                with contextlib.suppress(sqlite3.Error):
                    self.conn.execute("ROLLBACK")
                if isinstance(error, sqlite3.Error):
                    self._failed(error)
                raise
            try:
                self.conn.execute("COMMIT")
            except sqlite3.Error as error:
                with contextlib.suppress(sqlite3.Error):
                    self.conn.execute("ROLLBACK")
                self._failed(error)
                raise
            self._failing_since = None
            hooks, self._after_commit = self._after_commit, []
        for hook in hooks:
            hook()

    def after_commit(self, hook: Callable[[], None]) -> None:
        """Run ``hook`` once the open transaction commits (dropped if it rolls back)."""
        if self.conn.in_transaction:
            self._after_commit.append(hook)
        else:
            hook()

    def write(self, sql: str, args: tuple | list = ()) -> int:
        """One statement in its own transaction; the number of rows it changed."""
        with self.transaction() as conn:
            return conn.execute(sql, args).rowcount

    # --- health ----------------------------------------------------------------------------

    def _failed(self, error: sqlite3.Error) -> None:
        self._after_commit = []
        self.last_error = f"{type(error).__name__}: {error}"[:200]
        if self._failing_since is None:
            self._failing_since = time.monotonic()

    def failing_for(self) -> float:
        """Seconds since the first of an unbroken run of failed writes (0: writing works)."""
        if self._failing_since is None:
            return 0.0
        return time.monotonic() - self._failing_since

    def checkpoint(self) -> None:
        """Copy the write-ahead log into the database and empty it (after ``/forget``)."""
        if self.path == ":memory:":
            return
        with self.lock:
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def checkpoint_in_background(self, every: float = 1.0) -> None:
        """Copy the write-ahead log into the database every ``every`` seconds from a
        thread with its own connection, instead of inside the transaction that happens to
        fill it. PASSIVE: it never waits for, or holds up, the bot's own reads and writes."""
        if self.path == ":memory:" or self._checkpointer is not None:
            return
        stop = threading.Event()
        connection = sqlite3.connect(self.path, check_same_thread=False)
        with self.lock:
            self.conn.execute("PRAGMA wal_autocheckpoint=0")

        def copy_until_stopped() -> None:
            failures = 0
            try:
                while not stop.wait(every):
                    try:
                        connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                        failures = 0
                    except sqlite3.Error as error:  # the next round tries again
                        failures += 1
                        if failures == 1:
                            log.warning("write-ahead log: cannot copy it (%s)", error)
            finally:
                connection.close()

        thread = threading.Thread(target=copy_until_stopped, name="wal-checkpoint", daemon=True)
        self._checkpointer = (thread, stop)
        thread.start()

    def stop_background_checkpoint(self) -> None:
        """Stop the thread (if any); SQLite's own checkpoints take over again."""
        if self._checkpointer is None:
            return
        thread, stop = self._checkpointer
        self._checkpointer = None
        stop.set()
        thread.join(timeout=10)
        with contextlib.suppress(AttributeError, sqlite3.Error), self.lock:
            self.conn.execute("PRAGMA wal_autocheckpoint=1000")

    # --- sessions ---------------------------------------------------------------------

    def load_session(self, chat_id: int) -> Session:
        with self.lock:
            row = self.conn.execute(
                "SELECT data FROM sessions WHERE chat_id = ?", (chat_id,)
            ).fetchone()
        if row is None:
            return Session(chat_id=chat_id)
        try:
            return Session.from_json(jsontext.loads(row["data"]))
        except (ValueError, TypeError):
            # A state from an incompatible version: start afresh rather than fail the chat.
            return Session(chat_id=chat_id)

    def save_session(self, session: Session, conn: sqlite3.Connection | None = None) -> None:
        data = jsontext.dumps(session.to_json())
        with self.lock:
            (conn or self.conn).execute(
                "INSERT INTO sessions (chat_id, data, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT(chat_id) DO UPDATE SET data = excluded.data, "
                "updated_at = excluded.updated_at",
                (session.chat_id, data, time.time()),
            )

    # --- updates handled ----------------------------------------------------------------

    def already_handled(self, update_id: int) -> bool:
        """Whether the ledger has this update as done (handled, or set aside)."""
        with self.lock:
            row = self.conn.execute(
                "SELECT 1 FROM inbox WHERE update_id = ? AND state = 'done'", (update_id,)
            ).fetchone()
        return row is not None

    def last_handled_update(self) -> int:
        with self.lock:
            row = self.conn.execute(
                "SELECT MAX(update_id) FROM inbox WHERE state = 'done'"
            ).fetchone()
        return int(row[0] or 0)

    def mark_handled(self, update_id: int, conn: sqlite3.Connection | None = None) -> None:
        """Record the update as done, in the caller's transaction: its stored copy (if it
        came through the inbox) loses its content, which is personal data."""
        with self.lock:
            (conn or self.conn).execute(
                "INSERT INTO inbox (update_id, chat_id, data, state, received_at) "
                "VALUES (?, NULL, '{}', 'done', ?) ON CONFLICT(update_id) DO UPDATE SET "
                "state = 'done', data = '{}', chat_id = NULL",
                (update_id, time.time()),
            )

    def mark_handled_if_new(self, update_id: int, conn: sqlite3.Connection) -> bool:
        """``mark_handled`` unless the ledger has the update done already: whether it was
        new. Called first in the transaction that handles the update, so the check and the
        mark are one statement and one commit (a redelivered copy changes nothing)."""
        with self.lock:
            changed = conn.execute(
                "INSERT INTO inbox (update_id, chat_id, data, state, received_at) "
                "VALUES (?, NULL, '{}', 'done', ?) ON CONFLICT(update_id) DO UPDATE SET "
                "state = 'done', data = '{}', chat_id = NULL WHERE state != 'done'",
                (update_id, time.time()),
            ).rowcount
        if changed:
            self.after_commit(lambda: self._note_marked(update_id))
        return changed > 0

    def _note_marked(self, update_id: int) -> None:
        if len(self._marked_here) > 10_000:  # finish missed for some: forget, do not grow
            self._marked_here.clear()
        self._marked_here.add(update_id)

    def take_marked_here(self, update_id: int) -> bool:
        """Whether this process committed the update as done (asked once per update)."""
        try:
            self._marked_here.remove(update_id)
        except KeyError:
            return False
        return True

    def close(self) -> None:
        self.stop_background_checkpoint()
        with contextlib.suppress(AttributeError, sqlite3.Error), self.lock:
            self.conn.close()
        if self._lock_file is not None:
            self._lock_file.close()  # releases the instance lock
            self._lock_file = None


def _lock_instance(path: str) -> IO[bytes]:
    """An exclusive advisory lock on ``<path>.lock``, held while the file stays open; the
    kernel releases it when the process ends, however it ends."""
    try:
        handle = open(f"{path}.lock", "ab")  # noqa: SIM115 (kept open: it is the lock)
    except OSError as error:
        raise StoreError(f"BOT_DB {path}: cannot create its lock file: {error.strerror}") from None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        raise InstanceLocked(
            f"another bot process is already running on BOT_DB {path}; "
            "this one stops without touching it"
        ) from None
    return handle


def _check_file(path: str) -> None:
    """Refuse a file that is not an SQLite database, or one cut short, before SQLite opens
    it (a truncated file otherwise fails only when the missing pages are read)."""
    try:
        size = os.path.getsize(path)
    except FileNotFoundError:
        return
    except OSError as error:
        raise StoreError(f"BOT_DB {path}: {error.strerror or error}") from None
    if os.path.isdir(path):
        raise StoreError(f"BOT_DB {path}: is a directory, not a database file")
    if size == 0:
        return
    try:
        with open(path, "rb") as handle:
            header = handle.read(100)
    except OSError as error:
        raise StoreError(f"BOT_DB {path}: {error.strerror or error}") from None
    if len(header) < 100 or not header.startswith(SQLITE_HEADER):
        raise StoreError(f"BOT_DB {path}: not an SQLite database")
    wal = Path(f"{path}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        # A checkpoint cut short (a killed process) leaves a header that counts pages the
        # file does not have yet; the log still holds them and SQLite finishes the job.
        return
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    # The page count in the header is valid when its change counter matches (SQLite's
    # file format, section 1.3.7).
    valid = header[24:28] == header[92:96]
    if valid and pages and size < pages * page_size:
        raise StoreError(
            f"BOT_DB {path}: truncated ({size} bytes, the database needs {pages * page_size})"
        )

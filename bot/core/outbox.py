"""The outbox: everything that must reach someone is a row here before it is sent.

A row is a Bot API call (method and parameters, plain JSON) for one chat. Rows are
written in the same transaction as the state that produced them, so a crash either
loses both or keeps both; a sender claims rows, sends them in order per chat, and marks
them sent, retried later, or dead (a user who blocked the bot). ``dedupe_key`` makes
enqueueing idempotent: handling the same update twice enqueues its replies once.

>>> from bot.store import Store
>>> box = Outbox(Store(":memory:"))
>>> with box.store.transaction() as conn:
...     box.enqueue(conn, 42, "sendMessage", {"chat_id": 42, "text": "hi"}, "u1:0")
...     box.enqueue(conn, 42, "sendMessage", {"chat_id": 42, "text": "hi"}, "u1:0")
1
1
>>> [row.id for row in box.claim(42)]
[1]
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_id INTEGER NOT NULL,
    method TEXT NOT NULL,
    params TEXT NOT NULL,
    dedupe_key TEXT UNIQUE,
    state TEXT NOT NULL DEFAULT 'pending',  -- pending | sending | sent | dead
    attempts INTEGER NOT NULL DEFAULT 0,
    not_before REAL NOT NULL DEFAULT 0,
    created_at REAL NOT NULL,
    sent_at REAL,
    message_id INTEGER,
    error TEXT,
    ticket_id INTEGER,
    context TEXT
);
CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (state, chat_id, id);
"""
MAX_ATTEMPTS = 20


@dataclass(frozen=True)
class OutboxRow:
    id: int
    chat_id: int
    method: str
    params: dict[str, Any]
    attempts: int
    ticket_id: int | None
    context: dict[str, Any]


def _row(raw: sqlite3.Row) -> OutboxRow:
    return OutboxRow(
        id=raw["id"],
        chat_id=raw["chat_id"],
        method=raw["method"],
        params=json.loads(raw["params"]),
        attempts=raw["attempts"],
        ticket_id=raw["ticket_id"],
        context=json.loads(raw["context"] or "{}"),
    )


class Outbox:
    def __init__(self, store: Any) -> None:
        self.store = store
        store.migrate(SCHEMA)
        # Rows a killed process left half-sent go back to the queue. Telegram may already
        # have them; this is the one window where a message can be sent twice.
        with store.lock:
            store.conn.execute("UPDATE outbox SET state = 'pending' WHERE state = 'sending'")

    def enqueue(
        self,
        conn: sqlite3.Connection,
        chat_id: int,
        method: str,
        params: dict[str, Any],
        dedupe_key: str | None = None,
        ticket_id: int | None = None,
        context: dict[str, Any] | None = None,
    ) -> int:
        cursor = conn.execute(
            "INSERT INTO outbox (chat_id, method, params, dedupe_key, created_at, ticket_id, context) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(dedupe_key) DO NOTHING",
            (
                chat_id,
                method,
                json.dumps(params, ensure_ascii=False),
                dedupe_key,
                time.time(),
                ticket_id,
                json.dumps(context or {}, ensure_ascii=False),
            ),
        )
        if cursor.rowcount:
            return int(cursor.lastrowid or 0)
        found = conn.execute("SELECT id FROM outbox WHERE dedupe_key = ?", (dedupe_key,)).fetchone()
        return int(found[0])

    def claim(self, chat_id: int | None = None, limit: int = 20) -> list[OutboxRow]:
        """Take due rows to send: the oldest of each chat only, so order holds per chat."""
        now = time.time()
        with self.store.transaction() as conn:
            query = (
                "SELECT o.* FROM outbox o WHERE o.state = 'pending' AND o.not_before <= ? "
                "AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.chat_id = o.chat_id "
                "AND e.id < o.id AND e.state IN ('pending', 'sending'))"
            )
            args: list[Any] = [now]
            if chat_id is not None:
                query += " AND o.chat_id = ?"
                args.append(chat_id)
            query += " ORDER BY o.id LIMIT ?"
            args.append(limit)
            rows = [_row(r) for r in conn.execute(query, args).fetchall()]
            conn.executemany(
                "UPDATE outbox SET state = 'sending', attempts = attempts + 1 WHERE id = ?",
                [(r.id,) for r in rows],
            )
        return rows

    def sent(self, row_id: int, message_id: int | None) -> None:
        with self.store.lock:
            self.store.conn.execute(
                "UPDATE outbox SET state = 'sent', sent_at = ?, message_id = ?, error = NULL "
                "WHERE id = ?",
                (time.time(), message_id, row_id),
            )

    def retry(self, row: OutboxRow, delay: float, error: str) -> None:
        state = "dead" if row.attempts >= MAX_ATTEMPTS else "pending"
        with self.store.lock:
            self.store.conn.execute(
                "UPDATE outbox SET state = ?, not_before = ?, error = ? WHERE id = ?",
                (state, time.time() + delay, error[:300], row.id),
            )

    def dead(self, row_id: int, error: str) -> None:
        with self.store.lock:
            self.store.conn.execute(
                "UPDATE outbox SET state = 'dead', error = ? WHERE id = ?", (error[:300], row_id)
            )

    def drop_chat(self, chat_id: int, error: str) -> int:
        """A chat that cannot receive (blocked bot): its queued rows will never go."""
        with self.store.lock:
            cursor = self.store.conn.execute(
                "UPDATE outbox SET state = 'dead', error = ? WHERE chat_id = ? "
                "AND state IN ('pending', 'sending')",
                (error[:300], chat_id),
            )
        return cursor.rowcount

    def pending_count(self) -> int:
        with self.store.lock:
            row = self.store.conn.execute(
                "SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'sending')"
            ).fetchone()
        return int(row[0])

    def next_due(self) -> float | None:
        with self.store.lock:
            row = self.store.conn.execute(
                "SELECT MIN(not_before) FROM outbox WHERE state = 'pending'"
            ).fetchone()
        return row[0]

    def message_ids(self, row_ids: list[int]) -> dict[int, int | None]:
        if not row_ids:
            return {}
        marks = ",".join("?" * len(row_ids))
        with self.store.lock:
            rows = self.store.conn.execute(
                f"SELECT id, message_id FROM outbox WHERE id IN ({marks})", row_ids
            ).fetchall()
        return {r["id"]: r["message_id"] for r in rows}

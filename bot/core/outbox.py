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
from collections.abc import Callable
from dataclasses import dataclass, replace
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
INBOX_SCHEMA = """
CREATE TABLE IF NOT EXISTS inbox (
    update_id INTEGER PRIMARY KEY,
    chat_id INTEGER,
    data TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'new',  -- new | handling | done
    received_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS inbox_state ON inbox (state, update_id);
"""
# A backlog of one ticket's messages to a staff chat goes as one message (Telegram allows
# about 20 messages a minute in a group), up to this many rows and characters.
MAX_FOLDED = 30
MAX_FOLDED_TEXT = 3800


@dataclass(frozen=True)
class OutboxRow:
    id: int
    chat_id: int
    method: str
    params: dict[str, Any]
    attempts: int
    ticket_id: int | None
    context: dict[str, Any]
    not_before: float = 0.0
    folded: tuple[int, ...] = ()  # later rows sent as part of this one

    @property
    def ids(self) -> tuple[int, ...]:
        return (self.id, *self.folded)


def _row(raw: sqlite3.Row) -> OutboxRow:
    return OutboxRow(
        id=raw["id"],
        chat_id=raw["chat_id"],
        method=raw["method"],
        params=json.loads(raw["params"]),
        attempts=raw["attempts"],
        ticket_id=raw["ticket_id"],
        context=json.loads(raw["context"] or "{}"),
        not_before=raw["not_before"],
    )


class Outbox:
    def __init__(self, store: Any) -> None:
        self.store = store
        store.migrate(SCHEMA)
        # Rows a killed process left half-sent go back to the queue. Telegram may already
        # have them (it has no idempotency key): this is the one window where a message can
        # arrive twice. Everything else is delivered exactly once.
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
        """Add a call inside the caller's transaction; the same ``dedupe_key`` adds it once.

        ``context["group"]`` lets rows of one kind (a ticket's relayed messages) that are
        queued back to back for one chat go as a single message; ``context["body"]`` is
        what such a row adds to the message it is folded into.
        """
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
        """Take due rows to send: the oldest of each chat only, so order holds per chat.

        A backlog of groupable rows behind a chat's oldest row is folded into it.
        """
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
            rows = [self._fold(conn, _row(r), now) for r in conn.execute(query, args).fetchall()]
            conn.executemany(
                "UPDATE outbox SET state = 'sending', attempts = attempts + 1 WHERE id = ?",
                [(row_id,) for row in rows for row_id in row.ids],
            )
        return rows

    def _fold(self, conn: sqlite3.Connection, head: OutboxRow, now: float) -> OutboxRow:
        group = head.context.get("group")
        if not group or head.method != "sendMessage" or "reply_markup" in head.params:
            return head
        following = conn.execute(
            "SELECT * FROM outbox WHERE chat_id = ? AND id > ? AND state = 'pending' "
            "ORDER BY id LIMIT ?",
            (head.chat_id, head.id, MAX_FOLDED),
        ).fetchall()
        text = str(head.params.get("text", ""))
        folded: list[int] = []
        for raw in following:
            row = _row(raw)
            body = row.context.get("body")
            if row.context.get("group") != group or row.not_before > now or body is None:
                break  # only an unbroken run of the same group, so order holds
            if len(text) + len(body) + 2 > MAX_FOLDED_TEXT:
                break
            text += "\n\n" + body
            folded.append(row.id)
        if not folded:
            return head
        return replace(head, params={**head.params, "text": text}, folded=tuple(folded))

    def sent(
        self,
        row: OutboxRow,
        message_id: int | None,
        then: Callable[[sqlite3.Connection, OutboxRow, int | None], None] | None = None,
    ) -> None:
        """Mark a row (and what was folded into it) sent; ``then`` records what the sent
        message means in the same transaction, so a crash cannot keep one without the other.
        A sent row's parameters are dropped: they are personal data no longer needed."""
        with self.store.transaction() as conn:
            conn.executemany(
                "UPDATE outbox SET state = 'sent', sent_at = ?, message_id = ?, error = NULL, "
                "params = '{}' WHERE id = ?",
                [(time.time(), message_id, row_id) for row_id in row.ids],
            )
            if then is not None:
                then(conn, row, message_id)

    def retry(self, row: OutboxRow, delay: float, error: str) -> None:
        """Back to the queue after ``delay`` seconds. Network errors and flood limits pass,
        so a row is never given up for them: that would lose an enquiry."""
        with self.store.transaction() as conn:
            conn.executemany(
                "UPDATE outbox SET state = 'pending', not_before = ?, error = ? WHERE id = ?",
                [(time.time() + delay, error[:300], row_id) for row_id in row.ids],
            )

    def dead(self, row: OutboxRow, error: str) -> None:
        with self.store.transaction() as conn:
            conn.executemany(
                "UPDATE outbox SET state = 'dead', error = ? WHERE id = ?",
                [(error[:300], row_id) for row_id in row.ids],
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

    def scrub(self, conn: sqlite3.Connection, chat_id: int, ticket_ids: list[int]) -> int:
        """Forget what rows to or about a user said (``/forget``): queued ones are not sent."""
        marks = ",".join("?" * len(ticket_ids)) or "NULL"
        cursor = conn.execute(
            "UPDATE outbox SET params = '{}', context = '{}', "
            "state = CASE WHEN state IN ('pending', 'sending') THEN 'dead' ELSE state END, "
            "error = CASE WHEN state IN ('pending', 'sending') THEN 'forgotten' ELSE error END "
            f"WHERE chat_id = ? OR ticket_id IN ({marks})",
            [chat_id, *ticket_ids],
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


class Inbox:
    """Updates as received, kept until handled, so none is lost to a crash.

    Telegram forgets an update once the next ``getUpdates`` confirms it, and the bot asks
    again before it has handled what it got; a process killed in between would lose those
    updates. They are stored here first (``keep``), claimed once by whichever copy comes
    first (``claim``: a stored copy replayed after a restart, or Telegram's redelivery),
    and marked ``done`` when handled, their content dropped then (it is personal data).
    """

    def __init__(self, store: Any) -> None:
        self.store = store
        store.migrate(INBOX_SCHEMA)
        with store.lock:  # whatever a killed process was handling is to be handled again
            store.conn.execute("UPDATE inbox SET state = 'new' WHERE state = 'handling'")

    def keep(self, updates: list[dict[str, Any]]) -> int:
        """Store raw updates (Bot API JSON) not seen before; how many were new."""
        with self.store.transaction() as conn:
            added = 0
            for update in updates:
                cursor = conn.execute(
                    "INSERT OR IGNORE INTO inbox (update_id, chat_id, data, received_at) "
                    "VALUES (?, ?, ?, ?)",
                    (
                        int(update["update_id"]),
                        _chat_of(update),
                        json.dumps(update, ensure_ascii=False),
                        time.time(),
                    ),
                )
                added += cursor.rowcount
        return added

    def unfinished(self) -> list[dict[str, Any]]:
        """Updates stored but not handled (to replay after a restart), oldest first."""
        with self.store.lock:
            rows = self.store.conn.execute(
                "SELECT data FROM inbox WHERE state = 'new' ORDER BY update_id"
            ).fetchall()
        return [json.loads(r["data"]) for r in rows]

    def claim(self, update_id: int) -> bool:
        """Whether this copy of an update should be handled: unknown updates (not received
        through the inbox) are; a stored one only the first time."""
        with self.store.transaction() as conn:
            known = conn.execute(
                "SELECT state FROM inbox WHERE update_id = ?", (update_id,)
            ).fetchone()
            if known is None:
                return True
            if known["state"] != "new":
                return False
            conn.execute("UPDATE inbox SET state = 'handling' WHERE update_id = ?", (update_id,))
        return True

    def done(self, update_id: int) -> None:
        with self.store.lock:
            self.store.conn.execute(
                "UPDATE inbox SET state = 'done', data = '{}', chat_id = NULL WHERE update_id = ?",
                (update_id,),
            )

    def prune(self, older_than: float = 86400.0) -> int:
        """Drop the ids of updates handled long ago; Telegram no longer redelivers them."""
        with self.store.lock:
            cursor = self.store.conn.execute(
                "DELETE FROM inbox WHERE state = 'done' AND received_at < ?",
                (time.time() - older_than,),
            )
        return cursor.rowcount

    def forget_chat(self, conn: sqlite3.Connection, chat_id: int) -> None:
        """``/forget``: stored updates of the chat lose their content (the ids stay, so a
        redelivered copy is still recognised)."""
        forget_updates(conn, chat_id)


def forget_updates(conn: sqlite3.Connection, chat_id: int) -> None:
    conn.execute(
        "UPDATE inbox SET data = '{}', chat_id = NULL, "
        "state = CASE WHEN state = 'new' THEN 'done' ELSE state END WHERE chat_id = ?",
        (chat_id,),
    )


def _chat_of(update: dict[str, Any]) -> int | None:
    for value in update.values():
        if isinstance(value, dict):
            chat = value.get("chat") or (value.get("message") or {}).get("chat")
            if isinstance(chat, dict) and "id" in chat:
                return int(chat["id"])
            sender = value.get("from")
            if isinstance(sender, dict) and "id" in sender:
                return int(sender["id"])
    return None
